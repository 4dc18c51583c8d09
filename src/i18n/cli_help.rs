//! The command line's help in Finnish: each command's and flag's text,
//! keyed by the command's path and the flag's id, and the words clap puts
//! around them. English is the doc comments in `cli/args.rs` and
//! `cli/subcommands.rs`; `cli::help` puts these in their place, and a test
//! there checks every command and flag has its Finnish text here (and
//! nothing here is stale).

use crate::locale::Lang;

/// Words clap writes around the texts.
pub struct CliWords {
    pub usage: &'static str,
    pub commands: &'static str,
    pub arguments: &'static str,
    pub options: &'static str,
    pub global_options: &'static str,
    pub help_flag: &'static str,
    pub version_flag: &'static str,
    pub help_command: &'static str,
    pub error: &'static str,
    pub more_help: &'static str,
    /// Before a flag's default value: `[oletus: text]`.
    pub default: &'static str,
}

pub const FI_WORDS: CliWords = CliWords {
    usage: "Käyttö:",
    commands: "Komennot",
    arguments: "Argumentit",
    options: "Valitsimet",
    global_options: "Yleiset valitsimet",
    help_flag: "Näytä ohje",
    version_flag: "Näytä versio",
    help_command: "Näytä tämä ohje tai annetun komennon ohje",
    error: "virhe",
    more_help: "Ohje:",
    default: "oletus",
};

/// After a missing argument: the command that lists its valid values.
pub fn listing_hint(lang: Lang, commands: &[&str]) -> String {
    match lang {
        Lang::Fi => format!("Vaihtoehdot näet komennolla {}", commands.join(" tai ")),
        Lang::En => format!("See the valid values with {}", commands.join(" or ")),
    }
}

/// Value names (`<PATH>`) and usage words in Finnish.
pub const FI_NAMES: &[(&str, &str)] = &[
    ("DIR", "KANSIO"),
    ("EUR", "EUROA"),
    ("FILE", "TIEDOSTO"),
    ("FORMAT", "MUOTO"),
    ("HH:MM", "TT.MM"),
    ("ID", "TUNNUS"),
    ("KEY", "AVAIN"),
    ("LANG", "KIELI"),
    ("NAME", "NIMI"),
    ("PATH", "POLKU"),
    ("PLACE", "PAIKKA"),
    ("SEASON", "KAUSI"),
    ("TEXT", "TEKSTI"),
    ("ROLE", "ROOLI"),
    ("PREFIX", "TUNNUS"),
    ("Y", "V"),
    ("YYYY", "VVVV"),
    ("YYYY-MM-DD HH:MM", "PP.KK.VVVV TT.MM"),
    ("YYYY-MM-DD", "PP.KK.VVVV"),
    ("YYYY-YYYY", "VVVV-VVVV"),
    ("YYYY-MM", "KK/VVVV"),
    ("YYYY-Www", "VK/VVVV"),
    ("NUMBER", "NUMERO"),
    ("[OPTIONS]", "[VALITSIMET]"),
    ("[COMMAND]", "[KOMENTO]"),
    ("<COMMAND>", "<KOMENTO>"),
];

/// `("PATH", about)`, `("PATH+", long about)` and `("PATH|id", flag)`;
/// `*|id` is a flag's text in every command that has it.
pub const FI: &[(&str, &str)] = &[
    (
        "",
        "Päivystyksen kirjanpito matalan kynnyksen neuvontapisteisiin (tiski = palvelupiste)",
    ),
    (
        "+",
        "Ilman komentoa avautuu päivystysnäkymä. Suomeksi oletuksena; --lang en vaihtaa englantiin.\n\nKävijöiden keskiarvo päivystystä kohden lasketaan pidetyistä päivystyksistä: niistä, joissa on käynti, niistä, jotka avattiin profiilin vuorolistan vuoron aikana (ne lasketaan, vaikka kukaan ei tulisi), s:llä aloitetuista ja `tiski session add` -komennolla kirjatuista. Vuoron ulkopuolella avattu näkymä ei kirjaa päivystystä ennen ensimmäistä käyntiä; peruttua päivystystä ei lasketa.",
    ),
    ("|db", "Tietokantatiedosto (oletus: sovelluksen datakansio)"),
    (
        "|config",
        "Asetustiedosto, joka muuttaa sisäänrakennettuja oletuksia",
    ),
    (
        "|lang",
        "Käyttöliittymän kieli: fi tai en (oletus asetuksista: fi)",
    ),
    (
        "|profile",
        "Profiilin tunnus, esim. ikaihmiset, kotouttaminen tai perhe. Ilman sitä päivystysnäkymä avaa viimeksi käytetyn; `log` tarvitsee sen; `tally` kattaa ilman sitä kaikki",
    ),
    (
        "|location",
        "Päivystyksen paikka päivystysnäkymälle ja `log`-komennolle (oletus: profiilin viimeksi käytetty paikka)",
    ),
    (
        "|confirm",
        "Kyllä sille, mitä tiski ei muuten arvaa: kello kaukana lokin viimeisestä muutoksesta (vuoden edellä tai siirretty taaksepäin), käynti aiemman vuoden päivälle",
    ),
    (
        "|screen_reader",
        "Päivystysnäkymä ruudunlukijalle (NVDA, JAWS, Orca): ei kehyksiä eikä uudelleenpiirtoa, jokainen muutos sanotaan yhtenä tekstirivinä. Myös `screen_reader = true` asetuksissa tai `r` ensimmäisellä käynnistyksellä",
    ),
    (
        "log",
        "Kirjaa käynti komentoriviltä sen päivän päivystykseen",
    ),
    ("log|topics", "Aiheen avain; toista useampaa aihetta varten"),
    ("log|referral", "Ohjauksen kohteen avain"),
    ("log|at", "Milloin käynti oli (oletus: nyt)"),
    (
        "log|note",
        "Huomio yhdellä rivillä. Hylätään, jos siinä on henkilötunnus, puhelinnumero tai sähköpostiosoite (äläkä kirjoita nimiä): komentotulkki tallentaa sen historiaansa",
    ),
    ("log|count", "Yhteismäärä: N kävijää kerralla ilman aiheita"),
    (
        "log+",
        "Kirjaa käynti komentoriviltä sen päivän päivystykseen.\n\n--count N lisää päivystykseen N kävijää kerralla ilman aiheita (yhteismäärä: avoimen päiväkodin aamu, paperille merkitty kiireinen tunti); ne lasketaan päivystyksen kävijöihin, erikseen eritellyistä käynneistä.",
    ),
    (
        "event",
        "Tapahtumat: otsikko, päivä, paikka, laji, osallistujat (--profile)",
    ),
    (
        "event+",
        "Tapahtumat: otsikko, päivä, paikka, laji, osallistujat (--profile).\n\nOsallistujamäärä voi olla arvio (--approx: \"n. 70\"), sen rinnalla voi olla verkossa seuranneet (--online N) tai se voi laskea muuta kuin ihmisiä (--unit \"jaettua annosta\"); vain sosiaalisessa mediassa pidetyllä tapahtumalla (--kind some) ei ole määrää. Lajit tulevat profiilin [events]-taulukosta.",
    ),
    ("event add", "Tallenna tapahtuma; tulostaa sen tunnuksen"),
    ("event add|date", "Päivä (oletus: tänään)"),
    ("event edit|date", "Päivä"),
    (
        "*|title",
        "Tapahtuman nimi niin kuin raportti sen luettelee (\"Syysfestarit\")",
    ),
    ("*|time", "Alkamisaika, jos sillä on väliä"),
    ("*|place", "Missä se pidettiin (vapaa teksti)"),
    (
        "*|kind",
        "Lajin avain profiilin [events]-taulukosta (oletus: ensimmäinen)",
    ),
    ("*|partner", "Yhteistyökumppanit pilkuin eroteltuina"),
    ("*|count", "Osallistujamäärä (ei lajille some)"),
    ("*|approx", "Määrä on arvio (\"n. 70\")"),
    (
        "*|online",
        "Verkossa tai striimin kautta seuranneet paikalla olleiden lisäksi",
    ),
    (
        "*|unit",
        "Mitä laskettiin, jos ei ihmisiä (\"jaettua annosta\")",
    ),
    ("*|id", "Tunnus (`event list` tai `group list` näyttää sen)"),
    (
        "event list",
        "Jakson tapahtumat ja ryhmät (oletus: tämä vuosi) niin kuin raportti ne luettelee",
    ),
    (
        "event edit",
        "Muuta tapahtumaa: annetut valitsimet korvaavat tallennetun",
    ),
    ("event delete", "Poista tapahtuma palautteineen"),
    (
        "group",
        "Ryhmät: ryhmä kokoontumisineen tai paperilla pidetyt kokonaismäärät",
    ),
    (
        "group add",
        "Tallenna ryhmä (--profile); tulostaa sen tunnuksen. --meetings ja --visits ovat paperilla pidetyt kokonaismäärät; muuten lisää kokoontumiset komennolla `group meet`",
    ),
    (
        "group add|title",
        "Ryhmän nimi niin kuin raportti sen luettelee (\"Kaveritaitoryhmä\")",
    ),
    (
        "group add|date",
        "Päivä, jona ryhmä alkoi (oletus: tänään); sijoittaa sen vuoteen",
    ),
    (
        "group add|place",
        "Missä se kokoontuu, niin kuin raportti sen nimeää (\"Sinilähde\")",
    ),
    (
        "group add|partner",
        "Kenen kanssa sitä pidetään (koulu, päiväkoti, yhdistys)",
    ),
    ("group add|target", "Kenelle ryhmä on tarkoitettu"),
    (
        "group add|meetings",
        "Kokoontumiset, kun ne on pidetty paperilla",
    ),
    (
        "group add|visits",
        "Käynnit yhteensä, kun ne on pidetty paperilla",
    ),
    ("group meet", "Ryhmän kokoontuminen ja sen osallistujat"),
    ("group meet|date", "Kokoontumisen päivä (oletus: tänään)"),
    ("group meet|count", "Montako tuli"),
    (
        "group delete",
        "Poista ryhmä kokoontumisineen ja palautteineen",
    ),
    (
        "group list",
        "Vuoden ryhmät (oletus: tämä vuosi) kokoontumisineen ja käynteineen",
    ),
    (
        "feedback",
        "Palaute tapahtumasta tai ryhmästä: kyllä/ei, asteikko 1–5 tai palautelaput",
    ),
    (
        "feedback add",
        "Liitä vastausmäärät tapahtumaan tai ryhmään: --yes N --no N, --scale 1-5 --counts a,b,c,d,e, --mean X --n N tai --slips N",
    ),
    (
        "feedback add|event",
        "Tapahtuman tunnus (`event add` tai `event list`)",
    ),
    (
        "feedback add|group",
        "Ryhmän tunnus (`group add` tai `group list`)",
    ),
    (
        "feedback add|question",
        "Kysymys niin kuin se kysyttiin (\"Oliko tilaisuus hyödyllinen?\")",
    ),
    (
        "feedback add|yes",
        "Kyllä-vastaukset, yhdessä --no:n kanssa",
    ),
    ("feedback add|no", "Ei-vastaukset, yhdessä --yes:n kanssa"),
    ("feedback add|scale", "Asteikko; vain 1-5 tunnetaan"),
    (
        "feedback add|counts",
        "Vastaukset asteikon kullekin portaalle 1:stä 5:een",
    ),
    (
        "feedback add|mean",
        "Asteikon 1–5 keskiarvo, yhdessä --n:n kanssa",
    ),
    ("feedback add|n", "Montako vastasi, yhdessä --mean:n kanssa"),
    ("feedback add|slips", "Palautelappujen määrä"),
    ("tally", "Tulosta päivän yhteenveto"),
    ("tally|date", "Päivä (oletus: tänään)"),
    ("*|json", "Koneluettava JSON tekstin sijaan"),
    (
        "config",
        "Tulosta voimassa olevat asetukset ja mistä ne tulevat; `set language en` muistaa kielen seuraavillekin kerroille",
    ),
    (
        "config set",
        "Muista tämän käyttäjän asetus: `tiski config set language en`",
    ),
    (
        "config set language",
        "Käyttöliittymän kieli, muistetaan seuraavillakin käynnistyksillä ja komennoilla (`--lang` valitsee yhdelle kerralle)",
    ),
    ("config set language|lang", "fi tai en"),
    (
        "backup",
        "Tee tietokannasta varmuuskopio nyt (tehdään myös joka päivän ensimmäisellä käynnistyksellä)",
    ),
    (
        "restore",
        "Korvaa tietokanta varmuuskopiolla; nykyinen tiedosto säilytetään sivussa",
    ),
    (
        "restore|file",
        "Varmuuskopiotiedosto, esim. datakansion backups/-kansiosta",
    ),
    (
        "doctor",
        "Tarkista tietokannan eheys, asetukset ja oikeudet",
    ),
    (
        "doctor|recount",
        "Laske ensin päivä- ja pistekohtaiset raporttiluvut uudelleen käynneistä (jos tiedostoa on muokattu muilla keinoin)",
    ),
    (
        "report",
        "Jakson luvut, alussa valmiit lauseet hyvinvointikertomukseen",
    ),
    (
        "*|from",
        "Ensimmäinen päivä (oletus: --to-päivän vuoden 1. tammikuuta)",
    ),
    ("*|to", "Viimeinen päivä (oletus: tänään)"),
    ("*|year", "Kalenterivuosi"),
    (
        "*|season",
        "Liukuestekausi, 1. marraskuuta helmikuun loppuun",
    ),
    ("*|month", "Kalenterikuukausi: 11/2026 tai 2026-11"),
    (
        "*|week",
        "ISO-viikko maanantaista sunnuntaihin: 49/2026, vko 49/2026 tai 2026-W49",
    ),
    (
        "*|device",
        "Vain tällä laitteella avatut päivystykset; tuntematon tunnus luettelee tunnetut",
    ),
    (
        "report|format",
        "text, md, json, csv, xlsx (Excel-työkirja kaavioineen) tai docx (Word-luku). Oletus: --out-tiedoston nimestä (.xlsx, .docx, .md, .json, .csv), muuten text",
    ),
    (
        "report|out",
        "Kirjoita raportti tähän tiedostoon tulosteen sijaan (xlsx ja docx tarvitsevat tiedoston)",
    ),
    (
        "report|charts",
        "Kirjoita kukin kaavio SVG- ja PNG-kuvana tähän kansioon (tehdään tarvittaessa); yksinään vain kaaviot",
    ),
    (
        "report|force",
        "Korvaa olemassa olevat tiedostot (ei koskaan tietokantaa, sen liitetiedostoja, varmuuskopiota, maksusitoumusten avainta eikä mitään SQLite-tiedostoa)",
    ),
    (
        "report|min_count",
        "Näytä alle N:n luvut muodossa \"<N\" (pienistä ryhmistä voi tunnistaa ihmisiä). Oletus: asetusten privacy.min_count (5); 0 tai 1 näyttää kaiken",
    ),
    (
        "export",
        "Kirjoita jakson käynnit CSV-tiedostoksi (taulukkolaskentaan) tai JSONL:ksi (kaikki tiedot)",
    ),
    (
        "export+",
        "Kirjoita jakson käynnit CSV-tiedostoksi (taulukkolaskentaan) tai JSONL:ksi (kaikki tiedot).\n\nCSV on suomalaiselle Excelille ja LibreOfficelle: puolipisteillä eroteltu UTF-8 BOM-merkillä, päivämäärät muodossa 14.11.2023, kellonajat 10:05 ja desimaalipilkku englanniksikin, rivi käyntiä kohden. Aiheet ovat kahdesti: yhtenä luettavana kenttänä ja sarakkeina 0/1 aihetta kohden (laske ne yhteen). JSONL sisältää jokaisen päivystyksen, käynnin ja poiston tunnisteineen `tiski import` -komentoa varten toisella koneella. Ilman päivämääriä kaikki.",
    ),
    (
        "export|format",
        "csv (rivi käyntiä kohden, Exceliin), voucher-csv (maksusitoumusrekisteri, rivi sitoumusta kohden) tai jsonl (kaikki kentät, tuontia varten)",
    ),
    ("*|out", "Kirjoita tähän tiedostoon tulosteen sijaan"),
    (
        "*|force",
        "Korvaa TIEDOSTO, jos se on olemassa (ei koskaan tietokantaa, sen liitetiedostoja, varmuuskopiota, maksusitoumusten avainta eikä mitään SQLite-tiedostoa)",
    ),
    (
        "export|min_count",
        "CSV: tyhjennä rivin valinnaiset kentät (kieli, ikäryhmä, …) muotoon \"<N\", kun niiden yhdistelmä esiintyy alle N rivillä. Oletus: asetusten privacy.min_count (5); 0 tai 1 ei tyhjennä mitään",
    ),
    (
        "import",
        "Yhdistä toisen pisteen kirjanpito (vienti .jsonl tai tiskin .db) pysyvillä tunnisteilla",
    ),
    (
        "import+",
        "Yhdistä toisen pisteen kirjanpito (vienti .jsonl tai tiskin .db) pysyvillä tunnisteilla.\n\nSaman tiedoston tuominen uudelleen ei lisää mitään. Molemmilla puolilla muokatusta käynnistä jää uudempi muokkaus, ja siitä kerrotaan ristiriitana; poistot kulkevat viennin mukana. Virheellinen rivi estää koko tiedoston tuonnin.",
    ),
    (
        "import|file",
        "`tiski export --format jsonl` -tiedosto tai toinen tiskin tietokanta",
    ),
    ("voucher", "Liukuesteiden maksusitoumukset"),
    (
        "voucher issue",
        "Myönnä maksusitoumus ja kirjaa sen käynti (aihe asetetaan itse)",
    ),
    ("voucher issue|product", "Tuotteen avain, esim. liukuesteet"),
    ("voucher issue|birth_year", "Syntymävuosi (VVVV)"),
    ("voucher issue|at", "Milloin se myönnettiin (oletus: nyt)"),
    ("voucher list", "Luettele kauden maksusitoumukset"),
    (
        "voucher list|season",
        "2023-2024 tai 2023 (oletus: nykyinen kausi)",
    ),
    (
        "voucher use",
        "Merkitse maksusitoumus käytetyksi (laskutettu)",
    ),
    ("*|number", "Maksusitoumuksen numero, esim. LE-2023-001"),
    (
        "voucher use|amount",
        "Laskutettu summa euroina, esim. 24,90",
    ),
    ("voucher use|date", "Laskun päivä (oletus: tänään)"),
    ("voucher use|shop", "Kauppa"),
    (
        "voucher cancel",
        "Mitätöi maksusitoumus; sen numeroa ei käytetä uudelleen",
    ),
    ("voucher cancel|reason", "Mitätöinnin syy"),
    (
        "voucher summary",
        "Kauden yhteenveto verrattuna aiempiin kausiin",
    ),
    (
        "voucher summary|season",
        "2023-2024 tai 2023 (oletus: nykyinen kausi)",
    ),
    (
        "voucher print",
        "Kirjoita tulostettava maksusitoumus PDF-tiedostoksi (--printer: myös tulostimelle)",
    ),
    (
        "voucher print|printer",
        "Lähetä se myös oletustulostimelle (lp; Windowsissa resurssienhallinnan tulostustoiminto); tiedosto kirjoitetaan ensin ja jää talteen",
    ),
    (
        "voucher print|copy",
        "Tulosta käytetty, mitätöity tai vanhentunut sitoumus kopiona, johon merkitään KOPIO (ilman tätä se torjutaan)",
    ),
    (
        "voucher print|issuer",
        "Myöntäjän nimi allekirjoituksen alle (oletus: asetus issuer_name; ilman sitä viiva, jolle nimen voi kirjoittaa)",
    ),
    (
        "voucher print|place",
        "Paikka päiväyksen eteen (oletus: asetus issuer_place)",
    ),
    (
        "voucher print|out",
        "Tulostiedosto (oletus: NUMERO.pdf kansiossa Tiedostot/tiski)",
    ),
    (
        "session",
        "Päivystykset: kirjaa jälkikäteen pidetty, peru vuorolistan vuoro, luettele ne",
    ),
    (
        "session+",
        "Päivystykset: kirjaa jälkikäteen pidetty, peru vuorolistan vuoro, luettele ne.\n\nPidetty päivystys on sellainen, jossa on käynti, joka avattiin vuorolistan vuoron aikana (se lasketaan, vaikka kukaan ei tulisi), joka aloitettiin `s`:llä tai joka kirjattiin `session add` -komennolla. Peruttua ei lasketa.",
    ),
    (
        "session add",
        "Kirjaa jälkikäteen pidetty päivystys ilman kävijöitä (--profile)",
    ),
    ("session add|date", "Päivä"),
    (
        "session add|start",
        "Alkamisaika (oletus: sen päivän vuoro vuorolistassa)",
    ),
    (
        "session add|end",
        "Päättymisaika (oletus: sen päivän vuoro vuorolistassa)",
    ),
    (
        "session cancel",
        "Merkitse vuorolistan vuoro perutuksi (--profile): sitä ei lasketa",
    ),
    ("session cancel|date", "Päivä"),
    (
        "session list",
        "Pidetyt ja perutut päivystykset sekä kirjaamatta jääneet vuorot",
    ),
    (
        "purge",
        "Poista henkilötiedot todella, niin ettei kopiota jää tietokantaan, sen WAL-tiedostoon eikä varmuuskopioihin: --due poistaa kaiken asetusten [retention]-ajan ylittäneen (kuten joka päivän ensimmäinen käynnistys); --before PÄIVÄ poistaa ennen PÄIVÄÄ päättyneiden kausien syntymävuodet ja tarkistustunnisteet",
    ),
    ("purge|due", "Kaikki säilytysaikansa ylittänyt nyt"),
    (
        "purge|before",
        "Päivä, jota ennen päättyneiden kausien tiedot poistetaan",
    ),
    (
        "purge|force",
        "Salli --before ulottua nykyiseen kauteen (sen päällekkäisyystarkistus alkaa silloin alusta)",
    ),
    (
        "sync",
        "Lähetä tämän työpisteen edellisen synkronoinnin jälkeen muuttuneet tiedot kaupungin palvelimelle ([server] asetuksissa)",
    ),
    (
        "sync+",
        "Lähetä tämän työpisteen edellisen synkronoinnin jälkeen muuttuneet tiedot kaupungin palvelimelle ([server] asetuksissa).\n\nVain se lähetetään, mitä palvelin ei ole vielä ottanut, erissä, joista kukin on yksi palvelimen transaktio: katkennut yhteys ei jätä mitään puolittain, ja seuraava synkronointi jatkaa siitä. Uudelleen lähettäminen ei muuta mitään.",
    ),
    (
        "sync|full",
        "Lähetä kaikki tiedot uudelleen, ei vain muuttuneita (kun palvelin on palautettu vanhemmasta varmuuskopiosta)",
    ),
    (
        "server",
        "Kaupungin palvelin sen IT:lle: skeema, työpisteet ja lukijat",
    ),
    (
        "*|user",
        "Yhdistä tällä roolilla (ylläpitäjän) asetusten käyttäjän sijaan",
    ),
    (
        "server init",
        "Tee tiskin skeema palvelimelle tai päivitä se (ylläpitäjän roolilla); uudempaa skeemaa ei muuteta",
    ),
    (
        "server add-desk",
        "Anna työpisteen synkronoida kirjautumisroolilla (tehdään ilman salasanaa, jos puuttuu) omalla maksusitoumusten numerotunnuksella",
    ),
    ("server add-desk|desk", "Työpisteen nimi: a-z, 0-9, _ ja -"),
    ("server add-desk|role", "Sen PostgreSQL-kirjautumisrooli"),
    (
        "server add-desk|voucher_prefix",
        "Sen maksusitoumusten numerotunnus, kaupungissa ainutkertainen",
    ),
    (
        "server add-reader",
        "Anna kirjautumisroolin (tehdään, jos puuttuu) lukea kaikkien työpisteiden luvut",
    ),
    (
        "server add-reader|role",
        "Yksikön esihenkilön PostgreSQL-kirjautumisrooli",
    ),
    (
        "server purge",
        "Tyhjennä palvelimelta asetusten [retention]-ajan ylittäneet tiedot kaikilta työpisteiltä (ylläpitäjän roolilla)",
    ),
    (
        "server password",
        "Säilytä asetusten käyttäjän salasana sinetöitynä tälle käyttäjälle tietokannan viereen (luetaan syötteestä, ei näy)",
    ),
    (
        "*|server",
        "Kaikkien työpisteiden tiedot kaupungin palvelimelta ([server] asetuksissa) sen lukijaroolin näkeminä tämän työpisteen tiedoston sijaan",
    ),
    (
        "privacy-notice",
        "Kirjoita rekisteriselosteen (tietosuojaselosteen) luonnos voimassa olevista asetuksista: tiedot, tarkoitus, säilytys, missä tiedot ovat, kuka niitä lukee. Suomeksi, ellei anneta --lang en",
    ),
    ("privacy-notice|format", "md (oletus) tai text"),
    (
        "demo",
        "Täytä uusi, tyhjä tietokanta keksityllä historialla (kokeilua varten)",
    ),
    ("demo|visits", "Käyntejä yhteensä"),
    ("demo|years", "Historian vuodet, päättyen eiliseen"),
];

/// The Finnish text for `key` (`PATH`, `PATH+` or `PATH|id`), or for a
/// flag the `*|id` text shared by the commands that have it.
pub fn fi(key: &str) -> Option<&'static str> {
    let find = |k: &str| FI.iter().find(|(key, _)| *key == k).map(|(_, t)| *t);
    find(key).or_else(|| {
        let (_, id) = key.split_once('|')?;
        find(&format!("*|{id}"))
    })
}

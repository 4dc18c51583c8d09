//! Finnish texts (the default language).

use super::{EventTexts, PrivacyTexts, SessionTexts, Texts, VoucherTexts};
use super::{demo_profiles, demo_span};
use crate::config::{ConfigError, ConfigErrorKind};
use crate::demo::DemoSummary;
use crate::error::{Error, OutputRefusal};
use crate::files::Cause;
use crate::keys::{Bar, Cmd};
use crate::locale::{Lang, decimal, signed_decimal};
use crate::platform::{Access, PrintFailure};
use crate::store::lock::LockError;
use crate::store::maintenance::Finding;
use crate::store::maintenance::MaintError;
use crate::store::{FileKind, Problem, StoreError};

pub struct Fi;

impl Texts for Fi {
    fn lang(&self) -> Lang {
        Lang::Fi
    }

    fn session_label(&self) -> &'static str {
        "Päivystys"
    }
    fn this_session(&self) -> &'static str {
        "Tämä päivystys"
    }
    fn today(&self) -> &'static str {
        "Tänään"
    }
    fn running_average(&self, mean: Option<f64>, sessions: u32) -> String {
        match mean {
            // "(1 päivystys)": over how many sessions the mean is taken.
            Some(m) => format!(
                "ka {} ({sessions} {})",
                decimal(m, Lang::Fi),
                sessions_word(sessions)
            ),
            None => "ka –".into(),
        }
    }
    fn year_average(&self, year: i32, mean: Option<f64>, sessions: u32) -> String {
        match mean {
            Some(m) => format!(
                "Vuonna {year} keskimäärin {} kävijää päivystystä kohden ({sessions} {})",
                decimal(m, Lang::Fi),
                sessions_word(sessions)
            ),
            None => format!("Vuonna {year} ei vielä päivystyksiä"),
        }
    }
    fn new_visit(&self) -> &'static str {
        "Uusi käynti"
    }
    fn edit_visit(&self, time: &str) -> String {
        format!("Muokataan klo {time} käyntiä")
    }
    fn more_topics(&self) -> &'static str {
        "muut aiheet…"
    }
    fn referral(&self) -> &'static str {
        "Ohjattu"
    }
    fn note(&self) -> &'static str {
        "Huomio"
    }
    fn note_hint(&self) -> &'static str {
        "(ei nimiä)"
    }
    fn no_visits_yet(&self) -> &'static str {
        "Ei käyntejä vielä."
    }

    fn saved(&self, time: &str) -> String {
        format!("Tallennettu klo {time} · u kumoaa")
    }
    fn updated(&self, time: &str) -> String {
        format!("Klo {time} käynti päivitetty")
    }
    fn need_topic(&self) -> &'static str {
        "Valitse ensin vähintään yksi aihe (1–9 tai 0). Mitään ei tallennettu."
    }
    fn undone(&self, what: &str) -> String {
        format!("Kumottu: {what}")
    }
    fn nothing_to_undo(&self) -> &'static str {
        "Ei kumottavaa: u kumoaa vain tämän ikkunan viime 10 minuutin aikana tallentamat käynnit."
    }
    fn visit_deleted(&self, time: &str, topics: &str) -> String {
        format!("Klo {time} käynti poistettu ({topics})")
    }
    fn visit_undone(&self, time: &str, topics: &str) -> String {
        format!("Klo {time} käynti kumottu ({topics})")
    }
    fn confirm_delete(&self, time: &str, what: &str) -> String {
        format!("Poistetaanko klo {time} käynti ({what})?")
    }
    fn confirm_new_session(&self) -> &'static str {
        "Päätetäänkö tämä päivystys ja aloitetaan uusi?"
    }
    fn confirm_quit_unsaved(&self) -> &'static str {
        "Lomakkeella on tallentamaton käynti. Lopetetaanko silti?"
    }
    fn new_session_started(&self, time: &str) -> String {
        format!("Uusi päivystys alkoi klo {time}")
    }
    fn location_changed(&self, location: &str) -> String {
        format!("Paikka vaihdettu: {location}")
    }
    fn note_too_long(&self, chars: usize, max: usize) -> String {
        format!("Huomio on liian pitkä ({chars} merkkiä, enintään {max}). Lyhennä sitä.")
    }
    fn confirm_answer(&self) -> &'static str {
        "k kyllä · e ei"
    }
    fn save_failed(&self, error: &str) -> String {
        format!(
            "Tallennus epäonnistui: {error}. Käynti on yhä lomakkeella; yritä uudelleen Enterillä."
        )
    }
    fn edit_cancelled(&self) -> &'static str {
        "Muokkaus peruttu."
    }
    fn window_too_small(&self, w: u16, h: u16, need_w: u16, need_h: u16) -> String {
        format!(
            "Suurenna ikkunaa: tiski tarvitsee vähintään {need_w}×{need_h} merkkiä (nyt {w}×{h})."
        )
    }

    fn confirm_restore_draft(&self, what: &str) -> String {
        format!("Edellinen käynti jäi tallentamatta ({what}). Palautetaanko se lomakkeelle?")
    }
    fn draft_restored(&self) -> &'static str {
        "Keskeneräinen käynti palautettu lomakkeelle. Tallenna Enterillä."
    }
    fn draft_in_file(&self, path: &str) -> String {
        format!(
            "Keskeneräinen käynti talletettiin tiedostoon {path}; se tarjotaan takaisin seuraavalla käynnistyksellä."
        )
    }
    fn draft_not_kept(&self, error: &str) -> String {
        format!(
            "Keskeneräistä käyntiä ei saatu talteen levylle ({error}). Älä sulje tiskiä ennen kuin tallennus onnistuu."
        )
    }
    fn database_replaced(&self, path: &str) -> String {
        format!(
            "Tietokanta {path} ei ole enää paikallaan (kansio siirretty tai nimetty uudelleen, tai tiedosto vaihdettu tiskin ollessa auki). Käyntiä ei tallennettu: se on yhä lomakkeella. Palauta tiedosto paikalleen, niin tallennus onnistuu, tai sulje tiski (q) ja avaa se uudelleen."
        )
    }
    fn database_back(&self) -> &'static str {
        "Tietokanta on taas paikallaan: tallennus onnistuu."
    }
    fn clock_doubt(&self, doubt: &crate::clock::Doubt) -> String {
        use crate::clock::Doubt;
        let at = |t: &chrono::NaiveDateTime| {
            format!(
                "{} klo {}",
                crate::locale::date(t.date(), crate::locale::Lang::Fi),
                crate::locale::time(*t, crate::locale::Lang::Fi)
            )
        };
        match doubt {
            Doubt::BeforeFirstYear { now } => format!(
                "Tietokoneen kello näyttää {}, mikä ei voi pitää paikkaansa.",
                at(now)
            ),
            Doubt::Behind { now, last } => format!(
                "Tietokoneen kello näyttää {}, mutta lokiin kirjoitettiin viimeksi {}: kello on siirtynyt taaksepäin.",
                at(now),
                at(last)
            ),
            Doubt::Ahead { now, last } => format!(
                "Tietokoneen kello näyttää {}, mutta lokiin kirjoitettiin viimeksi {}: kello voi olla väärin.",
                at(now),
                at(last)
            ),
        }
    }
    fn clock_question(&self) -> &'static str {
        "Onko kello oikein? Mitään ei tallenneta ennen vastausta."
    }
    fn clock_accepted(&self) -> &'static str {
        "Kello hyväksytty tälle kerralle."
    }
    fn clock_refused(&self) -> &'static str {
        "Korjaa tietokoneen kello (Windows: Asetukset › Aika ja kieli). Mitään ei tallenneta ennen sitä."
    }
    fn visit_refusal(&self, r: &crate::checked::VisitRefusal) -> String {
        use crate::checked::{Part, VisitRefusal as R};
        match r {
            R::NoTopic => "käynnillä on oltava vähintään yksi aihe".into(),
            R::Note(p) => self.privacy_error(p),
            R::Unknown { part, key } => {
                let what = match part {
                    Part::Topic => "aihetta",
                    Part::Referral => "ohjauskohdetta",
                    Part::Field => "kenttää",
                    Part::Option => "kentän arvoa",
                };
                format!("profiilissa ei ole {what} \"{key}\"")
            }
        }
    }
    fn read_only_refused(&self) -> &'static str {
        "Tietokanta on vioittunut, eikä siihen kirjoiteta mitään. Palauta varmuuskopio: tiski restore TIEDOSTO (ks. tiski doctor)."
    }
    fn database_damaged(&self, problems: usize) -> String {
        format!(
            "Tietokannan tarkistus löysi {problems} vikaa: mitään ei enää tallenneta. Lomake talletetaan tiedostoon. Palauta varmuuskopio: tiski restore."
        )
    }
    fn backup_failed(&self, error: &str) -> String {
        format!("Päivän varmuuskopio epäonnistui: {error}")
    }
    fn network_drive(&self, kind: &str, path: &str) -> String {
        format!(
            "VAROITUS: tietokanta {path} on verkkolevyllä tai synkronoidussa kansiossa ({kind}). SQLiten lukitukseen ei voi luottaa siellä, ja synkronointi voi kopioida puoliksi kirjoitetun tiedoston: pidä tietokanta omalla koneella (paikallinen sovelluskansio) ja yhdistä työpisteiden tiedot viennillä ja tuonnilla."
        )
    }

    fn location(&self) -> &'static str {
        "Paikka"
    }
    fn picker_footer(&self, can_clear: bool) -> &'static str {
        if can_clear {
            "näppäin valitsee · - poista valinta · Esc sulje"
        } else {
            "näppäin valitsee · Esc sulje"
        }
    }
    fn topics_picker_footer(&self) -> &'static str {
        "näppäin valitsee tai poistaa · Enter/Esc valmis"
    }
    fn note_title(&self) -> &'static str {
        "Huomio — älä kirjoita nimiä tai henkilötunnuksia"
    }
    fn note_footer(&self) -> &'static str {
        "Enter valmis · Esc peru"
    }
    fn confirm_title(&self) -> &'static str {
        "Vahvista"
    }
    fn choose_profile(&self) -> &'static str {
        "Valitse profiili"
    }
    fn language_remembered(&self) -> &'static str {
        "Kieli: suomi. Muistetaan seuraavillakin kerroilla (--lang valitsee yhdelle kerralle)."
    }
    fn no_such_profile(&self, n: usize, count: usize) -> String {
        format!("Ei profiilia {n}: valitse 1–{count}.")
    }
    fn visit_time_title(&self) -> &'static str {
        "Käynnin kellonaika (tt.mm, sama päivä)"
    }
    fn visit_time_footer(&self) -> &'static str {
        "Enter valmis · Esc peru"
    }
    fn bad_visit_time(&self, typed: &str) -> String {
        format!("Aika ”{typed}” ei kelpaa: kirjoita esim. 10.05.")
    }
    fn visit_time_in_future(&self) -> &'static str {
        "Aika on tulevaisuudessa: käynnin voi kirjata vain jälkikäteen."
    }
    fn finish_editing_first(&self) -> &'static str {
        "Lopeta ensin käynnin muokkaus (Enter tallentaa, Esc peruu)."
    }

    fn tally_title(&self) -> &'static str {
        "Päivän yhteenveto"
    }
    fn tally_visitors(&self, visitors: u32, sessions: u32) -> String {
        let s = if sessions == 1 {
            "päivystys"
        } else {
            "päivystystä"
        };
        format!("Kävijöitä {visitors} ({sessions} {s})")
    }
    fn tally_vs_average(&self, session: u32, mean: Option<f64>) -> String {
        match mean {
            Some(m) => format!(
                "Tämä päivystys {session} · ka {} kävijää/päivystys (ero vuoden keskiarvoon {})",
                decimal(m, Lang::Fi),
                signed_decimal(f64::from(session) - m, Lang::Fi)
            ),
            None => format!("Tämä päivystys {session}"),
        }
    }
    fn topics(&self) -> &'static str {
        "Aiheet"
    }
    fn referrals(&self) -> &'static str {
        "Ohjattu"
    }
    fn by_hour(&self) -> &'static str {
        "Tunneittain"
    }

    fn help_title(&self) -> &'static str {
        "Ohje — näppäimet"
    }
    fn key_help(&self, cmd: Cmd) -> &'static str {
        match cmd {
            Cmd::Topic => "valitse aihe tai poista valinta",
            Cmd::MoreTopics => "muut aiheet",
            Cmd::Save => "tallenna käynti",
            Cmd::Events => "tapahtumat ja ryhmät",
            Cmd::HeadCount => "yhteismäärä: useita kerralla",
            Cmd::Referral => "ohjattu: minne ohjattiin",
            Cmd::Note => "huomio (ei nimiä)",
            Cmd::Undo => "kumoa viimeisin käynti",
            Cmd::List => "päivän käynnit: ↑↓ valitse",
            Cmd::Edit => "muokkaa valittua käyntiä",
            Cmd::Delete => "poista valittu (kysyy ensin)",
            Cmd::Place => "vaihda paikkaa",
            Cmd::NewSession => "päätä päivystys ja aloita uusi",
            Cmd::CancelDay => "peru päivän päivystys",
            Cmd::Tally => "päivän yhteenveto",
            Cmd::Report => "raportti ja kuvaajat",
            Cmd::Voucher => "uusi maksusitoumus käynnin osana",
            Cmd::Register => "maksusitoumusrekisteri",
            Cmd::SwitchProfile => "vaihda profiilia",
            Cmd::EditTime => "muokattavan käynnin aika",
            Cmd::Help => "tämä ohje",
            Cmd::Back => "takaisin / peru",
            Cmd::Quit => "lopeta (päivystys päättyy)",
            Cmd::Week => "tämä viikko",
            Cmd::Month => "tämä kuukausi",
            Cmd::SeasonPeriod => "tämä kausi",
            Cmd::Year => "tämä vuosi",
            Cmd::CustomPeriod => "oma aikaväli (kirjoita päivät)",
            Cmd::StepPeriod => "edellinen / seuraava jakso",
            Cmd::NextPanel => "seuraava paneeli",
            Cmd::ScrollPanel => "vieritä paneelia rivi kerrallaan",
            Cmd::PagePanel => "vieritä paneelia sivu kerrallaan",
            Cmd::Select => "valitse sitoumus",
            Cmd::MarkUsed => "merkitse käytetyksi",
            Cmd::CancelVoucher => "mitätöi sitoumus",
            Cmd::Print => "tulosta sitoumus (PDF-tiedosto)",
            Cmd::PrintToPrinter => "tulosta sitoumus tulostimelle",
            Cmd::Filter => "näytä tilan mukaan",
            Cmd::Summary => "kauden yhteenveto",
            Cmd::StepSeason => "edellinen / seuraava kausi",
            Cmd::Search => "hae (numero, tuote, tila)",
            Cmd::SelectEvent => "valitse tapahtuma tai ryhmä",
            Cmd::NewEvent => "uusi tapahtuma",
            Cmd::EditEvent => "muokkaa valittua tapahtumaa (myös Enter)",
            Cmd::NewGroup => "uusi ryhmä",
            Cmd::NewMeeting => "valitun ryhmän kokoontumiskerta",
            Cmd::NewFeedback => "palaute valitulle",
            Cmd::StepYear => "edellinen / seuraava vuosi",
            Cmd::StepDay => "edellinen / seuraava päivä (enintään tämä päivä)",
            Cmd::Cursor => {
                "siirry tekstissä (ennalta täytetty arvo on valittuna: kirjoittaminen korvaa sen)"
            }
            Cmd::Erase => "pyyhi kursorin edestä / kohdalta",
            Cmd::Field => "kenttä: seuraava Tab ↓, edellinen Shift-Tab ↑",
            Cmd::Choose => "valitse listasta numerolla tai ←→",
            Cmd::Product => "tuote",
            Cmd::CheckIdentity => "kaksoiskappaleen tarkistus: syntymäaika ja nimi",
            Cmd::ShowName => "näytä kirjoitettu nimi tai peitä se",
            Cmd::ReadBack => "lue näkymä uudelleen (lomake, valittu rivi, yhteenveto)",
            Cmd::Profile => "valitse profiili numerolla",
            Cmd::Language => "in English (muistetaan seuraavillakin kerroilla)",
            Cmd::ScreenReader => "ruudunlukijatila (muistetaan seuraavillakin kerroilla)",
        }
    }
    fn key_help_in(&self, bar: Bar, cmd: Cmd) -> &'static str {
        match (bar, cmd) {
            (Bar::VoucherForm, Cmd::Save) => {
                "myönnä sitoumus (kysyy ensin, jos sama henkilö on jo saanut)"
            }
            (Bar::VoucherForm, Cmd::Back) => "kentästä tuotteeseen; tuotteesta sulje lomake",
            _ => self.key_help(cmd),
        }
    }
    fn key_hint(&self, bar: Bar, cmd: Cmd) -> &'static str {
        match (bar, cmd) {
            (Bar::Form, Cmd::Save) => "tallenna",
            (Bar::Form, Cmd::Undo) => "kumoa",
            (Bar::Form, Cmd::List) => "lista",
            (Bar::Form, Cmd::Place) => "paikka",
            (Bar::Form, Cmd::Tally) => "yhteenveto",
            (Bar::List, Cmd::List) => "valitse",
            (Bar::List, Cmd::Edit) => "muokkaa",
            (Bar::List, Cmd::Delete) => "poista",
            (Bar::List, Cmd::Back) => "lomakkeelle",
            (Bar::Editing, Cmd::Save) => "tallenna muutokset",
            (Bar::Editing, Cmd::EditTime) => "aika",
            (Bar::Editing, Cmd::Back) => "peru muokkaus",
            (Bar::Report, Cmd::Week) => "viikko",
            (Bar::Report, Cmd::Month) => "kuukausi",
            (Bar::Report, Cmd::SeasonPeriod) => "kausi",
            (Bar::Report, Cmd::Year) => "vuosi",
            (Bar::Report, Cmd::CustomPeriod) => "oma väli",
            (Bar::Report, Cmd::StepPeriod) => "jakso",
            (Bar::Report, Cmd::NextPanel) => "paneeli",
            (Bar::Report, Cmd::ScrollPanel) => "vieritä",
            (Bar::Register, Cmd::MarkUsed) => "käytetty",
            (Bar::Register, Cmd::CancelVoucher) => "mitätöi",
            (Bar::Register, Cmd::Print) => "PDF",
            (Bar::Register, Cmd::PrintToPrinter) => "tulosta",
            // Short, so the register's bar fits 80 columns.
            (Bar::Register, Cmd::Summary) => "koonti",
            (Bar::Register, Cmd::Back) => "sulje",
            (Bar::Register, Cmd::Search) => "haku",
            (Bar::Events, Cmd::NewEvent) => "tapahtuma",
            (Bar::Events, Cmd::NewGroup) => "ryhmä",
            (Bar::Events, Cmd::NewMeeting) => "ryhmäkerta",
            (Bar::Events, Cmd::EditEvent) => "muokkaa",
            (Bar::Events, Cmd::NewFeedback) => "palaute",
            (Bar::Summary, Cmd::Back) => "rekisteriin",
            (Bar::VoucherForm, Cmd::CheckIdentity) => "tarkistus",
            (Bar::VoucherForm, Cmd::ShowName) => "näytä nimi",
            (Bar::VoucherForm, Cmd::Save) => "myönnä",
            (Bar::VoucherForm | Bar::Dialog | Bar::EventForm, Cmd::Field) => "kenttä",
            (Bar::Dialog, Cmd::Save) => "tallenna",
            (Bar::EventForm, Cmd::Save) => "seuraava",
            (Bar::EventForm, Cmd::Choose) => "valitse",
            (Bar::EventForm, Cmd::Back) => "peru",
            (Bar::Help, Cmd::Back) => "sulje",
            (Bar::Chooser, Cmd::Profile) => "profiili",
            (Bar::Chooser, Cmd::ScreenReader) => "ruudunlukija",
            (Bar::Chooser, Cmd::Language) => "in English",
            (Bar::Tally, Cmd::StepDay) => "päivä",
            (Bar::Tally, Cmd::ScrollPanel) => "vieritä",
            (_, Cmd::Report) => "raportti",
            (_, Cmd::Back) => "takaisin",
            (_, Cmd::Help) => "ohje",
            (_, Cmd::Quit) => "lopeta",
            _ => "",
        }
    }

    fn logged_new_session(&self, date: &str, location: &str, on_rota: bool) -> String {
        let rota = if on_rota {
            "vuorolistan päivystys"
        } else {
            "ei vuorolistalla: lasketaan pidetyksi päivystykseksi"
        };
        format!("Uusi päivystys {date} ({location}): {rota}.")
    }
    fn logged(
        &self,
        date: &str,
        time: &str,
        profile: &str,
        location: &str,
        topics: &str,
    ) -> String {
        format!("Tallennettu {date} klo {time} · {profile} · {location} · {topics}")
    }
    fn tally_heading(&self, date: &str, profile: Option<&str>) -> String {
        match profile {
            Some(p) => format!("Päivän yhteenveto {date} · {p}"),
            None => format!("Päivän yhteenveto {date} · kaikki profiilit"),
        }
    }
    fn none(&self) -> &'static str {
        "–"
    }
    fn config_source_embedded(&self) -> &'static str {
        "sisäänrakennetut oletukset"
    }
    fn config_source_file(&self, path: &str) -> String {
        format!("sisäänrakennetut oletukset, joita tiedosto {path} muuttaa")
    }
    fn config_user_path(&self, path: &str, exists: bool) -> String {
        if exists {
            format!("käyttäjän asetustiedosto: {path}")
        } else {
            format!("käyttäjän asetustiedosto (ei ole olemassa): {path}")
        }
    }

    fn backup_done(&self, path: &str) -> String {
        format!("Varmuuskopio tehty: {path}")
    }
    fn restored(&self, backup: &str, aside: Option<&str>) -> String {
        match aside {
            Some(a) => format!(
                "Palautettu varmuuskopiosta {backup}. Entinen tiedosto säilytettiin nimellä {a}."
            ),
            None => format!("Palautettu varmuuskopiosta {backup}."),
        }
    }
    fn finding(&self, f: &Finding) -> String {
        match f {
            Finding::Missing => "tietokantaa ei ole".into(),
            Finding::NotADatabase => "tiedosto ei ole SQLite-tietokanta".into(),
            Finding::Schema { found, supported } => {
                format!("skeeman versio {found} (tämä tiski tuntee {supported})")
            }
            Finding::Integrity(p) if p.is_empty() => "eheystarkistus (integrity_check): ok".into(),
            Finding::Integrity(p) => {
                format!("eheystarkistus löysi {} vikaa: {}", p.len(), p.join("; "))
            }
            Finding::JournalMode(m) => format!("lokitila (journal_mode): {m}"),
            Finding::Synchronous(s) => format!("synchronous: {s} (2 = FULL)"),
            Finding::Access { path, access, dir } => {
                let what = match access {
                    Access::Mode(m) => format!("oikeudet {m:o}"),
                    Access::Acl { others } if others.is_empty() => "vain sinulla pääsy".into(),
                    Access::Acl { others } => format!("pääsy myös: {}", others.join(", ")),
                };
                if f.is_problem() {
                    format!(
                        "{what} (pitää olla vain sinulla): {}; korjaa: {}",
                        path.display(),
                        crate::platform::fix_command(path, *dir)
                    )
                } else {
                    format!("{what}: {}", path.display())
                }
            }
            Finding::NetworkFs(k) => {
                format!(
                    "tietokanta on verkkolevyllä tai synkronoidussa kansiossa ({k}): lukitukseen ei voi luottaa"
                )
            }
            Finding::Backups { count, newest } => match newest {
                Some(n) => format!("varmuuskopioita {count}, uusin {}", n.display()),
                None => "ei varmuuskopioita (tiski backup tekee yhden)".into(),
            },
            Finding::Counts { differing: 0 } => "raporttien laskurit täsmäävät käynteihin".into(),
            Finding::Counts { differing } => format!(
                "raporttien laskureista {differing} riviä ei täsmää käynteihin (tiski doctor --recount laskee ne uudelleen)"
            ),
            Finding::Privacy(p) => self.privacy_finding(p),
        }
    }
    fn recounted(&self) -> &'static str {
        "Raporttien laskurit laskettiin uudelleen käynneistä."
    }
    fn not_recounted(&self) -> &'static str {
        "Laskureita ei laskettu uudelleen: tiedostossa on alla näkyvä vika (tiski restore palauttaa varmuuskopion)."
    }
    fn doctor_summary(&self, problems: usize) -> String {
        if problems == 0 {
            "Kaikki kunnossa.".into()
        } else {
            format!("Ongelmia: {problems}.")
        }
    }

    fn problem(&self, p: Problem) -> &'static str {
        match p {
            Problem::Busy => "toinen tiski-ikkuna tai komento pitää tietokantaa lukittuna",
            Problem::Full => "levy on täynnä (tai tiedostokoon raja tuli vastaan)",
            Problem::ReadOnly => "tietokantaan ei voi kirjoittaa (vain luku -tila tai oikeudet)",
            Problem::Corrupt => {
                "tietokanta on vioittunut; palauta varmuuskopio: tiski restore TIEDOSTO"
            }
            Problem::Io => "levylle kirjoittaminen epäonnistui (levy täynnä tai vika)",
        }
    }
    fn demo_not_empty(&self, sessions: u32) -> String {
        format!(
            "siinä on jo {sessions} päivystystä; esimerkkitiedot kirjoitetaan vain uuteen, tyhjään tietokantaan (--db)"
        )
    }
    fn demo_done(&self, s: &DemoSummary, secs: f64) -> String {
        format!(
            "{} käyntiä, {} päivystystä ({} ilman kävijöitä), {} maksusitoumusta, {} tapahtumaa, {} ryhmää, {}, {} [päivystyksiä/käyntejä: {}], {} s",
            s.visits,
            s.sessions,
            s.empty_sessions,
            s.vouchers,
            s.events,
            s.groups,
            demo_span(s, Lang::Fi),
            if s.desks == 1 {
                "1 piste profiilia kohden".to_string()
            } else {
                format!("{} pistettä profiilia kohden", s.desks)
            },
            demo_profiles(s),
            decimal(secs, Lang::Fi)
        )
    }
    fn help_not_written(&self, c: &Cause) -> String {
        format!("ohjetta ei voi kirjoittaa: {}", cause(c))
    }
    fn error_prefix(&self) -> &'static str {
        "virhe"
    }
    fn config_error(&self, e: &ConfigError) -> String {
        let place = match (&e.file, e.line) {
            (Some(f), Some(l)) => format!("{}, rivi {l}", f.display()),
            (Some(f), None) => f.display().to_string(),
            (None, Some(l)) => format!("sisäänrakennetut asetukset, rivi {l}"),
            (None, None) => "sisäänrakennetut asetukset".into(),
        };
        let what = match &e.kind {
            ConfigErrorKind::Read(r) => format!("tiedostoa ei voi lukea: {}", cause(r)),
            ConfigErrorKind::Parse(p) => format!("virheellinen TOML: {p}"),
            ConfigErrorKind::NoTopics { profile } => {
                format!("profiililla \"{profile}\" ei ole yhtään käytössä olevaa aihetta")
            }
            ConfigErrorKind::DuplicateKey { profile, list, key } => {
                format!("profiilin \"{profile}\" listassa {list} avain \"{key}\" on kahdesti")
            }
            ConfigErrorKind::BadKey { profile, key } => format!(
                "profiilissa \"{profile}\" avain \"{key}\" ei kelpaa (sallittu: a–z, 0–9, _ ja -)"
            ),
            ConfigErrorKind::UnknownShortPlace { profile, place } => format!(
                "profiilin \"{profile}\" lyhyt nimi (short_places) on paikalle \"{place}\", jota ei ole paikkojen listassa"
            ),
            ConfigErrorKind::UnknownDefaultLocation { profile, location } => format!(
                "profiilin \"{profile}\" oletuspaikka \"{location}\" puuttuu paikkojen listasta"
            ),
            ConfigErrorKind::UnknownFieldDefault {
                profile,
                field,
                value,
            } => format!(
                "profiilin \"{profile}\" kentän \"{field}\" oletus \"{value}\" ei ole sen vaihtoehto"
            ),
            ConfigErrorKind::BadHotkey {
                profile,
                field,
                hotkey,
            } => format!(
                "profiilin \"{profile}\" kentän \"{field}\" näppäin \"{hotkey}\" on jo käytössä (varatut: {})",
                crate::keys::reserved_chars()
            ),
            ConfigErrorKind::NoProfiles => "yhtään profiilia ei ole määritelty".into(),
            ConfigErrorKind::Schedule { profile, problem } => {
                format!(
                    "profiilin \"{profile}\" päivystysvuoroissa (schedule): {}",
                    self.schedule_problem(problem)
                )
            }
            ConfigErrorKind::Voucher { profile, problem } => {
                self.voucher_config_problem(profile, problem)
            }
            ConfigErrorKind::Retention(p) => self.retention_problem(p),
            ConfigErrorKind::Server(p) => crate::i18n::ServerTexts::server_config_problem(self, p),
        };
        format!("asetukset: {place}: {what}")
    }
    fn error(&self, e: &Error) -> String {
        match e {
            Error::Config(c) => self.config_error(c),
            Error::Store(s) => match s {
                StoreError::Open { path, reason } => format!(
                    "tietokantaa {} ei voi avata: {reason}. Tarkista polku ja oikeudet (--db).",
                    path.display(),
                    reason = crate::i18n::fi::cause(reason)
                ),
                StoreError::NotADatabase { path } => format!(
                    "{} ei ole tiskin tietokanta (ei SQLite-tiedosto). Sitä ei muutettu. Anna oikea tiedosto --db:llä.",
                    path.display()
                ),
                StoreError::Foreign { path } => format!(
                    "{} on toisen ohjelman SQLite-tietokanta, ei tiskin. Sitä ei muutettu. Anna tiskin tietokanta --db:llä.",
                    path.display()
                ),
                StoreError::NotAFile { path, kind } => format!(
                    "{} ei ole tiedosto vaan {}. Sitä ei muutettu. Anna tietokantatiedosto --db:llä.",
                    path.display(),
                    match kind {
                        FileKind::Directory => "kansio",
                        FileKind::Special => "erikoistiedosto (putki tai laite)",
                    }
                ),
                StoreError::HotJournal { path } => format!(
                    "tiedoston {} vieressä on toisen ohjelman kesken jäänyt kirjoitus (-journal-tiedosto). Sitä ei avattu eikä muutettu; avaa se ensin ohjelmalla, joka sen teki.",
                    path.display()
                ),
                StoreError::TooNew {
                    path,
                    found,
                    supported,
                } => format!(
                    "tietokanta {} on uudemman tiskin tekemä (versio {found}, tämä tuntee {supported}). Sitä ei muutettu. Päivitä tiski.",
                    path.display()
                ),
                StoreError::Sqlite(e) => match s.problem() {
                    Some(p) => format!("{} ({e})", self.problem(p)),
                    None => format!("tietokantavirhe: {e}"),
                },
                StoreError::NoDatabase { path } => format!(
                    "tiedostossa {} ei ole tiskin tietokantaa, eikä sitä luotu. Tarkista polku (--db).",
                    path.display()
                ),
                StoreError::Voucher(v) => self.voucher_error(v),
                StoreError::Event(e) => self.event_error(e),
                StoreError::DayHasVisits { date, visitors } => {
                    self.day_has_visits(&crate::locale::date(*date, Lang::Fi), *visitors)
                }
                StoreError::SessionExists {
                    date,
                    location,
                    visitors,
                } => {
                    self.session_exists(&crate::locale::date(*date, Lang::Fi), location, *visitors)
                }
            },
            Error::UnknownProfile { id, valid } => {
                format!("tuntematon profiili \"{id}\". Vaihtoehdot: {valid}")
            }
            Error::ProfileRequired { valid } => {
                format!("anna profiili --profile-valitsimella. Vaihtoehdot: {valid}")
            }
            Error::UnknownTopic {
                key,
                profile,
                valid,
                nearest,
            } => format!(
                "profiilissa \"{profile}\" ei ole aihetta \"{key}\"{}. Vaihtoehdot: {valid}",
                did_you_mean(nearest)
            ),
            Error::UnknownReferral {
                key,
                profile,
                valid,
                nearest,
            } => format!(
                "profiilissa \"{profile}\" ei ole ohjauskohdetta \"{key}\"{}. Vaihtoehdot: {valid}",
                did_you_mean(nearest)
            ),
            Error::UnknownLocation {
                name,
                profile,
                valid,
            } => {
                format!("profiilissa \"{profile}\" ei ole paikkaa \"{name}\". Vaihtoehdot: {valid}")
            }
            Error::BadDateTime { value } => format!(
                "aika \"{value}\" ei kelpaa: käytä muotoa 14.11.2023 10.05 tai 2023-11-14 10:05"
            ),
            Error::FutureTime { value } => {
                format!("aika \"{value}\" on tulevaisuudessa; käynnin voi kirjata vain jälkikäteen")
            }
            Error::DateOutOfRange { value, from, to } => format!(
                "päivämäärä \"{value}\" ei ole väliltä {}–{}: tarkista vuosi",
                crate::locale::date(*from, Lang::Fi),
                crate::locale::date(*to, Lang::Fi)
            ),
            Error::YearOutOfRange { value } => format!(
                "vuosi \"{value}\" ei kelpaa: anna vuosi {}–{}",
                crate::clock::FIRST_YEAR,
                crate::clock::LAST_YEAR
            ),
            Error::BadTimeOfDay { value } => {
                format!(
                    "kellonaika \"{value}\" ei kelpaa: käytä muotoa TT:MM tai TT.MM, esim. 10:00"
                )
            }
            Error::EndBeforeStart { start, end } => {
                format!("päivystys ei voi päättyä ({end}) ennen kuin se alkaa ({start})")
            }
            Error::NotOnRota { profile, date } => format!(
                "profiilin \"{profile}\" vuorolistassa ei ole päivystystä {}. Vuorot ovat asetusten kohdassa [[profiles.{profile}.schedule]].",
                crate::locale::date(*date, Lang::Fi)
            ),
            Error::TimesNeeded { date } => format!(
                "vuorolistassa ei ole päivystystä {}: anna sen ajat valitsimilla --start ja --end (esim. --start 10:00 --end 12:00)",
                crate::locale::date(*date, Lang::Fi)
            ),
            Error::NoSuchDay { value } => format!(
                "päivää \"{value}\" ei ole kalenterissa: tarkista päivä ja kuukausi"
            ),
            Error::BadDate { value } => {
                format!("päivämäärä \"{value}\" ei kelpaa: käytä muotoa 14.11.2023 tai 2023-11-14")
            }
            Error::ConfigMissing(p) => {
                format!("asetustiedostoa {} ei ole (--config)", p.display())
            }
            Error::NoDataDir => {
                "kotihakemistoa ei löydy tietojen tallentamiseen; anna tietokanta --db:llä".into()
            }
            Error::Report(r) => super::ReportTexts::report_error(self, r),
            Error::NoTerminal(_) => "päivystysnäkymä tarvitsee päätteen: käynnistä tiski pääteikkunassa (Windows Terminal, komentokehote tai Linuxin pääte). Komennot kuten tiski tally toimivat ilmankin.".into(),
            Error::Terminal(e) => format!("pääte: {e}"),
            Error::Stdout(e) => format!(
                "tulostetta ei voi kirjoittaa: {e}. Komento tehtiin; vain sen ilmoitus jäi näkymättä, joten älä toista sitä.",
                e = cause(&Cause::from(e))
            ),
            Error::Output { path, reason } => {
                format!(
                    "tiedostoon {} ei voi kirjoittaa: {reason}",
                    path.display(),
                    reason = crate::i18n::fi::cause(reason)
                )
            }
            Error::Printer { path, failure } => {
                let cmd = crate::platform::PRINT_COMMAND;
                let path = path.display();
                match failure {
                    PrintFailure::Missing => format!(
                        "tulostus ei onnistunut: {cmd} ei ole käytettävissä (komentoa ei löytynyt tai PDF-tiedostoille ei ole tulostusohjelmaa). Maksusitoumus on tallennettu tiedostoon {path}; tulosta se muulla tavalla."
                    ),
                    PrintFailure::CannotRun(kind) => format!(
                        "tulostus ei onnistunut: komentoa {cmd} ei voitu käynnistää ({}). Maksusitoumus on tallennettu tiedostoon {path}; tulosta se muulla tavalla.",
                        cause(&crate::files::Cause::from(&std::io::Error::from(*kind)))
                    ),
                    PrintFailure::Refused(said) => format!(
                        "tulostus ei onnistunut: {cmd} vastasi: {said}. Maksusitoumus on tallennettu tiedostoon {path}; tulosta se muulla tavalla."
                    ),
                }
            }
            Error::OutputRefused { path, why } => {
                let what = match why {
                    OutputRefusal::Log => "on tiskin tietokanta tai sen osa",
                    OutputRefusal::Key => "on maksusitoumusten salainen avain",
                    OutputRefusal::Backup => "on varmuuskopio",
                    OutputRefusal::Sqlite => "on SQLite-tietokanta",
                    OutputRefusal::NotAFile => "ei ole tavallinen tiedosto",
                    OutputRefusal::Exists => {
                        "on jo olemassa (--force korvaa sen, tai anna toinen nimi)"
                    }
                };
                format!(
                    "tiedostoon {} ei kirjoiteta: se {what}. Mitään ei muutettu.",
                    path.display()
                )
            }
            Error::DoctorFound(n) => format!("tiski doctor löysi {n} ongelmaa (ks. yllä)"),
            Error::Maint(m) => match m {
                MaintError::BadBackup { path, reason } => format!(
                    "{} ei kelpaa varmuuskopioksi: {reason}. Mitään ei muutettu.",
                    path.display(),
                    reason = crate::i18n::fi::cause(reason)
                ),
                MaintError::Damaged { path, problems } => format!(
                    "tietokanta {} on vioittunut ({} vikaa), joten siihen ei kirjoiteta eikä siitä tehdä varmuuskopiota. Mitään ei muutettu. Palauta varmuuskopio: tiski restore TIEDOSTO (ks. tiski doctor).",
                    path.display(),
                    problems.len()
                ),
                MaintError::Io { path, reason } => format!(
                    "{}: {reason}",
                    path.display(),
                    reason = crate::i18n::fi::cause(reason)
                ),
                MaintError::Sqlite(e) => format!("tietokantavirhe: {e}"),
            },
            Error::Lock(l) => match l {
                LockError::InUse { path, pid } => format!(
                    "tietokanta {} on auki toisessa tiskissä{}. Sulje se ensin (q) ja yritä uudelleen. Mitään ei muutettu.",
                    path.display(),
                    pid.map_or(String::new(), |p| format!(" (prosessi {p})"))
                ),
                LockError::Io { path, reason } => {
                    format!(
                        "lukitustiedostoa {} ei voi käyttää: {reason}",
                        path.display(),
                        reason = crate::i18n::fi::cause(reason)
                    )
                }
            },
            Error::Voucher(v) => self.voucher_error(v),
            Error::Privacy(p) => self.privacy_error(p),
            Error::Event(e) => self.event_error(e),
            Error::FeedbackNeeds => self.feedback_needs().to_string(),
            Error::Visit(r) => self.visit_refusal(r),
            Error::EarlierYear { value, year } => format!(
                "{value} on vuodelta {year}, joka on jo päättynyt: sen luvut muuttuisivat. Mitään ei tallennettu. Jos tarkoitit sitä, toista komento valitsimella --confirm."
            ),
            Error::AmbiguousKey { value, keys } => format!(
                "\"{value}\" on usean vaihtoehdon nimi ({keys}): anna avain, esim. --topic {}",
                keys.split(", ").next().unwrap_or_default()
            ),
            Error::Clock(d @ crate::clock::Doubt::BeforeFirstYear { .. }) => format!(
                "{} Mitään ei tallennettu. Korjaa tietokoneen kello.",
                self.clock_doubt(d)
            ),
            Error::Clock(d) => format!(
                "{} Mitään ei tallennettu. Jos kello on oikein, toista komento valitsimella --confirm.",
                self.clock_doubt(d)
            ),
            Error::Server(e) => crate::i18n::ServerTexts::server_error(self, e),
        }
    }
}

/// Why a file operation failed, as a clause after a colon.
pub(crate) fn cause(c: &Cause) -> String {
    match c {
        Cause::NotFound => "sitä ei löydy".into(),
        Cause::PermissionDenied => "ei käyttöoikeutta".into(),
        Cause::AlreadyExists => "se on jo olemassa".into(),
        Cause::NotAFile => "se ei ole tavallinen tiedosto".into(),
        Cause::TooLarge { mb } => format!("se on yli {mb} Mt"),
        Cause::DiskFull => "levy on täynnä".into(),
        Cause::ReadOnly => "levylle ei voi kirjoittaa (vain luku)".into(),
        Cause::Busy => "toinen ohjelma käyttää sitä".into(),
        Cause::NotText => "se ei ole tekstiä (UTF-8)".into(),
        Cause::LineTooLong { line, kb } => format!("sen rivi {line} on yli {kb} kt pitkä"),
        Cause::NotADatabase => "se ei ole tietokanta".into(),
        Cause::NotTiski => "se ei ole tiskin tietokanta".into(),
        Cause::Corrupt => "se on vioittunut".into(),
        Cause::Damaged(detail) => format!("se on vioittunut ({detail})"),
        Cause::TooNew => "sen on kirjoittanut uudempi tiski".into(),
        Cause::OpenDatabase => {
            "se on tiskin parhaillaan käyttämä tietokanta (tai sen aputiedosto)".into()
        }
        Cause::Stopped => "sen lukeminen keskeytyi ennen loppua".into(),
        Cause::Other(s) => s.clone(),
    }
}

/// "päivystys" after 1, "päivystystä" after any other count.
fn sessions_word(n: u32) -> &'static str {
    if n == 1 {
        "päivystys"
    } else {
        "päivystystä"
    }
}

/// After a key typed wrongly: ` (tarkoititko "digituki"?)`, or nothing.
fn did_you_mean(nearest: &Option<String>) -> String {
    nearest
        .as_ref()
        .map_or(String::new(), |k| format!(" (tarkoititko \"{k}\"?)"))
}

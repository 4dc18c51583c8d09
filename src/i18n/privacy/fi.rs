//! Finnish privacy texts, the register description (tietosuojaseloste) among them.

use super::{NoticeFacts, NoticeSection, PrivacyTexts, join_and};
use crate::i18n::fi::Fi;
use crate::locale::{Lang, date};
use crate::privacy::config::RetentionProblem;
use crate::privacy::error::PrivacyError;
use crate::privacy::retention::{Due, PrivacyFinding};
use crate::privacy::{Found, IdentityKind, masked};
use crate::store::privacy::{CopiesPurged, PurgeReport};

/// `1 huomio`, `3 huomiota`: a count with the singular or the partitive.
fn n(count: u64, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

fn paths(p: &[std::path::PathBuf]) -> String {
    p.iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// "3 huomiota, 1 maksusitoumuksen tunnistetiedot ja 1 lomake".
fn due_words(d: &Due) -> String {
    let mut parts = Vec::new();
    if d.notes > 0 {
        parts.push(n(d.notes, "huomio", "huomiota"));
    }
    if d.identities > 0 {
        parts.push(format!(
            "{} syntymävuodet ja tarkisteet",
            n(d.identities, "maksusitoumuksen", "maksusitoumuksen")
        ));
    }
    if d.drafts > 0 {
        parts.push(n(
            d.drafts,
            "tallentamaton lomake",
            "tallentamatonta lomaketta",
        ));
    }
    join_and(&parts, "ja")
}

impl Fi {
    fn found_list(&self, found: &[Found]) -> String {
        let items: Vec<String> = found
            .iter()
            .map(|f| {
                format!(
                    "{} (merkki {}: {})",
                    self.identity_kind(f.kind),
                    f.char_pos,
                    masked(f)
                )
            })
            .collect();
        join_and(&items, "ja")
    }

    fn copies_lines(&self, c: &CopiesPurged) -> Vec<String> {
        let mut out = Vec::new();
        if !c.rewritten.is_empty() {
            out.push(format!(
                "Kirjoitettiin uudelleen ilman poistettuja tietoja: {}.",
                paths(&c.rewritten)
            ));
        }
        if !c.removed.is_empty() {
            out.push(format!(
                "Poistettiin, koska niitä ei voitu kirjoittaa uudelleen: {}.",
                paths(&c.removed)
            ));
        }
        if let Some(p) = &c.kept {
            out.push(format!(
                "Uusinta varmuuskopiota {} ei voitu kirjoittaa uudelleen eikä uutta tehdä (levy täynnä?); se säilytettiin, jotta varmuuskopio on olemassa. Vapauta tilaa ja aja tiski purge --due uudelleen.",
                p.display()
            ));
        }
        for (p, why) in &c.unreadable {
            out.push(format!(
                "Varmuuskopiota {} ei voitu lukea ({why}); tarkista tai poista se.",
                p.display()
            ));
        }
        out
    }
}

impl PrivacyTexts for Fi {
    fn identity_kind(&self, kind: IdentityKind) -> &'static str {
        match kind {
            IdentityKind::PersonalCode => "henkilötunnus",
            IdentityKind::Phone => "puhelinnumero",
            IdentityKind::Email => "sähköpostiosoite",
        }
    }
    fn note_refused(&self, found: &[Found]) -> String {
        let it = if found.len() == 1 { "se" } else { "ne" };
        format!(
            "Huomiossa on {}. Poista {it}: huomioon ei kirjoiteta tunnistetietoja.",
            self.found_list(found)
        )
    }
    fn save_refused_note(&self, found: &[Found]) -> String {
        format!(
            "Käyntiä ei tallennettu: huomiossa on {}. Korjaa huomio (n).",
            self.found_list(found)
        )
    }

    fn purge_report(&self, r: &PurgeReport) -> String {
        let mut lines = Vec::new();
        let cleared = &r.database.cleared;
        lines.push(if cleared.is_empty() {
            "Tietokannassa ei ollut säilytysajan ylittäneitä tietoja.".to_string()
        } else {
            format!("Tietokannasta poistettiin {}.", due_words(cleared))
        });
        lines.extend(self.copies_lines(&r.copies));
        if !r.temp_removed.is_empty() {
            lines.push(format!(
                "Poistettiin keskeytyneiden komentojen väliaikaiset kopiot: {}.",
                paths(&r.temp_removed)
            ));
        }
        lines.join("\n")
    }
    fn daily_purged(&self, r: &PurgeReport) -> Option<String> {
        let copies = r.copies.rewritten.len() + r.copies.removed.len();
        let cleared = &r.database.cleared;
        match (cleared.is_empty(), copies) {
            (true, 0) => None,
            (true, c) => Some(format!(
                "Säilytysaika: {} siivottiin.",
                n(c as u64, "varmuuskopio", "varmuuskopiota")
            )),
            (false, 0) => Some(format!("Säilytysaika: poistettiin {}.", due_words(cleared))),
            (false, c) => Some(format!(
                "Säilytysaika: poistettiin {}; {} siivottiin.",
                due_words(cleared),
                n(c as u64, "varmuuskopio", "varmuuskopiota")
            )),
        }
    }
    fn daily_purge_failed(&self, error: &str) -> String {
        format!(
            "Vanhentuneiden tietojen poisto ei onnistunut ({error}), joten varmuuskopiota ei tehty. Seuraava käynnistys yrittää uudelleen (tai: tiski purge --due)."
        )
    }

    fn blanked(&self, cells: usize, min: u32) -> String {
        if cells == 0 {
            format!("Harvinaisia valintojen yhdistelmiä ei ollut (raja {min}).")
        } else {
            format!(
                "Harvinaiset valintojen yhdistelmät piilotettiin: {} näkyy muodossa <{min}, koska yhdistelmä on alle {min} rivillä.",
                n(cells as u64, "solu", "solua")
            )
        }
    }

    fn privacy_finding(&self, f: &PrivacyFinding) -> String {
        let fix = "korjaa: tiski purge --due";
        match f {
            PrivacyFinding::Retention(r) => format!(
                "säilytysajat: huomiot {} päivää, maksusitoumusten syntymävuodet ja tarkisteet {} päivää kauden päättymisestä",
                r.notes_days, r.voucher_identity_days
            ),
            PrivacyFinding::LastPurge(None) => {
                "vanhentuneita tietoja ei ole vielä poistettu (tiski tekee sen joka päivän ensimmäisellä käynnistyksellä)".into()
            }
            PrivacyFinding::LastPurge(Some(d)) => {
                format!("vanhentuneet tiedot poistettiin viimeksi {}", date(*d, Lang::Fi))
            }
            PrivacyFinding::Overdue { due, .. } if due.is_empty() => {
                "tietokannassa ei ole säilytysajan ylittäneitä tietoja".into()
            }
            PrivacyFinding::Overdue { due, oldest_note } => {
                let oldest = oldest_note
                    .map(|d| format!(" (vanhin huomio {})", date(d, Lang::Fi)))
                    .unwrap_or_default();
                format!(
                    "tietokannassa on säilytysajan ylittäneitä tietoja: {}{oldest}; {fix}",
                    due_words(due)
                )
            }
            PrivacyFinding::ScrubPending => format!(
                "poistettujen tietojen vanhoja kopioita voi olla vielä tiedostossa, koska toinen tiski oli auki; sulje muut tiskit, {fix}"
            ),
            PrivacyFinding::Backup { path, due } => format!(
                "varmuuskopiossa on säilytysajan ylittäneitä tietoja ({}): {}; {fix}",
                due_words(due),
                path.display()
            ),
            PrivacyFinding::UnreadableBackup { path, reason } => format!(
                "varmuuskopiota ei voi lukea, joten sen sisältöä ei voi tarkistaa ({reason}): {}; tarkista se tai poista se",
                path.display(),
                reason = crate::i18n::fi::cause(reason)
            ),
            PrivacyFinding::TempCopies(p) if p.is_empty() => {
                "keskeytyneiden komentojen väliaikaisia kopioita ei ole".into()
            }
            PrivacyFinding::TempCopies(p) => format!(
                "keskeytyneiden komentojen väliaikaisia kopioita on jäljellä: {}; {fix} (tai mikä tahansa tiskin komento)",
                paths(p)
            ),
        }
    }
    fn privacy_error(&self, e: &PrivacyError) -> String {
        match e {
            PrivacyError::NoteIdentity { found } => format!(
                "huomiossa on {}, joten käyntiä ei tallennettu. Huomioon ei kirjoiteta henkilötunnuksia, puhelinnumeroita eikä sähköpostiosoitteita. Poista komento myös komentohistoriasta.",
                self.found_list(found)
            ),
            PrivacyError::NoteTooLong { chars, max } => format!(
                "huomiossa on {chars} merkkiä, mutta enintään {max} tallennetaan, joten käyntiä ei tallennettu. Lyhennä huomiota."
            ),
            PrivacyError::NoteControl { position } => format!(
                "huomiossa on ohjausmerkki (merkki {position}), esimerkiksi rivinvaihto, joten käyntiä ei tallennettu. Kirjoita huomio yhdelle riville."
            ),
            PrivacyError::ImportIdentity(r) if r.line.is_some() => format!(
                "{}, rivi {}: käynnin huomiossa on {}, joten tiedostosta ei tuotu mitään. Poista tieto tiedostosta ja tuo se uudelleen.",
                r.path.display(),
                r.line.unwrap_or_default(),
                self.found_list(&r.found)
            ),
            PrivacyError::ImportIdentity(r) => format!(
                "{}: käynnin {} ({}) huomiossa on {}, joten tietokannasta ei tuotu mitään. Korjaa huomio siellä ja tuo se uudelleen.",
                r.path.display(),
                r.at,
                r.uid,
                self.found_list(&r.found)
            ),
            PrivacyError::PurgeReachesSeason {
                before,
                season,
                season_end,
            } => format!(
                "päivä {} ulottuu nykyiseen kauteen {season}, joka päättyy {}: sen syntymävuodet ja tarkisteet poistuisivat, eikä kaksoiskappaleiden tarkistus enää toimisi. Mitään ei poistettu. Valitse aikaisempi päivä, tai lisää --force, jos tämä on tarkoitus.",
                date(*before, Lang::Fi),
                date(*season_end, Lang::Fi)
            ),
            PrivacyError::ScrubIncomplete => {
                "vanhentuneet tiedot poistettiin, mutta niiden vanhoja kopioita voi olla vielä tiedostossa, koska toinen tiski on auki. Sulje muut tiskit ja aja tiski purge --due uudelleen.".into()
            }
        }
    }
    fn retention_problem(&self, p: &RetentionProblem) -> String {
        match p {
            RetentionProblem::TooLong {
                setting,
                value,
                max,
            } => format!(
                "retention.{setting} = {value} on pidempi kuin {max} päivää (10 vuotta); säilytysajan on oltava rajattu"
            ),
        }
    }

    fn notice_written(&self, path: &str) -> String {
        format!(
            "Tietosuojaselosteen luonnos kirjoitettiin tiedostoon {path}. Tarkista ja täydennä se ennen julkaisemista."
        )
    }

    fn privacy_notice(&self, f: &NoticeFacts<'_>) -> (String, Vec<NoticeSection>) {
        let s = |title: &str, paragraphs: Vec<String>, items: Vec<String>| NoticeSection {
            title: title.into(),
            paragraphs,
            items,
        };
        let or_fill = |v: &str, fill: &str| {
            if v.trim().is_empty() {
                format!("[{fill}]")
            } else {
                v.trim().to_string()
            }
        };
        let vouchers = f.profiles.iter().any(|p| p.vouchers);
        let desks: Vec<String> = f
            .profiles
            .iter()
            .map(|p| format!("{} ({})", p.name, p.locations.join(", ")))
            .collect();
        let r = f.retention;
        let notes_kept = if r.notes_days == 0 {
            "Huomio tyhjennetään käyntipäivän jälkeen.".to_string()
        } else {
            format!(
                "Huomio tyhjennetään, kun käynnistä on kulunut {} päivää.",
                r.notes_days
            )
        };

        let mut contents = vec![
            "Käynnin päivä ja kellonaika, paikka, päivystys (alkamis- ja päättymisaika) ja laitteen satunnainen tunniste.".to_string(),
        ];
        for p in &f.profiles {
            let mut parts = vec![format!("aiheet: {}", p.topics.join(" · "))];
            if !p.referrals.is_empty() {
                parts.push(format!("ohjaus: {}", p.referrals.join(" · ")));
            }
            for (label, options) in &p.fields {
                parts.push(format!("{label}: {}", options.join(" · ")));
            }
            contents.push(format!("{}: {}.", p.name, parts.join("; ")));
        }
        contents.push(
            "Vapaamuotoinen huomio, enintään 500 merkkiä. Ohjelma ei tallenna huomiota, jossa on henkilötunnus, puhelinnumero tai sähköpostiosoite, eikä nimiä saa kirjoittaa.".into(),
        );
        if vouchers {
            contents.push(
                "Maksusitoumukset: numero, tuote, enimmäissumma, myöntöpäivä, voimassaolo, tila, laskutettu summa ja päivä, kauppa sekä mahdollinen peruutuksen syy. Lisäksi vapaaehtoisesti vastaanottajan syntymävuosi ja kaksoiskappaleiden tarkistusta varten avaimella laskettu tarkiste (HMAC-SHA256) nimestä ja syntymäajasta. Nimeä ja syntymäaikaa ei tallenneta, eikä niitä voi selvittää tarkisteesta ilman koneella olevaa avainta.".into(),
            );
        }
        contents.push("Yhteismäärät: päivystyksessä kerralla kirjattujen kävijöiden lukumäärä ja aika, ilman aiheita.".into());
        if f.profiles.iter().any(|p| p.events) {
            contents.push(
                "Tapahtumat ja ryhmät: otsikko, päivä, paikka, laji, yhteistyökumppanit, osallistujamäärät ja ryhmien kokoontumiset sekä palautteen kysymykset ja vastausmäärät. Niihin ei kirjata henkilöitä.".into(),
            );
        }
        contents.push("Muita tietoja henkilöistä ei tallenneta.".into());

        let mut purpose = vec![
            "Tietoja käytetään neuvontapisteiden toiminnan seurantaan ja raportointiin, esimerkiksi hyvinvointikertomukseen: kuinka moni kävi, mistä asioista kysyttiin ja minne asiakkaita ohjattiin.".to_string(),
        ];
        if vouchers {
            purpose.push("Maksusitoumuksista pidetään kirjaa niiden laskutusta ja seurantaa varten. Kaksoiskappaleiden tarkistuksella varmistetaan, ettei sama henkilö saa kahta sitoumusta samalla kaudella.".into());
        }

        let mut retention = vec![notes_kept];
        if vouchers {
            retention.push(format!(
                "Maksusitoumusten syntymävuodet ja tarkisteet poistetaan, kun sitoumuskauden päättymisestä on kulunut {} päivää.",
                r.voucher_identity_days
            ));
        }
        retention.push("Muut käyntitiedot (aiheet, ohjaukset ja valinnat) säilytetään tilastointia varten. [Täydennä niiden säilytysaika arkistonmuodostussuunnitelman mukaan.]".into());
        retention.push(format!(
            "Ohjelma poistaa vanhentuneet tiedot joka päivän ensimmäisellä käynnistyksellä sekä tietokannasta että kaikista varmuuskopioista niin, ettei niistä jää kopioita tiedostoihin. Raporttien lukumäärät säilyvät. Varmuuskopioita säilytetään {} uusinta.",
            f.backups_keep
        ));

        let mut disclosure = vec![
            "Ohjelma ei lähetä tietoja minnekään. Koneelta lähtevät vain käyttäjän itse tekemät raportit ja viennit: raportti, käyntikohtainen CSV-tiedosto ja JSONL-tiedosto toisen pisteen tietojen yhdistämistä varten.".to_string(),
        ];
        disclosure.push(if f.min_count > 1 {
            format!(
                "Raporteissa alle {m} suuruiset määrät näytetään muodossa <{m} (ja jos erittelyssä piilotettaisiin vain yksi, myös seuraavaksi pienin muodossa x, jottei piilotettua voi laskea muista), ja käyntikohtaisesta CSV-tiedostosta piilotetaan valintojen yhdistelmät, joita on alle {m} rivillä.",
                m = f.min_count
            )
        } else {
            "Pienten määrien piilotus ei ole käytössä: raporteissa näytetään kaikki määrät. [Harkitse asetusta privacy.min_count = 5.]".into()
        });
        disclosure.push("JSONL-tiedostossa ovat kaikki tiedot; se on tarkoitettu vain rekisterinpitäjän omien koneiden väliseen siirtoon. Tietoja ei siirretä EU:n tai ETA:n ulkopuolelle.".into());

        let contact = or_fill(f.contact, "yhteyshenkilön nimi tai tehtävä ja yhteystiedot");
        let sections = vec![
            s(
                "Rekisterinpitäjä",
                vec![or_fill(f.controller, "rekisterinpitäjän nimi, osoite ja Y-tunnus")],
                vec![],
            ),
            s(
                "Yhteyshenkilö ja tietosuojavastaava",
                vec![
                    contact.clone(),
                    "Tietosuojavastaava: [nimi ja yhteystiedot].".into(),
                ],
                vec![],
            ),
            s(
                "Rekisterin nimi",
                vec![
                    "Matalan kynnyksen neuvontapisteiden käyntikirjanpito (tiski).".into(),
                    format!("Rekisteriin kirjataan näiden pisteiden käynnit: {}.", desks.join("; ")),
                ],
                vec![],
            ),
            s("Henkilötietojen käsittelyn tarkoitus", purpose, vec![]),
            s(
                "Käsittelyn oikeusperuste",
                vec!["[Täydennä oikeusperuste, esimerkiksi yleisen edun mukaisen tehtävän suorittaminen (tietosuoja-asetuksen 6 artiklan 1 kohdan e alakohta) ja laki, johon tehtävä perustuu. Jos aiheista voi päätellä terveyteen liittyviä tietoja, nimeä myös 9 artiklan mukainen peruste.]".into()],
                vec![],
            ),
            s(
                "Rekisterin tietosisältö",
                vec!["Käynnistä tallennetaan vain seuraavat tiedot. Nimiä, henkilötunnuksia tai yhteystietoja ei tallenneta.".into()],
                contents,
            ),
            s(
                "Säännönmukaiset tietolähteet",
                vec!["Työntekijä kirjaa tiedot käynnin aikana tai heti sen jälkeen asiakkaan kertoman perusteella.".into()],
                vec![],
            ),
            s("Tietojen säilytysaika", retention, vec![]),
            s(
                "Missä tiedot säilytetään",
                vec![format!(
                    "Tiedot ovat vain työntekijän tietokoneella: tietokanta {}, varmuuskopiot kansiossa {}. Tietoja ei tallenneta verkkolevylle, pilvipalveluun eikä palvelimelle.",
                    f.database, f.backups
                )],
                vec![],
            ),
            s(
                "Kuka tietoja voi käsitellä ja miten ne suojataan",
                vec![
                    "Tiedostot ovat vain sen käyttäjätilin luettavissa, jolla ohjelmaa käytetään: tiedosto-oikeudet sallivat lukemisen vain tilin omistajalle (tiedostot 0600, kansiot 0700).".into(),
                    "Huomioon ei voi tallentaa henkilötunnusta, puhelinnumeroa eikä sähköpostiosoitetta, ja poistetut tiedot kirjoitetaan tiedostoissa yli.".into(),
                    "[Täydennä: kuka tiliä käyttää ja miten kone suojataan, esimerkiksi levyn salaus, näytön lukitus ja ylläpito.]".into(),
                ],
                vec![],
            ),
            s("Tietojen luovutukset ja siirrot", disclosure, vec![]),
            s(
                "Rekisteröidyn oikeudet",
                vec![
                    "Rekisterissä ei ole nimiä, henkilötunnuksia eikä yhteystietoja, joten rekisterinpitäjä ei pysty tunnistamaan, mitkä käynnit koskevat tiettyä henkilöä (tietosuoja-asetuksen 11 artikla). Tarkastus-, oikaisu- ja poistopyyntöihin vastataan siksi, ettei rekisterissä ole henkilöä yksilöiviä tietoja. Jos henkilö antaa lisätietoja, joiden avulla hänen tietonsa voidaan tunnistaa, pyyntö käsitellään niiden perusteella.".into(),
                    "Automaattista päätöksentekoa tai profilointia ei tehdä.".into(),
                    format!("Pyynnöt: {contact}."),
                ],
                vec![],
            ),
            s(
                "Oikeus tehdä valitus valvontaviranomaiselle",
                vec!["Jokaisella on oikeus tehdä valitus valvontaviranomaiselle, jos hän katsoo, että hänen henkilötietojensa käsittelyssä rikotaan tietosuoja-asetusta. Suomessa valvontaviranomainen on tietosuojavaltuutetun toimisto (tietosuoja.fi).".into()],
                vec![],
            ),
        ];
        let title = format!(
            "Tietosuojaseloste (luonnos): neuvontapisteiden käyntikirjanpito\n\nEU:n yleinen tietosuoja-asetus (2016/679), 13 ja 30 artikla. Luonnos on tehty ohjelman asetuksista {}. Tarkista se ja täydennä hakasulkeissa [ ] olevat kohdat ennen julkaisemista.",
            f.made_on
        );
        (title, sections)
    }
}

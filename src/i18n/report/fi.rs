//! Finnish report, export and import texts.

use super::{ReportTexts, Word, month_index, span, ucfirst};
use crate::i18n::fi::Fi;
use crate::locale::{Lang, decimal, number};
use crate::report::error::{Expected, LineProblem, Meaning, ReportError};
use crate::report::period::{Period, PeriodKind, PeriodReport, Remote};
use crate::store::{Conflict, MergeSummary, Side};

impl ReportTexts for Fi {
    fn rota_scheduled_since(&self, since: &str) -> String {
        format!("Vuorolistan päivystyksiä ({since} alkaen)")
    }
    fn word(&self, w: Word) -> &'static str {
        match w {
            Word::Report => "Raportti",
            Word::AllProfiles => "kaikki profiilit",
            Word::KeyFigures => "Tunnusluvut",
            Word::Sessions => "Päivystyksiä",
            Word::Visitors => "Kävijöitä",
            Word::Mean => "Keskiarvo / päivystys",
            Word::Median => "Mediaani / päivystys",
            Word::MinMax => "Pienin–suurin päivystys",
            Word::EmptySessions => "Päivystyksiä ilman kävijöitä",
            Word::Count => "kpl",
            Word::Share => "osuus",
            Word::Topics => "Aiheet",
            Word::Referrals => "Ohjattu",
            Word::Weekdays => "Viikonpäivittäin",
            Word::Hours => "Tunneittain",
            Word::OtherFields => "Muut tiedot",
            Word::PerSession => "Kävijät päivystyksittäin",
            Word::Location => "Paikka",
            Word::Device => "Laite",
            Word::Section => "osio",
            Word::Key => "avain",
            Word::Name => "nimi",
            Word::Date => "Päivämäärä",
            Word::Time => "Aika",
            Word::Weekday => "Viikonpäivä",
            Word::Profile => "Profiili",
            Word::Session => "Päivystys",
            Word::Note => "Huomio",
            Word::Id => "Tunniste",
            Word::SmallCountsHidden => "pienet määrät piilotettu tunnistamisen estämiseksi",
            Word::WithheldNote => "x: piilotettu, jottei pientä määrää voi laskea muista",
            Word::MeanShort => "ka",
            Word::MedianShort => "mediaani",
            Word::Range => "vaihteluväli",
            Word::Locations => "Paikoittain",
            Word::Vouchers => "Maksusitoumukset (liukuesteet)",
            Word::RotaScheduled => "Vuorolistan päivystyksiä",
            Word::RotaHeld => "– pidettyjä",
            Word::RotaCancelled => "– peruttuja",
            Word::RotaNotRecorded => "– kirjaamatta",
            Word::RotaOutside => "Vuorolistan ulkopuolisia päivystyksiä",
            Word::Unrecorded => "ei tietoa",
        }
    }
    fn period_phrase(&self, p: &Period) -> String {
        use chrono::Datelike;
        match p.kind {
            PeriodKind::Year => format!("Vuoden {} aikana", p.from.year()),
            PeriodKind::Season => format!("Liukuestekaudella {}–{}", p.from.year(), p.to.year()),
            PeriodKind::Month => {
                ucfirst(&format!("{} {}", MONTHS_FI[month_index(p)], p.from.year()))
            }
            PeriodKind::Week => format!(
                "Viikolla {}/{}",
                p.from.iso_week().week(),
                p.from.iso_week().year()
            ),
            // "1.1.–2.12.2026": the year once when both ends share it.
            PeriodKind::Custom if p.from.year() == p.to.year() => format!(
                "{}.{}.–{}",
                p.from.day(),
                p.from.month(),
                crate::locale::date(p.to, Lang::Fi)
            ),
            PeriodKind::Custom => span(p, Lang::Fi),
        }
    }
    fn period_name(&self, p: &Period) -> String {
        use chrono::Datelike;
        match p.kind {
            PeriodKind::Year => format!("vuosi {}", p.from.year()),
            PeriodKind::Season => format!("kausi {}–{}", p.from.year(), p.to.year()),
            PeriodKind::Month => format!("{} {}", MONTH_NAMES_FI[month_index(p)], p.from.year()),
            PeriodKind::Week => format!(
                "vko {}/{}",
                p.from.iso_week().week(),
                p.from.iso_week().year()
            ),
            PeriodKind::Custom => "aikaväli".into(),
        }
    }
    fn report_opening(&self, r: &PeriodReport, remote: &[(Remote, String)]) -> String {
        let when = self.period_phrase(&r.period);
        // ", joista 5 puhelimitse ja 2 sähköpostitse"
        let how: Vec<String> = remote
            .iter()
            .map(|(r, n)| match r {
                Remote::Phone => format!("{n} puhelimitse"),
                Remote::Email => format!("{n} sähköpostitse"),
            })
            .collect();
        let remote = match how.as_slice() {
            [] => String::new(),
            [one] => format!(", joista {one}"),
            [rest @ .., last] => format!(", joista {} ja {last}", rest.join(", ")),
        };
        let (Some(min), Some(max), Some(mean), Some(median)) = (r.min, r.max, r.mean, r.median)
        else {
            return format!("{when} ei pidetty yhtään päivystystä.");
        };
        let mean = decimal(mean, Lang::Fi);
        // One session: no spread, mean or median to speak of.
        if r.sessions == 1 {
            return match r.visitors {
                0 => format!("{when} pidettiin yksi päivystys, eikä siinä käynyt kävijöitä."),
                1 => format!("{when} pidettiin yksi päivystys, ja pisteeltä haki apua 1 kävijä."),
                n => format!(
                    "{when} pidettiin yksi päivystys, ja pisteeltä haki apua {n} kävijää{remote}."
                ),
            };
        }
        let first = match r.visitors {
            0 => format!("{when} pisteellä ei käynyt kävijöitä."),
            1 => format!("{when} pisteeltä haki apua 1 kävijä."),
            n if min == max => format!(
                "{when} pisteeltä haki apua {n} kävijää{remote}; jokaisessa päivystyksessä kävi {min} (ka {mean})."
            ),
            n => format!(
                "{when} pisteeltä haki apua {n} kävijää{remote}; kävijämäärät vaihtelivat {min}–{max} (ka {mean}) päivystystä kohden."
            ),
        };
        let sessions = format!("Päivystyksiä oli {}", r.sessions);
        let empty = match r.empty_sessions {
            0 => String::new(),
            1 => ", joista 1 ilman kävijöitä".into(),
            n => format!(", joista {n} ilman kävijöitä"),
        };
        let who = if median == 1.0 {
            "kävijä"
        } else {
            "kävijää"
        };
        format!(
            "{first} {sessions}{empty}; mediaani oli {} {who} päivystystä kohden.",
            number(median, Lang::Fi)
        )
    }
    fn fewer_than(&self, min: u32) -> String {
        format!("alle {min}")
    }
    fn left_out_note(&self, titles: &[&str], min: u32) -> String {
        let own = "Kaikki määrät omaan käyttöön (ei julkaistavaksi): --min-count 1.";
        if titles.is_empty() {
            return format!(
                "Erittelyt jätetty pois, koska kaikki niiden määrät ovat alle {min} ja piilotettu. {own}"
            );
        }
        format!(
            "Jätetty pois, koska kaikki niiden määrät ovat alle {min} ja piilotettu: {}. {own}",
            titles.join(", ")
        )
    }
    fn report_topics(&self, list: &str) -> String {
        format!("Yleisimmät aiheet: {list}.")
    }
    fn report_referrals(&self, referred: &str, list: &str) -> String {
        let who = if referred == "1" {
            "kävijä"
        } else {
            "kävijää"
        };
        format!("Eteenpäin ohjattiin {referred} {who}, useimmin: {list}.")
    }
    fn report_vouchers(&self, written: &str, list: &str) -> String {
        if written == "1" {
            format!("Myönnettiin 1 maksusitoumus ({list}).")
        } else {
            format!("Maksusitoumuksia myönnettiin {written} ({list}).")
        }
    }
    fn more_rows(&self, n: usize) -> String {
        format!("+{n} muuta…")
    }
    fn rows_above(&self, n: usize) -> String {
        format!("↑ {n} yllä")
    }
    fn report_empty(&self) -> &'static str {
        "Tällä aikavälillä ei ole päivystyksiä."
    }
    fn report_custom_prompt(&self, year: i32) -> String {
        format!("Aikaväli, esim. 1.1.{year}–30.6.{year}: ")
    }
    fn report_custom_keys(&self) -> &'static str {
        "Enter hyväksy · Esc peru"
    }
    fn report_custom_bad(&self) -> &'static str {
        "Ei kelpaa. Esim. 1.1.2023–30.6.2023, 11/2023, vko 49/2023, 2023–24 tai 2023."
    }
    fn exported(&self, rows: usize, path: &str) -> String {
        format!("Vietiin {rows} riviä tiedostoon {path}")
    }
    fn report_written(&self, path: &str) -> String {
        format!("Raportti kirjoitettu tiedostoon {path}")
    }
    fn charts_written(&self, dir: &str, names: &[String]) -> String {
        if names.is_empty() {
            return format!("Ei kaavioita kansioon {dir}: jaksolla ei ole näytettäviä määriä");
        }
        format!("Kaaviot kirjoitettu kansioon {dir}: {}", names.join(", "))
    }
    fn import_summary(&self, s: &MergeSummary) -> String {
        format!(
            "Tuotu: {} uutta päivystystä, {} uutta käyntiä, {} päivitettyä, {} poistettua; {} jo ajan tasalla; {} ristiriitaa.",
            s.sessions_added,
            s.visits_added,
            s.visits_updated,
            s.visits_deleted,
            s.unchanged,
            s.conflicts.len()
        )
    }
    fn conflict(&self, c: &Conflict, at: &str) -> String {
        let kept = match c.kept {
            Side::Local => "säilytettiin tämän tietokannan uudempi",
            Side::Incoming => "säilytettiin tuodun tiedoston uudempi",
        };
        let what = if c.deletion {
            "poistettu toisella puolella, muokattu toisella"
        } else {
            "muokattu molemmilla puolilla"
        };
        format!("Ristiriita: käynti {at} ({}) {what}; {kept} versio.", c.uid)
    }
    fn report_error(&self, e: &ReportError) -> String {
        match e {
            ReportError::DatesOutOfOrder { from, to } => format!(
                "alkupäivä {} (--from) on loppupäivän {} (--to) jälkeen",
                crate::locale::date(*from, Lang::Fi),
                crate::locale::date(*to, Lang::Fi)
            ),
            ReportError::BadMonth { value } => format!(
                "kuukausi \"{value}\" ei kelpaa (--month): käytä muotoa KK/VVVV tai VVVV-KK, esim. 11/2026 tai 2026-11"
            ),
            ReportError::BadWeek { value } => format!(
                "viikko \"{value}\" ei kelpaa (--week): käytä muotoa VK/VVVV tai VVVV-Wvk, esim. 49/2026 tai 2026-W49 (viikot 1–52, joinakin vuosina 53)"
            ),
            ReportError::BadSeason { value } => format!(
                "kausi \"{value}\" ei kelpaa: käytä muotoa VVVV-VVVV, esim. 2023-2024 (1.11.2023–29.2.2024)"
            ),
            ReportError::UnknownFormat { value, valid } => {
                format!("tuntematon muoto \"{value}\". Vaihtoehdot: {valid}")
            }
            ReportError::NeedsFile { format } => {
                format!("{format} kirjoitetaan tiedostoon: anna --out TIEDOSTO")
            }
            ReportError::NotAFolder { path } => {
                format!("{path} ei ole kansio: --charts tarvitsee kansion")
            }
            ReportError::Document { what, reason } => {
                format!("tiedostoa {what} ei voitu tehdä: {reason}")
            }
            ReportError::UnknownPlace { name, valid } => {
                format!(
                    "paikkaa \"{name}\" ei ole asetuksissa eikä tietokannassa. Vaihtoehdot: {valid}"
                )
            }
            ReportError::UnknownDevice { id, valid } => {
                format!("laitetta \"{id}\" ei ole tietokannassa. Vaihtoehdot: {valid}")
            }
            ReportError::NotTiski { path } => {
                format!("{path} on SQLite-tiedosto mutta ei tiskin tietokanta. Mitään ei tuotu.")
            }
            ReportError::Read { path, reason } => {
                format!(
                    "tiedostoa {path} ei voi lukea: {reason}. Mitään ei tuotu.",
                    reason = crate::i18n::fi::cause(reason)
                )
            }
            ReportError::Line {
                path,
                line,
                problem,
            } => format!(
                "{path}, rivi {line}: {}. Tiedostosta ei tuotu mitään.",
                line_problem(problem)
            ),
            ReportError::Record { path, uid, problem } => format!(
                "{path}, tietue {uid}: {}. Tiedostosta ei tuotu mitään.",
                line_problem(problem)
            ),
        }
    }
}

fn expected_text(e: Expected) -> String {
    match e {
        Expected::Header => "ensin tiskin viennin otsakerivi ({\"type\": \"tiski-export\", …}); onko tämä tiskin jsonl-vienti?".into(),
        Expected::KnownVersion => "1; uudemman tiskin vienti vaatii tiskin päivityksen".into(),
        Expected::Date => "päivämäärää muodossa VVVV-KK-PP".into(),
        Expected::DateTime => "aikaa muodossa VVVV-KK-PP TT:MM:SS".into(),
        Expected::Instant => "RFC 3339 -aikaleimaa, esim. 2023-11-14T08:05:00Z".into(),
        Expected::Topics => "ei-tyhjää listaa aiheiden avaimia".into(),
        Expected::Tally => {
            "palautetta: {\"type\": \"yes_no\", \"yes\": N, \"no\": N} tai scale, mean, slips"
                .into()
        }
        Expected::TimeOfDay => "kellonaikaa HH:MM".into(),
        Expected::Bool => "true tai false".into(),
        Expected::Fields => "oliota kentän avain → vaihtoehdon avain".into(),
        Expected::ShortNote(max) => format!("enintään {max} merkkiä"),
        Expected::Text => "tekstiä".into(),
        Expected::NonEmptyText => "ei-tyhjää tekstiä".into(),
        Expected::WholeNumber => "kokonaislukua".into(),
    }
}

fn line_problem(p: &LineProblem) -> String {
    match p {
        LineProblem::NotJson(e) => format!("rivi ei ole JSON-olio ({e})"),
        LineProblem::UnknownType(t) => format!(
            "tuntematon tietuetyyppi \"{t}\" (kentässä \"type\"; sallitut: session, visit, cancelled, deleted)"
        ),
        LineProblem::Missing { field } => format!("kenttä \"{field}\" puuttuu"),
        LineProblem::Bad {
            field,
            value,
            expected,
        } => format!(
            "kentän \"{field}\" arvo {value} ei kelpaa (odotettiin {})",
            expected_text(*expected)
        ),
        LineProblem::Meaning { field, what } => {
            format!("kentän \"{field}\" arvo ei käy: {}", meaning(what))
        }
        LineProblem::UnknownSession { uid } => format!(
            "kentän \"session_uid\" päivystystä \"{uid}\" ei ole tiedostossa ennen tätä riviä eikä tietokannassa"
        ),
        LineProblem::UnknownParent { uid } => format!(
            "tietueen \"{uid}\" ryhmää, tapahtumaa tai päivystystä ei ole tiedostossa ennen tätä riviä eikä tietokannassa"
        ),
    }
}

fn meaning(m: &Meaning) -> String {
    match m {
        Meaning::UnknownProfile { id, valid } => {
            format!("profiilia \"{id}\" ei ole näissä asetuksissa (on: {valid})")
        }
        Meaning::OffDay(d) => format!(
            "aika ei ole päivystyksen päivänä {}",
            crate::locale::date(*d, Lang::Fi)
        ),
        Meaning::TooEarly => "päivämäärä on ennen vuotta 2000".into(),
        Meaning::InTheFuture => "aika on yli päivän tulevaisuudessa".into(),
        Meaning::ControlCharacter => "siinä on ohjausmerkki".into(),
        Meaning::TooLong(n) => format!("se on yli {n} merkkiä pitkä"),
        Meaning::RepeatedUid(uid) => format!("tunniste {uid} on tiedostossa jo aiemmin"),
        Meaning::UnknownKey(u) => format!(
            "profiililla {} ei ole avainta {} (on: {})",
            u.profile, u.key, u.valid
        ),
        Meaning::TooMany(max) => format!("määrän on oltava 1–{max}"),
    }
}

const MONTHS_FI: [&str; 12] = [
    "tammikuussa",
    "helmikuussa",
    "maaliskuussa",
    "huhtikuussa",
    "toukokuussa",
    "kesäkuussa",
    "heinäkuussa",
    "elokuussa",
    "syyskuussa",
    "lokakuussa",
    "marraskuussa",
    "joulukuussa",
];
const MONTH_NAMES_FI: [&str; 12] = [
    "tammikuu",
    "helmikuu",
    "maaliskuu",
    "huhtikuu",
    "toukokuu",
    "kesäkuu",
    "heinäkuu",
    "elokuu",
    "syyskuu",
    "lokakuu",
    "marraskuu",
    "joulukuu",
];

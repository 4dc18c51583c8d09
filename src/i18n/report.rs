//! Texts of reports, exports and imports, Finnish and English side by
//! side: the welfare report's ready sentences, headings and messages.
//! `Texts` requires `ReportTexts`, so both languages stay complete.

use super::{en::En, fi::Fi};
use crate::locale::{Lang, decimal};
use crate::report::error::{Expected, LineProblem, ReportError};
use crate::report::period::{Period, PeriodKind, PeriodReport};
use crate::store::{Conflict, MergeSummary, Side};

/// Fixed words of report pages, tables and export headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    Report,
    AllProfiles,
    KeyFigures,
    Sessions,
    Visitors,
    Mean,
    Median,
    MinMax,
    EmptySessions,
    Count,
    Share,
    Topics,
    Referrals,
    Weekdays,
    Hours,
    PerSession,
    Location,
    Device,
    Section,
    Key,
    Name,
    Date,
    Time,
    Weekday,
    Profile,
    Session,
    Note,
    Id,
    SmallCountsHidden,
    MeanShort,
    MedianShort,
    Range,
    Locations,
    Vouchers,
}

pub trait ReportTexts {
    fn word(&self, w: Word) -> &'static str;
    /// "Vuoden 2023 aikana": how the opening sentence names the period.
    fn period_phrase(&self, p: &Period) -> String;
    /// "vuosi 2023": the period in headings.
    fn period_name(&self, p: &Period) -> String;
    /// The ready sentences on visitors and sessions.
    fn report_opening(&self, r: &PeriodReport) -> String;
    /// "Yleisimmät aiheet: Digituki 23, …" from an already joined list.
    fn report_topics(&self, list: &str) -> String;
    fn report_referrals(&self, referred: &str, list: &str) -> String;
    /// "Maksusitoumuksia kirjoitettiin 44: …"
    fn report_vouchers(&self, written: &str, list: &str) -> String;
    /// Shown in the TUI when a period has no sessions.
    fn report_empty(&self) -> &'static str;
    fn report_footer(&self) -> &'static str;
    fn report_custom_prompt(&self) -> &'static str;
    fn report_custom_bad(&self) -> &'static str;
    fn period_choices(&self) -> &'static str;
    fn exported(&self, rows: usize, path: &str) -> String;
    fn import_summary(&self, s: &MergeSummary) -> String;
    fn conflict(&self, c: &Conflict, at: &str) -> String;
    fn report_error(&self, e: &ReportError) -> String;
}

/// `5` or `5,5`: whole numbers without a decimal.
pub fn number(x: f64, lang: Lang) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        decimal(x, lang)
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
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn ucfirst(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn month_index(p: &Period) -> usize {
    use chrono::Datelike;
    p.from.month0() as usize
}

fn span(p: &Period, lang: Lang) -> String {
    format!(
        "{}–{}",
        crate::locale::date(p.from, lang),
        crate::locale::date(p.to, lang)
    )
}

fn expected_fi(e: Expected) -> String {
    match e {
        Expected::KnownVersion => "1; uudemman tiskin vienti vaatii tiskin päivityksen".into(),
        Expected::Date => "päivämäärää muodossa VVVV-KK-PP".into(),
        Expected::DateTime => "aikaa muodossa VVVV-KK-PP TT:MM:SS".into(),
        Expected::Instant => "RFC 3339 -aikaleimaa, esim. 2023-11-14T08:05:00Z".into(),
        Expected::Topics => "ei-tyhjää listaa aiheiden avaimia".into(),
        Expected::Fields => "oliota kentän avain → vaihtoehdon avain".into(),
        Expected::ShortNote(max) => format!("enintään {max} merkkiä"),
        Expected::Text => "tekstiä".into(),
        Expected::NonEmptyText => "ei-tyhjää tekstiä".into(),
        Expected::WholeNumber => "kokonaislukua".into(),
    }
}

fn expected_en(e: Expected) -> String {
    match e {
        Expected::KnownVersion => "1; a newer tiski's export needs tiski updated".into(),
        Expected::Date => "a date as YYYY-MM-DD".into(),
        Expected::DateTime => "a time as YYYY-MM-DD HH:MM:SS".into(),
        Expected::Instant => "an RFC 3339 time such as 2023-11-14T08:05:00Z".into(),
        Expected::Topics => "a non-empty list of topic keys".into(),
        Expected::Fields => "an object of field key → option key".into(),
        Expected::ShortNote(max) => format!("at most {max} characters"),
        Expected::Text => "text".into(),
        Expected::NonEmptyText => "non-empty text".into(),
        Expected::WholeNumber => "a whole number".into(),
    }
}

fn line_problem_fi(p: &LineProblem) -> String {
    match p {
        LineProblem::NotJson(e) => format!("rivi ei ole JSON-olio ({e})"),
        LineProblem::UnknownType(t) => format!(
            "tuntematon tietuetyyppi \"{t}\" (kentässä \"type\"; sallitut: session, visit, deleted)"
        ),
        LineProblem::Missing { field } => format!("kenttä \"{field}\" puuttuu"),
        LineProblem::Bad {
            field,
            value,
            expected,
        } => format!(
            "kentän \"{field}\" arvo {value} ei kelpaa (odotettiin {})",
            expected_fi(*expected)
        ),
        LineProblem::UnknownSession { uid } => format!(
            "kentän \"session_uid\" päivystystä \"{uid}\" ei ole tiedostossa ennen tätä riviä eikä tietokannassa"
        ),
    }
}

fn line_problem_en(p: &LineProblem) -> String {
    match p {
        LineProblem::NotJson(e) => format!("the line is not a JSON object ({e})"),
        LineProblem::UnknownType(t) => format!(
            "unknown record type \"{t}\" (field \"type\"; allowed: session, visit, deleted)"
        ),
        LineProblem::Missing { field } => format!("field \"{field}\" is missing"),
        LineProblem::Bad {
            field,
            value,
            expected,
        } => format!(
            "field \"{field}\" has the bad value {value} (expected {})",
            expected_en(*expected)
        ),
        LineProblem::UnknownSession { uid } => format!(
            "the session \"{uid}\" in field \"session_uid\" is neither earlier in the file nor in the database"
        ),
    }
}

impl ReportTexts for Fi {
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
            Word::MeanShort => "ka",
            Word::MedianShort => "mediaani",
            Word::Range => "vaihteluväli",
            Word::Locations => "Paikoittain",
            Word::Vouchers => "Maksusitoumukset (liukuesteet)",
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
            PeriodKind::Custom => format!("Ajalla {}", span(p, Lang::Fi)),
        }
    }
    fn period_name(&self, p: &Period) -> String {
        use chrono::Datelike;
        match p.kind {
            PeriodKind::Year => format!("vuosi {}", p.from.year()),
            PeriodKind::Season => format!("kausi {}–{}", p.from.year(), p.to.year()),
            PeriodKind::Month => format!("{} {}", MONTH_NAMES_FI[month_index(p)], p.from.year()),
            PeriodKind::Week => format!(
                "viikko {}/{}",
                p.from.iso_week().week(),
                p.from.iso_week().year()
            ),
            PeriodKind::Custom => "aikaväli".into(),
        }
    }
    fn report_opening(&self, r: &PeriodReport) -> String {
        let when = self.period_phrase(&r.period);
        let (Some(min), Some(max), Some(mean), Some(median)) = (r.min, r.max, r.mean, r.median)
        else {
            return format!("{when} ei pidetty yhtään päivystystä.");
        };
        let mean = decimal(mean, Lang::Fi);
        let first = match r.visitors {
            0 => format!("{when} pisteellä ei käynyt kävijöitä."),
            1 => format!("{when} 1 kävijä haki pisteeltä apua."),
            n if min == max => format!(
                "{when} {n} kävijää haki pisteeltä apua; jokaisessa päivystyksessä kävi {min} (ka {mean})."
            ),
            n => format!(
                "{when} {n} kävijää haki pisteeltä apua; kävijämäärät vaihtelivat {min}–{max} (ka {mean}) päivystystä kohden."
            ),
        };
        let sessions = match r.sessions {
            1 => "Päivystyksiä oli 1".to_string(),
            n => format!("Päivystyksiä oli {n}"),
        };
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
            format!("Maksusitoumus kirjoitettiin 1 ({list}).")
        } else {
            format!("Maksusitoumuksia kirjoitettiin {written} ({list}).")
        }
    }
    fn report_empty(&self) -> &'static str {
        "Tällä aikavälillä ei ole päivystyksiä."
    }
    fn report_footer(&self) -> &'static str {
        "←→ edellinen/seuraava · Esc takaisin · q lopeta"
    }
    fn report_custom_prompt(&self) -> &'static str {
        "Aikaväli, esim. 1.1.2023–30.6.2023 (Enter/Esc): "
    }
    fn report_custom_bad(&self) -> &'static str {
        "Aikaväli ei kelpaa: kirjoita esim. 1.1.2023–30.6.2023 (alku ennen loppua)."
    }
    fn period_choices(&self) -> &'static str {
        "w viikko · m kuukausi · s kausi · y vuosi · c oma väli"
    }
    fn exported(&self, rows: usize, path: &str) -> String {
        format!("Vietiin {rows} riviä tiedostoon {path}")
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
            ReportError::DatesOutOfOrder { from, to } => {
                format!("alkupäivä {from} (--from) on loppupäivän {to} (--to) jälkeen")
            }
            ReportError::BadSeason { value } => format!(
                "kausi \"{value}\" ei kelpaa: käytä muotoa VVVV-VVVV, esim. 2023-2024 (1.11.2023–29.2.2024)"
            ),
            ReportError::UnknownFormat { value, valid } => {
                format!("tuntematon muoto \"{value}\". Vaihtoehdot: {valid}")
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
                format!("tiedostoa {path} ei voi lukea: {reason}. Mitään ei tuotu.")
            }
            ReportError::Line {
                path,
                line,
                problem,
            } => format!(
                "{path}, rivi {line}: {}. Tiedostosta ei tuotu mitään.",
                line_problem_fi(problem)
            ),
        }
    }
}

impl ReportTexts for En {
    fn word(&self, w: Word) -> &'static str {
        match w {
            Word::Report => "Report",
            Word::AllProfiles => "all profiles",
            Word::KeyFigures => "Key figures",
            Word::Sessions => "Sessions",
            Word::Visitors => "Visitors",
            Word::Mean => "Mean / session",
            Word::Median => "Median / session",
            Word::MinMax => "Smallest–largest session",
            Word::EmptySessions => "Sessions without visitors",
            Word::Count => "n",
            Word::Share => "share",
            Word::Topics => "Topics",
            Word::Referrals => "Referred",
            Word::Weekdays => "By weekday",
            Word::Hours => "By hour",
            Word::PerSession => "Visitors per session",
            Word::Location => "Place",
            Word::Device => "Device",
            Word::Section => "section",
            Word::Key => "key",
            Word::Name => "name",
            Word::Date => "Date",
            Word::Time => "Time",
            Word::Weekday => "Weekday",
            Word::Profile => "Profile",
            Word::Session => "Session",
            Word::Note => "Note",
            Word::Id => "Id",
            Word::SmallCountsHidden => "small counts hidden so no one can be identified",
            Word::MeanShort => "mean",
            Word::MedianShort => "median",
            Word::Range => "range",
            Word::Locations => "By place",
            Word::Vouchers => "Anti-slip vouchers",
        }
    }
    fn period_phrase(&self, p: &Period) -> String {
        use chrono::Datelike;
        match p.kind {
            PeriodKind::Year => format!("During {}", p.from.year()),
            PeriodKind::Season => {
                format!("In the {}–{} anti-slip season", p.from.year(), p.to.year())
            }
            PeriodKind::Month => format!("In {} {}", MONTHS_EN[month_index(p)], p.from.year()),
            PeriodKind::Week => format!(
                "In week {} of {}",
                p.from.iso_week().week(),
                p.from.iso_week().year()
            ),
            PeriodKind::Custom => format!(
                "From {} to {}",
                crate::locale::date(p.from, Lang::En),
                crate::locale::date(p.to, Lang::En)
            ),
        }
    }
    fn period_name(&self, p: &Period) -> String {
        use chrono::Datelike;
        match p.kind {
            PeriodKind::Year => format!("year {}", p.from.year()),
            PeriodKind::Season => format!("season {}–{}", p.from.year(), p.to.year()),
            PeriodKind::Month => format!("{} {}", MONTHS_EN[month_index(p)], p.from.year()),
            PeriodKind::Week => format!(
                "week {}/{}",
                p.from.iso_week().week(),
                p.from.iso_week().year()
            ),
            PeriodKind::Custom => "custom period".into(),
        }
    }
    fn report_opening(&self, r: &PeriodReport) -> String {
        let when = self.period_phrase(&r.period);
        let (Some(min), Some(max), Some(mean), Some(median)) = (r.min, r.max, r.mean, r.median)
        else {
            return format!("{when}, no duty sessions were held.");
        };
        let mean = decimal(mean, Lang::En);
        let first = match r.visitors {
            0 => format!("{when}, no visitors came to the desk."),
            1 => format!("{when}, 1 visitor sought help at the desk."),
            n if min == max => format!(
                "{when}, {n} visitors sought help at the desk; every session had {min} (mean {mean})."
            ),
            n => format!(
                "{when}, {n} visitors sought help at the desk; visitor numbers ranged from {min} to {max} per session (mean {mean})."
            ),
        };
        let sessions = match r.sessions {
            1 => "There was 1 session".to_string(),
            n => format!("There were {n} sessions"),
        };
        let empty = match r.empty_sessions {
            0 => String::new(),
            n => format!(", {n} of them without visitors"),
        };
        let who = if median == 1.0 { "visitor" } else { "visitors" };
        format!(
            "{first} {sessions}{empty}; the median was {} {who} per session.",
            number(median, Lang::En)
        )
    }
    fn report_topics(&self, list: &str) -> String {
        format!("Most common topics: {list}.")
    }
    fn report_vouchers(&self, written: &str, list: &str) -> String {
        if written == "1" {
            format!("1 anti-slip voucher was written ({list}).")
        } else {
            format!("{written} anti-slip vouchers were written ({list}).")
        }
    }
    fn report_referrals(&self, referred: &str, list: &str) -> String {
        if referred == "1" {
            format!("1 visitor was referred onwards, to: {list}.")
        } else {
            format!("{referred} visitors were referred onwards, most often to: {list}.")
        }
    }
    fn report_empty(&self) -> &'static str {
        "No duty sessions in this period."
    }
    fn report_footer(&self) -> &'static str {
        "←→ previous/next · Esc back · q quit"
    }
    fn report_custom_prompt(&self) -> &'static str {
        "Period, e.g. 2023-01-01–2023-06-30 (Enter/Esc): "
    }
    fn report_custom_bad(&self) -> &'static str {
        "Not a period: type e.g. 2023-01-01–2023-06-30 (start before end)."
    }
    fn period_choices(&self) -> &'static str {
        "w week · m month · s season · y year · c custom"
    }
    fn exported(&self, rows: usize, path: &str) -> String {
        format!("Exported {rows} rows to {path}")
    }
    fn import_summary(&self, s: &MergeSummary) -> String {
        format!(
            "Imported: {} new sessions, {} new visits, {} updated, {} deleted; {} already up to date; {} conflicts.",
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
            Side::Local => "kept this database's newer version",
            Side::Incoming => "kept the imported newer version",
        };
        let what = if c.deletion {
            "deleted on one side, edited on the other"
        } else {
            "edited on both sides"
        };
        format!("Conflict: visit {at} ({}) {what}; {kept}.", c.uid)
    }
    fn report_error(&self, e: &ReportError) -> String {
        match e {
            ReportError::DatesOutOfOrder { from, to } => {
                format!("the start date {from} (--from) is after the end date {to} (--to)")
            }
            ReportError::BadSeason { value } => format!(
                "bad season \"{value}\": use YYYY-YYYY, e.g. 2023-2024 (2023-11-01 to 2024-02-29)"
            ),
            ReportError::UnknownFormat { value, valid } => {
                format!("unknown format \"{value}\". Choices: {valid}")
            }
            ReportError::UnknownPlace { name, valid } => {
                format!("no place \"{name}\" in the config or the database. Choices: {valid}")
            }
            ReportError::UnknownDevice { id, valid } => {
                format!("no device \"{id}\" in the database. Choices: {valid}")
            }
            ReportError::NotTiski { path } => {
                format!("{path} is an SQLite file but not a tiski database. Nothing was imported.")
            }
            ReportError::Read { path, reason } => {
                format!("cannot read {path}: {reason}. Nothing was imported.")
            }
            ReportError::Line {
                path,
                line,
                problem,
            } => format!(
                "{path}, line {line}: {}. Nothing was imported from the file.",
                line_problem_en(problem)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DutySession, SessionId};
    use chrono::NaiveDate;

    fn report(period: Period, counts: &[u32]) -> PeriodReport {
        let day = NaiveDate::from_ymd_opt(2023, 1, 10).unwrap();
        let sessions: Vec<DutySession> = counts
            .iter()
            .map(|n| DutySession {
                id: SessionId(1),
                uid: String::new(),
                profile: "p".into(),
                location: "l".into(),
                date: day,
                started_at: day.and_hms_opt(10, 0, 0).unwrap(),
                ended_at: None,
                visitors: *n,
            })
            .collect();
        PeriodReport::build(period, &sessions, &[])
    }

    #[test]
    fn opening_sentences_in_the_reports_style() {
        let year = Period::year(2023);
        let seed = [4, 6, 1, 5, 7, 11, 3, 5, 6, 4, 8, 5, 4];
        assert_eq!(
            Fi.report_opening(&report(year, &seed)),
            "Vuoden 2023 aikana 69 kävijää haki pisteeltä apua; kävijämäärät vaihtelivat 1–11 \
             (ka 5,3) päivystystä kohden. Päivystyksiä oli 13; mediaani oli 5 kävijää \
             päivystystä kohden."
        );
        assert_eq!(
            En.report_opening(&report(year, &seed)),
            "During 2023, 69 visitors sought help at the desk; visitor numbers ranged from 1 \
             to 11 per session (mean 5.3). There were 13 sessions; the median was 5 visitors \
             per session."
        );
        assert_eq!(
            Fi.report_opening(&report(Period::season(2023), &[3, 0])),
            "Liukuestekaudella 2023–2024 3 kävijää haki pisteeltä apua; kävijämäärät \
             vaihtelivat 0–3 (ka 1,5) päivystystä kohden. Päivystyksiä oli 2, joista 1 ilman \
             kävijöitä; mediaani oli 1,5 kävijää päivystystä kohden."
        );
        assert_eq!(
            Fi.report_opening(&report(year, &[1])),
            "Vuoden 2023 aikana 1 kävijä haki pisteeltä apua. Päivystyksiä oli 1; mediaani oli \
             1 kävijä päivystystä kohden."
        );
        assert_eq!(
            Fi.report_opening(&report(year, &[])),
            "Vuoden 2023 aikana ei pidetty yhtään päivystystä."
        );
        assert!(
            Fi.report_opening(&report(year, &[0, 0]))
                .starts_with("Vuoden 2023 aikana pisteellä ei käynyt kävijöitä.")
        );
        let nov = Period::containing(
            PeriodKind::Month,
            NaiveDate::from_ymd_opt(2023, 11, 14).unwrap(),
        );
        assert!(Fi.report_opening(&report(nov, &[2, 2])).starts_with(
            "Marraskuussa 2023 4 kävijää haki pisteeltä apua; jokaisessa päivystyksessä kävi 2 (ka 2,0)."
        ));
        assert!(
            En.report_opening(&report(nov, &[2]))
                .starts_with("In November 2023, 2 visitors")
        );
    }
}

//! English report, export and import texts.

use super::{ReportTexts, Word, month_index};
use crate::i18n::en::En;
use crate::locale::{Lang, decimal, number};
use crate::report::error::{Expected, LineProblem, Meaning, ReportError};
use crate::report::period::{Period, PeriodKind, PeriodReport, Remote};
use crate::store::{Conflict, MergeSummary, Side};

impl ReportTexts for En {
    fn rota_scheduled_since(&self, since: &str) -> String {
        format!("Scheduled sessions (from {since})")
    }
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
            Word::OtherFields => "Other details",
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
            Word::WithheldNote => {
                "x: hidden too, so that a small count cannot be worked out from the others"
            }
            Word::MeanShort => "mean",
            Word::MedianShort => "median",
            Word::Range => "range",
            Word::Locations => "By place",
            Word::Vouchers => "Anti-slip vouchers",
            Word::RotaScheduled => "Scheduled sessions",
            Word::RotaHeld => "– held",
            Word::RotaCancelled => "– cancelled",
            Word::RotaNotRecorded => "– not recorded",
            Word::RotaOutside => "Sessions outside the rota",
            Word::Unrecorded => "not recorded",
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
    fn report_opening(&self, r: &PeriodReport, remote: &[(Remote, String)]) -> String {
        let when = self.period_phrase(&r.period);
        // ", 5 of them by phone and 2 by e-mail": the first count carries
        // "of them".
        let how: Vec<String> = remote
            .iter()
            .enumerate()
            .map(|(i, (r, n))| {
                let way = match r {
                    Remote::Phone => "by phone",
                    Remote::Email => "by e-mail",
                };
                if i == 0 {
                    format!("{n} of them {way}")
                } else {
                    format!("{n} {way}")
                }
            })
            .collect();
        let remote = match how.as_slice() {
            [] => String::new(),
            [one] => format!(", {one}"),
            [rest @ .., last] => format!(", {} and {last}", rest.join(", ")),
        };
        let (Some(min), Some(max), Some(mean), Some(median)) = (r.min, r.max, r.mean, r.median)
        else {
            return format!("{when}, no duty sessions were held.");
        };
        let mean = decimal(mean, Lang::En);
        // One session: no spread, mean or median to speak of.
        if r.sessions == 1 {
            return match r.visitors {
                0 => format!("{when}, one duty session was held, and no visitors came."),
                1 => format!("{when}, one duty session was held, and 1 visitor sought help."),
                n => format!(
                    "{when}, one duty session was held, and {n} visitors sought help{remote}."
                ),
            };
        }
        let first = match r.visitors {
            0 => format!("{when}, no visitors came to the desk."),
            1 => format!("{when}, 1 visitor sought help at the desk."),
            n if min == max => format!(
                "{when}, {n} visitors sought help at the desk{remote}; every session had {min} (mean {mean})."
            ),
            n => format!(
                "{when}, {n} visitors sought help at the desk{remote}; visitor numbers ranged from {min} to {max} per session (mean {mean})."
            ),
        };
        let sessions = format!("There were {} sessions", r.sessions);
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
    fn fewer_than(&self, min: u32) -> String {
        format!("fewer than {min}")
    }
    fn left_out_note(&self, titles: &[&str], min: u32) -> String {
        let own = "Every count for your own eyes (not for publishing): --min-count 1.";
        if titles.is_empty() {
            return format!(
                "The breakdowns are left out, as every count in them is below {min} and hidden. {own}"
            );
        }
        format!(
            "Left out as every count in them is below {min} and hidden: {}. {own}",
            titles.join(", ")
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
    fn more_rows(&self, n: usize) -> String {
        format!("+{n} more…")
    }
    fn rows_above(&self, n: usize) -> String {
        format!("↑ {n} above")
    }
    fn report_empty(&self) -> &'static str {
        "No duty sessions in this period."
    }
    fn report_custom_prompt(&self, year: i32) -> String {
        format!("Period, e.g. {year}-01-01–{year}-06-30: ")
    }
    fn report_custom_keys(&self) -> &'static str {
        "Enter accept · Esc cancel"
    }
    fn report_custom_bad(&self) -> &'static str {
        "Not a period. E.g. 2023-01-01–2023-06-30, 2023-11, 2023-W49, 2023–24 or 2023."
    }
    fn exported(&self, rows: usize, path: &str) -> String {
        format!("Exported {rows} rows to {path}")
    }
    fn report_written(&self, path: &str) -> String {
        format!("Report written to {path}")
    }
    fn charts_written(&self, dir: &str, names: &[String]) -> String {
        if names.is_empty() {
            return format!("No charts in {dir}: the period has no counts to show");
        }
        format!("Charts written to {dir}: {}", names.join(", "))
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
            ReportError::DatesOutOfOrder { from, to } => format!(
                "the start date {} (--from) is after the end date {} (--to)",
                crate::locale::date(*from, Lang::En),
                crate::locale::date(*to, Lang::En)
            ),
            ReportError::BadMonth { value } => format!(
                "bad month \"{value}\" (--month): use YYYY-MM or MM/YYYY, e.g. 2026-11 or 11/2026"
            ),
            ReportError::BadWeek { value } => format!(
                "bad week \"{value}\" (--week): use YYYY-Www or WW/YYYY, e.g. 2026-W49 or 49/2026 (weeks 1–52, in some years 53)"
            ),
            ReportError::BadSeason { value } => format!(
                "bad season \"{value}\": use YYYY-YYYY, e.g. 2023-2024 (2023-11-01 to 2024-02-29)"
            ),
            ReportError::UnknownFormat { value, valid } => {
                format!("unknown format \"{value}\". Choices: {valid}")
            }
            ReportError::NeedsFile { format } => {
                format!("{format} is written to a file: give --out FILE")
            }
            ReportError::NotAFolder { path } => {
                format!("{path} is not a folder: --charts needs a folder")
            }
            ReportError::Document { what, reason } => {
                format!("could not make {what}: {reason}")
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
                format!(
                    "cannot read {path}: {reason}. Nothing was imported.",
                    reason = crate::i18n::en::cause(reason)
                )
            }
            ReportError::Line {
                path,
                line,
                problem,
            } => format!(
                "{path}, line {line}: {}. Nothing was imported from the file.",
                line_problem(problem)
            ),
            ReportError::Record { path, uid, problem } => format!(
                "{path}, record {uid}: {}. Nothing from the file was imported.",
                line_problem(problem)
            ),
        }
    }
}

fn expected_text(e: Expected) -> String {
    match e {
        Expected::Header => "the export's header line first ({\"type\": \"tiski-export\", …}); is this a tiski jsonl export?".into(),
        Expected::KnownVersion => "1; a newer tiski's export needs tiski updated".into(),
        Expected::Date => "a date as YYYY-MM-DD".into(),
        Expected::DateTime => "a time as YYYY-MM-DD HH:MM:SS".into(),
        Expected::Instant => "an RFC 3339 time such as 2023-11-14T08:05:00Z".into(),
        Expected::Topics => "a non-empty list of topic keys".into(),
        Expected::Tally => {
            "a tally: {\"type\": \"yes_no\", \"yes\": N, \"no\": N} or scale, mean, slips".into()
        }
        Expected::TimeOfDay => "a time of day HH:MM".into(),
        Expected::Bool => "true or false".into(),
        Expected::Fields => "an object of field key → option key".into(),
        Expected::ShortNote(max) => format!("at most {max} characters"),
        Expected::Text => "text".into(),
        Expected::NonEmptyText => "non-empty text".into(),
        Expected::WholeNumber => "a whole number".into(),
    }
}

fn line_problem(p: &LineProblem) -> String {
    match p {
        LineProblem::NotJson(e) => format!("the line is not a JSON object ({e})"),
        LineProblem::UnknownType(t) => format!(
            "unknown record type \"{t}\" (field \"type\"; allowed: session, visit, cancelled, deleted)"
        ),
        LineProblem::Missing { field } => format!("field \"{field}\" is missing"),
        LineProblem::Bad {
            field,
            value,
            expected,
        } => format!(
            "field \"{field}\" has the bad value {value} (expected {})",
            expected_text(*expected)
        ),
        LineProblem::Meaning { field, what } => {
            format!("the field \"{field}\" cannot be right: {}", meaning(what))
        }
        LineProblem::UnknownSession { uid } => format!(
            "the session \"{uid}\" in field \"session_uid\" is neither earlier in the file nor in the database"
        ),
        LineProblem::UnknownParent { uid } => format!(
            "the group, event or session of record \"{uid}\" is neither earlier in the file nor in the database"
        ),
    }
}

fn meaning(m: &Meaning) -> String {
    match m {
        Meaning::UnknownProfile { id, valid } => {
            format!("there is no profile \"{id}\" in this config (there are: {valid})")
        }
        Meaning::OffDay(d) => format!(
            "the time is not on the session's day {}",
            crate::locale::date(*d, Lang::En)
        ),
        Meaning::TooEarly => "the date is before 2000".into(),
        Meaning::InTheFuture => "the time is more than a day ahead".into(),
        Meaning::ControlCharacter => "it holds a control character".into(),
        Meaning::TooLong(n) => format!("it is longer than {n} characters"),
        Meaning::RepeatedUid(uid) => format!("the id {uid} is in the file already"),
        Meaning::UnknownKey(u) => format!(
            "the profile {} has no key {} (it has: {})",
            u.profile, u.key, u.valid
        ),
        Meaning::TooMany(max) => format!("the count must be 1–{max}"),
    }
}

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

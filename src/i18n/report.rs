//! Texts of reports, exports and imports: the welfare report's ready
//! sentences, headings and messages. A supertrait of `Texts`, implemented
//! per language in `report/fi.rs` and `report/en.rs`, so the compiler keeps
//! both complete like the rest.

mod en;
mod fi;

use crate::locale::Lang;
use crate::report::error::ReportError;
use crate::report::period::{Period, PeriodReport, Remote};
use crate::store::{Conflict, MergeSummary};

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
    /// The report view's panel of the profile's own fields.
    OtherFields,
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
    /// The `x` of a count withheld so that a small one cannot be worked out.
    WithheldNote,
    MeanShort,
    MedianShort,
    Range,
    Locations,
    Vouchers,
    RotaScheduled,
    RotaHeld,
    RotaCancelled,
    RotaNotRecorded,
    RotaOutside,
    /// A field left empty: "ei tietoa".
    Unrecorded,
}

pub trait ReportTexts {
    fn word(&self, w: Word) -> &'static str;
    /// "Vuorolistan päivystyksiä (7.12.2026 alkaen)": the rota's slots
    /// counted from the profile's first session in the log.
    fn rota_scheduled_since(&self, since: &str) -> String;
    /// "Vuoden 2023 aikana": how the opening sentence names the period.
    fn period_phrase(&self, p: &Period) -> String;
    /// "vuosi 2023": the period in headings.
    fn period_name(&self, p: &Period) -> String;
    /// The ready sentences on visitors and sessions; `remote`: how many
    /// of the visitors came by phone or e-mail, as they may be shown.
    fn report_opening(&self, r: &PeriodReport, remote: &[(Remote, String)]) -> String;
    /// "Yleisimmät aiheet: Digituki 23, …" from an already joined list.
    fn report_topics(&self, list: &str) -> String;
    /// A hidden small count in a sentence: "alle 5".
    fn fewer_than(&self, min: u32) -> String;
    /// One line for the breakdowns left out because every count in them
    /// is below `min` (their `titles`; none: all of them), and how to see
    /// every count.
    fn left_out_note(&self, titles: &[&str], min: u32) -> String;
    fn report_referrals(&self, referred: &str, list: &str) -> String;
    /// "Maksusitoumuksia myönnettiin 44 (…)."
    fn report_vouchers(&self, written: &str, list: &str) -> String;
    /// Shown in the TUI when a period has no sessions.
    fn report_empty(&self) -> &'static str;
    /// A panel's last line when more rows follow: "+4 muuta…".
    fn more_rows(&self, n: usize) -> String;
    /// A panel scrolled to its end: "↑ 4 yllä".
    fn rows_above(&self, n: usize) -> String;
    /// The custom period's prompt, its example in `year`.
    fn report_custom_prompt(&self, year: i32) -> String;
    /// Under the prompt: what Enter and Esc do.
    fn report_custom_keys(&self) -> &'static str;
    fn report_custom_bad(&self) -> &'static str;
    fn exported(&self, rows: usize, path: &str) -> String;
    /// On standard error after `report --out`.
    fn report_written(&self, path: &str) -> String;
    /// On standard error after `report --charts DIR`.
    fn charts_written(&self, dir: &str, names: &[String]) -> String;
    fn import_summary(&self, s: &MergeSummary) -> String;
    fn conflict(&self, c: &Conflict, at: &str) -> String;
    fn report_error(&self, e: &ReportError) -> String;
}

pub(super) fn ucfirst(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

pub(super) fn month_index(p: &Period) -> usize {
    use chrono::Datelike;
    p.from.month0() as usize
}

pub(super) fn span(p: &Period, lang: Lang) -> String {
    format!(
        "{}–{}",
        crate::locale::date(p.from, lang),
        crate::locale::date(p.to, lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DutySession, SessionId};
    use crate::i18n::{en::En, fi::Fi};
    use crate::report::period::PeriodKind;
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
            Fi.report_opening(&report(year, &seed), &[]),
            "Vuoden 2023 aikana pisteeltä haki apua 69 kävijää; kävijämäärät vaihtelivat 1–11 \
             (ka 5,3) päivystystä kohden. Päivystyksiä oli 13; mediaani oli 5 kävijää \
             päivystystä kohden."
        );
        assert_eq!(
            En.report_opening(&report(year, &seed), &[]),
            "During 2023, 69 visitors sought help at the desk; visitor numbers ranged from 1 \
             to 11 per session (mean 5.3). There were 13 sessions; the median was 5 visitors \
             per session."
        );
        assert_eq!(
            Fi.report_opening(&report(Period::season(2023), &[3, 0]), &[]),
            "Liukuestekaudella 2023–2024 pisteeltä haki apua 3 kävijää; kävijämäärät \
             vaihtelivat 0–3 (ka 1,5) päivystystä kohden. Päivystyksiä oli 2, joista 1 ilman \
             kävijöitä; mediaani oli 1,5 kävijää päivystystä kohden."
        );
        // One session: said plainly, with no spread or median.
        assert_eq!(
            Fi.report_opening(&report(year, &[1]), &[]),
            "Vuoden 2023 aikana pidettiin yksi päivystys, ja pisteeltä haki apua 1 kävijä."
        );
        assert_eq!(
            Fi.report_opening(&report(year, &[6]), &[]),
            "Vuoden 2023 aikana pidettiin yksi päivystys, ja pisteeltä haki apua 6 kävijää."
        );
        assert_eq!(
            En.report_opening(&report(year, &[0]), &[]),
            "During 2023, one duty session was held, and no visitors came."
        );
        assert_eq!(
            Fi.report_opening(&report(year, &[]), &[]),
            "Vuoden 2023 aikana ei pidetty yhtään päivystystä."
        );
        assert!(
            Fi.report_opening(&report(year, &[0, 0]), &[])
                .starts_with("Vuoden 2023 aikana pisteellä ei käynyt kävijöitä.")
        );
        let nov = Period::containing(
            PeriodKind::Month,
            NaiveDate::from_ymd_opt(2023, 11, 14).unwrap(),
        );
        assert!(Fi.report_opening(&report(nov, &[2, 2]), &[]).starts_with(
            "Marraskuussa 2023 pisteeltä haki apua 4 kävijää; jokaisessa päivystyksessä kävi 2 (ka 2,0)."
        ));
        // A typed period within one year names the year once.
        let custom = Period::custom(
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
        );
        assert!(
            Fi.report_opening(&report(custom, &[2, 3]), &[])
                .starts_with("1.1.–2.12.2026 pisteeltä haki apua 5 kävijää;"),
            "{}",
            Fi.report_opening(&report(custom, &[2, 3]), &[])
        );
        let across = Period::custom(
            NaiveDate::from_ymd_opt(2025, 12, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
        );
        assert!(
            Fi.report_opening(&report(across, &[5]), &[])
                .starts_with("1.12.2025–31.1.2026 ")
        );
        assert!(
            En.report_opening(&report(nov, &[1, 1]), &[])
                .starts_with("In November 2023, 2 visitors")
        );
    }

    #[test]
    fn the_opening_says_how_many_came_by_phone_or_e_mail() {
        let year = Period::year(2023);
        let seed = [4, 6, 1, 5, 7, 11, 3, 5, 6, 4, 8, 5, 4];
        let phone = [(Remote::Phone, "5".to_string())];
        assert!(
            Fi.report_opening(&report(year, &seed), &phone)
                .starts_with("Vuoden 2023 aikana pisteeltä haki apua 69 kävijää, joista 5 puhelimitse; kävijämäärät"),
            "{}",
            Fi.report_opening(&report(year, &seed), &phone)
        );
        let both = [
            (Remote::Phone, "5".to_string()),
            (Remote::Email, "alle 3".to_string()),
        ];
        assert!(
            Fi.report_opening(&report(year, &seed), &both)
                .contains("69 kävijää, joista 5 puhelimitse ja alle 3 sähköpostitse;")
        );
        let both = [
            (Remote::Phone, "5".to_string()),
            (Remote::Email, "fewer than 3".to_string()),
        ];
        assert!(
            En.report_opening(&report(year, &seed), &both)
                .contains("69 visitors sought help at the desk, 5 of them by phone and fewer than 3 by e-mail;"),
            "{}",
            En.report_opening(&report(year, &seed), &both)
        );
        assert_eq!(
            Fi.report_opening(&report(year, &[6]), &phone),
            "Vuoden 2023 aikana pidettiin yksi päivystys, ja pisteeltä haki apua 6 kävijää, joista 5 puhelimitse."
        );
    }
}

//! A period's report, pure: sessions and visitors, mean, median, smallest
//! and largest session (zero-visitor sessions count), breakdowns by topic,
//! referral, field, weekday and hour, each with a share, and small-count
//! suppression. One function feeds the CLI, the exports and the TUI.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, Months, NaiveDate, Timelike};

use crate::domain::{DutySession, Visit};
use crate::schedule::SlotCounts;

/// What kind of period a report covers; the prose names it accordingly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    /// ISO week (Monday to Sunday).
    Week,
    Month,
    /// The anti-slip season: 1 November to the end of February.
    Season,
    Year,
    Custom,
}

/// An inclusive date range and what it is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub kind: PeriodKind,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The period of `kind` that contains `day` (a custom period is just
    /// that day). Out of season (March–October) the season is the last one.
    pub fn containing(kind: PeriodKind, day: NaiveDate) -> Period {
        match kind {
            PeriodKind::Week => {
                let from = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
                Period {
                    kind,
                    from,
                    to: from + Duration::days(6),
                }
            }
            PeriodKind::Month => {
                let from = day.with_day(1).expect("day 1 exists");
                Period {
                    kind,
                    from,
                    to: last_day_before(from + Months::new(1)),
                }
            }
            PeriodKind::Season => {
                let start_year = if day.month() >= 11 {
                    day.year()
                } else {
                    day.year() - 1
                };
                Period::season(start_year)
            }
            PeriodKind::Year => Period::year(day.year()),
            PeriodKind::Custom => Period {
                kind,
                from: day,
                to: day,
            },
        }
    }

    pub fn year(year: i32) -> Period {
        Period {
            kind: PeriodKind::Year,
            from: ymd(year, 1, 1),
            to: ymd(year, 12, 31),
        }
    }

    /// 1 November of `start_year` to the end of February after it.
    pub fn season(start_year: i32) -> Period {
        Period {
            kind: PeriodKind::Season,
            from: ymd(start_year, 11, 1),
            to: last_day_before(ymd(start_year + 1, 3, 1)),
        }
    }

    /// A calendar month; `None` for a month that does not exist.
    pub fn month(year: i32, month: u32) -> Option<Period> {
        NaiveDate::from_ymd_opt(year, month, 1).map(|d| Period::containing(PeriodKind::Month, d))
    }

    /// An ISO week (`2026-W49`); `None` for a week the year does not have.
    pub fn iso_week(year: i32, week: u32) -> Option<Period> {
        NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon)
            .map(|d| Period::containing(PeriodKind::Week, d))
    }

    pub fn custom(from: NaiveDate, to: NaiveDate) -> Period {
        Period {
            kind: PeriodKind::Custom,
            from,
            to,
        }
    }

    /// The period before (`-1`) or after (`+1`) this one, of the same kind;
    /// none past the years a report takes (2000 to 2100), so holding ←
    /// or → stops at their edge.
    pub fn step(&self, dir: i32) -> Option<Period> {
        let days = |d: NaiveDate, n: i64| d.checked_add_signed(Duration::try_days(n)?);
        let next = match self.kind {
            PeriodKind::Week => Period::containing(self.kind, days(self.from, 7 * i64::from(dir))?),
            PeriodKind::Month => {
                let day = if dir < 0 {
                    days(self.from, -1)?
                } else {
                    days(self.to, 1)?
                };
                Period::containing(self.kind, day)
            }
            PeriodKind::Season => {
                Period::season(crate::clock::check_year(self.from.year() + dir).ok()?)
            }
            PeriodKind::Year => {
                Period::year(crate::clock::check_year(self.from.year() + dir).ok()?)
            }
            PeriodKind::Custom => {
                let len = (self.to - self.from).num_days() + 1;
                let shift = len.checked_mul(i64::from(dir))?;
                Period::custom(days(self.from, shift)?, days(self.to, shift)?)
            }
        };
        let first = NaiveDate::from_ymd_opt(crate::clock::FIRST_YEAR, 1, 1)?;
        let last = NaiveDate::from_ymd_opt(crate::clock::LAST_YEAR, 12, 31)?;
        (next.from >= first && next.to <= last).then_some(next)
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid calendar date")
}

fn last_day_before(d: NaiveDate) -> NaiveDate {
    d - Duration::days(1)
}

/// Counts under one heading, key → visits.
pub type Counts = BTreeMap<String, u32>;

/// The profile field that says how a visitor was met (`kanava`).
pub const CHANNEL: &str = "channel";

/// A contact not in person, which the report's opening sentence counts
/// ("69 kävijää, joista 5 puhelimitse").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remote {
    Phone,
    Email,
}

impl Remote {
    pub const ALL: [Remote; 2] = [Remote::Phone, Remote::Email];

    /// Its option of the channel field, as the profiles name it.
    pub fn option(self) -> &'static str {
        match self {
            Remote::Phone => "puhelin",
            Remote::Email => "sahkoposti",
        }
    }
}

/// A period's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodReport {
    pub period: Period,
    pub sessions: u32,
    pub visitors: u32,
    /// Sessions in which nobody came.
    pub empty_sessions: u32,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub min: Option<u32>,
    pub max: Option<u32>,
    /// Each session's date and visitors, in date order (for a sparkline).
    pub per_session: Vec<(NaiveDate, u32)>,
    pub topics: Counts,
    pub referrals: Counts,
    /// Field key → option key → visits.
    pub fields: BTreeMap<String, Counts>,
    /// Visits per weekday, Monday first.
    pub weekdays: [u32; 7],
    /// Hour of day (0–23) → visits.
    pub hours: BTreeMap<u32, u32>,
    /// Place → visitors, so a consolidated report shows each desk's part.
    pub locations: Counts,
    /// Product → anti-slip vouchers written in the period's visits (not
    /// cancelled); empty where no voucher was written.
    pub vouchers: Counts,
    /// How the rota's slots went, for a desk with a rota (the caller fills
    /// it: the rota is in the config).
    pub rota: Option<SlotCounts>,
}

/// What a report reads of a session: its day, place and visitors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFigures {
    pub date: NaiveDate,
    pub location: String,
    pub visitors: u32,
}

impl From<&DutySession> for SessionFigures {
    fn from(s: &DutySession) -> SessionFigures {
        SessionFigures {
            date: s.date,
            location: s.location.clone(),
            visitors: s.visitors,
        }
    }
}

/// What a period's visits add up to under each heading: counted from the
/// visits themselves ([`VisitCounts::tally`]) or read from the counts the
/// store keeps per day and desk (`Store::visit_counts`), which must agree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisitCounts {
    pub topics: Counts,
    pub referrals: Counts,
    /// Field key → option key → visits.
    pub fields: BTreeMap<String, Counts>,
    /// Visits per weekday, Monday first.
    pub weekdays: [u32; 7],
    /// Hour of day (0–23) → visits.
    pub hours: BTreeMap<u32, u32>,
}

impl VisitCounts {
    /// Counts `visits` one by one.
    pub fn tally<'a>(visits: impl IntoIterator<Item = &'a Visit>) -> VisitCounts {
        let mut c = VisitCounts::default();
        for v in visits {
            for t in &v.entry.topics {
                bump(&mut c.topics, t, 1);
            }
            if let Some(x) = &v.entry.referral {
                bump(&mut c.referrals, x, 1);
            }
            for (f, o) in &v.entry.fields {
                c.add_field(f, o, 1);
            }
            c.weekdays[v.at.weekday().num_days_from_monday() as usize] += 1;
            *c.hours.entry(v.at.hour()).or_default() += 1;
        }
        c
    }

    pub fn add_topic(&mut self, topic: &str, n: u32) {
        bump(&mut self.topics, topic, n);
    }

    pub fn add_referral(&mut self, referral: &str, n: u32) {
        bump(&mut self.referrals, referral, n);
    }

    pub fn add_field(&mut self, field: &str, option: &str, n: u32) {
        match self.fields.get_mut(field) {
            Some(counts) => bump(counts, option, n),
            None => {
                self.fields
                    .insert(field.to_string(), [(option.to_string(), n)].into());
            }
        }
    }
}

impl PeriodReport {
    /// Builds the report from the period's sessions (visitor counts are the
    /// sessions' own) and its visits (for the breakdowns).
    pub fn build<'a>(
        period: Period,
        sessions: impl IntoIterator<Item = &'a DutySession>,
        visits: impl IntoIterator<Item = &'a Visit>,
    ) -> PeriodReport {
        PeriodReport::from_counts(
            period,
            sessions.into_iter().map(SessionFigures::from),
            VisitCounts::tally(visits),
        )
    }

    /// Builds the report from the period's sessions and what its visits add
    /// up to. Vouchers are left empty for the caller to fill.
    pub fn from_counts(
        period: Period,
        sessions: impl IntoIterator<Item = SessionFigures>,
        counts: VisitCounts,
    ) -> PeriodReport {
        let mut locations = Counts::new();
        let mut per_session: Vec<(NaiveDate, u32)> = sessions
            .into_iter()
            .map(|s| {
                *locations.entry(s.location).or_default() += s.visitors;
                (s.date, s.visitors)
            })
            .collect();
        per_session.sort_by_key(|p| p.0);
        let mut sorted: Vec<u32> = per_session.iter().map(|p| p.1).collect();
        sorted.sort_unstable();
        let sessions = sorted.len() as u32;
        let visitors: u32 = sorted.iter().sum();
        let VisitCounts {
            topics,
            referrals,
            fields,
            weekdays,
            hours,
        } = counts;
        PeriodReport {
            period,
            sessions,
            visitors,
            empty_sessions: sorted.iter().filter(|n| **n == 0).count() as u32,
            mean: super::SessionStats { sessions, visitors }.mean(),
            median: median(&sorted),
            min: sorted.first().copied(),
            max: sorted.last().copied(),
            per_session,
            topics,
            referrals,
            fields,
            weekdays,
            hours,
            locations,
            vouchers: Counts::new(),
            rota: None,
        }
    }

    /// Vouchers written in the period.
    pub fn vouchers_written(&self) -> u32 {
        self.vouchers.values().sum()
    }

    /// Visits referred anywhere.
    pub fn referred(&self) -> u32 {
        self.referrals.values().sum()
    }

    /// `n` as a share of all visitors (0.0–1.0). A visit can raise several
    /// topics, so topic shares can add up to more than one.
    pub fn share(&self, n: u32) -> Option<f64> {
        (self.visitors > 0).then(|| f64::from(n) / f64::from(self.visitors))
    }
}

/// Counts `n` more of `key`, allocating the key only the first time: a year
/// can hold hundreds of thousands of visits.
fn bump(counts: &mut Counts, key: &str, n: u32) {
    match counts.get_mut(key) {
        Some(c) => *c += n,
        None => {
            counts.insert(key.to_string(), n);
        }
    }
}

fn median(sorted: &[u32]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let mid = n / 2;
    Some(if n % 2 == 1 {
        f64::from(sorted[mid])
    } else {
        (f64::from(sorted[mid - 1]) + f64::from(sorted[mid])) / 2.0
    })
}

/// A count as it may be shown: below `min_count` (when set) it is hidden
/// as "<N", because small groups of a sensitive topic can identify people.
/// Zero is never hidden: it tells nothing about anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Count(u32),
    Hidden(u32),
    /// Not small, but hidden (`x`) so that a small count of the same
    /// breakdown cannot be worked out from the others.
    Withheld,
}

impl Shown {
    pub fn new(n: u32, min_count: Option<u32>) -> Shown {
        match min_count {
            Some(min) if n > 0 && n < min => Shown::Hidden(min),
            _ => Shown::Count(n),
        }
    }

    /// The counts of one breakdown as they may be shown: see
    /// [`crate::privacy::small_counts::breakdown`].
    pub fn breakdown(counts: &[u32], min_count: Option<u32>) -> Vec<Shown> {
        use crate::privacy::small_counts::{Hide, breakdown};
        counts
            .iter()
            .zip(breakdown(counts, min_count))
            .map(|(&n, hide)| match (hide, min_count) {
                (Hide::Small, Some(min)) => Shown::Hidden(min),
                (Hide::Withheld, _) => Shown::Withheld,
                _ => Shown::Count(n),
            })
            .collect()
    }

    pub fn count(&self) -> Option<u32> {
        match self {
            Shown::Count(n) => Some(*n),
            Shown::Hidden(_) | Shown::Withheld => None,
        }
    }
}

/// How a withheld count is written in every form.
pub const WITHHELD: &str = "x";

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Shown::Count(n) => write!(f, "{n}"),
            Shown::Hidden(min) => write!(f, "<{min}"),
            Shown::Withheld => f.write_str(WITHHELD),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{SessionId, VisitEntry, VisitId};
    use chrono::NaiveDateTime;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn session(date: &str, visitors: u32) -> DutySession {
        let date = d(date);
        DutySession {
            id: SessionId(1),
            uid: String::new(),
            profile: "p".into(),
            location: "l".into(),
            date,
            started_at: date.and_hms_opt(10, 0, 0).unwrap(),
            ended_at: None,
            visitors,
        }
    }

    fn visit(at: &str, topics: &[&str], referral: Option<&str>) -> Visit {
        Visit {
            id: VisitId(1),
            uid: String::new(),
            session: SessionId(1),
            at: NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").unwrap(),
            entry: VisitEntry {
                topics: topics.iter().map(|s| s.to_string()).collect(),
                referral: referral.map(str::to_string),
                fields: [("channel".to_string(), "puhelin".to_string())].into(),
                note: String::new(),
            },
        }
    }

    #[test]
    fn periods_cover_week_month_season_and_year() {
        let day = d("2023-11-15"); // a Wednesday
        let w = Period::containing(PeriodKind::Week, day);
        assert_eq!((w.from, w.to), (d("2023-11-13"), d("2023-11-19")));
        let m = Period::containing(PeriodKind::Month, d("2024-02-10"));
        assert_eq!((m.from, m.to), (d("2024-02-01"), d("2024-02-29")));
        let s = Period::containing(PeriodKind::Season, day);
        assert_eq!((s.from, s.to), (d("2023-11-01"), d("2024-02-29")));
        let s = Period::containing(PeriodKind::Season, d("2024-01-05"));
        assert_eq!(s.from, d("2023-11-01"));
        let s = Period::containing(PeriodKind::Season, d("2024-06-05"));
        assert_eq!((s.from, s.to), (d("2023-11-01"), d("2024-02-29")));
        assert_eq!(Period::season(2024).to, d("2025-02-28"));
        let y = Period::containing(PeriodKind::Year, day);
        assert_eq!((y.from, y.to), (d("2023-01-01"), d("2023-12-31")));
    }

    #[test]
    fn a_step_stops_at_the_years_a_report_takes() {
        // A custom period of the whole range: a step would leave it (and
        // overflowed the calendar once, ending the screen).
        let all = Period::custom(d("2000-01-01"), d("2100-12-31"));
        assert_eq!(all.step(1), None);
        assert_eq!(all.step(-1), None);
        assert_eq!(Period::year(2100).step(1), None);
        assert_eq!(Period::year(2000).step(-1), None);
        let first = Period::containing(PeriodKind::Month, d("2000-01-15"));
        assert_eq!(first.step(-1), None);
        assert!(first.step(1).is_some());
        let mut p = Period::custom(d("2000-01-01"), d("2049-12-31"));
        let mut steps = 0;
        while let Some(next) = p.step(1) {
            p = next;
            steps += 1;
        }
        assert_eq!(steps, 1, "{p:?}");
    }

    #[test]
    fn periods_step_back_and_forth() {
        let m = Period::containing(PeriodKind::Month, d("2023-03-31"));
        assert_eq!(m.step(-1).unwrap().from, d("2023-02-01"));
        assert_eq!(m.step(-1).unwrap().to, d("2023-02-28"));
        assert_eq!(m.step(1).unwrap().from, d("2023-04-01"));
        let w = Period::containing(PeriodKind::Week, d("2023-01-01"));
        assert_eq!(w.step(1).unwrap().from, d("2023-01-02"));
        assert_eq!(Period::year(2023).step(-1), Some(Period::year(2022)));
        let c = Period::custom(d("2023-01-01"), d("2023-01-10"));
        assert_eq!(c.step(1).unwrap().from, d("2023-01-11"));
    }

    #[test]
    fn figures_count_zero_visitor_sessions() {
        let sessions = [
            session("2023-01-10", 4),
            session("2023-01-24", 0),
            session("2023-02-07", 11),
            session("2023-02-21", 1),
        ];
        let visits = [
            visit("2023-01-10 10:05", &["digituki"], Some("hva")),
            visit("2023-01-10 11:30", &["digituki", "sote"], None),
            visit("2023-02-07 10:15", &["sote"], Some("hva")),
        ];
        let p = Period::year(2023);
        let r = PeriodReport::build(p, &sessions, &visits);
        assert_eq!((r.sessions, r.visitors, r.empty_sessions), (4, 16, 1));
        assert_eq!(r.mean, Some(4.0));
        assert_eq!(r.median, Some(2.5));
        assert_eq!((r.min, r.max), (Some(0), Some(11)));
        assert_eq!(r.topics["digituki"], 2);
        assert_eq!(r.referred(), 2);
        assert_eq!(r.fields["channel"]["puhelin"], 3);
        assert_eq!(r.weekdays[1], 3, "all on Tuesdays");
        assert_eq!(r.hours[&10], 2);
        assert_eq!(r.share(4), Some(0.25));
        assert_eq!(r.locations["l"], 16);
        let empty = PeriodReport::build(p, &[], &[]);
        assert_eq!((empty.mean, empty.median, empty.min), (None, None, None));
        assert_eq!(empty.share(1), None);
    }

    #[test]
    fn small_counts_hide_behind_the_threshold() {
        assert_eq!(Shown::new(3, Some(5)).to_string(), "<5");
        assert_eq!(Shown::new(5, Some(5)).to_string(), "5");
        assert_eq!(Shown::new(0, Some(5)).to_string(), "0");
        assert_eq!(Shown::new(1, None).to_string(), "1");
        assert_eq!(Shown::new(2, Some(3)).count(), None);
    }
}

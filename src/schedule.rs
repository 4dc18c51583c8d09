//! The duty rota, pure: a profile's `[[profiles.ID.schedule]]` rows, the
//! slots they give on a day or over a period, whether a moment is inside
//! one (±30 min), and how a period's slots went (held, cancelled, not
//! recorded). The rule of what counts as a held duty session lives here
//! and in the store's session rows: a session row exists only for a held
//! session (one with a visit, one opened inside a slot, one started with
//! `s` or recorded afterwards with `tiski session add`).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// How early before a slot's start, and how late after its end, opening
/// the duty screen still opens the slot's session.
pub const SLACK: Duration = Duration::minutes(30);

/// One row of a rota: a weekday every `every_weeks` weeks from `from`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRow {
    pub weekday: Day,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub every_weeks: u32,
    /// The first session of the rota; needed when `every_weeks` > 1, to
    /// know which weeks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    pub start: ClockTime,
    pub end: ClockTime,
}

fn one() -> u32 {
    1
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

/// A weekday as the config writes it: `mon` … `sun`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    /// As the config writes it.
    pub fn code(self) -> &'static str {
        match self {
            Day::Mon => "mon",
            Day::Tue => "tue",
            Day::Wed => "wed",
            Day::Thu => "thu",
            Day::Fri => "fri",
            Day::Sat => "sat",
            Day::Sun => "sun",
        }
    }

    pub fn weekday(self) -> Weekday {
        match self {
            Day::Mon => Weekday::Mon,
            Day::Tue => Weekday::Tue,
            Day::Wed => Weekday::Wed,
            Day::Thu => Weekday::Thu,
            Day::Fri => Weekday::Fri,
            Day::Sat => Weekday::Sat,
            Day::Sun => Weekday::Sun,
        }
    }
}

/// A time of day as the config writes it, `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClockTime(pub NaiveTime);

impl TryFrom<String> for ClockTime {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        NaiveTime::parse_from_str(s.trim(), "%H:%M")
            .map(ClockTime)
            .map_err(|_| format!("expected a time as \"HH:MM\", e.g. \"10:00\", found {s:?}"))
    }
}

impl From<ClockTime> for String {
    fn from(t: ClockTime) -> String {
        t.0.format("%H:%M").to_string()
    }
}

/// What is wrong with a rota row; `i18n` words it for users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleProblem {
    #[error("every_weeks must be 1 or more")]
    ZeroWeeks,
    #[error("every_weeks = {0} needs `from`, the date of the rota's first session")]
    NoFrom(u32),
    #[error("from = {from} is not a {weekday:?}")]
    FromNotOnWeekday { from: NaiveDate, weekday: Day },
    #[error("the end {end} is not after the start {start}")]
    EndNotAfterStart { start: String, end: String },
}

impl ScheduleRow {
    /// Checks what serde cannot.
    pub fn validate(&self) -> Result<(), ScheduleProblem> {
        if self.every_weeks == 0 {
            return Err(ScheduleProblem::ZeroWeeks);
        }
        match self.from {
            None if self.every_weeks > 1 => return Err(ScheduleProblem::NoFrom(self.every_weeks)),
            Some(from) if from.weekday() != self.weekday.weekday() => {
                return Err(ScheduleProblem::FromNotOnWeekday {
                    from,
                    weekday: self.weekday,
                });
            }
            _ => {}
        }
        if self.end <= self.start {
            return Err(ScheduleProblem::EndNotAfterStart {
                start: self.start.into(),
                end: self.end.into(),
            });
        }
        Ok(())
    }

    /// Whether the rota has a session on `date`.
    pub fn occurs_on(&self, date: NaiveDate) -> bool {
        if date.weekday() != self.weekday.weekday() {
            return false;
        }
        match self.from {
            None => true,
            Some(from) if date < from => false,
            Some(from) => (date - from).num_days() / 7 % i64::from(self.every_weeks.max(1)) == 0,
        }
    }

    fn slot(&self, date: NaiveDate) -> Slot {
        Slot {
            date,
            start: self.start.0,
            end: self.end.0,
        }
    }
}

/// One scheduled duty: a day and its hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Slot {
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// The slot `at` falls in, from 30 minutes before its start to 30 minutes
/// after its end.
pub fn slot_at(rows: &[ScheduleRow], at: NaiveDateTime) -> Option<Slot> {
    rows.iter()
        .filter(|r| r.occurs_on(at.date()))
        .map(|r| r.slot(at.date()))
        .find(|s| {
            let (from, to) = (
                s.date.and_time(s.start) - SLACK,
                s.date.and_time(s.end) + SLACK,
            );
            (from..=to).contains(&at)
        })
}

/// Every slot from `from` to `to` inclusive, in date and time order.
pub fn slots_between(rows: &[ScheduleRow], from: NaiveDate, to: NaiveDate) -> Vec<Slot> {
    let mut slots: Vec<Slot> = from
        .iter_days()
        .take_while(|d| *d <= to)
        .flat_map(|d| {
            rows.iter()
                .filter(move |r| r.occurs_on(d))
                .map(move |r| r.slot(d))
        })
        .collect();
    slots.sort();
    slots
}

/// How a period's scheduled slots went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SlotCounts {
    pub scheduled: u32,
    /// Slots with a held session that day.
    pub held: u32,
    /// Slots of a day marked cancelled (with no session).
    pub cancelled: u32,
    /// Slots with neither: the laptop may have stayed home.
    pub not_recorded: u32,
    /// Held sessions beyond the day's slots (an extra duty, a day off the
    /// rota); they count in the figures like any other.
    pub outside_rota: u32,
    /// The slots are counted from this day, later than the period's start:
    /// the profile's first session in this log (a rota's slots before
    /// tiski was used at the desk were not "not recorded", only unknown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<NaiveDate>,
}

impl SlotCounts {
    /// Matches `slots` with the days' held sessions (one date per session)
    /// and the days marked cancelled, day by day.
    pub fn count(slots: &[Slot], sessions: &[NaiveDate], cancelled: &[NaiveDate]) -> SlotCounts {
        let mut per_day: BTreeMap<NaiveDate, (u32, u32)> = BTreeMap::new();
        for s in slots {
            per_day.entry(s.date).or_default().0 += 1;
        }
        for d in sessions {
            per_day.entry(*d).or_default().1 += 1;
        }
        let mut c = SlotCounts::default();
        for (date, (slots, held)) in per_day {
            let on_rota = slots.min(held);
            let rest = slots - on_rota;
            c.scheduled += slots;
            c.held += on_rota;
            c.outside_rota += held - on_rota;
            if cancelled.contains(&date) {
                c.cancelled += rest;
            } else {
                c.not_recorded += rest;
            }
        }
        c
    }

    pub fn add(&mut self, other: SlotCounts) {
        self.since = match (self.since, other.since) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        self.scheduled += other.scheduled;
        self.held += other.held;
        self.cancelled += other.cancelled;
        self.not_recorded += other.not_recorded;
        self.outside_rota += other.outside_rota;
    }
}

/// A day's duty as `tiski session list` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionState {
    Held,
    Cancelled,
    /// A past slot with neither a session nor a cancellation.
    NotRecorded,
    /// A slot still to come.
    Scheduled,
}

#[cfg(test)]
mod tests;

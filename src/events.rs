//! Events, group series and feedback tallies: the parts of the welfare
//! report that are not one-to-one visits (seed sections 2.1–2.2, 4.1).
//! Types and their rules, no I/O; the store keeps them, `report` sums them.

pub mod config;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

pub use config::{EventKind, EventsConfig};

/// Longest title, place, partner or question kept, in characters.
pub const TEXT_MAX_CHARS: usize = 200;
/// The largest attendance or count accepted (a typo guard: a city festival
/// has some thousands).
pub const COUNT_MAX: u32 = 1_000_000;
/// The kind of social-media-only events, which have no count.
pub const SOME_KIND: &str = "some";

/// Row id of an event in this database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct EventId(pub i64);

/// Row id of a group series in this database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct GroupId(pub i64);

/// What is recorded about an event; the part the user enters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventEntry {
    pub profile: String,
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<NaiveTime>,
    pub title: String,
    #[serde(default)]
    pub place: String,
    /// A kind key from the profile's `[events]` kinds.
    pub kind: String,
    /// Partners, as written (comma-separated).
    #[serde(default)]
    pub partners: String,
    /// Attendance; `None` for social-media-only events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// The count is an estimate (`n. 70`).
    #[serde(default)]
    pub approx: bool,
    /// Online or stream viewers besides those present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online: Option<u32>,
    /// What was counted when not people (`jaettua annosta`).
    #[serde(default)]
    pub unit: String,
}

/// A saved event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub id: EventId,
    pub uid: String,
    pub entry: EventEntry,
}

/// A group series: a group meeting several times, or its paper totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupEntry {
    pub profile: String,
    /// The day the series began (it places the group in a year).
    pub date: NaiveDate,
    pub title: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub partner: String,
    #[serde(default)]
    pub target: String,
    /// Meetings kept on paper, when they are not entered one by one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper_meetings: Option<u32>,
    /// Visits kept on paper, when meetings are not entered one by one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper_visits: Option<u32>,
}

/// One meeting of a group and who came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub uid: String,
    pub date: NaiveDate,
    pub count: u32,
}

/// A saved group with its meetings in date order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    pub id: GroupId,
    pub uid: String,
    pub entry: GroupEntry,
    pub meetings: Vec<Meeting>,
}

impl Group {
    /// Meetings held: those entered, or else the paper total (none if the
    /// paper gives no count, as some of the seed's groups do).
    pub fn meeting_count(&self) -> Option<u32> {
        if self.meetings.is_empty() {
            self.entry.paper_meetings
        } else {
            Some(self.meetings.len() as u32)
        }
    }

    /// Visits: the sum of the meetings' attendance, or else the paper total.
    pub fn visits(&self) -> u64 {
        if self.meetings.is_empty() {
            u64::from(self.entry.paper_visits.unwrap_or(0))
        } else {
            self.meetings.iter().map(|m| u64::from(m.count)).sum()
        }
    }
}

/// What a feedback question was answered with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Tally {
    /// A yes/no question: "50 kyllä, 0 ei".
    YesNo { yes: u32, no: u32 },
    /// Answers per step of a 1–5 scale.
    Scale { counts: [u32; 5] },
    /// A 1–5 scale given as its mean and number of answers ("ka 4,9, n = 7").
    Mean { mean: f64, n: u32 },
    /// Paper feedback slips counted ("palautelappuja 7 kpl").
    Slips { n: u32 },
}

impl Tally {
    /// Answers in all.
    pub fn answers(&self) -> u32 {
        match *self {
            Tally::YesNo { yes, no } => yes + no,
            Tally::Scale { counts } => counts.iter().sum(),
            Tally::Mean { n, .. } | Tally::Slips { n } => n,
        }
    }

    /// The mean of a scale, `None` for yes/no and slips or no answers.
    pub fn mean(&self) -> Option<f64> {
        match *self {
            Tally::Scale { counts } => {
                let n: u32 = counts.iter().sum();
                let sum: u32 = counts.iter().zip(1..).map(|(c, step)| c * step).sum();
                (n > 0).then(|| f64::from(sum) / f64::from(n))
            }
            Tally::Mean { mean, .. } => Some(mean),
            _ => None,
        }
    }
}

/// What a feedback tally is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackTarget {
    /// An event, by uid.
    Event(String),
    /// A group, by uid.
    Group(String),
}

/// A feedback tally as entered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackEntry {
    pub target: FeedbackTarget,
    /// The question; may be empty for a count of slips.
    #[serde(default)]
    pub question: String,
    pub tally: Tally,
}

/// A saved feedback tally, with the title of what it is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feedback {
    pub id: i64,
    pub uid: String,
    pub entry: FeedbackEntry,
    pub about: String,
}

/// A head-count: visitors counted together at the desk, without topics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeadCount {
    pub id: i64,
    pub uid: String,
    pub session: crate::domain::SessionId,
    pub at: chrono::NaiveDateTime,
    pub n: u32,
}

/// A field of the events screen's small forms, for its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Date,
    Count,
    /// `k`/`y` for an estimate ("n. 70").
    Approx,
    Kind,
    Place,
    Question,
    Yes,
    No,
}

/// What a form of the events screen adds, for its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOf {
    Event,
    /// An event recorded earlier, its fields filled in.
    EditEvent,
    Group,
    Meeting,
    Feedback,
}

/// Why an event, group or feedback cannot be saved; i18n words it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EventError {
    #[error("the title is empty")]
    NoTitle,
    #[error("{what} is {chars} characters, at most {TEXT_MAX_CHARS}")]
    TooLong { what: &'static str, chars: usize },
    #[error("{what} holds a control character")]
    ControlChar { what: &'static str },
    #[error("{what} {n} is more than {COUNT_MAX}")]
    TooMany { what: &'static str, n: u32 },
    #[error("unknown event kind {kind:?} (valid: {valid})")]
    UnknownKind { kind: String, valid: String },
    #[error("a social-media event has no count")]
    SomeWithCount,
    #[error("an event of kind {kind:?} needs a count")]
    NoCount { kind: String },
    /// A group's meeting typed on the events screen without its count.
    #[error("a meeting needs its attendance")]
    NoMeetingCount,
    #[error("{what} {value:?} is not a whole number")]
    NotANumber { what: &'static str, value: String },
    #[error("a head-count is at least 1")]
    ZeroCount,
    #[error("a scale mean {mean} is not between 1 and 5")]
    BadMean { mean: f64 },
    #[error("a tally with no answers")]
    NoAnswers,
    #[error("events are not on for profile {profile:?}")]
    EventsOff { profile: String },
    #[error("no event or group {id}")]
    NotFound { id: i64 },
}

fn check_text(what: &'static str, s: &str) -> Result<(), EventError> {
    let chars = s.chars().count();
    if chars > TEXT_MAX_CHARS {
        return Err(EventError::TooLong { what, chars });
    }
    // Controls and the bidi overrides that would reorder what a report
    // or a screen shows after them.
    if s.chars().any(crate::text::is_unsafe) {
        return Err(EventError::ControlChar { what });
    }
    Ok(())
}

fn check_count(what: &'static str, n: u32) -> Result<(), EventError> {
    if n > COUNT_MAX {
        return Err(EventError::TooMany { what, n });
    }
    Ok(())
}

impl EventEntry {
    /// Checks the entry against the profile's events settings.
    pub fn validate(&self, config: &EventsConfig) -> Result<(), EventError> {
        if self.title.trim().is_empty() {
            return Err(EventError::NoTitle);
        }
        for (what, s) in [
            ("title", &self.title),
            ("place", &self.place),
            ("partners", &self.partners),
            ("unit", &self.unit),
        ] {
            check_text(what, s)?;
        }
        if config.kind(&self.kind).is_none() {
            return Err(EventError::UnknownKind {
                kind: self.kind.clone(),
                valid: config.kind_keys(),
            });
        }
        match (self.kind == SOME_KIND, self.count) {
            (true, Some(_)) => return Err(EventError::SomeWithCount),
            (false, None) => {
                return Err(EventError::NoCount {
                    kind: self.kind.clone(),
                });
            }
            _ => {}
        }
        if let Some(n) = self.count {
            check_count("count", n)?;
        }
        if let Some(n) = self.online {
            check_count("online", n)?;
        }
        Ok(())
    }
}

impl GroupEntry {
    pub fn validate(&self) -> Result<(), EventError> {
        if self.title.trim().is_empty() {
            return Err(EventError::NoTitle);
        }
        for (what, s) in [
            ("title", &self.title),
            ("place", &self.place),
            ("partner", &self.partner),
            ("target", &self.target),
        ] {
            check_text(what, s)?;
        }
        if let Some(n) = self.paper_meetings {
            check_count("meetings", n)?;
        }
        if let Some(n) = self.paper_visits {
            check_count("visits", n)?;
        }
        Ok(())
    }
}

impl FeedbackEntry {
    pub fn validate(&self) -> Result<(), EventError> {
        check_text("question", &self.question)?;
        match self.tally {
            Tally::YesNo { yes, no } => {
                check_count("yes", yes)?;
                check_count("no", no)?;
            }
            Tally::Scale { counts } => {
                for c in counts {
                    check_count("counts", c)?;
                }
            }
            Tally::Mean { mean, n } => {
                if !(1.0..=5.0).contains(&mean) {
                    return Err(EventError::BadMean { mean });
                }
                check_count("n", n)?;
            }
            Tally::Slips { n } => check_count("n", n)?,
        }
        if self.tally.answers() == 0 {
            return Err(EventError::NoAnswers);
        }
        Ok(())
    }
}

/// Checks a group meeting's attendance (none may have come).
pub fn check_attendance(n: u32) -> Result<(), EventError> {
    check_count("count", n)
}

/// Checks a head-count's size.
pub fn check_head_count(n: u32) -> Result<(), EventError> {
    if n == 0 {
        return Err(EventError::ZeroCount);
    }
    check_count("count", n)
}

#[cfg(test)]
mod tests;

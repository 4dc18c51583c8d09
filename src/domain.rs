//! Domain types: duty sessions and visits. No I/O; they validate themselves.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::clock::Stamp;

/// Longest note kept, in characters; longer input is refused with a message.
pub const NOTE_MAX_CHARS: usize = 500;

/// Row id of a duty session in this database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct SessionId(pub i64);

/// Row id of a visit in this database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct VisitId(pub i64);

/// A globally unique, time-ordered id (UUIDv7) that survives copying a
/// record to another database, for consolidating several desks' logs. Its
/// time is the write's own stamp, not a second reading of the clock: the
/// merge tells an edited visit by the distance from this time to
/// `updated_at` (`store::sync::rule::edited`), so both come from the one
/// reading the write was trusted with.
pub fn new_uid(stamp: &Stamp) -> String {
    let at = chrono::DateTime::parse_from_rfc3339(stamp.as_str())
        .map(|t| t.timestamp_micros())
        .unwrap_or_default();
    let (secs, nanos) = (at.div_euclid(1_000_000), at.rem_euclid(1_000_000) * 1000);
    let ts = uuid::Timestamp::from_unix(uuid::NoContext, secs.max(0) as u64, nanos as u32);
    uuid::Uuid::new_v7(ts).to_string()
}

/// A globally unique id with no time in it (UUIDv4), for records whose
/// store call is handed a local time rather than a write stamp (a duty
/// session, a day's cancellation): nothing reads a time from their uids.
pub fn random_uid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A duty session (päivystys): one desk open at one place on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DutySession {
    pub id: SessionId,
    pub uid: String,
    pub profile: String,
    pub location: String,
    pub date: NaiveDate,
    pub started_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
    /// Visits saved in this session (a maintained count).
    pub visitors: u32,
}

/// What is recorded about a visit; the part the user edits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitEntry {
    /// Topic keys, in the order of the profile's topic list.
    pub topics: Vec<String>,
    pub referral: Option<String>,
    /// Optional field key → option key.
    pub fields: BTreeMap<String, String>,
    /// Free text; never names (the UI says so).
    pub note: String,
}

/// Why an entry cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryError {
    NoTopic,
    NoteTooLong { chars: usize },
}

impl VisitEntry {
    pub fn validate(&self) -> Result<(), EntryError> {
        if self.topics.is_empty() {
            return Err(EntryError::NoTopic);
        }
        let chars = self.note.chars().count();
        if chars > NOTE_MAX_CHARS {
            return Err(EntryError::NoteTooLong { chars });
        }
        Ok(())
    }

    /// Turns `key` on or off, keeping topics in the given canonical order.
    pub fn toggle_topic<'a>(&mut self, key: &str, order: impl Iterator<Item = &'a str>) {
        if let Some(i) = self.topics.iter().position(|t| t == key) {
            self.topics.remove(i);
        } else {
            self.topics.push(key.to_string());
            let order: Vec<&str> = order.collect();
            let rank = |t: &String| order.iter().position(|o| o == t).unwrap_or(usize::MAX);
            self.topics.sort_by_key(rank);
        }
    }
}

/// A saved visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Visit {
    pub id: VisitId,
    pub uid: String,
    pub session: SessionId,
    /// Local time of the visit (Europe/Helsinki on the desk laptop).
    pub at: NaiveDateTime,
    pub entry: VisitEntry,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_needs_a_topic_and_a_short_note() {
        let mut e = VisitEntry::default();
        assert_eq!(e.validate(), Err(EntryError::NoTopic));
        e.topics.push("digituki".into());
        assert_eq!(e.validate(), Ok(()));
        e.note = "x".repeat(NOTE_MAX_CHARS);
        assert_eq!(e.validate(), Ok(()));
        e.note.push('ä');
        assert_eq!(
            e.validate(),
            Err(EntryError::NoteTooLong {
                chars: NOTE_MAX_CHARS + 1
            })
        );
    }

    #[test]
    fn toggling_keeps_profile_order() {
        let order = ["a", "b", "c"];
        let mut e = VisitEntry::default();
        e.toggle_topic("c", order.into_iter());
        e.toggle_topic("a", order.into_iter());
        assert_eq!(e.topics, ["a", "c"]);
        e.toggle_topic("c", order.into_iter());
        assert_eq!(e.topics, ["a"]);
    }

    #[test]
    fn uids_are_unique() {
        let stamp = Stamp::from_rfc3339("2026-12-07T10:05:00.123456+00:00");
        assert_ne!(new_uid(&stamp), new_uid(&stamp));
        assert_ne!(random_uid(), random_uid());
    }

    #[test]
    fn a_uid_carries_the_time_of_its_stamp_not_of_the_clock() {
        let stamp = Stamp::from_rfc3339("2021-03-04T05:06:07.250+02:00");
        let uid = uuid::Uuid::parse_str(&new_uid(&stamp)).unwrap();
        let (secs, nanos) = uid.get_timestamp().unwrap().to_unix();
        let expected = chrono::DateTime::parse_from_rfc3339(stamp.as_str()).unwrap();
        assert_eq!(secs as i64, expected.timestamp());
        // UUIDv7 keeps milliseconds.
        assert_eq!(nanos / 1_000_000, 250);
    }
}

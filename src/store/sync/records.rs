//! The records that travel between desks (an export, an import, the
//! server): one of each kind of row, by uid, with when it last changed;
//! and the events' records of a period read out for an export.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;
use serde::Serialize;

use super::super::{
    Cancellation, PeriodFilter, Result, SessionRecord, Store, Tombstone, VisitRecord, fmt_date,
    parse_time,
};
use crate::events::{EventEntry, FeedbackEntry, GroupEntry};

/// One record of another desk's log.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Session(SessionRecord),
    Visit(VisitRecord),
    /// A day whose scheduled duty was not held.
    Cancelled(Cancellation),
    Deleted(Tombstone),
    /// Events, groups, their meetings and feedback, and head-counts
    /// (issue 16), merged by uid like visits.
    Event(EventRecord),
    Group(GroupRecord),
    Meeting(MeetingRecord),
    Feedback(FeedbackRecord),
    HeadCount(HeadCountRecord),
}

impl Record {
    /// The record's uid.
    pub fn uid(&self) -> &str {
        match self {
            Record::Session(s) => &s.session.uid,
            Record::Visit(v) => &v.visit.uid,
            Record::Cancelled(c) => &c.uid,
            Record::Deleted(t) => &t.uid,
            Record::Event(r) => &r.uid,
            Record::Group(r) => &r.uid,
            Record::Meeting(r) => &r.uid,
            Record::Feedback(r) => &r.uid,
            Record::HeadCount(r) => &r.uid,
        }
    }
}

/// An event with its uid and when it was last written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRecord {
    pub uid: String,
    pub entry: EventEntry,
    pub updated_at: String,
}

/// A group series (its paper totals; meetings travel on their own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupRecord {
    pub uid: String,
    pub entry: GroupEntry,
    pub updated_at: String,
}

/// One meeting of a group, by the group's uid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingRecord {
    pub uid: String,
    pub group_uid: String,
    pub date: NaiveDate,
    pub count: u32,
    pub updated_at: String,
}

/// A feedback tally; its target names the event or group by uid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedbackRecord {
    pub uid: String,
    pub entry: FeedbackEntry,
    pub updated_at: String,
}

/// A head-count, by its session's uid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeadCountRecord {
    pub uid: String,
    pub session_uid: String,
    pub at: NaiveDateTime,
    pub n: u32,
    pub updated_at: String,
}

/// All the records of this kind of a period, in the order a merge needs
/// them (groups before their meetings, targets before their feedback).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventData {
    pub events: Vec<EventRecord>,
    pub groups: Vec<GroupRecord>,
    pub meetings: Vec<MeetingRecord>,
    pub feedback: Vec<FeedbackRecord>,
    pub head_counts: Vec<HeadCountRecord>,
}

impl EventData {
    pub fn len(&self) -> usize {
        self.events.len()
            + self.groups.len()
            + self.meetings.len()
            + self.feedback.len()
            + self.head_counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Store {
    /// The events and groups of a period (by their date, the filter's
    /// profile), the groups' meetings, their feedback, and the head-counts
    /// of the filtered sessions, for an export.
    pub fn event_data(&self, f: &PeriodFilter<'_>) -> Result<EventData> {
        let (from, to) = (fmt_date(f.from), fmt_date(f.to));
        let mut out = EventData::default();
        // Events and groups belong to no place or device: a desk's part of
        // the log (--location, --device) has only its head-counts.
        let whole = f.location.is_none() && f.device.is_none();
        let (profile, a, b) = (f.profile, f.from, f.to);
        let events = if whole {
            self.events_between(profile, a, b)?
        } else {
            Vec::new()
        };
        let groups = if whole {
            self.groups_between(profile, a, b)?
        } else {
            Vec::new()
        };
        let feedback = if whole {
            self.feedback_between(profile, a, b)?
        } else {
            Vec::new()
        };
        for e in events {
            let updated_at = self.updated_at("events", &e.uid)?;
            out.events.push(EventRecord {
                uid: e.uid,
                entry: e.entry,
                updated_at,
            });
        }
        for g in groups {
            let updated_at = self.updated_at("event_groups", &g.uid)?;
            let mut stmt = self.conn.prepare_cached(
                "SELECT uid, date, count, updated_at FROM group_meetings
                 WHERE group_id = ?1 ORDER BY date, id",
            )?;
            let meetings = stmt.query_map([g.id.0], |r| {
                Ok(MeetingRecord {
                    uid: r.get(0)?,
                    group_uid: g.uid.clone(),
                    date: super::super::events::date_at(r, 1)?,
                    count: r.get(2)?,
                    updated_at: r.get(3)?,
                })
            })?;
            for m in meetings {
                out.meetings.push(m?);
            }
            out.groups.push(GroupRecord {
                uid: g.uid,
                entry: g.entry,
                updated_at,
            });
        }
        for fb in feedback {
            let updated_at = self.updated_at("feedback", &fb.uid)?;
            out.feedback.push(FeedbackRecord {
                uid: fb.uid,
                entry: fb.entry,
                updated_at,
            });
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT h.uid, s.uid, h.at, h.n, h.updated_at
             FROM head_counts h JOIN sessions s ON s.id = h.session_id
             WHERE s.date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR s.profile = ?3)
               AND (?4 IS NULL OR s.location = ?4) AND (?5 IS NULL OR s.device = ?5)
             ORDER BY h.at, h.id",
        )?;
        let rows = stmt.query_map(params![from, to, f.profile, f.location, f.device], |r| {
            Ok(HeadCountRecord {
                uid: r.get(0)?,
                session_uid: r.get(1)?,
                at: parse_time(r, 2)?,
                n: r.get(3)?,
                updated_at: r.get(4)?,
            })
        })?;
        for h in rows {
            out.head_counts.push(h?);
        }
        Ok(out)
    }

    fn updated_at(&self, table: &str, uid: &str) -> Result<String> {
        Ok(self.conn.query_row(
            &format!("SELECT updated_at FROM {table} WHERE uid = ?1"),
            [uid],
            |r| r.get(0),
        )?)
    }
}

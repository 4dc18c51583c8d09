//! Events, groups, meetings, feedback and head-counts as records that
//! travel between desks (export, import), and their merge by uid: a newer
//! copy (`updated_at`) wins, a tombstone keeps a deleted one deleted.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use super::super::{PeriodFilter, Result, Store, fmt_date, fmt_time, parse_time};
use crate::events::{EventEntry, FeedbackEntry, FeedbackTarget, GroupEntry};

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
                    date: super::date_at(r, 1)?,
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

/// Whether `uid` was deleted here (its tombstone wins over any copy).
fn tombstoned(tx: &Transaction<'_>, uid: &str) -> rusqlite::Result<bool> {
    tx.query_row("SELECT 1 FROM tombstones WHERE uid = ?1", [uid], |_| Ok(()))
        .optional()
        .map(|o| o.is_some())
}

/// What merging one record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merged {
    Added,
    Updated,
    Unchanged,
    /// Its event, group or session is not here.
    NoParent,
}

/// The local row id and `updated_at` of `uid` in `table`.
fn local(tx: &Transaction<'_>, table: &str, uid: &str) -> rusqlite::Result<Option<(i64, String)>> {
    tx.query_row(
        &format!("SELECT id, updated_at FROM {table} WHERE uid = ?1"),
        [uid],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

pub(in crate::store) fn merge_event(
    tx: &Transaction<'_>,
    r: &EventRecord,
) -> rusqlite::Result<Merged> {
    if tombstoned(tx, &r.uid)? {
        return Ok(Merged::Unchanged);
    }
    let e = &r.entry;
    let (sql, merged) = match local(tx, "events", &r.uid)? {
        None => (super::EVENT_INSERT, Merged::Added),
        Some((_, mine)) if !super::super::merge::later(&r.updated_at, &mine) => {
            return Ok(Merged::Unchanged);
        }
        Some(_) => (super::EVENT_UPDATE_BY_UID, Merged::Updated),
    };
    super::write_event(tx, sql, &r.uid, e, &r.updated_at)?;
    Ok(merged)
}

pub(in crate::store) fn merge_group(
    tx: &Transaction<'_>,
    r: &GroupRecord,
) -> rusqlite::Result<Merged> {
    if tombstoned(tx, &r.uid)? {
        return Ok(Merged::Unchanged);
    }
    let g = &r.entry;
    let (sql, merged) = match local(tx, "event_groups", &r.uid)? {
        None => (super::GROUP_INSERT, Merged::Added),
        Some((_, mine)) if !super::super::merge::later(&r.updated_at, &mine) => {
            return Ok(Merged::Unchanged);
        }
        Some(_) => (super::GROUP_UPDATE_BY_UID, Merged::Updated),
    };
    super::write_group(tx, sql, &r.uid, g, &r.updated_at)?;
    Ok(merged)
}

pub(in crate::store) fn merge_meeting(
    tx: &Transaction<'_>,
    r: &MeetingRecord,
) -> rusqlite::Result<Merged> {
    if tombstoned(tx, &r.uid)? || tombstoned(tx, &r.group_uid)? {
        return Ok(Merged::Unchanged);
    }
    let Some((group, _)) = local(tx, "event_groups", &r.group_uid)? else {
        return Ok(Merged::NoParent);
    };
    match local(tx, "group_meetings", &r.uid)? {
        None => {
            tx.execute(
                "INSERT INTO group_meetings(uid, group_id, date, count, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![r.uid, group, fmt_date(r.date), r.count, r.updated_at],
            )?;
            Ok(Merged::Added)
        }
        Some((_, mine)) if !super::super::merge::later(&r.updated_at, &mine) => {
            Ok(Merged::Unchanged)
        }
        Some((id, _)) => {
            tx.execute(
                "UPDATE group_meetings SET date = ?2, count = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, fmt_date(r.date), r.count, r.updated_at],
            )?;
            Ok(Merged::Updated)
        }
    }
}

pub(in crate::store) fn merge_feedback(
    tx: &Transaction<'_>,
    r: &FeedbackRecord,
) -> rusqlite::Result<Merged> {
    let (table, target) = match &r.entry.target {
        FeedbackTarget::Event(u) => ("events", u),
        FeedbackTarget::Group(u) => ("event_groups", u),
    };
    if tombstoned(tx, &r.uid)? || tombstoned(tx, target)? {
        return Ok(Merged::Unchanged);
    }
    let Some((parent, _)) = local(tx, table, target)? else {
        return Ok(Merged::NoParent);
    };
    let (event, group) = match table {
        "events" => (Some(parent), None),
        _ => (None, Some(parent)),
    };
    let tally = serde_json::to_string(&r.entry.tally).expect("a tally serializes");
    match local(tx, "feedback", &r.uid)? {
        None => {
            tx.execute(
                "INSERT INTO feedback(uid, event_id, group_id, question, tally, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![r.uid, event, group, r.entry.question, tally, r.updated_at],
            )?;
            Ok(Merged::Added)
        }
        Some((_, mine)) if !super::super::merge::later(&r.updated_at, &mine) => {
            Ok(Merged::Unchanged)
        }
        Some((id, _)) => {
            tx.execute(
                "UPDATE feedback SET question = ?2, tally = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, r.entry.question, tally, r.updated_at],
            )?;
            Ok(Merged::Updated)
        }
    }
}

/// A head-count into its session (already merged or here); returns what
/// happened and the session touched.
pub(in crate::store) fn merge_head_count(
    tx: &Transaction<'_>,
    r: &HeadCountRecord,
    session: Option<i64>,
) -> rusqlite::Result<(Merged, Option<i64>)> {
    if tombstoned(tx, &r.uid)? {
        return Ok((Merged::Unchanged, None));
    }
    let Some(session) = session else {
        return Ok((Merged::NoParent, None));
    };
    match local(tx, "head_counts", &r.uid)? {
        None => {
            tx.execute(
                "INSERT INTO head_counts(uid, session_id, at, n, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![r.uid, session, fmt_time(r.at), r.n, r.updated_at],
            )?;
            Ok((Merged::Added, Some(session)))
        }
        Some((_, mine)) if !super::super::merge::later(&r.updated_at, &mine) => {
            Ok((Merged::Unchanged, None))
        }
        Some((id, _)) => {
            tx.execute(
                "UPDATE head_counts SET n = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, r.n, r.updated_at],
            )?;
            Ok((Merged::Updated, Some(session)))
        }
    }
}

/// A tombstone for one of these kinds: deletes a local copy not edited
/// after the deletion. Returns whether one went, and its session for a
/// head-count.
pub(in crate::store) fn delete_by_tombstone(
    tx: &Transaction<'_>,
    uid: &str,
    deleted_at: &str,
) -> rusqlite::Result<(bool, Option<i64>)> {
    for table in [
        "events",
        "event_groups",
        "group_meetings",
        "feedback",
        "head_counts",
    ] {
        let Some((id, mine)) = local(tx, table, uid)? else {
            continue;
        };
        if super::super::merge::later(&mine, deleted_at) {
            return Ok((false, None));
        }
        let session: Option<i64> = if table == "head_counts" {
            tx.query_row(
                "SELECT session_id FROM head_counts WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
        } else {
            None
        };
        tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])?;
        return Ok((true, session));
    }
    Ok((false, None))
}

//! Events, group series with their meetings, feedback tallies and
//! head-counts (migration 8), in and out as `events` types.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};

use super::{Result, Store, Target, fmt_date, fmt_time, parse_time};
use crate::checked::{Attendance, Checked, HeadCountSize};
use crate::clock::Stamp;
use crate::domain::{SessionId, new_uid};
use crate::events::{
    Event, EventEntry, EventError, EventId, Feedback, FeedbackEntry, FeedbackTarget, Group,
    GroupEntry, GroupId, HeadCount, Meeting, Tally,
};

const EVENT_COLS: &str = "SELECT id, uid, profile, date, time, title, place, kind, partners,
    count, approx, online, unit FROM events";
const GROUP_COLS: &str = "SELECT id, uid, profile, date, title, place, partner, target,
    paper_meetings, paper_visits FROM event_groups";

/// An event row's columns after its key (`?1`), as an UPDATE sets them.
macro_rules! event_set {
    () => {
        "profile = ?2, date = ?3, time = ?4, title = ?5, place = ?6, kind = ?7, partners = ?8,
         count = ?9, approx = ?10, online = ?11, unit = ?12, updated_at = ?13"
    };
}

/// A group row's columns after its key (`?1`), as an UPDATE sets them.
macro_rules! group_set {
    () => {
        "profile = ?2, date = ?3, title = ?4, place = ?5, partner = ?6, target = ?7,
         paper_meetings = ?8, paper_visits = ?9, updated_at = ?10"
    };
}

/// The SQL [`write_event`] and [`write_group`] run: a new row (`?1` its
/// uid), or the row with that uid or id.
pub(super) const EVENT_INSERT: &str = "INSERT INTO events(uid, profile, date, time, title,
    place, kind, partners, count, approx, online, unit, updated_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
pub(super) const EVENT_UPDATE_BY_UID: &str =
    concat!("UPDATE events SET ", event_set!(), " WHERE uid = ?1");
const EVENT_UPDATE_BY_ID: &str = concat!("UPDATE events SET ", event_set!(), " WHERE id = ?1");
pub(super) const GROUP_INSERT: &str = "INSERT INTO event_groups(uid, profile, date, title,
    place, partner, target, paper_meetings, paper_visits, updated_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
pub(super) const GROUP_UPDATE_BY_UID: &str =
    concat!("UPDATE event_groups SET ", group_set!(), " WHERE uid = ?1");

/// `HH:MM`, as an event's time is kept.
pub(super) fn time_text(t: Option<NaiveTime>) -> Option<String> {
    t.map(|t| t.format("%H:%M").to_string())
}

/// Writes `e` with one of the event statements above, `key` as `?1`.
pub(super) fn write_event(
    conn: &rusqlite::Connection,
    sql: &str,
    key: &dyn rusqlite::ToSql,
    e: &EventEntry,
    updated_at: &str,
) -> rusqlite::Result<usize> {
    conn.execute(
        sql,
        params![
            key,
            e.profile,
            fmt_date(e.date),
            time_text(e.time),
            e.title,
            e.place,
            e.kind,
            e.partners,
            e.count,
            e.approx,
            e.online,
            e.unit,
            updated_at
        ],
    )
}

/// Writes `g` with one of the group statements above, `key` as `?1`.
pub(super) fn write_group(
    conn: &rusqlite::Connection,
    sql: &str,
    key: &dyn rusqlite::ToSql,
    g: &GroupEntry,
    updated_at: &str,
) -> rusqlite::Result<usize> {
    conn.execute(
        sql,
        params![
            key,
            g.profile,
            fmt_date(g.date),
            g.title,
            g.place,
            g.partner,
            g.target,
            g.paper_meetings,
            g.paper_visits,
            updated_at
        ],
    )
}

fn not_found(id: i64) -> super::StoreError {
    super::StoreError::Event(EventError::NotFound { id })
}

pub(super) fn date_at(r: &Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
    let s: String = r.get(i)?;
    NaiveDate::parse_from_str(&s, super::DATE_FMT).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

fn event_from_row(r: &Row<'_>) -> rusqlite::Result<Event> {
    let time: Option<String> = r.get(4)?;
    Ok(Event {
        id: EventId(r.get(0)?),
        uid: r.get(1)?,
        entry: EventEntry {
            profile: r.get(2)?,
            date: date_at(r, 3)?,
            time: time.and_then(|t| NaiveTime::parse_from_str(&t, "%H:%M").ok()),
            title: r.get(5)?,
            place: r.get(6)?,
            kind: r.get(7)?,
            partners: r.get(8)?,
            count: r.get(9)?,
            approx: r.get(10)?,
            online: r.get(11)?,
            unit: r.get(12)?,
        },
    })
}

fn group_from_row(r: &Row<'_>) -> rusqlite::Result<Group> {
    Ok(Group {
        id: GroupId(r.get(0)?),
        uid: r.get(1)?,
        entry: GroupEntry {
            profile: r.get(2)?,
            date: date_at(r, 3)?,
            title: r.get(4)?,
            place: r.get(5)?,
            partner: r.get(6)?,
            target: r.get(7)?,
            paper_meetings: r.get(8)?,
            paper_visits: r.get(9)?,
        },
        meetings: Vec::new(),
    })
}

impl Store {
    // ---- events ---------------------------------------------------------

    /// Saves an event (checked against its profile's kinds).
    pub fn add_event(&mut self, e: &Checked<EventEntry>, stamp: &Stamp) -> Result<Event> {
        write_event(
            self.writable()?,
            EVENT_INSERT,
            &new_uid(stamp),
            e,
            stamp.as_str(),
        )?;
        self.event(EventId(self.conn.last_insert_rowid()))
    }

    /// Replaces what is recorded about an event (its uid stays).
    pub fn update_event(
        &mut self,
        id: EventId,
        e: &Checked<EventEntry>,
        stamp: &Stamp,
    ) -> Result<Event> {
        let n = write_event(
            self.writable()?,
            EVENT_UPDATE_BY_ID,
            &id.0,
            e,
            stamp.as_str(),
        )?;
        if n != 1 {
            return Err(not_found(id.0));
        }
        self.event(id)
    }

    pub fn event(&self, id: EventId) -> Result<Event> {
        self.conn
            .query_row(
                &format!("{EVENT_COLS} WHERE id = ?1"),
                [id.0],
                event_from_row,
            )
            .optional()?
            .ok_or_else(|| not_found(id.0))
    }

    /// Events between two days inclusive, optionally of one profile, in
    /// date order.
    pub fn events_between(
        &self,
        profile: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Event>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{EVENT_COLS} WHERE date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR profile = ?3)
             ORDER BY date, coalesce(time, ''), id"
        ))?;
        let rows = stmt.query_map(
            params![fmt_date(from), fmt_date(to), profile],
            event_from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Deletes an event and its feedback, leaving tombstones so a merge
    /// does not bring them back.
    pub fn delete_event(&mut self, id: EventId, stamp: &Stamp) -> Result<Event> {
        let event = self.event(id)?;
        let tx = self
            .writable()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT OR REPLACE INTO tombstones(uid, deleted_at)
             SELECT uid, ?2 FROM feedback WHERE event_id = ?1
             UNION ALL SELECT uid, ?2 FROM events WHERE id = ?1",
            params![id.0, stamp.as_str()],
        )?;
        tx.execute("DELETE FROM events WHERE id = ?1", [id.0])?;
        tx.commit()?;
        Ok(event)
    }

    // ---- groups ---------------------------------------------------------

    pub fn add_group(&mut self, g: &Checked<GroupEntry>, stamp: &Stamp) -> Result<Group> {
        write_group(
            self.writable()?,
            GROUP_INSERT,
            &new_uid(stamp),
            g,
            stamp.as_str(),
        )?;
        self.group(GroupId(self.conn.last_insert_rowid()))
    }

    /// A meeting of a group and its attendance.
    pub fn add_meeting(
        &mut self,
        group: GroupId,
        date: NaiveDate,
        count: Checked<Attendance>,
        stamp: &Stamp,
    ) -> Result<Meeting> {
        self.group(group)?;
        let count = count.into_inner().0;
        let uid = new_uid(stamp);
        self.writable()?.execute(
            "INSERT INTO group_meetings(uid, group_id, date, count, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![uid, group.0, fmt_date(date), count, stamp.as_str()],
        )?;
        Ok(Meeting { uid, date, count })
    }

    pub fn group(&self, id: GroupId) -> Result<Group> {
        let mut g = self
            .conn
            .query_row(
                &format!("{GROUP_COLS} WHERE id = ?1"),
                [id.0],
                group_from_row,
            )
            .optional()?
            .ok_or_else(|| not_found(id.0))?;
        g.meetings = self.meetings_of(id)?;
        Ok(g)
    }

    fn meetings_of(&self, id: GroupId) -> Result<Vec<Meeting>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT uid, date, count FROM group_meetings WHERE group_id = ?1 ORDER BY date, id",
        )?;
        let rows = stmt.query_map([id.0], |r| {
            Ok(Meeting {
                uid: r.get(0)?,
                date: date_at(r, 1)?,
                count: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Groups whose series began between two days inclusive, optionally of
    /// one profile, with their meetings.
    pub fn groups_between(
        &self,
        profile: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Group>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{GROUP_COLS} WHERE date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR profile = ?3)
             ORDER BY date, id"
        ))?;
        let mut groups: Vec<Group> = stmt
            .query_map(
                params![fmt_date(from), fmt_date(to), profile],
                group_from_row,
            )?
            .collect::<rusqlite::Result<_>>()?;
        for g in &mut groups {
            g.meetings = self.meetings_of(g.id)?;
        }
        Ok(groups)
    }

    /// Deletes a group with its meetings and feedback, leaving tombstones.
    pub fn delete_group(&mut self, id: GroupId, stamp: &Stamp) -> Result<Group> {
        let group = self.group(id)?;
        let tx = self
            .writable()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT OR REPLACE INTO tombstones(uid, deleted_at)
             SELECT uid, ?2 FROM feedback WHERE group_id = ?1
             UNION ALL SELECT uid, ?2 FROM group_meetings WHERE group_id = ?1
             UNION ALL SELECT uid, ?2 FROM event_groups WHERE id = ?1",
            params![id.0, stamp.as_str()],
        )?;
        tx.execute("DELETE FROM event_groups WHERE id = ?1", [id.0])?;
        tx.commit()?;
        Ok(group)
    }

    // ---- feedback -------------------------------------------------------

    /// Attaches a feedback tally to the event or group its target names.
    pub fn add_feedback(&mut self, f: &Checked<FeedbackEntry>, stamp: &Stamp) -> Result<Feedback> {
        let (event, group) = match &f.target {
            FeedbackTarget::Event(uid) => (Some(self.row_of("events", uid)?), None),
            FeedbackTarget::Group(uid) => (None, Some(self.row_of("event_groups", uid)?)),
        };
        let tally = serde_json::to_string(&f.tally).expect("a tally serializes");
        self.writable()?.execute(
            "INSERT INTO feedback(uid, event_id, group_id, question, tally, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                new_uid(stamp),
                event,
                group,
                f.question,
                tally,
                stamp.as_str()
            ],
        )?;
        let id = self.conn.last_insert_rowid();
        Ok(self
            .feedback_where("f.id = ?1", params![id])?
            .pop()
            .expect("just written"))
    }

    fn row_of(&self, table: &str, uid: &str) -> Result<i64> {
        self.conn
            .query_row(
                &format!("SELECT id FROM {table} WHERE uid = ?1"),
                [uid],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| not_found(0))
    }

    /// Feedback on the events held and the groups begun between two days,
    /// optionally of one profile: events' first, in date order.
    pub fn feedback_between(
        &self,
        profile: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Feedback>> {
        self.feedback_where(
            "coalesce(e.date, g.date) BETWEEN ?1 AND ?2
               AND (?3 IS NULL OR coalesce(e.profile, g.profile) = ?3)",
            params![fmt_date(from), fmt_date(to), profile],
        )
    }

    fn feedback_where(&self, filter: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<Feedback>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT f.id, f.uid, e.uid, g.uid, f.question, f.tally, coalesce(e.title, g.title)
             FROM feedback f LEFT JOIN events e ON e.id = f.event_id
                  LEFT JOIN event_groups g ON g.id = f.group_id
             WHERE {filter}
             ORDER BY f.group_id IS NOT NULL, coalesce(e.date, g.date), f.id"
        ))?;
        let rows = stmt.query_map(args, |r| {
            let event: Option<String> = r.get(2)?;
            let group: Option<String> = r.get(3)?;
            let tally: String = r.get(5)?;
            let tally: Tally = serde_json::from_str(&tally).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, e.into())
            })?;
            Ok(Feedback {
                id: r.get(0)?,
                uid: r.get(1)?,
                entry: FeedbackEntry {
                    target: match (event, group) {
                        (Some(e), _) => FeedbackTarget::Event(e),
                        (_, g) => FeedbackTarget::Group(g.unwrap_or_default()),
                    },
                    question: r.get(4)?,
                    tally,
                },
                about: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ---- head-counts ----------------------------------------------------

    /// Adds `n` visitors at once, without topics, to the session `target`
    /// names (written with it if needed, as a visit's is), in one
    /// transaction; counted in its visitors (migration 8's triggers).
    pub fn add_head_count(
        &mut self,
        target: Target<'_>,
        at: NaiveDateTime,
        n: Checked<HeadCountSize>,
        stamp: &Stamp,
    ) -> Result<HeadCount> {
        let tx = self
            .writable()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let session = super::session_in(&tx, target, at)?;
        let h = insert_head_count(&tx, session, at, n.into_inner().0, stamp)?;
        tx.commit()?;
        Ok(h)
    }

    /// Takes a head-count back, leaving a tombstone.
    pub fn delete_head_count(&mut self, id: i64, stamp: &Stamp) -> Result<()> {
        let tx = self
            .writable()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT OR REPLACE INTO tombstones(uid, deleted_at)
             SELECT uid, ?2 FROM head_counts WHERE id = ?1",
            params![id, stamp.as_str()],
        )?;
        if tx.execute("DELETE FROM head_counts WHERE id = ?1", [id])? != 1 {
            return Err(not_found(id));
        }
        tx.commit()?;
        Ok(())
    }

    /// A session's head-counts, oldest first.
    pub fn head_counts_in(&self, session: SessionId) -> Result<Vec<HeadCount>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, uid, session_id, at, n FROM head_counts WHERE session_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([session.0], |r| {
            Ok(HeadCount {
                id: r.get(0)?,
                uid: r.get(1)?,
                session: SessionId(r.get(2)?),
                at: parse_time(r, 3)?,
                n: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A profile's head-counts on a day, newest first.
    pub fn head_counts_on(&self, profile: &str, date: NaiveDate) -> Result<Vec<HeadCount>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT h.id, h.uid, h.session_id, h.at, h.n FROM head_counts h
             JOIN sessions s ON s.id = h.session_id
             WHERE s.profile = ?1 AND s.date = ?2 ORDER BY h.at DESC, h.id DESC",
        )?;
        let rows = stmt.query_map(params![profile, fmt_date(date)], |r| {
            Ok(HeadCount {
                id: r.get(0)?,
                uid: r.get(1)?,
                session: SessionId(r.get(2)?),
                at: parse_time(r, 3)?,
                n: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Visitors counted in head-counts in the filtered sessions of a
    /// period: the part of the visitors that is not itemised.
    pub fn head_count_total(
        &self,
        profile: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<u32> {
        Ok(self.conn.query_row(
            "SELECT coalesce(sum(h.n), 0) FROM head_counts h JOIN sessions s ON s.id = h.session_id
             WHERE s.date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR s.profile = ?3)",
            params![fmt_date(from), fmt_date(to), profile],
            |r| r.get(0),
        )?)
    }
}

fn insert_head_count(
    tx: &rusqlite::Transaction<'_>,
    session: SessionId,
    at: NaiveDateTime,
    n: u32,
    stamp: &Stamp,
) -> rusqlite::Result<HeadCount> {
    let uid = new_uid(stamp);
    tx.execute(
        "INSERT INTO head_counts(uid, session_id, at, n, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![uid, session.0, fmt_time(at), n, stamp.as_str()],
    )?;
    Ok(HeadCount {
        id: tx.last_insert_rowid(),
        uid,
        session,
        at,
        n,
    })
}

#[cfg(test)]
mod tests;

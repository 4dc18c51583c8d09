//! Events, groups, meetings, feedback and head-counts merged by uid: one
//! generic merge ([`merge`]) over what each kind says about itself
//! ([`Synced`]: its table, what it belongs to, how it is written), by the
//! rule of `rule` with final deletions.

use rusqlite::{Connection, OptionalExtension, params};

use super::super::events::{
    EVENT_INSERT, EVENT_UPDATE_BY_UID, GROUP_INSERT, GROUP_UPDATE_BY_UID, write_event, write_group,
};
use super::super::{fmt_date, fmt_time};
use super::Merger;
use super::records::{EventRecord, FeedbackRecord, GroupRecord, HeadCountRecord, MeetingRecord};
use super::rule::{self, Deletion, Here, Verdict};
use crate::events::FeedbackTarget;

/// What merging one record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Merged {
    Added,
    Updated,
    Unchanged,
    /// Its event, group or session is not here.
    NoParent,
}

/// The row a record belongs to.
pub(super) enum Parent {
    /// It belongs to nothing.
    None,
    /// This row of the parent's table.
    Row(i64),
    /// Its parent is neither merged nor here.
    Missing,
}

/// One kind of record that travels by uid.
pub(super) trait Synced {
    /// Its table, keyed by `uid`.
    const TABLE: &'static str;
    fn uid(&self) -> &str;
    /// When it last changed (RFC 3339).
    fn updated_at(&self) -> &str;
    /// The uid whose deletion takes this record along (its group, its
    /// event or group).
    fn owner(&self) -> Option<&str> {
        None
    }
    /// The row it belongs to here.
    fn parent(&self, _m: &mut Merger<'_>) -> rusqlite::Result<Parent> {
        Ok(Parent::None)
    }
    fn insert(&self, conn: &Connection, parent: Option<i64>) -> rusqlite::Result<()>;
    /// Writes it over the row `id`.
    fn update(&self, conn: &Connection, id: i64) -> rusqlite::Result<()>;
    /// Whether writing it changes its parent's visitors (a head-count).
    const COUNTED: bool = false;
}

/// The generic merge by uid: a tombstone of the record or of what it
/// belongs to keeps it out; else it needs its parent, and then the later
/// change wins. Returns what it did, and the session whose visitors it
/// changed.
pub(super) fn merge<K: Synced>(
    m: &mut Merger<'_>,
    r: &K,
) -> rusqlite::Result<(Merged, Option<i64>)> {
    let deleted = m.tombstone(r.uid())?;
    let owner_deleted = match r.owner() {
        Some(owner) => m.tombstone(owner)?.is_some(),
        None => false,
    };
    // A deletion is final for these kinds, before anything else is asked.
    let gone = Here {
        copy: None,
        deleted: deleted.as_deref(),
    };
    if owner_deleted || rule::verdict(r.updated_at(), gone, Deletion::Final) == Verdict::Keep {
        return Ok((Merged::Unchanged, None));
    }
    let parent = match r.parent(m)? {
        Parent::None => None,
        Parent::Row(id) => Some(id),
        Parent::Missing => return Ok((Merged::NoParent, None)),
    };
    let local = local(m.tx, K::TABLE, r.uid())?;
    let here = Here {
        copy: local.as_ref().map(|(_, u)| u.as_str()),
        deleted: None,
    };
    let what = match rule::verdict(r.updated_at(), here, Deletion::Final) {
        Verdict::Add => {
            r.insert(m.tx, parent)?;
            Merged::Added
        }
        Verdict::Replace => {
            let (id, _) = local.expect("a copy to replace");
            r.update(m.tx, id)?;
            Merged::Updated
        }
        Verdict::Keep | Verdict::Revive => return Ok((Merged::Unchanged, None)),
    };
    Ok((what, parent.filter(|_| K::COUNTED)))
}

/// The local row id and `updated_at` of `uid` in `table`.
fn local(conn: &Connection, table: &str, uid: &str) -> rusqlite::Result<Option<(i64, String)>> {
    conn.prepare_cached(&format!(
        "SELECT id, updated_at FROM {table} WHERE uid = ?1"
    ))?
    .query_row([uid], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()
}

/// The row of `uid` in `table`, as a parent.
fn parent_in(conn: &Connection, table: &str, uid: &str) -> rusqlite::Result<Parent> {
    Ok(match local(conn, table, uid)? {
        Some((id, _)) => Parent::Row(id),
        None => Parent::Missing,
    })
}

impl Synced for EventRecord {
    const TABLE: &'static str = "events";
    fn uid(&self) -> &str {
        &self.uid
    }
    fn updated_at(&self) -> &str {
        &self.updated_at
    }
    fn insert(&self, conn: &Connection, _: Option<i64>) -> rusqlite::Result<()> {
        write_event(conn, EVENT_INSERT, &self.uid, &self.entry, &self.updated_at).map(|_| ())
    }
    fn update(&self, conn: &Connection, _: i64) -> rusqlite::Result<()> {
        let sql = EVENT_UPDATE_BY_UID;
        write_event(conn, sql, &self.uid, &self.entry, &self.updated_at).map(|_| ())
    }
}

impl Synced for GroupRecord {
    const TABLE: &'static str = "event_groups";
    fn uid(&self) -> &str {
        &self.uid
    }
    fn updated_at(&self) -> &str {
        &self.updated_at
    }
    fn insert(&self, conn: &Connection, _: Option<i64>) -> rusqlite::Result<()> {
        write_group(conn, GROUP_INSERT, &self.uid, &self.entry, &self.updated_at).map(|_| ())
    }
    fn update(&self, conn: &Connection, _: i64) -> rusqlite::Result<()> {
        let sql = GROUP_UPDATE_BY_UID;
        write_group(conn, sql, &self.uid, &self.entry, &self.updated_at).map(|_| ())
    }
}

impl Synced for MeetingRecord {
    const TABLE: &'static str = "group_meetings";
    fn uid(&self) -> &str {
        &self.uid
    }
    fn updated_at(&self) -> &str {
        &self.updated_at
    }
    fn owner(&self) -> Option<&str> {
        Some(&self.group_uid)
    }
    fn parent(&self, m: &mut Merger<'_>) -> rusqlite::Result<Parent> {
        parent_in(m.tx, "event_groups", &self.group_uid)
    }
    fn insert(&self, conn: &Connection, group: Option<i64>) -> rusqlite::Result<()> {
        super::exec(
            conn,
            "INSERT INTO group_meetings(uid, group_id, date, count, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                self.uid,
                group,
                fmt_date(self.date),
                self.count,
                self.updated_at
            ],
        )
        .map(|_| ())
    }
    fn update(&self, conn: &Connection, id: i64) -> rusqlite::Result<()> {
        super::exec(
            conn,
            "UPDATE group_meetings SET date = ?2, count = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, fmt_date(self.date), self.count, self.updated_at],
        )
        .map(|_| ())
    }
}

impl FeedbackRecord {
    /// The table and uid of what the feedback is about.
    fn target(&self) -> (&'static str, &str) {
        match &self.entry.target {
            FeedbackTarget::Event(u) => ("events", u),
            FeedbackTarget::Group(u) => ("event_groups", u),
        }
    }

    fn tally(&self) -> String {
        serde_json::to_string(&self.entry.tally).expect("a tally serializes")
    }
}

impl Synced for FeedbackRecord {
    const TABLE: &'static str = "feedback";
    fn uid(&self) -> &str {
        &self.uid
    }
    fn updated_at(&self) -> &str {
        &self.updated_at
    }
    fn owner(&self) -> Option<&str> {
        Some(self.target().1)
    }
    fn parent(&self, m: &mut Merger<'_>) -> rusqlite::Result<Parent> {
        let (table, uid) = self.target();
        parent_in(m.tx, table, uid)
    }
    fn insert(&self, conn: &Connection, parent: Option<i64>) -> rusqlite::Result<()> {
        let (event, group) = match self.target().0 {
            "events" => (parent, None),
            _ => (None, parent),
        };
        super::exec(
            conn,
            "INSERT INTO feedback(uid, event_id, group_id, question, tally, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                self.uid,
                event,
                group,
                self.entry.question,
                self.tally(),
                self.updated_at
            ],
        )
        .map(|_| ())
    }
    fn update(&self, conn: &Connection, id: i64) -> rusqlite::Result<()> {
        super::exec(
            conn,
            "UPDATE feedback SET question = ?2, tally = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, self.entry.question, self.tally(), self.updated_at],
        )
        .map(|_| ())
    }
}

impl Synced for HeadCountRecord {
    const TABLE: &'static str = "head_counts";
    const COUNTED: bool = true;
    fn uid(&self) -> &str {
        &self.uid
    }
    fn updated_at(&self) -> &str {
        &self.updated_at
    }
    fn parent(&self, m: &mut Merger<'_>) -> rusqlite::Result<Parent> {
        Ok(match m.session_id(&self.session_uid)? {
            Some(id) => Parent::Row(id),
            None => Parent::Missing,
        })
    }
    fn insert(&self, conn: &Connection, session: Option<i64>) -> rusqlite::Result<()> {
        super::exec(
            conn,
            "INSERT INTO head_counts(uid, session_id, at, n, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                self.uid,
                session,
                fmt_time(self.at),
                self.n,
                self.updated_at
            ],
        )
        .map(|_| ())
    }
    fn update(&self, conn: &Connection, id: i64) -> rusqlite::Result<()> {
        super::exec(
            conn,
            "UPDATE head_counts SET n = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, self.n, self.updated_at],
        )
        .map(|_| ())
    }
}

/// A tombstone for one of these kinds: deletes the local copy unless it
/// changed after the deletion. Returns whether one went, and its session
/// for a head-count.
pub(super) fn delete_by_tombstone(
    conn: &Connection,
    uid: &str,
    deleted_at: &str,
) -> rusqlite::Result<(bool, Option<i64>)> {
    for table in [
        EventRecord::TABLE,
        GroupRecord::TABLE,
        MeetingRecord::TABLE,
        FeedbackRecord::TABLE,
        HeadCountRecord::TABLE,
    ] {
        let Some((id, mine)) = local(conn, table, uid)? else {
            continue;
        };
        if !rule::deletes(deleted_at, &mine) {
            return Ok((false, None));
        }
        let session: Option<i64> = if table == HeadCountRecord::TABLE {
            conn.prepare_cached("SELECT session_id FROM head_counts WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?
        } else {
            None
        };
        super::exec(conn, &format!("DELETE FROM {table} WHERE id = ?1"), [id])?;
        return Ok((true, session));
    }
    Ok((false, None))
}

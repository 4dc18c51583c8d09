//! Consolidation: another desk's records merged into this database by
//! their stable uids, in one transaction, by one rule for every kind
//! ([`rule`]: the later change wins, deletions travel as tombstones, a
//! visit edited after its deletion survives it and is reported):
//!
//! - a session is matched by uid; a known one only widens its start and end;
//! - a visit, event, group, meeting, feedback or head-count is matched by
//!   uid and replaced by a copy changed later. A visit changed on both
//!   sides after it was first saved (a UUIDv7 uid carries its creation
//!   time) is a conflict: the later change is kept and the conflict is
//!   reported;
//! - a tombstone removes an older copy, and a copy edited after the
//!   deletion survives it (a visit's as a reported conflict);
//! - each touched session's maintained visitor count is recounted after
//!   its visits are written (once, or again if touched again), but for
//!   a session this merge added that only ever gained visits: those are
//!   counted as they are written, and its count raised by theirs;
//!   the report's kept counts follow (`counts`).
//!
//! Records stream in ([`Store::merge_stream`]): visits are looked up and
//! written a batch at a time, so a merge of a million visits holds a
//! batch, not the file, and merging the same records again changes
//! nothing.

mod aside;
mod counts;
mod fresh;
mod kinds;
mod records;
mod rows;
pub mod rule;
mod visits;
mod years;

use std::collections::BTreeSet;

use foldhash::{HashMap, HashSet};

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

pub use records::{
    EventData, EventRecord, FeedbackRecord, GroupRecord, HeadCountRecord, MeetingRecord, Record,
};

use super::{Cancellation, SessionRecord, Store, StoreError, Tombstone, fmt_date, fmt_time};

/// Which copy of a conflicting visit was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Local,
    Incoming,
}

/// A visit changed on both sides (or deleted on one and edited on the other).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub uid: String,
    pub at: NaiveDateTime,
    pub kept: Side,
    /// One side deleted the visit.
    pub deletion: bool,
}

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeSummary {
    pub sessions_added: u32,
    pub visits_added: u32,
    pub visits_updated: u32,
    pub visits_deleted: u32,
    /// Days marked cancelled here for the first time.
    pub days_cancelled: u32,
    /// Events, groups, meetings, feedback and head-counts added, updated
    /// (a newer copy) and deleted (a tombstone).
    pub others_added: u32,
    pub others_updated: u32,
    pub others_deleted: u32,
    /// Records that were already here as they are (or older than ours).
    pub unchanged: u32,
    pub conflicts: Vec<Conflict>,
}

impl MergeSummary {
    /// Whether the merge changed anything.
    pub fn changed(&self) -> bool {
        self.sessions_added
            + self.visits_added
            + self.visits_updated
            + self.visits_deleted
            + self.days_cancelled
            + self.others_added
            + self.others_updated
            + self.others_deleted
            > 0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Record `index` (0-based) names a session that is neither in the
    /// records before it nor in this database.
    #[error("record {index}: unknown session {uid}")]
    UnknownSession { index: usize, uid: String },
    /// A meeting, feedback or head-count whose group, event or session is
    /// neither in the records before it nor here.
    #[error("record {index}: {uid} belongs to nothing known")]
    UnknownParent { index: usize, uid: String },
}

impl From<rusqlite::Error> for MergeError {
    fn from(e: rusqlite::Error) -> Self {
        MergeError::Store(e.into())
    }
}

/// Why a streamed merge stopped, having written nothing: the merge
/// itself, or the source of its records (a line that cannot be read).
#[derive(Debug)]
pub enum StreamError<E> {
    Merge(MergeError),
    Source(E),
}

impl<E> From<MergeError> for StreamError<E> {
    fn from(e: MergeError) -> Self {
        StreamError::Merge(e)
    }
}

impl Store {
    /// Merges `records` in one transaction: all of them or, on error, none.
    pub fn merge(&mut self, records: &[Record]) -> Result<MergeSummary, MergeError> {
        let stream = records
            .iter()
            .cloned()
            .map(Ok::<_, std::convert::Infallible>);
        self.merge_stream(stream, drop).map_err(|e| match e {
            StreamError::Merge(e) => e,
            StreamError::Source(never) => match never {},
        })
    }

    /// Merges the records `records` yields, in one transaction, holding
    /// only a batch of them at a time: all of them or none. The first
    /// error of the source stops the merge and is handed back, and nothing
    /// is written; so does the first record that cannot be merged, its
    /// index counted from 0 in the stream.
    ///
    /// Each batch of visits, once merged, goes to `spent`, to be dropped
    /// where it was made (an import's records are made on its reading
    /// thread: freed there, their memory goes back to that thread's
    /// allocator without a lock taken in turn by both).
    pub fn merge_stream<E>(
        &mut self,
        records: impl IntoIterator<Item = Result<Record, E>>,
        spent: impl FnMut(Box<dyn Send>),
    ) -> Result<MergeSummary, StreamError<E>> {
        // The pragmas below are the file's connection's.
        self.writable().map_err(MergeError::from)?;
        // An insert that fires triggers keeps a statement journal of the
        // pages it changes, to undo itself alone; in memory, not a temp
        // file written for every record. One statement's pages, not the
        // merge's. Put back whatever happens.
        // A larger page cache, so that the pages every batch comes back
        // to (the indexes' inner pages, the kept counts) are not written
        // out and read again mid-merge; a bounded one.
        let pragma = |name: &str| -> Result<i64, MergeError> {
            Ok(self
                .conn
                .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))?)
        };
        let (temp, cache) = (pragma("temp_store")?, pragma("cache_size")?);
        self.conn
            .pragma_update(None, "temp_store", "MEMORY")
            .map_err(MergeError::from)?;
        self.conn
            .pragma_update(None, "cache_size", -MERGE_CACHE_KIB)
            .map_err(MergeError::from)?;
        let merged = self.merge_in_one_transaction(records, spent);
        self.conn
            .pragma_update(None, "temp_store", temp)
            .map_err(MergeError::from)?;
        self.conn
            .pragma_update(None, "cache_size", cache)
            .map_err(MergeError::from)?;
        merged
    }

    fn merge_in_one_transaction<E>(
        &mut self,
        records: impl IntoIterator<Item = Result<Record, E>>,
        mut spent: impl FnMut(Box<dyn Send>),
    ) -> Result<MergeSummary, StreamError<E>> {
        let tx = self
            .writable()
            .map_err(MergeError::from)?
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(MergeError::from)?;
        let tombstones = tx
            .query_row("SELECT 1 FROM tombstones LIMIT 1", [], |_| Ok(()))
            .optional()
            .map_err(MergeError::from)?
            .is_some();
        let mut m = Merger {
            tx: &tx,
            sum: MergeSummary::default(),
            sessions: HashMap::default(),
            touched: BTreeSet::new(),
            fresh: fresh::Fresh::default(),
            counts: counts::Counts::default(),
            years: years::Years::default(),
            batch: Vec::new(),
            batch_uids: Default::default(),
            tombstones,
            mostly_new: true,
            spent: &mut spent,
        };
        for (index, record) in records.into_iter().enumerate() {
            m.record(index, record.map_err(StreamError::Source)?)?;
        }
        let sum = m.finish()?;
        tx.commit().map_err(MergeError::from)?;
        Ok(sum)
    }
}

/// The page cache during a merge, in KiB: enough to keep the sessions'
/// uid index (a random uid each, ~7 MB for 150 000 sessions) with the
/// pages every batch comes back to, so that they are not read back
/// mid-merge; an import of 1 000 000 visits stays under 100 MB.
const MERGE_CACHE_KIB: i64 = 16 * 1024;

/// Touched sessions kept before their visitors are recounted.
const TOUCHED_KEPT: usize = if cfg!(test) { 2 } else { 10_000 };

/// Session uids whose row ids a merge keeps at once.
const SESSIONS_KEPT: usize = if cfg!(test) { 3 } else { 10_000 };

/// One merge under way, inside its transaction.
struct Merger<'t> {
    tx: &'t Transaction<'t>,
    sum: MergeSummary,
    /// Session uid → row id, for the sessions merged or looked up.
    sessions: HashMap<String, i64>,
    /// Sessions whose visitors are recounted at the end.
    touched: BTreeSet<i64>,
    /// Sessions this merge added whose only change since is visits it
    /// added, with how many not yet in their `visitors`: their count is
    /// raised by that, not recounted. Any other change (a visit moved or
    /// deleted, a head-count) recounts the session instead (`touch`).
    fresh: fresh::Fresh,
    counts: counts::Counts,
    /// The sessions added, counted into the year's totals per batch.
    years: years::Years,
    /// Visits read but not yet merged, with their indexes.
    batch: Vec<(usize, super::VisitRecord)>,
    /// Hashes of the batch's uids (a uid twice flushes it first).
    batch_uids: HashSet<u64>,
    /// Whether this database may hold tombstones (it had some, or the
    /// merge brought one): else a visit's deletion is not looked for.
    tombstones: bool,
    /// Whether the last batch's visits were mostly not here: the next
    /// are written first and looked up only if here.
    mostly_new: bool,
    /// Where each batch of visits goes once merged.
    spent: &'t mut dyn FnMut(Box<dyn Send>),
}

impl Merger<'_> {
    fn record(&mut self, index: usize, record: Record) -> Result<(), MergeError> {
        if let Record::Visit(v) = record {
            return self.visit(index, v);
        }
        // Whatever comes after a visit sees it merged.
        self.flush_visits()?;
        // And whatever may act on the year's totals (a session's
        // visitors, a session deleted), the sessions added counted there.
        if !matches!(record, Record::Session(_)) {
            self.years.flush(self.tx)?;
        }
        match record {
            Record::Visit(_) => unreachable!("merged above"),
            Record::Session(s) => self.session(&s)?,
            Record::Cancelled(c) => self.cancellation(&c)?,
            Record::Deleted(t) => self.deleted(&t)?,
            Record::Event(r) => self.other(index, &r)?,
            Record::Group(r) => self.other(index, &r)?,
            Record::Meeting(r) => self.other(index, &r)?,
            Record::Feedback(r) => self.other(index, &r)?,
            Record::HeadCount(r) => self.other(index, &r)?,
        }
        Ok(())
    }

    /// The rest of the batch, the kept counts and the touched sessions'
    /// visitors, before the commit.
    fn finish(mut self) -> Result<MergeSummary, MergeError> {
        self.flush_visits()?;
        self.counts.finish(self.tx)?;
        self.years.finish(self.tx)?;
        self.write_fresh()?;
        self.recount()?;
        Ok(self.sum)
    }

    /// Marks a session whose visitors changed by more than visits added
    /// to a session this merge added: recounted from its rows.
    fn touch(&mut self, session: i64) {
        self.fresh.remove(session);
        self.touched.insert(session);
    }

    /// Counts a visit added to `session`: in memory for a session this
    /// merge added (and only added visits to), else by a recount.
    fn visit_added(&mut self, session: i64) {
        if !self.fresh.visit(session) {
            self.touched.insert(session);
        }
    }

    /// Raises the visitors of the sessions this merge added by the visits
    /// counted for them, and forgets them (a visit added after is
    /// recounted).
    fn write_fresh(&mut self) -> rusqlite::Result<()> {
        self.years.flush(self.tx)?;
        // In the order of their ids, each row beside the one before.
        let mut raise = self
            .tx
            .prepare_cached("UPDATE sessions SET visitors = visitors + ?2 WHERE id = ?1")?;
        for (id, n) in self.fresh.take() {
            raise.execute(params![id, n])?;
        }
        Ok(())
    }

    /// Recounts the visitors of the sessions touched so far: at the end,
    /// and whenever they grow many (a session touched again is recounted
    /// again), so that a merge of any size holds a bounded number.
    fn recount(&mut self) -> rusqlite::Result<()> {
        self.years.flush(self.tx)?;
        let mut recount = self.tx.prepare_cached(
            "UPDATE sessions SET visitors = (SELECT count(*) FROM visits WHERE session_id = ?1)
                 + (SELECT coalesce(sum(n), 0) FROM head_counts WHERE session_id = ?1)
             WHERE id = ?1",
        )?;
        for id in std::mem::take(&mut self.touched) {
            recount.execute([id])?;
        }
        Ok(())
    }

    /// The row id of the session with this uid, merged before or here.
    fn session_id(&mut self, uid: &str) -> rusqlite::Result<Option<i64>> {
        if let Some(id) = self.sessions.get(uid) {
            return Ok(Some(*id));
        }
        let id: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM sessions WHERE uid = ?1")?
            .query_row([uid], |r| r.get(0))
            .optional()?;
        if let Some(id) = id {
            self.remember_session(uid, id);
        }
        Ok(id)
    }

    /// Keeps a session's row id for the visits that follow it; the cache
    /// starts afresh past [`SESSIONS_KEPT`], so a merge of any size holds
    /// a bounded number (a session not kept is looked up again).
    fn remember_session(&mut self, uid: &str, id: i64) {
        if self.sessions.len() >= SESSIONS_KEPT {
            self.sessions.clear();
        }
        self.sessions.insert(uid.to_string(), id);
    }

    /// When `uid` was deleted here, if it was.
    fn tombstone(&self, uid: &str) -> rusqlite::Result<Option<String>> {
        if !self.tombstones {
            return Ok(None);
        }
        self.tx
            .prepare_cached("SELECT deleted_at FROM tombstones WHERE uid = ?1")?
            .query_row([uid], |r| r.get(0))
            .optional()
    }

    fn session(&mut self, s: &SessionRecord) -> rusqlite::Result<()> {
        let d = &s.session;
        // A session another desk ended before its start (its clock was set
        // back, or the autumn's DST change): taken as ending at its start.
        let ended = d.ended_at.map(|e| e.max(d.started_at));
        if let Some(id) = self.session_id(&d.uid)? {
            // Times only widen, so merging in any order ends the same; a
            // session they leave as it is is not written (nor marked sent).
            exec(
                self.tx,
                "UPDATE sessions SET started_at = min(started_at, ?2),
                     ended_at = CASE WHEN ended_at IS NULL OR ?3 IS NULL THEN coalesce(ended_at, ?3)
                                     ELSE max(ended_at, ?3) END
                 WHERE id = ?1 AND (started_at > ?2 OR ended_at IS NOT
                     CASE WHEN ended_at IS NULL OR ?3 IS NULL THEN coalesce(ended_at, ?3)
                          ELSE max(ended_at, ?3) END)",
                params![id, fmt_time(d.started_at), ended.map(fmt_time)],
            )?;
            self.sum.unchanged += 1;
            return Ok(());
        }
        let date = fmt_date(d.date);
        // Many sessions added: their triggers' work done here (`years`).
        let aside = self.years.before_insert(self.tx)?;
        let device = if aside {
            self.years.device(&s.device)
        } else {
            &s.device
        };
        exec(
            self.tx,
            "INSERT INTO sessions(uid, profile, location, date, started_at, ended_at, device)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                d.uid,
                d.profile,
                d.location,
                date,
                fmt_time(d.started_at),
                ended.map(fmt_time),
                device
            ],
        )?;
        let id = self.tx.last_insert_rowid();
        if aside {
            self.years.added(self.tx, &date, &d.profile)?;
        }
        // A session without a device takes this one's (a trigger): its
        // desk is read back when first counted.
        if !s.device.is_empty() {
            self.counts
                .know(id, &date, &d.profile, &d.location, &s.device);
        }
        self.remember_session(&d.uid, id);
        if !self.fresh.add(id) {
            self.write_fresh()?;
            self.fresh.add(id);
        }
        self.sum.sessions_added += 1;
        Ok(())
    }

    /// A cancelled day from another desk: taken unless a session was held
    /// here that day (held wins, in whichever order the desks merge).
    fn cancellation(&mut self, c: &Cancellation) -> rusqlite::Result<()> {
        let n = exec(
            self.tx,
            "INSERT INTO session_cancellations(uid, profile, date, cancelled_at)
             SELECT ?1, ?2, ?3, ?4
             WHERE NOT EXISTS (SELECT 1 FROM sessions WHERE profile = ?2 AND date = ?3)
             ON CONFLICT DO NOTHING",
            params![c.uid, c.profile, fmt_date(c.date), fmt_time(c.cancelled_at)],
        )?;
        if n == 1 {
            self.years.cancelled();
            self.sum.days_cancelled += 1;
        } else {
            self.sum.unchanged += 1;
        }
        Ok(())
    }

    /// A tombstone: the copy here goes unless it changed after the
    /// deletion; the tombstone is kept (a visit edited here after it was
    /// deleted there keeps its copy, reported, and no tombstone).
    fn deleted(&mut self, t: &Tombstone) -> rusqlite::Result<()> {
        self.tombstones = true;
        if let Some(local) = visits::local_visit(self.tx, &t.uid)? {
            if !rule::deletes(&t.deleted_at, &local.updated_at) {
                // Edited here after it was deleted there: the edit is newer.
                self.sum.conflicts.push(Conflict {
                    uid: t.uid.clone(),
                    at: local.at,
                    kept: Side::Local,
                    deletion: true,
                });
                return Ok(());
            }
            self.delete_visit(&local, &t.deleted_at)?;
        } else {
            match kinds::delete_by_tombstone(self.tx, &t.uid, &t.deleted_at)? {
                (true, session) => {
                    if let Some(s) = session {
                        self.touch(s);
                    }
                    self.sum.others_deleted += 1;
                }
                // A session the other desk dropped when its only visit was
                // taken back: gone here too, unless it holds something here.
                (false, _) if self.drop_empty_session(&t.uid)? => self.sum.others_deleted += 1,
                (false, _) => self.sum.unchanged += 1,
            }
        }
        exec(
            self.tx,
            "INSERT INTO tombstones(uid, deleted_at) VALUES (?1, ?2)
             ON CONFLICT(uid) DO UPDATE SET deleted_at = max(deleted_at, excluded.deleted_at)",
            params![t.uid, t.deleted_at],
        )?;
        Ok(())
    }

    /// Deletes the session `uid` names if it holds no visit and no
    /// head-count (the merge's visits are written before any tombstone).
    /// All the merge kept of it goes with it, found by its row id: a
    /// session the merge adds next may take that id.
    fn drop_empty_session(&mut self, uid: &str) -> rusqlite::Result<bool> {
        let id: Option<i64> = self
            .tx
            .prepare_cached(
                "DELETE FROM sessions WHERE uid = ?1
                   AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.session_id = sessions.id)
                   AND NOT EXISTS (SELECT 1 FROM head_counts h WHERE h.session_id = sessions.id)
                 RETURNING id",
            )?
            .query_row([uid], |r| r.get(0))
            .optional()?;
        let Some(id) = id else {
            return Ok(false);
        };
        self.sessions.remove(uid);
        self.touched.remove(&id);
        self.fresh.remove(id);
        self.counts.forget(id);
        Ok(true)
    }

    /// An event, group, meeting, feedback or head-count, by the one rule.
    fn other<K: kinds::Synced>(&mut self, index: usize, r: &K) -> Result<(), MergeError> {
        let (what, session) = kinds::merge(self, r)?;
        match what {
            kinds::Merged::Added => self.sum.others_added += 1,
            kinds::Merged::Updated => self.sum.others_updated += 1,
            kinds::Merged::Unchanged => self.sum.unchanged += 1,
            kinds::Merged::NoParent => {
                return Err(MergeError::UnknownParent {
                    index,
                    uid: r.uid().to_string(),
                });
            }
        }
        if let Some(s) = session {
            self.touch(s);
        }
        Ok(())
    }
}

/// `conn.execute` through the statement cache: a merge runs each of its
/// statements once a record, and compiling an insert compiles the
/// table's triggers with it.
fn exec(
    conn: &rusqlite::Connection,
    sql: &str,
    p: impl rusqlite::Params,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(p)
}

#[cfg(test)]
mod tests;

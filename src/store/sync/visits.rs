//! Visits merged a batch at a time: their sessions, the copies here and
//! the tombstones of a batch are looked up in three statements, then each
//! visit takes the rule's verdict in the order it came, and is counted
//! (`counts`) rather than by the row triggers.

use std::collections::BTreeMap;

use foldhash::HashMap;

use chrono::NaiveDateTime;
use rusqlite::{Connection, params};

use super::super::{VisitRecord, fmt_time, parse_time, write_entry_parts};
use super::rows;
use super::rule::{self, Deletion, Here, Verdict};
use super::{Conflict, MergeError, Merger, Side};
use crate::domain::VisitEntry;

/// Visits looked up and written together (a few in tests, so that
/// batches meet).
const BATCH: usize = if cfg!(test) { 4 } else { 512 };

/// This database's copy of a visit.
pub(super) struct Local {
    pub id: i64,
    pub session: i64,
    pub at: NaiveDateTime,
    pub entry: VisitEntry,
    pub updated_at: String,
    /// Whether `entry` holds its topics and fields (read only where they
    /// can change the outcome).
    pub parts: bool,
}

impl Merger<'_> {
    /// Takes a visit into the batch, merging the batch when it is full.
    pub(super) fn visit(&mut self, index: usize, v: VisitRecord) -> Result<(), MergeError> {
        // A uid twice in one batch: the second sees the first merged.
        let key = {
            use std::hash::BuildHasher as _;
            self.batch_uids.hasher().hash_one(&v.visit.uid)
        };
        if !self.batch_uids.insert(key) {
            self.flush_visits()?;
            self.batch_uids.insert(key);
        }
        self.batch.push((index, v));
        if self.batch.len() >= BATCH {
            self.flush_visits()?;
        }
        Ok(())
    }

    /// Merges the visits of the batch, in their order, and hands the
    /// batch on as spent.
    pub(super) fn flush_visits(&mut self) -> Result<(), MergeError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        // The next batch's room made once, not grown step by step.
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        self.batch_uids.clear();
        let merged = self.merge_batch(&batch);
        (self.spent)(Box::new(batch));
        merged
    }

    fn merge_batch(&mut self, batch: &[(usize, VisitRecord)]) -> Result<(), MergeError> {
        self.recount_if_many()?;
        let mut sessions = Vec::with_capacity(batch.len());
        for (index, v) in batch {
            match self.session_id(&v.session_uid)? {
                Some(id) => sessions.push(id),
                None => {
                    return Err(MergeError::UnknownSession {
                        index: *index,
                        uid: v.session_uid.clone(),
                    });
                }
            }
        }
        // Into a log that holds none of them (an import into an empty or
        // another desk's database), each visit is written at once, and only
        // those whose uid is here already are looked up and merged by the
        // rule, in their order. Without tombstones here, a visit not here
        // is added whatever its time; one here does not move (no row id
        // is taken), so the rows end as the rule alone would leave them.
        let mut batch: Vec<(&VisitRecord, i64)> =
            batch.iter().map(|(_, v)| v).zip(sessions).collect();
        let written_first = !self.tombstones && self.mostly_new;
        if written_first {
            let all = batch.len();
            let added = self.insert_new(&batch)?;
            batch = batch
                .into_iter()
                .zip(added)
                .filter(|(_, added)| !added)
                .map(|(v, _)| v)
                .collect();
            self.mostly_new = batch.len() * 2 < all;
        }
        if batch.is_empty() {
            return Ok(());
        }
        let uids: Vec<&str> = batch.iter().map(|(v, _)| v.visit.uid.as_str()).collect();
        // A copy changed at the very instant of ours, never edited after it
        // was saved, is ours whatever it says: kept, and no conflict (that
        // needs an edit on both sides). Its topics and fields are not read.
        let same_save: HashMap<&str, &str> = batch
            .iter()
            .filter(|(v, _)| !rule::edited(&v.visit.uid, &v.updated_at))
            .map(|(v, _)| (v.visit.uid.as_str(), v.updated_at.as_str()))
            .collect();
        let mut locals = local_visits(self.tx, &uids, |uid, updated_at| {
            same_save.get(uid) != Some(&updated_at)
        })?;
        if !written_first {
            self.mostly_new = locals.len() * 2 < batch.len();
        }
        let deleted = if self.tombstones {
            let gone: Vec<&str> = uids
                .iter()
                .copied()
                .filter(|u| !locals.contains_key(*u))
                .collect();
            tombstones(self.tx, &gone)?
        } else {
            HashMap::default()
        };
        for (v, session) in batch {
            let uid = v.visit.uid.as_str();
            let local = locals.remove(uid);
            self.merge_visit(v, session, local, deleted.get(uid).map(String::as_str))?;
        }
        Ok(())
    }

    /// Recounts the touched sessions' visitors once they are many.
    fn recount_if_many(&mut self) -> rusqlite::Result<()> {
        if self.touched.len() >= super::TOUCHED_KEPT {
            self.recount()?;
        }
        Ok(())
    }

    fn merge_visit(
        &mut self,
        v: &VisitRecord,
        session: i64,
        local: Option<Local>,
        deleted: Option<&str>,
    ) -> rusqlite::Result<()> {
        let uid = &v.visit.uid;
        if let Some(l) = &local
            && !l.parts
        {
            // Saved once, at the same instant, on both sides (`flush_visits`).
            self.sum.unchanged += 1;
            return Ok(());
        }
        if let Some(l) = &local {
            // Copies that say the same thing (row ids aside) are one.
            if l.at == v.visit.at && l.entry == v.visit.entry && l.session == session {
                self.sum.unchanged += 1;
                return Ok(());
            }
        }
        let here = Here {
            copy: local.as_ref().map(|l| l.updated_at.as_str()),
            deleted,
        };
        let verdict = rule::verdict(&v.updated_at, here, Deletion::Undone);
        if let Some(l) = &local
            && rule::edited(uid, &l.updated_at)
            && rule::edited(uid, &v.updated_at)
        {
            self.sum.conflicts.push(Conflict {
                uid: uid.clone(),
                at: v.visit.at,
                kept: if verdict == Verdict::Replace {
                    Side::Incoming
                } else {
                    Side::Local
                },
                deletion: false,
            });
        }
        match verdict {
            Verdict::Keep => self.sum.unchanged += 1,
            Verdict::Replace => {
                let l = local.expect("a copy to replace");
                self.counts.pause(self.tx)?;
                self.counts.visit(self.tx, l.session, l.at, &l.entry, -1)?;
                self.counts
                    .visit(self.tx, session, v.visit.at, &v.visit.entry, 1)?;
                let e = &v.visit.entry;
                self.tx
                    .prepare_cached(
                        "UPDATE visits SET session_id = ?2, at = ?3, referral = ?4, note = ?5,
                             updated_at = ?6
                         WHERE id = ?1",
                    )?
                    .execute(params![
                        l.id,
                        session,
                        fmt_time(v.visit.at),
                        e.referral,
                        e.note,
                        v.updated_at
                    ])?;
                self.tx
                    .prepare_cached("DELETE FROM visit_topics WHERE visit_id = ?1")?
                    .execute([l.id])?;
                self.tx
                    .prepare_cached("DELETE FROM visit_fields WHERE visit_id = ?1")?
                    .execute([l.id])?;
                write_entry_parts(self.tx, l.id, e)?;
                self.touch(l.session);
                self.touch(session);
                self.sum.visits_updated += 1;
            }
            Verdict::Revive => {
                // Edited elsewhere after it was deleted here: the edit is newer.
                self.tx
                    .prepare_cached("DELETE FROM tombstones WHERE uid = ?1")?
                    .execute([uid])?;
                self.sum.conflicts.push(Conflict {
                    uid: uid.clone(),
                    at: v.visit.at,
                    kept: Side::Incoming,
                    deletion: true,
                });
                self.insert_visit(v, session)?;
            }
            Verdict::Add => {
                self.insert_visit(v, session)?;
            }
        }
        Ok(())
    }

    /// Adds the visit.
    fn insert_visit(&mut self, v: &VisitRecord, session: i64) -> rusqlite::Result<()> {
        self.counts.pause(self.tx)?;
        let e = &v.visit.entry;
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO visits(uid, session_id, at, referral, note, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        insert_row(&mut insert, v, session)?;
        write_entry_parts(self.tx, self.tx.last_insert_rowid(), e)?;
        self.counts.visit(self.tx, session, v.visit.at, e, 1)?;
        self.visit_added(session);
        self.sum.visits_added += 1;
        Ok(())
    }

    /// Adds the visits of the batch whose uids are not here: each visit
    /// by a statement of its own, then their topics, then their fields,
    /// many rows a statement. Says which were added.
    ///
    /// A visit a statement, not many: a statement of many rows into a
    /// table with a foreign key keeps a statement journal (`rows`), and
    /// each visit changes a page of the uid index of its own (uids come
    /// in no order), copied there first; one row's statement keeps none.
    /// Measured (instructions, an import of 50 000 visits), the merge's
    /// thread did 9 % less so; the topics and fields, whose rows land
    /// beside each other, still cost less many rows a statement.
    fn insert_new(&mut self, batch: &[(&VisitRecord, i64)]) -> rusqlite::Result<Vec<bool>> {
        self.counts.pause(self.tx)?;
        let mut ids: Vec<Option<i64>> = vec![None; batch.len()];
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO visits(uid, session_id, at, referral, note, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(uid) DO NOTHING",
        )?;
        for ((v, session), id) in batch.iter().zip(&mut ids) {
            let added = insert_row(&mut insert, v, *session)?;
            if added == 1 {
                *id = Some(self.tx.last_insert_rowid());
            }
        }
        let new =
            || (batch.iter().zip(&ids)).filter_map(|((v, _), id)| Some(((*id)?, &v.visit.entry)));
        let topics: Vec<(i64, &str, i64)> = new()
            .flat_map(|(id, e)| {
                (e.topics.iter().enumerate()).map(move |(i, t)| (id, t.as_str(), i as i64))
            })
            .collect();
        insert_visit_rows(
            self.tx,
            "INSERT OR IGNORE INTO visit_topics(visit_id, topic, position)",
            &topics,
        )?;
        let fields: Vec<(i64, &str, &str)> = new()
            .flat_map(|(id, e)| (e.fields.iter()).map(move |(k, v)| (id, k.as_str(), v.as_str())))
            .collect();
        insert_visit_rows(
            self.tx,
            "INSERT INTO visit_fields(visit_id, field, value)",
            &fields,
        )?;
        for ((v, session), _) in batch.iter().zip(&ids).filter(|(_, id)| id.is_some()) {
            self.counts
                .visit(self.tx, *session, v.visit.at, &v.visit.entry, 1)?;
            self.visit_added(*session);
            self.sum.visits_added += 1;
        }
        Ok(ids.iter().map(Option::is_some).collect())
    }

    /// Deletes the visit here by a tombstone of `deleted_at`; its voucher,
    /// still issued, goes with it, dated by the deletion.
    pub(super) fn delete_visit(&mut self, local: &Local, deleted_at: &str) -> rusqlite::Result<()> {
        if let Some(at) = rule::instant(deleted_at) {
            let on = at.with_timezone(&chrono::Local).date_naive();
            super::super::visits::cancel_with_visit(
                self.tx,
                local.id,
                on,
                &crate::clock::Stamp::from_rfc3339(deleted_at),
            )?;
        }
        self.counts.pause(self.tx)?;
        self.counts
            .visit(self.tx, local.session, local.at, &local.entry, -1)?;
        self.tx
            .prepare_cached("DELETE FROM visits WHERE id = ?1")?
            .execute([local.id])?;
        self.touch(local.session);
        self.sum.visits_deleted += 1;
        Ok(())
    }
}

/// The copy here of one visit, if any.
pub(super) fn local_visit(conn: &Connection, uid: &str) -> rusqlite::Result<Option<Local>> {
    Ok(local_visits(conn, &[uid], |_, _| true)?.remove(uid))
}

/// The copies here of the visits with these uids, by uid: three
/// statements for the whole batch. The topics and fields are read for
/// the copies `parts` names by uid and `updated_at`.
fn local_visits(
    conn: &Connection,
    uids: &[&str],
    parts: impl Fn(&str, &str) -> bool,
) -> rusqlite::Result<HashMap<String, Local>> {
    let mut out: HashMap<String, Local> = HashMap::default();
    let list = serde_json::to_string(uids).expect("strings serialize");
    let mut stmt = conn.prepare_cached(
        "SELECT uid, id, session_id, at, referral, note, updated_at FROM visits
         WHERE uid IN (SELECT value FROM json_each(?1))",
    )?;
    let mut rows = stmt.query([&list])?;
    while let Some(r) = rows.next()? {
        let (uid, updated_at): (String, String) = (r.get(0)?, r.get(6)?);
        out.insert(
            uid.clone(),
            Local {
                parts: parts(&uid, &updated_at),
                id: r.get(1)?,
                session: r.get(2)?,
                at: parse_time(r, 3)?,
                entry: VisitEntry {
                    topics: Vec::new(),
                    referral: r.get(4)?,
                    fields: BTreeMap::new(),
                    note: r.get(5)?,
                },
                updated_at,
            },
        );
    }
    let by_id: HashMap<i64, String> = out
        .iter()
        .filter(|(_, l)| l.parts)
        .map(|(u, l)| (l.id, u.clone()))
        .collect();
    if by_id.is_empty() {
        return Ok(out);
    }
    let ids = serde_json::to_string(&by_id.keys().collect::<Vec<_>>()).expect("numbers serialize");
    let mut stmt = conn.prepare_cached(
        "SELECT visit_id, topic FROM visit_topics
         WHERE visit_id IN (SELECT value FROM json_each(?1)) ORDER BY visit_id, position",
    )?;
    let mut rows = stmt.query([&ids])?;
    while let Some(r) = rows.next()? {
        if let Some(l) = by_id.get(&r.get(0)?).and_then(|u| out.get_mut(u)) {
            l.entry.topics.push(r.get(1)?);
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT visit_id, field, value FROM visit_fields
         WHERE visit_id IN (SELECT value FROM json_each(?1))",
    )?;
    let mut rows = stmt.query([&ids])?;
    while let Some(r) = rows.next()? {
        if let Some(l) = by_id.get(&r.get(0)?).and_then(|u| out.get_mut(u)) {
            l.entry.fields.insert(r.get(1)?, r.get(2)?);
        }
    }
    Ok(out)
}

/// When the visits with these uids were deleted here, for those that were.
fn tombstones(conn: &Connection, uids: &[&str]) -> rusqlite::Result<HashMap<String, String>> {
    if uids.is_empty() {
        return Ok(HashMap::default());
    }
    let list = serde_json::to_string(uids).expect("strings serialize");
    let mut stmt = conn.prepare_cached(
        "SELECT uid, deleted_at FROM tombstones WHERE uid IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt.query_map([&list], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Writes rows of a visit's id and two values (its topics, its fields) by
/// the multi-row insert `head`.
fn insert_visit_rows<B: rusqlite::ToSql, C: rusqlite::ToSql>(
    tx: &Connection,
    head: &str,
    rows: &[(i64, B, C)],
) -> rusqlite::Result<()> {
    rows::Insert {
        head,
        cols: 3,
        tail: "",
    }
    .run(
        tx,
        rows.len(),
        |s, p, i| {
            let (id, b, c) = &rows[i];
            s.raw_bind_parameter(p, id)?;
            s.raw_bind_parameter(p + 1, b)?;
            s.raw_bind_parameter(p + 2, c)
        },
        |_| Ok(()),
    )
}

/// A visit's row by `insert` (`INSERT INTO visits(uid, session_id, at,
/// referral, note, updated_at)`), in session `session`: the rows it added.
fn insert_row(
    insert: &mut rusqlite::Statement<'_>,
    v: &VisitRecord,
    session: i64,
) -> rusqlite::Result<usize> {
    let e = &v.visit.entry;
    insert.execute(params![
        v.visit.uid,
        session,
        fmt_time(v.visit.at),
        e.referral,
        e.note,
        v.updated_at
    ])
}

//! Visits: saved (with the session they belong to, in one transaction),
//! edited, deleted (leaving a tombstone), and read back. The writes take
//! only entries the rules have checked (`checked::Checked`) and the change
//! stamp of the clock read at the edge; they are called by `desk` alone.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};

use super::immediate::Immediate;
use super::sessions::{open_session_in, session_for_log_in};
use super::{Result, Store, fmt_date, fmt_time, parse_time};
use crate::checked::Checked;
use crate::clock::{Now, Stamp};
use crate::domain::{SessionId, Visit, VisitEntry, VisitId, new_uid};

/// The session a visit (or a head-count) is filed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// A session already written (the duty screen's). A visit of another
    /// day than the session's (a save that waited for the lock across
    /// midnight) goes to its own day's session instead, as a logged one.
    Session(SessionId),
    /// The duty screen's first visit: today's latest session of the
    /// profile at the place is continued (open again), or one is started
    /// with the visit.
    Start { profile: &'a str, location: &'a str },
    /// A visit logged afterwards or from the shell: the day's latest
    /// session of the profile at the place, stretched to cover it, or a
    /// new closed one spanning just the visit.
    Day { profile: &'a str, location: &'a str },
}

impl Store {
    /// Saves a visit in the session `target` names, writing the session
    /// too when it is the first visit: one transaction, committed
    /// (fsynced) when this returns. With `draft_of`, that profile's draft
    /// goes in the same transaction (the visit was typed on the form).
    pub fn save_visit(
        &mut self,
        target: Target<'_>,
        at: NaiveDateTime,
        entry: &Checked<VisitEntry>,
        draft_of: Option<&str>,
        stamp: &Stamp,
    ) -> Result<Visit> {
        let tx = Immediate::begin(self.writable()?)?;
        let began = super::outbox::write_mark_of(&tx)?;
        let session = session_in(&tx, target, at)?;
        let visit = insert_visit(&tx, session, at, entry, stamp)?;
        if let Some(profile) = draft_of {
            super::drafts::delete_draft(&tx, profile)?;
        }
        tx.commit()?;
        self.saw_own_visit(began, stamp);
        Ok(visit)
    }

    /// Replaces what is recorded about a visit and, when `at` is given, its
    /// time (the caller keeps it within the visit's day), in one
    /// transaction; the kept counts follow by their triggers.
    pub fn update_visit(
        &mut self,
        id: VisitId,
        entry: &Checked<VisitEntry>,
        at: Option<NaiveDateTime>,
        stamp: &Stamp,
    ) -> Result<()> {
        let tx = self
            .writable()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(at) = at {
            tx.execute(
                "UPDATE visits SET at = ?2 WHERE id = ?1",
                params![id.0, fmt_time(at)],
            )?;
            // A visit moved before its session's start (logged afterwards)
            // widens the session, as `log --at` does; an open session has
            // no end to widen.
            tx.execute(
                "UPDATE sessions SET started_at = min(started_at, ?2),
                     ended_at = CASE WHEN ended_at IS NULL THEN NULL ELSE max(ended_at, ?2) END
                 WHERE id = (SELECT session_id FROM visits WHERE id = ?1)",
                params![id.0, fmt_time(at)],
            )?;
        }
        let n = tx.execute(
            "UPDATE visits SET referral = ?2, note = ?3, updated_at = ?4 WHERE id = ?1",
            params![id.0, entry.referral, entry.note, stamp.as_str()],
        )?;
        if n != 1 {
            return Err(rusqlite::Error::QueryReturnedNoRows.into());
        }
        tx.execute("DELETE FROM visit_topics WHERE visit_id = ?1", [id.0])?;
        tx.execute("DELETE FROM visit_fields WHERE visit_id = ?1", [id.0])?;
        write_entry_parts(&tx, id.0, entry)?;
        tx.commit()?;
        Ok(())
    }

    /// Deletes a visit and keeps its session's count right. Its voucher, if
    /// not used yet, is cancelled with it, on `now`'s day; a visit whose
    /// voucher was used is refused, with nothing changed: a shop has
    /// invoiced it, so the visit happened.
    pub fn delete_visit(&mut self, id: VisitId, now: &Now) -> Result<()> {
        let stamp = &now.stamp();
        let tx = self
            .writable()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let used: Option<String> = tx
            .query_row(
                "SELECT number FROM vouchers WHERE visit_id = ?1 AND status = 'used'",
                [id.0],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(number) = used {
            return Err(crate::voucher::VoucherError::VisitOfUsedVoucher { number }.into());
        }
        let session: i64 =
            tx.query_row("SELECT session_id FROM visits WHERE id = ?1", [id.0], |r| {
                r.get(0)
            })?;
        cancel_with_visit(&tx, id.0, now.local.date(), stamp)?;
        // A tombstone, so merging another desk's older copy of this visit
        // does not bring it back (see store/sync.rs).
        tx.execute(
            "INSERT OR REPLACE INTO tombstones(uid, deleted_at)
             SELECT uid, ?2 FROM visits WHERE id = ?1",
            params![id.0, stamp.as_str()],
        )?;
        tx.execute("DELETE FROM visits WHERE id = ?1", [id.0])?;
        tx.execute(
            "UPDATE sessions SET visitors = visitors - 1 WHERE id = ?1",
            [session],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The most recently saved visit of a session, for undo.
    pub fn last_visit_in(&self, session: SessionId) -> Result<Option<Visit>> {
        let id: Option<i64> = self.conn.query_row(
            "SELECT max(id) FROM visits WHERE session_id = ?1",
            [session.0],
            |r| r.get(0),
        )?;
        id.map(|id| self.visit(VisitId(id))).transpose()
    }

    pub fn visit(&self, id: VisitId) -> Result<Visit> {
        let mut visits = self.load_visits("WHERE v.id = ?1", params![id.0])?;
        visits
            .pop()
            .ok_or(rusqlite::Error::QueryReturnedNoRows.into())
    }

    /// Visits on `date`, optionally for one profile, newest first.
    pub fn visits_on(&self, profile: Option<&str>, date: NaiveDate) -> Result<Vec<Visit>> {
        self.load_visits(
            "JOIN sessions s ON s.id = v.session_id
             WHERE s.date = ?1 AND (?2 IS NULL OR s.profile = ?2)",
            params![fmt_date(date), profile],
        )
    }

    fn load_visits(&self, filter: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<Visit>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT v.id, v.uid, v.session_id, v.at, v.referral, v.note FROM visits v {filter}
             ORDER BY v.at DESC, v.id DESC"
        ))?;
        let mut visits: Vec<Visit> = stmt
            .query_map(args, visit_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        if visits.is_empty() {
            return Ok(visits);
        }
        // Topics and fields of all these visits in one query each, not two
        // queries per visit: saving redraws today's list.
        let index: HashMap<i64, usize> = visits
            .iter()
            .enumerate()
            .map(|(i, v)| (v.id.0, i))
            .collect();
        let mut topics = self.conn.prepare_cached(&format!(
            "SELECT t.visit_id, t.topic FROM visit_topics t
             WHERE t.visit_id IN (SELECT v.id FROM visits v {filter})
             ORDER BY t.visit_id, t.position"
        ))?;
        let mut rows = topics.query(args)?;
        while let Some(r) = rows.next()? {
            if let Some(&i) = index.get(&r.get(0)?) {
                visits[i].entry.topics.push(r.get(1)?);
            }
        }
        let mut fields = self.conn.prepare_cached(&format!(
            "SELECT f.visit_id, f.field, f.value FROM visit_fields f
             WHERE f.visit_id IN (SELECT v.id FROM visits v {filter})"
        ))?;
        let mut rows = fields.query(args)?;
        while let Some(r) = rows.next()? {
            if let Some(&i) = index.get(&r.get(0)?) {
                visits[i].entry.fields.insert(r.get(1)?, r.get(2)?);
            }
        }
        Ok(visits)
    }
}

/// The session `target` names for a visit at `at`, written if needed,
/// inside the caller's transaction. A visit always belongs to the day of
/// its own time.
pub(super) fn session_in(
    tx: &rusqlite::Connection,
    target: Target<'_>,
    at: NaiveDateTime,
) -> rusqlite::Result<SessionId> {
    let id = match target {
        Target::Session(id) => {
            let (profile, location, date): (String, String, String) = tx
                .prepare_cached("SELECT profile, location, date FROM sessions WHERE id = ?1")?
                .query_row([id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            if date == fmt_date(at.date()) {
                id.0
            } else {
                session_for_log_in(tx, &profile, &location, at)?
            }
        }
        Target::Start { profile, location } => open_session_in(tx, profile, location, at)?.0,
        Target::Day { profile, location } => session_for_log_in(tx, profile, location, at)?,
    };
    Ok(SessionId(id))
}

/// Inserts a visit and counts it in its session, inside the caller's
/// transaction (shared with vouchers, which save a visit and a voucher at
/// once).
pub(super) fn insert_visit(
    tx: &rusqlite::Connection,
    session: SessionId,
    at: NaiveDateTime,
    entry: &Checked<VisitEntry>,
    stamp: &Stamp,
) -> rusqlite::Result<Visit> {
    let uid = new_uid(stamp);
    // Cached statements: a statement that fires triggers compiles them
    // each time it is prepared, which costs more than the insert itself.
    tx.prepare_cached(
        "INSERT INTO visits(uid, session_id, at, referral, note, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        uid,
        session.0,
        fmt_time(at),
        entry.referral,
        entry.note,
        stamp.as_str()
    ])?;
    let id = tx.last_insert_rowid();
    write_entry_parts(tx, id, entry)?;
    tx.prepare_cached("UPDATE sessions SET visitors = visitors + 1 WHERE id = ?1")?
        .execute([session.0])?;
    Ok(Visit {
        id: VisitId(id),
        uid,
        session,
        at,
        entry: (**entry).clone(),
    })
}

/// A visit without its topics and fields from the columns id, uid,
/// session_id, at, referral, note (in that order, from 0).
pub(super) fn visit_from_row(r: &Row<'_>) -> rusqlite::Result<Visit> {
    Ok(Visit {
        id: VisitId(r.get(0)?),
        uid: r.get(1)?,
        session: SessionId(r.get(2)?),
        at: parse_time(r, 3)?,
        entry: VisitEntry {
            topics: Vec::new(),
            referral: r.get(4)?,
            fields: BTreeMap::new(),
            note: r.get(5)?,
        },
    })
}

pub(super) fn write_entry_parts(
    tx: &rusqlite::Connection,
    visit: i64,
    entry: &VisitEntry,
) -> rusqlite::Result<()> {
    let mut topic = tx.prepare_cached(
        "INSERT OR IGNORE INTO visit_topics(visit_id, topic, position) VALUES (?1, ?2, ?3)",
    )?;
    for (i, t) in entry.topics.iter().enumerate() {
        topic.execute(params![visit, t, i as i64])?;
    }
    let mut field =
        tx.prepare_cached("INSERT INTO visit_fields(visit_id, field, value) VALUES (?1, ?2, ?3)")?;
    for (k, v) in &entry.fields {
        field.execute(params![visit, k, v])?;
    }
    Ok(())
}

/// Cancels the voucher of a visit being deleted, if it is still issued
/// ("undo": the visit it was written for did not happen), inside the
/// deletion's transaction.
pub(super) fn cancel_with_visit(
    tx: &rusqlite::Transaction<'_>,
    visit: i64,
    on: NaiveDate,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "UPDATE vouchers SET status = 'cancelled', cancel_reason = 'undo',
             cancelled_on = ?2, updated_at = ?3
         WHERE visit_id = ?1 AND status = 'issued'",
    )?
    .execute(params![visit, fmt_date(on), stamp.as_str()])?;
    Ok(())
}

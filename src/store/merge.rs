//! Consolidation: merging another desk's records into this database by
//! stable uids, in one transaction.
//!
//! Rules, so that merging the same records again changes nothing:
//! - a session is matched by uid; a known one only widens its start and end;
//! - a visit is matched by uid; when the two copies differ, the one with the
//!   later `updated_at` wins. If both copies were edited after they were
//!   first saved (a UUIDv7 uid carries its creation time), that is a
//!   conflict: the newer edit is kept and the conflict is reported;
//! - deletions travel as tombstones: a deletion removes an older copy, and a
//!   copy edited after the deletion survives it (reported as a conflict);
//! - each touched session's maintained visitor count is recounted.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::events::sync::{self, Merged};
use super::{
    DATE_FMT, EventRecord, FeedbackRecord, GroupRecord, HeadCountRecord, MeetingRecord,
    SessionRecord, Store, StoreError, Tombstone, VisitRecord, fmt_date, fmt_time,
    write_entry_parts,
};

/// One record of another desk's log.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Session(SessionRecord),
    Visit(VisitRecord),
    /// A day whose scheduled duty was not held.
    Cancelled(super::Cancellation),
    Deleted(Tombstone),
    /// Events, groups, their meetings and feedback, and head-counts
    /// (issue 16), merged by uid as `store::events::sync` says.
    Event(EventRecord),
    Group(GroupRecord),
    Meeting(MeetingRecord),
    Feedback(FeedbackRecord),
    HeadCount(HeadCountRecord),
}

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

/// This database's copy of a visit, for comparison.
struct Local {
    id: i64,
    session_id: i64,
    record: VisitRecord,
}

impl Store {
    /// Merges `records` in one transaction: all of them or, on error, none.
    pub fn merge(&mut self, records: &[Record]) -> Result<MergeSummary, MergeError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut sum = MergeSummary::default();
        let mut touched: BTreeSet<i64> = BTreeSet::new();
        let mut session_ids: HashMap<String, i64> = HashMap::new();
        for (index, record) in records.iter().enumerate() {
            match record {
                Record::Session(s) => {
                    let id = merge_session(&tx, s, &mut sum)?;
                    session_ids.insert(s.session.uid.clone(), id);
                }
                Record::Visit(v) => {
                    let session_id = match session_ids.get(&v.session_uid) {
                        Some(id) => *id,
                        None => session_id(&tx, &v.session_uid)?.ok_or_else(|| {
                            MergeError::UnknownSession {
                                index,
                                uid: v.session_uid.clone(),
                            }
                        })?,
                    };
                    merge_visit(&tx, v, session_id, &mut sum, &mut touched)?;
                }
                Record::Cancelled(c) => merge_cancellation(&tx, c, &mut sum)?,
                Record::Deleted(t) => merge_tombstone(&tx, t, &mut sum, &mut touched)?,
                Record::Event(r) => count(&mut sum, index, &r.uid, sync::merge_event(&tx, r)?)?,
                Record::Group(r) => count(&mut sum, index, &r.uid, sync::merge_group(&tx, r)?)?,
                Record::Meeting(r) => {
                    count(&mut sum, index, &r.uid, sync::merge_meeting(&tx, r)?)?;
                }
                Record::Feedback(r) => {
                    count(&mut sum, index, &r.uid, sync::merge_feedback(&tx, r)?)?;
                }
                Record::HeadCount(r) => {
                    let session = match session_ids.get(&r.session_uid) {
                        Some(id) => Some(*id),
                        None => session_id(&tx, &r.session_uid)?,
                    };
                    let (what, session) = sync::merge_head_count(&tx, r, session)?;
                    touched.extend(session);
                    count(&mut sum, index, &r.uid, what)?;
                }
            }
        }
        let mut recount = tx.prepare_cached(
            "UPDATE sessions SET visitors = (SELECT count(*) FROM visits WHERE session_id = ?1)
                 + (SELECT coalesce(sum(n), 0) FROM head_counts WHERE session_id = ?1)
             WHERE id = ?1",
        )?;
        for id in &touched {
            recount.execute([id])?;
        }
        drop(recount);
        tx.commit()?;
        Ok(sum)
    }
}

/// Adds what merging an event-like record did to the summary.
fn count(sum: &mut MergeSummary, index: usize, uid: &str, what: Merged) -> Result<(), MergeError> {
    match what {
        Merged::Added => sum.others_added += 1,
        Merged::Updated => sum.others_updated += 1,
        Merged::Unchanged => sum.unchanged += 1,
        Merged::NoParent => {
            return Err(MergeError::UnknownParent {
                index,
                uid: uid.to_string(),
            });
        }
    }
    Ok(())
}

fn session_id(tx: &Transaction<'_>, uid: &str) -> rusqlite::Result<Option<i64>> {
    tx.query_row("SELECT id FROM sessions WHERE uid = ?1", [uid], |r| {
        r.get(0)
    })
    .optional()
}

/// A cancelled day from another desk: taken unless a session was held
/// here that day (held wins, in whichever order the desks merge).
fn merge_cancellation(
    tx: &Transaction<'_>,
    c: &super::Cancellation,
    sum: &mut MergeSummary,
) -> rusqlite::Result<()> {
    let n = tx.execute(
        "INSERT INTO session_cancellations(uid, profile, date, cancelled_at)
         SELECT ?1, ?2, ?3, ?4
         WHERE NOT EXISTS (SELECT 1 FROM sessions WHERE profile = ?2 AND date = ?3)
         ON CONFLICT DO NOTHING",
        params![c.uid, c.profile, fmt_date(c.date), fmt_time(c.cancelled_at)],
    )?;
    if n == 1 {
        sum.days_cancelled += 1;
    } else {
        sum.unchanged += 1;
    }
    Ok(())
}

fn merge_session(
    tx: &Transaction<'_>,
    s: &SessionRecord,
    sum: &mut MergeSummary,
) -> rusqlite::Result<i64> {
    let d = &s.session;
    // A session another desk ended before its start (its clock was set
    // back, or the autumn's DST change): taken as ending at its start.
    let ended = d.ended_at.map(|e| e.max(d.started_at));
    if let Some(id) = session_id(tx, &d.uid)? {
        // Times only widen, so merging in any order ends the same.
        tx.execute(
            "UPDATE sessions SET started_at = min(started_at, ?2),
                 ended_at = CASE WHEN ended_at IS NULL OR ?3 IS NULL THEN coalesce(ended_at, ?3)
                                 ELSE max(ended_at, ?3) END
             WHERE id = ?1",
            params![id, fmt_time(d.started_at), ended.map(fmt_time)],
        )?;
        sum.unchanged += 1;
        return Ok(id);
    }
    tx.execute(
        "INSERT INTO sessions(uid, profile, location, date, started_at, ended_at, device)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            d.uid,
            d.profile,
            d.location,
            d.date.format(DATE_FMT).to_string(),
            fmt_time(d.started_at),
            ended.map(fmt_time),
            s.device
        ],
    )?;
    sum.sessions_added += 1;
    Ok(tx.last_insert_rowid())
}

fn local_visit(tx: &Transaction<'_>, uid: &str) -> rusqlite::Result<Option<Local>> {
    let Some((id, session_id, at, referral, note, updated_at, session_uid)) = tx
        .query_row(
            "SELECT v.id, v.session_id, v.at, v.referral, v.note, v.updated_at, s.uid
             FROM visits v JOIN sessions s ON s.id = v.session_id WHERE v.uid = ?1",
            [uid],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    super::parse_time(r, 2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                ))
            },
        )
        .optional()?
    else {
        return Ok(None);
    };
    let topics = tx
        .prepare_cached("SELECT topic FROM visit_topics WHERE visit_id = ?1 ORDER BY position")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let fields = tx
        .prepare_cached("SELECT field, value FROM visit_fields WHERE visit_id = ?1")?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(Local {
        id,
        session_id,
        record: VisitRecord {
            visit: crate::domain::Visit {
                id: crate::domain::VisitId(id),
                uid: uid.to_string(),
                session: crate::domain::SessionId(session_id),
                at,
                entry: crate::domain::VisitEntry {
                    topics,
                    referral,
                    fields,
                    note,
                },
            },
            session_uid,
            updated_at,
        },
    }))
}

/// Whether two copies say the same thing (row ids aside).
fn same(a: &VisitRecord, b: &VisitRecord) -> bool {
    a.visit.at == b.visit.at && a.visit.entry == b.visit.entry && a.session_uid == b.session_uid
}

fn merge_visit(
    tx: &Transaction<'_>,
    v: &VisitRecord,
    session_id: i64,
    sum: &mut MergeSummary,
    touched: &mut BTreeSet<i64>,
) -> rusqlite::Result<()> {
    let uid = &v.visit.uid;
    if let Some(local) = local_visit(tx, uid)? {
        if same(&local.record, v) {
            sum.unchanged += 1;
            return Ok(());
        }
        let incoming_newer = later(&v.updated_at, &local.record.updated_at);
        if edited(&local.record) && edited(v) {
            sum.conflicts.push(Conflict {
                uid: uid.clone(),
                at: v.visit.at,
                kept: if incoming_newer {
                    Side::Incoming
                } else {
                    Side::Local
                },
                deletion: false,
            });
        }
        if !incoming_newer {
            sum.unchanged += 1;
            return Ok(());
        }
        tx.execute(
            "UPDATE visits SET session_id = ?2, at = ?3, referral = ?4, note = ?5, updated_at = ?6
             WHERE id = ?1",
            params![
                local.id,
                session_id,
                fmt_time(v.visit.at),
                v.visit.entry.referral,
                v.visit.entry.note,
                v.updated_at
            ],
        )?;
        tx.execute("DELETE FROM visit_topics WHERE visit_id = ?1", [local.id])?;
        tx.execute("DELETE FROM visit_fields WHERE visit_id = ?1", [local.id])?;
        write_entry_parts(tx, local.id, &v.visit.entry)?;
        touched.extend([local.session_id, session_id]);
        sum.visits_updated += 1;
        return Ok(());
    }
    let deleted: Option<String> = tx
        .query_row(
            "SELECT deleted_at FROM tombstones WHERE uid = ?1",
            [uid],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(deleted_at) = deleted {
        if !later(&v.updated_at, &deleted_at) {
            sum.unchanged += 1;
            return Ok(());
        }
        // Edited elsewhere after it was deleted here: the edit is newer.
        tx.execute("DELETE FROM tombstones WHERE uid = ?1", [uid])?;
        sum.conflicts.push(Conflict {
            uid: uid.clone(),
            at: v.visit.at,
            kept: Side::Incoming,
            deletion: true,
        });
    }
    tx.execute(
        "INSERT INTO visits(uid, session_id, at, referral, note, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            uid,
            session_id,
            fmt_time(v.visit.at),
            v.visit.entry.referral,
            v.visit.entry.note,
            v.updated_at
        ],
    )?;
    write_entry_parts(tx, tx.last_insert_rowid(), &v.visit.entry)?;
    touched.insert(session_id);
    sum.visits_added += 1;
    Ok(())
}

fn merge_tombstone(
    tx: &Transaction<'_>,
    t: &Tombstone,
    sum: &mut MergeSummary,
    touched: &mut BTreeSet<i64>,
) -> rusqlite::Result<()> {
    if let Some(local) = local_visit(tx, &t.uid)? {
        if later(&local.record.updated_at, &t.deleted_at) {
            // Edited here after it was deleted there: the edit is newer.
            sum.conflicts.push(Conflict {
                uid: t.uid.clone(),
                at: local.record.visit.at,
                kept: Side::Local,
                deletion: true,
            });
            return Ok(());
        }
        // Its voucher, still issued, goes with it, dated by the deletion.
        if let Some(at) = instant(&t.deleted_at) {
            let on = at.with_timezone(&chrono::Local).date_naive();
            super::vouchers::cancel_with_visit(
                tx,
                local.id,
                on,
                &crate::clock::Stamp::from_rfc3339(&t.deleted_at),
            )?;
        }
        tx.execute("DELETE FROM visits WHERE id = ?1", [local.id])?;
        touched.insert(local.session_id);
        sum.visits_deleted += 1;
    } else {
        match sync::delete_by_tombstone(tx, &t.uid, &t.deleted_at)? {
            (true, session) => {
                touched.extend(session);
                sum.others_deleted += 1;
            }
            // A session the other desk dropped when its only visit was
            // taken back: gone here too, unless it holds something here.
            (false, _) if drop_empty_session(tx, &t.uid)? => sum.others_deleted += 1,
            (false, _) => sum.unchanged += 1,
        }
    }
    tx.execute(
        "INSERT INTO tombstones(uid, deleted_at) VALUES (?1, ?2)
         ON CONFLICT(uid) DO UPDATE SET deleted_at = max(deleted_at, excluded.deleted_at)",
        params![t.uid, t.deleted_at],
    )?;
    Ok(())
}

/// Deletes the session `uid` names if it holds no visit and no head-count.
fn drop_empty_session(tx: &Transaction<'_>, uid: &str) -> rusqlite::Result<bool> {
    let n = tx.execute(
        "DELETE FROM sessions WHERE uid = ?1
           AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.session_id = sessions.id)
           AND NOT EXISTS (SELECT 1 FROM head_counts h WHERE h.session_id = sessions.id)",
        [uid],
    )?;
    Ok(n == 1)
}

fn instant(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Whether RFC 3339 time `a` is after `b` (text order if either is unparsable).
pub(super) fn later(a: &str, b: &str) -> bool {
    match (instant(a), instant(b)) {
        (Some(a), Some(b)) => a > b,
        _ => a > b,
    }
}

/// Whether a visit was changed after it was first saved: its uid (UUIDv7)
/// carries the creation time, `updated_at` the last write. Two seconds of
/// slack cover the save itself. A uid of another kind counts as edited.
fn edited(v: &VisitRecord) -> bool {
    let created = uuid::Uuid::parse_str(&v.visit.uid)
        .ok()
        .and_then(|u| u.get_timestamp())
        .map(|ts| {
            let (secs, nanos) = ts.to_unix();
            DateTime::<Utc>::from_timestamp(secs as i64, nanos).unwrap_or_default()
        });
    match (created, instant(&v.updated_at)) {
        (Some(c), Some(u)) => (u - c).num_seconds() >= 2,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_compares_instants_not_text() {
        assert!(later("2023-11-14T10:00:00+02:00", "2023-11-14T07:59:00Z"));
        assert!(!later("2023-11-14T10:00:00+02:00", "2023-11-14T08:00:00Z"));
    }
}

#[cfg(test)]
mod merge_tests {
    use super::*;
    use crate::domain::VisitEntry;
    use crate::store::PeriodFilter;
    use chrono::NaiveDate;

    fn records(s: &Store) -> Vec<Record> {
        let d = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
        let p = s
            .period(&PeriodFilter {
                from: d(2000),
                to: d(2100),
                profile: None,
                location: None,
                device: None,
            })
            .unwrap();
        p.sessions
            .into_iter()
            .map(Record::Session)
            .chain(p.visits.into_iter().map(Record::Visit))
            .chain(s.tombstones().unwrap().into_iter().map(Record::Deleted))
            .collect()
    }

    #[test]
    fn merging_twice_adds_nothing_and_keeps_counts_right() {
        let mut a = Store::open_in_memory().unwrap();
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let (session, _) = a
            .open_session("ikaihmiset", "Kirjasto", at("2023-11-14 10:00"))
            .unwrap();
        let e = VisitEntry {
            topics: vec!["digituki".into()],
            ..Default::default()
        };
        for m in ["10:05", "10:20", "10:40"] {
            a.add_visit(session.id, at(&format!("2023-11-14 {m}")), &e)
                .unwrap();
        }
        let mut b = Store::open_in_memory().unwrap();
        let first = b.merge(&records(&a)).unwrap();
        assert_eq!((first.sessions_added, first.visits_added), (1, 3));
        let again = b.merge(&records(&a)).unwrap();
        assert!(!again.changed(), "{again:?}");
        assert_eq!(again.unchanged, 4);
        let s = &records(&b)[0];
        let Record::Session(s) = s else { panic!() };
        assert_eq!(s.session.visitors, 3);
        assert_eq!(s.device, a.device_id().unwrap(), "the origin's device");
        assert_ne!(s.device, b.device_id().unwrap());

        // A deletion at A reaches B; the maintained counts follow, and so
        // do the yearly totals the duty screen reads.
        let last = a.last_visit_in(session.id).unwrap().unwrap();
        a.delete_visit(last.id, &crate::store::test_support::clock())
            .unwrap();
        let del = b.merge(&records(&a)).unwrap();
        assert_eq!(del.visits_deleted, 1);
        let jan1 = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        let dec31 = NaiveDate::from_ymd_opt(2023, 12, 31).unwrap();
        let stats = b.session_stats(None, jan1, dec31).unwrap();
        assert_eq!((stats.sessions, stats.visitors), (1, 2));
        assert!(!b.merge(&records(&a)).unwrap().changed());

        // An edit at A replaces B's copy, and the counts a report reads
        // follow every one of these merges.
        let first = a.visit(crate::domain::VisitId(1)).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(5));
        let edited = VisitEntry {
            topics: vec!["sote".into(), "kela".into()],
            referral: Some("hva".into()),
            ..Default::default()
        };
        // Edited later than it was written.
        let later = crate::clock::Now::read().stamp();
        a.update_visit(
            first.id,
            &crate::store::test_support::ok(edited),
            None,
            &later,
        )
        .unwrap();
        assert_eq!(b.merge(&records(&a)).unwrap().visits_updated, 1);
        let year = PeriodFilter {
            from: jan1,
            to: dec31,
            profile: None,
            location: None,
            device: None,
        };
        let counts = b.visit_counts(&year).unwrap();
        let expected: crate::report::period::Counts = [
            ("digituki".into(), 1),
            ("kela".into(), 1),
            ("sote".into(), 1),
        ]
        .into();
        assert_eq!(counts.topics, expected);
        assert_eq!(counts.referrals["hva"], 1);
        assert_eq!(counts, a.visit_counts(&year).unwrap(), "same at both desks");

        // A visit of an unknown session fails the whole merge.
        let mut bad = records(&a);
        bad.remove(0);
        let mut c = Store::open_in_memory().unwrap();
        assert!(matches!(
            c.merge(&bad),
            Err(MergeError::UnknownSession { index: 0, .. })
        ));
        assert!(records(&c).is_empty());
    }
}

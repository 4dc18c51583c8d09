//! The outbox of consolidation: which records changed since the server
//! last took this desk's log, kept by triggers on every table a record
//! lives in, so no write path (the duty screen, a command, an import, a
//! purge) can change a record without it being sent.
//!
//! Off until the first sync: the triggers exist only once `sync_seq` has
//! its row, which [`Store::sync_enable`] puts there together with the
//! triggers and every record already in the log (a desk that never syncs
//! neither parses them at each start nor runs them at each save). Each change takes the next number of the
//! counter; a record changed again takes a new one. A sync reads a slice
//! of numbers with the records as they are at that moment (one snapshot),
//! and after the server has committed them removes the numbers it read: a
//! record changed meanwhile has a higher number and stays to be sent.
//!
//! A record travels as one JSON object, the line `tiski export --format
//! jsonl` writes for it (row ids and the maintained visitor count left
//! out), so the server holds what an export would; vouchers, which an
//! export does not carry, travel as `type = voucher`. A record that is no
//! longer in the log (deleted with no tombstone, such as a tombstone
//! itself or a cancelled day a visit made held) travels without a body.

use rusqlite::params;

use super::{Result, Store};

/// What [`Store::write_mark`] gives: compared, never read as numbers.
pub type WriteMark = (i64, u64);

/// Marks as changed, after `$event` on `$table`, the records of kind
/// `$kind` that `$select` (an SQL select of their uids, over `NEW` or
/// `OLD`, with the counter `q.n` in scope) finds.
macro_rules! mark {
    ($table:literal, $event:literal, $name:literal, $kind:literal, $select:literal) => {
        concat!(
            "CREATE TRIGGER sync_",
            $table,
            "_",
            $name,
            " AFTER ",
            $event,
            " ON ",
            $table,
            " WHEN EXISTS (SELECT 1 FROM sync_seq) BEGIN
        UPDATE sync_seq SET n = n + 1;
        INSERT INTO sync_outbox(kind, uid, seq) SELECT '",
            $kind,
            "', ",
            $select,
            "
            ON CONFLICT(kind, uid) DO UPDATE SET seq = excluded.seq;
    END;
"
        )
    };
}

/// A record's every write: insert, update and delete.
macro_rules! mark_all {
    ($table:literal, $kind:literal) => {
        concat!(
            mark!(
                $table,
                "INSERT",
                "insert",
                $kind,
                "NEW.uid, q.n FROM sync_seq q WHERE true"
            ),
            mark!(
                $table,
                "UPDATE",
                "update",
                $kind,
                "NEW.uid, q.n FROM sync_seq q WHERE true"
            ),
            mark!(
                $table,
                "DELETE",
                "delete",
                $kind,
                "OLD.uid, q.n FROM sync_seq q WHERE true"
            ),
        )
    };
}

/// A visit's topic or field row: the visit is what changed (none when the
/// visit itself is going, which marks it by its own trigger).
macro_rules! mark_part {
    ($table:literal) => {
        concat!(
            mark!(
                $table,
                "INSERT",
                "insert",
                "visit",
                "v.uid, q.n FROM visits v, sync_seq q WHERE v.id = NEW.visit_id"
            ),
            mark!(
                $table,
                "UPDATE",
                "update",
                "visit",
                "v.uid, q.n FROM visits v, sync_seq q WHERE v.id = NEW.visit_id"
            ),
            mark!(
                $table,
                "DELETE",
                "delete",
                "visit",
                "v.uid, q.n FROM visits v, sync_seq q WHERE v.id = OLD.visit_id"
            ),
        )
    };
}

/// The triggers that fill the outbox, in the order migration 10 made them.
macro_rules! triggers {
    () => {
        concat!(
            mark!(
                "sessions",
                "INSERT",
                "insert",
                "session",
                "NEW.uid, q.n FROM sync_seq q WHERE true"
            ),
            // Its visitor count is the server's to count; what the session is
            // (place, day, times, device) travels.
            mark!(
                "sessions",
                "UPDATE OF uid, profile, location, date, started_at, ended_at, device",
                "update",
                "session",
                "NEW.uid, q.n FROM sync_seq q WHERE true"
            ),
            mark!(
                "sessions",
                "DELETE",
                "delete",
                "session",
                "OLD.uid, q.n FROM sync_seq q WHERE true"
            ),
            mark_all!("visits", "visit"),
            mark_part!("visit_topics"),
            mark_part!("visit_fields"),
            mark_all!("session_cancellations", "cancelled"),
            mark_all!("tombstones", "deleted"),
            mark_all!("vouchers", "voucher"),
            mark_all!("events", "event"),
            mark_all!("event_groups", "group"),
            mark_all!("group_meetings", "meeting"),
            mark_all!("feedback", "feedback"),
            mark_all!("head_counts", "head_count"),
        )
    };
}

/// Migration 10: the counter, the outbox and the triggers that fill it.
pub const MIGRATION: &str = concat!(
    "
    CREATE TABLE sync_seq (
        n           INTEGER NOT NULL            -- the last number given
    );
    CREATE TABLE sync_outbox (
        kind        TEXT NOT NULL,              -- the JSONL `type`
        uid         TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        PRIMARY KEY (kind, uid)
    ) WITHOUT ROWID;
    CREATE INDEX sync_outbox_by_seq ON sync_outbox(seq);
",
    triggers!(),
);

/// The triggers, made when the outbox is turned on ([`switch_on`]).
const TRIGGERS: &str = triggers!();

/// Migration 11: the triggers go while the outbox is off (they are made
/// again in the same transaction where it is on: `switch_on`, called by
/// the migration's end).
pub const OFF_UNTIL_ENABLED: &str = "
    DROP TRIGGER IF EXISTS sync_sessions_insert;
    DROP TRIGGER IF EXISTS sync_sessions_update;
    DROP TRIGGER IF EXISTS sync_sessions_delete;
    DROP TRIGGER IF EXISTS sync_visits_insert;
    DROP TRIGGER IF EXISTS sync_visits_update;
    DROP TRIGGER IF EXISTS sync_visits_delete;
    DROP TRIGGER IF EXISTS sync_visit_topics_insert;
    DROP TRIGGER IF EXISTS sync_visit_topics_update;
    DROP TRIGGER IF EXISTS sync_visit_topics_delete;
    DROP TRIGGER IF EXISTS sync_visit_fields_insert;
    DROP TRIGGER IF EXISTS sync_visit_fields_update;
    DROP TRIGGER IF EXISTS sync_visit_fields_delete;
    DROP TRIGGER IF EXISTS sync_session_cancellations_insert;
    DROP TRIGGER IF EXISTS sync_session_cancellations_update;
    DROP TRIGGER IF EXISTS sync_session_cancellations_delete;
    DROP TRIGGER IF EXISTS sync_tombstones_insert;
    DROP TRIGGER IF EXISTS sync_tombstones_update;
    DROP TRIGGER IF EXISTS sync_tombstones_delete;
    DROP TRIGGER IF EXISTS sync_vouchers_insert;
    DROP TRIGGER IF EXISTS sync_vouchers_update;
    DROP TRIGGER IF EXISTS sync_vouchers_delete;
    DROP TRIGGER IF EXISTS sync_events_insert;
    DROP TRIGGER IF EXISTS sync_events_update;
    DROP TRIGGER IF EXISTS sync_events_delete;
    DROP TRIGGER IF EXISTS sync_event_groups_insert;
    DROP TRIGGER IF EXISTS sync_event_groups_update;
    DROP TRIGGER IF EXISTS sync_event_groups_delete;
    DROP TRIGGER IF EXISTS sync_group_meetings_insert;
    DROP TRIGGER IF EXISTS sync_group_meetings_update;
    DROP TRIGGER IF EXISTS sync_group_meetings_delete;
    DROP TRIGGER IF EXISTS sync_feedback_insert;
    DROP TRIGGER IF EXISTS sync_feedback_update;
    DROP TRIGGER IF EXISTS sync_feedback_delete;
    DROP TRIGGER IF EXISTS sync_head_counts_insert;
    DROP TRIGGER IF EXISTS sync_head_counts_update;
    DROP TRIGGER IF EXISTS sync_head_counts_delete;
";

/// How many triggers [`TRIGGERS`] makes.
pub(crate) const TRIGGER_COUNT: i64 = 36;

/// Makes the outbox's triggers when the outbox is on (`sync_seq` has its
/// row) and they are not all there (any left are dropped first): after a
/// migration (in its transaction), and at every sync's start. Returns
/// whether it made them.
pub(crate) fn switch_on(conn: &rusqlite::Connection) -> rusqlite::Result<bool> {
    let (on, made): (bool, i64) = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sync_seq),
                (SELECT count(*) FROM sqlite_master
                 WHERE type = 'trigger' AND name LIKE 'sync\\_%' ESCAPE '\\')",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if !on || made == TRIGGER_COUNT {
        return Ok(false);
    }
    conn.execute_batch(OFF_UNTIL_ENABLED)?;
    conn.execute_batch(TRIGGERS)?;
    Ok(true)
}

/// Every record of the log waits to be sent again, numbered after the
/// last number given; the counter follows. Returns how many.
fn mark_all_again(tx: &rusqlite::Connection) -> rusqlite::Result<usize> {
    let base: i64 = tx.query_row("SELECT coalesce(max(n), 0) FROM sync_seq", [], |r| r.get(0))?;
    let n = tx.execute(
        &format!(
            "INSERT INTO sync_outbox(kind, uid, seq)
             SELECT kind, uid, ?1 + row_number() OVER () FROM ({EVERY_RECORD})
             WHERE true ON CONFLICT(kind, uid) DO UPDATE SET seq = excluded.seq"
        ),
        [base],
    )?;
    tx.execute("DELETE FROM sync_seq", [])?;
    tx.execute("INSERT INTO sync_seq(n) VALUES (?1)", [base + n as i64])?;
    Ok(n)
}

/// Each kind of record: its `type`, and the JSON of the record with the
/// uid `o.uid` (`o` is the outbox row), NULL when it is gone.
const BODIES: &[(&str, &str)] = &[
    (
        "session",
        "SELECT json_object('type', 'session', 'uid', s.uid, 'profile', s.profile,
            'location', s.location, 'device', s.device, 'date', s.date,
            'started_at', s.started_at, 'ended_at', s.ended_at)
         FROM sessions s WHERE s.uid = o.uid",
    ),
    (
        "visit",
        "SELECT json_object('type', 'visit', 'uid', v.uid, 'session_uid', s.uid, 'at', v.at,
            'topics', json((SELECT json_group_array(t.topic ORDER BY t.position)
                            FROM visit_topics t WHERE t.visit_id = v.id)),
            'referral', v.referral,
            'fields', json((SELECT json_group_object(f.field, f.value)
                            FROM visit_fields f WHERE f.visit_id = v.id)),
            'note', v.note, 'updated_at', v.updated_at)
         FROM visits v JOIN sessions s ON s.id = v.session_id WHERE v.uid = o.uid",
    ),
    (
        "cancelled",
        "SELECT json_object('type', 'cancelled', 'uid', c.uid, 'profile', c.profile,
            'date', c.date, 'cancelled_at', c.cancelled_at)
         FROM session_cancellations c WHERE c.uid = o.uid",
    ),
    (
        "deleted",
        "SELECT json_object('type', 'deleted', 'uid', t.uid, 'deleted_at', t.deleted_at)
         FROM tombstones t WHERE t.uid = o.uid",
    ),
    (
        "voucher",
        "SELECT json_object('type', 'voucher', 'uid', x.uid, 'number', x.number,
            'profile', x.profile, 'season', x.season, 'seq', x.seq, 'product', x.product,
            'max_cents', x.max_cents, 'issued_at', x.issued_at, 'valid_until', x.valid_until,
            'birth_year', x.birth_year, 'identity_hash', CASE WHEN x.identity_hash IS NOT NULL
                THEN lower(hex(x.identity_hash)) END,
            'visit_uid', (SELECT uid FROM visits WHERE id = x.visit_id),
            'status', x.status, 'used_cents', x.used_cents, 'used_on', x.used_on,
            'shop', x.shop, 'cancelled_on', x.cancelled_on, 'cancel_reason', x.cancel_reason,
            'updated_at', x.updated_at)
         FROM vouchers x WHERE x.uid = o.uid",
    ),
    (
        "event",
        "SELECT json_object('type', 'event', 'uid', e.uid, 'profile', e.profile,
            'date', e.date, 'time', e.time, 'title', e.title, 'place', e.place,
            'kind', e.kind, 'partners', e.partners, 'count', e.count,
            'approx', json(CASE WHEN e.approx THEN 'true' ELSE 'false' END),
            'online', e.online, 'unit', e.unit, 'updated_at', e.updated_at)
         FROM events e WHERE e.uid = o.uid",
    ),
    (
        "group",
        "SELECT json_object('type', 'group', 'uid', g.uid, 'profile', g.profile,
            'date', g.date, 'title', g.title, 'place', g.place, 'partner', g.partner,
            'target', g.target, 'paper_meetings', g.paper_meetings,
            'paper_visits', g.paper_visits, 'updated_at', g.updated_at)
         FROM event_groups g WHERE g.uid = o.uid",
    ),
    (
        "meeting",
        "SELECT json_object('type', 'meeting', 'uid', m.uid, 'group_uid', g.uid,
            'date', m.date, 'count', m.count, 'updated_at', m.updated_at)
         FROM group_meetings m JOIN event_groups g ON g.id = m.group_id WHERE m.uid = o.uid",
    ),
    (
        "feedback",
        "SELECT json_object('type', 'feedback', 'uid', f.uid,
            'event_uid', (SELECT uid FROM events WHERE id = f.event_id),
            'group_uid', (SELECT uid FROM event_groups WHERE id = f.group_id),
            'question', f.question, 'tally', json(f.tally), 'updated_at', f.updated_at)
         FROM feedback f WHERE f.uid = o.uid",
    ),
    (
        "head_count",
        "SELECT json_object('type', 'head_count', 'uid', h.uid, 'session_uid', s.uid,
            'at', h.at, 'n', h.n, 'updated_at', h.updated_at)
         FROM head_counts h JOIN sessions s ON s.id = h.session_id WHERE h.uid = o.uid",
    ),
];

/// Every record in the log, for the first sync: kind and uid.
const EVERY_RECORD: &str = "
    SELECT 'session' AS kind, uid FROM sessions
    UNION ALL SELECT 'visit', uid FROM visits
    UNION ALL SELECT 'cancelled', uid FROM session_cancellations
    UNION ALL SELECT 'deleted', uid FROM tombstones
    UNION ALL SELECT 'voucher', uid FROM vouchers
    UNION ALL SELECT 'event', uid FROM events
    UNION ALL SELECT 'group', uid FROM event_groups
    UNION ALL SELECT 'meeting', uid FROM group_meetings
    UNION ALL SELECT 'feedback', uid FROM feedback
    UNION ALL SELECT 'head_count', uid FROM head_counts";

/// One changed record waiting to be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its number in the outbox.
    pub seq: i64,
    /// The JSONL `type`.
    pub kind: String,
    pub uid: String,
    /// The record as a JSONL line's object; `None` when it is no longer in
    /// the log.
    pub body: Option<String>,
}

impl Store {
    /// Turns the outbox on (once): from now on every change is kept, and
    /// every record already in the log is waiting to be sent. Returns
    /// whether it was off before.
    pub fn sync_enable(&mut self) -> Result<bool> {
        let tx = self
            .writable()?
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let on: bool = tx.query_row("SELECT count(*) > 0 FROM sync_seq", [], |r| r.get(0))?;
        if on {
            // On without its triggers: turned on by an older tiski (schema
            // 10, with a connection open from before this file's migration
            // 11). What changed since was not kept, so every record waits
            // again (the server takes a record it has as a no-op).
            if switch_on(&tx)? {
                mark_all_again(&tx)?;
                tx.commit()?;
            }
            return Ok(false);
        }
        let n = tx.execute(
            &format!(
                "INSERT INTO sync_outbox(kind, uid, seq)
                 SELECT kind, uid, row_number() OVER () FROM ({EVERY_RECORD})
                 WHERE true ON CONFLICT DO NOTHING"
            ),
            [],
        )?;
        tx.execute("INSERT INTO sync_seq(n) VALUES (?1)", [n as i64])?;
        switch_on(&tx)?;
        tx.commit()?;
        Ok(true)
    }

    /// Marks every record of the log as waiting to be sent again (`tiski
    /// sync --full`: after the server was restored from a backup older
    /// than the last sync). Sending what the server has changes nothing.
    pub fn sync_resend_all(&mut self) -> Result<u64> {
        let tx = self
            .writable()?
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let n = mark_all_again(&tx)?;
        switch_on(&tx)?;
        tx.commit()?;
        Ok(n as u64)
    }

    /// Whether the outbox is on.
    pub fn sync_enabled(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT count(*) > 0 FROM sync_seq", [], |r| r.get(0))?)
    }

    /// A number that changes whenever another connection (another
    /// process: a `tiski log` beside the screen) commits to the file:
    /// `PRAGMA data_version`, which reads no page.
    pub fn data_version(&self) -> Result<i64> {
        data_version_of(&self.conn)
    }

    /// A mark that changes whenever anything commits to the file: another
    /// connection ([`data_version`](Self::data_version)) or this one (its
    /// count of rows changed). Compared, never read as a number.
    pub fn write_mark(&self) -> Result<WriteMark> {
        write_mark_of(&self.conn)
    }

    /// How many records wait to be sent.
    pub fn sync_pending(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))?)
    }

    /// The next `limit` changed records after number `after`, in the order
    /// they changed, each as it is now: read in one snapshot, so a change
    /// made meanwhile is either in it or numbered after it.
    pub fn sync_batch(&self, after: i64, limit: usize) -> Result<Vec<Change>> {
        let tx = self.conn.unchecked_transaction()?;
        let upto: Option<i64> = tx.query_row(
            "SELECT max(seq) FROM (SELECT seq FROM sync_outbox WHERE seq > ?1
                                   ORDER BY seq LIMIT ?2)",
            params![after, limit as i64],
            |r| r.get(0),
        )?;
        let Some(upto) = upto else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for (kind, body) in BODIES {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT o.seq, o.uid, ({body}) FROM sync_outbox o
                 WHERE o.kind = '{kind}' AND o.seq > ?1 AND o.seq <= ?2"
            ))?;
            let rows = stmt.query_map(params![after, upto], |r| {
                Ok(Change {
                    seq: r.get(0)?,
                    kind: (*kind).to_string(),
                    uid: r.get(1)?,
                    body: r.get(2)?,
                })
            })?;
            for c in rows {
                out.push(c?);
            }
        }
        tx.finish()?;
        out.sort_by_key(|c| c.seq);
        Ok(out)
    }

    /// Forgets the changes numbered up to `upto`: the server has them.
    pub fn sync_acknowledge(&mut self, upto: i64) -> Result<()> {
        self.conn
            .execute("DELETE FROM sync_outbox WHERE seq <= ?1", [upto])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;

fn data_version_of(conn: &rusqlite::Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("PRAGMA data_version")?
        .query_row([], |r| r.get(0))?)
}

/// [`Store::write_mark`] of a connection, also inside a transaction.
pub(crate) fn write_mark_of(conn: &rusqlite::Connection) -> Result<WriteMark> {
    Ok((data_version_of(conn)?, conn.total_changes()))
}

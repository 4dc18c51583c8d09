//! The sessions a large merge adds, counted into `year_totals` per batch
//! rather than by the row triggers on `sessions`. Past the first
//! [`PAUSE_AFTER`] sessions added, the triggers that act on each insert
//! (the year's totals, the device of a session without one, a cancelled
//! day taken back by a session held) are set aside inside the merge's
//! transaction and put back, word for word, before it commits; meanwhile
//! each session the merge inserts is counted here under its year and
//! profile, given this installation's device if it has none, and takes
//! back its day's cancellation, if the log may hold one. A session's
//! insert then fires no trigger: no trigger program run, no statement
//! journal kept. The sums are written before anything the other triggers
//! on `sessions` may act on (a change of visitors, a deletion) is.

use foldhash::HashMap;
use rusqlite::{Connection, OptionalExtension, params};

use super::aside;

/// Sessions added before the triggers are set aside: a small merge (a
/// sync of a few visits) keeps them, and its statements stay compiled.
const PAUSE_AFTER: u32 = if cfg!(test) { 2 } else { 256 };

/// The triggers on an insert into `sessions` (migrations 2, 4 and 7).
const INSERT_TRIGGERS: &[&str] = &[
    "year_totals_on_insert",
    "sessions_device",
    "session_cancellations_held_insert",
];

#[derive(Default)]
pub(super) struct Years {
    /// Sessions added so far.
    added: u32,
    /// The triggers' names and SQL, once set aside.
    paused: Option<aside::Aside>,
    /// This installation's device, for a session that has none.
    device: String,
    /// Whether the log may hold a cancelled day.
    cancellations: bool,
    /// (year, profile) → sessions added, not yet in `year_totals`.
    sums: HashMap<(String, String), i64>,
}

impl Years {
    /// Before a session is inserted: whether the triggers are set aside
    /// (and [`Years::added`] is to count it). Sets them aside past the
    /// first few.
    pub(super) fn before_insert(&mut self, conn: &Connection) -> rusqlite::Result<bool> {
        self.added += 1;
        if self.paused.is_some() {
            return Ok(true);
        }
        if self.added <= PAUSE_AFTER {
            return Ok(false);
        }
        self.device = conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'device_id'",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_default();
        self.cancellations = conn
            .query_row(
                "SELECT 1 FROM session_cancellations LIMIT 1",
                [],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        self.paused = Some(aside::set_aside(conn, INSERT_TRIGGERS.iter().copied())?);
        Ok(true)
    }

    /// The device a session inserted while the triggers are aside is
    /// written with: its own, or this installation's if it has none.
    pub(super) fn device<'a>(&'a self, own: &'a str) -> &'a str {
        if own.is_empty() { &self.device } else { own }
    }

    /// Notes a cancelled day the merge wrote: a session held that day,
    /// added after, takes it back.
    pub(super) fn cancelled(&mut self) {
        self.cancellations = true;
    }

    /// Counts a session inserted while the triggers are aside, and takes
    /// back its day's cancellation.
    pub(super) fn added(
        &mut self,
        conn: &Connection,
        date: &str,
        profile: &str,
    ) -> rusqlite::Result<()> {
        let year = date.get(..4).unwrap_or(date);
        *self
            .sums
            .entry((year.to_string(), profile.to_string()))
            .or_default() += 1;
        if self.cancellations {
            conn.prepare_cached(
                "DELETE FROM session_cancellations WHERE profile = ?1 AND date = ?2",
            )?
            .execute([profile, date])?;
        }
        Ok(())
    }

    /// Writes the sessions counted so far into `year_totals` (a session
    /// is inserted with no visitors: those come with their own updates).
    pub(super) fn flush(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        if self.sums.is_empty() {
            return Ok(());
        }
        let mut sums: Vec<_> = self.sums.drain().collect();
        sums.sort_unstable();
        let mut add = conn.prepare_cached(
            "INSERT INTO year_totals(year, profile, sessions, visitors) VALUES (?1, ?2, ?3, 0)
             ON CONFLICT(year, profile) DO UPDATE SET sessions = sessions + excluded.sessions",
        )?;
        for ((year, profile), n) in sums {
            add.execute(params![year, profile, n])?;
        }
        Ok(())
    }

    /// Writes the sums and puts the triggers back, inside the merge's
    /// transaction.
    pub(super) fn finish(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        self.flush(conn)?;
        aside::put_back(conn, self.paused.take())
    }
}

//! Loading a whole history at once (the demo generator, the benchmark):
//! one transaction and prepared statements instead of one durable commit
//! per visit, with the maintained per-session visitor counts kept exact.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{TransactionBehavior, params};

use super::{Result, Store, fmt_date, fmt_time};
use crate::clock::Stamp;
use crate::domain::{VisitEntry, new_uid, random_uid};
use crate::voucher::{Cents, Season};

/// A past duty session and the visits saved in it, to be written in one go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistorySession {
    pub profile: String,
    pub location: String,
    /// The session's date is the date of its start.
    pub started_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
    /// Each visit's time and what was recorded, in any order.
    pub visits: Vec<(NaiveDateTime, VisitEntry)>,
    /// Anti-slip vouchers written in these visits.
    pub vouchers: Vec<HistoryVoucher>,
}

/// An anti-slip voucher written in one of a history session's visits, with
/// its number already given; it carries no identity hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryVoucher {
    /// Which of the session's `visits` it was written in (issued then).
    pub visit: usize,
    /// The number's prefix (`LE`): the season's counter is raised to `seq`,
    /// so the next voucher issued by hand follows on.
    pub prefix: String,
    pub number: String,
    pub season: Season,
    pub seq: u32,
    pub product: String,
    pub max_sum: Cents,
    pub valid_until: NaiveDate,
    pub birth_year: Option<i32>,
    /// The day it was used and the sum; `None` while it is unused.
    pub used: Option<(NaiveDate, Cents)>,
}

/// What a bulk load wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HistoryCounts {
    pub sessions: u64,
    pub visits: u64,
    pub vouchers: u64,
}

/// Page cache while loading (KiB, as SQLite's negative `cache_size`): big
/// enough that the one long transaction does not spill pages to the WAL
/// over and over.
const LOAD_CACHE_KIB: i64 = 64 * 1024;

impl Store {
    /// Writes `sessions` and their visits in a single transaction: all or
    /// nothing, one fsync. Each session's `visitors` equals the number of
    /// visits written into it, as [`Store::add_visit`] would leave it. The
    /// WAL is checkpointed and truncated afterwards.
    pub fn insert_history<I>(&mut self, sessions: I, stamp: &Stamp) -> Result<HistoryCounts>
    where
        I: IntoIterator<Item = HistorySession>,
    {
        let cache: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn
            .pragma_update(None, "cache_size", -LOAD_CACHE_KIB)?;
        let written = self.write_history(sessions, stamp);
        self.conn.pragma_update(None, "cache_size", cache)?;
        let counts = written?;
        // The load passed through the WAL; give its disk space back.
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(counts)
    }

    fn write_history<I>(&mut self, sessions: I, stamp: &Stamp) -> Result<HistoryCounts>
    where
        I: IntoIterator<Item = HistorySession>,
    {
        let updated_at = stamp.as_str();
        let tx = self
            .writable()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut counts = HistoryCounts::default();
        {
            let mut session = tx.prepare(
                "INSERT INTO sessions(uid, profile, location, date, started_at, ended_at, visitors)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut visit = tx.prepare(
                "INSERT INTO visits(uid, session_id, at, referral, note, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let mut topic = tx.prepare(
                "INSERT OR IGNORE INTO visit_topics(visit_id, topic, position) VALUES (?1, ?2, ?3)",
            )?;
            let mut field =
                tx.prepare("INSERT INTO visit_fields(visit_id, field, value) VALUES (?1, ?2, ?3)")?;
            let mut voucher = tx.prepare(
                "INSERT INTO vouchers(uid, number, profile, season, seq, product, max_cents,
                     issued_at, valid_until, birth_year, visit_id, status, used_cents, used_on,
                     updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?;
            let mut counter = tx.prepare(
                "INSERT INTO voucher_counters(prefix, season, last) VALUES (?1, ?2, ?3)
                 ON CONFLICT(prefix, season) DO UPDATE SET last = max(last, excluded.last)",
            )?;
            let mut visit_ids = Vec::new();
            for s in sessions {
                // The count is written with the session row; the visits
                // below are exactly the ones it counts.
                let session_id = session.insert(params![
                    random_uid(),
                    s.profile,
                    s.location,
                    fmt_date(s.started_at.date()),
                    fmt_time(s.started_at),
                    s.ended_at.map(fmt_time),
                    s.visits.len() as i64,
                ])?;
                counts.sessions += 1;
                visit_ids.clear();
                for (at, entry) in &s.visits {
                    let visit_id = visit.insert(params![
                        new_uid(stamp),
                        session_id,
                        fmt_time(*at),
                        entry.referral,
                        entry.note,
                        updated_at,
                    ])?;
                    for (i, t) in entry.topics.iter().enumerate() {
                        topic.execute(params![visit_id, t, i as i64])?;
                    }
                    for (k, v) in &entry.fields {
                        field.execute(params![visit_id, k, v])?;
                    }
                    visit_ids.push(visit_id);
                    counts.visits += 1;
                }
                for v in &s.vouchers {
                    let at = s.visits[v.visit].0;
                    voucher.execute(params![
                        new_uid(stamp),
                        v.number,
                        s.profile,
                        v.season.0,
                        v.seq,
                        v.product,
                        v.max_sum.0,
                        fmt_time(at),
                        fmt_date(v.valid_until),
                        v.birth_year,
                        visit_ids[v.visit],
                        if v.used.is_some() { "used" } else { "issued" },
                        v.used.map(|u| u.1.0),
                        v.used.map(|u| fmt_date(u.0)),
                        updated_at,
                    ])?;
                    counter.execute(params![v.prefix, v.season.0, v.seq])?;
                    counts.vouchers += 1;
                }
            }
        }
        tx.commit()?;
        Ok(counts)
    }
}

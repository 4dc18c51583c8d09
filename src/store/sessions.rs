//! Held and cancelled duty sessions: a day's scheduled duty marked as not
//! held (cancelled), a held session recorded after the fact, and the lists
//! `tiski session list` and the report's rota figures read. Only held
//! sessions have rows in `sessions`; a cancellation is a row of its own,
//! which a held session on the day removes (migration 7's triggers).

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};

use super::{DATE_FMT, Result, Store, StoreError, fmt_date, fmt_time, parse_time};
use crate::clock::Stamp;
use crate::domain::{DutySession, SessionId, random_uid};

/// A day on which a profile's scheduled duty did not take place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    pub uid: String,
    pub profile: String,
    pub date: NaiveDate,
    pub cancelled_at: NaiveDateTime,
}

impl Store {
    /// Continues today's latest session for this profile and location, or
    /// starts one: what a rota slot, or `s` on the duty screen, writes. A
    /// continued session is open again (its end cleared). Returns the
    /// session and whether it was newly created.
    pub fn open_session(
        &mut self,
        profile: &str,
        location: &str,
        now: NaiveDateTime,
    ) -> Result<(DutySession, bool)> {
        let tx = self
            .writable()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (id, created) = open_session_in(&tx, profile, location, now)?;
        tx.commit()?;
        Ok((self.session(SessionId(id))?, created))
    }

    /// Today's latest session for this profile and location, read only.
    pub fn find_session(
        &self,
        profile: &str,
        location: &str,
        date: NaiveDate,
    ) -> Result<Option<DutySession>> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "{SESSION_COLS} WHERE profile = ?1 AND location = ?2 AND date = ?3
                     ORDER BY started_at DESC, id DESC LIMIT 1"
                ),
                params![profile, location, fmt_date(date)],
                session_from_row,
            )
            .optional()?)
    }

    /// Ends `current` now and starts a fresh session at the same place.
    pub fn start_new_session(
        &mut self,
        current: SessionId,
        now: NaiveDateTime,
    ) -> Result<DutySession> {
        let old = self.session(current)?;
        let tx = self
            .writable()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE sessions SET ended_at = ?2 WHERE id = ?1",
            params![current.0, fmt_time(now)],
        )?;
        let id = insert_session(&tx, &old.profile, &old.location, now, None)?;
        tx.commit()?;
        self.session(SessionId(id))
    }

    /// Records the end time of a session (on quit). The end is never
    /// before its start or its last visit, whatever the clock did
    /// meanwhile (stepped back, or the autumn's DST change).
    pub fn close_session(&mut self, id: SessionId, now: NaiveDateTime) -> Result<()> {
        self.writable()?.execute(
            "UPDATE sessions SET ended_at = max(?2, started_at,
                 coalesce((SELECT max(at) FROM visits WHERE session_id = ?1), started_at),
                 coalesce((SELECT max(at) FROM head_counts WHERE session_id = ?1), started_at))
             WHERE id = ?1",
            params![id.0, fmt_time(now)],
        )?;
        Ok(())
    }

    /// Removes a session that has no visits (opened at the wrong place by
    /// mistake). Returns whether it was removed.
    pub fn discard_empty_session(&mut self, id: SessionId, stamp: &Stamp) -> Result<bool> {
        let tx = self
            .writable()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // A tombstone, so a desk that imported the session with its visit
        // drops it too when the visit's own tombstone takes it empty.
        tx.execute(
            "INSERT OR REPLACE INTO tombstones(uid, deleted_at)
             SELECT uid, ?2 FROM sessions WHERE id = ?1
               AND NOT EXISTS (SELECT 1 FROM visits WHERE session_id = ?1)
               AND NOT EXISTS (SELECT 1 FROM head_counts WHERE session_id = ?1)",
            params![id.0, stamp.as_str()],
        )?;
        let n = tx.execute(
            "DELETE FROM sessions WHERE id = ?1
               AND NOT EXISTS (SELECT 1 FROM visits WHERE session_id = ?1)
               AND NOT EXISTS (SELECT 1 FROM head_counts WHERE session_id = ?1)",
            [id.0],
        )?;
        tx.commit()?;
        Ok(n == 1)
    }

    pub fn session(&self, id: SessionId) -> Result<DutySession> {
        Ok(self
            .conn
            .prepare_cached(&format!("{SESSION_COLS} WHERE id = ?1"))?
            .query_row([id.0], session_from_row)?)
    }

    /// Sessions on `date`, optionally for one profile, in start order.
    pub fn sessions_on(&self, profile: Option<&str>, date: NaiveDate) -> Result<Vec<DutySession>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SESSION_COLS} WHERE date = ?1 AND (?2 IS NULL OR profile = ?2) ORDER BY started_at, id"
        ))?;
        let rows = stmt.query_map(params![fmt_date(date), profile], session_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    #[cfg(test)]
    /// The session a visit logged from the shell at `at` belongs to: the
    /// latest session that day for the profile and location, else a new,
    /// closed one spanning just that visit.
    pub fn session_for_log(
        &mut self,
        profile: &str,
        location: &str,
        at: NaiveDateTime,
    ) -> Result<DutySession> {
        let tx = self
            .writable()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = session_for_log_in(&tx, profile, location, at)?;
        tx.commit()?;
        self.session(SessionId(id))
    }

    /// Marks `date` cancelled for `profile`: the day's empty sessions are
    /// removed (a slot's session opened by looking something up), in one
    /// transaction. Refused, with nothing changed, while the day has a
    /// visit: such a duty was held. Returns the sessions removed.
    pub fn cancel_day(
        &mut self,
        profile: &str,
        date: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<u32> {
        let tx = self
            .writable()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let day = fmt_date(date);
        let visitors: i64 = tx.query_row(
            "SELECT coalesce(sum(visitors), 0) FROM sessions WHERE profile = ?1 AND date = ?2",
            params![profile, day],
            |r| r.get(0),
        )?;
        if visitors > 0 {
            return Err(StoreError::DayHasVisits {
                date,
                visitors: visitors as u32,
            });
        }
        let removed = tx.execute(
            "DELETE FROM sessions WHERE profile = ?1 AND date = ?2 AND visitors = 0",
            params![profile, day],
        )?;
        tx.execute(
            "INSERT INTO session_cancellations(uid, profile, date, cancelled_at)
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT(profile, date) DO NOTHING",
            params![random_uid(), profile, day, fmt_time(now)],
        )?;
        tx.commit()?;
        Ok(removed as u32)
    }

    /// Records a held duty session with no visitors after the fact (the
    /// laptop stayed home), closed from `start` to `end`. Refused when the
    /// profile already has a session at that place that day.
    pub fn record_session(
        &mut self,
        profile: &str,
        location: &str,
        start: NaiveDateTime,
        end: NaiveDateTime,
    ) -> Result<DutySession> {
        let tx = self
            .writable()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing: Option<u32> = tx
            .query_row(
                "SELECT visitors FROM sessions WHERE profile = ?1 AND location = ?2 AND date = ?3",
                params![profile, location, fmt_date(start.date())],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(visitors) = existing {
            return Err(StoreError::SessionExists {
                date: start.date(),
                location: location.to_string(),
                visitors,
            });
        }
        let id = insert_session(&tx, profile, location, start, Some(end))?;
        tx.commit()?;
        self.session(SessionId(id))
    }

    /// Held sessions from `from` to `to` for a profile (or all), in date
    /// and start order.
    pub fn sessions_between(
        &self,
        profile: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<DutySession>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SESSION_COLS} WHERE date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR profile = ?3)
             ORDER BY date, started_at, uid, id"
        ))?;
        let rows = stmt.query_map(
            params![fmt_date(from), fmt_date(to), profile],
            session_from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The day of `profile`'s first session in this log.
    pub(super) fn first_session_date(&self, profile: &str) -> Result<Option<NaiveDate>> {
        let first: Option<String> = self.conn.query_row(
            "SELECT min(date) FROM sessions WHERE profile = ?1",
            [profile],
            |r| r.get(0),
        )?;
        Ok(first.and_then(|d| NaiveDate::parse_from_str(&d, DATE_FMT).ok()))
    }

    /// The days `profile` held a session from `from` to `to`, a day once
    /// for each session held on it: only the days and how many sessions
    /// each held, from the index on (profile, date): a dense year holds
    /// thousands of sessions, and none of their rows is read.
    pub(super) fn held_days(
        &self,
        profile: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<NaiveDate>> {
        let mut held: Vec<NaiveDate> = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT date, count(*) FROM sessions
             WHERE profile = ?1 AND date BETWEEN ?2 AND ?3 GROUP BY date",
        )?;
        let mut rows = stmt.query(params![profile, fmt_date(from), fmt_date(to)])?;
        while let Some(r) = rows.next()? {
            let date = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            let n: usize = r.get(1)?;
            // ISO 8601, as stored; FromStr skips parsing a format.
            if let Ok(date) = date.parse::<NaiveDate>() {
                held.extend(std::iter::repeat_n(date, n));
            }
        }
        Ok(held)
    }

    /// Days marked cancelled from `from` to `to`, for a profile or all.
    pub fn cancellations(
        &self,
        profile: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Cancellation>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT uid, profile, date, cancelled_at FROM session_cancellations
             WHERE date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR profile = ?3)
             ORDER BY date, profile",
        )?;
        let rows = stmt.query_map(params![fmt_date(from), fmt_date(to), profile], |r| {
            let date: String = r.get(2)?;
            Ok(Cancellation {
                uid: r.get(0)?,
                profile: r.get(1)?,
                date: NaiveDate::parse_from_str(&date, DATE_FMT).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        2,
                        rusqlite::types::Type::Text,
                        e.into(),
                    )
                })?,
                cancelled_at: super::parse_time(r, 3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

pub(super) const SESSION_COLS: &str =
    "SELECT id, uid, profile, location, date, started_at, ended_at, visitors FROM sessions";

pub(super) fn session_from_row(r: &Row<'_>) -> rusqlite::Result<DutySession> {
    let date = r.get_ref(4)?.as_str().map_err(rusqlite::Error::from)?;
    let date = match crate::clock::parse_stored_date(date) {
        Some(d) => d,
        None => NaiveDate::parse_from_str(date, DATE_FMT).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, e.into())
        })?,
    };
    Ok(DutySession {
        id: SessionId(r.get(0)?),
        uid: r.get(1)?,
        profile: r.get(2)?,
        location: r.get(3)?,
        date,
        started_at: parse_time(r, 5)?,
        ended_at: match r.get::<_, Option<String>>(6)? {
            None => None,
            Some(_) => Some(parse_time(r, 6)?),
        },
        visitors: r.get(7)?,
    })
}

/// The session of a visit logged at `at`: the day's latest for the profile
/// and place, stretched to cover the visit, else a new one spanning it.
pub(super) fn session_for_log_in(
    tx: &rusqlite::Connection,
    profile: &str,
    location: &str,
    at: NaiveDateTime,
) -> rusqlite::Result<i64> {
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM sessions WHERE profile = ?1 AND location = ?2 AND date = ?3
             ORDER BY started_at DESC, id DESC LIMIT 1",
            params![profile, location, fmt_date(at.date())],
            |r| r.get(0),
        )
        .optional()?;
    match existing {
        Some(id) => {
            tx.execute(
                "UPDATE sessions SET started_at = min(started_at, ?2),
                     ended_at = CASE WHEN ended_at IS NULL THEN NULL ELSE max(ended_at, ?2) END
                 WHERE id = ?1",
                params![id, fmt_time(at)],
            )?;
            Ok(id)
        }
        None => insert_session(tx, profile, location, at, Some(at)),
    }
}

/// Continues the day's latest session of the profile at the place (open
/// again, widened to start no later than `at`), or starts an open one at
/// `at`, inside the caller's transaction; whether it was made now.
pub(super) fn open_session_in(
    tx: &rusqlite::Connection,
    profile: &str,
    location: &str,
    at: NaiveDateTime,
) -> rusqlite::Result<(i64, bool)> {
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM sessions WHERE profile = ?1 AND location = ?2 AND date = ?3
             ORDER BY started_at DESC, id DESC LIMIT 1",
            params![profile, location, fmt_date(at.date())],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match existing {
        Some(id) => {
            tx.execute(
                "UPDATE sessions SET ended_at = NULL, started_at = min(started_at, ?2)
                 WHERE id = ?1",
                params![id, fmt_time(at)],
            )?;
            (id, false)
        }
        None => (insert_session(tx, profile, location, at, None)?, true),
    })
}

pub(super) fn insert_session(
    tx: &rusqlite::Connection,
    profile: &str,
    location: &str,
    start: NaiveDateTime,
    end: Option<NaiveDateTime>,
) -> rusqlite::Result<i64> {
    tx.execute(
        "INSERT INTO sessions(uid, profile, location, date, started_at, ended_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            random_uid(),
            profile,
            location,
            fmt_date(start.date()),
            fmt_time(start),
            end.map(fmt_time)
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::VisitEntry;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn entry() -> VisitEntry {
        VisitEntry {
            topics: vec!["digituki".into()],
            ..VisitEntry::default()
        }
    }

    #[test]
    fn a_cancelled_day_loses_its_empty_session_and_does_not_count() {
        let mut s = Store::open_in_memory().unwrap();
        s.open_session("ikaihmiset", "Kirjasto", at("2023-11-14 10:00"))
            .unwrap();
        let year = |s: &Store| {
            s.session_stats(Some("ikaihmiset"), day("2023-01-01"), day("2023-12-31"))
                .unwrap()
        };
        assert_eq!(year(&s).sessions, 1);
        let removed = s
            .cancel_day("ikaihmiset", day("2023-11-14"), at("2023-11-14 10:05"))
            .unwrap();
        assert_eq!(removed, 1);
        assert_eq!(year(&s).sessions, 0);
        let c = s
            .cancellations(None, day("2023-01-01"), day("2023-12-31"))
            .unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(
            (c[0].profile.as_str(), c[0].date),
            ("ikaihmiset", day("2023-11-14"))
        );
        // Cancelling again changes nothing.
        s.cancel_day("ikaihmiset", day("2023-11-14"), at("2023-11-14 10:06"))
            .unwrap();
        assert_eq!(
            s.cancellations(None, day("2023-11-14"), day("2023-11-14"))
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn a_day_with_a_visit_cannot_be_cancelled_and_a_visit_undoes_a_cancellation() {
        let mut s = Store::open_in_memory().unwrap();
        s.cancel_day("ikaihmiset", day("2023-11-14"), at("2023-11-14 09:00"))
            .unwrap();
        // A visit after all: the duty was held.
        let session = s
            .session_for_log("ikaihmiset", "Kirjasto", at("2023-11-14 10:30"))
            .unwrap();
        s.add_visit(session.id, at("2023-11-14 10:30"), &entry())
            .unwrap();
        assert!(
            s.cancellations(None, day("2023-11-14"), day("2023-11-14"))
                .unwrap()
                .is_empty()
        );
        let refused = s.cancel_day("ikaihmiset", day("2023-11-14"), at("2023-11-14 11:00"));
        assert!(matches!(
            refused,
            Err(StoreError::DayHasVisits { visitors: 1, .. })
        ));
        assert_eq!(
            s.sessions_between(None, day("2023-11-14"), day("2023-11-14"))
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn a_session_recorded_afterwards_counts_with_no_visitors_once() {
        let mut s = Store::open_in_memory().unwrap();
        let rec = s
            .record_session(
                "ikaihmiset",
                "Kirjasto",
                at("2023-11-14 10:00"),
                at("2023-11-14 12:00"),
            )
            .unwrap();
        assert_eq!(
            (rec.visitors, rec.ended_at),
            (0, Some(at("2023-11-14 12:00")))
        );
        let again = s.record_session(
            "ikaihmiset",
            "Kirjasto",
            at("2023-11-14 10:00"),
            at("2023-11-14 12:00"),
        );
        assert!(matches!(again, Err(StoreError::SessionExists { .. })));
        let y = s
            .session_stats(Some("ikaihmiset"), day("2023-01-01"), day("2023-12-31"))
            .unwrap();
        assert_eq!((y.sessions, y.visitors), (1, 0));
    }
}

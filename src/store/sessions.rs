//! Held and cancelled duty sessions: a day's scheduled duty marked as not
//! held (cancelled), a held session recorded after the fact, and the lists
//! `tiski session list` and the report's rota figures read. Only held
//! sessions have rows in `sessions`; a cancellation is a row of its own,
//! which a held session on the day removes (migration 7's triggers).

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{
    DATE_FMT, Result, SESSION_COLS, Store, StoreError, fmt_date, fmt_time, insert_session,
    session_from_row,
};
use crate::config::Profile;
use crate::domain::{DutySession, SessionId, new_uid};
use crate::schedule::SlotCounts;

/// A day on which a profile's scheduled duty did not take place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    pub uid: String,
    pub profile: String,
    pub date: NaiveDate,
    pub cancelled_at: NaiveDateTime,
}

impl Store {
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
            .conn
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
            params![new_uid(), profile, day, fmt_time(now)],
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
            .conn
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
             ORDER BY date, started_at, id"
        ))?;
        let rows = stmt.query_map(
            params![fmt_date(from), fmt_date(to), profile],
            session_from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How `profile`'s scheduled slots from `from` to `to` went, counting
    /// only slots up to `today` (later ones have not happened yet).
    pub fn rota_counts(
        &self,
        profile: &Profile,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Result<SlotCounts> {
        super::FigureSource::rota_counts(self, profile, from, to, today)
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

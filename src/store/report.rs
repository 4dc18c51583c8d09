//! Report and export queries: a period's sessions and visits in a handful
//! of statements (sessions by date index, then visits, topics and fields
//! joined for the whole period), never one query per visit.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Result, Store, StoreError, fmt_date, session_from_row};

/// Visits whose topics and fields are read together.
pub(super) const PARTS_BATCH: usize = 512;
use crate::domain::{DutySession, Visit};
use crate::report::period::{Counts, SessionFigures};

/// Which sessions a report or export covers; `None` means all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodFilter<'a> {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub profile: Option<&'a str>,
    pub location: Option<&'a str>,
    pub device: Option<&'a str>,
}

impl<'a> PeriodFilter<'a> {
    /// Every desk's records from `from` to `to`.
    pub fn all(from: NaiveDate, to: NaiveDate) -> PeriodFilter<'a> {
        PeriodFilter {
            from,
            to,
            profile: None,
            location: None,
            device: None,
        }
    }

    /// The desks this filter covers, without its dates.
    pub fn desks(&self) -> DeskFilter<'a> {
        DeskFilter {
            profile: self.profile,
            location: self.location,
            device: self.device,
        }
    }
}

/// Which desks a report covers, whatever the dates; `None` means all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeskFilter<'a> {
    pub profile: Option<&'a str>,
    pub location: Option<&'a str>,
    pub device: Option<&'a str>,
}

impl<'a> DeskFilter<'a> {
    /// These desks' sessions from `from` to `to`.
    pub fn between(self, from: NaiveDate, to: NaiveDate) -> PeriodFilter<'a> {
        PeriodFilter {
            from,
            to,
            profile: self.profile,
            location: self.location,
            device: self.device,
        }
    }
}

/// A session with the installation that opened it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionRecord {
    pub session: DutySession,
    pub device: String,
}

/// A visit with what consolidation needs: its session's uid and when it
/// was last written (RFC 3339, UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VisitRecord {
    pub visit: Visit,
    pub session_uid: String,
    pub updated_at: String,
}

/// A deleted visit's uid and when it was deleted (RFC 3339, UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tombstone {
    pub uid: String,
    pub deleted_at: String,
}

/// A period's sessions (date order, zero-visitor ones included) and their
/// visits (time order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodData {
    pub sessions: Vec<SessionRecord>,
    pub visits: Vec<VisitRecord>,
}

impl PeriodFilter<'_> {
    /// The parameters ?1–?5 of [`PERIOD_WHERE`] (and of the same filter on
    /// `visit_counts`): from, to, profile, location, device.
    pub(super) fn params(&self) -> (String, String, Option<&str>, Option<&str>, Option<&str>) {
        (
            fmt_date(self.from),
            fmt_date(self.to),
            self.profile,
            self.location,
            self.device,
        )
    }
}

/// The WHERE clause shared by the period queries; `s` is `sessions`.
pub(super) const PERIOD_WHERE: &str = "s.date BETWEEN ?1 AND ?2
    AND (?3 IS NULL OR s.profile = ?3)
    AND (?4 IS NULL OR s.location = ?4)
    AND (?5 IS NULL OR s.device = ?5)";

impl Store {
    /// This installation's id, stamped on the sessions it opens.
    pub fn device_id(&self) -> Result<String> {
        Ok(self.setting("device_id")?.unwrap_or_default())
    }

    /// The filtered sessions' head-counts by weekday (0 = Monday) and hour:
    /// they count there with the itemised visits (they have a time, not
    /// topics or fields).
    pub(super) fn head_counts_by_hour(
        &self,
        f: &PeriodFilter<'_>,
    ) -> Result<Vec<(usize, u32, u32)>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT (CAST(strftime('%w', h.at) AS INTEGER) + 6) % 7,
                    CAST(strftime('%H', h.at) AS INTEGER), sum(h.n)
             FROM head_counts h JOIN sessions s ON s.id = h.session_id
             WHERE {PERIOD_WHERE} GROUP BY 1, 2"
        ))?;
        let rows = stmt.query_map(f.params(), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Product → vouchers written in the filtered sessions' visits during
    /// the period (cancelled ones do not count).
    pub(super) fn vouchers_in_period(&self, f: &PeriodFilter<'_>) -> Result<Counts> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT vo.product, count(*)
             FROM vouchers vo JOIN visits v ON v.id = vo.visit_id
                  JOIN sessions s ON s.id = v.session_id
             WHERE vo.status <> 'cancelled'
               AND substr(vo.issued_at, 1, 10) BETWEEN ?1 AND ?2
               AND (?3 IS NULL OR vo.profile = ?3)
               AND {PERIOD_WHERE}
             GROUP BY vo.product"
        ))?;
        let rows = stmt.query_map(f.params(), |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The filtered sessions' day, place and visitors, in the order of
    /// [`Store::each_session`]'s sessions: a year of a big city holds some ten
    /// thousand, so only what a report reads is read.
    pub(super) fn session_figures(&self, f: &PeriodFilter<'_>) -> Result<Vec<SessionFigures>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT s.date, s.location, s.visitors
             FROM sessions s WHERE {PERIOD_WHERE} ORDER BY s.date, s.started_at, s.uid, s.id"
        ))?;
        let rows = stmt.query_map(f.params(), |r| {
            let date = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            Ok(SessionFigures {
                // ISO 8601, as stored; FromStr skips parsing a format.
                date: date.parse().map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        0,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })?,
                location: r.get(1)?,
                visitors: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The filtered sessions, in date order, zero-visitor ones included,
    /// handed to `each` one at a time.
    pub fn each_session<E: From<StoreError>>(
        &self,
        f: &PeriodFilter<'_>,
        mut each: impl FnMut(SessionRecord) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT s.id, s.uid, s.profile, s.location, s.date, s.started_at, s.ended_at,
                        s.visitors, s.device
                 FROM sessions s WHERE {PERIOD_WHERE} ORDER BY s.date, s.started_at, s.uid, s.id"
            ))
            .map_err(StoreError::from)?;
        let mut rows = stmt.query(f.params()).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            let record = SessionRecord {
                session: session_from_row(r).map_err(StoreError::from)?,
                device: r.get(8).map_err(StoreError::from)?,
            };
            each(record)?;
        }
        Ok(())
    }

    /// Every visit of the filtered sessions in full, in time order (then
    /// by id), handed to `each` one at a time: a batch is held, never the
    /// period (see [`Store::each_visit_ref`]).
    pub fn each_visit<E: From<StoreError>>(
        &self,
        f: &PeriodFilter<'_>,
        mut each: impl FnMut(VisitRecord) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        self.each_visit_ref(f, |v| each(v.to_record()))
    }

    /// Everything an export of the period needs: its sessions and each of
    /// their visits in full (for a period that fits in memory; exports
    /// stream with [`Store::each_session`] and [`Store::each_visit`]).
    pub fn period(&self, f: &PeriodFilter<'_>) -> Result<PeriodData> {
        self.in_one_read(|| {
            let mut data = PeriodData::default();
            self.each_session(f, |s| {
                data.sessions.push(s);
                Ok::<_, StoreError>(())
            })?;
            self.each_visit(f, |v| {
                data.visits.push(v);
                Ok::<_, StoreError>(())
            })?;
            Ok(data)
        })
    }

    /// Runs `read`'s reads as one reading of the log: each sees the file as
    /// the first one did, so a save beside them (a duty screen's, a `tiski
    /// log`) is in all of them or in none (an export's sessions, visits and
    /// their topics agree). Inside another such reading (or a write), that
    /// one's. A slow reader holds back the WAL's checkpoint meanwhile; the
    /// WAL is folded in once it ends.
    pub fn in_one_read<T, E: From<StoreError>>(
        &self,
        read: impl FnOnce() -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        if !self.conn.is_autocommit() {
            return read();
        }
        // Deferred: no lock is taken until the first read, which fixes
        // the snapshot; nothing is written, so the end is a rollback.
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(StoreError::from)?;
        let out = read();
        drop(tx);
        out
    }

    /// The devices that opened sessions here, for `--device`.
    pub fn devices(&self) -> Result<Vec<String>> {
        self.distinct("SELECT DISTINCT device FROM sessions ORDER BY device")
    }

    /// The places sessions were held at, for `--location`.
    pub fn locations(&self) -> Result<Vec<String>> {
        self.distinct("SELECT DISTINCT location FROM sessions ORDER BY location")
    }

    fn distinct(&self, sql: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every deletion this database knows of, oldest first.
    pub fn tombstones(&self) -> Result<Vec<Tombstone>> {
        let mut out = Vec::new();
        self.each_tombstone(|t| {
            out.push(t);
            Ok::<_, StoreError>(())
        })?;
        Ok(out)
    }

    /// [`Store::tombstones`], handed to `each` one at a time.
    pub fn each_tombstone<E: From<StoreError>>(
        &self,
        mut each: impl FnMut(Tombstone) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT uid, deleted_at FROM tombstones ORDER BY deleted_at, uid")
            .map_err(StoreError::from)?;
        let mut rows = stmt.query([]).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            let t = Tombstone {
                uid: r.get(0).map_err(StoreError::from)?,
                deleted_at: r.get(1).map_err(StoreError::from)?,
            };
            each(t)?;
        }
        Ok(())
    }

    /// The first and last days with a session or a cancelled duty, for
    /// "everything" exports.
    pub fn date_span(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        let (a, b): (Option<String>, Option<String>) = self.conn.query_row(
            "SELECT min(date), max(date) FROM
                       (SELECT date FROM sessions UNION ALL SELECT date FROM session_cancellations
                        UNION ALL SELECT date FROM events UNION ALL SELECT date FROM event_groups)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let parse =
            |s: Option<String>| s.and_then(|s| NaiveDate::parse_from_str(&s, super::DATE_FMT).ok());
        Ok(parse(a).zip(parse(b)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::VisitEntry;
    use chrono::NaiveDateTime;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn migration_2_gives_old_sessions_this_devices_id() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let c = rusqlite::Connection::open(&path).unwrap();
            c.execute_batch(super::super::MIGRATIONS[0]).unwrap();
            c.pragma_update(None, "user_version", 1).unwrap();
            c.execute(
                "INSERT INTO sessions(uid, profile, location, date, started_at)
                 VALUES ('s1', 'ikaihmiset', 'Kirjasto', '2023-01-10', '2023-01-10 10:00:00')",
                [],
            )
            .unwrap();
        }
        let mut s = Store::open(&path).unwrap();
        let device = s.device_id().unwrap();
        assert_eq!(device.len(), 12, "{device}");
        assert_eq!(s.devices().unwrap(), std::slice::from_ref(&device));
        // New sessions carry it too, and deletions leave a tombstone.
        let (session, _) = s
            .open_session("ikaihmiset", "Spot", t("2023-01-24 10:00"))
            .unwrap();
        let e = VisitEntry {
            topics: vec!["digituki".into()],
            ..Default::default()
        };
        let v = s.add_visit(session.id, t("2023-01-24 10:05"), &e).unwrap();
        assert_eq!(s.devices().unwrap(), [device]);
        s.delete_visit(v.id, &crate::store::test_support::clock())
            .unwrap();
        let tomb = s.tombstones().unwrap();
        assert_eq!(tomb.len(), 1);
        assert_eq!(tomb[0].uid, v.uid);
        assert_eq!(s.session(session.id).unwrap().visitors, 0);
    }

    #[test]
    fn a_period_loads_sessions_visits_topics_and_fields_with_filters() {
        let mut s = Store::open_in_memory().unwrap();
        let mut add = |day: &str, place: &str, topics: &[&str]| {
            let (session, _) = s
                .open_session("ikaihmiset", place, t(&format!("{day} 10:00")))
                .unwrap();
            let mut e = VisitEntry {
                topics: topics.iter().map(|x| x.to_string()).collect(),
                ..Default::default()
            };
            e.fields.insert("channel".into(), "puhelin".into());
            if !topics.is_empty() {
                s.add_visit(session.id, t(&format!("{day} 10:30")), &e)
                    .unwrap();
            }
        };
        add("2023-01-10", "Kirjasto", &["sote", "digituki"]);
        add("2023-01-24", "Kirjasto", &[]);
        add("2023-02-07", "Spot", &["kela"]);
        add("2024-01-09", "Kirjasto", &["muu"]);
        let all = PeriodFilter {
            from: d("2023-01-01"),
            to: d("2023-12-31"),
            profile: Some("ikaihmiset"),
            location: None,
            device: None,
        };
        let p = s.period(&all).unwrap();
        assert_eq!(p.sessions.len(), 3, "the empty session counts");
        assert_eq!(p.visits.len(), 2);
        assert_eq!(p.visits[0].visit.entry.topics, ["sote", "digituki"]);
        assert_eq!(p.visits[0].visit.entry.fields["channel"], "puhelin");
        assert_eq!(p.visits[0].session_uid, p.sessions[0].session.uid);
        let spot = s
            .period(&PeriodFilter {
                location: Some("Spot"),
                ..all
            })
            .unwrap();
        assert_eq!((spot.sessions.len(), spot.visits.len()), (1, 1));
        let other = s
            .period(&PeriodFilter {
                profile: Some("kotouttaminen"),
                ..all
            })
            .unwrap();
        assert!(other.sessions.is_empty());
        assert_eq!(
            s.date_span().unwrap(),
            Some((d("2023-01-10"), d("2024-01-09")))
        );
    }
}

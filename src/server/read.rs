//! The unit's log as the reader role sees it: the figures a period report
//! is made of, read from the merged records and the counts kept with them
//! (a few rows per session, whatever the number of visits), and the
//! records themselves, as JSONL objects, for exports and lists. Every
//! query takes the same desk filter as the local ones (profile, place,
//! device; `None` for all).

use std::cell::{Cell, RefCell};

use chrono::NaiveDate;
use postgres::Client;
use postgres::types::ToSql;

use super::connect::classify;
use super::sessions::{Gather, PeriodSessions, quick_date};
use super::{ServerError, Target, schema};
use crate::report::period::{Counts, SessionFigures, VisitCounts};
use crate::store::PeriodFilter;

/// The sessions `s` of the unit's log that a period filter's parameters
/// $1–$5 (from, to, profile, place, device) select.
const SESSIONS_WHERE: &str = "s.kind = 'session' AND s.body->>'date' BETWEEN $1 AND $2
    AND ($3::text IS NULL OR s.body->>'profile' = $3)
    AND ($4::text IS NULL OR s.body->>'location' = $4)
    AND ($5::text IS NULL OR s.body->>'device' = $5)";

/// The same selection of the rows `s` of the kept session figures or day
/// counts (schema version 2), whose day and desk are columns.
const KEPT_WHERE: &str = "s.date BETWEEN $1 AND $2
    AND ($3::text IS NULL OR s.profile = $3)
    AND ($4::text IS NULL OR s.location = $4)
    AND ($5::text IS NULL OR s.device = $5)";

/// Vouchers of a period under one product, by whose they are.
#[derive(Debug, Clone)]
pub struct PeriodVouchers {
    /// The voucher's own profile.
    pub voucher_profile: Option<String>,
    /// The profile of the session its visit was in.
    pub session_profile: String,
    pub product: String,
    pub n: u32,
}

/// A period's kept counts, per profile: its visits' under each heading,
/// and its head-counts' visitors as (profile, weekday, hour, visitors).
#[derive(Debug, Clone, Default)]
pub struct PeriodCounts {
    pub by_profile: Vec<(String, VisitCounts)>,
    pub heads: Vec<(String, usize, u32, u32)>,
}

/// A connection of the unit's reader.
pub struct Reader {
    client: RefCell<Client>,
    target: Target,
    /// Whether the reads run in [`Reader::in_one_read`]'s transaction.
    in_read: Cell<bool>,
    /// The snapshot of that transaction once asked for: at `REPEATABLE
    /// READ` it cannot change before the transaction ends.
    read_snapshot: RefCell<Option<String>>,
}

/// A period filter as query parameters.
struct Params {
    from: String,
    to: String,
    profile: Option<String>,
    location: Option<String>,
    device: Option<String>,
}

impl Params {
    fn of(f: &PeriodFilter<'_>) -> Params {
        Params {
            from: f.from.format("%Y-%m-%d").to_string(),
            to: f.to.format("%Y-%m-%d").to_string(),
            profile: f.profile.map(str::to_string),
            location: f.location.map(str::to_string),
            device: f.device.map(str::to_string),
        }
    }

    fn all(&self) -> [&(dyn ToSql + Sync); 5] {
        [
            &self.from,
            &self.to,
            &self.profile,
            &self.location,
            &self.device,
        ]
    }
}

impl Reader {
    /// Connects to `target` and checks its schema.
    pub fn connect(target: &Target) -> Result<Reader, ServerError> {
        let mut client = super::connect(target)?;
        schema::check(&mut client, target)?;
        // What the desks pushed and nobody settled yet (a desk killed
        // right after its commit) is the unit's before anything is read.
        schema::settle(&mut client, target, true)?;
        // A year's sessions are sorted and its counts grouped in memory
        // (the server's default of 4 MB sorts them on disk), for this
        // connection alone.
        client
            .batch_execute("SET work_mem = '64MB'")
            .map_err(|e| classify(e, target))?;
        Ok(Reader {
            client: RefCell::new(client),
            target: target.clone(),
            in_read: Cell::new(false),
            read_snapshot: RefCell::new(None),
        })
    }

    /// Runs `read`'s reads as one reading of the unit's log: one
    /// read-only transaction at `REPEATABLE READ`, whose statements all see
    /// the snapshot of its first, so a report's figures agree with each
    /// other whatever the desks push meanwhile. Inside another, `read`
    /// runs in that one.
    pub fn in_one_read<T, E: From<ServerError>>(
        &self,
        read: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        if self.in_read.get() {
            return read();
        }
        // Every push committed before this reading is in it: settled
        // first, in a transaction of its own (the reading's is read-only).
        schema::settle(&mut *self.client.borrow_mut(), &self.target, true)?;
        self.client
            .borrow_mut()
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .map_err(|e| classify(e, &self.target))?;
        self.in_read.set(true);
        let result = read();
        self.in_read.set(false);
        self.read_snapshot.borrow_mut().take();
        // Nothing was written: the end only lets the snapshot go.
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        let ended = self
            .client
            .borrow_mut()
            .batch_execute(end)
            .map_err(|e| classify(e, &self.target));
        let value = result?;
        ended?;
        Ok(value)
    }

    /// The server, for messages.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The server's snapshot as of now (`pg_current_snapshot`): the same
    /// text means no transaction has committed since, so nothing read
    /// before has changed. Inside [`Reader::in_one_read`] it is the
    /// transaction's, asked for once: a report's many reads of kept
    /// periods cost no round trip each.
    pub fn snapshot(&self) -> Result<String, ServerError> {
        if let Some(s) = self.read_snapshot.borrow().as_ref() {
            return Ok(s.clone());
        }
        let snapshot: String = self
            .query("SELECT pg_current_snapshot()::text", &[])?
            .first()
            .map(|r| r.get(0))
            .unwrap_or_default();
        if self.in_read.get() {
            *self.read_snapshot.borrow_mut() = Some(snapshot.clone());
        }
        Ok(snapshot)
    }

    fn query(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>, ServerError> {
        self.settled()?;
        self.client
            .borrow_mut()
            .query(sql, params)
            .map_err(|e| classify(e, &self.target))
    }

    /// A read outside [`Reader::in_one_read`] (one statement, its own
    /// snapshot) settles what was pushed before it, as a reading does.
    fn settled(&self) -> Result<(), ServerError> {
        if !self.in_read.get() {
            schema::settle(&mut *self.client.borrow_mut(), &self.target, true)?;
        }
        Ok(())
    }

    /// Hands each row of `sql` to `each` as it comes from the server: a
    /// read of many rows is never held whole beside what is made of it.
    fn each(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        mut each: impl FnMut(&postgres::Row) -> Result<(), ServerError>,
    ) -> Result<(), ServerError> {
        use postgres::fallible_iterator::FallibleIterator as _;
        self.settled()?;
        let mut client = self.client.borrow_mut();
        let mut rows = client
            .query_raw(sql, params.iter().copied())
            .map_err(|e| classify(e, &self.target))?;
        while let Some(r) = rows.next().map_err(|e| classify(e, &self.target))? {
            each(&r)?;
        }
        Ok(())
    }

    /// The filtered sessions' day, place and visitors (visits and
    /// head-counts), in date and start order.
    pub fn session_figures(
        &self,
        f: &PeriodFilter<'_>,
    ) -> Result<Vec<SessionFigures>, ServerError> {
        Ok(self.sessions(f)?.figures(None, None, None))
    }

    /// Every session of the period with its profile, place and device
    /// beside its figures, in date and start order: a report's total and
    /// each profile's part are all drawn from this one read.
    pub fn sessions_of_period(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<PeriodSessions, ServerError> {
        self.sessions(&PeriodFilter::all(from, to))
    }

    /// The filtered sessions in the order the desk's file reads them: by
    /// date, start and uid, compared byte by byte (SQLite's `BINARY`).
    /// Sorted here, not by the server: PostgreSQL's sort of a year's
    /// 180 000 sessions by three text columns took more than half a
    /// second of the unit's report, where reading them unsorted takes a
    /// tenth of that and the sort here some tens of milliseconds. Each
    /// row's texts are borrowed from the server's row, not copied: the
    /// desks' few names are kept once ([`Gather`]).
    fn sessions(&self, f: &PeriodFilter<'_>) -> Result<PeriodSessions, ServerError> {
        let p = Params::of(f);
        let mut rows = Gather::default();
        self.each(
            &format!(
                "SELECT s.date, s.location, s.visitors, s.profile, s.device, s.started_at, s.uid
                 FROM tiski.session_figures s WHERE {KEPT_WHERE}"
            ),
            &p.all(),
            |r| {
                let day: &str = r.get(0);
                let day = match quick_date(day) {
                    Some(d) => d,
                    None => date(day)?,
                };
                rows.push(
                    day,
                    r.get(3),
                    r.get(1),
                    r.get(4),
                    count(r.get(2)),
                    r.get(5),
                    r.get(6),
                );
                Ok(())
            },
        )?;
        Ok(rows.sorted())
    }

    /// What the period's visits add up to under each heading, and its
    /// head-counts by weekday and hour, per profile: one read for a
    /// report's total and all its profiles' parts, of the month roll-up
    /// (schema version 3) for the period's whole months, and of the kept
    /// day counts for the days of a month it takes only part of.
    pub fn counts_of_period(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<PeriodCounts, ServerError> {
        let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let month = |d: NaiveDate| d.format("%Y-%m").to_string();
        // A range that is empty: its first bound after its last.
        let none = || ("1".to_string(), "0".to_string());
        let (months, before, after) = match whole_months(from, to) {
            Some((first, last)) => (
                (month(first), month(last)),
                match first.pred_opt() {
                    Some(d) if from <= d => (day(from), day(d)),
                    _ => none(),
                },
                match last.succ_opt() {
                    Some(d) if d <= to => (day(d), day(to)),
                    _ => none(),
                },
            ),
            None => (none(), (day(from), day(to)), none()),
        };
        let mut out = PeriodCounts::default();
        self.each(
            "SELECT s.profile, s.kind, s.key, s.value, sum(s.n)::bigint FROM (
                 SELECT profile, kind, key, value, n FROM tiski.unit_months
                  WHERE month BETWEEN $1 AND $2
                 UNION ALL
                 SELECT profile, kind, key, value, n FROM tiski.day_counts
                  WHERE date BETWEEN $3 AND $4 OR date BETWEEN $5 AND $6
             ) s
             GROUP BY 1, 2, 3, 4 HAVING sum(s.n) <> 0",
            &[
                &months.0, &months.1, &before.0, &before.1, &after.0, &after.1,
            ],
            |r| {
                let profile: &str = r.get(0);
                let (kind, key, value): (&str, &str, &str) = (r.get(1), r.get(2), r.get(3));
                if kind == "heads" {
                    // Weekday and hour as numbers' text; one that is not
                    // has no place in the report.
                    let num = |t: &str| t.parse::<i64>().unwrap_or(-1);
                    out.heads.push((
                        profile.to_string(),
                        usize::try_from(num(key)).unwrap_or(usize::MAX),
                        u32::try_from(num(value)).unwrap_or(u32::MAX),
                        count(r.get(4)),
                    ));
                    return Ok(());
                }
                let i = match out.by_profile.iter().position(|(p, _)| p == profile) {
                    Some(i) => i,
                    None => {
                        out.by_profile
                            .push((profile.to_string(), VisitCounts::default()));
                        out.by_profile.len() - 1
                    }
                };
                add_part(&mut out.by_profile[i].1, kind, key, value, r.get(4))
            },
        )?;
        Ok(out)
    }

    /// What the filtered sessions' visits add up to under each heading.
    pub fn visit_counts(&self, f: &PeriodFilter<'_>) -> Result<VisitCounts, ServerError> {
        let p = Params::of(f);
        let rows = self.query(
            &format!(
                "SELECT s.kind, s.key, s.value, sum(s.n)::bigint
                 FROM tiski.day_counts s WHERE {KEPT_WHERE} AND s.kind <> 'heads'
                 GROUP BY 1, 2, 3 HAVING sum(s.n) <> 0"
            ),
            &p.all(),
        )?;
        let mut counts = VisitCounts::default();
        for r in &rows {
            let (kind, key, value): (&str, &str, &str) = (r.get(0), r.get(1), r.get(2));
            add_part(&mut counts, kind, key, value, r.get(3))?;
        }
        Ok(counts)
    }

    /// Product → vouchers written in the filtered sessions' visits during
    /// the period (cancelled ones do not count).
    pub fn vouchers_in_period(&self, f: &PeriodFilter<'_>) -> Result<Counts, ServerError> {
        let p = Params::of(f);
        let rows = self.query(
            &format!(
                "SELECT x.product, sum(x.n)::bigint
                 FROM tiski.session_vouchers x
                 JOIN tiski.session_figures s ON s.uid = x.session_uid
                 WHERE x.issued_day BETWEEN $1 AND $2
                   AND ($3::text IS NULL OR x.voucher_profile = $3)
                   AND {KEPT_WHERE}
                 GROUP BY 1"
            ),
            &p.all(),
        )?;
        Ok(rows.iter().map(|r| (r.get(0), count(r.get(1)))).collect())
    }

    /// The period's vouchers (not cancelled) written in its sessions'
    /// visits, by the voucher's profile, the session's profile and the
    /// product: one read for a report's total and all its profiles' parts.
    pub fn vouchers_of_period(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<PeriodVouchers>, ServerError> {
        let f = PeriodFilter::all(from, to);
        let p = Params::of(&f);
        let rows = self.query(
            &format!(
                "SELECT x.voucher_profile, s.profile, x.product, sum(x.n)::bigint
                 FROM tiski.session_vouchers x
                 JOIN tiski.session_figures s ON s.uid = x.session_uid
                 WHERE x.issued_day BETWEEN $1 AND $2 AND {KEPT_WHERE}
                 GROUP BY 1, 2, 3"
            ),
            &p.all(),
        )?;
        Ok(rows
            .iter()
            .map(|r| PeriodVouchers {
                voucher_profile: r.get(0),
                session_profile: r.get(1),
                product: r.get(2),
                n: count(r.get(3)),
            })
            .collect())
    }

    /// The days of `profile` with a held session (one per session), and
    /// those marked cancelled with no session held.
    pub fn rota_days(
        &self,
        profile: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<NaiveDate>, Vec<NaiveDate>), ServerError> {
        let f = PeriodFilter {
            from,
            to,
            profile: Some(profile),
            location: None,
            device: None,
        };
        let p = Params::of(&f);
        // Only the days and how many sessions each held, as the desk's
        // file reads them: no session's row crosses the wire.
        let held = self.query(
            &format!(
                "SELECT s.date, count(*) FROM tiski.session_figures s WHERE {KEPT_WHERE}
                 GROUP BY 1 ORDER BY 1"
            ),
            &p.all(),
        )?;
        let cancelled = self.query(
            "SELECT DISTINCT c.body->>'date' FROM tiski.records c
             WHERE c.kind = 'cancelled' AND c.body->>'date' BETWEEN $1 AND $2
               AND c.body->>'profile' = $3
               AND NOT EXISTS (SELECT 1 FROM tiski.session_figures s
                               WHERE s.date = c.body->>'date'
                                 AND s.profile = c.body->>'profile')
             ORDER BY 1",
            &[&p.from, &p.to, &p.profile],
        )?;
        let dates = |rows: &[postgres::Row]| -> Result<Vec<NaiveDate>, ServerError> {
            rows.iter().map(|r| date(r.get(0))).collect()
        };
        let mut held_days = Vec::new();
        for r in &held {
            let n: i64 = r.get(1);
            held_days.extend(std::iter::repeat_n(date(r.get(0))?, count(n) as usize));
        }
        Ok((held_days, dates(&cancelled)?))
    }

    /// The filtered sessions' head-counts by weekday (0 = Monday) and
    /// hour, as the desk's own report counts them.
    pub fn head_counts_by_hour(
        &self,
        f: &PeriodFilter<'_>,
    ) -> Result<Vec<(usize, u32, u32)>, ServerError> {
        let p = Params::of(f);
        let rows = self.query(
            &format!(
                "SELECT s.key::int, s.value::int, sum(s.n)::bigint
                 FROM tiski.day_counts s WHERE {KEPT_WHERE} AND s.kind = 'heads'
                 GROUP BY 1, 2 HAVING sum(s.n) <> 0"
            ),
            &p.all(),
        )?;
        Ok(rows
            .iter()
            .map(|r| {
                let (weekday, hour): (i32, i32) = (r.get(0), r.get(1));
                (
                    usize::try_from(weekday).unwrap_or(usize::MAX),
                    u32::try_from(hour).unwrap_or(u32::MAX),
                    count(r.get(2)),
                )
            })
            .collect())
    }

    /// The day of `profile`'s first session in the unit's log.
    pub fn first_session(&self, profile: &str) -> Result<Option<NaiveDate>, ServerError> {
        let rows = self.query(
            "SELECT min(date) FROM tiski.session_figures WHERE profile = $1",
            &[&profile],
        )?;
        match rows.first().and_then(|r| r.get::<_, Option<String>>(0)) {
            Some(d) => Ok(Some(date(&d)?)),
            None => Ok(None),
        }
    }

    /// The devices that opened sessions, for `--device`.
    pub fn devices(&self) -> Result<Vec<String>, ServerError> {
        self.distinct("device")
    }

    /// The places sessions were held at, for `--location`.
    pub fn locations(&self) -> Result<Vec<String>, ServerError> {
        self.distinct("location")
    }

    fn distinct(&self, key: &'static str) -> Result<Vec<String>, ServerError> {
        let rows = self.query(
            &format!(
                "SELECT DISTINCT {key} FROM tiski.session_figures WHERE {key} <> '' ORDER BY 1"
            ),
            &[],
        )?;
        Ok(rows.iter().filter_map(|r| r.get(0)).collect())
    }

    /// The records an export or list of the period needs, as JSONL
    /// objects in the order a merge takes them: the filtered sessions,
    /// their visits and head-counts; for the whole unit or one profile
    /// (no place, no device) also the period's events and groups with
    /// their meetings and feedback; the period's cancelled days; every
    /// deletion.
    pub fn records(&self, f: &PeriodFilter<'_>) -> Result<Vec<String>, ServerError> {
        self.in_one_read(|| self.records_now(f))
    }

    fn records_now(&self, f: &PeriodFilter<'_>) -> Result<Vec<String>, ServerError> {
        let p = Params::of(f);
        let mut out = Vec::new();
        self.take(
            &mut out,
            &format!(
                "SELECT s.body::text FROM tiski.records s WHERE {SESSIONS_WHERE}
                 ORDER BY s.body->>'date', s.body->>'started_at', s.uid COLLATE \"C\""
            ),
            &p.all(),
        )?;
        self.take(
            &mut out,
            &format!(
                "SELECT v.body::text FROM tiski.records s
                 JOIN tiski.records v ON v.kind IN ('visit', 'head_count')
                                     AND v.body->>'session_uid' = s.uid
                 WHERE {SESSIONS_WHERE}
                 ORDER BY v.kind DESC, v.body->>'at', v.uid"
            ),
            &p.all(),
        )?;
        if f.location.is_none() && f.device.is_none() {
            out.extend(self.event_records(f.profile, f.from, f.to)?);
        }
        self.take(
            &mut out,
            "SELECT body::text FROM tiski.records
             WHERE kind = 'cancelled' AND body->>'date' BETWEEN $1 AND $2
               AND ($3::text IS NULL OR body->>'profile' = $3)
             ORDER BY body->>'date', uid",
            &[&p.from, &p.to, &p.profile],
        )?;
        self.take(
            &mut out,
            "SELECT body::text FROM tiski.records WHERE kind = 'deleted'
             ORDER BY updated_at, uid",
            &[],
        )?;
        Ok(out)
    }

    /// The period's events and groups (`profile`'s, or all), their
    /// meetings and their feedback, as JSONL objects in merge order.
    pub fn event_records(
        &self,
        profile: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<String>, ServerError> {
        let (from, to) = (from.to_string(), to.to_string());
        let profile = profile.map(str::to_string);
        let mut out = Vec::new();
        let by_date = "kind = $3 AND body->>'date' BETWEEN $1 AND $2
                       AND ($4::text IS NULL OR body->>'profile' = $4)";
        for kind in ["event", "group"] {
            self.take(
                &mut out,
                &format!(
                    "SELECT body::text FROM tiski.records WHERE {by_date}
                     ORDER BY body->>'date', uid"
                ),
                &[&from, &to, &kind, &profile],
            )?;
        }
        self.take(
            &mut out,
            "SELECT m.body::text FROM tiski.records g
             JOIN tiski.records m ON m.kind = 'meeting' AND m.body->>'group_uid' = g.uid
             WHERE g.kind = 'group' AND g.body->>'date' BETWEEN $1 AND $2
               AND ($3::text IS NULL OR g.body->>'profile' = $3)
             ORDER BY m.body->>'date', m.uid",
            &[&from, &to, &profile],
        )?;
        self.take(
            &mut out,
            "SELECT f.body::text FROM tiski.records t
             JOIN tiski.records f ON f.kind = 'feedback'
                  AND coalesce(f.body->>'event_uid', f.body->>'group_uid') = t.uid
             WHERE t.kind IN ('event', 'group') AND t.body->>'date' BETWEEN $1 AND $2
               AND ($3::text IS NULL OR t.body->>'profile' = $3)
             ORDER BY f.uid",
            &[&from, &to, &profile],
        )?;
        Ok(out)
    }

    /// Adds the first column of each row of `sql` to `out`.
    fn take(
        &self,
        out: &mut Vec<String>,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<(), ServerError> {
        for r in self.query(sql, params)? {
            out.push(r.get::<_, String>(0));
        }
        Ok(())
    }

    /// The first and last days of the unit's sessions, cancelled days,
    /// events and groups, for "everything" exports.
    pub fn date_span(&self) -> Result<Option<(NaiveDate, NaiveDate)>, ServerError> {
        let rows = self.query(
            "SELECT min(body->>'date'), max(body->>'date') FROM tiski.records
             WHERE kind IN ('session', 'cancelled', 'event', 'group')",
            &[],
        )?;
        let Some(r) = rows.first() else {
            return Ok(None);
        };
        let (a, b): (Option<&str>, Option<&str>) = (r.get(0), r.get(1));
        match (a, b) {
            (Some(a), Some(b)) => Ok(Some((date(a)?, date(b)?))),
            _ => Ok(None),
        }
    }
}

/// The first day of the first month and the last day of the last month
/// that `from`–`to` takes whole; `None` when it takes none whole.
fn whole_months(from: NaiveDate, to: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    use chrono::{Datelike as _, Months};
    let first = if from.day() == 1 {
        from
    } else {
        from.with_day(1)?.checked_add_months(Months::new(1))?
    };
    let last = match to.succ_opt() {
        Some(next) if next.day() == 1 => to,
        _ => to.with_day(1)?.pred_opt()?,
    };
    (first <= last).then_some((first, last))
}

fn date(s: &str) -> Result<NaiveDate, ServerError> {
    s.parse().map_err(|_| ServerError::Refused {
        code: "date".into(),
        message: crate::text::clean(s).into_owned(),
    })
}

/// A count from the server (a sum is `bigint`), as the report's `u32`.
/// One row of the server's kept counts added under its heading; a heading
/// the report does not know is the server's data refused, named.
fn add_part(
    counts: &mut VisitCounts,
    kind: &str,
    key: &str,
    value: &str,
    n: i64,
) -> Result<(), ServerError> {
    if counts.add_part(kind, key, value, count(n)) {
        Ok(())
    } else {
        Err(ServerError::Refused {
            code: "day_counts".into(),
            message: format!("{kind} {key:?}"),
        })
    }
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

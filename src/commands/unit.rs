//! The unit's figures from the city's server (`--server`): `tiski report`
//! reads them through [`Unit`], a figure source like the desk's own file,
//! so the same report code makes the same figures; `export`, `session
//! list` and `event list` merge the server's records into a database in
//! memory, by the rules of `tiski import`, and run as they do on a file.

use std::cell::{Ref, RefCell};
use std::path::Path;

use chrono::NaiveDate;

use crate::clock::Now;
use crate::config::Config;
use crate::error::Error;
use crate::report::events::EventsReport;
use crate::report::period::{Counts, SessionFigures, VisitCounts};
use crate::server::read::{PeriodCounts, PeriodVouchers, Reader};
use crate::server::sessions::PeriodSessions;
use crate::server::{ServerError, Target};
use crate::store::{FigureSource, MergeError, PeriodFilter, Store, StreamError};

/// The server of the config, as the config's role.
pub fn target(config: &Config, db: &Path) -> Result<Target, Error> {
    let cfg = config.server.as_ref().ok_or(ServerError::NotConfigured)?;
    Ok(Target::from_config(cfg, Some(db))?)
}

/// The unit's log on the server, read as a report reads a desk's file.
pub struct Unit {
    reader: Reader,
    /// The events, groups, meetings and feedback of the last period asked
    /// for, merged into a database in memory: their report is the store's.
    events: Kept<Store>,
    /// The last period's sessions, read once for the total and every
    /// profile's part (a report asks for each).
    sessions: Kept<PeriodSessions>,
    /// The last period's counts and head-counts per profile, likewise.
    counts: Kept<PeriodCounts>,
    /// The last period's vouchers by profile and product.
    vouchers: Kept<Vec<PeriodVouchers>>,
    /// The command's clock reading, for the merges in memory.
    now: Now,
}

/// One period's read, kept for as long as the server shows the same
/// snapshot (no transaction committed since): a report asks for the same
/// period once per profile, and a later report sees what was synced since.
type Kept<T> = RefCell<Option<(NaiveDate, NaiveDate, String, T)>>;

impl Unit {
    pub fn connect(target: &Target, now: Now) -> Result<Unit, Error> {
        Ok(Unit {
            now,
            reader: Reader::connect(target)?,
            events: RefCell::new(None),
            sessions: RefCell::new(None),
            counts: RefCell::new(None),
            vouchers: RefCell::new(None),
        })
    }

    pub fn reader(&self) -> &Reader {
        &self.reader
    }

    /// `kept`'s value for the period, read again by `read` unless it was
    /// read for the same period and the server has not changed since.
    fn kept<'a, T>(
        &self,
        kept: &'a Kept<T>,
        from: NaiveDate,
        to: NaiveDate,
        read: impl FnOnce() -> Result<T, Error>,
    ) -> Result<Ref<'a, T>, Error> {
        let snapshot = self.reader.snapshot()?;
        let fresh = matches!(&*kept.borrow(),
            Some((a, b, s, _)) if (*a, *b) == (from, to) && *s == snapshot);
        if !fresh {
            let value = read()?;
            *kept.borrow_mut() = Some((from, to, snapshot, value));
        }
        Ok(Ref::map(kept.borrow(), |k| {
            &k.as_ref().expect("filled above").3
        }))
    }
}

impl FigureSource for Unit {
    type Error = Error;

    /// The server's reads of `read` in one read-only transaction at
    /// `REPEATABLE READ` (one snapshot for them all); the periods' reads
    /// are kept per server snapshot (`kept`).
    fn in_one_read<T>(&self, read: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
        self.reader.in_one_read(read)
    }

    fn session_figures(&self, f: &PeriodFilter<'_>) -> Result<Vec<SessionFigures>, Error> {
        let all = self.kept(&self.sessions, f.from, f.to, || {
            Ok(self.reader.sessions_of_period(f.from, f.to)?)
        })?;
        Ok(all.figures(f.profile, f.location, f.device))
    }

    fn visit_counts(&self, f: &PeriodFilter<'_>) -> Result<VisitCounts, Error> {
        // A place or a device: their own read, narrower than the period's.
        if f.location.is_some() || f.device.is_some() {
            return Ok(self.reader.visit_counts(f)?);
        }
        let kept = self.kept(&self.counts, f.from, f.to, || {
            Ok(self.reader.counts_of_period(f.from, f.to)?)
        })?;
        let mut total = VisitCounts::default();
        for (profile, counts) in &kept.by_profile {
            if f.profile.is_none_or(|p| p == profile) {
                total.add(counts);
            }
        }
        Ok(total)
    }

    fn vouchers_in_period(&self, f: &PeriodFilter<'_>) -> Result<Counts, Error> {
        // A place or a device: their own read, narrower than the period's.
        if f.location.is_some() || f.device.is_some() {
            return Ok(self.reader.vouchers_in_period(f)?);
        }
        let all = self.kept(&self.vouchers, f.from, f.to, || {
            Ok(self.reader.vouchers_of_period(f.from, f.to)?)
        })?;
        let mut out = Counts::new();
        for v in all.iter() {
            // A profile's part: its own vouchers in its own sessions.
            let wanted = f
                .profile
                .is_none_or(|p| v.voucher_profile.as_deref() == Some(p) && v.session_profile == p);
            if wanted {
                *out.entry(v.product.clone()).or_default() += v.n;
            }
        }
        Ok(out)
    }

    fn rota_days(
        &self,
        profile: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<NaiveDate>, Vec<NaiveDate>), Error> {
        Ok(self.reader.rota_days(profile, from, to)?)
    }

    fn events_report(
        &self,
        profile: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<EventsReport, Error> {
        let store = self.kept(&self.events, from, to, || {
            merged(&self.reader.event_records(None, from, to)?, self.now)
        })?;
        Ok(store.events_report(profile, from, to)?)
    }

    fn head_count_total(
        &self,
        profile: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<u32, Error> {
        let kept = self.kept(&self.counts, from, to, || {
            Ok(self.reader.counts_of_period(from, to)?)
        })?;
        Ok(kept
            .heads
            .iter()
            .filter(|(p, ..)| profile.is_none_or(|want| want == p))
            .fold(0u32, |sum, (.., n)| sum.saturating_add(*n)))
    }

    fn head_counts_by_hour(&self, f: &PeriodFilter<'_>) -> Result<Vec<(usize, u32, u32)>, Error> {
        // A place or a device: their own read, narrower than the period's.
        if f.location.is_some() || f.device.is_some() {
            return Ok(self.reader.head_counts_by_hour(f)?);
        }
        let kept = self.kept(&self.counts, f.from, f.to, || {
            Ok(self.reader.counts_of_period(f.from, f.to)?)
        })?;
        Ok(kept
            .heads
            .iter()
            .filter(|(p, ..)| f.profile.is_none_or(|want| want == p))
            .map(|(_, weekday, hour, n)| (*weekday, *hour, *n))
            .collect())
    }

    fn first_session(&self, profile: &str) -> Result<Option<NaiveDate>, Error> {
        Ok(self.reader.first_session(profile)?)
    }

    fn devices(&self) -> Result<Vec<String>, Error> {
        Ok(self.reader.devices()?)
    }

    fn locations(&self) -> Result<Vec<String>, Error> {
        Ok(self.reader.locations()?)
    }
}

/// The server's records (JSONL objects) merged into a new database in
/// memory, by the rules of `tiski import`.
pub fn merged(bodies: &[String], now: Now) -> Result<Store, Error> {
    // Parsed as the merge takes them, as an import's lines are.
    let records = bodies.iter().enumerate().map(|(i, b)| {
        let bad = |what: String| {
            Error::from(ServerError::Refused {
                code: format!("record {}", i + 1),
                message: crate::text::clean(&what).into_owned(),
            })
        };
        let value: serde_json::Value = serde_json::from_str(b).map_err(|e| bad(e.to_string()))?;
        crate::import::server_record(&value).map_err(|p| bad(format!("{p:?}")))
    });
    let mut store = Store::open_in_memory()?;
    // A database of this command's own, in memory: its clock is not asked.
    let now = crate::desk::Trusted::by_user(now);
    crate::desk::merge(&mut store, records, drop, &now).map_err(|e| match e {
        StreamError::Source(e) => e,
        StreamError::Merge(MergeError::Store(s)) => Error::from(s),
        StreamError::Merge(other) => Error::from(ServerError::Refused {
            code: "merge".into(),
            message: other.to_string(),
        }),
    })?;
    Ok(store)
}

/// The unit's records of a period (with the filter's profile, place and
/// device), merged into a database in memory for an export or a list.
pub fn pulled(unit: &Unit, f: &PeriodFilter<'_>) -> Result<Store, Error> {
    merged(&unit.reader.records(f)?, unit.now)
}

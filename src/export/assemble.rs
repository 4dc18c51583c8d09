//! The one period report and the one events report: read from the store
//! for a scope and a period, and taken as they are by the report screen,
//! `tiski report` in every format, `tiski event list` and the events
//! screen. Nothing here prints, reads the clock or chooses a format.

use chrono::NaiveDate;

use crate::config::{Config, Profile};
use crate::report::events::EventsReport;
use crate::report::period::{Period, PeriodReport};
use crate::store::{DeskFilter, FigureSource, Result, Store};

/// Whose figures a report holds: one profile or all, and optionally one
/// place or one device.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportScope<'a> {
    /// `None`: all profiles together.
    pub profile: Option<&'a Profile>,
    pub location: Option<&'a str>,
    pub device: Option<&'a str>,
}

/// A period's report for a scope, with everything any of its forms shows.
#[derive(Debug, Clone)]
pub struct FullReport<'a> {
    pub scope: ReportScope<'a>,
    /// The figures of the whole scope.
    pub report: PeriodReport,
    /// For all profiles together: each profile's own report (those with a
    /// session or a scheduled slot in the period), in config order, so
    /// that its topics, referrals and fields stay its own. Empty for one
    /// profile.
    pub parts: Vec<(&'a Profile, PeriodReport)>,
    /// The period's events, groups, feedback and head-counts; `None` for
    /// one place or device, as the lists are a desk's whole year.
    pub events: Option<EventsReport>,
}

/// The period's report for `scope`; `today` bounds how the rota went.
/// From this desk's file or the unit's server (`FigureSource`): the same
/// code either way.
/// Read as one reading of the records: a visit saved meanwhile is in every
/// figure of it or in none.
pub fn period_report<'a, S: FigureSource>(
    store: &S,
    config: &'a Config,
    scope: ReportScope<'a>,
    period: Period,
    today: NaiveDate,
) -> std::result::Result<FullReport<'a>, S::Error> {
    store.in_one_read(|| read_period_report(store, config, scope, period, today))
}

fn read_period_report<'a, S: FigureSource>(
    store: &S,
    config: &'a Config,
    scope: ReportScope<'a>,
    period: Period,
    today: NaiveDate,
) -> std::result::Result<FullReport<'a>, S::Error> {
    let desks = DeskFilter {
        profile: None,
        location: scope.location,
        device: scope.device,
    };
    let (report, parts) = match scope.profile {
        Some(p) => (store.profile_report(period, p, &desks, today)?, Vec::new()),
        None => all_profiles(store, config, period, &desks, today)?,
    };
    let events = if scope.location.is_none() && scope.device.is_none() {
        let id = scope.profile.map(|p| p.id.as_str());
        let mut r = store.events_report(id, period.from, period.to)?;
        r.head_counts = store.head_count_total(id, period.from, period.to)?;
        Some(r)
    } else {
        None
    };
    Ok(FullReport {
        scope,
        report,
        parts,
        events,
    })
}

/// All profiles together: the totals, and each profile's own report.
type Parts<'a> = Vec<(&'a Profile, PeriodReport)>;

fn all_profiles<'a, S: FigureSource>(
    store: &S,
    config: &'a Config,
    period: Period,
    desks: &DeskFilter<'_>,
    today: NaiveDate,
) -> std::result::Result<(PeriodReport, Parts<'a>), S::Error> {
    let mut total = store.period_report(period, desks)?;
    let mut parts = Vec::new();
    for p in config.profiles.values() {
        let r = store.profile_report(period, p, desks, today)?;
        if let Some(rota) = r.rota {
            total.rota.get_or_insert_default().add(rota);
        }
        if r.sessions > 0 || r.rota.is_some_and(|c| c.scheduled > 0) {
            parts.push((p, r));
        }
    }
    Ok((total, parts))
}

/// A period's events, groups and feedback (`profile`'s, or all), without
/// the head-counts, which belong to a desk's report.
pub fn events_report(
    store: &Store,
    profile: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<EventsReport> {
    store.in_one_read(|| FigureSource::events_report(store, profile, from, to))
}

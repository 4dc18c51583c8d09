//! Where a report's figures are read from: this desk's file, or the
//! unit's server (`server::read`). The report is put together from them
//! by the same code either way (the provided methods here, and the pure
//! `report` maths beneath), so the same records give the same figures.

use chrono::NaiveDate;

use super::{DeskFilter, PeriodFilter, Store, StoreError};
use crate::config::Profile;
use crate::report::events::EventsReport;
use crate::report::period::{Counts, Period, PeriodReport, SessionFigures, VisitCounts};
use crate::schedule::SlotCounts;

/// The reads a period report is made of.
pub trait FigureSource {
    type Error;

    /// The filtered sessions' day, place and visitors, in date and start
    /// order.
    fn session_figures(&self, f: &PeriodFilter<'_>) -> Result<Vec<SessionFigures>, Self::Error>;

    /// What the filtered sessions' visits add up to under each heading.
    fn visit_counts(&self, f: &PeriodFilter<'_>) -> Result<VisitCounts, Self::Error>;

    /// Product → vouchers written in the filtered sessions' visits during
    /// the period (cancelled ones do not count).
    fn vouchers_in_period(&self, f: &PeriodFilter<'_>) -> Result<Counts, Self::Error>;

    /// The days of `profile` from `from` to `to` with a held session, and
    /// those marked cancelled.
    fn rota_days(
        &self,
        profile: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<NaiveDate>, Vec<NaiveDate>), Self::Error>;

    /// A period's events, groups and feedback (`profile`'s, or all).
    fn events_report(
        &self,
        profile: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<EventsReport, Self::Error>;

    /// Visitors counted in head-counts in the period's sessions.
    fn head_count_total(
        &self,
        profile: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<u32, Self::Error>;

    /// The filtered sessions' head-counts by weekday (0 = Monday) and
    /// hour: (weekday, hour, visitors).
    fn head_counts_by_hour(
        &self,
        f: &PeriodFilter<'_>,
    ) -> Result<Vec<(usize, u32, u32)>, Self::Error>;

    /// The day of `profile`'s first session in the log: its rota is
    /// counted from then (slots before tiski was used are not known).
    fn first_session(&self, profile: &str) -> Result<Option<NaiveDate>, Self::Error>;

    /// The devices that opened sessions, for `--device`.
    fn devices(&self) -> Result<Vec<String>, Self::Error>;

    /// Runs `read`'s reads as one reading of the records, so a report's
    /// figures agree with each other whatever is saved meanwhile.
    fn in_one_read<T>(
        &self,
        read: impl FnOnce() -> Result<T, Self::Error>,
    ) -> Result<T, Self::Error>;

    /// The places sessions were held at, for `--location`.
    fn locations(&self) -> Result<Vec<String>, Self::Error>;

    /// A period's report, as `tiski report` and the report view show it:
    /// the sessions' own visitor counts, the counts of their visits, and
    /// the vouchers written in the period's visits.
    fn period_report(
        &self,
        period: Period,
        desks: &DeskFilter<'_>,
    ) -> Result<PeriodReport, Self::Error> {
        Ok(self.period_report_counting_heads(period, desks)?.0)
    }

    /// [`FigureSource::period_report`], and how many of its visitors are
    /// head-counts: they count under their weekday and hour with the
    /// itemised visits (they have a time, not topics or fields).
    fn period_report_counting_heads(
        &self,
        period: Period,
        desks: &DeskFilter<'_>,
    ) -> Result<(PeriodReport, u32), Self::Error> {
        let f = &desks.between(period.from, period.to);
        let mut counts = self.visit_counts(f)?;
        let mut heads = 0;
        for (weekday, hour, n) in self.head_counts_by_hour(f)? {
            if let Some(w) = counts.weekdays.get_mut(weekday) {
                *w += n;
            }
            *counts.hours.entry(hour).or_default() += n;
            heads += n;
        }
        let mut report = PeriodReport::from_counts(period, self.session_figures(f)?, counts);
        report.vouchers = self.vouchers_in_period(f)?;
        Ok((report, heads))
    }

    /// [`FigureSource::period_report`] for one profile's desks, with how
    /// its rota went up to `today` (only for all its places and devices: a
    /// rota has no place).
    fn profile_report(
        &self,
        period: Period,
        profile: &Profile,
        desks: &DeskFilter<'_>,
        today: NaiveDate,
    ) -> Result<PeriodReport, Self::Error> {
        let desks = DeskFilter {
            profile: Some(&profile.id),
            ..*desks
        };
        let (mut report, heads) = self.period_report_counting_heads(period, &desks)?;
        // The itemised visits: each counts once under its weekday, with
        // the head-counts' visitors.
        let visits = report.weekdays.iter().sum::<u32>() - heads;
        let fields = profile.fields.iter().map(|f| f.key.as_str());
        crate::report::fill_unrecorded(&mut report.fields, fields, visits);
        if !profile.schedule.is_empty() && desks.location.is_none() && desks.device.is_none() {
            report.rota = Some(self.rota_counts(profile, period.from, period.to, today)?);
        }
        Ok(report)
    }

    /// How `profile`'s scheduled slots from `from` to `to` went, counting
    /// only slots up to `today` (later ones have not happened yet).
    fn rota_counts(
        &self,
        profile: &Profile,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Result<SlotCounts, Self::Error> {
        let to = to.min(today);
        // Counted from the profile's first session in the log: slots of
        // the rota before tiski was used at the desk are not known.
        let Some(first) = self.first_session(&profile.id)? else {
            return Ok(SlotCounts::default());
        };
        let since = (first > from).then_some(first);
        let from = from.max(first);
        if from > to {
            return Ok(SlotCounts {
                since,
                ..SlotCounts::default()
            });
        }
        let slots = crate::schedule::slots_between(&profile.schedule, from, to);
        let (held, cancelled) = self.rota_days(&profile.id, from, to)?;
        Ok(SlotCounts {
            since,
            ..SlotCounts::count(&slots, &held, &cancelled)
        })
    }
}

/// The report's reads on this file, as the rest of tiski calls them.
impl Store {
    /// A period's report, as `tiski report` and the report view show it
    /// ([`FigureSource::period_report`] on this file). Its cost follows the
    /// number of sessions and days, not of visits.
    pub fn period_report(
        &self,
        period: Period,
        desks: &DeskFilter<'_>,
    ) -> Result<PeriodReport, StoreError> {
        FigureSource::period_report(self, period, desks)
    }

    /// [`FigureSource::profile_report`] on this file.
    pub fn profile_report(
        &self,
        period: Period,
        profile: &Profile,
        desks: &DeskFilter<'_>,
        today: NaiveDate,
    ) -> Result<PeriodReport, StoreError> {
        FigureSource::profile_report(self, period, profile, desks, today)
    }

    /// How `profile`'s scheduled slots from `from` to `to` went, counting
    /// only slots up to `today` (later ones have not happened yet).
    pub fn rota_counts(
        &self,
        profile: &Profile,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Result<SlotCounts, StoreError> {
        FigureSource::rota_counts(self, profile, from, to, today)
    }
}

impl FigureSource for Store {
    type Error = StoreError;

    fn in_one_read<T>(
        &self,
        read: impl FnOnce() -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        Store::in_one_read(self, read)
    }

    fn session_figures(&self, f: &PeriodFilter<'_>) -> Result<Vec<SessionFigures>, StoreError> {
        Store::session_figures(self, f)
    }

    fn visit_counts(&self, f: &PeriodFilter<'_>) -> Result<VisitCounts, StoreError> {
        Store::visit_counts(self, f)
    }

    fn vouchers_in_period(&self, f: &PeriodFilter<'_>) -> Result<Counts, StoreError> {
        Store::vouchers_in_period(self, f)
    }

    fn rota_days(
        &self,
        profile: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<NaiveDate>, Vec<NaiveDate>), StoreError> {
        let cancelled = self.cancellations(Some(profile), from, to)?;
        Ok((
            self.held_days(profile, from, to)?,
            cancelled.iter().map(|c| c.date).collect(),
        ))
    }

    fn events_report(
        &self,
        profile: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<EventsReport, StoreError> {
        Ok(EventsReport::build(
            self.events_between(profile, from, to)?,
            self.groups_between(profile, from, to)?,
            self.feedback_between(profile, from, to)?,
        ))
    }

    fn head_count_total(
        &self,
        profile: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<u32, StoreError> {
        Store::head_count_total(self, profile, from, to)
    }

    fn head_counts_by_hour(
        &self,
        f: &PeriodFilter<'_>,
    ) -> Result<Vec<(usize, u32, u32)>, StoreError> {
        Store::head_counts_by_hour(self, f)
    }

    fn first_session(&self, profile: &str) -> Result<Option<NaiveDate>, StoreError> {
        self.first_session_date(profile)
    }

    fn devices(&self) -> Result<Vec<String>, StoreError> {
        Store::devices(self)
    }

    fn locations(&self) -> Result<Vec<String>, StoreError> {
        Store::locations(self)
    }
}

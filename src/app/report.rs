//! The report view's state and actions (`r`): a period of the profile's
//! figures, recomputed from the store when the period changes, never in
//! render.

use chrono::NaiveDate;

use super::{App, View};
use crate::error::Error;
use crate::report::period::{Period, PeriodKind, PeriodReport};
use crate::store::DeskFilter;

/// What the user can do in the report view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportAction {
    /// This week, month, season or year (the one containing today).
    Choose(PeriodKind),
    /// The period before (-1) or after (+1).
    Step(i32),
    /// Start typing a custom period.
    Custom,
    Char(char),
    Backspace,
    Commit,
    Cancel,
}

/// The report view's state.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportState {
    pub period: Period,
    pub report: PeriodReport,
    /// The custom period being typed, when the prompt is open.
    pub input: Option<String>,
    /// The period's events and groups added up, and its head-counted
    /// visitors (issue 16), as `tiski report` gives them.
    pub events: crate::report::events::EventTotals,
    pub head_counts: u32,
}

impl App {
    pub(super) fn show_report(&mut self) -> Result<(), Error> {
        if self.duty.is_none() {
            return Ok(());
        }
        let period = match self.duty.as_ref().and_then(|d| d.report.as_ref()) {
            Some(r) => r.period,
            None => Period::containing(PeriodKind::Year, self.now.date()),
        };
        self.load_report(period)?;
        self.view = View::Report;
        Ok(())
    }

    fn load_report(&mut self, period: Period) -> Result<(), Error> {
        let Some(d) = self.duty.as_mut() else {
            return Ok(());
        };
        let today = self.now.date();
        let report =
            self.store
                .profile_report(period, &d.profile, &DeskFilter::default(), today)?;
        let id = Some(d.profile.id.as_str());
        let (from, to) = (period.from, period.to);
        let events = crate::report::events::EventsReport::build(
            self.store.events_between(id, from, to)?,
            self.store.groups_between(id, from, to)?,
            Vec::new(),
        )
        .totals;
        let head_counts = self.store.head_count_total(id, from, to)?;
        d.report = Some(ReportState {
            period,
            report,
            input: None,
            events,
            head_counts,
        });
        Ok(())
    }

    pub(super) fn report_action(&mut self, action: ReportAction) -> Result<(), Error> {
        let Some(state) = self.duty.as_mut().and_then(|d| d.report.as_mut()) else {
            return Ok(());
        };
        match action {
            ReportAction::Choose(kind) => {
                let period = Period::containing(kind, self.now.date());
                self.load_report(period)?;
            }
            ReportAction::Step(dir) => {
                let period = state.period.step(dir);
                self.load_report(period)?;
            }
            ReportAction::Custom => state.input = Some(String::new()),
            ReportAction::Char(c) => {
                if let Some(s) = state.input.as_mut()
                    && s.chars().count() < 40
                {
                    s.push(c);
                }
            }
            ReportAction::Backspace => {
                if let Some(s) = state.input.as_mut() {
                    s.pop();
                }
            }
            ReportAction::Cancel => state.input = None,
            ReportAction::Commit => {
                let typed = state.input.take().unwrap_or_default();
                match parse_span(&typed) {
                    Some((from, to)) => self.load_report(Period::custom(from, to))?,
                    None => {
                        let text = self.texts().report_custom_bad().to_string();
                        self.set_error(text);
                    }
                }
            }
        }
        Ok(())
    }
}

/// A typed period: two dates (`1.1.2023` or `2023-01-01`) separated by a
/// dash, an en dash or spaces; the start must not be after the end.
pub fn parse_span(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    let date = |x: &str| {
        let x = x.trim();
        NaiveDate::parse_from_str(x, "%d.%m.%Y")
            .or_else(|_| NaiveDate::parse_from_str(x, "%Y-%m-%d"))
            .ok()
    };
    s.char_indices()
        .filter(|(_, c)| matches!(c, '-' | '–' | ' '))
        .find_map(|(i, c)| {
            let (a, b) = (&s[..i], &s[i + c.len_utf8()..]);
            Some((date(a)?, date(b)?))
        })
        .filter(|(a, b)| a <= b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_periods_take_both_date_forms() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let want = Some((d("2023-01-01"), d("2023-06-30")));
        assert_eq!(parse_span("1.1.2023–30.6.2023"), want);
        assert_eq!(parse_span("1.1.2023-30.6.2023"), want);
        assert_eq!(parse_span("2023-01-01 - 2023-06-30"), want);
        assert_eq!(parse_span("2023-01-01–2023-06-30"), want);
        assert_eq!(parse_span("30.6.2023-1.1.2023"), None, "reversed");
        assert_eq!(parse_span("kesä"), None);
    }
}

//! The report view's state and actions (`r`): a period of the profile's
//! figures, recomputed from the store when the period changes, never in
//! render; and the left column's panels (topics, referrals, vouchers),
//! which scroll when their rows do not fit.

use super::{App, Duty, MIN_HEIGHT, MIN_WIDTH, View};
use crate::error::Error;
use crate::export::assemble::{self, ReportScope};
use crate::i18n::Texts;
use crate::report::events::EventsReport;
use crate::report::period::{Period, PeriodKind, PeriodReport};
use crate::text::input::TextInput;

/// What the user can do in the report view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportAction {
    /// This week, month, season or year (the one containing today).
    Choose(PeriodKind),
    /// The period before (-1) or after (+1).
    Step(i32),
    /// Start typing a custom period.
    Custom,
    Commit,
    Cancel,
    /// Tab: the next panel of the left column (BackTab: the one before).
    NextPanel(i32),
    /// ↑↓: scroll the chosen panel by a row.
    Scroll(i32),
    /// PgUp PgDn: scroll the chosen panel by what it shows.
    Page(i32),
}

/// A panel of the report view's left column, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Topics,
    Referrals,
    Vouchers,
    /// The profile's own fields (channel, language, interpreting, …), one
    /// row per option: `Kieli: arabia`.
    Fields,
}

/// The report view's state.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportState {
    pub period: Period,
    pub report: PeriodReport,
    /// The custom period being typed, when the prompt is open.
    pub input: Option<TextInput>,
    /// The panel that ↑↓ and PgUp PgDn scroll.
    pub panel: Panel,
    /// How far each panel is scrolled (topics, referrals, vouchers, fields).
    pub offsets: [usize; 4],
    /// The period's events, groups and head-counted visitors (issue 16),
    /// as `tiski report` gives them.
    pub events: EventsReport,
}

impl ReportState {
    /// The left column's panels with their rows: topics and referrals
    /// always, vouchers where the profile issues them or some were written.
    pub fn panels(&self, d: &Duty) -> Vec<(Panel, usize)> {
        let r = &self.report;
        let mut v = vec![
            (Panel::Topics, r.topics.len()),
            (Panel::Referrals, r.referrals.len()),
        ];
        if d.profile.voucher_settings().is_some() || !r.vouchers.is_empty() {
            v.push((Panel::Vouchers, r.vouchers.len()));
        }
        if !d.profile.fields.is_empty() {
            let rows = d
                .profile
                .fields
                .iter()
                .map(|f| r.fields.get(&f.key).map_or(0, |c| c.len()))
                .sum();
            v.push((Panel::Fields, rows));
        }
        v
    }

    /// The rows of the view above and below the left column: title,
    /// periods, figures (and a line for head-counts and the events' totals,
    /// wrapped at `width`, when the period has any), status and keys.
    pub fn chrome(&self, t: &dyn Texts, width: u16) -> u16 {
        5 + self.events_lines(t, width).len() as u16 + u16::from(self.events.head_counts > 0)
    }

    /// The events' totals as the report's head shows them, in lines of
    /// `width`; none when the period has no events or groups.
    pub fn events_lines(&self, t: &dyn Texts, width: u16) -> Vec<String> {
        let totals = &self.events.totals;
        if totals.events + totals.groups == 0 {
            return Vec::new();
        }
        let text = format!(" {}", t.event_totals(totals));
        crate::text::wrap(&text, width as usize, "   ")
    }

    /// How far `panel` is scrolled.
    pub fn offset(&self, panel: Panel) -> usize {
        self.offsets[panel as usize]
    }
}

/// The heights of panels stacked in `height` rows, each wanting its rows
/// and a border: one that wants less than an equal share gets what it
/// wants, the rest share what is left; each gets at least one row. Room
/// left over goes to the second panel.
pub fn panel_heights(height: u16, rows: &[usize]) -> Vec<u16> {
    let wants: Vec<u16> = rows.iter().map(|r| (r.max(&1) + 2) as u16).collect();
    let mut heights = vec![0u16; wants.len()];
    let mut left = height;
    let mut open: Vec<usize> = (0..wants.len()).collect();
    while !open.is_empty() {
        let share = left / open.len() as u16;
        let small: Vec<usize> = open
            .iter()
            .copied()
            .filter(|&i| wants[i] <= share)
            .collect();
        if small.is_empty() {
            // The rest share equally; the first ones take the remainder.
            let extra = left % open.len() as u16;
            for (n, &i) in open.iter().enumerate() {
                heights[i] = (share + u16::from((n as u16) < extra)).max(3);
            }
            break;
        }
        for i in small {
            heights[i] = wants[i];
            left -= wants[i];
            open.retain(|&o| o != i);
        }
    }
    // Room no panel needs goes to the second (referrals), as before.
    let used: u16 = heights.iter().sum();
    if let Some(h) = heights.get_mut(1) {
        *h += height.saturating_sub(used);
    }
    heights
}

/// What a panel of `height` rows shows of `rows`: how many rows at most,
/// and the furthest it can scroll. When not all fit, one line is kept for
/// `+4 muuta…`.
pub fn panel_window(height: u16, rows: usize) -> (usize, usize) {
    let inner = height.saturating_sub(2) as usize;
    if rows <= inner {
        (rows, 0)
    } else {
        let shown = inner.saturating_sub(1).max(1);
        (shown, rows - shown)
    }
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
        let scope = ReportScope {
            profile: Some(&d.profile),
            ..ReportScope::default()
        };
        let full =
            assemble::period_report(&self.store, &self.config, scope, period, self.now.date())?;
        let panel = d.report.as_ref().map_or(Panel::Topics, |r| r.panel);
        let events = full.events.unwrap_or_default();
        d.report = Some(ReportState {
            period,
            report: full.report,
            input: None,
            panel,
            offsets: [0; 4],
            events,
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
                // Past 2000 or 2100 there is nothing to show: the key stops.
                if let Some(period) = state.period.step(dir) {
                    self.load_report(period)?;
                }
            }
            ReportAction::Custom => state.input = Some(TextInput::new(super::input::PERIOD)),
            ReportAction::Cancel => state.input = None,
            ReportAction::NextPanel(dir) => {
                let Some(d) = self.duty.as_ref() else {
                    return Ok(());
                };
                let panels: Vec<Panel> = state_of(d).panels(d).iter().map(|p| p.0).collect();
                let at = panels.iter().position(|p| *p == state_of(d).panel);
                let n = panels.len() as i32;
                let next = (at.unwrap_or(0) as i32 + dir).rem_euclid(n) as usize;
                if let Some(state) = self.duty.as_mut().and_then(|d| d.report.as_mut()) {
                    state.panel = panels[next];
                }
            }
            ReportAction::Scroll(rows) => self.scroll_panel(|_| rows),
            ReportAction::Page(pages) => self.scroll_panel(|shown| pages * shown as i32),
            ReportAction::Commit => {
                // The forms the command line takes: two days, a month, a
                // week, a season or a year.
                let period = state
                    .input
                    .as_ref()
                    .and_then(|t| crate::report::grammar::parse_any(t.value()));
                match period {
                    Some(period) => {
                        state.input = None;
                        self.load_report(period)?
                    }
                    None => {
                        // The prompt stays with what was typed, selected:
                        // fixed in place or typed over.
                        if let Some(input) = state.input.as_mut() {
                            input.enter();
                        }
                        let text = self.texts().report_custom_bad().to_string();
                        self.set_error(text);
                    }
                }
            }
        }
        Ok(())
    }
}

fn state_of(d: &Duty) -> &ReportState {
    d.report.as_ref().expect("the report view has its state")
}

impl App {
    /// Scrolls the chosen panel by `by(rows it shows)`, within its rows.
    fn scroll_panel(&mut self, by: impl Fn(usize) -> i32) {
        let (width, height) = self.size.unwrap_or((MIN_WIDTH, MIN_HEIGHT));
        let t = self.texts();
        let Some(d) = self.duty.as_mut() else { return };
        let Some(state) = d.report.as_ref() else {
            return;
        };
        let panels = state.panels(d);
        let rows: Vec<usize> = panels.iter().map(|p| p.1).collect();
        let heights = panel_heights(height.saturating_sub(state.chrome(t, width)), &rows);
        let Some(i) = panels.iter().position(|p| p.0 == state.panel) else {
            return;
        };
        let (shown, max) = panel_window(heights[i], rows[i]);
        let panel = state.panel as usize;
        let Some(state) = d.report.as_mut() else {
            return;
        };
        let now = state.offsets[panel] as i64 + i64::from(by(shown));
        state.offsets[panel] = now.clamp(0, max as i64) as usize;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panels_share_the_column_and_keep_a_line_for_the_rest() {
        // Small panels get what they want, the rest share; room to spare
        // goes to the second.
        assert_eq!(panel_heights(19, &[4, 1, 3]), [6, 8, 5]);
        assert_eq!(panel_heights(19, &[13, 9]), [10, 9]);
        assert_eq!(panel_heights(19, &[13, 9, 3]), [7, 7, 5]);
        assert_eq!(panel_heights(19, &[12, 7, 0]).iter().sum::<u16>(), 19);
        // A panel of 9 rows shows 6 and "+7 muuta…" for 13; scrolls 7 at most.
        assert_eq!(panel_window(9, 13), (6, 7));
        assert_eq!(panel_window(9, 7), (7, 0));
    }
}

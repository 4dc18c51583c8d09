//! Rendering, pure: `render(&App, &mut Frame)` draws the current view from
//! state alone; no query runs here.

mod boxes;
mod duty;
mod events;
mod field;
mod lines;
mod overlays;
mod report;
pub mod speech;
mod sync;
mod tally;
mod theme;
mod voucher;

use lines::draw_lines;
pub use theme::Theme;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::app::{App, Duty, Focus, MIN_HEIGHT, MIN_WIDTH, View};
use crate::i18n::Texts;
use crate::keys::Bar;
use crate::text::truncate;

/// Draws the whole screen.
pub fn render(app: &App, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = app
            .texts()
            .window_too_small(area.width, area.height, MIN_WIDTH, MIN_HEIGHT);
        let [mid] = Layout::vertical([Constraint::Length(3)])
            .flex(Flex::Center)
            .areas(area);
        frame.render_widget(
            Paragraph::new(text)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true })
                .style(th.error),
            mid,
        );
        return;
    }
    match (app.view, app.duty.as_ref()) {
        (View::Chooser, _) | (_, None) => overlays::render_chooser(app, area, frame),
        (View::Duty, Some(d)) => duty::render(app, d, area, frame),
        (View::Help, Some(d)) => {
            // The help lists the keys of the view it was opened over.
            match app.behind_help {
                View::Tally => tally::render(app, d, area, frame),
                View::Report => report::render(app, d, area, frame),
                View::Vouchers => voucher::render_register(app, d, area, frame),
                View::Events => events::render(app, d, area, frame),
                _ => duty::render(app, d, area, frame),
            }
            overlays::render_help(app, d, bar_of(d, app.behind_help), area, frame);
        }
        (View::Tally, Some(d)) => tally::render(app, d, area, frame),
        (View::Report, Some(d)) => report::render(app, d, area, frame),
        (View::Vouchers, Some(d)) => voucher::render_register(app, d, area, frame),
        (View::Events, Some(d)) => events::render(app, d, area, frame),
    }
}

/// What of the clock the screen shows: the minute (the header's `ti
/// 14.11.2023 10.05`; the day, as the tally's and the register's "today"
/// and the report's year). Two frames of the same [`App::revision`] and
/// size show the same when this is the same: the clock's seconds show
/// nowhere.
pub fn clock_shown(app: &App) -> chrono::NaiveDateTime {
    use chrono::Timelike;
    let t = app.now;
    t.date().and_hms_opt(t.hour(), t.minute(), 0).unwrap_or(t)
}

/// A centred window of the given size, cleared, with a titled border;
/// returns its inner area.
fn popup(th: &Theme, frame: &mut Frame, area: Rect, width: u16, height: u16, title: &str) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .title(format!(" {title} "))
        .border_style(th.popup_border);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    inner
}

/// A yes/no question over the screen: the question wrapped, and its keys
/// on a line of their own at the bottom, never split.
pub(crate) fn question(
    th: &Theme,
    t: &dyn Texts,
    frame: &mut Frame,
    area: Rect,
    width: u16,
    text: &str,
) {
    // As tall as the question needs (word wrap takes a little more than
    // its length), a blank line, and the keys.
    let per_line = usize::from(width.min(area.width).saturating_sub(2)).max(1);
    let rows = (text.chars().count() * 11 / 10).div_ceil(per_line).max(1);
    let inner = popup(th, frame, area, width, rows as u16 + 4, t.confirm_title());
    let [body, keys] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    frame.render_widget(
        Paragraph::new(text.to_string()).wrap(Wrap { trim: true }),
        body,
    );
    frame.render_widget(
        Paragraph::new(Line::styled(t.confirm_answer(), th.key)),
        keys,
    );
}

/// The key bar of `view` in its present state.
pub fn bar_of(d: &Duty, view: View) -> Bar {
    match view {
        View::Tally => Bar::Tally,
        View::Report => Bar::Report,
        View::Vouchers
            if d.vouchers
                .register
                .as_ref()
                .is_some_and(|r| r.summary.is_some()) =>
        {
            Bar::Summary
        }
        View::Vouchers => Bar::Register,
        View::Help => Bar::Help,
        View::Events => Bar::Events,
        View::Duty | View::Chooser if matches!(d.modal, Some(crate::app::Modal::Voucher(_))) => {
            Bar::VoucherForm
        }
        View::Duty | View::Chooser if d.editing.is_some() => Bar::Editing,
        View::Duty | View::Chooser if d.focus == Focus::List => Bar::List,
        View::Duty | View::Chooser => Bar::Form,
    }
}

/// A key bar built from the key table: `Enter tallenna  u kumoa  …`, each
/// key with the word for what it does, two spaces between (with ` · ` the
/// duty screen's keys would not fit 80 columns).
pub fn key_bar(th: &Theme, t: &dyn Texts, bar: Bar) -> Line<'static> {
    key_bar_words(th, bar, |cmd| Some(t.key_hint(bar, cmd)))
}

/// The key bar of the keys for which `works` holds (a form's keys that
/// work in the field with the cursor).
pub fn key_bar_where(
    th: &Theme,
    t: &dyn Texts,
    bar: Bar,
    works: impl Fn(crate::keys::Cmd) -> bool,
) -> Line<'static> {
    key_bar_words(th, bar, |cmd| works(cmd).then(|| t.key_hint(bar, cmd)))
}

/// The key bar with `word` for each key's command (`None`: left out).
pub fn key_bar_words(
    th: &Theme,
    bar: Bar,
    word: impl Fn(crate::keys::Cmd) -> Option<&'static str>,
) -> Line<'static> {
    let mut spans = Vec::new();
    for k in bar.keys() {
        let Some(word) = word(k.cmd) else { continue };
        if !spans.is_empty() {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(k.label, th.key));
        spans.push(Span::styled(format!(" {word}"), th.hint));
    }
    Line::from(spans)
}

/// The rows the bottom takes (see [`App::bottom_rows`]).
fn bottom_rows(app: &App, width: u16) -> u16 {
    app.bottom_rows(width)
}

/// The status line and the key bar at the bottom (`bottom_rows` high).
fn render_bottom(app: &App, mut bar: Line, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let [status, keys] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    if let Some(s) = &app.status {
        let style = if s.error { th.error } else { th.ok };
        let mut lines = crate::app::status_lines(&s.text, area.width);
        // Never more than the rows given: the last one says it goes on.
        let rows = status.height as usize;
        if lines.len() > rows && rows > 0 {
            let last = lines[rows - 1].clone();
            lines.truncate(rows - 1);
            lines.push(truncate(&format!("{last} …"), area.width as usize));
        }
        let lines: Vec<Line> = lines.into_iter().map(|l| Line::styled(l, style)).collect();
        draw_lines(frame, status, &lines, 0);
    }
    bar.spans.insert(0, Span::raw(" "));
    draw_lines(frame, keys, &[bar], 0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Lang;

    #[test]
    fn every_key_bar_fits_80_columns_in_both_languages() {
        for lang in Lang::ALL {
            let t = crate::i18n::texts(lang);
            let th = Theme::of(crate::app::Look::new(
                crate::app::ColorDepth::Full,
                Default::default(),
            ));
            for bar in Bar::ALL {
                let line = key_bar(&th, t, bar);
                // The bottom row starts with a space.
                assert!(line.width() < 80, "{lang:?} {bar:?}: {line}");
                assert!(line.width() > 0, "{lang:?} {bar:?} is empty");
            }
        }
    }
}

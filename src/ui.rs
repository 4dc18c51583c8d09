//! Rendering, pure: `render(&App, &mut Frame)` draws the current view from
//! state alone; no query runs here.

mod duty;
mod events;
mod overlays;
mod report;
mod tally;
mod voucher;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::app::{App, MIN_HEIGHT, MIN_WIDTH, View};
use crate::i18n::Texts;
use crate::keys::Bar;

/// Draws the whole screen.
pub fn render(app: &App, frame: &mut Frame) {
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
                .style(theme::ERROR),
            mid,
        );
        return;
    }
    match (app.view, app.duty.as_ref()) {
        (View::Chooser, _) | (_, None) => overlays::render_chooser(app, area, frame),
        (View::Duty, Some(d)) => duty::render(app, d, area, frame),
        (View::Help, Some(d)) => {
            duty::render(app, d, area, frame);
            overlays::render_help(app, d, area, frame);
        }
        (View::Tally, Some(d)) => tally::render(app, d, area, frame),
        (View::Report, Some(d)) => report::render(app, d, area, frame),
        (View::Vouchers, Some(d)) => voucher::render_register(app, d, area, frame),
        (View::Events, Some(d)) => events::render(app, d, area, frame),
    }
}

/// Draws `lines` into `area`, one per row starting with line `skip`, each
/// cut at the area's width: what a left-aligned `Paragraph` without
/// wrapping draws, without its reflow pass over every grapheme (which was a
/// third of redrawing the duty screen after a save).
fn draw_lines(frame: &mut Frame, area: Rect, lines: &[Line], skip: usize) {
    let buf = frame.buffer_mut();
    for (line, y) in lines.iter().skip(skip).zip(area.top()..area.bottom()) {
        buf.set_line(area.x, y, line, area.width);
    }
}

/// A centred window of the given size, cleared, with a titled border;
/// returns its inner area.
fn popup(frame: &mut Frame, area: Rect, width: u16, height: u16, title: &str) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .title(format!(" {title} "))
        .border_style(theme::POPUP_BORDER);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    inner
}

/// A key bar built from the key table: `Enter tallenna · u kumoa · …`.
pub fn key_bar(t: &dyn Texts, bar: Bar) -> String {
    bar.keys()
        .map(|k| match t.key_hint(bar, k.cmd) {
            "" => k.label.to_string(),
            hint => format!("{} {hint}", k.label),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The status line and the key hints at the bottom.
fn render_bottom(app: &App, hint: &str, area: Rect, frame: &mut Frame) {
    let [status, keys] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    if let Some(s) = &app.status {
        let style = if s.error { theme::ERROR } else { theme::OK };
        let text = format!(" {}", s.text);
        // A long message takes the key-hint row too: it must be read whole.
        if text.chars().count() > area.width as usize {
            frame.render_widget(
                Paragraph::new(Line::styled(text, style)).wrap(Wrap { trim: true }),
                area,
            );
            return;
        }
        frame.render_widget(Paragraph::new(Line::styled(text, style)), status);
    }
    frame.render_widget(
        Paragraph::new(Line::styled(format!(" {hint}"), theme::HINT)),
        keys,
    );
}

/// Colours and emphasis, in one place.
mod theme {
    use super::*;

    pub const TITLE: Style = Style::new().add_modifier(Modifier::BOLD);
    pub const HINT: Style = Style::new().fg(Color::DarkGray);
    pub const KEY: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
    pub const CHECKED: Style = Style::new().fg(Color::Green).add_modifier(Modifier::BOLD);
    pub const OK: Style = Style::new().fg(Color::Green);
    pub const ERROR: Style = Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
    pub const SELECTED: Style = Style::new().add_modifier(Modifier::REVERSED);
    pub const EDITING: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
    pub const POPUP_BORDER: Style = Style::new().fg(Color::Yellow);
    pub const BAR: Style = Style::new().fg(Color::Cyan);
}

//! The events screen: the year's events and groups as the report lists
//! them, with ids' order kept (events by date, then groups), the totals,
//! and the open form over it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding};

use super::{Theme, popup, render_bottom};
use crate::app::{App, Choice, Duty, EventForm, FormKind, Value};
use crate::keys::{Bar, Cmd};
use crate::locale;
use crate::text::{clean, truncate};

pub fn render(app: &App, d: &Duty, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let lang = app.lang;
    let Some(s) = &d.events else { return };
    let [body, totals, bottom] = Layout::vertical([
        Constraint::Min(0),
        Constraint::Length(2),
        Constraint::Length(super::bottom_rows(app, area.width)),
    ])
    .areas(area);
    let block = Block::bordered()
        .title(Line::styled(
            t.events_title(s.year, &clean(d.profile.name(lang))),
            th.title,
        ))
        .padding(Padding::horizontal(1));
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    // The line after the selected row's last.
    let mut selected_end = 0;
    let mut row = 0;
    let mut push = |lines: &mut Vec<Line>, text: String, row: &mut usize| {
        let selected = *row == s.selected && s.form.is_none();
        // A long line goes on under itself, past the column of dates, so
        // its figures are read whole.
        for text in crate::text::wrap(&clean(&text), width, "           ") {
            lines.push(if selected {
                Line::styled(format!("{text:<width$}"), th.selected)
            } else {
                Line::raw(text)
            });
        }
        if *row == s.selected {
            selected_end = lines.len();
        }
        *row += 1;
    };
    if s.report.is_empty() {
        lines.push(Line::styled(t.no_events(), th.hint));
    }
    if !s.report.events.is_empty() {
        lines.push(Line::styled(t.events_heading(), th.title));
        for e in &s.report.events {
            let day = locale::date(e.entry.date, lang);
            push(
                &mut lines,
                format!("{day:<10} {}", t.event_row(e)),
                &mut row,
            );
        }
    }
    if !s.report.groups.is_empty() {
        lines.push(Line::styled(t.groups_heading(), th.title));
        for g in &s.report.groups {
            let day = locale::date(g.entry.date, lang);
            push(
                &mut lines,
                format!("{day:<10} {}", t.group_line(g)),
                &mut row,
            );
        }
        lines.push(Line::raw(format!(
            "{:<10} {}",
            "",
            t.group_visits_total(s.report.totals.group_visits)
        )));
    }
    if !s.report.feedback.is_empty() {
        lines.push(Line::styled(t.feedback_heading(), th.title));
        // A long line goes on to a second, so its figures are read whole.
        for f in &s.report.feedback {
            for l in crate::text::wrap(&clean(&t.feedback_line(f)), width, "  ") {
                lines.push(Line::raw(l));
            }
        }
    }
    let height = inner.height as usize;
    let offset = (selected_end + 1).saturating_sub(height);
    // Rows out of sight are said to be there: the first row shown says how
    // many are above, the last how many below (the selected row is never
    // one of them, being kept second to last).
    if height >= 3 && offset > 0 {
        lines[offset] = Line::styled(t.rows_above(offset + 1), th.hint);
    }
    if height >= 3 && lines.len() > offset + height {
        let below = lines.len() - (offset + height - 1);
        lines[offset + height - 1] = Line::styled(t.more_rows(below), th.hint);
    }
    super::draw_lines(frame, inner, &lines, offset);
    // Two lines, broken at a comma, not inside "kokoontumisia 0".
    let text = format!(" {}", t.event_totals(&s.report.totals));
    let lines: Vec<Line> = crate::text::wrap(&text, totals.width as usize, "   ")
        .into_iter()
        .map(Line::raw)
        .collect();
    super::draw_lines(frame, totals, &lines, 0);
    // The list's keys from the key table; a form open says its own.
    let bar = match &s.form {
        Some(form) => form_bar(app, form),
        None => super::key_bar(&th, t, Bar::Events),
    };
    render_bottom(app, bar, bottom, frame);
    if let Some((_, title)) = &s.confirm {
        super::question(
            &th,
            t,
            frame,
            area,
            60,
            &t.confirm_delete_event(&clean(title)),
        );
    }
    if let Some(form) = &s.form {
        render_form(app, form, area, frame);
    }
}

/// The form's keys from the key table: Enter goes on, or saves on the
/// last field; a list's keys where the cursor is on one.
fn form_bar(app: &App, form: &EventForm) -> Line<'static> {
    let th = Theme::of(app.look);
    let t = app.texts();
    let last = form.at + 1 == form.fields.len();
    super::key_bar_words(&th, Bar::EventForm, |cmd| match cmd {
        Cmd::Save if last => Some(t.key_hint(Bar::Dialog, Cmd::Save)),
        Cmd::Choose if form.choice().is_none() => None,
        cmd => Some(t.key_hint(Bar::EventForm, cmd)),
    })
}

fn render_form(app: &App, form: &EventForm, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let about = match &form.kind {
        FormKind::Feedback(_, title) => title.clone(),
        FormKind::Meeting(id) => app
            .duty
            .as_ref()
            .and_then(|d| d.events.as_ref())
            .and_then(|s| s.report.groups.iter().find(|g| g.id == *id))
            .map_or(String::new(), |g| g.entry.title.clone()),
        _ => String::new(),
    };
    let title = truncate(&clean(&t.form_title(form.kind.of(), &about)), 56);
    // The list of the field with the cursor, under the fields.
    let choices = form.choice().map(|c| choice_lines(app, c, 62));
    let extra = choices.as_ref().map_or(0, |c| c.len() as u16 + 1);
    let inner = popup(
        &th,
        frame,
        area,
        64,
        form.fields.len() as u16 + 2 + extra,
        &title,
    );
    let label_w = form
        .fields
        .iter()
        .map(|(f, _)| t.field_label(*f).chars().count() + 1)
        .max()
        .unwrap_or(0);
    let room = (inner.width as usize).saturating_sub(label_w + 1);
    let mut lines: Vec<Line> = form
        .fields
        .iter()
        .enumerate()
        .map(|(i, (f, value))| {
            // "Otsikko:" with the colon at the word, the values aligned.
            let label = format!("{}:", t.field_label(*f));
            let on = i == form.at;
            let mut spans = vec![Span::styled(
                format!("{label:<label_w$} "),
                if on { th.editing } else { Style::default() },
            )];
            match value {
                Value::Text(input) => {
                    let look = super::field::Look {
                        focused: on,
                        masked: false,
                        room,
                    };
                    spans.extend(super::field::spans(&th, input, look));
                }
                Value::Choice(c) if on => {
                    spans.push(Span::styled(
                        format!("‹ {} ›", clean(c.label())),
                        th.selected,
                    ));
                }
                Value::Choice(c) => spans.push(Span::raw(clean(c.label()).into_owned())),
            }
            Line::from(spans)
        })
        .collect();
    if let Some(choices) = choices {
        lines.push(Line::raw(""));
        lines.extend(choices);
    }
    super::draw_lines(frame, inner, &lines, 0);
}

/// A list's choices with their keys (`1 Tapahtuma  2 Luento …`), in lines
/// of `width`; a yes/no list with its answer keys.
fn choice_lines(app: &App, c: &Choice, width: usize) -> Vec<Line<'static>> {
    let th = Theme::of(app.look);
    let yes_no = c.options.iter().map(|o| o.0.as_str()).eq(["no", "yes"]);
    if yes_no {
        return vec![Line::styled(app.texts().confirm_answer(), th.key)];
    }
    let mut lines = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    let mut used = 0;
    for (i, (_, label)) in c.options.iter().enumerate() {
        let label = clean(label).into_owned();
        // Past nine, only ←→ reach a choice.
        let key = if i < 9 {
            format!("{} ", i + 1)
        } else {
            "  ".into()
        };
        let piece = key.chars().count() + label.chars().count();
        if used > 0 && used + 2 + piece > width {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        if used > 0 {
            spans.push(Span::raw("  "));
            used += 2;
        }
        let style = if i == c.at {
            th.checked
        } else {
            Style::default()
        };
        spans.push(Span::styled(key, th.key));
        spans.push(Span::styled(label, style));
        used += piece;
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

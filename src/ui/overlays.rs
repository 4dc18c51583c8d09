//! Windows over the duty screen (pickers, the note, confirmations, help)
//! and the profile chooser.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Theme, field, key_bar, popup};
use crate::app::{App, Confirm, Duty, Modal, PickerKind};
use crate::domain::NOTE_MAX_CHARS;
use crate::keys::{Bar, Cmd};
use crate::locale;
use crate::text::input::TextInput;
use crate::text::{self, clean, truncate};

pub fn render_modal(app: &App, d: &Duty, area: Rect, frame: &mut Frame) {
    match &d.modal {
        None => {}
        Some(Modal::Picker(kind)) => render_picker(app, d, *kind, area, frame),
        Some(Modal::Note(text)) => render_note(app, text, area, frame),
        Some(Modal::Time(text)) => render_time(app, text, area, frame),
        Some(Modal::HeadCount(text)) => render_head_count(app, text, area, frame),
        Some(Modal::Confirm(q)) => render_confirm(app, d, q, area, frame),
        Some(Modal::Voucher(f)) => super::voucher::render_form(app, d, f, area, frame),
        Some(Modal::VoucherIssued(n)) => super::voucher::render_notice(app, n, area, frame),
    }
}

fn render_picker(app: &App, d: &Duty, kind: PickerKind, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let items = app.picker_items(kind);
    let title = match kind {
        PickerKind::MoreTopics => t.topics().to_string(),
        PickerKind::Referral => t.referral().to_string(),
        PickerKind::Field(i) => d.profile.fields[i].label(app.lang).to_string(),
        PickerKind::Location => t.location().to_string(),
    };
    let footer = match kind {
        PickerKind::MoreTopics => t.topics_picker_footer(),
        PickerKind::Referral | PickerKind::Field(_) => t.picker_footer(true),
        PickerKind::Location => t.picker_footer(false),
    };
    // Only the further topics are several at once; the other pickers
    // choose one value, and look like it.
    let multi = kind == PickerKind::MoreTopics;
    let height = (items.len() as u16 + 4).min(area.height);
    let inner = popup(&th, frame, area, 50, height, &clean(&title));
    let width = inner.width as usize;
    let mut lines: Vec<Line> = items
        .iter()
        .map(|item| {
            Line::from(vec![
                Span::styled(format!("{} ", item.key), th.key),
                th.mark(multi, item.selected),
                Span::raw(truncate(&clean(&item.label), width.saturating_sub(6))),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(footer, th.hint));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The time of the visit being edited, as it is typed.
fn render_time(app: &App, input: &TextInput, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let inner = popup(&th, frame, area, 44, 5, t.visit_time_title());
    let look = field::Look {
        focused: true,
        masked: false,
        room: inner.width as usize - 1,
    };
    let mut line = vec![Span::raw(" ")];
    line.extend(field::spans(&th, input, look));
    let lines = vec![
        Line::from(line),
        Line::raw(""),
        Line::styled(t.visit_time_footer(), th.hint),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_note(app: &App, input: &TextInput, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let inner = popup(&th, frame, area, 64, 10, t.note_title());
    let count = format!("{}/{NOTE_MAX_CHARS}", input.chars());
    let body = field::text(input, true);
    let [edit, foot] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    // Wrapped here, at words, so the row of the cursor is known and kept
    // in view (counting characters put it rows too high).
    let rows = crate::text::wrap(&body, edit.width.max(1) as usize, "");
    let cursor_row = rows.iter().position(|r| r.contains('▏')).unwrap_or(0) + 1;
    let scroll = cursor_row.saturating_sub(edit.height as usize);
    let shown: Vec<Line> = rows.into_iter().skip(scroll).map(Line::raw).collect();
    frame.render_widget(Paragraph::new(shown), edit);
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!("{} · {count}", t.note_footer()),
            th.hint,
        )),
        foot,
    );
}

fn render_head_count(app: &App, input: &TextInput, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let inner = popup(&th, frame, area, 64, 6, t.head_count_title());
    let [edit, foot] = Layout::vertical([Constraint::Min(0), Constraint::Length(2)]).areas(inner);
    let look = field::Look {
        focused: true,
        masked: false,
        room: edit.width as usize,
    };
    frame.render_widget(
        Paragraph::new(Line::from(field::spans(&th, input, look)).style(th.title)),
        edit,
    );
    frame.render_widget(
        Paragraph::new(Line::styled(t.head_count_footer(), th.hint)).wrap(Wrap { trim: true }),
        foot,
    );
}

fn render_confirm(app: &App, d: &Duty, q: &Confirm, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let text = confirm_text(app, d, q);
    super::question(&th, app.texts(), frame, area, 70, &text);
}

/// A yes/no question's text, as shown and as spoken.
pub fn confirm_text(app: &App, d: &Duty, q: &Confirm) -> String {
    let t = app.texts();
    match q {
        Confirm::Delete(id) => {
            let visit = d.today.iter().find(|v| v.id == *id);
            let time = visit.map(|v| locale::time(v.at, app.lang));
            let what = visit.map(|v| app.describe_topics(v)).unwrap_or_default();
            t.confirm_delete(&time.unwrap_or_default(), &clean(&what))
        }
        Confirm::NewSession => t.confirm_new_session().to_string(),
        Confirm::StartSession => t.confirm_start_session().to_string(),
        Confirm::CancelDay => t.confirm_cancel_day().to_string(),
        Confirm::Undo(_, what, number) => t.confirm_undo_voucher(&clean(what), number),
        Confirm::Quit => t.confirm_quit_unsaved().to_string(),
        Confirm::RestoreDraft(entry) => {
            let topics: Vec<&str> = entry
                .topics
                .iter()
                .map(|k| d.profile.topic_label(k, app.lang))
                .collect();
            t.confirm_restore_draft(&clean(&topics.join(", ")))
        }
        Confirm::Clock(doubt) => format!("{} {}", t.clock_doubt(doubt), t.clock_question()),
    }
}

/// The help's rows for the view of `bar`: each key's label and what it
/// does, from the key table, with the profile's field hotkeys on the duty
/// screen and the text fields' keys in a form.
pub fn help_rows(app: &App, d: &Duty, bar: Bar) -> Vec<(String, String)> {
    let t = app.texts();
    // The voucher keys only where the profile issues vouchers.
    let vouchers = d.profile.voucher_settings().is_some();
    // The event keys only where the profile keeps events.
    let events = d.profile.event_settings().is_some();
    let keys: Vec<_> = bar
        .help_table()
        .iter()
        .filter(|k| vouchers || !k.vouchers)
        .filter(|k| events || !k.events)
        .filter(|k| app.reader || !k.reader)
        .collect();
    let mut rows: Vec<(String, String)> = keys
        .iter()
        .map(|k| (k.label.to_string(), t.key_help_in(bar, k.cmd).to_string()))
        .collect();
    if matches!(bar, Bar::Form | Bar::List | Bar::Editing) {
        for f in &d.profile.fields {
            rows.push((f.hotkey.to_string(), clean(f.label(app.lang)).into_owned()));
        }
    }
    // A form's help lists the keys of its text fields too.
    if bar.is_form() {
        for k in crate::keys::FIELD {
            rows.push((k.label.to_string(), t.key_help(k.cmd).to_string()));
        }
    }
    rows
}

/// The help window: the keys of the view it was opened over (`bar`),
/// from the key table, with the profile's field hotkeys on the duty screen.
pub fn render_help(app: &App, d: &Duty, bar: Bar, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let mut rows = help_rows(app, d, bar);
    // The keys' column as wide as its widest (`PgUp/PgDn`), 6 at least.
    let key_w = rows
        .iter()
        .map(|(k, _)| k.chars().count() + 1)
        .max()
        .unwrap_or(0)
        .max(6);
    // Two columns for the duty screen's many keys, so they fit 80×24,
    // three spaces between them; a row too long for its column goes on
    // to a second line under its text, not into the border.
    const GAP: u16 = 3;
    let columns = if rows.len() > 12 { 2 } else { 1 };
    // A form's keys say more: a wider column.
    let width = match columns {
        2 => 78,
        _ if bar.is_form() => 66,
        _ => 50,
    };
    let inner_w = width.min(area.width).saturating_sub(2);
    let column_w = if columns == 2 {
        inner_w.saturating_sub(GAP) / 2
    } else {
        inner_w
    };
    let help_row = |key: &str, what: &str| -> Vec<Line<'static>> {
        let room = (column_w as usize).saturating_sub(key_w);
        text::wrap(what, room, "")
            .into_iter()
            .enumerate()
            .map(|(i, part)| {
                let key = if i == 0 { key } else { "" };
                Line::from(vec![
                    Span::styled(format!("{key:<key_w$}"), th.key),
                    Span::raw(part),
                ])
            })
            .collect()
    };
    let per_column = rows.len().div_ceil(columns);
    let second = rows.split_off(per_column);
    let left: Vec<Line> = rows.iter().flat_map(|(k, w)| help_row(k, w)).collect();
    let right: Vec<Line> = second.iter().flat_map(|(k, w)| help_row(k, w)).collect();
    let height = left.len().max(right.len()) as u16;
    let inner = popup(&th, frame, area, width, height + 4, t.help_title());
    let [cols, _, foot] = Layout::vertical([
        Constraint::Length(height),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(inner);
    if columns == 2 {
        let [l, _, r] = Layout::horizontal([
            Constraint::Length(column_w),
            Constraint::Length(GAP),
            Constraint::Length(column_w),
        ])
        .areas(cols);
        frame.render_widget(Paragraph::new(left), l);
        frame.render_widget(Paragraph::new(right), r);
    } else {
        frame.render_widget(Paragraph::new(left), cols);
    }
    frame.render_widget(Paragraph::new(key_bar(&th, t, Bar::Help)), foot);
}

pub fn render_chooser(app: &App, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let profiles = &app.config.profiles;
    let inner = popup(
        &th,
        frame,
        area,
        60,
        profiles.len() as u16 + 4 + u16::from(app.status.is_some()),
        t.choose_profile(),
    );
    let mut lines: Vec<Line> = profiles
        .values()
        .enumerate()
        .map(|(i, p)| {
            Line::from(vec![
                Span::styled(format!("{} ", i + 1), th.key),
                Span::raw(format!("{} ({})", clean(p.name(app.lang)), p.id)),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    // A number with no profile is answered here, where the eyes are.
    if let Some(status) = &app.status {
        let style = if status.error { th.error } else { th.ok };
        lines.push(Line::styled(clean(&status.text).into_owned(), style));
    }
    // The keys from the table; Esc only when it goes back somewhere.
    let back = app.switched_from.is_some();
    lines.push(super::key_bar_words(&th, Bar::Chooser, |cmd| match cmd {
        Cmd::Back if !back => None,
        cmd => Some(t.key_hint(Bar::Chooser, cmd)),
    }));
    frame.render_widget(Paragraph::new(lines), inner);
}

//! The duty screen: header with counters, the new-visit form, today's list.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::boxes::bordered;
use super::{Theme, bar_of, key_bar, overlays, render_bottom};
use crate::app::{App, DIGIT_TOPICS, Duty, Focus, View};
use crate::config::fitting;
use crate::locale;
use crate::text::{clean, truncate};

pub fn render(app: &App, d: &Duty, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    // Profiles with vouchers get a third header line for them.
    let voucher_line = super::voucher::header_line(app, d);
    let [header, body, bottom] = Layout::vertical([
        Constraint::Length(2 + u16::from(voucher_line.is_some())),
        Constraint::Min(0),
        Constraint::Length(super::bottom_rows(app, area.width)),
    ])
    .areas(area);
    let [header, voucher_row] =
        Layout::vertical([Constraint::Length(2), Constraint::Min(0)]).areas(header);
    render_header(app, d, header, frame);
    if let Some(line) = voucher_line {
        super::draw_lines(frame, voucher_row, &[line], 0);
    }
    // 44 columns at 80; a third of any more, up to 64.
    let form_w = (44 + body.width.saturating_sub(80) / 3).min(64);
    let [form, list] =
        Layout::horizontal([Constraint::Length(form_w), Constraint::Min(0)]).areas(body);
    render_form(app, d, form, frame);
    render_today(app, d, list, frame);
    // The voucher form shows its own keys in it; the screen's bar stays.
    let bar = match bar_of(d, View::Duty) {
        crate::keys::Bar::VoucherForm => crate::keys::Bar::Form,
        bar => bar,
    };
    render_bottom(app, key_bar(&th, app.texts(), bar), bottom, frame);
    overlays::render_modal(app, d, area, frame);
}

fn render_header(app: &App, d: &Duty, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let lang = app.lang;
    let [top, counters] = Layout::vertical([Constraint::Length(1); 2]).areas(area);
    let when = format!(
        "{} {} {} ",
        locale::weekday(app.now.date(), lang),
        locale::date(app.now.date(), lang),
        locale::time(app.now, lang)
    );
    // The background sync's word, between the title and the clock.
    let sync = super::sync::word(app).map(|(w, style)| (format!("{w}  "), style));
    let sync_w = sync.as_ref().map_or(0, |(w, _)| w.chars().count());
    // Three spaces at least between the place and the weekday: "to" (Thu)
    // right after a place reads as "until".
    let room = (area.width as usize).saturating_sub(when.chars().count() + sync_w + 3);
    // The short names where the full ones do not fit, so the profile's
    // name is never cut at 80×24.
    let title = |name: &str, place: &str| format!(" tiski · {} · {}", clean(name), clean(place));
    let full = title(d.profile.name(lang), &d.session.location);
    let title = if full.chars().count() <= room {
        full
    } else {
        title(
            d.profile.short_name(lang),
            d.profile.short_place(&d.session.location),
        )
    };
    let [left, middle, right] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(sync_w as u16),
        Constraint::Length(when.chars().count() as u16),
    ])
    .areas(top);
    super::draw_lines(
        frame,
        left,
        &[Line::styled(truncate(&title, room), th.title)],
        0,
    );
    if let Some((w, style)) = sync {
        super::draw_lines(frame, middle, &[Line::styled(w, style)], 0);
    }
    super::draw_lines(frame, right, &[Line::raw(when)], 0);

    let c = &d.counters;
    let started = if d.pending && !d.opens {
        t.session_not_started().to_string()
    } else {
        format!("{}–", locale::time(d.session.started_at, lang))
    };
    let line = Line::from(vec![
        Span::raw(format!(" {} {started}   ", t.session_label())),
        Span::raw(format!("{} ", t.this_session())),
        Span::styled(c.session.to_string(), th.title),
        Span::raw(format!("   {} ", t.today())),
        Span::styled(c.today.to_string(), th.title),
        Span::raw(format!(
            "   {}",
            t.running_average(c.year.mean(), c.year.sessions)
        )),
    ]);
    super::draw_lines(frame, counters, &[line], 0);
}

fn render_form(app: &App, d: &Duty, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let lang = app.lang;
    let title = match &d.editing {
        Some((id, _)) => {
            // The new time once typed (`T`), saved with the visit.
            let at = d
                .edit_at
                .or(d.today.iter().find(|v| v.id == *id).map(|v| v.at));
            t.edit_visit(&at.map(|a| locale::time(a, lang)).unwrap_or_default())
        }
        None => t.new_visit().to_string(),
    };
    let border = if d.editing.is_some() {
        th.popup_border
    } else if d.focus == Focus::Form {
        th.title
    } else {
        Style::default()
    };
    let inner = bordered(frame.buffer_mut(), area, &format!(" {title} "), border);
    let width = inner.width as usize;

    let mut lines: Vec<Line> = Vec::new();
    let topics: Vec<_> = d.profile.active_topics().collect();
    // A topic's row: its key (or room for one), its checkbox, its label.
    let topic_row = |key: Span<'static>, topic: &crate::config::Choice| {
        let on = d.form.topics.contains(&topic.key);
        let room = width.saturating_sub(4 + key.width());
        let label = fitting(topic.label(lang), topic.short_label(lang), room);
        Line::from(vec![
            key,
            check(&th, on),
            Span::raw(truncate(&clean(label), room)),
        ])
    };
    for (i, topic) in topics.iter().take(DIGIT_TOPICS).enumerate() {
        lines.push(topic_row(
            Span::styled(format!("{} ", i + 1), th.key),
            topic,
        ));
    }
    // The topics past 9 are chosen in a picker (`0`). When the form has
    // the rows, they are listed with their own checkboxes and the two keys
    // that tick them (`0 1`); else one line (key 0) names the ones chosen.
    let mut extra_lines: Vec<Line> = Vec::new();
    let mut extra_listed: Vec<Line> = Vec::new();
    if topics.len() > DIGIT_TOPICS {
        let more = &topics[DIGIT_TOPICS..];
        let chosen: Vec<String> = more
            .iter()
            .filter(|t| d.form.topics.contains(&t.key))
            .map(|t| clean(t.label(lang)).into_owned())
            .collect();
        let text = if chosen.is_empty() {
            t.more_topics().to_string()
        } else {
            chosen.join(", ")
        };
        let style = if chosen.is_empty() {
            Default::default()
        } else {
            th.checked
        };
        extra_lines.push(Line::from(vec![
            Span::styled("0 ", th.key),
            Span::styled(truncate(&text, width.saturating_sub(2)), style),
        ]));
        // Each listed with the keys that tick it: 0, then its key in the
        // list that 0 opens.
        for (topic, key) in more.iter().zip(crate::keys::PICKER_KEYS.chars()) {
            extra_listed.push(topic_row(Span::styled(format!("0 {key} "), th.key), topic));
        }
    }
    let at = lines.len();
    // Topics that are set but not offered (retired, or from an edited old
    // visit) still show, so the user sees what will be saved.
    let hidden: Vec<&str> = d
        .form
        .topics
        .iter()
        .filter(|k| !topics.iter().any(|t| &t.key == *k))
        .map(|k| d.profile.topic_label(k, lang))
        .collect();
    if !hidden.is_empty() {
        lines.push(Line::from(vec![
            Span::raw("  "),
            check(&th, true),
            Span::raw(truncate(
                &clean(&hidden.join(", ")),
                width.saturating_sub(6),
            )),
        ]));
    }

    let none = t.none();
    let mut items: Vec<Vec<Span>> = Vec::new();
    let referral = d.form.referral.as_deref().map_or(none, |k| {
        // A target longer than the form's line by its short name.
        let p = &d.profile;
        let room = width.saturating_sub(4 + t.referral().chars().count());
        fitting(p.referral_label(k, lang), p.referral_short(k, lang), room)
    });
    items.push(field_item(&th, 'o', t.referral(), referral));
    for f in &d.profile.fields {
        let chosen = d.form.fields.get(&f.key);
        let value = chosen.map_or(none, |v| f.option(v).map_or(v.as_str(), |o| o.label(lang)));
        let mut item = field_item(&th, f.hotkey, f.label(lang), value);
        // A sticky value that is not the default stays for the next
        // visitor too (a phone call's channel): said plainly.
        if kept(f, chosen) {
            if let Some(v) = item.last_mut() {
                v.style = th.editing;
            }
            item.push(Span::styled(format!(" {}", t.sticky_kept()), th.editing));
        }
        items.push(item);
    }
    // Whether the further topics are listed is decided on the most rows
    // the form can take (each field a row of its own, a row of topics not
    // offered), so the form does not change its shape as values are chosen.
    let most = DIGIT_TOPICS + items.len() + 2;
    lines.extend(flow(items, width));
    let note = if d.form.note.is_empty() {
        Span::styled(t.note_hint(), th.hint)
    } else {
        Span::raw(truncate(
            &clean(&d.form.note),
            width.saturating_sub(4 + t.note().chars().count()),
        ))
    };
    lines.push(Line::from(vec![
        Span::styled("n ", th.key),
        Span::raw(format!("{}: ", t.note())),
        note,
    ]));
    let fits = most + extra_listed.len() <= inner.height as usize;
    let extra = if fits { extra_listed } else { extra_lines };
    lines.splice(at..at, extra);
    super::draw_lines(frame, inner, &lines, 0);
}

fn check(th: &Theme, on: bool) -> Span<'static> {
    if on {
        Span::styled("[x] ", th.checked)
    } else {
        Span::raw("[ ] ")
    }
}

fn field_item<'a>(th: &Theme, key: char, label: &str, value: &str) -> Vec<Span<'a>> {
    vec![
        Span::styled(format!("{key} "), th.key),
        Span::raw(format!("{}: ", clean(label))),
        Span::raw(clean(value).into_owned()),
    ]
}

/// A sticky field holding a value other than its default.
fn kept(f: &crate::config::FieldDef, chosen: Option<&String>) -> bool {
    f.sticky && chosen.is_some_and(|v| f.default.as_ref() != Some(v))
}

/// Lays items out left to right, wrapping to new lines at `width`.
fn flow(items: Vec<Vec<Span<'_>>>, width: usize) -> Vec<Line<'_>> {
    const GAP: usize = 3;
    let mut lines = Vec::new();
    let mut current: Vec<Span> = Vec::new();
    let mut used = 0;
    for item in items {
        let len: usize = item.iter().map(|s| s.content.chars().count()).sum();
        if used > 0 && used + GAP + len > width {
            lines.push(Line::from(std::mem::take(&mut current)));
            used = 0;
        }
        if used > 0 {
            current.push(Span::raw(" ".repeat(GAP)));
            used += GAP;
        }
        if len > width {
            // One item wider than the form: cut its text.
            let text: String = item.iter().map(|s| s.content.as_ref()).collect();
            current.push(Span::raw(truncate(&text, width)));
            used += width;
        } else {
            current.extend(item);
            used += len;
        }
    }
    if !current.is_empty() {
        lines.push(Line::from(current));
    }
    lines
}

fn render_today(app: &App, d: &Duty, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let lang = app.lang;
    let border = if d.focus == Focus::List {
        th.title
    } else {
        Style::default()
    };
    let inner = bordered(
        frame.buffer_mut(),
        area,
        &format!(" {} ", t.today()),
        border,
    );
    if d.today.is_empty() && d.head_counts.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(t.no_visits_yet(), th.hint)),
            inner,
        );
        return;
    }
    let width = inner.width as usize;
    // Each visit takes one line, two with a referral.
    let mut lines: Vec<Line> = Vec::new();
    // Head-counts first, apart from the itemised visits and not selectable.
    for h in &d.head_counts {
        let text = format!(
            "{} +{} {}",
            locale::time(h.at, lang),
            h.n,
            t.head_count_word()
        );
        lines.push(Line::styled(truncate(&text, width), th.hint));
    }
    let mut selected_at = lines.len();
    let height = inner.height as usize;
    for (i, v) in d.today.iter().enumerate() {
        // Lines below the window are never drawn: stop building them.
        if i > d.selected && lines.len() >= selected_at + height {
            break;
        }
        let selected = d.focus == Focus::List && i == d.selected;
        if i == d.selected {
            selected_at = lines.len();
        }
        let editing = d.editing.as_ref().is_some_and(|(id, _)| *id == v.id);
        let style = if selected {
            th.selected
        } else if editing {
            th.editing
        } else {
            Default::default()
        };
        // A topic longer than the line by its short label.
        let topics: Vec<&str> = v
            .entry
            .topics
            .iter()
            .map(|k| {
                let p = &d.profile;
                fitting(p.topic_label(k, lang), p.topic_short(k, lang), width - 6)
            })
            .collect();
        // Only a highlighted line needs padding to show its bar full width.
        let line = |text: String| {
            let text = truncate(&text, width);
            Line::styled(if selected { pad(&text, width) } else { text }, style)
        };
        // Topics that do not fit go on to further lines, not out of sight.
        let topics: Vec<String> = topics.iter().map(|t| clean(t).into_owned()).collect();
        for text in wrap_topics(&locale::time(v.at, lang), &topics, width) {
            lines.push(line(text));
        }
        // The sticky fields a visit was saved with, where not their
        // default: a walk-in saved as a phone call shows.
        let kept: Vec<String> = d
            .profile
            .fields
            .iter()
            .filter(|f| kept(f, v.entry.fields.get(&f.key)))
            .filter_map(|f| {
                let value = v.entry.fields.get(&f.key)?;
                let label = f.option(value).map_or(value.as_str(), |o| o.label(lang));
                Some(clean(label).into_owned())
            })
            .collect();
        if !kept.is_empty() {
            lines.push(line(format!("      {}", kept.join(" · "))));
        }
        if let Some(r) = &v.entry.referral {
            let p = &d.profile;
            let target = fitting(
                p.referral_label(r, lang),
                p.referral_short(r, lang),
                width - 8,
            );
            lines.push(line(format!("      → {}", clean(target))));
        }
        if let Some(number) = d.vouchers.by_visit.get(&v.id) {
            // A cancelled voucher says so here too.
            let cancelled = if d.vouchers.cancelled.contains(number) {
                format!(" ({})", t.status_label(crate::voucher::Status::Cancelled))
            } else {
                String::new()
            };
            lines.push(line(format!("      {number}{cancelled}")));
        }
    }
    let offset = (selected_at + 2).saturating_sub(height);
    super::draw_lines(frame, inner, &lines, offset);
}

/// A visit's time and topics in lines of `width`: `10.07 Digituki,` then
/// `      Liukuesteet / nastakengät`, breaking between topics, at most three
/// lines (the last cut if need be).
fn wrap_topics(time: &str, topics: &[String], width: usize) -> Vec<String> {
    const INDENT: &str = "      ";
    let mut lines = vec![time.to_string()];
    for (i, topic) in topics.iter().enumerate() {
        let last = i + 1 == topics.len();
        let piece = if last {
            topic.clone()
        } else {
            format!("{topic},")
        };
        let room = lines.len() < 3;
        let current = lines.last_mut().expect("one line at least");
        // A topic always goes after the time, even if it must be cut.
        let fresh = current == time;
        if fresh || !room || current.chars().count() + 1 + piece.chars().count() <= width {
            current.push(' ');
            current.push_str(&piece);
        } else {
            lines.push(format!("{INDENT}{piece}"));
        }
    }
    lines.into_iter().map(|l| truncate(&l, width)).collect()
}

fn pad(s: &str, width: usize) -> String {
    format!("{s:<width$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visits_topics_wrap_between_topics() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            wrap_topics("10.07", &t(&["Digituki", "Liukuesteet / nastakengät"]), 32),
            ["10.07 Digituki,", "      Liukuesteet / nastakengät"]
        );
        assert_eq!(
            wrap_topics("10.07", &t(&["Digituki", "Muu"]), 32),
            ["10.07 Digituki, Muu"]
        );
        let many = t(&[
            "Aaaaaaaaaaaaaaaaaaaa",
            "Bbbbbbbbbbbbbbbbbbbb",
            "Cccccccccccccccccc",
            "Dddd",
        ]);
        let lines = wrap_topics("10.07", &many, 26);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= 26), "{lines:?}");
        assert!(lines[2].ends_with('…'), "{lines:?}");
    }
}

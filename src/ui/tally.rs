//! The end-of-day tally: visitors, topics, referrals and hours, and this
//! session against the running average.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Theme, key_bar, render_bottom};
use crate::app::{App, Duty};
use crate::config::fitting;
use crate::i18n::Texts;
use crate::keys::Bar;
use crate::locale;
use crate::report::{UNRECORDED, ranked};
use crate::text::{clean, truncate};

pub fn render(app: &App, d: &Duty, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let lang = app.lang;
    let Some(tally) = &d.tally else { return };
    let vouchers = d.vouchers.season.is_some();
    // A line more for the head-counted part of the visitors, when any.
    let heads = u16::from(tally.head_counts > 0);
    let [head, body, bottom] = Layout::vertical([
        Constraint::Length(3 + u16::from(vouchers) + heads),
        Constraint::Min(0),
        Constraint::Length(2),
    ])
    .areas(area);
    let title = format!(
        " {} · {} {} · {}",
        t.tally_title(),
        locale::weekday(tally.date, lang),
        locale::date(tally.date, lang),
        clean(&d.session.location)
    );
    let mut lines = vec![
        Line::styled(title, th.title),
        Line::raw(format!(
            " {}",
            t.tally_visitors(tally.visitors, tally.sessions)
        )),
        // A line of its own: the comparison is worded out in full.
        Line::raw(truncate(
            &format!(
                " {}",
                t.tally_vs_average(d.counters.session, tally.year.mean())
            ),
            area.width as usize,
        )),
    ];
    if tally.head_counts > 0 {
        lines.push(Line::raw(format!(
            "   {}",
            t.head_counted(tally.head_counts)
        )));
    }
    if vouchers {
        lines.push(Line::raw(format!(
            " {}",
            t.tally_vouchers(d.vouchers.today, d.vouchers.in_force)
        )));
    }
    frame.render_widget(Paragraph::new(lines), head);

    // One scale for every bar of the tally, so equal counts get equal
    // bars whichever column they are in: the largest count gets `room`
    // cells (6 at 80 columns, up to 10). The columns are as wide as their
    // labels, counts and that room need: 37, 26 and 17 at 80.
    let w = body.width;
    let room = (w.saturating_sub(61) / 3).clamp(3, 10);
    let hours_w = room + 11;
    let rest = w.saturating_sub(hours_w);
    let middle_w = (rest * 2 / 5).max(room + 20).min(rest);
    let [topics, referrals, hours] = Layout::horizontal([
        Constraint::Length(rest - middle_w),
        Constraint::Length(middle_w),
        Constraint::Min(0),
    ])
    .areas(body);
    let label = |col: Rect| col.width.saturating_sub(room + 6) as usize;
    let order: Vec<&str> = d.profile.topics.iter().map(|t| t.key.as_str()).collect();
    // Each row: its label, the short label for a narrow column, the count.
    let p = &d.profile;
    let rows: Vec<(String, String, u32)> = ranked(&tally.topics, &order)
        .into_iter()
        .map(|(k, n)| {
            (
                p.topic_label(k, lang).into(),
                p.topic_short(k, lang).into(),
                n,
            )
        })
        .collect();
    let mut left = vec![(t.topics().to_string(), rows)];
    let order: Vec<&str> = d.profile.referrals.iter().map(|t| t.key.as_str()).collect();
    let rows: Vec<(String, String, u32)> = ranked(&tally.referrals, &order)
        .into_iter()
        .map(|(k, n)| {
            let full = p.referral_label(k, lang).into();
            (full, p.referral_short(k, lang).into(), n)
        })
        .collect();
    let mut middle = vec![(t.referrals().to_string(), rows)];
    // The profile's own fields (channel, language, interpreting, …), each
    // under the shorter of the first two columns.
    let unrecorded = t.word(crate::i18n::Word::Unrecorded);
    for f in &p.fields {
        let order: Vec<&str> = f.options.iter().map(|o| o.key.as_str()).collect();
        let rows: Vec<(String, String, u32)> = tally
            .fields
            .get(&f.key)
            .map(|c| ranked(c, &order))
            .unwrap_or_default()
            .into_iter()
            .map(|(k, n)| {
                let (full, short) = match f.option(k) {
                    Some(o) => (o.label(lang), o.short_label(lang)),
                    None if k == UNRECORDED => (unrecorded, unrecorded),
                    None => (k, k),
                };
                (full.to_string(), short.to_string(), n)
            })
            .collect();
        let lines = |c: &[Section]| -> usize { c.iter().map(|(_, r)| r.len().max(1) + 2).sum() };
        let column = if lines(&middle) < lines(&left) {
            &mut middle
        } else {
            &mut left
        };
        column.push((f.label(lang).to_string(), rows));
    }
    let rows: Vec<(String, String, u32)> = tally
        .hours
        .iter()
        .map(|(h, n)| {
            let label = format!("{h:02}–{:02}", h + 1);
            (label.clone(), label, *n)
        })
        .collect();
    let right = vec![(t.by_hour().to_string(), rows)];
    let max = [&left, &middle, &right]
        .iter()
        .flat_map(|c| c.iter())
        .flat_map(|(_, rows)| rows.iter().map(|r| r.2))
        .max()
        .unwrap_or(0);
    let scale = Scale {
        max,
        room: room as usize,
    };
    render_column(&th, t, &left, label(topics), scale, topics, frame);
    render_column(&th, t, &middle, label(referrals), scale, referrals, frame);
    render_column(&th, t, &right, 5, scale, hours, frame);
    render_bottom(app, key_bar(&th, t, Bar::Tally), bottom, frame);
}

/// A row: its label, its short label, its count.
type Row = (String, String, u32);
/// A titled list of rows.
type Section = (String, Vec<Row>);

/// The tally's one scale: the largest count anywhere in it, and the
/// cells its bar gets.
#[derive(Clone, Copy)]
struct Scale {
    max: u32,
    room: usize,
}

impl Scale {
    /// The cells of `n`'s bar: in proportion, one at least.
    fn bar(self, n: u32) -> usize {
        (n as usize * self.room)
            .div_ceil(self.max.max(1) as usize)
            .max(1)
    }
}

/// A column of titled sections of "label  n ███" rows, a blank line
/// between sections.
fn render_column(
    th: &Theme,
    t: &dyn Texts,
    sections: &[Section],
    label_w: usize,
    scale: Scale,
    area: Rect,
    frame: &mut Frame,
) {
    let mut lines = Vec::new();
    for (i, (title, rows)) in sections.iter().enumerate() {
        if i > 0 {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(format!(" {}", clean(title)), th.title));
        if rows.is_empty() {
            lines.push(Line::styled(" –", th.hint));
        }
        for (full, short, n) in rows {
            let bar = scale.bar(*n);
            lines.push(Line::from(vec![
                Span::raw(format!(
                    " {:<label_w$} {n:>2} ",
                    truncate(&clean(fitting(full, short, label_w)), label_w)
                )),
                Span::styled("█".repeat(bar), th.bar),
            ]));
        }
    }
    // Nothing is dropped silently: the last line says how many more.
    let height = area.height as usize;
    if lines.len() > height && height > 0 {
        let hidden = lines.len() - (height - 1);
        lines.truncate(height - 1);
        lines.push(Line::styled(format!(" {}", t.more_rows(hidden)), th.hint));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_scale_gives_equal_counts_equal_bars() {
        let s = Scale { max: 12, room: 6 };
        assert_eq!(s.bar(12), 6);
        assert_eq!(s.bar(4), 2);
        assert_eq!(s.bar(1), 1);
    }
}

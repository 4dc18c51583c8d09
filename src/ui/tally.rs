//! The end-of-day tally: visitors, topics, referrals and hours, and this
//! session against the running average.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Theme, key_bar, render_bottom};
use crate::app::{App, Duty, TallySection as Section};
use crate::config::fitting;
use crate::i18n::Texts;
use crate::keys::Bar;
use crate::locale;
use crate::text::{clean, truncate};

pub fn render(app: &App, d: &Duty, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let lang = app.lang;
    let Some(tally) = &d.tally else { return };
    let today = tally.date == app.now.date();
    let vouchers = d.vouchers.season.is_some();
    let [head, body, bottom] = Layout::vertical([
        Constraint::Length(app.tally_head_height()),
        Constraint::Min(0),
        Constraint::Length(super::bottom_rows(app, area.width)),
    ])
    .areas(area);
    // The place is today's session's; another day may have had others.
    let place = if today {
        format!(" · {}", clean(&d.session.location))
    } else {
        String::new()
    };
    let title = format!(
        " {} · {} {}{place}",
        t.tally_title(),
        locale::weekday(tally.date, lang),
        locale::date(tally.date, lang),
    );
    // A day without a duty session says so, rather than comparing
    // nothing with the year.
    let compared = if tally.sessions == 0 {
        t.tally_no_duty(today).to_string()
    } else if today {
        t.tally_vs_average(d.counters.session, tally.year.mean())
    } else {
        let per_session = f64::from(tally.visitors) / f64::from(tally.sessions);
        t.tally_day_vs_average(per_session, tally.year.mean())
    };
    let mut lines = vec![
        Line::styled(title, th.title),
        Line::raw(format!(
            " {}",
            t.tally_visitors(tally.visitors, tally.sessions)
        )),
        // A line of its own: the comparison is worded out in full.
        Line::raw(truncate(&format!(" {compared}"), area.width as usize)),
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
    let [left, middle, right] = app.tally_columns();
    // The middle column is wide enough for each of its labels at least by
    // its short form ("Wellbeing county", not "Wellbeing coun…"), leaving
    // the topics a label of 20 at least.
    let shortest = middle
        .iter()
        .flat_map(|(title, rows)| {
            let labels = rows.iter().map(|r| r.1.chars().count() + room as usize + 5);
            std::iter::once(title.chars().count() + 1).chain(labels)
        })
        .max()
        .unwrap_or(0);
    let middle_w = (rest * 2 / 5)
        .max(room + 20)
        .max(u16::try_from(shortest).unwrap_or(u16::MAX))
        .min(rest.saturating_sub(room + 25))
        .min(rest);
    let [topics, referrals, hours] = Layout::horizontal([
        Constraint::Length(rest - middle_w),
        Constraint::Length(middle_w),
        Constraint::Min(0),
    ])
    .areas(body);
    // A row is " label  n bar": the label takes what the count (two
    // digits) and the longest bar leave, the row's own leading space
    // keeping it apart from the column before.
    let label = |col: Rect| col.width.saturating_sub(room + 5) as usize;
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
    let offset = d.tally_offset;
    let column = |sections: &[Section], label_w: usize, area: Rect, frame: &mut Frame| {
        render_column(&th, t, sections, label_w, scale, offset, area, frame);
    };
    column(&left, label(topics), topics, frame);
    column(&middle, label(referrals), referrals, frame);
    column(&right, 5, hours, frame);
    render_bottom(app, key_bar(&th, t, Bar::Tally), bottom, frame);
}

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
/// between sections, scrolled by `offset` rows.
#[allow(clippy::too_many_arguments)]
fn render_column(
    th: &Theme,
    t: &dyn Texts,
    sections: &[Section],
    label_w: usize,
    scale: Scale,
    offset: usize,
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
    // Nothing is dropped silently: the first line says how many are
    // above (↑↓ scroll), the last how many more below.
    let height = area.height as usize;
    let offset = offset.min(lines.len().saturating_sub(height));
    let mut lines = lines.split_off(offset.min(lines.len()));
    if offset > 0 && height > 1 {
        lines[0] = Line::styled(format!(" {}", t.rows_above(offset + 1)), th.hint);
    }
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

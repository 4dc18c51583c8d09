//! The end-of-day tally: visitors, topics, referrals and hours, and this
//! session against the running average.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Theme, key_bar, render_bottom};
use crate::app::{App, Duty};
use crate::config::fitting;
use crate::keys::Bar;
use crate::locale;
use crate::report::ranked;
use crate::text::{clean, truncate};

pub fn render(app: &App, d: &Duty, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let lang = app.lang;
    let Some(tally) = &d.tally else { return };
    let vouchers = d.vouchers.season.is_some();
    let [head, body, bottom] = Layout::vertical([
        Constraint::Length(3 + u16::from(vouchers)),
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
    if vouchers {
        lines.push(Line::raw(format!(
            " {}",
            t.tally_vouchers(d.vouchers.today, d.vouchers.in_force)
        )));
    }
    frame.render_widget(Paragraph::new(lines), head);

    // 42 and 22 columns at 80; wider windows widen them in proportion.
    let w = body.width;
    let [topics, referrals, hours] = Layout::horizontal([
        Constraint::Length(w * 42 / 80),
        Constraint::Length(w * 22 / 80),
        Constraint::Min(0),
    ])
    .areas(body);
    let label = |col: Rect, rest: u16| col.width.saturating_sub(rest) as usize;
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
    render_column(&th, t.topics(), &rows, label(topics, 16), topics, frame);
    let order: Vec<&str> = d.profile.referrals.iter().map(|t| t.key.as_str()).collect();
    let rows: Vec<(String, String, u32)> = ranked(&tally.referrals, &order)
        .into_iter()
        .map(|(k, n)| {
            let full = p.referral_label(k, lang).into();
            (full, p.referral_short(k, lang).into(), n)
        })
        .collect();
    render_column(
        &th,
        t.referrals(),
        &rows,
        label(referrals, 8),
        referrals,
        frame,
    );
    let rows: Vec<(String, String, u32)> = tally
        .hours
        .iter()
        .map(|(h, n)| {
            let label = format!("{h:02}–{:02}", h + 1);
            (label.clone(), label, *n)
        })
        .collect();
    render_column(&th, t.by_hour(), &rows, 6, hours, frame);
    render_bottom(app, key_bar(&th, t, Bar::Tally), bottom, frame);
}

/// A titled column of "label  n ███" rows.
fn render_column(
    th: &Theme,
    title: &str,
    rows: &[(String, String, u32)],
    label_w: usize,
    area: Rect,
    frame: &mut Frame,
) {
    let max = rows.iter().map(|r| r.2).max().unwrap_or(0).max(1);
    let bar_room = (area.width as usize).saturating_sub(label_w + 6).min(10);
    let mut lines = vec![Line::styled(format!(" {title}"), th.title)];
    if rows.is_empty() {
        lines.push(Line::styled(" –", th.hint));
    }
    for (full, short, n) in rows {
        let bar = ((*n as usize * bar_room).div_ceil(max as usize)).max(1);
        lines.push(Line::from(vec![
            Span::raw(format!(
                " {:<label_w$} {n:>2} ",
                truncate(&clean(fitting(full, short, label_w)), label_w)
            )),
            Span::styled("█".repeat(bar), th.bar),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

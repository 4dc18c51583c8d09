//! The report view (`r`): the period, its key figures, bar charts of
//! topics, referrals and vouchers written, visitors per session as a
//! sparkline and an hour-of-day histogram. Laid out from the frame's size,
//! so it redraws on resize.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph, Sparkline};

use super::{Theme, key_bar, render_bottom};
use crate::app::{App, Duty, Panel, panel_heights, panel_window};
use crate::config::fitting;
use crate::i18n::{Texts, Word};
use crate::keys::{self, Bar as KeyBar};
use crate::locale;
use crate::locale::number;
use crate::report::period::PeriodKind;
use crate::report::{UNRECORDED, ranked};
use crate::text::{clean, truncate};

pub fn render(app: &App, d: &Duty, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let lang = app.lang;
    let Some(state) = &d.report else { return };
    let r = &state.report;
    // A line for head-counts and one for events and groups, when the
    // period has any.
    // (`ReportState::chrome` counts the same, for scrolling.)
    let events = state.events.events + state.events.groups > 0;
    let heads = state.head_counts > 0;
    let [head, body, bottom] = Layout::vertical([
        Constraint::Length(state.chrome() - 2),
        Constraint::Min(0),
        Constraint::Length(2),
    ])
    .areas(area);

    let p = &r.period;
    let span = format!(
        "{}–{}",
        locale::date(p.from, lang),
        locale::date(p.to, lang)
    );
    // The period first, then the profile's name, its short one when the
    // full one does not fit.
    let title = |name: &str| {
        if p.kind == PeriodKind::Custom {
            format!(" {} · {span} · {name}", t.word(Word::Report))
        } else {
            format!(
                " {} · {} ({span}) · {name}",
                t.word(Word::Report),
                t.period_name(p),
            )
        }
    };
    let full = title(d.profile.name(lang));
    let title = if full.chars().count() <= area.width as usize {
        full
    } else {
        title(d.profile.short_name(lang))
    };
    let figures = match (r.mean, r.median, r.min, r.max) {
        (Some(mean), Some(median), Some(min), Some(max)) => format!(
            " {} {} · {} {} · {} {} · {} {} · {} {min}–{max}",
            t.word(Word::Sessions),
            r.sessions,
            t.word(Word::Visitors),
            r.visitors,
            t.word(Word::MeanShort),
            locale::decimal(mean, lang),
            t.word(Word::MedianShort),
            number(median, lang),
            t.word(Word::Range),
        ),
        _ => format!(" {}", t.report_empty()),
    };
    let mut lines = vec![
        Line::styled(truncate(&title, area.width as usize), th.title),
        choices_line(&th, t, p.kind),
        Line::raw(truncate(&figures, area.width as usize)),
    ];
    if heads {
        let text = format!("   {}", t.head_counted(state.head_counts));
        lines.push(Line::raw(truncate(&text, area.width as usize)));
    }
    if events {
        let text = format!(" {}", t.event_totals(&state.events));
        lines.push(Line::raw(truncate(&text, area.width as usize)));
    }
    frame.render_widget(Paragraph::new(lines), head);

    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Min(0)]).areas(body);
    let r = &state.report;
    let lang = app.lang;
    let order: Vec<&str> = d.profile.topics.iter().map(|c| c.key.as_str()).collect();
    // Each row: its label, the short label for a narrow panel, the count.
    let topics: Vec<(String, String, u32)> = ranked(&r.topics, &order)
        .into_iter()
        .map(|(k, n)| {
            let p = &d.profile;
            (
                p.topic_label(k, lang).into(),
                p.topic_short(k, lang).into(),
                n,
            )
        })
        .collect();
    let order: Vec<&str> = d.profile.referrals.iter().map(|c| c.key.as_str()).collect();
    let referrals: Vec<(String, String, u32)> = ranked(&r.referrals, &order)
        .into_iter()
        .map(|(k, n)| {
            let p = &d.profile;
            (
                p.referral_label(k, lang).into(),
                p.referral_short(k, lang).into(),
                n,
            )
        })
        .collect();
    // Vouchers written in the period, by product, where there were any.
    let vouchers: Vec<(String, String, u32)> = match d.profile.voucher_settings() {
        Some(vc) => {
            let order: Vec<&str> = vc.products.iter().map(|p| p.key.as_str()).collect();
            ranked(&r.vouchers, &order)
                .into_iter()
                .map(|(k, n)| {
                    let label = vc.product_label(k, lang).to_string();
                    (label.clone(), label, n)
                })
                .collect()
        }
        None => ranked(&r.vouchers, &[])
            .into_iter()
            .map(|(k, n)| (k.to_string(), k.to_string(), n))
            .collect(),
    };
    // The profile's fields, each option as "Kieli: arabia", in the order of
    // the config, the most used first within a field.
    let fields: Vec<(String, String, u32)> = d
        .profile
        .fields
        .iter()
        .filter_map(|f| Some((f, r.fields.get(&f.key)?)))
        .flat_map(|(f, counts)| {
            let order: Vec<&str> = f.options.iter().map(|o| o.key.as_str()).collect();
            ranked(counts, &order)
                .into_iter()
                .map(|(k, n)| {
                    let unrecorded = t.word(Word::Unrecorded);
                    let (full, short) = match f.option(k) {
                        Some(o) => (o.label(lang), o.short_label(lang)),
                        None if k == UNRECORDED => (unrecorded, unrecorded),
                        None => (k, k),
                    };
                    let label = f.label(lang);
                    (format!("{label}: {full}"), format!("{label}: {short}"), n)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    // Topics, referrals and (where the profile issues them) vouchers share
    // the column; a panel that cannot show all its rows says how many more
    // there are and scrolls (Tab chooses the panel).
    let panels = state.panels(d);
    let rows: Vec<usize> = panels.iter().map(|p| p.1).collect();
    let heights = panel_heights(left.height, &rows);
    let areas = Layout::vertical(heights.iter().map(|h| Constraint::Length(*h))).split(left);
    for ((panel, _), area) in panels.iter().zip(areas.iter()) {
        let (title, rows) = match panel {
            Panel::Topics => (t.word(Word::Topics), &topics),
            Panel::Referrals => (t.word(Word::Referrals), &referrals),
            Panel::Vouchers => (t.word(Word::Vouchers), &vouchers),
            Panel::Fields => (t.word(Word::OtherFields), &fields),
        };
        let bars = Bars {
            title,
            rows,
            offset: state.offset(*panel),
            focused: state.panel == *panel,
        };
        render_bars(&th, t, &bars, *area, frame);
    }
    let [spark, hours] = Layout::vertical([Constraint::Length(6), Constraint::Min(0)]).areas(right);
    render_sessions(app, d, spark, frame);
    render_hours(app, d, hours, frame);

    render_bottom(app, key_bar(&th, t, KeyBar::Report), bottom, frame);
    if let Some(input) = &state.input {
        let [prompt, _] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(bottom);
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(format!(" {}", t.report_custom_prompt()), th.editing),
                Span::raw(format!("{}▏", clean(input))),
            ])),
            prompt,
        );
    }
}

/// The period keys from the key table (`w viikko · m kuukausi · …`), the
/// current kind's marked.
fn choices_line(th: &Theme, t: &dyn Texts, current: PeriodKind) -> Line<'static> {
    const KINDS: [PeriodKind; 5] = [
        PeriodKind::Week,
        PeriodKind::Month,
        PeriodKind::Season,
        PeriodKind::Year,
        PeriodKind::Custom,
    ];
    let mut spans = vec![Span::raw(" ")];
    for (i, (cmd, kind)) in keys::PERIODS.into_iter().zip(KINDS).enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", th.hint));
        }
        let style = if kind == current {
            th.selected
        } else {
            th.hint
        };
        let label = keys::REPORT
            .iter()
            .find(|k| k.cmd == cmd)
            .map_or("", |k| k.label);
        spans.push(Span::styled(
            format!("{label} {}", t.key_hint(KeyBar::Report, cmd)),
            style,
        ));
    }
    Line::from(spans)
}

/// A panel of bars: its rows, how far it is scrolled, whether it has Tab's
/// focus.
struct Bars<'a> {
    title: &'a str,
    rows: &'a [(String, String, u32)],
    offset: usize,
    focused: bool,
}

/// A titled box of "label  n ████" rows, longest bar for the largest; when
/// the rows do not fit, the last line says how many more there are.
fn render_bars(th: &Theme, t: &dyn Texts, b: &Bars, area: Rect, frame: &mut Frame) {
    let mut block = Block::bordered().title(format!(" {} ", b.title));
    if b.focused {
        block = block.border_style(th.title);
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = b.rows;
    if rows.is_empty() {
        frame.render_widget(Paragraph::new(Line::styled(" –", th.hint)), inner);
        return;
    }
    let width = inner.width as usize;
    let label_w = (width * 3 / 5).saturating_sub(1);
    let bar_room = width.saturating_sub(label_w + 6);
    let max = rows.iter().map(|r| r.2).max().unwrap_or(1).max(1) as usize;
    let (shown, furthest) = panel_window(area.height, rows.len());
    let offset = b.offset.min(furthest);
    let mut lines: Vec<Line> = rows
        .iter()
        .skip(offset)
        .take(shown)
        .map(|(full, short, n)| {
            let label = truncate(&clean(fitting(full, short, label_w)), label_w);
            let bar = (*n as usize * bar_room).div_ceil(max).max(1);
            Line::from(vec![
                Span::raw(format!(" {label:<label_w$} {n:>3} ")),
                Span::styled("█".repeat(bar), th.bar),
            ])
        })
        .collect();
    if furthest > 0 && (inner.height as usize) > shown {
        let below = rows.len() - offset - shown;
        let more = if below > 0 {
            t.more_rows(below)
        } else {
            t.rows_above(offset)
        };
        lines.push(Line::styled(format!(" {more}"), th.hint));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Visitors per session as a sparkline, the first and the last session's
/// dates on its bottom border, so the line has a time axis.
fn render_sessions(app: &App, d: &Duty, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let r = &d.report.as_ref().expect("checked by render").report;
    let mut block = Block::bordered().title(format!(
        " {} ({}) ",
        t.word(Word::PerSession),
        r.per_session.len()
    ));
    if let (Some(first), Some(last)) = (r.per_session.first(), r.per_session.last()) {
        block = block.title_bottom(
            Line::from(format!(" {} ", locale::date(first.0, app.lang))).left_aligned(),
        );
        if last.0 != first.0 {
            block = block.title_bottom(
                Line::from(format!(" {} ", locale::date(last.0, app.lang))).right_aligned(),
            );
        }
    }
    let inner = block.inner(area);
    let values: Vec<u64> = squeeze(
        &r.per_session
            .iter()
            .map(|p| u64::from(p.1))
            .collect::<Vec<_>>(),
        inner.width as usize,
    );
    frame.render_widget(
        Sparkline::default()
            .block(block)
            .data(&values)
            .style(th.bar),
        area,
    );
}

/// At most `width` values: when there are more sessions than columns,
/// each column shows the largest of the sessions it stands for.
fn squeeze(values: &[u64], width: usize) -> Vec<u64> {
    let n = values.len();
    if n <= width || width == 0 {
        return values.to_vec();
    }
    (0..width)
        .map(|i| {
            let (a, b) = (i * n / width, ((i + 1) * n / width).max(i * n / width + 1));
            values[a..b].iter().copied().max().unwrap_or(0)
        })
        .collect()
}

/// Visits by hour of the day. The bars are labelled `10–11` where there is
/// room; else by the starting hour (`10`), which the title then says.
fn render_hours(app: &App, d: &Duty, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let r = &d.report.as_ref().expect("checked by render").report;
    let inner_w = area.width.saturating_sub(2);
    let count = match (r.hours.keys().next(), r.hours.keys().last()) {
        (Some(a), Some(b)) => (b - a + 1).min(24) as u16,
        _ => 0,
    };
    let spans = count * 6 <= inner_w;
    let title = if spans || count == 0 {
        format!(" {} ", t.word(Word::Hours))
    } else {
        format!(" {} ({}) ", t.word(Word::Hours), t.word(Word::HourStarting))
    };
    let block = Block::bordered().title(title);
    let (Some(first), Some(last)) = (r.hours.keys().next(), r.hours.keys().last()) else {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(Paragraph::new(Line::styled(" –", th.hint)), inner);
        return;
    };
    let bars: Vec<Bar> = (*first..=*last)
        .map(|h| {
            Bar::default()
                .value(u64::from(r.hours.get(&h).copied().unwrap_or(0)))
                .label(Line::from(if spans {
                    format!("{h}–{}", h + 1)
                } else {
                    format!("{h}")
                }))
        })
        .collect();
    let bar_width = if spans {
        5
    } else if count * 3 <= inner_w {
        2
    } else {
        1
    };
    frame.render_widget(
        BarChart::default()
            .block(block)
            .data(BarGroup::default().bars(&bars))
            .bar_width(bar_width)
            .bar_gap(1)
            .bar_style(th.bar),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_sessions_squeeze_into_the_columns_keeping_peaks() {
        assert_eq!(squeeze(&[1, 2, 3], 5), [1, 2, 3]);
        assert_eq!(squeeze(&[1, 9, 2, 3, 4, 1], 3), [9, 3, 4]);
    }
}

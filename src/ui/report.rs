//! The report view (`r`): the period, its key figures, bar charts of
//! topics, referrals and vouchers written, visitors per session as a
//! sparkline and an hour-of-day histogram. Laid out from the frame's size,
//! so it redraws on resize.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Sparkline};

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
    // A line for head-counts and the events' totals (wrapped at a comma
    // when they do not fit), when the period has any.
    // (`ReportState::chrome` counts the same, for scrolling.)
    let events = state.events_lines(t, area.width);
    let heads = state.events.head_counts > 0;
    let [head, body, bottom] = Layout::vertical([
        Constraint::Length(state.chrome(t, area.width) - 2),
        Constraint::Min(0),
        Constraint::Length(super::bottom_rows(app, area.width)),
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
        let text = format!("   {}", t.head_counted(state.events.head_counts));
        lines.push(Line::raw(truncate(&text, area.width as usize)));
    }
    lines.extend(events.into_iter().map(Line::raw));
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
    // One label column for all the panels, as wide as their longest label
    // (its short form where the full one does not fit) up to what leaves
    // the bars a quarter of the panel, so "Asiakasryhmä: asiakas itse" is
    // read whole at 80 columns and the bars of every panel start in the
    // same column.
    let inner_w = left.width.saturating_sub(2) as usize;
    let most = inner_w.saturating_sub(6 + (inner_w / 4).max(8));
    let label_w = [&topics, &referrals, &vouchers, &fields]
        .iter()
        .flat_map(|rows| rows.iter())
        .map(|(full, short, _)| fitting(full, short, most).chars().count())
        .max()
        .unwrap_or(0)
        .min(most);
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
            label_w,
        };
        render_bars(&th, t, &bars, *area, frame);
    }
    let [spark, hours] = Layout::vertical([Constraint::Length(6), Constraint::Min(0)]).areas(right);
    render_sessions(app, d, spark, frame);
    render_hours(app, d, hours, frame);

    let Some(input) = &state.input else {
        render_bottom(app, key_bar(&th, t, KeyBar::Report), bottom, frame);
        return;
    };
    {
        // The prompt has the two bottom rows to itself: nothing of a status
        // message drawn before shows through after the typed value.
        let [prompt, keys] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(bottom);
        let year = chrono::Datelike::year(&app.now.date());
        let label = format!(" {}", t.report_custom_prompt(year));
        let look = super::field::Look {
            focused: true,
            masked: false,
            room: (prompt.width as usize).saturating_sub(label.chars().count()),
        };
        let mut line = vec![Span::styled(label, th.editing)];
        line.extend(super::field::spans(&th, input, look));
        frame.render_widget(Paragraph::new(Line::from(line)), prompt);
        // A period refused is said under the prompt, which stays open.
        let under = match app.status.as_ref().filter(|s| s.error) {
            Some(s) => Line::styled(format!(" {}", s.text), th.error),
            None => Line::styled(format!(" {}", t.report_custom_keys()), th.hint),
        };
        frame.render_widget(Paragraph::new(under), keys);
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
    label_w: usize,
}

/// A titled box of "label  n ████" rows, longest bar for the largest; when
/// the rows do not fit, the last line says how many more there are, and
/// the top border how many are scrolled past above.
fn render_bars(th: &Theme, t: &dyn Texts, b: &Bars, area: Rect, frame: &mut Frame) {
    let rows = b.rows;
    let (shown, furthest) = panel_window(area.height, rows.len());
    let offset = b.offset.min(furthest);
    let mut block = Block::bordered().title(format!(" {} ", b.title));
    if offset > 0 && offset < furthest {
        block = block
            .title(Line::styled(format!(" {} ", t.rows_above(offset)), th.hint).right_aligned());
    }
    if b.focused {
        block = block.border_style(th.title);
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if rows.is_empty() {
        frame.render_widget(Paragraph::new(Line::styled(" –", th.hint)), inner);
        return;
    }
    let width = inner.width as usize;
    let label_w = b.label_w;
    let bar_room = width.saturating_sub(label_w + 6);
    let max = rows.iter().map(|r| r.2).max().unwrap_or(1).max(1) as usize;
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
/// dates on its bottom border under the first and the last bar, so the
/// line has a time axis.
fn render_sessions(app: &App, d: &Duty, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let r = &d.report.as_ref().expect("checked by render").report;
    let block = Block::bordered().title(format!(
        " {} ({}) ",
        t.word(Word::PerSession),
        r.per_session.len()
    ));
    let inner = block.inner(area);
    let first = r.per_session.first().map(|p| locale::date(p.0, app.lang));
    let last = r.per_session.last().map(|p| locale::date(p.0, app.lang));
    // Room for both dates on the border when the sessions are not one day.
    let labels = match (&first, &last) {
        (Some(a), Some(b)) if a != b => a.chars().count() + b.chars().count() + 3,
        _ => 0,
    };
    let values: Vec<u64> = r.per_session.iter().map(|p| u64::from(p.1)).collect();
    let values = spread(&values, inner.width as usize, labels);
    frame.render_widget(
        Sparkline::default()
            .block(block)
            .data(&values)
            .style(th.bar),
        area,
    );
    // The first date starts under the first bar, the last ends under the
    // last one.
    let y = area.bottom().saturating_sub(1);
    let buf = frame.buffer_mut();
    if let Some(first) = &first {
        buf.set_stringn(
            inner.x,
            y,
            format!("{first} "),
            inner.width as usize,
            th.hint,
        );
    }
    if let (Some(first), Some(last)) = (&first, &last)
        && first != last
    {
        let end = inner.x + values.len() as u16;
        let x = end.saturating_sub(last.chars().count() as u16);
        let tail = if end < inner.right() { " " } else { "" };
        buf.set_string(x.saturating_sub(1), y, format!(" {last}{tail}"), th.hint);
    }
}

/// The sessions' values laid over at most `width` columns, each session
/// as many columns as the others: up to 3 where they fit, more where the
/// two dates under the bars (`labels` columns) need them, and when that
/// is wider than the panel, stretched over all of it. With more sessions
/// than columns each column is the largest of the sessions it stands for.
fn spread(values: &[u64], width: usize, labels: usize) -> Vec<u64> {
    let n = values.len();
    if n == 0 || width == 0 {
        return Vec::new();
    }
    if n >= width {
        return squeeze(values, width);
    }
    let each = (width / n).min(3).max(labels.div_ceil(n));
    if n * each <= width {
        return values.iter().flat_map(|v| [*v].repeat(each)).collect();
    }
    (0..width).map(|c| values[c * n / width]).collect()
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

/// Visits by hour of the day, a row an hour as the day tally draws them:
/// `10–11   8 ████`, the count beside its bar, every hour from the first
/// to the last visit's. When they do not all fit, the hours without
/// visits go first, then the last line says how many more there are.
fn render_hours(app: &App, d: &Duty, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let r = &d.report.as_ref().expect("checked by render").report;
    let block = Block::bordered().title(format!(" {} ", t.word(Word::Hours)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (Some(first), Some(last)) = (r.hours.keys().next(), r.hours.keys().last()) else {
        frame.render_widget(Paragraph::new(Line::styled(" –", th.hint)), inner);
        return;
    };
    let mut hours: Vec<(u32, u32)> = (*first..=*last)
        .map(|h| (h, r.hours.get(&h).copied().unwrap_or(0)))
        .collect();
    let height = inner.height as usize;
    if hours.len() > height {
        hours.retain(|h| h.1 > 0);
    }
    let hidden = hours.len().saturating_sub(height);
    if hidden > 0 {
        hours.truncate(height.saturating_sub(1));
    }
    let hidden = hidden + usize::from(hidden > 0);
    let max = hours.iter().map(|h| h.1).max().unwrap_or(1).max(1) as usize;
    let digits = max.to_string().len().max(2);
    let bar_room = (inner.width as usize).saturating_sub(1 + 5 + 1 + digits + 1 + 1);
    let mut lines: Vec<Line> = hours
        .iter()
        .map(|&(h, n)| {
            let bar = (n as usize * bar_room).div_ceil(max);
            Line::from(vec![
                Span::raw(format!(" {h:02}–{:02} {n:>digits$} ", h + 1)),
                Span::styled("█".repeat(bar), th.bar),
            ])
        })
        .collect();
    if hidden > 0 {
        lines.push(Line::styled(format!(" {}", t.more_rows(hidden)), th.hint));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_sessions_squeeze_into_the_columns_keeping_peaks() {
        assert_eq!(squeeze(&[1, 2, 3], 5), [1, 2, 3]);
        assert_eq!(squeeze(&[1, 9, 2, 3, 4, 1], 3), [9, 3, 4]);
    }

    #[test]
    fn few_sessions_spread_evenly_or_over_the_width() {
        // 3 sessions in 30 columns: 3 each, enough for 8 columns of dates.
        assert_eq!(spread(&[1, 2, 3], 30, 8), [1, 1, 1, 2, 2, 2, 3, 3, 3]);
        // 20 columns of dates: 7 each, so the dates stand under the bars.
        assert_eq!(spread(&[1, 2, 3], 30, 20).len(), 21);
        // Too few columns for the dates: stretched over all 10.
        assert_eq!(spread(&[1, 2, 3], 10, 12).len(), 10);
        assert_eq!(spread(&[1, 2, 3], 10, 12)[9], 3);
        // One session: a bar 3 columns wide, not a block over the panel.
        assert_eq!(spread(&[4], 30, 0), [4, 4, 4]);
        assert_eq!(spread(&[], 10, 0), Vec::<u64>::new());
    }
}

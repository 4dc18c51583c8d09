//! Voucher screens: the header line, the issue form, the notice with the
//! number in large type, and the register with its dialogs.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Theme, key_bar, popup, render_bottom};
use crate::app::{App, Dialog, Duty, FormField, IssuedNotice, VoucherForm, filter_label};
use crate::keys::{Bar, Cmd};
use crate::locale;
use crate::text::input::TextInput;
use crate::text::{clean, truncate};
use crate::voucher::identity::{normalize_name, parse_birth_date};
use crate::voucher::summary::SeasonSummary;

/// The duty header's voucher line: the season's count and the keys.
pub fn header_line(app: &App, d: &Duty) -> Option<Line<'static>> {
    let th = Theme::of(app.look);
    let cfg = d.profile.voucher_settings()?;
    let season = d.vouchers.season?;
    let t = app.texts();
    Some(Line::from(vec![
        Span::raw(" "),
        Span::styled(
            t.voucher_header(&season.label(cfg), d.vouchers.in_force),
            th.title,
        ),
        Span::styled(format!("   {}", t.voucher_header_keys()), th.hint),
    ]))
}

pub fn render_form(app: &App, d: &Duty, f: &VoucherForm, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let lang = app.lang;
    let Some(cfg) = d.profile.voucher_settings() else {
        return;
    };
    let products: Vec<_> = cfg.active_products().collect();
    let warnings = app.voucher_warnings(f.birth_year.value());
    // Each earlier voucher of a duplicate on a line of its own.
    let earlier: Vec<&str> = f
        .duplicates
        .as_deref()
        .map(|d| d.split("), ").collect())
        .unwrap_or_default();
    // The name shown (`*`): what the check compares, on a line of its own.
    let compared = compared(app, f);
    let height = products.len() as u16
        + 11
        + warnings.len() as u16
        + earlier.len() as u16
        + u16::from(compared.is_some());
    let inner = popup(&th, frame, area, 66, height, t.voucher_form_title());
    let width = inner.width as usize;
    let marker = |field: FormField| {
        if f.field == field {
            Span::styled("› ", th.key)
        } else {
            Span::raw("  ")
        }
    };
    let mut lines = vec![Line::from(vec![
        marker(FormField::Product),
        Span::styled(format!("{}:", t.voucher_product()), th.title),
    ])];
    for (i, p) in products.iter().enumerate() {
        let max = t.voucher_max(&crate::i18n::texts(lang).money(p.max_sum));
        let label_w = width.saturating_sub(10 + max.chars().count());
        let on = f.product == Some(i);
        lines.push(Line::from(vec![
            Span::styled(format!("   {} ", i + 1), th.key),
            // One product per voucher.
            th.mark(false, on),
            Span::raw(format!(
                "{:<label_w$} ",
                truncate(&clean(p.label(lang)), label_w)
            )),
            Span::styled(max, th.hint),
        ]));
    }
    // In Tab's order: the birth date (which gives the year), the name,
    // and the birth year; the first two are the duplicate check's. Its
    // key is named where it works: not in its own fields.
    let check_key = matches!(f.field, FormField::Product | FormField::BirthYear);
    lines.push(Line::from(vec![
        Span::raw("  "),
        Span::styled(if check_key { "d " } else { "  " }, th.key),
        Span::raw(t.voucher_dup_check()),
    ]));
    let row = |field: FormField, indent: &str, label: &str, masked: bool| {
        let Some(input) = f.input(field) else {
            return Line::raw("");
        };
        let head = format!("{indent}{label}: ");
        let look = super::field::Look {
            focused: f.field == field,
            masked,
            room: width.saturating_sub(2 + head.chars().count()),
        };
        let mut spans = vec![marker(field), Span::raw(head)];
        spans.extend(super::field::spans(&th, input, look));
        Line::from(spans)
    };
    lines.push(row(
        FormField::BirthDate,
        "    ",
        t.voucher_birth_date(),
        false,
    ));
    // The name is masked unless shown with `*`: someone else at the desk
    // may see the screen.
    lines.push(row(FormField::Name, "    ", t.voucher_name(), !f.show_name));
    if let Some(c) = compared {
        lines.push(Line::styled(truncate(&c, width), th.hint));
    }
    lines.push(row(FormField::BirthYear, "", t.voucher_birth_year(), false));
    lines.push(Line::raw(""));
    for w in &warnings {
        lines.push(Line::styled(truncate(w, width), th.editing));
    }
    if f.duplicates.is_some() {
        lines.push(Line::styled(
            truncate(t.voucher_duplicate("").trim_end(), width),
            th.error,
        ));
        let n = earlier.len();
        for (i, e) in earlier.iter().enumerate() {
            let e = if i + 1 < n {
                format!("{e})")
            } else {
                e.to_string()
            };
            lines.push(Line::styled(
                truncate(&format!("  {}", clean(&e)), width),
                th.error,
            ));
        }
        lines.push(Line::styled(t.voucher_duplicate_keys(), th.key));
    } else if let Some(e) = &f.error {
        lines.push(Line::styled(truncate(e, width), th.error));
    } else {
        lines.push(Line::raw(""));
    }
    // On a duplicate its own keys are the one hint line; else the keys
    // that work in the field the cursor is in, from the key table.
    if f.duplicates.is_none() {
        let works = |cmd: Cmd| match cmd {
            Cmd::CheckIdentity => check_key,
            Cmd::ShowName => f.field == FormField::Name,
            _ => true,
        };
        lines.push(super::key_bar_where(&th, t, Bar::VoucherForm, works));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// What the duplicate check compares, once the name is shown (`*`): the
/// name as normalised (`aino virtanen`) and the birth date as read.
fn compared(app: &App, f: &VoucherForm) -> Option<String> {
    if !f.show_name || f.name.is_empty() {
        return None;
    }
    let name = normalize_name(f.name.value());
    let date = parse_birth_date(f.birth_date.value())
        .map_or_else(|| "–".to_string(), |d| locale::date(d, app.lang));
    Some(format!(
        "      {}",
        app.texts().voucher_compared(&clean(&name), &date)
    ))
}

pub fn render_notice(app: &App, n: &IssuedNotice, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let big = big_text(&n.number);
    let height = big.len() as u16 + 6 + n.warnings.len() as u16;
    let inner = popup(&th, frame, area, 70, height, t.voucher_issued_title());
    let mut lines: Vec<Line> = vec![Line::raw("")];
    let pad =
        (inner.width as usize).saturating_sub(big.first().map_or(0, |r| r.chars().count())) / 2;
    for row in big {
        lines.push(Line::styled(
            format!("{}{row}", " ".repeat(pad)),
            th.checked,
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            " {}",
            t.voucher_issued(&n.number, &locale::date(n.valid_until, app.lang))
        ),
        th.title,
    ));
    for w in &n.warnings {
        lines.push(Line::styled(format!(" {w}"), th.editing));
    }
    lines.push(Line::styled(
        format!(" {}", t.voucher_issued_footer()),
        th.hint,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn render_register(app: &App, d: &Duty, area: Rect, frame: &mut Frame) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let lang = app.lang;
    let today = app.now.date();
    let (Some(cfg), Some(r)) = (d.profile.voucher_settings(), d.vouchers.register.as_ref()) else {
        return;
    };
    let [head, body, bottom] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Min(0),
        Constraint::Length(super::bottom_rows(app, area.width)),
    ])
    .areas(area);
    let title = format!(
        " {}",
        t.register_title(&r.season.label(cfg), &clean(d.profile.name(lang)))
    );
    let cols = t.register_columns();
    // The product column takes what the window has beyond 80 columns.
    let pw = 21 + (area.width as usize).saturating_sub(80).min(30);
    let header = format!(
        " {:<12} {:<pw$} {:<10} {:<13} {:<11} {:>7}",
        cols[0], cols[1], cols[2], cols[3], cols[4], cols[5]
    );
    let width = area.width as usize;
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(truncate(&title, width), th.title),
            Line::raw(truncate(
                &format!(" {}", t.register_counts(&r.totals)),
                width,
            )),
            Line::from(vec![
                Span::styled(
                    format!(" {}   ", t.register_filter(filter_label(t, r.filter))),
                    th.hint,
                ),
                Span::raw(t.invoiced(&crate::i18n::texts(lang).money(r.totals.invoiced))),
                // The search, with a cursor while it is typed.
                if r.searching || !r.search.is_empty() {
                    Span::styled(
                        format!(
                            "   {}",
                            t.register_search(&super::field::text(&r.search, r.searching))
                        ),
                        if r.searching { th.editing } else { th.title },
                    )
                } else {
                    Span::raw("")
                },
            ]),
            if r.summary.is_some() {
                Line::raw("")
            } else {
                Line::styled(truncate(&header, width), th.title)
            },
        ]),
        head,
    );
    if let Some(s) = &r.summary {
        render_summary(app, cfg, s, body, frame);
        render_bottom(app, key_bar(&th, t, Bar::Summary), bottom, frame);
        return;
    }
    let shown = r.shown(today);
    if shown.is_empty() {
        // Say why: no voucher this season, none with this status, or none
        // the search finds.
        let why = if r.vouchers.is_empty() {
            t.register_empty().to_string()
        } else if !r.search.is_empty() {
            t.register_no_match(&clean(r.search.value().trim()))
        } else if let Some(status) = r.filter {
            t.register_none_with(status).to_string()
        } else {
            t.register_empty().to_string()
        };
        frame.render_widget(
            Paragraph::new(Line::styled(format!(" {why}"), th.hint)),
            body,
        );
    }
    let date = |d| locale::date(d, lang);
    // Only the rows in the window are built: a big city's season holds
    // thousands of vouchers.
    let offset = (r.selected + 1).saturating_sub(body.height as usize);
    let lines: Vec<Line> = shown
        .iter()
        .enumerate()
        .skip(offset)
        .take(body.height as usize)
        .map(|(i, v)| {
            let status = v.status(today);
            let amount = v
                .used_amount
                .map(|a| crate::i18n::texts(lang).money(a))
                .unwrap_or_default();
            let text = format!(
                " {:<12} {:<pw$} {:<10} {:<13} {:<11} {:>7}",
                v.number,
                truncate(&clean(cfg.product_label(&v.product, lang)), pw),
                date(v.issued_on()),
                date(v.valid_until),
                t.status_label(status),
                amount
            );
            let style = if i == r.selected {
                th.selected
            } else {
                Style::default()
            };
            // Only the highlighted row needs padding to show its bar.
            let text = truncate(&text, width);
            if i == r.selected {
                Line::styled(format!("{text:<width$}"), style)
            } else {
                Line::styled(text, style)
            }
        })
        .collect();
    super::draw_lines(frame, body, &lines, 0);
    render_bottom(app, key_bar(&th, t, Bar::Register), bottom, frame);
    if let Some(dialog) = &r.dialog {
        render_dialog(app, r, dialog, area, frame);
    }
}

/// The season summary in two columns: counts and comparisons on the
/// left, vouchers per week on the right.
fn render_summary(
    app: &App,
    cfg: &crate::voucher::VoucherConfig,
    s: &SeasonSummary,
    area: Rect,
    frame: &mut Frame,
) {
    let th = Theme::of(app.look);
    let t = app.texts();
    let lang = app.lang;
    // Each count column as wide as its heading (`mität.`), at least 4.
    let c = t.summary_columns();
    let w: Vec<usize> = c.iter().map(|h| h.chars().count().max(4)).collect();
    let w4 = w[4].max(9);
    let label_w = 19;
    let left_w = 1 + label_w + w[..4].iter().map(|n| n + 1).sum::<usize>() + 1 + w4;
    let [left, right] =
        Layout::horizontal([Constraint::Length(left_w as u16), Constraint::Min(0)]).areas(area);
    let mut lines = vec![Line::styled(format!(" {}", t.by_product()), th.title)];
    lines.push(Line::styled(
        format!(
            " {:<label_w$} {:>w0$} {:>w1$} {:>w2$} {:>w3$} {:>w4$}",
            "",
            c[0],
            c[1],
            c[2],
            c[3],
            c[4],
            w0 = w[0],
            w1 = w[1],
            w2 = w[2],
            w3 = w[3],
        ),
        th.hint,
    ));
    let row = |label: &str, n: &crate::voucher::summary::Counts| {
        format!(
            " {:<label_w$} {:>w0$} {:>w1$} {:>w2$} {:>w3$} {:>w4$}",
            truncate(&clean(label), label_w),
            n.issued,
            n.used,
            n.cancelled,
            n.expired,
            crate::i18n::texts(lang).money(n.invoiced),
            w0 = w[0],
            w1 = w[1],
            w2 = w[2],
            w3 = w[3],
        )
    };
    for p in &cfg.products {
        if let Some(n) = s.products.get(&p.key) {
            lines.push(Line::raw(row(p.label(lang), n)));
        }
    }
    lines.push(Line::styled(row(t.total(), &s.total), th.title));
    for (title, rows) in [
        (t.earlier_seasons(), &s.earlier_seasons),
        (t.before_tiski(), &s.before_tiski),
    ] {
        if rows.is_empty() {
            continue;
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(format!(" {title}"), th.title));
        // What the figure was goes on to further lines, not out of sight.
        const LEAD: usize = 18;
        let room = (left.width as usize).saturating_sub(LEAD).max(8);
        for e in rows {
            let what = crate::text::wrap(&clean(&e.what), room, "");
            for (i, part) in what.into_iter().enumerate() {
                let line = if i == 0 {
                    format!(
                        " {:<10} {:>4}  {part}",
                        locale::years_span(&e.season),
                        e.count
                    )
                } else {
                    format!("{}{part}", " ".repeat(LEAD))
                };
                lines.push(Line::raw(truncate(&line, left.width as usize)));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), left);
    let max = s.weeks.values().copied().max().unwrap_or(1).max(1) as usize;
    let mut weeks = vec![Line::styled(
        truncate(&format!(" {}", t.by_week()), right.width as usize),
        th.title,
    )];
    let labels: Vec<String> = s.weeks.keys().map(|w| locale::week_key(w, lang)).collect();
    let label_w = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let room = (right.width as usize)
        .saturating_sub(label_w + 6)
        .clamp(1, 12);
    for (label, n) in labels.iter().zip(s.weeks.values()) {
        let bar = (*n as usize * room).div_ceil(max).max(1);
        weeks.push(Line::from(vec![
            Span::raw(format!(" {label:<label_w$} {n:>3} ")),
            Span::styled("█".repeat(bar), th.bar),
        ]));
    }
    if s.weeks.is_empty() {
        weeks.push(Line::styled(" –", th.hint));
    }
    frame.render_widget(Paragraph::new(weeks), right);
}

fn render_dialog(
    app: &App,
    r: &crate::app::Register,
    dialog: &Dialog,
    area: Rect,
    frame: &mut Frame,
) {
    let th = Theme::of(app.look);
    let t = app.texts();
    // The dialog is 72 wide: 70 inside, the marker and a space before each.
    const ROOM: usize = 68;
    let field = |label: &str, input: &TextInput, on: bool| {
        let head = format!("{label}: ");
        let look = super::field::Look {
            focused: on,
            masked: false,
            room: ROOM.saturating_sub(head.chars().count()),
        };
        let mut spans = vec![
            if on {
                Span::styled("› ", th.key)
            } else {
                Span::raw("  ")
            },
            Span::raw(head),
        ];
        spans.extend(super::field::spans(&th, input, look));
        Line::from(spans)
    };
    let (title, mut lines) = match dialog {
        Dialog::Use {
            number,
            amount,
            date,
            shop,
            field: at,
        } => {
            let max = r
                .vouchers
                .iter()
                .find(|v| &v.number == number)
                .map(|v| crate::i18n::texts(app.lang).money(v.max_sum))
                .unwrap_or_default();
            (
                t.use_title(number),
                vec![
                    field(&t.use_amount(&max), amount, *at == 0),
                    field(t.use_date(), date, *at == 1),
                    field(t.use_shop(), shop, *at == 2),
                ],
            )
        }
        Dialog::Cancel { number, reason } => (
            t.cancel_title(number),
            vec![field(t.cancel_reason(), reason, true)],
        ),
        Dialog::Print {
            number,
            name,
            issuer,
            place,
            field: at,
            printer,
            copy,
        } => (
            t.print_title(number),
            vec![
                Line::styled(t.print_where(*printer, *copy), th.hint),
                Line::styled(t.print_name(), th.hint),
                field(t.print_recipient(), name, *at == 0),
                field(t.print_issuer(), issuer, *at == 1),
                field(t.print_place(), place, *at == 2),
            ],
        ),
        Dialog::ConfirmCopy { number, status, .. } => {
            let text = t.print_copy_question(number, *status);
            super::question(&th, t, frame, area, 70, &text);
            return;
        }
    };
    lines.push(Line::raw(""));
    if let Some(s) = app.status.as_ref().filter(|s| s.error) {
        lines.push(Line::styled(s.text.clone(), th.error));
    }
    // The dialog's keys from the key table; Enter says what it does here.
    let save = match dialog {
        Dialog::Print { .. } => t.print_verb(),
        Dialog::Cancel { .. } => t.cancel_verb(),
        _ => t.key_hint(Bar::Dialog, Cmd::Save),
    };
    let single = matches!(dialog, Dialog::Cancel { .. });
    let bar = super::key_bar_words(&th, Bar::Dialog, |cmd| match cmd {
        Cmd::Save => Some(save),
        Cmd::Field if single => None,
        cmd => Some(t.key_hint(Bar::Dialog, cmd)),
    });
    lines.push(bar);
    let height = lines.len() as u16 + 4;
    let inner = popup(&th, frame, area, 72, height, &title);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// The number in 3×5 block letters, one string per row.
pub fn big_text(s: &str) -> Vec<String> {
    let mut rows = vec![String::new(); 5];
    for (i, c) in s.chars().enumerate() {
        let glyph = glyph(c.to_ascii_uppercase());
        for (row, bits) in rows.iter_mut().zip(glyph) {
            if i > 0 {
                row.push(' ');
            }
            row.extend(bits.chars().map(|b| if b == '#' { '█' } else { ' ' }));
        }
    }
    rows
}

fn glyph(c: char) -> [&'static str; 5] {
    match c {
        '0' => ["###", "# #", "# #", "# #", "###"],
        '1' => [" # ", "## ", " # ", " # ", "###"],
        '2' => ["###", "  #", "###", "#  ", "###"],
        '3' => ["###", "  #", "###", "  #", "###"],
        '4' => ["# #", "# #", "###", "  #", "  #"],
        '5' => ["###", "#  ", "###", "  #", "###"],
        '6' => ["###", "#  ", "###", "# #", "###"],
        '7' => ["###", "  #", "  #", "  #", "  #"],
        '8' => ["###", "# #", "###", "# #", "###"],
        '9' => ["###", "# #", "###", "  #", "###"],
        '-' => ["   ", "   ", "###", "   ", "   "],
        'A' => ["###", "# #", "###", "# #", "# #"],
        'B' => ["## ", "# #", "## ", "# #", "## "],
        'C' => ["###", "#  ", "#  ", "#  ", "###"],
        'D' => ["## ", "# #", "# #", "# #", "## "],
        'E' => ["###", "#  ", "## ", "#  ", "###"],
        'F' => ["###", "#  ", "## ", "#  ", "#  "],
        'G' => ["###", "#  ", "# #", "# #", "###"],
        'H' => ["# #", "# #", "###", "# #", "# #"],
        'I' => ["###", " # ", " # ", " # ", "###"],
        'J' => ["  #", "  #", "  #", "# #", "###"],
        'K' => ["# #", "# #", "## ", "# #", "# #"],
        'L' => ["#  ", "#  ", "#  ", "#  ", "###"],
        'M' => ["# #", "###", "###", "# #", "# #"],
        'N' => ["## ", "# #", "# #", "# #", "# #"],
        'O' => ["###", "# #", "# #", "# #", "###"],
        'P' => ["###", "# #", "###", "#  ", "#  "],
        'Q' => ["###", "# #", "# #", "###", "  #"],
        'R' => ["## ", "# #", "## ", "# #", "# #"],
        'S' => ["###", "#  ", "###", "  #", "###"],
        'T' => ["###", " # ", " # ", " # ", " # "],
        'U' => ["# #", "# #", "# #", "# #", "###"],
        'V' => ["# #", "# #", "# #", "# #", " # "],
        'W' => ["# #", "# #", "###", "###", "# #"],
        'X' => ["# #", "# #", " # ", "# #", "# #"],
        'Y' => ["# #", "# #", " # ", " # ", " # "],
        'Z' => ["###", "  #", " # ", "#  ", "###"],
        _ => ["   ", "   ", "   ", "   ", "   "],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_text_draws_each_character_three_wide() {
        let rows = big_text("LE-1");
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[0], "█   ███      █ ");
        assert_eq!(rows[2], "█   ██  ███  █ ");
        assert!(rows.iter().all(|r| r.chars().count() == 15));
    }
}

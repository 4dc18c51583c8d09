//! The report as an Excel workbook (rust_xlsxwriter), where the writer
//! checks the figures: the key figures with the report's opening
//! sentences; each breakdown as an Excel table (topics, referrals, the
//! profile's fields, vouchers, weekdays and hours, places); visitors per
//! session; events, groups and feedback. Numbers are numbers, dates dates
//! and times times, so Finnish Excel guesses nothing; topics, referrals,
//! visitors per session and hours get native charts beside their tables.
//! Hidden counts are hidden as in every form, the rule under each table.

mod events;

use rust_xlsxwriter::{
    Chart as XlsxChart, ChartType, DocProperties, Format, Table, TableColumn, TableFunction,
    Workbook, Worksheet, XlsxError,
};

use super::charts::{Chart, ChartKind};
use super::report::{Page, Section};
use crate::i18n::{self, DocWord, Word};
use crate::locale::Lang;
use crate::report::period::Shown;

/// The cell formats the workbook uses.
struct Formats {
    heading: Format,
    bold: Format,
    wrap: Format,
    note: Format,
    count: Format,
    decimal: Format,
    share: Format,
    date: Format,
    time: Format,
}

impl Formats {
    fn new(lang: Lang) -> Formats {
        let date = match lang {
            Lang::Fi => "d.m.yyyy",
            Lang::En => "yyyy-mm-dd",
        };
        Formats {
            heading: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            wrap: Format::new().set_text_wrap(),
            note: Format::new().set_italic().set_font_color("#555555"),
            count: Format::new().set_num_format("0"),
            decimal: Format::new().set_num_format("0.0"),
            share: Format::new().set_num_format("0%"),
            date: Format::new().set_num_format(date),
            time: Format::new().set_num_format("h:mm"),
        }
    }
}

/// A sheet's name as Excel takes it: at most 31 characters, none of
/// `[]:*?/\`.
fn sheet_name(s: &str) -> String {
    s.chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect()
}

/// A table's name, unique in the workbook: `t_profiles_ikaihmiset_topics`.
fn table_name(id: &str) -> String {
    let body: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("t_{body}")
}

/// Which sheet a section goes on, by what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sheet {
    Topics,
    Referrals,
    Fields,
    Vouchers,
    Times,
    Places,
}

fn sheet_of(id: &str) -> Sheet {
    let kind = id.rsplit('.').next().unwrap_or(id);
    match kind {
        "topics" => Sheet::Topics,
        "referrals" => Sheet::Referrals,
        "vouchers" => Sheet::Vouchers,
        "weekdays" | "hours" => Sheet::Times,
        "locations" => Sheet::Places,
        _ => Sheet::Fields,
    }
}

/// The workbook of `page`, as the bytes of an `.xlsx` file.
pub fn workbook(page: &Page<'_>) -> Result<Vec<u8>, XlsxError> {
    let t = i18n::texts(page.lang);
    let f = Formats::new(page.lang);
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(page.heading())
            .set_creation_datetime(&page.made)
            .set_comment(t.word(Word::SmallCountsHidden)),
    );
    book.push_worksheet(key_figures(page, &f)?);
    let sections = page.sections();
    let charts = page.charts();
    let sheets = [
        (Sheet::Topics, t.word(Word::Topics)),
        (Sheet::Referrals, t.word(Word::Referrals)),
        (Sheet::Fields, t.doc_word(DocWord::Fields)),
        (Sheet::Vouchers, t.word(Word::Vouchers)),
        (Sheet::Times, t.doc_word(DocWord::Times)),
        (Sheet::Places, t.word(Word::Locations)),
    ];
    for (sheet, name) in sheets {
        let mine: Vec<&Section> = sections
            .iter()
            .filter(|s| sheet_of(&s.id) == sheet)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let mut ws = Worksheet::new();
        let name = sheet_name(name);
        ws.set_name(&name)?;
        ws.set_column_width(0, 40)?;
        ws.set_column_width(1, 10)?;
        ws.set_column_width(2, 10)?;
        let mut row = 0;
        for sec in mine {
            let chart = charts.iter().find(|c| c.source == sec.id);
            row = breakdown(&mut ws, &name, row, sec, chart, page, &f)? + 2;
        }
        book.push_worksheet(ws);
    }
    if let Some(chart) = charts.iter().find(|c| c.source == "per_session") {
        book.push_worksheet(per_session(page, chart, &f)?);
    }
    if let Some(ws) = events::sheet(page, &f.date, &f.time, &f.bold)? {
        book.push_worksheet(ws);
    }
    book.save_to_buffer()
}

/// The first sheet: the heading, the report's opening sentences and the key
/// figures, each a number.
fn key_figures(page: &Page<'_>, f: &Formats) -> Result<Worksheet, XlsxError> {
    let t = i18n::texts(page.lang);
    let r = page.report;
    let mut ws = Worksheet::new();
    ws.set_name(sheet_name(t.word(Word::KeyFigures)))?;
    ws.set_column_width(0, 40)?;
    ws.set_column_width(1, 12)?;
    ws.set_column_width(2, 50)?;
    ws.write_string_with_format(0, 0, page.heading(), &f.heading)?;
    let prose = page.prose();
    ws.merge_range(2, 0, 2, 2, &prose, &f.wrap)?;
    ws.set_row_height(
        2,
        15.0 * (prose.chars().count() as f64 / 95.0).ceil().max(1.0),
    )?;
    let mut row = 3;
    if let (_, Some(note)) = page.readable_sections() {
        ws.write_string_with_format(row, 0, note, &f.note)?;
        row += 1;
    }
    row += 1;
    let first = row;
    let mut put = |label: &str, value: Option<f64>, format: &Format| -> Result<(), XlsxError> {
        row += 1;
        ws.write_string(row, 0, label)?;
        match value {
            Some(v) => ws.write_number_with_format(row, 1, v, format)?,
            None => ws.write_string(row, 1, "–")?,
        };
        Ok(())
    };
    put(t.word(Word::Sessions), Some(r.sessions.into()), &f.count)?;
    put(t.word(Word::Visitors), Some(r.visitors.into()), &f.count)?;
    if let Some(n) = page.events.map(|e| e.head_counts).filter(|n| *n > 0) {
        put(t.head_counts_label(), Some(n.into()), &f.count)?;
    }
    put(t.word(Word::Mean), r.mean, &f.decimal)?;
    put(t.word(Word::Median), r.median, &Format::new())?;
    put(
        t.doc_word(DocWord::MinSession),
        r.min.map(f64::from),
        &f.count,
    )?;
    put(
        t.doc_word(DocWord::MaxSession),
        r.max.map(f64::from),
        &f.count,
    )?;
    put(
        t.word(Word::EmptySessions),
        Some(r.empty_sessions.into()),
        &f.count,
    )?;
    if let Some(c) = r.rota {
        for (w, n) in [
            (Word::RotaScheduled, c.scheduled),
            (Word::RotaHeld, c.held),
            (Word::RotaCancelled, c.cancelled),
            (Word::RotaNotRecorded, c.not_recorded),
            (Word::RotaOutside, c.outside_rota),
        ] {
            put(t.word(w), Some(n.into()), &f.count)?;
        }
    }
    let table = Table::new().set_name("t_key_figures").set_columns(&[
        TableColumn::new().set_header(t.doc_word(DocWord::Figure)),
        TableColumn::new().set_header(t.doc_word(DocWord::Value)),
    ]);
    ws.add_table(first, 0, row, 1, &table)?;
    Ok(ws)
}

/// One breakdown as a table from `row` (its title above it, the rule of
/// hidden counts under it) and its chart beside it; returns the last row
/// used.
fn breakdown(
    ws: &mut Worksheet,
    sheet: &str,
    row: u32,
    sec: &Section,
    chart: Option<&Chart>,
    page: &Page<'_>,
    f: &Formats,
) -> Result<u32, XlsxError> {
    let t = i18n::texts(page.lang);
    ws.write_string_with_format(row, 0, &sec.title, &f.bold)?;
    let head = row + 1;
    let mut r = head;
    for x in &sec.rows {
        r += 1;
        ws.write_string(r, 0, &x.label)?;
        match x.shown {
            Shown::Count(n) => {
                ws.write_number_with_format(r, 1, n, &f.count)?;
                if let Some(s) = page.report.share(n) {
                    ws.write_number_with_format(r, 2, s, &f.share)?;
                }
            }
            hidden => {
                ws.write_string(r, 1, hidden.to_string())?;
            }
        }
    }
    if sec.rows.is_empty() {
        r += 1;
        ws.write_string(r, 0, t.none())?;
    }
    let table = Table::new().set_name(table_name(&sec.id)).set_columns(&[
        TableColumn::new().set_header(&sec.title),
        TableColumn::new().set_header(t.word(Word::Count)),
        TableColumn::new().set_header(t.word(Word::Share)),
    ]);
    ws.add_table(head, 0, r, 2, &table)?;
    let mut last = r;
    last = rules(ws, last, sec.rows.iter().map(|x| x.shown), page, f)?;
    if let Some(c) = chart {
        // The shown rows: hidden ones are the last of a ranked list.
        let shown = c.bars.len() as u32;
        let (kind, rows) = match c.kind {
            ChartKind::Ranked => (ChartType::Bar, shown),
            ChartKind::Series => (ChartType::Column, sec.rows.len() as u32),
        };
        let height = match c.kind {
            ChartKind::Ranked => 60 + 24 * rows.max(3),
            ChartKind::Series => 300,
        };
        let chart = native(c, kind, sheet, head + 1, head + rows, 0, 1, height);
        ws.insert_chart(head, 4, &chart)?;
        last = last.max(head + height / 20);
    }
    Ok(last)
}

/// Under a table: what `<N` means, and `x` when the table has one.
fn rules(
    ws: &mut Worksheet,
    mut row: u32,
    shown: impl Iterator<Item = Shown>,
    page: &Page<'_>,
    f: &Formats,
) -> Result<u32, XlsxError> {
    let t = i18n::texts(page.lang);
    if let Some(min) = page.min_count {
        row += 1;
        let rule = format!("<{min}: {}", t.word(Word::SmallCountsHidden));
        ws.write_string_with_format(row, 0, rule, &f.note)?;
        if shown.into_iter().any(|s| s == Shown::Withheld) {
            row += 1;
            ws.write_string_with_format(row, 0, t.word(Word::WithheldNote), &f.note)?;
        }
    }
    Ok(row)
}

/// A native chart of a sheet's rows `first..=last`: labels in column
/// `cats`, counts in `vals`.
#[allow(clippy::too_many_arguments)]
fn native(
    c: &Chart,
    kind: ChartType,
    sheet: &str,
    first: u32,
    last: u32,
    cats: u16,
    vals: u16,
    height: u32,
) -> XlsxChart {
    let mut chart = XlsxChart::new(kind);
    chart
        .add_series()
        .set_name(&c.axis)
        .set_categories((sheet, first, cats, last, cats))
        .set_values((sheet, first, vals, last, vals));
    chart.title().set_name(&c.title);
    chart.legend().set_hidden();
    chart.set_alt_text(cut_alt(&c.alt));
    chart.set_width(560).set_height(height);
    if kind == ChartType::Bar {
        // Most first, from the top, as in the table (a bar chart's
        // categories are its y axis).
        chart.y_axis().set_reverse();
    }
    chart
}

/// Excel keeps at most 255 characters of a chart's alternative text: a
/// longer one ends at its last whole item, with "…" (the table beside
/// the chart has every row).
fn cut_alt(alt: &str) -> String {
    const MAX: usize = 255;
    if alt.chars().count() <= MAX {
        return alt.to_string();
    }
    let head: String = alt.chars().take(MAX - 2).collect();
    match head.rfind("; ") {
        Some(i) => format!("{}; …", &head[..i]),
        None => format!("{head}…"),
    }
}

/// Visitors per session: each session's date (a date cell) and visitors,
/// and their column chart.
fn per_session(page: &Page<'_>, chart: &Chart, f: &Formats) -> Result<Worksheet, XlsxError> {
    let t = i18n::texts(page.lang);
    let mut ws = Worksheet::new();
    let name = sheet_name(t.word(Word::PerSession));
    ws.set_name(&name)?;
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 12)?;
    ws.write_string_with_format(0, 0, &chart.title, &f.bold)?;
    let mut r = 1;
    for (d, n) in &page.report.per_session {
        r += 1;
        ws.write_date_with_format(r, 0, d, &f.date)?;
        ws.write_number_with_format(r, 1, *n, &f.count)?;
    }
    let table = Table::new()
        .set_name("t_per_session")
        .set_total_row(true)
        .set_columns(&[
            TableColumn::new()
                .set_header(t.word(Word::Date))
                .set_total_label(t.doc_word(DocWord::Total)),
            TableColumn::new()
                .set_header(t.word(Word::Visitors))
                .set_total_function(TableFunction::Sum),
        ]);
    ws.add_table(1, 0, r + 1, 1, &table)?;
    // The total's value too, for readers that do not recalculate.
    let total: u32 = page.report.per_session.iter().map(|p| p.1).sum();
    ws.set_formula_result(r + 1, 1, total.to_string());
    let c = native(chart, ChartType::Column, &name, 2, r, 0, 1, 320);
    ws.insert_chart(1, 3, &c)?;
    Ok(ws)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_what_excel_takes() {
        assert_eq!(
            sheet_name("Maksusitoumukset (liukuesteet)"),
            "Maksusitoumukset (liukuesteet)"
        );
        assert_eq!(sheet_name("a/b:c"), "a-b-c");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
        assert_eq!(
            table_name("profiles.ikaihmiset.topics"),
            "t_profiles_ikaihmiset_topics"
        );
        assert_eq!(sheet_of("fields.language"), Sheet::Fields);
        assert_eq!(sheet_of("profiles.perhe.referrals"), Sheet::Referrals);
        let long = format!(
            "Pylväskaavio: Aiheet. {}",
            vec!["Digituki 34"; 40].join("; ")
        );
        let cut = cut_alt(&long);
        assert!(cut.chars().count() <= 255, "{cut}");
        assert!(cut.ends_with("Digituki 34; …"), "{cut}");
        assert_eq!(cut_alt("Lyhyt."), "Lyhyt.");
    }
}

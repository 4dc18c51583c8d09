//! The workbook's sheet of events, groups and feedback: a table each, with
//! dates and times as cells of their kind, counts as numbers, and each row
//! also as the welfare report writes it ("Syysfestarit (300)").

use rust_xlsxwriter::{Format, Table, TableColumn, TableFunction, Worksheet, XlsxError};

use crate::events::Tally;
use crate::export::report::Page;
use crate::i18n::{self, DocWord};

/// One table: its title at `row`, its heads, its rows of cells; returns the
/// next free row.
struct Sheet<'a> {
    ws: Worksheet,
    row: u32,
    bold: &'a Format,
    date: &'a Format,
    time: &'a Format,
}

/// A cell of a row.
enum Cell {
    Text(String),
    Number(f64),
    Date(chrono::NaiveDate),
    Time(chrono::NaiveTime),
    Empty,
}

impl Sheet<'_> {
    fn table(
        &mut self,
        title: &str,
        name: &str,
        heads: &[&str],
        rows: Vec<Vec<Cell>>,
        total: Option<(usize, &str)>,
    ) -> Result<(), XlsxError> {
        let sum: f64 = total.map_or(0.0, |(col, _)| {
            rows.iter()
                .filter_map(|r| match r.get(col) {
                    Some(Cell::Number(x)) => Some(*x),
                    _ => None,
                })
                .sum()
        });
        self.ws
            .write_string_with_format(self.row, 0, title, self.bold)?;
        let head = self.row + 1;
        let mut r = head;
        for cells in &rows {
            r += 1;
            for (c, cell) in cells.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => self.ws.write_string(r, c, s)?,
                    Cell::Number(x) => self.ws.write_number(r, c, *x)?,
                    Cell::Date(d) => self.ws.write_date_with_format(r, c, d, self.date)?,
                    Cell::Time(t) => self.ws.write_datetime_with_format(r, c, t, self.time)?,
                    Cell::Empty => &mut self.ws,
                };
            }
        }
        let mut columns: Vec<TableColumn> = heads
            .iter()
            .map(|h| TableColumn::new().set_header(*h))
            .collect();
        let mut table = Table::new().set_name(name);
        if let Some((col, label)) = total {
            r += 1;
            columns[0] = columns[0].clone().set_total_label(label);
            columns[col] = columns[col].clone().set_total_function(TableFunction::Sum);
            table = table.set_total_row(true);
        }
        self.ws.add_table(
            head,
            0,
            r,
            heads.len() as u16 - 1,
            &table.set_columns(&columns),
        )?;
        if let Some((col, _)) = total {
            // The total's value too, for readers that do not recalculate.
            self.ws.set_formula_result(r, col as u16, sum.to_string());
        }
        self.row = r + 2;
        Ok(())
    }
}

fn count(n: Option<u32>) -> Cell {
    n.map_or(Cell::Empty, |n| Cell::Number(n.into()))
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

/// The sheet, or `None` when the period has no events, groups or feedback.
pub(super) fn sheet(
    page: &Page<'_>,
    date: &Format,
    time: &Format,
    bold: &Format,
) -> Result<Option<Worksheet>, XlsxError> {
    let Some(r) = page.events.filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let t = i18n::texts(page.lang);
    let w = |x: DocWord| t.doc_word(x);
    let mut ws = Worksheet::new();
    ws.set_name(t.events_heading())?;
    ws.set_column_width(0, 12)?;
    ws.set_column_width(2, 30)?;
    let mut s = Sheet {
        ws,
        row: 0,
        bold,
        date,
        time,
    };
    let yes_no = |b: bool| text(w(if b { DocWord::Yes } else { DocWord::No }));
    if !r.events.is_empty() {
        let rows = r
            .events
            .iter()
            .map(|e| {
                let x = &e.entry;
                vec![
                    Cell::Date(x.date),
                    x.time.map_or(Cell::Empty, Cell::Time),
                    text(&x.title),
                    text(&x.place),
                    text(&x.kind),
                    text(&x.partners),
                    count(x.count),
                    yes_no(x.approx),
                    count(x.online),
                    text(&x.unit),
                    Cell::Text(t.event_line(e)),
                ]
            })
            .collect();
        let heads = [
            t.word(crate::i18n::Word::Date),
            t.word(crate::i18n::Word::Time),
            w(DocWord::Title),
            t.word(crate::i18n::Word::Location),
            w(DocWord::Kind),
            w(DocWord::Partners),
            w(DocWord::Attendees),
            w(DocWord::Approx),
            w(DocWord::Online),
            w(DocWord::Unit),
            w(DocWord::AsWritten),
        ];
        s.table(t.events_heading(), "t_events", &heads, rows, None)?;
    }
    if !r.groups.is_empty() {
        let rows = r
            .groups
            .iter()
            .map(|g| {
                let x = &g.entry;
                vec![
                    Cell::Date(x.date),
                    text(&x.title),
                    text(&x.place),
                    text(&x.partner),
                    text(&x.target),
                    count(g.meeting_count()),
                    Cell::Number(g.visits() as f64),
                    Cell::Text(t.group_line(g)),
                ]
            })
            .collect();
        let heads = [
            t.word(crate::i18n::Word::Date),
            w(DocWord::Title),
            t.word(crate::i18n::Word::Location),
            w(DocWord::Partners),
            w(DocWord::Target),
            w(DocWord::Meetings),
            w(DocWord::GroupVisits),
            w(DocWord::AsWritten),
        ];
        let total = (6, w(DocWord::Total));
        s.table(t.groups_heading(), "t_groups", &heads, rows, Some(total))?;
    }
    if !r.feedback.is_empty() {
        let rows = r
            .feedback
            .iter()
            .map(|f| {
                let (yes, no) = match f.entry.tally {
                    Tally::YesNo { yes, no } => (Some(yes), Some(no)),
                    _ => (None, None),
                };
                vec![
                    text(&f.about),
                    text(&f.entry.question),
                    count(yes),
                    count(no),
                    f.entry.tally.mean().map_or(Cell::Empty, Cell::Number),
                    Cell::Number(f.entry.tally.answers().into()),
                    Cell::Text(t.feedback_line(f)),
                ]
            })
            .collect();
        let heads = [
            w(DocWord::About),
            w(DocWord::Question),
            w(DocWord::Yes),
            w(DocWord::No),
            w(DocWord::MeanAnswer),
            w(DocWord::Answers),
            w(DocWord::AsWritten),
        ];
        s.table(t.feedback_heading(), "t_feedback", &heads, rows, None)?;
    }
    let row = s.row;
    s.ws.write_string(row, 0, t.event_totals(&r.totals))?;
    Ok(Some(s.ws))
}

//! CSV for Finnish spreadsheets: the writer, its byte order mark, numbers
//! and times as Excel and LibreOffice read them, and no cell a spreadsheet
//! would run as a formula.

use crate::locale::{self, Lang};

/// The UTF-8 byte order mark, so Excel reads a CSV file as UTF-8.
pub const BOM: &str = "\u{feff}";

/// How every CSV writes its numbers and times, in English too: for Excel
/// and LibreOffice with Finnish regional settings (the `;` separator is
/// theirs), which read `5.3` as text and `12.05` as the date 12 May.
/// Numbers take the decimal comma; times are written by [`csv_time`].
pub const EXCEL: Lang = Lang::Fi;

/// A time of day as a spreadsheet reads it in any locale: `10:05`.
pub fn csv_time(t: chrono::NaiveDateTime) -> String {
    locale::time(t, Lang::En)
}

/// A CSV writer for Finnish spreadsheets: `;` between fields, a BOM, and
/// no cell a spreadsheet would run as a formula, whatever field it comes
/// from (notes, shops, reasons, places, devices, imported labels).
pub struct Csv(csv::Writer<Vec<u8>>);

pub fn csv_writer() -> Csv {
    Csv(csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(BOM.as_bytes().to_vec()))
}

impl Csv {
    /// Writes one row (to memory, which cannot fail).
    pub fn write_record<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<String> = cells
            .into_iter()
            .map(|c| formula_safe(c.as_ref()))
            .collect();
        let _ = self.0.write_record(&cells);
    }
}

/// The written CSV text.
pub fn finish_csv(w: Csv) -> String {
    let bytes = w.0.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A cell that Excel or LibreOffice would read as a formula (`=`, `+`,
/// `-`, `@`, a tab or a carriage return first) gets a leading apostrophe,
/// which they show as plain text.
pub fn formula_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

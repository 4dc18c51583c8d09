//! Texts of the report's documents: the Excel workbook's sheets and
//! columns, the Word chapter's figures and the charts' titles and
//! alternative texts. A supertrait of `Texts`, implemented per language in
//! `documents/fi.rs` and `documents/en.rs`.

mod en;
mod fi;

/// Fixed words of the workbook, the chapter and the charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocWord {
    /// The key figures' column heads.
    Figure,
    Value,
    MinSession,
    MaxSession,
    /// A sheet of the profile's own fields, one table each.
    Fields,
    /// A sheet of the weekdays and the hours.
    Times,
    /// An event's or group's name.
    Title,
    Kind,
    Partners,
    Attendees,
    /// Whether a count is an estimate.
    Approx,
    Online,
    Unit,
    /// A list line as the welfare report writes it.
    AsWritten,
    Target,
    Meetings,
    GroupVisits,
    About,
    Question,
    Yes,
    No,
    MeanAnswer,
    Answers,
    Total,
    /// A chart's count axis: visits.
    VisitsAxis,
    /// Visitors per session's axis.
    VisitorsAxis,
    /// "Kuvio": before a figure's number in the chapter.
    FigureCaption,
}

/// A chart for its alternative text: what it shows and its bars.
pub struct ChartDescription<'a> {
    /// "Aiheet, vuosi 2023".
    pub title: &'a str,
    /// Horizontal bars (a ranked list) or columns (a time series).
    pub columns: bool,
    /// Each bar's label and its count as shown (`<5`, `x`).
    pub bars: &'a [(String, String)],
}

pub trait DocumentTexts {
    fn doc_word(&self, w: DocWord) -> &'static str;
    /// The alternative text of a chart, for readers who cannot see it: what
    /// it is, and every bar's label and count.
    fn chart_alt(&self, c: &ChartDescription<'_>) -> String;
    /// Under a ranked chart, the rows it leaves out as hidden (below `min`,
    /// or withheld): "2 muuta piilotettu".
    fn hidden_rows(&self, n: usize, min: u32) -> String;
}

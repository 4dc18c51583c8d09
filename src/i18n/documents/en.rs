//! English texts of the workbook, the chapter and the charts.

use super::{ChartDescription, DocWord, DocumentTexts};
use crate::i18n::en::En;

impl DocumentTexts for En {
    fn doc_word(&self, w: DocWord) -> &'static str {
        match w {
            DocWord::Figure => "Figure",
            DocWord::Value => "Value",
            DocWord::MinSession => "Smallest session",
            DocWord::MaxSession => "Largest session",
            DocWord::Fields => "Other details",
            DocWord::Times => "Times",
            DocWord::Title => "Name",
            DocWord::Kind => "Kind",
            DocWord::Partners => "Partners",
            DocWord::Attendees => "Attendees",
            DocWord::Approx => "Estimate",
            DocWord::Online => "Online",
            DocWord::Unit => "Unit",
            DocWord::AsWritten => "In the report",
            DocWord::Target => "Target group",
            DocWord::Meetings => "Meetings",
            DocWord::GroupVisits => "Visits",
            DocWord::About => "About",
            DocWord::Question => "Question",
            DocWord::Yes => "Yes",
            DocWord::No => "No",
            DocWord::MeanAnswer => "Mean",
            DocWord::Answers => "Answers",
            DocWord::Total => "Total",
            DocWord::VisitsAxis => "visits",
            DocWord::VisitorsAxis => "visitors",
            DocWord::FigureCaption => "Figure",
        }
    }
    fn chart_alt(&self, c: &ChartDescription<'_>) -> String {
        let kind = if c.columns {
            "Column chart"
        } else {
            "Bar chart"
        };
        if c.bars.is_empty() {
            return format!("{kind}: {}. No data.", c.title);
        }
        let bars: Vec<String> = c
            .bars
            .iter()
            .map(|(l, n)| format!("{l} {n}").trim_end().to_string())
            .collect();
        format!("{kind}: {}. {}.", c.title, bars.join("; "))
    }
    fn hidden_rows(&self, n: usize, min: u32) -> String {
        format!("{n} more hidden (below {min}, or so that a small one cannot be worked out)")
    }
}

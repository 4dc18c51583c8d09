//! Finnish texts of the workbook, the chapter and the charts.

use super::{ChartDescription, DocWord, DocumentTexts};
use crate::i18n::fi::Fi;

impl DocumentTexts for Fi {
    fn doc_word(&self, w: DocWord) -> &'static str {
        match w {
            DocWord::Figure => "Tunnusluku",
            DocWord::Value => "Arvo",
            DocWord::MinSession => "Pienin päivystys",
            DocWord::MaxSession => "Suurin päivystys",
            DocWord::Fields => "Muut tiedot",
            DocWord::Times => "Ajat",
            DocWord::Title => "Nimi",
            DocWord::Kind => "Laji",
            DocWord::Partners => "Yhteistyössä",
            DocWord::Attendees => "Osallistujia",
            DocWord::Approx => "Arvio",
            DocWord::Online => "Verkossa",
            DocWord::Unit => "Yksikkö",
            DocWord::AsWritten => "Raportissa",
            DocWord::Target => "Kohderyhmä",
            DocWord::Meetings => "Kokoontumisia",
            DocWord::GroupVisits => "Käyntikertoja",
            DocWord::About => "Kohde",
            DocWord::Question => "Kysymys",
            DocWord::Yes => "Kyllä",
            DocWord::No => "Ei",
            DocWord::MeanAnswer => "Keskiarvo",
            DocWord::Answers => "Vastauksia",
            DocWord::Total => "Yhteensä",
            DocWord::VisitsAxis => "käyntejä",
            DocWord::VisitorsAxis => "kävijöitä",
            DocWord::FigureCaption => "Kuvio",
        }
    }
    fn chart_alt(&self, c: &ChartDescription<'_>) -> String {
        let kind = if c.columns {
            "Pylväskaavio"
        } else {
            "Vaakapylväskaavio"
        };
        if c.bars.is_empty() {
            return format!("{kind}: {}. Ei tietoja.", c.title);
        }
        let bars: Vec<String> = c
            .bars
            .iter()
            .map(|(l, n)| format!("{l} {n}").trim_end().to_string())
            .collect();
        format!("{kind}: {}. {}.", c.title, bars.join("; "))
    }
    fn hidden_rows(&self, n: usize, min: u32) -> String {
        format!("{n} muuta piilotettu (alle {min} tai jottei pientä voi laskea muista)")
    }
}

//! The report's charts as data: topics and referrals as ranked bars,
//! visitors per session and visits by hour as columns, each with its title,
//! a file name and an alternative text. The workbook charts the same
//! tables natively; `charts/draw.rs` draws these as SVG and PNG for the
//! Word chapter and `--charts DIR`. Counts hidden in the tables are hidden
//! here too.

pub mod draw;

use super::report::{Page, Row, Section};
use crate::i18n::{ChartDescription, DocWord, Word};
use crate::locale;
use crate::report::period::{PeriodKind, Shown};

/// One bar or column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    /// Its height; `None` when the count is hidden (no bar is drawn).
    pub value: Option<u32>,
    /// The count as the tables show it: `12`, `<5`, `x`.
    pub mark: String,
}

/// What a chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// A ranked list: horizontal bars, most first.
    Ranked,
    /// A series in time order: columns.
    Series,
}

/// A chart, ready to draw or to describe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// The file name without its extension, in the page's language:
    /// `aiheet`, `aiheet-ikaihmiset`, `kavijat-paivystyksittain`.
    pub name: String,
    /// The section it draws (`topics`, `profiles.ID.referrals`, `hours`),
    /// or `per_session`.
    pub source: String,
    /// "Aiheet, vuosi 2023".
    pub title: String,
    pub kind: ChartKind,
    /// What the bars count: "käyntejä".
    pub axis: String,
    pub bars: Vec<Bar>,
    /// Under a ranked chart: the rows it leaves out as hidden ("2 muuta
    /// piilotettu …").
    pub hidden: Option<String>,
    /// For readers who cannot see it.
    pub alt: String,
}

/// The sections a ranked chart is drawn of: topics and referrals, one
/// profile's or each profile's.
fn charted(id: &str) -> bool {
    let kind = id.rsplit('.').next().unwrap_or(id);
    matches!(kind, "topics" | "referrals")
}

/// `Kävijät päivystyksittäin` → `kavijat-paivystyksittain`.
pub fn file_name(title: &str) -> String {
    let mut out = String::new();
    for c in title.to_lowercase().chars() {
        let c = match c {
            'ä' | 'å' | 'á' | 'à' => 'a',
            'ö' | 'ó' | 'ò' => 'o',
            'é' | 'è' => 'e',
            'ü' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn bar(row: &Row) -> Bar {
    Bar {
        label: row.label.clone(),
        value: row.shown.count(),
        mark: row.shown.to_string(),
    }
}

impl Page<'_> {
    /// The period as a chart's title names it: "vuosi 2023", or the dates.
    fn period_words(&self) -> String {
        let p = &self.report.period;
        if p.kind == PeriodKind::Custom {
            format!(
                "{}–{}",
                locale::date(p.from, self.lang),
                locale::date(p.to, self.lang)
            )
        } else {
            crate::i18n::texts(self.lang).period_name(p)
        }
    }

    /// Every chart of the page, in the order the chapter shows them: each
    /// charted breakdown with a count to show, visitors per session, hours.
    pub fn charts(&self) -> Vec<Chart> {
        let t = crate::i18n::texts(self.lang);
        let (sections, _) = self.readable_sections();
        let mut out = Vec::new();
        for sec in sections.iter().filter(|s| charted(&s.id)) {
            if let Some(c) = self.ranked_chart(sec) {
                out.push(c);
            }
        }
        let per_session: Vec<Bar> = self
            .report
            .per_session
            .iter()
            .map(|(d, n)| Bar {
                label: locale::date(*d, self.lang),
                value: Some(*n),
                mark: n.to_string(),
            })
            .collect();
        if !per_session.is_empty() {
            out.push(self.chart(
                "per_session",
                t.word(Word::PerSession),
                ChartKind::Series,
                t.doc_word(DocWord::VisitorsAxis),
                per_session,
                0,
            ));
        }
        if let Some(hours) = sections.iter().find(|s| s.id == "hours")
            && !hours.rows.is_empty()
        {
            let bars = hours.rows.iter().map(bar).collect();
            out.push(self.chart(
                "hours",
                &hours.title,
                ChartKind::Series,
                t.doc_word(DocWord::VisitsAxis),
                bars,
                0,
            ));
        }
        out
    }

    /// A breakdown's shown rows as bars, most first; `None` when none is
    /// shown.
    fn ranked_chart(&self, sec: &Section) -> Option<Chart> {
        let t = crate::i18n::texts(self.lang);
        let counted = sec.rows.iter().filter(|r| r.count > 0);
        let (shown, hidden): (Vec<&Row>, Vec<&Row>) =
            counted.partition(|r| matches!(r.shown, Shown::Count(_)));
        if shown.is_empty() {
            return None;
        }
        let bars = shown.into_iter().map(bar).collect();
        Some(self.chart(
            &sec.id,
            &sec.title,
            ChartKind::Ranked,
            t.doc_word(DocWord::VisitsAxis),
            bars,
            hidden.len(),
        ))
    }

    fn chart(
        &self,
        source: &str,
        title: &str,
        kind: ChartKind,
        axis: &str,
        bars: Vec<Bar>,
        hidden_rows: usize,
    ) -> Chart {
        let t = crate::i18n::texts(self.lang);
        // All profiles: `profiles.ikaihmiset.topics` is "Aiheet · …", its
        // file `aiheet-ikaihmiset`.
        let (base, profile) = match source.strip_prefix("profiles.") {
            Some(rest) => {
                let (id, _) = rest.split_once('.').unwrap_or((rest, ""));
                let base = title.split(" · ").next().unwrap_or(title);
                (base.to_string(), Some(id))
            }
            None => (title.to_string(), None),
        };
        let name = match profile {
            Some(id) => format!("{}-{}", file_name(&base), file_name(id)),
            None => file_name(&base),
        };
        let title = format!("{title}, {}", self.period_words());
        let mut listed: Vec<(String, String)> = bars
            .iter()
            .map(|b| (b.label.clone(), b.mark.clone()))
            .collect();
        let hidden = self
            .min_count
            .filter(|_| hidden_rows > 0)
            .map(|min| t.hidden_rows(hidden_rows, min));
        if let Some(h) = &hidden {
            listed.push((h.clone(), String::new()));
        }
        let alt = t.chart_alt(&ChartDescription {
            title: &title,
            columns: kind == ChartKind::Series,
            bars: &listed,
        });
        Chart {
            name,
            source: source.to_string(),
            title,
            kind,
            axis: axis.to_string(),
            bars,
            hidden,
            alt,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_plain_ascii() {
        assert_eq!(
            file_name("Kävijät päivystyksittäin"),
            "kavijat-paivystyksittain"
        );
        assert_eq!(file_name("Aiheet"), "aiheet");
        assert_eq!(file_name(" Visitors / session "), "visitors-session");
    }
}

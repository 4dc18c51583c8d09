//! The period report's page in each text form: plain text, Markdown, JSON
//! and CSV.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::{Format, Page, Row, md};
use crate::export::spreadsheet::{EXCEL, csv_writer, finish_csv};
use crate::i18n::{self, Word};
use crate::locale::Lang;
use crate::report::period::{PeriodKind, Shown};

impl Page<'_> {
    pub fn text(&self) -> String {
        let t = self.texts();
        let (sections, left_out) = self.readable_sections();
        let figures = self.key_figures(self.lang);
        let w = sections
            .iter()
            .flat_map(|s| s.rows.iter().map(|r| r.label.chars().count() + 2))
            .chain(figures.iter().map(|f| f.1.chars().count() + 2))
            .max()
            .unwrap_or(0)
            .min(44);
        let mut s = String::new();
        let _ = writeln!(s, "{}\n\n{}\n", self.heading(), self.prose());
        if let Some(note) = &left_out {
            let _ = writeln!(s, "{note}\n");
        }
        let _ = writeln!(s, "{}", t.word(Word::KeyFigures));
        for (_, label, value) in &figures {
            let _ = writeln!(s, "  {:<w2$} {value:>6}", label, w2 = w - 2);
        }
        for sec in &sections {
            let _ = writeln!(
                s,
                "\n{:<w$} {:>6} {:>6}",
                sec.title,
                t.word(Word::Count),
                t.word(Word::Share)
            );
            if sec.rows.is_empty() {
                let _ = writeln!(s, "  {}", t.none());
            }
            for row in &sec.rows {
                let label = crate::text::truncate(&row.label, w - 2);
                let _ = writeln!(
                    s,
                    "  {label:<w2$} {:>6} {:>6}",
                    row.shown.to_string(),
                    self.share(row),
                    w2 = w - 2
                );
            }
        }
        s.push_str(&self.events_text());
        if let Some(min) = self.min_count {
            let _ = writeln!(s, "\n<{min}: {}", hidden_note(self.lang));
        }
        if Self::any_withheld(&sections) {
            let _ = writeln!(s, "{}", t.word(Word::WithheldNote));
        }
        s
    }

    pub fn markdown(&self) -> String {
        let t = self.texts();
        let (sections, left_out) = self.readable_sections();
        let mut s = String::new();
        let _ = writeln!(s, "# {}\n\n{}\n", md(&self.heading()), md(&self.prose()));
        if let Some(note) = &left_out {
            let _ = writeln!(s, "{}\n", md(note));
        }
        let _ = writeln!(s, "## {}\n", t.word(Word::KeyFigures));
        let _ = writeln!(s, "| | |\n|---|--:|");
        for (_, label, value) in self.key_figures(self.lang) {
            let _ = writeln!(s, "| {label} | {value} |");
        }
        for sec in &sections {
            let _ = writeln!(s, "\n## {}\n", md(&sec.title));
            if sec.rows.is_empty() {
                let _ = writeln!(s, "{}", t.none());
                continue;
            }
            let _ = writeln!(
                s,
                "| | {} | {} |\n|---|--:|--:|",
                t.word(Word::Count),
                t.word(Word::Share)
            );
            for row in &sec.rows {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} |",
                    md(&row.label),
                    md(&row.shown.to_string()),
                    self.share(row)
                );
            }
        }
        s.push_str(&self.events_markdown());
        if let Some(min) = self.min_count {
            let _ = writeln!(s, "\n\\<{min}: {}", hidden_note(self.lang));
        }
        if Self::any_withheld(&sections) {
            let _ = writeln!(s, "\n{}", md(t.word(Word::WithheldNote)));
        }
        s
    }

    pub fn json(&self) -> Value {
        let r = self.report;
        let count = |row: &Row| match row.shown {
            Shown::Count(n) => json!(n),
            hidden => json!(hidden.to_string()),
        };
        let share = |row: &Row| match (row.shown, r.share(row.count)) {
            (Shown::Count(_), Some(s)) => json!((s * 1000.0).round() / 1000.0),
            _ => Value::Null,
        };
        let mut top = Map::new();
        let kind = match r.period.kind {
            PeriodKind::Week => "week",
            PeriodKind::Month => "month",
            PeriodKind::Season => "season",
            PeriodKind::Year => "year",
            PeriodKind::Custom => "custom",
        };
        top.insert(
            "period".into(),
            json!({"kind": kind, "from": r.period.from, "to": r.period.to}),
        );
        top.insert("profile".into(), json!(self.profile.map(|p| &p.id)));
        top.insert("location".into(), json!(self.location));
        top.insert("device".into(), json!(self.device));
        top.insert("min_count".into(), json!(self.min_count));
        top.insert("sessions".into(), json!(r.sessions));
        top.insert("visitors".into(), json!(r.visitors));
        top.insert("empty_sessions".into(), json!(r.empty_sessions));
        top.insert("mean_visitors_per_session".into(), json!(r.mean));
        top.insert("median_visitors_per_session".into(), json!(r.median));
        top.insert("min_visitors_per_session".into(), json!(r.min));
        top.insert("max_visitors_per_session".into(), json!(r.max));
        top.insert("hidden_note".into(), json!(self.readable_sections().1));
        if let Some(c) = r.rota {
            top.insert("rota".into(), json!(c));
        }
        self.events_json(&mut top);
        if self.profile.is_none() && !self.parts.is_empty() {
            return self.json_all(top);
        }
        let mut shares = Map::new();
        let mut fields = Map::new();
        let mut field_shares = Map::new();
        for sec in self.sections() {
            let counts: Map<String, Value> = sec
                .rows
                .iter()
                .map(|row| (row.key.clone(), count(row)))
                .collect();
            let s: Map<String, Value> = sec
                .rows
                .iter()
                .map(|row| (row.key.clone(), share(row)))
                .collect();
            match sec.id.strip_prefix("fields.") {
                Some(f) => {
                    fields.insert(f.to_string(), Value::Object(counts));
                    field_shares.insert(f.to_string(), Value::Object(s));
                }
                None => {
                    top.insert(sec.id.clone(), Value::Object(counts));
                    shares.insert(sec.id, Value::Object(s));
                }
            }
        }
        top.insert("fields".into(), Value::Object(fields));
        shares.insert("fields".into(), Value::Object(field_shares));
        top.insert("shares".into(), Value::Object(shares));
        top.insert(
            "per_session".into(),
            r.per_session
                .iter()
                .map(|(d, n)| json!({"date": d, "visitors": n}))
                .collect(),
        );
        top.insert("summary".into(), json!(self.prose()));
        Value::Object(top)
    }

    /// The JSON of all profiles together: the totals (in `top` already),
    /// each profile's own report under `profiles`, its topics, referrals
    /// and fields also at the top as `PROFILE:KEY`, and what all share.
    fn json_all(&self, mut top: Map<String, Value>) -> Value {
        let r = self.report;
        let mut profiles = Map::new();
        let (mut topics, mut referrals, mut fields) = (Map::new(), Map::new(), Map::new());
        for (p, sub) in self.parts {
            let j = self.part(p, sub).json();
            let prefixed = |from: &Value, into: &mut Map<String, Value>| {
                for (k, v) in from.as_object().into_iter().flatten() {
                    into.insert(format!("{}:{k}", p.id), v.clone());
                }
            };
            prefixed(&j["topics"], &mut topics);
            prefixed(&j["referrals"], &mut referrals);
            prefixed(&j["fields"], &mut fields);
            profiles.insert(p.id.clone(), j);
        }
        top.insert("topics".into(), Value::Object(topics));
        top.insert("referrals".into(), Value::Object(referrals));
        top.insert("fields".into(), Value::Object(fields));
        for sec in self.common_sections() {
            let counts: Map<String, Value> = sec
                .rows
                .iter()
                .map(|row| match row.shown {
                    Shown::Count(n) => (row.key.clone(), json!(n)),
                    hidden => (row.key.clone(), json!(hidden.to_string())),
                })
                .collect();
            top.insert(sec.id, Value::Object(counts));
        }
        top.insert("profiles".into(), Value::Object(profiles));
        top.insert(
            "per_session".into(),
            r.per_session
                .iter()
                .map(|(d, n)| json!({"date": d, "visitors": n}))
                .collect(),
        );
        top.insert("summary".into(), json!(self.prose()));
        Value::Object(top)
    }

    /// `;`-separated, with a BOM and the decimal comma in both languages
    /// (for Finnish Excel): one row per key figure and per breakdown line.
    pub fn csv(&self) -> String {
        let t = self.texts();
        let mut w = csv_writer();
        w.write_record([
            t.word(Word::Section),
            t.word(Word::Key),
            t.word(Word::Name),
            t.word(Word::Count),
            t.word(Word::Share),
        ]);
        // Numbers as Finnish Excel reads them, whatever the words' language.
        for (key, label, value) in self.key_figures(EXCEL) {
            w.write_record([t.word(Word::KeyFigures), key, &label, &value, ""]);
        }
        for sec in self.sections() {
            for row in &sec.rows {
                w.write_record([
                    sec.title.as_str(),
                    &row.key,
                    &row.label,
                    &row.shown.to_string(),
                    &self.share_in(row, EXCEL),
                ]);
            }
        }
        self.events_csv(&mut w);
        finish_csv(w)
    }

    /// The page in a text format; `None` for a file format of its own
    /// (`export::xlsx`).
    pub fn render(&self, format: Format) -> Option<String> {
        Some(match format {
            Format::Text => self.text(),
            Format::Markdown => self.markdown(),
            Format::Json => {
                let mut s = serde_json::to_string_pretty(&self.json()).expect("JSON serializes");
                s.push('\n');
                crate::text::json_safe(s)
            }
            Format::Csv => self.csv(),
            Format::Xlsx | Format::Docx => return None,
        })
    }
}

fn hidden_note(lang: Lang) -> &'static str {
    i18n::texts(lang).word(Word::SmallCountsHidden)
}

//! The report's lists of events, groups and feedback ("Tapahtumat",
//! "Ryhmätoiminta", "Palaute"), as the welfare report writes them, in text,
//! Markdown, JSON and CSV. `--min-count` does not hide these counts:
//! events are public, and a head-count of a festival says nothing about
//! anyone.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::report::Page;
use super::spreadsheet::Csv;
use crate::events::{Feedback, FeedbackTarget, Tally};
use crate::i18n;
use crate::report::events::EventsReport;

/// The lines of the three lists: a heading and its bullet lines each, and
/// the totals; empty lists are left out.
fn lists(r: &EventsReport, lang: crate::locale::Lang) -> (Vec<(String, Vec<String>)>, String) {
    let t = i18n::texts(lang);
    let mut out = Vec::new();
    if !r.events.is_empty() {
        let lines = r.events.iter().map(|e| t.event_line(e)).collect();
        out.push((t.events_heading().to_string(), lines));
    }
    if !r.groups.is_empty() {
        let mut lines: Vec<String> = r.groups.iter().map(|g| t.group_line(g)).collect();
        lines.push(t.group_visits_total(r.totals.group_visits));
        out.push((t.groups_heading().to_string(), lines));
    }
    if !r.feedback.is_empty() {
        let lines = r.feedback.iter().map(|f| t.feedback_line(f)).collect();
        out.push((t.feedback_heading().to_string(), lines));
    }
    (out, t.event_totals(&r.totals))
}

impl Page<'_> {
    /// The lists for the text page; empty without events or groups.
    pub fn events_text(&self) -> String {
        let Some(r) = self.events.filter(|r| !r.is_empty()) else {
            return String::new();
        };
        let (sections, totals) = lists(r, self.lang);
        let mut s = String::new();
        for (heading, lines) in sections {
            let _ = writeln!(s, "\n{heading}");
            for l in lines {
                let _ = writeln!(s, "  • {l}");
            }
        }
        let _ = writeln!(s, "\n{totals}");
        s
    }

    /// The lists for the Markdown page.
    pub fn events_markdown(&self) -> String {
        let Some(r) = self.events.filter(|r| !r.is_empty()) else {
            return String::new();
        };
        let (sections, totals) = lists(r, self.lang);
        let mut s = String::new();
        for (heading, lines) in sections {
            let _ = writeln!(s, "\n## {}\n", super::report::md(&heading));
            for l in lines {
                let _ = writeln!(s, "- {}", super::report::md(&l));
            }
        }
        let _ = writeln!(s, "\n{}", super::report::md(&totals));
        s
    }

    /// `events`, `groups`, `group_visits_total`, `feedback` and
    /// `event_totals` into the report's JSON (always there, empty lists
    /// when none).
    pub fn events_json(&self, top: &mut Map<String, Value>) {
        let empty = EventsReport::default();
        let r = self.events.unwrap_or(&empty);
        let t = i18n::texts(self.lang);
        let events: Vec<Value> = r
            .events
            .iter()
            .map(|e| {
                let x = &e.entry;
                json!({
                    "title": x.title,
                    "date": x.date,
                    "time": x.time.map(|t| t.format("%H:%M").to_string()),
                    "place": x.place,
                    "kind": x.kind,
                    "partners": x.partners,
                    "count": x.count,
                    "approx": x.approx,
                    "online": x.online,
                    "unit": (!x.unit.is_empty()).then_some(&x.unit),
                    "profile": x.profile,
                    "line": t.event_line(e),
                })
            })
            .collect();
        let groups: Vec<Value> = r
            .groups
            .iter()
            .map(|g| {
                json!({
                    "title": g.entry.title,
                    "date": g.entry.date,
                    "place": g.entry.place,
                    "partner": g.entry.partner,
                    "target": g.entry.target,
                    "meetings": g.meeting_count(),
                    "visits": g.visits(),
                    "profile": g.entry.profile,
                    "line": t.group_line(g),
                })
            })
            .collect();
        let feedback: Vec<Value> = r.feedback.iter().map(|f| feedback_json(f, self)).collect();
        top.insert("events".into(), Value::Array(events));
        top.insert("groups".into(), Value::Array(groups));
        top.insert("group_visits_total".into(), json!(r.totals.group_visits));
        top.insert("feedback".into(), Value::Array(feedback));
        top.insert("event_totals".into(), json!(r.totals));
        top.insert("head_counts".into(), json!(r.head_counts));
    }

    /// One CSV row per event, group, group total and feedback question.
    pub fn events_csv(&self, w: &mut Csv) {
        let Some(r) = self.events.filter(|r| !r.is_empty()) else {
            return;
        };
        let t = i18n::texts(self.lang);
        let count = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        for e in &r.events {
            let line = t.event_line(e);
            w.write_record([
                t.events_heading(),
                &e.entry.kind,
                &line,
                &count(e.entry.count),
                "",
            ]);
        }
        for g in &r.groups {
            let line = t.group_line(g);
            let visits = g.visits().to_string();
            w.write_record([t.groups_heading(), "group", &line, &visits, ""]);
        }
        if !r.groups.is_empty() {
            let line = t.group_visits_total(r.totals.group_visits);
            let total = r.totals.group_visits.to_string();
            w.write_record([t.groups_heading(), "group_visits_total", &line, &total, ""]);
        }
        for f in &r.feedback {
            let line = t.feedback_line(f);
            let n = f.entry.tally.answers().to_string();
            w.write_record([t.feedback_heading(), "feedback", &line, &n, ""]);
        }
    }
}

fn feedback_json(f: &Feedback, page: &Page<'_>) -> Value {
    let t = i18n::texts(page.lang);
    let (on, uid) = match &f.entry.target {
        FeedbackTarget::Event(u) => ("event", u),
        FeedbackTarget::Group(u) => ("group", u),
    };
    let mut v = json!({
        "about": f.about,
        "on": on,
        "uid": uid,
        "question": f.entry.question,
        "answers": f.entry.tally.answers(),
        "sentence": t.feedback_line(f),
    });
    let o = v.as_object_mut().expect("an object");
    match f.entry.tally {
        Tally::YesNo { yes, no } => {
            o.insert("yes".into(), json!(yes));
            o.insert("no".into(), json!(no));
        }
        Tally::Scale { counts } => {
            o.insert("counts".into(), json!(counts));
            o.insert("mean".into(), json!(f.entry.tally.mean()));
        }
        Tally::Mean { mean, .. } => {
            o.insert("mean".into(), json!(mean));
        }
        Tally::Slips { n } => {
            o.insert("slips".into(), json!(n));
        }
    }
    v
}

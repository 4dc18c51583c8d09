//! A period report as a page: ready sentences for the welfare report, key
//! figures and breakdowns with shares, in text, Markdown, JSON or CSV
//! (those forms in `report/forms.rs`).
//! Pure: takes the built report and the config's labels.
//!
//! `--min-count` hides the breakdowns' small counts (and their shares), in
//! the sentences too. The headline totals (sessions, visitors, mean,
//! median, range) stay: publishing them is the report's purpose, and on
//! their own they say nothing about anyone's matter.

use std::fmt::Write as _;

use super::assemble::FullReport;
use crate::config::{Config, Profile};
use crate::i18n::{self, Word};
use crate::locale::number;
use crate::locale::{self, Lang};
use crate::report::error::ReportError;
use crate::report::events::EventsReport;
use crate::report::period::{CHANNEL, PeriodKind, PeriodReport, Remote, Shown};
use crate::report::{UNRECORDED, ranked};

mod forms;

/// An output form of `tiski report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
    Csv,
    /// An Excel workbook with tables and charts.
    Xlsx,
    /// A Word chapter with headings, tables, charts and lists.
    Docx,
}

/// The forms `--format` accepts, for messages.
pub const FORMATS: &str = "text, md, json, csv, xlsx, docx";

impl Format {
    /// The format a file's name asks for (`raportti.xlsx`); text for any
    /// other name.
    pub fn of_file(path: &std::path::Path) -> Format {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("md" | "markdown") => Format::Markdown,
            Some("json") => Format::Json,
            Some("csv") => Format::Csv,
            Some("xlsx") => Format::Xlsx,
            Some("docx") => Format::Docx,
            _ => Format::Text,
        }
    }

    /// Whether the format is a file of its own, not for a terminal.
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Xlsx | Format::Docx)
    }

    /// The format as `--format` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "md",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Docx => "docx",
        }
    }

    pub fn parse(value: &str) -> Result<Format, ReportError> {
        match value.trim().to_ascii_lowercase().as_str() {
            "text" | "txt" => Ok(Format::Text),
            "md" | "markdown" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            "xlsx" | "excel" => Ok(Format::Xlsx),
            "docx" | "word" => Ok(Format::Docx),
            _ => Err(ReportError::UnknownFormat {
                value: value.to_string(),
                valid: FORMATS,
            }),
        }
    }
}

/// One labelled count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub key: String,
    pub label: String,
    pub count: u32,
    /// How every form shows it: small counts hidden, and where one alone
    /// would be, the next smallest withheld too.
    pub shown: Shown,
}

/// A breakdown: topics, referrals, a field, weekdays or hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Where it goes in JSON: `topics`, `referrals`, `fields.<key>`, ….
    pub id: String,
    pub title: String,
    pub rows: Vec<Row>,
}

/// A report with everything needed to word it.
pub struct Page<'a> {
    pub report: &'a PeriodReport,
    pub config: &'a Config,
    /// `None`: all profiles together.
    pub profile: Option<&'a Profile>,
    /// For all profiles together: each profile's own report, so that its
    /// topics, referrals and fields stay its own (two profiles may both
    /// have a `kela`). Empty for one profile.
    pub parts: &'a [(&'a Profile, PeriodReport)],
    pub location: Option<&'a str>,
    pub device: Option<&'a str>,
    pub lang: Lang,
    pub min_count: Option<u32>,
    /// The period's events, groups and feedback (`export::events`); none
    /// for a profile's part of an all-profile page.
    pub events: Option<&'a EventsReport>,
    /// When the page was made: the command's one clock reading, so a
    /// document's own dates (a workbook's creation time) are not a second
    /// look at the clock.
    pub made: chrono::DateTime<chrono::Utc>,
}

const WEEKDAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl<'a> Page<'a> {
    /// The page of `full`, worded in `lang`, counts below `min_count`
    /// hidden.
    pub fn new(
        full: &'a FullReport<'a>,
        config: &'a Config,
        lang: Lang,
        min_count: Option<u32>,
        made: chrono::DateTime<chrono::Utc>,
    ) -> Page<'a> {
        Page {
            report: &full.report,
            config,
            profile: full.scope.profile,
            parts: &full.parts,
            location: full.scope.location,
            device: full.scope.device,
            lang,
            min_count,
            events: full.events.as_ref(),
            made,
        }
    }
}

impl Page<'_> {
    fn texts(&self) -> &'static dyn i18n::Texts {
        i18n::texts(self.lang)
    }

    fn profiles(&self) -> Vec<&Profile> {
        match self.profile {
            Some(p) => vec![p],
            None => self.config.profiles.values().collect(),
        }
    }

    pub fn shown(&self, n: u32) -> Shown {
        Shown::new(n, self.min_count)
    }

    /// A count in a sentence: a hidden one in words ("alle 5"), since
    /// "<5" is for tables; a withheld one not at all.
    fn spelled(&self, shown: Shown) -> String {
        match shown {
            Shown::Hidden(min) => self.texts().fewer_than(min),
            Shown::Withheld => String::new(),
            shown => shown.to_string(),
        }
    }

    /// The counts of each of `sections` as they may be shown.
    fn hide_small(&self, sections: &mut [Section]) {
        for sec in sections {
            let counts: Vec<u32> = sec.rows.iter().map(|r| r.count).collect();
            for (row, shown) in sec
                .rows
                .iter_mut()
                .zip(Shown::breakdown(&counts, self.min_count))
            {
                row.shown = shown;
            }
        }
    }

    /// The breakdowns a reader's page shows, and the line that names those
    /// it leaves out: a breakdown whose every count is hidden says only
    /// which options occurred (a small desk's month: every topic "<5"),
    /// so a page leaves it out rather than fill itself with "<5".
    pub fn readable_sections(&self) -> (Vec<Section>, Option<String>) {
        let (shown, left): (Vec<Section>, Vec<Section>) =
            self.sections().into_iter().partition(|s| {
                let mut counted = s.rows.iter().filter(|r| r.count > 0).peekable();
                counted.peek().is_none() || counted.any(|r| r.shown.count().is_some())
            });
        let every = shown.iter().all(|s| s.rows.is_empty());
        let note = self.min_count.filter(|_| !left.is_empty()).map(|min| {
            let titles: Vec<&str> = match every {
                true => Vec::new(),
                false => left.iter().map(|s| s.title.as_str()).collect(),
            };
            self.texts().left_out_note(&titles, min)
        });
        (shown, note)
    }

    /// Whether any row of `sections` is withheld (`x`), to explain it.
    fn any_withheld(sections: &[Section]) -> bool {
        sections
            .iter()
            .flat_map(|s| &s.rows)
            .any(|r| r.shown == Shown::Withheld)
    }

    /// A row's share, "33 %" (Finnish) or "33%"; empty when its count is
    /// hidden.
    pub fn share(&self, row: &Row) -> String {
        self.share_in(row, self.lang)
    }

    /// [`Page::share`] written as `lang` writes numbers.
    fn share_in(&self, row: &Row, lang: Lang) -> String {
        match (row.shown, self.report.share(row.count)) {
            (Shown::Count(_), Some(s)) => {
                let pct = (s * 100.0).round();
                match lang {
                    Lang::Fi => format!("{pct:.0} %"),
                    Lang::En => format!("{pct:.0}%"),
                }
            }
            _ => String::new(),
        }
    }

    /// This page for one of the profiles of an all-profile report.
    fn part<'p>(&'p self, profile: &'p Profile, report: &'p PeriodReport) -> Page<'p> {
        Page {
            report,
            config: self.config,
            profile: Some(profile),
            parts: &[],
            location: self.location,
            device: self.device,
            lang: self.lang,
            min_count: self.min_count,
            events: None,
            made: self.made,
        }
    }

    /// The breakdowns, each ranked most first. For all profiles together
    /// each profile's topics, referrals, fields and vouchers come as
    /// sections of their own (ids `profiles.ID.topics`, …), then what all
    /// share: weekdays, places and hours.
    pub fn sections(&self) -> Vec<Section> {
        if self.profile.is_some() || self.parts.is_empty() {
            let mut out = self.own_sections();
            let vouchers = out.iter().position(|s| s.id == "vouchers");
            let vouchers = vouchers.map(|i| out.remove(i));
            let mut common = self.common_sections();
            // The order of a one-profile page: vouchers before the hours.
            let hours = common.pop();
            out.extend(common);
            out.extend(vouchers);
            out.extend(hours);
            return out;
        }
        let mut out = Vec::new();
        for (p, r) in self.parts {
            for mut sec in self.part(p, r).own_sections() {
                sec.id = format!("profiles.{}.{}", p.id, sec.id);
                sec.title = format!("{} · {}", sec.title, p.name(self.lang));
                out.push(sec);
            }
        }
        out.extend(self.common_sections());
        out
    }

    /// The profile's own breakdowns: topics, referrals, fields, vouchers.
    fn own_sections(&self) -> Vec<Section> {
        let lang = self.lang;
        let t = self.texts();
        let profiles = self.profiles();
        let r = self.report;
        let mut out = Vec::new();
        let order: Vec<&str> = profiles
            .iter()
            .flat_map(|p| p.topics.iter().map(|c| c.key.as_str()))
            .collect();
        let label = |k: &str| {
            profiles
                .iter()
                .find_map(|p| p.topic(k))
                .map_or(k.to_string(), |c| c.label(lang).to_string())
        };
        out.push(section(
            "topics",
            t.word(Word::Topics),
            &r.topics,
            &order,
            label,
        ));

        let order: Vec<&str> = profiles
            .iter()
            .flat_map(|p| p.referrals.iter().map(|c| c.key.as_str()))
            .collect();
        let label = |k: &str| {
            profiles
                .iter()
                .find_map(|p| p.referral(k))
                .map_or(k.to_string(), |c| c.label(lang).to_string())
        };
        out.push(section(
            "referrals",
            t.word(Word::Referrals),
            &r.referrals,
            &order,
            label,
        ));

        // The profile's fields in its order, then any the data has besides.
        let mut fields: Vec<&str> = Vec::new();
        for f in profiles.iter().flat_map(|p| p.fields.iter()) {
            if !fields.contains(&f.key.as_str()) {
                fields.push(&f.key);
            }
        }
        for k in r.fields.keys() {
            if !fields.contains(&k.as_str()) {
                fields.push(k);
            }
        }
        let empty = crate::report::period::Counts::new();
        for key in fields {
            let def = profiles.iter().find_map(|p| p.field(key));
            let title = def.map_or(key.to_string(), |d| d.label(lang).to_string());
            let order: Vec<&str> = def
                .map(|d| d.options.iter().map(|o| o.key.as_str()).collect())
                .unwrap_or_default();
            let label = |k: &str| {
                if k == UNRECORDED {
                    return t.word(Word::Unrecorded).to_string();
                }
                profiles
                    .iter()
                    .filter_map(|p| p.field(key))
                    .find_map(|d| d.option(k))
                    .map_or(k.to_string(), |o| o.label(lang).to_string())
            };
            let counts = r.fields.get(key).unwrap_or(&empty);
            if counts.is_empty() && self.profile.is_none() {
                // All profiles together: only the fields that were used.
                continue;
            }
            out.push(section(
                &format!("fields.{key}"),
                &title,
                counts,
                &order,
                label,
            ));
        }

        if !r.vouchers.is_empty() {
            let order: Vec<&str> = profiles
                .iter()
                .filter_map(|p| p.voucher_settings())
                .flat_map(|c| c.products.iter().map(|p| p.key.as_str()))
                .collect();
            let label = |k: &str| {
                profiles
                    .iter()
                    .filter_map(|p| p.voucher_settings())
                    .find_map(|c| c.product(k))
                    .map_or(k.to_string(), |p| p.label(lang).to_string())
            };
            out.push(section(
                "vouchers",
                t.word(Word::Vouchers),
                &r.vouchers,
                &order,
                label,
            ));
        }
        self.hide_small(&mut out);
        out
    }

    /// What every profile shares: weekdays, places, hours.
    fn common_sections(&self) -> Vec<Section> {
        let lang = self.lang;
        let t = self.texts();
        let r = self.report;
        let mut out = Vec::new();
        let monday = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("a Monday");
        out.push(Section {
            id: "weekdays".into(),
            title: t.word(Word::Weekdays).into(),
            rows: (0..7)
                .filter(|i| r.weekdays[*i] > 0)
                .map(|i| Row {
                    key: WEEKDAY_KEYS[i].into(),
                    label: locale::weekday(monday + chrono::Duration::days(i as i64), lang).into(),
                    count: r.weekdays[i],
                    shown: Shown::Count(r.weekdays[i]),
                })
                .collect(),
        });
        out.push(section(
            "locations",
            t.word(Word::Locations),
            &r.locations,
            &[],
            str::to_string,
        ));
        out.push(Section {
            id: "hours".into(),
            title: t.word(Word::Hours).into(),
            rows: r
                .hours
                .iter()
                .map(|(h, n)| Row {
                    key: format!("{h:02}"),
                    label: format!("{h:02}–{:02}", h + 1),
                    count: *n,
                    shown: Shown::Count(*n),
                })
                .collect(),
        });
        self.hide_small(&mut out);
        out
    }

    /// "Raportti: Ikäihmisten hyvinvointiohjaus, vuosi 2023 (1.1.2023–31.12.2023)"
    pub fn heading(&self) -> String {
        let t = self.texts();
        let p = &self.report.period;
        let who = self
            .profile
            .map_or(t.word(Word::AllProfiles), |p| p.name(self.lang));
        let span = format!(
            "{}–{}",
            locale::date(p.from, self.lang),
            locale::date(p.to, self.lang)
        );
        let mut s = if p.kind == PeriodKind::Custom {
            format!("{}: {who}, {span}", t.word(Word::Report))
        } else {
            format!(
                "{}: {who}, {} ({span})",
                t.word(Word::Report),
                t.period_name(p)
            )
        };
        if let Some(l) = self.location {
            let _ = write!(s, " · {} {l}", t.word(Word::Location));
        }
        if let Some(d) = self.device {
            let _ = write!(s, " · {} {d}", t.word(Word::Device));
        }
        s
    }

    /// The sentences that open the page, ready to paste into the report.
    /// For all profiles together: the totals, then each profile's topics,
    /// referrals and vouchers in a sentence of its own.
    pub fn prose(&self) -> String {
        let t = self.texts();
        let mut s = t.report_opening(self.report, &self.remote());
        if self.profile.is_none() && !self.parts.is_empty() {
            for (p, r) in self.parts {
                let more = self.part(p, r).breakdown_prose();
                if !more.is_empty() {
                    let _ = write!(s, " {}:{more}", p.name(self.lang));
                }
            }
        } else {
            s.push_str(&self.breakdown_prose());
        }
        s
    }

    /// How many visitors came by phone or e-mail (the channel field), as
    /// the channel's breakdown shows them: a small count hidden, one
    /// withheld left out.
    fn remote(&self) -> Vec<(Remote, String)> {
        let Some(channel) = self.report.fields.get(CHANNEL) else {
            return Vec::new();
        };
        let counts: Vec<u32> = channel.values().copied().collect();
        let shown = Shown::breakdown(&counts, self.min_count);
        Remote::ALL
            .iter()
            .filter_map(|r| {
                let i = channel.keys().position(|k| k == r.option())?;
                let n = self.spelled(shown[i]);
                (counts[i] > 0 && !n.is_empty()).then_some((*r, n))
            })
            .collect()
    }

    /// " Yleisimmät aiheet: … Ohjattiin …": the most common topics,
    /// referrals and vouchers, each sentence led by a space.
    fn breakdown_prose(&self) -> String {
        let t = self.texts();
        let r = self.report;
        let mut s = String::new();
        let sections = self.sections();
        let top = |id: &str| -> String {
            let rows = sections
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.rows.as_slice())
                .unwrap_or_default();
            rows.iter()
                .take(3)
                .map(|row| {
                    let n = self.spelled(row.shown);
                    if n.is_empty() {
                        row.label.clone()
                    } else {
                        format!("{} {n}", row.label)
                    }
                })
                .collect::<Vec<_>>()
                // Labels may hold a comma ("Sosiaaliturva, Kela").
                .join("; ")
        };
        if !r.topics.is_empty() {
            let _ = write!(s, " {}", t.report_topics(&top("topics")));
        }
        if r.referred() > 0 {
            let n = self.spelled(self.shown(r.referred()));
            let _ = write!(s, " {}", t.report_referrals(&n, &top("referrals")));
        }
        if r.vouchers_written() > 0 {
            let n = self.spelled(self.shown(r.vouchers_written()));
            let _ = write!(s, " {}", t.report_vouchers(&n, &top("vouchers")));
        }
        s
    }

    /// (key, label, value) of the key figures, their numbers written as
    /// `lang` writes them.
    pub fn key_figures(
        &self,
        lang: Lang,
    ) -> Vec<(&'static str, std::borrow::Cow<'static, str>, String)> {
        let t = self.texts();
        let r = self.report;
        let opt = |x: Option<f64>| x.map_or("–".to_string(), |x| number(x, lang));
        let mean = r.mean.map_or("–".to_string(), |m| locale::decimal(m, lang));
        let mut figures = vec![
            (
                "sessions",
                t.word(Word::Sessions).into(),
                r.sessions.to_string(),
            ),
            (
                "visitors",
                t.word(Word::Visitors).into(),
                r.visitors.to_string(),
            ),
            ("mean_visitors_per_session", t.word(Word::Mean).into(), mean),
            (
                "median_visitors_per_session",
                t.word(Word::Median).into(),
                opt(r.median),
            ),
            (
                "min_max_visitors_per_session",
                t.word(Word::MinMax).into(),
                match (r.min, r.max) {
                    (Some(a), Some(b)) => format!("{a}–{b}"),
                    _ => "–".into(),
                },
            ),
            (
                "empty_sessions",
                t.word(Word::EmptySessions).into(),
                r.empty_sessions.to_string(),
            ),
        ];
        // Visitors counted together at the desk, shown apart (issue 16).
        if let Some(n) = self.events.map(|e| e.head_counts).filter(|n| *n > 0) {
            figures.insert(
                2,
                ("head_counts", t.head_counts_label().into(), n.to_string()),
            );
        }
        if let Some(c) = r.rota {
            let scheduled = match c.since {
                Some(d) => t.rota_scheduled_since(&crate::locale::date(d, lang)).into(),
                None => t.word(Word::RotaScheduled).into(),
            };
            figures.extend([
                ("rota_scheduled", scheduled, c.scheduled.to_string()),
                (
                    "rota_held",
                    t.word(Word::RotaHeld).into(),
                    c.held.to_string(),
                ),
                (
                    "rota_cancelled",
                    t.word(Word::RotaCancelled).into(),
                    c.cancelled.to_string(),
                ),
                (
                    "rota_not_recorded",
                    t.word(Word::RotaNotRecorded).into(),
                    c.not_recorded.to_string(),
                ),
                (
                    "rota_outside",
                    t.word(Word::RotaOutside).into(),
                    c.outside_rota.to_string(),
                ),
            ]);
        }
        figures
    }
}

/// Escapes what Markdown would read as markup.
pub(super) fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '|' | '*' | '_' | '<' | '[' | ']' | '`' | '#' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn section(
    id: &str,
    title: &str,
    counts: &crate::report::period::Counts,
    order: &[&str],
    label: impl Fn(&str) -> String,
) -> Section {
    Section {
        id: id.to_string(),
        title: title.to_string(),
        rows: ranked(counts, order)
            .into_iter()
            .map(|(k, n)| Row {
                key: k.to_string(),
                label: label(k),
                count: n,
                shown: Shown::Count(n),
            })
            .collect(),
    }
}

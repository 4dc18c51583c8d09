//! `tiski tally`: a day's figures, as text or JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::Scope;
use crate::clock::parse_day;
use crate::config::{Config, Profile};
use crate::error::Error;
use crate::i18n;
use crate::locale::{self, Lang};
use crate::report::{DayTally, UNRECORDED, ranked};
use crate::store::Store;
use crate::text;

/// `tiski tally`: a day (as typed; `None` is today), as text or JSON.
#[derive(Debug, Clone, Default)]
pub struct TallyRequest {
    pub profile: Option<String>,
    pub date: Option<String>,
    pub json: bool,
}

/// One profile's part of `tiski tally --json` (and the whole of it with
/// `--profile`).
#[derive(Serialize)]
struct TallyJson<'a> {
    date: NaiveDate,
    profile: Option<&'a str>,
    visitors: u32,
    /// The part of `visitors` logged as head-counts, without topics.
    head_counts: u32,
    sessions: u32,
    topics: &'a BTreeMap<String, u32>,
    referrals: &'a BTreeMap<String, u32>,
    hours: BTreeMap<String, u32>,
    /// Field → option → visits; `unrecorded` for visits without a value.
    fields: &'a BTreeMap<String, BTreeMap<String, u32>>,
    /// Calendar year from 1 January to `date`, zero-visitor sessions included.
    avg_visitors_per_session: Option<f64>,
    year_sessions: u32,
    year_visitors: u32,
    /// Product → vouchers handed out that day (not cancelled).
    vouchers_issued: BTreeMap<String, u32>,
}

impl<'a> TallyJson<'a> {
    fn new(
        t: &'a DayTally,
        profile: Option<&'a str>,
        vouchers_issued: BTreeMap<String, u32>,
    ) -> Self {
        TallyJson {
            date: t.date,
            profile,
            visitors: t.visitors,
            head_counts: t.head_counts,
            sessions: t.sessions,
            topics: &t.topics,
            referrals: &t.referrals,
            hours: t
                .hours
                .iter()
                .map(|(h, n)| (format!("{h:02}"), *n))
                .collect(),
            fields: &t.fields,
            avg_visitors_per_session: t.year.mean(),
            year_sessions: t.year.sessions,
            year_visitors: t.year.visitors,
            vouchers_issued,
        }
    }
}

/// `tiski tally`: a day's figures as text or JSON. Without `--profile`,
/// the totals of all profiles, and each profile's topics, referrals and
/// fields as its own (two profiles may both have a `kela`).
pub fn tally(
    store: &Store,
    config: &Config,
    lang: Lang,
    req: TallyRequest,
    today: NaiveDate,
) -> Result<(), Error> {
    let date = req
        .date
        .as_deref()
        .map(|v| parse_day(v, today))
        .transpose()?
        .unwrap_or(today);
    let scope = Scope {
        profile: req.profile,
        location: None,
    };
    let profiles: Vec<&Profile> = match scope.profile(config)? {
        Some(p) => vec![p],
        None => config.profiles.values().collect(),
    };
    let mut parts = Vec::new();
    for p in &profiles {
        let t = store.day_tally(p, date)?;
        let vouchers = store.vouchers_issued_on(Some(&p.id), date)?;
        parts.push((*p, t, vouchers));
    }
    let one = scope.profile.is_some();
    if req.json {
        let out = if let [(p, t, v)] = parts.as_slice()
            && one
        {
            serde_json::to_value(TallyJson::new(t, Some(&p.id), v.clone()))
        } else {
            let total = store.day_tally_of(None, date)?;
            let vouchers = store.vouchers_issued_on(None, date)?;
            let mut top = serde_json::to_value(TallyJson::new(&total, None, vouchers))
                .expect("tally serializes");
            let mut each = serde_json::Map::new();
            let (mut topics, mut referrals, mut fields) = Default::default();
            for (p, t, v) in &parts {
                prefix_into(&mut topics, &p.id, &t.topics);
                prefix_into(&mut referrals, &p.id, &t.referrals);
                prefix_into(&mut fields, &p.id, &t.fields);
                let j = serde_json::to_value(TallyJson::new(t, Some(&p.id), v.clone()))
                    .expect("tally serializes");
                each.insert(p.id.clone(), j);
            }
            top["topics"] = serde_json::Value::Object(topics);
            top["referrals"] = serde_json::Value::Object(referrals);
            top["fields"] = serde_json::Value::Object(fields);
            top["profiles"] = serde_json::Value::Object(each);
            Ok(top)
        }
        .expect("tally serializes");
        say!(
            "{}",
            crate::text::json_safe(serde_json::to_string_pretty(&out).expect("tally serializes"))
        );
    } else if let [(p, t, v)] = parts.as_slice()
        && one
    {
        say_part!("{}", tally_text(p, t, v, lang, true));
    } else {
        let tx = i18n::texts(lang);
        let total = store.day_tally_of(None, date)?;
        say!("{}", tx.tally_heading(&locale::date(date, lang), None));
        say!("{}", tx.tally_visitors(total.visitors, total.sessions));
        say!(
            "{}",
            tx.year_average(date.year(), total.year.mean(), total.year.sessions)
        );
        for (p, t, v) in parts.iter().filter(|(_, t, _)| t.sessions > 0) {
            say_part!("\n{}", tally_text(p, t, v, lang, false));
        }
    }
    Ok(())
}

/// `{"ikaihmiset:kela": 1}`: one profile's counts under keys of its own.
fn prefix_into<T: Serialize>(
    into: &mut serde_json::Map<String, serde_json::Value>,
    profile: &str,
    counts: &BTreeMap<String, T>,
) {
    for (k, v) in counts {
        let v = serde_json::to_value(v).expect("counts serialize");
        into.insert(format!("{profile}:{k}"), v);
    }
}

/// One profile's day as text; `whole` adds the heading and the year, as
/// for `--profile` (all profiles together have them once, at the top).
pub fn tally_text(
    profile: &Profile,
    t: &DayTally,
    vouchers: &BTreeMap<String, u32>,
    lang: Lang,
    whole: bool,
) -> String {
    let tx = i18n::texts(lang);
    let mut s = String::new();
    if whole {
        let day = locale::date(t.date, lang);
        let _ = writeln!(s, "{}", tx.tally_heading(&day, Some(profile.name(lang))));
    } else {
        let _ = writeln!(s, "{}", text::clean(profile.name(lang)));
    }
    let _ = writeln!(s, "{}", tx.tally_visitors(t.visitors, t.sessions));
    if t.head_counts > 0 {
        let _ = writeln!(s, "  {}", tx.head_counted(t.head_counts));
    }
    if whole {
        let _ = writeln!(
            s,
            "{}",
            tx.year_average(t.date.year(), t.year.mean(), t.year.sessions)
        );
    }
    let mut section = |title: &str, rows: Vec<(String, u32)>| {
        let _ = writeln!(s, "\n{title}");
        if rows.is_empty() {
            let _ = writeln!(s, "  {}", tx.none());
        }
        let w = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
        for (label, n) in rows {
            let _ = writeln!(s, "  {label:<w$}  {n:>3}");
        }
    };
    let order = |list: &[crate::config::Choice]| -> Vec<String> {
        list.iter().map(|c| c.key.clone()).collect()
    };
    let topic_order = order(&profile.topics);
    let topic_order: Vec<&str> = topic_order.iter().map(String::as_str).collect();
    section(
        tx.topics(),
        ranked(&t.topics, &topic_order)
            .into_iter()
            .map(|(k, n)| (text::clean(profile.topic_label(k, lang)).into_owned(), n))
            .collect(),
    );
    let referral_order = order(&profile.referrals);
    let referral_order: Vec<&str> = referral_order.iter().map(String::as_str).collect();
    section(
        tx.referrals(),
        ranked(&t.referrals, &referral_order)
            .into_iter()
            .map(|(k, n)| (text::clean(profile.referral_label(k, lang)).into_owned(), n))
            .collect(),
    );
    for f in &profile.fields {
        let Some(counts) = t.fields.get(&f.key) else {
            continue;
        };
        let options: Vec<&str> = f.options.iter().map(|o| o.key.as_str()).collect();
        let rows = ranked(counts, &options)
            .into_iter()
            .map(|(k, n)| {
                let label = if k == UNRECORDED {
                    tx.word(crate::i18n::Word::Unrecorded).to_string()
                } else {
                    f.option(k).map_or(k, |o| o.label(lang)).to_string()
                };
                (text::clean(&label).into_owned(), n)
            })
            .collect();
        section(&text::clean(f.label(lang)), rows);
    }
    if let Some(cfg) = profile.voucher_settings() {
        section(
            tx.word(crate::i18n::Word::Vouchers),
            vouchers
                .iter()
                .map(|(k, n)| (text::clean(cfg.product_label(k, lang)).into_owned(), *n))
                .collect(),
        );
    }
    section(
        tx.by_hour(),
        t.hours
            .iter()
            .map(|(h, n)| (format!("{h:02}–{:02}", h + 1), *n))
            .collect(),
    );
    s
}

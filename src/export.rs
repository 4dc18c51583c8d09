//! Exports of a period's visits; the report's own page is in `export/report.rs`.
//!
//! - CSV, for Finnish Excel and LibreOffice: `;` separator, UTF-8 with a
//!   BOM, dates `14.11.2023` (English: `2023-11-14`), times `10:05` and
//!   the decimal comma in both languages, one row per visit. Topics come
//!   twice: a joined, readable `Aiheet` field (labels joined with ", ") and
//!   one column per topic holding 1 or 0, so a spreadsheet sums a topic
//!   with `SUM` and filters on it without splitting text.
//! - Small counts: with a threshold N (the config's `privacy.min_count`,
//!   or `--min-count`), a row whose combination of optional fields (channel,
//!   client group, age band, language, interpreting, new or returning, …:
//!   every field of its profile) occurs on fewer than N rows of the export
//!   shows those fields as `<N`; in the voucher CSV, a birth year on fewer
//!   than N rows does. The caller is told how many cells were blanked.
//! - JSONL, lossless: a header line, then every session, visit, cancelled
//!   day and deletion (tombstone) with all fields, row ids and uids included.
//!   `tiski import` reads it back; a session's `visitors` and the row ids
//!   are informative there (counts are recounted, ids are local).

pub mod assemble;
pub mod charts;
pub mod docx;
pub mod events;
pub mod jsonl;
pub mod notice;
pub mod report;
pub mod spreadsheet;
pub mod xlsx;

use crate::config::{Config, Profile};
use crate::i18n::{self, Word};
use crate::locale::{self, Lang};
use crate::store::{PeriodData, SessionRecord, VisitRecord};
use spreadsheet::{csv_writer, finish_csv};

pub use jsonl::{HEADER_TYPE, JSONL_VERSION, write_jsonl};

/// A CSV export: its text, its data rows and the cells blanked because
/// their combination was rare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Csv {
    pub text: String,
    pub rows: usize,
    pub blanked: usize,
}

/// The visits CSV; with `min_count`, rare combinations of the optional
/// fields blanked.
pub fn visits_csv(
    data: &PeriodData,
    config: &Config,
    profile: Option<&Profile>,
    lang: Lang,
    min_count: Option<u32>,
) -> Csv {
    let t = i18n::texts(lang);
    // One profile, or those that appear in the data (columns of a profile
    // nobody used would be noise).
    let profiles: Vec<&Profile> = match profile {
        Some(p) => vec![p],
        None => config
            .profiles
            .values()
            .filter(|p| data.sessions.iter().any(|s| s.session.profile == p.id))
            .collect(),
    };
    // Topic columns are each profile's own (two profiles may both have a
    // `kela`), then any topic the data has besides; field columns go by key.
    let sessions: std::collections::HashMap<&str, &SessionRecord> = data
        .sessions
        .iter()
        .map(|s| (s.session.uid.as_str(), s))
        .collect();
    let profile_of = |v: &VisitRecord| -> &str {
        sessions
            .get(v.session_uid.as_str())
            .map_or("", |s| s.session.profile.as_str())
    };
    let mut topics: Vec<(String, String)> = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    for p in &profiles {
        for c in &p.topics {
            push_new(&mut topics, (p.id.clone(), c.key.clone()));
        }
        for f in &p.fields {
            push_new(&mut fields, f.key.clone());
        }
    }
    for v in &data.visits {
        for k in &v.visit.entry.topics {
            push_new(&mut topics, (profile_of(v).to_string(), k.clone()));
        }
        for k in v.visit.entry.fields.keys() {
            push_new(&mut fields, k.clone());
        }
    }
    let find_profile = |id: &str| config.profile(id);
    let topic_label = |p: Option<&Profile>, k: &str| -> String {
        p.and_then(|p| p.topic(k))
            .map_or(k.to_string(), |c| c.label(lang).to_string())
    };
    let field_label = |k: &str| -> String {
        profiles
            .iter()
            .find_map(|p| p.field(k))
            .map_or(k.to_string(), |f| f.label(lang).to_string())
    };
    let topic_headers: Vec<String> = {
        let labels: Vec<String> = topics
            .iter()
            .map(|(p, k)| topic_label(find_profile(p), k))
            .collect();
        labels
            .iter()
            .zip(&topics)
            .map(|(l, (p, _))| {
                if labels.iter().filter(|x| *x == l).count() > 1 {
                    format!("{l} ({p})")
                } else {
                    l.clone()
                }
            })
            .collect()
    };

    let mut w = csv_writer();
    let mut header: Vec<String> = [
        Word::Date,
        Word::Time,
        Word::Weekday,
        Word::Profile,
        Word::Location,
        Word::Device,
        Word::Session,
        Word::Topics,
        Word::Referrals,
    ]
    .iter()
    .map(|w| t.word(*w).to_string())
    .collect();
    header.extend(fields.iter().map(|k| field_label(k)));
    header.extend(topic_headers);
    header.push(t.word(Word::Note).into());
    header.push(t.word(Word::Id).into());
    w.write_record(&header);

    // A visit's combination: its profile and the value of every field.
    let combos: Vec<(&str, Vec<Option<&String>>)> = data
        .visits
        .iter()
        .map(|v| {
            let values = fields.iter().map(|f| v.visit.entry.fields.get(f)).collect();
            (profile_of(v), values)
        })
        .collect();
    let rare = crate::privacy::small_counts::rare(&combos, min_count);
    let mut blanked = 0;
    for (v, rare) in data.visits.iter().zip(rare) {
        let s = sessions.get(v.session_uid.as_str());
        let profile_id = profile_of(v);
        let p = find_profile(profile_id);
        let e = &v.visit.entry;
        let mut row: Vec<String> = vec![
            locale::date(v.visit.at.date(), lang),
            spreadsheet::csv_time(v.visit.at),
            locale::weekday(v.visit.at.date(), lang).to_string(),
            p.map_or(profile_id.to_string(), |p| p.name(lang).to_string()),
            s.map_or(String::new(), |s| s.session.location.clone()),
            s.map_or(String::new(), |s| s.device.clone()),
            v.session_uid.clone(),
            e.topics
                .iter()
                .map(|k| topic_label(p, k))
                .collect::<Vec<_>>()
                .join(", "),
            e.referral.as_deref().map_or(String::new(), |k| {
                p.and_then(|p| p.referral(k))
                    .map_or(k.to_string(), |c| c.label(lang).to_string())
            }),
        ];
        for f in &fields {
            // An empty field is blanked too when the row is rare: which
            // fields were left empty is part of the combination.
            let own = e.fields.contains_key(f) || p.is_some_and(|p| p.field(f).is_some());
            if rare && own {
                blanked += 1;
                row.push(crate::privacy::small_counts::blank(min_count.unwrap_or(0)));
                continue;
            }
            row.push(e.fields.get(f).map_or(String::new(), |o| {
                p.and_then(|p| p.field(f))
                    .and_then(|d| d.option(o))
                    .map_or(o.clone(), |c| c.label(lang).to_string())
            }));
        }
        for (tp, k) in &topics {
            let raised = tp == profile_id && e.topics.contains(k);
            row.push(if raised { "1" } else { "0" }.into());
        }
        row.push(e.note.clone());
        row.push(v.visit.uid.clone());
        w.write_record(&row);
    }
    Csv {
        text: finish_csv(w),
        rows: data.visits.len(),
        blanked,
    }
}

fn push_new<T: PartialEq>(v: &mut Vec<T>, k: T) {
    if !v.contains(&k) {
        v.push(k);
    }
}

/// The voucher register as CSV for Finnish Excel (`;`, BOM, 14.11.2023,
/// decimal comma in the amounts, in English too): one row per voucher, the status as of
/// `today`; with `min_count`, a birth year on fewer rows is blanked.
pub fn vouchers_csv(
    vouchers: &[crate::voucher::Voucher],
    config: &Config,
    today: chrono::NaiveDate,
    lang: Lang,
    min_count: Option<u32>,
) -> Csv {
    let t = i18n::texts(lang);
    let mut w = csv_writer();
    let head: Vec<&str> = t
        .register_columns()
        .into_iter()
        .chain(t.voucher_csv_columns())
        .collect();
    w.write_record(&head);
    let date = |d: Option<chrono::NaiveDate>| d.map_or(String::new(), |d| locale::date(d, lang));
    // The decimal comma in English too: see `spreadsheet::EXCEL`.
    let amount = |c: Option<crate::voucher::Cents>| {
        c.map_or(String::new(), |c| format!("{},{:02}", c.0 / 100, c.0 % 100))
    };
    let years: Vec<Option<i32>> = vouchers.iter().map(|v| v.birth_year).collect();
    let rare = crate::privacy::small_counts::rare(&years, min_count);
    let mut blanked = 0;
    for (v, rare) in vouchers.iter().zip(rare) {
        let birth_year = match v.birth_year {
            Some(_) if rare => {
                blanked += 1;
                crate::privacy::small_counts::blank(min_count.unwrap_or(0))
            }
            y => y.map_or(String::new(), |y| y.to_string()),
        };
        let product = config
            .profile(&v.profile)
            .and_then(|p| p.voucher_settings())
            .map_or(v.product.as_str(), |c| c.product_label(&v.product, lang));
        w.write_record([
            v.number.clone(),
            product.to_string(),
            locale::date(v.issued_on(), lang),
            locale::date(v.valid_until, lang),
            t.status_label(v.status(today)).to_string(),
            amount(v.used_amount),
            v.profile.clone(),
            date(v.used_on),
            v.shop.clone().unwrap_or_default(),
            date(v.cancelled_on),
            v.cancel_reason.clone().unwrap_or_default(),
            birth_year,
        ]);
    }
    Csv {
        text: finish_csv(w),
        rows: vouchers.len(),
        blanked,
    }
}

//! The import's fast reading of the lines an export writes most (visits
//! and sessions): each line parsed straight into its fields, borrowed
//! from the line where no escape needs unescaping, with no
//! `serde_json::Value` in between. Only a line that is right is read
//! here; anything else (a field missing, of the wrong type or empty, a
//! time in another form, a note too long, a key twice) is left to the
//! careful reading in `jsonl`, which names what is wrong. What this
//! reading makes of a line is exactly what the careful one makes of it.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;

use crate::domain::{DutySession, SessionId, Visit, VisitEntry, VisitId};
use crate::store::{Record, SessionRecord, VisitRecord};

/// The fields of a visit's or a session's line (others are ignored, as
/// the careful reading ignores them).
#[derive(Deserialize)]
struct Line<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    uid: Option<Cow<'a, str>>,
    // A visit's.
    #[serde(borrow)]
    session_uid: Option<Cow<'a, str>>,
    #[serde(borrow)]
    at: Option<Cow<'a, str>>,
    // Owned at once: the record keeps them (a list and a map of borrowed
    // texts first would cost an allocation more each).
    topics: Option<Vec<String>>,
    #[serde(borrow)]
    referral: Option<Cow<'a, str>>,
    fields: Option<BTreeMap<String, String>>,
    #[serde(borrow)]
    note: Option<Cow<'a, str>>,
    #[serde(borrow)]
    updated_at: Option<Cow<'a, str>>,
    // A session's.
    #[serde(borrow)]
    profile: Option<Cow<'a, str>>,
    #[serde(borrow)]
    location: Option<Cow<'a, str>>,
    #[serde(borrow)]
    date: Option<Cow<'a, str>>,
    #[serde(borrow)]
    started_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    ended_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    device: Option<Cow<'a, str>>,
}

/// The record of a visit's or a session's line that is right; `None`
/// for any other line (read carefully instead).
pub fn record(line: &str) -> Option<Record> {
    // serde would take an array of the fields' values too: not a record.
    if !line.trim_start().starts_with('{') {
        return None;
    }
    let l: Line<'_> = serde_json::from_str(line).ok()?;
    match &*l.kind {
        "visit" => visit(l).map(Record::Visit),
        "session" => session(l).map(Record::Session),
        _ => None,
    }
}

fn visit(l: Line<'_>) -> Option<VisitRecord> {
    let topics = l.topics?;
    if topics.is_empty() {
        return None;
    }
    let note = l.note.map(Cow::into_owned).unwrap_or_default();
    if note.chars().count() > crate::domain::NOTE_MAX_CHARS {
        return None;
    }
    Some(VisitRecord {
        visit: Visit {
            id: VisitId(0),
            uid: text(l.uid)?,
            session: SessionId(0),
            at: time(l.at.as_deref()?)?,
            entry: VisitEntry {
                topics,
                referral: l.referral.map(Cow::into_owned),
                fields: l.fields.unwrap_or_default(),
                note,
            },
        },
        session_uid: text(l.session_uid)?,
        updated_at: instant(l.updated_at)?,
    })
}

fn session(l: Line<'_>) -> Option<SessionRecord> {
    let date = text(l.date)?;
    let ended_at = match l.ended_at {
        None => None,
        Some(t) => Some(time(&t)?),
    };
    Some(SessionRecord {
        session: DutySession {
            id: SessionId(0),
            uid: text(l.uid)?,
            profile: text(l.profile)?,
            location: text(l.location)?,
            date: day(&date)?,
            started_at: time(l.started_at.as_deref()?)?,
            ended_at,
            visitors: 0,
        },
        device: l
            .device
            .filter(|d| !d.is_empty())
            .map_or_else(|| "unknown".into(), Cow::into_owned),
    })
}

/// A text that is not blank.
fn text(s: Option<Cow<'_, str>>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty()).map(Cow::into_owned)
}

/// An RFC 3339 instant, kept as written.
fn instant(s: Option<Cow<'_, str>>) -> Option<String> {
    let s = text(s)?;
    chrono::DateTime::parse_from_rfc3339(&s).ok()?;
    Some(s)
}

/// `2023-11-14`, exactly so.
fn day(s: &str) -> Option<NaiveDate> {
    crate::clock::parse_stored_date(s)
}

/// `2023-11-14 10:05:00`, exactly so (no leap second).
fn time(s: &str) -> Option<NaiveDateTime> {
    crate::clock::parse_stored_time(s)
}

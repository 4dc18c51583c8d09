//! What an import's records mean, checked before anything is written: a
//! file whose records parse but cannot be meant (an unknown profile, a
//! visit off its session's day, a date
//! before 2000 or in the future, control characters in a key, a string too
//! long, a uid twice) is refused whole, naming the line (JSONL) or the
//! record's uid (another database) and the field.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use super::Records;
use crate::config::Config;
use crate::domain::NOTE_MAX_CHARS;
use crate::report::error::{LineProblem, Meaning, ReportError};
use crate::store::Record;

/// The longest key, label, place or device name an import may carry.
pub const TEXT_MAX_CHARS: usize = 200;

/// Checks every record of `records` for meaning, the first problem found
/// refusing the file.
pub fn check_meaning(
    path: &Path,
    records: &Records,
    config: &Config,
    now: NaiveDateTime,
) -> Result<(), ReportError> {
    let mut uids: HashSet<&str> = HashSet::new();
    let mut session_days: HashMap<&str, NaiveDate> = HashMap::new();
    let mut session_profiles: HashMap<&str, &str> = HashMap::new();
    for (i, record) in records.records.iter().enumerate() {
        let fail = |field: &'static str, what: Meaning| {
            let problem = LineProblem::Meaning { field, what };
            match records.lines.get(i).copied().filter(|l| *l > 0) {
                Some(line) => ReportError::Line {
                    path: path.display().to_string(),
                    line,
                    problem,
                },
                None => ReportError::Record {
                    path: path.display().to_string(),
                    uid: uid_of(record).to_string(),
                    problem,
                },
            }
        };
        let uid = uid_of(record);
        label(uid).map_err(|w| fail("uid", w))?;
        // A tombstone may name a visit of this same file: both are told.
        if !matches!(record, Record::Deleted(_)) && !uids.insert(uid) {
            return Err(fail("uid", Meaning::RepeatedUid(uid.to_string())));
        }
        match record {
            Record::Session(s) => {
                let d = &s.session;
                profile(config, &d.profile).map_err(|w| fail("profile", w))?;
                label(&d.location).map_err(|w| fail("location", w))?;
                label(&s.device).map_err(|w| fail("device", w))?;
                day(d.date, now).map_err(|w| fail("date", w))?;
                if d.started_at.date() != d.date {
                    return Err(fail("started_at", Meaning::OffDay(d.date)));
                }
                // A session that ends before it starts (a clock set back
                // at the other desk) is taken, ending at its start: the
                // visits in it are real.
                session_days.insert(&d.uid, d.date);
                session_profiles.insert(&d.uid, &d.profile);
            }
            Record::Visit(v) => {
                let e = &v.visit.entry;
                day(v.visit.at.date(), now).map_err(|w| fail("at", w))?;
                if let Some(d) = session_days.get(v.session_uid.as_str())
                    && *d != v.visit.at.date()
                {
                    return Err(fail("at", Meaning::OffDay(*d)));
                }
                for t in &e.topics {
                    label(t).map_err(|w| fail("topics", w))?;
                }
                if let Some(r) = &e.referral {
                    label(r).map_err(|w| fail("referral", w))?;
                }
                for (k, o) in &e.fields {
                    label(k)
                        .and_then(|_| label(o))
                        .map_err(|w| fail("fields", w))?;
                }
                plain(&e.note).map_err(|w| fail("note", w))?;
                if e.note.chars().count() > NOTE_MAX_CHARS {
                    return Err(fail("note", Meaning::TooLong(NOTE_MAX_CHARS)));
                }
                // Keys the visit's profile knows (retired ones too: old data).
                if let Some(p) = session_profiles
                    .get(v.session_uid.as_str())
                    .and_then(|id| config.profiles.get(*id))
                {
                    known(&p.topics, &e.topics, &p.id).map_err(|w| fail("topics", w))?;
                    known(&p.referrals, e.referral.iter(), &p.id)
                        .map_err(|w| fail("referral", w))?;
                    for (k, o) in &e.fields {
                        let Some(f) = p.fields.iter().find(|f| &f.key == k) else {
                            let valid = p.fields.iter().map(|f| f.key.as_str()).collect();
                            return Err(fail("fields", unknown(k, &p.id, valid)));
                        };
                        known(&f.options, [o], &p.id).map_err(|w| fail("fields", w))?;
                    }
                }
                instant(&v.updated_at, now).map_err(|w| fail("updated_at", w))?;
            }
            Record::Cancelled(c) => {
                profile(config, &c.profile).map_err(|w| fail("profile", w))?;
                // A cancellation may be made ahead, for a holiday.
                if c.date < crate::clock::first_day() {
                    return Err(fail("date", Meaning::TooEarly));
                }
            }
            Record::Deleted(t) => instant(&t.deleted_at, now).map_err(|w| fail("deleted_at", w))?,
            Record::Event(r) => {
                let e = &r.entry;
                profile(config, &e.profile).map_err(|w| fail("profile", w))?;
                day(e.date, now).map_err(|w| fail("date", w))?;
                label(&e.kind).map_err(|w| fail("kind", w))?;
                for (field, text) in [
                    ("title", &e.title),
                    ("place", &e.place),
                    ("partners", &e.partners),
                    ("unit", &e.unit),
                ] {
                    label(text).map_err(|w| fail(field, w))?;
                }
                for (field, n) in [("count", e.count), ("online", e.online)] {
                    count(n).map_err(|w| fail(field, w))?;
                }
                instant(&r.updated_at, now).map_err(|w| fail("updated_at", w))?;
            }
            Record::Group(r) => {
                let g = &r.entry;
                profile(config, &g.profile).map_err(|w| fail("profile", w))?;
                day(g.date, now).map_err(|w| fail("date", w))?;
                for (field, text) in [
                    ("title", &g.title),
                    ("place", &g.place),
                    ("partner", &g.partner),
                    ("target", &g.target),
                ] {
                    label(text).map_err(|w| fail(field, w))?;
                }
                for (field, n) in [("meetings", g.paper_meetings), ("visits", g.paper_visits)] {
                    count(n).map_err(|w| fail(field, w))?;
                }
                instant(&r.updated_at, now).map_err(|w| fail("updated_at", w))?;
            }
            Record::Meeting(r) => {
                day(r.date, now).map_err(|w| fail("date", w))?;
                count(Some(r.count)).map_err(|w| fail("count", w))?;
                instant(&r.updated_at, now).map_err(|w| fail("updated_at", w))?;
            }
            Record::Feedback(r) => {
                label(&r.entry.question).map_err(|w| fail("question", w))?;
                count(Some(r.entry.tally.answers())).map_err(|w| fail("tally", w))?;
                instant(&r.updated_at, now).map_err(|w| fail("updated_at", w))?;
            }
            Record::HeadCount(r) => {
                day(r.at.date(), now).map_err(|w| fail("at", w))?;
                if let Some(d) = session_days.get(r.session_uid.as_str())
                    && *d != r.at.date()
                {
                    return Err(fail("at", Meaning::OffDay(*d)));
                }
                if r.n == 0 {
                    return Err(fail("n", Meaning::TooMany(crate::events::COUNT_MAX)));
                }
                count(Some(r.n)).map_err(|w| fail("n", w))?;
                instant(&r.updated_at, now).map_err(|w| fail("updated_at", w))?;
            }
        }
    }
    Ok(())
}

fn uid_of(r: &Record) -> &str {
    match r {
        Record::Session(s) => &s.session.uid,
        Record::Visit(v) => &v.visit.uid,
        Record::Cancelled(c) => &c.uid,
        Record::Deleted(t) => &t.uid,
        Record::Event(r) => &r.uid,
        Record::Group(r) => &r.uid,
        Record::Meeting(r) => &r.uid,
        Record::Feedback(r) => &r.uid,
        Record::HeadCount(r) => &r.uid,
    }
}

/// An attendance or count: not beyond what `events` accepts.
fn unknown(key: &str, profile: &str, valid: Vec<&str>) -> Meaning {
    Meaning::UnknownKey(Box::new(crate::report::error::UnknownKey {
        key: key.to_string(),
        profile: profile.to_string(),
        valid: valid.join(", "),
    }))
}

/// Every key of `keys` is one of `choices`.
fn known<'a>(
    choices: &[crate::config::Choice],
    keys: impl IntoIterator<Item = &'a String>,
    profile: &str,
) -> Result<(), Meaning> {
    for k in keys {
        if !choices.iter().any(|c| &c.key == k) {
            let valid = choices.iter().map(|c| c.key.as_str()).collect();
            return Err(unknown(k, profile, valid));
        }
    }
    Ok(())
}

fn count(n: Option<u32>) -> Result<(), Meaning> {
    match n {
        Some(n) if n > crate::events::COUNT_MAX => Err(Meaning::TooMany(crate::events::COUNT_MAX)),
        _ => Ok(()),
    }
}

fn profile(config: &Config, id: &str) -> Result<(), Meaning> {
    match config.profile(id) {
        Some(_) => Ok(()),
        None => Err(Meaning::UnknownProfile {
            id: id.to_string(),
            valid: config.profile_ids(),
        }),
    }
}

/// A key: no control characters at all (they would end up in a report's
/// keys and a spreadsheet's headers), and not too long.
/// A key, place, title or device: one line of plain text, not too long.
fn label(s: &str) -> Result<(), Meaning> {
    plain(s)?;
    if s.chars().count() > TEXT_MAX_CHARS {
        return Err(Meaning::TooLong(TEXT_MAX_CHARS));
    }
    Ok(())
}

/// No control character (ESC, newline…) nor bidi override: such text
/// could not have been typed at a desk and would act on a terminal.
fn plain(s: &str) -> Result<(), Meaning> {
    if s.chars().any(crate::text::is_unsafe) {
        return Err(Meaning::ControlCharacter);
    }
    Ok(())
}

fn day(d: NaiveDate, now: NaiveDateTime) -> Result<(), Meaning> {
    if d < crate::clock::first_day() {
        return Err(Meaning::TooEarly);
    }
    if d > now.date() + TimeDelta::days(1) {
        return Err(Meaning::InTheFuture);
    }
    Ok(())
}

/// An RFC 3339 instant (checked when parsed) not more than a day ahead.
fn instant(s: &str, now: NaiveDateTime) -> Result<(), Meaning> {
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) else {
        return Ok(());
    };
    if t.naive_utc() > now + TimeDelta::days(1) {
        return Err(Meaning::InTheFuture);
    }
    Ok(())
}

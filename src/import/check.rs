//! What an import's records mean, checked before anything is written: a
//! file whose records parse but cannot be meant (an unknown profile, a
//! visit off its session's day, a date
//! before 2000 or in the future, control characters in a key, a string too
//! long, a uid twice) is refused whole, naming the line (JSONL) or the
//! record's uid (another database) and the field. Records are checked one
//! at a time as they stream in ([`Checker`]), each against those before it.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use super::seen::{Lane, Seen};
use crate::config::Config;
use crate::domain::NOTE_MAX_CHARS;
use crate::privacy::error::{ImportRefusal, PrivacyError};
use crate::report::error::{LineProblem, Meaning, ReportError};
use crate::store::Record;

/// The longest key, label, place or device name an import may carry.
pub const TEXT_MAX_CHARS: usize = 200;

/// The meaning of an import's records, checked one by one in their order.
pub struct Checker {
    path: PathBuf,
    config: Config,
    now: NaiveDateTime,
    /// The file's uids and sessions so far (their day and profile), in
    /// bounded memory.
    seen: Seen,
}

impl Checker {
    /// A checker of its own (it may check on another thread).
    pub fn new(path: &Path, config: &Config, now: NaiveDateTime) -> Checker {
        Checker {
            path: path.to_path_buf(),
            config: config.clone(),
            now,
            seen: Seen::default(),
        }
    }

    /// Checks one record (at `line`, 0 for a database) against the rules
    /// and the records checked before it.
    pub fn check(&mut self, record: &Record, line: usize) -> Result<(), ReportError> {
        let fail = |field: &'static str, what: Meaning| {
            let problem = LineProblem::Meaning { field, what };
            match Some(line).filter(|l| *l > 0) {
                Some(line) => ReportError::Line {
                    path: self.path.display().to_string(),
                    line,
                    problem,
                },
                None => ReportError::Record {
                    path: self.path.display().to_string(),
                    uid: record.uid().to_string(),
                    problem,
                },
            }
        };
        let (config, now) = (&self.config, self.now);
        let uid = record.uid();
        label(uid).map_err(|w| fail("uid", w))?;
        let spill = |e: rusqlite::Error| ReportError::Read {
            path: self.path.display().to_string(),
            reason: crate::files::Cause::Other(e.to_string()),
        };
        // A tombstone may name a visit of this same file: both are told.
        let lane = match record {
            Record::Session(_) => Lane::Session,
            _ => Lane::Other,
        };
        if !matches!(record, Record::Deleted(_)) && !self.seen.new_uid(uid, lane).map_err(spill)? {
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
                let at = config.profiles.get_index_of(d.profile.as_str());
                self.seen
                    .add_session(&d.uid, (d.date, at.map(|i| i as u32)))
                    .map_err(spill)?;
            }
            Record::Visit(v) => {
                let e = &v.visit.entry;
                day(v.visit.at.date(), now).map_err(|w| fail("at", w))?;
                let session = self.seen.session(&v.session_uid).map_err(spill)?;
                if let Some((d, _)) = session
                    && d != v.visit.at.date()
                {
                    return Err(fail("at", Meaning::OffDay(d)));
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
                if let Some(p) = session
                    .and_then(|(_, at)| at)
                    .and_then(|i| config.profiles.get_index(i as usize))
                    .map(|(_, p)| p)
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
                if let Some((d, _)) = self.seen.session(&r.session_uid).map_err(spill)?
                    && d != r.at.date()
                {
                    return Err(fail("at", Meaning::OffDay(d)));
                }
                if r.n == 0 {
                    return Err(fail("n", Meaning::TooMany(crate::events::COUNT_MAX)));
                }
                count(Some(r.n)).map_err(|w| fail("n", w))?;
                instant(&r.updated_at, now).map_err(|w| fail("updated_at", w))?;
            }
        }
        Ok(())
    }
}

/// Checks every record of `records` for meaning, the first problem found
/// refusing the file.
pub fn check_meaning(
    path: &Path,
    records: &super::Records,
    config: &Config,
    now: NaiveDateTime,
) -> Result<(), ReportError> {
    let mut checker = Checker::new(path, config, now);
    for (i, record) in records.records.iter().enumerate() {
        checker.check(record, records.lines.get(i).copied().unwrap_or(0))?;
    }
    Ok(())
}

/// Refuses a visit whose note holds an identity (a henkilötunnus, a phone
/// number, an e-mail address), naming its line (JSONL) or visit (database).
pub fn check_note(path: &Path, record: &Record, line: usize) -> Result<(), PrivacyError> {
    let Record::Visit(v) = record else {
        return Ok(());
    };
    let found = crate::privacy::find_identities(&v.visit.entry.note);
    if found.is_empty() {
        return Ok(());
    }
    Err(PrivacyError::ImportIdentity(Box::new(ImportRefusal {
        path: path.to_path_buf(),
        line: Some(line).filter(|l| *l > 0),
        uid: v.visit.uid.clone(),
        at: v.visit.at.format("%Y-%m-%d %H:%M").to_string(),
        found,
    })))
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
    // A character a byte in ASCII, nearly every label.
    if s.len() > TEXT_MAX_CHARS && (s.is_ascii() || s.chars().count() > TEXT_MAX_CHARS) {
        return Err(Meaning::TooLong(TEXT_MAX_CHARS));
    }
    Ok(())
}

/// No control character (ESC, newline…) nor bidi override: such text
/// could not have been typed at a desk and would act on a terminal.
fn plain(s: &str) -> Result<(), Meaning> {
    // In ASCII the unsafe characters are the C0 controls and DEL, looked
    // for a byte at a time without an early exit (so over many at once).
    let unsafe_ascii = |s: &str| {
        s.bytes()
            .fold(false, |bad, b| bad | (b < 0x20) | (b == 0x7f))
    };
    let bad = if s.is_ascii() {
        unsafe_ascii(s)
    } else {
        s.chars().any(crate::text::is_unsafe)
    };
    if bad {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A label's length is counted in characters, however many bytes,
    /// and any control character or bidi override refuses it, in ASCII
    /// or not.
    #[test]
    fn labels_are_measured_in_characters_and_refuse_controls() {
        let long = |c: &str, n: usize| c.repeat(n);
        for c in ["a", "ä", "€", "🧊"] {
            assert_eq!(label(&long(c, TEXT_MAX_CHARS)), Ok(()), "{c}");
            assert_eq!(
                label(&long(c, TEXT_MAX_CHARS + 1)),
                Err(Meaning::TooLong(TEXT_MAX_CHARS)),
                "{c}"
            );
        }
        for bad in [
            "\x1b[31m",
            "a\nb",
            "\t",
            "\0",
            "del\x7f",
            "c1\u{85}",
            "\u{202e}rtl",
        ] {
            assert_eq!(plain(bad), Err(Meaning::ControlCharacter), "{bad:?}");
            assert_eq!(label(bad), Err(Meaning::ControlCharacter), "{bad:?}");
        }
        for good in ["", "digituki", "Äänekoski ~ {x} | 100%", "emoji 🧊"] {
            assert_eq!(label(good), Ok(()), "{good:?}");
        }
    }
}

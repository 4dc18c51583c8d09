//! Entries that passed their rules. The store's write API takes only these
//! types, and only this module makes them: a front end that skipped a
//! rule does not compile (the use-case layer, `desk`, is where they are
//! made and written). Each constructor runs the one check of its kind.
//!
//! ```compile_fail
//! // An entry cannot be declared checked by anyone but this module.
//! let unchecked = tiski::checked::Checked(tiski::domain::VisitEntry::default());
//! ```

use crate::config::Profile;
use crate::domain::{NOTE_MAX_CHARS, VisitEntry};
use crate::events::{EventEntry, EventError, EventsConfig, FeedbackEntry, GroupEntry};
use crate::privacy::error::PrivacyError;

/// A value that passed its rules; read it through `Deref`.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked<T>(T);

impl<T> Checked<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Checked<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// For the store's own unit tests, which write fixtures directly: never
/// compiled into the product.
#[cfg(test)]
pub(crate) fn for_tests<T>(t: T) -> Checked<T> {
    Checked(t)
}

/// Which part of a visit names something the profile does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Topic,
    Referral,
    Field,
    /// An option of a field (the field's key is in `key` before a `=`).
    Option,
}

/// Why a visit cannot be saved; nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VisitRefusal {
    #[error("a visit needs a topic")]
    NoTopic,
    /// The note: an identity, a control character, too long.
    #[error(transparent)]
    Note(PrivacyError),
    #[error("profile has no {part:?} {key:?}")]
    Unknown { part: Part, key: String },
}

/// A visit entry of `profile`: at least one topic, every key one the
/// profile has (retired ones too: an old visit keeps them), and a note
/// within its length, with no control character and no identity.
pub fn visit(profile: &Profile, entry: VisitEntry) -> Result<Checked<VisitEntry>, VisitRefusal> {
    if entry.topics.is_empty() {
        return Err(VisitRefusal::NoTopic);
    }
    check_note(&entry.note).map_err(VisitRefusal::Note)?;
    let unknown = |part, key: &str| VisitRefusal::Unknown {
        part,
        key: key.to_string(),
    };
    if let Some(k) = entry.topics.iter().find(|k| profile.topic(k).is_none()) {
        return Err(unknown(Part::Topic, k));
    }
    if let Some(r) = entry.referral.as_deref()
        && profile.referral(r).is_none()
    {
        return Err(unknown(Part::Referral, r));
    }
    for (field, option) in &entry.fields {
        let Some(def) = profile.field(field) else {
            return Err(unknown(Part::Field, field));
        };
        if def.option(option).is_none() {
            return Err(unknown(Part::Option, &format!("{field}={option}")));
        }
    }
    Ok(Checked(entry))
}

/// A note as any front end takes it: one line, no identity (a personal
/// identity code, a phone number, an e-mail address, in any spelling the
/// detector knows), at most [`NOTE_MAX_CHARS`] characters.
pub fn check_note(note: &str) -> Result<(), PrivacyError> {
    if let Some(position) = crate::privacy::control_char_at(note) {
        return Err(PrivacyError::NoteControl { position });
    }
    let found = crate::privacy::find_identities(note);
    if !found.is_empty() {
        return Err(PrivacyError::NoteIdentity { found });
    }
    let chars = note.chars().count();
    if chars > NOTE_MAX_CHARS {
        return Err(PrivacyError::NoteTooLong {
            chars,
            max: NOTE_MAX_CHARS,
        });
    }
    Ok(())
}

/// An event, against the profile's events settings.
pub fn event(config: &EventsConfig, entry: EventEntry) -> Result<Checked<EventEntry>, EventError> {
    entry.validate(config)?;
    Ok(Checked(entry))
}

pub fn group(entry: GroupEntry) -> Result<Checked<GroupEntry>, EventError> {
    entry.validate()?;
    Ok(Checked(entry))
}

pub fn feedback(entry: FeedbackEntry) -> Result<Checked<FeedbackEntry>, EventError> {
    entry.validate()?;
    Ok(Checked(entry))
}

/// How many came to a group's meeting (none may have).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attendance(pub u32);

pub fn attendance(n: u32) -> Result<Checked<Attendance>, EventError> {
    crate::events::check_attendance(n)?;
    Ok(Checked(Attendance(n)))
}

/// Visitors counted together at the desk (at least one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeadCountSize(pub u32);

pub fn head_count(n: u32) -> Result<Checked<HeadCountSize>, EventError> {
    crate::events::check_head_count(n)?;
    Ok(Checked(HeadCountSize(n)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn profile() -> Profile {
        Config::embedded().profiles["ikaihmiset"].clone()
    }

    fn entry(topics: &[&str]) -> VisitEntry {
        VisitEntry {
            topics: topics.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn a_visit_is_checked_against_its_profile_and_its_note() {
        let p = profile();
        assert!(visit(&p, entry(&["digituki"])).is_ok());
        assert_eq!(visit(&p, entry(&[])), Err(VisitRefusal::NoTopic));
        assert!(matches!(
            visit(&p, entry(&["nope"])),
            Err(VisitRefusal::Unknown {
                part: Part::Topic,
                ..
            })
        ));
        let mut e = entry(&["digituki"]);
        e.referral = Some("nowhere".into());
        assert!(matches!(
            visit(&p, e),
            Err(VisitRefusal::Unknown {
                part: Part::Referral,
                ..
            })
        ));
        let mut e = entry(&["digituki"]);
        e.fields.insert("channel".into(), "kirjekyyhky".into());
        assert!(matches!(
            visit(&p, e),
            Err(VisitRefusal::Unknown {
                part: Part::Option,
                ..
            })
        ));
        let mut e = entry(&["digituki"]);
        e.note = "soita 040 123 4567".into();
        assert!(matches!(
            visit(&p, e),
            Err(VisitRefusal::Note(PrivacyError::NoteIdentity { .. }))
        ));
        let mut e = entry(&["digituki"]);
        e.note = "x".repeat(NOTE_MAX_CHARS + 1);
        assert!(matches!(
            visit(&p, e),
            Err(VisitRefusal::Note(PrivacyError::NoteTooLong { .. }))
        ));
    }
}

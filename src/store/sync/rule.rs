//! The rule of a merge by uid, one for every kind of record and every way
//! records travel (a file, another database, the server): pure, so the
//! PostgreSQL sync applies the very same one.
//!
//! - the copy changed later (`updated_at`, an RFC 3339 instant) wins;
//! - a deletion travels as a tombstone and removes an older copy;
//! - a visit edited after its deletion survives it (a conflict to report);
//!   for the other kinds a tombstone is final.

use chrono::{DateTime, Utc};

/// What a deletion does to later copies of its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deletion {
    /// A tombstone keeps every copy out, whatever its time (events,
    /// groups, meetings, feedback, head-counts).
    Final,
    /// A copy edited after the deletion comes back, and the deletion
    /// counts only while there is no copy here (visits).
    Undone,
}

/// What this side knows of one uid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Here<'a> {
    /// This side's copy: when it last changed.
    pub copy: Option<&'a str>,
    /// This side's tombstone: when the record was deleted.
    pub deleted: Option<&'a str>,
}

/// What becomes of an incoming copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing of it here: it is added.
    Add,
    /// It is newer than the copy here, which it replaces.
    Replace,
    /// The copy here (or the deletion) stands.
    Keep,
    /// It was edited after its deletion here: it comes back, the
    /// tombstone goes, and the two are a conflict.
    Revive,
}

/// The verdict on an incoming copy changed at `incoming`.
pub fn verdict(incoming: &str, here: Here<'_>, deletion: Deletion) -> Verdict {
    match (deletion, here.copy, here.deleted) {
        (Deletion::Final, _, Some(_)) => Verdict::Keep,
        (_, Some(mine), _) if later(incoming, mine) => Verdict::Replace,
        (_, Some(_), _) => Verdict::Keep,
        (Deletion::Undone, None, Some(deleted)) if later(incoming, deleted) => Verdict::Revive,
        (Deletion::Undone, None, Some(_)) => Verdict::Keep,
        (_, None, None) => Verdict::Add,
    }
}

/// Whether a tombstone of `deleted_at` removes the copy here, last changed
/// at `updated_at`: only a copy not changed after the deletion.
pub fn deletes(deleted_at: &str, updated_at: &str) -> bool {
    !later(updated_at, deleted_at)
}

/// Whether RFC 3339 time `a` is after `b` (text order if either is unparsable).
pub fn later(a: &str, b: &str) -> bool {
    match (instant(a), instant(b)) {
        (Some(a), Some(b)) => a > b,
        _ => a > b,
    }
}

pub(super) fn instant(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Whether a visit was changed after it was first saved: its uid (UUIDv7)
/// carries the creation time, `updated_at` the last write. Two seconds of
/// slack cover the save itself. A uid of another kind counts as edited.
/// When both copies of a visit were, their difference is a conflict.
pub fn edited(uid: &str, updated_at: &str) -> bool {
    let created = uuid::Uuid::parse_str(uid)
        .ok()
        .and_then(|u| u.get_timestamp())
        .map(|ts| {
            let (secs, nanos) = ts.to_unix();
            DateTime::<Utc>::from_timestamp(secs as i64, nanos).unwrap_or_default()
        });
    match (created, instant(updated_at)) {
        (Some(c), Some(u)) => (u - c).num_seconds() >= 2,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_compares_instants_not_text() {
        assert!(later("2023-11-14T10:00:00+02:00", "2023-11-14T07:59:00Z"));
        assert!(!later("2023-11-14T10:00:00+02:00", "2023-11-14T08:00:00Z"));
    }

    #[test]
    fn the_rule_for_each_kind_of_deletion() {
        let (old, new) = ("2023-11-14T08:00:00Z", "2023-11-14T09:00:00Z");
        let here = |copy, deleted| Here { copy, deleted };
        for d in [Deletion::Final, Deletion::Undone] {
            assert_eq!(verdict(new, here(None, None), d), Verdict::Add);
            assert_eq!(verdict(new, here(Some(old), None), d), Verdict::Replace);
            assert_eq!(verdict(old, here(Some(new), None), d), Verdict::Keep);
            assert_eq!(verdict(old, here(Some(old), None), d), Verdict::Keep);
            assert_eq!(verdict(old, here(None, Some(new)), d), Verdict::Keep);
        }
        assert_eq!(
            verdict(new, here(None, Some(old)), Deletion::Undone),
            Verdict::Revive
        );
        assert_eq!(
            verdict(new, here(None, Some(old)), Deletion::Final),
            Verdict::Keep
        );
        // A copy kept here past a deletion: for a visit the copy decides,
        // for the others the tombstone does.
        assert_eq!(
            verdict(new, here(Some(old), Some(old)), Deletion::Undone),
            Verdict::Replace
        );
        assert_eq!(
            verdict(new, here(Some(old), Some(old)), Deletion::Final),
            Verdict::Keep
        );
        assert!(deletes(new, old) && deletes(old, old) && !deletes(old, new));
    }
}

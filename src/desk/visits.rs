//! Visits and head-counts: saved into the session the session rule names,
//! edited, deleted; each one transaction, checked first.

use chrono::NaiveDateTime;

use super::Trusted;
use crate::checked;
use crate::config::Profile;
use crate::domain::{Visit, VisitEntry, VisitId};
use crate::error::Error;
use crate::events::HeadCount;
use crate::store::{Store, Target};

/// Saves a visit of `profile` at `at` into the session `target` names
/// (written with the visit when it is the first), after its rules: a known
/// topic, known keys, a note with no identity, and a time not ahead of the
/// clock. With `from_form`, the profile's draft goes in the same
/// transaction.
pub fn save_visit(
    store: &mut Store,
    profile: &Profile,
    target: Target<'_>,
    at: NaiveDateTime,
    entry: VisitEntry,
    from_form: bool,
    now: &Trusted,
) -> Result<Visit, Error> {
    not_ahead(at, now)?;
    let entry = checked::visit(profile, entry)?;
    let draft = from_form.then_some(profile.id.as_str());
    Ok(store.save_visit(target, at, &entry, draft, &now.now().stamp())?)
}

/// Replaces what is recorded about a visit and, with `at`, its time (kept
/// on the visit's own day by the caller).
pub fn edit_visit(
    store: &mut Store,
    profile: &Profile,
    id: VisitId,
    entry: VisitEntry,
    at: Option<NaiveDateTime>,
    now: &Trusted,
) -> Result<(), Error> {
    if let Some(at) = at {
        not_ahead(at, now)?;
    }
    let entry = checked::visit(profile, entry)?;
    Ok(store.update_visit(id, &entry, at, &now.now().stamp())?)
}

/// Deletes a visit, leaving a tombstone; refused for a visit whose voucher
/// a shop has invoiced.
pub fn delete_visit(store: &mut Store, id: VisitId, now: &Trusted) -> Result<(), Error> {
    Ok(store.delete_visit(id, now.now())?)
}

/// `n` visitors counted together, into the session `target` names (a
/// head-count is visitors: it writes its session as a visit does).
pub fn add_head_count(
    store: &mut Store,
    target: Target<'_>,
    at: NaiveDateTime,
    n: u32,
    now: &Trusted,
) -> Result<HeadCount, Error> {
    not_ahead(at, now)?;
    let n = checked::head_count(n)?;
    Ok(store.add_head_count(target, at, n, &now.now().stamp())?)
}

pub fn delete_head_count(store: &mut Store, id: i64, now: &Trusted) -> Result<(), Error> {
    Ok(store.delete_head_count(id, &now.now().stamp())?)
}

/// A visit or a head-count dated after today is a typo (2032 for 2023).
fn not_ahead(at: NaiveDateTime, now: &Trusted) -> Result<(), Error> {
    if at.date() > now.local().date() {
        return Err(Error::FutureTime {
            value: at.format("%Y-%m-%d %H:%M").to_string(),
        });
    }
    Ok(())
}

//! Duty sessions written for themselves, not by a visit: a rota slot's
//! session or one the user starts with `s`, a second session the same day,
//! the end of one, a day's cancellation, and a held session recorded
//! afterwards. Nothing else writes a session.

use chrono::{NaiveDate, NaiveDateTime};

use super::Trusted;
use crate::domain::{DutySession, SessionId};
use crate::error::Error;
use crate::store::Store;

/// Continues today's session of the profile at the place, or starts one:
/// a rota slot's time has come, or the user started the duty (`s`).
pub fn open_session(
    store: &mut Store,
    profile: &str,
    location: &str,
    now: &Trusted,
) -> Result<(DutySession, bool), Error> {
    Ok(store.open_session(profile, location, now.local())?)
}

/// Ends `current` and starts another at the same place (a second duty the
/// same day, asked for with `s`).
pub fn start_new_session(
    store: &mut Store,
    current: SessionId,
    now: &Trusted,
) -> Result<DutySession, Error> {
    Ok(store.start_new_session(current, now.local())?)
}

/// Ends a session at `end` (now, or the last second of its day when the
/// clock passed midnight): never before its start or its last visit.
pub fn close_session(
    store: &mut Store,
    id: SessionId,
    end: NaiveDateTime,
    _now: &Trusted,
) -> Result<(), Error> {
    Ok(store.close_session(id, end)?)
}

/// Removes a session with no visits: opened at the wrong place, or one a
/// visit wrote whose only visit was taken back (it was never held). Its
/// tombstone takes it from the desks that imported it too.
pub fn discard_empty_session(
    store: &mut Store,
    id: SessionId,
    now: &Trusted,
) -> Result<bool, Error> {
    Ok(store.discard_empty_session(id, &now.now().stamp())?)
}

/// Marks a day's scheduled duty as not held; refused once it has visits.
pub fn cancel_day(
    store: &mut Store,
    profile: &str,
    date: NaiveDate,
    now: &Trusted,
) -> Result<u32, Error> {
    Ok(store.cancel_day(profile, date, now.local())?)
}

/// A held session with no visitors, recorded afterwards.
pub fn record_session(
    store: &mut Store,
    profile: &str,
    location: &str,
    start: NaiveDateTime,
    end: NaiveDateTime,
    _now: &Trusted,
) -> Result<DutySession, Error> {
    if end < start {
        return Err(Error::EndBeforeStart {
            start: start.format("%H:%M").to_string(),
            end: end.format("%H:%M").to_string(),
        });
    }
    Ok(store.record_session(profile, location, start, end)?)
}

//! The use-case layer: the only way to change the log. Every write the
//! duty screen, the command line, an import or a sync makes is one call
//! here, which checks the entry (`checked`: validation, identities), applies
//! the session rule (only a visit, a head-count, the rota or an explicit
//! start writes a duty session), and dates it by a clock reading that was
//! taken at the edge and is believed ([`Trusted`]). The store's write API
//! takes only the checked types, and `tests/it/layers.rs` keeps its callers
//! here.

mod clock;
mod events;
mod merge;
mod sessions;
mod visits;
mod vouchers;

pub use clock::{Trusted, trust};

/// The retention purge of the database, its copies and leftovers
/// (`tiski purge --due`).
pub fn purge_due(
    store: &mut crate::store::Store,
    db: &std::path::Path,
    cutoffs: &crate::privacy::retention::Cutoffs,
    now: &Trusted,
) -> Result<crate::store::privacy::PurgeReport, crate::error::Error> {
    Ok(crate::store::maintenance::purge_all(
        store,
        db,
        cutoffs,
        now.now(),
    )?)
}

/// Voucher identities of seasons that ended before `before`.
pub fn purge_identities(
    store: &mut crate::store::Store,
    before: chrono::NaiveDate,
    now: &Trusted,
) -> Result<u32, crate::error::Error> {
    Ok(store.purge_voucher_identities(before, &now.now().stamp())?)
}

/// The first start of the day's check, retention purge and backup (run
/// off the screen's thread): the purge is dated by a believed clock.
pub fn daily_check(
    db: &std::path::Path,
    now: &Trusted,
    keep: usize,
    cutoffs: crate::privacy::retention::Cutoffs,
) -> crate::store::maintenance::DailyCheck {
    crate::store::maintenance::daily(db, *now.now(), keep, cutoffs)
}
pub use events::{
    add_event, add_feedback, add_group, add_meeting, delete_event, delete_group, update_event,
};
pub use merge::merge;
pub use sessions::{
    cancel_day, close_session, discard_empty_session, open_session, record_session,
    start_new_session,
};
pub use visits::{add_head_count, delete_head_count, delete_visit, edit_visit, save_visit};
pub use vouchers::{cancel_voucher, issue_voucher, use_voucher};

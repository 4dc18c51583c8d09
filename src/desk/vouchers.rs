//! Vouchers: issued with their visit in one transaction, marked used or
//! cancelled; the voucher's own rules run in the store's transaction
//! (`voucher::Voucher::check_use`, `check_cancel`).

use chrono::{NaiveDate, NaiveDateTime};

use super::Trusted;
use crate::checked;
use crate::config::Profile;
use crate::domain::{Visit, VisitEntry};
use crate::error::Error;
use crate::store::{IssueRequest, Store, Target};
use crate::voucher::{Cents, Voucher};

/// Saves the voucher's visit (checked as any visit) and the voucher.
pub fn issue_voucher(
    store: &mut Store,
    profile: &Profile,
    target: Target<'_>,
    at: NaiveDateTime,
    entry: VisitEntry,
    req: &IssueRequest<'_>,
    now: &Trusted,
) -> Result<(Visit, Voucher), Error> {
    let entry = checked::visit(profile, entry)?;
    Ok(store.issue_voucher(target, at, &entry, req, &now.now().stamp())?)
}

/// Marks a voucher used (the shop's invoice): writes no session.
pub fn use_voucher(
    store: &mut Store,
    number: &str,
    amount: Cents,
    date: NaiveDate,
    shop: Option<&str>,
    now: &Trusted,
) -> Result<Voucher, Error> {
    Ok(store.use_voucher(number, amount, date, shop, &now.now().stamp())?)
}

/// Cancels a voucher: writes no session.
pub fn cancel_voucher(
    store: &mut Store,
    number: &str,
    reason: &str,
    now: &Trusted,
) -> Result<Voucher, Error> {
    Ok(store.cancel_voucher(number, reason, now.local().date(), &now.now().stamp())?)
}

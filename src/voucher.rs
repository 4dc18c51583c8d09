//! Anti-slip vouchers (maksusitoumukset): the voucher, its season, number,
//! money and lifecycle rules. No I/O; the store, app and CLI build on this.
//!
//! A season is named by the year it starts in (`2023` = 1.11.2023–29.2.2024
//! by default). A date belongs to the first season that has not ended by
//! then, so a voucher written in October counts towards the coming winter
//! (with a warning) rather than being refused.

pub mod config;
pub mod identity;
pub mod pdf;
pub mod summary;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;

pub use config::{HistoryFigure, MonthDay, Product, VoucherConfig};

use crate::domain::VisitId;

/// The cancel reason recorded when the visit that carried a voucher is
/// undone or deleted: the voucher is cancelled, its number stays used.
pub const UNDO_REASON: &str = "undo";

/// Earliest birth year accepted; anything before is a typing error.
pub const MIN_BIRTH_YEAR: i32 = 1900;

/// Row id of a voucher in this database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct VoucherId(pub i64);

/// An amount of money in euro cents (no floating point in sums).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(pub i64);

impl Cents {
    /// Parses `25`, `25,5`, `25.50` or `25,50 €`; at most two decimals.
    pub fn parse(s: &str) -> Option<Cents> {
        let t = s.trim().trim_end_matches('€').trim().replace(',', ".");
        let (whole, frac) = match t.split_once('.') {
            Some((w, f)) => (w, f),
            None => (t.as_str(), ""),
        };
        let digits = |x: &str| x.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 2 {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let frac: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().ok()? * 10,
            _ => frac.parse().ok()?,
        };
        whole.checked_mul(100)?.checked_add(frac).map(Cents)
    }

    /// From euros as written in the config (rounded to the cent).
    pub fn from_euros(e: f64) -> Cents {
        Cents((e * 100.0).round() as i64)
    }

    pub fn euros(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl Serialize for Cents {
    /// Euros as a JSON number, e.g. `25.5`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.euros())
    }
}

/// A season, named by its start year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Season(pub i32);

impl Season {
    /// `2023-2024` for a season that crosses new year, else `2023`.
    pub fn label(self, cfg: &VoucherConfig) -> String {
        if cfg.season_end(self).year() != self.0 {
            format!("{}-{}", self.0, self.0 + 1)
        } else {
            self.0.to_string()
        }
    }

    /// Accepts `2023-2024` (consecutive years) or `2023`.
    pub fn parse(s: &str) -> Option<Season> {
        let s = s.trim();
        let year = |y: &str| {
            (y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()))
                .then(|| y.parse::<i32>().ok())
                .flatten()
        };
        match s.split_once(['-', '–', '/']) {
            Some((a, b)) => {
                let (a, b) = (year(a)?, year(b)?);
                (b == a + 1).then_some(Season(a))
            }
            None => year(s).map(Season),
        }
    }
}

/// A voucher's state as stored; `Expired` is never stored, only derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Issued,
    Used,
    Cancelled,
    Expired,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Issued,
        Status::Used,
        Status::Cancelled,
        Status::Expired,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Status::Issued => "issued",
            Status::Used => "used",
            Status::Cancelled => "cancelled",
            Status::Expired => "expired",
        }
    }
}

/// A written payment commitment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Voucher {
    #[serde(skip)]
    pub id: VoucherId,
    pub uid: String,
    /// `LE-2023-001`: unique, never reused.
    pub number: String,
    pub profile: String,
    pub season: Season,
    /// The running number within the season.
    pub seq: u32,
    pub product: String,
    /// The maximum sum at the time of issue (the config may change later).
    pub max_sum: Cents,
    pub issued_at: NaiveDateTime,
    pub valid_until: NaiveDate,
    pub birth_year: Option<i32>,
    /// Whether a duplicate-check hash is held (the hash itself never leaves
    /// the store).
    pub checked_identity: bool,
    #[serde(skip)]
    pub visit: Option<VisitId>,
    /// `Issued`, `Used` or `Cancelled` as stored.
    #[serde(skip)]
    pub stored_status: Status,
    pub used_amount: Option<Cents>,
    pub used_on: Option<NaiveDate>,
    pub shop: Option<String>,
    pub cancelled_on: Option<NaiveDate>,
    pub cancel_reason: Option<String>,
}

impl Voucher {
    pub fn issued_on(&self) -> NaiveDate {
        self.issued_at.date()
    }

    /// The status on `today`: an issued voucher past its last valid day
    /// has expired.
    pub fn status(&self, today: NaiveDate) -> Status {
        match self.stored_status {
            Status::Issued if today > self.valid_until => Status::Expired,
            s => s,
        }
    }

    /// Whether it may be marked used with `amount` on `date`.
    pub fn check_use(&self, amount: Cents, date: NaiveDate) -> Result<(), VoucherError> {
        let number = self.number.clone();
        match self.stored_status {
            Status::Used => {
                return Err(VoucherError::AlreadyUsed {
                    number,
                    on: self.used_on,
                });
            }
            Status::Cancelled => return Err(VoucherError::UseCancelled { number }),
            _ => {}
        }
        if amount.0 <= 0 {
            return Err(VoucherError::AmountNotPositive { number });
        }
        if amount > self.max_sum {
            return Err(VoucherError::AmountTooHigh {
                number,
                amount,
                max: self.max_sum,
            });
        }
        if date < self.issued_on() {
            return Err(VoucherError::UsedBeforeIssue {
                number,
                date,
                issued: self.issued_on(),
            });
        }
        Ok(())
    }

    /// Whether it needs marking as a copy when printed: a used, cancelled
    /// or expired commitment must not pass for one a shop may accept.
    pub fn needs_copy(&self, today: NaiveDate) -> bool {
        self.status(today) != Status::Issued
    }

    /// Whether it may be printed: one that [needs a copy](Self::needs_copy)
    /// only when a copy was asked for.
    pub fn check_print(&self, today: NaiveDate, copy: bool) -> Result<(), VoucherError> {
        if self.needs_copy(today) && !copy {
            return Err(VoucherError::CopyNeeded {
                number: self.number.clone(),
                status: self.status(today),
            });
        }
        Ok(())
    }

    /// Whether it may be cancelled.
    pub fn check_cancel(&self, reason: &str) -> Result<(), VoucherError> {
        let number = self.number.clone();
        match self.stored_status {
            Status::Used => Err(VoucherError::CancelUsed { number }),
            Status::Cancelled => Err(VoucherError::AlreadyCancelled { number }),
            _ if reason.trim().is_empty() => Err(VoucherError::ReasonRequired { number }),
            _ => Ok(()),
        }
    }
}

/// Checks a typed birth year: four digits, not before 1900, not in the
/// future.
pub fn parse_birth_year(value: &str, today: NaiveDate) -> Result<i32, VoucherError> {
    let bad = || VoucherError::BadBirthYear {
        value: value.trim().to_string(),
        max: today.year(),
    };
    let y: i32 = value.trim().parse().map_err(|_| bad())?;
    if (MIN_BIRTH_YEAR..=today.year()).contains(&y) {
        Ok(y)
    } else {
        Err(bad())
    }
}

/// The age someone born in `birth_year` reaches during the year of `on`
/// (a birth year alone cannot say more).
pub fn age_in_year(birth_year: i32, on: NaiveDate) -> i32 {
    on.year() - birth_year
}

/// Why a voucher operation was refused. Nothing is changed when one of
/// these is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VoucherError {
    #[error("unknown voucher number {number:?}")]
    UnknownNumber { number: String },
    #[error("voucher {number} is already used")]
    AlreadyUsed {
        number: String,
        on: Option<NaiveDate>,
    },
    #[error("voucher {number} is cancelled and cannot be used")]
    UseCancelled { number: String },
    #[error("voucher {number} is used and cannot be cancelled")]
    CancelUsed { number: String },
    #[error("voucher {number} is already cancelled")]
    AlreadyCancelled { number: String },
    /// A used, cancelled or expired voucher printed without `--copy`.
    #[error("voucher {number} is {status:?}; it is printed only as a copy")]
    CopyNeeded { number: String, status: Status },
    /// The visit that carried a used voucher cannot be undone or deleted.
    #[error("the visit carries {number}, which is used; it is not deleted")]
    VisitOfUsedVoucher { number: String },
    #[error("a reason is needed to cancel {number}")]
    ReasonRequired { number: String },
    #[error("amount above the maximum of {number}")]
    AmountTooHigh {
        number: String,
        amount: Cents,
        max: Cents,
    },
    #[error("amount of {number} must be above zero")]
    AmountNotPositive { number: String },
    #[error("bad amount {value:?}")]
    BadAmount { value: String },
    #[error("{number} used before it was issued")]
    UsedBeforeIssue {
        number: String,
        date: NaiveDate,
        issued: NaiveDate,
    },
    #[error("impossible birth year {value:?}")]
    BadBirthYear { value: String, max: i32 },
    /// The typed birth date is not repeated in the message: it is part of
    /// an identity.
    #[error("bad birth date for the duplicate check")]
    BadBirthDate,
    #[error("the duplicate check needs both a name and a birth date")]
    IdentityIncomplete,
    #[error("unknown product {key:?}")]
    UnknownProduct { key: String, valid: String },
    #[error("vouchers are not on for profile {profile:?}")]
    NotEnabled { profile: String },
    #[error("no profile issues vouchers")]
    NoVoucherProfile,
    #[error("bad season {value:?}")]
    BadSeason { value: String },
    #[error("the secret key file {path} is unusable: {reason}")]
    Key {
        path: std::path::PathBuf,
        reason: crate::files::Cause,
    },
    #[error("the database is in use by another tiski; nothing was purged")]
    PurgeBusy,
    /// The values were cleared but old copies may remain in the file.
    #[error("purged {cleared}, but old copies may remain in the file")]
    PurgeIncomplete { cleared: u32 },
}

#[cfg(test)]
mod tests;

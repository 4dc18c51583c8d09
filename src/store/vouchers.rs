//! Vouchers in the store: issuing together with its visit in one
//! transaction, numbers from a per-season counter, the lifecycle updates,
//! the duplicate check's secret key, and the purge of identity data.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};

use super::{
    DATE_FMT, Store, StoreError, Target, fmt_date, fmt_time, insert_visit, parse_time, session_in,
};
use crate::checked::Checked;
use crate::clock::Stamp;
use crate::domain::{Visit, VisitEntry, VisitId, new_uid};
use crate::files::Cause;
use crate::voucher::identity::KEY_LEN;
use crate::voucher::{Cents, Season, Status, Voucher, VoucherConfig, VoucherError, VoucherId};

/// What the caller decided about a voucher to write.
#[derive(Debug, Clone)]
pub struct IssueRequest<'a> {
    pub profile: &'a str,
    pub config: &'a VoucherConfig,
    pub product: &'a str,
    pub birth_year: Option<i32>,
    pub identity_hash: Option<[u8; KEY_LEN]>,
    /// Typed on the duty screen's form: the profile's draft of it goes in
    /// the same transaction, so a crash can neither lose the visit nor
    /// offer it back after it was saved. `tiski voucher issue` leaves any
    /// draft alone.
    pub from_form: bool,
}

const VOUCHER_COLS: &str = "SELECT id, uid, number, profile, season, seq, product, max_cents,
    issued_at, valid_until, birth_year, identity_hash IS NOT NULL, visit_id, status,
    used_cents, used_on, shop, cancelled_on, cancel_reason FROM vouchers";

impl Store {
    /// Saves the visit and its voucher in one transaction: both or
    /// neither. The number comes from the season's counter under the
    /// write lock, so two processes never get the same one.
    pub fn issue_voucher(
        &mut self,
        target: Target<'_>,
        at: NaiveDateTime,
        entry: &Checked<VisitEntry>,
        req: &IssueRequest<'_>,
        stamp: &Stamp,
    ) -> Result<(Visit, Voucher), StoreError> {
        let product =
            req.config
                .product(req.product)
                .ok_or_else(|| VoucherError::UnknownProduct {
                    key: req.product.to_string(),
                    valid: product_keys(req.config),
                })?;
        let season = req.config.season_of(at.date());
        let valid_until = req.config.season_end(season);
        let tx = self
            .writable()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let session = session_in(&tx, target, at)?;
        let visit = insert_visit(&tx, session, at, entry, stamp)?;
        if req.from_form {
            super::drafts::delete_draft(&tx, req.profile)?;
        }
        let seq: u32 = tx.query_row(
            "INSERT INTO voucher_counters(prefix, season, last) VALUES (?1, ?2, 1)
             ON CONFLICT(prefix, season) DO UPDATE SET last = last + 1
             RETURNING last",
            params![req.config.prefix, season.0],
            |r| r.get(0),
        )?;
        let number = req.config.number(season, seq);
        tx.execute(
            "INSERT INTO vouchers(uid, number, profile, season, seq, product, max_cents,
                 issued_at, valid_until, birth_year, identity_hash, visit_id, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                new_uid(stamp),
                number,
                req.profile,
                season.0,
                seq,
                product.key,
                product.max_sum.0,
                fmt_time(at),
                fmt_date(valid_until),
                req.birth_year,
                req.identity_hash.as_ref().map(|h| h.as_slice()),
                visit.id.0,
                stamp.as_str(),
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        let voucher = self.voucher(VoucherId(id))?;
        Ok((visit, voucher))
    }

    pub fn voucher(&self, id: VoucherId) -> Result<Voucher, StoreError> {
        Ok(self.conn.query_row(
            &format!("{VOUCHER_COLS} WHERE id = ?1"),
            [id.0],
            voucher_from_row,
        )?)
    }

    /// The voucher a visit carries, if any.
    pub fn voucher_of_visit(&self, visit: VisitId) -> Result<Option<Voucher>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("{VOUCHER_COLS} WHERE visit_id = ?1"),
                [visit.0],
                voucher_from_row,
            )
            .optional()?)
    }

    /// The voucher with this number, or an error naming the number.
    pub fn voucher_by_number(&self, number: &str) -> Result<Voucher, StoreError> {
        find_in(&self.conn, number)
    }

    /// A season's vouchers, optionally for one profile, in number order.
    pub fn vouchers_in_season(
        &self,
        profile: Option<&str>,
        season: Season,
    ) -> Result<Vec<Voucher>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{VOUCHER_COLS} WHERE season = ?1 AND (?2 IS NULL OR profile = ?2) ORDER BY seq, id"
        ))?;
        let rows = stmt.query_map(params![season.0, profile], voucher_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Vouchers issued per season, cancelled ones not counted (as in the
    /// season summary's `issued`).
    pub fn voucher_season_counts(
        &self,
        profile: Option<&str>,
    ) -> Result<BTreeMap<Season, u32>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT season, count(*) FROM vouchers
             WHERE (?1 IS NULL OR profile = ?1) AND status != 'cancelled'
             GROUP BY season",
        )?;
        let rows = stmt.query_map([profile], |r| Ok((Season(r.get(0)?), r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Vouchers of the season that are not cancelled (the duty header's
    /// "sitoumuksia tällä kaudella").
    pub fn vouchers_in_force(&self, profile: &str, season: Season) -> Result<u32, StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM vouchers
             WHERE season = ?1 AND profile = ?2 AND status != 'cancelled'",
            params![season.0, profile],
            |r| r.get(0),
        )?)
    }

    /// Vouchers written between two days (inclusive), optionally for one
    /// profile, in the order they were written.
    pub fn vouchers_issued_between(
        &self,
        profile: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Voucher>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{VOUCHER_COLS} WHERE substr(issued_at, 1, 10) BETWEEN ?1 AND ?2
               AND (?3 IS NULL OR profile = ?3) ORDER BY issued_at, id"
        ))?;
        let rows = stmt.query_map(
            params![fmt_date(from), fmt_date(to), profile],
            voucher_from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Product → vouchers handed out on `date` and not cancelled.
    pub fn vouchers_issued_on(
        &self,
        profile: Option<&str>,
        date: NaiveDate,
    ) -> Result<BTreeMap<String, u32>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT product, count(*) FROM vouchers
             WHERE substr(issued_at, 1, 10) = ?1 AND (?2 IS NULL OR profile = ?2)
               AND status != 'cancelled'
             GROUP BY product",
        )?;
        let rows = stmt.query_map(params![fmt_date(date), profile], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Visit → voucher number for the profile's vouchers issued on `date`
    /// whose visit still exists.
    pub fn voucher_numbers_of_visits_on(
        &self,
        profile: &str,
        date: NaiveDate,
    ) -> Result<BTreeMap<VisitId, String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT visit_id, number FROM vouchers
             WHERE substr(issued_at, 1, 10) = ?1 AND profile = ?2 AND visit_id IS NOT NULL",
        )?;
        let rows = stmt.query_map(params![fmt_date(date), profile], |r| {
            Ok((VisitId(r.get(0)?), r.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The numbers of the cancelled vouchers issued on `date` with a visit.
    pub fn cancelled_voucher_numbers_on(
        &self,
        profile: &str,
        date: NaiveDate,
    ) -> Result<std::collections::BTreeSet<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT number FROM vouchers
             WHERE substr(issued_at, 1, 10) = ?1 AND profile = ?2 AND visit_id IS NOT NULL
               AND status = 'cancelled'",
        )?;
        let rows = stmt.query_map(params![fmt_date(date), profile], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Numbers of this season's vouchers (not cancelled) with the same
    /// identity hash.
    pub fn duplicates(
        &self,
        season: Season,
        hash: &[u8; KEY_LEN],
    ) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT number FROM vouchers
             WHERE season = ?1 AND identity_hash = ?2 AND status != 'cancelled'
             ORDER BY seq",
        )?;
        let rows = stmt.query_map(params![season.0, hash.as_slice()], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Marks a voucher used; refused (nothing changed) for an unknown,
    /// used or cancelled voucher, or an amount above its maximum.
    pub fn use_voucher(
        &mut self,
        number: &str,
        amount: Cents,
        date: NaiveDate,
        shop: Option<&str>,
        stamp: &Stamp,
    ) -> Result<Voucher, StoreError> {
        let tx = self
            .writable()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let v = find_in(&tx, number)?;
        v.check_use(amount, date)?;
        tx.execute(
            "UPDATE vouchers SET status = 'used', used_cents = ?2, used_on = ?3, shop = ?4,
                 updated_at = ?5
             WHERE id = ?1",
            params![
                v.id.0,
                amount.0,
                fmt_date(date),
                shop.map(str::trim).filter(|s| !s.is_empty()),
                stamp.as_str()
            ],
        )?;
        tx.commit()?;
        self.voucher(v.id)
    }

    /// Cancels a voucher; refused for an unknown, used or already
    /// cancelled one. The number stays used.
    pub fn cancel_voucher(
        &mut self,
        number: &str,
        reason: &str,
        date: NaiveDate,
        stamp: &Stamp,
    ) -> Result<Voucher, StoreError> {
        let tx = self
            .writable()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let v = find_in(&tx, number)?;
        v.check_cancel(reason)?;
        tx.execute(
            "UPDATE vouchers SET status = 'cancelled', cancelled_on = ?2, cancel_reason = ?3,
                 updated_at = ?4
             WHERE id = ?1",
            params![v.id.0, fmt_date(date), reason.trim(), stamp.as_str()],
        )?;
        tx.commit()?;
        self.voucher(v.id)
    }

    /// The installation's secret for the duplicate check: 32 random bytes
    /// in `<database>.secret` at 0600, made on first use. An in-memory
    /// database uses a key that lives as long as the process.
    pub fn identity_key(&self) -> Result<[u8; KEY_LEN], StoreError> {
        match self.conn.path().filter(|p| !p.is_empty()) {
            None => {
                static MEMORY_KEY: OnceLock<[u8; KEY_LEN]> = OnceLock::new();
                Ok(*MEMORY_KEY.get_or_init(|| random_key().expect("the OS has randomness")))
            }
            Some(db) => load_or_create_key(&key_path(Path::new(db))),
        }
    }

    /// Removes birth years and identity hashes of vouchers whose season
    /// ended before `before`, keeping everything else, with no copy left in
    /// the database files (see `store::privacy`). Returns how many vouchers
    /// were cleared.
    pub fn purge_voucher_identities(
        &mut self,
        before: NaiveDate,
        stamp: &Stamp,
    ) -> Result<u32, StoreError> {
        let purged = self.purge(
            &crate::privacy::retention::Cutoffs::identities(before),
            None,
            stamp,
        )?;
        let n = purged.cleared.identities as u32;
        if !purged.scrubbed {
            return Err(VoucherError::PurgeIncomplete { cleared: n }.into());
        }
        Ok(n)
    }
}

/// Copies the WAL into the database and truncates it; fails when another
/// connection keeps old pages alive (they could hold purged bytes).
pub(super) fn checkpoint(conn: &rusqlite::Connection) -> Result<(), StoreError> {
    let (busy, log, done): (i64, i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    if busy != 0 || log != done {
        return Err(VoucherError::PurgeBusy.into());
    }
    Ok(())
}

/// The voucher with this number (any letter case), on a connection or
/// inside a transaction, or an error naming the number.
fn find_in(conn: &rusqlite::Connection, number: &str) -> Result<Voucher, StoreError> {
    let number = number.trim();
    conn.query_row(
        &format!("{VOUCHER_COLS} WHERE number = ?1 COLLATE NOCASE"),
        [number],
        voucher_from_row,
    )
    .optional()?
    .ok_or_else(|| {
        VoucherError::UnknownNumber {
            number: number.to_string(),
        }
        .into()
    })
}

pub(crate) fn product_keys(cfg: &VoucherConfig) -> String {
    cfg.active_products()
        .map(|p| p.key.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `tiski.db` → `tiski.db.secret`.
pub fn key_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".secret");
    PathBuf::from(name)
}

fn random_key() -> Result<[u8; KEY_LEN], getrandom::Error> {
    let mut k = [0u8; KEY_LEN];
    getrandom::fill(&mut k)?;
    Ok(k)
}

/// Reads the key file, or makes it: written whole to a private temporary
/// file, then linked into place, so a second process sees either no file
/// or a complete one, and the first one made wins. On Windows the file
/// holds the key sealed with DPAPI for the user (`platform::protect_secret`);
/// a file of exactly the key's length is a plain key (Unix, or one copied
/// from there) and is read as it is.
fn load_or_create_key(path: &Path) -> Result<[u8; KEY_LEN], StoreError> {
    let fail = |reason: Cause| -> StoreError {
        VoucherError::Key {
            path: path.to_path_buf(),
            reason,
        }
        .into()
    };
    if !path.exists() {
        let key = random_key().map_err(|e| fail(Cause::Other(e.to_string())))?;
        let tmp = crate::files::temp_name(path, "key");
        let sealed = crate::platform::protect_secret(&key).map_err(|e| fail(Cause::from(&e)))?;
        let mut f = crate::platform::private_file_options(
            fs::OpenOptions::new().write(true).create_new(true),
        )
        .open(&tmp)
        .map_err(|e| fail(Cause::from(&e)))?;
        let written = crate::platform::make_private(&tmp, false)
            .and_then(|()| f.write_all(&sealed))
            .and_then(|()| f.sync_all());
        drop(f);
        let linked = written.and_then(|()| {
            match crate::platform::retry_busy(|| fs::hard_link(&tmp, path)) {
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
                r => r,
            }
        });
        let _ = crate::platform::retry_busy(|| fs::remove_file(&tmp));
        linked.map_err(|e| fail(Cause::from(&e)))?;
    }
    let stored = fs::read(path).map_err(|e| fail(Cause::from(&e)))?;
    let bytes = if stored.len() == KEY_LEN {
        stored
    } else {
        crate::platform::unprotect_secret(&stored).map_err(|e| fail(Cause::from(&e)))?
    };
    bytes.try_into().map_err(|_: Vec<u8>| fail(Cause::Corrupt))
}

fn voucher_from_row(r: &Row<'_>) -> rusqlite::Result<Voucher> {
    let date = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        r.get::<_, Option<String>>(i)?
            .map(|s| {
                NaiveDate::parse_from_str(&s, DATE_FMT).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        i,
                        rusqlite::types::Type::Text,
                        e.into(),
                    )
                })
            })
            .transpose()
    };
    let status: String = r.get(13)?;
    Ok(Voucher {
        id: VoucherId(r.get(0)?),
        uid: r.get(1)?,
        number: r.get(2)?,
        profile: r.get(3)?,
        season: Season(r.get(4)?),
        seq: r.get(5)?,
        product: r.get(6)?,
        max_sum: Cents(r.get(7)?),
        issued_at: parse_time(r, 8)?,
        valid_until: date(9)?.unwrap_or_default(),
        birth_year: r.get(10)?,
        checked_identity: r.get(11)?,
        visit: r.get::<_, Option<i64>>(12)?.map(VisitId),
        stored_status: match status.as_str() {
            "used" => Status::Used,
            "cancelled" => Status::Cancelled,
            _ => Status::Issued,
        },
        used_amount: r.get::<_, Option<i64>>(14)?.map(Cents),
        used_on: date(15)?,
        shop: r.get(16)?,
        cancelled_on: date(17)?,
        cancel_reason: r.get(18)?,
    })
}

#[cfg(test)]
mod tests;

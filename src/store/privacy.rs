//! Retention enforced on the files: clearing what is past retention with
//! no copy left in the database, its WAL, the backups or the files a
//! restore kept aside; finding what is overdue; removing temporary copies.
//!
//! A purge empties notes and clears voucher identities in one transaction,
//! then rewrites the file (`VACUUM` with `secure_delete` on and temporary
//! storage in memory, so no copy goes to the system's temp folder) and
//! empties the WAL. If another connection keeps old pages alive the
//! rewrite fails; the purge is then marked pending and the next one
//! rewrites the file. The report counts are kept by triggers on topics,
//! fields, referrals and times, none of which a purge touches.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::NaiveDate;
use rusqlite::{Connection, TransactionBehavior, params};

use super::backups::{backup_dir, list_backups};
use super::with_suffix;
use super::{DATE_FMT, Store, StoreError, fmt_date};
use crate::clock::Stamp;
use crate::files::Cause;
use crate::privacy::retention::{Cutoffs, Due, PrivacyFinding};

/// The settings key holding the day of the last retention purge.
pub const LAST_PURGE_SETTING: &str = "privacy.last_purge";
/// Set while a purge's clearing is done but the file is not yet rewritten.
const SCRUB_PENDING_SETTING: &str = "privacy.scrub_pending";

/// How old a temporary copy must be before a start-up removes it: younger
/// ones may belong to a command running in another window.
pub const STALE_TEMP: Duration = Duration::from_secs(3600);

/// What a purge of the database did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Purged {
    /// What was cleared now.
    pub cleared: Due,
    /// The file was rewritten and its WAL emptied: no old copy remains.
    pub scrubbed: bool,
}

/// What a purge did to the copies of the database (backups, files kept
/// aside by a restore).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CopiesPurged {
    /// Copies that held data past retention and were rewritten without it.
    pub rewritten: Vec<PathBuf>,
    /// Copies that held it and could not be rewritten, so were deleted.
    pub removed: Vec<PathBuf>,
    /// The newest backup, which held it and could not be rewritten (a
    /// full disk) and had no newer backup to take its place: kept, so the
    /// desk is never left without one, until a backup can be made.
    pub kept: Option<PathBuf>,
    /// Copies that could not be read to check them, with the reason.
    pub unreadable: Vec<(PathBuf, String)>,
}

/// A whole retention purge: the database, its copies and the temporary
/// files left behind.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PurgeReport {
    pub database: Purged,
    pub copies: CopiesPurged,
    pub temp_removed: Vec<PathBuf>,
}

impl Store {
    /// What `cutoffs` would clear now.
    pub fn due(&self, cutoffs: &Cutoffs) -> Result<Due, StoreError> {
        Ok(due_in(&self.conn, cutoffs)?)
    }

    /// The oldest visit day that still has a note before the notes cutoff.
    pub fn oldest_due_note(&self, cutoffs: &Cutoffs) -> Result<Option<NaiveDate>, StoreError> {
        Ok(oldest_note_in(&self.conn, cutoffs)?)
    }

    /// Clears what `cutoffs` name, in one transaction, then rewrites the
    /// file so no copy remains (also when an earlier purge could not). With
    /// `mark`, records it as the day's retention purge.
    pub fn purge(
        &mut self,
        cutoffs: &Cutoffs,
        mark: Option<NaiveDate>,
        stamp: &Stamp,
    ) -> Result<Purged, StoreError> {
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        let tx = self
            .writable()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let cleared = clear_in(&tx, cutoffs, stamp)?;
        if !cleared.is_empty() {
            tx.execute(
                "INSERT OR REPLACE INTO settings(key, value) VALUES (?1, '1')",
                [SCRUB_PENDING_SETTING],
            )?;
        }
        if let Some(day) = mark {
            tx.execute(
                "INSERT OR REPLACE INTO settings(key, value) VALUES (?1, ?2)",
                params![LAST_PURGE_SETTING, fmt_date(day)],
            )?;
        }
        let pending: bool = tx.query_row(
            "SELECT count(*) > 0 FROM settings WHERE key = ?1",
            [SCRUB_PENDING_SETTING],
            |r| r.get(0),
        )?;
        tx.commit()?;
        if !pending {
            return Ok(Purged {
                cleared,
                scrubbed: true,
            });
        }
        // Cleared from now on; what follows removes the old copies.
        let scrubbed = self.conn.execute_batch("VACUUM").is_ok()
            && super::vouchers::checkpoint(&self.conn).is_ok();
        if scrubbed {
            self.conn.execute(
                "DELETE FROM settings WHERE key = ?1",
                [SCRUB_PENDING_SETTING],
            )?;
            // Only that one settings page is in the WAL; fold it in too.
            let _ = super::vouchers::checkpoint(&self.conn);
        }
        Ok(Purged { cleared, scrubbed })
    }

    /// The day of the last retention purge, if any.
    pub fn last_purge(&self) -> Result<Option<NaiveDate>, StoreError> {
        Ok(self
            .setting(LAST_PURGE_SETTING)?
            .and_then(|d| NaiveDate::parse_from_str(&d, DATE_FMT).ok()))
    }

    /// Whether a purge cleared data but could not rewrite the file yet.
    pub fn scrub_pending(&self) -> Result<bool, StoreError> {
        Ok(self.setting(SCRUB_PENDING_SETTING)?.is_some())
    }
}

/// Whether the database has table `name` (old backups may lack later ones).
fn has_table(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [name],
        |r| r.get(0),
    )
}

/// What `cutoffs` would clear in the database on `conn`. Times are stored
/// as `YYYY-MM-DD HH:MM:SS`, so a text comparison with a day is exact.
fn due_in(conn: &Connection, c: &Cutoffs) -> rusqlite::Result<Due> {
    let mut due = Due::default();
    if let Some(before) = c.notes_before {
        let before = fmt_date(before);
        due.notes = conn.query_row(
            "SELECT count(*) FROM visits WHERE note <> '' AND at < ?1",
            [&before],
            |r| r.get(0),
        )?;
        if has_table(conn, "drafts")? {
            due.drafts = conn.query_row(
                "SELECT count(*) FROM drafts WHERE saved_at < ?1",
                [&before],
                |r| r.get(0),
            )?;
        }
    }
    if let Some(before) = c.identities_before
        && has_table(conn, "vouchers")?
    {
        due.identities = conn.query_row(
            "SELECT count(*) FROM vouchers WHERE valid_until < ?1
               AND (birth_year IS NOT NULL OR identity_hash IS NOT NULL)",
            [fmt_date(before)],
            |r| r.get(0),
        )?;
    }
    Ok(due)
}

/// The day of the oldest visit whose note is past the notes cutoff.
fn oldest_note_in(conn: &Connection, c: &Cutoffs) -> rusqlite::Result<Option<NaiveDate>> {
    let Some(before) = c.notes_before else {
        return Ok(None);
    };
    let day: Option<String> = conn.query_row(
        "SELECT substr(min(at), 1, 10) FROM visits WHERE note <> '' AND at < ?1",
        [fmt_date(before)],
        |r| r.get(0),
    )?;
    Ok(day.and_then(|d| NaiveDate::parse_from_str(&d, DATE_FMT).ok()))
}

/// Clears what `cutoffs` name. An emptied note is an edit (`updated_at`),
/// so an older copy imported later does not bring it back.
fn clear_in(conn: &Connection, c: &Cutoffs, stamp: &Stamp) -> rusqlite::Result<Due> {
    let mut cleared = Due::default();
    if let Some(before) = c.notes_before {
        let before = fmt_date(before);
        cleared.notes = conn.execute(
            "UPDATE visits SET note = '', updated_at = ?2 WHERE note <> '' AND at < ?1",
            params![before, stamp.as_str()],
        )? as u64;
        if has_table(conn, "drafts")? {
            cleared.drafts =
                conn.execute("DELETE FROM drafts WHERE saved_at < ?1", [&before])? as u64;
        }
    }
    if let Some(before) = c.identities_before
        && has_table(conn, "vouchers")?
    {
        cleared.identities = conn.execute(
            "UPDATE vouchers SET birth_year = NULL, identity_hash = NULL
             WHERE valid_until < ?1 AND (birth_year IS NOT NULL OR identity_hash IS NOT NULL)",
            [fmt_date(before)],
        )? as u64;
    }
    Ok(cleared)
}

use super::open_read_only_file as open_read_only;

/// Every copy of the database kept beside it: the backups, and the files a
/// restore kept aside (`tiski.db.before-restore-…`).
pub fn kept_copies(db: &Path) -> Vec<PathBuf> {
    let mut copies = list_backups(&backup_dir(db));
    let dir = db.parent().unwrap_or(Path::new("."));
    let aside = format!(
        "{}.before-restore-",
        db.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("tiski.db")
    );
    let mut asides: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with(&aside) && !n.ends_with("-wal") && !n.ends_with("-shm")
            })
        })
        .collect();
    asides.sort();
    copies.extend(asides);
    copies
}

/// What `cutoffs` would clear in the copy at `path`, read without writing.
pub fn due_in_copy(path: &Path, c: &Cutoffs) -> rusqlite::Result<Due> {
    due_in(&open_read_only(path)?, c)
}

/// Rewrites or deletes every kept copy that holds data `cutoffs` clear.
pub fn purge_copies(db: &Path, c: &Cutoffs, stamp: &Stamp) -> CopiesPurged {
    let mut out = CopiesPurged::default();
    // The newest backup is the desk's one way back: when it cannot be
    // rewritten it stays (until a backup without the data is made) unless
    // a newer one, healthy, is already in place.
    let newest = list_backups(&backup_dir(db)).pop();
    // A name of the open log itself (a link named like a backup) is not a
    // copy: the log's own purge clears it.
    let copies = kept_copies(db)
        .into_iter()
        .filter(|p| !crate::files::live::is_live(p));
    for copy in copies {
        match due_in_copy(&copy, c) {
            Ok(due) if due.is_empty() => {}
            Ok(_) => match rewrite_copy(&copy, c, stamp) {
                Ok(()) => out.rewritten.push(copy),
                Err(_) if Some(&copy) == newest.as_ref() => out.kept = Some(copy),
                // It cannot be cleaned, and it holds data past retention.
                Err(_) => {
                    remove_copy(&copy);
                    out.removed.push(copy);
                }
            },
            Err(e) => out.unreadable.push((copy, e.to_string())),
        }
    }
    out
}

/// Overwrites and removes a copy with its own WAL files.
pub(super) fn remove_copy(copy: &Path) {
    for file in [
        with_suffix(copy, "-wal"),
        with_suffix(copy, "-shm"),
        copy.to_path_buf(),
    ] {
        let _ = scrub_and_remove(&file);
    }
}

/// Puts a purged copy of `path` in its place: made beside it (private),
/// cleared and rebuilt, then renamed over it, so a crash leaves either the
/// old copy or the new one. The old file's bytes are then overwritten
/// through a handle kept open across the rename, and a WAL of its own
/// (a restore's aside may have one) is overwritten and removed.
fn rewrite_copy(path: &Path, c: &Cutoffs, stamp: &Stamp) -> Result<(), StoreError> {
    if crate::files::live::is_live(path) {
        return Err(StoreError::Open {
            path: path.to_path_buf(),
            reason: Cause::OpenDatabase,
        });
    }
    let tmp = crate::files::temp_name(path, "purge");
    let _ = fs::remove_file(&tmp);
    let io = |e: std::io::Error| StoreError::Open {
        path: tmp.clone(),
        reason: Cause::from(&e),
    };
    // Made empty and private first: VACUUM INTO accepts an empty file.
    crate::files::write_private(&tmp, &[]).map_err(io)?;
    let result = (|| -> Result<(), StoreError> {
        super::vacuum_into(&open_read_only(path)?, &tmp)?;
        let conn = Connection::open(&tmp)?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // The copy is thrown away if this fails: no journal on disk needed.
        conn.pragma_update(None, "journal_mode", "MEMORY")?;
        clear_in(&conn, c, stamp)?;
        conn.execute_batch("VACUUM")?;
        conn.close().map_err(|(_, e)| e)?;
        crate::files::sync_file(&tmp).map_err(io)?;
        Ok(())
    })();
    if let Err(e) = result {
        let _ = scrub_and_remove(&tmp);
        return Err(e);
    }
    // The old file is moved aside under a temp name (kept open, to be
    // zeroed), and the new one takes its place: Windows cannot rename over
    // a file that is open. A crash in between leaves the aside file to the
    // sweep of leftovers, and the new file or the old one at `path`.
    let old = OpenOptions::new().write(true).open(path).map_err(io)?;
    let aside = crate::files::temp_name(path, "purge-old");
    let rename = |from: &Path, to: &Path| crate::platform::retry_busy(|| fs::rename(from, to));
    rename(path, &aside).map_err(io)?;
    if let Err(e) = rename(&tmp, path) {
        let _ = rename(&aside, path);
        return Err(io(e));
    }
    let _ = zero_fill(&old);
    drop(old);
    let _ = fs::remove_file(&aside);
    for suffix in ["-wal", "-shm"] {
        let _ = scrub_and_remove(&with_suffix(path, suffix));
    }
    if let Some(dir) = path.parent() {
        crate::platform::sync_dir(dir);
    }
    Ok(())
}

/// Overwrites a file's bytes with zeros and syncs it. On file systems that
/// write in place this destroys the old content; copy-on-write ones (and
/// SSDs' own remapping) may keep it, which only disk encryption covers.
fn zero_fill(f: &File) -> std::io::Result<()> {
    let len = f.metadata()?.len();
    let zeros = vec![0u8; 64 * 1024];
    let mut w = f;
    let mut left = len;
    std::io::Seek::seek(&mut w, std::io::SeekFrom::Start(0))?;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        w.write_all(&zeros[..n])?;
        left -= n as u64;
    }
    f.sync_all()
}

/// Zero-fills and removes `path`, if it exists: a file of tiski's own (a
/// temporary copy, an old backup). A symbolic link in its place is
/// refused, never followed; a file with another name besides (a hard link)
/// loses this name only, its bytes belong to the other name too; a
/// database this process has open is refused whole, never opened here.
pub fn scrub_and_remove(path: &Path) -> std::io::Result<()> {
    // A database this process has open, or a companion of one, under any
    // name: opening and closing it here would drop its connection's locks.
    if crate::files::live::is_live(path) {
        return Err(Cause::OpenDatabase.into_io());
    }
    match crate::platform::open_no_follow(path) {
        Ok(f) => {
            // A second name of a file put in place (a new log, a backup,
            // the key, linked in before the command stopped): its bytes
            // are that file's, so only the name goes.
            if crate::platform::link_count(&f)? == 1 {
                let _ = zero_fill(&f);
            }
            drop(f);
            crate::platform::retry_busy(|| fs::remove_file(path))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// The temporary copies of tiski's in the data folder and the backup
/// folder that were last written at least `min_age` ago: only files whose
/// name tiski alone makes (`files::temp_name`), that are plain files of
/// the user's (never a link, never another user's), and whose content is
/// tiski's (a tiski database, or empty, or a companion of one). Nothing is
/// looked for when `db` is not an existing database file: `--db` may name
/// a file in any folder.
pub fn temp_leftovers(db: &Path, min_age: Duration, now: SystemTime) -> Vec<PathBuf> {
    let mut found = temp_names(db, min_age, now);
    found.sort();
    // Whose content is tiski's; a companion goes with its file.
    let ours: Vec<PathBuf> = found
        .iter()
        .filter(|p| is_main_temp(p) && is_tiskis(p))
        .cloned()
        .collect();
    found.retain(|p| {
        ours.contains(p)
            || (!is_main_temp(p) && {
                let main = main_of(p);
                ours.contains(&main) || (!main.exists() && is_companion_content(p))
            })
    });
    found
}

/// The files named like tiski's temporary copies, plain files of the
/// user's last written at least `min_age` ago, read from the folders
/// alone (their content unopened).
fn temp_names(db: &Path, min_age: Duration, now: SystemTime) -> Vec<PathBuf> {
    if !fs::symlink_metadata(db).is_ok_and(|m| m.is_file()) {
        return Vec::new();
    }
    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let backups = backup_dir(db);
    let dirs = [dir].into_iter().chain(
        fs::symlink_metadata(&backups)
            .is_ok_and(|m| m.is_dir())
            .then_some(backups),
    );
    dirs.flat_map(|d| fs::read_dir(d).into_iter().flatten().flatten())
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(crate::files::is_temp_name)
        })
        .filter(|e| {
            // DirEntry's metadata does not follow a link.
            e.metadata().is_ok_and(|m| {
                m.is_file()
                    && crate::platform::is_own(&m)
                    && m.modified()
                        .is_ok_and(|t| now.duration_since(t).unwrap_or_default() >= min_age)
            })
        })
        .map(|e| e.path())
        .filter(|p| !crate::files::live::is_live(p))
        .collect()
}

/// A temp file itself, not one of its SQLite companions.
fn is_main_temp(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".tmp"))
}

/// The file a companion (`X.tmp-wal`) belongs to (`X.tmp`).
fn main_of(p: &Path) -> PathBuf {
    let s = p.as_os_str().to_string_lossy();
    let main = crate::files::COMPANIONS
        .iter()
        .find_map(|x| s.strip_suffix(x))
        .unwrap_or(&s);
    PathBuf::from(main)
}

/// Empty (made and not yet filled), or a database with tiski's tables, as
/// SQLite reads it.
fn is_tiskis(p: &Path) -> bool {
    fs::symlink_metadata(p).is_ok_and(|m| m.len() == 0)
        || (Store::is_sqlite_file(p)
            && super::open_immutable_file(p).is_ok_and(|c| {
                c.query_row(
                    "SELECT count(*) = 2 FROM sqlite_master WHERE type = 'table'
                     AND name IN ('sessions', 'visits')",
                    [],
                    |r| r.get::<_, bool>(0),
                )
                .unwrap_or(false)
            }))
}

/// A companion whose database is gone: a WAL or rollback journal by its
/// first bytes, or a `-shm` (an index of a WAL, no data of its own).
fn is_companion_content(p: &Path) -> bool {
    let name = p.to_string_lossy();
    if name.ends_with("-shm") {
        return true;
    }
    let mut head = [0u8; 8];
    let read = fs::File::open(p)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    match read {
        0 => true,
        n if n >= 4 && name.ends_with("-wal") => {
            matches!(head[..4], [0x37, 0x7f, 0x06, 0x82 | 0x83])
        }
        8 => head == [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7],
        _ => false,
    }
}

/// Removes (overwriting first) the temporary copies an interrupted command
/// left behind; returns what it removed.
pub fn sweep_temp(db: &Path, min_age: Duration, now: SystemTime) -> Vec<PathBuf> {
    temp_leftovers(db, min_age, now)
        .into_iter()
        .filter(|p| scrub_and_remove(p).is_ok())
        .collect()
}

/// The sweep each command starts with: every leftover copy when no other
/// tiski has the database (a running import holds its lock alone), else
/// only the stale ones, which no running command can still be using. The
/// folders are read once, and the lock tried only when there is a copy.
/// Another command's copy still being made is not even opened (on
/// Windows a look inside would hold it open while its owner renames it).
pub fn sweep_temp_at_start(db: &Path, now: SystemTime) -> Vec<PathBuf> {
    if temp_names(db, Duration::ZERO, now).is_empty() {
        return Vec::new();
    }
    let alone = super::lock::DeskLock::exclusive(db).ok();
    let min_age = if alone.is_some() {
        Duration::ZERO
    } else {
        STALE_TEMP
    };
    temp_leftovers(db, min_age, now)
        .into_iter()
        .filter(|p| scrub_and_remove(p).is_ok())
        .collect()
}

/// `tiski doctor`'s privacy findings, read without writing: the retention
/// in force, the last purge, what is overdue, copies holding such data and
/// leftover temporary copies.
pub fn findings(
    db: &Path,
    retention: crate::privacy::config::RetentionConfig,
    today: NaiveDate,
    now: SystemTime,
) -> Vec<PrivacyFinding> {
    let cutoffs = retention.cutoffs(today);
    let mut out = vec![PrivacyFinding::Retention(retention)];
    if let Ok(conn) = open_read_only(db) {
        let setting = |key: &str| -> Option<String> {
            conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .ok()
        };
        let last =
            setting(LAST_PURGE_SETTING).and_then(|d| NaiveDate::parse_from_str(&d, DATE_FMT).ok());
        out.push(PrivacyFinding::LastPurge(last));
        if let Ok(due) = due_in(&conn, &cutoffs) {
            let oldest_note = oldest_note_in(&conn, &cutoffs).ok().flatten();
            out.push(PrivacyFinding::Overdue { due, oldest_note });
        }
        if setting(SCRUB_PENDING_SETTING).is_some() {
            out.push(PrivacyFinding::ScrubPending);
        }
    }
    for copy in kept_copies(db) {
        match due_in_copy(&copy, &cutoffs) {
            Ok(due) if due.is_empty() => {}
            Ok(due) => out.push(PrivacyFinding::Backup { path: copy, due }),
            Err(e) => out.push(PrivacyFinding::UnreadableBackup {
                path: copy,
                reason: Cause::from(&e),
            }),
        }
    }
    out.push(PrivacyFinding::TempCopies(temp_leftovers(
        db,
        Duration::ZERO,
        now,
    )));
    out
}

#[cfg(test)]
mod tests;

//! Keeping the file healthy: the daily integrity check and backup,
//! restoring a backup, `tiski doctor`'s findings, and spotting network
//! drives where SQLite's locking cannot be trusted.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;

use super::Store;
use super::backups::{backup_dir, backup_stamp, list_backups};
use super::migrations::{self, LATEST};
use super::privacy;
use super::with_suffix;
use crate::clock::Now;
use crate::files::Cause;

/// Why a maintenance step failed.
#[derive(Debug, thiserror::Error)]
pub enum MaintError {
    #[error("{path}: {reason}")]
    Io { path: PathBuf, reason: Cause },
    #[error("{path} is not a usable tiski backup: {reason}")]
    BadBackup { path: PathBuf, reason: Cause },
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The integrity check found damage: nothing is written into the file,
    /// and it is not backed up (a backup of it would be counted as good).
    #[error("{path} is damaged: {}", problems.join("; "))]
    Damaged {
        path: PathBuf,
        problems: Vec<String>,
    },
}

/// What `quick_check` finds, a file too damaged to check being one problem.
fn quick_problems(db: &Path) -> Result<Vec<String>, MaintError> {
    match check(db, false) {
        Ok(p) => Ok(p),
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
            ) =>
        {
            Ok(vec![e.to_string()])
        }
        Err(e) => Err(e.into()),
    }
}

/// How a day's check of the file at `db` is remembered: the day and the
/// file's identity, so a copy of the file (a backup put in place by hand, a
/// file copied from another laptop) is checked again, not taken as checked.
pub fn check_stamp(db: &Path, today: NaiveDate) -> String {
    match crate::platform::file_id(db) {
        Ok(id) => format!("{today} {}:{}", id.device, id.file),
        Err(_) => today.to_string(),
    }
}

/// The settings key of the day a command last found the file healthy.
pub const QUICK_CHECK_SETTING: &str = "last_quick_check";

/// Remembers that the store's file passed [`check_file_before_writing`]
/// today, so the day's later commands do not check it again. Not a reason
/// to stop if it cannot be written: the check passed; it just runs again.
pub fn mark_checked(store: &mut Store, today: NaiveDate) {
    if let Some(db) = store.path().map(Path::to_path_buf) {
        let _ = store.set_setting(QUICK_CHECK_SETTING, &check_stamp(&db, today));
    }
}

/// Refuses a damaged file before a command writes into it, checking it
/// (`quick_check`) at most once a day, before the file is opened for
/// writing (so a damaged file of an older schema is not migrated first):
/// reads the day's mark read-only and runs the check unless this very file
/// passed it today. Returns whether it ran and passed: the caller then
/// opens the store and calls [`mark_checked`].
pub fn check_file_before_writing(db: &Path, today: NaiveDate) -> Result<bool, MaintError> {
    if !db.is_file() {
        return Ok(false);
    }
    let stamp = check_stamp(db, today);
    let mark = open_read_only(db).and_then(|c| {
        c.query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [QUICK_CHECK_SETTING],
            |r| r.get::<_, String>(0),
        )
    });
    match mark {
        Ok(v) if v == stamp => return Ok(false),
        Ok(_) | Err(rusqlite::Error::QueryReturnedNoRows) => {}
        // Damage shows as a file SQLite cannot read: the check says so.
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
            ) => {}
        // Anything else (a full disk, no room for the -shm) is met and
        // worded by the open that follows, and its store checks then.
        Err(_) => return Ok(false),
    }
    let problems = quick_problems(db)?;
    if !problems.is_empty() {
        return Err(MaintError::Damaged {
            path: db.to_path_buf(),
            problems,
        });
    }
    Ok(true)
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> MaintError + '_ {
    move |e| MaintError::Io {
        path: path.to_path_buf(),
        reason: Cause::from(&e),
    }
}

/// A read-only connection: checks and backups never write the database.
use super::open_read_only_file as open_read_only;

/// Runs `PRAGMA quick_check` (or the thorough `integrity_check`) on a
/// read-only connection; returns the problems found, none when healthy.
pub fn check(db: &Path, thorough: bool) -> rusqlite::Result<Vec<String>> {
    let conn = open_read_only(db)?;
    let pragma = if thorough {
        "integrity_check"
    } else {
        "quick_check"
    };
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}"))?;
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(if rows == ["ok"] { Vec::new() } else { rows })
}

/// Makes an online, consistent copy of `db` into the backup folder
/// (`VACUUM INTO`, so the app may keep writing meanwhile), fsyncs it, and
/// keeps only the newest `keep` backups. Returns the new file.
pub fn backup(db: &Path, now: NaiveDateTime, keep: usize) -> Result<PathBuf, MaintError> {
    // Only a tiski database is backed up: another program's file (or an
    // empty one) must not take a backup's place and push a real one out.
    super::Store::preflight(db).map_err(|e| MaintError::BadBackup {
        path: db.to_path_buf(),
        reason: Cause::from(&e),
    })?;
    let problems = quick_problems(db)?;
    if !problems.is_empty() {
        return Err(MaintError::Damaged {
            path: db.to_path_buf(),
            problems,
        });
    }
    let dir = backup_dir(db);
    // A folder that exists is left as it is (doctor names one others can
    // read); a new one is made private.
    crate::platform::create_private_dir_all(&dir).map_err(io(&dir))?;
    let src = open_read_only(db)?;
    // The day's first backup is `tiski-DAY.db`, a later one
    // `tiski-DAY-HHMMSS.db` (`-2`, `-3` within one second), so the newest
    // always sorts last and is never the one pruned; an existing backup is
    // never written over, even by another backup made at the same moment.
    let day = now.format("%Y-%m-%d").to_string();
    let time = now.format("%H%M%S").to_string();
    let first_today = !list_backups(&dir).iter().any(|b| {
        backup_stamp(&b.file_name().unwrap_or_default().to_string_lossy())
            .is_some_and(|(d, ..)| d == now.date())
    });
    let names = (first_today.then(|| format!("tiski-{day}.db")).into_iter())
        .chain(std::iter::once(format!("tiski-{day}-{time}.db")))
        .chain((2..).map(|n| format!("tiski-{day}-{time}-{n}.db")));
    let mut target = PathBuf::new();
    for name in names.take(1000) {
        target = dir.join(name);
        match copy_whole(&src, &target) {
            Err(MaintError::Io {
                reason: Cause::AlreadyExists,
                ..
            }) => continue,
            other => {
                other?;
                break;
            }
        }
    }
    prune(&dir, keep)?;
    Ok(target)
}

/// A consistent copy of the database `src` has open, its WAL taken in
/// (`VACUUM INTO`), put at `target` whole or not at all: built in a new
/// private file beside it (the user's alone from its first byte), synced,
/// then renamed into place. Only SQLite reads the source.
fn copy_whole(src: &Connection, target: &Path) -> Result<(), MaintError> {
    let tmp = crate::files::temp_name(target, "copy");
    crate::files::create_private_empty(&tmp).map_err(io(&tmp))?;
    let made = super::vacuum_into(src, &tmp)
        .map_err(MaintError::from)
        .and_then(|_| crate::files::sync_file(&tmp).map_err(io(&tmp)))
        .and_then(|()| crate::files::rename_new(&tmp, target).map_err(io(target)));
    if made.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    made?;
    if let Some(dir) = target.parent() {
        crate::platform::sync_dir(dir);
    }
    Ok(())
}

/// The outcome of the first start of the day's check, purge and backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyCheck {
    /// What `quick_check` found; empty when healthy.
    pub problems: Vec<String>,
    /// The new backup, or why there is none.
    pub backup: Result<PathBuf, String>,
    /// What the retention purge cleared, or why it could not run (then
    /// there is no backup either: it would keep what is past retention).
    pub purge: Result<super::privacy::PurgeReport, String>,
}

/// The daily check: `quick_check`, then (only if healthy, so a damaged
/// file is neither written nor pushes a good backup out) the retention
/// purge of the database and its copies, then a backup, which so never
/// holds data past retention. Runs off the UI thread.
pub fn daily(
    db: &Path,
    now: crate::clock::Now,
    keep: usize,
    cutoffs: crate::privacy::retention::Cutoffs,
) -> DailyCheck {
    let problems = match check(db, false) {
        Ok(p) => p,
        Err(e) => vec![e.to_string()],
    };
    if !problems.is_empty() {
        return DailyCheck {
            problems,
            backup: Err(String::new()),
            purge: Err(String::new()),
        };
    }
    let purge = super::Store::open(db)
        .and_then(|mut s| purge_all(&mut s, db, &cutoffs, &now))
        .map_err(|e| e.to_string());
    let backup = match &purge {
        Ok(_) => backup(db, now.local, keep).map_err(|e| e.to_string()),
        Err(_) => Err(String::new()),
    };
    DailyCheck {
        problems,
        backup,
        purge,
    }
}

/// The whole retention purge, as the day's first start and `tiski purge
/// --due` run it: the database, then every kept copy, then the leftovers.
pub fn purge_all(
    store: &mut Store,
    db: &Path,
    cutoffs: &crate::privacy::retention::Cutoffs,
    now: &Now,
) -> Result<privacy::PurgeReport, super::StoreError> {
    let stamp = now.stamp();
    let database = store.purge(cutoffs, Some(now.local.date()), &stamp)?;
    let mut copies = privacy::purge_copies(db, cutoffs, &stamp);
    replace_kept_backup(db, &mut copies, now, usize::MAX);
    Ok(privacy::PurgeReport {
        database,
        copies,
        temp_removed: privacy::sweep_temp(db, privacy::STALE_TEMP, now.utc.into()),
    })
}

/// After a purge that had to keep the newest backup (see
/// [`purge_copies`](super::privacy::purge_copies)):
/// a new backup of the purged database takes its place, and then it goes.
/// On a disk still full the old one stays, and `tiski doctor` names it.
fn replace_kept_backup(db: &Path, copies: &mut privacy::CopiesPurged, now: &Now, keep: usize) {
    let Some(old) = copies.kept.take() else {
        return;
    };
    match backup(db, now.local, keep.max(2)) {
        Ok(_) => {
            privacy::remove_copy(&old);
            copies.removed.push(old);
        }
        Err(_) => copies.kept = Some(old),
    }
}

/// Removes the oldest backups beyond `keep`: only files that are tiski's
/// backups (by name, and an SQLite file inside), never anything else.
fn prune(dir: &Path, keep: usize) -> Result<(), MaintError> {
    let all: Vec<PathBuf> = list_backups(dir)
        .into_iter()
        .filter(|p| open_read_only(p).is_ok_and(|c| migrations::version(&c).is_ok_and(|v| v > 0)))
        .collect();
    let extra = all.len().saturating_sub(keep.max(1));
    for old in &all[..extra] {
        crate::platform::retry_busy(|| fs::remove_file(old)).map_err(io(old))?;
    }
    Ok(())
}

/// Checks that `file` is a healthy tiski database this version can read.
pub fn verify_backup(file: &Path) -> Result<(), MaintError> {
    let bad = |reason: Cause| MaintError::BadBackup {
        path: file.to_path_buf(),
        reason,
    };
    if !file.is_file() {
        return Err(bad(Cause::NotFound));
    }
    let conn = open_read_only(file).map_err(|e| bad(Cause::from(&e)))?;
    let version = migrations::version(&conn).map_err(|e| bad(Cause::from(&e)))?;
    if version == 0 || version > LATEST {
        return Err(bad(if version > LATEST {
            Cause::TooNew
        } else {
            Cause::NotTiski
        }));
    }
    // Another program's SQLite file may set a user_version too: a tiski
    // database has tiski's tables, all of them.
    if !migrations::is_ours(&conn, version).map_err(|e| bad(Cause::from(&e)))? {
        return Err(bad(Cause::NotTiski));
    }
    drop(conn);
    let problems = check(file, true).map_err(|e| bad(Cause::from(&e)))?;
    if !problems.is_empty() {
        return Err(bad(Cause::Damaged(problems.join("; "))));
    }
    Ok(())
}

/// Puts the content of a verified `backup` into `db`. The current
/// content is first kept aside whole (its `-wal` taken in) as a new file,
/// whose name is returned, so restoring that file gives back every visit.
/// Everything goes through SQLite: the backup's pages are written into the
/// database by SQLite's backup API in one transaction, so the file, its
/// `-wal` and `-shm` are never replaced, copied or deleted from outside
/// (another program holding it open keeps a consistent file), and a crash
/// leaves the old content or the new. Run with no duty screen open (the
/// caller holds the desk's lock).
pub fn restore(
    db: &Path,
    backup: &Path,
    now: NaiveDateTime,
) -> Result<Option<PathBuf>, MaintError> {
    verify_backup(backup)?;
    let src = open_read_only(backup).map_err(|e| MaintError::BadBackup {
        path: backup.to_path_buf(),
        reason: Cause::from(&e),
    })?;
    if !db.exists() {
        // Nothing to keep aside or to write into: the copy is the file.
        let (dir, _) = folder_and_name(db);
        crate::platform::create_private_dir_all(dir).map_err(io(dir))?;
        copy_whole(&src, db)?;
        return Ok(None);
    }
    // The file being replaced must be tiski's too.
    super::Store::preflight(db).map_err(|e| MaintError::BadBackup {
        path: db.to_path_buf(),
        reason: Cause::from(&e),
    })?;
    let (dir, name) = folder_and_name(db);
    // Never the name of an earlier restore's file (two in a second).
    let stamp = now.format("%Y%m%d-%H%M%S").to_string();
    let aside = (1..)
        .map(|n| match n {
            1 => dir.join(format!("{name}.before-restore-{stamp}")),
            n => dir.join(format!("{name}.before-restore-{stamp}-{n}")),
        })
        .find(|p| !p.exists() && !with_suffix(p, "-wal").exists())
        .expect("some name is free");
    copy_whole(&open_read_only(db)?, &aside)?;
    let mut dest = Connection::open(db)?;
    dest.busy_timeout(std::time::Duration::from_secs(10))?;
    dest.pragma_update(None, "synchronous", "FULL")?;
    {
        use rusqlite::backup::StepResult;
        let copy = rusqlite::backup::Backup::new(&src, &mut dest)?;
        // All pages in one step (-1): one transaction on the database. A
        // reader of another program may hold it a moment: up to 200 tries
        // 50 ms apart (ten seconds).
        let mut tries = 0;
        loop {
            match copy.step(-1)? {
                StepResult::Done => break,
                _ if tries < 200 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50))
                }
                _ => {
                    return Err(rusqlite::Error::SqliteFailure(
                        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                        None,
                    )
                    .into());
                }
            }
        }
    }
    let _ = dest.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    Ok(Some(aside))
}

/// The folder and the file name of `db` (`.` and `tiski.db` when bare).
fn folder_and_name(db: &Path) -> (&Path, &str) {
    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = db
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("tiski.db");
    (dir, name)
}

/// One thing `tiski doctor` looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    Missing,
    NotADatabase,
    Schema {
        found: i64,
        supported: i64,
    },
    Integrity(Vec<String>),
    JournalMode(String),
    Synchronous(i64),
    /// Who besides the user can reach a file of tiski's (`dir`: a folder).
    Access {
        path: PathBuf,
        access: crate::platform::Access,
        dir: bool,
    },
    /// The database is on a network drive or a synced folder (its kind).
    NetworkFs(String),
    Backups {
        count: usize,
        newest: Option<PathBuf>,
    },
    /// Rows of the report counts kept per day and desk that differ from
    /// the visits (migration 6).
    Counts {
        differing: u64,
    },
    /// Retention and copies of the data (see `store::privacy::findings`).
    Privacy(crate::privacy::retention::PrivacyFinding),
}

impl Finding {
    /// Whether this finding is a problem.
    pub fn is_problem(&self) -> bool {
        match self {
            Finding::Missing | Finding::NotADatabase | Finding::NetworkFs(_) => true,
            Finding::Schema { found, supported } => found > supported,
            Finding::Integrity(p) => !p.is_empty(),
            Finding::JournalMode(m) => m != "wal",
            Finding::Synchronous(s) => *s != 2,
            Finding::Access { access, .. } => !access.is_private(),
            Finding::Backups { count, .. } => *count == 0,
            Finding::Counts { differing } => *differing > 0,
            Finding::Privacy(p) => p.is_problem(),
        }
    }
}

/// Whether the report counts kept per day and desk match the visits; they
/// exist from schema 6 on.
fn counts_finding(conn: &Connection) -> Option<Finding> {
    if !migrations::version(conn).is_ok_and(|v| v >= 6) {
        return None;
    }
    let differing = super::figures::counts_differing(conn).ok()?;
    Some(Finding::Counts { differing })
}

/// Looks the report counts over again, without writing (after a recount).
pub fn recheck_counts(db: &Path) -> Option<Finding> {
    counts_finding(&open_read_only(db).ok()?)
}

/// Looks the database over without writing to it.
pub fn doctor(db: &Path) -> Vec<Finding> {
    let mut out = Vec::new();
    if !db.is_file() {
        out.push(Finding::Missing);
        return out;
    }
    // Looked at first without a -wal or -shm made beside it: another
    // program's file or a newer tiski's is reported, not opened.
    match super::Store::preflight(db) {
        Ok(()) => {}
        Err(super::StoreError::TooNew { found, .. }) => {
            out.push(Finding::Schema {
                found,
                supported: LATEST,
            });
            return out;
        }
        Err(_) => {
            out.push(Finding::NotADatabase);
            return out;
        }
    }
    let conn = match open_read_only(db) {
        Ok(c) => c,
        Err(_) => {
            out.push(Finding::NotADatabase);
            return out;
        }
    };
    match migrations::version(&conn) {
        Ok(found) => out.push(Finding::Schema {
            found,
            supported: LATEST,
        }),
        Err(_) => {
            out.push(Finding::NotADatabase);
            return out;
        }
    }
    out.push(Finding::Integrity(match check(db, true) {
        Ok(p) => p,
        Err(e) => vec![e.to_string()],
    }));
    out.extend(counts_finding(&conn));
    if let Ok(mode) = conn.query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0)) {
        out.push(Finding::JournalMode(mode));
    }
    // What tiski's own connections use: the same setting as Store::open.
    if conn.pragma_update(None, "synchronous", "FULL").is_ok()
        && let Ok(s) = conn.query_row("PRAGMA synchronous", [], |r| r.get(0))
    {
        out.push(Finding::Synchronous(s));
    }
    let dir = db.parent().unwrap_or(Path::new("."));
    let mut files = vec![(dir.to_path_buf(), true)];
    for suffix in ["", "-wal", "-shm"] {
        files.push((with_suffix(db, suffix), false));
    }
    let backups = list_backups(&backup_dir(db));
    files.extend(backups.iter().map(|b| (b.clone(), false)));
    // Other copies of personal data beside the database: the duplicate
    // check's key, files a restore kept aside, drafts the database could
    // not take.
    files.push((super::vouchers::key_path(db), false));
    files.extend(
        super::privacy::kept_copies(db)
            .into_iter()
            .filter(|c| !backups.contains(c))
            .map(|c| (c, false)),
    );
    let drafts = format!(
        "{}.draft-",
        db.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("tiski.db")
    );
    let mut fallbacks: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&drafts) && n.ends_with(".json"))
        })
        .collect();
    fallbacks.sort();
    files.extend(fallbacks.into_iter().map(|p| (p, false)));
    for (path, dir) in files {
        if let Ok(access) = crate::platform::access(&path) {
            out.push(Finding::Access { path, access, dir });
        }
    }
    if let Some(kind) = crate::platform::network_kind(dir) {
        out.push(Finding::NetworkFs(kind));
    }
    out.push(Finding::Backups {
        count: backups.len(),
        newest: backups.last().cloned(),
    });
    out
}

#[cfg(test)]
mod tests;

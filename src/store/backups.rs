//! Where a database's backups are and what they are called: the folder
//! beside it, and the names `tiski-DAY.db`, `tiski-DAY-HHMMSS.db`
//! (`-2`, `-3` within one second) that sort oldest first. A leaf: the
//! backup itself and the doctor (`maintenance`) and the retention purge of
//! every copy (`privacy`) both take the folder and its list from here.

use std::fs;
use std::path::{Path, PathBuf};

/// Backups are kept in this folder beside the database.
pub const BACKUP_DIR: &str = "backups";

/// The backup folder for a database file.
pub fn backup_dir(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join(BACKUP_DIR)
}

/// When a backup's name says it was made: `tiski-YYYY-MM-DD.db` (made at
/// the day's first start) or `tiski-YYYY-MM-DD-HHMMSS.db` (a second one
/// that day); any other name is not a backup of tiski's.
pub(super) fn backup_stamp(name: &str) -> Option<(chrono::NaiveDate, u32, u32)> {
    let stem = name.strip_prefix("tiski-")?.strip_suffix(".db")?;
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let (day, rest) = (stem.get(..10)?, stem.get(10..)?);
    let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    if rest.is_empty() {
        return Some((day, 0, 0));
    }
    let rest = rest.strip_prefix('-')?;
    let (time, n) = match rest.split_once('-') {
        Some((t, n)) if digits(n) => (t, n.parse().ok()?),
        Some(_) => return None,
        None => (rest, 1),
    };
    if time.len() != 6 || !digits(time) {
        return None;
    }
    Some((day, time.parse().ok()?, n))
}

/// Backups in the folder, oldest first (by the time in their names: a
/// day's second backup comes after its first).
pub fn list_backups(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<((chrono::NaiveDate, u32, u32), PathBuf)> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter_map(|p| {
            let stamp = backup_stamp(p.file_name()?.to_str()?)?;
            Some((stamp, p))
        })
        .collect();
    v.sort();
    v.into_iter().map(|(_, p)| p).collect()
}

//! The open desk's lock: a duty screen holds a shared lock on
//! `<database>.lock` (with its process id in it) for as long as it runs,
//! and the commands that replace or rewrite the file under it (`restore`,
//! `purge`, `import`, `doctor --recount`) need it exclusively, so they
//! refuse to run while a screen is open and say so, instead of leaving the
//! screen saving into a file no one will read. Two screens (two windows)
//! share it. The lock is the operating system's (std's `File::try_lock`),
//! so it goes when the process does, however it ends. A second lock file,
//! named by the database's file identity in the user's own cache folder
//! (never the shared temp folder), is taken too, so another name for the
//! same file (a hard link) meets the same lock.

use crate::files::Cause;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// A held lock; released when dropped.
#[derive(Debug)]
pub struct DeskLock {
    _files: Vec<File>,
}

/// Why the lock could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LockError {
    /// Another tiski has the database open on its duty screen.
    #[error("{path} is open in another tiski (process {pid:?})")]
    InUse { path: PathBuf, pid: Option<u32> },
    #[error("cannot lock {path}: {reason}")]
    Io { path: PathBuf, reason: Cause },
}

/// `<database>.lock`.
pub fn lock_path(db: &Path) -> PathBuf {
    crate::store::with_suffix(db, ".lock")
}

impl DeskLock {
    /// A duty screen's lock: shared with other screens, refused while a
    /// command holds it alone.
    pub fn shared(db: &Path) -> Result<DeskLock, LockError> {
        Self::take(db, true)
    }

    /// A command's lock: refused while any screen (or command) holds it.
    pub fn exclusive(db: &Path) -> Result<DeskLock, LockError> {
        Self::take(db, false)
    }

    fn take(db: &Path, shared: bool) -> Result<DeskLock, LockError> {
        // Beside the real file, however it is named (a symbolic link, `..`):
        // two names of one database take the same lock.
        let real = crate::platform::real_path(db).unwrap_or_else(|| db.to_path_buf());
        let mut files = vec![lock_file(&lock_path(&real), db, shared)?];
        // In a folder only the user can write: in the shared temp folder
        // another user could make the file first and hold its lock, and no
        // screen, purge, import or restore could run.
        if let (Ok(id), Some(dir)) = (
            crate::platform::file_id(&real),
            crate::platform::private_lock_dir(),
        ) {
            let by_id = dir.join(format!("tiski-{}-{}.lock", id.device, id.file));
            files.push(lock_file(&by_id, db, shared)?);
        }
        Ok(DeskLock { _files: files })
    }
}

/// Opens (making it, private) and locks the lock file at `path`.
fn lock_file(path: &Path, db: &Path, shared: bool) -> Result<File, LockError> {
    let io = |e: std::io::Error| LockError::Io {
        path: path.to_path_buf(),
        reason: Cause::from(&e),
    };
    let mut file = crate::platform::private_file_options(
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false),
    )
    .open(path)
    .map_err(io)?;
    let locked = if shared {
        file.try_lock_shared()
    } else {
        file.try_lock()
    };
    match locked {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            return Err(LockError::InUse {
                path: db.to_path_buf(),
                pid: text.trim().parse().ok(),
            });
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
    }
    // Who holds it, for the message of whoever waits.
    file.set_len(0).map_err(io)?;
    file.rewind().map_err(io)?;
    write!(file, "{}", std::process::id()).map_err(io)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_told_the_first_ones_process() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("tiski.db");
        let screen = DeskLock::shared(&db).unwrap();
        let another = DeskLock::shared(&db).unwrap();
        match DeskLock::exclusive(&db) {
            Err(LockError::InUse { pid, .. }) => assert_eq!(pid, Some(std::process::id())),
            other => panic!("{other:?}"),
        }
        drop((screen, another));
        let command = DeskLock::exclusive(&db).unwrap();
        assert!(DeskLock::shared(&db).is_err(), "no screen opens meanwhile");
        drop(command);
        assert!(DeskLock::shared(&db).is_ok(), "released when dropped");
    }

    #[test]
    fn another_name_for_the_same_file_meets_the_same_lock() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("tiski.db");
        std::fs::write(&db, b"x").unwrap();
        let other = dir.path().join("toinen.db");
        std::fs::hard_link(&db, &other).unwrap();
        let screen = DeskLock::shared(&db).unwrap();
        assert!(matches!(
            DeskLock::exclusive(&other),
            Err(LockError::InUse { .. })
        ));
        drop(screen);
        assert!(DeskLock::exclusive(&other).is_ok());
    }
}

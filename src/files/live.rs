//! The databases this process has open through SQLite. On Unix, closing
//! *any* descriptor of a file drops every POSIX lock the process holds on
//! it, SQLite's included (SQLite's "How To Corrupt An SQLite Database
//! File", 2.2): another process then takes itself for the last user and
//! checkpoints and deletes the `-wal` under the open connection. So a file
//! registered here, or one of its companions (`-wal`, `-shm`, `-journal`),
//! is never opened by tiski outside SQLite: [`is_live`] is asked first
//! wherever a path a user gave is read (an import, an output's look).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{COMPANIONS, with_suffix};
use crate::platform::{self, FileId};

struct Entry {
    token: u64,
    id: FileId,
    real: PathBuf,
}

static OPEN: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

/// Held while a connection to the database is open; unregisters it when
/// dropped.
#[derive(Debug)]
pub struct Live {
    token: u64,
}

impl Drop for Live {
    fn drop(&mut self) {
        if let Ok(mut open) = OPEN.lock() {
            open.retain(|e| e.token != self.token);
        }
    }
}

/// Registers the database file at `db` as open in this process. Looked at
/// by `stat` only (never opened). `None` when it cannot be looked at.
pub fn register(db: &Path) -> Option<Live> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let id = platform::file_id(db).ok()?;
    let real = platform::real_path(db)?;
    let token = NEXT.fetch_add(1, Ordering::Relaxed);
    OPEN.lock().ok()?.push(Entry { token, id, real });
    Some(Live { token })
}

/// Whether `path` is a database this process has open, or one of its
/// companions, under whatever name (a hard link, a symbolic link, `..`).
pub fn is_live(path: &Path) -> bool {
    let Ok(open) = OPEN.lock() else {
        return false;
    };
    if open.is_empty() {
        return false;
    }
    // The file itself under any name, or a companion that exists under a
    // name of its own (a link to the `-shm`, whose locks are the WAL's).
    if let Ok(id) = platform::file_id(path)
        && open.iter().any(|e| {
            e.id == id
                || COMPANIONS.iter().any(|suffix| {
                    platform::file_id(&with_suffix(&e.real, suffix)).is_ok_and(|c| c == id)
                })
        })
    {
        return true;
    }
    // A companion may not exist yet: compared by its folder and name.
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return false;
    };
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => platform::real_path(d),
        None => std::env::current_dir().ok(),
    };
    let Some(dir) = dir else {
        return false;
    };
    COMPANIONS.iter().any(|suffix| {
        name.strip_suffix(suffix).is_some_and(|base| {
            let base = dir.join(base);
            open.iter()
                .any(|e| e.real == base || platform::file_id(&base).is_ok_and(|id| id == e.id))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registered_file_and_its_companions_are_live_under_any_name() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("tiski.db");
        std::fs::write(&db, b"x").unwrap();
        let other = dir.path().join("other.db");
        std::fs::write(&other, b"y").unwrap();
        assert!(!is_live(&db));
        let live = register(&db).unwrap();
        let link = dir.path().join("link.db");
        std::fs::hard_link(&db, &link).unwrap();
        for p in [
            db.clone(),
            dir.path().join(".").join("tiski.db"),
            link.clone(),
            dir.path().join("tiski.db-wal"),
            dir.path().join("tiski.db-shm"),
            dir.path().join("link.db-wal"),
        ] {
            assert!(is_live(&p), "{}", p.display());
        }
        assert!(!is_live(&other));
        assert!(!is_live(&dir.path().join("other.db-wal")));
        // A companion that exists, under a name of its own: a hard link
        // and a symbolic link to the `-shm`, whose POSIX locks are the WAL's.
        std::fs::write(dir.path().join("tiski.db-shm"), b"s").unwrap();
        let shm_link = dir.path().join("data.jsonl");
        std::fs::hard_link(dir.path().join("tiski.db-shm"), &shm_link).unwrap();
        assert!(is_live(&shm_link), "a hard link to the -shm");
        #[cfg(unix)]
        {
            let sym = dir.path().join("export.jsonl");
            std::os::unix::fs::symlink(dir.path().join("tiski.db-shm"), &sym).unwrap();
            assert!(is_live(&sym), "a symbolic link to the -shm");
        }
        drop(live);
        assert!(!is_live(&db), "unregistered when dropped");
    }
}

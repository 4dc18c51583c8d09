//! Files readable by the user alone (drafts, exports, printouts, the
//! voucher secret): they may hold personal data, so they are private
//! whatever the umask, and written whole or not at all — to a temp file in
//! the same folder, synced, then renamed into place, so a full disk or a
//! crash leaves the previous file as it was and never half a file.

pub mod cause;
pub mod live;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use cause::Cause;

use crate::platform;

/// Writes `bytes` to `path` as a new private file that replaces whatever
/// was there in one rename. A symbolic link at `path` is replaced by the
/// file (its target is never written), and an existing file's mode or ACL
/// is never changed: the file that takes its place is tiski's own.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_private_with(path, |w| w.write_all(bytes))
}

/// Like [`write_private`], the content written by `write` as it is made
/// (through a buffer), so a file of any size is never held in memory. An
/// error of `write` leaves no file and nothing changed at `path`.
pub fn write_private_with<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
) -> std::io::Result<T> {
    let tmp = temp_beside(path);
    let written = (|| -> std::io::Result<T> {
        let f = platform::private_file_options(
            std::fs::OpenOptions::new().write(true).create_new(true),
        )
        .open(&tmp)?;
        platform::make_private(&tmp, false)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, f);
        let made = write(&mut out)?;
        let f = out.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        drop(f);
        platform::retry_busy(|| std::fs::rename(&tmp, path))?;
        Ok(made)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    let made = written?;
    platform::sync_dir(parent(path));
    Ok(made)
}

/// Like [`write_private`], first making the file's folder (and its missing
/// parents, each readable by the user alone): printouts go to a folder of
/// their own.
pub fn write_private_in_own_dir(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    platform::create_private_dir_all(parent(path))?;
    write_private(path, bytes)
}

/// Reads a whole file given by the user (a config): only a regular file
/// (a FIFO would block forever, `/dev/zero` never end), and at most
/// `limit` bytes.
pub fn read_regular(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let f = open_regular(path)?;
    let mut bytes = Vec::new();
    f.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(Cause::TooLarge {
            mb: limit / 1_000_000,
        }
        .into_io());
    }
    Ok(bytes)
}

/// Opens a file given by the user to be read as it streams (an import):
/// only a regular file, and never the log this process has open.
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    // Looked at before opening: opening a FIFO waits for a writer. A
    // `stat` opens no descriptor, so it drops no lock even on the log.
    if !std::fs::metadata(path)?.is_file() {
        return Err(Cause::NotAFile.into_io());
    }
    // The log this process has open is never opened outside SQLite.
    if live::is_live(path) {
        return Err(Cause::OpenDatabase.into_io());
    }
    std::fs::File::open(path)
}

/// Renames `from` to `to` only if nothing is at `to` (an `AlreadyExists`
/// error otherwise): a link made and the old name removed, so of two
/// writers at once one gets the name and the other an error, and no file
/// is ever written over. Where links cannot be made (FAT), a look first.
/// Once the link is made the file is in place: an old name another program
/// keeps open past the retries is left to the sweep of leftovers, which
/// removes only that name (the file has two).
pub fn rename_new(from: &Path, to: &Path) -> std::io::Result<()> {
    match platform::retry_busy(|| std::fs::hard_link(from, to)) {
        Ok(()) => {
            let _ = platform::retry_busy(|| std::fs::remove_file(from));
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        Err(_) if std::fs::symlink_metadata(to).is_ok() => {
            Err(std::io::ErrorKind::AlreadyExists.into())
        }
        Err(_) => platform::retry_busy(|| std::fs::rename(from, to)),
    }
}

/// Makes `path` a new, empty file readable by the user alone (refusing
/// one that exists), for SQLite to fill (`VACUUM INTO` takes an empty
/// file): so a copy of the log is private from its first byte, never
/// made under the umask and tightened afterwards.
pub fn create_private_empty(path: &Path) -> std::io::Result<()> {
    platform::private_file_options(std::fs::OpenOptions::new().write(true).create_new(true))
        .open(path)?;
    platform::make_private(path, false)
}

/// Syncs a file written by another hand (SQLite's `VACUUM INTO`) to disk.
/// Opened for writing: Windows flushes only a handle that may write.
pub fn sync_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)?
        .sync_all()
}

/// The folder `path` is in (`.` for a bare name).
fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn temp_beside(path: &Path) -> PathBuf {
    temp_name(path, "write")
}

/// The mark every temporary file of tiski's carries in its name.
const TEMP_MARK: &str = ".tiski-";

/// A temporary file beside `path`, `.NAME.tiski-KIND-PID-N.tmp`: hidden,
/// never a name another run or thread picks at the same time, and
/// recognisable as tiski's by [`is_temp_name`] (the sweep of leftovers
/// takes only such names, and only with tiski's content).
pub fn temp_name(path: &Path, kind: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or(std::ffi::OsStr::new("tiski")));
    let n = N.fetch_add(1, Ordering::Relaxed);
    name.push(format!("{TEMP_MARK}{kind}-{}-{n}.tmp", std::process::id()));
    parent(path).join(name)
}

/// The files SQLite keeps beside a database, by the suffix of their name.
pub const COMPANIONS: [&str; 3] = ["-wal", "-shm", "-journal"];

/// `tiski.db` + `-wal` → `tiski.db-wal`.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether a file name is one [`temp_name`] makes, or an SQLite companion
/// of one (`-wal`, `-shm`, `-journal`).
pub fn is_temp_name(name: &str) -> bool {
    let main = COMPANIONS
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name);
    main.starts_with('.') && main.ends_with(".tmp") && main.contains(TEMP_MARK)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_file_is_replaced_whole_by_a_private_one_and_no_temp_stays() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.json");
        std::fs::write(&p, "old").unwrap();
        let before = platform::file_id(&p).unwrap();
        write_private(&p, b"new").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        assert!(platform::tests::private(&p));
        assert_ne!(platform::file_id(&p).unwrap(), before, "a new file");
        assert_eq!(names(dir.path()), ["x.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_old_file_keeps_its_mode_and_a_link_is_replaced_not_followed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("someone-elses.txt");
        std::fs::write(&target, "theirs").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
        let keep = dir.path().join("keep.txt");
        std::fs::hard_link(&target, &keep).unwrap();
        let link = dir.path().join("out.csv");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_private(&link, b"ours").unwrap();
        assert_eq!(
            std::fs::read(&target).unwrap(),
            b"theirs",
            "not written through"
        );
        assert!(!std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(std::fs::read(&link).unwrap(), b"ours");
        // Writing over a plain file never chmods the file that was there.
        write_private(&keep, b"ours too").unwrap();
        assert_eq!(
            std::fs::metadata(&target).unwrap().permissions().mode() & 0o777,
            0o644
        );
        assert_eq!(std::fs::read(&target).unwrap(), b"theirs");
    }

    /// Windows refuses to remove or replace a name while another program
    /// (an antivirus scanner, the search indexer, another tiski's sweep)
    /// has the file open without sharing its deletion: a backup or an
    /// output is still put in place once that program lets go.
    #[cfg(windows)]
    #[test]
    fn a_file_another_program_holds_for_a_moment_is_still_put_in_place() {
        use std::os::windows::fs::OpenOptionsExt;
        let dir = tempfile::tempdir().unwrap();
        let hold = |p: &Path| {
            // Shared for reading and writing only, as SQLite opens a file.
            let f = std::fs::OpenOptions::new()
                .read(true)
                .share_mode(1 | 2)
                .open(p)
                .unwrap();
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(150));
                drop(f);
            })
        };
        let tmp = temp_name(&dir.path().join("backup.db"), "copy");
        std::fs::write(&tmp, b"copy").unwrap();
        let held = hold(&tmp);
        rename_new(&tmp, &dir.path().join("backup.db")).unwrap();
        held.join().unwrap();
        assert!(!tmp.exists(), "the temporary name is gone");
        assert_eq!(
            std::fs::read(dir.path().join("backup.db")).unwrap(),
            b"copy"
        );
        let out = dir.path().join("out.csv");
        std::fs::write(&out, b"old").unwrap();
        let held = hold(&out);
        write_private(&out, b"new").unwrap();
        held.join().unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"new");
        assert_eq!(names(dir.path()), ["backup.db", "out.csv"]);
    }

    #[test]
    fn a_failed_write_leaves_the_previous_file_and_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        // A folder in the way: the rename cannot replace it.
        let p = dir.path().join("taken");
        std::fs::create_dir(&p).unwrap();
        std::fs::write(p.join("inside"), "x").unwrap();
        assert!(write_private(&p, b"new").is_err());
        assert_eq!(std::fs::read(p.join("inside")).unwrap(), b"x");
        assert_eq!(names(dir.path()), ["taken"]);
    }

    #[cfg(unix)]
    #[test]
    fn only_a_regular_file_of_a_sane_size_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.toml");
        std::fs::write(&p, "x = 1").unwrap();
        assert_eq!(read_regular(&p, 10).unwrap(), b"x = 1");
        assert!(read_regular(&p, 3).is_err(), "too big");
        assert!(read_regular(Path::new("/dev/zero"), 10).is_err());
        assert!(read_regular(dir.path(), 10).is_err());
    }

    #[test]
    fn an_own_folder_is_made_private_with_its_parents() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a").join("b").join("x.pdf");
        write_private_in_own_dir(&p, b"%PDF").unwrap();
        assert!(platform::tests::private(&dir.path().join("a")));
        assert!(platform::tests::private(&dir.path().join("a").join("b")));
        assert_eq!(std::fs::read(&p).unwrap(), b"%PDF");
    }
}

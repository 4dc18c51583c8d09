//! Where a command may write its output (`--out`): never over the log, its
//! `-wal`/`-shm`/`-journal`, its lock, the voucher key, a backup or a copy
//! a restore kept aside, nor any SQLite file; an existing file of another
//! kind only with `--force`. Paths are compared by the folder they are in
//! (resolved) and by file identity, so `./x/../tiski.db`, a hard link or a
//! symbolic link to the database are seen for what they are.

use std::path::{Path, PathBuf};

use crate::error::{Error, OutputRefusal};
use crate::platform;

/// The files that are the log and what belongs to it, with why each one
/// is kept from an output: they need not exist (a `-wal` made later).
fn protected(db: &Path) -> Vec<(PathBuf, OutputRefusal)> {
    let with = |s: &str| crate::store::with_suffix(db, s);
    let mut out = vec![(db.to_path_buf(), OutputRefusal::Log)];
    for s in ["-wal", "-shm", "-journal", ".lock"] {
        out.push((with(s), OutputRefusal::Log));
    }
    out.push((crate::store::key_path(db), OutputRefusal::Key));
    for copy in crate::store::privacy::kept_copies(db) {
        for s in ["", "-wal", "-shm"] {
            out.push((crate::store::with_suffix(&copy, s), OutputRefusal::Backup));
        }
    }
    out
}

/// The resolved folder and the name of `path`: how two spellings of one
/// place are compared when the file does not exist yet.
fn place(path: &Path) -> Option<(PathBuf, String)> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.canonicalize().ok()?,
        None => std::env::current_dir().ok()?,
    };
    Some((dir, crate::platform::name_key(&name)))
}

/// Whether the file at `path` is an SQLite database, read by SQLite
/// itself: it may be (another name of) the log this command has open,
/// which is never opened outside SQLite.
fn is_sqlite(path: &Path) -> bool {
    crate::store::Store::is_sqlite_file(path)
}

/// Refuses `out` as an output next to the database `db`, unless it is a
/// new file or (with `replace`) an ordinary file that is none of the above.
pub fn check(out: &Path, db: &Path, replace: bool) -> Result<(), Error> {
    let refuse = |why| {
        Err(Error::OutputRefused {
            path: out.to_path_buf(),
            why,
        })
    };
    let target = platform::file_id(out).ok();
    let here = place(out);
    for (p, why) in protected(db) {
        let same_file = target.is_some() && platform::file_id(&p).ok() == target;
        if same_file || (here.is_some() && place(&p) == here) {
            return refuse(why);
        }
    }
    // Whatever is in the backup folder belongs to it: a file named like a
    // backup would count as the newest one and push real ones out.
    let backups = crate::store::backups::backup_dir(db);
    if let (Some((dir, _)), Ok(backups)) = (&here, backups.canonicalize())
        && *dir == backups
    {
        return refuse(OutputRefusal::Backup);
    }
    // The -wal, -shm or -journal of any SQLite file: writing it would
    // change or destroy that database.
    if let Some(name) = out.file_name().map(|n| n.to_string_lossy().into_owned()) {
        for suffix in ["-wal", "-shm", "-journal"] {
            if let Some(base) = name.strip_suffix(suffix)
                && is_sqlite(&out.with_file_name(base))
            {
                return refuse(OutputRefusal::Sqlite);
            }
        }
    }
    match std::fs::metadata(out) {
        Err(_) => Ok(()),
        Ok(m) if !m.is_file() => refuse(OutputRefusal::NotAFile),
        Ok(_) if is_sqlite(out) => refuse(OutputRefusal::Sqlite),
        Ok(_) if !replace => refuse(OutputRefusal::Exists),
        Ok(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(out: &Path, db: &Path, replace: bool) -> Option<OutputRefusal> {
        match check(out, db, replace) {
            Ok(()) => None,
            Err(Error::OutputRefused { why, .. }) => Some(why),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn the_log_and_all_that_belongs_to_it_are_refused_however_spelt() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("data").join("tiski.db");
        crate::store::Store::open(&db).unwrap();
        let backup = crate::store::maintenance::backup(
            &db,
            chrono::NaiveDate::from_ymd_opt(2023, 11, 14)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
            5,
        )
        .unwrap();
        let data = dir.path().join("data");
        let odd = data.join("..").join("data").join("tiski.db");
        let link = dir.path().join("link.db");
        std::fs::hard_link(&db, &link).unwrap();
        for (out, why) in [
            (db.clone(), OutputRefusal::Log),
            (odd, OutputRefusal::Log),
            (link, OutputRefusal::Log),
            (data.join("tiski.db-wal"), OutputRefusal::Log),
            (data.join("tiski.db-journal"), OutputRefusal::Log),
            (data.join("tiski.db.secret"), OutputRefusal::Key),
            (backup.clone(), OutputRefusal::Backup),
        ] {
            assert_eq!(refusal(&out, &db, true), Some(why), "{}", out.display());
        }
        // Another program's database is no output either, even with force.
        let other = dir.path().join("muu.sqlite");
        rusqlite::Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t(x)")
            .unwrap();
        assert_eq!(refusal(&other, &db, true), Some(OutputRefusal::Sqlite));
        for companion in ["muu.sqlite-wal", "muu.sqlite-shm", "muu.sqlite-journal"] {
            let p = dir.path().join(companion);
            assert_eq!(
                refusal(&p, &db, true),
                Some(OutputRefusal::Sqlite),
                "{companion}"
            );
        }
        let named_like_a_backup = data.join("backups").join("tiski-2099-12-31.db");
        assert_eq!(
            refusal(&named_like_a_backup, &db, true),
            Some(OutputRefusal::Backup)
        );
        assert_eq!(
            refusal(dir.path(), &db, true),
            Some(OutputRefusal::NotAFile)
        );
    }

    #[test]
    fn a_new_file_is_fine_and_an_existing_one_needs_force() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("tiski.db");
        let out = dir.path().join("käynnit.csv");
        assert_eq!(refusal(&out, &db, false), None);
        std::fs::write(&out, "old").unwrap();
        assert_eq!(refusal(&out, &db, false), Some(OutputRefusal::Exists));
        assert_eq!(refusal(&out, &db, true), None);
    }
}

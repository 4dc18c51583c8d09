//! The one SQLite file: `Store` owns the connection and speaks domain types.
//!
//! Durability: WAL with `synchronous=FULL`, so a visit is on disk when
//! `add_visit` returns. Writes take the lock up front (`BEGIN IMMEDIATE`) and
//! wait for another instance instead of failing. Each session keeps a
//! maintained visitor count so counters and averages never scan visits.

pub mod backups;
mod bulk;
mod drafts;
mod events;
mod figures;
mod immediate;
pub mod lock;
pub mod maintenance;
mod migrations;
pub mod outbox;
pub mod privacy;
mod report;
mod sessions;
mod source;
mod stream;
pub mod sync;
mod visits;
mod vouchers;
pub use crate::files::with_suffix;
use sessions::session_from_row;
use visits::{insert_visit, session_in, write_entry_parts};
pub use vouchers::key_path;

use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

pub use bulk::{HistoryCounts, HistorySession, HistoryVoucher};
pub use migrations::{LATEST as SCHEMA_VERSION, MIGRATIONS};
pub use report::{DeskFilter, PeriodData, PeriodFilter, SessionRecord, Tombstone, VisitRecord};
pub use sessions::Cancellation;
pub use source::FigureSource;
pub use stream::{Pairs, Texts, VisitRef};
pub use sync::{
    Conflict, EventData, EventRecord, FeedbackRecord, GroupRecord, HeadCountRecord, MeetingRecord,
    MergeError, MergeSummary, Record, Side, StreamError,
};
pub use visits::Target;
pub use vouchers::IssueRequest;

use crate::domain::{DutySession, SessionId};
use crate::files::Cause;

const TIME_FMT: &str = "%Y-%m-%d %H:%M:%S";
const DATE_FMT: &str = "%Y-%m-%d";

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open database {path}: {reason}")]
    Open { path: PathBuf, reason: Cause },
    #[error("{path} is not a tiski database (not SQLite)")]
    NotADatabase { path: PathBuf },
    /// An SQLite database of another program.
    #[error("{path} is another program's SQLite database, not tiski's")]
    Foreign { path: PathBuf },
    /// A folder, FIFO or device where the database should be.
    #[error("{path} is not a file ({kind:?})")]
    NotAFile { path: PathBuf, kind: FileKind },
    /// A rollback journal with pages in it beside the file.
    #[error("{path} has an unfinished write of another program (a -journal file)")]
    HotJournal { path: PathBuf },
    #[error("{path} was written by a newer tiski (schema {found}, this one knows {supported})")]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A day with visits cannot be marked cancelled: its duty was held.
    #[error("{date} has {visitors} visitors; a held duty is not cancelled")]
    DayHasVisits { date: NaiveDate, visitors: u32 },
    /// A session recorded afterwards would count the same duty twice.
    #[error("a session on {date} at {location} is recorded already ({visitors} visitors)")]
    SessionExists {
        date: NaiveDate,
        location: String,
        visitors: u32,
    },
    /// A read-only command was given a path with no database: nothing is
    /// created there (a mistyped `--db`).
    #[error("no tiski database at {path}")]
    NoDatabase { path: PathBuf },
    /// A voucher operation refused by the rules; nothing was written.
    #[error(transparent)]
    Voucher(#[from] crate::voucher::VoucherError),
    /// An event, group, feedback or head-count refused; nothing was written.
    #[error(transparent)]
    Event(#[from] crate::events::EventError),
}

/// What is at a path that should be a database file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Directory,
    /// A FIFO, a device or a socket.
    Special,
}

/// What kind of trouble a database error is, for a message that says what
/// to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Another program holds the write lock for longer than we wait.
    Busy,
    /// The disk is full, or a file-size limit was hit.
    Full,
    /// The file or its directory cannot be written.
    ReadOnly,
    /// The file is damaged.
    Corrupt,
    /// Reading or writing the disk failed.
    Io,
}

impl StoreError {
    pub fn problem(&self) -> Option<Problem> {
        use rusqlite::ErrorCode as C;
        let StoreError::Sqlite(e) = self else {
            return None;
        };
        Some(match e.sqlite_error_code()? {
            C::DatabaseBusy | C::DatabaseLocked => Problem::Busy,
            C::DiskFull => Problem::Full,
            C::ReadOnly | C::CannotOpen | C::PermissionDenied => Problem::ReadOnly,
            C::DatabaseCorrupt | C::NotADatabase => Problem::Corrupt,
            C::SystemIoFailure => Problem::Io,
            _ => return None,
        })
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Counters shown on the duty screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    pub session: u32,
    pub today: u32,
    /// Sessions and visitors in the calendar year up to and including today.
    pub year: crate::report::SessionStats,
}

pub struct Store {
    conn: Connection,
    /// The database file; `None` in memory.
    path: Option<PathBuf>,
    /// The identity of the file opened for writing, to notice it being
    /// replaced underneath (see [`Store::replaced`]).
    file_id: Option<crate::platform::FileId>,
    /// The file is registered as open in this process for as long as the
    /// connection lives, so nothing opens it outside SQLite meanwhile.
    _live: Option<crate::files::live::Live>,
    /// A database not made yet ([`Store::open_on_write`]): the connection
    /// is an empty, read-only stand-in in memory, and the first write makes
    /// the file at this path and moves to it.
    pending: Option<PathBuf>,
    /// The log's last change of each kind as read at a write mark
    /// ([`Store::write_mark`]): asked again only once something committed
    /// that did not say what it changed (see [`Store::save_visit`]).
    newest: std::cell::Cell<Option<(outbox::WriteMark, Newest)>>,
}

impl Store {
    /// Opens (creating if needed) the database at `path`. A new database is
    /// made whole beside it and linked into place, in a folder (parents
    /// too) readable by the user alone. An existing path is looked at
    /// before anything opens it for writing: a folder, a FIFO or device,
    /// a file that is not SQLite (an empty one too), another program's
    /// SQLite file, one with a hot rollback journal, or one from a newer
    /// tiski is refused with its bytes, mode and companions as they were.
    pub fn open(path: &Path) -> Result<Store> {
        let open_err = |reason: Cause| StoreError::Open {
            path: path.to_path_buf(),
            reason,
        };
        match fs::symlink_metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Self::create(path).map_err(|e| match e {
                    StoreError::Sqlite(e) => open_err(Cause::from(&e)),
                    other => other,
                })?;
            }
            Err(e) => return Err(open_err(Cause::from(&e))),
            Ok(_) => {}
        }
        Self::preflight(path)?;
        let conn = Connection::open(path).map_err(|e| open_err(Cause::from(&e)))?;
        let mut store = Self::setup(conn, path)?;
        store.path = Some(path.to_path_buf());
        store.file_id = crate::platform::file_id(path).ok();
        store._live = crate::files::live::register(path);
        Ok(store)
    }

    /// Opens the database at `path` like [`Store::open`], but where there
    /// is none yet it makes none until the first write: until then the
    /// store reads as a new, empty log. So a command refused before it
    /// writes (an unknown topic, an event number that does not exist)
    /// leaves a folder with no log as it was. The stand-in is read-only, so
    /// a write that did not go through [`Store::writable`] fails instead of
    /// being kept in memory only.
    pub fn open_on_write(path: &Path) -> Result<Store> {
        match fs::symlink_metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let conn = Connection::open_in_memory()?;
                let mut store = Self::setup(conn, path)?;
                store.conn.pragma_update(None, "query_only", true)?;
                store.pending = Some(path.to_path_buf());
                Ok(store)
            }
            _ => Self::open(path),
        }
    }

    /// The connection to write with: the file itself, made now if the store
    /// was opened by [`Store::open_on_write`] on a path with no log.
    pub(crate) fn writable(&mut self) -> Result<&mut Connection> {
        if let Some(path) = &self.pending {
            // The stand-in has had no write (it is read-only), so nothing
            // of it is lost; the file may have been made meanwhile by
            // another tiski, and then that one is opened.
            *self = Self::open(&path.clone())?;
        }
        Ok(&mut self.conn)
    }

    /// Makes a new, empty, migrated database at `path`: built in a private
    /// temp file beside it (closed, so its -wal is folded in) and linked
    /// into place, so `path` is never an empty or half-made file, and of
    /// two processes creating it at once the first one wins.
    fn create(path: &Path) -> Result<()> {
        let open_err = |e: std::io::Error| StoreError::Open {
            path: path.to_path_buf(),
            reason: Cause::from(&e),
        };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        crate::platform::create_private_dir_all(dir).map_err(open_err)?;
        let tmp = crate::files::temp_name(path, "new");
        let cleanup = |tmp: &Path| {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let _ = crate::platform::retry_busy(|| fs::remove_file(with_suffix(tmp, suffix)));
            }
        };
        cleanup(&tmp);
        let made = (|| -> Result<()> {
            crate::platform::private_file_options(
                OpenOptions::new().read(true).write(true).create_new(true),
            )
            .open(&tmp)
            .map_err(open_err)?;
            crate::platform::make_private(&tmp, false).map_err(open_err)?;
            let conn = Connection::open(&tmp)?;
            let store = Self::setup(conn, &tmp)?;
            store.conn.close().map_err(|(_, e)| e)?;
            match crate::platform::retry_busy(|| fs::hard_link(&tmp, path)) {
                Ok(()) => Ok(()),
                // Another tiski made it meanwhile: theirs is the one.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
                // No links on this file system (FAT on a USB stick).
                Err(_) => crate::platform::retry_busy(|| fs::rename(&tmp, path)).map_err(open_err),
            }
        })();
        cleanup(&tmp);
        made
    }

    /// Refuses what tiski must not open for writing, by reading only, and
    /// without making a `-wal` or `-shm` beside it (the file is read as
    /// immutable for this look).
    pub(crate) fn preflight(path: &Path) -> Result<()> {
        let p = || path.to_path_buf();
        let meta = fs::metadata(path).map_err(|e| StoreError::Open {
            path: p(),
            reason: Cause::from(&e),
        })?;
        if meta.is_dir() {
            return Err(StoreError::NotAFile {
                path: p(),
                kind: FileKind::Directory,
            });
        }
        if !meta.is_file() {
            return Err(StoreError::NotAFile {
                path: p(),
                kind: FileKind::Special,
            });
        }
        // SQLite takes an empty file for an empty database; tiski never
        // leaves one (a new database is made whole and linked into place).
        // The header itself is read by SQLite below, never by opening the
        // file here: this runs while a connection to the same file may be
        // open in this process (the day's check beside the duty screen),
        // and on Unix closing *any* descriptor of the file drops all of the
        // process's POSIX locks on it, so another process would take
        // itself for the last user and delete the -wal under that
        // connection (SQLite's "How To Corrupt", 2.2).
        if meta.len() == 0 {
            return Err(StoreError::NotADatabase { path: p() });
        }
        // tiski writes in WAL mode and never leaves a rollback journal: one
        // holding pages is another program's unfinished write, which
        // opening would roll back.
        if fs::metadata(with_suffix(path, "-journal")).is_ok_and(|m| m.len() > 0) {
            return Err(StoreError::HotJournal { path: p() });
        }
        let conn = Self::open_immutable(path)?;
        match Self::check_ours(&conn, path) {
            // An immutable look takes no lock: a checkpoint of another
            // tiski writing the file at that moment can tear what it reads.
            // Then it is looked at again as a reader that does lock.
            Err(StoreError::Sqlite(_)) => {
                let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let conn =
                    Connection::open_with_flags(path, flags).map_err(|e| StoreError::Open {
                        path: p(),
                        reason: Cause::from(&e),
                    })?;
                Self::check_ours(&conn, path).map(|_| ())
            }
            other => other.map(|_| ()),
        }
    }

    /// Whether the file at `path` is an SQLite database (of any program),
    /// as SQLite reads its header: never opened outside SQLite, as it may
    /// be a database this process has open.
    pub fn is_sqlite_file(path: &Path) -> bool {
        if crate::files::live::is_live(path) {
            return true;
        }
        fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > 0)
            && Self::open_immutable(path).is_ok_and(|c| {
                c.query_row("PRAGMA schema_version", [], |r| r.get::<_, i64>(0))
                    .is_ok()
            })
    }

    /// A read-only look at a file that takes no lock and makes no `-shm`
    /// or `-wal` (SQLite's `immutable`): for deciding whether it is ours.
    fn open_immutable(path: &Path) -> Result<Connection> {
        use rusqlite::OpenFlags as F;
        let mut uri = crate::platform::sqlite_uri(path);
        uri.push_str("?immutable=1");
        Connection::open_with_flags(
            uri,
            F::SQLITE_OPEN_READ_ONLY | F::SQLITE_OPEN_NO_MUTEX | F::SQLITE_OPEN_URI,
        )
        .map_err(|e| StoreError::Open {
            path: path.to_path_buf(),
            reason: Cause::from(&e),
        })
    }

    /// Opens the database at `path` for reading only, for commands that
    /// only read (tally, report, export, lists): it is never created, never
    /// written (not even its schema brought up to date: an older file is
    /// copied into memory and that copy migrated), and a read-only medium
    /// still reads.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        use rusqlite::OpenFlags as F;
        if !path.exists() {
            return Err(StoreError::NoDatabase {
                path: path.to_path_buf(),
            });
        }
        // An empty file, a folder, another program's database: refused
        // without a -wal or -shm made beside it.
        Self::preflight(path)?;
        let flags = F::SQLITE_OPEN_READ_ONLY | F::SQLITE_OPEN_NO_MUTEX;
        let open_err = |e: rusqlite::Error| StoreError::Open {
            path: path.to_path_buf(),
            reason: Cause::from(&e),
        };
        let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        let version = match Self::check_ours(&conn, path) {
            // WAL needs its -shm; on a read-only medium without one, read
            // the file as it is (no other writer can be there).
            Err(StoreError::Sqlite(e))
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen) =>
            {
                let uri = format!("{}?immutable=1", crate::platform::sqlite_uri(path));
                let conn = Connection::open_with_flags(uri, flags | F::SQLITE_OPEN_URI)
                    .map_err(open_err)?;
                let v = Self::check_ours(&conn, path)?;
                return Self::read_only_from(conn, v, path);
            }
            other => other?,
        };
        Self::read_only_from(conn, version, path)
    }

    fn read_only_from(conn: Connection, version: i64, path: &Path) -> Result<Store> {
        conn.busy_timeout(Duration::from_secs(10))?;
        if version == SCHEMA_VERSION {
            return Ok(Store {
                conn,
                path: Some(path.to_path_buf()),
                file_id: None,
                _live: crate::files::live::register(path),
                pending: None,
                newest: Default::default(),
            });
        }
        let mut copy = Connection::open_in_memory()?;
        {
            let backup = rusqlite::backup::Backup::new(&conn, &mut copy)?;
            backup.run_to_completion(1000, Duration::ZERO, None)?;
        }
        migrations::migrate(&mut copy).map_err(|e| match e {
            migrations::MigrateError::TooNew { found } => StoreError::TooNew {
                path: path.to_path_buf(),
                found,
                supported: SCHEMA_VERSION,
            },
            migrations::MigrateError::Sqlite(e) => e.into(),
        })?;
        Ok(Store {
            conn: copy,
            path: Some(path.to_path_buf()),
            file_id: None,
            _live: None,
            pending: None,
            newest: Default::default(),
        })
    }

    /// Reads the schema version, refusing a file that is not SQLite,
    /// another program's database or one from a newer tiski. Writes nothing.
    fn check_ours(conn: &Connection, path: &Path) -> Result<i64> {
        let version = match migrations::version(conn) {
            Ok(v) => v,
            Err(e) if is_not_a_database(&e) => {
                return Err(StoreError::NotADatabase {
                    path: path.to_path_buf(),
                });
            }
            Err(e) => return Err(e.into()),
        };
        let tables: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        // Another program's SQLite file: tables, but not tiski's schema.
        let ours: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('sessions', 'visits')",
            [],
            |r| r.get(0),
        )?;
        if tables > 0 && (version == 0 || ours < 2) {
            return Err(StoreError::Foreign {
                path: path.to_path_buf(),
            });
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        Ok(version)
    }

    /// The database file, if on disk (or to be made there at the first
    /// write).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref().or(self.pending.as_deref())
    }

    /// Whether the file at the database's path is no longer the one this
    /// store opened (a restore or a copy by hand put another file there, or
    /// it was moved away): what is written now would go into a file no one
    /// reads.
    pub fn replaced(&self) -> bool {
        match (&self.path, self.file_id) {
            (Some(p), Some(id)) => crate::platform::file_id(p).ok() != Some(id),
            _ => false,
        }
    }

    /// How long a write waits for another instance's lock.
    pub fn set_busy_timeout(&self, wait: Duration) -> Result<()> {
        Ok(self.conn.busy_timeout(wait)?)
    }

    /// A private in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Self::setup(Connection::open_in_memory()?, Path::new(":memory:"))
    }

    fn setup(mut conn: Connection, path: &Path) -> Result<Store> {
        // Read first: a foreign file fails here, before any write.
        Self::check_ours(&conn, path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        // Room for every statement a merge runs once a record (rusqlite
        // keeps 16), so none is compiled again in a long import.
        conn.set_prepared_statement_cache_capacity(64);
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Freed bytes are zeroed where that costs no extra I/O; a purge
        // turns it fully on and rewrites the file (store::privacy).
        conn.pragma_update(None, "secure_delete", "FAST")?;
        migrations::migrate(&mut conn).map_err(|e| match e {
            migrations::MigrateError::TooNew { found } => StoreError::TooNew {
                path: path.to_path_buf(),
                found,
                supported: SCHEMA_VERSION,
            },
            migrations::MigrateError::Sqlite(e) => e.into(),
        })?;
        Ok(Store {
            conn,
            path: None,
            file_id: None,
            _live: None,
            pending: None,
            newest: Default::default(),
        })
    }

    // ---- settings -------------------------------------------------------

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.writable()?.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// When the log was last changed: the newest change stamp among the
    /// last-written row of each kind and the tombstones (each read by its
    /// key, so this does not grow with the log). `None` for an empty log.
    pub fn last_change(&self) -> Result<Option<chrono::DateTime<Utc>>> {
        // The clock is asked about before each write of the duty screen:
        // what was read stands until anything commits to the file.
        let mark = self.write_mark()?;
        let newest = match self.newest.get() {
            Some((seen, newest)) if seen == mark => newest,
            _ => {
                let newest = self.read_last_change()?;
                self.newest.set(Some((mark, newest)));
                newest
            }
        };
        Ok(newest.into_iter().flatten().max())
    }

    /// After this connection's own write of a visit in a transaction that
    /// began at `began` (its write mark, read inside it): the last change
    /// read before stands, with `stamp` as the visits' newest (the visit
    /// is their last row), if it was read at that very mark, i.e. nothing
    /// else committed between that reading and the write.
    fn saw_own_visit(&self, began: outbox::WriteMark, stamp: &crate::clock::Stamp) {
        if let Some((seen, mut newest)) = self.newest.take()
            && seen == began
        {
            newest[VISITS] = parse_stamp(stamp.as_str());
            // Its own commit leaves the connection's data version as it was.
            let mark = (began.0, self.conn.total_changes());
            self.newest.set(Some((mark, newest)));
        }
    }

    fn read_last_change(&self) -> Result<Newest> {
        // One statement, so one read of the file.
        let mut stmt = self.conn.prepare_cached(
            "SELECT (SELECT updated_at FROM visits ORDER BY rowid DESC LIMIT 1),
                    (SELECT updated_at FROM vouchers ORDER BY rowid DESC LIMIT 1),
                    (SELECT updated_at FROM events ORDER BY rowid DESC LIMIT 1),
                    (SELECT updated_at FROM event_groups ORDER BY rowid DESC LIMIT 1),
                    (SELECT updated_at FROM group_meetings ORDER BY rowid DESC LIMIT 1),
                    (SELECT updated_at FROM feedback ORDER BY rowid DESC LIMIT 1),
                    (SELECT updated_at FROM head_counts ORDER BY rowid DESC LIMIT 1),
                    -- Keyed by uid, without a rowid; deletions are few.
                    (SELECT max(deleted_at) FROM tombstones)",
        )?;
        let newest = stmt.query_row([], |r| {
            let mut newest: Newest = [None; 8];
            for (i, n) in newest.iter_mut().enumerate() {
                *n = r
                    .get_ref(i)?
                    .as_str_or_null()
                    .map_err(rusqlite::Error::from)?
                    .and_then(parse_stamp);
            }
            Ok(newest)
        })?;
        Ok(newest)
    }

    // ---- counters -------------------------------------------------------

    /// Sessions and visitors for a profile (or all) between two dates,
    /// inclusive. Reads only session rows, so it does not grow with visits;
    /// a period from 1 January (the running average) reads the maintained
    /// yearly totals, so it does not grow with the year's sessions either.
    pub fn session_stats(
        &self,
        profile: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<crate::report::SessionStats> {
        if from.ordinal() == 1 && from.year() == to.year() {
            return self.year_to_date(profile, to);
        }
        self.scan_session_stats(profile, from, to)
    }

    fn scan_session_stats(
        &self,
        profile: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<crate::report::SessionStats> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT count(*), coalesce(sum(visitors), 0) FROM sessions
                 WHERE date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR profile = ?3)",
            )?
            .query_row(params![fmt_date(from), fmt_date(to), profile], |r| {
                Ok(crate::report::SessionStats {
                    sessions: r.get(0)?,
                    visitors: r.get(1)?,
                })
            })?)
    }

    /// A session as stored now, with the duty screen's counters for it on
    /// `today` (its visitors are the session's own count).
    pub fn counters(
        &self,
        session: SessionId,
        today: NaiveDate,
    ) -> Result<(DutySession, Counters)> {
        // One snapshot: another program's save cannot fall between them.
        let _snapshot = immediate::Snapshot::begin(&self.conn)?;
        let session = self.session(session)?;
        let profile = Some(session.profile.as_str());
        let day = self.session_stats(profile, today, today)?;
        let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("1 January exists");
        let counters = Counters {
            session: session.visitors,
            today: day.visitors,
            year: self.session_stats(profile, year_start, today)?,
        };
        Ok((session, counters))
    }
}

/// The newest change stamp of each kind [`Store::last_change`] reads, in
/// the order of its query: the visits' first.
type Newest = [Option<chrono::DateTime<Utc>>; 8];

/// Where the visits' newest stamp is in [`Newest`].
const VISITS: usize = 0;

/// A change stamp as the clock check reads it.
fn parse_stamp(s: &str) -> Option<chrono::DateTime<Utc>> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

fn fmt_time(t: NaiveDateTime) -> String {
    crate::clock::stored_time(t)
}

fn fmt_date(d: NaiveDate) -> String {
    d.format(DATE_FMT).to_string()
}

fn parse_time(r: &Row<'_>, i: usize) -> rusqlite::Result<NaiveDateTime> {
    let s = r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?;
    if let Some(t) = crate::clock::parse_stored_time(s) {
        return Ok(t);
    }
    NaiveDateTime::parse_from_str(s, TIME_FMT).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

fn is_not_a_database(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase)
}

#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;

/// A read-only connection to the database file at `path`, for looks,
/// checks and copies that never write it (a WAL database's `-shm` may
/// still be made). URIs are on, so [`vacuum_into`] can name any path.
pub(crate) fn open_read_only_file(path: &Path) -> rusqlite::Result<Connection> {
    use rusqlite::OpenFlags as F;
    Connection::open_with_flags(
        path,
        F::SQLITE_OPEN_READ_ONLY | F::SQLITE_OPEN_NO_MUTEX | F::SQLITE_OPEN_URI,
    )
}

/// A look at a database file that takes no lock and makes no `-wal` or
/// `-shm` (SQLite's `immutable`), for deciding what a file is.
pub(crate) fn open_immutable_file(path: &Path) -> Result<Connection> {
    Store::open_immutable(path)
}

/// Copies the database `conn` has open, its WAL taken in, into the empty
/// (or missing) file at `target` (`VACUUM INTO`). The target is named by a
/// `file:` URI, so a folder whose name is not UTF-8 is the same folder.
/// `conn` must have been opened with URIs on ([`open_read_only_file`]).
pub(crate) fn vacuum_into(conn: &Connection, target: &Path) -> rusqlite::Result<()> {
    conn.execute("VACUUM INTO ?1", [crate::platform::sqlite_uri(target)])
        .map(|_| ())
}

impl From<&rusqlite::Error> for Cause {
    fn from(e: &rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        match e.sqlite_error_code() {
            Some(C::NotADatabase) => Cause::NotADatabase,
            Some(C::DatabaseCorrupt) => Cause::Corrupt,
            Some(C::DiskFull) => Cause::DiskFull,
            Some(C::ReadOnly) => Cause::ReadOnly,
            Some(C::DatabaseBusy | C::DatabaseLocked) => Cause::Busy,
            Some(C::PermissionDenied) => Cause::PermissionDenied,
            _ => Cause::Other(e.to_string()),
        }
    }
}

impl From<&StoreError> for Cause {
    fn from(e: &StoreError) -> Self {
        match e {
            StoreError::Open { reason, .. } => reason.clone(),
            StoreError::NotADatabase { .. } => Cause::NotADatabase,
            StoreError::Foreign { .. } => Cause::NotTiski,
            StoreError::NotAFile { .. } => Cause::NotAFile,
            StoreError::TooNew { .. } => Cause::TooNew,
            StoreError::NoDatabase { .. } => Cause::NotFound,
            StoreError::Sqlite(e) => Cause::from(e),
            e => Cause::Other(e.to_string()),
        }
    }
}

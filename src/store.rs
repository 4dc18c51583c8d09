//! The one SQLite file: `Store` owns the connection and speaks domain types.
//!
//! Durability: WAL with `synchronous=FULL`, so a visit is on disk when
//! `add_visit` returns. Writes take the lock up front (`BEGIN IMMEDIATE`) and
//! wait for another instance instead of failing. Each session keeps a
//! maintained visitor count so counters and averages never scan visits.

mod bulk;
mod drafts;
mod events;
mod figures;
pub mod lock;
pub mod maintenance;
mod merge;
mod migrations;
pub mod privacy;
mod report;
mod sessions;
mod vouchers;
pub use vouchers::key_path;

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

pub use bulk::{HistoryCounts, HistorySession, HistoryVoucher};
pub use events::sync::{
    EventData, EventRecord, FeedbackRecord, GroupRecord, HeadCountRecord, MeetingRecord,
};
pub use merge::{Conflict, MergeError, MergeSummary, Record, Side};
pub use migrations::{LATEST as SCHEMA_VERSION, MIGRATIONS};
pub use report::{DeskFilter, PeriodData, PeriodFilter, SessionRecord, Tombstone, VisitRecord};
pub use sessions::Cancellation;
pub use vouchers::{IssueRequest, VisitSession};

use crate::domain::{DutySession, SessionId, Visit, VisitEntry, VisitId, new_uid};
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
                let _ = fs::remove_file(with_suffix(tmp, suffix));
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
            match fs::hard_link(&tmp, path) {
                Ok(()) => Ok(()),
                // Another tiski made it meanwhile: theirs is the one.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
                // No links on this file system (FAT on a USB stick).
                Err(_) => fs::rename(&tmp, path).map_err(open_err),
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

    /// The database file, if on disk.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
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
        self.conn.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    // ---- sessions -------------------------------------------------------

    /// Continues today's latest session for this profile and location, or
    /// starts one. A continued session is open again (its end cleared).
    /// Returns the session and whether it was newly created.
    pub fn open_session(
        &mut self,
        profile: &str,
        location: &str,
        now: NaiveDateTime,
    ) -> Result<(DutySession, bool)> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM sessions WHERE profile = ?1 AND location = ?2 AND date = ?3
                 ORDER BY started_at DESC, id DESC LIMIT 1",
                params![profile, location, now.date().format(DATE_FMT).to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let (id, created) = match existing {
            Some(id) => {
                tx.execute("UPDATE sessions SET ended_at = NULL WHERE id = ?1", [id])?;
                (id, false)
            }
            None => (insert_session(&tx, profile, location, now, None)?, true),
        };
        tx.commit()?;
        Ok((self.session(SessionId(id))?, created))
    }

    /// Today's latest session for this profile and location, read only.
    pub fn find_session(
        &self,
        profile: &str,
        location: &str,
        date: NaiveDate,
    ) -> Result<Option<DutySession>> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "{SESSION_COLS} WHERE profile = ?1 AND location = ?2 AND date = ?3
                     ORDER BY started_at DESC, id DESC LIMIT 1"
                ),
                params![profile, location, fmt_date(date)],
                session_from_row,
            )
            .optional()?)
    }

    /// Ends `current` now and starts a fresh session at the same place.
    pub fn start_new_session(
        &mut self,
        current: SessionId,
        now: NaiveDateTime,
    ) -> Result<DutySession> {
        let old = self.session(current)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE sessions SET ended_at = ?2 WHERE id = ?1",
            params![current.0, fmt_time(now)],
        )?;
        let id = insert_session(&tx, &old.profile, &old.location, now, None)?;
        tx.commit()?;
        self.session(SessionId(id))
    }

    /// Records the end time of a session (on quit).
    pub fn close_session(&mut self, id: SessionId, now: NaiveDateTime) -> Result<()> {
        self.conn.execute(
            "UPDATE sessions SET ended_at = ?2 WHERE id = ?1",
            params![id.0, fmt_time(now)],
        )?;
        Ok(())
    }

    /// Removes a session that has no visits (opened at the wrong place by
    /// mistake). Returns whether it was removed.
    pub fn discard_empty_session(&mut self, id: SessionId) -> Result<bool> {
        let n = self.conn.execute(
            "DELETE FROM sessions WHERE id = ?1
               AND NOT EXISTS (SELECT 1 FROM visits WHERE session_id = ?1)
               AND NOT EXISTS (SELECT 1 FROM head_counts WHERE session_id = ?1)",
            [id.0],
        )?;
        Ok(n == 1)
    }

    pub fn session(&self, id: SessionId) -> Result<DutySession> {
        Ok(self
            .conn
            .prepare_cached(&format!("{SESSION_COLS} WHERE id = ?1"))?
            .query_row([id.0], session_from_row)?)
    }

    /// Sessions on `date`, optionally for one profile, in start order.
    pub fn sessions_on(&self, profile: Option<&str>, date: NaiveDate) -> Result<Vec<DutySession>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SESSION_COLS} WHERE date = ?1 AND (?2 IS NULL OR profile = ?2) ORDER BY started_at, id"
        ))?;
        let rows = stmt.query_map(params![fmt_date(date), profile], session_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The session a visit logged from the shell at `at` belongs to: the
    /// latest session that day for the profile and location, else a new,
    /// closed one spanning just that visit.
    pub fn session_for_log(
        &mut self,
        profile: &str,
        location: &str,
        at: NaiveDateTime,
    ) -> Result<DutySession> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = session_for_log_in(&tx, profile, location, at)?;
        tx.commit()?;
        self.session(SessionId(id))
    }

    /// Saves a visit logged from the shell into that day's session (see
    /// [`Store::session_for_log`]), the session and the visit in one
    /// transaction: a failed or killed command leaves no empty session.
    pub fn log_visit(
        &mut self,
        profile: &str,
        location: &str,
        at: NaiveDateTime,
        entry: &VisitEntry,
    ) -> Result<Visit> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let session = session_for_log_in(&tx, profile, location, at)?;
        let visit = insert_visit(&tx, SessionId(session), at, entry)?;
        tx.commit()?;
        Ok(visit)
    }

    // ---- visits ---------------------------------------------------------

    /// Saves a visit in `session`; committed (fsynced) when this returns.
    pub fn add_visit(
        &mut self,
        session: SessionId,
        at: NaiveDateTime,
        entry: &VisitEntry,
    ) -> Result<Visit> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let visit = insert_visit(&tx, session, at, entry)?;
        tx.commit()?;
        Ok(visit)
    }

    /// Replaces what is recorded about a visit (its time and session stay).
    pub fn update_visit(&mut self, id: VisitId, entry: &VisitEntry) -> Result<()> {
        self.update_visit_at(id, entry, None)
    }

    /// Replaces what is recorded about a visit and, when `at` is given, its
    /// time (the caller keeps it within the session's day), in one
    /// transaction; the kept counts follow by their triggers.
    pub fn update_visit_at(
        &mut self,
        id: VisitId,
        entry: &VisitEntry,
        at: Option<NaiveDateTime>,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(at) = at {
            tx.execute(
                "UPDATE visits SET at = ?2 WHERE id = ?1",
                params![id.0, fmt_time(at)],
            )?;
            // A visit moved before its session's start (logged afterwards)
            // widens the session, as `log --at` does; an open session has
            // no end to widen.
            tx.execute(
                "UPDATE sessions SET started_at = min(started_at, ?2),
                     ended_at = CASE WHEN ended_at IS NULL THEN NULL ELSE max(ended_at, ?2) END
                 WHERE id = (SELECT session_id FROM visits WHERE id = ?1)",
                params![id.0, fmt_time(at)],
            )?;
        }
        let n = tx.execute(
            "UPDATE visits SET referral = ?2, note = ?3, updated_at = ?4 WHERE id = ?1",
            params![id.0, entry.referral, entry.note, Utc::now().to_rfc3339()],
        )?;
        if n != 1 {
            return Err(rusqlite::Error::QueryReturnedNoRows.into());
        }
        tx.execute("DELETE FROM visit_topics WHERE visit_id = ?1", [id.0])?;
        tx.execute("DELETE FROM visit_fields WHERE visit_id = ?1", [id.0])?;
        write_entry_parts(&tx, id.0, entry)?;
        tx.commit()?;
        Ok(())
    }

    /// Deletes a visit and keeps its session's count right. Its voucher, if
    /// not used yet, is cancelled with it (migration 5's trigger); a visit
    /// whose voucher was used is refused, with nothing changed: a shop has
    /// invoiced it, so the visit happened.
    pub fn delete_visit(&mut self, id: VisitId) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let used: Option<String> = tx
            .query_row(
                "SELECT number FROM vouchers WHERE visit_id = ?1 AND status = 'used'",
                [id.0],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(number) = used {
            return Err(crate::voucher::VoucherError::VisitOfUsedVoucher { number }.into());
        }
        let session: i64 =
            tx.query_row("SELECT session_id FROM visits WHERE id = ?1", [id.0], |r| {
                r.get(0)
            })?;
        // A tombstone, so merging another desk's older copy of this visit
        // does not bring it back (see store/merge.rs).
        tx.execute(
            "INSERT OR REPLACE INTO tombstones(uid, deleted_at)
             SELECT uid, ?2 FROM visits WHERE id = ?1",
            params![id.0, Utc::now().to_rfc3339()],
        )?;
        tx.execute("DELETE FROM visits WHERE id = ?1", [id.0])?;
        tx.execute(
            "UPDATE sessions SET visitors = visitors - 1 WHERE id = ?1",
            [session],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The most recently saved visit of a session, for undo.
    pub fn last_visit_in(&self, session: SessionId) -> Result<Option<Visit>> {
        let id: Option<i64> = self.conn.query_row(
            "SELECT max(id) FROM visits WHERE session_id = ?1",
            [session.0],
            |r| r.get(0),
        )?;
        id.map(|id| self.visit(VisitId(id))).transpose()
    }

    pub fn visit(&self, id: VisitId) -> Result<Visit> {
        let mut visits = self.load_visits("WHERE v.id = ?1", params![id.0])?;
        visits
            .pop()
            .ok_or(rusqlite::Error::QueryReturnedNoRows.into())
    }

    /// Visits on `date`, optionally for one profile, newest first.
    pub fn visits_on(&self, profile: Option<&str>, date: NaiveDate) -> Result<Vec<Visit>> {
        self.load_visits(
            "JOIN sessions s ON s.id = v.session_id
             WHERE s.date = ?1 AND (?2 IS NULL OR s.profile = ?2)",
            params![fmt_date(date), profile],
        )
    }

    fn load_visits(&self, filter: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<Visit>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT v.id, v.uid, v.session_id, v.at, v.referral, v.note FROM visits v {filter}
             ORDER BY v.at DESC, v.id DESC"
        ))?;
        let mut visits: Vec<Visit> = stmt
            .query_map(args, visit_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        if visits.is_empty() {
            return Ok(visits);
        }
        // Topics and fields of all these visits in one query each, not two
        // queries per visit: saving redraws today's list.
        let index: HashMap<i64, usize> = visits
            .iter()
            .enumerate()
            .map(|(i, v)| (v.id.0, i))
            .collect();
        let mut topics = self.conn.prepare_cached(&format!(
            "SELECT t.visit_id, t.topic FROM visit_topics t
             WHERE t.visit_id IN (SELECT v.id FROM visits v {filter})
             ORDER BY t.visit_id, t.position"
        ))?;
        let mut rows = topics.query(args)?;
        while let Some(r) = rows.next()? {
            if let Some(&i) = index.get(&r.get(0)?) {
                visits[i].entry.topics.push(r.get(1)?);
            }
        }
        let mut fields = self.conn.prepare_cached(&format!(
            "SELECT f.visit_id, f.field, f.value FROM visit_fields f
             WHERE f.visit_id IN (SELECT v.id FROM visits v {filter})"
        ))?;
        let mut rows = fields.query(args)?;
        while let Some(r) = rows.next()? {
            if let Some(&i) = index.get(&r.get(0)?) {
                visits[i].entry.fields.insert(r.get(1)?, r.get(2)?);
            }
        }
        Ok(visits)
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

const SESSION_COLS: &str =
    "SELECT id, uid, profile, location, date, started_at, ended_at, visitors FROM sessions";

/// A visit without its topics and fields from the columns id, uid,
/// session_id, at, referral, note (in that order, from 0).
fn visit_from_row(r: &Row<'_>) -> rusqlite::Result<Visit> {
    Ok(Visit {
        id: VisitId(r.get(0)?),
        uid: r.get(1)?,
        session: SessionId(r.get(2)?),
        at: parse_time(r, 3)?,
        entry: VisitEntry {
            topics: Vec::new(),
            referral: r.get(4)?,
            fields: BTreeMap::new(),
            note: r.get(5)?,
        },
    })
}

fn session_from_row(r: &Row<'_>) -> rusqlite::Result<DutySession> {
    let date: String = r.get(4)?;
    Ok(DutySession {
        id: SessionId(r.get(0)?),
        uid: r.get(1)?,
        profile: r.get(2)?,
        location: r.get(3)?,
        date: NaiveDate::parse_from_str(&date, DATE_FMT).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, e.into())
        })?,
        started_at: parse_time(r, 5)?,
        ended_at: match r.get::<_, Option<String>>(6)? {
            None => None,
            Some(_) => Some(parse_time(r, 6)?),
        },
        visitors: r.get(7)?,
    })
}

/// The session of a visit logged at `at`: the day's latest for the profile
/// and place, stretched to cover the visit, else a new one spanning it.
fn session_for_log_in(
    tx: &rusqlite::Transaction<'_>,
    profile: &str,
    location: &str,
    at: NaiveDateTime,
) -> rusqlite::Result<i64> {
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM sessions WHERE profile = ?1 AND location = ?2 AND date = ?3
             ORDER BY started_at DESC, id DESC LIMIT 1",
            params![profile, location, fmt_date(at.date())],
            |r| r.get(0),
        )
        .optional()?;
    match existing {
        Some(id) => {
            tx.execute(
                "UPDATE sessions SET started_at = min(started_at, ?2),
                     ended_at = CASE WHEN ended_at IS NULL THEN NULL ELSE max(ended_at, ?2) END
                 WHERE id = ?1",
                params![id, fmt_time(at)],
            )?;
            Ok(id)
        }
        None => insert_session(tx, profile, location, at, Some(at)),
    }
}

fn insert_session(
    tx: &rusqlite::Transaction<'_>,
    profile: &str,
    location: &str,
    start: NaiveDateTime,
    end: Option<NaiveDateTime>,
) -> rusqlite::Result<i64> {
    tx.execute(
        "INSERT INTO sessions(uid, profile, location, date, started_at, ended_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            new_uid(),
            profile,
            location,
            fmt_date(start.date()),
            fmt_time(start),
            end.map(fmt_time)
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Inserts a visit and counts it in its session, inside the caller's
/// transaction (shared with vouchers, which save a visit and a voucher at
/// once).
fn insert_visit(
    tx: &rusqlite::Transaction<'_>,
    session: SessionId,
    at: NaiveDateTime,
    entry: &VisitEntry,
) -> rusqlite::Result<Visit> {
    let uid = new_uid();
    // Cached statements: a statement that fires triggers compiles them
    // each time it is prepared, which costs more than the insert itself.
    tx.prepare_cached(
        "INSERT INTO visits(uid, session_id, at, referral, note, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        uid,
        session.0,
        fmt_time(at),
        entry.referral,
        entry.note,
        Utc::now().to_rfc3339()
    ])?;
    let id = tx.last_insert_rowid();
    write_entry_parts(tx, id, entry)?;
    tx.prepare_cached("UPDATE sessions SET visitors = visitors + 1 WHERE id = ?1")?
        .execute([session.0])?;
    Ok(Visit {
        id: VisitId(id),
        uid,
        session,
        at,
        entry: entry.clone(),
    })
}

fn write_entry_parts(
    tx: &rusqlite::Transaction<'_>,
    visit: i64,
    entry: &VisitEntry,
) -> rusqlite::Result<()> {
    let mut topic = tx.prepare_cached(
        "INSERT OR IGNORE INTO visit_topics(visit_id, topic, position) VALUES (?1, ?2, ?3)",
    )?;
    for (i, t) in entry.topics.iter().enumerate() {
        topic.execute(params![visit, t, i as i64])?;
    }
    let mut field =
        tx.prepare_cached("INSERT INTO visit_fields(visit_id, field, value) VALUES (?1, ?2, ?3)")?;
    for (k, v) in &entry.fields {
        field.execute(params![visit, k, v])?;
    }
    Ok(())
}

fn fmt_time(t: NaiveDateTime) -> String {
    t.format(TIME_FMT).to_string()
}

fn fmt_date(d: NaiveDate) -> String {
    d.format(DATE_FMT).to_string()
}

fn parse_time(r: &Row<'_>, i: usize) -> rusqlite::Result<NaiveDateTime> {
    let s: String = r.get(i)?;
    NaiveDateTime::parse_from_str(&s, TIME_FMT).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

fn is_not_a_database(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase)
}

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

/// `tiski.db` + `-wal` → `tiski.db-wal`.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
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

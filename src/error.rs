//! The errors a user can meet, typed; `i18n` words them in their language.

use std::path::PathBuf;

use crate::config::ConfigError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Boxed: a config error carries paths and lines, and keeps every
    /// `Result` small (Windows paths are wider).
    #[error(transparent)]
    Config(Box<ConfigError>),
    /// Voucher refusals from the store arrive as [`Error::Voucher`].
    #[error(transparent)]
    Store(StoreError),
    #[error("unknown profile {id:?}")]
    UnknownProfile { id: String, valid: String },
    #[error("a profile is needed")]
    ProfileRequired { valid: String },
    #[error("unknown topic {key:?}")]
    UnknownTopic {
        key: String,
        profile: String,
        valid: String,
        /// The valid key nearest to the one given, if one is near.
        nearest: Option<String>,
    },
    #[error("unknown referral {key:?}")]
    UnknownReferral {
        key: String,
        profile: String,
        valid: String,
        /// The valid key nearest to the one given, if one is near.
        nearest: Option<String>,
    },
    /// A typed value that is the label of several choices, and the key of
    /// none.
    #[error("{value:?} names several: {keys}")]
    AmbiguousKey { value: String, keys: String },
    #[error("unknown location {name:?}")]
    UnknownLocation {
        name: String,
        profile: String,
        valid: String,
    },
    #[error("bad date and time {value:?}")]
    BadDateTime { value: String },
    #[error("time in the future {value:?}")]
    FutureTime { value: String },
    #[error("bad date {value:?}")]
    BadDate { value: String },
    /// A date in a right form that the calendar does not have (31.2.).
    #[error("no such day {value:?}")]
    NoSuchDay { value: String },
    #[error("bad time of day {value:?}")]
    BadTimeOfDay { value: String },
    #[error("{value:?} is not between {from} and {to}")]
    DateOutOfRange {
        value: String,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    },
    #[error("year {value:?} out of range")]
    YearOutOfRange { value: String },
    /// A duty session recorded afterwards ends before it starts.
    #[error("the session ends {end} before it starts {start}")]
    EndBeforeStart { start: String, end: String },
    /// A day of a profile's rota was needed.
    #[error("profile {profile:?} has no scheduled session on {date}")]
    NotOnRota {
        profile: String,
        date: chrono::NaiveDate,
    },
    /// `session add` off the rota needs its hours.
    #[error("no scheduled session on {date}: --start and --end are needed")]
    TimesNeeded { date: chrono::NaiveDate },
    #[error("the config file given with --config does not exist: {0}")]
    ConfigMissing(PathBuf),
    #[error("no home directory to keep data in")]
    NoDataDir,
    #[error(transparent)]
    Maint(#[from] crate::store::maintenance::MaintError),
    #[error("doctor found {0} problem(s)")]
    DoctorFound(usize),
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    /// Standard output could not be written (a full disk, a closed pipe).
    #[error("standard output: {0}")]
    Stdout(std::io::Error),
    /// The duty screen was started without a terminal to draw in.
    #[error("no terminal: {0}")]
    NoTerminal(std::io::Error),
    /// Reports, exports and imports (issue 4); boxed, as it names lines,
    /// fields and keys.
    #[error(transparent)]
    Report(Box<crate::report::error::ReportError>),
    #[error("cannot write {path}: {reason}")]
    Output {
        path: PathBuf,
        reason: crate::files::Cause,
    },
    /// An output path that would destroy or change a file that must stay.
    #[error("{path} is not written over ({why:?})")]
    OutputRefused { path: PathBuf, why: OutputRefusal },
    /// The PDF was written to `path` but the printer did not take it.
    #[error("printing {path} with {}: {failure:?}", crate::platform::PRINT_COMMAND)]
    Printer {
        path: PathBuf,
        failure: crate::platform::PrintFailure,
    },
    #[error(transparent)]
    Voucher(#[from] crate::voucher::VoucherError),
    /// The database is open on a duty screen, or a command has it alone.
    #[error(transparent)]
    Lock(#[from] crate::store::lock::LockError),
    /// Refused on privacy grounds (issue 14).
    #[error(transparent)]
    Privacy(#[from] crate::privacy::error::PrivacyError),
    /// An event, group, feedback or head-count refused (issue 16).
    #[error(transparent)]
    Event(#[from] crate::events::EventError),
    /// A visit logged into a year that has ended, without `--confirm`:
    /// that year's figures (perhaps reported already) would change.
    #[error("{value:?} is in the year {year}, which has ended")]
    EarlierYear { value: String, year: i32 },
    /// A visit refused by its rules; nothing was written.
    #[error(transparent)]
    Visit(#[from] crate::checked::VisitRefusal),
    /// The clock is not believed: nothing is saved or purged by it
    /// without the user's yes.
    #[error("the clock is doubtful: {0:?}")]
    Clock(crate::clock::Doubt),
    /// `feedback add` without a target or with no tally, or several.
    #[error("feedback needs a target and one tally")]
    FeedbackNeeds,
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Voucher(v) => Error::Voucher(v),
            StoreError::Event(e) => Error::Event(e),
            other => Error::Store(other),
        }
    }
}

/// Why an output path was refused (see `commands::output`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputRefusal {
    /// The database, its -wal, -shm, -journal or lock.
    Log,
    /// The voucher duplicate check's key.
    Key,
    /// A backup or a copy a restore kept aside.
    Backup,
    /// Some other SQLite database.
    Sqlite,
    /// A folder or a special file.
    NotAFile,
    /// An existing file, without `--force`.
    Exists,
}

impl From<crate::report::error::ReportError> for Error {
    fn from(e: crate::report::error::ReportError) -> Self {
        Error::Report(Box::new(e))
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::Config(Box::new(e))
    }
}

impl Error {
    /// Whether another program holds the database's write lock.
    pub fn is_busy(&self) -> bool {
        matches!(self, Error::Store(s) if s.problem() == Some(crate::store::Problem::Busy))
    }

    /// Maps a failed write of `path` to the error that names it.
    pub fn output(path: &std::path::Path) -> impl Fn(std::io::Error) -> Error + '_ {
        move |e| Error::Output {
            path: path.to_path_buf(),
            reason: crate::files::Cause::from(&e),
        }
    }
}

impl From<crate::config::UnknownProfile> for Error {
    fn from(e: crate::config::UnknownProfile) -> Self {
        Error::UnknownProfile {
            id: e.id,
            valid: e.valid,
        }
    }
}

impl From<crate::clock::TimeError> for Error {
    fn from(e: crate::clock::TimeError) -> Self {
        match e {
            crate::clock::TimeError::BadDateTime { value } => Error::BadDateTime { value },
            crate::clock::TimeError::BadDate { value } => Error::BadDate { value },
            crate::clock::TimeError::NoSuchDay { value } => Error::NoSuchDay { value },
            crate::clock::TimeError::BadTimeOfDay { value } => Error::BadTimeOfDay { value },
            crate::clock::TimeError::OutOfRange { value, from, to } => {
                Error::DateOutOfRange { value, from, to }
            }
            crate::clock::TimeError::YearOutOfRange { value } => Error::YearOutOfRange { value },
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Store(e.into())
    }
}

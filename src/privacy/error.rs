//! Refusals on privacy grounds, as data: a note holding an identity, a
//! purge that would reach the current season. `i18n` words them.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::Found;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrivacyError {
    /// A note (from `tiski log --note`) holds identities.
    #[error("the note holds {} identities", .found.len())]
    NoteIdentity { found: Vec<Found> },
    /// A note from the shell is longer than notes may be.
    #[error("the note has {chars} characters, at most {max} are kept")]
    NoteTooLong { chars: usize, max: usize },
    /// A note from the shell holds a control character at this position.
    #[error("the note holds a control character at {position}")]
    NoteControl { position: usize },
    /// An imported visit's note holds identities: the file is refused.
    #[error("{}: a note holds identities", .0.path.display())]
    ImportIdentity(Box<ImportRefusal>),
    /// `tiski purge --before` would clear the current season's identities,
    /// which the duplicate check needs; `--force` allows it.
    #[error("purging before {before} reaches the season ending {season_end}")]
    PurgeReachesSeason {
        before: NaiveDate,
        season: String,
        season_end: NaiveDate,
    },
    /// The purge cleared data but could not rewrite the file: another
    /// tiski keeps old pages alive.
    #[error("purged, but old copies may remain in the file")]
    ScrubIncomplete,
}

/// Where an imported note holding identities is (boxed: errors stay small).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRefusal {
    pub path: PathBuf,
    /// 1-based line of a JSONL file; `None` for a database.
    pub line: Option<usize>,
    /// The visit's uid and time, to find it in a database.
    pub uid: String,
    pub at: String,
    pub found: Vec<Found>,
}

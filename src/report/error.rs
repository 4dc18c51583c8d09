//! Why a report, export or import could not run; `i18n` words them.

/// Why a report, export or import could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("--from {from} is after --to {to}")]
    DatesOutOfOrder {
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    },
    #[error("bad season {value:?}")]
    BadSeason { value: String },
    #[error("bad month {value:?}")]
    BadMonth { value: String },
    #[error("bad week {value:?}")]
    BadWeek { value: String },
    #[error("unknown format {value:?}")]
    UnknownFormat { value: String, valid: &'static str },
    /// A workbook or a chapter is a file: it needs `--out`.
    #[error("{format} needs --out FILE")]
    NeedsFile { format: &'static str },
    /// `--charts` names something that is not a folder.
    #[error("{path} is not a folder")]
    NotAFolder { path: String },
    /// A workbook, chapter or chart could not be made (a bug: tiski makes
    /// their every part).
    #[error("{what}: {reason}")]
    Document { what: String, reason: String },
    #[error("unknown place {name:?}")]
    UnknownPlace { name: String, valid: String },
    #[error("unknown device {id:?}")]
    UnknownDevice { id: String, valid: String },
    #[error("{path} is not a tiski database")]
    NotTiski { path: String },
    #[error("{path}: cannot read: {reason}")]
    Read {
        path: String,
        reason: crate::files::Cause,
    },
    #[error("{path}, line {line}: {problem:?}")]
    Line {
        path: String,
        line: usize,
        problem: LineProblem,
    },
    /// A record of another database, named by its uid.
    #[error("{path}, record {uid}: {problem:?}")]
    Record {
        path: String,
        uid: String,
        problem: LineProblem,
    },
}

/// What is wrong with one line of a JSONL import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineProblem {
    /// Not JSON at all, in the parser's words.
    NotJson(String),
    UnknownType(String),
    Missing {
        field: &'static str,
    },
    /// The field has the wrong type or form; `expected` shows the form.
    Bad {
        field: &'static str,
        value: String,
        expected: Expected,
    },
    /// The visit's session is neither earlier in the file nor here.
    UnknownSession {
        uid: String,
    },
    /// A meeting's group, a feedback's event or group, or a head-count's
    /// session is neither earlier in the file nor here.
    UnknownParent {
        uid: String,
    },
    /// The field parses but cannot be meant.
    Meaning {
        field: &'static str,
        what: Meaning,
    },
}

/// Why a well-formed record cannot be meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meaning {
    UnknownProfile {
        id: String,
        valid: String,
    },
    /// A time not on this day (its session's, or the session's own date).
    OffDay(chrono::NaiveDate),
    /// Before 1 January 2000.
    TooEarly,
    /// More than a day ahead.
    InTheFuture,
    ControlCharacter,
    /// Longer than this many characters.
    TooLong(usize),
    /// The uid of an earlier record of the same file.
    RepeatedUid(String),
    /// A count of zero where one is needed, or above this.
    TooMany(u32),
    /// A topic, referral, field or value the profile does not have (not
    /// even retired); boxed, to keep every error small.
    UnknownKey(Box<UnknownKey>),
}

/// A key a profile does not have, and the ones it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    pub key: String,
    pub profile: String,
    pub valid: String,
}

/// What a JSONL field should hold, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A format version this tiski reads (1).
    KnownVersion,
    /// The export's header line first (`"type": "tiski-export"`).
    Header,
    Date,
    DateTime,
    /// An RFC 3339 instant such as 2023-11-14T08:05:00Z.
    Instant,
    Topics,
    Fields,
    /// A note of at most this many characters.
    ShortNote(usize),
    Text,
    NonEmptyText,
    WholeNumber,
    /// A feedback tally: yes/no, scale, mean or slips.
    Tally,
    /// `HH:MM`.
    TimeOfDay,
    /// true or false.
    Bool,
}

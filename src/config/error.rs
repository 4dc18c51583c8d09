//! What is wrong with a configuration, and where: the file and line.

use std::fmt;
use std::path::Path;

use super::server::ServerConfigProblem;
use crate::privacy::config::RetentionProblem;
use crate::schedule::ScheduleProblem;

/// A configuration problem, located as precisely as we can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file at fault; `None` for the embedded defaults.
    pub file: Option<Box<Path>>,
    /// 1-based line, when known.
    pub line: Option<usize>,
    pub kind: ConfigErrorKind,
}

/// What is wrong; the plain `Display` is for logs, `i18n` words it for users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigErrorKind {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Read(crate::files::Cause),
    /// TOML syntax or type error, in the parser's words.
    #[error("invalid TOML: {0}")]
    Parse(String),
    /// A profile has no topics.
    #[error("profile {profile:?} has no active topic")]
    NoTopics { profile: String },
    /// The same key twice in one list.
    #[error("profile {profile:?}: key {key:?} appears twice in {list}")]
    DuplicateKey {
        profile: String,
        list: &'static str,
        key: String,
    },
    /// An empty key or one with characters other than a-z, 0-9, `_`, `-`.
    #[error("profile {profile:?}: key {key:?} is not valid (a-z, 0-9, _ and -)")]
    BadKey { profile: String, key: String },
    /// A short name is given for a place not in the list of locations.
    #[error("profile {profile:?}: short_places names {place:?}, which is not in locations")]
    UnknownShortPlace { profile: String, place: String },
    /// The default location is not in the list of locations.
    #[error("profile {profile:?}: default_location {location:?} is not in locations")]
    UnknownDefaultLocation { profile: String, location: String },
    /// A field's default is not one of its options.
    #[error(
        "profile {profile:?}: the default {value:?} of field {field:?} is not one of its options"
    )]
    UnknownFieldDefault {
        profile: String,
        field: String,
        value: String,
    },
    /// A hotkey that the duty screen uses, or used twice.
    #[error("profile {profile:?}: the hotkey {hotkey:?} of field {field:?} is taken")]
    BadHotkey {
        profile: String,
        field: String,
        hotkey: char,
    },
    /// No profiles at all.
    #[error("no profiles are defined")]
    NoProfiles,
    /// A problem in a row of a profile's `schedule`.
    #[error("profile {profile:?}: schedule: {problem}")]
    Schedule {
        profile: String,
        problem: ScheduleProblem,
    },
    /// A problem in the `[retention]` table.
    #[error("{0}")]
    Retention(RetentionProblem),
    /// A problem in the `[server]` table.
    #[error("server: {0}")]
    Server(ServerConfigProblem),
    /// A problem in a profile's `vouchers` table.
    #[error("profile {profile:?}: vouchers: {problem}")]
    Voucher {
        profile: String,
        problem: crate::voucher::config::VoucherConfigProblem,
    },
}

impl fmt::Display for ConfigError {
    /// A plain form naming the place, for logs; users see the one `i18n`
    /// words in their language.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(p), Some(l)) => write!(f, "{}, line {l}: ", p.display())?,
            (Some(p), None) => write!(f, "{}: ", p.display())?,
            (None, Some(l)) => write!(f, "embedded config, line {l}: ")?,
            (None, None) => f.write_str("embedded config: ")?,
        }
        write!(f, "{}", self.kind)
    }
}

impl std::error::Error for ConfigError {}

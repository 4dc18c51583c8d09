//! Why reading or writing a file failed, kept apart from the words: each
//! language says it in `i18n` (the operating system's own text would be
//! English, or the system's language, inside a Finnish sentence).

use std::io::ErrorKind;

/// Why a file could not be read, written or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Cause {
    #[error("not found")]
    NotFound,
    #[error("permission denied")]
    PermissionDenied,
    #[error("already exists")]
    AlreadyExists,
    /// A folder, FIFO or device where a file was expected.
    #[error("not a regular file")]
    NotAFile,
    #[error("larger than {mb} MB")]
    TooLarge { mb: u64 },
    #[error("the disk is full")]
    DiskFull,
    #[error("read-only")]
    ReadOnly,
    /// Another program holds it (a lock, SQLite busy).
    #[error("in use by another program")]
    Busy,
    #[error("not text (UTF-8)")]
    NotText,
    /// A line longer than any record: a file cut and padded (a crash), or
    /// not tiski's. Read no further, so memory stays bounded.
    #[error("line {line} is longer than {kb} kB")]
    LineTooLong { line: usize, kb: usize },
    /// Not an SQLite database at all.
    #[error("not a database")]
    NotADatabase,
    /// An SQLite database of another program, or one damaged.
    #[error("not a tiski database")]
    NotTiski,
    #[error("damaged")]
    Corrupt,
    /// Damaged, as SQLite's integrity check found it.
    #[error("damaged: {0}")]
    Damaged(String),
    /// Written by a newer tiski.
    #[error("written by a newer tiski")]
    TooNew,
    /// The database this very command has open (or one of its companion
    /// files): it is not read or written as a plain file.
    #[error("the database tiski has open")]
    OpenDatabase,
    /// The reading stopped before the end (its thread failed).
    #[error("the reading stopped before the end")]
    Stopped,
    /// Anything else, in the words of whoever reported it.
    #[error("{0}")]
    Other(String),
}

impl From<&std::io::Error> for Cause {
    fn from(e: &std::io::Error) -> Self {
        // One of ours, carried through an io::Error (read_regular).
        if let Some(c) = e.get_ref().and_then(|i| i.downcast_ref::<Cause>()) {
            return c.clone();
        }
        match e.kind() {
            ErrorKind::NotFound => Cause::NotFound,
            ErrorKind::PermissionDenied => Cause::PermissionDenied,
            ErrorKind::AlreadyExists => Cause::AlreadyExists,
            ErrorKind::IsADirectory | ErrorKind::NotADirectory => Cause::NotAFile,
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => Cause::DiskFull,
            ErrorKind::ReadOnlyFilesystem => Cause::ReadOnly,
            ErrorKind::ResourceBusy | ErrorKind::WouldBlock => Cause::Busy,
            _ => Cause::Other(e.to_string()),
        }
    }
}

impl From<std::io::Error> for Cause {
    fn from(e: std::io::Error) -> Self {
        Cause::from(&e)
    }
}

impl Cause {
    /// This cause as an `io::Error` of the fitting kind, for functions
    /// that return one.
    pub fn into_io(self) -> std::io::Error {
        let kind = match self {
            Cause::NotFound => ErrorKind::NotFound,
            Cause::NotAFile => ErrorKind::InvalidInput,
            _ => ErrorKind::InvalidData,
        };
        std::io::Error::new(kind, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_keep_their_cause_and_ours_come_back_whole() {
        let e = std::fs::read("/nonexistent/tiski/file").unwrap_err();
        assert_eq!(Cause::from(&e), Cause::NotFound);
        let e = Cause::TooLarge { mb: 5 }.into_io();
        assert_eq!(Cause::from(&e), Cause::TooLarge { mb: 5 });
        let e = std::io::Error::other("odd");
        assert_eq!(Cause::from(&e), Cause::Other("odd".into()));
    }
}

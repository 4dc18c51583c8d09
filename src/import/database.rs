//! Another tiski database as an import's source, read without writing to
//! it: SQLite copies it (`VACUUM INTO`, which also takes in its WAL) to a
//! private file `.tiski.db.tiski-import-….tmp` in the data folder (not
//! the system's temp folder, which others may share and which tiski does
//! not clean up), which is brought to this schema and read, a record at a
//! time, on a thread of its own that hands them over a short queue. The
//! copy is overwritten and removed when the reading ends or fails; one
//! left by a killed process is removed by a later start (`store::privacy`).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use crate::error::Error;
use crate::files::Cause;
use crate::report::error::ReportError;
use crate::store::{PeriodFilter, Record, Store, StoreError};

/// Records in flight between the reading thread and the merge.
const QUEUE: usize = 1024;

/// The private copy of another database, being read.
pub struct Copy {
    /// The user's file, for messages.
    path: String,
    records: Option<Receiver<Result<Record, Error>>>,
    reader: Option<JoinHandle<()>>,
}

impl Copy {
    /// Copies the database at `path` into `temp_dir` and starts reading
    /// the copy. A file that is not tiski's, or is newer, is refused
    /// before anything is copied, naming the user's file.
    pub fn open(path: &Path, temp_dir: &Path) -> Result<Copy, Error> {
        let read_err = |reason: Cause| ReportError::Read {
            path: path.display().to_string(),
            reason,
        };
        let copy = TempFile(crate::files::temp_name(
            &temp_dir.join("tiski.db"),
            "import",
        ));
        {
            let src =
                crate::store::open_read_only_file(path).map_err(|e| read_err(Cause::from(&e)))?;
            let tiski: bool = src
                .query_row(
                    "SELECT count(*) = 2 FROM sqlite_master WHERE name IN ('sessions', 'visits')",
                    [],
                    |r| r.get(0),
                )
                .map_err(|e| read_err(Cause::from(&e)))?;
            if !tiski {
                return Err(ReportError::NotTiski {
                    path: path.display().to_string(),
                }
                .into());
            }
            // Refuse a newer schema before copying, naming the user's file.
            let version: i64 = src
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .map_err(|e| read_err(Cause::from(&e)))?;
            if version > crate::store::SCHEMA_VERSION {
                return Err(StoreError::TooNew {
                    path: path.to_path_buf(),
                    found: version,
                    supported: crate::store::SCHEMA_VERSION,
                }
                .into());
            }
            // The copy is personal data too: create it empty and private
            // first (VACUUM INTO accepts an empty file) rather than under
            // the umask.
            crate::files::write_private(&copy.0, &[]).map_err(|e| read_err(Cause::from(&e)))?;
            crate::store::vacuum_into(&src, &copy.0).map_err(|e| read_err(Cause::from(&e)))?;
        }
        let store = Store::open(&copy.0).map_err(|e| read_err(Cause::from(&e)))?;
        let (tx, rx) = sync_channel(QUEUE);
        let reader = std::thread::spawn(move || {
            read_all(&store, &tx);
            // The copy goes once the store is closed.
            drop(store);
            drop(copy);
        });
        Ok(Copy {
            path: path.display().to_string(),
            records: Some(rx),
            reader: Some(reader),
        })
    }
}

impl Iterator for Copy {
    type Item = Result<Record, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.records.as_ref()?.recv() {
            Ok(record) => Some(record),
            // The reader ended: after the last record, or by a panic, which
            // must not pass for the end of the file (the merge would commit
            // what was handed over so far).
            Err(_) => {
                self.records = None;
                match self.reader.take()?.join() {
                    Ok(()) => None,
                    Err(_) => Some(Err(ReportError::Read {
                        path: self.path.clone(),
                        reason: Cause::Stopped,
                    }
                    .into())),
                }
            }
        }
    }
}

impl Drop for Copy {
    /// Stops the reader (its next hand-over fails) and waits for it, so
    /// the copy is gone when the import is.
    fn drop(&mut self) {
        drop(self.records.take());
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

/// Every record of the copy, in the order a merge needs them: sessions,
/// visits, events, groups, their meetings, feedback, head-counts,
/// cancelled days, deletions. Stops when the merge no longer listens.
fn read_all(store: &Store, tx: &SyncSender<Result<Record, Error>>) {
    /// Why reading stopped early.
    enum Stop {
        /// The merge no longer listens (it ended, or failed).
        Gone,
        Failed(StoreError),
    }
    impl From<StoreError> for Stop {
        fn from(e: StoreError) -> Stop {
            Stop::Failed(e)
        }
    }
    let send = |r: Record| tx.send(Ok(r)).map_err(|_| Stop::Gone);
    let all = || -> Result<(), Stop> {
        let Some((from, to)) = store.date_span()? else {
            return Ok(());
        };
        let filter = PeriodFilter {
            from,
            to,
            profile: None,
            location: None,
            device: None,
        };
        store.each_session(&filter, |s| send(Record::Session(s)))?;
        store.each_visit(&filter, |v| send(Record::Visit(v)))?;
        let events = store.event_data(&filter)?;
        let cancelled = store.cancellations(None, from, to)?;
        let others = (events.events.into_iter().map(Record::Event))
            .chain(events.groups.into_iter().map(Record::Group))
            .chain(events.meetings.into_iter().map(Record::Meeting))
            .chain(events.feedback.into_iter().map(Record::Feedback))
            .chain(events.head_counts.into_iter().map(Record::HeadCount))
            .chain(cancelled.into_iter().map(Record::Cancelled));
        for r in others {
            send(r)?;
        }
        store.each_tombstone(|t| send(Record::Deleted(t)))
    };
    if let Err(Stop::Failed(e)) = all() {
        let _ = tx.send(Err(e.into()));
    }
}

/// Overwrites and removes the temporary copy (and its WAL files) however
/// the import ends, a panic included.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["-wal", "-shm", "-journal", ""] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = crate::store::privacy::scrub_and_remove(Path::new(&p));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Tombstone;

    /// A reader that stops by a panic (a bug, an allocation failure) has
    /// not read the whole file: the merge must fail, not take the records
    /// handed over so far for all of them and commit.
    #[test]
    fn a_reader_that_panics_is_an_error_not_the_end_of_the_file() {
        let (tx, rx) = sync_channel(QUEUE);
        let reader = std::thread::spawn(move || {
            let deleted = Tombstone {
                uid: "u1".into(),
                deleted_at: "2023-11-14 10:00:00".into(),
            };
            tx.send(Ok(Record::Deleted(deleted))).unwrap();
            panic!("the reading thread fails half-way");
        });
        let copy = Copy {
            path: "other.db".into(),
            records: Some(rx),
            reader: Some(reader),
        };
        let got: Vec<_> = copy.collect();
        assert_eq!(got.len(), 2, "the record, then the error");
        assert!(matches!(got[0], Ok(Record::Deleted(_))));
        let Err(e) = &got[1] else {
            panic!("the end of the reading passed for the end of the file")
        };
        assert!(e.to_string().contains("other.db"), "{e}");
    }
}

//! Reading another desk's log for `tiski import`, as it streams: a JSONL
//! export, read line by line, or another tiski database, read through a
//! private copy made in the data folder and removed however the import
//! ends. Each record is parsed, checked for meaning (`check`) and for
//! identities in its note as it comes, and handed to the merge; a file
//! of any size is never held in memory.
//!
//! What is told when a file is refused is what a whole read would tell:
//! a file that cannot be read (not text) before a line that does not
//! parse, that before a record that cannot be meant, that before a note
//! holding an identity, wherever each stands in the file. So the first
//! problem found stops the merge, which writes nothing, and the rest of
//! the file is still read for a graver one ([`Checked`]).

mod ahead;
mod check;
mod database;
mod jsonl;
mod seen;
mod typed;

pub use ahead::Graves;
pub use check::{Checker, TEXT_MAX_CHARS, check_meaning, check_note};
pub use jsonl::server_record;

use std::io::{BufReader, Read as _};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::Error;
use crate::report::error::ReportError;
use crate::store::Record;

/// Records read from a file, each with its 1-based line (0 for a database).
pub struct Records {
    pub records: Vec<Record>,
    pub lines: Vec<usize>,
}

/// Whether `bytes` begin like an SQLite database file.
pub fn is_sqlite(bytes: &[u8]) -> bool {
    bytes.starts_with(b"SQLite format 3\0")
}

/// Parses a whole JSONL export held in memory; the first bad line fails
/// it all.
pub fn parse_jsonl(path: &Path, text: &str) -> Result<Records, ReportError> {
    let mut out = Records {
        records: Vec::new(),
        lines: Vec::new(),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parser = jsonl::Parser::new(path);
    for (i, line) in text.lines().enumerate() {
        if let Some(record) = parser.line(i + 1, line)? {
            out.records.push(record);
            out.lines.push(i + 1);
        }
    }
    parser.end()?;
    Ok(out)
}

/// Where an import's records come from, each with its line (0 for a
/// database), in the file's order.
pub enum Source {
    /// Read, parsed and checked on a thread of its own, ahead of the
    /// merge ([`Checked`]).
    Jsonl(JsonlFile),
    Database(database::Copy),
}

/// A JSONL file being read.
pub struct JsonlFile {
    path: PathBuf,
    lines: jsonl::Lines<BufReader<std::fs::File>>,
    parser: jsonl::Parser,
    done: bool,
}

/// Opens the file to import: a JSONL export or another tiski database
/// (copied, privately, into `temp_dir`, the data folder). What cannot be
/// read at all is refused here.
pub fn open(path: &Path, temp_dir: &Path) -> Result<Source, Error> {
    let read_err = |e: std::io::Error| ReportError::Read {
        path: path.display().to_string(),
        reason: crate::files::Cause::from(&e),
    };
    let mut file = crate::files::open_regular(path).map_err(read_err)?;
    let mut start = [0u8; 16];
    let mut got = 0;
    while got < start.len() {
        match file.read(&mut start[got..]).map_err(read_err)? {
            0 => break,
            n => got += n,
        }
    }
    if is_sqlite(&start[..got]) {
        drop(file);
        return Ok(Source::Database(database::Copy::open(path, temp_dir)?));
    }
    let file = crate::files::open_regular(path).map_err(read_err)?;
    Ok(Source::Jsonl(JsonlFile {
        path: path.to_path_buf(),
        lines: jsonl::Lines::new(BufReader::with_capacity(1 << 16, file)),
        parser: jsonl::Parser::new(path),
        done: false,
    }))
}

impl JsonlFile {
    fn not_text(&self, e: jsonl::LineError) -> Error {
        ReportError::Read {
            path: self.path.display().to_string(),
            reason: match e {
                jsonl::LineError::NotText => crate::files::Cause::NotText,
                jsonl::LineError::TooLong { line } => crate::files::Cause::LineTooLong {
                    line,
                    kb: jsonl::MAX_LINE / 1024,
                },
                jsonl::LineError::Io(e) => crate::files::Cause::from(&e),
            },
        }
        .into()
    }
}

impl Iterator for JsonlFile {
    type Item = Result<(usize, Record), Error>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let line = match self.lines.next_line() {
                Err(e) => {
                    self.done = true;
                    return Some(Err(self.not_text(e)));
                }
                Ok(None) => {
                    self.done = true;
                    return self.parser.end().err().map(|e| Err(e.into()));
                }
                Ok(Some(line)) => line,
            };
            match self.parser.line(line.0, line.1) {
                Ok(None) => {}
                Ok(Some(record)) => return Some(Ok((line.0, record))),
                Err(bad) => {
                    // A file that is not text, wherever, is told first.
                    self.done = true;
                    return Some(Err(match self.lines.rest_is_text() {
                        Err(e) => self.not_text(e),
                        Ok(()) => bad.into(),
                    }));
                }
            }
        }
        None
    }
}

impl Iterator for Source {
    type Item = Result<(usize, Record), Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Source::Jsonl(f) => f.next(),
            Source::Database(d) => d.next().map(|r| r.map(|r| (0, r))),
        }
    }
}

/// How grave a refusal of the file is: of two, the graver is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grave {
    /// A note holds an identity.
    Identity,
    /// A record cannot be meant.
    Meaning,
    /// The file cannot be read or a line does not parse.
    Unreadable,
}

/// Why the file is refused, and how gravely.
#[derive(Debug)]
pub struct Refusal {
    pub grave: Grave,
    pub error: Error,
}

/// An import's records as the merge takes them: read, parsed, checked
/// for meaning and for identities, one at a time (a JSONL file's on a
/// thread of its own, ahead of the merge). After the first problem no
/// record is handed on; the rest of the file is read for a graver
/// problem, and the gravest first one ends the stream as its error.
pub struct Checked {
    stage: Staged,
    database: bool,
    done: bool,
    /// Records handed on so far, and where the line numbers jump (blank
    /// lines), to name the line of a record the merge refuses.
    handed: usize,
    jumps: Vec<(usize, usize)>,
}

/// Where the records are read and checked.
enum Staged {
    Here(Box<Stage>),
    Ahead(ahead::Ahead<Result<(usize, Record), Refusal>>),
}

impl Checked {
    pub fn new(
        source: Source,
        path: &Path,
        config: &Config,
        now: chrono::NaiveDateTime,
    ) -> Checked {
        let database = matches!(source, Source::Database(_));
        let stage = Stage {
            source,
            checker: Checker::new(path, config, now),
            path: path.to_path_buf(),
            meaning: None,
            identity: None,
            done: false,
        };
        let stage = if database {
            Staged::Here(Box::new(stage))
        } else {
            Staged::Ahead(ahead::Ahead::spawn(
                stage,
                Err(Refusal {
                    grave: Grave::Unreadable,
                    error: ReportError::Read {
                        path: path.display().to_string(),
                        reason: crate::files::Cause::Stopped,
                    }
                    .into(),
                }),
            ))
        };
        Checked {
            stage,
            database,
            done: false,
            handed: 0,
            jumps: Vec::new(),
        }
    }

    /// Reads the rest of the file: the problem that refuses it, if any.
    pub fn drain(&mut self) -> Option<Refusal> {
        for r in self.by_ref() {
            if let Err(refusal) = r {
                return Some(refusal);
            }
        }
        None
    }

    /// Where to hand back the records the merge is done with, to be
    /// dropped on the thread that made them (none if they were made
    /// here).
    pub fn graves(&self) -> Option<Graves> {
        match &self.stage {
            Staged::Here(_) => None,
            Staged::Ahead(ahead) => Some(ahead.graves()),
        }
    }

    /// The line of the record handed on as the `index`th (from 0); 0 for
    /// a database.
    pub fn line(&self, index: usize) -> usize {
        if self.database {
            return 0;
        }
        match self.jumps.iter().rev().find(|(i, _)| *i <= index) {
            Some((i, line)) => line + (index - i),
            None => 0,
        }
    }
}

impl Iterator for Checked {
    type Item = Result<Record, Refusal>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let item = match &mut self.stage {
            Staged::Here(stage) => stage.next(),
            Staged::Ahead(ahead) => ahead.next(),
        };
        match item {
            None => {
                self.done = true;
                None
            }
            Some(Err(refusal)) => {
                self.done = true;
                Some(Err(refusal))
            }
            Some(Ok((line, record))) => {
                if line > 0 && (self.handed == 0 || line != self.line(self.handed - 1) + 1) {
                    self.jumps.push((self.handed, line));
                }
                self.handed += 1;
                Some(Ok(record))
            }
        }
    }
}

/// The reading and the checks of an import's records, each record with
/// its line, wherever they run.
struct Stage {
    source: Source,
    checker: Checker,
    path: PathBuf,
    meaning: Option<Error>,
    identity: Option<Error>,
    done: bool,
}

impl Stage {
    fn take(&mut self) -> Option<Refusal> {
        if let Some(error) = self.meaning.take() {
            return Some(Refusal {
                grave: Grave::Meaning,
                error,
            });
        }
        self.identity.take().map(|error| Refusal {
            grave: Grave::Identity,
            error,
        })
    }
}

impl Iterator for Stage {
    type Item = Result<(usize, Record), Refusal>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            let (line, record) = match self.source.next() {
                None => {
                    self.done = true;
                    return self.take().map(Err);
                }
                Some(Err(error)) => {
                    self.done = true;
                    return Some(Err(Refusal {
                        grave: Grave::Unreadable,
                        error,
                    }));
                }
                Some(Ok(r)) => r,
            };
            if self.meaning.is_some() {
                continue;
            }
            if let Err(e) = self.checker.check(&record, line) {
                self.meaning = Some(e.into());
                continue;
            }
            if self.identity.is_some() {
                continue;
            }
            if let Err(e) = check_note(&self.path, &record, line) {
                self.identity = Some(e.into());
                continue;
            }
            return Some(Ok((line, record)));
        }
    }
}

#[cfg(test)]
mod tests;

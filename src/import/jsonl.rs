//! An export's JSONL, read line by line as it streams: a header line,
//! then one record a line, each named by its line when it cannot be read
//! (the field at fault, its value and what was expected). A file that is
//! not UTF-8 text is not read at all, whatever line holds the bytes.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use serde_json::{Map, Value};

use crate::domain::{DutySession, SessionId, Visit, VisitEntry, VisitId};
use crate::events::{EventEntry, FeedbackEntry, FeedbackTarget, GroupEntry, Tally};
use crate::export::{HEADER_TYPE, JSONL_VERSION};
use crate::report::error::{Expected, LineProblem, ReportError};
use crate::store::{
    Cancellation, EventRecord, FeedbackRecord, GroupRecord, HeadCountRecord, MeetingRecord, Record,
    SessionRecord, Tombstone, VisitRecord,
};

/// The lines of a JSONL file as records: the header first.
pub struct Parser {
    /// The file, as messages name it.
    path: String,
    header: bool,
}

impl Parser {
    pub fn new(path: &Path) -> Parser {
        Parser {
            path: path.display().to_string(),
            header: false,
        }
    }

    /// The record on line `n` (1-based); `None` for a blank line and the
    /// header.
    pub fn line(&mut self, n: usize, line: &str) -> Result<Option<Record>, ReportError> {
        if line.trim().is_empty() {
            return Ok(None);
        }
        // Most lines are visits and sessions as an export writes them.
        if self.header
            && let Some(record) = super::typed::record(line)
        {
            return Ok(Some(record));
        }
        self.careful(n, line)
    }

    /// The record on a line that is not blank, read field by field, each
    /// problem named.
    pub(super) fn careful(&mut self, n: usize, line: &str) -> Result<Option<Record>, ReportError> {
        let fail = |problem: LineProblem| ReportError::Line {
            path: self.path.clone(),
            line: n,
            problem,
        };
        let value: Value =
            serde_json::from_str(line).map_err(|e| fail(LineProblem::NotJson(e.to_string())))?;
        let Value::Object(obj) = value else {
            return Err(fail(LineProblem::NotJson("not an object".into())));
        };
        let o = Obj(&obj);
        let kind = o.str("type").map_err(&fail)?;
        // Another program's JSON lines are not read as records: an export
        // opens with its header.
        if !self.header && kind != HEADER_TYPE {
            return Err(fail(LineProblem::Bad {
                field: "type",
                value: kind,
                expected: Expected::Header,
            }));
        }
        if kind == HEADER_TYPE {
            self.header = true;
            let version = o.u64("version").map_err(&fail)?;
            if version > JSONL_VERSION {
                return Err(fail(LineProblem::Bad {
                    field: "version",
                    value: version.to_string(),
                    expected: Expected::KnownVersion,
                }));
            }
            return Ok(None);
        }
        let record = record(&o, &kind).map_err(&fail)?;
        Ok(Some(record))
    }

    /// At the end of the file: one without the header is not an export.
    pub fn end(&self) -> Result<(), ReportError> {
        if self.header {
            return Ok(());
        }
        Err(ReportError::Line {
            path: self.path.clone(),
            line: 1,
            problem: LineProblem::Bad {
                field: "type",
                value: String::new(),
                expected: Expected::Header,
            },
        })
    }
}

/// One record of a JSONL export (or of the server, which keeps records
/// as these lines), its `type` already read.
fn record(o: &Obj<'_>, kind: &str) -> Result<Record, LineProblem> {
    Ok(match kind {
        "session" => Record::Session(session(o)?),
        "visit" => Record::Visit(visit(o)?),
        "cancelled" => Record::Cancelled(cancellation(o)?),
        "event" => Record::Event(event(o)?),
        "group" => Record::Group(group(o)?),
        "meeting" => Record::Meeting(MeetingRecord {
            uid: o.str("uid")?,
            group_uid: o.str("group_uid")?,
            date: o.date("date")?,
            count: o.u32("count")?,
            updated_at: o.instant("updated_at")?,
        }),
        "feedback" => Record::Feedback(feedback(o)?),
        "head_count" => Record::HeadCount(HeadCountRecord {
            uid: o.str("uid")?,
            session_uid: o.str("session_uid")?,
            at: o.time("at")?,
            n: o.u32("n")?,
            updated_at: o.instant("updated_at")?,
        }),
        "deleted" => Record::Deleted(Tombstone {
            uid: o.str("uid")?,
            deleted_at: o.instant("deleted_at")?,
        }),
        other => return Err(LineProblem::UnknownType(other.to_string())),
    })
}

/// A record kept on the server, in the JSONL line's form.
pub fn server_record(value: &Value) -> Result<Record, LineProblem> {
    let Value::Object(obj) = value else {
        return Err(LineProblem::NotJson("not an object".into()));
    };
    let o = Obj(obj);
    let kind = o.str("type")?;
    record(&o, &kind)
}

/// A file's lines as `str::lines` gives them, read as they come: a byte
/// order mark at the start and each line's ending (`\n`, `\r\n`) taken
/// off, numbered from 1.
pub struct Lines<R> {
    reader: R,
    buf: Vec<u8>,
    n: usize,
}

/// The longest line read: far more than any record (a note is at most a
/// few hundred characters), and what a line may cost in memory.
pub const MAX_LINE: usize = 1 << 20;

/// The file is not UTF-8 text, or has a line longer than any record.
#[derive(Debug)]
pub enum LineError {
    NotText,
    TooLong { line: usize },
    Io(std::io::Error),
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R) -> Lines<R> {
        Lines {
            reader,
            buf: Vec::new(),
            n: 0,
        }
    }

    /// The next line and its number.
    pub fn next_line(&mut self) -> Result<Option<(usize, &str)>, LineError> {
        self.buf.clear();
        // At most MAX_LINE bytes and its line end: a cut file padded with
        // zeros is one endless line, never held whole.
        let read = std::io::Read::take(&mut self.reader, MAX_LINE as u64 + 2)
            .read_until(b'\n', &mut self.buf)
            .map_err(LineError::Io)?;
        if read == 0 {
            return Ok(None);
        }
        self.n += 1;
        if self.buf.len() > MAX_LINE + 1 && !self.buf.ends_with(b"\n") {
            return Err(LineError::TooLong { line: self.n });
        }
        let mut line = &self.buf[..];
        if self.n == 1 {
            line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
        }
        if let Some(l) = line.strip_suffix(b"\n") {
            line = l.strip_suffix(b"\r").unwrap_or(l);
        }
        let text = std::str::from_utf8(line).map_err(|_| LineError::NotText)?;
        Ok(Some((self.n, text)))
    }

    /// Reads the rest of the file, only to know that it is all text.
    pub fn rest_is_text(&mut self) -> Result<(), LineError> {
        while self.next_line()?.is_some() {}
        Ok(())
    }
}

const TIME: &str = "%Y-%m-%d %H:%M:%S";

fn session(o: &Obj<'_>) -> Result<SessionRecord, LineProblem> {
    let date = o.date("date")?;
    Ok(SessionRecord {
        session: DutySession {
            id: SessionId(0),
            uid: o.str("uid")?,
            profile: o.str("profile")?,
            location: o.str("location")?,
            date,
            started_at: o.time("started_at")?,
            ended_at: o.opt_time("ended_at")?,
            visitors: 0,
        },
        // A hand-made file may not say; this installation's id would be wrong.
        device: o
            .opt_str("device")?
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| "unknown".into()),
    })
}

fn cancellation(o: &Obj<'_>) -> Result<Cancellation, LineProblem> {
    Ok(Cancellation {
        uid: o.str("uid")?,
        profile: o.str("profile")?,
        date: o.date("date")?,
        cancelled_at: o.time("cancelled_at")?,
    })
}

fn visit(o: &Obj<'_>) -> Result<VisitRecord, LineProblem> {
    let topics = match o.0.get("topics") {
        None => return Err(LineProblem::Missing { field: "topics" }),
        Some(Value::Array(a)) if !a.is_empty() && a.iter().all(Value::is_string) => a
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect(),
        Some(v) => {
            return Err(LineProblem::Bad {
                field: "topics",
                value: v.to_string(),
                expected: Expected::Topics,
            });
        }
    };
    let fields: BTreeMap<String, String> = match o.0.get("fields") {
        None | Some(Value::Null) => BTreeMap::new(),
        Some(Value::Object(m)) if m.values().all(Value::is_string) => m
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
            .collect(),
        Some(v) => {
            return Err(LineProblem::Bad {
                field: "fields",
                value: v.to_string(),
                expected: Expected::Fields,
            });
        }
    };
    let note = o.opt_str("note")?.unwrap_or_default();
    if note.chars().count() > crate::domain::NOTE_MAX_CHARS {
        return Err(LineProblem::Bad {
            field: "note",
            value: format!("({} characters)", note.chars().count()),
            expected: Expected::ShortNote(crate::domain::NOTE_MAX_CHARS),
        });
    }
    Ok(VisitRecord {
        visit: Visit {
            id: VisitId(0),
            uid: o.str("uid")?,
            session: SessionId(0),
            at: o.time("at")?,
            entry: VisitEntry {
                topics,
                referral: o.opt_str("referral")?,
                fields,
                note,
            },
        },
        session_uid: o.str("session_uid")?,
        updated_at: o.instant("updated_at")?,
    })
}

fn event(o: &Obj<'_>) -> Result<EventRecord, LineProblem> {
    let time = o
        .opt_str("time")?
        .map(|t| {
            chrono::NaiveTime::parse_from_str(&t, "%H:%M").map_err(|_| LineProblem::Bad {
                field: "time",
                value: format!("{t:?}"),
                expected: Expected::TimeOfDay,
            })
        })
        .transpose()?;
    Ok(EventRecord {
        uid: o.str("uid")?,
        entry: EventEntry {
            profile: o.str("profile")?,
            date: o.date("date")?,
            time,
            title: o.str("title")?,
            place: o.opt_str("place")?.unwrap_or_default(),
            kind: o.str("kind")?,
            partners: o.opt_str("partners")?.unwrap_or_default(),
            count: o.opt_u32("count")?,
            approx: o.bool("approx")?,
            online: o.opt_u32("online")?,
            unit: o.opt_str("unit")?.unwrap_or_default(),
        },
        updated_at: o.instant("updated_at")?,
    })
}

fn group(o: &Obj<'_>) -> Result<GroupRecord, LineProblem> {
    Ok(GroupRecord {
        uid: o.str("uid")?,
        entry: GroupEntry {
            profile: o.str("profile")?,
            date: o.date("date")?,
            title: o.str("title")?,
            place: o.opt_str("place")?.unwrap_or_default(),
            partner: o.opt_str("partner")?.unwrap_or_default(),
            target: o.opt_str("target")?.unwrap_or_default(),
            paper_meetings: o.opt_u32("paper_meetings")?,
            paper_visits: o.opt_u32("paper_visits")?,
        },
        updated_at: o.instant("updated_at")?,
    })
}

fn feedback(o: &Obj<'_>) -> Result<FeedbackRecord, LineProblem> {
    let target = match (o.opt_str("event_uid")?, o.opt_str("group_uid")?) {
        (Some(e), None) => FeedbackTarget::Event(e),
        (None, Some(g)) => FeedbackTarget::Group(g),
        _ => return Err(LineProblem::Missing { field: "event_uid" }),
    };
    let raw = o.0.get("tally").cloned().unwrap_or(Value::Null);
    let tally: Tally = serde_json::from_value(raw.clone()).map_err(|_| LineProblem::Bad {
        field: "tally",
        value: raw.to_string(),
        expected: Expected::Tally,
    })?;
    let entry = FeedbackEntry {
        target,
        question: o.opt_str("question")?.unwrap_or_default(),
        tally,
    };
    if entry.validate().is_err() {
        return Err(LineProblem::Bad {
            field: "tally",
            value: raw.to_string(),
            expected: Expected::Tally,
        });
    }
    Ok(FeedbackRecord {
        uid: o.str("uid")?,
        entry,
        updated_at: o.instant("updated_at")?,
    })
}

/// Field access that names the field at fault.
struct Obj<'a>(&'a Map<String, Value>);

impl Obj<'_> {
    fn opt_str(&self, field: &'static str) -> Result<Option<String>, LineProblem> {
        match self.0.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(LineProblem::Bad {
                field,
                value: v.to_string(),
                expected: Expected::Text,
            }),
        }
    }

    fn str(&self, field: &'static str) -> Result<String, LineProblem> {
        match self.opt_str(field)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            Some(s) => Err(LineProblem::Bad {
                field,
                value: format!("{s:?}"),
                expected: Expected::NonEmptyText,
            }),
            None => Err(LineProblem::Missing { field }),
        }
    }

    fn date(&self, field: &'static str) -> Result<NaiveDate, LineProblem> {
        let date = self.str(field)?;
        NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| LineProblem::Bad {
            field,
            value: format!("{date:?}"),
            expected: Expected::Date,
        })
    }

    fn u64(&self, field: &'static str) -> Result<u64, LineProblem> {
        match self.0.get(field) {
            None => Err(LineProblem::Missing { field }),
            Some(v) => v.as_u64().ok_or_else(|| LineProblem::Bad {
                field,
                value: v.to_string(),
                expected: Expected::WholeNumber,
            }),
        }
    }

    fn opt_u32(&self, field: &'static str) -> Result<Option<u32>, LineProblem> {
        match self.0.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| LineProblem::Bad {
                    field,
                    value: v.to_string(),
                    expected: Expected::WholeNumber,
                }),
        }
    }

    fn u32(&self, field: &'static str) -> Result<u32, LineProblem> {
        self.opt_u32(field)?.ok_or(LineProblem::Missing { field })
    }

    fn bool(&self, field: &'static str) -> Result<bool, LineProblem> {
        match self.0.get(field) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(v) => Err(LineProblem::Bad {
                field,
                value: v.to_string(),
                expected: Expected::Bool,
            }),
        }
    }

    fn opt_time(&self, field: &'static str) -> Result<Option<NaiveDateTime>, LineProblem> {
        self.opt_str(field)?
            .map(|s| {
                NaiveDateTime::parse_from_str(&s, TIME)
                    .ok()
                    // chrono reads :60 as a leap second; no desk clock shows one.
                    .filter(|t| t.nanosecond() < 1_000_000_000)
                    .ok_or_else(|| LineProblem::Bad {
                        field,
                        value: format!("{s:?}"),
                        expected: Expected::DateTime,
                    })
            })
            .transpose()
    }

    fn time(&self, field: &'static str) -> Result<NaiveDateTime, LineProblem> {
        self.opt_time(field)?.ok_or(LineProblem::Missing { field })
    }

    /// An RFC 3339 instant, kept as written.
    fn instant(&self, field: &'static str) -> Result<String, LineProblem> {
        let s = self.str(field)?;
        chrono::DateTime::parse_from_rfc3339(&s).map_err(|_| LineProblem::Bad {
            field,
            value: format!("{s:?}"),
            expected: Expected::Instant,
        })?;
        Ok(s)
    }
}

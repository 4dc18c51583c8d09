//! Reading another desk's log for `tiski import`: a JSONL export, checked
//! line by line so a bad line is named with its field before anything is
//! written, or another tiski database, read through a private copy made in
//! the data folder and removed however the import ends. Either way a note
//! holding an identity refuses the whole file, naming its line or visit.

mod check;

pub use check::{TEXT_MAX_CHARS, check_meaning};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use serde_json::{Map, Value};

use crate::domain::{DutySession, SessionId, Visit, VisitEntry, VisitId};
use crate::error::Error;
use crate::events::{EventEntry, FeedbackEntry, FeedbackTarget, GroupEntry, Tally};
use crate::export::{HEADER_TYPE, JSONL_VERSION};
use crate::privacy::error::{ImportRefusal, PrivacyError};
use crate::report::error::{Expected, LineProblem, ReportError};
use crate::store::{
    Cancellation, EventRecord, FeedbackRecord, GroupRecord, HeadCountRecord, MeetingRecord,
    PeriodFilter, Record, SessionRecord, Store, Tombstone, VisitRecord,
};

/// Records read from a file, each with its 1-based line (0 for a database).
pub struct Records {
    pub records: Vec<Record>,
    pub lines: Vec<usize>,
}

/// Whether `bytes` begin like an SQLite database file.
pub fn is_sqlite(bytes: &[u8]) -> bool {
    bytes.starts_with(b"SQLite format 3\0")
}

/// Parses a whole JSONL export; the first bad line fails it all.
pub fn parse_jsonl(path: &Path, text: &str) -> Result<Records, ReportError> {
    let mut out = Records {
        records: Vec::new(),
        lines: Vec::new(),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut header = false;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fail = |problem: LineProblem| ReportError::Line {
            path: path.display().to_string(),
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
        if !header && kind != HEADER_TYPE {
            return Err(fail(LineProblem::Bad {
                field: "type",
                value: kind,
                expected: Expected::Header,
            }));
        }
        let record = match kind.as_str() {
            HEADER_TYPE => {
                header = true;
                let version = o.u64("version").map_err(&fail)?;
                if version > JSONL_VERSION {
                    return Err(fail(LineProblem::Bad {
                        field: "version",
                        value: version.to_string(),
                        expected: Expected::KnownVersion,
                    }));
                }
                continue;
            }
            "session" => Record::Session(session(&o).map_err(&fail)?),
            "visit" => Record::Visit(visit(&o).map_err(&fail)?),
            "cancelled" => Record::Cancelled(cancellation(&o).map_err(&fail)?),
            "event" => Record::Event(event(&o).map_err(&fail)?),
            "group" => Record::Group(group(&o).map_err(&fail)?),
            "meeting" => Record::Meeting(MeetingRecord {
                uid: o.str("uid").map_err(&fail)?,
                group_uid: o.str("group_uid").map_err(&fail)?,
                date: o.date("date").map_err(&fail)?,
                count: o.u32("count").map_err(&fail)?,
                updated_at: o.instant("updated_at").map_err(&fail)?,
            }),
            "feedback" => Record::Feedback(feedback(&o).map_err(&fail)?),
            "head_count" => Record::HeadCount(HeadCountRecord {
                uid: o.str("uid").map_err(&fail)?,
                session_uid: o.str("session_uid").map_err(&fail)?,
                at: o.time("at").map_err(&fail)?,
                n: o.u32("n").map_err(&fail)?,
                updated_at: o.instant("updated_at").map_err(&fail)?,
            }),
            "deleted" => Record::Deleted(Tombstone {
                uid: o.str("uid").map_err(&fail)?,
                deleted_at: o.instant("deleted_at").map_err(&fail)?,
            }),
            other => return Err(fail(LineProblem::UnknownType(other.to_string()))),
        };
        out.records.push(record);
        out.lines.push(n);
    }
    if !header {
        return Err(ReportError::Line {
            path: path.display().to_string(),
            line: 1,
            problem: LineProblem::Bad {
                field: "type",
                value: String::new(),
                expected: Expected::Header,
            },
        });
    }
    Ok(out)
}

/// Refuses records whose visit notes hold an identity (a henkilötunnus, a
/// phone number, an e-mail address), naming the first one's line (JSONL)
/// or visit (database).
pub fn check_notes(path: &Path, records: &Records) -> Result<(), PrivacyError> {
    for (i, r) in records.records.iter().enumerate() {
        let Record::Visit(v) = r else { continue };
        let found = crate::privacy::find_identities(&v.visit.entry.note);
        if !found.is_empty() {
            return Err(PrivacyError::ImportIdentity(Box::new(ImportRefusal {
                path: path.to_path_buf(),
                line: records.lines.get(i).copied().filter(|l| *l > 0),
                uid: v.visit.uid.clone(),
                at: v.visit.at.format("%Y-%m-%d %H:%M").to_string(),
                found,
            })));
        }
    }
    Ok(())
}

/// Reads every record of another tiski database without writing to it:
/// SQLite copies it (`VACUUM INTO`, which also takes in its WAL) to a
/// private file `.tiski.db.tiski-import-….tmp` in `temp_dir` (the data folder, not
/// the system's temp folder, which others may share and which is not
/// cleaned up by tiski), which is brought to this schema and read. The copy
/// is overwritten and removed when this returns or fails; one left by a
/// killed process is removed by a later start (`store::privacy`).
pub fn read_database(path: &Path, temp_dir: &Path) -> Result<Records, Error> {
    let read_err = |reason: crate::files::Cause| ReportError::Read {
        path: path.display().to_string(),
        reason,
    };
    let copy = TempFile(crate::files::temp_name(
        &temp_dir.join("tiski.db"),
        "import",
    ));
    {
        let src = crate::store::open_read_only_file(path)
            .map_err(|e| read_err(crate::files::Cause::from(&e)))?;
        let tiski: bool = src
            .query_row(
                "SELECT count(*) = 2 FROM sqlite_master WHERE name IN ('sessions', 'visits')",
                [],
                |r| r.get(0),
            )
            .map_err(|e| read_err(crate::files::Cause::from(&e)))?;
        if !tiski {
            return Err(ReportError::NotTiski {
                path: path.display().to_string(),
            }
            .into());
        }
        // Refuse a newer schema before copying, naming the user's file.
        let version: i64 = src
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| read_err(crate::files::Cause::from(&e)))?;
        if version > crate::store::SCHEMA_VERSION {
            return Err(crate::store::StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                supported: crate::store::SCHEMA_VERSION,
            }
            .into());
        }
        // The copy is personal data too: create it empty and private first
        // (VACUUM INTO accepts an empty file) rather than under the umask.
        crate::files::write_private(&copy.0, &[])
            .map_err(|e| read_err(crate::files::Cause::from(&e)))?;
        crate::store::vacuum_into(&src, &copy.0)
            .map_err(|e| read_err(crate::files::Cause::from(&e)))?;
    }
    let store = Store::open(&copy.0).map_err(|e| read_err(crate::files::Cause::from(&e)))?;
    let Some((from, to)) = store.date_span()? else {
        return Ok(Records {
            records: Vec::new(),
            lines: Vec::new(),
        });
    };
    let data = store.period(&PeriodFilter {
        from,
        to,
        profile: None,
        location: None,
        device: None,
    })?;
    let tombstones = store.tombstones()?;
    let cancelled = store.cancellations(None, from, to)?;
    let events = store.event_data(&PeriodFilter {
        from,
        to,
        profile: None,
        location: None,
        device: None,
    })?;
    let records: Vec<Record> = data
        .sessions
        .into_iter()
        .map(Record::Session)
        .chain(data.visits.into_iter().map(Record::Visit))
        .chain(events.events.into_iter().map(Record::Event))
        .chain(events.groups.into_iter().map(Record::Group))
        .chain(events.meetings.into_iter().map(Record::Meeting))
        .chain(events.feedback.into_iter().map(Record::Feedback))
        .chain(events.head_counts.into_iter().map(Record::HeadCount))
        .chain(cancelled.into_iter().map(Record::Cancelled))
        .chain(tombstones.into_iter().map(Record::Deleted))
        .collect();
    let lines = vec![0; records.len()];
    Ok(Records { records, lines })
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

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = r#"{"type":"tiski-export","version":1}"#;

    /// `text` as an export: the header line first.
    fn parse(text: &str) -> Result<Records, ReportError> {
        parse_jsonl(Path::new("x.jsonl"), &format!("{HEADER}\n{text}"))
    }

    #[test]
    fn a_file_without_the_header_first_is_not_an_export() {
        let session = r#"{"type":"session","uid":"s1","profile":"p","location":"l","device":"d","date":"2023-11-14","started_at":"2023-11-14 10:00:00","ended_at":null}"#;
        for text in ["", "\n\n", session] {
            assert!(matches!(
                parse_jsonl(Path::new("x.jsonl"), text),
                Err(ReportError::Line {
                    line: 1,
                    problem: LineProblem::Bad {
                        field: "type",
                        expected: Expected::Header,
                        ..
                    },
                    ..
                })
            ));
        }
        assert!(parse_jsonl(Path::new("x.jsonl"), &format!("{HEADER}\n{session}")).is_ok());
    }

    #[test]
    fn a_bad_line_is_named_with_its_field() {
        let good_session = r#"{"type":"session","uid":"s1","profile":"p","location":"l","device":"d","date":"2023-11-14","started_at":"2023-11-14 10:00:00","ended_at":null}"#;
        let bad_visit = r#"{"type":"visit","uid":"v1","session_uid":"s1","at":"2023-11-14 25:00:00","topics":["a"],"updated_at":"2023-11-14T08:00:00Z"}"#;
        let text = format!("{good_session}\n\n{bad_visit}\n");
        match parse(&text) {
            Err(ReportError::Line {
                line: 4,
                problem: LineProblem::Bad { field: "at", .. },
                ..
            }) => {}
            other => panic!("{:?}", other.map(|r| r.lines)),
        }
        let missing = r#"{"type":"visit","uid":"v1","session_uid":"s1","at":"2023-11-14 10:00:00","updated_at":"2023-11-14T08:00:00Z"}"#;
        assert!(matches!(
            parse(missing),
            Err(ReportError::Line {
                line: 2,
                problem: LineProblem::Missing { field: "topics" },
                ..
            })
        ));
        assert!(matches!(
            parse("{not json"),
            Err(ReportError::Line {
                problem: LineProblem::NotJson(_),
                ..
            })
        ));
        assert!(matches!(
            parse(r#"{"type":"voucher"}"#),
            Err(ReportError::Line {
                problem: LineProblem::UnknownType(_),
                ..
            })
        ));
        let ok = parse(&format!("{good_session}\n")).unwrap();
        assert_eq!(ok.lines, [2], "after the header");
    }
}

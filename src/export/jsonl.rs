//! The lossless JSONL export, written as it is read: a header line, then
//! every session, visit, event, group, meeting, feedback, head-count,
//! cancelled day and deletion (tombstone) with all fields, row ids and
//! uids included, one a line, keys in alphabetical order. `tiski import`
//! reads it back; a session's `visitors` and the row ids are informative
//! there (counts are recounted, ids are local). Sessions, visits and
//! deletions stream from the store, so an export of any size holds a
//! batch of visits, not the file.

use std::io::Write;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use serde::Serialize;
use serde_json::{Value, json};

use crate::store::{
    Cancellation, EventData, PeriodFilter, SessionRecord, Store, StoreError, Tombstone, VisitRef,
};

/// The `type` of the first JSONL line.
pub const HEADER_TYPE: &str = "tiski-export";
/// The JSONL format's version; an import refuses a newer one.
pub const JSONL_VERSION: u64 = 1;

/// Why an export stopped: the store, or the output.
#[derive(Debug)]
pub enum WriteError {
    Store(StoreError),
    Output(std::io::Error),
}

impl From<StoreError> for WriteError {
    fn from(e: StoreError) -> Self {
        WriteError::Store(e)
    }
}

impl From<std::io::Error> for WriteError {
    fn from(e: std::io::Error) -> Self {
        WriteError::Output(e)
    }
}

/// Writes the export of the sessions `f` names (and of the events of its
/// dates, the days cancelled in them, and every deletion) to `out`, and
/// returns how many records it holds (the header not counted).
pub fn write_jsonl(
    out: &mut dyn Write,
    store: &Store,
    f: &PeriodFilter<'_>,
    device: &str,
    exported_at: &str,
) -> Result<usize, WriteError> {
    // One reading of the log: a visit saved beside the export comes with
    // its session and its topics, or not at all.
    store.in_one_read(|| write_lines(out, store, f, device, exported_at))
}

fn write_lines(
    out: &mut dyn Write,
    store: &Store,
    f: &PeriodFilter<'_>,
    device: &str,
    exported_at: &str,
) -> Result<usize, WriteError> {
    let mut n = 0;
    // One buffer for every line, so a line costs no allocation of its own.
    let buf = &mut Vec::with_capacity(1024);
    let header = json!({
        "type": HEADER_TYPE,
        "version": JSONL_VERSION,
        "device": device,
        "exported_at": exported_at,
    });
    line(out, buf, &header)?;
    store.each_session(f, |s| {
        n += 1;
        line(out, buf, &SessionLine::of(&s))
    })?;
    // The visits, nearly every line of the file, are written by hand a
    // batch of lines at a time (see `visit_line`).
    buf.clear();
    store.each_visit_ref(f, |v| {
        n += 1;
        visit_line(buf, &v);
        if buf.len() >= VISIT_CHUNK {
            out.write_all(buf)?;
            buf.clear();
        }
        Ok::<_, WriteError>(())
    })?;
    out.write_all(buf)?;
    let events = store.event_data(f)?;
    for l in event_lines(&events) {
        n += 1;
        line(out, buf, &l)?;
    }
    let cancelled = store.cancellations(f.profile, f.from, f.to)?;
    for c in &cancelled {
        n += 1;
        line(out, buf, &cancellation_json(c))?;
    }
    store.each_tombstone(|t| {
        n += 1;
        line(out, buf, &tombstone_json(&t))
    })?;
    out.flush()?;
    Ok(n)
}

/// One line: `value` as compact JSON (made in `buf`) and a newline, with
/// DEL, C1 and bidi controls escaped (`text::json_safe`: the serializer
/// escapes C0 only). A line of ASCII alone, nearly every one, is written
/// as it is.
fn line(out: &mut dyn Write, buf: &mut Vec<u8>, value: &impl Serialize) -> Result<(), WriteError> {
    buf.clear();
    serde_json::to_writer(&mut *buf, value).map_err(|e| WriteError::Output(e.into()))?;
    buf.push(b'\n');
    if buf.iter().any(|b| *b >= 0x7f) {
        let text = std::str::from_utf8(buf).expect("serde_json writes UTF-8");
        out.write_all(crate::text::json_safe(text.to_string()).as_bytes())?;
    } else {
        out.write_all(buf)?;
    }
    Ok(())
}

/// How many bytes of visit lines are gathered before they are written:
/// at least the output's buffer, so they go past it without a copy.
const VISIT_CHUNK: usize = 1 << 17;

/// Appends a visit's line to `buf`, its keys in alphabetical order: the
/// bytes `line` writes of the visit's JSON object, made without the
/// serializer.
fn visit_line(buf: &mut Vec<u8>, v: &VisitRef<'_>) {
    buf.extend_from_slice(b"{\"at\":\"");
    buf.extend_from_slice(&time_bytes(v.at));
    buf.extend_from_slice(b"\",\"fields\":{");
    for (i, (field, value)) in v.fields.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        json_str(buf, field);
        buf.push(b':');
        json_str(buf, value);
    }
    buf.extend_from_slice(b"},\"id\":");
    json_int(buf, v.id);
    buf.extend_from_slice(b",\"note\":");
    json_str(buf, v.note);
    buf.extend_from_slice(b",\"referral\":");
    match v.referral {
        Some(r) => json_str(buf, r),
        None => buf.extend_from_slice(b"null"),
    }
    buf.extend_from_slice(b",\"session_id\":");
    json_int(buf, v.session_id);
    buf.extend_from_slice(b",\"session_uid\":");
    json_str(buf, v.session_uid);
    buf.extend_from_slice(b",\"topics\":[");
    for (i, topic) in v.topics.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        json_str(buf, topic);
    }
    buf.extend_from_slice(b"],\"type\":\"visit\",\"uid\":");
    json_str(buf, v.uid);
    buf.extend_from_slice(b",\"updated_at\":");
    json_str(buf, v.updated_at);
    buf.extend_from_slice(b"}\n");
}

/// `s` as a JSON string, as `line` writes it: printable ASCII without `"`
/// or `\\` as it is, anything else escaped by the serializer and then
/// by `text::json_safe`.
fn json_str(buf: &mut Vec<u8>, s: &str) {
    // Without an early exit, so the check runs over many bytes at once.
    let plain = !s.bytes().fold(false, |bad, b| {
        bad | (b.wrapping_sub(0x20) >= 0x5f) | (b == b'"') | (b == b'\\')
    });
    if plain {
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
        return;
    }
    let start = buf.len();
    serde_json::to_writer(&mut *buf, s).expect("a string serializes into memory");
    if buf[start..].iter().any(|b| *b >= 0x7f) {
        let text = std::str::from_utf8(&buf[start..]).expect("serde_json writes UTF-8");
        let safe = crate::text::json_safe(text.to_string());
        buf.truncate(start);
        buf.extend_from_slice(safe.as_bytes());
    }
}

/// An integer in decimal, as the serializer writes it.
fn json_int(buf: &mut Vec<u8>, n: i64) {
    let mut b = [0u8; 20];
    let mut i = b.len();
    let mut u = n.unsigned_abs();
    loop {
        i -= 1;
        b[i] = b'0' + (u % 10) as u8;
        u /= 10;
        if u == 0 {
            break;
        }
    }
    if n < 0 {
        buf.push(b'-');
    }
    buf.extend_from_slice(&b[i..]);
}

/// A session's line, its keys in alphabetical order (as a JSON object of
/// serde_json's writes them).
#[derive(Serialize)]
struct SessionLine<'a> {
    date: Day,
    device: &'a str,
    ended_at: Option<Time>,
    id: i64,
    location: &'a str,
    profile: &'a str,
    started_at: Time,
    #[serde(rename = "type")]
    kind: &'static str,
    uid: &'a str,
    visitors: u32,
}

impl<'a> SessionLine<'a> {
    fn of(s: &'a SessionRecord) -> SessionLine<'a> {
        let d = &s.session;
        SessionLine {
            date: Day(d.date),
            device: &s.device,
            ended_at: d.ended_at.map(Time),
            id: d.id.0,
            location: &d.location,
            profile: &d.profile,
            started_at: Time(d.started_at),
            kind: "session",
            uid: &d.uid,
            visitors: d.visitors,
        }
    }
}

/// A day as `2023-11-14`.
struct Day(NaiveDate);

/// A time as `2023-11-14 10:05:00`.
struct Time(NaiveDateTime);

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut b = [0u8; 10];
        date_digits(self.0, &mut b);
        s.serialize_str(std::str::from_utf8(&b).expect("digits and dashes"))
    }
}

impl Serialize for Time {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let b = time_bytes(self.0);
        s.serialize_str(std::str::from_utf8(&b).expect("digits and colons"))
    }
}

/// `t` as `2023-11-14 10:05:00`.
fn time_bytes(t: NaiveDateTime) -> [u8; 19] {
    let mut b = *b"0000-00-00 00:00:00";
    date_digits(t.date(), &mut b[..10]);
    for (i, n) in [t.hour(), t.minute(), t.second()].into_iter().enumerate() {
        b[11 + 3 * i] = b'0' + (n / 10) as u8;
        b[12 + 3 * i] = b'0' + (n % 10) as u8;
    }
    b
}

/// `YYYY-MM-DD` into `b` (ten bytes), as chrono's `%Y-%m-%d` writes the
/// years 0–9999 tiski keeps.
fn date_digits(d: NaiveDate, b: &mut [u8]) {
    let y = d.year().clamp(0, 9999) as u32;
    let digits = [
        y / 1000,
        y / 100 % 10,
        y / 10 % 10,
        y % 10,
        10,
        d.month() / 10,
        d.month() % 10,
        10,
        d.day() / 10,
        d.day() % 10,
    ];
    for (b, n) in b.iter_mut().zip(digits) {
        *b = if n == 10 { b'-' } else { b'0' + n as u8 };
    }
}

pub fn cancellation_json(c: &Cancellation) -> Value {
    json!({
        "type": "cancelled",
        "uid": c.uid,
        "profile": c.profile,
        "date": c.date.format("%Y-%m-%d").to_string(),
        "cancelled_at": c.cancelled_at.format("%Y-%m-%d %H:%M:%S").to_string(),
    })
}

pub fn tombstone_json(t: &Tombstone) -> Value {
    json!({"type": "deleted", "uid": t.uid, "deleted_at": t.deleted_at})
}

/// The JSONL lines of events, groups, meetings, feedback and head-counts
/// (issue 16), parents before what belongs to them.
pub fn event_lines(e: &EventData) -> Vec<Value> {
    let mut out = Vec::new();
    for r in &e.events {
        let x = &r.entry;
        out.push(json!({
            "type": "event",
            "uid": r.uid,
            "profile": x.profile,
            "date": x.date.format("%Y-%m-%d").to_string(),
            "time": x.time.map(|t| t.format("%H:%M").to_string()),
            "title": x.title,
            "place": x.place,
            "kind": x.kind,
            "partners": x.partners,
            "count": x.count,
            "approx": x.approx,
            "online": x.online,
            "unit": x.unit,
            "updated_at": r.updated_at,
        }));
    }
    for r in &e.groups {
        let g = &r.entry;
        out.push(json!({
            "type": "group",
            "uid": r.uid,
            "profile": g.profile,
            "date": g.date.format("%Y-%m-%d").to_string(),
            "title": g.title,
            "place": g.place,
            "partner": g.partner,
            "target": g.target,
            "paper_meetings": g.paper_meetings,
            "paper_visits": g.paper_visits,
            "updated_at": r.updated_at,
        }));
    }
    for r in &e.meetings {
        out.push(json!({
            "type": "meeting",
            "uid": r.uid,
            "group_uid": r.group_uid,
            "date": r.date.format("%Y-%m-%d").to_string(),
            "count": r.count,
            "updated_at": r.updated_at,
        }));
    }
    for r in &e.feedback {
        let (key, target) = match &r.entry.target {
            crate::events::FeedbackTarget::Event(u) => ("event_uid", u),
            crate::events::FeedbackTarget::Group(u) => ("group_uid", u),
        };
        let mut v = json!({
            "type": "feedback",
            "uid": r.uid,
            "question": r.entry.question,
            "tally": r.entry.tally,
            "updated_at": r.updated_at,
        });
        v[key] = json!(target);
        out.push(v);
    }
    for r in &e.head_counts {
        out.push(json!({
            "type": "head_count",
            "uid": r.uid,
            "session_uid": r.session_uid,
            "at": r.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            "n": r.n,
            "updated_at": r.updated_at,
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DutySession, SessionId, Visit, VisitEntry, VisitId};
    use crate::store::{Pairs, Texts, VisitRecord};

    /// Where a string lies in a text.
    type Span = (usize, usize);

    /// The store's borrowed visit of `v`, its strings laid in `text`.
    fn borrowed<'a>(
        v: &'a VisitRecord,
        text: &'a mut String,
        topics: &'a mut Vec<Span>,
        fields: &'a mut Vec<(Span, Span)>,
    ) -> VisitRef<'a> {
        let mut put = |s: &str| {
            let start = text.len();
            text.push_str(s);
            (start, text.len())
        };
        for t in &v.visit.entry.topics {
            topics.push(put(t));
        }
        for (f, value) in &v.visit.entry.fields {
            fields.push((put(f), put(value)));
        }
        let (text, topics, fields): (&'a String, &'a Vec<_>, &'a Vec<_>) = (text, topics, fields);
        let e = &v.visit.entry;
        VisitRef {
            id: v.visit.id.0,
            uid: &v.visit.uid,
            session_id: v.visit.session.0,
            session_uid: &v.session_uid,
            at: v.visit.at,
            referral: e.referral.as_deref(),
            note: &e.note,
            updated_at: &v.updated_at,
            topics: Texts {
                text,
                spans: topics,
            },
            fields: Pairs {
                text,
                spans: fields,
            },
        }
    }

    /// The lines as the export wrote them before it streamed: a JSON object
    /// of each record (serde_json orders its keys).
    fn as_values(s: &SessionRecord, v: &VisitRecord) -> (String, String) {
        let d = &s.session;
        let session = json!({
            "type": "session",
            "id": d.id.0,
            "uid": d.uid,
            "profile": d.profile,
            "location": d.location,
            "device": s.device,
            "date": d.date.format("%Y-%m-%d").to_string(),
            "started_at": d.started_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            "ended_at": d.ended_at.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string()),
            "visitors": d.visitors,
        });
        let e = &v.visit.entry;
        let visit = json!({
            "type": "visit",
            "id": v.visit.id.0,
            "uid": v.visit.uid,
            "session_id": v.visit.session.0,
            "session_uid": v.session_uid,
            "at": v.visit.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            "topics": e.topics,
            "referral": e.referral,
            "fields": e.fields,
            "note": e.note,
            "updated_at": v.updated_at,
        });
        (session.to_string(), visit.to_string())
    }

    /// An export is one reading of the log: a duty screen saving a visit
    /// while `tiski export` streams (its session a new one, started after
    /// the sessions were written) must not leave a visit line whose session
    /// is not in the file, which `tiski import` refuses whole (unknown
    /// session).
    #[test]
    fn a_visit_saved_while_the_export_streams_comes_with_its_session() {
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let entry = VisitEntry {
            topics: vec!["digituki".into()],
            ..Default::default()
        };
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("tiski.db");
        let mut screen = Store::open(&db).unwrap();
        screen
            .log_visit("ikaihmiset", "Kirjasto", t("2023-11-14 10:00"), &entry)
            .unwrap();
        let export = Store::open(&db).unwrap();
        /// The export's output; the screen saves the next day's first
        /// visit as the first session line is written.
        struct Beside {
            out: Vec<u8>,
            screen: Option<(Store, VisitEntry)>,
        }
        impl Write for Beside {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                if String::from_utf8_lossy(b).contains("\"type\":\"session\"")
                    && let Some((mut s, e)) = self.screen.take()
                {
                    let at = NaiveDateTime::parse_from_str("2023-11-15 10:00", "%Y-%m-%d %H:%M");
                    s.log_visit("ikaihmiset", "Kirjasto", at.unwrap(), &e)
                        .unwrap();
                }
                self.out.extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut out = Beside {
            out: Vec::new(),
            screen: Some((screen, entry)),
        };
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let all = PeriodFilter::all(day("2023-01-01"), day("2023-12-31"));
        write_jsonl(&mut out, &export, &all, "d", "2023-11-16T00:00:00Z").unwrap();
        assert!(out.screen.is_none(), "the screen saved beside the export");
        let lines: Vec<Value> = String::from_utf8(out.out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let of = |kind: &str, key: &str| -> Vec<String> {
            lines
                .iter()
                .filter(|l| l["type"] == kind)
                .map(|l| l[key].as_str().unwrap().to_string())
                .collect()
        };
        let sessions = of("session", "uid");
        for session in of("visit", "session_uid") {
            assert!(
                sessions.contains(&session),
                "a visit of session {session}, which the export leaves out (sessions: {sessions:?})"
            );
        }
    }

    #[test]
    fn lines_are_written_as_the_json_objects_were() {
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        for (at, ended, referral, note) in [
            ("2023-11-14 09:05:07", Some("2023-11-14 12:00:00"), None, ""),
            (
                "0999-01-02 23:59:59",
                None,
                Some("hva"),
                "\"quoted\"\n\u{1b}[31m ä \\ \u{7f}\u{85}\u{202e}x",
            ),
            // Each string needing one escape alone.
            ("2023-11-15 08:00:00", None, Some("a \"b\""), "C:\\tiski"),
        ] {
            let s = SessionRecord {
                session: DutySession {
                    id: SessionId(7),
                    uid: "s-1".into(),
                    profile: "ikaihmiset".into(),
                    location: "Kirjasto\t2".into(),
                    date: t(at).date(),
                    started_at: t(at),
                    ended_at: ended.map(t),
                    visitors: 3,
                },
                device: "d".into(),
            };
            let mut fields = std::collections::BTreeMap::new();
            fields.insert("channel".to_string(), "puhelin".to_string());
            let v = VisitRecord {
                visit: Visit {
                    id: VisitId(12),
                    uid: "v-1".into(),
                    session: SessionId(7),
                    at: t(at),
                    entry: VisitEntry {
                        topics: vec!["digituki".into(), "sote".into()],
                        referral: referral.map(str::to_string),
                        fields,
                        note: note.into(),
                    },
                },
                session_uid: "s-1".into(),
                updated_at: "2023-11-14T08:00:00Z".into(),
            };
            let (session, visit) = as_values(&s, &v);
            assert_eq!(
                serde_json::to_string(&SessionLine::of(&s)).unwrap(),
                session
            );
            let (mut text, mut topics, mut fields) = (String::new(), Vec::new(), Vec::new());
            let r = borrowed(&v, &mut text, &mut topics, &mut fields);
            let mut buf = Vec::new();
            visit_line(&mut buf, &r);
            let expected = crate::text::json_safe(visit) + "\n";
            assert_eq!(String::from_utf8(buf).unwrap(), expected);
        }
    }
}

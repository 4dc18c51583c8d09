//! Every visit of a period streamed for the JSONL export without a record
//! of its own: a batch of visits is read into one text buffer and reused
//! rows (their strings as spans of it), so a visit costs no allocation,
//! and handed over as a [`VisitRef`] borrowing from it.

use chrono::NaiveDateTime;
use rusqlite::Row;
use rusqlite::types::ValueRef;

use super::report::{PARTS_BATCH, PERIOD_WHERE, PeriodFilter, VisitRecord};
use super::{Result, Store, StoreError, parse_time};
use crate::domain::{SessionId, Visit, VisitEntry, VisitId};

/// Where a string lies in a batch's text.
type Span = (usize, usize);

/// A visit in full, as [`Store::each_visit_ref`] hands it over: what a
/// [`super::VisitRecord`] holds, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct VisitRef<'a> {
    pub id: i64,
    pub uid: &'a str,
    pub session_id: i64,
    pub session_uid: &'a str,
    pub at: NaiveDateTime,
    pub referral: Option<&'a str>,
    pub note: &'a str,
    pub updated_at: &'a str,
    /// In their order.
    pub topics: Texts<'a>,
    /// Field and value, by field (as a `BTreeMap` of them orders them).
    pub fields: Pairs<'a>,
}

impl VisitRef<'_> {
    /// The visit as a record of its own.
    pub fn to_record(&self) -> VisitRecord {
        VisitRecord {
            visit: Visit {
                id: VisitId(self.id),
                uid: self.uid.to_string(),
                session: SessionId(self.session_id),
                at: self.at,
                entry: VisitEntry {
                    topics: self.topics.iter().map(str::to_string).collect(),
                    referral: self.referral.map(str::to_string),
                    fields: self
                        .fields
                        .iter()
                        .map(|(f, v)| (f.to_string(), v.to_string()))
                        .collect(),
                    note: self.note.to_string(),
                },
            },
            session_uid: self.session_uid.to_string(),
            updated_at: self.updated_at.to_string(),
        }
    }
}

/// Strings lying in one text, in order.
#[derive(Debug, Clone, Copy)]
pub struct Texts<'a> {
    pub text: &'a str,
    pub spans: &'a [Span],
}

impl<'a> Texts<'a> {
    pub fn iter(self) -> impl ExactSizeIterator<Item = &'a str> {
        self.spans.iter().map(move |&(a, b)| &self.text[a..b])
    }
}

/// Pairs of strings lying in one text, in order.
#[derive(Debug, Clone, Copy)]
pub struct Pairs<'a> {
    pub text: &'a str,
    pub spans: &'a [(Span, Span)],
}

impl<'a> Pairs<'a> {
    pub fn iter(self) -> impl ExactSizeIterator<Item = (&'a str, &'a str)> {
        self.spans
            .iter()
            .map(move |&((a, b), (c, d))| (&self.text[a..b], &self.text[c..d]))
    }
}

/// One visit of a batch, its strings as spans of the batch's text. Kept
/// from batch to batch, so its lists keep their room.
#[derive(Debug, Default)]
struct Slot {
    id: i64,
    session_id: i64,
    at: NaiveDateTime,
    uid: Span,
    session_uid: Span,
    referral: Option<Span>,
    note: Span,
    updated_at: Span,
    topics: Vec<Span>,
    /// Each topic's position, while the batch is read.
    positions: Vec<i64>,
    fields: Vec<(Span, Span)>,
}

/// A batch of visits read together.
#[derive(Debug, Default)]
struct Batch {
    text: String,
    slots: Vec<Slot>,
    len: usize,
}

impl Batch {
    fn put(&mut self, s: &str) -> Span {
        let start = self.text.len();
        self.text.push_str(s);
        (start, self.text.len())
    }

    fn put_at(&mut self, r: &Row<'_>, i: usize) -> rusqlite::Result<Span> {
        let s = r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?;
        Ok(self.put(s))
    }

    /// A row of the visits' query (the columns of `VISITS`).
    fn push(&mut self, r: &Row<'_>) -> rusqlite::Result<()> {
        let id = r.get(0)?;
        let session_id = r.get(2)?;
        let at = parse_time(r, 3)?;
        let uid = self.put_at(r, 1)?;
        let referral = match r.get_ref(4)? {
            ValueRef::Null => None,
            v => Some(self.put(v.as_str().map_err(rusqlite::Error::from)?)),
        };
        let note = self.put_at(r, 5)?;
        let updated_at = self.put_at(r, 6)?;
        let session_uid = self.put_at(r, 7)?;
        if self.len == self.slots.len() {
            self.slots.push(Slot::default());
        }
        let slot = &mut self.slots[self.len];
        self.len += 1;
        slot.topics.clear();
        slot.positions.clear();
        slot.fields.clear();
        (slot.id, slot.session_id, slot.at) = (id, session_id, at);
        (slot.uid, slot.session_uid, slot.referral) = (uid, session_uid, referral);
        (slot.note, slot.updated_at) = (note, updated_at);
        Ok(())
    }

    fn clear(&mut self) {
        self.text.clear();
        self.len = 0;
    }

    fn visit(&self, i: usize) -> VisitRef<'_> {
        fn cut(text: &str, (a, b): Span) -> &str {
            &text[a..b]
        }
        let s = &self.slots[i];
        let text = self.text.as_str();
        VisitRef {
            id: s.id,
            uid: cut(text, s.uid),
            session_id: s.session_id,
            session_uid: cut(text, s.session_uid),
            at: s.at,
            referral: s.referral.map(|r| cut(text, r)),
            note: cut(text, s.note),
            updated_at: cut(text, s.updated_at),
            topics: Texts {
                text,
                spans: &s.topics,
            },
            fields: Pairs {
                text,
                spans: &s.fields,
            },
        }
    }
}

impl Store {
    /// Every visit of the filtered sessions in full, in time order (then
    /// by id), handed to `each` one at a time and borrowed: what the
    /// export of a whole log writes, at the speed of reading it. Its
    /// topics and fields are read a batch at a time.
    pub fn each_visit_ref<E: From<StoreError>>(
        &self,
        f: &PeriodFilter<'_>,
        mut each: impl FnMut(VisitRef<'_>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT v.id, v.uid, v.session_id, v.at, v.referral, v.note, v.updated_at, s.uid
                 FROM sessions s JOIN visits v ON v.session_id = s.id
                 WHERE {PERIOD_WHERE} ORDER BY v.at, v.id"
            ))
            .map_err(StoreError::from)?;
        let mut rows = stmt.query(f.params()).map_err(StoreError::from)?;
        let mut batch = Batch::default();
        loop {
            let row = rows.next().map_err(StoreError::from)?;
            if let Some(r) = row {
                batch.push(r).map_err(StoreError::from)?;
            }
            if batch.len == PARTS_BATCH || (row.is_none() && batch.len > 0) {
                self.fill_slots(&mut batch)?;
                for i in 0..batch.len {
                    each(batch.visit(i))?;
                }
                batch.clear();
            }
            if row.is_none() {
                return Ok(());
            }
        }
    }

    /// Reads the topics (in their order) and fields (by field) of a batch:
    /// by a range of ids when the batch's ids lie close together (a history
    /// saved in time order), else by the list of ids. Both come in the
    /// order of their visits' ids, which a walk along the batch's sorted
    /// ids follows; a visit's topics are put in their order here (one
    /// sort in SQLite for each visit cost more).
    fn fill_slots(&self, batch: &mut Batch) -> Result<()> {
        let mut index: Vec<(i64, usize)> = batch.slots[..batch.len]
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, i))
            .collect();
        index.sort_unstable();
        let lo = index.first().map_or(0, |&(id, _)| id);
        let hi = index.last().map_or(0, |&(id, _)| id);
        let ranged = hi - lo < 4 * batch.len as i64;
        let list = if ranged {
            String::new()
        } else {
            let ids: Vec<i64> = index.iter().map(|&(id, _)| id).collect();
            serde_json::to_string(&ids).expect("numbers serialize")
        };
        let (topics, fields) = if ranged {
            (
                "SELECT visit_id, topic, position FROM visit_topics
                 WHERE visit_id BETWEEN ?1 AND ?2 ORDER BY visit_id",
                "SELECT visit_id, field, value FROM visit_fields WHERE visit_id BETWEEN ?1 AND ?2
                 ORDER BY visit_id, field",
            )
        } else {
            (
                "SELECT visit_id, topic, position FROM visit_topics
                 WHERE visit_id IN (SELECT value FROM json_each(?1)) ORDER BY visit_id",
                "SELECT visit_id, field, value FROM visit_fields
                 WHERE visit_id IN (SELECT value FROM json_each(?1)) ORDER BY visit_id, field",
            )
        };
        let args = rusqlite::params![lo, hi, list];
        let args = if ranged { &args[..2] } else { &args[2..] };
        let mut stmt = self.conn.prepare_cached(topics)?;
        let mut rows = stmt.query(args)?;
        let mut walk = Walk::new(&index);
        while let Some(r) = rows.next()? {
            if let Some(i) = walk.to(r.get(0)?) {
                let topic = batch.put_at(r, 1)?;
                let slot = &mut batch.slots[i];
                slot.topics.push(topic);
                slot.positions.push(r.get(2)?);
            }
        }
        for slot in &mut batch.slots[..batch.len] {
            if !slot.positions.is_sorted() {
                let mut both: Vec<(i64, Span)> = slot
                    .positions
                    .iter()
                    .copied()
                    .zip(slot.topics.iter().copied())
                    .collect();
                both.sort_by_key(|&(p, _)| p);
                slot.topics = both.into_iter().map(|(_, t)| t).collect();
            }
        }
        let mut stmt = self.conn.prepare_cached(fields)?;
        let mut rows = stmt.query(args)?;
        let mut walk = Walk::new(&index);
        while let Some(r) = rows.next()? {
            if let Some(i) = walk.to(r.get(0)?) {
                let field = batch.put_at(r, 1)?;
                let value = batch.put_at(r, 2)?;
                // (visit_id, field) is the table's key: one value a field.
                batch.slots[i].fields.push((field, value));
            }
        }
        Ok(())
    }
}

/// A walk along a batch's ids in their order, to the rows of each that
/// come in the same order.
struct Walk<'a> {
    index: &'a [(i64, usize)],
    at: usize,
}

impl<'a> Walk<'a> {
    fn new(index: &'a [(i64, usize)]) -> Walk<'a> {
        Walk { index, at: 0 }
    }

    /// The slot of visit `id`, if it is in the batch; ids asked for must
    /// not go down.
    fn to(&mut self, id: i64) -> Option<usize> {
        while self.index.get(self.at).is_some_and(|&(i, _)| i < id) {
            self.at += 1;
        }
        match self.index.get(self.at) {
            Some(&(i, slot)) if i == id => Some(slot),
            _ => None,
        }
    }
}

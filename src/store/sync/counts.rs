//! The kept report counts (`visit_counts`, migration 6) during a merge:
//! counted per batch instead of per row. The triggers that count each
//! visit, topic and field as it is written are set aside inside the
//! merge's transaction (and put back, word for word, before it commits,
//! so no other connection ever sees them gone); meanwhile each visit the
//! merge adds, replaces or deletes is counted here under its session's day
//! and desk exactly as `visit_parts` counts it, and the sums are written
//! once per day, desk and option. The outbox's triggers on the same
//! tables are set aside too while the outbox is off (they would write
//! nothing).

use chrono::{Datelike, NaiveDateTime, Timelike};
use foldhash::HashMap;
use rusqlite::Connection;

use super::{aside, rows};

use crate::domain::VisitEntry;

/// The triggers that count a visit's parts row by row.
const ROW_TRIGGERS: &[&str] = &[
    "visit_counts_visit_insert",
    "visit_counts_visit_delete",
    "visit_counts_visit_leave",
    "visit_counts_visit_arrive",
    "visit_counts_topic_insert",
    "visit_counts_topic_delete",
    "visit_counts_topic_update",
    "visit_counts_field_insert",
    "visit_counts_field_delete",
    "visit_counts_field_update",
];

/// The outbox's triggers on the same tables (migration 9): while the
/// outbox is off (no sync yet) they write nothing, but each makes every
/// insert keep a statement journal; set aside with the others then. On,
/// they stay and mark each visit the merge writes.
const OUTBOX_TRIGGERS: &[&str] = &[
    "sync_visits_insert",
    "sync_visits_update",
    "sync_visits_delete",
    "sync_visit_topics_insert",
    "sync_visit_topics_update",
    "sync_visit_topics_delete",
    "sync_visit_fields_insert",
    "sync_visit_fields_update",
    "sync_visit_fields_delete",
];

/// Sums written before the map grows past this many (so memory stays
/// bounded however long the merge).
const FLUSH_AT: usize = if cfg!(test) { 5 } else { 100_000 };

/// A session's day and desk, as `visit_counts` keys them (and orders
/// them: its fields in the key's order).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Desk {
    date: String,
    profile: String,
    location: String,
    device: String,
}

/// What a visit counts under: `visit_parts`' kinds, in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Hour,
    Weekday,
    Referral,
    Topic,
    Field,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Hour => "hour",
            Kind::Weekday => "weekday",
            Kind::Referral => "referral",
            Kind::Topic => "topic",
            Kind::Field => "field",
        }
    }

    /// Its place in the order of the names, as the table's key sorts them.
    fn rank(self) -> u8 {
        match self {
            Kind::Field => 0,
            Kind::Hour => 1,
            Kind::Referral => 2,
            Kind::Topic => 3,
            Kind::Weekday => 4,
        }
    }
}

/// The merge's counting: the row triggers it set aside, the desks of the
/// sessions it met, and the sums not yet written.
#[derive(Default)]
pub(super) struct Counts {
    /// The triggers' names and SQL, once set aside.
    paused: Option<aside::Aside>,
    desks: Vec<Desk>,
    desk_of: HashMap<Desk, u32>,
    session_desk: HashMap<i64, u32>,
    words: Vec<String>,
    word_of: HashMap<String, u32>,
    /// The words of the numbers 0, 1, 2… once met.
    numbers: Vec<Option<u32>>,
    /// (desk, kind, key, value) → the change of its count.
    sums: HashMap<(u32, Kind, u32, u32), i64>,
}

impl Counts {
    /// Sets the row triggers aside (once), before the first write that
    /// would fire them.
    pub(super) fn pause(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        if self.paused.is_some() {
            return Ok(());
        }
        // The merge holds the write lock: the outbox stays as it is.
        let outbox_on: bool =
            conn.query_row("SELECT count(*) > 0 FROM sync_seq", [], |r| r.get(0))?;
        let outbox: &[&str] = if outbox_on { &[] } else { OUTBOX_TRIGGERS };
        let names = ROW_TRIGGERS.iter().chain(outbox).copied();
        self.paused = Some(aside::set_aside(conn, names)?);
        Ok(())
    }

    /// Writes the sums and puts the triggers back, inside the merge's
    /// transaction.
    pub(super) fn finish(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        self.flush(conn)?;
        aside::put_back(conn, self.paused.take())
    }

    /// Counts the visit `entry` at `at` in session `session`: `sign` 1 for
    /// a visit added, -1 for one taken away.
    pub(super) fn visit(
        &mut self,
        conn: &Connection,
        session: i64,
        at: NaiveDateTime,
        entry: &VisitEntry,
        sign: i64,
    ) -> rusqlite::Result<()> {
        let desk = self.desk(conn, session)?;
        let none = self.word("");
        let hour = self.number(at.hour());
        self.add_words(desk, Kind::Hour, hour, none, sign);
        let weekday = self.number(at.weekday().num_days_from_monday());
        self.add_words(desk, Kind::Weekday, weekday, none, sign);
        if let Some(r) = &entry.referral {
            self.add(desk, Kind::Referral, r, "", sign);
        }
        // A topic twice is stored (and counted) once.
        for (i, t) in entry.topics.iter().enumerate() {
            if !entry.topics[..i].contains(t) {
                self.add(desk, Kind::Topic, t, "", sign);
            }
        }
        for (k, v) in &entry.fields {
            self.add(desk, Kind::Field, k, v, sign);
        }
        if self.sums.len() >= FLUSH_AT {
            self.flush(conn)?;
        }
        Ok(())
    }

    /// Tells the desk of a session the merge just wrote (so it is not
    /// read back).
    pub(super) fn know(
        &mut self,
        session: i64,
        date: &str,
        profile: &str,
        location: &str,
        device: &str,
    ) {
        let desk = self.intern_desk(Desk {
            date: date.to_string(),
            profile: profile.to_string(),
            location: location.to_string(),
            device: device.to_string(),
        });
        self.session_desk.insert(session, desk);
    }

    /// Forgets the desk of a session the merge deleted (a session added
    /// after it may take its row id).
    pub(super) fn forget(&mut self, session: i64) {
        self.session_desk.remove(&session);
    }

    fn desk(&mut self, conn: &Connection, session: i64) -> rusqlite::Result<u32> {
        if let Some(d) = self.session_desk.get(&session) {
            return Ok(*d);
        }
        let desk = conn
            .prepare_cached("SELECT date, profile, location, device FROM sessions WHERE id = ?1")?
            .query_row([session], |r| {
                Ok(Desk {
                    date: r.get(0)?,
                    profile: r.get(1)?,
                    location: r.get(2)?,
                    device: r.get(3)?,
                })
            })?;
        let d = self.intern_desk(desk);
        self.session_desk.insert(session, d);
        Ok(d)
    }

    fn intern_desk(&mut self, desk: Desk) -> u32 {
        if let Some(d) = self.desk_of.get(&desk) {
            return *d;
        }
        let d = self.desks.len() as u32;
        self.desk_of.insert(desk.clone(), d);
        self.desks.push(desk);
        d
    }

    fn word(&mut self, w: &str) -> u32 {
        if let Some(i) = self.word_of.get(w) {
            return *i;
        }
        let i = self.words.len() as u32;
        self.word_of.insert(w.to_string(), i);
        self.words.push(w.to_string());
        i
    }

    /// The word of a small number (an hour, a weekday), its text made once.
    fn number(&mut self, n: u32) -> u32 {
        let i = n as usize;
        if let Some(Some(w)) = self.numbers.get(i) {
            return *w;
        }
        let w = self.word(&n.to_string());
        if self.numbers.len() <= i {
            self.numbers.resize(i + 1, None);
        }
        self.numbers[i] = Some(w);
        w
    }

    fn add(&mut self, desk: u32, kind: Kind, key: &str, value: &str, n: i64) {
        let (key, value) = (self.word(key), self.word(value));
        self.add_words(desk, kind, key, value, n);
    }

    fn add_words(&mut self, desk: u32, kind: Kind, key: u32, value: u32, n: i64) {
        *self.sums.entry((desk, kind, key, value)).or_default() += n;
    }

    /// Writes the sums gathered so far, in the table's key order (each
    /// row lands beside the one before), many rows a statement.
    fn flush(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        if self.sums.is_empty() {
            return Ok(());
        }
        let desk_rank = ranks(&self.desks);
        let word_rank = ranks(&self.words);
        let mut sums: Vec<_> = self
            .sums
            .drain()
            .filter(|(_, n)| *n != 0)
            .map(|((desk, kind, key, value), n)| {
                let order = (
                    desk_rank[desk as usize],
                    kind.rank(),
                    word_rank[key as usize],
                    word_rank[value as usize],
                );
                (order, (desk, kind, key, value), n)
            })
            .collect();
        sums.sort_unstable_by_key(|(order, _, _)| *order);
        let (desks, words) = (&self.desks, &self.words);
        rows::Insert {
            head: "INSERT INTO visit_counts(date, profile, location, device, kind, key, value, n)",
            cols: 8,
            tail: "ON CONFLICT DO UPDATE SET n = n + excluded.n",
        }
        .run(
            conn,
            sums.len(),
            |s, p, i| {
                let (_, (desk, kind, key, value), n) = sums[i];
                let d = &desks[desk as usize];
                s.raw_bind_parameter(p, &d.date)?;
                s.raw_bind_parameter(p + 1, &d.profile)?;
                s.raw_bind_parameter(p + 2, &d.location)?;
                s.raw_bind_parameter(p + 3, &d.device)?;
                s.raw_bind_parameter(p + 4, kind.name())?;
                s.raw_bind_parameter(p + 5, &words[key as usize])?;
                s.raw_bind_parameter(p + 6, &words[value as usize])?;
                s.raw_bind_parameter(p + 7, n)
            },
            |_| Ok(()),
        )?;
        // The desks go with the sums (a session met again is read again),
        // so memory stays bounded however many sessions; the words stay
        // few.
        self.desks.clear();
        self.desk_of.clear();
        self.session_desk.clear();
        Ok(())
    }
}

/// Each item's place in the sorted order of them all.
fn ranks<T: Ord>(items: &[T]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..items.len() as u32).collect();
    order.sort_unstable_by(|a, b| items[*a as usize].cmp(&items[*b as usize]));
    let mut rank = vec![0; items.len()];
    for (r, i) in order.into_iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    rank
}

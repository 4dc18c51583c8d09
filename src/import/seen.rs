//! The uids and sessions an import has read so far, in bounded memory
//! however long the file: the latest of them in memory, the older ones
//! in a private temporary SQLite database (SQLite's own: made with no
//! name, removed by SQLite when it closes, never beside the log), told
//! apart from new ones by a Bloom filter in memory, so that a new uid
//! costs a look into that database only when the filter cannot tell. A
//! UUID above every one sent there (an export's UUIDv7 uids come in the
//! order they were made) is new without either. Sessions' uids are kept
//! apart from the others' ([`Lane`]), each with its filter and its
//! greatest UUID: an export writes every session first, and their
//! newest uid would otherwise stand above nearly every visit's.

use std::hash::BuildHasher;

use foldhash::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};

/// Uids held in memory before they go to the temporary database (a
/// UUID takes 16 bytes: their hash table, about 1 MB, stays in the
/// cache, which each new uid's look-up reads at random).
const UIDS_KEPT: usize = if cfg!(test) { 4 } else { 1 << 15 };
/// Uids written to the temporary database a statement at a time.
const SPILL_ROWS: usize = if cfg!(test) { 3 } else { 256 };
/// Sessions held in memory likewise.
const SESSIONS_KEPT: usize = if cfg!(test) { 3 } else { 1 << 16 };
/// Sessions found lately, kept to be found again without a look into
/// the temporary database (a day's visits name a few dozen sessions, in
/// turn).
const FOUND_KEPT: usize = if cfg!(test) { 2 } else { 1 << 12 };
/// The Bloom filters' bits (8 MB for the uids of visits and the rest,
/// 512 KB for sessions', fewer: a cache's worth, as every visit's uid is
/// looked for there) and the bits each uid sets, all in one 64-bit word
/// of them.
const BLOOM_BITS: usize = if cfg!(test) { 1 << 10 } else { 1 << 26 };
const SESSION_BLOOM_BITS: usize = if cfg!(test) { 1 << 9 } else { 1 << 22 };
const BLOOM_HASHES: u64 = 4;

/// A uid, kept small: a UUID in its usual form as its 128 bits (two such
/// texts are equal exactly when their bits are), any other as its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Uid {
    Uuid(u128),
    Text(Box<str>),
}

impl Uid {
    pub fn of(s: &str) -> Uid {
        match canonical_uuid(s) {
            Some(bits) => Uid::Uuid(bits),
            None => Uid::Text(s.into()),
        }
    }

    /// Its key in the temporary database: a UUID's bits and a text apart.
    fn key(&self) -> Vec<u8> {
        match self {
            Uid::Uuid(bits) => uuid_key(*bits).to_vec(),
            Uid::Text(t) => [&[1u8][..], t.as_bytes()].concat(),
        }
    }
}

/// A UUID's key in the temporary database: its bits, big-endian, after a
/// 0 (a text's key starts with 1), so that keys sort as the bits do.
fn uuid_key(bits: u128) -> [u8; 17] {
    let mut k = [0u8; 17];
    k[1..].copy_from_slice(&bits.to_be_bytes());
    k
}

/// The bits of a UUID written as tiski writes them (lowercase, hyphens at
/// 8, 13, 18 and 23); `None` for any other text.
fn canonical_uuid(s: &str) -> Option<u128> {
    let b = s.as_bytes();
    if b.len() != 36 {
        return None;
    }
    let mut bits: u128 = 0;
    for (i, &c) in b.iter().enumerate() {
        let digit = match c {
            b'-' if matches!(i, 8 | 13 | 18 | 23) => continue,
            b'0'..=b'9' if !matches!(i, 8 | 13 | 18 | 23) => c - b'0',
            b'a'..=b'f' if !matches!(i, 8 | 13 | 18 | 23) => c - b'a' + 10,
            _ => return None,
        };
        bits = bits << 4 | u128::from(digit);
    }
    Some(bits)
}

/// A session as the checks need it: its day and its profile (its place
/// in the config's profiles).
pub type SessionDay = (NaiveDate, Option<u32>);

/// Whose uid is noted: a session's, or any other record's. Each kind
/// keeps its uids apart in memory and in its filter, and a uid is new
/// only if neither kind has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    Session,
    Other,
}

/// The uids of one [`Lane`]: the latest in memory, the rest behind a
/// Bloom filter and the greatest UUID sent to the temporary database.
struct Uids {
    uuids: HashSet<u128>,
    texts: HashSet<Box<str>>,
    /// Over the uids in the temporary database (empty until the first
    /// goes there).
    bloom: Vec<u64>,
    bloom_bits: usize,
    /// The greatest UUID in the temporary database: a greater one is
    /// not there.
    spilled_max: Option<u128>,
}

impl Uids {
    fn new(bloom_bits: usize) -> Uids {
        Uids {
            uuids: HashSet::default(),
            texts: HashSet::default(),
            bloom: Vec::new(),
            bloom_bits,
            spilled_max: None,
        }
    }

    fn len(&self) -> usize {
        self.uuids.len() + self.texts.len()
    }

    fn holds(&self, uid: &Uid) -> bool {
        match uid {
            Uid::Uuid(bits) => !self.uuids.is_empty() && self.uuids.contains(bits),
            Uid::Text(t) => !self.texts.is_empty() && self.texts.contains(t),
        }
    }

    /// Where a uid hashed `h` stands in the Bloom filter: one word of it
    /// (one look into memory, not one for each bit), and the bits it sets
    /// there.
    fn bloom_bits(&self, h: u64) -> (usize, u64) {
        let word = (h as usize) % (self.bloom_bits / 64);
        let bits = h >> 32;
        let mask = (0..BLOOM_HASHES).fold(0u64, |m, i| m | 1 << ((bits >> (6 * i)) & 63));
        (word, mask)
    }

    /// Whether `uid` may be in the temporary database.
    fn maybe_spilled(&self, uid: &Uid, hasher: &foldhash::quality::RandomState) -> bool {
        if let Uid::Uuid(bits) = uid
            && self.spilled_max.is_none_or(|max| *bits > max)
        {
            return false;
        }
        if self.bloom.is_empty() {
            return false;
        }
        let (word, mask) = self.bloom_bits(hasher.hash_one(uid));
        self.bloom[word] & mask == mask
    }
}

/// What an import has read so far.
pub struct Seen {
    /// Sessions' uids, and every other record's.
    session_uids: Uids,
    other_uids: Uids,
    sessions: HashMap<Uid, SessionDay>,
    /// The sessions found lately: a day's visits name the same few
    /// sessions again and again (which, past the sessions kept in memory,
    /// would each ask the temporary database).
    found: HashMap<Uid, SessionDay>,
    hasher: foldhash::quality::RandomState,
    spilled_sessions: bool,
    db: Option<Connection>,
}

impl Default for Seen {
    fn default() -> Seen {
        Seen {
            session_uids: Uids::new(SESSION_BLOOM_BITS),
            other_uids: Uids::new(BLOOM_BITS),
            sessions: HashMap::default(),
            found: HashMap::default(),
            hasher: Default::default(),
            spilled_sessions: false,
            db: None,
        }
    }
}

impl Seen {
    /// Notes `uid` as read, a uid of `lane`: whether it was not read
    /// before (in either lane).
    pub fn new_uid(&mut self, uid: &str, lane: Lane) -> rusqlite::Result<bool> {
        let uid = Uid::of(uid);
        if self.session_uids.holds(&uid) || self.other_uids.holds(&uid) {
            return Ok(false);
        }
        let maybe = self.session_uids.maybe_spilled(&uid, &self.hasher)
            || self.other_uids.maybe_spilled(&uid, &self.hasher);
        if maybe && self.spilled(&uid)? {
            return Ok(false);
        }
        let uids = match lane {
            Lane::Session => &mut self.session_uids,
            Lane::Other => &mut self.other_uids,
        };
        match uid {
            Uid::Uuid(bits) => uids.uuids.insert(bits),
            Uid::Text(t) => uids.texts.insert(t),
        };
        if self.session_uids.len() + self.other_uids.len() >= UIDS_KEPT {
            self.spill_uids()?;
        }
        Ok(true)
    }

    /// Notes a session read.
    pub fn add_session(&mut self, uid: &str, day: SessionDay) -> rusqlite::Result<()> {
        let uid = Uid::of(uid);
        self.found.remove(&uid);
        self.sessions.insert(uid, day);
        if self.sessions.len() >= SESSIONS_KEPT {
            self.spill_sessions()?;
        }
        Ok(())
    }

    /// The session `uid` names, if it was read.
    pub fn session(&mut self, uid: &str) -> rusqlite::Result<Option<SessionDay>> {
        let uid = Uid::of(uid);
        if let Some(day) = self.found.get(&uid) {
            return Ok(Some(*day));
        }
        let day = self.find_session(&uid)?;
        if let Some(day) = day {
            if self.found.len() >= FOUND_KEPT {
                self.found.clear();
            }
            self.found.insert(uid, day);
        }
        Ok(day)
    }

    fn find_session(&mut self, uid: &Uid) -> rusqlite::Result<Option<SessionDay>> {
        if let Some(day) = self.sessions.get(uid) {
            return Ok(Some(*day));
        }
        if !self.spilled_sessions {
            return Ok(None);
        }
        let day: Option<(i32, Option<u32>)> = self
            .db()?
            .prepare_cached("SELECT day, profile FROM sessions WHERE k = ?1")?
            .query_row([uid.key()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(day.and_then(|(d, p)| Some((NaiveDate::from_num_days_from_ce_opt(d)?, p))))
    }

    fn spilled(&mut self, uid: &Uid) -> rusqlite::Result<bool> {
        Ok(self
            .db()?
            .prepare_cached("SELECT 1 FROM uids WHERE k = ?1")?
            .query_row([uid.key()], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Moves the uids in memory, of both lanes, into the temporary
    /// database.
    fn spill_uids(&mut self) -> rusqlite::Result<()> {
        let mut uuids: Vec<u128> = Vec::new();
        let mut texts: Vec<Box<str>> = Vec::new();
        for lane in [&mut self.session_uids, &mut self.other_uids] {
            if lane.len() == 0 {
                continue;
            }
            let max = lane.uuids.iter().copied().max();
            lane.spilled_max = lane.spilled_max.max(max);
            if lane.bloom.is_empty() {
                lane.bloom = vec![0; lane.bloom_bits / 64];
            }
            let (u, t) = (uuids.len(), texts.len());
            uuids.extend(lane.uuids.drain());
            texts.extend(lane.texts.drain());
            let lane_uids = (uuids[u..].iter().map(|b| Uid::Uuid(*b)))
                .chain(texts[t..].iter().map(|t| Uid::Text(t.clone())));
            for uid in lane_uids {
                let (word, mask) = lane.bloom_bits(self.hasher.hash_one(&uid));
                lane.bloom[word] |= mask;
            }
            // Their room is kept for the next ones (a megabyte at most).
        }
        // The keys in their order, UUIDs' (by their bits) before texts'
        // (`Uid::key`), without an allocation for each UUID's.
        uuids.sort_unstable();
        let uuid_keys: Vec<[u8; 17]> = uuids.iter().map(|b| uuid_key(*b)).collect();
        let mut text_keys: Vec<Vec<u8>> = texts.into_iter().map(|t| Uid::Text(t).key()).collect();
        text_keys.sort_unstable();
        let keys: Vec<&[u8]> = (uuid_keys.iter().map(|k| &k[..]))
            .chain(text_keys.iter().map(Vec::as_slice))
            .collect();
        let db = self.db()?;
        let tx = db.unchecked_transaction()?;
        {
            // Many keys a statement: a step, a reset and a call a key
            // took more than the key's own insert.
            let rows = ["(?)"; SPILL_ROWS].join(", ");
            let mut many = tx.prepare_cached(&format!("INSERT INTO uids(k) VALUES {rows}"))?;
            let mut chunks = keys.chunks_exact(SPILL_ROWS);
            for chunk in &mut chunks {
                for (i, k) in chunk.iter().enumerate() {
                    many.raw_bind_parameter(i + 1, k)?;
                }
                many.raw_execute()?;
            }
            let mut one = tx.prepare_cached("INSERT INTO uids(k) VALUES (?1)")?;
            for k in chunks.remainder() {
                one.execute([k])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Moves the sessions in memory into the temporary database.
    fn spill_sessions(&mut self) -> rusqlite::Result<()> {
        let mut rows: Vec<(Vec<u8>, SessionDay)> =
            self.sessions.drain().map(|(u, d)| (u.key(), d)).collect();
        rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let db = self.db()?;
        let tx = db.unchecked_transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO sessions(k, day, profile) VALUES (?1, ?2, ?3)
                 ON CONFLICT(k) DO UPDATE SET day = excluded.day, profile = excluded.profile",
            )?;
            for (k, (day, profile)) in rows {
                insert.execute(params![k, day.num_days_from_ce(), profile])?;
            }
        }
        tx.commit()?;
        self.sessions.shrink_to_fit();
        self.spilled_sessions = true;
        Ok(())
    }

    /// The temporary database, made when first needed.
    fn db(&mut self) -> rusqlite::Result<&Connection> {
        if self.db.is_none() {
            // No name: a private temporary database, which SQLite removes
            // as it closes it.
            let db = Connection::open("")?;
            db.execute_batch(
                "PRAGMA journal_mode = OFF;
                 PRAGMA synchronous = OFF;
                 CREATE TABLE uids(k BLOB PRIMARY KEY) WITHOUT ROWID;
                 CREATE TABLE sessions(k BLOB PRIMARY KEY, day INTEGER NOT NULL, profile INTEGER)
                     WITHOUT ROWID;",
            )?;
            self.db = Some(db);
        }
        Ok(self.db.as_ref().expect("made above"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Past the uids and sessions kept in memory, the older ones are
    /// still told apart from new ones: a repeat is a repeat however far
    /// back the first was.
    #[test]
    fn old_uids_and_sessions_are_still_known() {
        let mut seen = Seen::default();
        let uid = |i: u32| {
            if i.is_multiple_of(3) {
                format!("text-{i}")
            } else {
                format!("018bce6a-0000-7000-8000-{i:012x}")
            }
        };
        let day = |i: u32| {
            (
                NaiveDate::from_num_days_from_ce_opt(738_000 + i as i32).unwrap(),
                Some(i % 2),
            )
        };
        for i in 0..200 {
            assert!(seen.new_uid(&uid(i), Lane::Other).unwrap(), "{i} is new");
            seen.add_session(&uid(i), day(i)).unwrap();
        }
        assert!(seen.db.is_some(), "some went to the temporary database");
        for i in 0..200 {
            assert!(
                !seen.new_uid(&uid(i), Lane::Other).unwrap(),
                "{i} is a repeat"
            );
            assert_eq!(seen.session(&uid(i)).unwrap(), Some(day(i)), "{i}");
        }
        // The same bits in another form, and one text like a UUID's bytes.
        assert!(
            seen.new_uid("018BCE6A-0000-7000-8000-000000000001", Lane::Other)
                .unwrap()
        );
        assert!(seen.new_uid("new", Lane::Other).unwrap());
        assert_eq!(seen.session("new").unwrap(), None);
        assert_eq!(seen.session(&uid(1000)).unwrap(), None);
        // A session noted again is what it was noted last, asked for
        // right after it was found.
        assert_eq!(seen.session(&uid(7)).unwrap(), Some(day(7)));
        seen.add_session(&uid(7), day(8)).unwrap();
        assert_eq!(seen.session(&uid(7)).unwrap(), Some(day(8)));
    }

    /// A day's visits name its sessions in turn: each look-up finds its
    /// own session's day, whether it is in memory, in the temporary
    /// database or among those found lately, however many are asked for.
    #[test]
    fn sessions_asked_for_in_turn_are_each_their_own() {
        let mut seen = Seen::default();
        let uid = |i: u32| format!("018bce6a-0000-7000-8000-{i:012x}");
        let day = |i: u32| {
            (
                NaiveDate::from_num_days_from_ce_opt(738_000 + i as i32).unwrap(),
                Some(i % 3),
            )
        };
        for i in 0..12 {
            seen.add_session(&uid(i), day(i)).unwrap();
        }
        for round in 0..4 {
            for i in (0..12).rev().chain(0..12).chain([5, 1, 5, 11, 1, 0]) {
                assert_eq!(
                    seen.session(&uid(i)).unwrap(),
                    Some(day(i)),
                    "session {i} in round {round}"
                );
            }
        }
        assert_eq!(seen.session(&uid(12)).unwrap(), None);
    }

    /// UUIDs above every one in the temporary database are new without a
    /// look there; the greatest one there, and those below it, are still
    /// repeats, whatever came in between.
    #[test]
    fn the_newest_uuid_sent_to_the_temporary_database_is_still_a_repeat() {
        let mut seen = Seen::default();
        let uuid = |i: u32| format!("018bce6a-0000-7000-8000-{i:012x}");
        for i in 1..=UIDS_KEPT as u32 {
            assert!(seen.new_uid(&uuid(i), Lane::Other).unwrap(), "{i} is new");
        }
        assert!(
            seen.other_uids.uuids.is_empty(),
            "all went to the temporary database"
        );
        let max = UIDS_KEPT as u32;
        assert!(
            !seen.new_uid(&uuid(max), Lane::Other).unwrap(),
            "the newest is a repeat"
        );
        assert!(
            seen.new_uid(&uuid(max + 1), Lane::Other).unwrap(),
            "one above is new"
        );
        assert!(
            !seen.new_uid(&uuid(max), Lane::Other).unwrap(),
            "still a repeat"
        );
        assert!(
            !seen.new_uid(&uuid(1), Lane::Other).unwrap(),
            "the oldest is a repeat"
        );
        assert!(
            seen.new_uid(&uuid(0), Lane::Other).unwrap(),
            "one below, never read, is new"
        );
    }

    /// A uid is a repeat whichever kind of record had it first, however
    /// far back (sessions' uids and the others' are kept apart, and an
    /// export writes its sessions first, their uids above most visits').
    #[test]
    fn a_uid_is_a_repeat_across_sessions_and_visits() {
        let mut seen = Seen::default();
        let uuid = |i: u32| format!("018bce6a-0000-7000-8000-{i:012x}");
        // Sessions first, their uids above every visit's.
        let sessions = 10 * UIDS_KEPT as u32;
        for i in 0..sessions {
            assert!(seen.new_uid(&uuid(1000 + i), Lane::Session).unwrap());
        }
        for i in 0..100 {
            assert!(
                seen.new_uid(&uuid(i), Lane::Other).unwrap(),
                "visit {i} is new"
            );
        }
        // A visit with a session's uid, spilled or not, and a session with
        // a visit's.
        for i in [0, 1, sessions / 2, sessions - 1] {
            assert!(
                !seen.new_uid(&uuid(1000 + i), Lane::Other).unwrap(),
                "a visit with session {i}'s uid"
            );
        }
        for i in [0, 1, 50, 99] {
            assert!(
                !seen.new_uid(&uuid(i), Lane::Session).unwrap(),
                "a session with visit {i}'s uid"
            );
        }
        for (uid, lane) in [("text-1", Lane::Session), ("text-2", Lane::Other)] {
            assert!(seen.new_uid(uid, lane).unwrap());
        }
        for n in 0..UIDS_KEPT {
            assert!(seen.new_uid(&format!("filler-{n}"), Lane::Other).unwrap());
        }
        assert!(!seen.new_uid("text-1", Lane::Other).unwrap());
        assert!(!seen.new_uid("text-2", Lane::Session).unwrap());
    }
}

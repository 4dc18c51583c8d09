//! Fixtures for the store's unit tests: visits and head-counts written
//! directly, as if checked, with a fixed change stamp. Test code only.

use chrono::NaiveDateTime;

use super::{Result, Store, Target};
use crate::checked::{Attendance, Checked, HeadCountSize, for_tests};
use crate::clock::{Now, Stamp};
use crate::domain::{SessionId, Visit, VisitEntry, VisitId};

/// The change stamp of a fixture.
pub fn stamp() -> Stamp {
    Now::at(NaiveDateTime::parse_from_str("2023-11-14 12:00", "%Y-%m-%d %H:%M").expect("a time"))
        .stamp()
}

/// The real wall clock, for files' ages.
pub fn wall() -> std::time::SystemTime {
    Now::read().utc.into()
}

/// The clock of a fixture's write.
pub fn clock() -> Now {
    Now::at(NaiveDateTime::parse_from_str("2023-11-14 12:00", "%Y-%m-%d %H:%M").expect("a time"))
}

pub fn ok<T>(t: T) -> Checked<T> {
    for_tests(t)
}

pub fn attendance(n: u32) -> Checked<Attendance> {
    for_tests(Attendance(n))
}

pub fn head_count(n: u32) -> Checked<HeadCountSize> {
    for_tests(HeadCountSize(n))
}

impl Store {
    pub fn add_visit(
        &mut self,
        session: SessionId,
        at: NaiveDateTime,
        entry: &VisitEntry,
    ) -> Result<Visit> {
        self.save_visit(
            Target::Session(session),
            at,
            &ok(entry.clone()),
            None,
            &stamp(),
        )
    }

    pub fn log_visit(
        &mut self,
        profile: &str,
        location: &str,
        at: NaiveDateTime,
        entry: &VisitEntry,
    ) -> Result<Visit> {
        self.save_visit(
            Target::Day { profile, location },
            at,
            &ok(entry.clone()),
            None,
            &stamp(),
        )
    }

    pub fn add_visit_from_form(
        &mut self,
        profile: &str,
        session: SessionId,
        at: NaiveDateTime,
        entry: &VisitEntry,
    ) -> Result<Visit> {
        self.save_visit(
            Target::Session(session),
            at,
            &ok(entry.clone()),
            Some(profile),
            &stamp(),
        )
    }

    pub fn log_head_count_for_tests(
        &mut self,
        profile: &str,
        location: &str,
        at: NaiveDateTime,
        n: u32,
    ) -> Result<crate::events::HeadCount> {
        self.add_head_count(
            Target::Day { profile, location },
            at,
            head_count(n),
            &stamp(),
        )
    }

    pub fn update_visit_at(
        &mut self,
        id: VisitId,
        entry: &VisitEntry,
        at: Option<NaiveDateTime>,
    ) -> Result<()> {
        self.update_visit(id, &ok(entry.clone()), at, &stamp())
    }
}

/// The bytes of a file a store of this process may have open (the
/// database, its `-wal`). On Unix they are read by another process (`cat`):
/// opening and closing any descriptor of the file here would drop the
/// process's POSIX locks on it, SQLite's included (SQLite's "How To
/// Corrupt", 2.2). On Windows a lock is its handle's: read here.
#[cfg(unix)]
pub fn read_live(path: &std::path::Path) -> Option<Vec<u8>> {
    std::process::Command::new("cat")
        .arg(path)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| o.stdout)
}

/// [`read_live`] on Windows: read here.
#[cfg(not(unix))]
pub fn read_live(path: &std::path::Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

/// Whether the file at `path` holds `needle`, read by [`read_live`].
pub fn file_holds(path: &std::path::Path, needle: &[u8]) -> bool {
    read_live(path).is_some_and(|b| b.windows(needle.len()).any(|w| w == needle))
}

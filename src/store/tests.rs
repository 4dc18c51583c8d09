//! Store tests on in-memory and temporary databases.

use super::*;
use crate::domain::VisitEntry;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn entry(topics: &[&str]) -> VisitEntry {
    VisitEntry {
        topics: topics.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

#[test]
fn visits_round_trip_with_topics_fields_and_note() {
    let mut s = Store::open_in_memory().unwrap();
    let (session, created) = s
        .open_session("ikaihmiset", "Kirjasto", t("2023-11-14 10:00"))
        .unwrap();
    assert!(created);
    let mut e = entry(&["digituki", "liukuesteet"]);
    e.referral = Some("hva".into());
    e.fields.insert("channel".into(), "puhelin".into());
    e.note = "rtl \u{202e} emoji 🧊 \x1b[31m".into();
    let v = s.add_visit(session.id, t("2023-11-14 10:41"), &e).unwrap();
    let back = s.visit(v.id).unwrap();
    assert_eq!(back, v);
    assert_eq!(back.entry, e);
    assert_eq!(s.session(session.id).unwrap().visitors, 1);
}

#[test]
fn reopening_continues_todays_session_per_profile_and_location() {
    let mut s = Store::open_in_memory().unwrap();
    let (a, _) = s
        .open_session("ikaihmiset", "Kirjasto", t("2023-11-14 10:00"))
        .unwrap();
    s.close_session(a.id, t("2023-11-14 10:30")).unwrap();
    let (again, created) = s
        .open_session("ikaihmiset", "Kirjasto", t("2023-11-14 11:00"))
        .unwrap();
    assert!(!created);
    assert_eq!(again.id, a.id);
    assert_eq!(again.ended_at, None, "continuing reopens it");
    let (other, created) = s
        .open_session("ikaihmiset", "Spot", t("2023-11-14 11:00"))
        .unwrap();
    assert!(created);
    assert_ne!(other.id, a.id);
    let (next_day, created) = s
        .open_session("ikaihmiset", "Kirjasto", t("2023-11-28 10:00"))
        .unwrap();
    assert!(created);
    assert_ne!(next_day.id, a.id);
}

#[test]
fn a_new_session_ends_the_current_one_and_takes_over() {
    let mut s = Store::open_in_memory().unwrap();
    let (a, _) = s
        .open_session("ikaihmiset", "Kirjasto", t("2023-11-14 10:00"))
        .unwrap();
    let b = s.start_new_session(a.id, t("2023-11-14 14:00")).unwrap();
    assert_eq!(
        s.session(a.id).unwrap().ended_at,
        Some(t("2023-11-14 14:00"))
    );
    let (c, created) = s
        .open_session("ikaihmiset", "Kirjasto", t("2023-11-14 15:00"))
        .unwrap();
    assert!(!created);
    assert_eq!(c.id, b.id, "reopening continues the newest session");
}

#[test]
fn counters_and_average_include_empty_sessions() {
    let mut s = Store::open_in_memory().unwrap();
    // Last year's session must not count in this year's average.
    let (old, _) = s
        .open_session("ikaihmiset", "Kirjasto", t("2022-12-13 10:00"))
        .unwrap();
    s.add_visit(old.id, t("2022-12-13 10:10"), &entry(&["muu"]))
        .unwrap();
    let (empty, _) = s
        .open_session("ikaihmiset", "Kirjasto", t("2023-10-31 10:00"))
        .unwrap();
    s.close_session(empty.id, t("2023-10-31 12:00")).unwrap();
    // Another profile does not count either.
    let (other, _) = s
        .open_session("kotouttaminen", "HeiMo-kahvila", t("2023-11-14 13:00"))
        .unwrap();
    s.add_visit(other.id, t("2023-11-14 13:10"), &entry(&["tyo"]))
        .unwrap();
    let (today, _) = s
        .open_session("ikaihmiset", "Kirjasto", t("2023-11-14 10:00"))
        .unwrap();
    for m in ["10:05", "10:20", "10:41"] {
        s.add_visit(
            today.id,
            t(&format!("2023-11-14 {m}")),
            &entry(&["digituki"]),
        )
        .unwrap();
    }
    let (session, c) = s.counters(today.id, today.date).unwrap();
    assert_eq!(session.visitors, 3, "as stored now");
    assert_eq!(c.session, 3);
    assert_eq!(c.today, 3);
    assert_eq!(
        c.year,
        crate::report::SessionStats {
            sessions: 2,
            visitors: 3
        }
    );
    assert_eq!(c.year.mean(), Some(1.5));
}

#[test]
fn undo_and_delete_keep_the_count_right() {
    let mut s = Store::open_in_memory().unwrap();
    let (session, _) = s
        .open_session("ikaihmiset", "Kirjasto", t("2023-11-14 10:00"))
        .unwrap();
    let first = s
        .add_visit(session.id, t("2023-11-14 10:05"), &entry(&["sote"]))
        .unwrap();
    let second = s
        .add_visit(session.id, t("2023-11-14 10:06"), &entry(&["digituki"]))
        .unwrap();
    assert_eq!(s.last_visit_in(session.id).unwrap().unwrap().id, second.id);
    s.delete_visit(second.id, &crate::store::test_support::clock())
        .unwrap();
    assert_eq!(s.last_visit_in(session.id).unwrap().unwrap().id, first.id);
    assert_eq!(s.session(session.id).unwrap().visitors, 1);
    s.delete_visit(first.id, &crate::store::test_support::clock())
        .unwrap();
    assert_eq!(s.last_visit_in(session.id).unwrap(), None);
    assert_eq!(s.session(session.id).unwrap().visitors, 0);
    assert!(
        s.delete_visit(first.id, &crate::store::test_support::clock())
            .is_err(),
        "deleting twice is an error"
    );
}

#[test]
fn editing_replaces_topics_fields_and_note() {
    let mut s = Store::open_in_memory().unwrap();
    let (session, _) = s
        .open_session("ikaihmiset", "Kirjasto", t("2023-11-14 10:00"))
        .unwrap();
    let mut e = entry(&["sote"]);
    e.fields.insert("age_band".into(), "75_84".into());
    let v = s.add_visit(session.id, t("2023-11-14 10:05"), &e).unwrap();
    let mut changed = entry(&["digituki", "muu"]);
    changed.note = "printer".into();
    s.update_visit(
        v.id,
        &crate::store::test_support::ok((changed).clone()),
        None,
        &crate::store::test_support::stamp(),
    )
    .unwrap();
    let back = s.visit(v.id).unwrap();
    assert_eq!(back.entry, changed);
    assert_eq!(back.at, v.at);
    assert_eq!(s.session(session.id).unwrap().visitors, 1);
}

#[test]
fn logged_visits_join_or_create_that_days_session() {
    let mut s = Store::open_in_memory().unwrap();
    let a = s
        .session_for_log("ikaihmiset", "Kirjasto", t("2023-11-14 10:30"))
        .unwrap();
    assert_eq!(a.ended_at, Some(t("2023-11-14 10:30")));
    let b = s
        .session_for_log("ikaihmiset", "Kirjasto", t("2023-11-14 10:05"))
        .unwrap();
    assert_eq!(a.id, b.id);
    assert_eq!(b.started_at, t("2023-11-14 10:05"));
    let c = s
        .session_for_log("ikaihmiset", "Kirjasto", t("2023-11-14 11:50"))
        .unwrap();
    assert_eq!(c.ended_at, Some(t("2023-11-14 11:50")));
    assert_eq!(
        s.sessions_on(Some("ikaihmiset"), t("2023-11-14 00:00").date())
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn an_empty_session_can_be_discarded_but_not_one_with_visits() {
    let mut s = Store::open_in_memory().unwrap();
    let (a, _) = s
        .open_session("ikaihmiset", "Spot", t("2023-11-14 10:00"))
        .unwrap();
    let (b, _) = s
        .open_session("ikaihmiset", "Kirjasto", t("2023-11-14 10:00"))
        .unwrap();
    s.add_visit(b.id, t("2023-11-14 10:05"), &entry(&["sote"]))
        .unwrap();
    assert!(
        s.discard_empty_session(a.id, &crate::store::test_support::stamp())
            .unwrap()
    );
    assert!(
        !s.discard_empty_session(b.id, &crate::store::test_support::stamp())
            .unwrap()
    );
    assert_eq!(s.sessions_on(None, b.date).unwrap().len(), 1);
}

/// Where there is no log, `open_on_write` makes none until the first
/// write, which lands in the file (WAL, full sync) and reads back after a
/// reopen; a write past `writable` is refused, never kept in memory only.
#[test]
fn a_log_opened_on_write_is_made_by_the_first_write_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("tiski.db");
    let mut s = Store::open_on_write(&path).unwrap();
    assert_eq!(s.path(), Some(path.as_path()));
    assert!(s.setting("language").unwrap().is_none());
    assert!(
        s.find_session("ikaihmiset", "Kirjasto", t("2023-11-14 10:00").date())
            .unwrap()
            .is_none()
    );
    assert!(!path.parent().unwrap().exists(), "reading made nothing");
    let missed = s
        .conn
        .execute("INSERT INTO settings(key, value) VALUES ('x', 'y')", []);
    assert!(missed.is_err(), "the stand-in takes no write");
    let (session, _) = s
        .open_session("ikaihmiset", "Kirjasto", t("2023-11-14 10:00"))
        .unwrap();
    s.add_visit(session.id, t("2023-11-14 10:41"), &entry(&["digituki"]))
        .unwrap();
    assert!(path.exists(), "the first write made the file");
    let sync: i64 = s
        .conn
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 2, "FULL");
    drop(s);
    let s = Store::open(&path).unwrap();
    assert_eq!(s.session(session.id).unwrap().visitors, 1);
    // An existing log is opened as it is.
    let s = Store::open_on_write(&path).unwrap();
    assert_eq!(s.session(session.id).unwrap().visitors, 1);
}

#[test]
fn file_database_is_private_wal_and_full_sync() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("tiski.db");
    let s = Store::open(&path).unwrap();
    use crate::platform::tests::private;
    assert!(private(&path));
    assert!(private(path.parent().unwrap()));
    assert!(
        fs::read_dir(path.parent().unwrap()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp")),
        "the file it was made in is gone"
    );
    let jm: String = s
        .conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(jm, "wal");
    let sync: i64 = s
        .conn
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 2, "FULL");
}

#[test]
fn a_foreign_file_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    let text = "this is not a database, just some notes\n".repeat(100);
    fs::write(&path, &text).unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
    assert!(!dir.path().join("notes.txt-wal").exists());
}

#[test]
fn a_newer_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 3)
            .unwrap();
    }
    let before = fs::read(&path).unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(
        matches!(err, StoreError::TooNew { found, .. } if found == SCHEMA_VERSION + 3),
        "{err}"
    );
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn settings_are_kept() {
    let mut s = Store::open_in_memory().unwrap();
    assert_eq!(s.setting("last_profile").unwrap(), None);
    s.set_setting("last_profile", "kotouttaminen").unwrap();
    s.set_setting("last_profile", "ikaihmiset").unwrap();
    assert_eq!(
        s.setting("last_profile").unwrap().as_deref(),
        Some("ikaihmiset")
    );
}

/// Whether this process holds a POSIX lock on the file at `path` (Linux's
/// `/proc/locks`): a WAL connection keeps a shared one on the database for
/// as long as it is open, and closing *any* descriptor of the file in the
/// process drops it (SQLite's "How To Corrupt", 2.2). Without it, another
/// process takes itself for the last user and deletes the `-wal`.
#[cfg(target_os = "linux")]
fn holds_lock(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let ino = fs::metadata(path).unwrap().ino();
    let pid = std::process::id();
    fs::read_to_string("/proc/locks").unwrap().lines().any(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        f.len() > 5
            && f[1] == "POSIX"
            && f[4] == pid.to_string()
            && f[5].ends_with(&format!(":{ino}"))
    })
}

/// Every look at the database the process takes while its store is open
/// (the day's check, a second store, a backup, doctor) keeps the store's
/// lock: none of them opens the file outside SQLite.
#[cfg(target_os = "linux")]
#[test]
fn looks_at_the_open_database_keep_its_lock() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tiski.db");
    let mut s = Store::open(&db).unwrap();
    let (session, _) = s
        .open_session("ikaihmiset", "Kirjasto", t("2023-11-14 10:00"))
        .unwrap();
    s.add_visit(session.id, t("2023-11-14 10:05"), &entry(&["sote"]))
        .unwrap();
    assert!(holds_lock(&db), "an open store holds its lock");
    let today = t("2023-11-14 10:06");
    type Look<'a> = Box<dyn Fn() + 'a>;
    let looks: Vec<(&str, Look)> = vec![
        ("preflight", Box::new(|| Store::preflight(&db).unwrap())),
        (
            "a second store",
            Box::new(|| drop(Store::open(&db).unwrap())),
        ),
        (
            "a read-only store",
            Box::new(|| drop(Store::open_read_only(&db).unwrap())),
        ),
        (
            "the check before writing",
            Box::new(|| {
                maintenance::check_file_before_writing(&db, today.date()).unwrap();
            }),
        ),
        (
            "a backup",
            Box::new(|| drop(maintenance::backup(&db, today, 3).unwrap())),
        ),
        ("doctor", Box::new(|| drop(maintenance::doctor(&db)))),
        (
            "the day's check",
            Box::new(|| {
                let cutoffs =
                    crate::privacy::config::RetentionConfig::default().cutoffs(today.date());
                drop(maintenance::daily(
                    &db,
                    crate::clock::Now::at(today),
                    3,
                    cutoffs,
                ));
            }),
        ),
    ];
    for (what, look) in looks {
        look();
        assert!(holds_lock(&db), "{what} dropped the open store's lock");
    }
}

#[test]
fn times_read_without_chrono_are_what_chrono_reads() {
    for s in [
        "2023-11-14 10:41:07",
        "0999-01-02 23:59:59",
        "2024-02-29 00:00:00",
        "9999-12-31 23:59:59",
        "0000-01-01 00:00:00",
    ] {
        let chrono = NaiveDateTime::parse_from_str(s, TIME_FMT).unwrap();
        assert_eq!(crate::clock::parse_stored_time(s), Some(chrono), "{s}");
    }
    // Not tiski's own shape, or not a real time: left to chrono (which
    // takes some of these, refuses others) rather than misread.
    for s in [
        "2023-02-29 10:00:00",
        "2023-11-14 24:00:00",
        "2023-11-14 10:41:60",
        "2023-11-14T10:41:07",
        "2023-1-14 10:41:07",
        "2023-11-14 10:41",
        "2023-11-14 10:41:07.5",
        "+023-11-14 10:41:07",
        "2023-11-14 1a:41:07",
        "",
    ] {
        assert_eq!(crate::clock::parse_stored_time(s), None, "{s}");
    }
    for s in ["2023-11-14", "0999-01-02", "2024-02-29", "9999-12-31"] {
        let chrono = NaiveDate::parse_from_str(s, DATE_FMT).unwrap();
        assert_eq!(crate::clock::parse_stored_date(s), Some(chrono), "{s}");
    }
    for s in [
        "2023-02-29",
        "2023-13-01",
        "2023-1-14",
        "2023/11/14",
        "+023-11-14",
        "",
    ] {
        assert_eq!(crate::clock::parse_stored_date(s), None, "{s}");
    }
}

/// A visit's uid carries the time of the stamp its save was trusted with,
/// not a second reading of the clock, so the merge's "edited after it was
/// saved" is measured between two times of the same reading.
#[test]
fn a_visits_uid_is_dated_by_its_save_and_an_edit_is_seen_after_it() {
    let mut s = Store::open_in_memory().unwrap();
    let (session, _) = s
        .open_session("ikaihmiset", "Kirjasto", t("2023-11-14 10:00"))
        .unwrap();
    let v = s
        .add_visit(session.id, t("2023-11-14 10:05"), &entry(&["sote"]))
        .unwrap();
    let updated_at = |s: &Store| -> String {
        s.conn
            .query_row(
                "SELECT updated_at FROM visits WHERE id = ?1",
                [v.id.0],
                |r| r.get(0),
            )
            .unwrap()
    };
    let uid = uuid::Uuid::parse_str(&v.uid).unwrap();
    let (secs, _) = uid.get_timestamp().unwrap().to_unix();
    let stamp = chrono::DateTime::parse_from_rfc3339(&updated_at(&s)).unwrap();
    assert_eq!(
        secs as i64,
        stamp.timestamp(),
        "the uid is dated by the save's stamp"
    );
    assert!(!crate::store::sync::rule::edited(&v.uid, &updated_at(&s)));
    let later = crate::clock::Now::at(t("2023-11-14 13:00")).stamp();
    s.update_visit(
        v.id,
        &crate::store::test_support::ok(entry(&["digituki"])),
        None,
        &later,
    )
    .unwrap();
    assert!(crate::store::sync::rule::edited(&v.uid, &updated_at(&s)));
}

/// The log's last change is the newest stamp of any kind of record, the
/// first kind asked about, the last, and one between.
#[test]
fn the_last_change_is_the_newest_stamp_of_any_kind() {
    let mut s = Store::open_in_memory().unwrap();
    assert_eq!(s.last_change().unwrap(), None);
    let at = |d: &str| Some(chrono::DateTime::parse_from_rfc3339(d).unwrap().to_utc());
    let v = s
        .log_visit(
            "ikaihmiset",
            "Kirjasto",
            t("2023-11-14 10:00"),
            &entry(&["muu"]),
        )
        .unwrap();
    s.log_head_count_for_tests("ikaihmiset", "Kirjasto", t("2023-11-14 10:05"), 3)
        .unwrap();
    let set = |s: &Store, sql: &str| s.conn.execute(sql, []).unwrap();
    set(&s, "UPDATE visits SET updated_at = '2026-02-01T00:00:00Z'");
    set(
        &s,
        "UPDATE head_counts SET updated_at = '2026-01-01T00:00:00Z'",
    );
    assert_eq!(s.last_change().unwrap(), at("2026-02-01T00:00:00Z"));
    set(
        &s,
        "UPDATE head_counts SET updated_at = '2026-03-01T00:00:00Z'",
    );
    assert_eq!(s.last_change().unwrap(), at("2026-03-01T00:00:00Z"));
    s.delete_visit(v.id, &crate::store::test_support::clock())
        .unwrap();
    set(
        &s,
        "UPDATE tombstones SET deleted_at = '2026-04-01T00:00:00Z'",
    );
    assert_eq!(s.last_change().unwrap(), at("2026-04-01T00:00:00Z"));
}

/// The last change is read again once anything commits: this store's own
/// writes and another program's alike (the duty screen's clock check
/// keeps what it read between them).
#[test]
fn the_last_change_follows_another_programs_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiski.db");
    let mut s = Store::open(&path).unwrap();
    let at = |d: &str| Some(chrono::DateTime::parse_from_rfc3339(d).unwrap().to_utc());
    s.log_visit(
        "ikaihmiset",
        "Kirjasto",
        t("2023-11-14 10:00"),
        &entry(&["muu"]),
    )
    .unwrap();
    s.conn
        .execute("UPDATE visits SET updated_at = '2026-02-01T00:00:00Z'", [])
        .unwrap();
    assert_eq!(s.last_change().unwrap(), at("2026-02-01T00:00:00Z"));
    assert_eq!(s.last_change().unwrap(), at("2026-02-01T00:00:00Z"));
    let other = rusqlite::Connection::open(&path).unwrap();
    other
        .execute("UPDATE visits SET updated_at = '2026-05-01T00:00:00Z'", [])
        .unwrap();
    assert_eq!(s.last_change().unwrap(), at("2026-05-01T00:00:00Z"));
    s.conn
        .execute("UPDATE visits SET updated_at = '2026-06-01T00:00:00Z'", [])
        .unwrap();
    assert_eq!(s.last_change().unwrap(), at("2026-06-01T00:00:00Z"));
}

/// The clock check's reading stands across the screen's own save, with
/// the save's stamp as the newest visit's; not when another program
/// committed between the reading and the save, nor after a write of this
/// connection that did not say what it changed.
#[test]
fn the_last_change_after_a_save_is_its_stamp_unless_something_else_wrote_between() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiski.db");
    let mut s = Store::open(&path).unwrap();
    let at = |d: &str| Some(chrono::DateTime::parse_from_rfc3339(d).unwrap().to_utc());
    let (session, _) = s
        .open_session("ikaihmiset", "Kirjasto", t("2023-11-14 10:00"))
        .unwrap();
    let save = |s: &mut Store, stamp: &str| {
        let e = test_support::ok(entry(&["muu"]));
        let stamp = crate::clock::Stamp::from_rfc3339(stamp);
        s.save_visit(
            Target::Session(session.id),
            t("2023-11-14 10:01"),
            &e,
            None,
            &stamp,
        )
        .unwrap();
    };
    save(&mut s, "2026-02-01T00:00:00+00:00");
    assert_eq!(s.last_change().unwrap(), at("2026-02-01T00:00:00Z"));
    save(&mut s, "2026-02-02T00:00:00+00:00");
    assert_eq!(s.last_change().unwrap(), at("2026-02-02T00:00:00Z"));
    // A later tombstone by another program, after the reading.
    let other = rusqlite::Connection::open(&path).unwrap();
    other
        .execute(
            "INSERT INTO tombstones(uid, deleted_at) VALUES ('a', '2026-03-01T00:00:00+00:00')",
            [],
        )
        .unwrap();
    save(&mut s, "2026-02-03T00:00:00+00:00");
    assert_eq!(s.last_change().unwrap(), at("2026-03-01T00:00:00Z"));
    // And one by this connection, outside any save.
    s.conn
        .execute(
            "INSERT INTO tombstones(uid, deleted_at) VALUES ('b', '2026-04-01T00:00:00+00:00')",
            [],
        )
        .unwrap();
    save(&mut s, "2026-02-04T00:00:00+00:00");
    assert_eq!(s.last_change().unwrap(), at("2026-04-01T00:00:00Z"));
    // A visit's stamp earlier than the last one's is the visits' newest
    // now (its row is their last), as a reading of the file says.
    save(&mut s, "2026-01-01T00:00:00+00:00");
    let kept = s.last_change().unwrap();
    s.newest.set(None);
    assert_eq!(kept, s.last_change().unwrap());
}

/// The export's stream hands each visit its own topics in the order they
/// were saved (not the table's alphabetical key) and its own fields,
/// whether a batch's visits lie close together by id or far apart.
#[test]
fn streamed_visits_carry_their_own_topics_in_order_and_fields() {
    let mut s = Store::open_in_memory().unwrap();
    let (a, _) = s
        .open_session("ikaihmiset", "Kirjasto", t("2023-11-14 10:00"))
        .unwrap();
    let (b, _) = s
        .open_session("ikaihmiset", "Kirjasto", t("2023-11-15 10:00"))
        .unwrap();
    let mut first = entry(&["liukuesteet", "digituki"]);
    first.fields.insert("channel".into(), "puhelin".into());
    // Saved later but earlier in the day: time order is not id order.
    let late = s.add_visit(a.id, t("2023-11-14 11:00"), &first).unwrap();
    for _ in 0..40 {
        s.add_visit(b.id, t("2023-11-15 10:01"), &entry(&["digituki"]))
            .unwrap();
    }
    let mut last = entry(&["yhteystiedot", "asuminen", "digituki"]);
    last.fields.insert("age".into(), "65-74".into());
    last.fields.insert("channel".into(), "kaynti".into());
    let early = s.add_visit(a.id, t("2023-11-14 10:30"), &last).unwrap();
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    for (from, to, n) in [
        ("2023-11-14", "2023-11-14", 2),
        ("2023-11-14", "2023-11-15", 42),
    ] {
        let mut got = Vec::new();
        s.each_visit(&PeriodFilter::all(d(from), d(to)), |v| {
            got.push(v);
            Ok::<_, StoreError>(())
        })
        .unwrap();
        assert_eq!(got.len(), n);
        assert_eq!(got[0].visit.id, early.id, "time order");
        assert_eq!(got[0].visit.entry, last, "{from}–{to}");
        assert_eq!(got[1].visit.id, late.id);
        assert_eq!(got[1].visit.entry, first, "{from}–{to}");
        for v in &got[2..] {
            assert_eq!(v.visit.entry, entry(&["digituki"]));
        }
    }
}

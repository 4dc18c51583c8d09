//! Upkeep tests: backups private, pruned and never replacing each other;
//! restore and its refusals; the doctor's findings and the recount.

use super::*;
use crate::domain::VisitEntry;
use crate::store::Store;

fn private(p: &Path) -> bool {
    crate::platform::tests::private(p)
}

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn db_with_visits(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("tiski.db");
    let mut s = Store::open(&path).unwrap();
    let (session, _) = s
        .open_session("ikaihmiset", "Kirjasto", t("2023-11-14 10:00"))
        .unwrap();
    for _ in 0..n {
        let e = VisitEntry {
            topics: vec!["sote".into()],
            ..Default::default()
        };
        s.add_visit(session.id, t("2023-11-14 10:05"), &e).unwrap();
    }
    path
}

fn visits(db: &Path) -> i64 {
    open_read_only(db)
        .unwrap()
        .query_row("SELECT count(*) FROM visits", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn backups_are_private_consistent_and_pruned() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with_visits(dir.path(), 3);
    let mut made = Vec::new();
    for day in 1..=4 {
        made.push(backup(&db, t(&format!("2023-11-0{day} 10:00")), 3).unwrap());
    }
    let kept = list_backups(&backup_dir(&db));
    assert_eq!(kept, made[1..].to_vec(), "the oldest was pruned");
    for b in &kept {
        assert!(private(b));
        assert_eq!(visits(b), 3);
        verify_backup(b).unwrap();
    }
    // A second backup the same day gets its own name.
    let again = backup(&db, t("2023-11-04 15:00"), 10).unwrap();
    assert_ne!(again, made[3]);
}

#[test]
fn backups_in_one_second_never_replace_each_other_and_the_newest_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with_visits(dir.path(), 1);
    let at = t("2023-11-14 10:00");
    let made: Vec<PathBuf> = (0..4).map(|_| backup(&db, at, 3).unwrap()).collect();
    let names: Vec<String> = made
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "tiski-2023-11-14.db",
            "tiski-2023-11-14-100000.db",
            "tiski-2023-11-14-100000-2.db",
            "tiski-2023-11-14-100000-3.db"
        ]
    );
    let kept = list_backups(&backup_dir(&db));
    assert_eq!(kept, made[1..], "the oldest pruned, the newest kept");
    // The day's plain name, free again, is not taken by a later backup:
    // it would sort first and be pruned at once.
    let later = backup(&db, t("2023-11-14 11:00"), 3).unwrap();
    assert!(later.ends_with("tiski-2023-11-14-110000.db"), "{later:?}");
    assert!(later.exists());
    assert_eq!(backup_stamp("tiski-2023-11-14-110000-12.db").unwrap().2, 12);
    assert_eq!(backup_stamp("tiski-2023-11-14-1100.db"), None);
    assert_eq!(backup_stamp("tiski-2023-11-14-110000-x.db"), None);
}

#[test]
fn restore_puts_the_backup_in_place_and_keeps_the_current_file_aside() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with_visits(dir.path(), 2);
    let b = backup(&db, t("2023-11-14 12:00"), 30).unwrap();
    {
        let mut s = Store::open(&db).unwrap();
        let sid = s.sessions_on(None, t("2023-11-14 00:00").date()).unwrap()[0].id;
        let e = VisitEntry {
            topics: vec!["muu".into()],
            ..Default::default()
        };
        s.add_visit(sid, t("2023-11-14 12:30"), &e).unwrap();
    }
    assert_eq!(visits(&db), 3);
    let aside = restore(&db, &b, t("2023-11-15 09:00")).unwrap().unwrap();
    assert_eq!(visits(&db), 2);
    assert_eq!(visits(&aside), 3, "nothing is thrown away");
    assert!(private(&db));
    Store::open(&db).unwrap();
}

#[test]
fn a_damaged_or_foreign_backup_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with_visits(dir.path(), 1);
    let junk = dir.path().join("junk.db");
    fs::write(&junk, b"not sqlite at all, just some bytes").unwrap();
    assert!(matches!(
        restore(&db, &junk, t("2023-11-15 09:00")),
        Err(MaintError::BadBackup { .. })
    ));
    assert!(matches!(
        restore(&db, &dir.path().join("none.db"), t("2023-11-15 09:00")),
        Err(MaintError::BadBackup { .. })
    ));
    assert_eq!(visits(&db), 1);
}

#[test]
fn doctor_finds_a_healthy_file_healthy() {
    let dir = tempfile::tempdir().unwrap();
    crate::platform::make_private(dir.path(), true).unwrap();
    let db = db_with_visits(dir.path(), 1);
    backup(&db, t("2023-11-14 12:00"), 30).unwrap();
    let findings = doctor(&db);
    let problems: Vec<_> = findings.iter().filter(|f| f.is_problem()).collect();
    assert!(problems.is_empty(), "{problems:?}");
    assert!(findings.contains(&Finding::JournalMode("wal".into())));
    assert!(findings.contains(&Finding::Synchronous(2)));
    assert!(findings.contains(&Finding::Integrity(vec![])));
    assert!(findings.contains(&Finding::Counts { differing: 0 }));
}

#[test]
fn doctor_finds_drifted_report_counts_and_a_recount_mends_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with_visits(dir.path(), 3);
    let counts = |db: &Path| {
        doctor(db)
            .into_iter()
            .find(|f| matches!(f, Finding::Counts { .. }))
            .unwrap()
    };
    assert_eq!(counts(&db), Finding::Counts { differing: 0 });
    Connection::open(&db)
        .unwrap()
        .execute_batch(
            "UPDATE visit_counts SET n = n + 1 WHERE kind = 'hour';
             DELETE FROM visit_counts WHERE kind = 'weekday';
             INSERT INTO visit_counts VALUES ('2023-01-01', 'x', 'y', 'z', 'topic', 't', '', 2);",
        )
        .unwrap();
    let found = counts(&db);
    assert_eq!(found, Finding::Counts { differing: 3 });
    assert!(found.is_problem());
    let before = Store::open(&db).unwrap().visit_counts(&all()).unwrap();
    Store::open(&db).unwrap().recount_visits().unwrap();
    assert_eq!(counts(&db), Finding::Counts { differing: 0 });
    let after = Store::open(&db).unwrap().visit_counts(&all()).unwrap();
    assert_ne!(before, after);
    assert_eq!(after.weekdays.iter().sum::<u32>(), 3);
}

fn all() -> crate::store::PeriodFilter<'static> {
    crate::store::PeriodFilter {
        from: chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap(),
        profile: None,
        location: None,
        device: None,
    }
}

#[cfg(unix)]
#[test]
fn doctor_flags_loose_permissions_and_a_missing_backup() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = db_with_visits(dir.path(), 1);
    fs::set_permissions(&db, fs::Permissions::from_mode(0o644)).unwrap();
    let findings = doctor(&db);
    assert!(findings.iter().any(|f| matches!(
        f,
        Finding::Access {
            access: crate::platform::Access::Mode(0o644),
            ..
        }
    ) && f.is_problem()));
    assert!(
        findings
            .iter()
            .any(|f| matches!(f, Finding::Backups { count: 0, .. }))
    );
}

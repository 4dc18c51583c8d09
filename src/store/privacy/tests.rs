//! The retention purge on real files: bytes gone from the database, its
//! WAL and the backups; counts kept; a purge that could not rewrite the
//! file finished by the next one; temporary copies swept.

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::config::Config;
use crate::domain::VisitEntry;
use crate::store::maintenance::purge_all;
use crate::store::{IssueRequest, PeriodFilter};
use crate::voucher::identity::KEY_LEN;

const OLD_NOTE: &str = "VANHA-HUOMIO asiakas kysyi asumistuesta";
const NEW_NOTE: &str = "UUSI-HUOMIO digitukea tarvittiin";
const OLD_HASH: [u8; KEY_LEN] = *b"OLD-SEASON-HASH-0123456789abcdef";
const NEW_HASH: [u8; KEY_LEN] = *b"NEW-SEASON-HASH-0123456789abcdef";

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn visit(s: &mut Store, at: &str, note: &str) {
    let session = s.session_for_log("ikaihmiset", "Kirjasto", t(at)).unwrap();
    let e = VisitEntry {
        topics: vec!["digituki".into()],
        note: note.into(),
        ..Default::default()
    };
    s.add_visit(session.id, t(at), &e).unwrap();
}

fn voucher(s: &mut Store, at: &str, hash: [u8; KEY_LEN]) {
    let c = Config::embedded().profiles["ikaihmiset"]
        .voucher_settings()
        .unwrap()
        .clone();
    let session = s.session_for_log("ikaihmiset", "Kirjasto", t(at)).unwrap();
    let req = IssueRequest {
        profile: "ikaihmiset",
        config: &c,
        product: "liukuesteet",
        birth_year: Some(1948),
        identity_hash: Some(hash),
        from_form: false,
    };
    let e = VisitEntry {
        topics: vec!["liukuesteet".into()],
        ..Default::default()
    };
    s.issue_voucher(
        crate::store::Target::Session(session.id),
        t(at),
        &crate::store::test_support::ok((e).clone()),
        &req,
        &crate::store::test_support::stamp(),
    )
    .unwrap();
}

/// A database with a note and a voucher of 2022 (past retention on
/// 1.12.2023) and of 2023 (within it).
fn fixture(dir: &Path) -> (PathBuf, Store) {
    let db = dir.join("tiski.db");
    let mut s = Store::open(&db).unwrap();
    visit(&mut s, "2022-03-01 10:00", OLD_NOTE);
    visit(&mut s, "2023-11-14 10:00", NEW_NOTE);
    voucher(&mut s, "2022-01-10 10:00", OLD_HASH);
    voucher(&mut s, "2023-11-14 10:05", NEW_HASH);
    (db, s)
}

/// Whether the database file or its WAL holds `needle`, read with the
/// store open: by another process (`file_holds`).
fn in_files(db: &Path, needle: &[u8]) -> bool {
    use crate::store::test_support::file_holds;
    file_holds(db, needle) || file_holds(&with_suffix(db, "-wal"), needle)
}

fn today() -> NaiveDate {
    d("2023-12-01")
}

fn retention() -> crate::privacy::config::RetentionConfig {
    crate::privacy::config::RetentionConfig::default()
}

fn all() -> PeriodFilter<'static> {
    PeriodFilter {
        from: d("2000-01-01"),
        to: d("2100-01-01"),
        profile: None,
        location: None,
        device: None,
    }
}

#[test]
fn a_purge_leaves_no_copy_in_the_database_or_its_wal_and_keeps_the_counts() {
    let dir = tempfile::tempdir().unwrap();
    let (db, mut s) = fixture(dir.path());
    assert!(in_files(&db, OLD_NOTE.as_bytes()), "there before");
    assert!(in_files(&db, &OLD_HASH));
    let counts = s.visit_counts(&all()).unwrap();
    let stats = s
        .session_stats(None, d("2000-01-01"), d("2100-01-01"))
        .unwrap();
    let cutoffs = retention().cutoffs(today());
    assert_eq!(
        s.due(&cutoffs).unwrap(),
        Due {
            notes: 1,
            identities: 1,
            drafts: 0
        }
    );
    assert_eq!(s.oldest_due_note(&cutoffs).unwrap(), Some(d("2022-03-01")));
    let purged = s
        .purge(
            &cutoffs,
            Some(today()),
            &crate::store::test_support::stamp(),
        )
        .unwrap();
    assert!(purged.scrubbed);
    assert_eq!((purged.cleared.notes, purged.cleared.identities), (1, 1));
    assert!(!in_files(&db, OLD_NOTE.as_bytes()), "the old note is gone");
    assert!(!in_files(&db, &OLD_HASH), "the old hash is gone");
    assert!(in_files(&db, NEW_NOTE.as_bytes()), "a recent note stays");
    assert!(in_files(&db, &NEW_HASH));
    assert_eq!(
        s.visit_counts(&all()).unwrap(),
        counts,
        "report counts stay"
    );
    assert_eq!(
        s.session_stats(None, d("2000-01-01"), d("2100-01-01"))
            .unwrap(),
        stats
    );
    let v = s.voucher_by_number("LE-2021-001").unwrap();
    assert_eq!((v.birth_year, v.checked_identity), (None, false));
    assert_eq!(
        s.voucher_by_number("LE-2023-001").unwrap().birth_year,
        Some(1948)
    );
    assert_eq!(s.last_purge().unwrap(), Some(today()));
    assert!(!s.scrub_pending().unwrap());
    assert!(s.due(&cutoffs).unwrap().is_empty(), "nothing due twice");
    let again = s
        .purge(
            &cutoffs,
            Some(today()),
            &crate::store::test_support::stamp(),
        )
        .unwrap();
    assert_eq!(again.cleared, Due::default());
}

#[test]
fn old_drafts_go_with_old_notes() {
    let mut s = Store::open_in_memory().unwrap();
    let e = VisitEntry {
        note: "luonnos".into(),
        topics: vec!["sote".into()],
        ..Default::default()
    };
    s.save_draft("ikaihmiset", &e, t("2022-01-01 10:00"))
        .unwrap();
    s.save_draft("kotouttaminen", &e, t("2023-11-30 10:00"))
        .unwrap();
    let purged = s
        .purge(
            &retention().cutoffs(today()),
            None,
            &crate::store::test_support::stamp(),
        )
        .unwrap();
    assert_eq!(purged.cleared.drafts, 1);
    assert_eq!(s.draft("ikaihmiset").unwrap(), None);
    assert!(s.draft("kotouttaminen").unwrap().is_some());
}

#[test]
fn a_purge_the_file_could_not_take_is_finished_by_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let (db, mut s) = fixture(dir.path());
    // The checkpoint would wait this long for the reader before giving up.
    s.set_busy_timeout(Duration::from_millis(50)).unwrap();
    // Another connection in the middle of a read keeps old pages alive.
    let reader = Connection::open(&db).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let _: i64 = reader
        .query_row("SELECT count(*) FROM visits", [], |r| r.get(0))
        .unwrap();
    let cutoffs = retention().cutoffs(today());
    let purged = s
        .purge(
            &cutoffs,
            Some(today()),
            &crate::store::test_support::stamp(),
        )
        .unwrap();
    assert_eq!(purged.cleared.notes, 1, "cleared anyway");
    assert!(!purged.scrubbed);
    assert!(s.scrub_pending().unwrap());
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    let next = s
        .purge(
            &cutoffs,
            Some(today()),
            &crate::store::test_support::stamp(),
        )
        .unwrap();
    assert_eq!(next.cleared, Due::default());
    assert!(next.scrubbed);
    assert!(!s.scrub_pending().unwrap());
    assert!(!in_files(&db, OLD_NOTE.as_bytes()));
    assert!(!in_files(&db, &OLD_HASH));
}

/// A kept copy that is the open log itself under another name (a hard
/// link named like a backup) is not a copy: the purge of copies leaves it
/// to the log's own purge, and never opens it outside SQLite (closing such
/// a descriptor drops the connection's locks) nor overwrites it.
#[test]
fn a_backup_name_linked_to_the_open_log_is_left_to_the_logs_own_purge() {
    let dir = tempfile::tempdir().unwrap();
    let (db, s) = fixture(dir.path());
    fs::create_dir_all(backup_dir(&db)).unwrap();
    let link = backup_dir(&db).join("tiski-2023-11-14.db");
    fs::hard_link(&db, &link).unwrap();
    let visits = |s: &Store| -> i64 {
        s.conn
            .query_row("SELECT count(*) FROM visits", [], |r| r.get(0))
            .unwrap()
    };
    let before = visits(&s);
    let cutoffs = retention().cutoffs(today());
    let report = purge_copies(&db, &cutoffs, &crate::store::test_support::stamp());
    assert_eq!(report, CopiesPurged::default(), "nothing done to it");
    assert!(link.exists());
    assert_eq!(visits(&s), before, "the open log is whole");
    assert!(
        in_files(&db, OLD_NOTE.as_bytes()),
        "left to the log's purge"
    );
    assert!(scrub_and_remove(&link).is_err(), "refused, not opened");
    assert!(link.exists());
}

#[test]
fn backups_and_restore_asides_holding_purged_data_are_rewritten_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let (db, mut s) = fixture(dir.path());
    let old = super::super::maintenance::backup(&db, t("2023-11-20 09:00"), 30).unwrap();
    // A file a restore kept aside, with a WAL of its own.
    let aside = dir.path().join("tiski.db.before-restore-20231120-090000");
    // The store is open: the live files are read by another process.
    let live = crate::store::test_support::read_live;
    fs::write(&aside, live(&db).unwrap()).unwrap();
    fs::write(
        with_suffix(&aside, "-wal"),
        live(&with_suffix(&db, "-wal")).unwrap(),
    )
    .unwrap();
    let cutoffs = retention().cutoffs(today());
    for copy in [&old, &aside] {
        assert!(in_files(copy, OLD_NOTE.as_bytes()), "{copy:?} before");
    }
    let report = purge_all(
        &mut s,
        &db,
        &cutoffs,
        &crate::clock::Now::at((today()).and_hms_opt(12, 0, 0).unwrap()),
    )
    .unwrap();
    // A backup made after the purge holds nothing to clear: left alone.
    let clean = super::super::maintenance::backup(&db, t("2023-12-01 09:00"), 30).unwrap();
    let clean_bytes = fs::read(&clean).unwrap();
    let second = purge_copies(&db, &cutoffs, &crate::store::test_support::stamp());
    assert_eq!(report.copies.rewritten, [old.clone(), aside.clone()]);
    assert!(report.copies.removed.is_empty());
    assert_eq!(second, CopiesPurged::default(), "nothing left to do");
    assert_eq!(fs::read(&clean).unwrap(), clean_bytes);
    for copy in [&old, &aside, &clean] {
        assert!(!in_files(copy, OLD_NOTE.as_bytes()), "{copy:?}");
        assert!(!in_files(copy, &OLD_HASH), "{copy:?}");
        assert!(
            in_files(copy, NEW_NOTE.as_bytes()),
            "{copy:?} keeps the rest"
        );
        assert!(in_files(copy, &NEW_HASH), "{copy:?}");
        super::super::maintenance::verify_backup(copy).unwrap();
    }
    assert!(!with_suffix(&aside, "-wal").exists(), "its own WAL is gone");
    let leftovers: Vec<_> = fs::read_dir(backup_dir(&db))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn doctor_findings_name_what_is_overdue_and_where() {
    let dir = tempfile::tempdir().unwrap();
    let (db, s) = fixture(dir.path());
    let backup = super::super::maintenance::backup(&db, t("2023-11-20 09:00"), 30).unwrap();
    // What a killed import leaves: a private copy of another desk's log.
    let temp = crate::files::temp_name(&db, "import");
    crate::store::vacuum_into(&crate::store::open_read_only_file(&db).unwrap(), &temp).unwrap();
    let stale = crate::store::test_support::wall() - STALE_TEMP - Duration::from_secs(1);
    File::options()
        .write(true)
        .open(&temp)
        .unwrap()
        .set_modified(stale)
        .unwrap();
    drop(s);
    let found = findings(
        &db,
        retention(),
        today(),
        crate::store::test_support::wall(),
    );
    assert!(found.contains(&PrivacyFinding::Retention(retention())));
    assert!(found.contains(&PrivacyFinding::LastPurge(None)));
    let due = Due {
        notes: 1,
        identities: 1,
        drafts: 0,
    };
    assert!(found.contains(&PrivacyFinding::Overdue {
        due,
        oldest_note: Some(d("2022-03-01"))
    }));
    assert!(found.contains(&PrivacyFinding::Backup { path: backup, due }));
    assert!(found.contains(&PrivacyFinding::TempCopies(vec![temp.clone()])));
    let mut s = Store::open(&db).unwrap();
    let now = crate::clock::Now {
        local: today().and_hms_opt(12, 0, 0).unwrap(),
        ..crate::clock::Now::read()
    };
    purge_all(&mut s, &db, &retention().cutoffs(today()), &now).unwrap();
    let after = findings(
        &db,
        retention(),
        today(),
        crate::store::test_support::wall(),
    );
    let problems: Vec<_> = after.iter().filter(|f| f.is_problem()).collect();
    assert!(problems.is_empty(), "{problems:?}");
    assert!(!temp.exists(), "the purge swept it");
    assert!(after.contains(&PrivacyFinding::LastPurge(Some(today()))));
}

/// A copy of `db` (a tiski database) at `to`.
fn copy_of(db: &Path, to: &Path) {
    crate::store::vacuum_into(&crate::store::open_read_only_file(db).unwrap(), to).unwrap();
}

fn age(p: &Path, by: Duration) {
    File::options()
        .write(true)
        .open(p)
        .unwrap()
        .set_modified(crate::store::test_support::wall() - by)
        .unwrap();
}

#[test]
fn stale_temporary_copies_are_swept_and_fresh_ones_left() {
    let dir = tempfile::tempdir().unwrap();
    let (db, s) = fixture(dir.path());
    drop(s);
    fs::create_dir_all(backup_dir(&db)).unwrap();
    let import = crate::files::temp_name(&db, "import");
    let in_backups = crate::files::temp_name(&backup_dir(&db).join("tiski-2023-11-14.db"), "copy");
    let purge = crate::files::temp_name(&backup_dir(&db).join("tiski-2023-11-14.db"), "purge");
    copy_of(&db, &import);
    copy_of(&db, &in_backups);
    fs::write(&purge, b"").unwrap();
    // A killed import's WAL beside its copy, and one whose copy is gone.
    let wal = crate::store::with_suffix(&import, "-wal");
    fs::write(&wal, [0x37, 0x7f, 0x06, 0x82, 0, 0, 0, 0]).unwrap();
    let orphan = crate::store::with_suffix(&crate::files::temp_name(&db, "new"), "-shm");
    fs::write(&orphan, b"").unwrap();
    let stale = [import.clone(), wal.clone(), in_backups, purge, orphan];
    let fresh = crate::files::temp_name(&db, "import");
    copy_of(&db, &fresh);
    for p in &stale {
        age(p, STALE_TEMP + Duration::from_secs(1));
    }
    let mut removed = sweep_temp(&db, STALE_TEMP, crate::store::test_support::wall());
    removed.sort();
    let mut want = stale.to_vec();
    want.sort();
    assert_eq!(removed, want);
    assert!(stale.iter().all(|p| !p.exists()));
    assert!(fresh.exists(), "may be another command's");
}

/// A temporary name that is still a second link to a file tiski put in
/// place (a command killed, or refused by Windows, between linking the new
/// file in and removing the temporary name: a new log, a backup, the
/// voucher key) goes, and the file stays whole: the sweep removes the name
/// and never overwrites a file that has another name.
#[test]
fn a_stale_temporary_name_linked_to_a_kept_file_goes_without_touching_it() {
    let dir = tempfile::tempdir().unwrap();
    let (db, s) = fixture(dir.path());
    drop(s);
    fs::create_dir_all(backup_dir(&db)).unwrap();
    let backup = backup_dir(&db).join("tiski-2023-11-14.db");
    copy_of(&db, &backup);
    let log_name = crate::files::temp_name(&db, "new");
    let backup_name = crate::files::temp_name(&backup, "copy");
    fs::hard_link(&db, &log_name).unwrap();
    fs::hard_link(&backup, &backup_name).unwrap();
    let before = (fs::read(&db).unwrap(), fs::read(&backup).unwrap());
    for p in [&log_name, &backup_name] {
        age(p, STALE_TEMP + Duration::from_secs(1));
    }
    let mut removed = sweep_temp(&db, STALE_TEMP, crate::store::test_support::wall());
    removed.sort();
    let mut want = vec![log_name.clone(), backup_name.clone()];
    want.sort();
    assert_eq!(removed, want, "the leftover names go");
    assert!(fs::read(&db).unwrap() == before.0, "the log is untouched");
    assert!(
        fs::read(&backup).unwrap() == before.1,
        "the backup is untouched"
    );
}

/// Only what tiski made is swept: a name of tiski's kind with other
/// content, another program's `.x.tmp`, a link named like a copy of
/// tiski's (and the file it points to), another user's file; nothing at
/// all when the database named does not exist.
#[test]
fn nothing_that_is_not_tiskis_is_swept() {
    let dir = tempfile::tempdir().unwrap();
    let (db, s) = fixture(dir.path());
    drop(s);
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("precious.db");
    copy_of(&db, &target);
    let theirs = [
        // Named like tiski's, holding another program's text.
        (
            crate::files::temp_name(&db, "write"),
            b"an export half written".to_vec(),
        ),
        // Another program's temp file.
        (
            dir.path().join(".editor-swap.tmp"),
            b"someone's work".to_vec(),
        ),
        (
            dir.path().join(".tiski.db.restore.tmp"),
            b"not of this version".to_vec(),
        ),
    ];
    for (p, bytes) in &theirs {
        fs::write(p, bytes).unwrap();
        age(p, STALE_TEMP * 2);
    }
    #[cfg(unix)]
    let link = {
        let link = crate::files::temp_name(&db, "import");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        link
    };
    let before = fs::read(&target).unwrap();
    assert_eq!(
        sweep_temp(&db, Duration::ZERO, crate::store::test_support::wall()),
        Vec::<PathBuf>::new()
    );
    assert_eq!(
        sweep_temp_at_start(&db, crate::store::test_support::wall()),
        Vec::<PathBuf>::new()
    );
    for (p, bytes) in &theirs {
        assert_eq!(&fs::read(p).unwrap(), bytes, "{}", p.display());
    }
    assert_eq!(fs::read(&target).unwrap(), before, "never through a link");
    #[cfg(unix)]
    assert!(fs::symlink_metadata(&link).is_ok(), "the link is left");
    // A --db that does not exist: its folder is anybody's.
    let copy = crate::files::temp_name(&target, "import");
    copy_of(&db, &copy);
    assert!(
        sweep_temp_at_start(
            &outside.path().join("nope.db"),
            crate::store::test_support::wall()
        )
        .is_empty()
    );
    assert!(copy.exists());
}

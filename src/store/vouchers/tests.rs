//! The voucher store's tests: issue, undo and the lifecycle refusals,
//! duplicates by hash, the key file, the purge, the report's counts, the
//! form's draft.

use super::*;
use crate::config::Config;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn cfg() -> VoucherConfig {
    Config::embedded().profiles["ikaihmiset"]
        .voucher_settings()
        .unwrap()
        .clone()
}

fn entry() -> VisitEntry {
    VisitEntry {
        topics: vec!["liukuesteet".into()],
        ..Default::default()
    }
}

fn issue(s: &mut Store, at: &str, product: &str, hash: Option<[u8; KEY_LEN]>) -> (Visit, Voucher) {
    let c = cfg();
    let session = s.session_for_log("ikaihmiset", "Kirjasto", t(at)).unwrap();
    let req = IssueRequest {
        profile: "ikaihmiset",
        config: &c,
        product,
        birth_year: Some(1948),
        identity_hash: hash,
        from_form: false,
    };
    s.issue_voucher(
        crate::store::Target::Session(session.id),
        t(at),
        &crate::store::test_support::ok((entry()).clone()),
        &req,
        &crate::store::test_support::stamp(),
    )
    .unwrap()
}

#[test]
fn a_database_of_schema_1_gains_vouchers_and_keeps_its_visits() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(super::super::migrations::MIGRATIONS[0])
            .unwrap();
        c.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO sessions(uid, profile, location, date, started_at, visitors)
             VALUES ('s', 'ikaihmiset', 'Kirjasto', '2023-11-07', '2023-11-07 10:00:00', 1);
             INSERT INTO visits(uid, session_id, at, updated_at)
             VALUES ('v', 1, '2023-11-07 10:05:00', 'x');",
        )
        .unwrap();
    }
    let mut s = Store::open(&db).unwrap();
    let old = s.visit(VisitId(1)).unwrap();
    assert_eq!(old.uid, "v");
    let (visit, v) = issue(&mut s, "2023-11-14 10:41", "liukuesteet", None);
    assert_eq!(v.number, "LE-2023-001");
    // The undo trigger came with the migration.
    s.delete_visit(visit.id, &crate::store::test_support::clock())
        .unwrap();
    assert_eq!(
        s.voucher_by_number("LE-2023-001").unwrap().stored_status,
        Status::Cancelled
    );
}

#[test]
fn issuing_saves_the_visit_and_a_numbered_voucher_together() {
    let mut s = Store::open_in_memory().unwrap();
    let (visit, v) = issue(&mut s, "2023-11-14 10:41", "liukuesteet", None);
    assert_eq!(v.number, "LE-2023-001");
    assert_eq!(v.visit, Some(visit.id));
    assert_eq!(v.valid_until.to_string(), "2024-02-29");
    assert_eq!(v.max_sum, Cents(3000));
    assert_eq!(v.birth_year, Some(1948));
    assert_eq!(s.visit(visit.id).unwrap().entry.topics, ["liukuesteet"]);
    assert_eq!(s.session(visit.session).unwrap().visitors, 1);
    let (_, v2) = issue(&mut s, "2023-11-14 10:50", "nastakengat", None);
    assert_eq!(v2.number, "LE-2023-002");
    // A new season starts again from 001.
    let (_, v3) = issue(&mut s, "2024-11-05 10:00", "liukuesteet", None);
    assert_eq!(v3.number, "LE-2024-001");
    let day = NaiveDate::from_ymd_opt(2023, 11, 14).unwrap();
    let by_product = s.vouchers_issued_on(Some("ikaihmiset"), day).unwrap();
    assert_eq!(by_product["liukuesteet"], 1);
    assert_eq!(by_product["nastakengat"], 1);
}

#[test]
fn a_failed_issue_saves_neither_visit_nor_voucher() {
    let mut s = Store::open_in_memory().unwrap();
    let c = cfg();
    let session = s
        .session_for_log("ikaihmiset", "Kirjasto", t("2023-11-14 10:00"))
        .unwrap();
    let req = IssueRequest {
        profile: "ikaihmiset",
        config: &c,
        product: "sukset",
        birth_year: None,
        identity_hash: None,
        from_form: false,
    };
    let e = s.issue_voucher(
        crate::store::Target::Session(session.id),
        t("2023-11-14 10:00"),
        &crate::store::test_support::ok((entry()).clone()),
        &req,
        &crate::store::test_support::stamp(),
    );
    assert!(matches!(
        e,
        Err(StoreError::Voucher(VoucherError::UnknownProduct { .. }))
    ));
    assert_eq!(s.session(session.id).unwrap().visitors, 0);
    // And the visit insert is rolled back with a voucher insert failing
    // inside the transaction (a number already taken).
    s.conn
        .execute_batch(
            "INSERT INTO vouchers(uid, number, profile, season, seq, product, max_cents,
                issued_at, valid_until, updated_at)
             VALUES ('x', 'LE-2023-001', 'ikaihmiset', 2023, 1, 'liukuesteet', 1,
                '2023-11-14 09:00:00', '2024-02-29', '2023-11-14T07:00:00Z')",
        )
        .unwrap();
    let req = IssueRequest {
        product: "liukuesteet",
        ..req
    };
    assert!(
        s.issue_voucher(
            crate::store::Target::Session(session.id),
            t("2023-11-14 10:00"),
            &crate::store::test_support::ok((entry()).clone()),
            &req,
            &crate::store::test_support::stamp()
        )
        .is_err()
    );
    assert_eq!(s.session(session.id).unwrap().visitors, 0);
    let visits: i64 = s
        .conn
        .query_row("SELECT count(*) FROM visits", [], |r| r.get(0))
        .unwrap();
    assert_eq!(visits, 0);
}

#[test]
fn undo_cancels_the_voucher_and_its_number_is_never_reused() {
    let mut s = Store::open_in_memory().unwrap();
    let (visit, v) = issue(&mut s, "2023-11-14 10:41", "liukuesteet", None);
    s.delete_visit(visit.id, &crate::store::test_support::clock())
        .unwrap();
    let after = s.voucher_by_number(&v.number).unwrap();
    assert_eq!(after.stored_status, Status::Cancelled);
    assert_eq!(
        after.cancel_reason.as_deref(),
        Some(crate::voucher::UNDO_REASON)
    );
    assert_eq!(after.visit, None);
    let (_, next) = issue(&mut s, "2023-11-14 10:45", "liukuesteet", None);
    assert_eq!(next.number, "LE-2023-002");
    s.cancel_voucher(
        "LE-2023-002",
        "väärä tuote",
        t("2023-11-14 10:46").date(),
        &crate::store::test_support::stamp(),
    )
    .unwrap();
    let (_, third) = issue(&mut s, "2023-11-14 10:47", "liukuesteet", None);
    assert_eq!(third.number, "LE-2023-003");
    assert_eq!(s.vouchers_in_force("ikaihmiset", Season(2023)).unwrap(), 1);
}

#[test]
fn refused_lifecycle_changes_leave_the_voucher_as_it_was() {
    let mut s = Store::open_in_memory().unwrap();
    let (_, v) = issue(&mut s, "2023-11-14 10:41", "liukuesteet", None);
    let day = NaiveDate::from_ymd_opt(2023, 11, 20).unwrap();
    let too_much = s.use_voucher(
        &v.number,
        Cents(3001),
        day,
        Some("Kenkä Oy"),
        &crate::store::test_support::stamp(),
    );
    assert!(matches!(
        too_much,
        Err(StoreError::Voucher(VoucherError::AmountTooHigh { .. }))
    ));
    assert_eq!(s.voucher_by_number(&v.number).unwrap(), v);
    assert!(matches!(
        s.use_voucher("LE-2023-999", Cents(100), day, None, &crate::store::test_support::stamp()),
        Err(StoreError::Voucher(VoucherError::UnknownNumber { number })) if number == "LE-2023-999"
    ));
    let used = s
        .use_voucher(
            "le-2023-001",
            Cents(2490),
            day,
            Some(" Kenkä Oy "),
            &crate::store::test_support::stamp(),
        )
        .unwrap();
    assert_eq!(used.stored_status, Status::Used);
    assert_eq!(used.used_amount, Some(Cents(2490)));
    assert_eq!(used.shop.as_deref(), Some("Kenkä Oy"));
    assert!(matches!(
        s.use_voucher(
            &v.number,
            Cents(100),
            day,
            None,
            &crate::store::test_support::stamp()
        ),
        Err(StoreError::Voucher(VoucherError::AlreadyUsed { .. }))
    ));
    assert!(matches!(
        s.cancel_voucher(&v.number, "x", day, &crate::store::test_support::stamp()),
        Err(StoreError::Voucher(VoucherError::CancelUsed { .. }))
    ));
    assert_eq!(s.voucher_by_number(&v.number).unwrap(), used);
}

#[test]
fn duplicates_are_found_by_hash_within_the_season_only() {
    let mut s = Store::open_in_memory().unwrap();
    let h = [7u8; KEY_LEN];
    issue(&mut s, "2023-11-14 10:41", "liukuesteet", Some(h));
    issue(
        &mut s,
        "2023-11-14 10:42",
        "liukuesteet",
        Some([8u8; KEY_LEN]),
    );
    assert_eq!(s.duplicates(Season(2023), &h).unwrap(), ["LE-2023-001"]);
    assert!(s.duplicates(Season(2024), &h).unwrap().is_empty());
    s.cancel_voucher(
        "LE-2023-001",
        "virhe",
        t("2023-11-14 11:00").date(),
        &crate::store::test_support::stamp(),
    )
    .unwrap();
    assert!(
        s.duplicates(Season(2023), &h).unwrap().is_empty(),
        "a cancelled voucher does not count"
    );
}

#[test]
fn the_key_file_is_private_stable_and_beside_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tiski.db");
    let s = Store::open(&db).unwrap();
    let k1 = s.identity_key().unwrap();
    let path = key_path(&db);
    assert_eq!(path, dir.path().join("tiski.db.secret"));
    assert!(crate::platform::tests::private(&path));
    let stored = fs::read(&path).unwrap();
    #[cfg(unix)]
    assert_eq!(stored, k1, "mode 0600 protects it on Unix");
    #[cfg(windows)]
    assert!(
        stored.len() > KEY_LEN && !stored.windows(8).any(|w| w == &k1[..8]),
        "sealed with DPAPI on Windows"
    );
    drop(s);
    let again = Store::open(&db).unwrap();
    assert_eq!(again.identity_key().unwrap(), k1);
    let other = tempfile::tempdir().unwrap();
    let s2 = Store::open(&other.path().join("tiski.db")).unwrap();
    assert_ne!(s2.identity_key().unwrap(), k1, "a key per installation");
    fs::write(&path, b"short").unwrap();
    assert!(matches!(
        again.identity_key(),
        Err(StoreError::Voucher(VoucherError::Key { .. }))
    ));
}

#[test]
fn purge_removes_birth_years_and_hashes_from_the_files_for_real() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tiski.db");
    let mut s = Store::open(&db).unwrap();
    // A recognisable hash, so its bytes can be searched for.
    let old: [u8; KEY_LEN] = *b"OLD-SEASON-HASH-0123456789abcdef";
    let new: [u8; KEY_LEN] = *b"NEW-SEASON-HASH-0123456789abcdef";
    issue(&mut s, "2022-11-14 10:00", "liukuesteet", Some(old));
    issue(&mut s, "2023-11-14 10:00", "liukuesteet", Some(new));
    // Read with the store open: by another process (`file_holds`).
    let files = |needle: &[u8]| {
        ["tiski.db", "tiski.db-wal"]
            .iter()
            .any(|f| crate::store::test_support::file_holds(&dir.path().join(f), needle))
    };
    assert!(files(&old), "the hash is in the files before the purge");
    let n = s
        .purge_voucher_identities(
            NaiveDate::from_ymd_opt(2023, 6, 1).unwrap(),
            &crate::store::test_support::stamp(),
        )
        .unwrap();
    assert_eq!(n, 1);
    assert!(!files(&old), "no copy of the purged hash is left");
    assert!(files(&new), "the current season keeps its hash");
    let v = s.voucher_by_number("LE-2022-001").unwrap();
    assert_eq!(v.birth_year, None);
    assert!(!v.checked_identity);
    assert_eq!(v.product, "liukuesteet", "the anonymous record stays");
    assert_eq!(
        s.voucher_by_number("LE-2023-001").unwrap().birth_year,
        Some(1948)
    );
}

#[test]
fn a_period_report_counts_the_vouchers_of_its_own_visits_only() {
    use crate::report::period::Period;
    use crate::store::PeriodFilter;

    let d = |x: &str| NaiveDate::parse_from_str(x, "%Y-%m-%d").unwrap();
    let mut s = Store::open_in_memory().unwrap();
    let (kept, _) = issue(&mut s, "2023-11-14 10:05", "liukuesteet", None);
    issue(&mut s, "2023-11-14 10:20", "nastakengat", None);
    let (undone, _) = issue(&mut s, "2023-11-28 10:10", "liukuesteet", None);
    // One at another place, and one cancelled.
    let c = cfg();
    let spot = s
        .session_for_log("ikaihmiset", "Spot", t("2023-12-12 10:00"))
        .unwrap();
    let req = IssueRequest {
        profile: "ikaihmiset",
        config: &c,
        product: "liukuesteet",
        birth_year: None,
        identity_hash: None,
        from_form: false,
    };
    s.issue_voucher(
        crate::store::Target::Session(spot.id),
        t("2023-12-12 10:30"),
        &crate::store::test_support::ok((entry()).clone()),
        &req,
        &crate::store::test_support::stamp(),
    )
    .unwrap();
    let (_, cancelled) = issue(&mut s, "2023-12-12 10:40", "nastakengat", None);
    s.cancel_voucher(
        &cancelled.number,
        "väärä",
        d("2023-12-12"),
        &crate::store::test_support::stamp(),
    )
    .unwrap();
    s.delete_visit(undone.id, &crate::store::test_support::clock())
        .unwrap();

    let year = PeriodFilter {
        from: d("2023-01-01"),
        to: d("2023-12-31"),
        profile: Some("ikaihmiset"),
        location: None,
        device: None,
    };
    let vouchers = |f: &PeriodFilter<'_>| {
        s.period_report(Period::custom(f.from, f.to), &f.desks())
            .unwrap()
            .vouchers
            .into_iter()
            .collect::<Vec<_>>()
    };
    let pair = |p: &str, n: u32| (p.to_string(), n);
    assert_eq!(
        vouchers(&year),
        [pair("liukuesteet", 2), pair("nastakengat", 1)],
        "the undone and the cancelled ones do not count"
    );
    let at_spot = PeriodFilter {
        location: Some("Spot"),
        ..year
    };
    assert_eq!(vouchers(&at_spot), [pair("liukuesteet", 1)]);
    let first_day = PeriodFilter {
        to: kept.at.date(),
        ..year
    };
    assert_eq!(
        vouchers(&first_day),
        [pair("liukuesteet", 1), pair("nastakengat", 1)]
    );
    let other = PeriodFilter {
        profile: Some("kotouttaminen"),
        ..year
    };
    assert!(vouchers(&other).is_empty());
}

#[test]
fn a_voucher_from_the_form_takes_the_draft_with_it_in_one_transaction() {
    let c = cfg();
    let mut s = Store::open_in_memory().unwrap();
    let at = t("2023-11-14 10:05");
    let session = s.session_for_log("ikaihmiset", "Kirjasto", at).unwrap();
    let req = IssueRequest {
        profile: "ikaihmiset",
        config: &c,
        product: "liukuesteet",
        birth_year: None,
        identity_hash: None,
        from_form: false,
    };
    s.save_draft("ikaihmiset", &entry(), at).unwrap();
    // From the shell: the desk's unsaved form stays.
    s.issue_voucher(
        crate::store::Target::Session(session.id),
        at,
        &crate::store::test_support::ok((entry()).clone()),
        &req,
        &crate::store::test_support::stamp(),
    )
    .unwrap();
    assert_eq!(s.draft("ikaihmiset").unwrap(), Some(entry()));
    // A failed issue from the form keeps it too (unknown product).
    let from_form = IssueRequest {
        from_form: true,
        ..req
    };
    let bad = IssueRequest {
        product: "sukset",
        ..from_form.clone()
    };
    assert!(
        s.issue_voucher(
            crate::store::Target::Session(session.id),
            at,
            &crate::store::test_support::ok((entry()).clone()),
            &bad,
            &crate::store::test_support::stamp()
        )
        .is_err()
    );
    assert_eq!(s.draft("ikaihmiset").unwrap(), Some(entry()));
    // Issued from the form: the draft is gone with the same commit.
    s.issue_voucher(
        crate::store::Target::Session(session.id),
        at,
        &crate::store::test_support::ok((entry()).clone()),
        &from_form,
        &crate::store::test_support::stamp(),
    )
    .unwrap();
    assert_eq!(s.draft("ikaihmiset").unwrap(), None);
}

//! The unit's log worked out after the desks' pushes (schema version 6:
//! a push writes the desk's copies alone, and the unit's records and
//! counts are settled from them before anyone reads them): a deletion
//! crossing a visit another desk has not committed yet ends as an import
//! ends; a push acknowledged and never settled by its desk is in the next
//! report; a desk removed from the server leaves nothing keyed by its
//! records behind.

use std::time::Duration;

use chrono::NaiveDate;
use tiski::commands::unit::Unit;
use tiski::server::Target;
use tiski::store::Store;

use crate::pg::{TestDb, pg};
use crate::server::{desk_of, imported, sync, unit_report, visit_line};
use crate::server_counts::kept_differing;

/// A desk's connection inside a batch it has begun (`tiski.begin_batch`).
fn begun(t: &Target) -> postgres::Client {
    let mut c = tiski::server::connect(t).unwrap();
    c.batch_execute("BEGIN; SELECT tiski.begin_batch('test')")
        .unwrap();
    c
}

/// The desk's copy of export line `line` (kind `kind`, record `uid`) as
/// change `seq`, written in the open batch of `c`, as a push writes it.
fn copy(c: &mut postgres::Client, kind: &str, uid: &str, seq: i64, line: &str) {
    c.execute(
        "INSERT INTO tiski.copies (uid, kind, seq, updated_at, body)
         VALUES ($1, $2, $3, tiski.written_at($2, $4::text::jsonb), $4::text::jsonb)",
        &[&uid, &kind, &seq, &line],
    )
    .unwrap();
}

/// The rows of `table`, 0 when the schema has no such table.
fn rows(db: &TestDb, table: &str) -> i64 {
    db.count(&format!(
        "SELECT coalesce((SELECT (xpath('/row/n/text()',
                    query_to_xml('SELECT count(*) AS n FROM {table}', false, true, '')))[1]
                    ::text::bigint
                  WHERE to_regclass('{table}') IS NOT NULL), 0)"
    ))
}

#[test]
fn a_deletion_crossing_a_visit_not_yet_committed_ends_as_an_import_ends() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let (ta, tb) = (db.desk("a", None), db.desk("b", None));
    let reader = db.reader();
    // b holds session s1 with visit v1, on the server already.
    let mut b = desk_of(&[visit_line("v1", "digituki", "2023-11-14T10:06:00+00:00")]);
    sync(&mut b, &tb).unwrap();
    // b logs v2 in s1 and pushes it; a (which had b's export) deletes v2
    // later, and its tombstone reaches the server while b's batch is
    // still open: the server has never committed v2.
    let v2 = visit_line("v2", "kela", "2023-11-14T10:07:00+00:00");
    let gone = r#"{"type":"deleted","uid":"v2","deleted_at":"2023-11-14T10:30:00+00:00"}"#;
    let mut cb = begun(&tb);
    copy(&mut cb, "visit", "v2", 1000, &v2);
    let a_pushes = std::thread::spawn(move || {
        let mut ca = begun(&ta);
        copy(&mut ca, "deleted", "v2", 1, gone);
        ca.batch_execute("SELECT tiski.end_batch(1); COMMIT")
            .unwrap();
    });
    // (a's batch either commits beside b's or waits for it: either way b
    // commits next.)
    std::thread::sleep(Duration::from_millis(500));
    cb.batch_execute("SELECT tiski.end_batch(1000); COMMIT")
        .unwrap();
    a_pushes.join().unwrap();

    let b_now = desk_of(&[
        visit_line("v1", "digituki", "2023-11-14T10:06:00+00:00"),
        v2.clone(),
    ]);
    let a_now = desk_of(&[gone.to_string()]);
    let unit = Unit::connect(&reader, tiski::clock::Now::read()).unwrap();
    let server = unit_report(&unit, 2023);
    assert_eq!(server, unit_report(&imported(&[&a_now, &b_now]), 2023));
    assert_eq!(server.visitors, 1, "v2 was deleted: {:?}", server.topics);
    assert_eq!(kept_differing(&db), 0);
}

#[test]
fn a_desk_removed_from_the_server_leaves_nothing_keyed_by_its_records() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let (ta, tb) = (db.desk("a", None), db.desk("b", None));
    let mut a = desk_of(&[
        visit_line("v1", "digituki", "2023-11-14T10:06:00+00:00"),
        r#"{"type":"deleted","uid":"v0","deleted_at":"2023-11-14T10:30:00+00:00"}"#.to_string(),
    ]);
    sync(&mut a, &ta).unwrap();
    let mut b = desk_of(&[visit_line("v2", "kela", "2023-11-14T10:07:00+00:00")]);
    sync(&mut b, &tb).unwrap();
    assert_eq!(
        db.count("SELECT count(*) FROM tiski.records WHERE kind = 'visit'"),
        2
    );
    // IT removes both desks (the admin guide's way): their copies go, and
    // with them everything the server worked out or kept for them.
    db.client()
        .batch_execute("DELETE FROM tiski.desks")
        .unwrap();
    for table in [
        "tiski.copies",
        "tiski.records",
        "tiski.session_figures",
        "tiski.session_vouchers",
        "tiski.push_turns",
    ] {
        assert_eq!(rows(&db, table), 0, "{table}");
    }
}

#[test]
fn a_push_acknowledged_and_never_settled_by_its_desk_is_in_the_next_report() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let ta = db.desk("a", None);
    let reader = db.reader();
    // The head's report is open before the desk pushes.
    let unit = Unit::connect(&reader, tiski::clock::Now::read()).unwrap();
    let mut a = desk_of(&[
        visit_line("v1", "digituki", "2023-11-14T10:06:00+00:00"),
        visit_line("v2", "kela", "2023-11-14T10:07:00+00:00"),
    ]);
    // The desk's sync commits and is killed before it settles anything.
    let mut c = tiski::server::connect(&ta).unwrap();
    let opts = tiski::server::push::SyncOptions {
        leave_unsettled: true,
        ..Default::default()
    };
    let sent = tiski::server::sync(&mut a, &mut c, &ta, &opts).unwrap();
    assert_eq!(sent.sent, 3);
    drop(c);
    let unsettled: i64 = db
        .client()
        .query_one("SELECT count(*) FROM tiski.records", &[])
        .unwrap()
        .get(0);
    assert_eq!(unsettled, 0, "the push itself writes the copies alone");
    // The next reading, on the connection opened before, and a new one.
    let server = unit_report(&unit, 2023);
    assert_eq!(server.visitors, 2);
    assert_eq!(server, unit_report(&imported(&[&a]), 2023));
    let unit = Unit::connect(&reader, tiski::clock::Now::read()).unwrap();
    assert_eq!(unit_report(&unit, 2023), server);
    assert_eq!(kept_differing(&db), 0);
}

/// A server at schema version 5 holding a desk's records (its copies
/// written as version 5's push wrote them), brought to version 6: the
/// turns' table is gone, the report reads the same figures, and what the
/// desk sends after is settled by the next reading.
#[test]
fn a_server_brought_up_from_version_5_reports_the_same_and_settles_what_comes_after() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::at_version(&pg, 5);
    let mut a = desk_of(&[
        visit_line("v1", "digituki", "2023-11-14T10:06:00+00:00"),
        visit_line("v2", "kela", "2023-11-14T10:07:00+00:00"),
        r#"{"type":"deleted","uid":"v0","deleted_at":"2023-11-14T10:30:00+00:00"}"#.to_string(),
    ]);
    let mut c = db.client();
    c.execute(
        "INSERT INTO tiski.desks (desk, role) VALUES ('a', 'tiski_v5_desk')",
        &[],
    )
    .unwrap();
    a.sync_enable().unwrap();
    for r in a.sync_batch(0, usize::MAX).unwrap() {
        let Some(body) = r.body else { continue };
        c.execute(
            "INSERT INTO tiski.copies (desk, uid, kind, seq, updated_at, body)
             VALUES ('a', $1, $2, $3, tiski.written_at($2, $4::text::jsonb), $4::text::jsonb)",
            &[&r.uid, &r.kind, &r.seq, &body],
        )
        .unwrap();
    }
    assert_eq!(
        db.count("SELECT count(*) FROM tiski.records WHERE kind = 'visit'"),
        2
    );
    let done = tiski::server::schema::init(&mut c, &db.admin).unwrap();
    assert_eq!((done.from, done.to), (5, tiski::server::schema::LATEST));
    assert_eq!(rows(&db, "tiski.push_turns"), 0);
    agrees_after_the_upgrade(&mut db, &mut a, "the upgrade to version 6");
}

/// The admin's purge (`tiski server purge`) clears the notes from the
/// unit's records at once, not at the next reading: what retention
/// removes is gone from everything the server keeps when it returns.
#[test]
fn the_servers_purge_clears_the_unit_records_when_it_returns() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let ta = db.desk("a", None);
    let mut a = Store::open_in_memory().unwrap();
    let mut e = crate::server::entry(&["digituki"]);
    e.note = "kysyi tulostimesta".into();
    crate::server::log(&mut a, "ikaihmiset", "Kirjasto", "2023-11-14 10:05", e);
    sync(&mut a, &ta).unwrap();
    assert_eq!(
        db.count("SELECT count(*) FROM tiski.records WHERE body->>'note' <> ''"),
        1
    );
    let mut c = db.client();
    let (n, _) =
        tiski::server::schema::purge(&mut c, &db.admin, NaiveDate::from_ymd_opt(2024, 1, 1), None)
            .unwrap();
    assert_eq!(n, 1);
    // Read without settling first.
    let left: i64 = c
        .query_one(
            "SELECT count(*) FROM tiski.records WHERE body->>'note' <> ''",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
}

/// The copies of every record of `store` written into the server of `c`
/// as desk `desk`'s (as a push writes them, its batch left to settle by
/// the uids it touched), without acknowledging them in the store.
fn copies_of(c: &mut postgres::Client, store: &mut Store, desk: &str) {
    store.sync_enable().unwrap();
    let mut uids = Vec::new();
    for r in store.sync_batch(0, usize::MAX).unwrap() {
        let Some(body) = r.body else { continue };
        c.execute(
            "INSERT INTO tiski.copies (desk, uid, kind, seq, updated_at, body)
             VALUES ($5, $1, $2, $3, tiski.written_at($2, $4::text::jsonb), $4::text::jsonb)
             ON CONFLICT (uid, kind, desk) DO UPDATE
                SET seq = excluded.seq, updated_at = excluded.updated_at, body = excluded.body",
            &[&r.uid, &r.kind, &r.seq, &body, &desk],
        )
        .unwrap();
        uids.push(r.uid);
    }
    c.execute("SELECT tiski.unsettle($1)", &[&uids]).unwrap();
}

/// A server at schema version 6 holding a desk's records, some settled
/// into the unit's records and counts (kept as version 6 kept them) and
/// some pushed and not yet settled, brought to version 7: the report
/// reads the same figures from the narrow day counts, the copies pushed
/// before the upgrade are settled by the next reading, and what the desk
/// sends after too.
#[test]
fn a_server_brought_up_from_version_6_reports_the_same_and_settles_what_comes_after() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::at_version(&pg, 6);
    let mut c = db.client();
    c.execute(
        "INSERT INTO tiski.desks (desk, role) VALUES ('a', 'tiski_v6_desk')",
        &[],
    )
    .unwrap();
    let mut a = desk_of(&[
        visit_line("v1", "digituki", "2023-11-14T10:06:00+00:00"),
        visit_line("v2", "kela", "2023-11-14T10:07:00+00:00"),
        r#"{"type":"deleted","uid":"v0","deleted_at":"2023-11-14T10:30:00+00:00"}"#.to_string(),
    ]);
    let mut e = crate::server::entry(&["sote"]);
    e.fields.insert("channel".into(), "puhelin".into());
    crate::server::log(&mut a, "ikaihmiset", "Spot", "2023-11-15 12:05", e);
    copies_of(&mut c, &mut a, "a");
    c.execute("SELECT tiski.settle()", &[]).unwrap();
    assert!(rows(&db, "tiski.day_counts") > 0);
    // Pushed and not settled when the upgrade comes.
    crate::server::log(
        &mut a,
        "ikaihmiset",
        "Kirjasto",
        "2023-11-14 11:05",
        crate::server::entry(&["kela"]),
    );
    copies_of(&mut c, &mut a, "a");
    let done = tiski::server::schema::init(&mut c, &db.admin).unwrap();
    assert_eq!((done.from, done.to), (6, tiski::server::schema::LATEST));
    agrees_after_the_upgrade(&mut db, &mut a, "the upgrade to version 7");
}

/// A server at schema version 7 holding a desk's records settled into the
/// unit's records and counts (a visit edited, so a count at 0 among
/// them, as version 7 kept it), and a visit pushed and not yet settled,
/// brought to version 8: the report reads the same figures, the rows at 0
/// are gone, each session names its day, and what comes after is counted
/// by the days counted again.
#[test]
fn a_server_brought_up_from_version_7_reports_the_same_and_counts_what_comes_after() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::at_version(&pg, 7);
    let mut c = db.client();
    c.execute(
        "INSERT INTO tiski.desks (desk, role) VALUES ('a', 'tiski_v7_desk')",
        &[],
    )
    .unwrap();
    let mut a = desk_of(&[
        visit_line("v1", "digituki", "2023-11-14T10:06:00+00:00"),
        visit_line("v2", "kela", "2023-11-14T10:07:00+00:00"),
    ]);
    copies_of(&mut c, &mut a, "a");
    c.execute("SELECT tiski.settle()", &[]).unwrap();
    let v1 = a
        .visits_on(None, NaiveDate::from_ymd_opt(2023, 11, 14).unwrap())
        .unwrap()
        .into_iter()
        .find(|v| v.uid == "v1")
        .unwrap();
    crate::server::edit(&mut a, "ikaihmiset", v1.id, crate::server::entry(&["sote"]));
    copies_of(&mut c, &mut a, "a");
    c.execute("SELECT tiski.settle()", &[]).unwrap();
    assert!(db.count("SELECT count(*) FROM tiski.day_counts WHERE n = 0") > 0);
    // Pushed and not settled when the upgrade comes.
    crate::server::log(
        &mut a,
        "ikaihmiset",
        "Kirjasto",
        "2023-11-14 11:05",
        crate::server::entry(&["kela"]),
    );
    copies_of(&mut c, &mut a, "a");
    let done = tiski::server::schema::init(&mut c, &db.admin).unwrap();
    assert_eq!((done.from, done.to), (7, 8));
    assert_eq!(
        db.count(
            "SELECT (SELECT count(*) FROM tiski.day_counts WHERE n = 0)
                  + (SELECT count(*) FROM tiski.unit_months WHERE n = 0)"
        ),
        0
    );
    agrees_after_the_upgrade(&mut db, &mut a, "the upgrade to version 8");
}

/// IT renames a desk (`UPDATE tiski.desks SET desk = …`): its copies go
/// under the new name with it (schema version 7 keeps this by a trigger,
/// not a foreign key checked row by row at every push), the unit's
/// figures stay, and the desk's next sync writes under the new name.
#[test]
fn a_desk_renamed_takes_its_copies_along() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let ta = db.desk("a", None);
    let reader = db.reader();
    let mut a = desk_of(&[
        visit_line("v1", "digituki", "2023-11-14T10:06:00+00:00"),
        visit_line("v2", "kela", "2023-11-14T10:07:00+00:00"),
    ]);
    sync(&mut a, &ta).unwrap();
    let copies = db.count("SELECT count(*) FROM tiski.copies");
    assert!(copies > 0);
    db.client()
        .batch_execute("UPDATE tiski.desks SET desk = 'z' WHERE desk = 'a'")
        .unwrap();
    assert_eq!(
        db.count("SELECT count(*) FROM tiski.copies WHERE desk = 'z'"),
        copies
    );
    crate::server_counts::agrees(&db, &reader, &a, "the rename");
    crate::server::log(
        &mut a,
        "ikaihmiset",
        "Kirjasto",
        "2023-11-21 10:05",
        crate::server::entry(&["kela"]),
    );
    sync(&mut a, &ta).unwrap();
    assert_eq!(
        db.count("SELECT count(*) FROM tiski.copies WHERE desk <> 'z'"),
        0
    );
    crate::server_counts::agrees(&db, &reader, &a, "a visit after the rename");
}

/// The unit's figures agree with desk `a`'s after an upgrade (`what`),
/// and again after a visit the desk sends with its role afterwards.
fn agrees_after_the_upgrade(db: &mut TestDb, a: &mut Store, what: &str) {
    let reader = db.reader();
    crate::server_counts::agrees(db, &reader, a, what);
    let ta = db.desk("a", None);
    crate::server::log(
        a,
        "ikaihmiset",
        "Kirjasto",
        "2023-11-21 10:05",
        crate::server::entry(&["kela"]),
    );
    sync(a, &ta).unwrap();
    crate::server_counts::agrees(db, &reader, a, "a visit after the upgrade");
}

/// An upgrade waits for a settle under way rather than racing it: version
/// 8 drops a table the settle of version 7 writes and alters one it
/// holds, so taken in the other order the two would wait on each other
/// and PostgreSQL would abort one (the review of session 8 found it).
#[test]
fn an_upgrade_waits_for_a_settle_under_way() {
    let Some(pg) = pg() else { return };
    let db = TestDb::at_version(&pg, 7);
    // A settle under way: its lock, and the tables it has written so far.
    let mut settle = db.client();
    let mut s = settle.transaction().unwrap();
    s.batch_execute(
        "SELECT pg_advisory_xact_lock(hashtext('tiski settle'));
         LOCK TABLE tiski.session_figures IN ROW EXCLUSIVE MODE;",
    )
    .unwrap();
    let admin = db.admin.clone();
    let mut c = db.client();
    let init = std::thread::spawn(move || {
        tiski::server::schema::init(&mut c, &admin).map_err(|e| format!("{e:?}"))
    });
    std::thread::sleep(std::time::Duration::from_millis(1500));
    // The settle goes on to the table version 7 stages its counts in.
    let rest = s
        .batch_execute("LOCK TABLE tiski.count_deltas IN ROW EXCLUSIVE MODE")
        .and_then(|()| s.commit());
    let init = init.join().unwrap();
    assert!(rest.is_ok(), "the settle: {rest:?}");
    assert!(init.is_ok(), "the upgrade: {init:?}");
}

//! Consolidation on a real PostgreSQL (`pg.rs`): desks push their logs,
//! the server keeps each desk to its own rows, and the unit's report from
//! the server is the report of the desks' records merged.

use chrono::{NaiveDate, NaiveDateTime};
use tiski::commands::unit::Unit;
use tiski::config::Config;
use tiski::domain::{Visit, VisitEntry};
use tiski::report::period::Period;
use tiski::server::push::SyncOptions;
use tiski::server::{ServerError, Target};
use tiski::store::{DeskFilter, FigureSource, Store};

use crate::pg::{TestDb, pg};

pub fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

pub fn entry(topics: &[&str]) -> VisitEntry {
    VisitEntry {
        topics: topics.iter().map(|t| t.to_string()).collect(),
        ..VisitEntry::default()
    }
}

/// A clock reading the tests believe (the real one: change stamps follow
/// one another as the steps of a test do).
pub fn now() -> tiski::desk::Trusted {
    tiski::desk::Trusted::by_user(tiski::clock::Now::read())
}

/// A visit of `profile` at `place` at `at_` through the use-case layer,
/// into that day's session there (made by the first visit).
pub fn log(s: &mut Store, profile: &str, place: &str, at_: &str, e: VisitEntry) -> Visit {
    let config = Config::embedded();
    tiski::desk::save_visit(
        s,
        config.profile(profile).unwrap(),
        tiski::store::Target::Day {
            profile,
            location: place,
        },
        at(at_),
        e,
        false,
        &now(),
    )
    .unwrap()
}

/// Replaces a visit's entry (of a profile), as the desk's edit does.
pub fn edit(s: &mut Store, profile: &str, id: tiski::domain::VisitId, e: VisitEntry) {
    let config = Config::embedded();
    tiski::desk::edit_visit(s, config.profile(profile).unwrap(), id, e, None, &now()).unwrap();
}

/// Deletes a visit, leaving its tombstone.
pub fn delete(s: &mut Store, id: tiski::domain::VisitId) {
    tiski::desk::delete_visit(s, id, &now()).unwrap();
}

/// Sends `store` as the desk of `target`.
pub fn sync(store: &mut Store, target: &Target) -> Result<tiski::server::SyncReport, ServerError> {
    let mut c = tiski::server::connect(target)?;
    tiski::server::sync(store, &mut c, target, &SyncOptions::default())
}

pub fn year(y: i32) -> Period {
    Period::year(y)
}

/// The whole unit's report for a year, from any source.
pub fn unit_report<S: FigureSource>(s: &S, y: i32) -> tiski::report::period::PeriodReport
where
    S::Error: std::fmt::Debug,
{
    s.period_report(year(y), &DeskFilter::default()).unwrap()
}

#[test]
fn a_desk_syncs_and_the_reader_sees_its_figures_as_the_desk_does() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let desk = db.desk("kirjasto", None);
    let reader = db.reader();
    let mut s = Store::open_in_memory().unwrap();
    let mut e = entry(&["digituki", "sote"]);
    e.fields.insert("channel".into(), "puhelin".into());
    e.referral = Some("hva".into());
    log(&mut s, "ikaihmiset", "Kirjasto", "2023-11-14 10:05", e);
    log(
        &mut s,
        "ikaihmiset",
        "Kirjasto",
        "2023-11-14 11:20",
        entry(&["kela"]),
    );
    let r = sync(&mut s, &desk).unwrap();
    assert_eq!((r.desk.as_str(), r.sent), ("kirjasto", 3));
    assert_eq!(s.sync_pending().unwrap(), 0);
    let again = sync(&mut s, &desk).unwrap();
    assert_eq!(again.sent, 0, "nothing new");

    let unit = Unit::connect(&reader, tiski::clock::Now::read()).unwrap();
    let server = unit_report(&unit, 2023);
    let local = unit_report(&s, 2023);
    assert_eq!(server, local);
    assert_eq!(server.visitors, 2);
    assert_eq!(server.topics["digituki"], 1);
    let _ = NaiveDate::MIN;
    let _ = Config::embedded();
}

/// A report's reads from the server are one reading: a desk that syncs
/// between two of them (here, between the sessions' read and the counts'
/// read of one report) shows in neither, so its figures agree with each
/// other; the next report sees the sync.
#[test]
fn a_report_from_the_server_reads_one_snapshot_whatever_syncs_meanwhile() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let desk = db.desk("kirjasto", None);
    let reader = db.reader();
    let mut s = Store::open_in_memory().unwrap();
    log(
        &mut s,
        "ikaihmiset",
        "Kirjasto",
        "2023-11-14 10:05",
        entry(&["kela"]),
    );
    sync(&mut s, &desk).unwrap();

    let unit = Unit::connect(&reader, tiski::clock::Now::read()).unwrap();
    let f = DeskFilter::default().between(year(2023).from, year(2023).to);
    let (visitors, counted) = unit
        .in_one_read(|| {
            let visitors: u32 = unit.session_figures(&f)?.iter().map(|x| x.visitors).sum();
            // Another visit synced meanwhile, by the desk's own connection.
            log(
                &mut s,
                "ikaihmiset",
                "Kirjasto",
                "2023-11-14 10:35",
                entry(&["sote"]),
            );
            sync(&mut s, &desk).unwrap();
            let counted: u32 = unit.visit_counts(&f)?.weekdays.iter().sum();
            Ok::<_, tiski::error::Error>((visitors, counted))
        })
        .unwrap();
    assert_eq!((visitors, counted), (1, 1), "one snapshot for both reads");
    let after = unit_report(&unit, 2023);
    assert_eq!(after.visitors, 2, "the next report sees the sync");
    assert_eq!(after, unit_report(&s, 2023));
}

/// A store's whole log through a JSONL export and back, as `tiski
/// import` reads it.
pub fn exported(s: &Store) -> Vec<tiski::store::Record> {
    let min = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let (from, to) = s.date_span().unwrap().unwrap_or((min, min));
    let f = tiski::store::PeriodFilter {
        from,
        to,
        profile: None,
        location: None,
        device: None,
    };
    let mut out = Vec::new();
    tiski::export::jsonl::write_jsonl(
        &mut out,
        s,
        &f,
        &s.device_id().unwrap(),
        &chrono::Utc::now().to_rfc3339(),
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    tiski::import::parse_jsonl(std::path::Path::new("x.jsonl"), &text)
        .unwrap()
        .records
}

/// A file that imported the exports of `desks`, in this order.
pub fn imported(desks: &[&Store]) -> Store {
    let mut s = Store::open_in_memory().unwrap();
    for d in desks {
        s.merge(&exported(d)).unwrap();
    }
    s
}

fn issue(s: &mut Store, config: &Config, at_: &str, birth_year: i32) {
    let p = config.profile("ikaihmiset").unwrap();
    let v = p.voucher_settings().unwrap();
    tiski::desk::issue_voucher(
        s,
        p,
        tiski::store::Target::Day {
            profile: "ikaihmiset",
            location: "Kirjasto",
        },
        at(at_),
        entry(&[v.topic.as_str()]),
        &tiski::store::IssueRequest {
            profile: "ikaihmiset",
            config: v,
            product: &v.products[0].key,
            birth_year: Some(birth_year),
            identity_hash: Some([7u8; 32]),
            from_form: false,
        },
        &now(),
    )
    .unwrap();
}

#[test]
fn a_desk_role_reaches_its_own_rows_only_and_no_one_else_reads_identities() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let a = db.desk("a", Some("LEA"));
    let b = db.desk("b", Some("LEB"));
    let reader = db.reader();
    let config = Config::embedded();
    let (mut sa, mut sb) = (
        Store::open_in_memory().unwrap(),
        Store::open_in_memory().unwrap(),
    );
    issue(&mut sa, &config, "2023-11-14 10:05", 1948);
    issue(&mut sb, &config, "2023-11-15 10:05", 1951);
    sync(&mut sa, &a).unwrap();
    sync(&mut sb, &b).unwrap();
    assert_eq!(
        db.count("SELECT count(*) FROM tiski.copies WHERE desk = 'b'"),
        3
    );

    // As desk a, straight to the server (not through tiski): b's rows
    // are not there to read, change or delete, and none can be made.
    let mut ca = tiski::server::connect(&a).unwrap();
    let seen: i64 = ca
        .query_one("SELECT count(*) FROM tiski.copies WHERE desk = 'b'", &[])
        .unwrap()
        .get(0);
    assert_eq!(seen, 0);
    let mine: i64 = ca
        .query_one("SELECT count(*) FROM tiski.copies", &[])
        .unwrap()
        .get(0);
    assert_eq!(mine, 3, "its own");
    let changed = ca
        .execute(
            "UPDATE tiski.copies SET body = body || '{\"note\": \"x\"}' WHERE desk = 'b'",
            &[],
        )
        .unwrap();
    assert_eq!(changed, 0);
    assert_eq!(
        ca.execute("DELETE FROM tiski.copies WHERE desk = 'b'", &[])
            .unwrap(),
        0
    );
    let forged = ca.execute(
        "INSERT INTO tiski.copies (desk, uid, kind, seq, body)
         VALUES ('b', 'x', 'cancelled', 1, '{\"type\": \"cancelled\", \"uid\": \"x\"}')",
        &[],
    );
    let err = forged.unwrap_err();
    assert_eq!(
        err.code(),
        Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
        "{err}"
    );
    for table in [
        "tiski.records",
        "tiski.day_counts",
        "tiski.month_counts",
        "tiski.unit_months",
        "tiski.session_figures",
        "tiski.session_vouchers",
    ] {
        let err = ca
            .query(&format!("SELECT 1 FROM {table}"), &[])
            .unwrap_err();
        assert_eq!(
            err.code(),
            Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
            "{table}: {err}"
        );
    }
    assert_eq!(
        db.count("SELECT count(*) FROM tiski.copies WHERE desk = 'b'"),
        3
    );
    // a still sees its own voucher's identity; its series is its own.
    let own: Option<i64> = ca
        .query_one(
            "SELECT (body->>'birth_year')::bigint FROM tiski.copies WHERE kind = 'voucher'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(own, Some(1948));

    // The reader reads the unit's records, without any identity, and no
    // desk's copies.
    let mut cr = tiski::server::connect(&reader).unwrap();
    let ids: i64 = cr
        .query_one(
            "SELECT count(*) FROM tiski.records WHERE kind = 'voucher'
               AND (body ? 'birth_year' OR body ? 'identity_hash')",
            &[],
        )
        .unwrap()
        .get(0);
    let vouchers: i64 = cr
        .query_one(
            "SELECT count(*) FROM tiski.records WHERE kind = 'voucher'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!((vouchers, ids), (2, 0));
    // It reads the counts kept of every desk's sessions, and in them no
    // identity: no column of theirs holds one.
    let devices: i64 = cr
        .query_one(
            "SELECT count(DISTINCT device) FROM tiski.session_figures",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(devices, 2, "both desks' sessions");
    let days: i64 = cr
        .query_one("SELECT count(DISTINCT device) FROM tiski.day_counts", &[])
        .unwrap()
        .get(0);
    assert_eq!(days, 2, "both desks' counts");
    let months: i64 = cr
        .query_one(
            "SELECT count(DISTINCT profile) FROM tiski.month_counts",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(months > 0, "the month roll-up");
    let identities: i64 = cr
        .query_one(
            "SELECT count(*) FROM information_schema.columns
             WHERE table_schema = 'tiski'
               AND table_name IN ('day_counts', 'month_counts', 'unit_months', 'session_figures',
                                  'session_vouchers')
               AND (column_name LIKE '%birth%' OR column_name LIKE '%hash%')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(identities, 0);
    let err = cr.query("SELECT 1 FROM tiski.copies", &[]).unwrap_err();
    assert_eq!(
        err.code(),
        Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
    );
    // The unit's voucher figures are the desks' together.
    let unit = Unit::connect(&reader, tiski::clock::Now::read()).unwrap();
    let r = unit_report(&unit, 2023);
    assert_eq!(r.vouchers_written(), 2);
}

#[test]
fn a_voucher_prefix_is_one_desks_alone() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let a = db.desk("a", Some("LEA"));
    let b = db.desk("b", None);
    let opts = |p: &str| SyncOptions {
        prefixes: vec![p.to_string()],
        ..SyncOptions::default()
    };
    let mut sb = Store::open_in_memory().unwrap();
    log(
        &mut sb,
        "ikaihmiset",
        "Spot",
        "2023-11-14 10:05",
        entry(&["muu"]),
    );
    let mut c = tiski::server::connect(&b).unwrap();
    let err = tiski::server::sync(&mut sb, &mut c, &b, &opts("LEA")).unwrap_err();
    assert!(
        matches!(&err, ServerError::SeriesTaken { prefix, desk } if prefix == "LEA" && desk == "a"),
        "{err:?}"
    );
    assert_eq!(
        db.count("SELECT count(*) FROM tiski.copies"),
        0,
        "nothing sent"
    );
    tiski::server::sync(&mut sb, &mut c, &b, &opts("LEB")).unwrap();
    let mut ca = tiski::server::connect(&a).unwrap();
    let mut sa = Store::open_in_memory().unwrap();
    tiski::server::sync(&mut sa, &mut ca, &a, &opts("LEA")).unwrap();
    let err = tiski::server::sync(&mut sa, &mut ca, &a, &opts("LEB")).unwrap_err();
    assert!(matches!(err, ServerError::SeriesTaken { .. }), "{err:?}");
}

#[test]
fn two_desks_syncing_at_once_lose_and_double_nothing() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let targets = [db.desk("a", None), db.desk("b", None)];
    let reader = db.reader();
    let stores: Vec<Store> = (0..2)
        .map(|d| {
            let mut s = Store::open_in_memory().unwrap();
            let profile = if d == 0 {
                "ikaihmiset"
            } else {
                "kotouttaminen"
            };
            for day in 1..=20 {
                for m in 0..30 {
                    let t = format!("2023-03-{day:02} 10:{m:02}");
                    log(&mut s, profile, "Kirjasto", &t, entry(&["muu", "kela"]));
                }
            }
            s
        })
        .collect();
    let synced: Vec<Store> = std::thread::scope(|scope| {
        let handles: Vec<_> = stores
            .into_iter()
            .zip(&targets)
            .map(|(mut s, t)| {
                scope.spawn(move || {
                    let mut c = tiski::server::connect(t).unwrap();
                    let opts = SyncOptions {
                        batch: 50,
                        ..SyncOptions::default()
                    };
                    let r = tiski::server::sync(&mut s, &mut c, t, &opts).unwrap();
                    assert_eq!(r.sent, 620);
                    assert!(r.batches > 10);
                    s
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(db.count("SELECT count(*) FROM tiski.copies"), 1240);
    assert_eq!(db.count("SELECT count(*) FROM tiski.records"), 1240);
    let unit = Unit::connect(&reader, tiski::clock::Now::read()).unwrap();
    let local = imported(&[&synced[0], &synced[1]]);
    let server = unit_report(&unit, 2023);
    assert_eq!(server, unit_report(&local, 2023));
    assert_eq!((server.sessions, server.visitors), (40, 1200));
}

/// Desk a logs a visit; b imports a's export. Then each changes it, `first`
/// before `second`, and both sync.
fn crossing(edit_first: bool) -> (TestDb, Store, Store, Target) {
    let pg = pg().expect("checked by the caller");
    let mut db = TestDb::new(&pg);
    let (ta, tb) = (db.desk("a", None), db.desk("b", None));
    let reader = db.reader();
    let mut a = Store::open_in_memory().unwrap();
    let v = log(
        &mut a,
        "ikaihmiset",
        "Kirjasto",
        "2023-11-14 10:05",
        entry(&["digituki"]),
    );
    log(
        &mut a,
        "ikaihmiset",
        "Kirjasto",
        "2023-11-14 10:30",
        entry(&["sote"]),
    );
    let mut b = Store::open_in_memory().unwrap();
    b.merge(&exported(&a)).unwrap();
    sync(&mut a, &ta).unwrap();
    sync(&mut b, &tb).unwrap();
    let bv = b
        .visits_on(None, NaiveDate::from_ymd_opt(2023, 11, 14).unwrap())
        .unwrap()
        .into_iter()
        .find(|x| x.uid == v.uid)
        .unwrap();
    let pause = || std::thread::sleep(std::time::Duration::from_millis(20));
    if edit_first {
        edit(&mut a, "ikaihmiset", v.id, entry(&["kela"]));
        pause();
        delete(&mut b, bv.id);
    } else {
        delete(&mut b, bv.id);
        pause();
        edit(&mut a, "ikaihmiset", v.id, entry(&["kela"]));
    }
    // b syncs first, a second: the order of arrival does not matter.
    sync(&mut b, &tb).unwrap();
    sync(&mut a, &ta).unwrap();
    (db, a, b, reader)
}

#[test]
fn an_edit_and_a_deletion_crossing_between_desks_end_as_an_import_ends() {
    if pg().is_none() {
        return;
    }
    for edit_first in [true, false] {
        let (_db, a, b, reader) = crossing(edit_first);
        let unit = Unit::connect(&reader, tiski::clock::Now::read()).unwrap();
        let server = unit_report(&unit, 2023);
        for order in [[&a, &b], [&b, &a]] {
            assert_eq!(server, unit_report(&imported(&order), 2023), "{edit_first}");
        }
        if edit_first {
            // Deleted after the edit: gone.
            assert_eq!(server.visitors, 1);
            assert!(!server.topics.contains_key("kela"));
        } else {
            // Edited after the deletion: the edit survives it.
            assert_eq!(server.visitors, 2);
            assert_eq!(server.topics["kela"], 1);
            assert!(!server.topics.contains_key("digituki"));
        }
    }
}

/// A visit `uid` of session `s` at 10:05 with `topic`, written at `stamp`
/// (a desk's clock, right or not), as an export line.
pub fn visit_line(uid: &str, topic: &str, stamp: &str) -> String {
    format!(
        r#"{{"type":"visit","uid":"{uid}","session_uid":"s1","at":"2023-11-14 10:05:00","topics":["{topic}"],"fields":{{}},"note":"","updated_at":"{stamp}"}}"#
    )
}

/// A desk whose log is these JSONL lines after a session `s1`.
pub fn desk_of(lines: &[String]) -> Store {
    let mut text = String::from(
        r#"{"type":"tiski-export","version":1}
{"type":"session","uid":"s1","profile":"ikaihmiset","location":"Kirjasto","device":"d1","date":"2023-11-14","started_at":"2023-11-14 10:00:00","ended_at":null}
"#,
    );
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    let records = tiski::import::parse_jsonl(std::path::Path::new("x"), &text)
        .unwrap()
        .records;
    let mut s = Store::open_in_memory().unwrap();
    s.merge(&records).unwrap();
    s
}

#[test]
fn with_clocks_that_disagree_the_later_stamp_wins_as_in_an_import() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let (ta, tb) = (db.desk("a", None), db.desk("b", None));
    let reader = db.reader();
    // a's clock runs an hour ahead: its edit at 11.00 real time says 12.00;
    // b edited the same visit at 11.30 real time, and b's clock is right.
    // b deleted another visit at 11.45 (right), which a had edited at
    // 11.40 real time (stamped 12.40): by the stamps, a's edit is after
    // the deletion and survives it, as `tiski import` would decide.
    let mut a = desk_of(&[
        visit_line("v1", "digituki", "2023-11-14T12:00:00+00:00"),
        visit_line("v2", "kela", "2023-11-14T12:40:00+00:00"),
    ]);
    let mut b = desk_of(&[
        visit_line("v1", "sote", "2023-11-14T11:30:00+00:00"),
        r#"{"type":"deleted","uid":"v2","deleted_at":"2023-11-14T11:45:00+00:00"}"#.to_string(),
    ]);
    sync(&mut a, &ta).unwrap();
    sync(&mut b, &tb).unwrap();
    let unit = Unit::connect(&reader, tiski::clock::Now::read()).unwrap();
    let server = unit_report(&unit, 2023);
    for order in [[&a, &b], [&b, &a]] {
        assert_eq!(server, unit_report(&imported(&order), 2023));
    }
    assert_eq!(server.topics["digituki"], 1, "{:?}", server.topics);
    assert_eq!(server.topics["kela"], 1);
    assert!(!server.topics.contains_key("sote"));
    // b's clock catches up: an edit stamped later than a's wins.
    let mut b2 = desk_of(&[visit_line("v1", "sote", "2023-11-14T12:10:00+00:00")]);
    let tb2 = db.desk("b2", None);
    sync(&mut b2, &tb2).unwrap();
    let server = unit_report(&unit, 2023);
    assert_eq!(server.topics.get("sote"), Some(&1));
    assert!(!server.topics.contains_key("digituki"));
}

#[test]
fn retention_reaches_the_server_and_a_purge_there_clears_every_desks_copy() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let ta = db.desk("a", None);
    let reader = db.reader();
    let mut a = Store::open_in_memory().unwrap();
    let mut e = entry(&["digituki"]);
    e.note = "kysyi tulostimesta".into();
    log(
        &mut a,
        "ikaihmiset",
        "Kirjasto",
        "2023-11-14 10:05",
        e.clone(),
    );
    sync(&mut a, &ta).unwrap();
    let notes = |db: &TestDb| {
        db.count("SELECT count(*) FROM tiski.copies WHERE body->>'note' <> ''")
            + db.count("SELECT count(*) FROM tiski.records WHERE body->>'note' <> ''")
    };
    assert_eq!(notes(&db), 2);
    // The desk's own purge clears the note; the next sync takes it there.
    let cut = tiski::privacy::retention::Cutoffs {
        notes_before: NaiveDate::from_ymd_opt(2024, 1, 1),
        identities_before: None,
    };
    a.purge(&cut, None, &tiski::clock::Now::read().stamp())
        .unwrap();
    sync(&mut a, &ta).unwrap();
    assert_eq!(notes(&db), 0);

    // A copy the desk no longer has a say over (another desk's): the
    // desk's retention at sync, and the admin's purge, reach it too.
    let mut b = Store::open_in_memory().unwrap();
    log(&mut b, "ikaihmiset", "Spot", "2023-11-15 10:05", e);
    let tb = db.desk("b", None);
    sync(&mut b, &tb).unwrap();
    assert_eq!(notes(&db), 2);
    let mut c = db.client();
    let (n, _) = tiski::server::schema::purge(&mut c, &db.admin, cut.notes_before, None).unwrap();
    assert_eq!(n, 1);
    assert_eq!(notes(&db), 0, "the unit's record follows its copies");
    let _ = reader;
}

/// On a connection kept open (the duty screen's), the prefix claim and the
/// retention purge are not run again for every save, yet hold: an old
/// visit with a note sent on it is cleared on the server as on a fresh
/// connection, and a prefix changed to another desk's is still refused.
#[test]
fn on_a_kept_connection_retention_and_the_prefix_claim_still_hold() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let ta = db.desk("a", None);
    db.desk("b", Some("LEB"));
    let mut a = Store::open_in_memory().unwrap();
    log(
        &mut a,
        "ikaihmiset",
        "Kirjasto",
        "2025-11-14 10:05",
        entry(&["digituki"]),
    );
    let opts = SyncOptions {
        prefixes: vec!["LEA".into()],
        retention: Some(tiski::privacy::retention::Cutoffs {
            notes_before: NaiveDate::from_ymd_opt(2024, 1, 1),
            identities_before: None,
        }),
        ..SyncOptions::default()
    };
    let mut c = tiski::server::connect(&ta).unwrap();
    let mut session = tiski::server::push::Session::default();
    tiski::server::push::sync_in(&mut a, &mut c, &ta, &opts, &mut session).unwrap();
    // A new save: nothing to clear, nothing cleared.
    log(
        &mut a,
        "ikaihmiset",
        "Kirjasto",
        "2025-11-14 10:20",
        entry(&["muu"]),
    );
    let r = tiski::server::push::sync_in(&mut a, &mut c, &ta, &opts, &mut session).unwrap();
    assert!(r.sent > 0 && r.purged == (0, 0), "{r:?}");
    // An old visit with a note (an import from before the cutoff) is
    // sent on the same connection: the server keeps no note of it.
    let mut e = entry(&["digituki"]);
    e.note = "kysyi tulostimesta".into();
    log(&mut a, "ikaihmiset", "Kirjasto", "2023-11-14 10:05", e);
    let r = tiski::server::push::sync_in(&mut a, &mut c, &ta, &opts, &mut session).unwrap();
    assert_eq!(r.purged.0, 1, "{r:?}");
    assert_eq!(
        db.count("SELECT count(*) FROM tiski.copies WHERE body->>'note' <> ''"),
        0
    );
    // Another desk's prefix, on the same connection: refused, nothing sent.
    log(
        &mut a,
        "ikaihmiset",
        "Kirjasto",
        "2025-11-14 10:30",
        entry(&["muu"]),
    );
    let taken = SyncOptions {
        prefixes: vec!["LEB".into()],
        ..opts.clone()
    };
    let err = tiski::server::push::sync_in(&mut a, &mut c, &ta, &taken, &mut session).unwrap_err();
    assert!(matches!(err, ServerError::SeriesTaken { .. }), "{err:?}");
    assert!(a.sync_pending().unwrap() > 0, "nothing taken");
    // The connection is usable after the refusal.
    let r = tiski::server::push::sync_in(&mut a, &mut c, &ta, &opts, &mut session).unwrap();
    assert!(r.sent > 0 && a.sync_pending().unwrap() == 0, "{r:?}");
}

#[test]
fn a_full_sync_puts_back_what_a_server_restored_from_an_older_backup_lost() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let desk = db.desk("a", None);
    let mut s = Store::open_in_memory().unwrap();
    for m in ["10:05", "10:20"] {
        log(
            &mut s,
            "ikaihmiset",
            "Kirjasto",
            &format!("2023-11-14 {m}"),
            entry(&["muu"]),
        );
    }
    sync(&mut s, &desk).unwrap();
    // The server's copy of this desk is lost (a restore from before).
    db.client()
        .batch_execute("DELETE FROM tiski.copies")
        .unwrap();
    assert_eq!(sync(&mut s, &desk).unwrap().sent, 0, "the desk cannot know");
    assert_eq!(s.sync_resend_all().unwrap(), 3);
    assert_eq!(sync(&mut s, &desk).unwrap().sent, 3);
    assert_eq!(db.count("SELECT count(*) FROM tiski.records"), 3);
    // Again: nothing changes on the server.
    s.sync_resend_all().unwrap();
    let before = db.count("SELECT sum(xmin::text::bigint)::bigint FROM tiski.copies");
    sync(&mut s, &desk).unwrap();
    assert_eq!(
        db.count("SELECT sum(xmin::text::bigint)::bigint FROM tiski.copies"),
        before,
        "no row rewritten"
    );
}

#[test]
fn the_register_description_names_the_server_when_one_is_configured() {
    let env = crate::cli::Env::new();
    let none = env.ok(&["privacy-notice"]);
    assert!(none.contains("eikä palvelimelle"), "{none}");
    let cfg = env.dir.path().join("server.toml");
    std::fs::write(
        &cfg,
        "[server]\nhost = \"tietokanta.heinola.fi\"\ndatabase = \"hyte\"\nuser = \"tiski_kirjasto\"\n",
    )
    .unwrap();
    let with = env.ok(&["--config", cfg.to_str().unwrap(), "privacy-notice"]);
    assert!(
        with.contains("PostgreSQL-palvelimelle tietokanta.heinola.fi/hyte"),
        "{with}"
    );
    assert!(!with.contains("eikä palvelimelle"), "{with}");
    let en = env.ok(&[
        "--config",
        cfg.to_str().unwrap(),
        "--lang",
        "en",
        "privacy-notice",
    ]);
    assert!(
        en.contains("PostgreSQL server tietokanta.heinola.fi/hyte"),
        "{en}"
    );
    // A password in the config is refused, with where it is.
    std::fs::write(&cfg, "[server]\nhost = \"h\"\npassword = \"salainen\"\n").unwrap();
    let out = env.run(&["--config", cfg.to_str().unwrap(), "privacy-notice"]);
    let msg = crate::cli::fails(&out);
    assert!(msg.contains("rivi 3") || msg.contains("line 3"), "{msg}");
    assert!(msg.contains("salasanaa ei koskaan"), "{msg}");
}

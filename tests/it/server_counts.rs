//! The counts the server keeps for the unit's report (schema version 2:
//! per day and desk, and per session; version 3: per month)
//! follow every change a desk sends:
//! a visit edited (its topics and its time), a visit deleted (its
//! tombstone), a visit undone with its voucher cancelled, a voucher
//! cancelled, a head-count taken away, another desk's edit of an imported
//! visit, and a purge on the desk and on the server. After each, the
//! report from the server is the report of a file importing the desks, and
//! the kept counts are those of the unit's records counted again.

use chrono::NaiveDate;
use tiski::commands::unit::Unit;
use tiski::config::Config;
use tiski::store::Store;

use crate::pg::{TestDb, pg};
use crate::server::{at, delete, edit, entry, exported, imported, log, now, sync};
use crate::server_props::figures;

/// Rows of the kept counts that differ from the unit's records counted
/// one by one (0 when they agree): the day counts, each session's
/// visitors, and the month roll-ups of the day counts (each desk's, the
/// unit's).
pub fn kept_differing(db: &TestDb) -> i64 {
    let days = db.count(
        "SELECT count(*) FROM (
             SELECT 1 FROM (
                 SELECT date, profile, location, device, kind, key, value, n
                 FROM tiski.day_counts
                 UNION ALL
                 SELECT s.body->>'date', s.body->>'profile', s.body->>'location',
                        s.body->>'device', p.kind, p.key, p.value, -p.n
                 FROM tiski.records s
                 JOIN tiski.records r ON r.kind IN ('visit', 'head_count')
                                     AND r.body->>'session_uid' = s.uid
                 CROSS JOIN LATERAL (
                     SELECT 'hour' AS kind,
                            extract(hour FROM (r.body->>'at')::timestamp)::int::text AS key,
                            '' AS value, 1::bigint AS n
                      WHERE r.kind = 'visit'
                     UNION ALL
                     SELECT 'weekday', (extract(isodow FROM (r.body->>'at')::timestamp)::int - 1)::text,
                            '', 1 WHERE r.kind = 'visit'
                     UNION ALL
                     SELECT 'referral', r.body->>'referral', '', 1
                      WHERE r.kind = 'visit' AND r.body->>'referral' IS NOT NULL
                     UNION ALL
                     SELECT 'topic', t, '', 1 FROM jsonb_array_elements_text(
                         CASE WHEN r.kind = 'visit' THEN r.body->'topics' ELSE '[]' END) t
                     UNION ALL
                     SELECT 'field', f.key, f.value, 1 FROM jsonb_each_text(
                         CASE WHEN r.kind = 'visit' THEN r.body->'fields' ELSE '{}' END) f
                     UNION ALL
                     SELECT 'heads', (extract(isodow FROM (r.body->>'at')::timestamp)::int - 1)::text,
                            extract(hour FROM (r.body->>'at')::timestamp)::int::text,
                            (r.body->>'n')::bigint
                      WHERE r.kind = 'head_count'
                 ) p
                 WHERE s.kind = 'session'
             ) x
             GROUP BY date, profile, location, device, kind, key, value
             HAVING sum(n) <> 0
         ) d",
    );
    let sessions = db.count(
        "SELECT count(*) FROM (
             SELECT uid, date, profile, location, device, visitors FROM tiski.session_figures
             EXCEPT
             SELECT s.uid, s.body->>'date', s.body->>'profile', s.body->>'location',
                    s.body->>'device',
                    (SELECT count(*) FROM tiski.records v
                      WHERE v.kind = 'visit' AND v.body->>'session_uid' = s.uid)
                  + (SELECT coalesce(sum((h.body->>'n')::bigint), 0) FROM tiski.records h
                      WHERE h.kind = 'head_count' AND h.body->>'session_uid' = s.uid)
             FROM tiski.records s WHERE s.kind = 'session'
         ) d",
    ) + db.count(
        "SELECT abs((SELECT count(*) FROM tiski.session_figures)
                  - (SELECT count(*) FROM tiski.records WHERE kind = 'session'))",
    );
    // The month roll-up (schema version 3): the day counts summed per
    // month.
    let months = db.count(
        "SELECT count(*) FROM (
             SELECT 1 FROM (
                 SELECT month, profile, location, device, kind, key, value, n
                 FROM tiski.month_counts
                 UNION ALL
                 SELECT substr(date, 1, 7), profile, location, device, kind, key, value, -n
                 FROM tiski.day_counts
             ) x
             GROUP BY month, profile, location, device, kind, key, value
             HAVING sum(n) <> 0
         ) d",
    );
    // The whole unit's months: the months of every desk summed, nothing
    // left to fold after the commits.
    let unit = db.count(
        "SELECT count(*) FROM (
             SELECT 1 FROM (
                 SELECT month, profile, kind, key, value, n FROM tiski.unit_months
                 UNION ALL
                 SELECT month, profile, kind, key, value, -n FROM tiski.month_counts
             ) x
             GROUP BY month, profile, kind, key, value
             HAVING sum(n) <> 0
         ) d",
    ) + db.count("SELECT count(*) FROM tiski.settle_touched")
        + db.count("SELECT count(*) FROM tiski.month_deltas")
        + db.count("SELECT count(*) FROM tiski.unit_months_due");
    // Each session's vouchers (schema version 4): those of the unit's
    // records (not cancelled) by their visit's session counted again.
    let vouchers = db.count(
        "SELECT count(*) FROM (
             SELECT 1 FROM (
                 SELECT session_uid, issued_day, voucher_profile, product, n
                 FROM tiski.session_vouchers
                 UNION ALL
                 SELECT v.body->>'session_uid', substr(x.body->>'issued_at', 1, 10),
                        x.body->>'profile', x.body->>'product', -1
                 FROM tiski.records x
                 JOIN tiski.records v ON v.kind = 'visit' AND v.uid = x.body->>'visit_uid'
                 WHERE x.kind = 'voucher' AND x.body->>'status' <> 'cancelled'
             ) x
             GROUP BY session_uid, issued_day, voucher_profile, product
             HAVING sum(n) <> 0
         ) d",
    ) + db.count("SELECT count(*) FROM tiski.session_vouchers WHERE n <= 0");
    days + sessions + months + unit + vouchers
}

/// The server's figures against those of the desk's own file `local` (or
/// of a file importing the desks), and its kept counts against its
/// records, after step `what`.
pub fn agrees(db: &TestDb, reader: &tiski::server::Target, local: &Store, what: &str) {
    let config = Config::embedded();
    let unit = Unit::connect(reader, tiski::clock::Now::read()).unwrap();
    assert_eq!(
        figures(&unit, &config),
        figures(local, &config),
        "after {what}"
    );
    assert_eq!(kept_differing(db), 0, "kept counts after {what}");
}

/// A voucher issued in a visit of the elderly desk at `at_`; its number.
fn issue(s: &mut Store, config: &Config, at_: &str) -> String {
    let p = config.profile("ikaihmiset").unwrap();
    let v = p.voucher_settings().unwrap();
    let (_, voucher) = tiski::desk::issue_voucher(
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
            birth_year: Some(1948),
            identity_hash: Some([7u8; 32]),
            from_form: false,
        },
        &now(),
    )
    .unwrap();
    voucher.number
}

#[test]
fn the_kept_counts_follow_edits_deletions_cancellations_and_purges() {
    let Some(pg) = pg() else { return };
    let config = Config::embedded();
    let mut db = TestDb::new(&pg);
    let (ta, tb) = (db.desk("a", None), db.desk("b", None));
    let reader = db.reader();
    let mut a = Store::open_in_memory().unwrap();
    let mut e = entry(&["digituki", "sote"]);
    e.fields.insert("channel".into(), "puhelin".into());
    e.referral = Some("hva".into());
    e.note = "kysyi tulostimesta".into();
    let edited = log(&mut a, "ikaihmiset", "Kirjasto", "2023-11-14 10:05", e);
    let deleted = log(
        &mut a,
        "ikaihmiset",
        "Kirjasto",
        "2023-11-14 10:40",
        entry(&["kela"]),
    );
    log(
        &mut a,
        "ikaihmiset",
        "Spot",
        "2023-11-21 10:10",
        entry(&["sote"]),
    );
    let heads = tiski::desk::add_head_count(
        &mut a,
        tiski::store::Target::Day {
            profile: "perhe",
            location: "Sinilähdetalo",
        },
        at("2023-11-16 12:00"),
        12,
        &now(),
    )
    .unwrap();
    let kept = issue(&mut a, &config, "2023-11-14 11:00");
    issue(&mut a, &config, "2023-11-14 11:20");
    sync(&mut a, &ta).unwrap();
    agrees(&db, &reader, &a, "the first sync");

    // An edit: other topics, no field, another hour.
    edit(&mut a, "ikaihmiset", edited.id, entry(&["kela"]));
    tiski::desk::edit_visit(
        &mut a,
        config.profile("ikaihmiset").unwrap(),
        edited.id,
        entry(&["kela", "sote"]),
        Some(at("2023-11-14 11:55")),
        &now(),
    )
    .unwrap();
    sync(&mut a, &ta).unwrap();
    agrees(&db, &reader, &a, "an edit");

    // A deletion: the visit's tombstone.
    delete(&mut a, deleted.id);
    sync(&mut a, &ta).unwrap();
    agrees(&db, &reader, &a, "a deletion");

    // A voucher cancelled; the visit of the other one undone (its voucher
    // cancelled with it); the head-count taken away.
    tiski::desk::cancel_voucher(&mut a, &kept, "virhe", &now()).unwrap();
    let undone = a
        .visits_on(None, NaiveDate::from_ymd_opt(2023, 11, 14).unwrap())
        .unwrap()
        .into_iter()
        .find(|v| v.at == at("2023-11-14 11:20"))
        .unwrap();
    delete(&mut a, undone.id);
    tiski::desk::delete_head_count(&mut a, heads.id, &now()).unwrap();
    sync(&mut a, &ta).unwrap();
    agrees(&db, &reader, &a, "the cancellations");

    // Another desk takes a's log and edits a's visit later: the unit's
    // record is worked out again from both copies.
    let mut b = Store::open_in_memory().unwrap();
    b.merge(&exported(&a)).unwrap();
    let theirs = b
        .visits_on(None, NaiveDate::from_ymd_opt(2023, 11, 21).unwrap())
        .unwrap()
        .remove(0);
    std::thread::sleep(std::time::Duration::from_millis(20));
    edit(&mut b, "ikaihmiset", theirs.id, entry(&["digituki"]));
    log(
        &mut b,
        "kotouttaminen",
        "HeiMo",
        "2023-11-22 13:00",
        entry(&["kela"]),
    );
    sync(&mut b, &tb).unwrap();
    agrees(&db, &reader, &imported(&[&a, &b]), "another desk's edit");

    // A purge, on the desk (its next sync) and on the server: notes and
    // identities go, the counts stay.
    let cut = tiski::privacy::retention::Cutoffs {
        notes_before: NaiveDate::from_ymd_opt(2024, 1, 1),
        identities_before: NaiveDate::from_ymd_opt(2030, 1, 1),
    };
    a.purge(&cut, None, &tiski::clock::Now::read().stamp())
        .unwrap();
    sync(&mut a, &ta).unwrap();
    let mut c = db.client();
    tiski::server::schema::purge(&mut c, &db.admin, cut.notes_before, cut.identities_before)
        .unwrap();
    assert_eq!(
        db.count("SELECT count(*) FROM tiski.records WHERE body->>'note' <> ''"),
        0
    );
    agrees(&db, &reader, &imported(&[&a, &b]), "the purges");
}

/// A voucher that reaches the server before its visit (the visit edited
/// after the voucher was issued, sent one record per batch): its session's
/// vouchers are counted again when the visit comes, and again when the
/// visit goes with the voucher left as it was.
#[test]
fn a_voucher_sent_before_its_visit_counts_once_the_visit_comes() {
    let Some(pg) = pg() else { return };
    let config = Config::embedded();
    let mut db = TestDb::new(&pg);
    let ta = db.desk("a", None);
    let reader = db.reader();
    let mut a = Store::open_in_memory().unwrap();
    // (The outbox on from the start: it keeps the order records changed.)
    a.sync_enable().unwrap();
    issue(&mut a, &config, "2023-11-14 11:00");
    let visit = a
        .visits_on(None, NaiveDate::from_ymd_opt(2023, 11, 14).unwrap())
        .unwrap()
        .remove(0);
    edit(&mut a, "ikaihmiset", visit.id, entry(&["kela"]));
    let one_by_one = tiski::server::push::SyncOptions {
        batch: 1,
        ..Default::default()
    };
    let mut c = tiski::server::connect(&ta).unwrap();
    tiski::server::sync(&mut a, &mut c, &ta, &one_by_one).unwrap();
    assert_eq!(db.count("SELECT count(*) FROM tiski.session_vouchers"), 1);
    agrees(&db, &reader, &a, "a voucher before its visit");
}

/// A visit edited to another topic, and then deleted: the counts that
/// came to nothing (its old topic, then its new one) leave no row behind
/// in the kept counts (schema version 7 kept each as a row with n = 0 for
/// good), and the report is still the desk's.
#[test]
fn counts_that_come_to_nothing_leave_no_rows_behind() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let ta = db.desk("a", None);
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
        "2023-11-14 10:40",
        entry(&["kela"]),
    );
    sync(&mut a, &ta).unwrap();
    let zeros = |db: &TestDb| {
        db.count("SELECT count(*) FROM tiski.day_counts WHERE n = 0")
            + db.count("SELECT count(*) FROM tiski.unit_months WHERE n = 0")
    };
    edit(&mut a, "ikaihmiset", v.id, entry(&["sote"]));
    sync(&mut a, &ta).unwrap();
    agrees(&db, &reader, &a, "an edit");
    assert_eq!(zeros(&db), 0, "rows at 0 after an edit");
    delete(&mut a, v.id);
    sync(&mut a, &ta).unwrap();
    agrees(&db, &reader, &a, "a deletion");
    assert_eq!(zeros(&db), 0, "rows at 0 after a deletion");
}

/// A server at schema version 2 that holds a desk's records and the counts
/// kept of them, brought to version 3 by `tiski server init`: the month
/// roll-up it makes is the day counts summed, and the report read from
/// it is the desk's own.
#[test]
fn a_server_brought_up_from_version_2_rolls_up_the_counts_it_holds() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::at_version(&pg, 2);
    let mut a = Store::open_in_memory().unwrap();
    let mut e = entry(&["digituki", "sote"]);
    e.fields.insert("channel".into(), "puhelin".into());
    log(&mut a, "ikaihmiset", "Kirjasto", "2023-11-14 10:05", e);
    log(
        &mut a,
        "ikaihmiset",
        "Spot",
        "2023-12-21 10:10",
        entry(&["kela"]),
    );
    tiski::desk::add_head_count(
        &mut a,
        tiski::store::Target::Day {
            profile: "perhe",
            location: "Sinilähdetalo",
        },
        at("2023-10-16 12:00"),
        12,
        &now(),
    )
    .unwrap();
    // The desk's copies as version 2's push wrote them (this tiski pushes
    // only to its own version): by the admin, into the copies of desk a.
    let mut c = db.client();
    c.execute(
        "INSERT INTO tiski.desks (desk, role) VALUES ('a', 'tiski_v2_desk')",
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
    assert!(db.count("SELECT count(*) FROM tiski.day_counts") > 0);
    let mut admin = db.client();
    let done = tiski::server::schema::init(&mut admin, &db.admin).unwrap();
    assert_eq!((done.from, done.to), (2, tiski::server::schema::LATEST));
    assert!(db.count("SELECT count(*) FROM tiski.month_counts") > 0);
    let reader = db.reader();
    agrees(&db, &reader, &a, "the upgrade");
}

/// A server at schema version 3 holding a desk's vouchers, one of them
/// sent before the fix that sends a cleared identity hash as null (its
/// copy's hash ""), brought to version 4: that copy's hash is null (the
/// server's purge finds nothing left to clear), and the vouchers already
/// there are counted per session as the report reads them.
#[test]
fn a_server_brought_up_from_version_3_counts_its_vouchers_and_nulls_empty_hashes() {
    let Some(pg) = pg() else { return };
    let config = Config::embedded();
    let mut db = TestDb::at_version(&pg, 3);
    let mut a = Store::open_in_memory().unwrap();
    issue(&mut a, &config, "2023-11-14 11:00");
    issue(&mut a, &config, "2023-11-15 11:00");
    let mut c = db.client();
    c.execute(
        "INSERT INTO tiski.desks (desk, role) VALUES ('a', 'tiski_v3_desk')",
        &[],
    )
    .unwrap();
    a.sync_enable().unwrap();
    let mut emptied = false;
    for r in a.sync_batch(0, usize::MAX).unwrap() {
        let Some(mut body) = r.body else { continue };
        if r.kind == "voucher" && !emptied {
            // As the outbox wrote a hash cleared by the purge before the fix.
            let mut v: serde_json::Value = serde_json::from_str(&body).unwrap();
            v["identity_hash"] = "".into();
            v["birth_year"] = serde_json::Value::Null;
            body = v.to_string();
            emptied = true;
        }
        c.execute(
            "INSERT INTO tiski.copies (desk, uid, kind, seq, updated_at, body)
             VALUES ('a', $1, $2, $3, tiski.written_at($2, $4::text::jsonb), $4::text::jsonb)",
            &[&r.uid, &r.kind, &r.seq, &body],
        )
        .unwrap();
    }
    assert!(emptied);
    let empty = "SELECT count(*) FROM tiski.copies
                 WHERE kind = 'voucher' AND body->>'identity_hash' = ''";
    assert_eq!(db.count(empty), 1);
    let done = tiski::server::schema::init(&mut c, &db.admin).unwrap();
    assert_eq!((done.from, done.to), (3, tiski::server::schema::LATEST));
    assert_eq!(db.count(empty), 0);
    assert_eq!(
        db.count(
            "SELECT count(*) FROM tiski.copies
             WHERE kind = 'voucher' AND body->'identity_hash' = 'null'::jsonb"
        ),
        1
    );
    assert_eq!(
        db.count("SELECT coalesce(sum(n), 0)::bigint FROM tiski.session_vouchers"),
        2
    );
    // Only the voucher whose identity is still there is left to clear.
    let (_, identities) =
        tiski::server::schema::purge(&mut c, &db.admin, None, NaiveDate::from_ymd_opt(2100, 1, 1))
            .unwrap();
    assert_eq!(identities, 1);
    let reader = db.reader();
    agrees(&db, &reader, &a, "the upgrade");
}

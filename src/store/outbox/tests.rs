//! The outbox follows every write once it is on, and only then.

use chrono::NaiveDateTime;
use serde_json::Value;

use crate::domain::VisitEntry;
use crate::store::Store;
use crate::store::test_support::{clock, ok, stamp};

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn entry(topics: &[&str]) -> VisitEntry {
    VisitEntry {
        topics: topics.iter().map(|t| t.to_string()).collect(),
        ..VisitEntry::default()
    }
}

/// Every pending change as (kind, uid, body).
fn pending(s: &Store) -> Vec<(String, String, Option<Value>)> {
    s.sync_batch(0, 1000)
        .unwrap()
        .into_iter()
        .map(|c| {
            let body = c.body.map(|b| serde_json::from_str(&b).unwrap());
            (c.kind, c.uid, body)
        })
        .collect()
}

#[test]
fn off_until_enabled_then_every_record_already_there_waits() {
    let mut s = Store::open_in_memory().unwrap();
    let (session, _) = s
        .open_session("ikaihmiset", "Kirjasto", at("2023-11-14 10:00"))
        .unwrap();
    let v = s
        .add_visit(
            session.id,
            at("2023-11-14 10:05"),
            &entry(&["digituki", "sote"]),
        )
        .unwrap();
    assert!(!s.sync_enabled().unwrap());
    assert_eq!(s.sync_pending().unwrap(), 0, "nothing kept while off");
    assert!(s.sync_enable().unwrap());
    assert!(!s.sync_enable().unwrap(), "once");
    let p = pending(&s);
    assert_eq!(p.len(), 2, "{p:?}");
    let visit = p.iter().find(|x| x.0 == "visit").unwrap();
    assert_eq!(visit.1, v.uid);
    let body = visit.2.as_ref().unwrap();
    assert_eq!(body["type"], "visit");
    assert_eq!(body["session_uid"], session.uid);
    assert_eq!(body["topics"], serde_json::json!(["digituki", "sote"]));
    assert_eq!(body["fields"], serde_json::json!({}));
    assert_eq!(body["at"], "2023-11-14 10:05:00");
    let session_body = p.iter().find(|x| x.0 == "session").unwrap();
    assert_eq!(session_body.2.as_ref().unwrap()["location"], "Kirjasto");
    assert_eq!(s.sync_pending().unwrap(), 2);
}

#[test]
fn edits_and_deletions_are_kept_and_a_change_during_a_send_stays() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_enable().unwrap();
    let (session, _) = s
        .open_session("ikaihmiset", "Kirjasto", at("2023-11-14 10:00"))
        .unwrap();
    let v = s
        .add_visit(session.id, at("2023-11-14 10:05"), &entry(&["digituki"]))
        .unwrap();
    let sent = s.sync_batch(0, 1000).unwrap();
    assert_eq!(sent.len(), 2);
    // Edited after the batch was read, before the server took it.
    let mut e = entry(&["kela"]);
    e.fields.insert("channel".into(), "puhelin".into());
    s.update_visit(v.id, &ok(e), None, &stamp()).unwrap();
    s.sync_acknowledge(sent.last().unwrap().seq).unwrap();
    let p = pending(&s);
    assert_eq!(p.len(), 1, "the edit waits: {p:?}");
    let body = p[0].2.as_ref().unwrap();
    assert_eq!(body["topics"], serde_json::json!(["kela"]));
    assert_eq!(body["fields"]["channel"], "puhelin");
    let upto = s.sync_batch(0, 1000).unwrap().last().unwrap().seq;
    s.sync_acknowledge(upto).unwrap();
    assert_eq!(s.sync_pending().unwrap(), 0);

    // A deletion: the visit is gone, its tombstone travels.
    s.delete_visit(v.id, &clock()).unwrap();
    let p = pending(&s);
    assert_eq!(p.len(), 2, "{p:?}");
    let gone = p.iter().find(|x| x.0 == "visit").unwrap();
    assert_eq!((gone.1.as_str(), &gone.2), (v.uid.as_str(), &None));
    let tomb = p.iter().find(|x| x.0 == "deleted").unwrap();
    assert_eq!(tomb.2.as_ref().unwrap()["uid"], v.uid);
}

#[test]
fn a_batch_is_a_slice_in_change_order() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_enable().unwrap();
    let (session, _) = s
        .open_session("ikaihmiset", "Kirjasto", at("2023-11-14 10:00"))
        .unwrap();
    for m in 1..=5 {
        s.add_visit(
            session.id,
            at(&format!("2023-11-14 10:0{m}")),
            &entry(&["muu"]),
        )
        .unwrap();
    }
    let first = s.sync_batch(0, 2).unwrap();
    assert_eq!(first.len(), 2);
    assert_eq!(first[0].kind, "session");
    let rest = s.sync_batch(first[1].seq, 100).unwrap();
    assert_eq!(rest.len(), 4);
    assert!(rest.windows(2).all(|w| w[0].seq < w[1].seq));
    assert!(rest[0].seq > first[1].seq);
}

/// A voucher whose birth year and identity hash the retention purge
/// cleared travels with both null, not an empty hash: the server's purge
/// looks for vouchers still holding either, and would find these at every
/// run (counting them cleared again and rewriting their copies).
#[test]
fn a_purged_vouchers_identity_travels_as_null() {
    use crate::voucher::identity::KEY_LEN;
    let mut s = Store::open_in_memory().unwrap();
    assert!(s.sync_enable().unwrap());
    let c = crate::config::Config::embedded().profiles["ikaihmiset"]
        .voucher_settings()
        .unwrap()
        .clone();
    let session = s
        .session_for_log("ikaihmiset", "Kirjasto", at("2023-11-14 10:00"))
        .unwrap();
    let req = crate::store::IssueRequest {
        profile: "ikaihmiset",
        config: &c,
        product: "liukuesteet",
        birth_year: Some(1948),
        identity_hash: Some([7u8; KEY_LEN]),
        from_form: false,
    };
    s.issue_voucher(
        crate::store::Target::Session(session.id),
        at("2023-11-14 10:05"),
        &ok(entry(&["liukuesteet"])),
        &req,
        &stamp(),
    )
    .unwrap();
    let voucher = |s: &Store| {
        pending(s)
            .into_iter()
            .find(|x| x.0 == "voucher")
            .and_then(|x| x.2)
            .unwrap()
    };
    assert_eq!(voucher(&s)["identity_hash"], "07".repeat(KEY_LEN));
    s.conn
        .execute_batch("UPDATE vouchers SET birth_year = NULL, identity_hash = NULL")
        .unwrap();
    let body = voucher(&s);
    assert_eq!(body["birth_year"], Value::Null);
    assert_eq!(body["identity_hash"], Value::Null, "{body}");
}

/// The outbox's triggers, by name.
fn outbox_triggers(conn: &rusqlite::Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync\\_%' ESCAPE '\\' ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// A log that never syncs has none of the outbox's triggers (none to
/// parse at each start, none to run at each save); turning the outbox on
/// makes every one of them, and migration 11 drops every one migration
/// 10 made.
#[test]
fn the_triggers_are_there_only_while_the_outbox_is_on() {
    let mut s = Store::open_in_memory().unwrap();
    assert_eq!(outbox_triggers(&s.conn), Vec::<String>::new());
    s.sync_enable().unwrap();
    let on = outbox_triggers(&s.conn);
    assert_eq!(on.len() as i64, super::TRIGGER_COUNT, "{on:?}");
    // Migration 10 as shipped, then 11: nothing of 10's is left.
    let c = rusqlite::Connection::open_in_memory().unwrap();
    for sql in &crate::store::MIGRATIONS[..10] {
        c.execute_batch(sql).unwrap();
    }
    assert_eq!(
        outbox_triggers(&c),
        on,
        "the same triggers as migration 10's"
    );
    c.execute_batch(super::OFF_UNTIL_ENABLED).unwrap();
    assert_eq!(outbox_triggers(&c), Vec::<String>::new());
}

/// A desk that already synced keeps its outbox across migration 11: its
/// triggers are made again in the migration's transaction, so a save
/// after it is still sent; a desk that never synced has none after it.
#[test]
fn a_desk_that_syncs_keeps_its_triggers_across_the_migration() {
    for synced in [true, false] {
        let mut c = rusqlite::Connection::open_in_memory().unwrap();
        for (i, sql) in crate::store::MIGRATIONS[..10].iter().enumerate() {
            c.execute_batch(sql).unwrap();
            c.pragma_update(None, "user_version", i as i64 + 1).unwrap();
        }
        if synced {
            c.execute("INSERT INTO sync_seq(n) VALUES (0)", []).unwrap();
        }
        crate::store::migrations::migrate(&mut c).unwrap();
        let made = outbox_triggers(&c).len() as i64;
        assert_eq!(made, if synced { super::TRIGGER_COUNT } else { 0 });
        c.execute(
            "INSERT INTO tombstones(uid, deleted_at) VALUES ('t1', '2023-11-14T10:00:00Z')",
            [],
        )
        .unwrap();
        let kept: i64 = c
            .query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, i64::from(synced), "synced: {synced}");
    }
}

/// The outbox turned on by another program (a `tiski sync` beside the
/// duty screen) reaches the screen's own saves at once: its statements,
/// cached before the triggers were made, are made again with them.
#[test]
fn a_save_after_another_program_turned_the_outbox_on_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiski.db");
    let mut screen = Store::open(&path).unwrap();
    let (session, _) = screen
        .open_session("ikaihmiset", "Kirjasto", at("2023-11-14 10:00"))
        .unwrap();
    screen
        .add_visit(session.id, at("2023-11-14 10:05"), &entry(&["sote"]))
        .unwrap();
    let mut sync = Store::open(&path).unwrap();
    assert!(sync.sync_enable().unwrap());
    let before = sync.sync_pending().unwrap();
    let v = screen
        .add_visit(session.id, at("2023-11-14 10:06"), &entry(&["sote"]))
        .unwrap();
    assert_eq!(sync.sync_pending().unwrap(), before + 1);
    assert!(pending(&sync).iter().any(|p| p.1 == v.uid));
}

/// An outbox turned on without its triggers (by an older tiski whose
/// connection was open from before this file's migration 11: its
/// `sync_enable` adds the counter's row and, on its schema, makes no
/// triggers) is mended at the next sync's start: the triggers are made and
/// every record waits again, so what changed meanwhile is sent; a trigger
/// lost on its own is made again too.
#[test]
fn an_outbox_on_without_its_triggers_is_mended_at_the_next_sync() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiski.db");
    drop(Store::open(&path).unwrap());
    let old = rusqlite::Connection::open(&path).unwrap();
    old.execute("INSERT INTO sync_seq(n) VALUES (0)", [])
        .unwrap();
    let mut s = Store::open(&path).unwrap();
    let (session, _) = s
        .open_session("ikaihmiset", "Kirjasto", at("2023-11-14 10:00"))
        .unwrap();
    let v = s
        .add_visit(session.id, at("2023-11-14 10:05"), &entry(&["sote"]))
        .unwrap();
    assert_eq!(s.sync_pending().unwrap(), 0, "nothing kept: no triggers");
    assert!(!s.sync_enable().unwrap(), "it was on");
    assert_eq!(outbox_triggers(&s.conn).len() as i64, super::TRIGGER_COUNT);
    let p = pending(&s);
    assert!(p.iter().any(|x| x.1 == v.uid), "{p:?}");
    assert!(p.iter().any(|x| x.1 == session.uid), "{p:?}");
    let w = s
        .add_visit(session.id, at("2023-11-14 10:06"), &entry(&["sote"]))
        .unwrap();
    assert!(pending(&s).iter().any(|x| x.1 == w.uid));
    // One trigger gone on its own: made again with the rest.
    old.execute_batch("DROP TRIGGER sync_head_counts_delete")
        .unwrap();
    assert!(!s.sync_enable().unwrap());
    assert_eq!(outbox_triggers(&s.conn).len() as i64, super::TRIGGER_COUNT);
}

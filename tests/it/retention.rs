//! Retention through the real binary: `purge --due` and the day's first
//! start (in a pseudo-terminal) leave no purged byte in the database, its
//! WAL or any backup, the report counts stay; the `purge --before` guard;
//! doctor's retention and permission findings; the `[retention]` checks.

use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde_json::Value;
use tiski::config::Config;
use tiski::domain::VisitEntry;
use tiski::store::{IssueRequest, Store};

use crate::cli::{Env, fails};
use crate::e2e::Tui;

pub(crate) const OLD_NOTE: &str = "VANHA-HUOMIO asiakas kysyi asumistuesta";
const NEW_NOTE: &str = "TUORE-HUOMIO digitukea tarvittiin";
const OLD_HASH: [u8; 32] = *b"OLD-SEASON-HASH-0123456789abcdef";
const NEW_HASH: [u8; 32] = *b"NEW-SEASON-HASH-0123456789abcdef";

pub(crate) fn today() -> NaiveDate {
    tiski::clock::now().date()
}

pub(crate) fn days_ago(n: i64, time: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(
        &format!("{} {time}", today() - Duration::days(n)),
        "%Y-%m-%d %H:%M",
    )
    .unwrap()
}

pub(crate) fn visit(s: &mut Store, at: NaiveDateTime, note: &str) {
    let e = VisitEntry {
        topics: vec!["digituki".into()],
        note: note.into(),
        ..Default::default()
    };
    let p = &Config::embedded().profiles["ikaihmiset"];
    tiski::desk::save_visit(s, p, kirjasto(), at, e, false, &super::cli::yes(at)).unwrap();
}

fn kirjasto() -> tiski::store::Target<'static> {
    tiski::store::Target::Day {
        profile: "ikaihmiset",
        location: "Kirjasto",
    }
}

fn voucher(s: &mut Store, at: NaiveDateTime, hash: [u8; 32]) {
    let c = Config::embedded().profiles["ikaihmiset"]
        .voucher_settings()
        .unwrap()
        .clone();
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
    let p = &Config::embedded().profiles["ikaihmiset"];
    tiski::desk::issue_voucher(s, p, kirjasto(), at, e, &req, &super::cli::yes(at)).unwrap();
}

/// A log of two years: a note and a voucher (birth year and hash) past
/// their retention, and recent ones; a backup holding all of it, and the
/// file a restore keeps aside.
fn old_and_new(env: &Env) {
    {
        let mut s = Store::open(&env.db()).unwrap();
        visit(&mut s, days_ago(800, "10:00"), OLD_NOTE);
        voucher(&mut s, days_ago(760, "10:30"), OLD_HASH);
        visit(&mut s, days_ago(3, "10:00"), NEW_NOTE);
        voucher(&mut s, days_ago(2, "10:30"), NEW_HASH);
    }
    env.ok(&["backup"]);
    let backup = backups(env).pop().unwrap();
    // Restoring keeps the current file aside: another copy to purge.
    env.ok(&["restore", backup.to_str().unwrap()]);
    assert!(!asides(env).is_empty());
}

fn backups(env: &Env) -> Vec<PathBuf> {
    let dir = env.db().parent().unwrap().join("backups");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "db"))
        .collect();
    v.sort();
    v
}

fn asides(env: &Env) -> Vec<PathBuf> {
    std::fs::read_dir(env.db().parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(".before-restore-"))
        .collect()
}

/// Every file that could hold a copy: the database, its WAL, each backup
/// and each file a restore kept aside (with their WALs).
fn every_copy(env: &Env) -> Vec<PathBuf> {
    let db = env.db();
    let mut files = vec![db.clone(), PathBuf::from(format!("{}-wal", db.display()))];
    files.extend(backups(env));
    files.extend(asides(env));
    files
}

fn holds(path: &Path, needle: &[u8]) -> bool {
    std::fs::read(path).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle))
}

fn holding(env: &Env, needle: &[u8]) -> Vec<PathBuf> {
    every_copy(env)
        .into_iter()
        .filter(|p| holds(p, needle))
        .collect()
}

fn report(env: &Env) -> Value {
    let from = (today() - Duration::days(2000)).to_string();
    let out = env.ok(&[
        "report",
        "--format",
        "json",
        "--min-count",
        "1",
        "--from",
        &from,
    ]);
    let mut j: Value = serde_json::from_str(&out).unwrap();
    // When it was made is not a count.
    if let Some(o) = j.as_object_mut() {
        o.remove("generated_at");
    }
    j
}

fn vouchers(env: &Env, season: &str) -> Value {
    serde_json::from_str(&env.ok(&["voucher", "list", "--season", season, "--json"])).unwrap()
}

fn season_of(d: NaiveDate) -> String {
    let c = Config::embedded().profiles["ikaihmiset"]
        .voucher_settings()
        .unwrap()
        .clone();
    c.season_of(d).0.to_string()
}

// ---- retention -------------------------------------------------------------

#[test]
fn purge_due_leaves_no_copy_in_the_database_its_wal_or_any_backup() {
    let env = Env::new();
    old_and_new(&env);
    let old_season = season_of(today() - Duration::days(760));
    let new_season = season_of(today() - Duration::days(2));
    for needle in [OLD_NOTE.as_bytes(), &OLD_HASH] {
        assert!(
            holding(&env, needle).len() >= 3,
            "in the db, a backup and the aside first"
        );
    }
    let before = report(&env);
    let out = env.ok(&["purge", "--due"]);
    assert!(
        out.contains(
            "Tietokannasta poistettiin 1 huomio ja 1 maksusitoumuksen syntymävuodet ja tarkisteet."
        ),
        "{out}"
    );
    assert!(
        out.contains("Kirjoitettiin uudelleen ilman poistettuja tietoja"),
        "{out}"
    );
    for needle in [OLD_NOTE.as_bytes(), &OLD_HASH] {
        let left = holding(&env, needle);
        assert!(
            left.is_empty(),
            "{:?} still in {left:?}",
            String::from_utf8_lossy(needle)
        );
    }
    for needle in [NEW_NOTE.as_bytes(), &NEW_HASH] {
        assert!(holds(&env.db(), needle), "recent data stays");
        assert!(
            backups(&env).iter().all(|b| holds(b, needle)),
            "in the backups too"
        );
    }
    assert_eq!(report(&env), before, "the report counts stay");
    assert_eq!(vouchers(&env, &old_season)[0]["birth_year"], Value::Null);
    assert_eq!(vouchers(&env, &old_season).as_array().unwrap().len(), 1);
    assert_eq!(vouchers(&env, &new_season)[0]["birth_year"], 1948);
    for b in backups(&env).iter().chain(asides(&env).iter()) {
        tiski::store::maintenance::verify_backup(b).unwrap();
    }
    let again = env.ok(&["purge", "--due", "--lang", "en"]);
    assert_eq!(
        again.trim(),
        "Nothing in the database was past its retention."
    );
}

#[test]
fn the_first_start_of_the_day_purges_before_its_backup() {
    let env = Env::new();
    old_and_new(&env);
    let mut tui = Tui::start(&env, &["--profile", "ikaihmiset"]);
    tui.wait_for("Säilytysaika: poistettiin 1 huomio ja 1");
    tui.keys("q");
    assert!(tui.wait_exit().success());
    assert!(backups(&env).len() >= 2, "the day's backup was made");
    for needle in [OLD_NOTE.as_bytes(), &OLD_HASH] {
        let left = holding(&env, needle);
        assert!(left.is_empty(), "still in {left:?}");
    }
    assert!(holds(&env.db(), NEW_NOTE.as_bytes()));
    assert!(backups(&env).iter().all(|b| holds(b, &NEW_HASH)));
}

#[test]
fn purge_before_refuses_to_reach_the_current_season_unless_forced() {
    let env = Env::new();
    {
        let mut s = Store::open(&env.db()).unwrap();
        voucher(&mut s, days_ago(2, "10:30"), NEW_HASH);
    }
    let season = season_of(today() - Duration::days(2));
    let err = fails(&env.run(&["purge", "--before", "9999-12-31"]));
    assert!(err.contains("ulottuu nykyiseen kauteen"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(
        vouchers(&env, &season)[0]["birth_year"],
        1948,
        "nothing purged"
    );
    let err = fails(&env.run(&["purge", "--before", "9999-12-31", "--lang", "en"]));
    assert!(err.contains("reaches into the current season"), "{err}");
    let usage = env.run(&["purge", "--force"]);
    assert_eq!(usage.status.code(), Some(2), "--force needs --before");
    let usage = env.run(&["purge"]);
    assert_eq!(usage.status.code(), Some(2), "--due or --before is needed");
    env.ok(&["purge", "--before", "9999-12-31", "--force"]);
    assert_eq!(vouchers(&env, &season)[0]["birth_year"], Value::Null);
    assert!(!holds(&env.db(), &NEW_HASH));
}

#[test]
fn doctor_names_overdue_data_and_old_backups_with_the_command_that_fixes_them() {
    let env = Env::new();
    old_and_new(&env);
    let out = env.run(&["doctor"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("ok  säilytysajat: huomiot 365 päivää"),
        "{text}"
    );
    assert!(
        text.contains("!!  tietokannassa on säilytysajan ylittäneitä tietoja: 1 huomio ja 1 maksusitoumuksen syntymävuodet ja tarkisteet (vanhin huomio"),
        "{text}"
    );
    assert!(
        text.contains("!!  varmuuskopiossa on säilytysajan ylittäneitä tietoja"),
        "{text}"
    );
    assert!(text.contains("korjaa: tiski purge --due"), "{text}");
    env.ok(&["purge", "--due"]);
    let out = env.run(&["doctor", "--lang", "en"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("ok  nothing in the database is past its retention"),
        "{text}"
    );
    assert!(
        text.contains("ok  data past retention last removed on"),
        "{text}"
    );
    assert!(!text.contains("a backup holds data past"), "{text}");
}

#[test]
fn retention_settings_are_checked_and_shown() {
    let env = Env::new();
    let file = env.dir.path().join("u.toml");
    std::fs::write(
        &file,
        "[retention]\nnotes_days = 30\nvoucher_identity_days = 4000\n",
    )
    .unwrap();
    let err = fails(&env.run(&["--config", file.to_str().unwrap(), "tally"]));
    assert!(err.contains("u.toml, rivi 3"), "{err}");
    assert!(
        err.contains("retention.voucher_identity_days = 4000"),
        "{err}"
    );
    std::fs::write(
        &file,
        "[retention]\nnotes_days = 30\n[privacy]\nmin_count = 3\n",
    )
    .unwrap();
    let shown = env.ok(&["--config", file.to_str().unwrap(), "config"]);
    assert!(
        shown.contains("[retention]\nnotes_days = 30\nvoucher_identity_days = 90"),
        "{shown}"
    );
    assert!(shown.contains("[privacy]\nmin_count = 3"), "{shown}");
}

#[cfg(unix)]
#[test]
fn doctor_checks_the_permissions_of_every_copy_and_of_the_key() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    old_and_new(&env);
    let key = PathBuf::from(format!("{}.secret", env.db().display()));
    std::fs::write(&key, [7u8; 32]).unwrap();
    let loose = std::fs::Permissions::from_mode(0o644);
    std::fs::set_permissions(&key, loose.clone()).unwrap();
    env.ok(&["purge", "--due"]);
    let aside = asides(&env)
        .into_iter()
        .find(|p| !p.to_string_lossy().ends_with("-wal") && !p.to_string_lossy().ends_with("-shm"))
        .unwrap();
    std::fs::set_permissions(&aside, loose).unwrap();
    let out = env.run(&["doctor"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    for path in [&key, &aside] {
        let line = format!(
            "!!  oikeudet 644 (pitää olla vain sinulla): {p}; korjaa: chmod 600 {p}",
            p = path.display()
        );
        assert!(text.contains(&line), "{line}\n{text}");
    }
}

/// `purge --due` on a disk too full to write a purged copy: the newest
/// backup is not deleted with the others, so the desk always has one; the
/// report says so, and a later purge with room finishes the job.
#[test]
fn a_purge_on_a_full_disk_keeps_the_newest_backup() {
    let env = Env::new();
    {
        let mut s = Store::open(&env.db()).unwrap();
        visit(&mut s, days_ago(800, "10:00"), OLD_NOTE);
        visit(&mut s, days_ago(3, "10:00"), NEW_NOTE);
    }
    env.ok(&["backup"]);
    let said = env.ok(&["backup"]);
    let newest = PathBuf::from(said.trim().trim_start_matches("Varmuuskopio tehty: "));
    assert_eq!(backups(&env).len(), 2);
    let size = std::fs::metadata(&newest).unwrap().len();
    // No file may grow past half a backup: a purged copy cannot be made.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {}; exec \"$0\" \"$@\"",
            size / 1024 / 2
        ))
        .arg(super::cli::bin())
        .arg("--db")
        .arg(env.db())
        .args(["purge", "--due"])
        .env("HOME", env.dir.path())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(backups(&env), [newest], "the newest stays: {said}");
    assert!(said.contains("säilytettiin"), "{said}");
    // With room again, the purge rewrites it without the old note.
    env.ok(&["purge", "--due"]);
    assert!(holding(&env, OLD_NOTE.as_bytes()).is_empty());
    assert!(!backups(&env).is_empty());
}

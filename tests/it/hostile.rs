//! Hostile and careless inputs an adversarial run found getting through,
//! each now refused against the real binary with nothing changed.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::cli::Env;

fn log(env: &Env) {
    env.ok(&["log", "--profile", "ikaihmiset", "--topic", "sote"]);
}

fn visits(db: &Path) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM visits", [], |r| r.get(0))
        .unwrap()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn foreign(path: &Path, wal: bool) {
    let c = Connection::open(path).unwrap();
    if wal {
        c.pragma_update(None, "journal_mode", "WAL").unwrap();
    }
    c.execute_batch("CREATE TABLE recipes(name TEXT); INSERT INTO recipes VALUES ('pulla');")
        .unwrap();
}

#[test]
fn two_restores_in_one_second_keep_both_files_aside() {
    let env = Env::new();
    for _ in 0..3 {
        log(&env);
    }
    env.ok(&["backup"]);
    for _ in 0..5 {
        log(&env);
    }
    let backups = env.db().parent().unwrap().join("backups");
    let backup = backups.join(&names(&backups)[0]);
    env.ok(&["restore", backup.to_str().unwrap()]);
    env.ok(&["restore", backup.to_str().unwrap()]);
    let data = env.db().parent().unwrap().to_path_buf();
    let asides: Vec<PathBuf> = names(&data)
        .iter()
        .filter(|n| n.contains("before-restore") && !n.ends_with("-wal") && !n.ends_with("-shm"))
        .map(|n| data.join(n))
        .collect();
    assert_eq!(asides.len(), 2, "{asides:?}");
    let mut counts: Vec<i64> = asides.iter().map(|a| visits(a)).collect();
    counts.sort();
    assert_eq!(counts, [3, 8], "the 8-visit log is kept");
}

#[test]
fn backup_refuses_what_is_not_tiskis_and_prunes_only_its_own_backups_by_date() {
    let env = Env::new();
    log(&env);
    std::fs::write(env.dir.path().join("keep2.toml"), "backups_keep = 2\n").unwrap();
    let cfg = env.dir.path().join("keep2.toml");
    let cfg = cfg.to_str().unwrap();
    env.ok(&["--config", cfg, "backup"]);
    let backups = env.db().parent().unwrap().join("backups");
    std::fs::write(backups.join("tiski-0000.db"), "someone's notes").unwrap();
    let before = names(&backups);
    // Another program's database, an empty file, a newer tiski's file: none
    // is backed up, and no real backup is pushed out.
    let other = env.db().parent().unwrap().join("other.sqlite");
    foreign(&other, true);
    let empty = env.db().parent().unwrap().join("empty.db");
    std::fs::write(&empty, "").unwrap();
    for db in [&other, &empty] {
        let o = env.run_on(db, &["--config", cfg, "backup"]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    assert_eq!(names(&backups), before);
    // Two more the same day: the day's later backups are the newer ones.
    log(&env);
    env.ok(&["--config", cfg, "backup"]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    log(&env);
    env.ok(&["--config", cfg, "backup"]);
    let after = names(&backups);
    assert!(
        after.contains(&"tiski-0000.db".to_string()),
        "not ours, not pruned: {after:?}"
    );
    let newest = backups.join(after.iter().filter(|n| n.len() > 17).max().unwrap());
    assert_eq!(visits(&newest), 3, "the newest backup has the latest visit");
}

#[test]
fn restore_refuses_a_foreign_current_file_and_a_look_alike_backup() {
    let env = Env::new();
    log(&env);
    env.ok(&["backup"]);
    let backups = env.db().parent().unwrap().join("backups");
    let backup = backups.join(&names(&backups)[0]);
    let other = env.dir.path().join("other.sqlite");
    foreign(&other, false);
    let was = std::fs::read(&other).unwrap();
    let o = env.run_on(&other, &["restore", backup.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(&other).unwrap(), was);
    // A file with a few of tiski's table names and its user_version.
    let fake = env.dir.path().join("fake.db");
    let c = Connection::open(&fake).unwrap();
    c.execute_batch(
        "CREATE TABLE sessions(x); CREATE TABLE visits(x); CREATE TABLE visit_topics(x);
         CREATE TABLE settings(key, value);",
    )
    .unwrap();
    let latest: i64 = Connection::open(env.db())
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    c.pragma_update(None, "user_version", latest).unwrap();
    drop(c);
    let o = env.run(&["restore", fake.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(visits(&env.db()), 1);
}

#[test]
fn a_copy_of_a_file_checked_today_is_checked_again_before_writing() {
    let env = Env::new();
    for _ in 0..30 {
        log(&env);
    }
    let copy = env.dir.path().join("copy.db");
    let c = Connection::open(env.db()).unwrap();
    c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    drop(c);
    std::fs::copy(env.db(), &copy).unwrap();
    super::faults::damage(&copy, "visits");
    let bytes = std::fs::read(&copy).unwrap();
    let o = env.run_on(
        &copy,
        &["log", "--profile", "ikaihmiset", "--topic", "sote"],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(std::fs::read(&copy).unwrap(), bytes);
}

#[test]
fn a_full_standard_output_is_an_error_not_a_panic() {
    let env = Env::new();
    log(&env);
    for args in [vec!["tally"], vec!["config"], vec!["session", "list"]] {
        let out = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = env.cmd().args(&args).stdout(out).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && err.contains("tulostetta ei voi kirjoittaa"),
            "{err}"
        );
    }
}

#[test]
fn foreign_empty_and_missing_files_are_refused_by_reading_commands_too_and_left_bare() {
    let env = Env::new();
    let dir = env.dir.path().join("x");
    std::fs::create_dir_all(&dir).unwrap();
    let wal = dir.join("wal.sqlite");
    foreign(&wal, true);
    let c = Connection::open(&wal).unwrap();
    c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    drop(c);
    for s in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{s}", wal.display()));
    }
    let empty = dir.join("empty.db");
    std::fs::write(&empty, "").unwrap();
    let before = names(&dir);
    for (db, said) in [(&wal, "toisen ohjelman"), (&empty, "ei SQLite-tiedosto")] {
        for args in [
            vec!["tally"],
            vec!["report", "--year", "2025"],
            vec!["voucher", "list"],
        ] {
            let o = env.run_on(db, &args);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
            assert!(err.contains(said), "{err}");
        }
    }
    assert_eq!(names(&dir), before, "no -wal or -shm made beside them");
    let missing = env.dir.path().join("typo").join("tiski.db");
    let o = env.run_on(&missing, &["purge", "--due"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        !env.dir.path().join("typo").exists(),
        "nothing made for a typo"
    );
}

#[test]
fn a_fifo_or_a_device_is_not_read_as_a_config_or_an_import() {
    let env = Env::new();
    log(&env);
    let fifo = env.dir.path().join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for args in [
        vec!["import", fifo.to_str().unwrap()],
        vec!["--config", fifo.to_str().unwrap(), "tally"],
        vec!["--config", "/dev/zero", "tally"],
        vec!["import", "/dev/zero"],
    ] {
        let o = env.run(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("se ei ole tavallinen tiedosto"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(visits(&env.db()), 1);
}

#[test]
fn identity_codes_written_to_slip_past_are_refused_in_notes() {
    let env = Env::new();
    env.init_db();
    for note in ["asiakas １３１０５２－３０８Ｔ", "131052\u{200b}-308T"] {
        let o = env.run(&[
            "log",
            "--profile",
            "ikaihmiset",
            "--topic",
            "sote",
            "--note",
            note,
        ]);
        assert_eq!(o.status.code(), Some(1), "{note:?}");
    }
    assert_eq!(visits(&env.db()), 0);
}

#[test]
fn an_import_naming_keys_its_profile_does_not_have_is_refused_whole() {
    let env = Env::new();
    env.ok(&[
        "log",
        "--profile",
        "ikaihmiset",
        "--topic",
        "sote",
        "--referral",
        "kela",
    ]);
    let jsonl = env.ok(&["export", "--format", "jsonl"]);
    let other = Env::new();
    other.init_db();
    for (from, to) in [("\"sote\"", "\"nope\""), ("\"kela\"", "\"nowhere\"")] {
        assert!(jsonl.contains(from), "{jsonl}");
        let bad = jsonl.replace(from, to);
        let file = other.dir.path().join("bad.jsonl");
        std::fs::write(&file, &bad).unwrap();
        let o = other.run(&["import", file.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        let key = to.trim_matches('"');
        assert!(err.contains(key) && err.contains("rivi"), "{err}");
        assert_eq!(visits(&other.db()), 0, "nothing from the file");
    }
}

#[test]
fn a_refused_restore_leaves_no_copy_behind() {
    let env = Env::new();
    log(&env);
    env.ok(&["backup"]);
    let data = env.db().parent().unwrap().to_path_buf();
    let backups = data.join("backups");
    let backup = backups.join(&names(&backups)[0]);
    let before = names(&data);
    let o = env.run_on(&backups, &["restore", backup.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("ei ole tiedosto vaan kansio"), "{err}");
    assert_eq!(names(&data), before, "no .restore.tmp or lock left");
}

#[test]
fn a_damaged_file_of_an_older_schema_is_refused_before_it_is_migrated() {
    let env = Env::new();
    for _ in 0..30 {
        log(&env);
    }
    let db = env.db();
    {
        let c = Connection::open(&db).unwrap();
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
        let v: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        // As an older tiski left it: one schema version back, mark gone.
        c.pragma_update(None, "user_version", v - 1).unwrap();
        c.execute("DELETE FROM settings WHERE key = 'last_quick_check'", [])
            .unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    super::faults::damage(&db, "visits");
    let bytes = std::fs::read(&db).unwrap();
    for s in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{s}", db.display()));
    }
    let o = env.run(&["log", "--profile", "ikaihmiset", "--topic", "sote"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("vioittunut") || err.contains("vikaa"),
        "damaged: {err}"
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "not migrated, not touched"
    );
}

#[test]
fn a_killed_imports_copy_goes_at_the_next_command_when_no_other_tiski_runs() {
    let env = Env::new();
    log(&env);
    let data = env.db().parent().unwrap().to_path_buf();
    // What a `kill -9` during `import OTHER.db` leaves: a fresh copy.
    let copy = tiski::files::temp_name(&env.db(), "import");
    let other = Env::new();
    log(&other);
    std::fs::copy(other.db(), &copy).unwrap();
    env.ok(&["tally"]);
    assert!(!copy.exists(), "{:?}", names(&data));
}

/// A file cut by a crash and padded with zeros is one endless line: the
/// import refuses it naming the line, changes nothing, and never holds the
/// line in memory (it read all 64 MB of it).
#[test]
fn an_endless_line_is_refused_without_reading_it_whole() {
    use std::io::Write;
    let env = Env::new();
    let out = env.run(&[
        "log",
        "--profile",
        "ikaihmiset",
        "--topic",
        "digituki",
        "--confirm",
    ]);
    assert!(out.status.success(), "{out:?}");
    let file = env.dir.path().join("katkennut.jsonl");
    let export = env.ok(&["export", "--format", "jsonl"]);
    let mut f = std::fs::File::create(&file).unwrap();
    let first = export.lines().next().unwrap();
    writeln!(f, "{first}").unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        f.write_all(&zeros).unwrap();
    }
    drop(f);
    let other = env.dir.path().join("toinen.db");
    let mut child = env
        .cmd_on(&other)
        .args(["import", file.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The child's own peak memory: `VmHWM`, which starts afresh at `exec`,
    // read until it exits. (`ru_maxrss` from `wait4` would count the
    // resident set of this test process, forked, from before the `exec`:
    // 100 MB with the other tests running beside it.)
    let status_file = format!("/proc/{}/status", child.id());
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut said = String::new();
        std::io::Read::read_to_string(&mut { stderr }, &mut said).unwrap();
        said
    });
    let mut peak_kib = 0u64;
    let status = loop {
        if let Some(kib) = std::fs::read_to_string(&status_file).ok().and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        }) {
            peak_kib = peak_kib.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_micros(200));
    };
    let said = reader.join().unwrap();
    assert_eq!(status.code(), Some(1), "{said}");
    assert!(
        said.contains("rivi 2") && said.contains("1024 kt"),
        "{said}"
    );
    assert!(peak_kib > 0, "the child's peak was read");
    let peak_mb = peak_kib / 1024;
    assert!(peak_mb < 40, "peak {peak_mb} MB for a refused file");
    let visits = |db: &std::path::Path| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("SELECT count(*) FROM visits", [], |r| r.get(0))
            .unwrap_or(0)
    };
    assert_eq!(visits(&other), 0, "nothing imported");
}

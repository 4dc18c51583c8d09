//! Saved means saved (issue 21): what runs beside the log never costs it a
//! visit: no look opens the file outside SQLite, a restore writes through
//! SQLite, locks live where only the user can write, odd folders work.

use std::path::Path;
use std::process::Command;

use super::cli::{Env, fails};

fn log(env: &Env) {
    env.ok(&["log", "--profile", "ikaihmiset", "--topic", "digituki"]);
}

fn visits(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM visits", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn the_log_is_not_imported_into_itself() {
    let env = Env::new();
    log(&env);
    let db = env.db();
    let err = fails(&env.run(&["import", db.to_str().unwrap()]));
    assert!(err.contains("tiski.db"), "{err}");
    assert!(err.contains("käyttämä tietokanta"), "{err}");
    let wal = db.with_file_name("tiski.db-wal");
    let err = fails(&env.run(&["import", wal.to_str().unwrap()]));
    assert!(err.contains("tiski.db-wal"), "{err}");
    assert_eq!(visits(&db), 1);
}

/// Another program keeps the log open across a restore: it goes on seeing
/// one consistent file (the restored one), and what is written after the
/// restore is in the file, because the -wal and -shm were never deleted or
/// replaced under it.
#[test]
fn a_restore_writes_through_sqlite_under_another_programs_connection() {
    let env = Env::new();
    log(&env);
    log(&env);
    let out = env.ok(&["backup"]);
    let backup = out
        .trim()
        .trim_start_matches("Varmuuskopio tehty: ")
        .to_string();
    log(&env);
    let holder = rusqlite::Connection::open(env.db()).unwrap();
    let count = |c: &rusqlite::Connection| -> i64 {
        c.query_row("SELECT count(*) FROM visits", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(count(&holder), 3);
    env.ok(&["restore", &backup]);
    assert_eq!(count(&holder), 2, "the holder sees the restored file");
    log(&env);
    assert_eq!(count(&holder), 3, "and what was logged after it");
    drop(holder);
    assert_eq!(visits(&env.db()), 3);
    let ok: String = rusqlite::Connection::open(env.db())
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}

/// The lock that finds another name of the same file lives in the user's
/// own folder: a file of that name in the shared temp folder, held by
/// someone else, stops nothing.
#[cfg(target_os = "linux")]
#[test]
fn a_lock_squatted_in_the_shared_temp_folder_stops_nothing() {
    use std::os::unix::fs::MetadataExt;
    let env = Env::new();
    log(&env);
    let export = env.dir.path().join("e.jsonl");
    env.ok(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        export.to_str().unwrap(),
    ]);
    let tmp = env.tmpdir.clone().expect("its own temp folder");
    let m = std::fs::metadata(env.db()).unwrap();
    let squat = tmp.join(format!("tiski-{}-{}.lock", m.dev(), m.ino()));
    let held = std::fs::File::create(&squat).unwrap();
    held.lock().unwrap();
    let out = env
        .cmd()
        .env("TMPDIR", &tmp)
        .args(["import", export.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names: Vec<String> = std::fs::read_dir(&tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        1,
        "nothing of tiski's in the temp folder: {names:?}"
    );
}

/// With `HOME=.` the database would follow the working folder from one
/// command to the next: refused, naming --db, and nothing made.
#[test]
fn a_home_that_is_not_an_absolute_path_is_refused() {
    let env = Env::new();
    let cwd = env.dir.path().join("cwd");
    std::fs::create_dir(&cwd).unwrap();
    let out = Command::new(super::cli::bin())
        .env_clear()
        .env("HOME", ".")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .current_dir(&cwd)
        .args(["log", "--profile", "ikaihmiset", "--topic", "digituki"])
        .output()
        .unwrap();
    let err = fails(&out);
    assert!(err.contains("--db"), "{err}");
    assert_eq!(std::fs::read_dir(&cwd).unwrap().count(), 0, "nothing made");
}

/// A folder named in Latin-1 (not UTF-8) holds the log, its backups and
/// its restores like any other folder: nothing goes to a look-alike path.
#[cfg(unix)]
#[test]
fn a_folder_whose_name_is_not_utf8_works_like_any_other() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    let dir = env
        .dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"p\xe4iv\xe4"));
    std::fs::create_dir(&dir).unwrap();
    let db = dir.join("tiski.db");
    let run = |args: &[&std::ffi::OsStr]| {
        let out = env.cmd_on(&db).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let os = |s: &'static str| std::ffi::OsStr::new(s);
    let log = [
        os("log"),
        os("--profile"),
        os("ikaihmiset"),
        os("--topic"),
        os("digituki"),
    ];
    run(&log);
    run(&[os("backup")]);
    run(&log);
    let backups: Vec<_> = std::fs::read_dir(dir.join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(visits(&backups[0]), 1);
    run(&[os("restore"), backups[0].as_os_str()]);
    assert_eq!(visits(&db), 1);
    let all: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        all.iter()
            .all(|n| n.to_str() != Some("p\u{fffd}iv\u{fffd}")),
        "no look-alike folder: {all:?}"
    );
}

/// The sweep of leftovers at every start takes only tiski's own temporary
/// copies: another program's `.x.tmp` files in the folder, a link named
/// like a copy (and what it points to) stay as they are, and nothing is
/// swept at all in the folder of a `--db` that does not exist.
#[cfg(unix)]
#[test]
fn a_command_leaves_other_programs_files_and_links_alone() {
    let env = Env::new();
    log(&env);
    let data = env.db().parent().unwrap().to_path_buf();
    let theirs = [
        (data.join(".vim-swap.tmp"), "someone's unsaved work"),
        (data.join(".tiski-import-notes"), "a file the user named so"),
    ];
    for (p, text) in &theirs {
        std::fs::write(p, text).unwrap();
    }
    let outside = env.dir.path().join("outside.txt");
    std::fs::write(&outside, "precious").unwrap();
    std::os::unix::fs::symlink(&outside, data.join(".link.tmp")).unwrap();
    // A folder of someone's, named as a --db that does not exist.
    let elsewhere = env.dir.path().join("downloads");
    std::fs::create_dir(&elsewhere).unwrap();
    let download = elsewhere.join(".partial-download.tmp");
    std::fs::write(&download, "half a film").unwrap();
    env.ok(&["tally"]);
    let _ = env.run_on(&elsewhere.join("nope.db"), &["tally"]);
    for (p, text) in &theirs {
        assert_eq!(
            std::fs::read_to_string(p).unwrap(),
            *text,
            "{}",
            p.display()
        );
    }
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "precious");
    assert!(std::fs::symlink_metadata(data.join(".link.tmp")).is_ok());
    assert_eq!(std::fs::read_to_string(&download).unwrap(), "half a film");
}

/// `tiski backup` leaves a backups folder that exists as it is (doctor
/// names one others can read), making only a missing one private.
#[cfg(unix)]
#[test]
fn backup_does_not_chmod_a_folder_that_exists() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    log(&env);
    let backups = env.db().parent().unwrap().join("backups");
    std::fs::create_dir(&backups).unwrap();
    std::fs::set_permissions(&backups, std::fs::Permissions::from_mode(0o750)).unwrap();
    env.ok(&["backup"]);
    let mode = std::fs::metadata(&backups).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o750);
}

/// A label from the config (or a note from another desk) holding ESC, BEL
/// or a C1 control: a report or export printed to a terminal shows them as
/// `·`, and JSON escapes them wherever it goes.
#[test]
fn reports_and_exports_carry_no_control_characters_to_a_terminal() {
    let env = Env::new();
    let config = env.dir.path().join("hostile.toml");
    std::fs::write(
        &config,
        "[profiles.p]\nfi = \"P\"\nen = \"P\"\ndefault_location = \"A\\u0085\"\n\
         locations = [\"A\\u0085\"]\n\
         topics = [ { key = \"x\", fi = \"Digi\\u001b[31mtuki\\u0085\\u0007\", en = \"X\" } ]\n",
    )
    .unwrap();
    let c = config.to_str().unwrap();
    env.ok(&["--config", c, "log", "--profile", "p", "--topic", "x"]);
    for args in [
        vec!["report", "--format", "csv", "--min-count", "1"],
        vec!["report", "--format", "text", "--min-count", "1"],
        vec!["export", "--format", "csv"],
    ] {
        let shown = in_a_terminal(&env, &[&["--config", c], &args[..]].concat());
        assert!(shown.contains("Digi"), "{args:?}: {shown}");
        for bad in ['\x1b', '\x07', '\u{85}'] {
            assert!(!shown.contains(bad), "{args:?} printed {bad:?}: {shown:?}");
        }
    }
    for args in [
        vec!["report", "--format", "json", "--min-count", "1"],
        vec!["export", "--format", "jsonl"],
    ] {
        let json = env.ok(&[&["--config", c], &args[..]].concat());
        assert!(json.contains("\\u0085"), "{args:?}: {json}");
        assert!(!json.contains('\u{85}'), "{args:?} left C1 raw");
    }
}

/// Runs tiski in a pseudo-terminal and returns all it printed there.
fn in_a_terminal(env: &Env, args: &[&str]) -> String {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::Read;
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 50,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(super::cli::bin());
    cmd.env_clear();
    cmd.env("HOME", env.dir.path());
    cmd.env("XDG_CONFIG_HOME", env.dir.path().join("config"));
    cmd.arg("--db");
    cmd.arg(env.db());
    cmd.args(args);
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let reading = std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf[..n]);
        }
        all
    });
    assert!(child.wait().unwrap().success(), "{args:?}");
    drop(pty.master);
    String::from_utf8_lossy(&reading.join().unwrap()).into_owned()
}

/// The help and the version are output like any other: one that cannot be
/// written (a full disk) exits 1 with a message, not 0.
#[cfg(target_os = "linux")]
#[test]
fn help_that_cannot_be_written_is_a_failure() {
    let env = Env::new();
    for args in [
        vec!["--help"],
        vec!["--lang", "en", "--help"],
        vec!["log", "--help"],
        vec!["--version"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = env.cmd().args(&args).stdout(full).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("levy on täynnä") || err.contains("disk is full"),
            "{err}"
        );
    }
}

/// `--topic kela` is the topic whose key is `kela`, whatever other topic is
/// labelled "Kela"; a label two topics share is refused, naming both keys.
#[test]
fn a_key_wins_over_a_label_and_a_shared_label_is_refused() {
    let env = Env::new();
    let config = env.dir.path().join("labels.toml");
    std::fs::write(
        &config,
        "[profiles.p]\nfi = \"P\"\nen = \"P\"\ndefault_location = \"A\"\nlocations = [\"A\"]\n\
         topics = [ { key = \"tuet\", fi = \"Kela\", en = \"Kela\" },\n\
                    { key = \"kela\", fi = \"Sosiaaliturva\", en = \"Social security\" },\n\
                    { key = \"d1\", fi = \"Digi\", en = \"Digital\" },\n\
                    { key = \"d2\", fi = \"Digi\", en = \"Online\" } ]\n",
    )
    .unwrap();
    let c = config.to_str().unwrap();
    env.ok(&["--config", c, "log", "--profile", "p", "--topic", "kela"]);
    let topic: String = rusqlite::Connection::open(env.db())
        .unwrap()
        .query_row("SELECT topic FROM visit_topics", [], |r| r.get(0))
        .unwrap();
    assert_eq!(topic, "kela");
    let err = fails(&env.run(&["--config", c, "log", "--profile", "p", "--topic", "digi"]));
    assert!(err.contains("d1, d2"), "{err}");
    assert_eq!(visits(&env.db()), 1, "nothing written");
}

/// Notes refuse identities in their everyday spellings, from the shell and
/// in another desk's file alike.
#[test]
fn everyday_spellings_of_identities_are_refused_from_every_door() {
    let env = Env::new();
    for note in [
        "131052 308T",
        "131052308T",
        "040/123 4567",
        "358401234567",
        "09/1234567",
        "maija(at)example.fi",
        "maija @ example.fi",
    ] {
        let err = fails(&env.run(&[
            "log",
            "--profile",
            "ikaihmiset",
            "--topic",
            "digituki",
            "--note",
            note,
        ]));
        assert!(
            err.contains("huomio") || err.contains("Huomio"),
            "{note}: {err}"
        );
    }
    // The same in another desk's export.
    env.ok(&[
        "log",
        "--profile",
        "ikaihmiset",
        "--topic",
        "digituki",
        "--note",
        "ok",
    ]);
    let file = env.dir.path().join("desk.jsonl");
    env.ok(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        file.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("\"note\":\"ok\"", "\"note\":\"maija(at)example.fi\"");
    std::fs::write(&file, text).unwrap();
    let other = Env::new();
    other.init_db();
    let err = fails(&other.run(&["import", file.to_str().unwrap()]));
    assert!(err.contains("desk.jsonl"), "{err}");
    assert_eq!(visits(&other.db()), 0);
}

/// The data folder renamed under a running screen and renamed back: while
/// it is away nothing is saved and the visit stays on the form (the status
/// says so, without claiming a draft file that could not be written); once
/// it is back, Enter saves it, and it is there at the next start.
#[test]
fn a_data_folder_renamed_away_and_back_keeps_the_visit() {
    let env = Env::new();
    env.init_db();
    // Not the day's first start: its check (run in the background) would
    // meet the folder away too, and say so over this test's message.
    {
        let mut s = tiski::store::Store::open(&env.db()).unwrap();
        let today = chrono::Local::now().date_naive();
        let stamp = tiski::store::maintenance::check_stamp(&env.db(), today);
        s.set_setting(tiski::app::DAILY_CHECK_SETTING, &stamp)
            .unwrap();
    }
    let mut tui = super::e2e::Tui::start(&env, &["--profile", "ikaihmiset"]);
    tui.wait_for("Tämä päivystys 0");
    let data = env.db().parent().unwrap().to_path_buf();
    let away = env.dir.path().join("elsewhere");
    std::fs::rename(&data, &away).unwrap();
    tui.keys("2");
    tui.wait_for("2 [x] Digituki");
    tui.key_then("\r", "ei ole enää paikallaan");
    assert!(
        tui.contents().contains("2 [x] Digituki"),
        "the form is kept"
    );
    std::fs::rename(&away, &data).unwrap();
    tui.key_then("\r", "Tämä päivystys 1");
    tui.keys("q");
    assert!(tui.wait_exit().success());
    assert_eq!(visits(&env.db()), 1);
}

/// Every file tiski makes is the user's alone from its first byte: watched
/// while a backup, a restore and an export run under `umask 000`, no file
/// in the data or backup folder is ever seen open to others (a restore's
/// copy was made by SQLite under the umask and tightened afterwards).
#[cfg(unix)]
#[test]
fn files_are_private_from_their_first_byte() {
    use std::os::unix::fs::PermissionsExt;
    use std::sync::atomic::{AtomicBool, Ordering};
    let env = Env::new();
    // A log big enough that each copy takes a while to write.
    env.ok(&["demo", "--visits", "8000", "--years", "1"]);
    let data = env.db().parent().unwrap().to_path_buf();
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let watcher = {
        let (stop, data) = (stop.clone(), data.clone());
        std::thread::spawn(move || {
            let mut seen = std::collections::BTreeSet::new();
            while !stop.load(Ordering::Relaxed) {
                for dir in [data.clone(), data.join("backups")] {
                    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                        if let Ok(m) = e.metadata()
                            && m.is_file()
                            && m.permissions().mode() & 0o077 != 0
                        {
                            seen.insert(format!(
                                "{:o} {}",
                                m.permissions().mode(),
                                e.path().display()
                            ));
                        }
                    }
                }
            }
            seen
        })
    };
    let under_umask = |args: &[&str]| {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg("umask 000; exec \"$0\" \"$@\"")
            .arg(super::cli::bin())
            .arg("--db")
            .arg(env.db())
            .args(args)
            .env("HOME", env.dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let said = under_umask(&["backup"]);
    let backup = said
        .trim()
        .trim_start_matches("Varmuuskopio tehty: ")
        .to_string();
    under_umask(&["restore", &backup]);
    let out = data.join("export.jsonl");
    under_umask(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
    ]);
    stop.store(true, Ordering::Relaxed);
    let seen = watcher.join().unwrap();
    // tiski's lock file beside the database holds only a process id.
    let seen: Vec<String> = seen.into_iter().filter(|s| !s.ends_with(".lock")).collect();
    assert!(seen.is_empty(), "seen open to others: {seen:?}");
}

//! The clock is not trusted blindly (issue 21, item 4): the real binary run
//! by `faketime` on a clock before 2000, a year ahead of the log, or set
//! back under a running duty screen. Nothing is saved or purged by a
//! doubtful clock without the user's yes; no session ends before it starts.

use std::path::Path;
use std::process::Output;

use super::cli::{Env, fails};
use super::e2e::Tui;

const LIBFAKETIME: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

/// Whether faketime can run here: CI installs it (`.ci/test-tools`);
/// elsewhere a missing one skips the test with a loud message.
fn faketime() -> bool {
    if Path::new(LIBFAKETIME).is_file() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "faketime is missing on CI: .ci/test-tools installs it"
    );
    eprintln!(
        "\n\n*** SKIPPED: faketime is not installed, so the clock tests did not \
         run. apt-get install faketime; CI does. ***\n"
    );
    false
}

/// `tiski ARGS` with the clock at `fake` (faketime's syntax: an absolute
/// `@2026-11-01 10:00:00`, or an offset `+400d`).
fn at_time(env: &Env, fake: &str, args: &[&str]) -> Output {
    env.cmd()
        .env("LD_PRELOAD", LIBFAKETIME)
        .env("FAKETIME", fake)
        .env("FAKETIME_DONT_RESET", "1")
        .args(args)
        .output()
        .unwrap()
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

const LOG: &[&str] = &["log", "--profile", "ikaihmiset", "--topic", "digituki"];

#[test]
fn a_clock_before_2000_saves_nothing_even_with_a_yes() {
    if !faketime() {
        return;
    }
    let env = Env::new();
    env.init_db();
    for args in [LOG.to_vec(), [LOG, &["--confirm"]].concat()] {
        let err = fails(&at_time(&env, "@1970-01-02 10:00:00", &args));
        assert!(err.contains("2.1.1970 klo 10.00"), "{err}");
        assert!(err.contains("Korjaa tietokoneen kello"), "{err}");
    }
    assert_eq!(count(&env.db(), "SELECT count(*) FROM visits"), 0);
    assert_eq!(count(&env.db(), "SELECT count(*) FROM sessions"), 0);
}

/// A clock a year ahead of the log's last change writes nothing and purges
/// nothing until the user says it is right (`--confirm`).
#[test]
fn a_clock_a_year_ahead_saves_and_purges_only_with_a_yes() {
    if !faketime() {
        return;
    }
    let env = Env::new();
    env.ok(&[
        "log",
        "--profile",
        "ikaihmiset",
        "--topic",
        "digituki",
        "--note",
        "kysyi asumistuesta",
    ]);
    let err = fails(&at_time(&env, "+400d", LOG));
    assert!(err.contains("lokiin kirjoitettiin viimeksi"), "{err}");
    assert!(err.contains("--confirm"), "{err}");
    let err = fails(&at_time(&env, "+400d", &["purge", "--due"]));
    assert!(err.contains("--confirm"), "{err}");
    assert_eq!(count(&env.db(), "SELECT count(*) FROM visits"), 1);
    assert_eq!(
        count(&env.db(), "SELECT count(*) FROM visits WHERE note <> ''"),
        1,
        "the note is not purged by a year that has not come"
    );
    let out = at_time(&env, "+400d", &[LOG, &["--confirm"]].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(&env.db(), "SELECT count(*) FROM visits"), 2);
}

/// The duty screen's first start of the day with a clock a year ahead:
/// the question is put, and neither the retention purge nor the backup
/// runs until the answer is yes.
#[test]
fn the_screen_asks_about_a_clock_a_year_ahead_before_the_days_purge() {
    if !faketime() {
        return;
    }
    let env = Env::new();
    env.ok(&[
        "log",
        "--profile",
        "ikaihmiset",
        "--topic",
        "digituki",
        "--note",
        "kysyi asumistuesta",
    ]);
    let prelude = format!("export LD_PRELOAD={LIBFAKETIME} FAKETIME=+400d FAKETIME_DONT_RESET=1");
    let mut tui = Tui::start_via_sh(&env, &prelude, &["--profile", "ikaihmiset"]);
    tui.wait_for("Onko kello oikein?");
    // The answer no: nothing purged, nothing backed up, nothing saved.
    tui.keys("e");
    tui.wait_for("Korjaa tietokoneen kello");
    tui.keys("1\r");
    tui.wait_for("Onko kello oikein?");
    tui.keys("e");
    tui.key_then("q", "Lopetetaanko");
    tui.keys("k");
    assert!(tui.wait_exit().success());
    let db = env.db();
    assert_eq!(
        count(&db, "SELECT count(*) FROM visits WHERE note <> ''"),
        1
    );
    assert_eq!(count(&db, "SELECT count(*) FROM visits"), 1);
    let backups = db.parent().unwrap().join("backups");
    assert!(
        !backups.exists() || std::fs::read_dir(&backups).unwrap().count() == 0,
        "no backup under a doubtful clock"
    );
    // The answer yes: the day's purge runs by it (the note is a year old
    // by this clock), and the backup is made.
    let mut tui = Tui::start_via_sh(&env, &prelude, &["--profile", "ikaihmiset"]);
    tui.wait_for("Onko kello oikein?");
    tui.keys("k");
    tui.wait_for("Kello hyväksytty");
    let done = super::support::wait_until(super::support::timeout(20), || {
        (count(&db, "SELECT count(*) FROM visits WHERE note <> ''") == 0).then_some(())
    });
    assert!(
        done.is_some(),
        "the purge ran after the yes:\n{}",
        tui.contents()
    );
    tui.keys("q");
    assert!(tui.wait_exit().success());
}

/// Whether the day's check is due is decided when the screen starts, not
/// again later: a screen waiting for the clock's answer, whose data folder
/// is away for a moment meanwhile (a synced folder, a rename), does not
/// take the folder's absence for a new file to check, find it "damaged"
/// and refuse every save of the morning. (The race it stands for: a
/// folder renamed just after the first frame, before the loop asked.)
#[test]
fn a_folder_away_while_the_clock_is_asked_about_starts_no_check() {
    if !faketime() {
        return;
    }
    let env = Env::new();
    env.ok(LOG);
    // Today's check is done already, by the clock the screen will read.
    {
        let mut s = tiski::store::Store::open(&env.db()).unwrap();
        let today = chrono::Local::now().date_naive() + chrono::Days::new(400);
        let stamp = tiski::store::maintenance::check_stamp(&env.db(), today);
        s.set_setting(tiski::app::DAILY_CHECK_SETTING, &stamp)
            .unwrap();
    }
    let prelude = format!("export LD_PRELOAD={LIBFAKETIME} FAKETIME=+400d FAKETIME_DONT_RESET=1");
    let mut tui = Tui::start_via_sh(&env, &prelude, &["--profile", "ikaihmiset"]);
    tui.wait_for("Onko kello oikein?");
    let data = env.db().parent().unwrap().to_path_buf();
    let away = env.dir.path().join("elsewhere");
    std::fs::rename(&data, &away).unwrap();
    tui.keys("k");
    tui.wait_for("Kello hyväksytty");
    tui.keys("2");
    tui.wait_for("2 [x] Digituki");
    tui.key_then("\r", "ei ole enää paikallaan");
    std::fs::rename(&away, &data).unwrap();
    tui.key_then("\r", "Tämä päivystys 1");
    tui.keys("q");
    assert!(tui.wait_exit().success());
    assert_eq!(count(&env.db(), "SELECT count(*) FROM visits"), 2);
}

/// The clock set back under a running screen (an NTP step, the autumn's
/// DST change): the session it ends never ends before it began.
#[test]
fn a_clock_set_back_under_the_screen_ends_no_session_before_it_starts() {
    if !faketime() {
        return;
    }
    let env = Env::new();
    let stamp = env.dir.path().join("faketime");
    std::fs::write(&stamp, "@2026-11-03 10:00:00\n").unwrap();
    let prelude = format!(
        "export LD_PRELOAD={LIBFAKETIME} FAKETIME_TIMESTAMP_FILE={} FAKETIME_NO_CACHE=1",
        stamp.display()
    );
    let mut tui = Tui::start_via_sh(&env, &prelude, &["--profile", "ikaihmiset"]);
    tui.wait_for("Tämä päivystys 0");
    tui.keys("2");
    tui.key_then("\r", "Tämä päivystys 1");
    std::fs::write(&stamp, "@2026-11-03 09:20:00\n").unwrap();
    tui.keys("q");
    assert!(tui.wait_exit().success());
    let bad = count(
        &env.db(),
        "SELECT count(*) FROM sessions WHERE ended_at IS NULL OR ended_at < started_at",
    );
    assert_eq!(bad, 0, "every session ends, and not before it starts");
}

/// A session another desk ended before its start (its clock went back) is
/// imported, ending at its start, instead of the whole file being refused.
#[test]
fn another_desks_session_that_ends_before_it_starts_is_imported() {
    let a = Env::new();
    a.ok(&[
        "log",
        "--profile",
        "ikaihmiset",
        "--topic",
        "digituki",
        "--at",
        "2026-11-03 10:00",
    ]);
    let file = a.dir.path().join("a.jsonl");
    a.ok(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        file.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&file).unwrap();
    let edited: Vec<String> = text
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            if v["type"] == "session" {
                v["ended_at"] = "2026-11-03 09:20:00".into();
            }
            v.to_string()
        })
        .collect();
    std::fs::write(&file, edited.join("\n") + "\n").unwrap();
    let b = Env::new();
    b.init_db();
    b.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(count(&b.db(), "SELECT count(*) FROM visits"), 1);
    assert_eq!(
        count(
            &b.db(),
            "SELECT count(*) FROM sessions WHERE ended_at < started_at"
        ),
        0
    );
}

/// An idle duty screen draws nothing while what it shows stays the same:
/// its clock shows minutes, so a tick within the minute writes not a byte
/// to the terminal (each frame drawn wrote at least its cursor's state, four
/// times a second); the next minute is drawn when it comes.
#[test]
fn an_idle_screen_draws_only_when_its_minute_changes() {
    if !faketime() {
        return;
    }
    let env = Env::new();
    // The monotonic clock left real: the loop's waits for a key end by it,
    // and a faked one would put their ends decades away (no tick at all).
    let prelude = format!(
        "export LD_PRELOAD={LIBFAKETIME} FAKETIME='@2023-11-14 10:05:45' \
         FAKETIME_DONT_RESET=1 FAKETIME_DONT_FAKE_MONOTONIC=1"
    );
    let mut tui = Tui::start_via_sh(&env, &prelude, &["--profile", "ikaihmiset"]);
    tui.wait_for("Uusi käynti");
    tui.wait_for("14.11.2023 10.05");
    // The start's work settles first (the day's check ends in a frame of
    // its own): the terminal quiet for half a second, or five seconds.
    let settled = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let mut last = tui.received();
    while std::time::Instant::now() < settled {
        std::thread::sleep(std::time::Duration::from_millis(500));
        let now = tui.received();
        if now == last {
            break;
        }
        last = now;
    }
    let before = tui.received();
    std::thread::sleep(std::time::Duration::from_secs(2));
    let written = tui.received() - before;
    assert!(
        tui.contents().contains("14.11.2023 10.05"),
        "the minute was to stay 10.05 meanwhile:\n{}",
        tui.contents()
    );
    assert_eq!(written, 0, "an idle screen wrote {written} bytes in 2 s");
    tui.wait_for("14.11.2023 10.06");
    tui.keys("q");
    assert!(tui.wait_exit().success());
}

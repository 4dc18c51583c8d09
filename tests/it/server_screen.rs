//! The duty screen with a server configured: it syncs in the background
//! (a save, a `tiski log` beside it) without a keystroke waiting, and its
//! header says how things stand in one word.

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tiski::app::{Action, App, Hold};
use tiski::config::Config;
use tiski::locale::Lang;
use tiski::server::worker::{Phase, SyncState};
use tiski::store::Store;

use crate::cli::Env;
use crate::e2e::Tui;
use crate::pg::{TestDb, pg};
use crate::server::at;

/// The header's first line with the sync in `state`.
fn header(lang: Lang, state: Option<SyncState>) -> String {
    let mut app = App::new(
        Config::embedded(),
        lang,
        Store::open_in_memory().unwrap(),
        at("2023-11-14 10:30"),
        Some("ikaihmiset"),
        None,
        Hold::Off,
    )
    .unwrap();
    app.update(Action::Sync(state));
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| tiski::ui::render(&app, f)).unwrap();
    let buf = t.backend().buffer();
    (0..80).map(|x| buf[(x, 0)].symbol()).collect()
}

#[test]
fn the_header_says_in_one_word_how_the_sync_stands() {
    let offline = SyncState {
        phase: Phase::Offline {
            since: at("2023-11-14 10:05"),
        },
        pending: 3,
    };
    let fi = header(Lang::Fi, Some(offline.clone()));
    assert!(fi.contains("ei yhteyttä 10.05 alkaen (3)"), "{fi}");
    assert!(fi.contains("10.30"), "the clock stays: {fi}");
    assert!(fi.contains("tiski ·"), "{fi}");
    let en = header(Lang::En, Some(offline));
    assert!(
        en.contains("offline since 10:05 (3)") || en.contains("offline since 10.05 (3)"),
        "{en}"
    );
    let synced = SyncState {
        phase: Phase::Synced,
        pending: 0,
    };
    assert!(header(Lang::Fi, Some(synced.clone())).contains("synkronoitu"));
    assert!(header(Lang::En, Some(synced)).contains("synced"));
    let waiting = SyncState {
        phase: Phase::Waiting,
        pending: 2,
    };
    assert!(header(Lang::Fi, Some(waiting)).contains("odottaa (2)"));
    // Without a server, nothing is said.
    let none = header(Lang::Fi, None);
    assert!(
        !none.contains("synkron") && !none.contains("odottaa"),
        "{none}"
    );
}

/// A config syncing as `t` (with the test CA), written in `env`.
fn desk_config(env: &Env, t: &tiski::server::Target, ca: &std::path::Path) -> std::path::PathBuf {
    let path = env.dir.path().join("desk.toml");
    std::fs::write(
        &path,
        format!(
            "[server]\nhost = \"{}\"\nport = {}\ndatabase = \"{}\"\nuser = \"{}\"\nroot_cert = \"{}\"\n",
            t.host,
            t.port,
            t.database,
            t.user,
            ca.display()
        ),
    )
    .unwrap();
    path
}

fn eventually(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out: {what}");
}

#[test]
fn the_duty_screen_syncs_its_saves_and_a_log_beside_it_in_the_background() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let desk = db.desk("kirjasto", None);
    let env = Env::new();
    env.init_db();
    let cfg = desk_config(&env, &desk, &pg.ca);
    let prelude = format!("export PGPASSWORD='{}'", crate::pg::password(&desk));
    let cfg_s = cfg.to_str().unwrap();
    let mut tui = Tui::start_via_sh(
        &env,
        &prelude,
        &["--config", cfg_s, "--profile", "ikaihmiset"],
    );
    tui.wait_for("synkronoitu");
    let visits = |db: &TestDb| db.count("SELECT count(*) FROM tiski.records WHERE kind = 'visit'");
    tui.keys("2");
    tui.wait_for("2 [x]");
    tui.keys("\r");
    tui.wait_for("Tallennettu");
    eventually("the saved visit on the server", || visits(&db) == 1);
    // A visit logged from the shell while the screen is open goes too.
    env.ok(&[
        "log",
        "--config",
        cfg_s,
        "--profile",
        "ikaihmiset",
        "--topic",
        "sote",
    ]);
    eventually("the logged visit on the server", || visits(&db) == 2);
    tui.wait_for("synkronoitu");
    // Killed at once: the next sync sends whatever was left, and the
    // server holds what the desk holds, once.
    tui.keys("3");
    tui.wait_for("3 [x]");
    tui.keys("\r");
    tui.wait_for("Tallennettu");
    let _ = tui.child.kill();
    let _ = tui.child.wait();
    let out = env
        .cmd()
        .args(["--config", cfg_s, "sync"])
        .env("PGPASSWORD", crate::pg::password(&desk))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(visits(&db), 3);
    let s = Store::open(&env.db()).unwrap();
    assert_eq!(s.sync_pending().unwrap(), 0);
}

#[test]
fn with_the_server_away_the_screen_saves_at_once_and_says_since_when() {
    let Some(pg) = pg() else { return };
    let env = Env::new();
    env.init_db();
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let away = pg.admin.clone().at_port(port);
    let cfg = desk_config(&env, &away, &pg.ca);
    let mut tui = Tui::start(
        &env,
        &["--config", cfg.to_str().unwrap(), "--profile", "ikaihmiset"],
    );
    tui.wait_for("Uusi käynti");
    let started = Instant::now();
    tui.keys("2");
    tui.wait_for("2 [x]");
    tui.keys("\r");
    tui.wait_for("Tallennettu");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "a save waited for the network: {:?}",
        started.elapsed()
    );
    tui.wait_for("ei yhteyttä");
    eventually("the count of what waits", || {
        tui.contents().contains("alkaen (2)")
    });
}

/// With a server configured, an idle duty screen still wakes no thread but
/// its own ticks: the background sync sleeps until the screen nudges it
/// (after a key, or when its tick sees the file written by another
/// process). It had looked at the outbox every 2 s.
#[cfg(target_os = "linux")]
#[test]
fn an_idle_screen_with_a_server_wakes_no_thread_but_its_ticks() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let desk = db.desk("kirjasto", None);
    let env = Env::new();
    env.init_db();
    let cfg = desk_config(&env, &desk, &pg.ca);
    let prelude = format!("export PGPASSWORD='{}'", crate::pg::password(&desk));
    let mut tui = Tui::start_via_sh(
        &env,
        &prelude,
        &["--config", cfg.to_str().unwrap(), "--profile", "ikaihmiset"],
    );
    tui.wait_for("synkronoitu");
    // The shell execs tiski: the same process.
    let tiski = tui.child.process_id().expect("a pid");
    // The first sync's own writes, seen by the tick, settle first.
    std::thread::sleep(Duration::from_secs(2));
    let before = crate::e2e::thread_wakeups(tiski);
    std::thread::sleep(Duration::from_secs(6));
    let after = crate::e2e::thread_wakeups(tiski);
    let busy: Vec<String> = after
        .iter()
        .filter(|(tid, _)| **tid != tiski.to_string())
        .filter_map(|(tid, n)| {
            let woke = n - before.get(tid).copied().unwrap_or(0);
            (woke > 1).then(|| format!("thread {tid} woke {woke} times"))
        })
        .collect();
    assert!(busy.is_empty(), "{busy:?}");
    // Still nudged by a write beside it.
    let visits = |db: &TestDb| db.count("SELECT count(*) FROM tiski.records WHERE kind = 'visit'");
    env.ok(&[
        "log",
        "--config",
        cfg.to_str().unwrap(),
        "--profile",
        "ikaihmiset",
        "--topic",
        "sote",
    ]);
    eventually("the logged visit on the server", || visits(&db) == 1);
    tui.keys("q");
    let _ = tui.child.kill();
    let _ = tui.child.wait();
}

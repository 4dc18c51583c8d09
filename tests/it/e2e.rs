//! End to end: the real binary in a pseudo-terminal, driven by keys as a
//! person would, read back through a terminal-screen parser (vt100).

use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

use super::cli::Env;
use super::support::timeout;

pub struct Tui {
    pub child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    /// How many bytes tiski has written to the terminal so far.
    received: Arc<AtomicUsize>,
}

/// A test that fails half-way must not leave tiski running.
impl Drop for Tui {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}

/// The binary, run by `cmd` (`sh -c …`, `faketime …`: the binary is added
/// as its next argument), in an 80×24 pseudo-terminal with the env's own
/// HOME, config and temp folders, on the env's database, and `args`.
pub fn spawn_in_pty(
    env: &Env,
    mut cmd: CommandBuilder,
    args: &[&str],
) -> (Box<dyn Child + Send + Sync>, Box<dyn MasterPty + Send>) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    cmd.arg(super::cli::bin());
    cmd.env_clear();
    cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
    cmd.env("HOME", env.dir.path());
    cmd.env("XDG_CONFIG_HOME", env.dir.path().join("config"));
    cmd.env("TERM", "xterm-256color");
    if let Some(tmp) = &env.tmpdir {
        cmd.env("TMPDIR", tmp);
    }
    cmd.arg("--db");
    cmd.arg(env.db());
    cmd.args(args);
    let child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    (child, pty.master)
}

impl Tui {
    pub fn start(env: &Env, args: &[&str]) -> Tui {
        Self::start_via_sh(env, "", args)
    }

    /// Starts tiski through `sh -c '<prelude>; exec tiski …'`, so a test
    /// can set limits or ignored signals first.
    pub fn start_via_sh(env: &Env, prelude: &str, args: &[&str]) -> Tui {
        let mut cmd = CommandBuilder::new("sh");
        cmd.arg("-c");
        cmd.arg(format!("{prelude}\nexec \"$0\" \"$@\""));
        let (child, master) = spawn_in_pty(env, cmd, args);
        let mut reader = master.try_clone_reader().unwrap();
        let writer = master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
        let received = Arc::new(AtomicUsize::new(0));
        let (sink, count) = (Arc::clone(&screen), Arc::clone(&received));
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
                count.fetch_add(n, Ordering::SeqCst);
            }
        });
        Tui {
            child,
            master,
            writer,
            screen,
            received,
        }
    }

    /// The foreground colours on the screen, as the terminal got them.
    pub fn colors(&self) -> Vec<vt100::Color> {
        let p = self.screen.lock().unwrap();
        let (rows, cols) = p.screen().size();
        let mut out = Vec::new();
        for r in 0..rows {
            for c in 0..cols {
                if let Some(cell) = p.screen().cell(r, c) {
                    out.push(cell.fgcolor());
                }
            }
        }
        out
    }

    /// How many bytes tiski has written to the terminal so far.
    pub fn received(&self) -> usize {
        self.received.load(Ordering::SeqCst)
    }

    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`; fails with the screen if not.
    pub fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + timeout(20);
        while Instant::now() < deadline {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "timed out waiting for {text:?}; screen:\n{}",
            self.contents()
        );
    }

    /// Waits until the screen no longer shows `text`.
    pub fn wait_gone(&self, text: &str) {
        let deadline = Instant::now() + timeout(20);
        while Instant::now() < deadline {
            if !self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{text:?} stayed on the screen:\n{}", self.contents());
    }

    pub fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Types one key and waits for the screen to show its effect.
    pub fn key_then(&mut self, key: &str, text: &str) {
        self.keys(key);
        self.wait_for(text);
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + timeout(20);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader catch the last bytes (terminal restore).
                std::thread::sleep(Duration::from_millis(100));
                return status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("tiski did not exit; screen:\n{}", self.contents());
    }

    /// The terminal is back to normal: main screen, cursor shown.
    pub fn assert_restored(&self) {
        let p = self.screen.lock().unwrap();
        assert!(
            !p.screen().alternate_screen(),
            "still on the alternate screen"
        );
        assert!(!p.screen().hide_cursor(), "cursor still hidden");
    }

    pub fn resize(&self, rows: u16, cols: u16) {
        self.screen
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows, cols);
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    /// The process id of tiski (the `sh` in front of it has exec'd it).
    pub fn pid(&self) -> u32 {
        self.child.process_id().unwrap()
    }

    /// Whether tiski is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn signal(&self, sig: &str) {
        let pid = self.child.process_id().unwrap().to_string();
        let ok = std::process::Command::new("kill")
            .args([sig, &pid])
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }
}

#[test]
fn log_visits_by_keys_undo_quit_restart_and_check_the_tally() {
    let env = Env::new();
    let mut tui = Tui::start(&env, &["--profile", "ikaihmiset"]);
    tui.wait_for("Uusi käynti");
    tui.wait_for("Tämä päivystys 0");
    tui.keys("2");
    tui.wait_for("2 [x] Digituki");
    tui.keys("6");
    tui.wait_for("6 [x] Liukuesteet");
    tui.key_then("\r", "Tämä päivystys 1");
    tui.wait_for("Tallennettu");
    tui.keys("1");
    tui.key_then("\r", "Tämä päivystys 2");
    tui.key_then("u", "käynti kumottu");
    tui.wait_for("Tämä päivystys 1");
    tui.keys("q");
    assert!(tui.wait_exit().success());
    tui.assert_restored();

    // Reopening the same day continues the session.
    let mut tui = Tui::start(&env, &[]);
    tui.wait_for("Tämä päivystys 1");
    tui.wait_for("Digituki,");
    tui.wait_for("      Liukuesteet / nastakengät");
    tui.keys("3");
    tui.key_then("\r", "Tämä päivystys 2");
    tui.keys("q");
    assert!(tui.wait_exit().success());
    tui.assert_restored();

    let j = env.tally_json(&["--profile", "ikaihmiset"]);
    assert_eq!(j["visitors"], 2);
    assert_eq!(j["sessions"], 1);
    assert_eq!(j["topics"]["digituki"], 1);
    assert_eq!(j["topics"]["liukuesteet"], 1);
    assert_eq!(j["topics"]["piha_kotiapu"], 1);
    assert!(
        j["topics"].get("sote").is_none(),
        "the undone visit is gone"
    );
}

#[test]
fn first_run_chooses_a_profile_with_one_key() {
    let env = Env::new();
    let mut tui = Tui::start(&env, &["--lang", "en"]);
    tui.wait_for("Choose a profile");
    tui.key_then("2", "tiski · Integration · HeiMo-kahvila");
    tui.wait_for("New visit");
    tui.keys("q");
    assert!(tui.wait_exit().success());
    tui.assert_restored();
}

#[test]
fn sigterm_and_sighup_restore_the_terminal_and_keep_saved_visits() {
    for sig in ["-TERM", "-HUP"] {
        let env = Env::new();
        let mut tui = Tui::start(&env, &["--profile", "ikaihmiset"]);
        tui.wait_for("Uusi käynti");
        tui.keys("4");
        tui.key_then("\r", "Tämä päivystys 1");
        tui.signal(sig);
        let status = tui.wait_exit();
        assert!(status.success(), "{sig}: {status:?}");
        tui.assert_restored();
        let j = env.tally_json(&["--profile", "ikaihmiset"]);
        assert_eq!(j["visitors"], 1, "{sig}");
    }
}

#[test]
fn a_small_window_asks_to_be_made_larger_and_recovers() {
    let env = Env::new();
    let mut tui = Tui::start(&env, &["--profile", "ikaihmiset"]);
    tui.wait_for("Uusi käynti");
    tui.resize(20, 60);
    tui.wait_for("Suurenna ikkunaa");
    // Keys typed into the small window change nothing (issue 13).
    tui.keys("2\r");
    std::thread::sleep(Duration::from_millis(300));
    tui.resize(24, 80);
    tui.wait_for("Uusi käynti");
    tui.wait_for("2 [ ] Digituki");
    tui.keys("q");
    assert!(tui.wait_exit().success());
    tui.assert_restored();
    assert_eq!(env.tally_json(&["--profile", "ikaihmiset"])["visitors"], 0);
}

#[test]
fn the_report_view_shows_todays_visit_and_redraws_on_resize() {
    let env = Env::new();
    let mut tui = Tui::start(&env, &["--profile", "ikaihmiset"]);
    tui.wait_for("Uusi käynti");
    tui.keys("2");
    tui.key_then("\r", "Tämä päivystys 1");
    tui.key_then("r", "Päivystyksiä 1 · Kävijöitä 1");
    tui.wait_for("Digituki");
    tui.resize(20, 60);
    tui.wait_for("Suurenna ikkunaa");
    tui.resize(30, 100);
    tui.wait_for("Kävijät päivystyksittäin (1)");
    tui.key_then("w", "Raportti · vko");
    tui.key_then("\x1b", "Uusi käynti");
    tui.keys("q");
    assert!(tui.wait_exit().success());
    tui.assert_restored();
}

#[test]
fn the_help_opens_over_the_report_view_and_esc_goes_back_to_it() {
    let env = Env::new();
    let mut tui = Tui::start(&env, &["--profile", "ikaihmiset"]);
    tui.wait_for("Uusi käynti");
    tui.key_then("r", "Raportti ·");
    tui.wait_for("? ohje");
    // The report view's own keys, not the duty screen's.
    tui.key_then("?", "Ohje — näppäimet");
    tui.wait_for("tämä viikko");
    tui.wait_for("edellinen / seuraava jakso");
    assert!(!tui.contents().contains("tallenna käynti"));
    tui.keys("\x1b");
    tui.wait_gone("Ohje — näppäimet");
    tui.wait_for("Raportti ·");
    assert!(!tui.contents().contains("Uusi käynti"), "still the report");
    tui.key_then("\x1b", "Uusi käynti");
    tui.keys("q");
    assert!(tui.wait_exit().success());
    tui.assert_restored();
}

/// The colour depth follows the environment: 256 colours for
/// `xterm-256color`, the eight basic ones for `TERM=xterm` and `linux`,
/// none under `NO_COLOR`.
#[test]
fn colours_follow_term_and_no_color() {
    use vt100::Color;
    let env = Env::new();
    for (prelude, want) in [
        ("", "full"),
        ("export TERM=xterm", "basic"),
        ("export TERM=linux", "basic"),
        ("export NO_COLOR=1", "none"),
    ] {
        let mut tui = Tui::start_via_sh(&env, prelude, &["--profile", "ikaihmiset"]);
        tui.wait_for("Uusi käynti");
        tui.keys("2");
        tui.wait_for("2 [x] Digituki");
        let colors = tui.colors();
        let full = colors.iter().any(|c| matches!(c, Color::Idx(16..)));
        let any = colors.iter().any(|c| *c != Color::Default);
        let only_basic = colors
            .iter()
            .all(|c| matches!(c, Color::Default | Color::Idx(0..8)));
        match want {
            "full" => assert!(full, "{prelude}"),
            "basic" => assert!(any && only_basic, "{prelude}: {colors:?}"),
            _ => assert!(!any, "{prelude}: {colors:?}"),
        }
        tui.key_then("q", "Lopetetaanko");
        tui.keys("k");
        assert!(tui.wait_exit().success());
    }
}

#[test]
fn issue_a_voucher_by_keys_and_find_it_in_the_register_and_the_cli() {
    let env = Env::new();
    let mut tui = Tui::start(&env, &["--profile", "ikaihmiset"]);
    tui.wait_for("Sitoumuksia tällä kaudella");
    tui.wait_for("): 0");
    tui.keys("2");
    tui.wait_for("2 [x] Digituki");
    tui.key_then("v", "Maksusitoumus");
    tui.keys("1");
    tui.wait_for("1 (•) Kenkien liukuesteet");
    tui.keys("1948");
    tui.wait_for("1948");
    tui.key_then("\r", "Maksusitoumus myönnetty");
    tui.wait_for("-001 myönnetty, voimassa");
    tui.wait_for("███");
    tui.key_then(" ", "): 1");
    tui.wait_for("      Liukuesteet / nastakengät");
    tui.key_then("m", "Maksusitoumukset · kausi");
    tui.wait_for("voimassa");
    tui.key_then("\x1b", "Uusi käynti");
    tui.keys("q");
    assert!(tui.wait_exit().success());
    tui.assert_restored();

    let out = env.ok(&["voucher", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let v = &list[0];
    assert!(v["number"].as_str().unwrap().ends_with("-001"), "{v}");
    assert_eq!(v["product"], "liukuesteet");
    assert_eq!(v["birth_year"], 1948);
    assert_eq!(v["status"], "issued");
    let j = env.tally_json(&["--profile", "ikaihmiset"]);
    assert_eq!(j["visitors"], 1);
    assert_eq!(j["vouchers_issued"]["liukuesteet"], 1);
}

/// A paste that holds the paste's own end marker cannot end the paste
/// early and act as keys: the `q` and Enter after it stay text (issue 12).
#[test]
fn a_pasted_end_marker_does_not_turn_the_rest_into_keys() {
    let env = Env::new();
    let mut tui = Tui::start(&env, &["--profile", "ikaihmiset"]);
    tui.wait_for("Uusi käynti");
    tui.key_then("1", "1 [x]");
    tui.key_then("n", "Huomio —");
    tui.keys("\u{1b}[200~kysyi\u{1b}[201~q\rx\u{1b}[201~");
    tui.wait_for("kysyiq");
    tui.keys("\u{1b}");
    // A lone Esc is told apart from the start of a sequence by a pause.
    std::thread::sleep(Duration::from_millis(300));
    // Outside the note too: no quit, no save.
    tui.keys("\u{1b}[200~a\u{1b}[201~q\r\u{1b}[201~");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        tui.child.try_wait().unwrap().is_none(),
        "the pasted q quit tiski"
    );
    tui.wait_for("Liitetty teksti ohitettiin");
    tui.keys("q");
    tui.wait_for("Lopetetaanko");
    tui.keys("k");
    assert!(tui.wait_exit().success());
    assert_eq!(
        env.tally_json(&["--profile", "ikaihmiset"])["visitors"],
        0,
        "nothing saved"
    );
}

#[test]
fn a_save_waits_for_another_writer_without_freezing_the_screen() {
    let env = Env::new();
    env.init_db();
    let mut tui = Tui::start(&env, &["--profile", "ikaihmiset"]);
    tui.wait_for("Tämä päivystys 0");
    let other = rusqlite::Connection::open(env.db()).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    tui.keys("2");
    tui.wait_for("2 [x] Digituki");
    tui.key_then("\r", "Odottaa tietokantaa");
    // The screen keeps answering: the clock ticks on in the message, and a
    // key for the next visitor does not join the waiting visit.
    tui.wait_for("(2 s)");
    tui.keys("3");
    tui.wait_for("(3 s)");
    assert!(tui.contents().contains("3 [ ]"), "{}", tui.contents());
    other.execute_batch("ROLLBACK").unwrap();
    tui.wait_for("Tämä päivystys 1");
    tui.keys("q");
    assert!(tui.wait_exit().success());
    let j = env.tally_json(&["--profile", "ikaihmiset"]);
    assert_eq!(j["visitors"], 1);
    assert_eq!(j["topics"]["digituki"], 1);
    assert!(j["topics"].get("piha_kotiapu").is_none());
}

#[test]
fn a_database_replaced_underneath_the_screen_is_noticed_at_save() {
    let env = Env::new();
    env.init_db();
    let mut tui = Tui::start(&env, &["--profile", "ikaihmiset"]);
    tui.wait_for("Tämä päivystys 0");
    // Another file is put in its place while the screen is open.
    let other = env.dir.path().join("data").join("other.db");
    tiski::store::Store::open(&other).unwrap();
    std::fs::rename(&other, env.db()).unwrap();
    tui.keys("2");
    tui.wait_for("2 [x] Digituki");
    tui.key_then("\r", "ei ole enää paikallaan");
    assert!(
        tui.contents().contains("Tämä päivystys 0"),
        "{}",
        tui.contents()
    );
    tui.key_then("q", "Lopetetaanko silti");
    tui.keys("k");
    assert!(tui.wait_exit().success());
    let draft = env
        .dir
        .path()
        .join("data")
        .join("tiski.db.draft-ikaihmiset.json");
    let kept = std::fs::read_to_string(&draft).unwrap();
    assert!(kept.contains("digituki"), "{kept}");
}

#[test]
fn sigint_and_sigquit_keep_the_note_being_typed_and_end_the_session() {
    for sig in ["-INT", "-QUIT"] {
        let env = Env::new();
        let mut tui = Tui::start(&env, &["--profile", "ikaihmiset"]);
        tui.wait_for("Uusi käynti");
        tui.key_then("2", "2 [x] Digituki");
        tui.key_then("\r", "Tämä päivystys 1");
        tui.key_then("3", "3 [x] Piha");
        tui.keys("n");
        tui.keys("lumityöt kesken");
        tui.wait_for("lumityöt kesken");
        tui.signal(sig);
        let status = tui.wait_exit();
        assert!(status.success(), "{sig}: {status:?}");
        tui.assert_restored();
        let ended: Option<String> = rusqlite::Connection::open(env.db())
            .unwrap()
            .query_row("SELECT ended_at FROM sessions", [], |r| r.get(0))
            .unwrap();
        assert!(ended.is_some(), "{sig}: the session was ended");

        let mut tui = Tui::start(&env, &[]);
        tui.wait_for("Palautetaanko");
        tui.key_then("k", "lumityöt kesken");
        tui.wait_for("3 [x] Piha");
        tui.keys("q");
        tui.wait_for("Lopetetaanko");
        tui.keys("k");
        assert!(tui.wait_exit().success());
    }
}

#[test]
fn another_name_for_the_open_database_does_not_get_past_the_desk_lock() {
    let env = Env::new();
    env.init_db();
    let mut tui = Tui::start(&env, &["--profile", "ikaihmiset"]);
    tui.wait_for("Uusi käynti");
    let link = env.dir.path().join("toinen-nimi.db");
    std::os::unix::fs::symlink(env.db(), &link).unwrap();
    let hard = env.db().parent().unwrap().join("kova-linkki.db");
    std::fs::hard_link(env.db(), &hard).unwrap();
    for name in [&link, &hard] {
        let o = env.run_on(name, &["purge", "--due"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{}: {err}", name.display());
    }
    tui.keys("q");
    assert!(tui.wait_exit().success());
}

/// An import of a file that is the open log's `-shm` (or `-wal`) under a
/// name of its own is refused before the file is opened: closing any
/// descriptor of the `-shm` would drop the WAL locks of the import's own
/// connection (SQLite's "How To Corrupt", 2.2). The duty screen beside it
/// keeps the companions there.
#[test]
fn an_import_of_a_link_to_the_open_logs_companion_is_refused() {
    let env = Env::new();
    env.init_db();
    let mut tui = Tui::start(&env, &["--profile", "ikaihmiset"]);
    tui.wait_for("Uusi käynti");
    let data = env.db().parent().unwrap().to_path_buf();
    let soft = env.dir.path().join("vienti.jsonl");
    std::os::unix::fs::symlink(data.join("tiski.db-shm"), &soft).unwrap();
    let hard = env.dir.path().join("toinen.jsonl");
    std::fs::hard_link(data.join("tiski.db-wal"), &hard).unwrap();
    for name in [&soft, &hard] {
        let o = env.run(&["import", name.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{}: {err}", name.display());
        assert!(
            err.contains("käyttämä tietokanta"),
            "{}: {err}",
            name.display()
        );
    }
    tui.keys("2");
    tui.key_then("\r", "Tämä päivystys 1");
    tui.keys("q");
    assert!(tui.wait_exit().success());
}

/// Each thread of process `pid` by id, with its voluntary sleeps and
/// wake-ups so far.
#[cfg(target_os = "linux")]
pub fn thread_wakeups(pid: u32) -> std::collections::BTreeMap<String, u64> {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap()
        .flatten()
        .map(|t| {
            let status = std::fs::read_to_string(t.path().join("status")).unwrap_or_default();
            let n = status
                .lines()
                .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            (t.file_name().to_string_lossy().into_owned(), n)
        })
        .collect()
}

/// An idle duty screen sleeps in the kernel: no thread but the screen's own
/// (which ticks the clock four times a second) wakes while nothing happens.
/// A watchdog for stuck stops polled its flag ten times a second for the
/// whole run.
#[cfg(target_os = "linux")]
#[test]
fn an_idle_screen_wakes_no_thread_but_its_ticks() {
    let env = Env::new();
    let mut tui = Tui::start(&env, &["--profile", "ikaihmiset"]);
    tui.wait_for("Uusi käynti");
    let pid = tui.child.process_id().expect("a pid");
    let switches = || thread_wakeups(pid);
    // The day's check and the first frames settle first.
    std::thread::sleep(Duration::from_secs(2));
    let before = switches();
    std::thread::sleep(Duration::from_secs(3));
    let after = switches();
    let main = pid.to_string();
    let busy: Vec<String> = after
        .iter()
        .filter(|(tid, _)| **tid != main)
        .filter_map(|(tid, n)| {
            let woke = n - before.get(tid).copied().unwrap_or(0);
            (woke > 2).then(|| format!("thread {tid} woke {woke} times"))
        })
        .collect();
    assert!(busy.is_empty(), "{busy:?}");
    tui.keys("q");
    assert!(tui.wait_exit().success());
}

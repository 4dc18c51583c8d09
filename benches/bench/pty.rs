//! The duty screen through a real pseudo-terminal, beside a minimal
//! program built in this benchmark (its child mode) that does only the
//! unavoidable work: raw mode and the alternate screen, an SQLite file in
//! WAL with `synchronous=FULL`, and on Enter one durable insert and the new
//! count drawn by ratatui. Both are read back through the same terminal
//! parser (vt100) on a reader thread that notes the moment the awaited
//! text appears, so the figure is key → commit → frame on screen.
//!
//! Measured for each, the two programs in turns: start-up (spawn → first
//! frame showing the count), Enter → the new count, and the CPU time the
//! program takes while the screen sits idle for a few seconds (no busy
//! waiting: ~0).

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use ratatui::widgets::Paragraph;
use tiski::error::Error;

use super::fail;

/// The argument that runs this benchmark as the minimal program.
pub const MINIMAL_CHILD: &str = "--child-minimal";

/// Targets (issue 23).
pub(crate) const SAVE_MAX_RATIO: f64 = 1.3;
pub(crate) const START_MAX_RATIO: f64 = 2.0;

/// What the two programs show: the count after each save.
const COUNT: &str = "Tämä päivystys";
/// Saves of each program, timed in turns with the other's.
pub(crate) const SAVES: usize = 80;
/// Start-ups of each program, timed in turns.
pub(crate) const STARTS: usize = 10;
const IDLE: Duration = Duration::from_secs(3);

/// One program's figures.
#[derive(Debug, Clone, Copy)]
pub struct Screen {
    pub start: Duration,
    pub save: Duration,
    /// CPU time used while idle for [`IDLE`].
    pub idle_cpu: Duration,
}

/// tiski and the minimal program, measured in the same run.
#[derive(Debug, Clone, Copy)]
pub struct PtyFigures {
    pub tiski: Screen,
    pub minimal: Screen,
}

/// The minimal program: what a duty screen cannot avoid doing.
pub fn minimal_child(db: &Path) -> Result<(), Error> {
    use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind};
    let conn = rusqlite::Connection::open(db)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute_batch("CREATE TABLE IF NOT EXISTS visits(id INTEGER PRIMARY KEY, at TEXT)")?;
    let mut n: i64 = conn.query_row("SELECT count(*) FROM visits", [], |r| r.get(0))?;
    let mut terminal = ratatui::init();
    let mut draw = |n: i64| {
        let _ =
            terminal.draw(|f| f.render_widget(Paragraph::new(format!("{COUNT} {n}")), f.area()));
    };
    draw(n);
    let result = loop {
        match event::read() {
            Ok(Event::Key(k)) if k.kind == KeyEventKind::Press && k.code == KeyCode::Enter => {
                let saved = (|| {
                    let tx = conn.unchecked_transaction()?;
                    tx.execute("INSERT INTO visits(at) VALUES (datetime('now'))", [])?;
                    tx.commit()
                })();
                if let Err(e) = saved {
                    break Err(e.into());
                }
                n += 1;
                draw(n);
            }
            Ok(Event::Key(k)) if k.code == KeyCode::Char('q') => break Ok(()),
            Ok(_) => {}
            Err(e) => break Err(e.into()),
        }
    };
    ratatui::restore();
    result
}

/// A program in an 80×24 pseudo-terminal, its screen parsed as it comes.
struct Term {
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    seen: Arc<(Mutex<Seen>, Condvar)>,
    started: Instant,
}

/// The screen, and the text awaited with when it first showed.
struct Seen {
    screen: vt100::Parser,
    awaited: Option<String>,
    shown: Option<Instant>,
}

impl Drop for Term {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}

impl Term {
    fn spawn(program: &Path, args: &[&str], home: &Path) -> Result<Term, Error> {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .map_err(|e| fail(program, &e.to_string()))?;
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env_clear();
        cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("TMPDIR", home);
        cmd.env("TERM", "xterm-256color");
        let seen = Arc::new((
            Mutex::new(Seen {
                screen: vt100::Parser::new(24, 80, 0),
                awaited: Some(COUNT.to_string()),
                shown: None,
            }),
            Condvar::new(),
        ));
        let started = Instant::now();
        let child = pty
            .slave
            .spawn_command(cmd)
            .map_err(|e| fail(program, &e.to_string()))?;
        drop(pty.slave);
        let mut reader = pty
            .master
            .try_clone_reader()
            .map_err(|e| fail(program, &e.to_string()))?;
        let writer = pty
            .master
            .take_writer()
            .map_err(|e| fail(program, &e.to_string()))?;
        let sink = Arc::clone(&seen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let (lock, cv) = &*sink;
                let mut s = lock.lock().expect("reader");
                s.screen.process(&buf[..n]);
                if s.shown.is_none()
                    && let Some(text) = &s.awaited
                    && s.screen.screen().contents().contains(text.as_str())
                {
                    s.shown = Some(Instant::now());
                    cv.notify_all();
                }
            }
        });
        Ok(Term {
            child,
            _master: pty.master,
            writer,
            seen,
            started,
        })
    }

    /// Waits until `text` is on the screen; returns when it showed.
    fn wait(&self) -> Result<Instant, Error> {
        let (lock, cv) = &*self.seen;
        let s = lock.lock().expect("screen");
        let (s, _) = cv
            .wait_timeout_while(s, Duration::from_secs(60), |s| s.shown.is_none())
            .expect("screen");
        s.shown.ok_or_else(|| {
            let screen = s.screen.screen().contents();
            fail(
                Path::new(""),
                &format!("{:?} never showed:\n{screen}", s.awaited),
            )
        })
    }

    /// Awaits `text`, then sends `keys`; returns when the keys were sent.
    fn expect_then(&mut self, text: &str, keys: &str) -> Result<Instant, Error> {
        {
            let mut s = self.seen.0.lock().expect("screen");
            s.awaited = Some(text.to_string());
            s.shown = None;
        }
        let sent = Instant::now();
        self.writer.write_all(keys.as_bytes())?;
        self.writer.flush()?;
        Ok(sent)
    }

    #[cfg(not(unix))]
    fn cpu(&self) -> Option<Duration> {
        None
    }

    #[cfg(unix)]
    fn cpu(&self) -> Option<Duration> {
        let pid = self.child.process_id()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // After the command's name in parentheses: utime and stime are the
        // 12th and 13th fields from there.
        let rest = stat.rsplit_once(')')?.1;
        let f: Vec<&str> = rest.split_whitespace().collect();
        let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
        // SAFETY: sysconf has no preconditions.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
        Some(Duration::from_micros(ticks * 1_000_000 / hz))
    }

    fn quit(mut self) -> Result<(), Error> {
        self.writer.write_all(b"q")?;
        self.writer.flush()?;
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if self.child.try_wait()?.is_some() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        Err(fail(Path::new(""), "a program in the pty did not quit"))
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// How one program is started, and the key that readies a save.
struct Program<'a> {
    exe: &'a Path,
    args: Vec<String>,
    /// Typed (and awaited) before each Enter: tiski's topic.
    ready: Option<(&'a str, &'a str)>,
}

impl Program<'_> {
    fn spawn(&self, home: &Path) -> Result<Term, Error> {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        Term::spawn(self.exe, &args, home)
    }

    /// One start: spawn → the count on screen.
    fn start(&self, home: &Path) -> Result<Duration, Error> {
        let t = self.spawn(home)?;
        let shown = t.wait()? - t.started;
        t.quit()?;
        Ok(shown)
    }

    /// One save: the topic chosen (untimed), then Enter → the new count.
    fn save(&self, t: &mut Term, n: &mut usize) -> Result<Duration, Error> {
        if let Some((key, shown)) = self.ready {
            t.expect_then(shown, key)?;
            t.wait()?;
        }
        *n += 1;
        let sent = t.expect_then(&format!("{COUNT} {n}"), "\r")?;
        Ok(t.wait()? - sent)
    }
}

/// The count a program's screen shows.
fn count(t: &Term) -> usize {
    let s = t.seen.0.lock().expect("screen");
    let contents = s.screen.screen().contents();
    contents
        .split(COUNT)
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The two programs' turn in round `i`: each goes first every other
/// round, so neither always follows the other's disk flush.
fn turns(i: usize) -> [usize; 2] {
    if i.is_multiple_of(2) { [0, 1] } else { [1, 0] }
}

/// Measures the programs in turns, start by start and save by save, so a
/// change of the machine's mood (another engineer's build, the disk's
/// flush swinging between 0.1 and 4 ms) weighs on both alike rather than
/// on whichever ran during it.
fn measure_in_turns(programs: [&Program<'_>; 2], home: &Path) -> Result<[Screen; 2], Error> {
    // A first start of each, that makes its database and does the day's
    // check.
    for p in programs {
        let first = p.spawn(home)?;
        first.wait()?;
        std::thread::sleep(Duration::from_millis(500));
        first.quit()?;
    }
    let mut starts = [Vec::new(), Vec::new()];
    for i in 0..STARTS {
        for k in turns(i) {
            starts[k].push(programs[k].start(home)?);
        }
    }
    let mut terms = [programs[0].spawn(home)?, programs[1].spawn(home)?];
    let mut counts = [0, 0];
    for k in 0..2 {
        terms[k].wait()?;
        counts[k] = count(&terms[k]);
    }
    let mut saves = [Vec::new(), Vec::new()];
    for i in 0..SAVES {
        for k in turns(i) {
            saves[k].push(programs[k].save(&mut terms[k], &mut counts[k])?);
        }
    }
    std::thread::sleep(Duration::from_millis(200));
    let before = [terms[0].cpu(), terms[1].cpu()];
    std::thread::sleep(IDLE);
    let mut screens = Vec::new();
    for (k, t) in terms.into_iter().enumerate() {
        let idle_cpu = match (before[k], t.cpu()) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => Duration::ZERO,
        };
        t.quit()?;
        screens.push(Screen {
            start: median(std::mem::take(&mut starts[k])),
            save: median(std::mem::take(&mut saves[k])),
            idle_cpu,
        });
    }
    Ok([screens[0], screens[1]])
}

/// Measures tiski and the minimal program, each on a database of its own
/// in `dir` (removed afterwards).
pub fn measure(dir: &Path) -> Result<PtyFigures, Error> {
    let home = dir.join("pty-home");
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home)?;
    let db = home.join("tiski.db");
    let tiski = Program {
        exe: Path::new(env!("CARGO_BIN_EXE_tiski")),
        args: vec![
            "--db".into(),
            db.to_string_lossy().into_owned(),
            "--profile".into(),
            "ikaihmiset".into(),
        ],
        ready: Some(("2", "2 [x]")),
    };
    let me = std::env::current_exe()?;
    let minimal = Program {
        exe: &me,
        args: vec![
            MINIMAL_CHILD.into(),
            home.join("minimal.db").to_string_lossy().into_owned(),
        ],
        ready: None,
    };
    let [tiski, minimal] = measure_in_turns([&tiski, &minimal], &home)?;
    let figures = PtyFigures { tiski, minimal };
    let _ = std::fs::remove_dir_all(&home);
    Ok(figures)
}

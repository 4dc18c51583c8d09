//! The duty screen's Enter as the terminal loop does it, for counting its
//! instructions (PERFORMANCE.md, issue 23): a topic key (tick, toggle,
//! frame), then Enter (tick, save, frame), N times, each frame drawn by
//! ratatui's crossterm backend into a sink that counts the bytes. Not a
//! test and not shipped; run under callgrind, collecting `one_enter` only:
//!
//! ```sh
//! cargo build --release --example enter
//! valgrind --tool=callgrind --toggle-collect='enter::one_enter' \
//!     target/release/examples/enter "$TMPDIR/enter.db" 40
//! ```
//!
//! It prints the WAL bytes a save wrote (the -wal is left in place for a
//! look at its frames: the process exits without closing the database).

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use tiski::app::{Action, App};
use tiski::clock::Now;
use tiski::config::Config;
use tiski::store::Store;

type Term = Terminal<CrosstermBackend<Sink>>;

static BYTES: AtomicU64 = AtomicU64::new(0);

/// A terminal that takes every byte and counts them.
struct Sink;

impl Write for Sink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        BYTES.fetch_add(b.len() as u64, Ordering::Relaxed);
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[inline(never)]
fn key_topic(app: &mut App, term: &mut Term) {
    app.update(Action::Tick(Now::read()));
    app.update(Action::ToggleTopic(2));
    let _ = term.draw(|f| tiski::ui::render(app, f));
}

#[inline(never)]
fn one_enter(app: &mut App, term: &mut Term) {
    app.update(Action::Tick(Now::read()));
    app.update(Action::Save);
    let _ = term.draw(|f| tiski::ui::render(app, f));
}

/// The first saves (the session written with the first), not collected.
#[inline(never)]
fn warm_enter(app: &mut App, term: &mut Term) {
    std::hint::black_box(7u8);
    app.update(Action::Tick(Now::read()));
    app.update(Action::Save);
    let _ = term.draw(|f| tiski::ui::render(app, f));
}

fn main() {
    let mut args = std::env::args().skip(1);
    let db = std::path::PathBuf::from(args.next().expect("a database path"));
    let n: usize = args.next().map_or(40, |s| s.parse().expect("a count"));
    let store = Store::open(&db).expect("the database");
    let mut app = App::opening(store, Now::read().local)
        .config(Config::embedded())
        .profile("ikaihmiset")
        .open()
        .expect("the duty screen");
    let viewport = Viewport::Fixed(Rect::new(0, 0, 80, 24));
    let mut term =
        Terminal::with_options(CrosstermBackend::new(Sink), TerminalOptions { viewport })
            .expect("a terminal");
    app.update(Action::Resize(80, 24));
    let _ = term.draw(|f| tiski::ui::render(&app, f));
    for _ in 0..2 {
        key_topic(&mut app, &mut term);
        warm_enter(&mut app, &mut term);
    }
    let wal = tiski::store::with_suffix(&db, "-wal");
    let size = || std::fs::metadata(&wal).map_or(0, |m| m.len());
    let (w0, b0) = (size(), BYTES.load(Ordering::Relaxed));
    for _ in 0..n {
        key_topic(&mut app, &mut term);
        one_enter(&mut app, &mut term);
        if let Some(s) = app.status.as_ref().filter(|s| s.error) {
            panic!("save failed: {}", s.text);
        }
    }
    let per = |x: u64| x / n.max(1) as u64;
    eprintln!(
        "{} saves: {} WAL bytes a save (before a checkpoint), {} bytes to the terminal a key and an Enter",
        n,
        per(size().saturating_sub(w0)),
        per(BYTES.load(Ordering::Relaxed) - b0),
    );
    // Leave the -wal for a look at its frames.
    std::process::exit(0);
}

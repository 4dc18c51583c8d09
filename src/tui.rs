//! The terminal loop: events in, actions through `keymap` and
//! `App::update`, frames out. The terminal is restored on every way out:
//! quit, error, panic (ratatui's hook), SIGTERM, SIGHUP, SIGINT and
//! SIGQUIT, or a closed console window on Windows (`platform::on_stop`);
//! the unsaved form is written as a draft before leaving.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::execute;

use crate::app::{Action, App, Hold, Status};
use crate::clock::{Now, Ticker};
use crate::config::Config;
use crate::error::Error;
use crate::locale::Lang;
use crate::store::Store;
use crate::store::maintenance::DailyCheck;

mod reader;

/// How long one write of the duty screen waits for another program's lock.
const LOCK_WAIT: Duration = Duration::from_millis(100);

/// How long to wait for a key before redrawing the clock.
const TICK: Duration = Duration::from_millis(250);

/// Restores the terminal when dropped, whatever the way out.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        // Not `restore()`: it prints on failure, and printing to a terminal
        // that hung up panics inside this drop.
        let _ = ratatui::try_restore();
    }
}

/// What the duty screen opens with.
pub struct Launch {
    pub config: Config,
    pub lang: Lang,
    pub store: Store,
    /// `--profile`; else the last used one, else the chooser.
    pub profile: Option<String>,
    /// `--location`; else the profile's last used place.
    pub location: Option<String>,
    /// Shown in the status line at start (a database on a network drive).
    pub warning: Option<String>,
    /// `--screen-reader`: speak in lines of text (see `reader`).
    pub screen_reader: bool,
}

/// Runs the duty screen until the user quits or a signal arrives.
pub fn run(launch: Launch) -> Result<(), Error> {
    // Held while the screen is open: restore, purge, import and recount
    // refuse to run under it.
    let _lock = match launch.store.path() {
        Some(db) => Some(crate::store::lock::DeskLock::shared(db)?),
        None => None,
    };
    // No terminal (started from a service, or with no console): one line
    // that says so, before any duty session is opened. The screen-reader
    // mode draws nothing: raw keys, and lines of text.
    // The flag, else the config when it says (false undoes the chooser's
    // choice: a way back to the drawn screen), else the chooser's choice.
    let reader = launch.screen_reader
        || launch
            .config
            .screen_reader
            .unwrap_or_else(|| crate::app::reader_remembered(&launch.store));
    let mut drawn = if reader {
        ratatui::crossterm::terminal::enable_raw_mode().map_err(Error::NoTerminal)?;
        None
    } else {
        Some((open_terminal().map_err(Error::NoTerminal)?, TerminalGuard))
    };
    let _raw = reader::RawGuard;
    // The day's first start holds every write until the integrity check
    // (run after the first frame) has found the file healthy.
    let start = Now::read();
    let hold = if crate::app::daily_check_due(&launch.store, start.local.date()) {
        Hold::UntilChecked
    } else {
        Hold::Off
    };
    let mut app = App::opening(launch.store, start.local)
        .config(launch.config)
        .lang(launch.lang)
        .profile(launch.profile.as_deref())
        .location(launch.location.as_deref())
        .hold(hold)
        .open()?;
    app.look.depth = color_depth();
    app.reader = reader;
    if let Some(text) = launch.warning {
        app.status = Some(Status { text, error: true });
    }
    // Keys must be answered at once: a write waits a moment for another
    // program's lock, and a save tries again on the next tick (App::save).
    app.store.set_busy_timeout(LOCK_WAIT)?;
    let stop = Arc::new(AtomicBool::new(false));
    crate::platform::on_stop(Arc::clone(&stop))?;
    // A paste arrives as one event, not as keys that could save or quit.
    // (Not in the screen-reader mode: it prints nothing but its lines.)
    if !reader {
        execute!(std::io::stdout(), EnableBracketedPaste)?;
    }
    let mut daily = None;
    // The background sync runs beside either screen, woken after a key;
    // the drawn one shows its word in the header.
    let sync = start_sync(&app);
    let mut switched = false;
    // One reader of the terminal for the whole run: a second would leave
    // the first blocked in its read, taking the next key when the drawn
    // screen hands over to the spoken one.
    let input = crate::platform::Input::open()?;
    let mut clock = Ticker::default();
    let ends = Ends {
        stop: &stop,
        input: &input,
        sync: sync.as_ref(),
    };
    let result = loop {
        let Some((terminal, _)) = drawn.as_mut() else {
            break reader::event_loop(&mut app, &ends, &mut daily, switched, &mut clock);
        };
        match event_loop(&mut app, terminal, &ends, &mut daily, &mut clock) {
            // `l` on the chooser: the drawn screen goes, the lines begin.
            Ok(Ended::ToReader) => {
                drawn = None;
                ratatui::crossterm::terminal::enable_raw_mode()?;
                switched = true;
            }
            other => break other,
        }
    };
    // A check still running gets a moment to finish, so its verdict (and
    // the day's mark) is not lost to a quick quit.
    if let Some(check) = daily.and_then(|rx| rx.recv_timeout(Duration::from_secs(3)).ok()) {
        app.update(Action::DailyCheck(check));
    }
    // However the loop ended: keep the form, then end the session. Neither
    // failing loses a saved visit, so the loop's own error goes first.
    if app.draft.changed_at.is_some() {
        app.flush_draft();
    }
    let closed = app.shutdown();
    // A closed console window on Windows waits for this before ending us.
    crate::platform::stopped_cleanly();
    if let Ok(Ended::HungUp) = result {
        // Its drop would print about the cursor to a terminal that is gone,
        // and printing there panics.
        std::mem::forget(drawn);
    } else if drawn.is_none() {
        reader::say(&mut std::io::stdout(), &[crate::ui::speech::goodbye(&app)]);
    }
    result.map(|_| ()).and(closed)
}

/// What either loop waits on and wakes: the stop flag the signals set,
/// the terminal's events, and the background sync.
struct Ends<'a> {
    stop: &'a AtomicBool,
    input: &'a crate::platform::Input,
    sync: Option<&'a crate::server::worker::Worker>,
}

/// The drawn screen's terminal: raw mode, the alternate screen, and a
/// viewport of the size the terminal has now. The viewport is fixed, as
/// ratatui would otherwise ask the terminal its size before every frame
/// (on Unix an open, an ioctl and a close of `/dev/tty`, on every key);
/// the loop follows the size itself ([`follow_size`]).
fn open_terminal() -> std::io::Result<ratatui::DefaultTerminal> {
    let (w, h) = ratatui::crossterm::terminal::size()?;
    let viewport = ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, w, h));
    let terminal = ratatui::try_init_with_options(ratatui::TerminalOptions { viewport })?;
    execute!(
        std::io::stdout(),
        ratatui::crossterm::terminal::EnterAlternateScreen
    )?;
    Ok(terminal)
}

/// What a frame was drawn from: the app's revision and the minute its
/// clock shows.
type Drawn = Option<(u64, chrono::NaiveDateTime)>;

/// The terminal is `w`×`h` now (asked after a resize event, or on the idle
/// tick): the viewport and the app take the size. A viewport that changed
/// is cleared, so the next frame is drawn whole (`drawn` is forgotten).
fn follow_size(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    (w, h): (u16, u16),
    drawn: &mut Drawn,
) -> Result<(), Error> {
    let area = ratatui::layout::Rect::new(0, 0, w, h);
    if terminal.get_frame().area() != area {
        terminal.resize(area)?;
        *drawn = None;
    }
    if app.size != Some((w, h)) {
        app.update(Action::Resize(w, h));
    }
    Ok(())
}

/// The clock's tick: the one reading an action is dated by, taken here at
/// the edge (for both loops).
fn tick(clock: &mut Ticker) -> Action {
    Action::Tick(clock.read())
}

/// The terminal's colour depth, from the environment.
fn color_depth() -> crate::app::ColorDepth {
    let var = |name| std::env::var(name).ok();
    let (no_color, term, colorterm, wt) = (
        var("NO_COLOR"),
        var("TERM"),
        var("COLORTERM"),
        var("WT_SESSION"),
    );
    crate::app::ColorDepth::detect(crate::app::TermEnv {
        no_color: no_color.as_deref(),
        term: term.as_deref(),
        colorterm: colorterm.as_deref(),
        wt_session: wt.as_deref(),
    })
}

/// Starts the day's integrity check, purge and backup on another thread,
/// so the first frame does not wait for it. Not by a clock in doubt: the
/// purge would clear what is not due; it starts once the user says the
/// clock is right.
fn start_daily_check(app: &App) -> Option<Receiver<DailyCheck>> {
    if !app.holds_for_check() {
        return None;
    }
    let now = app.trusted_quietly()?;
    let db = app.store.path()?.to_path_buf();
    let (tx, rx) = mpsc::channel();
    let keep = app.config.backups_keep;
    let cutoffs = app.config.retention.cutoffs(now.local().date());
    std::thread::spawn(move || {
        let _ = tx.send(crate::desk::daily_check(&db, &now, keep, cutoffs));
    });
    Some(rx)
}

/// The background sync with the city's server, when the config has one
/// and lets the screen sync (`[server] background`).
fn start_sync(app: &App) -> Option<crate::server::worker::Worker> {
    let cfg = app.config.server.as_ref().filter(|s| s.background)?;
    let db = app.store.path()?.to_path_buf();
    let target = crate::server::Target::from_config(cfg, Some(&db)).ok()?;
    let opts = crate::server::push::SyncOptions::of(&app.config, app.now.date());
    Some(crate::server::worker::Worker::start(
        db,
        target,
        opts,
        || crate::clock::Now::read().local,
    ))
}

/// Wakes the background sync when there may be something to send: after
/// a key (which may have saved), or when the file was written since the
/// last look (`written`), by another process or by the screen itself on a
/// tick (a save retried after a lock, the session closed at midnight, a
/// rota slot's session). Read on the tick the screen wakes for anyway, so
/// an idle screen wakes no other thread.
pub(crate) fn nudge_sync(
    app: &App,
    sync: Option<&crate::server::worker::Worker>,
    came: bool,
    written: &mut Option<WriteMark>,
) {
    let Some(w) = sync else {
        return;
    };
    if written_since(&app.store, written) || came {
        w.nudge();
    }
}

/// What [`written_since`] compares.
pub(crate) use crate::store::outbox::WriteMark;

/// Whether the file was written since `last` (which it then updates).
fn written_since(store: &crate::store::Store, last: &mut Option<WriteMark>) -> bool {
    let now = store.write_mark().ok();
    now.is_some() && std::mem::replace(last, now) != now
}

fn event_loop(
    app: &mut App,
    terminal: &mut ratatui::DefaultTerminal,
    ends: &Ends<'_>,
    daily: &mut Option<Receiver<DailyCheck>>,
    clock: &mut Ticker,
) -> Result<Ended, Error> {
    let Ends { stop, input, sync } = *ends;
    let mut first_frame = true;
    // The day's check waits for a yes when the clock is in doubt.
    let mut daily_started = false;
    let mut paste = PasteGuard::default();
    let mut written = None;
    // What the last frame was drawn from: a tick that moved only the
    // clock's seconds draws nothing (an idle screen redraws once a
    // minute, for its clock).
    let mut drawn = None;
    // The terminal's size is asked at the start, on each resize event,
    // and on a tick with no event, as a resize may come without one (a
    // frame does not ask: see `open_terminal`).
    let mut sized = false;
    while !app.quit && !stop.load(Ordering::Relaxed) {
        if !sized {
            let size = terminal.size()?;
            follow_size(terminal, app, (size.width, size.height), &mut drawn)?;
            sized = true;
        }
        let shown = Some((app.revision(), crate::ui::clock_shown(app)));
        if shown != drawn {
            terminal.draw(|f| crate::ui::render(app, f))?;
            drawn = shown;
        }
        if first_frame || (daily.is_none() && !daily_started) {
            first_frame = false;
            *daily = start_daily_check(app);
            daily_started = daily.is_some() || !app.waits_for_clock();
        }
        if let Some(state) = sync.map(|w| w.state())
            && state != app.sync
        {
            app.update(Action::Sync(state));
            continue;
        }
        if let Some(check) = daily.as_ref().and_then(|rx| rx.try_recv().ok()) {
            *daily = None;
            app.update(Action::DailyCheck(check));
            continue;
        }
        // Wait for the terminal's next event in the kernel (a reader
        // thread hands them over); a hang-up ends the loop.
        let wait = if paste.text.is_some() {
            PASTE_GUARD
        } else {
            TICK
        };
        let first = match input.next(wait) {
            // A closed window is a way out like SIGHUP, not a failure.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(Ended::HungUp),
            other => other?,
        };
        let came = first.is_some();
        sized &= came;
        app.update(tick(clock));
        // Everything that has arrived, not just one event.
        let mut next = first;
        while let Some(event) = next {
            match event {
                Event::Key(key) if paste.holds() => paste.push(key),
                Event::Key(key) => {
                    if let Some(action) = crate::keymap::map(app, key) {
                        app.update(action);
                    }
                }
                Event::Paste(text) => paste.start(&text),
                // The event's numbers are not the window's everywhere
                // (on Windows crossterm gives the console buffer's size,
                // plus one): the terminal is asked, once per resize.
                Event::Resize(..) => {
                    let size = terminal.size()?;
                    follow_size(terminal, app, (size.width, size.height), &mut drawn)?;
                }
                _ => {}
            }
            next = match input.ready() {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    return Ok(Ended::HungUp);
                }
                other => other?,
            };
        }
        nudge_sync(app, sync, came, &mut written);
        remember_choices(app);
        if app.reader {
            return Ok(Ended::ToReader);
        }
        if !came
            && let Some(text) = paste.text.take()
            && !app.too_small()
        {
            app.update(Action::Paste(text));
        }
    }
    Ok(Ended::Normally)
}

/// A language chosen on the screen, drawn or spoken, holds for later
/// starts too; not remembered (a read-only home) it still holds for this
/// run.
pub(crate) fn remember_choices(app: &mut App) {
    if let Some(lang) = app.language_chosen.take() {
        let _ = crate::config::remember_language(lang);
    }
}

/// How long the terminal must be quiet after a paste before it counts as
/// done.
const PASTE_GUARD: Duration = Duration::from_millis(60);

/// Keys that arrive right after a paste, before the terminal has been
/// quiet for [`PASTE_GUARD`], are pasted text too: a pasted `ESC[201~`
/// ends the paste early, and what follows it must not act as keys (save,
/// quit). Nobody types within 60 ms of pasting.
#[derive(Default)]
struct PasteGuard {
    text: Option<String>,
}

impl PasteGuard {
    fn start(&mut self, text: &str) {
        self.text.get_or_insert_default().push_str(text);
    }

    fn holds(&self) -> bool {
        self.text.is_some()
    }

    fn push(&mut self, key: event::KeyEvent) {
        if let (Some(text), Some(c)) = (self.text.as_mut(), key_text(key)) {
            text.push(c);
        }
    }
}

/// What a key would have typed, as pasted text.
fn key_text(key: event::KeyEvent) -> Option<char> {
    match key.code {
        _ if key.kind == event::KeyEventKind::Release => None,
        event::KeyCode::Char(c) => Some(c),
        event::KeyCode::Enter => Some('\n'),
        event::KeyCode::Tab => Some('\t'),
        _ => None,
    }
}

/// How the loop ended.
enum Ended {
    /// Quit, SIGTERM or SIGHUP.
    Normally,
    /// The terminal is gone (closed window, dropped SSH).
    HungUp,
    /// The screen-reader mode was turned on: its loop goes on from here.
    ToReader,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::VisitEntry;
    use crate::store::Store;

    /// The background sync is woken by a write of the screen's own
    /// connection made on a tick (no key came), as by another process's.
    #[test]
    fn a_write_of_the_screens_own_connection_is_seen_as_one_of_anothers() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("tiski.db");
        let mut screen = Store::open(&db).unwrap();
        let mut other = Store::open(&db).unwrap();
        let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let e = VisitEntry {
            topics: vec!["digituki".into()],
            ..Default::default()
        };
        let mut last = None;
        written_since(&screen, &mut last);
        assert!(!written_since(&screen, &mut last), "nothing written");
        other
            .log_visit("ikaihmiset", "Kirjasto", at("2023-11-14 10:00"), &e)
            .unwrap();
        assert!(written_since(&screen, &mut last), "another's write");
        assert!(!written_since(&screen, &mut last), "seen once");
        screen
            .log_visit("ikaihmiset", "Kirjasto", at("2023-11-14 10:05"), &e)
            .unwrap();
        assert!(written_since(&screen, &mut last), "the screen's own write");
        assert!(!written_since(&screen, &mut last), "seen once");
    }
}

//! The terminal loop: events in, actions through `keymap` and
//! `App::update`, frames out. The terminal is restored on every way out:
//! quit, error, panic (ratatui's hook), SIGTERM and SIGHUP; the unsaved
//! form is written as a draft before leaving.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::execute;
use signal_hook::consts::{SIGHUP, SIGTERM};

use crate::app::{Action, App, Status};
use crate::commands::{Context, now};
use crate::error::Error;
use crate::store::maintenance::{self, DailyCheck};

/// How long to wait for a key before redrawing the clock.
const TICK: Duration = Duration::from_millis(250);

/// Restores the terminal when dropped, whatever the way out.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}

/// Runs the duty screen until the user quits or a signal arrives.
pub fn run(ctx: Context) -> Result<(), Error> {
    // The day's first start holds every write until the integrity check
    // (run after the first frame) has found the file healthy.
    let held = crate::app::daily_check_due(&ctx.store, now().date());
    let new = if held { App::new_held } else { App::new };
    let mut app = new(
        ctx.config,
        ctx.lang,
        ctx.store,
        now(),
        ctx.profile.as_deref(),
        ctx.location.as_deref(),
    )?;
    if let Some(text) = ctx.warning {
        app.status = Some(Status { text, error: true });
    }
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [SIGTERM, SIGHUP] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    let mut terminal = ratatui::init();
    let _guard = TerminalGuard;
    // A paste arrives as one event, not as keys that could save or quit.
    execute!(std::io::stdout(), EnableBracketedPaste)?;
    let mut daily = None;
    let result = event_loop(&mut app, &mut terminal, &stop, &mut daily);
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
    result.and(closed)
}

/// Starts the day's integrity check and backup on another thread, so the
/// first frame does not wait for it.
fn start_daily_check(app: &App) -> Option<Receiver<DailyCheck>> {
    if !crate::app::daily_check_due(&app.store, app.now.date()) {
        return None;
    }
    let db = app.store.path()?.to_path_buf();
    let (tx, rx) = mpsc::channel();
    let (when, keep) = (app.now, app.config.backups_keep);
    std::thread::spawn(move || {
        let _ = tx.send(maintenance::daily(&db, when, keep));
    });
    Some(rx)
}

fn event_loop(
    app: &mut App,
    terminal: &mut ratatui::DefaultTerminal,
    stop: &AtomicBool,
    daily: &mut Option<Receiver<DailyCheck>>,
) -> Result<(), Error> {
    let mut first_frame = true;
    while !app.quit && !stop.load(Ordering::Relaxed) {
        terminal.draw(|f| crate::ui::render(app, f))?;
        if first_frame {
            first_frame = false;
            *daily = start_daily_check(app);
        }
        if let Some(check) = daily.as_ref().and_then(|rx| rx.try_recv().ok()) {
            *daily = None;
            app.update(Action::DailyCheck(check));
            continue;
        }
        // A dead terminal (SIGHUP, closed window) makes poll or read fail:
        // that ends the loop instead of spinning.
        if event::poll(TICK)? {
            let ev = event::read()?;
            app.update(Action::Tick(now()));
            match ev {
                Event::Key(key) => {
                    if let Some(action) = crate::keymap::map(app, key) {
                        app.update(action);
                    }
                }
                Event::Paste(text) => app.update(Action::Paste(text)),
                _ => {}
            }
        } else {
            app.update(Action::Tick(now()));
        }
    }
    Ok(())
}

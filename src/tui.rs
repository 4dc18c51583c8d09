//! The terminal loop: events in, actions through `keymap` and
//! `App::update`, frames out. The terminal is restored on every way out:
//! quit, error, panic (ratatui's hook), SIGTERM and SIGHUP.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::crossterm::event::{self, Event};
use signal_hook::consts::{SIGHUP, SIGTERM};

use crate::app::{Action, App};
use crate::commands::{Context, now};
use crate::error::Error;

/// How long to wait for a key before redrawing the clock.
const TICK: Duration = Duration::from_millis(250);

/// Restores the terminal when dropped, whatever the way out.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// Runs the duty screen until the user quits or a signal arrives.
pub fn run(ctx: Context) -> Result<(), Error> {
    let mut app = App::new(
        ctx.config,
        ctx.lang,
        ctx.store,
        now(),
        ctx.profile.as_deref(),
        ctx.location.as_deref(),
    )?;
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [SIGTERM, SIGHUP] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    let mut terminal = ratatui::init();
    let _guard = TerminalGuard;
    let result = event_loop(&mut app, &mut terminal, &stop);
    // The session ends however the loop ended; a failure to record the end
    // time loses no visit, so the loop's own error takes precedence.
    let closed = app.shutdown();
    result.and(closed)
}

fn event_loop(
    app: &mut App,
    terminal: &mut ratatui::DefaultTerminal,
    stop: &AtomicBool,
) -> Result<(), Error> {
    while !app.quit && !stop.load(Ordering::Relaxed) {
        terminal.draw(|f| crate::ui::render(app, f))?;
        // A dead terminal (SIGHUP, closed window) makes poll or read fail:
        // that ends the loop instead of spinning.
        if event::poll(TICK)? {
            let ev = event::read()?;
            app.update(Action::Tick(now()));
            if let Event::Key(key) = ev
                && let Some(action) = crate::keymap::map(app, key)
            {
                app.update(action);
            }
        } else {
            app.update(Action::Tick(now()));
        }
    }
    Ok(())
}

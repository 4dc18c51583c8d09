//! The screen-reader mode's loop (`--screen-reader`): the same keys, the
//! same actions and the same `App` as the drawn screen, but nothing is
//! drawn. The terminal is in raw mode for the keys only (no alternate
//! screen, no cursor moves, no colours); each change is printed as one
//! line of plain text ending in `\r\n`, which a screen reader (NVDA in
//! Windows Terminal) says as it comes and keeps in the history. The lines
//! are `ui::speech`'s; nothing else is printed.

use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::mpsc::Receiver;

use ratatui::crossterm::event::Event;

use super::{Ended, Ends, TICK, start_daily_check};
use crate::app::{Action, App};
use crate::clock::Ticker;
use crate::error::Error;
use crate::store::maintenance::DailyCheck;
use crate::ui::speech;

/// Leaves raw mode when dropped, whatever the way out.
pub(super) struct RawGuard;

impl Drop for RawGuard {
    fn drop(&mut self) {
        let _ = ratatui::crossterm::terminal::disable_raw_mode();
    }
}

/// Prints `lines`, each ending in `\r\n` (raw mode does not turn `\n`
/// into a new line). Whether it could.
pub(super) fn say(out: &mut impl Write, lines: &[String]) -> bool {
    let mut ok = true;
    for line in lines {
        // Cleaned again here: nothing printed carries a control character.
        ok &= write!(out, "{}\r\n", crate::text::clean(line)).is_ok();
    }
    ok && out.flush().is_ok()
}

/// What a reading of the app was taken at: its revision and the minute
/// its clock shows (see [`App::revision`]).
type Seen = (u64, chrono::NaiveDateTime);

fn seen(app: &App) -> Seen {
    (app.revision(), crate::ui::clock_shown(app))
}

/// One action: applied, and what changed said. A tick that changed
/// nothing but the clock's seconds has nothing to say: the reading taken
/// before it is `kept` for the next step, not taken again on every tick.
fn step(
    app: &mut App,
    action: Action,
    out: &mut impl Write,
    kept: &mut Option<(Seen, speech::Before)>,
) -> bool {
    let at = seen(app);
    let before = match kept.take() {
        Some((was, before)) if was == at => before,
        _ => speech::before(app),
    };
    app.update(action.clone());
    if matches!(action, Action::Tick(_)) && seen(app) == at {
        *kept = Some((at, before));
        return true;
    }
    say(out, &speech::after(&before, &action, app))
}

/// Runs until the user quits, a signal arrives or the terminal goes.
/// `switched`: the mode was turned on from the drawn chooser just now.
pub(super) fn event_loop(
    app: &mut App,
    ends: &Ends<'_>,
    daily: &mut Option<Receiver<DailyCheck>>,
    switched: bool,
    clock: &mut Ticker,
) -> Result<Ended, Error> {
    let Ends { stop, input, sync } = *ends;
    let mut out = std::io::stdout();
    let mut opening = Vec::new();
    if switched {
        opening.push(app.texts().reader_on().to_string());
    }
    opening.extend(speech::opening(app));
    if !say(&mut out, &opening) {
        return Ok(Ended::HungUp);
    }
    let mut first = true;
    let mut daily_started = false;
    let mut written = None;
    let mut kept = None;
    while !app.quit && !stop.load(Ordering::Relaxed) {
        if first || (daily.is_none() && !daily_started) {
            first = false;
            *daily = start_daily_check(app);
            daily_started = daily.is_some() || !app.waits_for_clock();
        }
        if let Some(check) = daily.as_ref().and_then(|rx| rx.try_recv().ok()) {
            *daily = None;
            if !step(app, Action::DailyCheck(check), &mut out, &mut kept) {
                return Ok(Ended::HungUp);
            }
            continue;
        }
        // The kernel's wait for the next key (the input thread hands it
        // over), then everything that has arrived.
        let mut next = match input.next(TICK) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(Ended::HungUp),
            other => other?,
        };
        let mut said = step(app, super::tick(clock), &mut out, &mut kept);
        let came = next.is_some();
        while let Some(event) = next {
            let action = match event {
                Event::Key(key) => crate::keymap::map(app, key),
                Event::Paste(text) => Some(Action::Paste(text)),
                _ => None,
            };
            if let Some(action) = action {
                said &= step(app, action, &mut out, &mut kept);
            }
            next = match input.ready() {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    return Ok(Ended::HungUp);
                }
                other => other?,
            };
        }
        super::nudge_sync(app, sync, came, &mut written);
        super::remember_choices(app);
        if !said {
            return Ok(Ended::HungUp);
        }
    }
    Ok(Ended::Normally)
}

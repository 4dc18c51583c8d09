//! The duty screen's sync in the background: a thread with its own
//! connection to the desk's file and to the server sends the outbox
//! whenever it holds something, so no keystroke ever waits for the
//! network. The screen reads the latest [`SyncState`] for its header's one
//! word.
//!
//! The thread sleeps until the screen nudges it: after a key (which may
//! have saved), and when the screen's tick sees that another process wrote
//! to the file (a `tiski log` beside it, an import: `PRAGMA data_version`
//! on the screen's connection). With nothing happening it never wakes.
//! The server connection is kept between syncs, so a save's sync is one
//! batch on an open connection; it is closed after [`KEEP_OPEN`] without a
//! sync (one wake), so a city of a hundred desks keeps no hundred idle
//! connections on its server all day.
//!
//! An unreachable server or a lost connection is tried again after a
//! pause that grows to a few minutes; a refusal (a wrong password, an
//! untrusted certificate, a role that is no desk's) after a longer one.
//! Quitting does not wait for a sync under way: the server rolls back a
//! batch it did not finish, and the desk forgets only what was committed.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use super::push::{Session, SyncOptions};
use super::{ServerError, Target};
use crate::store::Store;

/// How the desk's log stands with the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Everything is on the server.
    Synced,
    /// Changes wait: a sync is due or under way.
    Waiting,
    /// The server has not been reached since this moment.
    Offline { since: NaiveDateTime },
    /// The server refused (a setting or a right to fix); the reason.
    Refused { error: String },
}

/// The latest state, with the number of records not yet sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncState {
    pub phase: Phase,
    pub pending: u64,
}

/// How long the server connection stays open after a sync with none
/// after it.
pub const KEEP_OPEN: Duration = Duration::from_secs(300);
/// The pauses after a failure: doubling from the first to the last.
const RETRY_FIRST: Duration = Duration::from_secs(5);
const RETRY_LAST: Duration = Duration::from_secs(300);

/// The shared part: the latest state, and the bell that wakes the thread.
struct Shared {
    state: Mutex<Option<SyncState>>,
    bell: Mutex<bool>,
    ring: Condvar,
    stop: AtomicBool,
}

/// A running background sync; stopped when dropped.
pub struct Worker {
    shared: Arc<Shared>,
}

impl Worker {
    /// Starts syncing the database at `db` to `target`. `now` reads the
    /// clock (for "offline since").
    pub fn start(
        db: PathBuf,
        target: Target,
        opts: SyncOptions,
        now: fn() -> NaiveDateTime,
    ) -> Worker {
        let shared = Arc::new(Shared {
            state: Mutex::new(None),
            bell: Mutex::new(false),
            ring: Condvar::new(),
            stop: AtomicBool::new(false),
        });
        let inner = Arc::clone(&shared);
        std::thread::spawn(move || run(&inner, &db, &target, &opts, now));
        Worker { shared }
    }

    /// The latest state (`None` before the first look).
    pub fn state(&self) -> Option<SyncState> {
        self.shared.state.lock().ok().and_then(|s| s.clone())
    }

    /// Something may have changed: look at the outbox now.
    pub fn nudge(&self) {
        if let Ok(mut b) = self.shared.bell.lock() {
            *b = true;
            self.shared.ring.notify_one();
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.nudge();
    }
}

fn publish(shared: &Shared, state: SyncState) {
    if let Ok(mut s) = shared.state.lock() {
        *s = Some(state);
    }
}

/// Waits until `until` (forever with `None`), a nudge, or the stop;
/// whether it was nudged (or stopped).
fn pause(shared: &Shared, until: Option<Instant>) -> bool {
    let Ok(mut rung) = shared.bell.lock() else {
        return true;
    };
    while !*rung && !shared.stop.load(Ordering::Relaxed) {
        let Some(until) = until else {
            match shared.ring.wait(rung) {
                Ok(guard) => rung = guard,
                Err(_) => return true,
            }
            continue;
        };
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        match shared.ring.wait_timeout(rung, left) {
            Ok((guard, _)) => rung = guard,
            Err(_) => return true,
        }
    }
    *rung = false;
    true
}

fn run(
    shared: &Shared,
    db: &std::path::Path,
    target: &Target,
    opts: &SyncOptions,
    now: fn() -> NaiveDateTime,
) {
    let mut store = match Store::open(db) {
        Ok(s) => s,
        Err(e) => {
            publish(
                shared,
                SyncState {
                    phase: Phase::Refused {
                        error: e.to_string(),
                    },
                    pending: 0,
                },
            );
            return;
        }
    };
    // Waits for the screen's own writes rather than failing beside them.
    let _ = store.set_busy_timeout(Duration::from_secs(5));
    // The desk has a server: what it saves from now on waits to be sent,
    // whether or not the server can be reached yet.
    let _ = store.sync_enable();
    let mut offline_since: Option<NaiveDateTime> = None;
    let mut retry = RETRY_FIRST;
    let mut first = true;
    // The server connection, kept between syncs, with what was done on it.
    let mut conn: Option<(postgres::Client, Session)> = None;
    // A sync that sent nothing though records wait: asleep until nudged
    // all the same, never spinning.
    let mut stuck = false;
    while !shared.stop.load(Ordering::Relaxed) {
        let pending = store.sync_pending().unwrap_or(0);
        if (pending == 0 || stuck) && !first {
            stuck = false;
            if offline_since.is_none() {
                publish(
                    shared,
                    SyncState {
                        phase: Phase::Synced,
                        pending: 0,
                    },
                );
            }
            // Asleep until nudged; an open connection is closed after a
            // while without a sync.
            let until = conn.as_ref().map(|_| Instant::now() + KEEP_OPEN);
            if !pause(shared, until) {
                conn = None;
            }
            continue;
        }
        first = false;
        if offline_since.is_none() {
            publish(
                shared,
                SyncState {
                    phase: Phase::Waiting,
                    pending,
                },
            );
        }
        let kept = conn.is_some();
        let mut result = send(&mut store, &mut conn, target, opts);
        // A kept connection the server has closed meanwhile (a restart, an
        // idle timeout): once more on a new one, at once.
        if kept && result.as_ref().is_err_and(ServerError::is_transient) {
            result = send(&mut store, &mut conn, target, opts);
        }
        let pending = store.sync_pending().unwrap_or(pending);
        match result {
            Ok(sent) => {
                stuck = sent == 0;
                offline_since = None;
                retry = RETRY_FIRST;
                let phase = if pending == 0 {
                    Phase::Synced
                } else {
                    Phase::Waiting
                };
                publish(shared, SyncState { phase, pending });
            }
            Err(e) => {
                let phase = if e.is_transient() {
                    Phase::Offline {
                        since: *offline_since.get_or_insert_with(now),
                    }
                } else {
                    offline_since = None;
                    Phase::Refused {
                        error: describe(&e),
                    }
                };
                let wait = if e.is_transient() { retry } else { RETRY_LAST };
                publish(shared, SyncState { phase, pending });
                retry = (retry * 2).min(RETRY_LAST);
                // A nudge (a new save) does not hurry a retry of a server
                // that is away: only the pause does.
                let until = Instant::now() + wait;
                while Instant::now() < until && !shared.stop.load(Ordering::Relaxed) {
                    pause(shared, Some(until));
                }
            }
        }
    }
}

/// One sync on the kept connection, made first when there is none; the
/// connection is dropped after an error (whatever state it is left in).
/// The records sent.
fn send(
    store: &mut Store,
    conn: &mut Option<(postgres::Client, Session)>,
    target: &Target,
    opts: &SyncOptions,
) -> Result<u64, ServerError> {
    if conn.is_none() {
        *conn = Some((super::connect(target)?, Session::default()));
    }
    let Some((client, session)) = conn.as_mut() else {
        return Err(ServerError::NotConfigured);
    };
    let result = super::push::sync_in(store, client, target, opts, session);
    if result.is_err() {
        *conn = None;
    }
    result.map(|r| r.sent)
}

/// The error, for a log line (the screen words its own message).
fn describe(e: &ServerError) -> String {
    crate::text::clean(&e.to_string()).into_owned()
}

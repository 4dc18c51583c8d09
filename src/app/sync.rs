//! The background sync's state on the duty screen (issue 24): the terminal
//! loop hands each new state of `server::worker` in as an action; the
//! header shows it as one word. Nothing here waits for the network.

use super::App;
use crate::server::worker::SyncState;

impl App {
    /// The worker's latest state; `None` when nothing is configured.
    pub(super) fn set_sync(&mut self, state: Option<SyncState>) {
        self.sync = state;
    }
}

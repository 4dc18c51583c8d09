//! The screen-reader mode as state: whether it is on, and remembering it
//! when chosen on the profile chooser (a setting of the database, as the
//! last profile is), so the next start opens in it.

use super::{App, Hold};
use crate::error::Error;

/// The setting that keeps the mode on between starts.
pub const READER_SETTING: &str = "screen_reader";

impl App {
    /// `r` on the chooser: the mode goes on at once (the terminal loop
    /// switches its output) and is remembered once writes are allowed.
    pub(super) fn choose_reader(&mut self) -> Result<(), Error> {
        self.reader = true;
        self.reader_chosen = true;
        self.remember_reader()
    }

    /// Writes the setting, unless writes wait for the day's check (then
    /// `start_writing` does it).
    pub(super) fn remember_reader(&mut self) -> Result<(), Error> {
        if self.reader_chosen && self.hold == Hold::Off && self.read_only.is_none() {
            self.store.set_setting(READER_SETTING, "on")?;
            self.reader_chosen = false;
        }
        Ok(())
    }
}

/// Whether the database remembers the mode as on.
pub fn reader_remembered(store: &crate::store::Store) -> bool {
    store
        .setting(READER_SETTING)
        .ok()
        .flatten()
        .is_some_and(|v| v == "on")
}

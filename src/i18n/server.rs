//! Texts of consolidation on the city's server: `tiski sync`, `tiski
//! server …`, the duty screen's sync word, and every refusal of the
//! server or of the connection to it, saying what to do. A supertrait of
//! `Texts`, implemented per language in `server/fi.rs` and `server/en.rs`.

mod en;
mod fi;

use crate::config::ServerConfigProblem;
use crate::server::schema::Init;
use crate::server::{ServerError, SyncReport};

pub trait ServerTexts {
    fn server_config_problem(&self, p: &ServerConfigProblem) -> String;
    fn server_error(&self, e: &ServerError) -> String;
    /// After `tiski sync`: what was sent, where, and what still waits.
    fn sync_done(&self, r: &SyncReport, server: &str, pending: u64) -> String;
    /// The duty screen's header: everything is on the server.
    fn sync_synced(&self) -> &'static str;
    /// The header: `n` records wait, a sync is due or running.
    fn sync_waiting(&self, n: u64) -> String;
    /// The header: the server has not been reached since `since` (a time
    /// of day), `n` records wait.
    fn sync_offline(&self, since: &str, n: u64) -> String;
    /// The header: the server refused (a setting or a right to fix).
    fn sync_refused(&self, n: u64) -> String;
    fn server_init_done(&self, i: &Init, server: &str) -> String;
    fn desk_added(&self, desk: &str, role: &str) -> String;
    fn reader_added(&self, role: &str) -> String;
    fn password_sealed(&self, path: &str) -> String;
    fn password_prompt(&self, user: &str, server: &str) -> String;
    fn server_purged(&self, notes: u64, identities: u64) -> String;
    /// The source line of a report read from the server.
    fn read_from_server(&self, server: &str) -> String;
}

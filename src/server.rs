//! Consolidation on the city's own PostgreSQL (issue 24): each desk's
//! SQLite file stays its truth and tiski stays whole offline; when a
//! `[server]` is configured, the desk's records are pushed there and the
//! unit's head reads every desk's figures from it.
//!
//! - `connect`: where and as whom (config, libpq's service and password
//!   files, a sealed password), TLS with the server's certificate checked;
//! - `schema`: the server's versioned SQL (`server/sql/*.sql`), applied in
//!   order by `tiski server init`, and the desks and readers IT adds;
//! - `push`: `tiski sync`, the outbox sent in batches, one server
//!   transaction each;
//! - `read`: the unit's figures for the report, and its records for
//!   exports and lists;
//! - `worker`: the duty screen's sync in the background.
//!
//! The layer sits on `store` and knows no language: its errors carry data
//! and `i18n` words them.

pub mod connect;
mod libpq;
pub mod push;
pub mod read;
pub mod schema;
pub mod sessions;
pub mod worker;

use std::path::PathBuf;

pub use connect::{Target, connect};
pub use push::{SyncReport, sync};

use crate::store::StoreError;

/// Why talking to the server failed.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// No `[server]` in the config.
    #[error("no server is configured")]
    NotConfigured,
    /// The service named in the config or `PGSERVICE` is in no service file.
    #[error("service {name:?} is not in {files}")]
    NoService { name: String, files: String },
    /// The server asked for a password and none was found.
    #[error("no password for {user} at {host}")]
    NoPassword { user: String, host: String },
    /// The server refused the password (or the role may not log in).
    #[error("the server refused the password of {user}")]
    WrongPassword { user: String },
    /// The server does not let the role in from here, or not this way
    /// (its `pg_hba.conf`: no rule for the role, or TLS required).
    #[error("the server does not let {user} in: {detail}")]
    NotLetIn { user: String, detail: String },
    /// The TLS handshake failed: most often the server's certificate is
    /// not signed by a trusted CA, or does not name this host.
    #[error("TLS with {host} failed: {detail}")]
    Tls { host: String, detail: String },
    /// The server could not be reached at all.
    #[error("cannot reach {host}:{port}: {detail}")]
    Unreachable {
        host: String,
        port: u16,
        detail: String,
    },
    /// The connection broke while working (cut, or the server restarted).
    #[error("the connection to the server was lost: {detail}")]
    Lost { detail: String },
    /// The server has no tiski schema yet.
    #[error("the server has no tiski schema")]
    NoSchema,
    /// The server's schema was made by a newer tiski.
    #[error("the server's schema is version {found}; this tiski knows {supported}")]
    SchemaTooNew { found: i64, supported: i64 },
    /// The server's schema needs `tiski server init` by the admin.
    #[error("the server's schema is version {found}; this tiski needs {supported}")]
    SchemaOld { found: i64, supported: i64 },
    /// The login role is not registered as a desk.
    #[error("role {role} is not a tiski desk")]
    NotADesk { role: String },
    /// A voucher prefix of this desk is another desk's.
    #[error("voucher prefix {prefix} is desk {desk}'s")]
    SeriesTaken { prefix: String, desk: String },
    /// The role may not do this (a desk reading the unit's figures).
    #[error("role {role} may not {what}")]
    Denied { role: String, what: String },
    /// A file the connection needs (the sealed password, the CA file)
    /// could not be read.
    #[error("cannot read {path}: {reason}")]
    File {
        path: PathBuf,
        reason: crate::files::Cause,
    },
    /// Any other refusal of the server, in its own words.
    #[error("the server refused: {message} ({code})")]
    Refused { code: String, message: String },
    /// This desk's own file.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ServerError {
    /// Whether trying again later may succeed without anyone changing
    /// anything (the network, a restarting server), as opposed to a
    /// setting or a right that needs fixing: the duty screen shows the
    /// first kind as "offline", the second as an error.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ServerError::Unreachable { .. } | ServerError::Lost { .. }
        )
    }
}

impl From<rusqlite::Error> for ServerError {
    fn from(e: rusqlite::Error) -> Self {
        ServerError::Store(e.into())
    }
}

//! The `[server]` table: where this desk's log is consolidated (the city's
//! own PostgreSQL), as whom, how the connection is secured, and the desk's
//! voucher number prefix. Without it nothing leaves the laptop.
//!
//! The password is never here: it comes from libpq's places (a pgpass
//! file, `PGSERVICE`) or is sealed for the user by `tiski server password`.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Consolidation settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// A `pg_service.conf` entry giving host, port, database and user
    /// (the keys below override it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// The login role: the desk's own, or the unit head's reader role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// TLS with the server's certificate checked (the default). Off only
    /// for a server reached over a local socket or a tunnel.
    #[serde(default = "yes")]
    pub tls: bool,
    /// A PEM file of the CA that signed the server's certificate, besides
    /// the system's own store (on Windows the certificate store, where the
    /// city's IT puts its CA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_cert: Option<PathBuf>,
    /// This desk's voucher number prefix, replacing every profile's, so
    /// that no two desks of the city number alike (checked by the server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voucher_prefix: Option<String>,
    /// Whether the duty screen sends the log in the background after each
    /// save; `tiski sync` sends it either way.
    #[serde(default = "yes")]
    pub background: bool,
    /// Refused with a message of its own: a password is never kept here.
    #[serde(default, skip_serializing, deserialize_with = "present")]
    pub password: bool,
}

/// Whether a key is there, whatever its value.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    serde::de::IgnoredAny::deserialize(d).map(|_| true)
}

fn yes() -> bool {
    true
}

/// What is wrong in `[server]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServerConfigProblem {
    #[error("neither host nor service is given")]
    NoHost,
    #[error("a password is never kept in the config file")]
    Password,
    #[error("voucher_prefix {0:?} is not 1-6 characters A-Z or 0-9")]
    BadPrefix(String),
}

impl ServerConfig {
    /// Checks what serde cannot; returns the problem and a snippet of the
    /// file that locates it.
    pub fn validate(&self) -> Result<(), (ServerConfigProblem, String)> {
        if self.password {
            return Err((ServerConfigProblem::Password, "password".into()));
        }
        if self.host.is_none() && self.service.is_none() {
            return Err((ServerConfigProblem::NoHost, "[server]".into()));
        }
        if let Some(p) = &self.voucher_prefix
            && (p.is_empty()
                || p.len() > 6
                || !p
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
        {
            return Err((
                ServerConfigProblem::BadPrefix(p.clone()),
                "voucher_prefix".into(),
            ));
        }
        Ok(())
    }
}

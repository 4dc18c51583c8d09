//! Where the server is and how to reach it: the config's `[server]`, a
//! libpq service, the password from the first place that has one (the
//! file `tiski server password` sealed beside the database, `PGPASSWORD`,
//! the service, the pgpass file), and TLS that checks the server's
//! certificate against the system's trusted CAs (the Windows certificate
//! store on Windows) and the config's `root_cert`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use postgres::Client;
use postgres::config::SslMode;

use super::{ServerError, libpq};
use crate::config::ServerConfig;
use crate::files::Cause;

/// How long a connection attempt may take before the server counts as
/// unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A server to connect to, as whom, and how.
#[derive(Clone)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    tls: bool,
    root_cert: Option<PathBuf>,
    password: Option<String>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The password is left out of every log and message.
        write!(f, "{}", self.describe())
    }
}

/// `tiski.db` → `tiski.db.server-password`: the password sealed for the
/// user (DPAPI on Windows; a file of mode 0600 elsewhere).
pub fn sealed_password_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".server-password");
    PathBuf::from(name)
}

impl Target {
    /// The server of `cfg`, for the desk whose database is at `db` (whose
    /// sealed password is looked for beside it; with `None`, a role other
    /// than the desk's own, only libpq's places are).
    pub fn from_config(cfg: &ServerConfig, db: Option<&Path>) -> Result<Target, ServerError> {
        let service_name = cfg
            .service
            .clone()
            .or_else(|| std::env::var("PGSERVICE").ok().filter(|s| !s.is_empty()));
        let service = match &service_name {
            Some(name) => Some(find_service(name)?),
            None => None,
        };
        let from_service = |key: &str| service.as_ref().and_then(|s| s.get(key).cloned());
        let host = cfg
            .host
            .clone()
            .or_else(|| from_service("host"))
            .unwrap_or_else(|| "localhost".into());
        let port = cfg
            .port
            .or_else(|| from_service("port").and_then(|p| p.parse().ok()))
            .unwrap_or(5432);
        let database = cfg
            .database
            .clone()
            .or_else(|| from_service("dbname"))
            .unwrap_or_else(|| "tiski".into());
        let user = cfg
            .user
            .clone()
            .or_else(|| from_service("user"))
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("USERNAME").ok())
            .unwrap_or_default();
        let tls = cfg.tls && from_service("sslmode").is_none_or(|m| m != "disable");
        let root_cert = cfg
            .root_cert
            .clone()
            .or_else(|| from_service("sslrootcert").map(PathBuf::from));
        let mut target = Target {
            host,
            port,
            database,
            user,
            tls,
            root_cert,
            password: None,
        };
        let sealed = match db {
            Some(db) => read_sealed(&sealed_password_path(db))?,
            None => None,
        };
        target.password = match sealed {
            Some(p) => Some(p),
            None => std::env::var("PGPASSWORD")
                .ok()
                .filter(|p| !p.is_empty())
                .or_else(|| from_service("password"))
                .or_else(|| target.pgpass_password()),
        };
        Ok(target)
    }

    /// A target given in full (tests, benchmarks): no file is read.
    pub fn new(
        host: &str,
        port: u16,
        database: &str,
        user: &str,
        password: Option<&str>,
        root_cert: Option<&Path>,
    ) -> Target {
        Target {
            host: host.into(),
            port,
            database: database.into(),
            user: user.into(),
            tls: true,
            root_cert: root_cert.map(Path::to_path_buf),
            password: password.map(str::to_string),
        }
    }

    /// The same server as another role.
    pub fn as_user(&self, user: &str, password: Option<&str>) -> Target {
        Target {
            user: user.into(),
            password: password.map(str::to_string),
            ..self.clone()
        }
    }

    /// The same server, another database.
    pub fn in_database(&self, database: &str) -> Target {
        Target {
            database: database.into(),
            ..self.clone()
        }
    }

    /// Without TLS (a server on a local socket or behind a tunnel).
    pub fn without_tls(mut self) -> Target {
        self.tls = false;
        self
    }

    /// With no CA file besides the system's.
    pub fn without_root_cert(mut self) -> Target {
        self.root_cert = None;
        self
    }

    /// At another port (a test's proxy).
    pub fn at_port(mut self, port: u16) -> Target {
        self.port = port;
        self
    }

    /// `user@host:port/database`, for messages.
    pub fn describe(&self) -> String {
        format!(
            "{}@{}:{}/{}",
            self.user, self.host, self.port, self.database
        )
    }

    fn pgpass_password(&self) -> Option<String> {
        let path = libpq::pgpass_path()?;
        // libpq ignores a password file others can read; so does tiski.
        if !crate::platform::access(&path).is_ok_and(|a| a.is_private()) {
            return None;
        }
        let text = String::from_utf8(crate::files::read_regular(&path, 1_000_000).ok()?).ok()?;
        libpq::pgpass_lookup(&text, &self.host, self.port, &self.database, &self.user)
    }

    /// The TLS connector for this target's CA file: made once per process
    /// (loading the system's trusted certificates takes tens of
    /// milliseconds, which a background sync every few seconds would pay
    /// each time).
    fn tls_connector(&self) -> Result<postgres_native_tls::MakeTlsConnector, ServerError> {
        type Made = Vec<(Option<PathBuf>, postgres_native_tls::MakeTlsConnector)>;
        static MADE: std::sync::Mutex<Made> = std::sync::Mutex::new(Vec::new());
        if let Some((_, c)) = MADE
            .lock()
            .ok()
            .and_then(|m| m.iter().find(|(p, _)| *p == self.root_cert).cloned())
        {
            return Ok(c);
        }
        let c = self.make_tls_connector()?;
        if let Ok(mut m) = MADE.lock() {
            m.push((self.root_cert.clone(), c.clone()));
        }
        Ok(c)
    }

    fn make_tls_connector(&self) -> Result<postgres_native_tls::MakeTlsConnector, ServerError> {
        let mut b = native_tls::TlsConnector::builder();
        if let Some(path) = &self.root_cert {
            let fail = |reason: Cause| ServerError::File {
                path: path.clone(),
                reason,
            };
            let pem =
                crate::files::read_regular(path, 10_000_000).map_err(|e| fail(Cause::from(&e)))?;
            let certs = pem_certificates(&pem);
            if certs.is_empty() {
                return Err(fail(Cause::Corrupt));
            }
            for c in certs {
                b.add_root_certificate(c);
            }
        }
        let c = b.build().map_err(|e| ServerError::Tls {
            host: self.host.clone(),
            detail: e.to_string(),
        })?;
        Ok(postgres_native_tls::MakeTlsConnector::new(c))
    }

    fn config(&self) -> postgres::Config {
        let mut c = postgres::Config::new();
        c.host(&self.host)
            .port(self.port)
            .dbname(&self.database)
            .user(&self.user)
            .application_name("tiski")
            .connect_timeout(CONNECT_TIMEOUT)
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(30))
            .ssl_mode(if self.tls {
                SslMode::Require
            } else {
                SslMode::Disable
            });
        if let Some(p) = &self.password {
            c.password(p);
        }
        c
    }
}

/// Every certificate of a PEM bundle.
fn pem_certificates(pem: &[u8]) -> Vec<native_tls::Certificate> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    let text = String::from_utf8_lossy(pem);
    text.match_indices(BEGIN)
        .filter_map(|(i, _)| {
            let rest = &text[i..];
            let end = rest.find("-----END CERTIFICATE-----")? + "-----END CERTIFICATE-----".len();
            native_tls::Certificate::from_pem(&rest.as_bytes()[..end]).ok()
        })
        .collect()
}

fn find_service(name: &str) -> Result<std::collections::BTreeMap<String, String>, ServerError> {
    let paths = libpq::service_paths();
    for p in &paths {
        if let Ok(bytes) = crate::files::read_regular(p, 1_000_000)
            && let Some(s) = libpq::service_lookup(&String::from_utf8_lossy(&bytes), name)
        {
            return Ok(s);
        }
    }
    Err(ServerError::NoService {
        name: name.into(),
        files: paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// The sealed password beside the database, if there is one.
fn read_sealed(path: &Path) -> Result<Option<String>, ServerError> {
    let fail = |reason: Cause| ServerError::File {
        path: path.to_path_buf(),
        reason,
    };
    // Through the one reader of a file beside the database: a regular file
    // only, never the log or a companion this process has open (a link
    // there would be closed outside SQLite), and small.
    let stored = match crate::files::read_regular(path, 64 * 1024) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(fail(Cause::from(&e))),
    };
    let bytes = crate::platform::unprotect_secret(&stored).map_err(|e| fail(Cause::from(&e)))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| fail(Cause::Corrupt))
}

/// Seals `password` for the user into the file beside the database at
/// `db` (`tiski server password`): written private, whole, then renamed.
pub fn seal_password(db: &Path, password: &str) -> Result<PathBuf, ServerError> {
    let path = sealed_password_path(db);
    let fail = |e: std::io::Error| ServerError::File {
        path: path.clone(),
        reason: Cause::from(&e),
    };
    let sealed = crate::platform::protect_secret(password.as_bytes()).map_err(fail)?;
    crate::files::write_private(&path, &sealed).map_err(fail)?;
    Ok(path)
}

/// Connects to `t`.
pub fn connect(t: &Target) -> Result<Client, ServerError> {
    let config = t.config();
    let connected = if t.tls {
        config.connect(t.tls_connector()?)
    } else {
        config.connect(postgres::NoTls)
    };
    connected.map_err(|e| classify(e, t))
}

/// What a client error means for the user.
pub(crate) fn classify(e: postgres::Error, t: &Target) -> ServerError {
    use postgres::error::SqlState;
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        if *code == SqlState::INVALID_PASSWORD {
            return ServerError::WrongPassword {
                user: t.user.clone(),
            };
        }
        if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
            return ServerError::NotLetIn {
                user: t.user.clone(),
                detail: crate::text::clean(db.message()).into_owned(),
            };
        }
        if *code == SqlState::INVALID_SCHEMA_NAME || *code == SqlState::UNDEFINED_TABLE {
            return ServerError::NoSchema;
        }
        if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            return ServerError::Denied {
                role: t.user.clone(),
                what: crate::text::clean(db.message()).into_owned(),
            };
        }
        if code.code() == "TK001" {
            return ServerError::NotADesk {
                role: t.user.clone(),
            };
        }
        if code.code() == "TK002" {
            return ServerError::SeriesTaken {
                prefix: db.detail().unwrap_or_default().to_string(),
                desk: db.hint().unwrap_or_default().to_string(),
            };
        }
        // The server going down under a connection (a restart, an admin
        // ending it) is a lost connection, tried again later.
        if code.code().starts_with("57P") || code.code().starts_with("08") {
            return ServerError::Lost {
                detail: crate::text::clean(db.message()).into_owned(),
            };
        }
        return ServerError::Refused {
            code: code.code().to_string(),
            message: crate::text::clean(db.message()).into_owned(),
        };
    }
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        if s.downcast_ref::<native_tls::Error>().is_some() {
            return ServerError::Tls {
                host: t.host.clone(),
                detail: crate::text::clean(&s.to_string()).into_owned(),
            };
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return if e.is_closed() || !connecting(&e) {
                ServerError::Lost {
                    detail: io.to_string(),
                }
            } else {
                ServerError::Unreachable {
                    host: t.host.clone(),
                    port: t.port,
                    detail: io.to_string(),
                }
            };
        }
        source = s.source();
    }
    let text = e.to_string();
    if text.contains("password missing") {
        return ServerError::NoPassword {
            user: t.user.clone(),
            host: t.host.clone(),
        };
    }
    if text.contains("TLS") || text.contains("tls") {
        return ServerError::Tls {
            host: t.host.clone(),
            detail: crate::text::clean(&text).into_owned(),
        };
    }
    if e.is_closed() || text.contains("closed") || text.contains("unexpected EOF") {
        return ServerError::Lost { detail: text };
    }
    ServerError::Unreachable {
        host: t.host.clone(),
        port: t.port,
        detail: crate::text::clean(&text).into_owned(),
    }
}

/// Whether the error came while connecting (so the server was not
/// reached), as the client's message says.
fn connecting(e: &postgres::Error) -> bool {
    let text = e.to_string();
    text.contains("connect") || text.contains("timed out")
}

// Hard links and the lock semantics at stake are Unix's.
#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A sealed password file that is the open log under another name (a
    /// link) is refused, never opened and closed outside SQLite.
    #[test]
    fn the_sealed_password_is_never_the_open_log() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("tiski.db");
        let _store = crate::store::Store::open(&db).unwrap();
        let sealed = sealed_password_path(&db);
        std::fs::hard_link(&db, &sealed).unwrap();
        match read_sealed(&sealed) {
            Err(ServerError::File { reason, .. }) => assert_eq!(reason, Cause::OpenDatabase),
            other => panic!("read the open log: {:?}", other.map(|_| ())),
        }
        std::fs::remove_file(&sealed).unwrap();
        assert!(matches!(read_sealed(&sealed), Ok(None)), "none there: none");
    }
}

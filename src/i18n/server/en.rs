//! English texts of consolidation on the city's server.

use crate::config::ServerConfigProblem;
use crate::i18n::en::{En, cause};
use crate::server::schema::Init;
use crate::server::{ServerError, SyncReport};

impl super::ServerTexts for En {
    fn server_config_problem(&self, p: &ServerConfigProblem) -> String {
        match p {
            ServerConfigProblem::NoHost => {
                "[server] needs host (or service, a pg_service.conf entry)".into()
            }
            ServerConfigProblem::Password => "a password is never kept in the config file: \
                 put it in the pgpass file, or seal it with `tiski server password`"
                .into(),
            ServerConfigProblem::BadPrefix(p) => {
                format!("voucher_prefix \"{p}\" is not 1–6 characters A–Z or 0–9")
            }
        }
    }

    fn server_error(&self, e: &ServerError) -> String {
        match e {
            ServerError::NotConfigured => "no server is configured: add a [server] table \
                 to the config (see the admin guide). Nothing was sent."
                .into(),
            ServerError::NoService { name, files } => {
                format!("the service \"{name}\" is in no service file ({files}). Nothing was sent.")
            }
            ServerError::NoPassword { user, host } => format!(
                "no password for {user} at {host}: put it in the pgpass file or seal it \
                 with `tiski server password`. Nothing was sent."
            ),
            ServerError::WrongPassword { user } => format!(
                "the server refused the password of {user} (or the role may not log in). \
                 Check the password with the city's IT. Nothing was sent."
            ),
            ServerError::NotLetIn { user, detail } => format!(
                "the server does not let the role {user} in from this computer, or not \
                 this way ({detail}): the city's IT checks its pg_hba.conf. Nothing was sent."
            ),
            ServerError::Tls { host, detail } => format!(
                "no secure connection to {host}: its certificate is not trusted or does \
                 not name {host} ({detail}). Ask the city's IT for its CA certificate \
                 (on Windows into its certificate store, elsewhere as root_cert in \
                 [server]). Nothing was sent."
            ),
            ServerError::Unreachable { host, port, detail } => format!(
                "cannot reach the server {host}:{port} ({detail}). The log is safe on this \
                 laptop and is sent at the next sync."
            ),
            ServerError::Lost { detail } => format!(
                "the connection to the server was lost ({detail}). What the server had not \
                 taken is sent again at the next sync; nothing is lost or doubled."
            ),
            ServerError::NoSchema => "the server has no tiski schema yet: the city's IT \
                 runs `tiski server init` first (see the admin guide)."
                .into(),
            ServerError::SchemaTooNew { found, supported } => format!(
                "the server's schema is version {found}, newer than this tiski knows \
                 ({supported}): update tiski. Nothing was changed."
            ),
            ServerError::SchemaOld { found, supported } => format!(
                "the server's schema is version {found}; this tiski needs {supported}: the \
                 city's IT runs `tiski server init` to update it. Nothing was sent."
            ),
            ServerError::NotADesk { role } => format!(
                "the role {role} is not a tiski desk on the server: the city's IT adds it \
                 with `tiski server add-desk`. Nothing was sent."
            ),
            ServerError::SeriesTaken { prefix, desk } => format!(
                "the voucher number prefix {prefix} is already desk \"{desk}\"'s: give this \
                 desk its own with voucher_prefix in [server]. Nothing was sent."
            ),
            ServerError::Denied { role, what } => format!(
                "the server does not let the role {role} do this ({what}). The unit's \
                 figures are read with the reader role."
            ),
            ServerError::File { path, reason } => {
                format!("cannot read {}: {}", path.display(), cause(reason))
            }
            ServerError::Refused { code, message } => {
                format!("the server refused: {message} (code {code}). Nothing was changed.")
            }
            ServerError::Store(_) => "this desk's database could not be read".into(),
        }
    }

    fn sync_done(&self, r: &SyncReport, server: &str, pending: u64) -> String {
        let mut s = match r.sent {
            0 => format!("Desk \"{}\" is up to date on {server}.", r.desk),
            1 => format!("1 record sent to {server} (desk \"{}\").", r.desk),
            n => format!(
                "{n} records sent to {server} in {} batches (desk \"{}\").",
                r.batches, r.desk
            ),
        };
        if r.purged != (0, 0) {
            s.push(' ');
            s.push_str(&self.server_purged(r.purged.0, r.purged.1));
        }
        if pending > 0 {
            s.push_str(&format!(" {pending} changed meanwhile and wait."));
        }
        s
    }

    fn sync_synced(&self) -> &'static str {
        "synced"
    }

    fn sync_waiting(&self, n: u64) -> String {
        format!("waiting ({n})")
    }

    fn sync_offline(&self, since: &str, n: u64) -> String {
        format!("offline since {since} ({n})")
    }

    fn sync_refused(&self, n: u64) -> String {
        format!("not synced ({n})")
    }

    fn server_init_done(&self, i: &Init, server: &str) -> String {
        if i.from == i.to {
            format!(
                "The tiski schema on {server} is up to date (version {}).",
                i.to
            )
        } else if i.from == 0 {
            format!("The tiski schema was made on {server} (version {}).", i.to)
        } else {
            format!(
                "The tiski schema on {server} was updated from version {} to {}.",
                i.from, i.to
            )
        }
    }

    fn desk_added(&self, desk: &str, role: &str) -> String {
        format!(
            "Desk \"{desk}\" syncs as the role {role}. Set its password with \
             ALTER ROLE … PASSWORD if it has none."
        )
    }

    fn reader_added(&self, role: &str) -> String {
        format!("The role {role} may read the unit's figures.")
    }

    fn password_sealed(&self, path: &str) -> String {
        format!("The password is kept sealed for this user in {path}.")
    }

    fn password_prompt(&self, user: &str, server: &str) -> String {
        format!("Password of {user} at {server} (not shown): ")
    }

    fn server_purged(&self, notes: u64, identities: u64) -> String {
        format!(
            "Retention on the server: {notes} notes and {identities} voucher identities cleared."
        )
    }

    fn read_from_server(&self, server: &str) -> String {
        format!("From the server {server}: every desk that syncs there")
    }
}

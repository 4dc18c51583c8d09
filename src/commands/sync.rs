//! `tiski sync` and `tiski server …`: this desk's log to the city's
//! server, and the server's schema, desks, readers and retention for its
//! IT.

use std::path::Path;

use crate::clock::Now;
use crate::config::Config;
use crate::error::Error;
use crate::i18n;
use crate::locale::Lang;
use crate::server::push::SyncOptions;
use crate::server::{ServerError, Target, schema};
use crate::store::Store;

/// `tiski sync` (`--full`: every record again).
pub fn sync(
    store: &mut Store,
    config: &Config,
    lang: Lang,
    db: &Path,
    full: bool,
    now: Now,
) -> Result<(), Error> {
    let target = super::unit::target(config, db)?;
    let mut client = crate::server::connect(&target)?;
    if full && store.sync_enabled()? {
        store.sync_resend_all()?;
    }
    let opts = SyncOptions::of(config, now.local.date());
    let report = crate::server::sync(store, &mut client, &target, &opts)?;
    let pending = store.sync_pending()?;
    say!(
        "{}",
        i18n::texts(lang).sync_done(&report, &where_(&target), pending)
    );
    Ok(())
}

/// `host/database`, for messages.
pub fn where_(t: &Target) -> String {
    format!("{}/{}", t.host, t.database)
}

/// What `tiski server` is asked to do.
#[derive(Debug, Clone)]
pub enum ServerRequest {
    Init,
    AddDesk {
        desk: String,
        role: String,
        voucher_prefix: Option<String>,
    },
    AddReader {
        role: String,
    },
    /// Applies the config's retention to every desk's copies.
    Purge,
    Password,
}

/// `tiski server …`, as the config's server and, with `user`, as another
/// role (the admin's).
pub fn server(
    config: &Config,
    lang: Lang,
    db: &Path,
    user: Option<&str>,
    request: ServerRequest,
    now: Now,
) -> Result<(), Error> {
    let t = i18n::texts(lang);
    let mut target = super::unit::target(config, db)?;
    if let Some(u) = user
        && u != target.user
    {
        // Another role's password is not the one sealed for this desk.
        let cfg = crate::config::ServerConfig {
            user: Some(u.to_string()),
            ..config.server.clone().ok_or(ServerError::NotConfigured)?
        };
        target = Target::from_config(&cfg, None)?;
    }
    if let ServerRequest::Password = request {
        let password = read_password(&t.password_prompt(&target.user, &where_(&target)))?;
        let path = crate::server::connect::seal_password(db, &password)?;
        say!("{}", t.password_sealed(&path.display().to_string()));
        return Ok(());
    }
    let mut client = crate::server::connect(&target)?;
    match request {
        ServerRequest::Init => {
            let done = schema::init(&mut client, &target)?;
            say!("{}", t.server_init_done(&done, &where_(&target)));
        }
        ServerRequest::AddDesk {
            desk,
            role,
            voucher_prefix,
        } => {
            schema::add_desk(
                &mut client,
                &target,
                &desk,
                &role,
                voucher_prefix.as_deref(),
            )?;
            say!("{}", t.desk_added(&desk, &role));
        }
        ServerRequest::AddReader { role } => {
            schema::add_reader(&mut client, &target, &role)?;
            say!("{}", t.reader_added(&role));
        }
        ServerRequest::Purge => {
            let c = config.retention.cutoffs(now.local.date());
            let (notes, ids) =
                schema::purge(&mut client, &target, c.notes_before, c.identities_before)?;
            say!("{}", t.server_purged(notes, ids));
        }
        ServerRequest::Password => unreachable!("handled above"),
    }
    Ok(())
}

/// A password from standard input: on a terminal, typed without being
/// shown; otherwise its first line.
fn read_password(prompt: &str) -> Result<String, Error> {
    use std::io::{BufRead as _, IsTerminal as _, Write as _};
    if std::io::stdin().is_terminal() {
        let _ = write!(std::io::stderr(), "{prompt}");
        let _ = std::io::stderr().flush();
        let typed = read_hidden().map_err(Error::Terminal)?;
        let _ = writeln!(std::io::stderr());
        return Ok(typed);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(Error::Terminal)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Keys typed until Enter, not echoed (the terminal in raw mode).
fn read_hidden() -> std::io::Result<String> {
    use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
    use ratatui::crossterm::terminal;
    terminal::enable_raw_mode()?;
    let mut typed = String::new();
    let result = loop {
        match event::read() {
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => match k.code {
                KeyCode::Enter => break Ok(()),
                KeyCode::Backspace => {
                    typed.pop();
                }
                KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                    break Err(std::io::Error::from(std::io::ErrorKind::Interrupted));
                }
                KeyCode::Char(c) => typed.push(c),
                _ => {}
            },
            Ok(_) => {}
            Err(e) => break Err(e),
        }
    };
    terminal::disable_raw_mode()?;
    result.map(|()| typed)
}

//! The command line: the dispatch from a parsed command line (its flags and
//! subcommands are in `args` and `subcommands`) to the TUI or a one-shot
//! command.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::FromArgMatches;

use crate::commands::events::{EventRequest, FeedbackFields, GroupFields};
use crate::commands::privacy::PurgeRequest;
use crate::commands::report::{ExportRequest, PeriodRequest, ReportRequest};
use crate::commands::sessions::SessionRequest;
use crate::commands::sync::ServerRequest;
use crate::commands::tally::TallyRequest;
use crate::commands::{self, LogRequest, Scope};
use crate::config::{Config, user_config_path};
use crate::error::Error;
use crate::locale::Lang;
use crate::store::Store;

mod args;
mod help;
mod subcommands;

pub use args::{Cli, Command};
pub use subcommands::*;

/// A failure, with the language to report it in.
pub struct Failure {
    /// Boxed: the error types carry their data, and a failure is rare.
    pub error: Box<Error>,
    pub lang: Lang,
}

/// What every command that opens the database starts from: the effective
/// config, the language and the store, and the desk the flags name.
pub struct Context {
    pub config: Config,
    pub lang: Lang,
    pub store: Store,
    pub scope: Scope,
    /// A warning to show at start (a database on a network drive).
    pub warning: Option<String>,
}

/// The whole program: parses the command line, runs it and reports a
/// failure once, in the user's language.
pub fn main() -> ExitCode {
    match run(parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            let t = crate::i18n::texts(f.lang);
            // Not eprintln!: stderr may be a terminal that hung up.
            let _ = writeln!(
                std::io::stderr(),
                "tiski: {}: {}",
                t.error_prefix(),
                // A value quoted back may hold what the user typed or a file held.
                crate::text::clean_lines(&t.error(&f.error))
            );
            ExitCode::FAILURE
        }
    }
}

/// Parses the process's arguments with help and errors in the user's
/// language (see `cli::help`); `--help` and `--version` print and exit 0, an
/// error exits 2 as clap's own do.
fn parse() -> Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = help::early_lang(&args, || {
        crate::config::remembered_language().or_else(|| {
            let file = user_config_path().filter(|p| p.exists())?;
            Config::load(Some(&file)).ok().map(|c| c.language)
        })
    });
    let parsed = help::command(lang)
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    use clap::error::ErrorKind;
    match parsed {
        Ok(cli) => cli,
        // The help and the version are output: one that cannot be written
        // (a full disk, `>/dev/full`) is a failure, not a success.
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let text = e.render().to_string();
            let text = match (lang, e.kind()) {
                (Lang::Fi, ErrorKind::DisplayHelp) => help::finnish_usage(&text),
                _ => text,
            };
            let mut out = std::io::stdout().lock();
            if let Err(err) = write!(out, "{text}").and_then(|()| out.flush()) {
                let t = crate::i18n::texts(lang);
                let _ = writeln!(
                    std::io::stderr(),
                    "tiski: {}: {}",
                    t.error_prefix(),
                    t.help_not_written(&crate::files::Cause::from(&err))
                );
                std::process::exit(1);
            }
            std::process::exit(0);
        }
        Err(e) if lang == Lang::Fi && e.use_stderr() => {
            let _ = writeln!(std::io::stderr(), "{}", help::finnish_error(&e));
            std::process::exit(2);
        }
        Err(e) => match help::listing(&e) {
            // clap's own English message, and where to find the values.
            Some(cmd) => {
                let _ = writeln!(
                    std::io::stderr(),
                    "{}\n{}",
                    e.render().to_string().trim_end(),
                    crate::i18n::cli_help::listing_hint(Lang::En, cmd)
                );
                std::process::exit(2);
            }
            None => e.exit(),
        },
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<(), Failure> {
    // The language chosen last (`--lang`, the chooser's `l`, `config set
    // language`) holds for every later command; `--lang` is remembered,
    // but for the register description, where it names the document's.
    let remembered = crate::config::remembered_language();
    if let Some(lang) = cli.lang
        && !matches!(cli.command, Some(Command::PrivacyNotice { .. }))
    {
        // Not remembered (a read-only home) is no reason to fail this run.
        let _ = crate::config::remember_language(lang);
    }
    let early_lang = cli.lang.or(remembered).unwrap_or_default();
    let fail_early = |error: Error| Failure {
        error: Box::new(error),
        lang: early_lang,
    };
    let user_file = match &cli.config {
        Some(p) if !p.exists() => return Err(fail_early(Error::ConfigMissing(p.clone()))),
        Some(p) => Some(p.clone()),
        None => user_config_path().filter(|p| p.exists()),
    };
    let config = Config::load(user_file.as_deref()).map_err(|e| fail_early(e.into()))?;
    let lang = cli.lang.or(remembered).unwrap_or(config.language);
    let fail = |error: Error| Failure {
        error: Box::new(error),
        lang,
    };
    // The one reading of the clock this command dates by.
    let clock = commands::Clock::read(cli.confirm);
    match cli.command {
        Some(Command::Config { command: None }) => {
            commands::print_config(&config, lang).map_err(fail)
        }
        Some(Command::Config {
            command:
                Some(ConfigCommand::Set {
                    setting: Setting::Language { lang },
                }),
        }) => commands::remember_language(lang).map_err(|error| Failure {
            error: Box::new(error),
            lang,
        }),
        // These never open the database for writing: it may be damaged.
        Some(Command::Doctor { recount }) => {
            let db = db_path(cli.db).map_err(fail)?;
            commands::upkeep::doctor(&db, &config, lang, recount, clock.now).map_err(fail)
        }
        // A register description is in Finnish unless asked otherwise,
        // whatever the interface language.
        Some(Command::PrivacyNotice { format, out, force }) => {
            let db = db_path(cli.db).map_err(fail)?;
            let req = commands::privacy::NoticeRequest { format, out, force };
            commands::privacy::notice(
                &config,
                cli.lang.unwrap_or(Lang::Fi),
                &db,
                &req,
                clock.today(),
            )
            .map_err(fail)
        }
        Some(Command::Restore { file }) => {
            let db = db_path(cli.db).map_err(fail)?;
            commands::upkeep::restore(&db, &file, lang, clock.now.local).map_err(fail)
        }
        Some(Command::Backup) => {
            let db = db_path(cli.db).map_err(fail)?;
            commands::upkeep::backup(&db, config.backups_keep, lang, clock.now.local).map_err(fail)
        }
        Some(Command::Server { user, command }) => {
            let db = db_path(cli.db).map_err(fail)?;
            let request = match command {
                ServerCommand::Init => ServerRequest::Init,
                ServerCommand::AddDesk {
                    desk,
                    role,
                    voucher_prefix,
                } => ServerRequest::AddDesk {
                    desk,
                    role,
                    voucher_prefix,
                },
                ServerCommand::AddReader { role } => ServerRequest::AddReader { role },
                ServerCommand::Purge => ServerRequest::Purge,
                ServerCommand::Password => ServerRequest::Password,
            };
            commands::sync::server(&config, lang, &db, user.as_deref(), request, clock.now)
                .map_err(fail)
        }
        // The unit's figures need no file of this desk's.
        Some(command) if command.on_server() => {
            let db = db_path(cli.db).map_err(fail)?;
            let scope = Scope {
                profile: cli.profile,
                location: cli.location,
            };
            on_server(&config, lang, &db, scope, command, clock).map_err(fail)
        }
        command => {
            let db = db_path(cli.db).map_err(fail)?;
            let warning = network_warning(&db, lang);
            if let (Some(w), Some(_)) = (&warning, &command) {
                let _ = writeln!(std::io::stderr(), "tiski: {w}");
            }
            // Temporary copies an interrupted command left (an import's
            // copy of another database) go first.
            crate::store::privacy::sweep_temp_at_start(&db, clock.now.utc.into());
            // Commands that only read open the file read-only: it is never
            // created (a mistyped --db) and a read-only medium still reads.
            let reads_only = command.as_ref().is_some_and(Command::only_reads);
            // A purge of a mistyped --db makes no empty database to purge.
            if matches!(command, Some(Command::Purge { .. })) && !db.exists() {
                return Err(fail(
                    crate::store::StoreError::NoDatabase { path: db }.into(),
                ));
            }
            // A command that writes refuses a damaged file before opening it
            // for writing (which would bring an older schema up to date).
            let today = clock.today();
            // A file this command makes as it opens the store (an import
            // into a new log) holds nothing yet to be damaged: checked
            // today, as if it had passed (the day's next command does not
            // read it all through again).
            let made = !reads_only && command.is_some() && !db.exists();
            let checked = if !reads_only && command.is_some() && db.exists() {
                crate::store::Store::preflight(&db).map_err(|e| fail(e.into()))?;
                crate::store::maintenance::check_file_before_writing(&db, today)
                    .map_err(|e| fail(e.into()))?
            } else {
                false
            };
            let mut store = if reads_only {
                Store::open_read_only(&db)
            } else if command.as_ref().is_some_and(Command::makes_log_on_write) {
                Store::open_on_write(&db)
            } else {
                Store::open(&db)
            }
            .map_err(|e| fail(e.into()))?;
            // A store opened on a stand-in (no file yet) is not written
            // for the mark: a refused command leaves no log.
            if checked || (made && db.exists()) {
                crate::store::maintenance::mark_checked(&mut store, today);
            }
            let ctx = Context {
                config,
                lang,
                store,
                scope: Scope {
                    profile: cli.profile,
                    location: cli.location,
                },
                warning,
            };
            match command {
                None => crate::tui::run(crate::tui::Launch {
                    config: ctx.config,
                    lang,
                    store: ctx.store,
                    profile: ctx.scope.profile,
                    location: ctx.scope.location,
                    warning: ctx.warning,
                    screen_reader: cli.screen_reader,
                }),
                Some(command) => run_with_store(ctx, command, &db, clock),
            }
            .map_err(fail)
        }
    }
}

/// `report`, `export`, `session list` and `event list` with `--server`.
fn on_server(
    config: &Config,
    lang: Lang,
    db: &Path,
    scope: Scope,
    command: Command,
    clock: commands::Clock,
) -> Result<(), Error> {
    use commands::unit::{Unit, pulled};
    let unit = Unit::connect(&commands::unit::target(config, db)?, clock.now)?;
    let today = clock.now.local.date();
    match command {
        Command::Report(args) => {
            let req = ReportRequest {
                scope,
                period: args.period.into(),
                format: args.format,
                out: args.out,
                charts: args.charts,
                force: args.force,
                min_count: args.min_count,
            };
            commands::report::report(&unit, Some(db), config, lang, &req, clock.now)
        }
        Command::Export(args) => {
            let req = ExportRequest {
                scope,
                period: args.period.into(),
                format: args.format,
                out: args.out,
                force: args.force,
                min_count: args.min_count,
            };
            // The desk's own files are never written over, whatever the
            // data's source.
            if let Some(out) = &req.out {
                commands::output::check(out, db, req.force)?;
            }
            let device = req.period.device.as_deref();
            commands::report::check_device(&unit, device)?;
            commands::report::check_location(&unit, config, &req.scope)?;
            let (from, to) = if req.period.has_dates() {
                let p = commands::report::period(&req.period, today)?;
                (p.from, p.to)
            } else {
                let min = chrono::NaiveDate::MIN;
                unit.reader().date_span()?.unwrap_or((min, min))
            };
            let profile = req.scope.profile(config)?.map(|p| p.id.clone());
            let store = pulled(
                &unit,
                &crate::store::PeriodFilter {
                    from,
                    to,
                    profile: profile.as_deref(),
                    location: req.scope.location.as_deref(),
                    device,
                },
            )?;
            commands::report::export(&store, config, lang, &req, clock.now)
        }
        Command::Session {
            command: SessionCommand::List { period, json },
        } => {
            let period: PeriodRequest = period.into();
            let p = commands::report::period(&period, today)?;
            let profile = scope.profile(config)?.map(|p| p.id.clone());
            let f = crate::store::PeriodFilter {
                from: p.from,
                to: p.to,
                profile: profile.as_deref(),
                location: scope.location.as_deref(),
                device: period.device.as_deref(),
            };
            let mut store = pulled(&unit, &f)?;
            commands::sessions::run(
                &mut store,
                config,
                lang,
                scope,
                SessionRequest::List { period, json },
                clock,
            )
        }
        Command::Event {
            command: EventCommand::List { period, json },
        } => {
            let period: PeriodRequest = period.into();
            let p = commands::report::period(&period, today)?;
            let profile = scope.profile(config)?.map(|p| p.id.clone());
            let bodies = unit
                .reader()
                .event_records(profile.as_deref(), p.from, p.to)?;
            let mut store = commands::unit::merged(&bodies, clock.now)?;
            commands::events::run(
                &mut store,
                config,
                lang,
                scope,
                EventRequest::List { period, json },
                clock,
            )
        }
        _ => unreachable!("only the commands of Command::on_server"),
    }
}

/// The commands that work on an open store.
fn run_with_store(
    ctx: Context,
    command: Command,
    db: &Path,
    clock: commands::Clock,
) -> Result<(), Error> {
    let Context {
        config,
        lang,
        mut store,
        scope,
        ..
    } = ctx;
    match command {
        Command::Log {
            topics,
            count,
            referral,
            at,
            note,
        } => commands::log(
            &mut store,
            &config,
            lang,
            LogRequest {
                scope,
                topics,
                count,
                referral,
                at,
                note,
            },
            clock,
        ),
        Command::Event { command } => {
            let req = match command {
                EventCommand::Add(a) => EventRequest::Add(a.into()),
                EventCommand::List { period, json } => EventRequest::List {
                    period: period.into(),
                    json,
                },
                EventCommand::Edit { id, event } => EventRequest::Edit {
                    id,
                    fields: event.into(),
                },
                EventCommand::Delete { id } => EventRequest::Delete { id },
            };
            commands::events::run(&mut store, &config, lang, scope, req, clock)
        }
        Command::Group { command } => {
            let req = match command {
                GroupCommand::Add {
                    title,
                    date,
                    place,
                    partner,
                    target,
                    meetings,
                    visits,
                } => EventRequest::AddGroup(GroupFields {
                    title,
                    date,
                    place,
                    partner,
                    target,
                    meetings,
                    visits,
                }),
                GroupCommand::Meet { id, date, count } => EventRequest::Meet { id, date, count },
                GroupCommand::Delete { id } => EventRequest::DeleteGroup { id },
                GroupCommand::List { year, json } => EventRequest::List {
                    period: PeriodRequest {
                        year: Some(year.unwrap_or_else(|| chrono::Datelike::year(&clock.today()))),
                        ..PeriodRequest::default()
                    },
                    json,
                },
            };
            commands::events::run(&mut store, &config, lang, scope, req, clock)
        }
        Command::Feedback {
            command:
                FeedbackCommand::Add {
                    event,
                    group,
                    question,
                    yes,
                    no,
                    scale,
                    counts,
                    mean,
                    n,
                    slips,
                },
        } => {
            let req = EventRequest::Feedback(FeedbackFields {
                event,
                group,
                question,
                yes,
                no,
                scale,
                counts,
                mean,
                n,
                slips,
            });
            commands::events::run(&mut store, &config, lang, scope, req, clock)
        }
        Command::Tally { date, json } => commands::tally::tally(
            &store,
            &config,
            lang,
            TallyRequest {
                profile: scope.profile,
                date,
                json,
            },
            clock.today(),
        ),
        Command::Report(args) => {
            let req = ReportRequest {
                scope,
                period: args.period.into(),
                format: args.format,
                out: args.out,
                charts: args.charts,
                force: args.force,
                min_count: args.min_count,
            };
            commands::report::report(&store, Some(db), &config, lang, &req, clock.now)
        }
        Command::Export(args) => {
            let req = ExportRequest {
                scope,
                period: args.period.into(),
                format: args.format,
                out: args.out,
                force: args.force,
                min_count: args.min_count,
            };
            commands::report::export(&store, &config, lang, &req, clock.now)
        }
        Command::Import { file } => {
            commands::report::import(&mut store, &config, lang, &file, clock)
        }
        Command::Sync { full } => {
            commands::sync::sync(&mut store, &config, lang, db, full, clock.now)
        }
        Command::Voucher { command } => {
            commands::voucher::run(&mut store, &config, lang, scope, command.into(), clock)
        }
        Command::Session { command } => {
            let request = match command {
                SessionCommand::Add { date, start, end } => {
                    SessionRequest::Add { date, start, end }
                }
                SessionCommand::Cancel { date } => SessionRequest::Cancel { date },
                SessionCommand::List { period, json } => SessionRequest::List {
                    period: period.into(),
                    json,
                },
            };
            commands::sessions::run(&mut store, &config, lang, scope, request, clock)
        }
        Command::Purge { due, before, force } => {
            let req = match before {
                Some(date) if !due => PurgeRequest::Before { date, force },
                _ => PurgeRequest::Due,
            };
            commands::privacy::purge(&mut store, &config, lang, db, &req, clock)
        }
        Command::Demo { visits, years } => {
            commands::upkeep::demo(&mut store, &config, lang, db, visits, years, clock)
        }
        Command::Config { .. }
        | Command::Doctor { .. }
        | Command::Restore { .. }
        | Command::Backup
        | Command::Server { .. }
        | Command::PrivacyNotice { .. } => {
            unreachable!("these do not open the store")
        }
    }
}

/// A loud warning when the database is on a network drive.
fn network_warning(db: &Path, lang: Lang) -> Option<String> {
    let dir = db.parent().filter(|d| !d.as_os_str().is_empty())?;
    let dir = if dir.exists() { dir } else { dir.parent()? };
    let kind = crate::platform::network_kind(dir)?;
    Some(crate::i18n::texts(lang).network_drive(&kind, &db.display().to_string()))
}

/// `--db`, else `tiski.db` in the platform's *local* data folder
/// (`%LOCALAPPDATA%` on Windows, never Roaming: city profiles roam, and an
/// SQLite file on a synced profile is how databases get corrupted;
/// `~/.local/share` on Linux).
fn db_path(flag: Option<PathBuf>) -> Result<PathBuf, Error> {
    match flag {
        Some(p) => Ok(p),
        None => crate::platform::project_dirs()
            .map(|d| d.data_local_dir().join("tiski.db"))
            .ok_or(Error::NoDataDir),
    }
}

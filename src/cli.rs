//! The command line: flags and subcommands (clap), and the dispatch from a
//! parsed command line to the TUI or a one-shot command.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::{Config, user_config_path};
use crate::error::Error;
use crate::i18n::Lang;

#[derive(Debug, Parser)]
#[command(
    name = "tiski",
    version,
    about = "Desk log for walk-in welfare consultations (tiski = desk)",
    long_about = "Without a subcommand, opens the duty screen. Finnish by default; --lang en for English."
)]
pub struct Cli {
    /// Database file (default: the platform data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Config file overriding the embedded defaults.
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Interface language (default from config: fi).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,
    /// Profile id, e.g. ikaihmiset or kotouttaminen (default: the last used).
    #[arg(long, global = true, value_name = "ID")]
    pub profile: Option<String>,
    /// Place of the duty session (default: the profile's last used place).
    #[arg(long, global = true, value_name = "NAME")]
    pub location: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Save a visit from the shell into that day's duty session.
    Log {
        /// Topic key; repeat for several topics.
        #[arg(long = "topic", value_name = "KEY", required = true)]
        topics: Vec<String>,
        /// Referral target key.
        #[arg(long, value_name = "KEY")]
        referral: Option<String>,
        /// When the visit happened (default: now).
        #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
        at: Option<String>,
    },
    /// Print a day's tally.
    Tally {
        /// The day (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// Machine-readable JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print the effective configuration and where it came from.
    Config,
    /// Fill a new, empty database with synthetic history (to try the app).
    Demo {
        /// Visits in all.
        #[arg(long, value_name = "N")]
        visits: u64,
        /// Years of history, ending yesterday.
        #[arg(long, value_name = "Y", default_value_t = 3)]
        years: u32,
    },
    /// Measure speed and memory at 0, 100 000 and 1 000 000 visits (PERFORMANCE.md).
    Bench(crate::bench::BenchArgs),
    /// One measured process of `tiski bench`.
    #[command(hide = true)]
    BenchChild {
        #[arg(value_enum)]
        what: crate::bench::Child,
    },
}

/// A failure, with the language to report it in.
pub struct Failure {
    pub error: Error,
    pub lang: Lang,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<(), Failure> {
    let early_lang = cli.lang.unwrap_or_default();
    let fail_early = |error: Error| Failure {
        error,
        lang: early_lang,
    };
    let user_file = match &cli.config {
        Some(p) if !p.exists() => return Err(fail_early(Error::ConfigMissing(p.clone()))),
        Some(p) => Some(p.clone()),
        None => user_config_path().filter(|p| p.exists()),
    };
    let config = Config::load(user_file.as_deref()).map_err(|e| fail_early(e.into()))?;
    let lang = cli.lang.unwrap_or(config.language);
    let fail = |error: Error| Failure { error, lang };
    match cli.command {
        Some(Command::Config) => {
            crate::commands::print_config(&config, lang);
            Ok(())
        }
        Some(Command::Bench(args)) => crate::bench::run(args).map_err(fail),
        Some(Command::BenchChild { what }) => {
            let db = db_path(cli.db).map_err(fail)?;
            crate::bench::child(what, &db).map_err(fail)
        }
        command => {
            let db = db_path(cli.db).map_err(fail)?;
            let store = crate::store::Store::open(&db).map_err(|e| fail(e.into()))?;
            let ctx = crate::commands::Context {
                config,
                lang,
                store,
                profile: cli.profile,
                location: cli.location,
            };
            match command {
                None => crate::tui::run(ctx),
                Some(Command::Log {
                    topics,
                    referral,
                    at,
                }) => crate::commands::log(ctx, &topics, referral.as_deref(), at.as_deref()),
                Some(Command::Tally { date, json }) => {
                    crate::commands::tally(ctx, date.as_deref(), json)
                }
                Some(Command::Demo { visits, years }) => crate::demo::run(ctx, &db, visits, years),
                Some(Command::Config | Command::Bench(_) | Command::BenchChild { .. }) => {
                    unreachable!("handled above")
                }
            }
            .map_err(fail)
        }
    }
}

/// `--db`, else `tiski.db` in the platform data directory.
fn db_path(flag: Option<PathBuf>) -> Result<PathBuf, Error> {
    match flag {
        Some(p) => Ok(p),
        None => directories::ProjectDirs::from("fi", "tiski", "tiski")
            .map(|d| d.data_dir().join("tiski.db"))
            .ok_or(Error::NoDataDir),
    }
}

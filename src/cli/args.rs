//! The command line's global flags and its top-level commands (clap); each
//! command's own subcommands are in `subcommands`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use super::subcommands::*;
use crate::locale::Lang;

/// The heading the flags of every command are listed under, apart from a
/// command's own.
pub(super) const GLOBAL: &str = "Global options";

#[derive(Debug, Parser)]
#[command(
    name = "tiski",
    version,
    about = "Desk log for walk-in welfare consultations (tiski = desk)",
    long_about = "Without a subcommand, opens the duty screen. Finnish by default; --lang en for English.\n\nThe mean visitors per duty session counts held sessions: one with a visit, one opened inside a slot of the profile's rota (it counts even if nobody comes), one started with s, or one recorded with `tiski session add`. Opening the screen outside the rota writes no session until the first visit; a cancelled session does not count."
)]
pub struct Cli {
    /// Database file (default: the platform data directory).
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Config file overriding the embedded defaults.
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Interface language (default from config: fi).
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "LANG", value_parser = lang_parser())]
    pub lang: Option<Lang>,
    /// Profile id, e.g. ikaihmiset, kotouttaminen or perhe. The duty screen opens the
    /// last used one without it; `log` needs it; `tally` covers all without it.
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "ID")]
    pub profile: Option<String>,
    /// Place of the duty session, for the duty screen and `log` (default: the
    /// profile's last used place).
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "NAME")]
    pub location: Option<String>,
    /// Yes to what tiski would otherwise refuse to guess: a clock far from
    /// the log's last change (a year ahead, or set back), a visit logged
    /// into an earlier year.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub confirm: bool,
    /// Duty screen for a screen reader (NVDA, JAWS, Orca): no boxes and no
    /// redraws, each change said as one line of plain text. Also
    /// `screen_reader = true` in the config, or `r` on the first start.
    #[arg(long)]
    pub screen_reader: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Save a visit from the shell into that day's duty session.
    ///
    /// With --count N, adds N visitors at once to the session, without
    /// topics (a head-count: an open daycare morning, a busy hour noted on
    /// paper); they count in the session's visitors, apart from the
    /// itemised visits.
    Log {
        /// Topic key; repeat for several topics.
        #[arg(long = "topic", value_name = "KEY", required_unless_present = "count")]
        topics: Vec<String>,
        /// A head-count: N visitors at once, without topics.
        #[arg(long, value_name = "N", conflicts_with_all = ["topics", "referral", "note"])]
        count: Option<u32>,
        /// Referral target key.
        #[arg(long, value_name = "KEY")]
        referral: Option<String>,
        /// When the visit happened (default: now).
        #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
        at: Option<String>,
        /// A note, on one line. Refused if it holds a personal identity
        /// code, a phone number or an e-mail address (and never write
        /// names): the shell keeps it in its history.
        #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
        note: Option<String>,
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
    /// Print the effective configuration and where it came from; `set
    /// language en` remembers the language for every later start.
    Config {
        #[command(subcommand)]
        command: Option<ConfigCommand>,
    },
    /// Make a backup of the database now (also done on each day's first start).
    Backup,
    /// Replace the database with a backup; the current file is kept aside.
    Restore {
        /// The backup file, e.g. from the data directory's backups/ folder.
        file: PathBuf,
    },
    /// Check the database's integrity, settings and permissions.
    Doctor {
        /// First count the report figures kept per day and desk again from
        /// the visits (after the file was edited by other means).
        #[arg(long)]
        recount: bool,
    },
    /// Figures for a period, opening with ready sentences for the welfare report.
    Report(ReportArgs),
    /// Write the visits of a period as CSV (for spreadsheets) or JSONL (lossless).
    ///
    /// CSV is for Finnish Excel and LibreOffice, in English too:
    /// `;`-separated UTF-8 with a BOM, dates like 14.11.2023, times 10:05,
    /// the decimal comma, one row per visit. Topics appear twice: as
    /// one joined, readable field and as one 0/1 column per topic (sum them).
    /// JSONL holds every session, visit and deletion with all ids, for
    /// `tiski import` on another computer. Without dates, everything.
    Export(ExportArgs),
    /// Merge another desk's log (an export .jsonl or a tiski .db) by stable ids.
    ///
    /// Importing the same file again adds nothing. A visit edited on both
    /// sides keeps the newer edit and is reported as a conflict; deletions
    /// travel with the export. A bad line imports nothing from the file.
    Import {
        /// A `tiski export --format jsonl` file or another tiski database.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Anti-slip vouchers (maksusitoumukset).
    Voucher {
        #[command(subcommand)]
        command: VoucherCommand,
    },
    /// Events: title, date, place, kind, attendance (--profile).
    ///
    /// An event's count may be an estimate (--approx: "n. 70"), have online
    /// viewers beside it (--online N) or count something other than people
    /// (--unit "jaettua annosta"); a social-media-only event (--kind some)
    /// has none. The kinds come from the profile's [events] table.
    Event {
        #[command(subcommand)]
        command: EventCommand,
    },
    /// Group series: a group with its meetings, or its totals from paper.
    Group {
        #[command(subcommand)]
        command: GroupCommand,
    },
    /// Feedback on an event or a group: yes/no, a 1–5 scale, or slips.
    Feedback {
        #[command(subcommand)]
        command: FeedbackCommand,
    },
    /// Duty sessions: record one held afterwards, cancel a scheduled one, list them.
    ///
    /// A held session is one with a visit, one opened inside a slot of the
    /// rota (it counts even with nobody), one started with `s`, or one
    /// recorded with `session add`. A cancelled one does not count.
    Session {
        #[command(subcommand)]
        command: SessionCommand,
    },
    /// Remove personal data for real, leaving no copy in the database, its
    /// WAL or the backups: with --due, everything past the config's
    /// [retention] (as each day's first start does); with --before DATE,
    /// voucher birth years and duplicate-check hashes of seasons that
    /// ended before DATE.
    #[command(group = clap::ArgGroup::new("what").required(true).args(["due", "before"]))]
    Purge {
        /// Everything past its retention now.
        #[arg(long)]
        due: bool,
        /// Clear the voucher birth years and hashes of the seasons that
        /// ended before this day.
        #[arg(long, value_name = "YYYY-MM-DD")]
        before: Option<String>,
        /// Let --before reach the current season (its duplicate check then
        /// starts afresh).
        #[arg(long, requires = "before")]
        force: bool,
    },
    /// Send this desk's records changed since the last sync to the city's
    /// server ([server] in the config).
    ///
    /// Only what the server has not taken is sent, in batches of one server
    /// transaction each: a cut connection leaves nothing half-sent, and the
    /// next sync goes on from there. Sending again changes nothing.
    Sync {
        /// Send every record again, not only the changed ones (after the
        /// server was restored from an older backup).
        #[arg(long)]
        full: bool,
    },
    /// The city's server, for its IT: the schema, the desks and the readers.
    Server {
        /// Connect as this role (the admin's) instead of the config's user.
        #[arg(long, global = true, value_name = "ROLE")]
        user: Option<String>,
        #[command(subcommand)]
        command: ServerCommand,
    },
    /// Write a draft register description (tietosuojaseloste) from the
    /// effective config: data items, purpose, retention, where the data is,
    /// who reads it. In Finnish unless --lang en is given.
    PrivacyNotice {
        /// md (default) or text.
        #[arg(long, value_name = "FORMAT")]
        format: Option<String>,
        /// Write here instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace FILE if it exists (never the database, its companions,
        /// a backup, the voucher key or any SQLite file).
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// Fill a new, empty database with synthetic history (to try the app).
    Demo {
        /// Visits in all.
        #[arg(long, value_name = "N")]
        visits: u64,
        /// Years of history, ending yesterday.
        #[arg(long, value_name = "Y", default_value_t = 3)]
        years: u32,
    },
}

impl Command {
    /// Whether the command reads the city's server instead of the file.
    pub(super) fn on_server(&self) -> bool {
        match self {
            Command::Report(a) => a.period.server,
            Command::Export(a) => a.period.server,
            Command::Session {
                command: SessionCommand::List { period, .. },
            }
            | Command::Event {
                command: EventCommand::List { period, .. },
            } => period.server,
            _ => false,
        }
    }

    /// Commands that make no log where there is none until they write
    /// (`Store::open_on_write`), so a refusal leaves the folder as it was.
    /// An import, a backup and a purge work on the file itself and open it
    /// as the duty screen does.
    pub(super) fn makes_log_on_write(&self) -> bool {
        !matches!(
            self,
            Command::Import { .. } | Command::Backup | Command::Purge { .. }
        )
    }

    /// Whether the command only reads the database.
    pub(super) fn only_reads(&self) -> bool {
        match self {
            Command::Tally { .. } | Command::Report(_) | Command::Export(_) => true,
            Command::Voucher { command } => matches!(
                command,
                VoucherCommand::List { .. }
                    | VoucherCommand::Summary { .. }
                    | VoucherCommand::Print { .. }
            ),
            Command::Session { command } => matches!(command, SessionCommand::List { .. }),
            Command::Event { command } => matches!(command, EventCommand::List { .. }),
            Command::Group { command } => matches!(command, GroupCommand::List { .. }),
            _ => false,
        }
    }
}

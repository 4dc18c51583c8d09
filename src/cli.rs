//! The command line: flags and subcommands (clap), and the dispatch from a
//! parsed command line to the TUI or a one-shot command.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, FromArgMatches, Parser, Subcommand};

use crate::commands::events::{EventFields, EventRequest, FeedbackFields, GroupFields};
use crate::commands::privacy::PurgeRequest;
use crate::commands::report::{ExportRequest, PeriodRequest, ReportRequest};
use crate::commands::sessions::SessionRequest;
use crate::commands::sync::ServerRequest;
use crate::commands::voucher::{PrintRequest, VoucherRequest};
use crate::commands::{self, LogRequest, Scope, TallyRequest};
use crate::config::{Config, user_config_path};
use crate::error::Error;
use crate::locale::Lang;
use crate::store::Store;

mod help;

/// The heading the flags of every command are listed under, apart from a
/// command's own.
const GLOBAL: &str = "Global options";

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

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Remember a setting of this user's: `tiski config set language en`.
    Set {
        #[command(subcommand)]
        setting: Setting,
    },
}

#[derive(Debug, Subcommand)]
pub enum Setting {
    /// The interface language, remembered for every later start and
    /// command (`--lang` still chooses for one run).
    Language {
        /// fi or en.
        #[arg(value_name = "LANG", value_parser = lang_parser())]
        lang: Lang,
    },
}

#[derive(Debug, Subcommand)]
pub enum VoucherCommand {
    /// Issue a voucher, saving its visit (topic set automatically).
    Issue {
        /// Product key, e.g. liukuesteet.
        #[arg(long, value_name = "KEY")]
        product: String,
        /// The recipient's birth year (YYYY; optional), counted in the
        /// season's figures, never with a name.
        #[arg(long, value_name = "YYYY")]
        birth_year: Option<String>,
        /// When it was issued (default: now).
        #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
        at: Option<String>,
    },
    /// List a season's vouchers.
    List {
        /// 2023-2024 or 2023 (default: the current season).
        #[arg(long, value_name = "SEASON")]
        season: Option<String>,
        /// Machine-readable JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Mark a voucher used (invoiced).
    Use {
        /// The voucher's number (LE-2023-001).
        number: String,
        /// Invoiced amount in euros, e.g. 24.90.
        #[arg(long, value_name = "EUR")]
        amount: String,
        /// Invoice date (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// The shop that sent the invoice.
        #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
        shop: Option<String>,
    },
    /// Cancel a voucher; its number is not reused.
    Cancel {
        /// The voucher's number (LE-2023-001).
        number: String,
        /// Why it is cancelled (kept with the voucher; no names).
        #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
        reason: String,
    },
    /// A season's summary against earlier seasons.
    Summary {
        /// 2023-2024 or 2023 (default: the current season).
        #[arg(long, value_name = "SEASON")]
        season: Option<String>,
        /// Machine-readable JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write the printable commitment as a PDF (--printer: to the printer too).
    Print {
        /// The voucher's number (LE-2023-001).
        number: String,
        /// Output file (default: NUMBER.pdf in Documents/tiski).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace FILE if it exists (never the database, its companions,
        /// a backup, the voucher key or any SQLite file).
        #[arg(long, requires = "out")]
        force: bool,
        /// Also send it to the default printer (lp; on Windows the shell's
        /// print verb); the file is written first and kept.
        #[arg(long)]
        printer: bool,
        /// Print a used, cancelled or expired voucher, marked COPY (without
        /// it such a voucher is refused).
        #[arg(long)]
        copy: bool,
        /// The issuer's name under the signature (default: the config's
        /// issuer_name; none leaves a line to write it on).
        #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
        issuer: Option<String>,
        /// The place before the date of issue (default: the config's
        /// issuer_place).
        #[arg(long, value_name = "PLACE", allow_hyphen_values = true)]
        place: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Make the tiski schema on the server, or bring it up to date (as the
    /// admin role); a newer schema is refused.
    Init,
    /// Let a desk sync as a login role (made when missing, without a
    /// password), with its own voucher number prefix.
    AddDesk {
        /// The desk's name: a-z, 0-9, _ and -.
        desk: String,
        /// Its PostgreSQL login role.
        #[arg(long, value_name = "ROLE")]
        role: String,
        /// Its voucher number prefix, unique in the city.
        #[arg(long, value_name = "PREFIX")]
        voucher_prefix: Option<String>,
    },
    /// Let a login role (made when missing) read every desk's figures.
    AddReader {
        /// The PostgreSQL login role of the unit's head.
        role: String,
    },
    /// Clear on the server what the config's [retention] says, in every
    /// desk's records (as the admin role).
    Purge,
    /// Keep the config user's password sealed for this user beside the
    /// database (read from standard input, not shown).
    Password,
}

#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Record a held session with no visitors after the fact (--profile).
    Add {
        /// The day of the session.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// Start time (default: the rota's slot that day).
        #[arg(long, value_name = "HH:MM")]
        start: Option<String>,
        /// End time (default: the rota's slot that day).
        #[arg(long, value_name = "HH:MM")]
        end: Option<String>,
    },
    /// Mark a scheduled session cancelled (--profile): it does not count.
    Cancel {
        /// The day of the scheduled session.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
    },
    /// Sessions held and cancelled, and the rota's slots not recorded.
    List {
        #[command(flatten)]
        period: PeriodArgs,
        /// Machine-readable JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// What an event is, for `event add` and `event edit`.
#[derive(Debug, Clone, Default, Args)]
pub struct EventArgs {
    /// The day (default for add: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// The event's name, as the report lists it ("Syysfestarit").
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub title: Option<String>,
    /// When it began, if it matters.
    #[arg(long, value_name = "HH:MM")]
    pub time: Option<String>,
    /// Where it was held (free text).
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub place: Option<String>,
    /// A kind key of the profile's [events] table (default: its first).
    #[arg(long, value_name = "KEY")]
    pub kind: Option<String>,
    /// Partners, comma-separated.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub partner: Option<String>,
    /// Attendance (not for --kind some).
    #[arg(long, value_name = "N")]
    pub count: Option<u32>,
    /// The count is an estimate ("n. 70").
    #[arg(long)]
    pub approx: bool,
    /// Online or stream viewers besides those present.
    #[arg(long, value_name = "N")]
    pub online: Option<u32>,
    /// What was counted, when not people ("jaettua annosta").
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub unit: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum EventCommand {
    /// Save an event; prints its id.
    Add(EventArgs),
    /// Events and groups of a period (default: this year), as the report lists them.
    List {
        #[command(flatten)]
        period: PeriodArgs,
        /// Machine-readable JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Change an event: the flags given replace what was saved.
    Edit {
        /// The event's id (event list).
        id: i64,
        #[command(flatten)]
        event: EventArgs,
    },
    /// Delete an event and its feedback.
    Delete {
        /// The event's id (event list).
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Save a group series (--profile); prints its id. --meetings and
    /// --visits are totals kept on paper; else add meetings with `group meet`.
    Add {
        /// The group's name, as the report lists it ("Kaveritaitoryhmä").
        #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
        title: String,
        /// The day the series began (default: today); places it in a year.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// Where it meets, as the report names it ("Sinilähde").
        #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
        place: Option<String>,
        /// Who runs it with you (a school, a daycare, an association).
        #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
        partner: Option<String>,
        /// Whom the group is for.
        #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
        target: Option<String>,
        /// Meetings held, when kept on paper.
        #[arg(long, value_name = "M")]
        meetings: Option<u32>,
        /// Visits in all, when kept on paper.
        #[arg(long, value_name = "V")]
        visits: Option<u32>,
    },
    /// A meeting of group ID and its attendance.
    Meet {
        /// The group's id (group list).
        id: i64,
        /// The meeting's day (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// Who came.
        #[arg(long, value_name = "N")]
        count: u32,
    },
    /// Delete a group with its meetings and feedback.
    Delete {
        /// The group's id (group list).
        id: i64,
    },
    /// Groups of a year (default: this year) with their meetings and visits.
    List {
        /// The year (default: this year).
        #[arg(long, value_name = "YYYY")]
        year: Option<i32>,
        /// Machine-readable JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum FeedbackCommand {
    /// Attach a tally to an event or a group: --yes N --no N, --scale 1-5
    /// --counts a,b,c,d,e, --mean X --n N, or --slips N.
    Add {
        /// The event's id (event list).
        #[arg(
            long,
            value_name = "ID",
            required_unless_present = "group",
            conflicts_with = "group"
        )]
        event: Option<i64>,
        /// The group's id (group list).
        #[arg(long, value_name = "ID")]
        group: Option<i64>,
        /// The question, as asked ("Oliko tilaisuus hyödyllinen?").
        #[arg(
            long,
            value_name = "TEXT",
            allow_hyphen_values = true,
            default_value = ""
        )]
        question: String,
        /// Yes answers of a yes/no question, with --no.
        #[arg(long, value_name = "N", requires = "no")]
        yes: Option<u32>,
        /// No answers of a yes/no question, with --yes.
        #[arg(long, value_name = "N", requires = "yes")]
        no: Option<u32>,
        /// The scale; only 1-5 is known.
        #[arg(long, value_name = "1-5", requires = "counts")]
        scale: Option<String>,
        /// Answers per step of the scale, from 1 to 5.
        #[arg(long, value_name = "a,b,c,d,e", requires = "scale")]
        counts: Option<String>,
        /// The mean of a 1–5 scale, with --n.
        #[arg(long, value_name = "X", requires = "n")]
        mean: Option<String>,
        /// How many answered, with --mean.
        #[arg(long, value_name = "N", requires = "mean")]
        n: Option<u32>,
        /// Paper feedback slips counted.
        #[arg(long, value_name = "N")]
        slips: Option<u32>,
    },
}

/// Which dates a report or export covers (default: this calendar year).
#[derive(Debug, Clone, Default, Args)]
pub struct PeriodArgs {
    /// First day (default: 1 January of --to's year).
    #[arg(long, value_name = "YYYY-MM-DD", conflicts_with_all = ["year", "season", "month", "week"])]
    pub from: Option<String>,
    /// Last day (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", conflicts_with_all = ["year", "season", "month", "week"])]
    pub to: Option<String>,
    /// A calendar year.
    #[arg(long, value_name = "YYYY", conflicts_with_all = ["season", "month", "week"])]
    pub year: Option<i32>,
    /// An anti-slip season, 1 November to the end of February.
    #[arg(long, value_name = "YYYY-YYYY", conflicts_with_all = ["month", "week"])]
    pub season: Option<String>,
    /// A calendar month: 2026-11 or 11/2026.
    #[arg(long, value_name = "YYYY-MM", conflicts_with = "week")]
    pub month: Option<String>,
    /// An ISO week, Monday to Sunday: 2026-W49 or 49/2026.
    #[arg(long, value_name = "YYYY-Www")]
    pub week: Option<String>,
    /// Only sessions opened on this device; an unknown id lists the known ones.
    #[arg(long, value_name = "ID")]
    pub device: Option<String>,
    /// Every desk's records from the city's server ([server] in the
    /// config), as its reader role sees them, instead of this desk's file.
    #[arg(long)]
    pub server: bool,
}

#[derive(Debug, Clone, Args)]
#[command(group(clap::ArgGroup::new("files").args(["out", "charts"]).multiple(true)))]
pub struct ReportArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    /// text, md, json, csv, xlsx (Excel workbook with charts) or docx (Word
    /// chapter). Default: from --out's name (.xlsx, .docx, .md, .json,
    /// .csv), else text.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Write the report here instead of standard output (xlsx and docx
    /// need a file).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write each chart as SVG and PNG into this folder (made if missing);
    /// alone, only the charts.
    #[arg(long, value_name = "DIR")]
    pub charts: Option<PathBuf>,
    /// Replace existing files (never the database, its companions, a
    /// backup, the voucher key or any SQLite file).
    #[arg(long, requires = "files")]
    pub force: bool,
    /// Show counts below N as "<N" (small groups can identify people).
    /// Default: privacy.min_count in the config (5); 0 or 1 shows all.
    #[arg(long, value_name = "N")]
    pub min_count: Option<u32>,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    /// csv (one row per visit, for Excel), voucher-csv (the voucher register,
    /// one row per voucher) or jsonl (every field, for import).
    #[arg(long, value_name = "FORMAT")]
    pub format: String,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace FILE if it exists (never the database, its companions, a
    /// backup, the voucher key or any SQLite file).
    #[arg(long, requires = "out")]
    pub force: bool,
    /// CSV forms: blank a row's optional fields (language, age band, …) as
    /// "<N" when their combination occurs on fewer than N rows. Default:
    /// privacy.min_count in the config (5); 0 or 1 blanks nothing.
    #[arg(long, value_name = "N")]
    pub min_count: Option<u32>,
}

/// `fi` or `en`, listed in `--help` and in the error for anything else.
fn lang_parser() -> impl clap::builder::TypedValueParser<Value = Lang> {
    let codes = Lang::ALL.map(Lang::code);
    clap::builder::TypedValueParser::map(
        clap::builder::PossibleValuesParser::new(codes),
        |code: String| Lang::from_code(&code).expect("only listed codes get here"),
    )
}

impl Command {
    /// Whether the command reads the city's server instead of the file.
    fn on_server(&self) -> bool {
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

    /// Whether the command only reads the database.
    fn only_reads(&self) -> bool {
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
            commands::doctor(&db, &config, lang, recount, clock.now).map_err(fail)
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
            commands::restore(&db, &file, lang, clock.now.local).map_err(fail)
        }
        Some(Command::Backup) => {
            let db = db_path(cli.db).map_err(fail)?;
            commands::backup(&db, config.backups_keep, lang, clock.now.local).map_err(fail)
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
            let checked = if !reads_only && command.is_some() && db.exists() {
                crate::store::Store::preflight(&db).map_err(|e| fail(e.into()))?;
                crate::store::maintenance::check_file_before_writing(&db, today)
                    .map_err(|e| fail(e.into()))?
            } else {
                false
            };
            let mut store = if reads_only {
                Store::open_read_only(&db)
            } else {
                Store::open(&db)
            }
            .map_err(|e| fail(e.into()))?;
            if checked {
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
        Command::Tally { date, json } => commands::tally(
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
            commands::demo(&mut store, &config, lang, db, visits, years, clock)
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

impl From<PeriodArgs> for PeriodRequest {
    fn from(a: PeriodArgs) -> Self {
        PeriodRequest {
            from: a.from,
            to: a.to,
            year: a.year,
            season: a.season,
            month: a.month,
            week: a.week,
            device: a.device,
        }
    }
}

impl From<EventArgs> for EventFields {
    fn from(a: EventArgs) -> Self {
        EventFields {
            date: a.date,
            title: a.title,
            time: a.time,
            place: a.place,
            kind: a.kind,
            partner: a.partner,
            count: a.count,
            approx: a.approx,
            online: a.online,
            unit: a.unit,
        }
    }
}

impl From<VoucherCommand> for VoucherRequest {
    fn from(c: VoucherCommand) -> Self {
        match c {
            VoucherCommand::Issue {
                product,
                birth_year,
                at,
            } => VoucherRequest::Issue {
                product,
                birth_year,
                at,
            },
            VoucherCommand::List { season, json } => VoucherRequest::List { season, json },
            VoucherCommand::Use {
                number,
                amount,
                date,
                shop,
            } => VoucherRequest::Use {
                number,
                amount,
                date,
                shop,
            },
            VoucherCommand::Cancel { number, reason } => VoucherRequest::Cancel { number, reason },
            VoucherCommand::Summary { season, json } => VoucherRequest::Summary { season, json },
            VoucherCommand::Print {
                number,
                out,
                force,
                printer,
                copy,
                issuer,
                place,
            } => VoucherRequest::Print(PrintRequest {
                number,
                out,
                force,
                printer,
                copy,
                issuer,
                place,
            }),
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

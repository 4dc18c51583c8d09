//! The subcommands' own flags (clap), and the plain requests they become
//! for `commands`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::commands::events::EventFields;
use crate::commands::report::PeriodRequest;
use crate::commands::voucher::{PrintRequest, VoucherRequest};
use crate::locale::Lang;

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

/// `fi` or `en`, listed in `--help` and in the error for anything else.
pub(super) fn lang_parser() -> impl clap::builder::TypedValueParser<Value = Lang> {
    let codes = Lang::ALL.map(Lang::code);
    clap::builder::TypedValueParser::map(
        clap::builder::PossibleValuesParser::new(codes),
        |code: String| Lang::from_code(&code).expect("only listed codes get here"),
    )
}

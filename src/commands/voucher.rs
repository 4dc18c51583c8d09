//! `tiski voucher …` and `tiski purge`: issue, list, use, cancel,
//! summarise and print vouchers from the shell, and purge identity data.
//!
//! The shell never takes a name or birth date (it would stay in the shell's
//! history), so the duplicate check is on the duty screen only.

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;
use serde::Serialize;

use super::{Context, now, parse_at, parse_date};
use crate::app::App;
use crate::config::Profile;
use crate::error::Error;
use crate::i18n::{self, Lang};
use crate::store::IssueRequest;
use crate::voucher::summary::SeasonSummary;
use crate::voucher::{
    Cents, Season, Status, Voucher, VoucherConfig, VoucherError, parse_birth_year, pdf,
};

#[derive(Debug, Subcommand)]
pub enum VoucherCommand {
    /// Issue a voucher, saving its visit (topic set automatically).
    Issue {
        /// Product key, e.g. liukuesteet.
        #[arg(long, value_name = "KEY")]
        product: String,
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
        #[arg(long)]
        json: bool,
    },
    /// Mark a voucher used (invoiced).
    Use {
        number: String,
        /// Invoiced amount in euros, e.g. 24.90.
        #[arg(long, value_name = "EUR")]
        amount: String,
        /// Invoice date (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        #[arg(long, value_name = "NAME")]
        shop: Option<String>,
    },
    /// Cancel a voucher; its number is not reused.
    Cancel {
        number: String,
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// A season's summary against earlier seasons.
    Summary {
        #[arg(long, value_name = "SEASON")]
        season: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Write the printable commitment as a PDF; opens nothing.
    Print {
        number: String,
        /// Output file (default: NUMBER.pdf in Documents/tiski).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// Runs one `tiski voucher` subcommand.
pub fn run(ctx: Context, command: VoucherCommand) -> Result<(), Error> {
    match command {
        VoucherCommand::Issue {
            product,
            birth_year,
            at,
        } => issue(ctx, &product, birth_year.as_deref(), at.as_deref()),
        VoucherCommand::List { season, json } => list(ctx, season.as_deref(), json),
        VoucherCommand::Use {
            number,
            amount,
            date,
            shop,
        } => use_voucher(ctx, &number, &amount, date.as_deref(), shop.as_deref()),
        VoucherCommand::Cancel { number, reason } => {
            let mut ctx = ctx;
            let v = ctx.store.cancel_voucher(&number, &reason, now().date())?;
            println!("{}", i18n::texts(ctx.lang).voucher_cancelled(&v.number));
            Ok(())
        }
        VoucherCommand::Summary { season, json } => summary(ctx, season.as_deref(), json),
        VoucherCommand::Print { number, out } => print(ctx, &number, out),
    }
}

/// The profile the voucher commands work for: `--profile`, else the only
/// profile that issues vouchers.
fn voucher_profile(ctx: &Context) -> Result<(&Profile, &VoucherConfig), Error> {
    let profile = match ctx.profile.as_deref() {
        Some(id) => App::find_profile(&ctx.config, id)?,
        None => {
            let on: Vec<&Profile> = ctx
                .config
                .profiles
                .values()
                .filter(|p| p.vouchers().is_some())
                .collect();
            match on.as_slice() {
                [] => return Err(VoucherError::NoVoucherProfile.into()),
                [one] => *one,
                _ => {
                    return Err(Error::ProfileRequired {
                        valid: on
                            .iter()
                            .map(|p| p.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                }
            }
        }
    };
    let cfg = profile.vouchers().ok_or_else(|| VoucherError::NotEnabled {
        profile: profile.id.clone(),
    })?;
    Ok((profile, cfg))
}

fn season_arg(cfg: &VoucherConfig, value: Option<&str>) -> Result<Season, Error> {
    match value {
        None => Ok(cfg.season_of(now().date())),
        Some(s) => Season::parse(s).ok_or_else(|| {
            VoucherError::BadSeason {
                value: s.to_string(),
            }
            .into()
        }),
    }
}

fn issue(
    mut ctx: Context,
    product: &str,
    birth_year: Option<&str>,
    at: Option<&str>,
) -> Result<(), Error> {
    let at = at.map(parse_at).transpose()?.unwrap_or_else(now);
    let (profile, cfg) = voucher_profile(&ctx)?;
    let (profile, cfg) = (profile.clone(), cfg.clone());
    if cfg.active_products().all(|p| p.key != product) {
        return Err(VoucherError::UnknownProduct {
            key: product.to_string(),
            valid: cfg
                .active_products()
                .map(|p| p.key.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
        .into());
    }
    let birth_year = birth_year
        .map(|y| parse_birth_year(y, at.date()))
        .transpose()?;
    let location = super::place_for(&ctx.store, &profile, ctx.location.take())?;
    let mut entry = crate::app::fresh_form(&profile, None);
    entry.toggle_topic(&cfg.topic, profile.topics.iter().map(|t| t.key.as_str()));
    let session = ctx.store.session_for_log(&profile.id, &location, at)?;
    let req = IssueRequest {
        profile: &profile.id,
        config: &cfg,
        product,
        birth_year,
        identity_hash: None,
        from_form: false,
    };
    let (_, v) = ctx.store.issue_voucher(session.id, at, &entry, &req)?;
    let t = i18n::texts(ctx.lang);
    if !cfg.in_season(at.date()) {
        let start = cfg.season_start(v.season);
        eprintln!(
            "tiski: {}",
            t.voucher_out_of_season(&i18n::date(start, ctx.lang))
        );
    }
    println!(
        "{}",
        i18n::texts(ctx.lang).voucher_issued(&v.number, &i18n::date(v.valid_until, ctx.lang))
    );
    Ok(())
}

/// One voucher in `list --json`.
#[derive(Serialize)]
struct ListItem<'a> {
    number: &'a str,
    product: &'a str,
    status: Status,
    issued_on: NaiveDate,
    valid_until: NaiveDate,
    season: String,
    profile: &'a str,
    max_sum_eur: Cents,
    birth_year: Option<i32>,
    duplicate_checked: bool,
    used_amount_eur: Option<Cents>,
    used_on: Option<NaiveDate>,
    shop: Option<&'a str>,
    cancelled_on: Option<NaiveDate>,
    cancel_reason: Option<&'a str>,
}

fn list(ctx: Context, season: Option<&str>, json: bool) -> Result<(), Error> {
    let (profile, cfg) = voucher_profile(&ctx)?;
    let season = season_arg(cfg, season)?;
    let today = now().date();
    let vouchers = ctx.store.vouchers_in_season(Some(&profile.id), season)?;
    if json {
        let items: Vec<ListItem> = vouchers
            .iter()
            .map(|v| ListItem {
                number: &v.number,
                product: &v.product,
                status: v.status(today),
                issued_on: v.issued_on(),
                valid_until: v.valid_until,
                season: v.season.label(cfg),
                profile: &v.profile,
                max_sum_eur: v.max_sum,
                birth_year: v.birth_year,
                duplicate_checked: v.checked_identity,
                used_amount_eur: v.used_amount,
                used_on: v.used_on,
                shop: v.shop.as_deref(),
                cancelled_on: v.cancelled_on,
                cancel_reason: v.cancel_reason.as_deref(),
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&items).expect("list serializes")
        );
    } else {
        print!(
            "{}",
            list_text(cfg, profile, season, &vouchers, today, ctx.lang)
        );
    }
    Ok(())
}

fn list_text(
    cfg: &VoucherConfig,
    profile: &Profile,
    season: Season,
    vouchers: &[Voucher],
    today: NaiveDate,
    lang: Lang,
) -> String {
    let t = i18n::texts(lang);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}",
        t.register_title(&season.label(cfg), profile.name(lang))
    );
    if vouchers.is_empty() {
        let _ = writeln!(s, "{}", t.register_empty());
        return s;
    }
    let c = t.register_columns();
    let _ = writeln!(
        s,
        "{:<12}  {:<28}  {:<10}  {:<10}  {:<11}  {}",
        c[0], c[1], c[2], c[3], c[4], c[5]
    );
    for v in vouchers {
        let status = v.status(today);
        let extra = match status {
            Status::Used => v.used_amount.map(|a| a.display(lang)).unwrap_or_default(),
            Status::Cancelled => v
                .cancel_reason
                .as_deref()
                .map(|r| {
                    if r == crate::voucher::UNDO_REASON {
                        t.undo_reason_label().to_string()
                    } else {
                        r.to_string()
                    }
                })
                .unwrap_or_default(),
            _ => String::new(),
        };
        let _ = writeln!(
            s,
            "{:<12}  {:<28}  {:<10}  {:<10}  {:<11}  {}",
            v.number,
            cfg.product_label(&v.product, lang),
            i18n::date(v.issued_on(), lang),
            i18n::date(v.valid_until, lang),
            t.status_label(status),
            extra
        );
    }
    s
}

fn use_voucher(
    mut ctx: Context,
    number: &str,
    amount: &str,
    date: Option<&str>,
    shop: Option<&str>,
) -> Result<(), Error> {
    let cents = Cents::parse(amount).ok_or_else(|| VoucherError::BadAmount {
        value: amount.to_string(),
    })?;
    let date = date.map(parse_date).transpose()?.unwrap_or(now().date());
    let v = ctx.store.use_voucher(number, cents, date, shop)?;
    println!(
        "{}",
        i18n::texts(ctx.lang).voucher_used(&v.number, &cents.display(ctx.lang))
    );
    Ok(())
}

fn summary(ctx: Context, season: Option<&str>, json: bool) -> Result<(), Error> {
    let (profile, cfg) = voucher_profile(&ctx)?;
    let season = season_arg(cfg, season)?;
    let vouchers = ctx.store.vouchers_in_season(Some(&profile.id), season)?;
    let earlier = ctx.store.voucher_season_counts(Some(&profile.id))?;
    let s = SeasonSummary::build(cfg, season, &vouchers, now().date(), &earlier, ctx.lang);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&s).expect("summary serializes")
        );
    } else {
        print!("{}", summary_text(cfg, &s, ctx.lang));
    }
    Ok(())
}

/// The season summary as text.
pub fn summary_text(cfg: &VoucherConfig, s: &SeasonSummary, lang: Lang) -> String {
    let t = i18n::texts(lang);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        t.summary_heading(
            &s.season,
            &i18n::date(s.start, lang),
            &i18n::date(s.end, lang)
        )
    );
    let _ = writeln!(
        out,
        "{} · {}",
        t.register_counts(&s.total),
        t.invoiced(&s.total.invoiced.display(lang))
    );
    let _ = writeln!(out, "\n{}", t.by_product());
    for p in &cfg.products {
        if let Some(c) = s.products.get(&p.key) {
            let _ = writeln!(
                out,
                "  {:<28}  {} · {}",
                p.label(lang),
                t.register_counts(c),
                t.invoiced(&c.invoiced.display(lang))
            );
        }
    }
    let _ = writeln!(out, "\n{}", t.by_week());
    if s.weeks.is_empty() {
        let _ = writeln!(out, "  {}", t.none());
    }
    for (w, n) in &s.weeks {
        let _ = writeln!(out, "  {w}  {n:>3} {}", "█".repeat((*n as usize).min(40)));
    }
    for (title, rows) in [
        (t.earlier_seasons(), &s.earlier_seasons),
        (t.before_tiski(), &s.before_tiski),
    ] {
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}");
        for e in rows {
            let _ = writeln!(out, "  {:<10} {:>5}  {}", e.season, e.count, e.what);
        }
    }
    out
}

fn print(ctx: Context, number: &str, out: Option<PathBuf>) -> Result<(), Error> {
    let v = ctx.store.voucher_by_number(number)?;
    v.check_print()?;
    let profile = App::find_profile(&ctx.config, &v.profile)?;
    let cfg = profile
        .vouchers
        .as_ref()
        .ok_or_else(|| VoucherError::NotEnabled {
            profile: v.profile.clone(),
        })?;
    let path = match out {
        Some(p) => p,
        None => pdf::default_dir()
            .ok_or(Error::NoDataDir)?
            .join(format!("{}.pdf", v.number)),
    };
    pdf::save(&path, &pdf::render(&v, cfg, ctx.lang, None))?;
    println!(
        "{}",
        i18n::texts(ctx.lang).voucher_printed(&path.display().to_string())
    );
    Ok(())
}

/// `tiski purge --before DATE`: clears birth years and duplicate-check
/// hashes of vouchers whose season ended before DATE, for real.
pub fn purge(mut ctx: Context, before: &str) -> Result<(), Error> {
    let date = parse_date(before)?;
    let n = ctx.store.purge_voucher_identities(date)?;
    println!(
        "{}",
        i18n::texts(ctx.lang).purged(n, &i18n::date(date, ctx.lang))
    );
    Ok(())
}

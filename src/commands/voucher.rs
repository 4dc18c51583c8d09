//! `tiski voucher …`: issue, list, use, cancel, summarise and print
//! vouchers from the shell (their purge is in `commands/privacy.rs`).
//!
//! The shell never takes a name or birth date (it would stay in the shell's
//! history), so the duplicate check is on the duty screen only.

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Clock, Scope};
use crate::clock::{parse_day, parse_moment};
use crate::config::{Config, Profile};
use crate::error::Error;
use crate::i18n;
use crate::locale::{self, Lang};
use crate::store::{IssueRequest, Store, Target};
use crate::voucher::summary::SeasonSummary;
use crate::voucher::{
    Cents, Season, Status, Voucher, VoucherConfig, VoucherError, parse_birth_year, pdf,
};

/// One `tiski voucher` request; values as typed, checked here.
#[derive(Debug, Clone)]
pub enum VoucherRequest {
    Issue {
        product: String,
        birth_year: Option<String>,
        at: Option<String>,
    },
    List {
        season: Option<String>,
        json: bool,
    },
    Use {
        number: String,
        amount: String,
        date: Option<String>,
        shop: Option<String>,
    },
    Cancel {
        number: String,
        reason: String,
    },
    Summary {
        season: Option<String>,
        json: bool,
    },
    Print(PrintRequest),
}

/// `tiski voucher print`: which voucher, where it goes and what is typed
/// for it.
#[derive(Debug, Clone, Default)]
pub struct PrintRequest {
    pub number: String,
    pub out: Option<PathBuf>,
    /// Replace an existing ordinary file at `out`.
    pub force: bool,
    /// Send the written file to the default printer too.
    pub printer: bool,
    /// Print a used, cancelled or expired voucher, marked as a copy.
    pub copy: bool,
    /// The issuer's name and place by the signature, over the config's.
    pub issuer: Option<String>,
    pub place: Option<String>,
}

/// What the voucher commands work on.
struct Ctx<'a> {
    store: &'a mut Store,
    config: &'a Config,
    lang: Lang,
    scope: Scope,
    clock: Clock,
}

/// Runs one `tiski voucher` subcommand for the desk `scope` names.
pub fn run(
    store: &mut Store,
    config: &Config,
    lang: Lang,
    scope: Scope,
    request: VoucherRequest,
    clock: Clock,
) -> Result<(), Error> {
    let mut desk = Ctx {
        store,
        config,
        lang,
        scope,
        clock,
    };
    match request {
        VoucherRequest::Issue {
            product,
            birth_year,
            at,
        } => issue(&mut desk, &product, birth_year.as_deref(), at.as_deref()),
        VoucherRequest::List { season, json } => list(&desk, season.as_deref(), json),
        VoucherRequest::Use {
            number,
            amount,
            date,
            shop,
        } => use_voucher(
            &mut desk,
            &number,
            &amount,
            date.as_deref(),
            shop.as_deref(),
        ),
        VoucherRequest::Cancel { number, reason } => {
            let now = desk.clock.trusted(desk.store)?;
            let v = crate::desk::cancel_voucher(desk.store, &number, &reason, &now)?;
            say!("{}", i18n::texts(lang).voucher_cancelled(&v.number));
            Ok(())
        }
        VoucherRequest::Summary { season, json } => summary(&desk, season.as_deref(), json),
        VoucherRequest::Print(req) => print(&desk, req),
    }
}

/// The profile the voucher commands work for: `--profile`, else the only
/// profile that issues vouchers.
fn voucher_profile<'c>(ctx: &Ctx<'c>) -> Result<(&'c Profile, &'c VoucherConfig), Error> {
    let profile = match ctx.scope.profile.as_deref() {
        Some(id) => ctx.config.find_profile(id)?,
        None => {
            let on: Vec<&Profile> = ctx
                .config
                .profiles
                .values()
                .filter(|p| p.voucher_settings().is_some())
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
    let cfg = profile
        .voucher_settings()
        .ok_or_else(|| VoucherError::NotEnabled {
            profile: profile.id.clone(),
        })?;
    Ok((profile, cfg))
}

fn season_arg(cfg: &VoucherConfig, value: Option<&str>, today: NaiveDate) -> Result<Season, Error> {
    match value {
        None => Ok(cfg.season_of(today)),
        Some(s) => Season::parse(s).ok_or_else(|| {
            VoucherError::BadSeason {
                value: s.to_string(),
            }
            .into()
        }),
    }
}

fn issue(
    ctx: &mut Ctx,
    product: &str,
    birth_year: Option<&str>,
    at: Option<&str>,
) -> Result<(), Error> {
    let today = ctx.clock.today();
    let at = at
        .map(|v| parse_moment(v, today))
        .transpose()?
        .unwrap_or(ctx.clock.now.local);
    let (profile, cfg) = voucher_profile(ctx)?;
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
    let location = super::place_for(ctx.store, &profile, ctx.scope.location.take())?;
    let mut entry = profile.fresh_entry(None);
    entry.toggle_topic(&cfg.topic, profile.topics.iter().map(|t| t.key.as_str()));
    let req = IssueRequest {
        profile: &profile.id,
        config: &cfg,
        product,
        birth_year,
        identity_hash: None,
        from_form: false,
    };
    // The day's session (made if needed), the visit and the voucher in
    // one transaction.
    let into = Target::Day {
        profile: &profile.id,
        location: &location,
    };
    let now = ctx.clock.trusted(ctx.store)?;
    let (_, v) = crate::desk::issue_voucher(ctx.store, &profile, into, at, entry, &req, &now)?;
    let t = i18n::texts(ctx.lang);
    if !cfg.in_season(at.date()) {
        let start = cfg.season_start(v.season);
        tell!(
            "tiski: {}",
            t.voucher_out_of_season(&locale::date(start, ctx.lang))
        );
    }
    say!(
        "{}",
        i18n::texts(ctx.lang).voucher_issued(&v.number, &locale::date(v.valid_until, ctx.lang))
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

fn list(ctx: &Ctx, season: Option<&str>, json: bool) -> Result<(), Error> {
    let (profile, cfg) = voucher_profile(ctx)?;
    let season = season_arg(cfg, season, ctx.clock.today())?;
    let today = ctx.clock.today();
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
        say!(
            "{}",
            crate::text::json_safe(serde_json::to_string_pretty(&items).expect("list serializes"))
        );
    } else {
        say_part!(
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
    // Each column as wide as its heading or its widest value.
    let width = |i: usize, values: &mut dyn Iterator<Item = usize>| {
        values.chain([c[i].chars().count()]).max().unwrap_or(0)
    };
    let dates = |d: fn(&Voucher) -> NaiveDate| {
        vouchers
            .iter()
            .map(move |v| locale::date(d(v), lang).chars().count())
    };
    let w_issued = width(2, &mut dates(Voucher::issued_on));
    let w_until = width(3, &mut dates(|v| v.valid_until));
    let w_status = width(
        4,
        &mut vouchers
            .iter()
            .map(|v| t.status_label(v.status(today)).chars().count()),
    );
    let _ = writeln!(
        s,
        "{:<12}  {:<28}  {:<w_issued$}  {:<w_until$}  {:<w_status$}  {}",
        c[0], c[1], c[2], c[3], c[4], c[5]
    );
    for v in vouchers {
        let status = v.status(today);
        let extra = match status {
            Status::Used => v
                .used_amount
                .map(|a| crate::i18n::texts(lang).money(a))
                .unwrap_or_default(),
            Status::Cancelled => v
                .cancel_reason
                .as_deref()
                .map(|r| {
                    // Under "Summa": named, so it is not read as one.
                    let reason = if r == crate::voucher::UNDO_REASON {
                        t.undo_reason_label().to_string()
                    } else {
                        r.to_string()
                    };
                    format!("{}: {reason}", t.voucher_csv_columns()[4])
                })
                .unwrap_or_default(),
            _ => String::new(),
        };
        let _ = writeln!(
            s,
            "{:<12}  {:<28}  {:<w_issued$}  {:<w_until$}  {:<w_status$}  {}",
            v.number,
            cfg.product_label(&v.product, lang),
            locale::date(v.issued_on(), lang),
            locale::date(v.valid_until, lang),
            t.status_label(status),
            extra
        );
    }
    s
}

fn use_voucher(
    ctx: &mut Ctx,
    number: &str,
    amount: &str,
    date: Option<&str>,
    shop: Option<&str>,
) -> Result<(), Error> {
    let cents = Cents::parse(amount).ok_or_else(|| VoucherError::BadAmount {
        value: amount.to_string(),
    })?;
    let today = ctx.clock.today();
    let date = date
        .map(|v| parse_day(v, today))
        .transpose()?
        .unwrap_or(today);
    let now = ctx.clock.trusted(ctx.store)?;
    let v = crate::desk::use_voucher(ctx.store, number, cents, date, shop, &now)?;
    say!(
        "{}",
        i18n::texts(ctx.lang).voucher_used(&v.number, &crate::i18n::texts(ctx.lang).money(cents))
    );
    Ok(())
}

fn summary(ctx: &Ctx, season: Option<&str>, json: bool) -> Result<(), Error> {
    let (profile, cfg) = voucher_profile(ctx)?;
    let season = season_arg(cfg, season, ctx.clock.today())?;
    let vouchers = ctx.store.vouchers_in_season(Some(&profile.id), season)?;
    let earlier = ctx.store.voucher_season_counts(Some(&profile.id))?;
    let word = i18n::texts(ctx.lang).vouchers_word();
    let s = SeasonSummary::build(
        cfg,
        season,
        &vouchers,
        ctx.clock.today(),
        &earlier,
        ctx.lang,
        word,
    );
    if json {
        say!(
            "{}",
            crate::text::json_safe(serde_json::to_string_pretty(&s).expect("summary serializes"))
        );
    } else {
        say_part!("{}", summary_text(cfg, &s, ctx.lang));
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
            &locale::date(s.start, lang),
            &locale::date(s.end, lang)
        )
    );
    let _ = writeln!(
        out,
        "{} · {}",
        t.register_counts(&s.total),
        t.invoiced(&crate::i18n::texts(lang).money(s.total.invoiced))
    );
    let _ = writeln!(out, "\n{}", t.by_product());
    for p in &cfg.products {
        if let Some(c) = s.products.get(&p.key) {
            let _ = writeln!(
                out,
                "  {:<28}  {} · {}",
                p.label(lang),
                t.register_counts(c),
                t.invoiced(&crate::i18n::texts(lang).money(c.invoiced))
            );
        }
    }
    let _ = writeln!(out, "\n{}", t.by_week());
    if s.weeks.is_empty() {
        let _ = writeln!(out, "  {}", t.none());
    }
    for (w, n) in &s.weeks {
        let _ = writeln!(
            out,
            "  {:<11}  {n:>3} {}",
            crate::locale::week_key(w, lang),
            "█".repeat((*n as usize).min(40))
        );
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
            let _ = writeln!(
                out,
                "  {:<10} {:>5}  {}",
                locale::years_span(&e.season),
                e.count,
                e.what
            );
        }
    }
    out
}

/// Writes the PDF where asked (or to tiski's printout folder), then, with
/// `--printer`, sends that file to the printer; the file is kept either
/// way, so a jammed printer loses nothing.
fn print(ctx: &Ctx, req: PrintRequest) -> Result<(), Error> {
    let today = ctx.clock.today();
    let v = ctx.store.voucher_by_number(&req.number)?;
    v.check_print(today, req.copy)?;
    let profile = ctx.config.find_profile(&v.profile)?;
    let cfg = profile
        .vouchers
        .as_ref()
        .ok_or_else(|| VoucherError::NotEnabled {
            profile: v.profile.clone(),
        })?;
    let path = match req.out {
        Some(p) => {
            if let Some(db) = ctx.store.path() {
                super::output::check(&p, db, req.force)?;
            }
            p
        }
        // tiski's own printout folder: a reprint replaces its own PDF.
        None => pdf::default_dir()
            .ok_or(Error::NoDataDir)?
            .join(format!("{}.pdf", v.number)),
    };
    let labels = i18n::texts(pdf::LANG).pdf_labels();
    let at = pdf::Printing {
        recipient: None,
        issuer: req.issuer.as_deref(),
        place: req.place.as_deref(),
        date: today,
        copy: req.copy,
    };
    let second = cfg.second_language.map(|l| i18n::texts(l).pdf_labels());
    let bytes = pdf::render(&v, cfg, pdf::LANG, &labels, second.as_ref(), &at);
    crate::files::write_private_in_own_dir(&path, &bytes).map_err(Error::output(&path))?;
    let t = i18n::texts(ctx.lang);
    let missing = cfg.missing_invoicing();
    if !missing.is_empty() {
        let note = crate::text::clean(&t.invoicing_missing(&v.profile, &missing)).into_owned();
        // Not eprintln!: stderr may be closed; the PDF is written anyway.
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            format!("tiski: {note}\n").as_bytes(),
        );
    }
    let shown = path.display().to_string();
    if req.printer {
        crate::platform::print_file(&path).map_err(|failure| Error::Printer {
            path: path.clone(),
            failure,
        })?;
        say!("{}", t.voucher_sent_to_printer(&shown));
    } else {
        say!("{}", t.voucher_printed(&shown));
    }
    Ok(())
}

//! `tiski report`, `tiski export` and `tiski import`: the welfare report's
//! figures, spreadsheets and consolidation across desks.

use std::io::Write as _;
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use super::{Context, now, parse_date};
use crate::app::App;
use crate::cli::{ExportArgs, PeriodArgs, ReportArgs};
use crate::config::Profile;
use crate::error::Error;
use crate::i18n;
use crate::report::error::{LineProblem, ReportError};
use crate::report::period::Period;
use crate::report::render::{Format, Page};
use crate::store::{MergeError, PeriodFilter};

/// The period the flags ask for; without any, this calendar year so far.
pub fn period(args: &PeriodArgs, today: NaiveDate) -> Result<Period, Error> {
    if let Some(y) = args.year {
        return Ok(Period::year(y));
    }
    if let Some(s) = &args.season {
        return Ok(Period::season(parse_season(s)?));
    }
    let to = args.to.as_deref().map(parse_date).transpose()?;
    let from = args.from.as_deref().map(parse_date).transpose()?;
    if from.is_none() && to.is_none() {
        return Ok(Period::custom(
            NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("1 January exists"),
            today,
        ));
    }
    let to = to.unwrap_or(today);
    let from =
        from.unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).expect("1 January exists"));
    if from > to {
        return Err(ReportError::DatesOutOfOrder {
            from: from.to_string(),
            to: to.to_string(),
        }
        .into());
    }
    Ok(Period::custom(from, to))
}

/// `2023-2024` (or `2023`): the season starting 1 November 2023.
pub fn parse_season(value: &str) -> Result<i32, ReportError> {
    let bad = || ReportError::BadSeason {
        value: value.to_string(),
    };
    let v = value.trim();
    let (a, b) = match v.split_once(['-', '–', '/']) {
        Some((a, b)) => (a, Some(b)),
        None => (v, None),
    };
    let start: i32 = a.parse().map_err(|_| bad())?;
    if !(1900..=9998).contains(&start) {
        return Err(bad());
    }
    match b.map(str::parse::<i32>) {
        None => Ok(start),
        Some(Ok(end)) if end == start + 1 => Ok(start),
        _ => Err(bad()),
    }
}

/// The profile flag checked against the config.
fn profile(ctx: &Context) -> Result<Option<&Profile>, Error> {
    ctx.profile
        .as_deref()
        .map(|id| App::find_profile(&ctx.config, id))
        .transpose()
}

/// A `--location` that neither the config nor any session knows is a typo.
fn check_location(ctx: &Context) -> Result<(), Error> {
    let Some(name) = ctx.location.as_deref() else {
        return Ok(());
    };
    let mut known = ctx.store.locations()?;
    for l in ctx
        .config
        .profiles
        .values()
        .flat_map(|p| p.locations.iter())
    {
        if !known.contains(l) {
            known.push(l.clone());
        }
    }
    if known.iter().any(|k| k == name) {
        return Ok(());
    }
    Err(ReportError::UnknownPlace {
        name: name.to_string(),
        valid: known.join(", "),
    }
    .into())
}

/// A `--device` that no session in the database carries is a typo.
fn check_device(ctx: &Context, device: Option<&str>) -> Result<(), Error> {
    if let Some(d) = device {
        let known = ctx.store.devices()?;
        if !known.iter().any(|k| k == d) {
            return Err(ReportError::UnknownDevice {
                id: d.to_string(),
                valid: known.join(", "),
            }
            .into());
        }
    }
    Ok(())
}

/// `tiski report`.
pub fn report(ctx: Context, args: &ReportArgs) -> Result<(), Error> {
    let format = Format::parse(&args.format)?;
    let profile = profile(&ctx)?;
    let period = period(&args.period, now().date())?;
    let device = args.period.device.as_deref();
    check_device(&ctx, device)?;
    check_location(&ctx)?;
    let report = ctx.store.period_report(
        period.kind,
        &PeriodFilter {
            from: period.from,
            to: period.to,
            profile: profile.map(|p| p.id.as_str()),
            location: ctx.location.as_deref(),
            device,
        },
    )?;
    let page = Page {
        report: &report,
        config: &ctx.config,
        profile,
        location: ctx.location.as_deref(),
        device,
        lang: ctx.lang,
        min_count: args.min_count.filter(|n| *n > 1),
    };
    print!("{}", page.render(format));
    Ok(())
}

/// `tiski export`.
pub fn export(ctx: Context, args: &ExportArgs) -> Result<(), Error> {
    let format = args.format.trim().to_ascii_lowercase();
    if !["csv", "jsonl", "voucher-csv"].contains(&format.as_str()) {
        return Err(ReportError::UnknownFormat {
            value: args.format.clone(),
            valid: "csv, jsonl, voucher-csv",
        }
        .into());
    }
    let profile = profile(&ctx)?;
    let device = args.period.device.as_deref();
    check_device(&ctx, device)?;
    check_location(&ctx)?;
    // Without dates, an export holds everything.
    let any_dates = args.period.from.is_some()
        || args.period.to.is_some()
        || args.period.year.is_some()
        || args.period.season.is_some();
    let (from, to) = if any_dates {
        let p = period(&args.period, now().date())?;
        (p.from, p.to)
    } else {
        let min = NaiveDate::MIN;
        ctx.store.date_span()?.unwrap_or((min, min))
    };
    let data = ctx.store.period(&PeriodFilter {
        from,
        to,
        profile: profile.map(|p| p.id.as_str()),
        location: ctx.location.as_deref(),
        device,
    })?;
    let (text, rows) = if format == "csv" {
        crate::export::visits_csv(&data, &ctx.config, profile, ctx.lang)
    } else if format == "voucher-csv" {
        let vouchers =
            ctx.store
                .vouchers_issued_between(profile.map(|p| p.id.as_str()), from, to)?;
        crate::export::vouchers_csv(&vouchers, &ctx.config, now().date(), ctx.lang)
    } else {
        crate::export::jsonl(&data, &ctx.store.tombstones()?, &ctx.store.device_id()?)
    };
    match &args.out {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
        Some(path) => {
            crate::files::write_private(path, text.as_bytes()).map_err(|e| Error::Output {
                path: path.clone(),
                reason: e.to_string(),
            })?;
            eprintln!(
                "{}",
                i18n::texts(ctx.lang).exported(rows, &path.display().to_string())
            );
        }
    }
    Ok(())
}

/// `tiski import`: merges a JSONL export or another database.
pub fn import(mut ctx: Context, path: &Path) -> Result<(), Error> {
    let read_err = |e: std::io::Error| ReportError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let bytes = std::fs::read(path).map_err(read_err)?;
    let records = if crate::import::is_sqlite(&bytes) {
        crate::import::read_database(path)?
    } else {
        let text = String::from_utf8(bytes).map_err(|e| ReportError::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        crate::import::parse_jsonl(path, &text)?
    };
    let summary = ctx.store.merge(&records.records).map_err(|e| match e {
        MergeError::Store(s) => Error::Store(s),
        MergeError::UnknownSession { index, uid } => ReportError::Line {
            path: path.display().to_string(),
            line: records.lines.get(index).copied().unwrap_or(0),
            problem: LineProblem::UnknownSession { uid },
        }
        .into(),
    })?;
    let t = i18n::texts(ctx.lang);
    for c in &summary.conflicts {
        let at = format!(
            "{} {}",
            i18n::date(c.at.date(), ctx.lang),
            i18n::time(c.at, ctx.lang)
        );
        println!("{}", t.conflict(c, &at));
    }
    println!("{}", t.import_summary(&summary));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn flags_make_periods_and_refuse_reversed_dates() {
        let today = d("2024-03-05");
        let args = |from: Option<&str>, to: Option<&str>| PeriodArgs {
            from: from.map(str::to_string),
            to: to.map(str::to_string),
            ..Default::default()
        };
        let p = period(&args(None, None), today).unwrap();
        assert_eq!((p.from, p.to), (d("2024-01-01"), today));
        let p = period(&args(Some("2023-06-01"), None), today).unwrap();
        assert_eq!((p.from, p.to), (d("2023-06-01"), today));
        assert!(matches!(
            period(&args(Some("2023-06-02"), Some("2023-06-01")), today),
            Err(Error::Report(ReportError::DatesOutOfOrder { .. }))
        ));
        let y = PeriodArgs {
            year: Some(2023),
            ..Default::default()
        };
        assert_eq!(period(&y, today).unwrap(), Period::year(2023));
        assert_eq!(parse_season("2023-2024"), Ok(2023));
        assert_eq!(parse_season("2023"), Ok(2023));
        assert!(parse_season("2023-2025").is_err());
        assert!(parse_season("talvi").is_err());
    }
}

//! `tiski report`, `tiski export` and `tiski import`: the welfare report's
//! figures, spreadsheets and consolidation across desks.

use std::path::Path;

use chrono::{Datelike, NaiveDate};

use super::Scope;
use crate::clock::{Now, check_year, parse_period_day};
use crate::config::Config;
use crate::error::Error;
use crate::export::assemble::{self, ReportScope};
use crate::export::report::{Format, Page};
use crate::i18n;
use crate::locale::{self, Lang};
use crate::privacy::config::PrivacyConfig;
use crate::report::error::{LineProblem, ReportError};
use crate::report::grammar::{parse_month, parse_season, parse_week};
use crate::report::period::Period;
use crate::store::{FigureSource, MergeError, PeriodFilter, Store, StreamError};

/// Which dates a report or export covers, as typed (checked here); and
/// the device whose sessions alone count.
#[derive(Debug, Clone, Default)]
pub struct PeriodRequest {
    pub from: Option<String>,
    pub to: Option<String>,
    pub year: Option<i32>,
    pub season: Option<String>,
    pub month: Option<String>,
    pub week: Option<String>,
    pub device: Option<String>,
}

impl PeriodRequest {
    /// Whether any dates were given (an export without them holds all).
    pub fn has_dates(&self) -> bool {
        self.from.is_some()
            || self.to.is_some()
            || self.year.is_some()
            || self.season.is_some()
            || self.month.is_some()
            || self.week.is_some()
    }
}

/// `tiski report`: the period, the page format, where it goes and the
/// smallest count shown.
#[derive(Debug, Clone, Default)]
pub struct ReportRequest {
    pub scope: Scope,
    pub period: PeriodRequest,
    /// As typed; without it, from `out`'s name, else text.
    pub format: Option<String>,
    /// Standard output when `None`.
    pub out: Option<std::path::PathBuf>,
    /// A folder for the charts as SVG and PNG files.
    pub charts: Option<std::path::PathBuf>,
    /// Replace existing files at `out` and in `charts`.
    pub force: bool,
    /// `--min-count`; without it, the config's `privacy.min_count`.
    pub min_count: Option<u32>,
}

/// `tiski export`: the period, the file format and where to write.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub scope: Scope,
    pub period: PeriodRequest,
    /// `csv`, `voucher-csv` or `jsonl`, as typed.
    pub format: String,
    /// Standard output when `None`.
    pub out: Option<std::path::PathBuf>,
    /// Replace an existing ordinary file at `out`.
    pub force: bool,
    /// `--min-count` for the CSV forms; without it, the config's
    /// `privacy.min_count`. JSONL, the lossless transfer form, takes none.
    pub min_count: Option<u32>,
}

/// The period the flags ask for; without any, this calendar year so far.
pub fn period(args: &PeriodRequest, today: NaiveDate) -> Result<Period, Error> {
    if let Some(y) = args.year {
        return Ok(Period::year(check_year(y)?));
    }
    if let Some(s) = &args.season {
        return Ok(Period::season(parse_season(s)?));
    }
    if let Some(m) = &args.month {
        return Ok(parse_month(m)?);
    }
    if let Some(w) = &args.week {
        return Ok(parse_week(w)?);
    }
    let to = args.to.as_deref().map(parse_period_day).transpose()?;
    let from = args.from.as_deref().map(parse_period_day).transpose()?;
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
        return Err(ReportError::DatesOutOfOrder { from, to }.into());
    }
    Ok(Period::custom(from, to))
}

/// A `--location` that neither the config nor any session knows is a typo.
pub fn check_location<S: FigureSource>(
    store: &S,
    config: &Config,
    scope: &Scope,
) -> Result<(), Error>
where
    Error: From<S::Error>,
{
    let Some(name) = scope.location.as_deref() else {
        return Ok(());
    };
    let mut known = store.locations()?;
    for l in config.profiles.values().flat_map(|p| p.locations.iter()) {
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
pub fn check_device<S: FigureSource>(store: &S, device: Option<&str>) -> Result<(), Error>
where
    Error: From<S::Error>,
{
    if let Some(d) = device {
        let known = store.devices()?;
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

/// `tiski report`, from this desk's file or (`--server`) the unit's
/// server: the same report code either way. `db` is the desk's database,
/// which no output may write over.
pub fn report<S: FigureSource>(
    store: &S,
    db: Option<&Path>,
    config: &Config,
    lang: Lang,
    args: &ReportRequest,
    now: Now,
) -> Result<(), Error>
where
    Error: From<S::Error>,
{
    let format = match (&args.format, &args.out) {
        (Some(f), _) => Format::parse(f)?,
        (None, Some(out)) => Format::of_file(out),
        (None, None) => Format::Text,
    };
    // `--charts DIR` alone writes only the charts.
    let page_wanted = args.charts.is_none() || args.format.is_some() || args.out.is_some();
    if page_wanted && args.out.is_none() && format.is_binary() {
        return Err(ReportError::NeedsFile {
            format: format.name(),
        }
        .into());
    }
    if let Some(path) = &args.out
        && let Some(db) = db
    {
        super::output::check(path, db, args.force)?;
    }
    let profile = args.scope.profile(config)?;
    let period = period(&args.period, now.local.date())?;
    let device = args.period.device.as_deref();
    check_device(store, device)?;
    check_location(store, config, &args.scope)?;
    let scope = ReportScope {
        profile,
        location: args.scope.location.as_deref(),
        device,
    };
    let full = assemble::period_report(store, config, scope, period, now.local.date())?;
    let min_count = PrivacyConfig::threshold(args.min_count.unwrap_or(config.privacy.min_count));
    let page = Page::new(&full, config, lang, min_count, now.utc);
    // Every chart file is drawn and checked before anything is written.
    let charts = match &args.charts {
        Some(dir) => Some(super::documents::charts(db, dir, &page, args.force)?),
        None => None,
    };
    if page_wanted {
        let bytes = super::documents::render(&page, format)?;
        match &args.out {
            None => super::put_document(&bytes)?,
            Some(path) => {
                crate::files::write_private(path, &bytes).map_err(Error::output(path))?;
                tell!(
                    "{}",
                    i18n::texts(lang).report_written(&path.display().to_string())
                );
            }
        }
    }
    if let (Some(dir), Some(files)) = (&args.charts, charts) {
        super::documents::write_charts(dir, &files, lang)?;
    }
    Ok(())
}

/// `tiski export`.
pub fn export(
    store: &Store,
    config: &Config,
    lang: Lang,
    args: &ExportRequest,
    now: Now,
) -> Result<(), Error> {
    let format = args.format.trim().to_ascii_lowercase();
    if !["csv", "jsonl", "voucher-csv"].contains(&format.as_str()) {
        return Err(ReportError::UnknownFormat {
            value: args.format.clone(),
            valid: "csv, jsonl, voucher-csv",
        }
        .into());
    }
    let profile = args.scope.profile(config)?;
    let device = args.period.device.as_deref();
    check_device(store, device)?;
    check_location(store, config, &args.scope)?;
    // Without dates, an export holds everything.
    let (from, to) = if args.period.has_dates() {
        let p = period(&args.period, now.local.date())?;
        (p.from, p.to)
    } else {
        let min = NaiveDate::MIN;
        store.date_span()?.unwrap_or((min, min))
    };
    let filter = PeriodFilter {
        from,
        to,
        profile: profile.map(|p| p.id.as_str()),
        location: args.scope.location.as_deref(),
        device,
    };
    if format == "jsonl" {
        return export_jsonl(store, lang, &filter, args, now);
    }
    let data = store.period(&filter)?;
    let min_count = PrivacyConfig::threshold(args.min_count.unwrap_or(config.privacy.min_count));
    let (text, rows, blanked) = if format == "csv" {
        let csv = crate::export::visits_csv(&data, config, profile, lang, min_count);
        (csv.text, csv.rows, Some(csv.blanked))
    } else {
        let vouchers = store.vouchers_issued_between(profile.map(|p| p.id.as_str()), from, to)?;
        let csv = crate::export::vouchers_csv(&vouchers, config, now.local.date(), lang, min_count);
        (csv.text, csv.rows, Some(csv.blanked))
    };
    match &args.out {
        None => super::put_document(text.as_bytes())?,
        Some(path) => {
            if let Some(db) = store.path() {
                super::output::check(path, db, args.force)?;
            }
            crate::files::write_private(path, text.as_bytes()).map_err(Error::output(path))?;
            tell!(
                "{}",
                i18n::texts(lang).exported(rows, &path.display().to_string())
            );
        }
    }
    // On stderr, so the file on standard output stays as it is.
    if let (Some(cells), Some(min)) = (blanked, min_count) {
        tell!("{}", i18n::texts(lang).blanked(cells, min));
    }
    Ok(())
}

/// `tiski export --format jsonl`: written as it is read, to standard
/// output or (private, through a temp file renamed into place) to `--out`.
fn export_jsonl(
    store: &Store,
    lang: Lang,
    filter: &PeriodFilter<'_>,
    args: &ExportRequest,
    now: Now,
) -> Result<(), Error> {
    use crate::export::jsonl::WriteError;
    let device = store.device_id()?;
    // The command's own clock reading, as every date it writes.
    let exported_at = now.utc.to_rfc3339();
    let write = |out: &mut dyn std::io::Write| {
        crate::export::write_jsonl(out, store, filter, &device, &exported_at)
    };
    match &args.out {
        None => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            match write(&mut out) {
                Ok(_) => Ok(()),
                Err(WriteError::Store(e)) => Err(e.into()),
                Err(WriteError::Output(e)) => Err(Error::Stdout(e)),
            }
        }
        Some(path) => {
            if let Some(db) = store.path() {
                super::output::check(path, db, args.force)?;
            }
            // A store error inside the writing is carried out of it.
            let mut failed = None;
            let rows = crate::files::write_private_with(path, |out| {
                write(out).map_err(|e| match e {
                    WriteError::Output(e) => e,
                    WriteError::Store(e) => {
                        failed = Some(e);
                        std::io::Error::other("the store failed")
                    }
                })
            });
            if let Some(e) = failed {
                return Err(e.into());
            }
            let rows = rows.map_err(Error::output(path))?;
            tell!(
                "{}",
                i18n::texts(lang).exported(rows, &path.display().to_string())
            );
            Ok(())
        }
    }
}

/// `tiski import`: merges a JSONL export or another database.
pub fn import(
    store: &mut Store,
    config: &Config,
    lang: Lang,
    path: &Path,
    clock: super::Clock,
) -> Result<(), Error> {
    use crate::import::Grave;
    // A copy of another database goes beside this one, in the data folder.
    let dir = store
        .path()
        .and_then(Path::parent)
        .map_or_else(std::env::temp_dir, Path::to_path_buf);
    let source = crate::import::open(path, &dir)?;
    // Read, parsed and checked as the merge takes them; a refusal found
    // anywhere in the file is told before what comes below, as a whole
    // read first would tell it.
    let mut records = crate::import::Checked::new(source, path, config, clock.now.local);
    // Not under an open duty screen: its list and counters would not know.
    let _lock = match store.path().map(crate::store::lock::DeskLock::exclusive) {
        Some(Err(e)) => {
            return Err(match records.drain() {
                Some(r) if r.grave > Grave::Identity => r.error,
                _ => e.into(),
            });
        }
        lock => lock.and_then(Result::ok),
    };
    let now = match clock.trusted(store) {
        Ok(now) => now,
        Err(e) => return Err(records.drain().map_or(e, |r| r.error)),
    };
    // What the merge is done with is dropped on the reading thread.
    let graves = records.graves();
    let spent = |s: Box<dyn Send>| match &graves {
        Some(g) => g.bury(s),
        None => drop(s),
    };
    let summary = match crate::desk::merge(store, &mut records, spent, &now) {
        Ok(summary) => summary,
        Err(StreamError::Source(refusal)) => return Err(refusal.error),
        Err(StreamError::Merge(e)) => {
            if let Some(refusal) = records.drain() {
                return Err(refusal.error);
            }
            return Err(match e {
                MergeError::Store(s) => Error::Store(s),
                MergeError::UnknownSession { index, uid } => ReportError::Line {
                    path: path.display().to_string(),
                    line: records.line(index),
                    problem: LineProblem::UnknownSession { uid },
                }
                .into(),
                MergeError::UnknownParent { index, uid } => ReportError::Line {
                    path: path.display().to_string(),
                    line: records.line(index),
                    problem: LineProblem::UnknownParent { uid },
                }
                .into(),
            });
        }
    };
    let t = i18n::texts(lang);
    for c in &summary.conflicts {
        let at = format!(
            "{} {}",
            locale::date(c.at.date(), lang),
            locale::time(c.at, lang)
        );
        say!("{}", t.conflict(c, &at));
    }
    say!("{}", t.import_summary(&summary));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::parse_date;
    use crate::report::period::PeriodKind;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn flags_make_periods_and_refuse_reversed_dates() {
        let today = d("2024-03-05");
        let args = |from: Option<&str>, to: Option<&str>| PeriodRequest {
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
            Err(Error::Report(r)) if matches!(*r, ReportError::DatesOutOfOrder { .. })
        ));
        let y = PeriodRequest {
            year: Some(2023),
            ..Default::default()
        };
        assert_eq!(period(&y, today).unwrap(), Period::year(2023));
        assert_eq!(parse_season("2023-2024"), Ok(2023));
        assert_eq!(parse_season("2023"), Ok(2023));
        assert!(parse_season("2023-2025").is_err());
        assert!(parse_season("talvi").is_err());
    }

    #[test]
    fn months_and_weeks_parse_as_finns_and_iso_write_them() {
        let nov = (d("2026-11-01"), d("2026-11-30"));
        for v in ["2026-11", "11/2026", "11.2026", " 11/2026 "] {
            let p = parse_month(v).unwrap();
            assert_eq!(
                (p.kind, p.from, p.to),
                (PeriodKind::Month, nov.0, nov.1),
                "{v}"
            );
        }
        assert_eq!(parse_month("2.2024").unwrap().to, d("2024-02-29"));
        for v in [
            "2026-13",
            "0/2026",
            "11/1999",
            "2026",
            "marraskuu",
            "11/20x6",
            "+1/2026",
        ] {
            assert!(parse_month(v).is_err(), "{v}");
        }
        let w49 = (d("2026-11-30"), d("2026-12-06"));
        for v in [
            "2026-W49",
            "2026-w49",
            "49/2026",
            "vko 49/2026",
            "Vko 49/2026",
        ] {
            let p = parse_week(v).unwrap();
            assert_eq!(
                (p.kind, p.from, p.to),
                (PeriodKind::Week, w49.0, w49.1),
                "{v}"
            );
        }
        // ISO weeks: 2026 has 53, 2027 has 52; week 1 of 2026 began in 2025.
        assert_eq!(parse_week("53/2026").unwrap().to, d("2027-01-03"));
        assert_eq!(parse_week("2026-W01").unwrap().from, d("2025-12-29"));
        for v in [
            "53/2027",
            "0/2026",
            "2026-W",
            "49",
            "2026-W100",
            "vko",
            "49/2101",
        ] {
            assert!(parse_week(v).is_err(), "{v}");
        }
    }
}

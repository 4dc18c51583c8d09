//! The benchmark (`cargo bench`): the figures of PERFORMANCE.md, measured
//! on this machine. A program of its own, outside the shipped `tiski`.
//!
//! For each size (default 0, 100 000 and 1 000 000 visits over ten years)
//! a database is built with the demo generator into `--dir` (reused while
//! its recorded size matches), then, headless, in this process:
//!
//! - start-up to the first frame: config, `Store::open`, `App::new` (which
//!   opens today's session) and the duty screen drawn into an 80×24
//!   `TestBackend`;
//! - a keystroke that saves a visit: `Tick` + `ToggleTopic` + `Save` (a
//!   durable commit, counters, running average and today's list refreshed)
//!   and the frame redrawn;
//! - the day tally (`commands::day_tally`, all profiles, as `tiski tally`);
//! - the running average (`Store::session_stats`, the year to date);
//! - the year report: `tiski report --year` for last year, all desks
//!   (`Store::period_report`, without printing), and beside it, for
//!   reference, the same report counted from every visit of the year
//!   (`Store::period` + `PeriodReport::build`); the two must be equal;
//! - each view drawn at 80×24 and 200×60;
//!
//! and in separate processes, the peak RSS (`ru_maxrss` of `wait4`) of
//! the TUI's start-up (this benchmark in a child mode), and of the real
//! `tiski tally` and (for reference, it has no target) `tiski report
//! --year`.
//!
//! Times are medians of wall-clock time, checked against the targets; the
//! same operations' time on the CPU is printed beside them, with the
//! smallest durable commit alone, so that a slow disk or a busy machine
//! can be told apart from the program's own cost.
//!
//! The visits the benchmark saves are undone and its empty session removed
//! at the end, so a database can be reused run after run.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};
use clap::Parser;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tiski::app::{Action, App, PickerKind, View, VoucherAction};
use tiski::clock::now;
use tiski::config::Config;
use tiski::demo::{self, DEFAULT_SEED, DemoOptions};
use tiski::domain::VisitId;
use tiski::error::Error;
use tiski::locale::Lang;
use tiski::report::period::{Period, PeriodReport};
use tiski::store::{DeskFilter, Store};
use tiski::voucher::Status;

mod bulk;
mod children;
mod measure;
mod pty;
mod server;
mod table;

use children::{Child, TUI_CHILD, child_rss};
use measure::{Sample, Samples, sample};

const PROFILE: &str = "ikaihmiset";
const START_RUNS: usize = 30;
const TALLY_RUNS: usize = 200;
const AVERAGE_RUNS: usize = 1000;
const REPORT_RUNS: usize = 10;
const COMMIT_RUNS: usize = 50;
const RENDER_RUNS: usize = 300;
const SIZES: [(u16, u16); 2] = [(80, 24), (200, 60)];

/// Targets (issue 6).
pub(crate) const SAVE_MAX: Duration = Duration::from_millis(1);
pub(crate) const START_MAX: Duration = Duration::from_millis(30);
pub(crate) const REPORT_MAX: Duration = Duration::from_millis(50);
pub(crate) const RENDER_MAX: Duration = Duration::from_millis(1);
pub(crate) const FLAT_RATIO: f64 = 1.5;
pub(crate) const RSS_MAX_BYTES: u64 = 30_000_000;
/// Targets (issue 23).
pub(crate) const REPORT_RSS_MAX_BYTES: u64 = bulk::BULK_RSS_MAX_BYTES;

/// `cargo bench` options (after `--`).
#[derive(Debug, Clone, Parser)]
#[command(name = "tiski-bench", about = "The measurements of PERFORMANCE.md")]
pub struct BenchArgs {
    /// Where the benchmark databases are built and kept for the next run
    /// [default: tiski-bench in the temporary directory].
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// History sizes in visits, comma-separated; targets are checked at the
    /// largest, ratios against the smallest.
    #[arg(long, value_name = "N,N,…", value_delimiter = ',', default_values_t = [0u64, 100_000, 1_000_000])]
    pub sizes: Vec<u64>,
    /// Years of history in each database.
    #[arg(long, value_name = "Y", default_value_t = 10)]
    pub years: u32,
    /// Visits saved (and timed) per size; at least 50.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub saves: usize,
    /// The server rows (TISKI_BENCH_PG or TISKI_TEST_PG): desks pushed a
    /// year each, then as many more (the report is read at twice the visits).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub server_desks: usize,
    /// Visits in each desk's year for the server rows.
    #[arg(long, value_name = "N", default_value_t = 5000)]
    pub server_visits: u64,
    /// Only the server rows.
    #[arg(long)]
    pub server_only: bool,
    /// Leave out the export, import and backup of the largest database.
    #[arg(long)]
    pub no_bulk: bool,
    /// Passed by `cargo bench` to every benchmark; nothing to do here.
    #[arg(long, hide = true)]
    bench: bool,
}

fn main() -> ExitCode {
    let mut argv = std::env::args_os().skip(1);
    let first = argv.next();
    let result = if first.as_ref().is_some_and(|a| a == TUI_CHILD) {
        match argv.next() {
            Some(db) => children::tui_child(Path::new(&db)),
            None => Err(fail(Path::new(""), "the TUI child needs a database")),
        }
    } else if first.as_ref().is_some_and(|a| a == pty::MINIMAL_CHILD) {
        match argv.next() {
            Some(db) => pty::minimal_child(Path::new(&db)),
            None => Err(fail(Path::new(""), "the minimal program needs a database")),
        }
    } else {
        run(BenchArgs::parse())
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tiski-bench: {}", tiski::i18n::texts(Lang::En).error(&e));
            ExitCode::FAILURE
        }
    }
}

/// Medians for one database size.
pub(crate) struct Figures {
    visits: u64,
    built: Option<Duration>,
    db_bytes: u64,
    startup: Sample,
    save: Sample,
    /// A one-row durable commit: the disk's part of a save.
    commit: Sample,
    day_tally: Sample,
    average: Sample,
    /// `tiski report --year`: Store::period_report.
    report: Sample,
    /// The same report counted from every visit (Store::period +
    /// PeriodReport::build), for reference.
    report_scan: Sample,
    /// View name and size → frame time.
    renders: Vec<(String, Sample)>,
    rss_tui: Option<u64>,
    rss_tally: Option<u64>,
    rss_report: Option<u64>,
}

/// One database under test, with the app that saves into it.
struct Subject {
    visits: u64,
    db: PathBuf,
    built: Option<Duration>,
    startup: Samples,
    app: Option<Live>,
    save: Samples,
    commit: Samples,
    day_tally: Samples,
    average: Samples,
    report: Samples,
    report_scan: Samples,
    renders: Vec<(String, Samples)>,
}

/// The app of a subject while it is being measured.
struct Live {
    app: App,
    term: Terminal<TestBackend>,
    session: tiski::domain::SessionId,
    /// Visits today before the benchmark saved any.
    before: u32,
    saved: i64,
}

/// Measurements are taken in this many rounds, each visiting every size in
/// turn, so that a machine that is busier at one moment than another skews
/// all sizes alike instead of one of them.
const ROUNDS: usize = 5;

/// Runs the whole benchmark and prints the table.
pub fn run(args: BenchArgs) -> Result<(), Error> {
    if args.server_only {
        return server::run(&server_args(&args));
    }
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("tiski-bench"));
    let mut sizes = args.sizes.clone();
    sizes.sort_unstable();
    sizes.dedup();
    if sizes.is_empty() {
        sizes.push(0);
    }
    let saves = args.saves.max(50).div_ceil(ROUNDS) * ROUNDS;
    println!(
        "tiski bench: {} · load average {} · {} · databases in {}",
        table::cpu(),
        table::load_average(),
        now().format("%Y-%m-%d %H:%M"),
        dir.display()
    );
    let mut subjects = Vec::new();
    for &visits in &sizes {
        let (db, built) = prepare(&dir, visits, args.years)?;
        if let Some(t) = built {
            println!(
                "  built {} ({visits} visits, {} years) in {:.1} s",
                db.display(),
                args.years,
                t.as_secs_f64()
            );
        }
        subjects.push(Subject {
            visits,
            db,
            built,
            startup: Samples::default(),
            app: None,
            save: Samples::default(),
            commit: Samples::default(),
            day_tally: Samples::default(),
            average: Samples::default(),
            report: Samples::default(),
            report_scan: Samples::default(),
            renders: Vec::new(),
        });
    }
    let start_time = now();

    println!("  start-ups…");
    // Start-up: nothing else has the database open, as when the desk
    // laptop starts tiski. The app is dropped after the clocks stop.
    for _ in 0..ROUNDS {
        for s in &mut subjects {
            s.startup.extend(sample(START_RUNS / ROUNDS, || {
                let app = start(&s.db, start_time)?;
                draw(&mut terminal(80, 24), &app);
                Ok(app)
            })?);
        }
    }
    for s in &mut subjects {
        let app = start(&s.db, start_time)?;
        let d = app
            .duty
            .as_ref()
            .ok_or_else(|| fail(&s.db, "no duty screen"))?;
        let (session, before) = (d.session.id, d.counters.today);
        let mut term = terminal(80, 24);
        draw(&mut term, &app);
        s.app = Some(Live {
            app,
            term,
            session,
            before,
            saved: 0,
        });
    }
    println!("  saves…");
    for _ in 0..ROUNDS {
        for s in &mut subjects {
            let db = s.db.clone();
            let live = s.app.as_mut().expect("started above");
            s.save
                .extend(sample(saves / ROUNDS, || save_one(live, start_time, &db))?);
        }
    }
    for s in &mut subjects {
        let live = s.app.as_ref().expect("started above");
        let after = live.app.duty.as_ref().map_or(0, |d| d.counters.today);
        if after != live.before + saves as u32 {
            let why = format!(
                "counter went from {} to {after} after {saves} saves",
                live.before
            );
            return Err(fail(&s.db, &why));
        }
    }
    println!("  tallies, averages, reports, frames…");
    for _ in 0..ROUNDS {
        for s in &mut subjects {
            measure_round(s, start_time.date())?;
        }
    }

    println!("  peak memory…");
    let mut all = Vec::new();
    for mut s in subjects {
        let rss_tui = child_rss(&s.db, Child::Tui)?;
        let rss_tally = child_rss(&s.db, Child::Tally)?;
        let rss_report = child_rss(&s.db, Child::Report)?;
        if let Some(live) = s.app.take() {
            clean_up(live, &s.db)?;
        }
        all.push(Figures {
            visits: s.visits,
            built: s.built,
            db_bytes: std::fs::metadata(&s.db).map_or(0, |m| m.len()),
            startup: s.startup.median(),
            save: s.save.median(),
            commit: s.commit.median(),
            day_tally: s.day_tally.median(),
            average: s.average.median(),
            report: s.report.median(),
            report_scan: s.report_scan.median(),
            renders: s
                .renders
                .iter()
                .map(|(n, r)| (n.clone(), r.median()))
                .collect(),
            rss_tui,
            rss_tally,
            rss_report,
        });
    }
    // The whole log at once, at the largest size: export, import and
    // re-import as processes, beside SQLite inserting the same rows.
    let bulk = match all.last() {
        Some(big) if big.visits > 0 && !args.no_bulk => {
            println!("  export, import, backup of {} visits…", big.visits);
            Some(bulk::measure(
                &dir.join(format!("bench-{}.db", big.visits)),
                big.visits,
                &dir,
            )?)
        }
        _ => None,
    };
    println!("  the duty screen in a pseudo-terminal, beside a minimal program…");
    let screen = pty::measure(&dir)?;
    table::print_table(&all, args.years, saves);
    table::print_pty(&screen);
    if let Some(b) = &bulk {
        table::print_bulk(b, all.last().and_then(|f| f.rss_report));
    }
    server::run(&server_args(&args))
}

fn server_args(args: &BenchArgs) -> server::ServerArgs {
    server::ServerArgs {
        desks: args.server_desks,
        visits_per_desk: args.server_visits,
    }
}

pub(crate) fn fail(db: &Path, reason: &str) -> Error {
    Error::Output {
        path: db.to_path_buf(),
        reason: tiski::files::Cause::Other(reason.to_string()),
    }
}

/// One keystroke that saves a visit, with the clock moving as in the TUI
/// loop, and the frame redrawn.
fn save_one(live: &mut Live, start_time: NaiveDateTime, db: &Path) -> Result<(), Error> {
    live.saved += 1;
    let app = &mut live.app;
    app.update(Action::Tick(tiski::clock::Now::at(
        start_time + TimeDelta::seconds(live.saved),
    )));
    app.update(Action::ToggleTopic(live.saved as usize % 3));
    app.update(Action::Save);
    draw(&mut live.term, app);
    match app.status.as_ref().filter(|s| s.error) {
        Some(s) => Err(fail(db, &format!("save failed: {}", s.text))),
        None => Ok(()),
    }
}

/// One round of everything measured after the saves, for one size.
fn measure_round(s: &mut Subject, today: NaiveDate) -> Result<(), Error> {
    let live = s.app.as_mut().expect("started above");
    let app = &mut live.app;
    // What the disk alone costs: the smallest durable commit there is.
    let mut n = 0;
    s.commit.extend(sample(COMMIT_RUNS / ROUNDS, || {
        n += 1;
        Ok(app
            .store
            .set_setting("bench.commit_probe", &n.to_string())?)
    })?);
    s.day_tally.extend(sample(TALLY_RUNS / ROUNDS, || {
        Ok(app.store.day_tally_of(None, today)?)
    })?);
    let jan1 = NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("1 January exists");
    s.average.extend(sample(AVERAGE_RUNS / ROUNDS, || {
        Ok(app.store.session_stats(Some(PROFILE), jan1, today)?)
    })?);
    // `tiski report --year` for last year, all desks, less the printing.
    let year = Period::year(today.year() - 1);
    let desks = DeskFilter::default();
    let all = desks.between(year.from, year.to);
    s.report.extend(sample(REPORT_RUNS / ROUNDS, || {
        Ok(app.store.period_report(year, &desks)?)
    })?);
    // The same report counted from every visit of the year, as it was
    // built before the kept counts (and as exports still read): for
    // reference, and as a check that the kept counts agree at this size.
    let mut scanned = None;
    s.report_scan.extend(sample(REPORT_RUNS / ROUNDS, || {
        let data = app.store.period(&all)?;
        let mut r = PeriodReport::build(
            year,
            data.sessions.iter().map(|s| &s.session),
            data.visits.iter().map(|v| &v.visit),
        );
        let ids: HashSet<VisitId> = data.visits.iter().map(|v| v.visit.id).collect();
        for v in app
            .store
            .vouchers_issued_between(None, year.from, year.to)?
        {
            if v.stored_status != Status::Cancelled && v.visit.is_some_and(|id| ids.contains(&id)) {
                *r.vouchers.entry(v.product).or_default() += 1;
            }
        }
        scanned = Some(r);
        Ok(())
    })?);
    if scanned.as_ref() != Some(&app.store.period_report(year, &desks)?) {
        return Err(fail(
            &s.db,
            "the year report from the kept counts differs from the one counted from the visits",
        ));
    }

    let views: [(&str, &[Action], &[Action]); 7] = [
        ("duty", &[], &[]),
        ("tally", &[Action::ShowTally], &[Action::Back]),
        ("help", &[Action::ShowHelp], &[Action::Back]),
        (
            "picker",
            &[Action::Open(PickerKind::Referral)],
            &[Action::ClosePicker],
        ),
        ("report", &[Action::ShowReport], &[Action::Back]),
        (
            "voucher form",
            &[Action::Voucher(VoucherAction::Open)],
            &[Action::Voucher(VoucherAction::Cancel)],
        ),
        (
            "voucher register",
            &[Action::Voucher(VoucherAction::Register)],
            &[Action::Back],
        ),
    ];
    let mut i = 0;
    for (name, enter, leave) in views {
        for a in enter {
            app.update(a.clone());
        }
        for (w, h) in SIZES {
            let mut term = terminal(w, h);
            let frames = sample(RENDER_RUNS / ROUNDS, || {
                draw(&mut term, app);
                Ok(())
            })?;
            match s.renders.get_mut(i) {
                Some((_, r)) => r.extend(frames),
                None => s.renders.push((format!("{name} {w}×{h}"), frames)),
            }
            i += 1;
        }
        for a in leave {
            app.update(a.clone());
        }
        if app.view != View::Duty {
            return Err(fail(&s.db, &format!("the {name} view did not close")));
        }
    }
    Ok(())
}

/// Leaves the database as it was: the saves undone, the empty session
/// the benchmark opened removed.
fn clean_up(live: Live, db: &Path) -> Result<(), Error> {
    let Live {
        mut app,
        session,
        before,
        saved,
        ..
    } = live;
    for _ in 0..saved {
        app.update(Action::Undo);
    }
    let left = app.duty.as_ref().map_or(0, |d| d.counters.today);
    if left != before {
        return Err(fail(db, &format!("{left} visits left after undoing")));
    }
    app.shutdown()?;
    tiski::desk::discard_empty_session(
        &mut app.store,
        session,
        &tiski::desk::Trusted::by_user(tiski::clock::Now::read()),
    )?;
    Ok(())
}

/// The database for `visits`, built unless a matching one is there.
fn prepare(dir: &Path, visits: u64, years: u32) -> Result<(PathBuf, Option<Duration>), Error> {
    let path = dir.join(format!("bench-{visits}.db"));
    if path.exists() {
        let store = Store::open(&path)?;
        let same = store.setting(demo::SETTING_VISITS)? == Some(visits.to_string())
            && store.setting(demo::SETTING_YEARS)? == Some(years.to_string())
            && store.setting(demo::SETTING_FORMAT)?.as_deref() == Some(demo::FORMAT);
        drop(store);
        if same {
            return Ok((path, None));
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
    let mut store = Store::open(&path)?;
    let started = Instant::now();
    let opts = DemoOptions {
        visits,
        years,
        today: now().date(),
        seed: DEFAULT_SEED,
    };
    let now = tiski::desk::Trusted::by_user(tiski::clock::Now::read());
    demo::generate(&mut store, &Config::embedded(), &opts, &now)?;
    Ok((path, Some(started.elapsed())))
}

/// What the TUI does before its first frame, minus the real terminal.
pub(crate) fn start(db: &Path, now: NaiveDateTime) -> Result<App, Error> {
    let config = Config::embedded();
    let store = Store::open(db)?;
    App::opening(store, now)
        .config(config)
        .profile(PROFILE)
        .open()
}

pub(crate) fn terminal(width: u16, height: u16) -> Terminal<TestBackend> {
    let Ok(t) = Terminal::new(TestBackend::new(width, height));
    t
}

pub(crate) fn draw(term: &mut Terminal<TestBackend>, app: &App) {
    let Ok(_) = term.draw(|f| tiski::ui::render(app, f));
}

//! `tiski bench`: the figures of PERFORMANCE.md, measured on this machine.
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
//! and in separate processes (this binary in a hidden child mode), the
//! peak RSS (`VmHWM`) of the TUI's start-up, of `tiski tally` and (for
//! reference, it has no target) of `tiski report --year`.
//!
//! Times are medians of wall-clock time, checked against the targets; the
//! same operations' time on the CPU is printed beside them, with the
//! smallest durable commit alone, so that a slow disk or a busy machine
//! can be told apart from the program's own cost.
//!
//! The visits the benchmark saves are undone and its empty session removed
//! at the end, so a database can be reused run after run.

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::{Action, App, PickerKind, View, VoucherAction};
use crate::commands::{day_tally, now};
use crate::config::Config;
use crate::demo::{self, DEFAULT_SEED, DemoOptions};
use crate::domain::VisitId;
use crate::error::Error;
use crate::i18n::Lang;
use crate::report::period::{Period, PeriodReport};
use crate::store::{PeriodFilter, Store};
use crate::voucher::Status;

/// The desk the benchmark works at.
const PROFILE: &str = "ikaihmiset";
const START_RUNS: usize = 30;
const TALLY_RUNS: usize = 200;
const AVERAGE_RUNS: usize = 1000;
const REPORT_RUNS: usize = 10;
const COMMIT_RUNS: usize = 50;
const RENDER_RUNS: usize = 300;
const SIZES: [(u16, u16); 2] = [(80, 24), (200, 60)];

/// Targets (issue 6).
const SAVE_MAX: Duration = Duration::from_millis(1);
const START_MAX: Duration = Duration::from_millis(30);
const REPORT_MAX: Duration = Duration::from_millis(100);
const RENDER_MAX: Duration = Duration::from_millis(1);
const FLAT_RATIO: f64 = 1.5;
const RSS_MAX_BYTES: u64 = 30_000_000;

/// `tiski bench` options.
#[derive(Debug, Clone, clap::Args)]
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
}

/// What a hidden child process measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Child {
    /// The TUI's start-up and first frame, headless.
    Tui,
    /// `tiski tally` as the shell runs it.
    Tally,
    /// `tiski report --year` for last year, as the shell runs it.
    Report,
}

/// Median wall-clock and on-CPU time of one measured operation.
#[derive(Debug, Clone, Copy, Default)]
struct Sample {
    wall: Duration,
    cpu: Option<Duration>,
}

/// Medians for one database size.
struct Figures {
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
    session: crate::domain::SessionId,
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
        cpu(),
        load_average(),
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
    print_table(&all, args.years, saves);
    Ok(())
}

fn fail(db: &Path, reason: &str) -> Error {
    Error::Output {
        path: db.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// One keystroke that saves a visit, with the clock moving as in the TUI
/// loop, and the frame redrawn.
fn save_one(live: &mut Live, start_time: NaiveDateTime, db: &Path) -> Result<(), Error> {
    live.saved += 1;
    let app = &mut live.app;
    app.update(Action::Tick(start_time + TimeDelta::seconds(live.saved)));
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
        day_tally(&app.store, None, today)
    })?);
    let jan1 = NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("1 January exists");
    s.average.extend(sample(AVERAGE_RUNS / ROUNDS, || {
        Ok(app.store.session_stats(Some(PROFILE), jan1, today)?)
    })?);
    // `tiski report --year` for last year, all desks, less the printing.
    let year = Period::year(today.year() - 1);
    let all = PeriodFilter {
        from: year.from,
        to: year.to,
        profile: None,
        location: None,
        device: None,
    };
    s.report.extend(sample(REPORT_RUNS / ROUNDS, || {
        Ok(app.store.period_report(year.kind, &all)?)
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
    if scanned.as_ref() != Some(&app.store.period_report(year.kind, &all)?) {
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
    app.store.discard_empty_session(session)?;
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
    demo::generate(&mut store, &Config::embedded(), &opts)?;
    Ok((path, Some(started.elapsed())))
}

/// What the TUI does before its first frame, minus the real terminal.
fn start(db: &Path, now: NaiveDateTime) -> Result<App, Error> {
    let config = Config::embedded();
    let store = Store::open(db)?;
    App::new(config, Lang::Fi, store, now, Some(PROFILE), None)
}

fn terminal(width: u16, height: u16) -> Terminal<TestBackend> {
    let Ok(t) = Terminal::new(TestBackend::new(width, height));
    t
}

fn draw(term: &mut Terminal<TestBackend>, app: &App) {
    let Ok(_) = term.draw(|f| crate::ui::render(app, f));
}

/// A hidden child process: does the work, then prints its peak RSS.
pub fn child(what: Child, db: &Path) -> Result<(), Error> {
    match what {
        Child::Tui => {
            let app = start(db, now())?;
            draw(&mut terminal(80, 24), &app);
        }
        Child::Tally => {
            let args: Vec<OsString> =
                vec!["tiski".into(), "--db".into(), db.into(), "tally".into()];
            crate::cli::run(<crate::cli::Cli as clap::Parser>::parse_from(args))
                .map_err(|f| f.error)?;
        }
        Child::Report => {
            let year = (now().date().year() - 1).to_string();
            let args: Vec<OsString> = vec![
                "tiski".into(),
                "--db".into(),
                db.into(),
                "report".into(),
                "--year".into(),
                year.into(),
            ];
            crate::cli::run(<crate::cli::Cli as clap::Parser>::parse_from(args))
                .map_err(|f| f.error)?;
        }
    }
    match peak_rss_kib() {
        Some(kib) => println!("VmHWM: {kib} kB"),
        None => println!("VmHWM: unknown"),
    }
    Ok(())
}

/// Peak resident set of this process, from /proc (Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Runs this binary as a child and reads its peak RSS in bytes.
fn child_rss(db: &Path, what: Child) -> Result<Option<u64>, Error> {
    let exe = std::env::current_exe()?;
    let mode = match what {
        Child::Tui => "tui",
        Child::Tally => "tally",
        Child::Report => "report",
    };
    let out = Command::new(exe)
        .arg("--db")
        .arg(db)
        .args(["bench-child", mode])
        .output()?;
    if !out.status.success() {
        return Err(Error::Output {
            path: db.to_path_buf(),
            reason: format!(
                "bench child {mode} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kib| kib * 1024))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// Wall-clock and on-CPU times of some calls.
#[derive(Debug, Default)]
struct Samples {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
}

impl Samples {
    fn extend(&mut self, more: Samples) {
        self.wall.extend(more.wall);
        self.cpu.extend(more.cpu);
    }

    fn median(&self) -> Sample {
        Sample {
            wall: median(self.wall.clone()),
            cpu: (!self.cpu.is_empty()).then(|| median(self.cpu.clone())),
        }
    }
}

/// Times `runs` calls: wall-clock, and time on the CPU (this thread:
/// without waiting for the disk or for other processes). What a call
/// returns is dropped after the clocks stop.
fn sample<T>(runs: usize, mut f: impl FnMut() -> Result<T, Error>) -> Result<Samples, Error> {
    let mut s = Samples::default();
    for _ in 0..runs.max(1) {
        let c0 = cpu_time();
        let t = Instant::now();
        let out = f()?;
        s.wall.push(t.elapsed());
        if let (Some(a), Some(b)) = (c0, cpu_time()) {
            s.cpu.push(b.saturating_sub(a));
        }
        drop(out);
    }
    Ok(s)
}

/// Time this thread has spent on a CPU, from the kernel's per-thread
/// clock (exact, unlike /proc's tick-based figures); Linux only.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn cpu_time() -> Option<Duration> {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    unsafe extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the struct it is given, which is
    // laid out as the C `struct timespec` of 64-bit Linux.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32))
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn cpu_time() -> Option<Duration> {
    None
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.3} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

fn mb(bytes: Option<u64>) -> String {
    bytes.map_or("n/a".into(), |b| format!("{:.1} MB", b as f64 / 1e6))
}

fn cpu() -> String {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{model}, {cores} cores")
}

/// The 1-minute load average: other work on the machine skews the figures.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "n/a".into())
}

/// One line of the table.
struct Row {
    what: String,
    values: Vec<String>,
    target: String,
    pass: Option<bool>,
}

impl Row {
    fn info(what: &str, values: Vec<String>) -> Row {
        Row {
            what: what.into(),
            values,
            target: String::new(),
            pass: None,
        }
    }
}

/// A timed operation: its name and where its sample is.
type Timed = (String, fn(&Figures) -> Sample);

fn print_table(all: &[Figures], years: u32, saves: usize) {
    let (Some(small), Some(big)) = (all.first(), all.last()) else {
        return;
    };
    let big_n = thousands(big.visits);
    let small_n = thousands(small.visits);
    let wall = |get: fn(&Figures) -> Sample| all.iter().map(|f| ms(get(f).wall)).collect();
    let flat = |get: fn(&Figures) -> Sample| {
        get(big).wall.as_secs_f64() <= FLAT_RATIO * get(small).wall.as_secs_f64()
    };
    let at_most = |max: Duration| format!("≤ {} at {big_n}", ms(max));
    let timed: Vec<Timed> = vec![
        ("start-up to first frame (80×24)".into(), |f| f.startup),
        ("save a visit + redraw".into(), |f| f.save),
        ("durable commit alone (the disk)".into(), |f| f.commit),
        ("day tally (all profiles)".into(), |f| f.day_tally),
        ("running average (year to date)".into(), |f| f.average),
        ("year report (tiski report --year)".into(), |f| f.report),
        ("year report counted from every visit".into(), |f| {
            f.report_scan
        }),
    ];
    let mut rows = vec![
        Row {
            what: timed[0].0.clone(),
            values: wall(|f| f.startup),
            target: at_most(START_MAX),
            pass: Some(big.startup.wall <= START_MAX),
        },
        Row {
            what: timed[1].0.clone(),
            values: wall(|f| f.save),
            target: at_most(SAVE_MAX),
            pass: Some(big.save.wall <= SAVE_MAX),
        },
        Row::info(&timed[2].0, wall(|f| f.commit)),
        Row {
            what: timed[3].0.clone(),
            values: wall(|f| f.day_tally),
            target: format!("≤ {FLAT_RATIO}× of {small_n}"),
            pass: Some(flat(|f| f.day_tally)),
        },
        Row {
            what: timed[4].0.clone(),
            values: wall(|f| f.average),
            target: format!("≤ {FLAT_RATIO}× of {small_n}"),
            pass: Some(flat(|f| f.average)),
        },
        Row {
            what: timed[5].0.clone(),
            values: wall(|f| f.report),
            target: at_most(REPORT_MAX),
            pass: Some(big.report.wall <= REPORT_MAX),
        },
        Row::info(&timed[6].0, wall(|f| f.report_scan)),
    ];
    for (i, (name, _)) in small.renders.iter().enumerate() {
        let worst = all.iter().map(|f| f.renders[i].1.wall).max();
        rows.push(Row {
            what: format!("render {name}"),
            values: all.iter().map(|f| ms(f.renders[i].1.wall)).collect(),
            target: format!("≤ {} each", ms(RENDER_MAX)),
            pass: Some(worst.unwrap_or_default() <= RENDER_MAX),
        });
    }
    let rss_ok = |b: Option<u64>| b.map(|b| b <= RSS_MAX_BYTES);
    rows.push(Row {
        what: "peak RSS, TUI start-up".into(),
        values: all.iter().map(|f| mb(f.rss_tui)).collect(),
        target: format!("≤ 30 MB at {big_n}"),
        pass: rss_ok(big.rss_tui),
    });
    rows.push(Row {
        what: "peak RSS, tiski tally".into(),
        values: all.iter().map(|f| mb(f.rss_tally)).collect(),
        target: format!("≤ 30 MB at {big_n}"),
        pass: rss_ok(big.rss_tally),
    });
    rows.push(Row::info(
        "peak RSS, tiski report --year",
        all.iter().map(|f| mb(f.rss_report)).collect(),
    ));
    rows.push(Row::info(
        "database file",
        all.iter().map(|f| mb(Some(f.db_bytes))).collect(),
    ));
    rows.push(Row::info(
        "demo build",
        all.iter()
            .map(|f| {
                f.built
                    .map_or("reused".into(), |d| format!("{:.1} s", d.as_secs_f64()))
            })
            .collect(),
    ));
    let headers: Vec<String> = all
        .iter()
        .map(|f| format!("{} visits", thousands(f.visits)))
        .collect();

    println!();
    println!(
        "Wall-clock medians over {START_RUNS} start-ups, {saves} saves, {COMMIT_RUNS} commits, {TALLY_RUNS} tallies, {AVERAGE_RUNS} averages, {REPORT_RUNS} reports, {RENDER_RUNS} frames; {years} years of history."
    );
    let failed = print_rows(&headers, &rows, true);

    // The same operations on the CPU: what the program costs, without
    // waiting for the disk or for other processes on a busy machine.
    let cpu = |s: Sample| s.cpu.map_or("n/a".into(), ms);
    let mut cpu_rows: Vec<Row> = timed
        .iter()
        .map(|(name, get)| Row::info(name, all.iter().map(|f| cpu(get(f))).collect()))
        .collect();
    for (i, (name, _)) in small.renders.iter().enumerate() {
        cpu_rows.push(Row::info(
            &format!("render {name}"),
            all.iter().map(|f| cpu(f.renders[i].1)).collect(),
        ));
    }
    println!();
    println!(
        "On-CPU medians of the same (this thread; no waiting for the disk or other processes):"
    );
    print_rows(&headers, &cpu_rows, false);

    println!();
    if failed == 0 {
        println!("All targets met.");
    } else {
        println!("{failed} target(s) missed.");
    }
}

/// Prints a Markdown table; returns how many rows failed their target.
fn print_rows(headers: &[String], rows: &[Row], with_targets: bool) -> usize {
    let w0 = rows
        .iter()
        .map(|r| r.what.chars().count())
        .max()
        .unwrap_or(0);
    let wv: Vec<usize> = (0..headers.len())
        .map(|i| {
            rows.iter()
                .map(|r| r.values[i].chars().count())
                .chain([headers[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let wt = rows
        .iter()
        .map(|r| r.target.chars().count())
        .chain(["target".len()])
        .max()
        .unwrap_or(0);
    let mut line = format!("| {:w0$} |", "");
    let mut sep = format!("|{}|", "-".repeat(w0 + 2));
    for (h, w) in headers.iter().zip(&wv) {
        line += &format!(" {h:>w$} |");
        sep += &format!("{}:|", "-".repeat(w + 1));
    }
    if with_targets {
        line += &format!(" {:wt$} | result |", "target");
        sep += &format!("{}|--------|", "-".repeat(wt + 2));
    }
    println!("{line}");
    println!("{sep}");
    let mut failed = 0;
    for r in rows {
        let mut line = format!("| {:w0$} |", r.what);
        for (v, w) in r.values.iter().zip(&wv) {
            line += &format!(" {v:>w$} |");
        }
        if with_targets {
            let verdict = match r.pass {
                Some(true) => "PASS",
                Some(false) => {
                    failed += 1;
                    "FAIL"
                }
                None => "",
            };
            line += &format!(" {:wt$} | {verdict:6} |", r.target);
        }
        println!("{line}");
    }
    failed
}

/// 1000000 → "1 000 000".
fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_spaced() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(100_000), "100 000");
        assert_eq!(thousands(1_000_000), "1 000 000");
    }
}

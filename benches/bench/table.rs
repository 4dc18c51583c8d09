//! The table the benchmark prints: each figure per size, against its target.

use std::time::Duration;

use super::measure::Sample;
use super::{
    AVERAGE_RUNS, COMMIT_RUNS, FLAT_RATIO, Figures, RENDER_MAX, RENDER_RUNS, REPORT_MAX,
    REPORT_RUNS, RSS_MAX_BYTES, SAVE_MAX, START_MAX, START_RUNS, TALLY_RUNS,
};

pub fn ms(d: Duration) -> String {
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

pub fn cpu() -> String {
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
pub fn load_average() -> String {
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

pub fn print_table(all: &[Figures], years: u32, saves: usize) {
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

//! The table the benchmark prints: each figure per size, against its target.

use std::time::Duration;

use super::bulk::{
    BULK_RSS_MAX_BYTES, Bulk, EXPORT_MIN_BYTES_PER_S, IMPORT_MAX_RATIO, IMPORT_MIN_PER_S,
    REIMPORT_MIN_PER_S,
};
use super::measure::Sample;
use super::pty::{PtyFigures, SAVE_MAX_RATIO, SAVES, START_MAX_RATIO, STARTS};
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
    // An absolute target is met by the program's own cost: its time on the
    // CPU, without waiting for a core on a shared machine or for the disk's
    // flush (the durable commit alone, below, shows what the disk costs).
    let own = |s: Sample| s.cpu.unwrap_or(s.wall);
    let at_most = |max: Duration| format!("≤ {} on the CPU at {big_n}", ms(max));
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
            pass: Some(own(big.startup) <= START_MAX),
        },
        Row {
            what: timed[1].0.clone(),
            values: wall(|f| f.save),
            target: at_most(SAVE_MAX),
            pass: Some(own(big.save) <= SAVE_MAX),
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
            pass: Some(own(big.report) <= REPORT_MAX),
        },
        Row::info(&timed[6].0, wall(|f| f.report_scan)),
    ];
    for (i, (name, _)) in small.renders.iter().enumerate() {
        let worst = all.iter().map(|f| own(f.renders[i].1)).max();
        rows.push(Row {
            what: format!("render {name}"),
            values: all.iter().map(|f| ms(f.renders[i].1.wall)).collect(),
            target: format!("≤ {} each on the CPU", ms(RENDER_MAX)),
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
    rows.push(Row {
        what: "peak RSS, tiski report --year".into(),
        values: all.iter().map(|f| mb(f.rss_report)).collect(),
        target: format!("≤ 100 MB at {big_n}"),
        pass: big.rss_report.map(|b| b <= super::REPORT_RSS_MAX_BYTES),
    });
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
        "Wall-clock medians over {START_RUNS} start-ups, {saves} saves, {COMMIT_RUNS} commits, {TALLY_RUNS} tallies, {AVERAGE_RUNS} averages, {REPORT_RUNS} reports, {RENDER_RUNS} frames; {years} years of history. A target in milliseconds is met by the on-CPU median (the next table): the program's own cost, without waiting for a core or the disk."
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

/// The duty screen through a real pseudo-terminal, beside the minimal
/// program.
pub fn print_pty(p: &PtyFigures) {
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    let save = ratio(p.tiski.save, p.minimal.save);
    let start = ratio(p.tiski.start, p.minimal.start);
    let rows = vec![
        Row {
            what: "Enter → new count on screen".into(),
            values: vec![ms(p.tiski.save), ms(p.minimal.save), format!("{save:.2}×")],
            target: format!("≤ {SAVE_MAX_RATIO}×"),
            pass: Some(save <= SAVE_MAX_RATIO),
        },
        Row {
            what: "start-up to first frame".into(),
            values: vec![
                ms(p.tiski.start),
                ms(p.minimal.start),
                format!("{start:.2}×"),
            ],
            target: format!("≤ {START_MAX_RATIO}×"),
            pass: Some(start <= START_MAX_RATIO),
        },
        Row {
            what: "CPU while idle for 3 s".into(),
            values: vec![ms(p.tiski.idle_cpu), ms(p.minimal.idle_cpu), String::new()],
            // Two of the kernel's 10 ms clock ticks: the screen draws when
            // what it shows changes (its clock's minute), not on its ticks.
            target: "≤ 20 ms (no busy wait)".into(),
            pass: Some(p.tiski.idle_cpu <= Duration::from_millis(20)),
        },
    ];
    println!();
    println!(
        "The duty screen through a real pseudo-terminal (80×24), medians of {STARTS} start-ups and \
         {SAVES} saves, the two programs in turns:"
    );
    let headers = [
        "tiski".to_string(),
        "minimal".to_string(),
        "ratio".to_string(),
    ];
    let failed = print_rows(&headers, &rows, true);
    println!();
    if failed == 0 {
        println!("All targets of the screen met.");
    } else {
        println!("{failed} target(s) of the screen missed.");
    }
}

/// The whole log at once: export, import, re-import and backup of the
/// largest database as processes, and the bulk insert beside the import.
pub fn print_bulk(b: &Bulk, report_rss: Option<u64>) {
    let n = b.visits as f64;
    let rate = |d: Duration| n / d.as_secs_f64();
    let per_s = |d: Duration| format!("{} visits/s", thousands(rate(d) as u64));
    let secs = |d: Duration| format!("{:.2} s", d.as_secs_f64());
    let rss_ok = |r: Option<u64>| r.map(|r| r <= BULK_RSS_MAX_BYTES);
    let export_rate = b.export_bytes as f64 / b.export.time.as_secs_f64();
    let ratio = b.import.time.as_secs_f64() / b.insert.as_secs_f64();
    let rows = vec![
        Row {
            what: "tiski export --format jsonl".into(),
            values: vec![
                secs(b.export.time),
                format!("{:.0} MB/s", export_rate / 1e6),
                mb(b.export.rss),
            ],
            target: "≥ 100 MB/s, ≤ 100 MB".into(),
            pass: Some(export_rate >= EXPORT_MIN_BYTES_PER_S && rss_ok(b.export.rss) == Some(true)),
        },
        Row {
            what: "tiski import (into an empty database)".into(),
            values: vec![secs(b.import.time), per_s(b.import.time), mb(b.import.rss)],
            target: "≥ 100 000/s, ≤ 100 MB".into(),
            pass: Some(
                rate(b.import.time) >= IMPORT_MIN_PER_S && rss_ok(b.import.rss) == Some(true),
            ),
        },
        Row::info(
            "minimal: SQLite inserting the same rows",
            vec![secs(b.insert), per_s(b.insert), String::new()],
        ),
        Row {
            what: "import ÷ minimal".into(),
            values: vec![format!("{ratio:.2}×"), String::new(), String::new()],
            target: format!("≤ {IMPORT_MAX_RATIO}×"),
            pass: Some(ratio <= IMPORT_MAX_RATIO),
        },
        Row {
            what: "tiski import again (all already there)".into(),
            values: vec![
                secs(b.reimport.time),
                per_s(b.reimport.time),
                mb(b.reimport.rss),
            ],
            target: "≥ 200 000/s, ≤ 100 MB".into(),
            pass: Some(
                rate(b.reimport.time) >= REIMPORT_MIN_PER_S && rss_ok(b.reimport.rss) == Some(true),
            ),
        },
        Row {
            what: "tiski backup".into(),
            values: vec![secs(b.backup.time), String::new(), mb(b.backup.rss)],
            target: "≤ 100 MB".into(),
            pass: rss_ok(b.backup.rss),
        },
        Row {
            what: "tiski report --year".into(),
            values: vec![String::new(), String::new(), mb(report_rss)],
            target: "≤ 100 MB".into(),
            pass: rss_ok(report_rss),
        },
    ];
    println!();
    println!(
        "The whole log of {} visits as processes of the real binary ({:.0} MB of JSONL):",
        thousands(b.visits),
        b.export_bytes as f64 / 1e6
    );
    let headers = [
        "time".to_string(),
        "rate".to_string(),
        "peak RSS".to_string(),
    ];
    let failed = print_rows(&headers, &rows, true);
    println!();
    if failed == 0 {
        println!("All targets of the whole log met.");
    } else {
        println!("{failed} target(s) of the whole log missed.");
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

//! Peak memory of separate processes: the real `tiski` binary for
//! `tally` and `report`, and this benchmark in its child mode for the TUI's
//! start-up (which needs no terminal here, but does what `tiski` does
//! before its first frame).
//!
//! The peak is `VmHWM` from `/proc/PID/status`, which starts afresh at
//! `exec`: the child prints its own at the end (the TUI child), or the
//! parent reads the real binary's every 100 µs until it exits and keeps the
//! largest. `ru_maxrss` from `wait4` would not do: it keeps the resident
//! set of the forked copy of this benchmark from before the `exec`.

use std::path::Path;
use std::process::{Command, Stdio};

use chrono::Datelike;
use tiski::clock::now;
use tiski::error::Error;

use super::{draw, fail, start, terminal};

/// The argument that runs this benchmark as the TUI child.
pub const TUI_CHILD: &str = "--child-tui";

/// What a child process measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Child {
    /// The TUI's start-up and first frame, headless.
    Tui,
    /// `tiski tally` as the shell runs it.
    Tally,
    /// `tiski report --year` for last year, as the shell runs it.
    Report,
}

/// The TUI child: starts, draws, and prints its peak.
pub fn tui_child(db: &Path) -> Result<(), Error> {
    let app = start(db, now())?;
    draw(&mut terminal(80, 24), &app);
    match peak_kib(std::process::id()) {
        Some(kib) => println!("VmHWM: {kib} kB"),
        None => println!("VmHWM: unknown"),
    }
    Ok(())
}

/// `VmHWM` of a process, from /proc (Linux).
pub fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Runs the child and returns its peak resident set in bytes.
pub fn child_rss(db: &Path, what: Child) -> Result<Option<u64>, Error> {
    if what == Child::Tui {
        let out = Command::new(std::env::current_exe()?)
            .arg(TUI_CHILD)
            .arg(db)
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()?;
        if !out.status.success() {
            return Err(fail(db, "the TUI child process failed"));
        }
        return Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .rev()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kib| kib * 1024));
    }
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tiski"));
    cmd.arg("--db").arg(db);
    if what == Child::Tally {
        cmd.arg("tally");
    } else {
        let year = (now().date().year() - 1).to_string();
        cmd.args(["report", "--year", &year]);
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?;
    let mut peak = None;
    let status = loop {
        if let Some(kib) = peak_kib(child.id()) {
            peak = peak.max(Some(kib));
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_micros(100));
    };
    if !status.success() {
        return Err(fail(db, &format!("the {what:?} child process failed")));
    }
    Ok(peak.map(|kib| kib * 1024))
}

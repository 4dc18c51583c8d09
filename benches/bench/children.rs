//! Peak memory of separate processes: the real `tiski` binary for
//! `tally` and `report` (its maximum resident set from `wait4`), and this
//! benchmark in its child mode for the TUI's start-up (which needs no
//! terminal here, but does what `tiski` does before its first frame).

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

/// The TUI child: starts, draws, and ends; the parent reads its peak.
pub fn tui_child(db: &Path) -> Result<(), Error> {
    let app = start(db, now())?;
    draw(&mut terminal(80, 24), &app);
    Ok(())
}

/// Runs the child and returns its peak resident set in bytes.
pub fn child_rss(db: &Path, what: Child) -> Result<Option<u64>, Error> {
    let mut cmd = match what {
        Child::Tui => {
            let mut c = Command::new(std::env::current_exe()?);
            c.arg(TUI_CHILD).arg(db);
            c
        }
        Child::Tally | Child::Report => {
            let mut c = Command::new(env!("CARGO_BIN_EXE_tiski"));
            c.arg("--db").arg(db);
            if what == Child::Tally {
                c.arg("tally");
            } else {
                let year = (now().date().year() - 1).to_string();
                c.args(["report", "--year", &year]);
            }
            c
        }
    };
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?;
    let (ok, peak) = wait_with_peak(child)?;
    if !ok {
        return Err(fail(db, &format!("the {what:?} child process failed")));
    }
    Ok(peak)
}

/// Waits for the child; whether it succeeded, and its peak resident set.
#[cfg(target_os = "linux")]
fn wait_with_peak(child: std::process::Child) -> Result<(bool, Option<u64>), Error> {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of the C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, writing only the two locals given.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if rc != pid {
        return Err(std::io::Error::last_os_error().into());
    }
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    // Linux reports ru_maxrss in KiB.
    Ok((ok, u64::try_from(usage.ru_maxrss).ok().map(|k| k * 1024)))
}

/// Elsewhere the peak is not read; the table says `n/a`.
#[cfg(not(target_os = "linux"))]
fn wait_with_peak(mut child: std::process::Child) -> Result<(bool, Option<u64>), Error> {
    Ok((child.wait()?.success(), None))
}

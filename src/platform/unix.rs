//! Unix: modes 0600 / 0700, statfs for network file systems, signals
//! through signal-hook, poll(2) on /dev/tty for the hang-up, and `lp` for
//! the printer.

use std::fs::OpenOptions;
use std::io;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::{Access, FileId, PrintFailure};

pub fn private_file_options(opts: &mut OpenOptions) -> &mut OpenOptions {
    opts.mode(0o600)
}

pub fn make_private(path: &Path, dir: bool) -> io::Result<()> {
    let mode = if dir { 0o700 } else { 0o600 };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

pub fn open_no_follow(path: &Path) -> io::Result<std::fs::File> {
    OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

pub fn is_own(meta: &std::fs::Metadata) -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    meta.uid() == unsafe { libc::geteuid() }
}

pub fn sync_dir(dir: &Path) {
    let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
}

pub fn access(path: &Path) -> io::Result<Access> {
    Ok(Access::Mode(
        std::fs::metadata(path)?.permissions().mode() & 0o777,
    ))
}

pub fn fix_command(path: &Path, dir: bool) -> String {
    let mode = if dir { "700" } else { "600" };
    format!("chmod {mode} {}", shell_quote(&path.display().to_string()))
}

/// A path as one word for a POSIX shell.
fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+,:@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

pub fn link_count(f: &std::fs::File) -> io::Result<u64> {
    Ok(f.metadata()?.nlink())
}

pub fn retry_busy<T>(mut op: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    op()
}

pub fn file_id(path: &Path) -> io::Result<FileId> {
    let m = std::fs::metadata(path)?;
    Ok(FileId {
        device: m.dev(),
        file: m.ino(),
    })
}

pub fn network_kind(dir: &Path) -> Option<String> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: statfs fills the zeroed struct we own; the path is a valid C string.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    #[allow(clippy::unnecessary_cast)] // f_type is i64 on some targets only
    fs_type_name(st.f_type as i64).map(str::to_string)
}

/// Names the network file systems among statfs magic numbers.
pub fn fs_type_name(magic: i64) -> Option<&'static str> {
    match magic as u32 {
        0x6969 => Some("NFS"),
        0x517B => Some("SMB"),
        0xFF53_4D42 => Some("CIFS"),
        0xFE53_4D42 => Some("SMB2"),
        0x6B41_4653 => Some("AFS"),
        0x7375_7245 => Some("Coda"),
        _ => None,
    }
}

pub fn protect_secret(secret: &[u8]) -> io::Result<Vec<u8>> {
    Ok(secret.to_vec())
}

pub fn unprotect_secret(stored: &[u8]) -> io::Result<Vec<u8>> {
    Ok(stored.to_vec())
}

pub fn libpq_files() -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    let home = directories::BaseDirs::new()?.home_dir().to_path_buf();
    Some((home.join(".pgpass"), home.join(".pg_service.conf")))
}

pub fn on_stop(stop: Arc<AtomicBool>) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    const STOPS: [i32; 4] = [SIGTERM, SIGHUP, SIGINT, SIGQUIT];
    for sig in STOPS {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    // A thread asleep in the kernel until one of them comes (signal-hook's
    // self-pipe), then the grace before the process ends anyway.
    let mut signals = signal_hook::iterator::Signals::new(STOPS)?;
    std::thread::Builder::new()
        .name("tiski-stop".into())
        .spawn(move || {
            if signals.forever().next().is_some() {
                super::exit_after_grace();
            }
        })?;
    Ok(())
}

pub fn stopped_cleanly() {}

pub fn init_process() {
    // Like other Unix tools, end quietly when a pipe reader goes away
    // (`tiski config | head`) instead of panicking on the write.
    // SAFETY: restoring a signal's default disposition at start-up, before
    // any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Sends `hung_up()` over `tx` when the controlling terminal hangs up (a
/// closed window, a dropped SSH link): a thread blocks in `poll(2)` on
/// `/dev/tty` asking for nothing else, which the kernel wakes only then.
/// crossterm's reader, which reads the same terminal, would spin on the
/// end-of-file a hung-up terminal returns; this ends the loop instead.
pub fn watch_hang_up<T: Send + 'static>(
    tx: std::sync::mpsc::Sender<T>,
    hung_up: impl FnOnce() -> T + Send + 'static,
) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    // The controlling terminal, never a database file: its descriptor
    // carries no lock of SQLite's.
    let tty = std::fs::File::open("/dev/tty")?;
    std::thread::Builder::new()
        .name("tiski-hang-up".into())
        .spawn(move || {
            let mut pfd = libc::pollfd {
                fd: tty.as_raw_fd(),
                events: 0,
                revents: 0,
            };
            loop {
                // SAFETY: one valid pollfd that we own, for the duration of
                // the call; no timeout.
                let n = unsafe { libc::poll(&mut pfd, 1, -1) };
                if n < 0 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                if n != 0 {
                    // Only a hang-up (or a descriptor gone) wakes it.
                    let _ = tx.send(hung_up());
                    return;
                }
            }
        })?;
    Ok(())
}

pub const PRINT_COMMAND: &str = "lp";

/// `lp FILE` (CUPS, and the lp of other Unixes): the default printer, one
/// copy. `path` is absolute, so it cannot be taken for an option.
pub fn print_file(path: &Path) -> Result<(), PrintFailure> {
    let out = std::process::Command::new(PRINT_COMMAND)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .output();
    match out {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(PrintFailure::Missing),
        Err(e) => Err(PrintFailure::CannotRun(e.kind())),
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(PrintFailure::Refused(
            super::first_line(&o.stderr)
                .or_else(|| super::first_line(&o.stdout))
                .unwrap_or_else(|| o.status.to_string()),
        )),
    }
}

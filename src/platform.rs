//! Everything that differs between Unix and Windows, behind a few small
//! functions: files and folders readable by the user alone, who else can
//! read a file (for `tiski doctor`), a file's identity, the network-drive
//! check, the voucher secret's protection at rest, the "stop now" signals
//! and console events, waiting for the terminal, and sending a file to the
//! default printer. The rest of tiski
//! calls these and never names an operating system.

use std::fs::OpenOptions;
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::time::Duration;

use ratatui::crossterm::event::Event;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as imp;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as imp;

/// Who besides the user can reach a file or folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Unix permission bits (the `0o777` part).
    Mode(u32),
    /// Windows: the accounts other than the user (and the system itself:
    /// SYSTEM, Administrators) that the file's ACL lets in.
    Acl { others: Vec<String> },
}

impl Access {
    /// Readable by the user alone.
    pub fn is_private(&self) -> bool {
        match self {
            Access::Mode(m) => m & 0o077 == 0,
            Access::Acl { others } => others.is_empty(),
        }
    }
}

/// A file's identity (device and inode on Unix, volume and file index on
/// Windows): two paths name the same file when these are equal, whatever
/// links, `..` or letter case they take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileId {
    pub device: u64,
    pub file: u64,
}

/// Sets `opts` so that a file it creates is the user's alone from the first
/// byte (mode 0600 on Unix; on Windows the folder's owner-only ACL is
/// inherited, and [`make_private`] sets the file's own).
pub fn private_file_options(opts: &mut OpenOptions) -> &mut OpenOptions {
    imp::private_file_options(opts)
}

/// Makes a file (`dir = false`) or folder readable by the user alone: mode
/// 0600 / 0700, or an owner-only ACL on Windows (inherited by what the
/// folder will hold).
pub fn make_private(path: &Path, dir: bool) -> io::Result<()> {
    imp::make_private(path, dir)
}

/// Creates `dir` and its missing parents, each readable by the user alone;
/// folders that already exist are left as they are.
pub fn create_private_dir_all(dir: &Path) -> io::Result<()> {
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(d) = at.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        missing.push(d.to_path_buf());
        at = d.parent();
    }
    for d in missing.iter().rev() {
        match std::fs::create_dir(d) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            other => other?,
        }
        make_private(d, true)?;
    }
    Ok(())
}

/// tiski's folders in the user's profile (`%LOCALAPPDATA%` on Windows,
/// `~/.local/share`, `~/.config`, `~/.cache` on Linux), or `None` when the
/// profile's folder is unknown or not an absolute path: with `HOME=.` the
/// database would follow the working folder from one command to the next.
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("fi", "tiski", "tiski")
        .filter(|d| d.data_local_dir().is_absolute() && d.config_dir().is_absolute())
}

/// The user's home and documents folders, when the home is absolute.
pub fn user_dirs() -> Option<directories::UserDirs> {
    directories::UserDirs::new().filter(|d| d.home_dir().is_absolute())
}

/// A folder only the user can write, for lock files that must not live in
/// the shared temp folder (where another user could make the file first
/// and hold its lock): tiski's cache folder, made private if missing.
pub fn private_lock_dir() -> Option<std::path::PathBuf> {
    let dir = project_dirs()?.cache_dir().join("locks");
    create_private_dir_all(&dir).ok()?;
    Some(dir)
}

/// Opens an existing file for writing, refusing (not following) a
/// symbolic link at `path`: for overwriting tiski's own temporary files,
/// where a link put in their place must not lead the zeros elsewhere.
pub fn open_no_follow(path: &Path) -> io::Result<std::fs::File> {
    imp::open_no_follow(path)
}

/// How many names (hard links) the open file has: a temporary name that
/// is a second link to a file put in place (a command stopped between
/// linking it in and removing the temporary name) must never be
/// overwritten, only its name removed.
pub fn link_count(f: &std::fs::File) -> io::Result<u64> {
    imp::link_count(f)
}

/// Runs a rename, link or removal again while another program has the
/// file open for a moment (Windows refuses them with a sharing violation
/// while an antivirus scanner, the search indexer or another tiski's look
/// has a new file open; SQLite retries its own the same way): up to ten
/// times over about a second and a half. Elsewhere once.
pub fn retry_busy<T>(op: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    imp::retry_busy(op)
}

/// Whether a file, as `symlink_metadata` saw it, belongs to the user
/// running tiski (Unix: its owner; Windows: the user's own folders hold
/// only the user's files).
pub fn is_own(meta: &std::fs::Metadata) -> bool {
    imp::is_own(meta)
}

/// Syncs a folder, so a rename in it is on disk (Unix; on Windows the
/// rename itself is, and a folder cannot be opened to sync).
pub fn sync_dir(dir: &Path) {
    imp::sync_dir(dir)
}

/// Who can reach `path` besides the user.
pub fn access(path: &Path) -> io::Result<Access> {
    imp::access(path)
}

/// The command a user runs to make `path` theirs alone (`chmod 600 …`,
/// `icacls …`), for `tiski doctor`.
pub fn fix_command(path: &Path, dir: bool) -> String {
    imp::fix_command(path, dir)
}

/// The real path of an existing file or folder (links and `..` resolved),
/// as the user would write it: on Windows without the `\\?\` prefix that
/// resolving adds (`\\?\C:\x` → `C:\x`, `\\?\UNC\srv\share` →
/// `\\srv\share`). `None` when it does not exist.
pub fn real_path(path: &Path) -> Option<std::path::PathBuf> {
    let real = path.canonicalize().ok()?;
    // A name that is not Unicode (a Unix folder in Latin-1) is kept as it
    // is: only Windows' prefix, which is plain text, is taken off.
    Some(match real.to_str() {
        Some(s) => std::path::PathBuf::from(plain_verbatim(s)),
        None => real,
    })
}

/// A path without Windows' verbatim prefix.
fn plain_verbatim(p: &str) -> String {
    if let Some(rest) = p.strip_prefix(r"\\?\UNC\") {
        format!(r"\\{rest}")
    } else if let Some(rest) = p.strip_prefix(r"\\?\") {
        rest.to_string()
    } else {
        p.to_string()
    }
}

/// A `file:` URI for SQLite naming `path` (made absolute): `file:///tmp/x`,
/// `file:///C:/x`, `file:////srv/share/x`; the characters URIs reserve,
/// controls and every byte outside ASCII are percent-encoded (SQLite
/// decodes them back to the same bytes), so a folder
/// whose name is not UTF-8 (Unix) is still the same folder to SQLite.
pub fn sqlite_uri(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let os = abs.into_os_string();
    let bytes: Vec<u8> = match os.to_str() {
        Some(s) => plain_verbatim(s).replace('\\', "/").into_bytes(),
        // Unix's raw bytes; Windows' WTF-8 of an unpaired surrogate.
        None => os.as_encoded_bytes().to_vec(),
    };
    let mut uri = String::from("file://");
    if bytes.first() != Some(&b'/') {
        uri.push('/');
    }
    for &b in &bytes {
        match b {
            b'?' | b'#' | b'%' | 0..=0x1f | 0x7f.. => uri.push_str(&format!("%{b:02X}")),
            b => uri.push(char::from(b)),
        }
    }
    uri
}

/// A file name as the file system compares it: Windows ignores letter
/// case (`TISKI.DB` is `tiski.db`), Unix does not.
pub fn name_key(name: &str) -> String {
    if cfg!(windows) {
        name.to_lowercase()
    } else {
        name.to_string()
    }
}

/// The identity of the file at `path` (following links).
pub fn file_id(path: &Path) -> io::Result<FileId> {
    imp::file_id(path)
}

/// What kind of network or synced storage `dir` is on, if it is (NFS,
/// SMB, a mapped network drive `H:`, a UNC share, a OneDrive folder):
/// SQLite's locking cannot be trusted there.
pub fn network_kind(dir: &Path) -> Option<String> {
    imp::network_kind(dir)
}

/// Protects the voucher secret at rest: DPAPI for the current user on
/// Windows; on Unix the file's mode 0600 is the protection, and the bytes
/// are kept as they are.
pub fn protect_secret(secret: &[u8]) -> io::Result<Vec<u8>> {
    imp::protect_secret(secret)
}

/// The secret back from what [`protect_secret`] wrote.
pub fn unprotect_secret(stored: &[u8]) -> io::Result<Vec<u8>> {
    imp::unprotect_secret(stored)
}

/// Where libpq looks for the user's password file and service file when
/// `PGPASSFILE` and `PGSERVICEFILE` are not set: `~/.pgpass` and
/// `~/.pg_service.conf` on Unix; `%APPDATA%\postgresql\pgpass.conf` and
/// `%APPDATA%\postgresql\.pg_service.conf` on Windows.
pub fn libpq_files() -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    imp::libpq_files()
}

/// Sets `stop` when the user or the system asks tiski to end: SIGTERM,
/// SIGHUP (a closed terminal window), SIGINT and SIGQUIT on Unix; on
/// Windows the console window being closed, logging off, shutting down,
/// and Ctrl-C / Ctrl-Break when they come as events rather than keys. The
/// TUI then keeps the draft and ends the session, and calls
/// [`stopped_cleanly`]. If anything still blocks it [`STOP_GRACE`] after
/// the stop, the process ends anyway rather than lingering on a dead
/// terminal (saved visits are on disk already). Nothing polls meanwhile:
/// the wait is the system's.
pub fn on_stop(stop: Arc<AtomicBool>) -> io::Result<()> {
    imp::on_stop(stop)
}

/// How long the TUI has to save and leave after a stop.
pub const STOP_GRACE: Duration = Duration::from_secs(5);

/// Ends the process [`STOP_GRACE`] from now, unless it ends first.
fn exit_after_grace() {
    std::thread::spawn(|| {
        std::thread::sleep(STOP_GRACE);
        std::process::exit(1);
    });
}

/// Says the program has saved what it had after a stop: Windows ends the
/// process as soon as the console event handler returns, so the handler
/// waits for this (up to the few seconds Windows gives).
pub fn stopped_cleanly() {
    imp::stopped_cleanly()
}

/// Makes the process behave as its platform's command-line tools do at
/// start: on Unix a closed pipe (`tiski config | head`) ends it quietly.
pub fn init_process() {
    imp::init_process()
}

/// Why the printer did not take a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintFailure {
    /// Nothing to print with: no `lp` on Unix; on Windows no program set
    /// to print PDF files.
    Missing,
    /// It could not be started (for another reason than being missing).
    CannotRun(io::ErrorKind),
    /// It ran and refused: its own words, or its exit status.
    Refused(String),
}

/// What sends a file to the default printer, as messages name it: `lp` on
/// Unix, the shell's "print" verb on Windows.
pub const PRINT_COMMAND: &str = imp::PRINT_COMMAND;

/// Sends the (PDF) file at `path` to the default printer and returns once
/// the printing system has taken it: `lp FILE` on Unix (CUPS copies it to
/// its spool), the shell's "print" verb on Windows (the program set to
/// print PDFs reads it). The file stays where it is.
pub fn print_file(path: &Path) -> Result<(), PrintFailure> {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    imp::print_file(&abs)
}

/// A command's own words for a message: its first non-empty line,
/// without control characters.
#[cfg_attr(windows, allow(dead_code))]
fn first_line(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .map(|l| l.chars().filter(|c| !c.is_control()).collect::<String>())
        .map(|l| l.trim().to_string())
        .find(|l| !l.is_empty())
}

/// The terminal the TUI reads keys from, watched for a hang-up. Every
/// wait is the kernel's: a thread of its own blocks in crossterm's reader
/// (with no timeout, which never spins) and hands each event over a
/// channel the loop waits on; on Unix another blocks in `poll(2)` on the
/// terminal for its hang-up alone. So a key costs no polling, and an idle
/// screen sleeps between its ticks.
pub struct Input {
    events: Receiver<Arrived>,
}

/// What the input threads hand over.
enum Arrived {
    Event(Event),
    Failed(io::Error),
    HungUp,
}

impl Input {
    pub fn open() -> io::Result<Input> {
        let (tx, events) = mpsc::channel();
        imp::watch_hang_up(tx.clone(), || Arrived::HungUp)?;
        std::thread::Builder::new()
            .name("tiski-input".into())
            .spawn(move || {
                loop {
                    let arrived = match ratatui::crossterm::event::read() {
                        Ok(e) => Arrived::Event(e),
                        Err(e) => Arrived::Failed(e),
                    };
                    let failed = matches!(arrived, Arrived::Failed(_));
                    if tx.send(arrived).is_err() || failed {
                        return;
                    }
                }
            })?;
        Ok(Input { events })
    }

    /// Waits up to `timeout` for the terminal's next event: `None` when
    /// none came. A hung-up terminal (closed window, dropped SSH) is an
    /// error of kind `BrokenPipe`, so the loop ends.
    pub fn next(&self, timeout: Duration) -> io::Result<Option<Event>> {
        match self.events.recv_timeout(timeout) {
            Ok(arrived) => Self::take(arrived),
            Err(RecvTimeoutError::Timeout) => Ok(None),
            Err(RecvTimeoutError::Disconnected) => Err(hung_up()),
        }
    }

    /// An event that has arrived already, without waiting.
    pub fn ready(&self) -> io::Result<Option<Event>> {
        match self.events.try_recv() {
            Ok(arrived) => Self::take(arrived),
            Err(TryRecvError::Empty) => Ok(None),
            Err(TryRecvError::Disconnected) => Err(hung_up()),
        }
    }

    fn take(arrived: Arrived) -> io::Result<Option<Event>> {
        match arrived {
            Arrived::Event(e) => Ok(Some(e)),
            Arrived::Failed(e) => Err(e),
            Arrived::HungUp => Err(hung_up()),
        }
    }
}

fn hung_up() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "the terminal hung up")
}

/// `\\server\share` of a UNC path (`\\server\share\…` or
/// `\\?\UNC\server\share\…`); `None` for a drive path, including the
/// `\\?\C:\…` form.
#[cfg_attr(unix, allow(dead_code))]
fn unc_share(path: &str) -> Option<String> {
    let rest = if let Some(r) = path.strip_prefix(r"\\?\UNC\") {
        r
    } else if path.starts_with(r"\\?\") || path.starts_with(r"\\.\") {
        return None;
    } else {
        path.strip_prefix(r"\\")?
    };
    let mut parts = rest.split('\\').filter(|p| !p.is_empty());
    let (server, share) = (parts.next()?, parts.next()?);
    Some(format!(r"\\{server}\{share}"))
}

/// Whether `path` is inside a OneDrive folder: under one of `roots` (the
/// `OneDrive*` environment variables) or in a folder named `OneDrive` or
/// `OneDrive - Organisation`, as OneDrive names them.
#[cfg_attr(unix, allow(dead_code))]
fn in_onedrive(path: &str, roots: &[String]) -> bool {
    let lower = path.to_lowercase().replace('/', "\\");
    let under = |root: &String| {
        let r = root.to_lowercase().replace('/', "\\");
        let r = r.trim_end_matches('\\');
        !r.is_empty()
            && lower
                .strip_prefix(r)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('\\'))
    };
    roots.iter().any(under)
        || lower
            .split('\\')
            .any(|part| part == "onedrive" || part.starts_with("onedrive - "))
}

#[cfg(test)]
pub(crate) mod tests;

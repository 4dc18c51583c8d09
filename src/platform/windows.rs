//! Windows: owner-only ACLs, DPAPI for the voucher secret, the console's
//! close / log-off / shut-down events, and network, UNC and OneDrive
//! folders, through `windows-sys` (Microsoft's own bindings, so no
//! hand-written declarations of the Win32 API).

use std::ffi::OsStr;
use std::fs::OpenOptions;
use std::io;
use std::os::windows::ffi::OsStrExt;
use std::os::windows::fs::OpenOptionsExt;
use std::os::windows::io::AsRawHandle;
use std::path::Path;
use std::ptr::{null, null_mut};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use windows_sys::Win32::Foundation::{CloseHandle, HANDLE, LocalFree};
use windows_sys::Win32::Security::Authorization::{
    ConvertSidToStringSidW, EXPLICIT_ACCESS_W, GetNamedSecurityInfoW, NO_MULTIPLE_TRUSTEE,
    SE_FILE_OBJECT, SET_ACCESS, SetEntriesInAclW, SetNamedSecurityInfoW, TRUSTEE_IS_SID,
    TRUSTEE_IS_USER, TRUSTEE_W,
};
use windows_sys::Win32::Security::Cryptography::{
    CRYPT_INTEGER_BLOB, CRYPTPROTECT_UI_FORBIDDEN, CryptProtectData, CryptUnprotectData,
};
use windows_sys::Win32::Security::{
    ACCESS_ALLOWED_ACE, ACE_HEADER, ACL, ACL_SIZE_INFORMATION, AclSizeInformation,
    DACL_SECURITY_INFORMATION, EqualSid, GetAce, GetAclInformation, GetTokenInformation,
    INHERIT_ONLY_ACE, LookupAccountSidW, NO_INHERITANCE, PROTECTED_DACL_SECURITY_INFORMATION,
    PSECURITY_DESCRIPTOR, PSID, SID_NAME_USE, SUB_CONTAINERS_AND_OBJECTS_INHERIT, TOKEN_QUERY,
    TOKEN_USER, TokenUser,
};
use windows_sys::Win32::Storage::FileSystem::{
    BY_HANDLE_FILE_INFORMATION, FILE_ALL_ACCESS, FILE_FLAG_BACKUP_SEMANTICS,
    FILE_FLAG_OPEN_REPARSE_POINT, GetDriveTypeW, GetFileInformationByHandle,
};
use windows_sys::Win32::System::Console::{
    CTRL_BREAK_EVENT, CTRL_C_EVENT, CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT,
    SetConsoleCtrlHandler,
};
use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleW, GetProcAddress};
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

use super::{Access, FileId, PrintFailure};

/// `GetDriveTypeW`'s answer for a mapped network drive.
const DRIVE_REMOTE: u32 = 4;
/// An ACE that allows access.
const ACCESS_ALLOWED_ACE_TYPE: u8 = 0;
/// Accounts that are the system itself, not other people: SYSTEM,
/// Administrators (who can take any file anyway) and "OWNER RIGHTS".
const SYSTEM_SIDS: [&str; 3] = ["S-1-5-18", "S-1-5-32-544", "S-1-3-4"];

/// A path as a NUL-terminated UTF-16 string for the W functions.
fn wide(s: &OsStr) -> Vec<u16> {
    s.encode_wide().chain(std::iter::once(0)).collect()
}

// A file created in a folder of tiski's inherits the folder's owner-only
// ACL from the start; make_private then sets the file's own.
pub fn private_file_options(opts: &mut OpenOptions) -> &mut OpenOptions {
    opts
}

/// The current user's SID, in the TOKEN_USER buffer that holds it.
pub(super) struct User {
    buf: Vec<u64>,
}

impl User {
    pub(super) fn current() -> io::Result<User> {
        let mut token: HANDLE = null_mut();
        // SAFETY: the pseudo-handle of this process; `token` is ours to close.
        if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
            return Err(io::Error::last_os_error());
        }
        let mut len = 0u32;
        // SAFETY: asking for the size only (null buffer, length 0).
        unsafe { GetTokenInformation(token, TokenUser, null_mut(), 0, &mut len) };
        // u64s, so the buffer is aligned for TOKEN_USER.
        let mut buf = vec![0u64; (len as usize).div_ceil(8).max(1)];
        // SAFETY: the buffer holds `len` bytes, as the first call said.
        let ok = unsafe {
            GetTokenInformation(token, TokenUser, buf.as_mut_ptr().cast(), len, &mut len)
        };
        // SAFETY: the token handle opened above.
        unsafe { CloseHandle(token) };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(User { buf })
    }

    pub(super) fn sid(&self) -> PSID {
        // SAFETY: GetTokenInformation(TokenUser) filled the buffer with a
        // TOKEN_USER whose SID points into the same buffer.
        unsafe { (*self.buf.as_ptr().cast::<TOKEN_USER>()).User.Sid }
    }
}

/// An ACL allocated by Windows, freed when dropped.
pub(super) struct OwnedAcl(pub(super) *mut ACL);

impl Drop for OwnedAcl {
    fn drop(&mut self) {
        // SAFETY: allocated by SetEntriesInAclW with LocalAlloc.
        unsafe { LocalFree(self.0.cast()) };
    }
}

/// An ACL letting `sids` (the user first) in with full access; a folder's
/// entries are inherited by what it will hold.
pub(super) fn acl_for(sids: &[PSID], dir: bool) -> io::Result<OwnedAcl> {
    let entries: Vec<EXPLICIT_ACCESS_W> = sids
        .iter()
        .map(|&sid| EXPLICIT_ACCESS_W {
            grfAccessPermissions: FILE_ALL_ACCESS,
            grfAccessMode: SET_ACCESS,
            grfInheritance: if dir {
                SUB_CONTAINERS_AND_OBJECTS_INHERIT
            } else {
                NO_INHERITANCE
            },
            Trustee: TRUSTEE_W {
                pMultipleTrustee: null_mut(),
                MultipleTrusteeOperation: NO_MULTIPLE_TRUSTEE,
                TrusteeForm: TRUSTEE_IS_SID,
                TrusteeType: TRUSTEE_IS_USER,
                ptstrName: sid.cast(),
            },
        })
        .collect();
    let mut acl: *mut ACL = null_mut();
    // SAFETY: entries that live for the call; the new ACL is ours to free.
    let rc = unsafe { SetEntriesInAclW(entries.len() as u32, entries.as_ptr(), null(), &mut acl) };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc as i32));
    }
    Ok(OwnedAcl(acl))
}

pub fn make_private(path: &Path, dir: bool) -> io::Result<()> {
    let user = User::current()?;
    let acl = acl_for(&[user.sid()], dir)?;
    let name = wide(path.as_os_str());
    // A protected DACL: nothing inherited from the parent (the user's
    // profile folders let Administrators and others in), the user alone.
    // SAFETY: a NUL-terminated path and the ACL made above.
    let rc = unsafe {
        SetNamedSecurityInfoW(
            name.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
            null_mut(),
            null_mut(),
            acl.0,
            null(),
        )
    };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc as i32));
    }
    Ok(())
}

// NTFS makes a rename durable itself; a folder cannot be opened to sync.
pub fn sync_dir(_dir: &Path) {}

/// A SID as `S-1-5-…`.
fn sid_string(sid: PSID) -> String {
    let mut s: *mut u16 = null_mut();
    // SAFETY: a valid SID; the string is allocated for us to LocalFree.
    if unsafe { ConvertSidToStringSidW(sid, &mut s) } == 0 || s.is_null() {
        return String::from("?");
    }
    // SAFETY: a NUL-terminated string from ConvertSidToStringSidW.
    let out = unsafe {
        let len = (0..).take_while(|&i| *s.add(i) != 0).count();
        String::from_utf16_lossy(std::slice::from_raw_parts(s, len))
    };
    // SAFETY: allocated by ConvertSidToStringSidW.
    unsafe { LocalFree(s.cast()) };
    out
}

/// `DOMAIN\name` of a SID, when the system knows it.
fn account_name(sid: PSID) -> Option<String> {
    let (mut name, mut domain) = ([0u16; 256], [0u16; 256]);
    let (mut nlen, mut dlen) = (name.len() as u32, domain.len() as u32);
    let mut kind: SID_NAME_USE = 0;
    // SAFETY: buffers of the lengths passed; the SID is valid.
    let ok = unsafe {
        LookupAccountSidW(
            null(),
            sid,
            name.as_mut_ptr(),
            &mut nlen,
            domain.as_mut_ptr(),
            &mut dlen,
            &mut kind,
        )
    };
    if ok == 0 {
        return None;
    }
    let n = String::from_utf16_lossy(&name[..nlen as usize]);
    let d = String::from_utf16_lossy(&domain[..dlen as usize]);
    Some(if d.is_empty() { n } else { format!("{d}\\{n}") })
}

/// Wine accepts an ACL but keeps none: it makes one up from the Unix mode
/// (with "Everyone" in it), so who can read a file cannot be told there.
pub(super) fn under_wine() -> bool {
    // SAFETY: ntdll is always loaded; looking up an export changes nothing.
    unsafe {
        let ntdll = GetModuleHandleW(windows_sys::core::w!("ntdll.dll"));
        !ntdll.is_null()
            && GetProcAddress(ntdll, windows_sys::core::s!("wine_get_version")).is_some()
    }
}

pub fn access(path: &Path) -> io::Result<Access> {
    if under_wine() {
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "Wine keeps no ACLs",
        ));
    }
    let user = User::current()?;
    let name = wide(path.as_os_str());
    let mut dacl: *mut ACL = null_mut();
    let mut sd: PSECURITY_DESCRIPTOR = null_mut();
    // SAFETY: a NUL-terminated path; the descriptor is ours to LocalFree and
    // the DACL points into it.
    let rc = unsafe {
        GetNamedSecurityInfoW(
            name.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION,
            null_mut(),
            null_mut(),
            &mut dacl,
            null_mut(),
            &mut sd,
        )
    };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc as i32));
    }
    let others = others_in(dacl, user.sid());
    // SAFETY: the descriptor GetNamedSecurityInfoW allocated.
    unsafe { LocalFree(sd.cast()) };
    Ok(Access::Acl { others })
}

/// The accounts other than `user` (and the system's own) that `dacl`
/// lets in; a missing DACL lets everyone in.
pub(super) fn others_in(dacl: *const ACL, user: PSID) -> Vec<String> {
    let mut others = Vec::new();
    if dacl.is_null() {
        others.push("Everyone".to_string());
        return others;
    }
    let mut info = ACL_SIZE_INFORMATION::default();
    // SAFETY: a valid ACL and a buffer of the size given.
    unsafe {
        GetAclInformation(
            dacl,
            (&mut info as *mut ACL_SIZE_INFORMATION).cast(),
            std::mem::size_of::<ACL_SIZE_INFORMATION>() as u32,
            AclSizeInformation,
        )
    };
    for i in 0..info.AceCount {
        let mut ace = null_mut();
        // SAFETY: an index below the ACL's count.
        if unsafe { GetAce(dacl, i, &mut ace) } == 0 {
            continue;
        }
        // SAFETY: every ACE starts with an ACE_HEADER.
        let header = unsafe { *ace.cast::<ACE_HEADER>() };
        if header.AceType != ACCESS_ALLOWED_ACE_TYPE
            || u32::from(header.AceFlags) & INHERIT_ONLY_ACE != 0
        {
            continue;
        }
        // SAFETY: an allowing ACE's SID starts at SidStart.
        let sid: PSID = unsafe {
            (&raw const (*ace.cast::<ACCESS_ALLOWED_ACE>()).SidStart)
                .cast_mut()
                .cast()
        };
        // SAFETY: both SIDs are valid.
        if unsafe { EqualSid(sid, user) } != 0 {
            continue;
        }
        let s = sid_string(sid);
        if !SYSTEM_SIDS.contains(&s.as_str()) {
            others.push(account_name(sid).unwrap_or(s));
        }
    }
    others.sort();
    others.dedup();
    others
}

pub fn fix_command(path: &Path, dir: bool) -> String {
    let grant = if dir { "(OI)(CI)F" } else { "F" };
    format!(
        "icacls \"{}\" /inheritance:r /grant:r \"%USERNAME%:{grant}\" /remove:g *S-1-5-32-545 *S-1-5-11 *S-1-1-0",
        path.display()
    )
}

pub fn open_no_follow(path: &Path) -> io::Result<std::fs::File> {
    // The reparse point itself is opened, never what it points to; a
    // link is then refused as not a plain file.
    let f = OpenOptions::new()
        .write(true)
        .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
        .open(path)?;
    if f.metadata()?.file_type().is_symlink() {
        return Err(io::Error::from(io::ErrorKind::InvalidInput));
    }
    Ok(f)
}

pub fn is_own(_meta: &std::fs::Metadata) -> bool {
    true
}

/// A handle opened here and closed again never touches the locks SQLite
/// holds on the same file: Windows' byte-range locks belong to the handle
/// that took them, unlike POSIX locks, which belong to the process.
pub fn link_count(f: &std::fs::File) -> io::Result<u64> {
    let mut info: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
    // SAFETY: an open handle and a struct we own.
    if unsafe { GetFileInformationByHandle(f.as_raw_handle() as HANDLE, &mut info) } == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(u64::from(info.nNumberOfLinks))
}

/// ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: what
/// a file another program holds open for a moment answers (the errors
/// SQLite's own `winRetryIoerr` tries again).
const BUSY_ERRORS: [i32; 3] = [5, 32, 33];

pub fn retry_busy<T>(mut op: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    let mut tries = 0u64;
    loop {
        match op() {
            Err(e) if tries < 10 && e.raw_os_error().is_some_and(|c| BUSY_ERRORS.contains(&c)) => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(25 * tries));
            }
            other => return other,
        }
    }
}

pub fn file_id(path: &Path) -> io::Result<FileId> {
    // Backup semantics: a folder can be opened too.
    let f = OpenOptions::new()
        .read(true)
        .custom_flags(FILE_FLAG_BACKUP_SEMANTICS)
        .open(path)?;
    let mut info: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
    // SAFETY: an open handle and a struct we own.
    if unsafe { GetFileInformationByHandle(f.as_raw_handle() as HANDLE, &mut info) } == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(FileId {
        device: u64::from(info.dwVolumeSerialNumber),
        file: (u64::from(info.nFileIndexHigh) << 32) | u64::from(info.nFileIndexLow),
    })
}

pub fn network_kind(dir: &Path) -> Option<String> {
    let abs = std::path::absolute(dir).ok()?;
    let text = abs.to_string_lossy();
    if let Some(share) = super::unc_share(&text) {
        return Some(share);
    }
    // OneDrive syncs its folder behind SQLite's back: a database there is
    // copied half-written and "conflict copies" appear.
    let roots: Vec<String> = ["OneDrive", "OneDriveCommercial", "OneDriveConsumer"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .collect();
    if super::in_onedrive(&text, &roots) {
        return Some("OneDrive".into());
    }
    let drive: String = text.chars().take(2).collect();
    if drive.len() == 2 && drive.ends_with(':') {
        let root = wide(OsStr::new(&format!("{drive}\\")));
        // SAFETY: a NUL-terminated root path.
        if unsafe { GetDriveTypeW(root.as_ptr()) } == DRIVE_REMOTE {
            return Some(drive);
        }
    }
    None
}

fn blob(bytes: &[u8]) -> CRYPT_INTEGER_BLOB {
    CRYPT_INTEGER_BLOB {
        cbData: bytes.len() as u32,
        pbData: bytes.as_ptr().cast_mut(),
    }
}

/// The output blob's bytes, freed.
fn take(out: CRYPT_INTEGER_BLOB) -> Vec<u8> {
    // SAFETY: DPAPI filled `out` with a buffer of cbData bytes, ours to free.
    let bytes = unsafe { std::slice::from_raw_parts(out.pbData, out.cbData as usize) }.to_vec();
    // SAFETY: allocated by DPAPI with LocalAlloc.
    unsafe { LocalFree(out.pbData.cast()) };
    bytes
}

// DPAPI with the current user's key: another account on the laptop, or the
// file copied to another machine, cannot read the secret.
pub fn protect_secret(secret: &[u8]) -> io::Result<Vec<u8>> {
    let input = blob(secret);
    let mut out = CRYPT_INTEGER_BLOB {
        cbData: 0,
        pbData: null_mut(),
    };
    // SAFETY: input lives for the call; DPAPI allocates `out`.
    let ok = unsafe {
        CryptProtectData(
            &input,
            null(),
            null(),
            null(),
            null(),
            CRYPTPROTECT_UI_FORBIDDEN,
            &mut out,
        )
    };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(take(out))
}

pub fn unprotect_secret(stored: &[u8]) -> io::Result<Vec<u8>> {
    let input = blob(stored);
    let mut out = CRYPT_INTEGER_BLOB {
        cbData: 0,
        pbData: null_mut(),
    };
    // SAFETY: input lives for the call; DPAPI allocates `out`.
    let ok = unsafe {
        CryptUnprotectData(
            &input,
            null_mut(),
            null(),
            null(),
            null(),
            CRYPTPROTECT_UI_FORBIDDEN,
            &mut out,
        )
    };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(take(out))
}

static STOP: OnceLock<Arc<AtomicBool>> = OnceLock::new();
static CLEAN: AtomicBool = AtomicBool::new(false);

/// How long a close, log-off or shut-down handler may wait for the TUI:
/// Windows ends the process 5 s after a closed console window anyway.
const CLOSE_GRACE: Duration = Duration::from_millis(4500);

unsafe extern "system" fn on_console_event(kind: u32) -> i32 {
    let Some(stop) = STOP.get() else {
        return 0;
    };
    stop.store(true, Ordering::SeqCst);
    // Once: the grace before the process ends anyway (a close, log-off or
    // shut-down ends it sooner, when this handler returns).
    static GRACE: std::sync::Once = std::sync::Once::new();
    GRACE.call_once(super::exit_after_grace);
    if matches!(
        kind,
        CTRL_CLOSE_EVENT | CTRL_LOGOFF_EVENT | CTRL_SHUTDOWN_EVENT
    ) {
        // The process ends when this returns: wait for the draft and the
        // session to be saved first.
        let deadline = Instant::now() + CLOSE_GRACE;
        while !CLEAN.load(Ordering::SeqCst) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    // Handled (Ctrl-C / Ctrl-Break end tiski as `q` does, not abruptly).
    i32::from(matches!(
        kind,
        CTRL_C_EVENT
            | CTRL_BREAK_EVENT
            | CTRL_CLOSE_EVENT
            | CTRL_LOGOFF_EVENT
            | CTRL_SHUTDOWN_EVENT
    ))
}

pub fn libpq_files() -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    // %APPDATA%, as libpq reads it.
    let dir = directories::BaseDirs::new()?
        .config_dir()
        .join("postgresql");
    Some((dir.join("pgpass.conf"), dir.join(".pg_service.conf")))
}

pub fn on_stop(stop: Arc<AtomicBool>) -> io::Result<()> {
    let _ = STOP.set(stop);
    // SAFETY: a handler function that lives as long as the program.
    if unsafe { SetConsoleCtrlHandler(Some(on_console_event), 1) } == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

pub fn stopped_cleanly() {
    CLEAN.store(true, Ordering::SeqCst);
}

pub fn init_process() {}

pub const PRINT_COMMAND: &str = "ShellExecute \"print\"";

/// The shell's "print" verb, as Explorer's "Print" menu item: the program
/// set to print PDF files prints it on the default printer.
pub fn print_file(path: &Path) -> Result<(), PrintFailure> {
    use windows_sys::Win32::Foundation::ERROR_FILE_NOT_FOUND;
    use windows_sys::Win32::System::Com::{
        COINIT_APARTMENTTHREADED, COINIT_DISABLE_OLE1DDE, CoInitializeEx,
    };
    use windows_sys::Win32::UI::Shell::{SE_ERR_ASSOCINCOMPLETE, SE_ERR_NOASSOC, ShellExecuteW};
    use windows_sys::Win32::UI::WindowsAndMessaging::SW_HIDE;
    let file = wide(path.as_os_str());
    // SAFETY: COM set up for this thread as ShellExecute's documentation
    // asks (a second call only counts up); the strings are NUL-terminated
    // and outlive the call; no window, parameters or folder.
    let r = unsafe {
        CoInitializeEx(
            null(),
            (COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE) as u32,
        );
        ShellExecuteW(
            null_mut(),
            windows_sys::core::w!("print"),
            file.as_ptr(),
            null(),
            null(),
            SW_HIDE,
        )
    } as isize;
    // Above 32 is success; the rest are the old WinExec error codes.
    match r {
        33.. => Ok(()),
        c if c as u32 == SE_ERR_NOASSOC || c as u32 == SE_ERR_ASSOCINCOMPLETE => {
            Err(PrintFailure::Missing)
        }
        c if c as u32 == ERROR_FILE_NOT_FOUND => {
            Err(PrintFailure::CannotRun(io::ErrorKind::NotFound))
        }
        c => Err(PrintFailure::Refused(format!("ShellExecute error {c}"))),
    }
}

/// The console has no hang-up to watch: a closed window comes as a
/// console event (see [`on_stop`]).
pub fn watch_hang_up<T: Send + 'static>(
    _tx: std::sync::mpsc::Sender<T>,
    _hung_up: impl FnOnce() -> T + Send + 'static,
) -> io::Result<()> {
    Ok(())
}

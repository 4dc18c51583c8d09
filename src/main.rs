//! The `tiski` binary: everything is in the library; see [`tiski::cli::main`].

use std::process::ExitCode;

fn main() -> ExitCode {
    // Like other Unix tools, end quietly when a pipe reader goes away
    // (`tiski config | head`) instead of panicking on the write.
    // SAFETY: restoring a signal's default disposition at start-up, before
    // any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    tiski::cli::main()
}

//! The `tiski` binary: parse the command line, run, map errors to an exit code.

use std::process::ExitCode;

use std::io::Write;

use clap::Parser;

fn main() -> ExitCode {
    // Like other Unix tools, end quietly when a pipe reader goes away
    // (`tiski config | head`) instead of panicking on the write.
    // SAFETY: restoring a signal's default disposition at start-up, before
    // any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    match tiski::cli::run(tiski::cli::Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            let t = tiski::i18n::texts(f.lang);
            // Not eprintln!: stderr may be a terminal that hung up.
            let _ = writeln!(
                std::io::stderr(),
                "tiski: {}: {}",
                t.error_prefix(),
                t.error(&f.error)
            );
            ExitCode::FAILURE
        }
    }
}

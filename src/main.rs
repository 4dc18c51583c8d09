//! The `tiski` binary: parse the command line, run, map errors to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    match tiski::cli::run(tiski::cli::Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            let t = tiski::i18n::texts(f.lang);
            eprintln!("tiski: {}: {}", t.error_prefix(), t.error(&f.error));
            ExitCode::FAILURE
        }
    }
}

//! The `tiski` binary: everything is in the library; see [`tiski::cli::main`].

use std::process::ExitCode;

fn main() -> ExitCode {
    tiski::platform::init_process();
    tiski::cli::main()
}

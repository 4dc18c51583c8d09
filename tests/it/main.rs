//! Integration tests: one binary, a module per area.
//!
//! Unix only: they drive the real binary with Unix tools (`sh`, `kill`,
//! signals, a pseudo-terminal, file modes). On Windows the same binary is
//! driven under Wine by `.ci/windows/e2e` (CLI and duty screen), and the
//! library's own tests run there too (`cargo test --lib`).
#![cfg(unix)]

mod cli;
mod clock;
mod csv_excel;
mod cut;
mod desk;
mod docs;
mod documents;
mod e2e;
mod events;
mod faults;
mod forms;
mod hostile;
mod language;
mod layers;
mod newcomer;
mod office;
mod options;
mod pg;
mod printing;
mod privacy;
mod props;
mod reader;
mod report;
mod report_files;
mod retention;
mod saved;
mod server;
mod server_counts;
mod server_crossing;
mod server_faults;
mod server_props;
mod server_screen;
mod server_settle;
mod sessions_rule;
mod signable;
mod snapshots;
mod support;
mod suppression;
mod views;
mod vouchers;

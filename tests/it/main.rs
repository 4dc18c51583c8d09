//! Integration tests: one binary, a module per area.

mod cli;
mod e2e;
mod snapshots;
mod vouchers;

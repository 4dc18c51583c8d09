//! Integration tests: one binary, a module per area.

mod cli;
mod e2e;
mod events;
mod faults;
mod layers;
mod privacy;
mod props;
mod report;
mod retention;
mod snapshots;
mod views;
mod vouchers;

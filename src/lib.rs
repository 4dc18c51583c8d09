//! tiski: a keyboard-driven desk log for walk-in welfare consultations.
//!
//! Data flows one way:
//!
//! ```text
//! terminal event ─► keymap::map (pure) ─► Action ─► App::update ─► Store
//! Frame ◄── ui::render(&App) ◄────────────────────────┘
//! ```
//!
//! `main.rs` only parses the command line and hands over to [`cli::run`].

pub mod app;
pub mod bench;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod export;
pub mod files;
pub mod i18n;
pub mod import;
pub mod keymap;
pub mod report;
pub mod store;
pub mod tui;
pub mod ui;
pub mod voucher;

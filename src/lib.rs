//! tiski: a keyboard-driven desk log for walk-in welfare consultations.
//!
//! Data flows one way:
//!
//! ```text
//! terminal event ─► keymap::map (pure) ─► Action ─► App::update ─► desk ─► Store
//! Frame ◄── ui::render(&App) ◄────────────────────────┘
//! ```
//!
//! `main.rs` only hands over to [`cli::main`].
//!
//! # Layers
//!
//! The top-level modules form layers, lowest first. A module uses only
//! modules of lower layers, so there is no import circle; inside a module
//! none either: its own file is its face and may use its parts, but two
//! parts never use each other both ways (directly or around a circle).
//! `tests/it/layers.rs` checks this on every test run, together with two
//! rules of their own: only `cli` knows clap, and `ui` never touches the
//! `store` (it draws from `App`).
//!
//! 1. leaves: `clock` (the time, typed dates), `locale` (`Lang`, Finnish
//!    number and date formats), `text` (control characters, cutting),
//!    `keys` (every view's key table), `platform` (all that differs
//!    between Unix and Windows);
//! 2. `domain` (sessions and visits) and `files` (private files, written
//!    whole);
//! 3. rules: `voucher` (anti-slip vouchers), `schedule` (the duty rota),
//!    `privacy` (identities a note must not hold), `events` (events,
//!    group series, feedback tallies and head-counts);
//! 4. `config` (embedded defaults, user overrides) and `report` (report
//!    maths, pure);
//! 5. `checked`: entries that passed their rules, the only kind the
//!    store's write API takes;
//! 6. `store`: the SQLite file behind one `Store`;
//! 7. `server`: consolidation on the city's own PostgreSQL (the push of
//!    the desk's outbox, the schema, the unit's figures);
//! 8. `error`: the errors a user can meet;
//! 9. `desk`: the use-case layer, the only way to change the log (rules,
//!    the session rule, the clock it is given);
//! 10. `demo`: synthetic history;
//! 11. `i18n`: every user-facing string, Finnish and English;
//! 12. `export`: CSV, JSONL and the report's pages;
//! 13. `import`: other desks' logs read back;
//! 14. `app`: state and `App::update`;
//! 15. `keymap` (keys to actions) and `ui` (drawing);
//! 16. `commands` (one-shot commands) and `tui` (the terminal loop);
//! 17. `cli`: the command line (clap) and the dispatch.
//!
//! The lower layers (up to `store`) know no language: their errors carry
//! data, and `i18n` words them.
//!
//! `ARCHITECTURE.md` explains the flow and the layers and maps every file.

pub mod app;
pub mod checked;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod demo;
pub mod desk;
pub mod domain;
pub mod error;
pub mod events;
pub mod export;
pub mod files;
pub mod i18n;
pub mod import;
pub mod keymap;
pub mod keys;
pub mod locale;
pub mod platform;
pub mod privacy;
pub mod report;
pub mod schedule;
pub mod server;
pub mod store;
pub mod text;
pub mod tui;
pub mod ui;
pub mod voucher;

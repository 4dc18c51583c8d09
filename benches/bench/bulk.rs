//! The whole log at once, as the real `tiski` binary does it: `tiski
//! export --format jsonl` of the largest database, `tiski import` of that
//! file into an empty database, and the same import again (everything
//! already there), each timed as a process with its peak resident set;
//! and `tiski backup` and `tiski report --year` for their peak alone.
//!
//! Beside the import, in the same run, the minimal program doing its
//! unavoidable work: SQLite alone copying the same sessions, visits,
//! topics and fields into an empty database with tiski's schema (the same
//! uniques and indexes, no triggers) in one transaction, `INSERT … SELECT`
//! from the attached source. An import cannot write its rows faster.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tiski::error::Error;

use super::fail;

/// Targets (issue 23).
pub(crate) const IMPORT_MIN_PER_S: f64 = 100_000.0;
pub(crate) const REIMPORT_MIN_PER_S: f64 = 200_000.0;
pub(crate) const IMPORT_MAX_RATIO: f64 = 3.0;
pub(crate) const EXPORT_MIN_BYTES_PER_S: f64 = 100e6;
pub(crate) const BULK_RSS_MAX_BYTES: u64 = 100_000_000;

/// One process: how long it ran and its peak resident set.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub time: Duration,
    pub rss: Option<u64>,
}

/// The figures of the whole log at one size.
#[derive(Debug, Clone)]
pub struct Bulk {
    pub visits: u64,
    pub export: Run,
    pub export_bytes: u64,
    pub import: Run,
    pub reimport: Run,
    pub backup: Run,
    /// SQLite alone inserting the same rows.
    pub insert: Duration,
}

/// Measures the whole log of `db` (holding `visits` visits) in `dir`.
pub fn measure(db: &Path, visits: u64, dir: &Path) -> Result<Bulk, Error> {
    let file = dir.join(format!("bulk-{visits}.jsonl"));
    let target = dir.join(format!("bulk-{visits}-import.db"));
    let copy = dir.join(format!("bulk-{visits}-insert.db"));
    let backups = dir.join("backups");
    for p in [&file, &target, &copy] {
        remove_db(p);
    }
    let export = run(
        db,
        &[
            "export",
            "--format",
            "jsonl",
            "--out",
            file.to_str().unwrap_or_default(),
        ],
    )?;
    let export_bytes = std::fs::metadata(&file)?.len();
    let f = file.to_str().unwrap_or_default();
    let import = run(&target, &["import", f])?;
    let reimport = run(&target, &["import", f])?;
    let _ = std::fs::remove_dir_all(&backups);
    let backup = run(db, &["backup"])?;
    let _ = std::fs::remove_dir_all(&backups);
    let insert = bulk_insert(db, &copy)?;
    // The counts must agree, or the rates compare different work.
    let count = |p: &Path| -> Result<i64, Error> {
        let c = rusqlite::Connection::open(p).map_err(|e| fail(p, &e.to_string()))?;
        c.query_row("SELECT count(*) FROM visits", [], |r| r.get(0))
            .map_err(|e| fail(p, &e.to_string()))
    };
    let (imported, inserted) = (count(&target)?, count(&copy)?);
    if imported != visits as i64 || inserted != visits as i64 {
        let why = format!("{visits} visits exported, {imported} imported, {inserted} inserted");
        return Err(fail(db, &why));
    }
    for p in [&file, &target, &copy] {
        remove_db(p);
    }
    Ok(Bulk {
        visits,
        export,
        export_bytes,
        import,
        reimport,
        backup,
        insert,
    })
}

/// A database and its companions, gone.
fn remove_db(p: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut s = p.as_os_str().to_owned();
        s.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(s));
    }
}

/// `tiski --db DB ARGS…` as the shell runs it: its time, and its peak
/// `VmHWM` read from /proc every millisecond until it exits.
pub fn run(db: &Path, args: &[&str]) -> Result<Run, Error> {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tiski"))
        .arg("--db")
        .arg(db)
        .args(args)
        .arg("--confirm")
        .env("TISKI_LANG", "en")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut peak = None;
    let status = loop {
        if let Some(kib) = super::children::peak_kib(child.id()) {
            peak = peak.max(Some(kib));
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let time = started.elapsed();
    if !status.success() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            use std::io::Read;
            let _ = e.read_to_string(&mut err);
        }
        return Err(fail(db, &format!("tiski {} failed: {err}", args.join(" "))));
    }
    Ok(Run {
        time,
        rss: peak.map(|kib| kib * 1024),
    })
}

/// The minimal program: SQLite copies the rows an import writes into an
/// empty database with tiski's schema, without its triggers, in one
/// durable transaction; returns how long that took.
fn bulk_insert(source: &Path, target: &Path) -> Result<Duration, Error> {
    let e = |e: rusqlite::Error| fail(target, &e.to_string());
    // tiski's schema, made by tiski; then its triggers dropped.
    drop(tiski::store::Store::open(target)?);
    let conn = rusqlite::Connection::open(target).map_err(e)?;
    conn.pragma_update(None, "journal_mode", "WAL").map_err(e)?;
    conn.pragma_update(None, "synchronous", "FULL").map_err(e)?;
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        .map_err(e)?
        .query_map([], |r| r.get(0))
        .map_err(e)?
        .collect::<rusqlite::Result<_>>()
        .map_err(e)?;
    for t in triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{t}\""))
            .map_err(e)?;
    }
    conn.execute("ATTACH ?1 AS src", [source.to_string_lossy()])
        .map_err(e)?;
    let started = Instant::now();
    conn.execute_batch(
        "BEGIN IMMEDIATE;
         INSERT INTO main.sessions SELECT * FROM src.sessions;
         INSERT INTO main.visits SELECT * FROM src.visits;
         INSERT INTO main.visit_topics SELECT * FROM src.visit_topics;
         INSERT INTO main.visit_fields SELECT * FROM src.visit_fields;
         COMMIT;",
    )
    .map_err(e)?;
    Ok(started.elapsed())
}

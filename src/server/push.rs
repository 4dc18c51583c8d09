//! `tiski sync`: this desk's changed records to the server, in batches of
//! one server transaction each. A batch is read from the outbox only once
//! the server has let this desk's batch begin (one at a time per desk), so
//! the server takes each desk's copies in the order they changed. A batch
//! of up to 10 000 records goes in by `COPY` into a temporary table (a
//! small one, a sync of a few saves, as one statement's array parameters),
//! then into the desk's copies by one upsert and one delete, and the change
//! numbers are acknowledged in the same transaction. Only after the
//! server's commit does the desk forget them: a cut connection leaves the
//! batch wholly applied or not at all, and the next sync sends whatever is
//! still in the outbox. Sending a record again changes nothing (a copy is
//! rewritten only when it differs).

use std::io::Write as _;

use postgres::Client;

use super::connect::classify;
use super::{ServerError, Target, schema};
use crate::privacy::retention::Cutoffs;
use crate::store::Store;
use crate::store::outbox::Change;

/// Records per batch: large enough that `COPY` runs at full speed, small
/// enough that a cut connection costs seconds.
pub const BATCH: usize = 10_000;

/// What to do besides sending.
#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    /// Records per batch ([`BATCH`] when 0).
    pub batch: usize,
    /// This desk's voucher number prefixes, claimed on the server.
    pub prefixes: Vec<String>,
    /// The desk's retention, applied to its copies on the server too.
    pub retention: Option<Cutoffs>,
}

impl SyncOptions {
    /// What the desk of `config` tells the server besides its records on
    /// `today`: its voucher prefixes and its retention.
    pub fn of(config: &crate::config::Config, today: chrono::NaiveDate) -> SyncOptions {
        let mut prefixes: Vec<String> = config
            .profiles
            .values()
            .filter_map(|p| p.voucher_settings())
            .map(|v| v.prefix.clone())
            .collect();
        prefixes.sort();
        prefixes.dedup();
        SyncOptions {
            batch: 0,
            prefixes,
            retention: Some(config.retention.cutoffs(today)),
        }
    }
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// The desk's name on the server.
    pub desk: String,
    /// Records sent (new, changed or gone).
    pub sent: u64,
    pub batches: u32,
    /// Notes and voucher identities cleared on the server by retention.
    pub purged: (u64, u64),
}

/// Sends every record of `store` changed since the server last took them.
pub fn sync(
    store: &mut Store,
    client: &mut Client,
    t: &Target,
    opts: &SyncOptions,
) -> Result<SyncReport, ServerError> {
    store.sync_enable()?;
    schema::check(client, t)?;
    if !opts.prefixes.is_empty() {
        client
            .execute("SELECT tiski.claim_series($1)", &[&opts.prefixes])
            .map_err(|e| classify(e, t))?;
    }
    let device = store.device_id()?;
    let size = if opts.batch == 0 { BATCH } else { opts.batch };
    let mut report = SyncReport::default();
    loop {
        let mut tx = client.transaction().map_err(|e| classify(e, t))?;
        report.desk = tx
            .query_one("SELECT tiski.begin_batch($1)", &[&device])
            .map_err(|e| classify(e, t))?
            .get(0);
        let batch = store.sync_batch(0, size)?;
        let Some(upto) = batch.last().map(|c| c.seq) else {
            tx.commit().map_err(|e| classify(e, t))?;
            break;
        };
        send(&mut tx, &batch).map_err(|e| classify(e, t))?;
        tx.execute("SELECT tiski.end_batch($1)", &[&upto])
            .map_err(|e| classify(e, t))?;
        tx.commit().map_err(|e| classify(e, t))?;
        store.sync_acknowledge(upto)?;
        report.sent += batch.len() as u64;
        report.batches += 1;
        // A batch short of full was the outbox's end: what changed since
        // waits for the next sync, without another round of the server.
        if batch.len() < size {
            break;
        }
    }
    if let Some(c) = &opts.retention
        && (c.notes_before.is_some() || c.identities_before.is_some())
    {
        report.purged = schema::purge(client, t, c.notes_before, c.identities_before)?;
    }
    Ok(report)
}

/// Batches up to this size go in as one statement's array parameters; a
/// larger one by `COPY` into a temporary table, made once per connection.
const SMALL: usize = 256;

/// The upsert of the desk's copies and the delete of those gone, from
/// `{src}`: rows (kind, uid, seq, body) with a NULL body for a record gone.
/// The desk is worked out once per statement (a scalar subquery), not once
/// per row.
const APPLY: &str = "
    INSERT INTO tiski.copies AS c (desk, uid, kind, seq, updated_at, body)
    SELECT (SELECT tiski.desk_of(current_user)), i.uid, i.kind, i.seq,
           tiski.written_at(i.kind, i.body), i.body
    FROM {src} WHERE i.body IS NOT NULL
    ON CONFLICT (uid, kind, desk) DO UPDATE
       SET seq = excluded.seq, updated_at = excluded.updated_at, body = excluded.body
       WHERE c.body IS DISTINCT FROM excluded.body;
    DELETE FROM tiski.copies c USING {src}
     WHERE i.body IS NULL AND c.uid = i.uid AND c.kind = i.kind
       AND c.desk = (SELECT tiski.desk_of(current_user));";

/// One batch into the desk's copies, inside the batch's transaction.
fn send(tx: &mut postgres::Transaction<'_>, batch: &[Change]) -> Result<(), postgres::Error> {
    if batch.len() <= SMALL {
        let kinds: Vec<&str> = batch.iter().map(|c| c.kind.as_str()).collect();
        let uids: Vec<&str> = batch.iter().map(|c| c.uid.as_str()).collect();
        let seqs: Vec<i64> = batch.iter().map(|c| c.seq).collect();
        let bodies: Vec<Option<&str>> = batch.iter().map(|c| c.body.as_deref()).collect();
        let src = "unnest($1::text[], $2::text[], $3::bigint[], $4::text[]::jsonb[])
                   AS i(kind, uid, seq, body)";
        for statement in APPLY.replace("{src}", src).split(';') {
            if !statement.trim().is_empty() {
                tx.execute(statement, &[&kinds, &uids, &seqs, &bodies])?;
            }
        }
        return Ok(());
    }
    tx.batch_execute(
        "CREATE TEMP TABLE IF NOT EXISTS tiski_in (kind text, uid text, seq bigint, body jsonb)
             ON COMMIT DELETE ROWS;
         SET LOCAL client_min_messages = warning;",
    )?;
    let mut w = tx.copy_in("COPY tiski_in (kind, uid, seq, body) FROM STDIN")?;
    let mut line = String::new();
    for c in batch {
        line.clear();
        copy_field(&mut line, &c.kind);
        line.push('\t');
        copy_field(&mut line, &c.uid);
        line.push('\t');
        line.push_str(&c.seq.to_string());
        line.push('\t');
        match &c.body {
            Some(b) => copy_field(&mut line, b),
            None => line.push_str("\\N"),
        }
        line.push('\n');
        // The writer buffers; an error here is the connection's.
        if w.write_all(line.as_bytes()).is_err() {
            break;
        }
    }
    w.finish()?;
    tx.batch_execute(&APPLY.replace("{src}", "tiski_in i"))
}

/// A value in `COPY`'s text format: backslash, tab, newline and carriage
/// return escaped.
fn copy_field(out: &mut String, value: &str) {
    for ch in value.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

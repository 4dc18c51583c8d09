//! `tiski sync`: this desk's changed records to the server, in batches of
//! one server transaction each. A batch is read from the outbox only once
//! the server has let this desk's batch begin (one at a time per desk), so
//! the server takes each desk's copies in the order they changed. A batch
//! of up to 10 000 records goes in by `COPY` into a temporary table (a
//! small one, a sync of a few saves, as one typed statement's array
//! parameters), then into the desk's copies by one upsert (and one delete
//! when the batch holds a record gone), and the change numbers are
//! acknowledged in the same transaction, as one range. Only after the
//! server's commit does the desk forget them: a cut connection leaves the
//! batch wholly applied or not at all, and the next sync sends whatever is
//! still in the outbox. Sending a record again changes nothing (a copy is
//! rewritten only when it differs). A batch the server rolled back to end
//! a deadlock or a serialization failure is sent again.
//!
//! The batch writes the desk's copies alone, and its end tells the server
//! which changed (the range of change numbers); the unit's records and
//! counts are worked out from them after the commit (schema version 6,
//! `tiski.settle`): by this sync when it ends, unless another settle is
//! running, and in any case by the reader before it reads.
//!
//! A batch takes three round trips (start, records, end), and a
//! connection kept open (the duty screen's [`Session`]) claims its voucher
//! prefixes and applies retention once, not at every save.

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
    /// Leave the unit's records to be settled by the next reader or desk
    /// (the benchmark's push, which times the settle apart); by default a
    /// sync settles what it sent after its last commit, unless another
    /// settle is under way.
    pub leave_unsettled: bool,
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
            leave_unsettled: false,
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

/// What one connection has done already, so that a sync on a connection
/// kept open (the duty screen's) does not do it again: the voucher
/// prefixes it claimed, and the retention it applied. A claim stays
/// claimed on the server; a purge finds nothing new while its cutoffs are
/// the same and nothing was sent since.
#[derive(Debug, Default)]
pub struct Session {
    claimed: Vec<String>,
    purged: Option<Cutoffs>,
}

/// Sends every record of `store` changed since the server last took them,
/// on a connection of its own (a fresh [`Session`]).
pub fn sync(
    store: &mut Store,
    client: &mut Client,
    t: &Target,
    opts: &SyncOptions,
) -> Result<SyncReport, ServerError> {
    sync_in(store, client, t, opts, &mut Session::default())
}

/// [`sync`] on a connection that `session` tells about.
///
/// Each batch takes three round trips: its start (the transaction, the
/// desk's turn and the schema's version, and on a connection's first sync
/// the voucher prefixes' claim), its records, and its end (the change
/// numbers taken, the retention when due, the commit).
pub fn sync_in(
    store: &mut Store,
    client: &mut Client,
    t: &Target,
    opts: &SyncOptions,
    session: &mut Session,
) -> Result<SyncReport, ServerError> {
    store.sync_enable()?;
    let device = store.device_id()?;
    let size = if opts.batch == 0 { BATCH } else { opts.batch };
    let retention = opts
        .retention
        .filter(|c| c.notes_before.is_some() || c.identities_before.is_some());
    let mut claim = (session.claimed != opts.prefixes && !opts.prefixes.is_empty())
        .then(|| opts.prefixes.clone());
    let mut report = SyncReport::default();
    let mut old_sent = false;
    let mut retries = 0;
    loop {
        // One batch, in one server transaction. A batch the server broke
        // off to end a deadlock (another desk sending copies of the same
        // records at that moment) or a serialization failure is sent again:
        // nothing of it was applied, nothing acknowledged.
        let attempt = (|| {
            let open = Open::begin(client, t, &device, claim.as_deref())?;
            let desk = open.desk.clone();
            let batch = store.sync_batch(0, size)?;
            // A batch short of full is the outbox's end: what changed since
            // waits for the next sync, without another round of the server.
            let last = batch.len() < size;
            let old = retention.is_some_and(|c| batch.iter().any(|r| expired(r, &c)));
            // Retention on the server: at a connection's first sync and
            // when the cutoffs move (a new day), and after a record they
            // clear (an old one imported) was sent; not after every save.
            let purge =
                retention.filter(|c| last && (old_sent || old || session.purged != Some(*c)));
            if !batch.is_empty() {
                send(open.client, &batch).map_err(|e| classify(e, t))?;
            }
            let range = batch.first().zip(batch.last()).map(|(a, b)| (a.seq, b.seq));
            let purged = open.finish(t, range, purge)?;
            let upto = range.map(|(_, upto)| upto);
            Ok::<_, ServerError>((desk, batch.len(), upto, last, old, purge, purged))
        })();
        let (desk, len, upto, last, old, purge, purged) = match attempt {
            Err(e) if transient(&e) && retries < RETRIES => {
                retries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20 * retries));
                continue;
            }
            other => other?,
        };
        report.desk = desk;
        old_sent |= old;
        if let Some(purged) = purged {
            report.purged = purged;
        }
        if let Some(prefixes) = claim.take() {
            session.claimed = prefixes;
        }
        if purge.is_some() {
            session.purged = purge;
        }
        if let Some(upto) = upto {
            store.sync_acknowledge(upto)?;
            report.sent += len as u64;
            report.batches += 1;
        }
        if last {
            break;
        }
    }
    // The unit's records and counts worked out from what was sent, after
    // the commits, unless another settle is running (it or the next
    // reader's takes this desk's batches). The desk's records are the
    // server's already: a settle that fails is the next reader's to redo
    // and to report, not a failed sync.
    // (After a purge that cleared notes, it waits its turn: the notes
    // leave the unit's records now.)
    if (report.batches > 0 || report.purged != (0, 0)) && !opts.leave_unsettled {
        let _ = schema::settle(client, t, report.purged.0 > 0);
    }
    Ok(report)
}

/// How many times in one sync a batch is sent again after the server broke
/// it off to end a deadlock or a serialization failure.
const RETRIES: u64 = 20;

/// Whether the server broke a batch off only because of another
/// transaction at the same moment (`40P01` deadlock, `40001` serialization
/// failure): the batch was rolled back whole and may be sent again.
fn transient(e: &ServerError) -> bool {
    matches!(e, ServerError::Refused { code, .. } if code == "40P01" || code == "40001")
}

/// Whether `record` is one the retention `c` clears on the server: a visit
/// from before its notes' cutoff, a voucher valid until before its
/// identities' (compared as `tiski.purge` compares them, as text).
fn expired(record: &Change, c: &Cutoffs) -> bool {
    #[derive(serde::Deserialize)]
    struct Dates {
        at: Option<String>,
        valid_until: Option<String>,
    }
    let (visit, cutoff) = match record.kind.as_str() {
        "visit" => (true, c.notes_before),
        "voucher" => (false, c.identities_before),
        _ => return false,
    };
    let (Some(cutoff), Some(body)) = (cutoff, &record.body) else {
        return false;
    };
    let cutoff = cutoff.format("%Y-%m-%d").to_string();
    // A body that cannot be read is taken for an old one.
    serde_json::from_str::<Dates>(body).map_or(true, |d| {
        let date = if visit { d.at } else { d.valid_until };
        date.is_some_and(|v| v < cutoff)
    })
}

/// A batch's server transaction, rolled back unless finished.
struct Open<'a> {
    client: &'a mut Client,
    desk: String,
    done: bool,
}

impl<'a> Open<'a> {
    /// Begins a batch: waits for the desk's turn (`tiski.begin_batch`),
    /// checks the schema's version, claims `claim`; one round trip.
    fn begin(
        client: &'a mut Client,
        t: &Target,
        device: &str,
        claim: Option<&[String]>,
    ) -> Result<Open<'a>, ServerError> {
        let mut sql = format!(
            "BEGIN; SELECT tiski.begin_batch({}),
                (SELECT value FROM tiski.meta WHERE key = 'schema_version');",
            literal(device)?
        );
        if let Some(prefixes) = claim {
            let list = prefixes
                .iter()
                .map(|p| literal(p))
                .collect::<Result<Vec<_>, _>>()?;
            sql.push_str(&format!(
                "SELECT tiski.claim_series(ARRAY[{}]::text[]);",
                list.join(", ")
            ));
        }
        let mut open = Open {
            client,
            desk: String::new(),
            done: false,
        };
        let messages = open.client.simple_query(&sql).map_err(|e| classify(e, t))?;
        let row = messages.iter().find_map(|m| match m {
            postgres::SimpleQueryMessage::Row(r) => Some(r),
            _ => None,
        });
        let (desk, version) = row
            .map(|r| {
                let text = |i: usize| r.try_get(i).ok().flatten();
                (text(0), text(1).and_then(|v| v.parse::<i64>().ok()))
            })
            .unwrap_or((None, None));
        match version.unwrap_or(0) {
            0 => return Err(ServerError::NoSchema),
            v if v > schema::LATEST => {
                return Err(ServerError::SchemaTooNew {
                    found: v,
                    supported: schema::LATEST,
                });
            }
            v if v < schema::LATEST => {
                return Err(ServerError::SchemaOld {
                    found: v,
                    supported: schema::LATEST,
                });
            }
            _ => {}
        }
        open.desk = desk.unwrap_or_default().to_string();
        Ok(open)
    }

    /// Ends the batch: the change numbers `range` (first, last) taken and
    /// left to settle, the retention `purge` applied, the commit; one
    /// round trip. Returns what the purge cleared.
    fn finish(
        mut self,
        t: &Target,
        range: Option<(i64, i64)>,
        purge: Option<Cutoffs>,
    ) -> Result<Option<(u64, u64)>, ServerError> {
        let mut sql = String::new();
        if let Some((first, upto)) = range {
            sql.push_str(&format!("SELECT tiski.end_batch({upto}, {first});"));
        }
        if let Some(c) = purge {
            let date = |d: Option<chrono::NaiveDate>| {
                d.map_or("NULL".to_string(), |d| {
                    format!("DATE '{}'", d.format("%Y-%m-%d"))
                })
            };
            sql.push_str(&format!(
                "SELECT notes, identities FROM tiski.purge({}, {});",
                date(c.notes_before),
                date(c.identities_before)
            ));
        }
        sql.push_str("COMMIT");
        let messages = self.client.simple_query(&sql).map_err(|e| classify(e, t))?;
        self.done = true;
        Ok(purge.map(|_| {
            // The purge's row is the last (after the end's).
            messages
                .iter()
                .rev()
                .find_map(|m| match m {
                    postgres::SimpleQueryMessage::Row(r) => {
                        let n = |i: usize| {
                            r.try_get(i)
                                .ok()
                                .flatten()
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(0)
                        };
                        Some((n(0), n(1)))
                    }
                    _ => None,
                })
                .unwrap_or((0, 0))
        }))
    }
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        if !self.done {
            // A connection that broke needs none; a kept one must not stay
            // in a failed transaction.
            let _ = self.client.batch_execute("ROLLBACK");
        }
    }
}

/// `value` as an SQL string literal, whatever the server's
/// `standard_conforming_strings`; a NUL (which no text may hold) refused.
fn literal(value: &str) -> Result<String, ServerError> {
    if value.contains('\0') {
        return Err(ServerError::Refused {
            code: "22021".into(),
            message: "a NUL character in a value".into(),
        });
    }
    let mut out = String::from("E'");
    for ch in value.chars() {
        match ch {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('\'');
    Ok(out)
}

/// Batches up to this size go in as one statement's array parameters; a
/// larger one by `COPY` into a temporary table, made once per connection.
const SMALL: usize = 256;

/// The upsert of the desk's copies from `{src}`: rows (kind, uid, seq,
/// body), a NULL body for a record gone. A copy is rewritten only when
/// its body differs. The desk is worked out once per statement (a scalar
/// subquery), not once per row; when the record was written is
/// `tiski.written_at` written out, which PostgreSQL would run as a
/// function call of its own for each row (its casts are not immutable, so
/// it is not inlined).
const UPSERT: &str = "
    INSERT INTO tiski.copies AS c (desk, uid, kind, seq, updated_at, body)
    SELECT (SELECT tiski.desk_of(current_user)), i.uid, i.kind, i.seq,
           CASE i.kind
               WHEN 'deleted' THEN (i.body->>'deleted_at')::timestamptz
               WHEN 'session' THEN NULL
               WHEN 'cancelled' THEN NULL
               ELSE (i.body->>'updated_at')::timestamptz
           END, i.body
    FROM {src} WHERE i.body IS NOT NULL
    ON CONFLICT (uid, kind, desk) DO UPDATE
       SET seq = excluded.seq, updated_at = excluded.updated_at, body = excluded.body
       WHERE c.body IS DISTINCT FROM excluded.body";

/// The delete of the copies of records gone, from `{src}`: sent only for
/// a batch that holds one (each statement on the copies runs the unit's
/// triggers, even for no rows).
const DELETE: &str = "
    DELETE FROM tiski.copies c USING {src}
     WHERE i.body IS NULL AND c.uid = i.uid AND c.kind = i.kind
       AND c.desk = (SELECT tiski.desk_of(current_user))";

/// One batch into the desk's copies, inside the batch's transaction.
fn send(client: &mut Client, batch: &[Change]) -> Result<(), postgres::Error> {
    use postgres::types::Type;
    let gone = batch.iter().any(|c| c.body.is_none());
    if batch.len() <= SMALL {
        let kinds: Vec<&str> = batch.iter().map(|c| c.kind.as_str()).collect();
        let uids: Vec<&str> = batch.iter().map(|c| c.uid.as_str()).collect();
        let seqs: Vec<i64> = batch.iter().map(|c| c.seq).collect();
        let bodies: Vec<Option<&str>> = batch.iter().map(|c| c.body.as_deref()).collect();
        let src = "unnest($1::text[], $2::text[], $3::bigint[], $4::text[]::jsonb[])
                   AS i(kind, uid, seq, body)";
        let params: [(&(dyn postgres::types::ToSql + Sync), Type); 4] = [
            (&kinds, Type::TEXT_ARRAY),
            (&uids, Type::TEXT_ARRAY),
            (&seqs, Type::INT8_ARRAY),
            (&bodies, Type::TEXT_ARRAY),
        ];
        // Typed: one round trip each, no statement prepared first.
        client.execute_typed(&UPSERT.replace("{src}", src), &params)?;
        if gone {
            client.execute_typed(&DELETE.replace("{src}", src), &params)?;
        }
        return Ok(());
    }
    client.batch_execute(
        "CREATE TEMP TABLE IF NOT EXISTS tiski_in (kind text, uid text, seq bigint, body jsonb)
             ON COMMIT DELETE ROWS;
         SET LOCAL client_min_messages = warning;",
    )?;
    let mut w = client.copy_in("COPY tiski_in (kind, uid, seq, body) FROM STDIN")?;
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
    let mut sql = UPSERT.replace("{src}", "tiski_in i");
    if gone {
        sql.push(';');
        sql.push_str(&DELETE.replace("{src}", "tiski_in i"));
    }
    client.batch_execute(&sql)
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

//! The server's schema, made and brought up to date by `tiski server init`
//! from the versioned SQL files in `src/server/sql/` (applied in order,
//! all in one transaction, refusing a schema newer than this tiski), and
//! the desks and readers the city's IT adds.

use postgres::Client;

use super::connect::classify;
use super::{ServerError, Target};

/// Each file takes the schema from version `i` to `i + 1`. Append only:
/// never edit one that has shipped.
pub const MIGRATIONS: &[&str] = &[
    include_str!("sql/0001_schema.sql"),
    include_str!("sql/0002_day_counts.sql"),
    include_str!("sql/0003_push_months.sql"),
    include_str!("sql/0004_session_vouchers.sql"),
    include_str!("sql/0005_push_turns.sql"),
    include_str!("sql/0006_settle.sql"),
    include_str!("sql/0007_bulk_settle.sql"),
    include_str!("sql/0008_day_recount.sql"),
];

/// The schema version this build writes and reads.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// The group role of the desks.
pub const DESK_ROLE: &str = "tiski_desk";
/// The group role of the unit's readers.
pub const READER_ROLE: &str = "tiski_reader";

/// What `init` did: the schema version before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Init {
    pub from: i64,
    pub to: i64,
}

/// The schema version on the server; 0 when there is no tiski schema.
pub fn version(client: &mut impl postgres::GenericClient, t: &Target) -> Result<i64, ServerError> {
    // Two statements: a query naming a missing table fails as it is
    // planned, whatever its CASE says.
    let exists: bool = client
        .query_one("SELECT to_regclass('tiski.meta') IS NOT NULL", &[])
        .map_err(|e| classify(e, t))?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let v: Option<String> = client
        .query_opt(
            "SELECT value FROM tiski.meta WHERE key = 'schema_version'",
            &[],
        )
        .map_err(|e| classify(e, t))?
        .map(|r| r.get(0));
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Refuses a server whose schema this tiski cannot use.
pub fn check(client: &mut Client, t: &Target) -> Result<(), ServerError> {
    match version(client, t)? {
        0 => Err(ServerError::NoSchema),
        v if v > LATEST => Err(ServerError::SchemaTooNew {
            found: v,
            supported: LATEST,
        }),
        v if v < LATEST => Err(ServerError::SchemaOld {
            found: v,
            supported: LATEST,
        }),
        _ => Ok(()),
    }
}

/// Makes the schema or brings it up to date, in one transaction; a schema
/// newer than this tiski is left as it is.
pub fn init(client: &mut Client, t: &Target) -> Result<Init, ServerError> {
    let mut tx = client.transaction().map_err(|e| classify(e, t))?;
    // Two inits at once: the second waits, then finds the work done. And
    // a settle under way (`tiski.settle`, from version 6 on) finishes
    // first: a migration may drop or alter the tables it is writing, and
    // taken in the other order the two would wait on each other.
    tx.batch_execute(
        "SELECT pg_advisory_xact_lock(hashtext('tiski schema'));
         SELECT pg_advisory_xact_lock(hashtext('tiski settle'));",
    )
    .map_err(|e| classify(e, t))?;
    let found = version(&mut tx, t)?;
    if found > LATEST {
        return Err(ServerError::SchemaTooNew {
            found,
            supported: LATEST,
        });
    }
    // The group roles are the cluster's, shared by its databases; another
    // database's init may be making them at this moment.
    tx.batch_execute(&format!(
        "DO $$ BEGIN
             BEGIN
                 CREATE ROLE {DESK_ROLE} NOLOGIN;
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
             END;
             BEGIN
                 CREATE ROLE {READER_ROLE} NOLOGIN;
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
             END;
         END $$;"
    ))
    .map_err(|e| classify(e, t))?;
    for sql in &MIGRATIONS[found as usize..] {
        tx.batch_execute(sql).map_err(|e| classify(e, t))?;
    }
    tx.execute(
        "INSERT INTO tiski.meta (key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&LATEST.to_string()],
    )
    .map_err(|e| classify(e, t))?;
    tx.commit().map_err(|e| classify(e, t))?;
    Ok(Init {
        from: found,
        to: LATEST,
    })
}

/// A role name as an SQL identifier.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Registers desk `desk` with its login role (made, without a password,
/// when it does not exist: IT sets one with `ALTER ROLE … PASSWORD`), and
/// claims its voucher prefix.
pub fn add_desk(
    client: &mut Client,
    t: &Target,
    desk: &str,
    role: &str,
    prefix: Option<&str>,
) -> Result<(), ServerError> {
    check(client, t)?;
    let mut tx = client.transaction().map_err(|e| classify(e, t))?;
    ensure_login_role(&mut tx, t, role)?;
    tx.batch_execute(&format!("GRANT {DESK_ROLE} TO {}", ident(role)))
        .map_err(|e| classify(e, t))?;
    tx.execute(
        "INSERT INTO tiski.desks (desk, role) VALUES ($1, $2)
         ON CONFLICT (desk) DO UPDATE SET role = excluded.role",
        &[&desk, &role],
    )
    .map_err(|e| classify(e, t))?;
    if let Some(p) = prefix {
        let holder: String = tx
            .query_one(
                "WITH claimed AS (
                     INSERT INTO tiski.voucher_series (prefix, desk) VALUES ($1, $2)
                     ON CONFLICT DO NOTHING RETURNING desk)
                 SELECT desk FROM claimed
                 UNION ALL SELECT desk FROM tiski.voucher_series WHERE prefix = $1
                 LIMIT 1",
                &[&p, &desk],
            )
            .map_err(|e| classify(e, t))?
            .get(0);
        if holder != desk {
            return Err(ServerError::SeriesTaken {
                prefix: p.to_string(),
                desk: holder,
            });
        }
    }
    tx.commit().map_err(|e| classify(e, t))
}

/// Lets login role `role` (made when it does not exist) read the unit's
/// figures.
pub fn add_reader(client: &mut Client, t: &Target, role: &str) -> Result<(), ServerError> {
    check(client, t)?;
    let mut tx = client.transaction().map_err(|e| classify(e, t))?;
    ensure_login_role(&mut tx, t, role)?;
    tx.batch_execute(&format!("GRANT {READER_ROLE} TO {}", ident(role)))
        .map_err(|e| classify(e, t))?;
    tx.commit().map_err(|e| classify(e, t))
}

fn ensure_login_role(
    tx: &mut postgres::Transaction<'_>,
    t: &Target,
    role: &str,
) -> Result<(), ServerError> {
    let exists: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)",
            &[&role],
        )
        .map_err(|e| classify(e, t))?
        .get(0);
    if !exists {
        tx.batch_execute(&format!("CREATE ROLE {} LOGIN", ident(role)))
            .map_err(|e| classify(e, t))?;
    }
    Ok(())
}

/// Clears what retention says on the server: the notes of visits before
/// `notes_before`, the voucher identities valid until before
/// `identities_before`, in every copy the role may change (a desk's own;
/// the admin's: all). Returns how many notes and identities went.
pub fn purge(
    client: &mut Client,
    t: &Target,
    notes_before: Option<chrono::NaiveDate>,
    identities_before: Option<chrono::NaiveDate>,
) -> Result<(u64, u64), ServerError> {
    check(client, t)?;
    let row = client
        .query_one(
            "SELECT notes, identities FROM tiski.purge($1, $2)",
            &[&notes_before, &identities_before],
        )
        .map_err(|e| classify(e, t))?;
    let (n, i): (i64, i64) = (row.get(0), row.get(1));
    // The notes cleared leave the unit's records too, now.
    settle(client, t, true)?;
    Ok((n as u64, i as u64))
}

/// Works out the unit's records and counts from the desks' copies of
/// every batch committed before it (schema version 6, `tiski.settle`), in
/// a transaction of its own: call it outside one (it makes its
/// transaction's commit not wait for the disk, which a caller's own
/// writes should not share). Waits for a settle under way; with `wait`
/// false, returns `None` instead of waiting. Returns how many uids it
/// worked out.
pub fn settle(
    client: &mut impl postgres::GenericClient,
    t: &Target,
    wait: bool,
) -> Result<Option<u64>, ServerError> {
    let n: Option<i64> = client
        .query_one("SELECT tiski.settle($1)", &[&wait])
        .map_err(|e| classify(e, t))?
        .get(0);
    Ok(n.map(|n| n as u64))
}

//! The server rows (issue 24), against the PostgreSQL of `TISKI_BENCH_PG`
//! or `TISKI_TEST_PG` (`.ci/pg/start`: loopback, TLS): a city's desks
//! pushing a year each, an incremental sync of one visit, and the unit's
//! year report read back at a million visits. Each beside the least the
//! server must do for it, measured in the same run: the same bodies by
//! `COPY` alone into a keyed table, and the year's counts in one query.
//!
//! Every desk is a database in memory filled by the demo generator (a year
//! of its visits, vouchers, events, head-counts), pushed by `tiski sync`'s
//! own code; the benchmark's database and roles are dropped at the end.

use std::io::Write as _;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use tiski::clock::Now;
use tiski::config::Config;
use tiski::demo::{DemoOptions, generate};
use tiski::desk::Trusted;
use tiski::error::Error;
use tiski::export::assemble::{self, ReportScope};
use tiski::report::period::Period;
use tiski::server::push::SyncOptions;
use tiski::server::{Target, schema};
use tiski::store::Store;

use super::measure::median;
use super::table::ms;

/// Targets (issue 24).
const PUSH_MIN_PER_S: f64 = 50_000.0;
const INCREMENTAL_MAX: Duration = Duration::from_millis(50);
const REPORT_MAX: Duration = Duration::from_secs(1);

/// Desks that sync at once (each its own connection).
const AT_ONCE: usize = 4;

/// What to measure.
pub struct ServerArgs {
    pub desks: usize,
    pub visits_per_desk: u64,
}

/// The admin's connection from `key=value` pairs (`.ci/pg/start`'s form).
fn admin_target(conninfo: &str) -> Option<Target> {
    let kv: std::collections::BTreeMap<&str, &str> = conninfo
        .split_whitespace()
        .filter_map(|p| p.split_once('='))
        .collect();
    Some(Target::new(
        kv.get("host")?,
        kv.get("port")?.parse().ok()?,
        kv.get("dbname").copied().unwrap_or("postgres"),
        kv.get("user")?,
        kv.get("password").copied(),
        kv.get("sslrootcert").map(std::path::Path::new),
    ))
}

fn fail(what: &str, e: impl std::fmt::Debug) -> Error {
    Error::Terminal(std::io::Error::other(format!("{what}: {e:?}")))
}

/// A database of this run, its roles, dropped at the end.
struct BenchDb {
    admin: Target,
    name: String,
    roles: Vec<String>,
}

impl Drop for BenchDb {
    fn drop(&mut self) {
        let Ok(mut c) = tiski::server::connect(&self.admin) else {
            return;
        };
        let _ = c.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
        for r in &self.roles {
            let _ = c.batch_execute(&format!("DROP ROLE IF EXISTS {r}"));
        }
    }
}

impl BenchDb {
    fn role(&mut self, kind: &str, i: usize) -> Result<(String, String), Error> {
        let role = format!("tiski_bench_{kind}_{i}_{}", std::process::id());
        let password = format!("pw{i}x{}", std::process::id());
        let mut c = tiski::server::connect(&self.admin)?;
        c.batch_execute(&format!(
            "DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN PASSWORD '{password}'; \
             GRANT CONNECT, TEMPORARY ON DATABASE {} TO {role}",
            self.name
        ))
        .map_err(|e| fail("role", e))?;
        self.roles.push(role.clone());
        Ok((role, password))
    }
}

/// A year of one desk's log, in memory.
fn desk_log(config: &Config, visits: u64, seed: u64) -> Result<Store, Error> {
    let mut s = Store::open_in_memory()?;
    let opts = DemoOptions {
        visits,
        years: 1,
        today: NaiveDate::from_ymd_opt(2026, 1, 1).expect("a day"),
        seed,
    };
    generate(&mut s, config, &opts, &Trusted::by_user(Now::read()))?;
    Ok(s)
}

/// Syncs each of `stores` as its desk, `AT_ONCE` at a time; the wall time
/// until the last batch was acknowledged. With `leave_unsettled` the
/// desks leave the unit's records to be settled (timed apart, by
/// [`settle`]); without, each settles after its sync as `tiski sync` does,
/// when no other settle is running.
fn push_all(
    stores: Vec<(Store, Target)>,
    leave_unsettled: bool,
) -> Result<(Duration, Vec<Store>), Error> {
    let queue = Mutex::new(stores.into_iter().enumerate().collect::<Vec<_>>());
    let done = Mutex::new(Vec::new());
    let started = Instant::now();
    let failed: Mutex<Option<Error>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..AT_ONCE {
            scope.spawn(|| {
                loop {
                    let Some((i, (mut s, t))) = queue.lock().expect("queue").pop() else {
                        return;
                    };
                    let r = tiski::server::connect(&t).and_then(|mut c| {
                        let opts = SyncOptions {
                            leave_unsettled,
                            ..SyncOptions::default()
                        };
                        tiski::server::sync(&mut s, &mut c, &t, &opts)
                    });
                    match r {
                        Ok(_) => done.lock().expect("done").push((i, s)),
                        Err(e) => {
                            *failed.lock().expect("failed") = Some(e.into());
                            return;
                        }
                    }
                }
            });
        }
    });
    let took = started.elapsed();
    if let Some(e) = failed.into_inner().expect("failed") {
        return Err(e);
    }
    let mut done = done.into_inner().expect("done");
    done.sort_by_key(|(i, _)| *i);
    Ok((took, done.into_iter().map(|(_, s)| s).collect()))
}

/// The unit's records and counts worked out from what the pushes left, as
/// the reader's next reading does before it reads; its wall time and how
/// many uids it worked out.
fn settle(reader: &Target) -> Result<(Duration, u64), Error> {
    let mut c = tiski::server::connect(reader)?;
    let t = Instant::now();
    let n = schema::settle(&mut c, reader, true)?.unwrap_or(0);
    Ok((t.elapsed(), n))
}

/// The visits in a set of desk logs.
fn visits_in(stores: &[(Store, Target)]) -> Result<u64, Error> {
    let mut n = 0;
    for (s, _) in stores {
        let from = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a day");
        let to = NaiveDate::from_ymd_opt(2100, 1, 1).expect("a day");
        n += s.session_stats(None, from, to)?.visitors as u64;
    }
    Ok(n)
}

fn rate(n: u64, d: Duration) -> String {
    format!("{:.0} visits/s", n as f64 / d.as_secs_f64())
}

fn verdict(ok: bool) -> &'static str {
    if ok { "PASS" } else { "FAIL" }
}

/// Runs the server rows and prints them; `None` when no server is given.
pub fn run(args: &ServerArgs) -> Result<(), Error> {
    let conninfo = std::env::var("TISKI_BENCH_PG")
        .or_else(|_| std::env::var("TISKI_TEST_PG"))
        .ok();
    let Some(admin) = conninfo.as_deref().and_then(admin_target) else {
        println!(
            "\nserver rows: skipped (no TISKI_BENCH_PG or TISKI_TEST_PG: eval \"$(.ci/pg/start)\")"
        );
        return Ok(());
    };
    let config = Config::embedded();
    let name = format!("tiski_bench_{}", std::process::id());
    let mut c = tiski::server::connect(&admin)?;
    // Two statements: CREATE DATABASE runs outside a transaction alone.
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .map_err(|e| fail("database", e))?;
    c.batch_execute(&format!("CREATE DATABASE {name}"))
        .map_err(|e| fail("database", e))?;
    let version: String = c
        .query_one("SHOW server_version", &[])
        .map_err(|e| fail("version", e))?
        .get(0);
    let mut db = BenchDb {
        admin: admin.clone(),
        name: name.clone(),
        roles: Vec::new(),
    };
    let admin_db = admin.in_database(&name);
    let mut ca = tiski::server::connect(&admin_db)?;
    schema::init(&mut ca, &admin_db)?;
    println!(
        "\nserver rows: PostgreSQL {version} on {} (TLS), {} desks × {} visits, {AT_ONCE} at once",
        admin.host, args.desks, args.visits_per_desk
    );

    let mut desks = Vec::new();
    for i in 0..2 * args.desks {
        let (role, pw) = db.role("desk", i)?;
        schema::add_desk(&mut ca, &admin_db, &format!("d{i}"), &role, None)?;
        desks.push(admin_db.as_user(&role, Some(&pw)));
    }
    let (reader_role, reader_pw) = db.role("reader", 0)?;
    schema::add_reader(&mut ca, &admin_db, &reader_role)?;
    let reader = admin_db.as_user(&reader_role, Some(&reader_pw));

    print!("  generating the first {} desks' years…", args.desks);
    let _ = std::io::stdout().flush();
    let t = Instant::now();
    let mut first = Vec::new();
    for (i, target) in desks[..args.desks].iter().enumerate() {
        first.push((
            desk_log(&config, args.visits_per_desk, 1000 + i as u64)?,
            target.clone(),
        ));
    }
    let first_visits = visits_in(&first)?;
    println!(" {:.1} s", t.elapsed().as_secs_f64());

    // The limit: the same bodies COPYed into a table keyed by uid, as one
    // client, in batches of one transaction each, as the push's are.
    let mut bodies = Vec::new();
    for (s, _) in &mut first {
        s.sync_enable()?;
        bodies.extend(
            s.sync_batch(0, usize::MAX)?
                .into_iter()
                .filter_map(|c| c.body.map(|b| (format!("{}:{}", c.kind, c.uid), b))),
        );
    }
    ca.batch_execute("CREATE TABLE bench_copy (uid text PRIMARY KEY, body jsonb NOT NULL)")
        .map_err(|e| fail("copy table", e))?;
    let t = Instant::now();
    for chunk in bodies.chunks(10_000) {
        let mut tx = ca.transaction().map_err(|e| fail("copy", e))?;
        let mut w = tx
            .copy_in("COPY bench_copy (uid, body) FROM STDIN")
            .map_err(|e| fail("copy", e))?;
        for (key, b) in chunk {
            let line = format!("{key}\t{}\n", b.replace('\\', "\\\\"));
            w.write_all(line.as_bytes()).map_err(|e| fail("copy", e))?;
        }
        w.finish().map_err(|e| fail("copy", e))?;
        tx.batch_execute("TRUNCATE bench_copy")
            .map_err(|e| fail("copy", e))?;
        tx.commit().map_err(|e| fail("copy", e))?;
    }
    let copy_time = t.elapsed();
    let records = bodies.len() as u64;
    drop(bodies);

    print!("  pushing them…");
    let _ = std::io::stdout().flush();
    let (push_time, mut first) = push_all(first, true)?;
    print!(" {:.1} s; settling them…", push_time.as_secs_f64());
    let _ = std::io::stdout().flush();
    let (settle_time, settled) = settle(&reader)?;
    println!(" {:.1} s ({settled} uids)", settle_time.as_secs_f64());
    let on_server: i64 = ca
        .query_one(
            "SELECT count(*) FROM tiski.records WHERE kind = 'visit'",
            &[],
        )
        .map_err(|e| fail("count", e))?
        .get(0);
    if on_server as u64 != first_visits {
        return Err(fail(
            "push",
            format!("{on_server} visits on the server, {first_visits} pushed"),
        ));
    }

    // An incremental sync of one visit: connect (TLS, SCRAM), send, as the
    // duty screen's background sync and `tiski sync` do; and on a
    // connection already open.
    let mut one = first.swap_remove(0);
    drop(first);
    let target = desks[0].clone();
    let profile = config.profile("ikaihmiset").expect("a profile");
    let add_one = |s: &mut Store, m: u32| -> Result<(), Error> {
        tiski::desk::save_visit(
            s,
            profile,
            tiski::store::Target::Day {
                profile: "ikaihmiset",
                location: "Kirjasto",
            },
            NaiveDate::from_ymd_opt(2025, 12, 30)
                .and_then(|d| d.and_hms_opt(10, m % 60, 0))
                .expect("a time"),
            tiski::domain::VisitEntry {
                topics: vec!["digituki".into()],
                ..Default::default()
            },
            false,
            &Trusted::by_user(Now::read()),
        )?;
        Ok(())
    };
    // On the connection the screen keeps, with the desk's voucher prefix
    // and retention as the screen sends them (a fresh connection's first
    // sync purges: see PERFORMANCE.md).
    let opts = SyncOptions::of(&config, NaiveDate::from_ymd_opt(2026, 1, 1).expect("a day"));
    let mut fresh = Vec::new();
    let mut open = Vec::new();
    let mut held = tiski::server::connect(&target)?;
    let mut session = tiski::server::push::Session::default();
    for m in 0..21 {
        add_one(&mut one, m)?;
        let t = Instant::now();
        let mut c = tiski::server::connect(&target)?;
        tiski::server::sync(&mut one, &mut c, &target, &SyncOptions::default())?;
        fresh.push(t.elapsed());
        add_one(&mut one, m + 30)?;
        let t = Instant::now();
        tiski::server::push::sync_in(&mut one, &mut held, &target, &opts, &mut session)?;
        open.push(t.elapsed());
    }
    let (fresh, open) = (median(fresh), median(open));

    print!("  generating and pushing {} more desks…", args.desks);
    let _ = std::io::stdout().flush();
    let mut second = Vec::new();
    for (i, target) in desks[args.desks..].iter().enumerate() {
        second.push((
            desk_log(&config, args.visits_per_desk, 5000 + i as u64)?,
            target.clone(),
        ));
    }
    let second_visits = visits_in(&second)?;
    // As `tiski sync` runs: each desk settles after its sync when no
    // other settle is running; the reader's settle takes what is left.
    let (push2_time, _) = push_all(second, false)?;
    let (settle2_time, _) = settle(&reader)?;
    println!(
        " {:.1} s + the reader's settle {:.1} s",
        push2_time.as_secs_f64(),
        settle2_time.as_secs_f64()
    );
    let total: i64 = ca
        .query_one(
            "SELECT count(*) FROM tiski.records WHERE kind = 'visit'",
            &[],
        )
        .map_err(|e| fail("count", e))?
        .get(0);

    // The year report from the server: every profile's part, the rota,
    // the events, as `tiski report --server --year 2025` assembles it.
    ca.batch_execute("VACUUM ANALYZE")
        .map_err(|e| fail("analyze", e))?;
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a day");
    let mut report_times = Vec::new();
    let mut visitors = 0;
    for _ in 0..7 {
        // As `tiski report --server` runs: connect, check the schema, read
        // (nothing kept from the report before).
        let t = Instant::now();
        let unit = tiski::commands::unit::Unit::connect(&reader, Now::read())?;
        let full = assemble::period_report(
            &unit,
            &config,
            ReportScope::default(),
            Period::year(2025),
            today,
        )?;
        report_times.push(t.elapsed());
        visitors = full.report.visitors;
    }
    let report = median(report_times);
    // The limit: what every session's visits add up to, kept per session
    // and heading (as schema version 1 kept them), summed in one query.
    ca.batch_execute(&format!(
        "CREATE TABLE bench_session_counts AS
             SELECT r.body->>'session_uid' AS session_uid, p.kind, p.key, p.value,
                    count(*)::int AS n
             FROM tiski.records r CROSS JOIN LATERAL tiski.visit_parts(r.body) p
             WHERE r.kind = 'visit' GROUP BY 1, 2, 3, 4;
         ANALYZE bench_session_counts;
         GRANT SELECT ON bench_session_counts TO {reader_role}"
    ))
    .map_err(|e| fail("session counts", e))?;
    let mut cr = tiski::server::connect(&reader)?;
    let mut count_times = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        cr.query(
            "SELECT c.kind, c.key, c.value, sum(c.n) FROM bench_session_counts c
             GROUP BY 1, 2, 3",
            &[],
        )
        .map_err(|e| fail("counts", e))?;
        count_times.push(t.elapsed());
    }
    let counts = median(count_times);
    // What the report itself cannot read less than: the year's counts kept
    // per month and profile, and one row per session.
    let mut kept_times = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        cr.query(
            "SELECT profile, kind, key, value, sum(n) FROM tiski.unit_months
             WHERE month BETWEEN '2025-01' AND '2025-12' GROUP BY 1, 2, 3, 4",
            &[],
        )
        .map_err(|e| fail("kept counts", e))?;
        cr.query(
            "SELECT date, location, visitors, profile, device FROM tiski.session_figures
             WHERE date BETWEEN '2025-01-01' AND '2025-12-31'",
            &[],
        )
        .map_err(|e| fail("kept counts", e))?;
        kept_times.push(t.elapsed());
    }
    let kept = median(kept_times);

    let push_rate = first_visits as f64 / push_time.as_secs_f64();
    let shown_time = push_time + settle_time;
    let shown_rate = first_visits as f64 / shown_time.as_secs_f64();
    let w = 62;
    println!("  {:<w$} {:>16}  {:<22} ", "what", "value", "target");
    println!(
        "  {:<w$} {:>16}  {:<22} {}",
        format!(
            "push {} desks × a year ({first_visits} visits, {} records), acknowledged",
            args.desks, records
        ),
        rate(first_visits, push_time),
        format!("≥ {PUSH_MIN_PER_S:.0} visits/s"),
        verdict(push_rate >= PUSH_MIN_PER_S)
    );
    println!(
        "  {:<w$} {:>16}",
        "  the settle after it (the unit's records and counts)",
        ms(settle_time)
    );
    println!(
        "  {:<w$} {:>16}  {:<22} {}",
        "  the same push until the unit's report shows it (push + settle)",
        rate(first_visits, shown_time),
        format!("≥ {PUSH_MIN_PER_S:.0} visits/s"),
        verdict(shown_rate >= PUSH_MIN_PER_S)
    );
    println!(
        "  {:<w$} {:>16}",
        "  the same bodies by COPY alone into a keyed table (the limit)",
        rate(first_visits, copy_time)
    );
    println!(
        "  {:<w$} {:>16}",
        format!(
            "push {} more desks (the server at {total} visits), each settling after",
            args.desks
        ),
        rate(second_visits, push2_time)
    );
    println!(
        "  {:<w$} {:>16}",
        "  the same until the unit's report shows it (+ the reader's settle)",
        rate(second_visits, push2_time + settle2_time)
    );
    println!(
        "  {:<w$} {:>16}  {:<22} {}",
        "incremental sync of one visit (connect, TLS, sync)",
        ms(fresh),
        format!("≤ {}", ms(INCREMENTAL_MAX)),
        verdict(fresh <= INCREMENTAL_MAX)
    );
    println!(
        "  {:<w$} {:>16}",
        "  the same on the connection the duty screen keeps open",
        ms(open)
    );
    println!(
        "  {:<w$} {:>16}  {:<22} {}",
        format!("year report from the server at {total} visits ({visitors} in 2025)"),
        ms(report),
        format!("≤ {}", ms(REPORT_MAX)),
        verdict(report <= REPORT_MAX)
    );
    println!(
        "  {:<w$} {:>16}",
        "  every session's counts summed in one query (the limit)",
        ms(counts)
    );
    println!(
        "  {:<w$} {:>16}",
        "  the year's kept month counts and session rows, two queries",
        ms(kept)
    );
    drop(db);
    Ok(())
}

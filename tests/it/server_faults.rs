//! Consolidation when things go wrong, on a real PostgreSQL: a connection
//! cut in the middle of a batch (by a proxy in the test), the server
//! restarted during a sync, a wrong password, a certificate no one
//! trusts, a schema newer than this tiski; and the commands themselves,
//! run as the desk and the unit's head run them.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use tiski::commands::unit::Unit;
use tiski::server::push::SyncOptions;
use tiski::server::{ServerError, Target};
use tiski::store::Store;

use crate::cli::{Env, fails};
use crate::pg::{Pg, TestDb, pg, start_script};
use crate::server::{entry, unit_report};

/// A store of one session with `n` visits.
fn desk_with(n: u32) -> Store {
    let mut s = Store::open_in_memory().unwrap();
    for i in 0..n {
        let t = format!("2023-03-07 {:02}:{:02}", 8 + (i / 60) % 12, i % 60);
        crate::server::log(
            &mut s,
            "ikaihmiset",
            "Kirjasto",
            &t,
            entry(&["digituki", "kela"]),
        );
    }
    s
}

/// A proxy on the loopback to `upstream` that cuts the connection once
/// `limit` bytes have gone from the client to the server.
struct Proxy {
    port: u16,
    stop: Arc<AtomicBool>,
}

impl Proxy {
    fn new(upstream: u16, limit: u64) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        listener.set_nonblocking(true).unwrap();
        std::thread::spawn(move || {
            let sent = Arc::new(AtomicU64::new(0));
            while !stopped.load(Ordering::Relaxed) {
                let Ok((client, _)) = listener.accept() else {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    continue;
                };
                client.set_nonblocking(false).unwrap();
                let server = TcpStream::connect(("127.0.0.1", upstream)).unwrap();
                let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                let counted = Arc::clone(&sent);
                // Client to server, counted and cut.
                std::thread::spawn(move || {
                    pipe(client, server, Some((counted, limit)));
                });
                std::thread::spawn(move || pipe(s2, c2, None));
            }
        });
        Proxy { port, stop }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn pipe(mut from: TcpStream, mut to: TcpStream, cut: Option<(Arc<AtomicU64>, u64)>) {
    let mut buf = [0u8; 4096];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let n = match &cut {
            Some((sent, limit)) => {
                let before = sent.fetch_add(n as u64, Ordering::SeqCst);
                if before >= *limit {
                    break;
                }
                n.min((*limit - before) as usize)
            }
            None => n,
        };
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
        if cut
            .as_ref()
            .is_some_and(|(sent, limit)| sent.load(Ordering::SeqCst) >= *limit)
        {
            break;
        }
    }
    let _ = from.shutdown(std::net::Shutdown::Both);
    let _ = to.shutdown(std::net::Shutdown::Both);
}

fn opts(batch: usize) -> SyncOptions {
    SyncOptions {
        batch,
        ..SyncOptions::default()
    }
}

#[test]
fn a_connection_cut_mid_batch_leaves_whole_batches_and_the_next_sync_ends_it() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let desk = db.desk("a", None);
    let reader = db.reader();
    let mut s = desk_with(1999);
    let total = 2000;
    let mut cut_before_end = 0;
    // Cut during the handshake, in the first batch's COPY, and later on.
    for limit in [2_000u64, 60_000, 250_000, 420_000] {
        let proxy = Proxy::new(desk.port, limit);
        let through = desk.clone().at_port(proxy.port);
        let result = tiski::server::connect(&through)
            .and_then(|mut c| tiski::server::sync(&mut s, &mut c, &through, &opts(500)));
        let on_server = db.count("SELECT count(*) FROM tiski.copies");
        match result {
            Err(e) => {
                cut_before_end += 1;
                assert!(
                    matches!(
                        e,
                        ServerError::Lost { .. }
                            | ServerError::Tls { .. }
                            | ServerError::Unreachable { .. }
                    ),
                    "{limit}: {e:?}"
                );
                // Whole batches or nothing; the rest waits at the desk.
                assert_eq!(on_server % 500, 0, "{limit}: {on_server}");
                let pending = s.sync_pending().unwrap() as i64;
                assert!(
                    on_server + pending >= total,
                    "{limit}: {on_server} + {pending}"
                );
            }
            Ok(_) => assert_eq!(on_server, total),
        }
        assert_eq!(
            db.count("SELECT count(*) FROM tiski.records"),
            on_server,
            "the unit's log follows whole batches"
        );
    }
    assert!(cut_before_end >= 2, "the proxy cut some syncs");
    let r = crate::server::sync(&mut s, &desk).unwrap();
    assert!(r.sent > 0);
    assert_eq!(s.sync_pending().unwrap(), 0);
    assert_eq!(db.count("SELECT count(*) FROM tiski.copies"), total);
    let unit = Unit::connect(&reader, tiski::clock::Now::read()).unwrap();
    let server = unit_report(&unit, 2023);
    assert_eq!(server, unit_report(&s, 2023));
    assert_eq!(server.visitors, 1999, "nothing lost, nothing doubled");
}

/// A batch the server breaks off to end a deadlock or a serialization
/// failure (another desk's batch on the same records at that moment) is
/// sent again, whole, and the sync ends with nothing lost or doubled; an
/// error of any other kind is not retried and acknowledges nothing. The
/// server's refusals are made by a trigger of the test's own on the desks'
/// copies, counting its calls by a sequence (not rolled back with the
/// batch).
#[test]
fn a_batch_broken_off_for_a_deadlock_is_sent_again_and_ends_whole() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let desk = db.desk("a", None);
    let other = db.desk("b", None);
    let reader = db.reader();
    let refuse = |code: &str, calls: &str| {
        db.client()
            .batch_execute(&format!(
                "DROP TRIGGER IF EXISTS refuse ON tiski.copies;
                 DROP SEQUENCE IF EXISTS tiski.refusals;
                 CREATE SEQUENCE tiski.refusals;
                 CREATE OR REPLACE FUNCTION tiski.refuse() RETURNS trigger
                 LANGUAGE plpgsql SECURITY DEFINER AS $$
                 BEGIN
                     IF nextval('tiski.refusals') IN ({calls}) THEN
                         RAISE EXCEPTION 'refused by the test' USING ERRCODE = '{code}';
                     END IF;
                     RETURN NULL;
                 END $$;
                 CREATE TRIGGER refuse BEFORE INSERT ON tiski.copies
                     FOR EACH STATEMENT EXECUTE FUNCTION tiski.refuse();"
            ))
            .unwrap();
    };
    let mut s = desk_with(119);
    // The second batch is broken off twice (a deadlock, then a
    // serialization failure would be the same: both are 40xxx).
    refuse("40P01", "2, 3");
    let batched = |s: &mut Store, t: &Target| {
        let mut c = tiski::server::connect(t)?;
        tiski::server::sync(s, &mut c, t, &opts(50))
    };
    let r = batched(&mut s, &desk).unwrap();
    assert_eq!((r.sent, r.batches), (120, 3), "{r:?}");
    assert_eq!(s.sync_pending().unwrap(), 0);
    assert_eq!(db.count("SELECT count(*) FROM tiski.copies"), 120);
    assert_eq!(db.count("SELECT count(*) FROM tiski.records"), 120);
    let unit = Unit::connect(&reader, tiski::clock::Now::read()).unwrap();
    let server = unit_report(&unit, 2023);
    assert_eq!(server, unit_report(&s, 2023));
    assert_eq!(server.visitors, 119, "nothing lost, nothing doubled");
    // Any other refusal ends the sync at once: nothing of that batch on
    // the server, nothing of it forgotten at the desk.
    let mut t = desk_with(0);
    for i in 0..30 {
        crate::server::log(
            &mut t,
            "ikaihmiset",
            "Kirjasto",
            &format!("2023-04-04 10:{i:02}"),
            entry(&["kela"]),
        );
    }
    refuse("P0001", "1");
    let err = batched(&mut t, &other).unwrap_err();
    assert!(matches!(err, ServerError::Refused { .. }), "{err:?}");
    assert_eq!(t.sync_pending().unwrap(), 31);
    assert_eq!(db.count("SELECT count(*) FROM tiski.copies"), 120);
}

/// A cluster of this test's own, which it may restart.
struct OwnCluster {
    pg: Pg,
    dir: PathBuf,
}

impl OwnCluster {
    fn start() -> OwnCluster {
        // Into a file, not a pipe: the server the script leaves running
        // would hold a pipe open, and the wait for its end never end.
        let log = tempfile::NamedTempFile::new().unwrap();
        let status = std::process::Command::new("bash")
            .arg(start_script())
            .stdin(std::process::Stdio::null())
            .stdout(log.reopen().unwrap())
            .stderr(log.reopen().unwrap())
            .status()
            .unwrap();
        let text = std::fs::read_to_string(log.path()).unwrap();
        assert!(status.success(), "{text}");
        let value = |name: &str| -> String {
            let line = text
                .lines()
                .find(|l| l.starts_with(&format!("export {name}=")))
                .unwrap();
            line.split_once('=')
                .unwrap()
                .1
                .trim_matches('\'')
                .to_string()
        };
        let mut pg = crate::pg::parse(&value("TISKI_TEST_PG"));
        let dir = PathBuf::from(value("TISKI_TEST_PG_DIR"));
        pg.dir = Some(dir.clone());
        OwnCluster { pg, dir }
    }

    fn restart(&self) {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .unwrap()
            .map(|e| e.unwrap().path().join("bin/pg_ctl"))
            .filter(|p| p.exists())
            .max()
            .unwrap();
        let data = self.dir.join("data");
        let mut cmd = if nix_root() {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "nobody", "--"]).arg(&bin);
            c
        } else {
            std::process::Command::new(&bin)
        };
        let status = cmd
            .arg("-D")
            .arg(&data)
            .args(["-m", "fast", "-w", "restart"])
            .arg("-l")
            .arg(data.join("server.log"))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        let stop = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/pg/stop");
        let _ = std::process::Command::new("bash")
            .arg(stop)
            .arg(&self.dir)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
    }
}

fn nix_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

#[test]
fn the_server_restarted_mid_sync_loses_and_doubles_nothing() {
    if pg().is_none() {
        return;
    }
    let cluster = OwnCluster::start();
    let mut db = TestDb::new(&cluster.pg);
    let desk = db.desk("a", None);
    let reader = db.reader();
    let s = desk_with(11_999);
    let admin = db.admin.clone();
    let syncing = std::thread::spawn(move || {
        let mut s = s;
        let result = tiski::server::connect(&desk)
            .and_then(|mut c| tiski::server::sync(&mut s, &mut c, &desk, &opts(100)));
        (s, result, desk)
    });
    // Restart once some batches are in, and well before the end.
    let mut c = tiski::server::connect(&admin).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let acked: i64 = c
            .query_one("SELECT acked FROM tiski.desks WHERE desk = 'a'", &[])
            .unwrap()
            .get(0);
        if acked >= 300 {
            assert!(acked < 11_000, "the sync ended before the restart: {acked}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no batch arrived");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    cluster.restart();
    let (mut s, result, desk) = syncing.join().unwrap();
    let err = result.unwrap_err();
    assert!(
        matches!(err, ServerError::Lost { .. }),
        "the restart cut the sync: {err:?}"
    );
    assert!(err.is_transient());
    let on_server = db.count("SELECT count(*) FROM tiski.copies");
    assert_eq!(on_server % 100, 0, "whole batches: {on_server}");
    assert!(s.sync_pending().unwrap() > 0);
    crate::server::sync(&mut s, &desk).unwrap();
    assert_eq!(db.count("SELECT count(*) FROM tiski.copies"), 12_000);
    let unit = Unit::connect(&reader, tiski::clock::Now::read()).unwrap();
    assert_eq!(unit_report(&unit, 2023), unit_report(&s, 2023));
    drop(db);
}

/// The config of a desk (or reader) syncing as `t`'s role, with the CA
/// file unless `trusted` is false.
fn config_for(env: &Env, t: &Target, ca: Option<&Path>) -> PathBuf {
    let path = env.dir.path().join(format!(
        "config-{}-{}.toml",
        t.user,
        if ca.is_some() { "ca" } else { "system" }
    ));
    let mut text = format!(
        "[server]\nhost = \"{}\"\nport = {}\ndatabase = \"{}\"\nuser = \"{}\"\n",
        t.host, t.port, t.database, t.user
    );
    if let Some(ca) = ca {
        text.push_str(&format!("root_cert = \"{}\"\n", ca.display()));
    }
    std::fs::write(&path, text).unwrap();
    path
}

/// The password of a target made by `TestDb` (tests know it).
fn password_of(t: &Target) -> String {
    let debug = format!("{:?}", t);
    assert!(!debug.contains("pw"), "the password stays out of Debug");
    crate::pg::password(t)
}

#[test]
fn a_wrong_password_and_an_untrusted_certificate_are_said_plainly_and_nothing_is_written() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let desk = db.desk("a", None);
    let env = Env::new();
    env.ok(&[
        "log",
        "--profile",
        "ikaihmiset",
        "--at",
        "2023-11-14 10:05",
        "--topic",
        "digituki",
        "--confirm",
    ]);
    let trusted = config_for(&env, &desk, Some(&pg.ca));
    let sync_with = |config: &Path, password: &str, lang: &str| {
        env.cmd()
            .arg("--config")
            .arg(config)
            .args(["--lang", lang, "sync"])
            .env("PGPASSWORD", password)
            .output()
            .unwrap()
    };
    let nothing_written = |env: &Env| {
        assert_eq!(db.count("SELECT count(*) FROM tiski.copies"), 0);
        let s = Store::open(&env.db()).unwrap();
        assert!(!s.sync_enabled().unwrap(), "the desk's file is as it was");
    };
    let msg = fails(&sync_with(&trusted, "not-the-password", "fi"));
    assert!(msg.contains("palvelin ei hyväksynyt"), "{msg}");
    assert!(msg.contains(&desk.user), "{msg}");
    let msg = fails(&sync_with(&trusted, "not-the-password", "en"));
    assert!(msg.contains("the server refused the password"), "{msg}");
    nothing_written(&env);

    let untrusted = config_for(&env, &desk, None);
    let msg = fails(&sync_with(&untrusted, &password_of(&desk), "fi"));
    assert!(msg.contains("varmenteeseen ei luoteta"), "{msg}");
    // Both ways to trust the city's CA: Windows' certificate store, a file.
    assert!(msg.contains("Windowsissa varmennesäilöön"), "{msg}");
    assert!(msg.contains("root_cert"), "{msg}");
    let msg = fails(&sync_with(&untrusted, &password_of(&desk), "en"));
    assert!(msg.contains("not trusted"), "{msg}");
    assert!(
        msg.contains("on Windows into its certificate store"),
        "{msg}"
    );
    nothing_written(&env);

    // With the password and the city's CA, it goes.
    let out = sync_with(&trusted, &password_of(&desk), "fi");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(said.contains("2 tietuetta lähetetty"), "{said}");
    assert_eq!(db.count("SELECT count(*) FROM tiski.copies"), 2);
}

#[test]
fn the_commands_as_it_and_the_head_run_them() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let admin_env = Env::new();
    // IT: init again (up to date), a desk, a reader; a newer schema refused.
    let admin_cfg = config_for(&admin_env, &db.admin, Some(&pg.ca));
    let admin_password = crate::pg::password(&db.admin);
    let admin = |args: &[&str]| {
        admin_env
            .cmd()
            .arg("--config")
            .arg(&admin_cfg)
            .args(args)
            .env("PGPASSWORD", &admin_password)
            .output()
            .unwrap()
    };
    let out = admin(&["server", "init"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("ajan tasalla"));
    let desk = db.desk("kirjasto", None);
    let reader = db.reader();

    // The desk logs and syncs with its own config.
    let env = Env::new();
    for (at, topic) in [
        ("2023-11-14 10:05", "digituki"),
        ("2023-11-14 10:40", "sote"),
    ] {
        env.ok(&[
            "log",
            "--profile",
            "ikaihmiset",
            "--at",
            at,
            "--topic",
            topic,
            "--confirm",
        ]);
    }
    let desk_cfg = config_for(&env, &desk, Some(&pg.ca));
    let out = env
        .cmd()
        .arg("--config")
        .arg(&desk_cfg)
        .arg("sync")
        .env("PGPASSWORD", crate::pg::password(&desk))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The head reads the unit's figures; no file of the head's own needed.
    let head = Env::new();
    let head_cfg = config_for(&head, &reader, Some(&pg.ca));
    let head_run = |args: &[&str]| {
        head.cmd()
            .arg("--config")
            .arg(&head_cfg)
            .args(args)
            .env("PGPASSWORD", crate::pg::password(&reader))
            .output()
            .unwrap()
    };
    let out = head_run(&["report", "--server", "--year", "2023", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let server: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let local: serde_json::Value =
        serde_json::from_str(&env.ok(&["report", "--year", "2023", "--format", "json"])).unwrap();
    assert_eq!(
        server, local,
        "the same page from the server as from the desk"
    );
    assert!(!head.db().exists(), "the head's report made no database");
    let out = head_run(&["export", "--server", "--format", "jsonl"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let exported = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        exported.lines().filter(|l| l.contains("\"visit\"")).count(),
        2
    );
    let out = head_run(&["session", "list", "--server", "--year", "2023"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("14.11.2023"));
    let out = head_run(&["event", "list", "--server", "--year", "2023"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A desk's role may not read the unit's figures: the server says no.
    let out = env
        .cmd()
        .arg("--config")
        .arg(&desk_cfg)
        .args(["report", "--server"])
        .env("PGPASSWORD", crate::pg::password(&desk))
        .output()
        .unwrap();
    let msg = fails(&out);
    assert!(msg.contains("lukijaroolilla"), "{msg}");

    // A schema newer than this tiski: refused, left alone, sync too.
    db.client()
        .batch_execute("UPDATE tiski.meta SET value = '99' WHERE key = 'schema_version'")
        .unwrap();
    let msg = fails(&admin(&["server", "init"]));
    assert!(msg.contains("versiota 99"), "{msg}");
    assert_eq!(
        db.count("SELECT value::bigint FROM tiski.meta WHERE key = 'schema_version'"),
        99
    );
    let msg = fails(
        &env.cmd()
            .arg("--config")
            .arg(&desk_cfg)
            .arg("sync")
            .env("PGPASSWORD", crate::pg::password(&desk))
            .output()
            .unwrap(),
    );
    assert!(msg.contains("päivitä tiski"), "{msg}");
}

/// Two desks on the embedded series both number `LE-…`: the second to
/// sync is refused by the server, naming the desk that has it, and sends
/// nothing; a desk with its own prefix in `[server]` numbers its vouchers
/// with it and syncs.
#[test]
fn a_second_desk_on_the_same_voucher_series_is_refused_and_its_own_prefix_numbers() {
    let Some(pg) = pg() else { return };
    let mut db = TestDb::new(&pg);
    let (a, b, c) = (db.desk("a", None), db.desk("b", None), db.desk("c", None));
    let run = |env: &Env, cfg: &Path, t: &Target, args: &[&str]| {
        env.cmd()
            .arg("--config")
            .arg(cfg)
            .args(args)
            .env("PGPASSWORD", crate::pg::password(t))
            .output()
            .unwrap()
    };
    let issue = ["voucher", "issue", "--product", "liukuesteet"];
    let said = |out: &std::process::Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let (env_a, env_b, env_c) = (Env::new(), Env::new(), Env::new());
    let cfg_a = config_for(&env_a, &a, Some(&pg.ca));
    let cfg_b = config_for(&env_b, &b, Some(&pg.ca));
    assert!(said(&run(&env_a, &cfg_a, &a, &issue)).starts_with("LE-"));
    said(&run(&env_a, &cfg_a, &a, &["sync"]));
    assert!(said(&run(&env_b, &cfg_b, &b, &issue)).starts_with("LE-"));
    let msg = fails(&run(&env_b, &cfg_b, &b, &["sync"]));
    assert!(
        msg.contains("numerotunnus LE on jo työpisteen \"a\""),
        "{msg}"
    );
    assert_eq!(
        db.count("SELECT count(*) FROM tiski.copies WHERE desk = 'b'"),
        0,
        "nothing of b's sent"
    );
    // Its own series, from the config: its numbers and its claim.
    let cfg_c = config_for(&env_c, &c, Some(&pg.ca));
    let mut text = std::fs::read_to_string(&cfg_c).unwrap();
    text.push_str("voucher_prefix = \"LEC\"\n");
    std::fs::write(&cfg_c, text).unwrap();
    let out = said(&run(&env_c, &cfg_c, &c, &issue));
    assert!(out.starts_with("LEC-"), "{out}");
    said(&run(&env_c, &cfg_c, &c, &["sync"]));
    assert_eq!(
        db.count(
            "SELECT count(*) FROM tiski.records
             WHERE kind = 'voucher' AND body->>'number' LIKE 'LEC-%'"
        ),
        1
    );
}

//! The real PostgreSQL the server tests run against: the throwaway cluster
//! `.ci/pg/start` makes (CI starts it; locally `eval "$(.ci/pg/start)"`),
//! found through `TISKI_TEST_PG`. Without it a server test is skipped
//! with a note naming the command to run, so a newcomer's `cargo test`
//! passes on a machine without PostgreSQL; in CI (`CI` set, as `.ci/run`
//! sets it) it fails instead. Each test gets a database of its own, with the schema made by
//! `tiski server init`, and login roles of its own; both are dropped when
//! it ends.

use std::path::{Path, PathBuf};

use tiski::server::{Target, schema};

/// The cluster, as its superuser.
#[derive(Clone)]
pub struct Pg {
    pub admin: Target,
    pub ca: PathBuf,
    pub dir: Option<PathBuf>,
}

/// The cluster, or `None` when the server tests are explicitly skipped.
pub fn pg() -> Option<Pg> {
    let Ok(conninfo) = std::env::var("TISKI_TEST_PG") else {
        let wanted = "the server tests need a PostgreSQL: run `eval \"$(.ci/pg/start)\"` first";
        if std::env::var("CI").is_err() {
            eprintln!("skipped: {wanted}");
            return None;
        }
        panic!("{wanted}");
    };
    Some(parse(&conninfo))
}

/// `key=value` pairs as `.ci/pg/start` prints them.
pub fn parse(conninfo: &str) -> Pg {
    let kv: std::collections::BTreeMap<&str, &str> = conninfo
        .split_whitespace()
        .filter_map(|p| p.split_once('='))
        .collect();
    let ca = PathBuf::from(kv["sslrootcert"]);
    if let Some(p) = kv.get("password") {
        PASSWORDS
            .lock()
            .unwrap()
            .insert(kv["user"].to_string(), p.to_string());
    }
    Pg {
        admin: Target::new(
            kv["host"],
            kv["port"].parse().unwrap(),
            kv.get("dbname").copied().unwrap_or("postgres"),
            kv["user"],
            kv.get("password").copied(),
            Some(&ca),
        ),
        ca,
        dir: std::env::var_os("TISKI_TEST_PG_DIR").map(PathBuf::from),
    }
}

/// The password a test gave a target (kept in a table of the test run,
/// as `Target` shows it to no one).
pub fn password(t: &Target) -> String {
    PASSWORDS
        .lock()
        .unwrap()
        .get(&t.user)
        .cloned()
        .unwrap_or_else(|| panic!("no password for {}", t.user))
}

static PASSWORDS: std::sync::Mutex<std::collections::BTreeMap<String, String>> =
    std::sync::Mutex::new(std::collections::BTreeMap::new());

/// A database of one test, with the tiski schema.
pub struct TestDb {
    pub pg: Pg,
    pub name: String,
    /// The admin, in this database.
    pub admin: Target,
    roles: Vec<String>,
}

/// A unique, short, lower-case name.
pub fn unique(prefix: &str) -> String {
    let n = uuid::Uuid::now_v7().simple().to_string();
    format!("{prefix}{}", &n[n.len() - 12..])
}

impl TestDb {
    pub fn new(pg: &Pg) -> TestDb {
        let name = unique("tiski_t_");
        let mut c = tiski::server::connect(&pg.admin).unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let admin = pg.admin.in_database(&name);
        let mut c = tiski::server::connect(&admin).unwrap();
        schema::init(&mut c, &admin).unwrap();
        TestDb {
            pg: pg.clone(),
            name,
            admin,
            roles: Vec::new(),
        }
    }

    /// A database of one test with the tiski schema at `version` (an
    /// older one than this tiski writes, for `server init` to bring up to
    /// date), made as `tiski server init` of that version made it.
    pub fn at_version(pg: &Pg, version: usize) -> TestDb {
        let name = unique("tiski_t_");
        let mut c = tiski::server::connect(&pg.admin).unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let admin = pg.admin.in_database(&name);
        let mut c = tiski::server::connect(&admin).unwrap();
        let mut tx = c.transaction().unwrap();
        tx.batch_execute(&format!(
            "DO $$ BEGIN
                 BEGIN CREATE ROLE {desk} NOLOGIN;
                 EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END;
                 BEGIN CREATE ROLE {reader} NOLOGIN;
                 EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END;
             END $$;",
            desk = schema::DESK_ROLE,
            reader = schema::READER_ROLE
        ))
        .unwrap();
        for sql in &schema::MIGRATIONS[..version] {
            tx.batch_execute(sql).unwrap();
        }
        tx.execute(
            "INSERT INTO tiski.meta (key, value) VALUES ('schema_version', $1)",
            &[&version.to_string()],
        )
        .unwrap();
        tx.commit().unwrap();
        TestDb {
            pg: pg.clone(),
            name,
            admin,
            roles: Vec::new(),
        }
    }

    /// A login role with a password.
    fn role(&mut self, kind: &str) -> (String, String) {
        let role = unique(&format!("t_{kind}_"));
        let password = unique("pw");
        let mut c = tiski::server::connect(&self.pg.admin).unwrap();
        c.batch_execute(&format!(
            "CREATE ROLE {role} LOGIN PASSWORD '{password}'; \
             GRANT CONNECT, TEMPORARY ON DATABASE {} TO {role}",
            self.name
        ))
        .unwrap();
        self.roles.push(role.clone());
        PASSWORDS
            .lock()
            .unwrap()
            .insert(role.clone(), password.clone());
        (role, password)
    }

    /// A desk `desk` of this database and its role's target.
    pub fn desk(&mut self, desk: &str, prefix: Option<&str>) -> Target {
        let (role, password) = self.role("desk");
        let mut c = tiski::server::connect(&self.admin).unwrap();
        schema::add_desk(&mut c, &self.admin, desk, &role, prefix).unwrap();
        self.admin.as_user(&role, Some(&password))
    }

    /// A reader role's target.
    pub fn reader(&mut self) -> Target {
        let (role, password) = self.role("reader");
        let mut c = tiski::server::connect(&self.admin).unwrap();
        schema::add_reader(&mut c, &self.admin, &role).unwrap();
        self.admin.as_user(&role, Some(&password))
    }

    /// The admin's connection to this database.
    pub fn client(&self) -> postgres::Client {
        tiski::server::connect(&self.admin).unwrap()
    }

    /// One number from the admin's view, once the unit's log is settled
    /// from every push committed before (schema version 6: as a reader's
    /// connection settles it).
    pub fn count(&self, sql: &str) -> i64 {
        let mut c = self.client();
        c.batch_execute(
            "DO $$ BEGIN
                 IF to_regproc('tiski.settle') IS NOT NULL THEN
                     PERFORM tiski.settle();
                 END IF;
             END $$",
        )
        .unwrap();
        c.query_one(sql, &[]).unwrap().get(0)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Ok(mut c) = tiski::server::connect(&self.pg.admin) else {
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

/// The repository's `.ci/pg/start`, for a test that needs a cluster of its
/// own (one it restarts).
pub fn start_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/pg/start")
}

//! The binary's one-shot commands with good and bad input: exit codes,
//! messages and the data they leave.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The binary under test: this build's, or the one `TISKI_TEST_BIN`
/// names, so a new test can be run against an older build to see it fail
/// there (`TISKI_TEST_BIN=/path/to/old/tiski cargo test --test it NAME`).
pub fn bin() -> std::ffi::OsString {
    std::env::var_os("TISKI_TEST_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_tiski").into())
}

/// A clock reading at `at` that the user said is right: what fixtures
/// written through `tiski::desk` are dated by.
pub fn yes(at: chrono::NaiveDateTime) -> tiski::desk::Trusted {
    tiski::desk::Trusted::by_user(tiski::clock::Now::at(at))
}

pub struct Env {
    pub dir: tempfile::TempDir,
    /// The TMPDIR every process of this env gets.
    pub tmpdir: Option<PathBuf>,
}

impl Env {
    /// A private HOME, config and data folder, and a temp folder of its
    /// own for every process it runs, so nothing they (or SQLite) put in
    /// the temp folder meets another test's, or another user's, and a run
    /// leaves nothing in the system's.
    pub fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let tmp = dir.path().join("tmp");
        std::fs::create_dir(&tmp).unwrap();
        Env {
            dir,
            tmpdir: Some(tmp),
        }
    }

    /// [`Env::new`], named where a test looks into its temp folder.
    pub fn with_own_tmpdir() -> Env {
        Env::new()
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("data").join("tiski.db")
    }

    /// A new, empty database, as the first start makes it (commands that
    /// only read never create one).
    pub fn init_db(&self) {
        tiski::store::Store::open(&self.db()).unwrap();
    }

    /// The binary with a private HOME and config dir, so no test touches
    /// the real user's files.
    pub fn cmd(&self) -> Command {
        self.cmd_on(&self.db())
    }

    /// [`Env::cmd`] with `--db` set to another file (a refused one, a link).
    pub fn cmd_on(&self, db: &Path) -> Command {
        let mut c = Command::new(bin());
        c.env_clear()
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("share"))
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .arg("--db")
            .arg(db);
        if let Some(tmp) = &self.tmpdir {
            c.env("TMPDIR", tmp);
        }
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Runs the binary on another database file.
    pub fn run_on(&self, db: &Path, args: &[&str]) -> Output {
        self.cmd_on(db).args(args).output().unwrap()
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn tally_json(&self, args: &[&str]) -> Value {
        let mut all = vec!["tally", "--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }
}

/// The command failed as tiski fails: exit 1, nothing on stdout; returns
/// the message.
pub(crate) fn fails(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected exit 1: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty());
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[test]
fn logged_visits_make_the_day_tally_and_the_yearly_average() {
    let env = Env::new();
    let log = |at: &str, topics: &[&str], referral: Option<&str>| {
        let mut args = vec!["log", "--confirm", "--profile", "ikaihmiset", "--at", at];
        for t in topics {
            args.extend(["--topic", t]);
        }
        if let Some(r) = referral {
            args.extend(["--referral", r]);
        }
        env.ok(&args)
    };
    let out = log("2023-10-31 10:15", &["sote"], None);
    assert_eq!(
        out.trim(),
        "Tallennettu 31.10.2023 klo 10.15 · Ikäihmisten hyvinvointiohjaus · Kirjasto · Hyvinvointialueen palvelut (sote)"
    );
    log("2023-11-14 10:05", &["digituki", "liukuesteet"], None);
    log("2023-11-14 10:41", &["digituki"], Some("hva"));
    log("2023-11-14 11:20", &["kadut_infra"], None);
    // Another profile the same day is a session of its own.
    env.ok(&[
        "log",
        "--confirm",
        "--profile",
        "kotouttaminen",
        "--topic",
        "tyo",
        "--at",
        "2023-11-14 13:00",
    ]);

    let j = env.tally_json(&["--date", "2023-11-14", "--profile", "ikaihmiset"]);
    assert_eq!(j["date"], "2023-11-14");
    assert_eq!(j["visitors"], 3);
    assert_eq!(j["sessions"], 1);
    assert_eq!(j["topics"]["digituki"], 2);
    assert_eq!(j["topics"]["liukuesteet"], 1);
    assert_eq!(j["referrals"]["hva"], 1);
    assert_eq!(j["hours"]["10"], 2);
    // 1 + 3 visitors over 2 sessions this year.
    assert_eq!(j["avg_visitors_per_session"], 2.0);
    assert_eq!(j["year_sessions"], 2);

    let all = env.tally_json(&["--date", "2023-11-14"]);
    assert_eq!(all["visitors"], 4);
    assert_eq!(all["sessions"], 2);
    assert_eq!(all["profile"], Value::Null);

    let text = env.ok(&["tally", "--date", "2023-11-14", "--profile", "ikaihmiset"]);
    assert!(text.contains("Päivän yhteenveto 14.11.2023"), "{text}");
    assert!(
        text.contains("Vuonna 2023 keskimäärin 2,0 kävijää päivystystä kohden (2 päivystystä)"),
        "{text}"
    );
    let en = env.ok(&[
        "tally",
        "--date",
        "2023-11-14",
        "--profile",
        "ikaihmiset",
        "--lang",
        "en",
    ]);
    assert!(en.contains("Day tally 2023-11-14"), "{en}");
    assert!(
        en.contains("In 2023 so far 2.0 visitors per session on average (2 sessions)"),
        "{en}"
    );
}

#[test]
fn unknown_profile_topic_referral_and_place_list_the_valid_ones() {
    let env = Env::new();
    let err = fails(&env.run(&["log", "--profile", "nuoret", "--topic", "x"]));
    assert!(err.contains("\"nuoret\""), "{err}");
    assert!(err.contains("ikaihmiset, kotouttaminen"), "{err}");
    let err = fails(&env.run(&["log", "--profile", "ikaihmiset", "--topic", "lumityot"]));
    assert!(err.contains("\"lumityot\""), "{err}");
    assert!(err.contains("sote, digituki"), "{err}");
    let err = fails(&env.run(&[
        "log",
        "--profile",
        "ikaihmiset",
        "--topic",
        "sote",
        "--referral",
        "kirkko",
    ]));
    assert!(err.contains("\"kirkko\"") && err.contains("hva"), "{err}");
    let err = fails(&env.run(&[
        "log",
        "--profile",
        "ikaihmiset",
        "--topic",
        "sote",
        "--location",
        "Kuu",
    ]));
    assert!(
        err.contains("\"Kuu\"") && err.contains("Kirjasto, Spot"),
        "{err}"
    );
    // A key in other case or a label is understood; nothing else is.
    let out = env.ok(&[
        "log",
        "--confirm",
        "--profile",
        "ikaihmiset",
        "--topic",
        "Digituki",
        "--topic",
        "KELA",
        "--referral",
        "Seurakunta",
        "--at",
        "2023-11-13 10:00",
    ]);
    assert!(out.contains("Digituki, Sosiaaliturva, Kela"), "{out}");
    let j = env.tally_json(&["--date", "2023-11-13", "--profile", "ikaihmiset"]);
    assert_eq!(j["topics"]["digituki"], 1);
    assert_eq!(j["topics"]["kela"], 1);
    assert_eq!(j["referrals"]["seurakunta"], 1);
    let err = fails(&env.run(&["log", "--profile", "ikaihmiset", "--topic", "Digi"]));
    assert!(err.contains("\"Digi\""), "{err}");
    let err = fails(&env.run(&["log", "--topic", "sote"]));
    assert!(err.contains("--profile"), "{err}");
    let err = fails(&env.run(&[
        "log",
        "--confirm",
        "--profile",
        "ikaihmiset",
        "--topic",
        "sote",
        "--at",
        "14.11.2023",
    ]));
    assert!(
        err.contains("\"14.11.2023\"") && err.contains("14.11.2023 10.05"),
        "{err}"
    );
    let err = fails(&env.run(&[
        "log",
        "--confirm",
        "--profile",
        "ikaihmiset",
        "--topic",
        "sote",
        "--at",
        "2099-11-14 10:00",
    ]));
    assert!(
        err.contains("\"2099-11-14 10:00\"") && err.contains("ei ole väliltä"),
        "{err}"
    );
    let err = fails(&env.run(&["tally", "--date", "2023-02-30", "--lang", "en"]));
    assert!(
        err.contains("there is no day \"2023-02-30\" in the calendar"),
        "{err}"
    );
    // Nothing was saved by any of these.
    assert_eq!(env.tally_json(&["--date", "2023-11-14"])["visitors"], 0);
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn config_errors_name_the_file_and_line_and_exit_non_zero() {
    let env = Env::new();
    let bad = write(
        env.dir.path(),
        "bad.toml",
        "language = \"fi\"\n[profiles.x\n",
    );
    let err = fails(&env.run(&["--config", bad.to_str().unwrap(), "tally"]));
    assert!(err.contains("bad.toml, rivi 2"), "{err}");
    let dup = write(
        env.dir.path(),
        "dup.toml",
        "[profiles.p]\nfi = \"P\"\nen = \"P\"\ndefault_location = \"A\"\nlocations = [\"A\"]\ntopics = [\n  { key = \"a\", fi = \"A\", en = \"A\" },\n  { key = \"a\", fi = \"B\", en = \"B\" },\n]\n",
    );
    let err = fails(&env.run(&["--config", dup.to_str().unwrap(), "--lang", "en", "tally"]));
    assert!(err.contains("dup.toml, line 8"), "{err}");
    assert!(err.contains("\"a\" appears twice"), "{err}");
    let missing = env.dir.path().join("nope.toml");
    let err = fails(&env.run(&["--config", missing.to_str().unwrap(), "tally"]));
    assert!(err.contains("nope.toml"), "{err}");
    assert!(!env.db().exists(), "a bad config opens no database");
}

#[test]
fn a_good_user_config_changes_labels_and_language_and_config_shows_it() {
    let env = Env::new();
    let dir = env.dir.path().join("config").join("tiski");
    std::fs::create_dir_all(&dir).unwrap();
    write(&dir, "config.toml", "language = \"en\"\n");
    let out = env.ok(&["config"]);
    assert!(out.contains("overridden by"), "{out}");
    assert!(out.contains("config.toml"), "{out}");
    assert!(out.contains("language = \"en\""), "{out}");
    // The printed config is itself a valid config file.
    let copy = write(env.dir.path(), "copy.toml", &out);
    let again = env.ok(&["--config", copy.to_str().unwrap(), "config"]);
    assert!(again.contains("[profiles.kotouttaminen]"));
    // Language from config applies to command output.
    env.ok(&[
        "log",
        "--confirm",
        "--profile",
        "ikaihmiset",
        "--topic",
        "sote",
        "--at",
        "2023-11-14 10:00",
    ]);
    let text = env.ok(&["tally", "--date", "2023-11-14"]);
    assert!(text.starts_with("Day tally"), "{text}");
}

#[test]
fn a_foreign_or_unwritable_database_is_refused_and_left_alone() {
    let env = Env::new();
    let notes = write(env.dir.path(), "notes.txt", &"not a database\n".repeat(200));
    let before = std::fs::read(&notes).unwrap();
    let out = Command::new(bin())
        .env("HOME", env.dir.path())
        .args(["--db", notes.to_str().unwrap(), "tally"])
        .output()
        .unwrap();
    let err = fails(&out);
    assert!(err.contains("notes.txt") && err.contains("SQLite"), "{err}");
    assert_eq!(std::fs::read(&notes).unwrap(), before);

    let out = Command::new(bin())
        .env("HOME", env.dir.path())
        .args(["--db", "/proc/tiski/x.db", "--lang", "en", "tally"])
        .output()
        .unwrap();
    let err = fails(&out);
    assert!(
        err.contains("no tiski database at /proc/tiski/x.db"),
        "{err}"
    );
    // A write command cannot create it either, and says why.
    let out = Command::new(bin())
        .env("HOME", env.dir.path())
        .args([
            "--db",
            "/proc/tiski/x.db",
            "--lang",
            "en",
            "log",
            "--profile",
            "ikaihmiset",
            "--topic",
            "sote",
        ])
        .output()
        .unwrap();
    let err = fails(&out);
    assert!(
        err.contains("cannot open the database /proc/tiski/x.db"),
        "{err}"
    );
}

#[test]
fn database_is_private_even_under_a_loose_umask() {
    let env = Env::new();
    let out = Command::new("sh")
        .args(["-c", "umask 022; exec \"$0\" \"$@\""])
        .arg(bin())
        .args(["--db", env.db().to_str().unwrap()])
        .args(["log", "--profile", "ikaihmiset", "--topic", "sote"])
        .env("HOME", env.dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&env.db()), 0o600);
    assert_eq!(mode(env.db().parent().unwrap()), 0o700);
}

/// Two profiles that both have a `kela` topic stay two rows in every
/// all-profile output: tally, report (JSON and text) and the visit CSV.
#[test]
fn profiles_never_merge_in_all_profile_figures() {
    let env = Env::new();
    for (profile, at) in [
        ("ikaihmiset", "2023-11-14 10:00"),
        ("kotouttaminen", "2023-11-15 12:30"),
    ] {
        env.ok(&[
            "log",
            "--confirm",
            "--profile",
            profile,
            "--topic",
            "kela",
            "--at",
            at,
        ]);
    }
    env.ok(&[
        "log",
        "--confirm",
        "--profile",
        "kotouttaminen",
        "--topic",
        "kela",
        "--at",
        "2023-11-15 12:40",
    ]);
    let t = env.tally_json(&["--date", "2023-11-15"]);
    assert_eq!(t["topics"]["kotouttaminen:kela"], 2);
    assert_eq!(t["topics"].get("kela"), None);
    assert_eq!(t["profiles"]["kotouttaminen"]["topics"]["kela"], 2);
    assert_eq!(t["visitors"], 2);
    let r: Value = serde_json::from_str(&env.ok(&[
        "report",
        "--year",
        "2023",
        "--format",
        "json",
        "--min-count",
        "1",
    ]))
    .unwrap();
    assert_eq!(
        (r["sessions"].as_u64(), r["visitors"].as_u64()),
        (Some(2), Some(3))
    );
    assert_eq!(r["topics"]["ikaihmiset:kela"], 1);
    assert_eq!(r["topics"]["kotouttaminen:kela"], 2);
    assert_eq!(r["profiles"]["ikaihmiset"]["topics"]["kela"], 1);
    assert_eq!(r["profiles"]["kotouttaminen"]["visitors"], 2);
    // Every count shown: with the default threshold these three visits'
    // breakdowns would all be hidden, and left out.
    let text = env.ok(&["report", "--year", "2023", "--min-count", "1"]);
    assert!(
        text.contains("Aiheet · Ikäihmisten hyvinvointiohjaus"),
        "{text}"
    );
    assert!(text.contains("Aiheet · Kotouttaminen"), "{text}");
    let day = env.ok(&["tally", "--date", "2023-11-15"]);
    assert!(day.contains("Kela-etuudet"), "{day}");
    assert!(
        !day.contains("Sosiaaliturva, Kela"),
        "the other profile's label: {day}"
    );
    let csv = env.ok(&["export", "--format", "csv"]);
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains("Sosiaaliturva, Kela") && header.contains("Kela-etuudet"),
        "{header}"
    );
}

/// A field left empty counts as unrecorded, so a field's counts add up to
/// the visits, in the tally and in the report.
#[test]
fn empty_fields_are_counted_as_unrecorded() {
    let env = Env::new();
    for at in ["2023-11-14 10:00", "2023-11-14 10:10"] {
        env.ok(&[
            "log",
            "--confirm",
            "--profile",
            "ikaihmiset",
            "--topic",
            "sote",
            "--at",
            at,
        ]);
    }
    let t = env.tally_json(&["--date", "2023-11-14", "--profile", "ikaihmiset"]);
    assert_eq!(t["fields"]["age_band"]["unrecorded"], 2);
    assert_eq!(
        t["fields"]["channel"]["paikan_paalla"], 2,
        "the default is a value"
    );
    let r: Value = serde_json::from_str(&env.ok(&[
        "report",
        "--year",
        "2023",
        "--profile",
        "ikaihmiset",
        "--format",
        "json",
        "--min-count",
        "1",
    ]))
    .unwrap();
    assert_eq!(r["fields"]["age_band"]["unrecorded"], 2);
    assert_eq!(r["shares"]["fields"]["age_band"]["unrecorded"], 1.0);
    let text = env.ok(&[
        "report",
        "--year",
        "2023",
        "--profile",
        "ikaihmiset",
        "--min-count",
        "1",
    ]);
    assert!(text.contains("ei tietoa"), "{text}");
}

/// `tiski session`: a session recorded afterwards counts with zero
/// visitors; a cancelled scheduled one does not; the list shows held,
/// cancelled and not-recorded slots, and the report counts them.
#[test]
fn sessions_are_recorded_cancelled_and_listed_against_the_rota() {
    let env = Env::new();
    let p = ["--profile", "ikaihmiset"];
    // The rota: every other Tuesday from 10.1.2023; 14.11. and 28.11. are on it.
    let out = env.ok(&[&p[..], &["session", "add", "--date", "2023-11-14"]].concat());
    assert!(out.contains("14.11.2023 klo 10.00–12.00"), "{out}");
    env.ok(&[&p[..], &["session", "cancel", "--date", "2023-11-28"]].concat());
    env.ok(&[
        "log",
        "--confirm",
        "--profile",
        "ikaihmiset",
        "--topic",
        "sote",
        "--at",
        "2023-12-12 10:15",
    ]);
    let mean = |env: &Env| -> (Value, Value) {
        let r: Value = serde_json::from_str(&env.ok(&[
            "report",
            "--profile",
            "ikaihmiset",
            "--from",
            "2023-11-01",
            "--to",
            "2023-12-31",
            "--format",
            "json",
        ]))
        .unwrap();
        (r["sessions"].clone(), r["rota"].clone())
    };
    let (sessions, rota) = mean(&env);
    assert_eq!(
        sessions, 2,
        "14.11. recorded, 12.12. with a visit; 28.11. cancelled"
    );
    // Slots 14.11., 28.11., 12.12., 26.12.: held 2, cancelled 1, 26.12. not recorded.
    assert_eq!(rota["scheduled"], 4);
    assert_eq!(rota["held"], 2);
    assert_eq!(rota["cancelled"], 1);
    assert_eq!(rota["not_recorded"], 1);
    let list: Value = serde_json::from_str(&env.ok(&[
        "session",
        "list",
        "--profile",
        "ikaihmiset",
        "--from",
        "2023-11-01",
        "--to",
        "2023-12-31",
        "--json",
    ]))
    .unwrap();
    let states: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["date"].as_str().unwrap(), l["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        states,
        [
            ("2023-11-14", "held"),
            ("2023-11-28", "cancelled"),
            ("2023-12-12", "held"),
            ("2023-12-26", "not_recorded"),
        ]
    );
    let text = env.ok(&[
        "session",
        "list",
        "--year",
        "2023",
        "--profile",
        "ikaihmiset",
    ]);
    assert!(
        text.contains("28.11.2023") && text.contains("peruttu"),
        "{text}"
    );
    assert!(text.contains("ei kirjattu"), "{text}");

    // Refusals name the value and change nothing.
    let err = fails(&env.run(&[&p[..], &["session", "cancel", "--date", "2023-12-12"]].concat()));
    assert!(err.contains("on kirjattu 1 kävijä,"), "a held day: {err}");
    let err = fails(&env.run(&[&p[..], &["session", "cancel", "--date", "2023-11-15"]].concat()));
    assert!(err.contains("15.11.2023"), "off the rota: {err}");
    let err = fails(&env.run(&[&p[..], &["session", "add", "--date", "2023-11-15"]].concat()));
    assert!(err.contains("--start"), "{err}");
    let err = fails(
        &env.run(
            &[
                &p[..],
                &[
                    "session",
                    "add",
                    "--date",
                    "2023-11-15",
                    "--start",
                    "12",
                    "--end",
                    "13:00",
                ],
            ]
            .concat(),
        ),
    );
    assert!(err.contains("\"12\""), "{err}");
    let err = fails(
        &env.run(
            &[
                &p[..],
                &[
                    "session",
                    "add",
                    "--date",
                    "2023-11-15",
                    "--start",
                    "12:00",
                    "--end",
                    "11:00",
                ],
            ]
            .concat(),
        ),
    );
    assert!(err.contains("11:00"), "{err}");
    let err = fails(&env.run(&[&p[..], &["session", "add", "--date", "2023-11-14"]].concat()));
    assert!(err.contains("jo kirjattu"), "twice: {err}");
    let err = fails(&env.run(&[&p[..], &["session", "add", "--date", "2099-01-06"]].concat()));
    assert!(err.contains("ei ole väliltä"), "{err}");
    assert_eq!(mean(&env).0, 2, "nothing changed");
}

/// A cancelled day travels with the JSONL export, and a day held at the
/// other desk wins over it, in either order of merging.
#[test]
fn cancelled_days_travel_with_exports_and_a_held_day_wins() {
    let (a, b) = (Env::new(), Env::new());
    let p = ["--profile", "ikaihmiset"];
    a.ok(&[&p[..], &["session", "cancel", "--date", "2023-11-14"]].concat());
    a.ok(&[&p[..], &["session", "cancel", "--date", "2023-11-28"]].concat());
    b.ok(&[
        "log",
        "--confirm",
        "--profile",
        "ikaihmiset",
        "--topic",
        "sote",
        "--at",
        "2023-11-28 10:10",
    ]);
    let export = |env: &Env, name: &str| {
        let file = env.dir.path().join(name);
        env.ok(&[
            "export",
            "--format",
            "jsonl",
            "--out",
            file.to_str().unwrap(),
        ]);
        file
    };
    let from_a = export(&a, "a.jsonl");
    assert!(
        std::fs::read_to_string(&from_a)
            .unwrap()
            .contains(r#""type":"cancelled""#)
    );
    let from_b = export(&b, "b.jsonl");
    b.ok(&["import", from_a.to_str().unwrap()]);
    a.ok(&["import", from_b.to_str().unwrap()]);
    for env in [&a, &b] {
        let list: Value = serde_json::from_str(&env.ok(&[
            "session",
            "list",
            "--profile",
            "ikaihmiset",
            "--from",
            "2023-11-14",
            "--to",
            "2023-11-28",
            "--json",
        ]))
        .unwrap();
        let states: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["state"].as_str().unwrap())
            .collect();
        assert_eq!(states, ["cancelled", "held"], "both desks agree");
    }
}

/// Dates as Finns write them are taken everywhere a date is typed; a date
/// before 2000 or after tomorrow, or a year past 2100, is refused with the
/// value named, and nothing panics.
#[test]
fn dates_in_finnish_or_iso_form_within_range() {
    let env = Env::new();
    env.ok(&[
        "log",
        "--confirm",
        "--profile",
        "ikaihmiset",
        "--topic",
        "sote",
        "--at",
        "14.11.2023 10.05",
    ]);
    let t = env.tally_json(&["--date", "14.11.2023", "--profile", "ikaihmiset"]);
    assert_eq!(t["visitors"], 1);
    assert_eq!(t["hours"]["10"], 1);
    for args in [
        &[
            "log",
            "--confirm",
            "--profile",
            "ikaihmiset",
            "--topic",
            "sote",
            "--at",
            "1999-12-31 10:00",
        ][..],
        &["tally", "--date", "0023-11-14"],
        &["report", "--from", "1.1.1990"],
        &[
            "voucher",
            "issue",
            "--product",
            "liukuesteet",
            "--at",
            "2123-11-14 10:00",
        ],
    ] {
        let err = fails(&env.run(args));
        assert!(err.contains("ei ole väliltä 1.1.2000"), "{args:?}: {err}");
    }
    for year in ["300000", "1999", "2101"] {
        let err = fails(&env.run(&["report", "--year", year]));
        assert!(err.contains(&format!("\"{year}\"")), "{err}");
    }
    let err = fails(&env.run(&["report", "--season", "300000-300001"]));
    assert!(err.contains("300000"), "{err}");
}

/// Nothing tiski prints for a person to read carries a raw control
/// character, wherever the text came from (config labels and places, a
/// shop, a reason, a value in an error); machine formats keep the bytes,
/// and no CSV cell starts like a formula (issue 12, items 12 and 13).
#[test]
fn hostile_text_stays_text_in_every_output() {
    let env = Env::new();
    let evil = "\u{1b}[2J\u{1b}]0;pwned\u{7}\u{202e}\u{9b}31m";
    let cfg = write(
        env.dir.path(),
        "evil.toml",
        &format!(
            "[profiles.p]\nfi = \"P{e}\"\nen = \"P\"\ndefault_location = \"=Paikka{e}\"\nlocations = [\"=Paikka{e}\"]\ntopics = [ {{ key = \"a\", fi = \"-Aihe{e}\", en = \"A\" }} ]\n",
            e = evil
                .replace('\u{1b}', "\\u001b")
                .replace('\u{7}', "\\u0007")
                .replace('\u{202e}', "\\u202e")
                .replace('\u{9b}', "\\u009b")
        ),
    );
    let c = ["--config", cfg.to_str().unwrap()];
    let run = |args: &[&str]| {
        let mut all = c.to_vec();
        all.extend_from_slice(args);
        env.run(&all)
    };
    let raw = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .chars()
            .any(|ch| (ch.is_control() && ch != '\n') || ('\u{202a}'..='\u{202e}').contains(&ch))
    };
    let mut checked = 0;
    for args in [
        &[
            "log",
            "--confirm",
            "--profile",
            "p",
            "--topic",
            "a",
            "--at",
            "2023-11-14 10:00",
        ][..],
        &["tally", "--date", "2023-11-14"],
        &["tally", "--date", "2023-11-14", "--profile", "p"],
        &["report", "--year", "2023", "--min-count", "1"],
        &[
            "report",
            "--year",
            "2023",
            "--format",
            "md",
            "--min-count",
            "1",
        ],
        &["session", "list", "--year", "2023", "--profile", "p"],
    ] {
        let out = run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!raw(&out.stdout), "{args:?} printed a control character");
        checked += 1;
    }
    // An error quoting a hostile value back.
    let out = run(&["log", "--profile", "p", "--topic", evil]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!raw(&out.stderr), "the error quoted raw bytes");
    // JSON keeps the label's bytes, escaped.
    let j: Value = serde_json::from_slice(
        &run(&[
            "report",
            "--year",
            "2023",
            "--format",
            "json",
            "--min-count",
            "1",
        ])
        .stdout,
    )
    .unwrap();
    assert!(
        j["locations"]
            .as_object()
            .unwrap()
            .keys()
            .any(|k| k.contains(evil))
    );
    // Vouchers: a hostile shop and reason in the register list and in CSV.
    env.ok(&[
        "voucher",
        "issue",
        "--product",
        "liukuesteet",
        "--at",
        "2023-11-14 10:00",
    ]);
    env.ok(&[
        "voucher",
        "issue",
        "--product",
        "liukuesteet",
        "--at",
        "2023-11-14 10:05",
    ]);
    env.ok(&[
        "voucher",
        "use",
        "LE-2023-001",
        "--amount",
        "10",
        "--date",
        "2023-11-15",
        "--shop",
        &format!("@Kauppa{evil}"),
    ]);
    env.ok(&[
        "voucher",
        "cancel",
        "LE-2023-002",
        "--reason",
        &format!("+väärä{evil}"),
    ]);
    let list = env.run(&["voucher", "list", "--season", "2023-2024"]);
    assert!(list.status.success());
    assert!(
        !raw(&list.stdout),
        "voucher list printed a control character"
    );
    let csv = env.ok(&["export", "--format", "voucher-csv"]);
    assert!(
        csv.contains(&format!("'@Kauppa{evil}")),
        "the shop, as text, bytes kept"
    );
    assert!(csv.contains("'+väärä"), "the reason");
    let visits = String::from_utf8(run(&["export", "--format", "csv"]).stdout).unwrap();
    assert!(
        visits.contains("'=Paikka") && visits.contains("'-Aihe"),
        "{visits}"
    );
    let report = String::from_utf8(
        run(&[
            "report",
            "--year",
            "2023",
            "--format",
            "csv",
            "--min-count",
            "1",
        ])
        .stdout,
    )
    .unwrap();
    for cell in report.split(['\n', ';']) {
        assert!(
            !cell
                .trim_start_matches('\u{feff}')
                .starts_with(['=', '+', '-', '@']),
            "{cell:?}"
        );
    }
    assert_eq!(checked, 6);
}

/// A writing command refused before it writes leaves a folder with no log
/// as it was: no database, no folder. The first one that writes makes it.
#[test]
fn a_refused_first_command_makes_no_log() {
    let env = Env::new();
    for args in [
        &["--profile", "perhe", "log", "--topic", "nosuch"][..],
        &["--profile", "perhe", "log", "--count", "0"],
        &["log", "--count", "3"],
        &[
            "--profile",
            "perhe",
            "event",
            "add",
            "--title",
            "",
            "--date",
            "2026-12-01",
        ],
        &["event", "edit", "99", "--title", "y"],
        &["group", "delete", "99"],
        &[
            "group",
            "meet",
            "99",
            "--date",
            "2026-12-01",
            "--count",
            "3",
        ],
        &[
            "--profile",
            "perhe",
            "session",
            "cancel",
            "--date",
            "2026-12-01",
        ],
        &["sync"],
        &["restore", "/nonexistent/tiski.db"],
    ] {
        let err = fails(&env.run(args));
        assert!(err.starts_with("tiski: virhe: "), "{args:?}: {err}");
        assert!(!err.contains(".lock"), "{args:?}: {err}");
        assert!(
            !env.db().parent().unwrap().exists(),
            "{args:?} made the folder or the log"
        );
    }
    env.ok(&["--profile", "perhe", "log", "--count", "3", "--confirm"]);
    let o = env.run(&["--profile", "perhe", "tally"]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains('3'),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

/// Commands that only read open the database read-only: a mistyped --db
/// names the path and creates no folder or file (issue 12, item 8).
#[test]
fn read_only_commands_never_create_a_database() {
    let env = Env::new();
    for args in [
        &["tally"][..],
        &["report", "--year", "2023"],
        &["export", "--format", "csv"],
        &["voucher", "list"],
        &["session", "list"],
    ] {
        let err = fails(&env.run(args));
        assert!(
            err.contains("tiski.db") && err.contains("ei ole tiskin tietokantaa"),
            "{args:?}: {err}"
        );
        assert!(
            !env.db().parent().unwrap().exists(),
            "{args:?} made the folder"
        );
    }
    env.ok(&[
        "log",
        "--confirm",
        "--profile",
        "ikaihmiset",
        "--topic",
        "sote",
        "--at",
        "2023-11-14 10:00",
    ]);
    let t = env.tally_json(&["--date", "2023-11-14", "--profile", "ikaihmiset"]);
    assert_eq!(t["visitors"], 1);
}

/// Every file beside the database, with its bytes.
pub(crate) fn files_beside(env: &Env) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![env.db().parent().unwrap().to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if !p.to_string_lossy().ends_with("-shm") {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn outputs_never_go_over_the_log_its_companions_backups_or_the_key() {
    let env = Env::new();
    env.ok(&["log", "--profile", "ikaihmiset", "--topic", "sote"]);
    env.ok(&[
        "voucher",
        "issue",
        "--profile",
        "ikaihmiset",
        "--product",
        "liukuesteet",
        "--birth-year",
        "1948",
    ]);
    env.ok(&["backup"]);
    let number = serde_json::from_str::<Value>(&env.ok(&["voucher", "list", "--json"])).unwrap()[0]
        ["number"]
        .as_str()
        .unwrap()
        .to_string();
    let data = env.db().parent().unwrap().to_path_buf();
    std::fs::write(tiski::store::key_path(&env.db()), [7u8; 32]).unwrap();
    let backup = std::fs::read_dir(data.join("backups"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let link = env.dir.path().join("link.csv");
    std::os::unix::fs::symlink(env.db(), &link).unwrap();
    let odd = data.join("..").join("data").join("tiski.db");
    let before = files_beside(&env);
    let targets: Vec<(PathBuf, &str)> = vec![
        (env.db(), "tietokanta"),
        (odd, "tietokanta"),
        (link, "tietokanta"),
        (data.join("tiski.db-wal"), "tietokanta"),
        (data.join("tiski.db-journal"), "tietokanta"),
        (tiski::store::key_path(&env.db()), "salainen avain"),
        (backup, "varmuuskopio"),
    ];
    for (out, said) in &targets {
        let out_s = out.to_str().unwrap();
        for args in [
            vec!["export", "--format", "csv", "--out", out_s, "--force"],
            vec!["voucher", "print", &number, "--out", out_s, "--force"],
            vec!["privacy-notice", "--out", out_s, "--force"],
        ] {
            let o = env.run(&args);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
            assert!(err.contains(said) && err.contains(out_s), "{args:?}: {err}");
            assert_eq!(files_beside(&env), before, "{args:?} changed a file");
        }
    }
    let j = env.tally_json(&["--profile", "ikaihmiset"]);
    assert_eq!(j["visitors"], 2, "the log is whole");
}

#[test]
fn an_existing_output_is_replaced_only_with_force_and_never_another_database() {
    let env = Env::new();
    env.ok(&["log", "--profile", "ikaihmiset", "--topic", "sote"]);
    let out = env.dir.path().join("käynnit.csv");
    std::fs::write(&out, "someone's own file").unwrap();
    let o = env.run(&["export", "--format", "csv", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "someone's own file");
    env.ok(&[
        "export",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(
        csv.starts_with('\u{feff}'),
        "the export, with its BOM: {csv}"
    );
    assert_eq!(csv.lines().count(), 2, "a header and the one visit: {csv}");
    let other = env.dir.path().join("resepti.sqlite");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE r(x); INSERT INTO r VALUES (1);")
        .unwrap();
    let was = std::fs::read(&other).unwrap();
    let o = env.run(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        other.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("SQLite-tietokanta"));
    assert_eq!(std::fs::read(&other).unwrap(), was);
}

#[test]
fn help_and_command_line_errors_are_finnish_unless_english_is_asked_for() {
    let env = Env::new();
    let fi = env.ok(&["log", "--help"]);
    assert!(fi.contains("Käyttö: tiski log [VALITSIMET]"), "{fi}");
    assert!(
        fi.contains("Aiheen avain") && !fi.contains("Topic key"),
        "{fi}"
    );
    let en = env.ok(&["--lang", "en", "log", "--help"]);
    assert!(
        en.contains("Usage: tiski log [OPTIONS]") && en.contains("Topic key"),
        "{en}"
    );
    let o = env.run(&["log", "--topc", "sote"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("tiski: virhe: tuntematon valitsin '--topc' (tarkoititko '--topic'?)"),
        "{err}"
    );
    let o = env.run(&["--lang", "en", "log", "--topc", "sote"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unexpected argument '--topc'"));
}

#[test]
fn a_missing_number_points_to_the_list_of_numbers() {
    let env = Env::new();
    let o = env.run(&["voucher", "print"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with(
            "tiski: virhe: pakollinen tieto puuttuu: '<NUMERO>'. Vaihtoehdot näet komennolla tiski voucher list"
        ),
        "{err}"
    );
    let o = env.run(&["--lang", "en", "event", "edit"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("required arguments were not provided"),
        "{err}"
    );
    assert!(
        err.trim_end()
            .ends_with("See the valid values with tiski event list"),
        "{err}"
    );
    assert!(!env.db().exists(), "a usage error creates nothing");
    // The way on names the help of the command at fault.
    let o = env.run(&["voucher", "print"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.trim_end().ends_with("Ohje: tiski voucher print --help"),
        "{err}"
    );
}

#[test]
fn a_visit_ahead_of_today_is_named_as_it_was_typed() {
    let env = Env::new();
    let tomorrow = chrono::Local::now().date_naive() + chrono::Days::new(1);
    let typed = format!(
        "{} 10.00",
        tiski::locale::date(tomorrow, tiski::locale::Lang::Fi)
    );
    let err = fails(&env.run(&[
        "log",
        "--confirm",
        "--profile",
        "ikaihmiset",
        "--topic",
        "sote",
        "--at",
        &typed,
    ]));
    assert!(
        err.contains(&format!("aika \"{typed}\" on tulevaisuudessa")),
        "{err}"
    );
}

#[test]
fn a_day_not_on_the_calendar_is_named_as_such() {
    let env = Env::new();
    env.init_db();
    let err = fails(&env.run(&["tally", "--date", "31.2.2026"]));
    assert!(
        err.contains("päivää \"31.2.2026\" ei ole kalenterissa"),
        "{err}"
    );
    let err = fails(&env.run(&[
        "log",
        "--confirm",
        "--profile",
        "ikaihmiset",
        "--topic",
        "sote",
        "--at",
        "2023-11-31 10:00",
        "--lang",
        "en",
    ]));
    assert!(
        err.contains("no day \"2023-11-31 10:00\" in the calendar"),
        "{err}"
    );
    // --lang en was remembered: Finnish is asked for again.
    let err = fails(&env.run(&["--lang", "fi", "tally", "--date", "2.12."]));
    assert!(
        err.contains("käytä muotoa 14.11.2023"),
        "a wrong form: {err}"
    );
}

/// The reason a file could not be used is in the user's language, not the
/// operating system's or SQLite's English.
#[test]
fn why_a_file_fails_is_said_in_the_users_language() {
    let env = Env::new();
    env.init_db();
    let missing = env.dir.path().join("ei-ole.jsonl");
    let err = fails(&env.run(&["import", missing.to_str().unwrap()]));
    assert!(
        err.contains("ei voi lukea: sitä ei löydy. Mitään ei tuotu."),
        "{err}"
    );
    assert!(!err.contains("os error"), "{err}");
    let text = env.dir.path().join("muistio.txt");
    std::fs::write(&text, "ei tietokanta, vaan tekstiä\n".repeat(200)).unwrap();
    let err = fails(&env.run(&["restore", text.to_str().unwrap()]));
    assert!(
        err.contains("ei kelpaa varmuuskopioksi: se ei ole tietokanta."),
        "{err}"
    );
    let err = fails(&env.run(&["--lang", "en", "restore", text.to_str().unwrap()]));
    assert!(
        err.contains("is not a usable backup: it is not a database."),
        "{err}"
    );
    // --lang en was remembered: Finnish is asked for again.
    let err = fails(&env.run_on(env.dir.path(), &["--lang", "fi", "backup"]));
    assert!(err.contains("se ei ole tavallinen tiedosto"), "{err}");
    let latin1 = env.dir.path().join("latin1.toml");
    std::fs::write(&latin1, b"language = \"fi\" # \xe4\n").unwrap();
    let err = fails(&env.run(&["--config", latin1.to_str().unwrap(), "tally"]));
    assert!(err.contains("se ei ole tekstiä (UTF-8)"), "{err}");
}

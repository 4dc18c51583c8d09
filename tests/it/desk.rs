//! The desk simulator (issue 21): the real duty screen in a pseudo-terminal
//! saves visits by keys while the real command line runs every writing
//! command beside it, in an order and overlap drawn from a seed; some
//! rounds end with kill -9 of everything at a random moment, the others
//! with `q`. After each round nothing the screen showed as saved, and
//! nothing a command said it did, may be missing from the file.
//!
//! `TISKI_SIM_SEED=N` replays one seed (every failure prints its own),
//! `TISKI_SIM_ROUNDS=N` runs a longer soak (default 4 rounds),
//! `TISKI_TEST_TIMEOUT_SCALE` stretches the deadlines on a slow machine.
//! `cargo test --test it desk -- --nocapture` prints the seed and a summary
//! (and with `TISKI_SIM_STEPS=1` every step, also when nothing failed).

use std::collections::BTreeSet;
use std::os::unix::process::ExitStatusExt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};

use rusqlite::{Connection, OpenFlags};
use serde_json::Value;

use super::cli::Env;
use super::e2e::Tui;
use super::support::{Rng, deleted_companions, fresh_seed, timeout, wait_until};

/// The duty screen's profile: one without a rota, so opening the screen
/// never makes a session by itself and every session must hold a visit.
const SCREEN_PROFILE: &str = "perhe";
/// Key `1` on that profile's form: only the screen saves this topic.
const SCREEN_TOPIC: &str = "kayttaytyminen";
/// The topic of the visits `tiski log` saves into the screen's session.
const LOG_TOPIC: &str = "perheen_arki";
/// The other desk's profile (imports): none of the screen's figures.
const OTHER_PROFILE: &str = "kotouttaminen";

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Exit 0: what it did must be in the file.
    Done,
    /// A non-zero exit: it must have changed nothing.
    Refused,
    /// Killed before it exited: either.
    Killed,
}

impl Outcome {
    /// Whether what the command did may be in the file `n` times.
    fn allows(self, n: usize) -> bool {
        match self {
            Outcome::Done => n == 1,
            Outcome::Refused => n == 0,
            Outcome::Killed => n <= 1,
        }
    }
}

/// What one running command is, for its outcome.
#[derive(Debug)]
enum Tag {
    Log { note: String },
    HeadCount { n: u32 },
    VoucherIssue,
    VoucherUse { v: usize },
    VoucherCancel { v: usize },
    Event { title: String },
    Meet { group: usize },
    Backup,
    Export { out: PathBuf, known: usize },
    Import { file: usize },
    Doctor,
}

struct Job {
    step: String,
    tag: Tag,
    child: Child,
}

/// What became of a voucher issued by a command that said so.
#[derive(Debug, Clone, Copy)]
enum Fate {
    Open,
    Use(Option<Outcome>),
    Cancel(Option<Outcome>),
}

/// Everything the file must hold, from what the screen showed and the
/// commands said, over all rounds so far.
#[derive(Default)]
struct Ledger {
    /// Visits the screen showed saved (its counter moved).
    screen_saved: usize,
    /// Enter sent, then the screen was killed before it showed the save.
    screen_unsure: usize,
    logs: Vec<(String, Outcome)>,
    head_counts_done: u32,
    head_counts_unsure: u32,
    issues_done: usize,
    issues_unsure: usize,
    vouchers: Vec<(String, Fate)>,
    events: Vec<(String, Outcome)>,
    /// Group title and how its one meeting went (`None`: not run yet).
    groups: Vec<(String, Option<Outcome>)>,
    /// The notes of the visits in each imported file, and how it went.
    imports: Vec<(Vec<String>, Option<Outcome>)>,
    /// Every note the other desk wrote.
    other_notes: Vec<String>,
}

impl Ledger {
    /// The notes of the visits in the imported files that ended one of
    /// the ways `fits` takes.
    fn imported(&self, fits: impl Fn(Option<Outcome>) -> bool) -> BTreeSet<&String> {
        self.imports
            .iter()
            .filter(|(_, o)| fits(*o))
            .flat_map(|(notes, _)| notes)
            .collect()
    }

    /// Visits known to be committed: each must be in every later export.
    fn known_visits(&self) -> usize {
        let imported = self.imported(|o| o == Some(Outcome::Done));
        self.screen_saved
            + self
                .logs
                .iter()
                .filter(|(_, o)| *o == Outcome::Done)
                .count()
            + self.issues_done
            + imported.len()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    Save,
    Log,
    HeadCount,
    VoucherIssue,
    VoucherUse,
    VoucherCancel,
    Event,
    Group,
    Backup,
    Export,
    Import,
    Doctor,
    Purge,
    Restore,
    Join,
}

/// Each round runs every writing command once or more, and the screen
/// saves between them.
const COMMANDS: &[Step] = &[
    Step::Log,
    Step::Log,
    Step::Log,
    Step::HeadCount,
    Step::VoucherIssue,
    Step::VoucherUse,
    Step::VoucherCancel,
    Step::Event,
    Step::Group,
    Step::Backup,
    Step::Export,
    Step::Import,
    Step::Doctor,
    Step::Purge,
    Step::Restore,
];

struct Sim {
    seed: u64,
    rng: Rng,
    desk: Env,
    /// Another desk whose exports this one imports.
    other: Env,
    ledger: Ledger,
    jobs: Vec<Job>,
    steps: Vec<String>,
    problems: Vec<String>,
    round: usize,
    kills: usize,
    /// Processes already reported holding a deleted companion.
    reported_fds: BTreeSet<u32>,
    /// When the screen opened for the day's first start, until its
    /// background check, purge and backup are seen done.
    daily_since: Option<std::time::SystemTime>,
}

/// Reads the duty screen's header: "Tämä päivystys N   Tänään N".
fn counters(screen: &str) -> Option<(u32, u32)> {
    let after = |label: &str| {
        screen.lines().find_map(|l| {
            let rest = &l[l.find(label)? + label.len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<u32>().ok()
        })
    };
    Some((after("Tämä päivystys ")?, after("Tänään ")?))
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn days_ago(n: i64) -> String {
    (today() - chrono::Duration::days(n)).to_string()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).trim().to_string()
}

fn outcome(out: &Output) -> Outcome {
    if out.status.signal().is_some() {
        Outcome::Killed
    } else if out.status.success() {
        Outcome::Done
    } else {
        Outcome::Refused
    }
}

/// The notes of the visits in an export file.
fn visit_notes(file: &Path) -> Vec<String> {
    let body = std::fs::read_to_string(file).unwrap_or_default();
    body.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["type"] == "visit")
        .filter_map(|v| v["note"].as_str().map(str::to_string))
        .collect()
}

fn read_only(db: &Path) -> rusqlite::Result<Connection> {
    Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

fn integrity(db: &Path) -> String {
    read_only(db)
        .and_then(|c| {
            let mut st = c.prepare("PRAGMA integrity_check")?;
            let rows: Vec<String> = st
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<Result<_, _>>()?;
            Ok(rows.join("; "))
        })
        .unwrap_or_else(|e| format!("cannot read: {e}"))
}

impl Sim {
    fn new(seed: u64) -> Sim {
        Sim {
            seed,
            rng: Rng::new(seed),
            desk: Env::with_own_tmpdir(),
            other: Env::with_own_tmpdir(),
            ledger: Ledger::default(),
            jobs: Vec::new(),
            steps: Vec::new(),
            problems: Vec::new(),
            round: 0,
            kills: 0,
            reported_fds: BTreeSet::new(),
            daily_since: None,
        }
    }

    fn note(&mut self, what: String) {
        self.steps.push(format!("r{}: {what}", self.round));
    }

    fn problem(&mut self, what: String) {
        self.problems.push(format!("round {}: {what}", self.round));
    }

    /// Runs a command that must succeed here (a look, or the other desk's
    /// setup); a failure is a problem of the round.
    fn run_ok(&mut self, env_is_other: bool, args: &[&str]) -> Option<String> {
        let env = if env_is_other {
            &self.other
        } else {
            &self.desk
        };
        let out = env.cmd().args(args).output().unwrap();
        if out.status.success() {
            Some(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            let who = if env_is_other { "the other desk: " } else { "" };
            self.problem(format!(
                "{who}{args:?} exited {:?}: {}",
                out.status.code(),
                text(&out.stderr)
            ));
            None
        }
    }

    fn start(&mut self, step: String, tag: Tag, args: &[String]) {
        let child = self
            .desk
            .cmd()
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        self.note(format!("{step}: started (pid {})", child.id()));
        self.jobs.push(Job { step, tag, child });
    }

    /// Runs a command beside the screen: started and left running, or run
    /// to its end, as the seed says.
    fn command(&mut self, step: String, tag: Tag, args: &[String]) {
        if self.rng.chance(1, 2) {
            self.run_to_end(step, tag, args);
        } else {
            self.start(step, tag, args);
        }
    }

    fn run_to_end(&mut self, step: String, tag: Tag, args: &[String]) {
        self.start(step, tag, args);
        let job = self.jobs.pop().expect("just started");
        self.finish(job);
    }

    fn join(&mut self) {
        for job in std::mem::take(&mut self.jobs) {
            self.finish(job);
        }
    }

    /// Waits for a command and books what it said it did.
    fn finish(&mut self, job: Job) {
        let Job { step, tag, child } = job;
        let out = child.wait_with_output().unwrap();
        let how = outcome(&out);
        let said = text(&out.stdout);
        let err = text(&out.stderr);
        self.note(format!(
            "{step}: {how:?} ({}) {}",
            out.status,
            said.lines().next().unwrap_or(&err)
        ));
        // An import beside an open screen may be refused (the desk lock),
        // and doctor exits 1 for what it finds (a kill's leftovers); every
        // other command here has no reason to fail.
        let may_refuse = matches!(tag, Tag::Import { .. } | Tag::Doctor);
        let l = &mut self.ledger;
        match &tag {
            Tag::Log { note } => l.logs.push((note.clone(), how)),
            Tag::HeadCount { n } => match how {
                Outcome::Done => l.head_counts_done += *n,
                Outcome::Killed => l.head_counts_unsure += *n,
                Outcome::Refused => {}
            },
            Tag::VoucherIssue => match how {
                Outcome::Done => {
                    l.issues_done += 1;
                    let number = said.split_whitespace().next().unwrap_or("").to_string();
                    l.vouchers.push((number, Fate::Open));
                }
                Outcome::Killed => l.issues_unsure += 1,
                Outcome::Refused => {}
            },
            Tag::VoucherUse { v } => l.vouchers[*v].1 = Fate::Use(Some(how)),
            Tag::VoucherCancel { v } => l.vouchers[*v].1 = Fate::Cancel(Some(how)),
            Tag::Event { title } => l.events.push((title.clone(), how)),
            Tag::Meet { group } => l.groups[*group].1 = Some(how),
            Tag::Import { file } => l.imports[*file].1 = Some(how),
            Tag::Backup | Tag::Doctor | Tag::Export { .. } => {}
        }
        if how == Outcome::Refused && !may_refuse {
            self.problem(format!("{step} failed: {err}"));
        }
        if how != Outcome::Done && !matches!(tag, Tag::Doctor) {
            return;
        }
        match tag {
            Tag::Backup => {
                let path = said.rsplit(": ").next().unwrap_or("").trim();
                let head = std::fs::read(path).unwrap_or_default();
                if !head.starts_with(b"SQLite format 3\0") {
                    self.problem(format!("{step}: no backup at {path:?}"));
                }
            }
            Tag::Export { out, known } => {
                let body = std::fs::read_to_string(&out).unwrap_or_default();
                let header_ok = body
                    .lines()
                    .next()
                    .and_then(|l| serde_json::from_str::<Value>(l).ok())
                    .is_some_and(|h| h["type"] == "tiski-export");
                let visits = visit_notes(&out).len();
                if !header_ok || visits < known {
                    self.problem(format!(
                        "{step}: the export has {visits} visits (header ok: {header_ok}); \
                         {known} were known saved when it started"
                    ));
                }
            }
            Tag::Doctor if how != Outcome::Killed && !said.contains("(integrity_check): ok") => {
                self.problem(format!(
                    "{step}: doctor does not find the file whole:\n{said}"
                ));
            }
            _ => {}
        }
    }

    /// Every process of the desk that holds a deleted database companion.
    fn check_fds(&mut self, screen: Option<u32>) {
        let db = self.desk.db();
        let mut pids: Vec<(u32, String)> = self
            .jobs
            .iter()
            .map(|j| (j.child.id(), j.step.clone()))
            .collect();
        if let Some(pid) = screen {
            pids.push((pid, "the duty screen".to_string()));
        }
        for (pid, who) in pids {
            let held = deleted_companions(pid, &db);
            if !held.is_empty() && self.reported_fds.insert(pid) {
                let last = self.steps.last().cloned().unwrap_or_default();
                self.problem(format!(
                    "{who} (pid {pid}) holds deleted files open: {} (seen after {last})",
                    held.join(", ")
                ));
            }
        }
    }

    /// `tally --json` of the screen's profile: (visitors, sessions).
    fn tally(&mut self) -> Option<(u64, u64)> {
        let out = self.run_ok(false, &["tally", "--json", "--profile", SCREEN_PROFILE])?;
        let j: Value = serde_json::from_str(&out).ok()?;
        Some((j["visitors"].as_u64()?, j["sessions"].as_u64()?))
    }

    /// Compares the screen's counters with the tally (no other writer
    /// running meanwhile).
    fn counters_agree(&mut self, tui: &Tui, when: &str) {
        let shown = counters(&tui.contents());
        let Some((visitors, sessions)) = self.tally() else {
            return;
        };
        let expected = (visitors as u32, visitors as u32);
        if shown != Some(expected) || sessions > 1 {
            self.problem(format!(
                "{when}: the screen shows (Tämä päivystys, Tänään) = {shown:?}, \
                 tally --json says visitors {visitors}, sessions {sessions}"
            ));
        }
    }

    /// `1`, Enter, and the counter "Tämä päivystys" moves.
    fn save_by_keys(&mut self, tui: &mut Tui, step: &str) -> bool {
        let Some((before, _)) = counters(&tui.contents()) else {
            self.problem(format!(
                "{step}: no counters on the screen:\n{}",
                tui.contents()
            ));
            return false;
        };
        tui.keys("1");
        if wait_until(timeout(10), || {
            tui.contents().contains("1 [x]").then_some(())
        })
        .is_none()
        {
            self.problem(format!("{step}: key 1 not shown:\n{}", tui.contents()));
            return false;
        }
        tui.keys("\r");
        let moved = wait_until(timeout(15), || {
            counters(&tui.contents()).filter(|(now, _)| *now != before)
        });
        match moved {
            Some((after, _)) => {
                self.ledger.screen_saved += 1;
                self.note(format!("{step}: saved, Tämä päivystys {before} → {after}"));
                true
            }
            None => {
                self.ledger.screen_unsure += 1;
                self.problem(format!(
                    "{step}: the screen did not show the visit saved (Tämä päivystys stayed \
                     {before}):\n{}",
                    tui.contents()
                ));
                false
            }
        }
    }

    /// Opens the duty screen, answering no to a draft a kill left.
    fn open_screen(&mut self) -> Option<Tui> {
        let mut tui = Tui::start(&self.desk, &["--profile", SCREEN_PROFILE]);
        let shown = wait_until(timeout(20), || counters(&tui.contents()));
        if shown.is_none() {
            self.problem(format!("the duty screen did not open:\n{}", tui.contents()));
            return None;
        }
        if tui.contents().contains("Palautetaanko") {
            tui.keys("e");
            if wait_until(timeout(10), || {
                (!tui.contents().contains("Palautetaanko")).then_some(())
            })
            .is_none()
            {
                self.problem(format!("the draft question stayed:\n{}", tui.contents()));
                return None;
            }
            self.note("the screen asked about a draft: no".to_string());
        }
        self.note(format!("screen open (pid {}), {shown:?}", tui.pid()));
        Some(tui)
    }

    /// The other desk saves `n` visits on the day `days` back and exports
    /// that day; returns the file.
    fn other_desk_export(&mut self, n: usize, days: i64, name: &str) -> Option<PathBuf> {
        let day = days_ago(days);
        for i in 0..n {
            let note = format!("toinen piste {name} käynti {i}");
            let at = format!("{day} 12:{:02}", self.ledger.other_notes.len() % 60);
            self.run_ok(
                true,
                &[
                    "log",
                    "--profile",
                    OTHER_PROFILE,
                    "--topic",
                    "tyo",
                    "--at",
                    &at,
                    "--note",
                    &note,
                ],
            )?;
            self.ledger.other_notes.push(note);
        }
        let out = self.other.dir.path().join(format!("{name}.jsonl"));
        let out_s = out.to_str().unwrap().to_string();
        self.run_ok(
            true,
            &[
                "export", "--format", "jsonl", "--from", &day, "--to", &day, "--out", &out_s,
            ],
        )?;
        Some(out)
    }

    /// Between rounds, with no screen open: an import must succeed.
    fn import_between_rounds(&mut self) {
        let name = format!("r{}-tuonti", self.round);
        let Some(file) = self.other_desk_export(2, 1, &name) else {
            return;
        };
        let notes = visit_notes(&file);
        self.ledger.imports.push((notes, None));
        let idx = self.ledger.imports.len() - 1;
        let args = vec!["import".to_string(), file.display().to_string()];
        self.run_to_end(
            format!("import {name} (no screen open)"),
            Tag::Import { file: idx },
            &args,
        );
        if self.ledger.imports[idx].1 != Some(Outcome::Done) {
            self.problem(format!("import {name} with no screen open did not succeed"));
        }
    }

    /// No tiski runs: makes the next start the day's first (its check,
    /// purge and backup run in the background right after the first frame).
    fn forget_daily_check(&mut self) {
        let c = Connection::open(self.desk.db()).unwrap();
        c.execute("DELETE FROM settings WHERE key = 'last_daily_check'", [])
            .unwrap();
        drop(c);
    }

    /// What the file, the data folder and the tally look like, to prove a
    /// refused command changed nothing. Taken with no other command running.
    fn snapshot(&mut self) -> String {
        use std::os::unix::fs::MetadataExt;
        let db = self.desk.db();
        let data = db.parent().unwrap().to_path_buf();
        let mut names: Vec<String> = std::fs::read_dir(&data)
            .into_iter()
            .chain(std::fs::read_dir(data.join("backups")))
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            // The companions come and go with the connections.
            .filter(|n| !n.ends_with("-wal") && !n.ends_with("-shm"))
            .collect();
        names.sort();
        let ino = std::fs::metadata(&db).map(|m| m.ino()).unwrap_or(0);
        let tally = self
            .run_ok(false, &["tally", "--json", "--profile", SCREEN_PROFILE])
            .unwrap_or_default();
        let vouchers = self
            .run_ok(false, &["voucher", "list", "--json"])
            .unwrap_or_default();
        format!("{ino}\n{}\n{tally}\n{vouchers}", names.join(" "))
    }

    /// On the day's first start, waits for the screen's background check
    /// to end: its backup in place (newer than the screen) and the folder
    /// still between two looks, the older backups pruned. What it changes
    /// is not a refused command's doing.
    fn daily_check_done(&mut self) {
        let Some(since) = self.daily_since else {
            return;
        };
        let dir = self.desk.db().parent().unwrap().join("backups");
        let look = || {
            let mut v: Vec<(String, u64, std::time::SystemTime)> = std::fs::read_dir(&dir)
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| {
                    let m = e.metadata().ok()?;
                    Some((
                        e.file_name().to_string_lossy().into_owned(),
                        m.len(),
                        m.modified().ok()?,
                    ))
                })
                .collect();
            v.sort();
            v
        };
        let mut last = Vec::new();
        let mut still = 0;
        let done = wait_until(timeout(20), || {
            let now = look();
            let made = now
                .iter()
                .any(|(n, _, t)| n.starts_with("tiski-") && n.ends_with(".db") && *t >= since);
            let busy = now.iter().any(|(n, _, _)| n.ends_with(".tmp"));
            // The prune that follows the backup opens every backup before
            // it removes the oldest: no backup count beyond what is kept
            // (30), and the folder unchanged over several looks.
            let backups = now
                .iter()
                .filter(|(n, _, _)| n.starts_with("tiski-"))
                .count();
            still = if now == last { still + 1 } else { 0 };
            last = now;
            (made && !busy && backups <= 30 && still >= 5).then_some(())
        });
        if done.is_none() {
            self.problem(format!("the day's first start made no backup: {last:?}"));
        }
        self.daily_since = None;
    }

    /// `purge --due` or `restore` while the screen is open: refused, and
    /// nothing changed.
    fn must_refuse(&mut self, step: &str, args: &[String]) {
        self.join();
        self.daily_check_done();
        let before = self.snapshot();
        let out = self.desk.cmd().args(args).output().unwrap();
        let after = self.snapshot();
        self.note(format!(
            "{step}: ({}) {}",
            out.status,
            text(&out.stderr).lines().next().unwrap_or("")
        ));
        if out.status.success() {
            self.problem(format!(
                "{step} ran while a duty screen was open: {}",
                text(&out.stdout)
            ));
        }
        if before != after {
            self.problem(format!(
                "{step} changed things while refused:\nbefore: {before}\nafter: {after}"
            ));
        }
    }

    fn newest_backup(&self) -> Option<PathBuf> {
        let dir = self.desk.db().parent().unwrap().join("backups");
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "db"))
            .collect();
        v.sort();
        v.pop()
    }

    /// An issued voucher with nothing done to it yet, issued now if none.
    fn open_voucher(&mut self, step: &str) -> Option<usize> {
        let find = |l: &Ledger| l.vouchers.iter().position(|(_, f)| matches!(f, Fate::Open));
        if find(&self.ledger).is_none() {
            let args = voucher_issue_args(self.ledger.vouchers.len());
            self.run_to_end(
                format!("{step} (first a voucher)"),
                Tag::VoucherIssue,
                &args,
            );
        }
        find(&self.ledger)
    }

    /// One step of the round.
    fn step(&mut self, i: usize, step: Step, tui: &mut Tui) -> bool {
        let r = self.round;
        let name = format!("{step:?} #{i}");
        let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
        match step {
            Step::Save => return self.save_by_keys(tui, &name),
            Step::Join => {
                self.join();
                self.note(format!("{name}: every command finished"));
            }
            Step::Log => {
                let note = format!("simulaattori kierros {r} askel {i}");
                let args = s(&[
                    "log",
                    "--profile",
                    SCREEN_PROFILE,
                    "--topic",
                    LOG_TOPIC,
                    "--note",
                    &note,
                ]);
                self.command(format!("{name} log"), Tag::Log { note }, &args);
            }
            Step::HeadCount => {
                let n = 2 + self.rng.below(8) as u32;
                let args = s(&[
                    "log",
                    "--profile",
                    SCREEN_PROFILE,
                    "--count",
                    &n.to_string(),
                ]);
                self.command(
                    format!("{name} log --count {n}"),
                    Tag::HeadCount { n },
                    &args,
                );
            }
            Step::VoucherIssue => {
                let args = voucher_issue_args(self.ledger.vouchers.len());
                self.command(format!("{name} voucher issue"), Tag::VoucherIssue, &args);
            }
            Step::VoucherUse | Step::VoucherCancel => {
                let Some(v) = self.open_voucher(&name) else {
                    return true;
                };
                let number = self.ledger.vouchers[v].0.clone();
                let (args, tag, fate) = if step == Step::VoucherUse {
                    (
                        s(&["voucher", "use", &number, "--amount", "20"]),
                        Tag::VoucherUse { v },
                        Fate::Use(None),
                    )
                } else {
                    (
                        s(&["voucher", "cancel", &number, "--reason", "simulaattori"]),
                        Tag::VoucherCancel { v },
                        Fate::Cancel(None),
                    )
                };
                self.ledger.vouchers[v].1 = fate;
                self.command(format!("{name} voucher {number}"), tag, &args);
            }
            Step::Event => {
                let title = format!("Simulaattorin tapahtuma {r}-{i}");
                let args = s(&[
                    "event",
                    "add",
                    "--profile",
                    SCREEN_PROFILE,
                    "--title",
                    &title,
                    "--count",
                    "12",
                ]);
                self.command(format!("{name} event add"), Tag::Event { title }, &args);
            }
            Step::Group => {
                let title = format!("Simulaattorin ryhmä {r}-{i}");
                let added = self.run_ok(
                    false,
                    &[
                        "group",
                        "add",
                        "--profile",
                        SCREEN_PROFILE,
                        "--title",
                        &title,
                    ],
                );
                self.note(format!("{name}: group add: {added:?}"));
                // Its id, by its title, from the list.
                let list = self.run_ok(false, &["group", "list", "--json"]);
                let id = list
                    .and_then(|l| serde_json::from_str::<Value>(&l).ok())
                    .and_then(|j| {
                        j["groups"].as_array()?.iter().find_map(|g| {
                            (g["entry"]["title"] == title.as_str()).then(|| g["id"].as_i64())?
                        })
                    });
                let Some(id) = id else {
                    self.problem(format!(
                        "{name}: the group {title:?} just added is not listed"
                    ));
                    return true;
                };
                self.ledger.groups.push((title, None));
                let group = self.ledger.groups.len() - 1;
                let args = s(&["group", "meet", &id.to_string(), "--count", "4"]);
                self.command(
                    format!("{name} group meet {id}"),
                    Tag::Meet { group },
                    &args,
                );
            }
            Step::Backup => self.command(format!("{name} backup"), Tag::Backup, &s(&["backup"])),
            Step::Export => {
                let dir = self.desk.dir.path().join("exports");
                std::fs::create_dir_all(&dir).unwrap();
                let out = dir.join(format!("r{r}-{i}.jsonl"));
                let args = s(&[
                    "export",
                    "--format",
                    "jsonl",
                    "--out",
                    out.to_str().unwrap(),
                ]);
                let known = self.ledger.known_visits();
                self.command(format!("{name} export"), Tag::Export { out, known }, &args);
            }
            Step::Import => {
                let label = format!("r{r}-{i}-rinnalla");
                let Some(file) = self.other_desk_export(1, 2, &label) else {
                    return true;
                };
                self.ledger.imports.push((visit_notes(&file), None));
                let file_idx = self.ledger.imports.len() - 1;
                let args = s(&["import", file.to_str().unwrap()]);
                self.command(
                    format!("{name} import"),
                    Tag::Import { file: file_idx },
                    &args,
                );
            }
            Step::Doctor => self.command(format!("{name} doctor"), Tag::Doctor, &s(&["doctor"])),
            Step::Purge => {
                self.must_refuse(&format!("{name} purge --due"), &s(&["purge", "--due"]))
            }
            Step::Restore => {
                if self.newest_backup().is_none() {
                    let args = s(&["backup"]);
                    self.run_to_end(format!("{name} (first a backup)"), Tag::Backup, &args);
                }
                if let Some(b) = self.newest_backup() {
                    let args = s(&["restore", b.to_str().unwrap()]);
                    self.must_refuse(&format!("{name} restore"), &args);
                }
            }
        }
        true
    }

    /// Kills the screen and every command still running, with SIGKILL;
    /// maybe just after a visit's Enter.
    fn kill_everything(&mut self, tui: &mut Tui) {
        let before = counters(&tui.contents()).map(|c| c.0);
        let mid_save = self.rng.chance(1, 2);
        if mid_save {
            tui.keys("1\r");
        }
        // SAFETY: a plain kill(2) of our own child by its id.
        unsafe { libc::kill(tui.pid() as libc::pid_t, libc::SIGKILL) };
        for job in &mut self.jobs {
            let _ = job.child.kill();
        }
        self.kills += 1;
        let running: Vec<String> = self.jobs.iter().map(|j| j.step.clone()).collect();
        self.note(format!(
            "kill -9 of the screen{} and of {running:?}",
            if mid_save {
                " (just after 1 Enter)"
            } else {
                ""
            }
        ));
        self.join();
        if wait_until(timeout(10), || (!tui.running()).then_some(())).is_none() {
            self.problem("the screen outlived kill -9".to_string());
        }
        if mid_save {
            // The last frame the screen drew before it died.
            let after = counters(&tui.contents()).map(|c| c.0);
            if after.is_some() && after != before {
                self.ledger.screen_saved += 1;
                self.note(format!("the screen had shown that visit saved ({after:?})"));
            } else {
                self.ledger.screen_unsure += 1;
            }
        }
    }

    /// One round: open the screen, run the plan, end by `q` or kill -9,
    /// then check the file.
    fn round(&mut self, rounds: usize) {
        let r = self.round;
        let first_start = r == 0 || (r > 1 && self.rng.chance(2, 5));
        if r > 0 && first_start {
            self.forget_daily_check();
        }
        let import_first = r > 0 && self.rng.chance(1, 2);
        let mut plan: Vec<Step> = COMMANDS.to_vec();
        for _ in 0..4 + self.rng.below(5) {
            plan.push(Step::Save);
        }
        for _ in 0..self.rng.below(3) {
            plan.push(Step::Join);
        }
        self.rng.shuffle(&mut plan);
        // Round 1 ends the other way round 0 did; then as the seed says.
        let kill = match r {
            0 => self.rng.chance(1, 2),
            1 => self.kills == 0,
            _ => self.rng.chance(1, 2),
        };
        // Late enough that commands have run beside the screen.
        let third = plan.len() / 3;
        let kill_at = kill.then(|| third + self.rng.below(plan.len() - third + 1));
        self.note(format!(
            "round {r}/{rounds}: {}, {}; plan {plan:?}",
            if first_start {
                "the day's first start"
            } else {
                "a later start"
            },
            match kill_at {
                Some(k) => format!("kill -9 before step {k}"),
                None => "quit with q".to_string(),
            }
        ));
        if import_first {
            self.import_between_rounds();
        }
        let opened = std::time::SystemTime::now();
        let Some(mut tui) = self.open_screen() else {
            return;
        };
        // The file times have whole-second or finer stamps; a second of
        // slack keeps a backup made just as the screen opened.
        self.daily_since = first_start.then(|| opened - std::time::Duration::from_secs(1));
        self.counters_agree(&tui, "at start");
        let mut killed = false;
        // Step `plan.len()` is the moment after the last step.
        for i in 0..=plan.len() {
            if kill_at == Some(i) {
                self.kill_everything(&mut tui);
                killed = true;
                break;
            }
            let Some(step) = plan.get(i) else {
                break;
            };
            let ok = self.step(i, *step, &mut tui);
            self.check_fds(Some(tui.pid()));
            if !ok {
                self.kill_everything(&mut tui);
                killed = true;
                break;
            }
        }
        if !killed {
            self.join();
            self.check_fds(Some(tui.pid()));
            // A save of its own makes the screen read its counters again.
            if self.save_by_keys(&mut tui, "final save") {
                self.counters_agree(&tui, "before quitting");
                tui.keys("q");
                let exited = wait_until(timeout(20), || (!tui.running()).then_some(()));
                if exited.is_none() {
                    self.problem(format!("q did not quit:\n{}", tui.contents()));
                    self.kill_everything(&mut tui);
                } else {
                    self.note("q: the screen quit".to_string());
                }
            } else {
                self.kill_everything(&mut tui);
            }
        }
        drop(tui);
        self.check_file();
    }

    /// With every process gone: the file against the ledger.
    fn check_file(&mut self) {
        let db = self.desk.db();
        let check = integrity(&db);
        if check != "ok" {
            self.problem(format!("PRAGMA integrity_check: {check}"));
        }
        let backups = db.parent().unwrap().join("backups");
        for b in std::fs::read_dir(&backups).into_iter().flatten().flatten() {
            let p = b.path();
            if p.extension().is_some_and(|e| e == "db") {
                let check = integrity(&p);
                if check != "ok" {
                    self.problem(format!("backup {}: integrity_check {check}", p.display()));
                }
            }
        }
        match self.file_problems(&db) {
            Ok(found) => {
                for f in found {
                    self.problem(f);
                }
            }
            Err(e) => self.problem(format!("cannot read the file: {e}")),
        }
    }

    fn file_problems(&self, db: &Path) -> rusqlite::Result<Vec<String>> {
        let c = read_only(db)?;
        let l = &self.ledger;
        let mut out = Vec::new();
        let count = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> rusqlite::Result<usize> {
            c.query_row(sql, p, |r| r.get::<_, i64>(0))
                .map(|n| n as usize)
        };
        let in_range = |what: &str, n: usize, lo: usize, hi: usize, out: &mut Vec<String>| {
            if n < lo || n > hi {
                let lost = lo.saturating_sub(n);
                out.push(format!(
                    "{what}: {n} in the file, expected {lo}..={hi}{}",
                    if lost > 0 {
                        format!(" ({lost} lost)")
                    } else {
                        String::new()
                    }
                ));
            }
        };

        let screen = count(
            "SELECT count(*) FROM visits v JOIN sessions s ON s.id = v.session_id \
             JOIN visit_topics t ON t.visit_id = v.id \
             WHERE s.profile = ?1 AND t.topic = ?2 AND v.note = ''",
            &[&SCREEN_PROFILE, &SCREEN_TOPIC],
        )?;
        in_range(
            "visits the screen showed saved",
            screen,
            l.screen_saved,
            l.screen_saved + l.screen_unsure,
            &mut out,
        );

        let notes: Vec<String> = {
            let mut st = c.prepare("SELECT note FROM visits WHERE note != ''")?;
            st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?
        };
        let times = |n: &str| notes.iter().filter(|x| *x == n).count();
        let mut lost_logs = Vec::new();
        for (note, how) in &l.logs {
            let n = times(note);
            if !how.allows(n) {
                lost_logs.push(format!("{note:?} ({how:?}) found {n} times"));
            }
        }
        if !lost_logs.is_empty() {
            out.push(format!("tiski log visits: {}", lost_logs.join("; ")));
        }

        let done = l.imported(|o| o == Some(Outcome::Done));
        let maybe = l.imported(|o| matches!(o, Some(Outcome::Done | Outcome::Killed)));
        for note in &l.other_notes {
            let n = times(note);
            let ok = if done.contains(note) {
                n == 1
            } else if maybe.contains(note) {
                n <= 1
            } else {
                n == 0
            };
            if !ok {
                out.push(format!("imported visit {note:?} found {n} times"));
            }
        }

        let heads = count(
            "SELECT coalesce(sum(n), 0) FROM head_counts h JOIN sessions s ON s.id = h.session_id \
             WHERE s.profile = ?1",
            &[&SCREEN_PROFILE],
        )?;
        in_range(
            "head-counted visitors",
            heads,
            l.head_counts_done as usize,
            (l.head_counts_done + l.head_counts_unsure) as usize,
            &mut out,
        );

        let vouchers = count("SELECT count(*) FROM vouchers", &[])?;
        in_range(
            "vouchers",
            vouchers,
            l.issues_done,
            l.issues_done + l.issues_unsure,
            &mut out,
        );
        let voucher_visits = count(
            "SELECT count(*) FROM visits v JOIN sessions s ON s.id = v.session_id \
             WHERE s.profile = 'ikaihmiset'",
            &[],
        )?;
        if voucher_visits != vouchers {
            out.push(format!(
                "{vouchers} vouchers but {voucher_visits} voucher visits (one transaction each)"
            ));
        }
        for (number, fate) in &l.vouchers {
            let status: Option<String> = c
                .query_row(
                    "SELECT status FROM vouchers WHERE number = ?1",
                    [number],
                    |r| r.get(0),
                )
                .ok();
            let s = status.as_deref().unwrap_or("missing");
            let ok = match fate {
                Fate::Open | Fate::Use(Some(Outcome::Refused)) => s == "issued",
                Fate::Cancel(Some(Outcome::Refused)) => s == "issued",
                Fate::Use(Some(Outcome::Done)) => s == "used",
                Fate::Cancel(Some(Outcome::Done)) => s == "cancelled",
                Fate::Use(_) => s == "issued" || s == "used",
                Fate::Cancel(_) => s == "issued" || s == "cancelled",
            };
            if !ok {
                out.push(format!("voucher {number} ({fate:?}) is {s}"));
            }
        }

        for (title, how) in &l.events {
            let n = count("SELECT count(*) FROM events WHERE title = ?1", &[title])?;
            if !how.allows(n) {
                out.push(format!("event {title:?} ({how:?}) found {n} times"));
            }
        }
        for (title, how) in &l.groups {
            let groups = count(
                "SELECT count(*) FROM event_groups WHERE title = ?1",
                &[title],
            )?;
            let meetings = count(
                "SELECT count(*) FROM group_meetings m JOIN event_groups g ON g.id = m.group_id \
                 WHERE g.title = ?1",
                &[title],
            )?;
            // A meeting whose command never ran to an end counts as killed.
            if groups != 1 || !how.unwrap_or(Outcome::Killed).allows(meetings) {
                out.push(format!(
                    "group {title:?}: {groups} groups, {meetings} meetings (meet: {how:?})"
                ));
            }
        }

        // Only a visit or a head-count makes a session (the screen's
        // profile has no rota), one per desk, place and day, and a
        // session's visitors are what it holds.
        let mut st = c.prepare(
            "SELECT s.id, s.profile, s.date, s.visitors, \
               (SELECT count(*) FROM visits WHERE session_id = s.id), \
               (SELECT coalesce(sum(n), 0) FROM head_counts WHERE session_id = s.id) \
             FROM sessions s",
        )?;
        let sessions: Vec<(i64, String, String, i64, i64, i64)> = st
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        for (id, profile, date, visitors, visits, heads) in &sessions {
            if visits + heads == 0 {
                out.push(format!(
                    "session {id} ({profile} {date}) holds no visit: made by something else"
                ));
            } else if *visitors != visits + heads {
                out.push(format!(
                    "session {id} ({profile} {date}) says {visitors} visitors, holds {visits} \
                     visits and {heads} head-counted"
                ));
            }
        }
        let dup = count(
            "SELECT count(*) FROM (SELECT 1 FROM sessions \
             GROUP BY profile, location, date, device HAVING count(*) > 1)",
            &[],
        )?;
        if dup > 0 {
            out.push(format!("{dup} desk-days have more than one session"));
        }
        Ok(out)
    }

    /// Stops with everything the lead needs to replay and read the failure.
    fn fail(&self, rounds: usize, why: &str) -> ! {
        panic!(
            "desk simulator failed: seed {seed}, round {round} of {rounds}{why}\n\
             replay: TISKI_SIM_SEED={seed} cargo test --test it desk_simulator\n\
             problems:\n  - {problems}\nsteps:\n  {steps}",
            seed = self.seed,
            round = self.round,
            problems = self.problems.join("\n  - "),
            steps = self.steps.join("\n  "),
        );
    }
}

fn voucher_issue_args(seq: usize) -> Vec<String> {
    // Yesterday's visits: the vouchers' profile has no duty today, so a
    // use or cancel today that made a session would be seen.
    let at = format!("{} 10:{:02}", days_ago(1), seq % 60);
    ["voucher", "issue", "--product", "liukuesteet", "--at", &at]
        .iter()
        .map(|a| a.to_string())
        .collect()
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// The desk as it runs: rounds of the screen and every writing command
/// beside it, kill -9 in some, the file checked after each.
#[test]
fn desk_simulator_loses_nothing_shown_or_said_saved() {
    let seed = env_number("TISKI_SIM_SEED").unwrap_or_else(fresh_seed);
    let rounds = env_number("TISKI_SIM_ROUNDS").unwrap_or(4).max(1) as usize;
    eprintln!("desk simulator: seed {seed}, {rounds} rounds (TISKI_SIM_SEED={seed} replays)");
    let mut sim = Sim::new(seed);
    for r in 0..rounds {
        sim.round = r;
        let ran = catch_unwind(AssertUnwindSafe(|| sim.round(rounds)));
        if let Err(e) = ran {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            sim.fail(rounds, &format!(": the test itself panicked: {msg}"));
        }
        if !sim.problems.is_empty() {
            sim.fail(rounds, "");
        }
    }
    if std::env::var_os("TISKI_SIM_STEPS").is_some() {
        eprintln!("{}", sim.steps.join("\n"));
    }
    let l = &sim.ledger;
    eprintln!(
        "desk simulator: seed {seed}: {rounds} rounds, {} kill -9, {} visits shown saved by the \
         screen, {} by tiski log, {} vouchers, {} imports; 0 lost",
        sim.kills,
        l.screen_saved,
        l.logs.iter().filter(|(_, o)| *o == Outcome::Done).count(),
        l.issues_done,
        l.imports.len()
    );
}

/// The issue's own reproduction: the day's first start of the screen,
/// `tiski log` beside it three times, quit: 7 visits shown saved, and 7 in
/// the file (today's main keeps 5: the day's check dropped the screen's
/// locks, the first `tiski log` deleted the WAL under it).
#[test]
fn desk_three_logs_beside_the_days_first_screen_keep_all_seven_visits() {
    let env = Env::with_own_tmpdir();
    env.ok(&["log", "--profile", "ikaihmiset", "--topic", "digituki"]);
    let mut tui = Tui::start(&env, &["--profile", "ikaihmiset"]);
    tui.wait_for("Tämä päivystys 1");
    // The day's check, purge and backup run in the background after the
    // first frame; the backup is the last of them.
    let backups = env.db().parent().unwrap().join("backups");
    let made = wait_until(timeout(20), || {
        std::fs::read_dir(&backups)
            .ok()?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with("tiski-") && n.ends_with(".db"))
    });
    assert!(made.is_some(), "the day's first start made no backup");
    let mut held = Vec::new();
    let mut shown = 0;
    for _ in 0..3 {
        let (before, _) = counters(&tui.contents()).unwrap();
        tui.key_then("1", "1 [x]");
        tui.keys("\r");
        let saved = wait_until(timeout(15), || {
            counters(&tui.contents()).filter(|(now, _)| *now != before)
        });
        assert!(saved.is_some(), "not saved:\n{}", tui.contents());
        shown = saved.unwrap().0;
        env.ok(&["log", "--profile", "ikaihmiset", "--topic", "kadut_infra"]);
        held.extend(deleted_companions(tui.pid(), &env.db()));
    }
    let tally = env.tally_json(&["--profile", "ikaihmiset"])["visitors"].as_u64();
    tui.keys("q");
    assert!(tui.wait_exit().success());
    let visits: i64 = read_only(&env.db())
        .unwrap()
        .query_row("SELECT count(*) FROM visits", [], |r| r.get(0))
        .unwrap();
    assert!(
        held.is_empty() && tally == Some(7) && visits == 7,
        "7 visits saved (the screen's counter reached {shown} before the last log); \
         the screen held deleted {held:?}; tally --json beside it: {tally:?} visitors; \
         in the file after q: {visits}"
    );
}

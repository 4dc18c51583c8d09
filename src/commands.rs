//! One-shot commands: `log`, `tally` and `config` here; `report`, `export`
//! and `import` in `commands/report.rs`; vouchers in `commands/voucher.rs`;
//! `purge` and `privacy-notice` in `commands/privacy.rs`.

/// `println!` for a person to read: control characters (ESC, C1, bidi
/// overrides, CR) from labels, places, notes, shops or imported strings are
/// shown as `·`, so they cannot move the cursor or recolour the terminal.
/// JSON and TOML escape them themselves and pass through unchanged.
macro_rules! say {
    ($($t:tt)*) => {
        $crate::commands::put(&format!($($t)*), "\n")?
    };
}

/// [`say!`] without the line break.
macro_rules! say_part {
    ($($t:tt)*) => {
        $crate::commands::put(&format!($($t)*), "")?
    };
}

/// [`say!`] on standard error; a standard error that cannot be written
/// (closed, full) is not reported anywhere else, so it is let be.
macro_rules! tell {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            $crate::text::clean_lines(&format!($($t)*))
        );
    }};
}

/// A report's or an export's bytes on standard output: to a terminal,
/// text with its control characters shown as `·` (a label from the config
/// or an imported note cannot move the cursor or recolour the screen); to
/// a pipe or a file, as they are (JSON is escaped when it is made).
pub(crate) fn put_document(bytes: &[u8]) -> Result<(), Error> {
    use std::io::{IsTerminal as _, Write as _};
    let mut out = std::io::stdout().lock();
    let shown;
    let bytes = match std::str::from_utf8(bytes) {
        Ok(text) if out.is_terminal() => {
            shown = crate::text::clean_lines(&text.replace("\r\n", "\n")).into_owned();
            shown.as_bytes()
        }
        _ => bytes,
    };
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(Error::Stdout)
}

/// Writes `text` (cleaned) and `end` to standard output; a full or closed
/// output is an error (exit 1 with a message), never a panic.
pub(crate) fn put(text: &str, end: &str) -> Result<(), Error> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    write!(out, "{}{end}", crate::text::clean_lines(text))
        .and_then(|()| out.flush())
        .map_err(Error::Stdout)
}
pub mod documents;
pub mod events;
pub mod output;
pub mod privacy;
pub mod report;
pub mod sessions;
pub mod sync;
pub mod unit;
pub mod voucher;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::clock::{parse_day, parse_moment};
use crate::config::{Config, ConfigSource, Profile};
use crate::error::Error;
use crate::i18n;
use crate::locale::{self, Lang};
use crate::report::{DayTally, UNRECORDED, ranked};
use crate::store::lock::DeskLock;
use crate::store::maintenance::{self, Finding};
use crate::store::{Store, Target};
use crate::text;

/// Which desk a command is about: the `--profile` and `--location` flags.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub profile: Option<String>,
    pub location: Option<String>,
}

impl Scope {
    /// The profile flag checked against the config (`None`: all profiles).
    pub fn profile<'c>(&self, config: &'c Config) -> Result<Option<&'c Profile>, Error> {
        match self.profile.as_deref() {
            Some(id) => Ok(Some(config.find_profile(id)?)),
            None => Ok(None),
        }
    }

    /// The profile flag, which this command needs.
    pub fn required_profile<'c>(&self, config: &'c Config) -> Result<&'c Profile, Error> {
        self.profile(config)?.ok_or_else(|| Error::ProfileRequired {
            valid: config.profile_ids(),
        })
    }
}

/// `tiski log`: a visit's topics and referral (keys or labels) and time.
#[derive(Debug, Clone, Default)]
pub struct LogRequest {
    pub scope: Scope,
    pub topics: Vec<String>,
    /// A head-count: this many visitors at once, without topics.
    pub count: Option<u32>,
    pub referral: Option<String>,
    /// As typed; `None` is now.
    pub at: Option<String>,
    /// A note; refused if it holds an identity or a control character.
    pub note: Option<String>,
}

/// `tiski tally`: a day (as typed; `None` is today), as text or JSON.
#[derive(Debug, Clone, Default)]
pub struct TallyRequest {
    pub profile: Option<String>,
    pub date: Option<String>,
    pub json: bool,
}

/// The clock as the command line read it at its start (the one reading a
/// command dates by), and whether the user said `--confirm` to a clock
/// tiski doubts.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now: crate::clock::Now,
    pub yes: bool,
}

impl Clock {
    pub fn read(yes: bool) -> Clock {
        Clock {
            now: crate::clock::Now::read(),
            yes,
        }
    }

    pub fn today(&self) -> chrono::NaiveDate {
        self.now.local.date()
    }

    /// The reading a write is dated by: refused (nothing written) when the
    /// clock is doubted and the user did not say `--confirm`.
    pub fn trusted(&self, store: &Store) -> Result<crate::desk::Trusted, Error> {
        crate::desk::trust(store, self.now, self.yes).map_err(Error::Clock)
    }
}

/// `tiski log`: saves one visit into that day's session.
pub fn log(
    store: &mut Store,
    config: &Config,
    lang: Lang,
    req: LogRequest,
    clock: Clock,
) -> Result<(), Error> {
    let profile = req.scope.required_profile(config)?.clone();
    let (topics, referral) = (&req.topics, req.referral.as_deref());
    let at = req
        .at
        .as_deref()
        .map(|v| parse_moment(v, clock.today()))
        .transpose()?
        .unwrap_or(clock.now.local);
    // A year that has ended may have been reported: its figures change
    // only on purpose.
    if at.year() < clock.today().year() && !clock.yes {
        return Err(Error::EarlierYear {
            value: req.at.clone().unwrap_or_default(),
            year: at.year(),
        });
    }
    // A visit in the future is a typo (2032 for 2023): refuse it.
    if at.date() > clock.today() {
        // Named as it was typed (3.12.2026 10.00), not in another form.
        return Err(Error::FutureTime {
            value: req
                .at
                .clone()
                .unwrap_or_else(|| at.format("%Y-%m-%d %H:%M").to_string()),
        });
    }
    if let Some(n) = req.count {
        crate::events::check_head_count(n)?;
        let location = place_for(store, &profile, req.scope.location)?;
        let now = clock.trusted(store)?;
        let target = Target::Day {
            profile: &profile.id,
            location: &location,
        };
        let new_session = store
            .find_session(&profile.id, &location, at.date())?
            .is_none();
        crate::desk::add_head_count(store, target, at, n, &now)?;
        let t = i18n::texts(lang);
        say!(
            "{}",
            t.head_count_logged(
                n,
                &locale::date(at.date(), lang),
                profile.name(lang),
                &location
            )
        );
        say_new_session(&profile, &location, at, new_session, lang);
        return Ok(());
    }
    let mut entry = profile.fresh_entry(None);
    if let Some(note) = &req.note {
        crate::checked::check_note(note)?;
        entry.note = note.clone();
    }
    for given in topics {
        let Some(topic) = choose(|| profile.active_topics(), given)? else {
            let active = || profile.active_topics().map(|t| t.key.as_str());
            return Err(Error::UnknownTopic {
                key: given.clone(),
                profile: profile.id.clone(),
                valid: keys(active()),
                nearest: crate::text::nearest(given, active()).map(str::to_string),
            });
        };
        if !entry.topics.contains(&topic.key) {
            entry.toggle_topic(&topic.key, profile.topics.iter().map(|t| t.key.as_str()));
        }
    }
    if let Some(given) = referral {
        let active = || profile.referrals.iter().filter(|x| !x.retired);
        let Some(r) = choose(active, given)? else {
            return Err(Error::UnknownReferral {
                key: given.to_string(),
                profile: profile.id.clone(),
                valid: keys(active().map(|x| x.key.as_str())),
                nearest: crate::text::nearest(given, active().map(|x| x.key.as_str()))
                    .map(str::to_string),
            });
        };
        entry.referral = Some(r.key.clone());
    }
    let location = place_for(store, &profile, req.scope.location)?;
    let now = clock.trusted(store)?;
    // The session, if the day has none yet, and the visit in one transaction.
    let target = Target::Day {
        profile: &profile.id,
        location: &location,
    };
    let new_session = store
        .find_session(&profile.id, &location, at.date())?
        .is_none();
    crate::desk::save_visit(store, &profile, target, at, entry.clone(), false, &now)?;
    let labels: Vec<&str> = entry
        .topics
        .iter()
        .map(|k| profile.topic_label(k, lang))
        .collect();
    say!(
        "{}",
        i18n::texts(lang).logged(
            &locale::date(at.date(), lang),
            &locale::time(at, lang),
            profile.name(lang),
            &location,
            &labels.join(", ")
        )
    );
    say_new_session(&profile, &location, at, new_session, lang);
    Ok(())
}

/// After a visit or head-count from the shell that started its day's
/// session: which session it was, and whether the rota had the duty (on
/// standard error, beside the result).
fn say_new_session(
    profile: &Profile,
    location: &str,
    at: chrono::NaiveDateTime,
    new_session: bool,
    lang: Lang,
) {
    if new_session {
        let on_rota = profile.schedule.iter().any(|r| r.occurs_on(at.date()));
        tell!(
            "tiski: {}",
            i18n::texts(lang).logged_new_session(&locale::date(at.date(), lang), location, on_rota)
        );
    }
}

/// The place of a visit logged from the shell: `--location` if the
/// profile has it, else the profile's last used place, else its default.
pub fn place_for(store: &Store, profile: &Profile, flag: Option<String>) -> Result<String, Error> {
    match flag {
        Some(l) if profile.locations.contains(&l) => Ok(l),
        Some(l) => Err(Error::UnknownLocation {
            name: l,
            profile: profile.id.clone(),
            valid: profile.locations.join(", "),
        }),
        None => Ok(store
            .setting(&format!("last_location.{}", profile.id))?
            .filter(|l| profile.locations.contains(l))
            .unwrap_or_else(|| profile.default_location.clone())),
    }
}

/// The choice a shell argument names: its key, in any letter case, or its
/// Finnish or English label (`Digituki` finds `digituki`).
/// The choice a typed value names: its key first (`kela` is the topic
/// whose key is `kela`, whatever other topic is labelled "Kela"), else the
/// one choice whose label it is, in either language. A label two choices
/// share is refused, naming both keys.
fn choose<'a, I: Iterator<Item = &'a crate::config::Choice>>(
    choices: impl Fn() -> I,
    given: &str,
) -> Result<Option<&'a crate::config::Choice>, Error> {
    let typed = given.trim().to_lowercase();
    if let Some(c) = choices().find(|c| c.key == typed) {
        return Ok(Some(c));
    }
    let by_label: Vec<&crate::config::Choice> = choices()
        .filter(|c| c.fi.to_lowercase() == typed || c.en.to_lowercase() == typed)
        .collect();
    match by_label.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => Err(Error::AmbiguousKey {
            value: given.to_string(),
            keys: keys(many.iter().map(|c| c.key.as_str())),
        }),
    }
}

fn keys<'a>(it: impl Iterator<Item = &'a str>) -> String {
    it.collect::<Vec<_>>().join(", ")
}

/// One profile's part of `tiski tally --json` (and the whole of it with
/// `--profile`).
#[derive(Serialize)]
struct TallyJson<'a> {
    date: NaiveDate,
    profile: Option<&'a str>,
    visitors: u32,
    /// The part of `visitors` logged as head-counts, without topics.
    head_counts: u32,
    sessions: u32,
    topics: &'a BTreeMap<String, u32>,
    referrals: &'a BTreeMap<String, u32>,
    hours: BTreeMap<String, u32>,
    /// Field → option → visits; `unrecorded` for visits without a value.
    fields: &'a BTreeMap<String, BTreeMap<String, u32>>,
    /// Calendar year from 1 January to `date`, zero-visitor sessions included.
    avg_visitors_per_session: Option<f64>,
    year_sessions: u32,
    year_visitors: u32,
    /// Product → vouchers handed out that day (not cancelled).
    vouchers_issued: BTreeMap<String, u32>,
}

impl<'a> TallyJson<'a> {
    fn new(
        t: &'a DayTally,
        profile: Option<&'a str>,
        vouchers_issued: BTreeMap<String, u32>,
    ) -> Self {
        TallyJson {
            date: t.date,
            profile,
            visitors: t.visitors,
            head_counts: t.head_counts,
            sessions: t.sessions,
            topics: &t.topics,
            referrals: &t.referrals,
            hours: t
                .hours
                .iter()
                .map(|(h, n)| (format!("{h:02}"), *n))
                .collect(),
            fields: &t.fields,
            avg_visitors_per_session: t.year.mean(),
            year_sessions: t.year.sessions,
            year_visitors: t.year.visitors,
            vouchers_issued,
        }
    }
}

/// `tiski tally`: a day's figures as text or JSON. Without `--profile`,
/// the totals of all profiles, and each profile's topics, referrals and
/// fields as its own (two profiles may both have a `kela`).
pub fn tally(
    store: &Store,
    config: &Config,
    lang: Lang,
    req: TallyRequest,
    today: NaiveDate,
) -> Result<(), Error> {
    let date = req
        .date
        .as_deref()
        .map(|v| parse_day(v, today))
        .transpose()?
        .unwrap_or(today);
    let scope = Scope {
        profile: req.profile,
        location: None,
    };
    let profiles: Vec<&Profile> = match scope.profile(config)? {
        Some(p) => vec![p],
        None => config.profiles.values().collect(),
    };
    let mut parts = Vec::new();
    for p in &profiles {
        let t = store.day_tally(p, date)?;
        let vouchers = store.vouchers_issued_on(Some(&p.id), date)?;
        parts.push((*p, t, vouchers));
    }
    let one = scope.profile.is_some();
    if req.json {
        let out = if let [(p, t, v)] = parts.as_slice()
            && one
        {
            serde_json::to_value(TallyJson::new(t, Some(&p.id), v.clone()))
        } else {
            let total = store.day_tally_of(None, date)?;
            let vouchers = store.vouchers_issued_on(None, date)?;
            let mut top = serde_json::to_value(TallyJson::new(&total, None, vouchers))
                .expect("tally serializes");
            let mut each = serde_json::Map::new();
            let (mut topics, mut referrals, mut fields) = Default::default();
            for (p, t, v) in &parts {
                prefix_into(&mut topics, &p.id, &t.topics);
                prefix_into(&mut referrals, &p.id, &t.referrals);
                prefix_into(&mut fields, &p.id, &t.fields);
                let j = serde_json::to_value(TallyJson::new(t, Some(&p.id), v.clone()))
                    .expect("tally serializes");
                each.insert(p.id.clone(), j);
            }
            top["topics"] = serde_json::Value::Object(topics);
            top["referrals"] = serde_json::Value::Object(referrals);
            top["fields"] = serde_json::Value::Object(fields);
            top["profiles"] = serde_json::Value::Object(each);
            Ok(top)
        }
        .expect("tally serializes");
        say!(
            "{}",
            crate::text::json_safe(serde_json::to_string_pretty(&out).expect("tally serializes"))
        );
    } else if let [(p, t, v)] = parts.as_slice()
        && one
    {
        say_part!("{}", tally_text(p, t, v, lang, true));
    } else {
        let tx = i18n::texts(lang);
        let total = store.day_tally_of(None, date)?;
        say!("{}", tx.tally_heading(&locale::date(date, lang), None));
        say!("{}", tx.tally_visitors(total.visitors, total.sessions));
        say!(
            "{}",
            tx.year_average(date.year(), total.year.mean(), total.year.sessions)
        );
        for (p, t, v) in parts.iter().filter(|(_, t, _)| t.sessions > 0) {
            say_part!("\n{}", tally_text(p, t, v, lang, false));
        }
    }
    Ok(())
}

/// `{"ikaihmiset:kela": 1}`: one profile's counts under keys of its own.
fn prefix_into<T: Serialize>(
    into: &mut serde_json::Map<String, serde_json::Value>,
    profile: &str,
    counts: &BTreeMap<String, T>,
) {
    for (k, v) in counts {
        let v = serde_json::to_value(v).expect("counts serialize");
        into.insert(format!("{profile}:{k}"), v);
    }
}

/// One profile's day as text; `whole` adds the heading and the year, as
/// for `--profile` (all profiles together have them once, at the top).
pub fn tally_text(
    profile: &Profile,
    t: &DayTally,
    vouchers: &BTreeMap<String, u32>,
    lang: Lang,
    whole: bool,
) -> String {
    let tx = i18n::texts(lang);
    let mut s = String::new();
    if whole {
        let day = locale::date(t.date, lang);
        let _ = writeln!(s, "{}", tx.tally_heading(&day, Some(profile.name(lang))));
    } else {
        let _ = writeln!(s, "{}", text::clean(profile.name(lang)));
    }
    let _ = writeln!(s, "{}", tx.tally_visitors(t.visitors, t.sessions));
    if t.head_counts > 0 {
        let _ = writeln!(s, "  {}", tx.head_counted(t.head_counts));
    }
    if whole {
        let _ = writeln!(
            s,
            "{}",
            tx.year_average(t.date.year(), t.year.mean(), t.year.sessions)
        );
    }
    let mut section = |title: &str, rows: Vec<(String, u32)>| {
        let _ = writeln!(s, "\n{title}");
        if rows.is_empty() {
            let _ = writeln!(s, "  {}", tx.none());
        }
        let w = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
        for (label, n) in rows {
            let _ = writeln!(s, "  {label:<w$}  {n:>3}");
        }
    };
    let order = |list: &[crate::config::Choice]| -> Vec<String> {
        list.iter().map(|c| c.key.clone()).collect()
    };
    let topic_order = order(&profile.topics);
    let topic_order: Vec<&str> = topic_order.iter().map(String::as_str).collect();
    section(
        tx.topics(),
        ranked(&t.topics, &topic_order)
            .into_iter()
            .map(|(k, n)| (text::clean(profile.topic_label(k, lang)).into_owned(), n))
            .collect(),
    );
    let referral_order = order(&profile.referrals);
    let referral_order: Vec<&str> = referral_order.iter().map(String::as_str).collect();
    section(
        tx.referrals(),
        ranked(&t.referrals, &referral_order)
            .into_iter()
            .map(|(k, n)| (text::clean(profile.referral_label(k, lang)).into_owned(), n))
            .collect(),
    );
    for f in &profile.fields {
        let Some(counts) = t.fields.get(&f.key) else {
            continue;
        };
        let options: Vec<&str> = f.options.iter().map(|o| o.key.as_str()).collect();
        let rows = ranked(counts, &options)
            .into_iter()
            .map(|(k, n)| {
                let label = if k == UNRECORDED {
                    tx.word(crate::i18n::Word::Unrecorded).to_string()
                } else {
                    f.option(k).map_or(k, |o| o.label(lang)).to_string()
                };
                (text::clean(&label).into_owned(), n)
            })
            .collect();
        section(&text::clean(f.label(lang)), rows);
    }
    if let Some(cfg) = profile.voucher_settings() {
        section(
            tx.word(crate::i18n::Word::Vouchers),
            vouchers
                .iter()
                .map(|(k, n)| (text::clean(cfg.product_label(k, lang)).into_owned(), *n))
                .collect(),
        );
    }
    section(
        tx.by_hour(),
        t.hours
            .iter()
            .map(|(h, n)| (format!("{h:02}–{:02}", h + 1), *n))
            .collect(),
    );
    s
}

/// `tiski backup`: an online backup into the backups folder.
pub fn backup(
    db: &std::path::Path,
    keep: usize,
    lang: Lang,
    now: chrono::NaiveDateTime,
) -> Result<(), Error> {
    if !db.is_file() {
        return Err(crate::store::StoreError::Open {
            path: db.to_path_buf(),
            reason: if db.exists() {
                crate::files::Cause::NotAFile
            } else {
                crate::files::Cause::NotFound
            },
        }
        .into());
    }
    let made = maintenance::backup(db, now, keep)?;
    say!(
        "{}",
        i18n::texts(lang).backup_done(&made.display().to_string())
    );
    Ok(())
}

/// `tiski restore FILE`: checks the backup, keeps the current file aside,
/// and puts the backup in its place.
pub fn restore(
    db: &std::path::Path,
    file: &std::path::Path,
    lang: Lang,
    now: chrono::NaiveDateTime,
) -> Result<(), Error> {
    // The real file behind a symbolic link is what is replaced (and kept
    // aside), not the link.
    let real = crate::platform::real_path(db).unwrap_or_else(|| db.to_path_buf());
    // What is there now must be tiski's (or nothing): looked at before any
    // lock file is made beside it.
    if real.exists() {
        crate::store::Store::preflight(&real)?;
    }
    // A backup that is not there is named as such, before a lock file is
    // made (in a folder that may not exist yet).
    if !file.is_file() {
        maintenance::verify_backup(file)?;
    }
    // Not under an open duty screen: it would keep writing the file put aside.
    let _lock = DeskLock::exclusive(&real)?;
    let aside = maintenance::restore(&real, file, now)?;
    let aside = aside.map(|a| a.display().to_string());
    say!(
        "{}",
        i18n::texts(lang).restored(&file.display().to_string(), aside.as_deref())
    );
    Ok(())
}

/// `tiski doctor`: what it found, one line each; exit 1 on any problem.
/// Privacy is looked at too: retention, overdue purges, backups holding
/// data past retention, leftover temporary copies.
pub fn doctor(
    db: &std::path::Path,
    config: &Config,
    lang: Lang,
    recount: bool,
    now: crate::clock::Now,
) -> Result<(), Error> {
    let today = now.local.date();
    // Not under an open duty screen, which keeps its own counts in step.
    let _lock = if recount && db.is_file() {
        Some(DeskLock::exclusive(db)?)
    } else {
        None
    };
    let t = i18n::texts(lang);
    say!("{}", db.display());
    let mut findings = maintenance::doctor(db);
    let readable = !findings
        .iter()
        .any(|f| matches!(f, Finding::Missing | Finding::NotADatabase));
    if readable {
        findings.extend(
            crate::store::privacy::findings(db, config.retention, today, now.utc.into())
                .into_iter()
                .map(Finding::Privacy),
        );
    }
    // A missing file has nothing to count; doctor says it is missing.
    if recount && db.is_file() {
        // Only a readable file of a schema this tiski knows, that passed the
        // integrity check, is opened for writing.
        let sound = findings.iter().all(|f| match f {
            Finding::Missing | Finding::NotADatabase => false,
            Finding::Schema { .. } | Finding::Integrity(_) => !f.is_problem(),
            _ => true,
        });
        if sound {
            Store::open(db)?.recount_visits()?;
            say!("  {}", t.recounted());
            // Only the counts changed: check them again, not the whole file.
            let stale = findings
                .iter()
                .position(|f| matches!(f, Finding::Counts { .. }));
            if let (Some(i), Some(fresh)) = (stale, maintenance::recheck_counts(db)) {
                findings[i] = fresh;
            }
        } else {
            say!("  {}", t.not_recounted());
        }
    }
    let mut problems = 0;
    for f in &findings {
        let mark = if f.is_problem() {
            problems += 1;
            "!!"
        } else {
            "ok"
        };
        say!("  {mark}  {}", t.finding(f));
    }
    // Not a fault of the file, so not counted: what a shop needs to
    // invoice from a commitment, while the config leaves it empty.
    for p in config.profiles.values() {
        if let Some(v) = &p.vouchers {
            let missing = v.missing_invoicing();
            if !missing.is_empty() {
                say!("  --  {}", t.invoicing_missing(&p.id, &missing));
            }
        }
    }
    say!("{}", t.doctor_summary(problems));
    if problems > 0 {
        Err(Error::DoctorFound(problems))
    } else {
        Ok(())
    }
}

/// `tiski demo`: fills a new, empty database with synthetic history;
/// refuses one that already holds sessions, so a real log never gets
/// synthetic visits mixed in.
pub fn demo(
    store: &mut Store,
    config: &Config,
    lang: Lang,
    db: &std::path::Path,
    visits: u64,
    years: u32,
    clock: Clock,
) -> Result<(), Error> {
    let t = i18n::texts(lang);
    // Dates the store writes as four-digit years, so they compare as text.
    let first = NaiveDate::from_ymd_opt(1, 1, 1).expect("valid date");
    let last = NaiveDate::from_ymd_opt(9999, 12, 31).expect("valid date");
    let existing = store.session_stats(None, first, last)?;
    if existing.sessions > 0 {
        return Err(Error::Output {
            path: db.to_path_buf(),
            reason: crate::files::Cause::Other(t.demo_not_empty(existing.sessions)),
        });
    }
    let opts = crate::demo::DemoOptions {
        visits,
        years,
        today: clock.today(),
        seed: crate::demo::DEFAULT_SEED,
    };
    let started = std::time::Instant::now();
    let now = clock.trusted(store)?;
    let s = crate::demo::generate(store, config, &opts, &now)?;
    say!(
        "{}: {}",
        db.display(),
        t.demo_done(&s, started.elapsed().as_secs_f64())
    );
    Ok(())
}

/// `tiski config`: the effective configuration, loadable as a user file.
/// `tiski config set language LANG`: remembered for every later start
/// and command, said in the language chosen.
pub fn remember_language(lang: Lang) -> Result<(), Error> {
    let path = crate::config::remembered_language_path().unwrap_or_default();
    crate::config::remember_language(lang).map_err(Error::output(&path))?;
    say!("{}", i18n::texts(lang).language_remembered());
    Ok(())
}

pub fn print_config(config: &Config, lang: Lang) -> Result<(), Error> {
    let t = i18n::texts(lang);
    let source = match &config.source {
        ConfigSource::Embedded => t.config_source_embedded().to_string(),
        ConfigSource::File(p) => t.config_source_file(&p.display().to_string()),
    };
    say!("# tiski: {source}");
    if let Some(p) = crate::config::user_config_path() {
        say!(
            "# {}",
            t.config_user_path(&p.display().to_string(), p.exists())
        );
    }
    say!("");
    say_part!("{}", config.to_toml());
    Ok(())
}

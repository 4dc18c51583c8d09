//! One-shot commands: `log` and `config` here; `tally` in `commands/tally.rs`;
//! `backup`, `restore`, `doctor` and `demo` in `commands/upkeep.rs`;
//! `report`, `export` and `import` in `commands/report.rs`; vouchers in
//! `commands/voucher.rs`; `purge` and `privacy-notice` in
//! `commands/privacy.rs`.

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
pub mod tally;
pub mod unit;
pub mod upkeep;
pub mod voucher;

use chrono::Datelike;

use crate::clock::parse_moment;
use crate::config::{Config, ConfigSource, Profile};
use crate::error::Error;
use crate::i18n;
use crate::locale::{self, Lang};
use crate::store::{Store, Target};

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

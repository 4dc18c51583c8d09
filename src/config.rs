//! Configuration: the embedded defaults, the user's overrides, and validation.
//!
//! `config/default.toml` is compiled into the binary. A user file (the
//! platform config directory, or `--config PATH`) may set any top-level key
//! and may give whole profiles: a profile there replaces the embedded profile
//! with the same id, or adds a new one. Every entry is stored by its `key`,
//! so labels can change and topics can be retired without touching old data.

use std::fmt;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::domain::VisitEntry;
use crate::events::EventsConfig;
use crate::locale::Lang;
use crate::privacy::config::{PrivacyConfig, RetentionConfig, RetentionProblem};
use crate::schedule::{ScheduleProblem, ScheduleRow};
use crate::voucher::VoucherConfig;

pub mod server;
pub use server::{ServerConfig, ServerConfigProblem};

/// The embedded default configuration text.
pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");

/// A shorter label, for where space is tight (`short = { fi = "…", en =
/// "…" }`); a language left out uses the full label.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Short {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fi: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Short {
    fn get(short: &Option<Short>, lang: Lang) -> Option<&str> {
        let s = short.as_ref()?;
        match lang {
            Lang::Fi => s.fi.as_deref(),
            Lang::En => s.en.as_deref(),
        }
    }
}

/// The full label if it fits `width` characters, else the short one.
pub fn fitting<'a>(full: &'a str, short: &'a str, width: usize) -> &'a str {
    if full.chars().count() <= width {
        full
    } else {
        short
    }
}

/// One choice: a topic, a referral target or a field option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub key: String,
    pub fi: String,
    pub en: String,
    /// Where space is tight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short: Option<Short>,
    /// Retired choices are hidden from pickers but still label old data.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retired: bool,
}

impl Choice {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fi => &self.fi,
            Lang::En => &self.en,
        }
    }

    /// The short label, or the full one when there is none.
    pub fn short_label(&self, lang: Lang) -> &str {
        Short::get(&self.short, lang).unwrap_or(self.label(lang))
    }
}

/// An optional per-visit field such as channel or age band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    pub key: String,
    pub hotkey: char,
    pub fi: String,
    pub en: String,
    /// A sticky field keeps its last value from one visit to the next.
    #[serde(default)]
    pub sticky: bool,
    /// The value a new visit starts with (none when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    pub options: Vec<Choice>,
}

impl FieldDef {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fi => &self.fi,
            Lang::En => &self.en,
        }
    }

    pub fn option(&self, key: &str) -> Option<&Choice> {
        self.options.iter().find(|o| o.key == key)
    }
}

/// A desk profile: who logs, where, and what they log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    #[serde(skip)]
    pub id: String,
    pub fi: String,
    pub en: String,
    /// The name where space is tight (the duty screen's header at 80×24).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short: Option<Short>,
    pub default_location: String,
    pub locations: Vec<String>,
    /// Short names of places, by place: `short_places = { "HeiMo-kahvila"
    /// = "HeiMo" }`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub short_places: IndexMap<String, String>,
    pub topics: Vec<Choice>,
    #[serde(default)]
    pub referrals: Vec<Choice>,
    #[serde(default)]
    pub fields: Vec<FieldDef>,
    /// The duty rota; empty when the desk has none (then every opening of
    /// the duty screen waits for the first visit before it is a session).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<ScheduleRow>,
    /// Anti-slip vouchers; off when absent (see `voucher::config`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vouchers: Option<VoucherConfig>,
    /// Events, groups and feedback; off when absent (see `events::config`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<EventsConfig>,
}

impl Profile {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fi => &self.fi,
            Lang::En => &self.en,
        }
    }

    /// The short name, or the full one when there is none.
    pub fn short_name(&self, lang: Lang) -> &str {
        Short::get(&self.short, lang).unwrap_or(self.name(lang))
    }

    /// A place's short name, or the place itself.
    pub fn short_place<'a>(&'a self, place: &'a str) -> &'a str {
        self.short_places.get(place).map_or(place, String::as_str)
    }

    /// The short label of a topic key (the key for an unknown one).
    pub fn topic_short<'a>(&'a self, key: &'a str, lang: Lang) -> &'a str {
        self.topic(key).map_or(key, |t| t.short_label(lang))
    }

    pub fn referral_short<'a>(&'a self, key: &'a str, lang: Lang) -> &'a str {
        self.referral(key).map_or(key, |t| t.short_label(lang))
    }

    /// Topics offered in the picker, in configured order.
    pub fn active_topics(&self) -> impl Iterator<Item = &Choice> {
        self.topics.iter().filter(|t| !t.retired)
    }

    pub fn topic(&self, key: &str) -> Option<&Choice> {
        self.topics.iter().find(|t| t.key == key)
    }

    pub fn referral(&self, key: &str) -> Option<&Choice> {
        self.referrals.iter().find(|t| t.key == key)
    }

    pub fn field(&self, key: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Label of a topic key, falling back to the key itself for topics that
    /// were removed from the config altogether.
    pub fn topic_label<'a>(&'a self, key: &'a str, lang: Lang) -> &'a str {
        self.topic(key).map_or(key, |t| t.label(lang))
    }

    pub fn referral_label<'a>(&'a self, key: &'a str, lang: Lang) -> &'a str {
        self.referral(key).map_or(key, |t| t.label(lang))
    }

    /// The voucher settings when vouchers are on for this profile (the
    /// `vouchers` table may be present but switched off).
    pub fn voucher_settings(&self) -> Option<&VoucherConfig> {
        self.vouchers.as_ref().filter(|v| v.enabled)
    }

    /// The events settings when events and groups are on for this profile.
    pub fn event_settings(&self) -> Option<&EventsConfig> {
        self.events.as_ref().filter(|e| e.enabled)
    }

    /// A new-visit form: topics, referral and note empty; sticky fields
    /// keep their value from `previous`, the rest start at their defaults.
    pub fn fresh_entry(&self, previous: Option<&VisitEntry>) -> VisitEntry {
        let mut form = VisitEntry::default();
        for f in &self.fields {
            let kept = previous
                .filter(|_| f.sticky)
                .and_then(|p| p.fields.get(&f.key).cloned());
            if let Some(v) = kept.or_else(|| f.default.clone()) {
                form.fields.insert(f.key.clone(), v);
            }
        }
        form
    }
}

/// A profile id that the configuration does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown profile {id:?}")]
pub struct UnknownProfile {
    pub id: String,
    /// The ids there are, comma-separated.
    pub valid: String,
}

/// The screen's colours: the default theme, or one that carries meaning by
/// bold, underline and reverse on the terminal's own colours alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThemeName {
    #[default]
    Default,
    HighContrast,
}

/// The effective configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Config {
    pub language: Lang,
    /// `theme = "default" | "high-contrast"`.
    pub theme: ThemeName,
    /// `screen_reader = true`: the duty screen speaks in lines of text
    /// (as `--screen-reader`); `false`: it is drawn, even when `r` on the
    /// chooser once turned the mode on. Not set: the chooser's choice.
    pub screen_reader: Option<bool>,
    /// Daily backups kept in `backups/` beside the database.
    pub backups_keep: usize,
    /// How long notes and voucher identities are kept (`[retention]`).
    pub retention: RetentionConfig,
    /// Small counts in exports, and the register's controller (`[privacy]`).
    pub privacy: PrivacyConfig,
    pub profiles: IndexMap<String, Profile>,
    /// The city's PostgreSQL this desk consolidates into (`[server]`);
    /// `None`: nothing leaves the laptop.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<ServerConfig>,
    /// Where this configuration came from, for `tiski config`.
    #[serde(skip)]
    pub source: ConfigSource,
}

/// Where the effective configuration came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ConfigSource {
    #[default]
    Embedded,
    /// The embedded defaults overridden by this file.
    File(PathBuf),
}

/// The shape of a config file: every top-level key optional.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    language: Option<Lang>,
    theme: Option<ThemeName>,
    screen_reader: Option<bool>,
    backups_keep: Option<usize>,
    retention: Option<RetentionConfig>,
    privacy: Option<PrivacyConfig>,
    server: Option<ServerConfig>,
    #[serde(default)]
    profiles: IndexMap<String, Profile>,
}

/// A configuration problem, located as precisely as we can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file at fault; `None` for the embedded defaults.
    pub file: Option<Box<Path>>,
    /// 1-based line, when known.
    pub line: Option<usize>,
    pub kind: ConfigErrorKind,
}

/// What is wrong; the plain `Display` is for logs, `i18n` words it for users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigErrorKind {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Read(crate::files::Cause),
    /// TOML syntax or type error, in the parser's words.
    #[error("invalid TOML: {0}")]
    Parse(String),
    /// A profile has no topics.
    #[error("profile {profile:?} has no active topic")]
    NoTopics { profile: String },
    /// The same key twice in one list.
    #[error("profile {profile:?}: key {key:?} appears twice in {list}")]
    DuplicateKey {
        profile: String,
        list: &'static str,
        key: String,
    },
    /// An empty key or one with characters other than a-z, 0-9, `_`, `-`.
    #[error("profile {profile:?}: key {key:?} is not valid (a-z, 0-9, _ and -)")]
    BadKey { profile: String, key: String },
    /// A short name is given for a place not in the list of locations.
    #[error("profile {profile:?}: short_places names {place:?}, which is not in locations")]
    UnknownShortPlace { profile: String, place: String },
    /// The default location is not in the list of locations.
    #[error("profile {profile:?}: default_location {location:?} is not in locations")]
    UnknownDefaultLocation { profile: String, location: String },
    /// A field's default is not one of its options.
    #[error(
        "profile {profile:?}: the default {value:?} of field {field:?} is not one of its options"
    )]
    UnknownFieldDefault {
        profile: String,
        field: String,
        value: String,
    },
    /// A hotkey that the duty screen uses, or used twice.
    #[error("profile {profile:?}: the hotkey {hotkey:?} of field {field:?} is taken")]
    BadHotkey {
        profile: String,
        field: String,
        hotkey: char,
    },
    /// No profiles at all.
    #[error("no profiles are defined")]
    NoProfiles,
    /// A problem in a row of a profile's `schedule`.
    #[error("profile {profile:?}: schedule: {problem}")]
    Schedule {
        profile: String,
        problem: ScheduleProblem,
    },
    /// A problem in the `[retention]` table.
    #[error("{0}")]
    Retention(RetentionProblem),
    /// A problem in the `[server]` table.
    #[error("server: {0}")]
    Server(ServerConfigProblem),
    /// A problem in a profile's `vouchers` table.
    #[error("profile {profile:?}: vouchers: {problem}")]
    Voucher {
        profile: String,
        problem: crate::voucher::config::VoucherConfigProblem,
    },
}

impl fmt::Display for ConfigError {
    /// A plain form naming the place, for logs; users see the one `i18n`
    /// words in their language.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(p), Some(l)) => write!(f, "{}, line {l}: ", p.display())?,
            (Some(p), None) => write!(f, "{}: ", p.display())?,
            (None, Some(l)) => write!(f, "embedded config, line {l}: ")?,
            (None, None) => f.write_str("embedded config: ")?,
        }
        write!(f, "{}", self.kind)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// The embedded defaults alone.
    pub fn embedded() -> Config {
        Self::from_layers(None).expect("the embedded config is valid (tested)")
    }

    /// Loads the embedded defaults overridden by `user` (if any).
    pub fn load(user: Option<&Path>) -> Result<Config, ConfigError> {
        match user {
            None => Self::from_layers(None),
            Some(path) => {
                let err = |reason: crate::files::Cause| ConfigError {
                    file: Some(path.into()),
                    line: None,
                    kind: ConfigErrorKind::Read(reason),
                };
                let bytes =
                    crate::files::read_regular(path, 1_000_000).map_err(|e| err(e.into()))?;
                let text =
                    String::from_utf8(bytes).map_err(|_| err(crate::files::Cause::NotText))?;
                Self::from_layers(Some((path, &text)))
            }
        }
    }

    /// Parses a user file's text as if it were at `path`.
    pub fn from_user_text(path: &Path, text: &str) -> Result<Config, ConfigError> {
        Self::from_layers(Some((path, text)))
    }

    fn from_layers(user: Option<(&Path, &str)>) -> Result<Config, ConfigError> {
        let base = parse_file(None, DEFAULT_TOML)?;
        let mut config = Config {
            language: base.language.unwrap_or_default(),
            theme: base.theme.unwrap_or_default(),
            screen_reader: base.screen_reader,
            backups_keep: base.backups_keep.unwrap_or(30),
            retention: base.retention.unwrap_or_default(),
            privacy: base.privacy.unwrap_or_default(),
            server: base.server,
            profiles: base.profiles,
            source: ConfigSource::Embedded,
        };
        if let Some((path, text)) = user {
            let over = parse_file(Some(path), text)?;
            if let Some(lang) = over.language {
                config.language = lang;
            }
            if let Some(theme) = over.theme {
                config.theme = theme;
            }
            if let Some(on) = over.screen_reader {
                config.screen_reader = Some(on);
            }
            if let Some(keep) = over.backups_keep {
                config.backups_keep = keep;
            }
            // A table replaces the embedded one; settings left out of it
            // take their built-in defaults.
            if let Some(r) = over.retention {
                config.retention = r;
            }
            if let Some(p) = over.privacy {
                config.privacy = p;
            }
            if let Some(s) = over.server {
                config.server = Some(s);
            }
            for (id, profile) in over.profiles {
                config.profiles.insert(id, profile);
            }
            config.source = ConfigSource::File(path.to_path_buf());
        }
        let desk_prefix = config
            .server
            .as_ref()
            .and_then(|s| s.voucher_prefix.clone());
        for (id, p) in config.profiles.iter_mut() {
            p.id = id.clone();
            // The desk's own series, unique in the city (issue 24).
            if let (Some(prefix), Some(v)) = (&desk_prefix, p.vouchers.as_mut()) {
                v.prefix = prefix.clone();
            }
        }
        let (file, text) = match user {
            Some((p, t)) => (Some(p), t),
            None => (None, DEFAULT_TOML),
        };
        config.validate().map_err(|(kind, needle)| ConfigError {
            file: file.map(Into::into),
            line: find_line(text, &needle),
            kind,
        })?;
        Ok(config)
    }

    /// Checks the rules serde cannot; on failure returns the problem and a
    /// snippet to look for in the file to find its line.
    fn validate(&self) -> Result<(), (ConfigErrorKind, String)> {
        if self.profiles.is_empty() {
            return Err((ConfigErrorKind::NoProfiles, "[profiles".into()));
        }
        self.retention
            .validate()
            .map_err(|(p, needle)| (ConfigErrorKind::Retention(p), needle))?;
        if let Some(s) = &self.server {
            s.validate()
                .map_err(|(p, needle)| (ConfigErrorKind::Server(p), needle))?;
        }
        // Field hotkeys may not take a key the duty screen uses.
        let reserved = crate::keys::reserved_chars();
        for (id, p) in &self.profiles {
            let profile = id.clone();
            check_key(id, id)?;
            if p.active_topics().next().is_none() {
                return Err((ConfigErrorKind::NoTopics { profile }, id.clone()));
            }
            if !p.locations.contains(&p.default_location) {
                return Err((
                    ConfigErrorKind::UnknownDefaultLocation {
                        profile,
                        location: p.default_location.clone(),
                    },
                    format!("\"{}\"", p.default_location),
                ));
            }
            if let Some(place) = p.short_places.keys().find(|k| !p.locations.contains(k)) {
                return Err((
                    ConfigErrorKind::UnknownShortPlace {
                        profile,
                        place: place.clone(),
                    },
                    format!("\"{place}\""),
                ));
            }
            unique(id, "topics", p.topics.iter().map(|c| c.key.as_str()))?;
            unique(id, "referrals", p.referrals.iter().map(|c| c.key.as_str()))?;
            unique(id, "fields", p.fields.iter().map(|f| f.key.as_str()))?;
            let mut hotkeys = String::new();
            for f in &p.fields {
                unique(id, "options", f.options.iter().map(|c| c.key.as_str()))?;
                if reserved.contains(f.hotkey)
                    || hotkeys.contains(f.hotkey)
                    || !f.hotkey.is_ascii_graphic()
                {
                    return Err((
                        ConfigErrorKind::BadHotkey {
                            profile,
                            field: f.key.clone(),
                            hotkey: f.hotkey,
                        },
                        format!("hotkey = \"{}\"", f.hotkey),
                    ));
                }
                hotkeys.push(f.hotkey);
                if let Some(d) = &f.default
                    && f.option(d).is_none()
                {
                    return Err((
                        ConfigErrorKind::UnknownFieldDefault {
                            profile,
                            field: f.key.clone(),
                            value: d.clone(),
                        },
                        format!("default = \"{d}\""),
                    ));
                }
            }
            for row in &p.schedule {
                if let Err(problem) = row.validate() {
                    let profile = profile.clone();
                    let needle = format!("weekday = \"{}\"", row.weekday.code());
                    return Err((ConfigErrorKind::Schedule { profile, problem }, needle));
                }
            }
            if let Some(e) = &p.events {
                unique(id, "kinds", e.kinds.iter().map(|k| k.key.as_str()))?;
            }
            if let Some(v) = &p.vouchers {
                unique(id, "products", v.products.iter().map(|c| c.key.as_str()))?;
                v.validate(|key| p.topic(key).is_some())
                    .map_err(|(problem, needle)| {
                        let profile = profile.clone();
                        (ConfigErrorKind::Voucher { profile, problem }, needle)
                    })?;
            }
        }
        Ok(())
    }

    pub fn profile(&self, id: &str) -> Option<&Profile> {
        self.profiles.get(id)
    }

    /// The profile chosen with `id`, or an error listing the valid ones.
    pub fn find_profile(&self, id: &str) -> Result<&Profile, UnknownProfile> {
        self.profile(id).ok_or_else(|| UnknownProfile {
            id: id.to_string(),
            valid: self.profile_ids(),
        })
    }

    /// The ids of all profiles, comma-separated, for error messages.
    pub fn profile_ids(&self) -> String {
        self.profiles.keys().cloned().collect::<Vec<_>>().join(", ")
    }

    /// The effective configuration as TOML, loadable as a user file.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(&SerConfig {
            language: self.language,
            theme: self.theme,
            screen_reader: self.screen_reader,
            backups_keep: self.backups_keep,
            retention: self.retention,
            privacy: &self.privacy,
            profiles: self.profiles.iter().map(|(k, v)| (k.clone(), v)).collect(),
        })
        .expect("config serializes")
    }
}

#[derive(Serialize)]
struct SerConfig<'a> {
    language: Lang,
    theme: ThemeName,
    // Said only when set: a printed configuration loaded back must not
    // undo the chooser's choice.
    #[serde(skip_serializing_if = "Option::is_none")]
    screen_reader: Option<bool>,
    backups_keep: usize,
    retention: RetentionConfig,
    privacy: &'a PrivacyConfig,
    profiles: IndexMap<String, &'a Profile>,
}

fn parse_file(path: Option<&Path>, text: &str) -> Result<ConfigFile, ConfigError> {
    toml::from_str::<ConfigFile>(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        ConfigError {
            file: path.map(Into::into),
            line,
            kind: ConfigErrorKind::Parse(e.message().trim().to_string()),
        }
    })
}

fn check_key(profile: &str, key: &str) -> Result<(), (ConfigErrorKind, String)> {
    let ok = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err((
            ConfigErrorKind::BadKey {
                profile: profile.to_string(),
                key: key.to_string(),
            },
            key.to_string(),
        ))
    }
}

fn unique<'a>(
    profile: &str,
    list: &'static str,
    keys: impl Iterator<Item = &'a str>,
) -> Result<(), (ConfigErrorKind, String)> {
    let mut seen: Vec<&str> = Vec::new();
    for key in keys {
        check_key(profile, key)?;
        if seen.contains(&key) {
            return Err((
                ConfigErrorKind::DuplicateKey {
                    profile: profile.to_string(),
                    list,
                    key: key.to_string(),
                },
                // The second occurrence is the one at fault.
                format!("\"{key}\""),
            ));
        }
        seen.push(key);
    }
    Ok(())
}

/// The line of the last occurrence of `needle` (the later of two duplicates
/// is the one at fault), 1-based.
fn find_line(text: &str, needle: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .last()
}

/// The platform's config file path for tiski, e.g.
/// `~/.config/tiski/config.toml` on Linux.
pub fn user_config_path() -> Option<PathBuf> {
    crate::platform::project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// Where the language the user chose last is remembered (`--lang`, `l` on
/// the profile chooser, `tiski config set language`): a file of tiski's
/// own beside the user config, which tiski never writes.
pub fn remembered_language_path() -> Option<PathBuf> {
    crate::platform::project_dirs().map(|d| d.config_dir().join("language"))
}

/// The language the user chose last, if any. It wins over the config
/// file's `language`, as the later and personal choice; `--lang` over both.
pub fn remembered_language() -> Option<Lang> {
    let text = std::fs::read_to_string(remembered_language_path()?).ok()?;
    Lang::from_code(text.trim())
}

/// Remembers `lang` for every later start and command (a private file,
/// written whole or not at all); unchanged, nothing is written.
pub fn remember_language(lang: Lang) -> std::io::Result<()> {
    if remembered_language() == Some(lang) {
        return Ok(());
    }
    let path = remembered_language_path()
        .ok_or_else(|| std::io::Error::other("no config folder for this user"))?;
    crate::files::write_private_in_own_dir(&path, format!("{}\n", lang.code()).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_config_has_both_profiles_with_their_defaults() {
        let c = Config::embedded();
        let ids: Vec<_> = c.profiles.keys().map(String::as_str).collect();
        assert_eq!(ids, ["ikaihmiset", "kotouttaminen", "perhe"]);
        assert_eq!(c.profiles["ikaihmiset"].default_location, "Kirjasto");
        assert_eq!(
            c.profiles["kotouttaminen"].default_location,
            "HeiMo-kahvila"
        );
        assert_eq!(c.language, Lang::Fi);
        let elderly = &c.profiles["ikaihmiset"];
        assert_eq!(elderly.topics[1].fi, "Digituki");
        assert_eq!(elderly.topics[5].key, "liukuesteet");
        let integration = &c.profiles["kotouttaminen"];
        for f in ["language", "interpreting", "client_status", "duration"] {
            assert!(integration.field(f).is_some(), "{f}");
        }
        assert!(elderly.field("language").is_none());
        // Events and groups: on for the family and the elderly desks.
        let family = &c.profiles["perhe"];
        assert!(family.event_settings().is_some());
        assert!(elderly.event_settings().is_some());
        assert!(integration.event_settings().is_none());
        let kinds = family.event_settings().unwrap();
        for k in [
            "tapahtuma",
            "luento",
            "teemaviikko",
            "vierailu",
            "info",
            "some",
        ] {
            assert!(kinds.kind(k).is_some(), "{k}");
        }
        assert!(family.topic("kayttaytyminen").is_some());
        assert!(family.topic("palveluohjaus").is_some());
    }

    #[test]
    fn an_events_table_may_be_switched_off_and_its_kinds_must_be_unique() {
        let base = "[profiles.p]\nfi = \"P\"\nen = \"P\"\ndefault_location = \"A\"\nlocations = [\"A\"]\ntopics = [ { key = \"a\", fi = \"A\", en = \"A\" } ]\n";
        let off = format!("{base}[profiles.p.events]\nenabled = false\n");
        let c = Config::from_user_text(Path::new("u.toml"), &off).unwrap();
        assert!(c.profiles["p"].events.is_some());
        assert!(c.profiles["p"].event_settings().is_none());
        let on = format!("{base}[profiles.p.events]\n");
        let c = Config::from_user_text(Path::new("u.toml"), &on).unwrap();
        assert_eq!(
            c.profiles["p"].event_settings().unwrap().default_kind(),
            "tapahtuma"
        );
        let dup = format!(
            "{base}[profiles.p.events]\nkinds = [\n{{ key = \"x\", fi = \"X\", en = \"X\" }},\n{{ key = \"x\", fi = \"Y\", en = \"Y\" }},\n]\n"
        );
        let e = Config::from_user_text(Path::new("u.toml"), &dup).unwrap_err();
        assert!(
            matches!(e.kind, ConfigErrorKind::DuplicateKey { list: "kinds", .. }),
            "{e}"
        );
        assert_eq!(e.line, Some(10));
    }

    #[test]
    fn user_profile_replaces_embedded_one_and_keeps_the_other() {
        let text = r#"
language = "en"
[profiles.ikaihmiset]
fi = "Seniorit"
en = "Seniors"
default_location = "Spot"
locations = ["Spot"]
topics = [ { key = "digituki", fi = "Digi", en = "Digital", retired = false },
           { key = "vanha", fi = "Vanha", en = "Old", retired = true } ]
"#;
        let c = Config::from_user_text(Path::new("u.toml"), text).unwrap();
        assert_eq!(c.language, Lang::En);
        let p = &c.profiles["ikaihmiset"];
        assert_eq!(p.default_location, "Spot");
        assert_eq!(p.active_topics().count(), 1);
        assert_eq!(p.topic_label("vanha", Lang::Fi), "Vanha");
        assert_eq!(p.topic_label("gone", Lang::Fi), "gone");
        assert!(c.profiles.contains_key("kotouttaminen"));
        assert_eq!(c.source, ConfigSource::File("u.toml".into()));
    }

    #[test]
    fn syntax_error_names_the_line() {
        let text = "language = \"fi\"\n\n[profiles.x\nfi = 1\n";
        let e = Config::from_user_text(Path::new("bad.toml"), text).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(matches!(e.kind, ConfigErrorKind::Parse(_)));
    }

    #[test]
    fn unknown_key_is_an_error_with_its_line() {
        let text = "language = \"fi\"\ncolour = \"red\"\n";
        let e = Config::from_user_text(Path::new("bad.toml"), text).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.to_string().contains("colour"), "{e}");
    }

    #[test]
    fn semantic_errors_are_located() {
        let base = |topics: &str, extra: &str| {
            format!(
                "[profiles.p]\nfi = \"P\"\nen = \"P\"\ndefault_location = \"A\"\nlocations = [\"A\"]\ntopics = [\n{topics}\n]\n{extra}"
            )
        };
        let dup = base(
            "{ key = \"a\", fi = \"A\", en = \"A\" },\n{ key = \"a\", fi = \"B\", en = \"B\" },",
            "",
        );
        let e = Config::from_user_text(Path::new("u.toml"), &dup).unwrap_err();
        assert!(matches!(e.kind, ConfigErrorKind::DuplicateKey { .. }));
        assert_eq!(e.line, Some(8));

        let hot = base(
            "{ key = \"a\", fi = \"A\", en = \"A\" },",
            "[[profiles.p.fields]]\nkey = \"f\"\nhotkey = \"q\"\nfi = \"F\"\nen = \"F\"\noptions = []\n",
        );
        let e = Config::from_user_text(Path::new("u.toml"), &hot).unwrap_err();
        assert!(matches!(
            e.kind,
            ConfigErrorKind::BadHotkey { hotkey: 'q', .. }
        ));
        assert_eq!(e.line, Some(11));

        let loc = base("{ key = \"a\", fi = \"A\", en = \"A\" },", "")
            .replace("default_location = \"A\"", "default_location = \"B\"");
        let e = Config::from_user_text(Path::new("u.toml"), &loc).unwrap_err();
        assert!(matches!(
            e.kind,
            ConfigErrorKind::UnknownDefaultLocation { .. }
        ));
        assert_eq!(e.line, Some(4));

        let none = base(
            "{ key = \"a\", fi = \"A\", en = \"A\", retired = true },",
            "",
        );
        let e = Config::from_user_text(Path::new("u.toml"), &none).unwrap_err();
        assert!(matches!(e.kind, ConfigErrorKind::NoTopics { .. }));
    }

    #[test]
    fn effective_config_round_trips_through_toml() {
        let c = Config::embedded();
        let text = c.to_toml();
        let again = Config::from_user_text(Path::new("x.toml"), &text).unwrap();
        assert_eq!(again.profiles, c.profiles);
        assert_eq!(again.language, c.language);
        assert_eq!(again.backups_keep, 30);
        assert_eq!(again.retention, c.retention);
        assert_eq!(again.privacy, c.privacy);
    }

    #[test]
    fn retention_and_privacy_come_from_the_embedded_file_and_may_be_overridden() {
        let c = Config::embedded();
        assert_eq!(c.retention, RetentionConfig::default());
        assert_eq!(c.privacy.min_count, 5);
        assert_eq!(c.privacy.controller, "");
        let text = "[retention]\nnotes_days = 180\n\n[privacy]\nmin_count = 3\ncontroller = \"Heinolan kaupunki\"\n";
        let c = Config::from_user_text(Path::new("u.toml"), text).unwrap();
        assert_eq!(c.retention.notes_days, 180);
        assert_eq!(
            c.retention.voucher_identity_days, 90,
            "left out: the default"
        );
        assert_eq!(c.privacy.min_count, 3);
        assert_eq!(c.privacy.controller, "Heinolan kaupunki");
        let shown = c.to_toml();
        assert!(shown.contains("[retention]\nnotes_days = 180"), "{shown}");
        assert!(shown.contains("min_count = 3"), "{shown}");
    }

    #[test]
    fn bad_retention_settings_name_their_line() {
        let text =
            "language = \"fi\"\n[retention]\nvoucher_identity_days = 90\nnotes_days = 99999\n";
        let e = Config::from_user_text(Path::new("u.toml"), text).unwrap_err();
        assert!(matches!(e.kind, ConfigErrorKind::Retention(_)), "{e}");
        assert_eq!(e.line, Some(4));
        let text = "[retention]\nnotes_days = -1\n";
        let e = Config::from_user_text(Path::new("u.toml"), text).unwrap_err();
        assert!(matches!(e.kind, ConfigErrorKind::Parse(_)), "{e}");
        assert_eq!(e.line, Some(2));
        let text = "[retention]\nnotes = 30\n";
        let e = Config::from_user_text(Path::new("u.toml"), text).unwrap_err();
        assert_eq!(e.line, Some(2), "unknown setting: {e}");
        let text = "[privacy]\nmin_count = \"five\"\n";
        let e = Config::from_user_text(Path::new("u.toml"), text).unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
    }
}

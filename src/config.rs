//! Configuration: its types (profiles, topics, fields, places); loading and
//! validation in `config/load.rs`, the errors in `config/error.rs`.
//!
//! `config/default.toml` is compiled into the binary. A user file (the
//! platform config directory, or `--config PATH`) may set any top-level key
//! and may give whole profiles: a profile there replaces the embedded profile
//! with the same id, or adds a new one. Every entry is stored by its `key`,
//! so labels can change and topics can be retired without touching old data.

use std::path::PathBuf;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::domain::VisitEntry;
use crate::events::EventsConfig;
use crate::locale::Lang;
use crate::privacy::config::{PrivacyConfig, RetentionConfig};
use crate::schedule::ScheduleRow;
use crate::voucher::VoucherConfig;

mod error;
mod load;
pub mod server;
pub use error::{ConfigError, ConfigErrorKind};
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

impl Config {
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
mod tests;

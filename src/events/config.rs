//! The `[profiles.ID.events]` table: whether a profile logs events and
//! groups, and the kinds of event it has.

use serde::{Deserialize, Serialize};

use crate::locale::Lang;

/// Events and groups of a profile. The table's presence turns them on
/// unless `enabled = false`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Kinds of event, in the order offered; the first is the default.
    #[serde(default = "default_kinds")]
    pub kinds: Vec<EventKind>,
}

fn yes() -> bool {
    true
}

/// A kind of event: tapahtuma, luento, vierailu, …
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventKind {
    pub key: String,
    pub fi: String,
    pub en: String,
}

impl EventKind {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fi => &self.fi,
            Lang::En => &self.en,
        }
    }
}

fn kind(key: &str, fi: &str, en: &str) -> EventKind {
    EventKind {
        key: key.into(),
        fi: fi.into(),
        en: en.into(),
    }
}

/// The kinds when a profile's table lists none.
pub fn default_kinds() -> Vec<EventKind> {
    vec![
        kind("tapahtuma", "Tapahtuma", "Event"),
        kind("luento", "Luento", "Lecture"),
        kind("teemaviikko", "Teemaviikko", "Theme week"),
        kind("vierailu", "Vierailu", "Visit"),
        kind("info", "Info", "Information session"),
        kind(super::SOME_KIND, "Some", "Social media"),
    ]
}

impl EventsConfig {
    pub fn kind(&self, key: &str) -> Option<&EventKind> {
        self.kinds.iter().find(|k| k.key == key)
    }

    /// The kind a new event starts with.
    pub fn default_kind(&self) -> &str {
        self.kinds.first().map_or("tapahtuma", |k| k.key.as_str())
    }

    /// The kind keys, comma-separated, for messages.
    pub fn kind_keys(&self) -> String {
        self.kinds
            .iter()
            .map(|k| k.key.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The label of a kind, the key itself for one no longer configured.
    pub fn kind_label<'a>(&'a self, key: &'a str, lang: Lang) -> &'a str {
        self.kind(key).map_or(key, |k| k.label(lang))
    }
}

impl Default for EventsConfig {
    fn default() -> Self {
        EventsConfig {
            enabled: true,
            kinds: default_kinds(),
        }
    }
}

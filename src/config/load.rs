//! Loading a configuration: the embedded defaults with the user's file laid
//! over them, and the checks every loaded configuration passes.

use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;

use super::{
    Config, ConfigError, ConfigErrorKind, ConfigSource, DEFAULT_TOML, Profile, ServerConfig,
    ThemeName,
};
use crate::locale::Lang;
use crate::privacy::config::{PrivacyConfig, RetentionConfig};

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

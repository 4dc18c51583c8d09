//! How an [`App`] is opened: on a store at one clock reading, with what the
//! start chose (configuration, language, profile, place, whether writes
//! wait for the day's check) named, each with its everyday default.

use chrono::NaiveDateTime;

use super::{App, Hold};
use crate::config::Config;
use crate::error::Error;
use crate::locale::Lang;
use crate::store::Store;

/// An [`App`] about to open: `App::opening(store, now)…open()`.
pub struct Opening<'a> {
    store: Store,
    now: NaiveDateTime,
    config: Option<Config>,
    lang: Lang,
    profile: Option<&'a str>,
    location: Option<&'a str>,
    hold: Hold,
}

impl App {
    /// Opens on `store` at `now`: the embedded configuration, Finnish, the
    /// last-used profile (or the chooser), writing at once, unless said
    /// otherwise.
    pub fn opening<'a>(store: Store, now: NaiveDateTime) -> Opening<'a> {
        Opening {
            store,
            now,
            config: None,
            lang: Lang::Fi,
            profile: None,
            location: None,
            hold: Hold::Off,
        }
    }
}

impl<'a> Opening<'a> {
    pub fn config(mut self, config: Config) -> Self {
        self.config = Some(config);
        self
    }

    pub fn lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }

    /// The duty screen of this profile (`None`: the last-used one, or the
    /// chooser).
    pub fn profile(mut self, profile: impl Into<Option<&'a str>>) -> Self {
        self.profile = profile.into();
        self
    }

    /// The place the desk is at today, when the start named one.
    pub fn location(mut self, location: impl Into<Option<&'a str>>) -> Self {
        self.location = location.into();
        self
    }

    /// [`Hold::UntilChecked`]: nothing is written until the day's check
    /// has passed.
    pub fn hold(mut self, hold: Hold) -> Self {
        self.hold = hold;
        self
    }

    pub fn open(self) -> Result<App, Error> {
        App::new(
            self.config.unwrap_or_else(Config::embedded),
            self.lang,
            self.store,
            self.now,
            self.profile,
            self.location,
            self.hold,
        )
    }
}

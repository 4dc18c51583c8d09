//! The interface languages: every user-facing string lives behind the
//! `Texts` trait, implemented once per language in `fi.rs` and `en.rs`, so
//! the compiler keeps both complete. Number and date formats live here too.

mod en;
mod fi;
mod report;

pub use report::{ReportTexts, Word, number};
mod vouchers;

pub use vouchers::VoucherTexts;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use serde::{Deserialize, Serialize};

use crate::config::ConfigError;
use crate::error::Error;
use crate::store::Problem;

/// An interface language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fi,
    En,
}

/// The texts of one language.
pub fn texts(lang: Lang) -> &'static dyn Texts {
    match lang {
        Lang::Fi => &fi::Fi,
        Lang::En => &en::En,
    }
}

/// A confirmation question's answer keys: (yes, no).
pub const YES_KEYS: &[char] = &['k', 'y', 'j'];
pub const NO_KEYS: &[char] = &['e', 'n'];

/// Every user-facing string, per language.
pub trait Texts: ReportTexts + VoucherTexts + Sync {
    fn lang(&self) -> Lang;

    // ---- duty screen ----
    fn session_label(&self) -> &'static str;
    fn this_session(&self) -> &'static str;
    fn today(&self) -> &'static str;
    /// "ka 5,3 / päivystys (13 kpl)"
    fn running_average(&self, mean: Option<f64>, sessions: u32) -> String;
    fn new_visit(&self) -> &'static str;
    fn edit_visit(&self, time: &str) -> String;
    fn more_topics(&self) -> &'static str;
    fn referral(&self) -> &'static str;
    fn note(&self) -> &'static str;
    fn note_hint(&self) -> &'static str;
    fn no_visits_yet(&self) -> &'static str;
    fn duty_footer(&self) -> &'static str;
    fn list_footer(&self) -> &'static str;
    fn edit_footer(&self) -> &'static str;

    // ---- status line ----
    fn saved(&self, time: &str) -> String;
    fn updated(&self, time: &str) -> String;
    fn need_topic(&self) -> &'static str;
    fn undone(&self, what: &str) -> String;
    fn nothing_to_undo(&self) -> &'static str;
    fn deleted(&self, what: &str) -> String;
    fn confirm_delete(&self, what: &str) -> String;
    fn confirm_new_session(&self) -> &'static str;
    fn confirm_quit_unsaved(&self) -> &'static str;
    fn new_session_started(&self, time: &str) -> String;
    fn location_changed(&self, location: &str) -> String;
    fn note_too_long(&self, chars: usize, max: usize) -> String;
    fn paste_only_into_note(&self) -> &'static str;
    fn save_failed(&self, error: &str) -> String;
    fn edit_cancelled(&self) -> &'static str;
    fn window_too_small(&self, w: u16, h: u16, need_w: u16, need_h: u16) -> String;

    // ---- drafts and damage ----
    fn confirm_restore_draft(&self, what: &str) -> String;
    fn draft_restored(&self) -> &'static str;
    fn draft_in_file(&self, path: &str) -> String;
    fn draft_not_kept(&self, error: &str) -> String;
    fn read_only_refused(&self) -> &'static str;
    fn database_damaged(&self, problems: usize) -> String;
    fn backup_failed(&self, error: &str) -> String;
    fn network_drive(&self, kind: &str, path: &str) -> String;

    // ---- pickers and modals ----
    fn location(&self) -> &'static str;
    fn picker_footer(&self, can_clear: bool) -> &'static str;
    fn topics_picker_footer(&self) -> &'static str;
    fn note_title(&self) -> &'static str;
    fn note_footer(&self) -> &'static str;
    fn confirm_title(&self) -> &'static str;
    fn choose_profile(&self) -> &'static str;
    fn chooser_footer(&self) -> &'static str;

    // ---- tally ----
    fn tally_title(&self) -> &'static str;
    fn tally_visitors(&self, visitors: u32, sessions: u32) -> String;
    /// "Tämä päivystys 6 · ka 5,3 / päivystys (+0,7)"
    fn tally_vs_average(&self, session: u32, mean: Option<f64>) -> String;
    fn topics(&self) -> &'static str;
    fn referrals(&self) -> &'static str;
    fn by_hour(&self) -> &'static str;
    fn tally_footer(&self) -> &'static str;

    // ---- help ----
    fn help_title(&self) -> &'static str;
    /// (key, what it does) for every key, duty screen first.
    fn help_keys(&self) -> &'static [(&'static str, &'static str)];
    fn help_footer(&self) -> &'static str;

    // ---- CLI ----
    fn logged(&self, date: &str, time: &str, profile: &str, location: &str, topics: &str)
    -> String;
    fn tally_heading(&self, date: &str, profile: Option<&str>) -> String;
    fn none(&self) -> &'static str;
    fn config_source_embedded(&self) -> &'static str;
    fn config_source_file(&self, path: &str) -> String;
    fn config_user_path(&self, path: &str, exists: bool) -> String;
    fn backup_done(&self, path: &str) -> String;
    fn restored(&self, backup: &str, aside: Option<&str>) -> String;
    /// One line of `tiski doctor`, without the ok/problem mark.
    fn finding(&self, f: &crate::store::maintenance::Finding) -> String;
    /// `tiski doctor --recount` counted the report figures again.
    fn recounted(&self) -> &'static str;
    /// `--recount` was refused: the file is damaged, missing or too new.
    fn not_recounted(&self) -> &'static str;
    fn doctor_summary(&self, problems: usize) -> String;

    // ---- errors ----
    fn error_prefix(&self) -> &'static str;
    fn config_error(&self, e: &ConfigError) -> String;
    fn error(&self, e: &Error) -> String;
}

/// The plain-words name of a database problem, per language.
pub fn problem(p: Problem, lang: Lang) -> &'static str {
    match (p, lang) {
        (Problem::Busy, Lang::Fi) => "toinen tiski-ikkuna tai komento pitää tietokantaa lukittuna",
        (Problem::Busy, Lang::En) => "another tiski window or command holds the database lock",
        (Problem::Full, Lang::Fi) => "levy on täynnä (tai tiedostokoon raja tuli vastaan)",
        (Problem::Full, Lang::En) => "the disk is full (or a file-size limit was reached)",
        (Problem::ReadOnly, Lang::Fi) => {
            "tietokantaan ei voi kirjoittaa (vain luku -tila tai oikeudet)"
        }
        (Problem::ReadOnly, Lang::En) => {
            "the database cannot be written (read-only or permissions)"
        }
        (Problem::Corrupt, Lang::Fi) => {
            "tietokanta on vioittunut; palauta varmuuskopio: tiski restore TIEDOSTO"
        }
        (Problem::Corrupt, Lang::En) => {
            "the database is damaged; restore a backup: tiski restore FILE"
        }
        (Problem::Io, Lang::Fi) => "levylle kirjoittaminen epäonnistui (levy täynnä tai vika)",
        (Problem::Io, Lang::En) => "writing to the disk failed (disk full or faulty)",
    }
}

/// `5,3` in Finnish, `5.3` in English: one decimal.
pub fn decimal(x: f64, lang: Lang) -> String {
    let s = format!("{x:.1}");
    match lang {
        Lang::Fi => s.replace('.', ","),
        Lang::En => s,
    }
}

/// A signed difference with one decimal: `+0,7`, `−1,2`.
pub fn signed_decimal(x: f64, lang: Lang) -> String {
    let rounded = (x * 10.0).round() / 10.0;
    let body = decimal(rounded.abs(), lang);
    if rounded < 0.0 {
        format!("−{body}")
    } else {
        format!("+{body}")
    }
}

/// `14.11.2023` in Finnish, `2023-11-14` in English.
pub fn date(d: NaiveDate, lang: Lang) -> String {
    // Written out rather than through `format`, which parses its pattern
    // on every call: a register or a list draws hundreds of dates a frame.
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        return match lang {
            Lang::Fi => d.format("%-d.%-m.%Y").to_string(),
            Lang::En => d.format("%Y-%m-%d").to_string(),
        };
    }
    match lang {
        Lang::Fi => format!("{day}.{m}.{y:04}"),
        Lang::En => format!("{y:04}-{m:02}-{day:02}"),
    }
}

/// `10.42` in Finnish, `10:42` in English.
pub fn time(t: NaiveDateTime, lang: Lang) -> String {
    let (h, m) = (t.hour(), t.minute());
    match lang {
        Lang::Fi => format!("{h:02}.{m:02}"),
        Lang::En => format!("{h:02}:{m:02}"),
    }
}

/// `ti` / `Tue`.
pub fn weekday(d: NaiveDate, lang: Lang) -> &'static str {
    const FI: [&str; 7] = ["ma", "ti", "ke", "to", "pe", "la", "su"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let i = d.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::Fi => FI[i],
        Lang::En => EN[i],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_are_written_as_chrono_would_format_them() {
        let mut d = NaiveDate::from_ymd_opt(-3, 1, 1).unwrap();
        let patterns = [("%-d.%-m.%Y", Lang::Fi), ("%Y-%m-%d", Lang::En)];
        while d.year() < 12_000 {
            for (p, lang) in patterns {
                assert_eq!(date(d, lang), d.format(p).to_string());
            }
            d += chrono::Duration::days(if d.year() < 10_010 { 37 } else { 997 });
        }
        let midnight = NaiveDate::from_ymd_opt(2023, 11, 14)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        for minute in 0..24 * 60 {
            let t = midnight + chrono::Duration::minutes(minute);
            assert_eq!(time(t, Lang::Fi), t.format("%H.%M").to_string());
            assert_eq!(time(t, Lang::En), t.format("%H:%M").to_string());
        }
    }

    #[test]
    fn finnish_and_english_number_and_date_formats() {
        assert_eq!(decimal(69.0 / 13.0, Lang::Fi), "5,3");
        assert_eq!(decimal(69.0 / 13.0, Lang::En), "5.3");
        assert_eq!(signed_decimal(0.66, Lang::Fi), "+0,7");
        assert_eq!(signed_decimal(-1.24, Lang::En), "−1.2");
        assert_eq!(signed_decimal(-0.01, Lang::Fi), "+0,0");
        let d = NaiveDate::from_ymd_opt(2023, 11, 14).unwrap();
        assert_eq!(date(d, Lang::Fi), "14.11.2023");
        assert_eq!(date(d, Lang::En), "2023-11-14");
        assert_eq!(weekday(d, Lang::Fi), "ti");
        assert_eq!(weekday(d, Lang::En), "Tue");
        let t = d.and_hms_opt(10, 5, 0).unwrap();
        assert_eq!(time(t, Lang::Fi), "10.05");
        assert_eq!(time(t, Lang::En), "10:05");
    }

    #[test]
    fn both_languages_list_the_same_keys_in_help() {
        let fi: Vec<_> = texts(Lang::Fi).help_keys().iter().map(|k| k.0).collect();
        let en: Vec<_> = texts(Lang::En).help_keys().iter().map(|k| k.0).collect();
        assert_eq!(fi, en);
        for key in [
            "1–9", "0", "Enter", "u", "t", "?", "q", "n", "o", "p", "s", "Tab", "v", "m",
        ] {
            assert!(fi.contains(&key), "help lacks {key}");
        }
    }
}

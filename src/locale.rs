//! The interface language and how numbers, dates and times are written in
//! it: Finnish with a decimal comma and `14.11.2023`, or English. A leaf:
//! config, rules and store may name a `Lang` without knowing any texts.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use serde::{Deserialize, Serialize};

/// An interface language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fi, Lang::En];

    /// `fi` or `en`, as in the config and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fi => "fi",
            Lang::En => "en",
        }
    }

    /// The language named by `fi` or `en` (any letter case).
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }

    /// The Finnish or the English one of two labels.
    pub fn pick<'a>(self, fi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Fi => fi,
            Lang::En => en,
        }
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

/// `5` or `5,5`: whole numbers without a decimal.
pub fn number(x: f64, lang: Lang) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        decimal(x, lang)
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

/// An ISO week key (`2026-W49`, as the season summary keys its weeks) as
/// the language writes a week: `vko 49/2026` in Finnish, the key itself in
/// English.
pub fn week_key(key: &str, lang: Lang) -> String {
    let parsed = key
        .split_once("-W")
        .and_then(|(y, w)| Some((y.parse::<i32>().ok()?, w.parse::<u32>().ok()?)));
    match (lang, parsed) {
        (Lang::Fi, Some((year, week))) => format!("vko {week}/{year}"),
        _ => key.to_string(),
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

/// A season's label as text writes a span of years: `2026–2027` (its
/// key, its JSON and the `--season` value keep the hyphen).
pub fn years_span(label: &str) -> String {
    label.replace('-', "–")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_as_finns_write_them() {
        assert_eq!(week_key("2026-W49", Lang::Fi), "vko 49/2026");
        assert_eq!(week_key("2023-W06", Lang::Fi), "vko 6/2023");
        assert_eq!(week_key("2026-W49", Lang::En), "2026-W49");
        assert_eq!(week_key("kausi", Lang::Fi), "kausi", "not a week: as it is");
    }

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
    fn language_codes_round_trip() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(l));
        }
        assert_eq!(Lang::from_code(" EN "), Some(Lang::En));
        assert_eq!(Lang::from_code("sv"), None);
    }
}

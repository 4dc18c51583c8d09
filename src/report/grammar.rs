//! How a period is typed, in one place for every input: the command line's
//! `--season`, `--month`, `--week` and `--from`/`--to`, and the report
//! view's prompt, which takes each of those forms too. Finnish and ISO
//! writings alike: `2023–2024`, `11/2026`, `vko 49/2026`, `1.1.2023–30.6.2023`.

use chrono::NaiveDate;

use super::error::ReportError;
use super::period::Period;
use crate::clock::{check_year, parse_period_day};

/// `2023-2024`, `2023–24` (or `2023`): the season starting 1 November 2023.
pub fn parse_season(value: &str) -> Result<i32, ReportError> {
    let bad = || ReportError::BadSeason {
        value: value.to_string(),
    };
    let v = value.trim();
    let (a, b) = match v.split_once(['-', '–', '/']) {
        Some((a, b)) => (a, Some(b)),
        None => (v, None),
    };
    let start: i32 = a.trim().parse().map_err(|_| bad())?;
    if check_year(start).is_err() || check_year(start + 1).is_err() {
        return Err(bad());
    }
    let end = b.map(str::trim);
    match end.map(|b| (b.len(), b.parse::<i32>())) {
        None => Ok(start),
        Some((4, Ok(end))) if end == start + 1 => Ok(start),
        // The end year's last two digits, as Finns often write a season.
        Some((2, Ok(end))) if end == (start + 1) % 100 => Ok(start),
        _ => Err(bad()),
    }
}

/// `2026-11`, or as Finns write it, `11/2026` or `11.2026`: that month.
pub fn parse_month(value: &str) -> Result<Period, ReportError> {
    let v = value.trim();
    let (year, month) = match v.split_once(['-', '–', '/', '.']) {
        Some((a, b)) if a.len() == 4 => (a, b),
        Some((a, b)) => (b, a),
        None => ("", ""),
    };
    year_and_number(year, month)
        .and_then(|(y, m)| Period::month(y, m))
        .ok_or_else(|| ReportError::BadMonth {
            value: value.to_string(),
        })
}

/// `2026-W49`, or as Finns write it, `49/2026` or `vko 49/2026`: that ISO
/// week, Monday to Sunday.
pub fn parse_week(value: &str) -> Result<Period, ReportError> {
    let v = value.trim().to_lowercase();
    let v = v
        .strip_prefix("vko")
        .or_else(|| v.strip_prefix("week"))
        .unwrap_or(&v)
        .trim();
    let (year, week) = match v.split_once(['-', '–', '/']) {
        Some((a, b)) if a.len() == 4 => (a, b.strip_prefix('w').unwrap_or(b)),
        Some((a, b)) => (b, a),
        None => ("", ""),
    };
    year_and_number(year, week)
        .and_then(|(y, w)| Period::iso_week(y, w))
        .ok_or_else(|| ReportError::BadWeek {
            value: value.to_string(),
        })
}

/// A year tiski takes and a month or week number, both digits only.
fn year_and_number(year: &str, n: &str) -> Option<(i32, u32)> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(year) || !digits(n) || n.len() > 2 {
        return None;
    }
    let year = check_year(year.parse().ok()?).ok()?;
    Some((year, n.parse().ok()?))
}

/// Two days (`1.1.2023` or `2023-01-01`, as `--from`/`--to` take them)
/// separated by a dash, an en dash or spaces; the start not after the end.
pub fn parse_span(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    let date = |x: &str| parse_period_day(x.trim()).ok();
    s.char_indices()
        .filter(|(_, c)| matches!(c, '-' | '–' | ' '))
        .find_map(|(i, c)| {
            let (a, b) = (&s[..i], &s[i + c.len_utf8()..]);
            Some((date(a)?, date(b)?))
        })
        .filter(|(a, b)| a <= b)
}

/// Any period as the report view's prompt takes it, in the forms the
/// command line's flags take: a span of two days, a month, an ISO week, a
/// season or a year. `11/2026` is the month, as `--month` takes it; a week
/// says so (`vko 11/2026`, `2026-W11`), or comes before its year with a
/// number no month has (`49/2026`). A year first and a number after it that
/// is no month is a season (`2023-24`), or nothing: never a week.
pub fn parse_any(s: &str) -> Option<Period> {
    let s = s.trim();
    if let Some((from, to)) = parse_span(s) {
        return Some(Period::custom(from, to));
    }
    let lower = s.to_lowercase();
    let says_week = lower.starts_with("vko") || lower.starts_with("week") || lower.contains("-w");
    if says_week {
        return parse_week(s).ok();
    }
    if let Ok(p) = parse_month(s) {
        return Some(p);
    }
    let year_first = s.len() > 4 && s.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    if !year_first && let Ok(p) = parse_week(s) {
        return Some(p);
    }
    if s.contains(['-', '–', '/'])
        && let Ok(start) = parse_season(s)
    {
        return Some(Period::season(start));
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = s.parse().ok()?;
    check_year(year).ok().map(Period::year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn every_input_takes_every_writing_of_a_period() {
        let want = Some((d("2023-01-01"), d("2023-06-30")));
        assert_eq!(parse_span("1.1.2023–30.6.2023"), want);
        assert_eq!(parse_span("1.1.2023-30.6.2023"), want);
        assert_eq!(parse_span("2023-01-01 - 2023-06-30"), want);
        assert_eq!(parse_span("2023-01-01–2023-06-30"), want);
        assert_eq!(parse_span("30.6.2023-1.1.2023"), None, "reversed");
        assert_eq!(parse_span("kesä"), None);
        let span = |p: Option<Period>| p.map(|p| (p.from, p.to));
        assert_eq!(
            span(parse_any("11/2026")),
            Some((d("2026-11-01"), d("2026-11-30")))
        );
        assert_eq!(span(parse_any("2026-11")), span(parse_any("11.2026")));
        assert_eq!(
            span(parse_any("vko 49/2026")),
            Some((d("2026-11-30"), d("2026-12-06")))
        );
        assert_eq!(span(parse_any("2026-W49")), span(parse_any("49/2026")));
        assert_eq!(
            span(parse_any("2023–2024")),
            Some((d("2023-11-01"), d("2024-02-29")))
        );
        assert_eq!(
            span(parse_any("2023")),
            Some((d("2023-01-01"), d("2023-12-31")))
        );
        assert_eq!(parse_any("huomenna"), None);
        assert_eq!(parse_any("+2026"), None);
    }

    #[test]
    fn a_year_and_a_number_no_month_has_is_a_season_or_nothing() {
        let season = Period::season(2023);
        for typed in ["2023-24", "2023–24", "2023/24", "2023-2024"] {
            assert_eq!(parse_any(typed), Some(season), "{typed}");
        }
        assert_eq!(parse_season("2023–24").ok(), Some(2023));
        assert_eq!(parse_season("2023-25").ok(), None);
        assert_eq!(
            parse_any("2023-30"),
            None,
            "no month, no season: not week 30"
        );
        assert_eq!(parse_any("2023-W30").map(|p| p.from), Some(d("2023-07-24")));
    }

    #[test]
    fn an_en_dash_separates_a_month_and_a_week_too() {
        assert_eq!(parse_month("2026–11").ok(), parse_month("2026-11").ok());
        assert!(parse_month("2026–11").is_ok());
        assert_eq!(parse_week("2026–W49").ok(), parse_week("2026-W49").ok());
        assert!(parse_week("2026–W49").is_ok());
    }
}

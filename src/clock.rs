//! The wall clock and the dates and times a user types. A leaf: the TUI,
//! the commands, the demo and the bench all read the time from here.

use chrono::{Local, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// A typed date or time that does not parse; the caller words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("bad date and time {value:?}")]
    BadDateTime { value: String },
    #[error("bad date {value:?}")]
    BadDate { value: String },
    #[error("bad time of day {value:?}")]
    BadTimeOfDay { value: String },
}

/// The local wall-clock time, to the second.
pub fn now() -> NaiveDateTime {
    let n = Local::now().naive_local();
    n.with_nanosecond(0).unwrap_or(n)
}

/// Parses `YYYY-MM-DD HH:MM` (also with `T` or seconds).
pub fn parse_at(value: &str) -> Result<NaiveDateTime, TimeError> {
    let v = value.trim();
    [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
    .ok_or_else(|| TimeError::BadDateTime {
        value: value.to_string(),
    })
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(value: &str) -> Result<NaiveDate, TimeError> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| TimeError::BadDate {
        value: value.to_string(),
    })
}

/// Parses a time of day, `10:05` or as Finns write it, `10.05`.
pub fn parse_time_of_day(value: &str) -> Result<NaiveTime, TimeError> {
    let v = value.trim().replace('.', ":");
    NaiveTime::parse_from_str(&v, "%H:%M").map_err(|_| TimeError::BadTimeOfDay {
        value: value.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_dates_parse_in_the_documented_forms_only() {
        let t = parse_at("2023-11-14 10:05").unwrap();
        assert_eq!(t.to_string(), "2023-11-14 10:05:00");
        assert_eq!(
            parse_at("2023-11-14T10:05:30").unwrap().to_string(),
            "2023-11-14 10:05:30"
        );
        for bad in [
            "",
            "14.11.2023 10:05",
            "2023-02-30 10:00",
            "2023-11-14 25:00",
            "2023-11-14",
        ] {
            assert!(
                matches!(parse_at(bad), Err(TimeError::BadDateTime { .. })),
                "{bad}"
            );
        }
        assert_eq!(parse_date("2023-11-14").unwrap().to_string(), "2023-11-14");
        assert!(matches!(
            parse_date("2023-13-01"),
            Err(TimeError::BadDate { .. })
        ));
        assert_eq!(parse_time_of_day("10.05").unwrap().to_string(), "10:05:00");
        assert_eq!(parse_time_of_day(" 9:30").unwrap().to_string(), "09:30:00");
        for bad in ["24:00", "10", "10:5x", ""] {
            assert!(parse_time_of_day(bad).is_err(), "{bad}");
        }
    }
}

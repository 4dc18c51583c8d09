//! The wall clock and the dates and times a user types. A leaf: the TUI,
//! the commands, the demo and the bench all read the time from here.

use std::time::Instant;

use chrono::{
    DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc,
};

/// A typed date or time that does not parse; the caller words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("bad date and time {value:?}")]
    BadDateTime { value: String },
    #[error("bad date {value:?}")]
    BadDate { value: String },
    /// Written in a right form, but the calendar has no such day (31.2.).
    #[error("no such day {value:?}")]
    NoSuchDay { value: String },
    #[error("bad time of day {value:?}")]
    BadTimeOfDay { value: String },
    /// A real date, but not one tiski takes: before 2000 or after tomorrow
    /// (a typo: 2032 for 2023).
    #[error("{value:?} is not between {from} and {to}")]
    OutOfRange {
        value: String,
        from: NaiveDate,
        to: NaiveDate,
    },
    #[error("the year {value:?} is not between {FIRST_YEAR} and {LAST_YEAR}")]
    YearOutOfRange { value: String },
}

/// The first year tiski takes a date in: the desks began after it.
pub const FIRST_YEAR: i32 = 2000;
/// The last year a report may ask about.
pub const LAST_YEAR: i32 = 2100;

/// 1 January 2000, the first day tiski takes.
pub fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).expect("a valid date")
}

/// The local wall-clock time, to the second: for tests and benches. The
/// product reads the clock at its edge only (`Now::read` in the command
/// line's start and the screen's tick; `tests/it/layers.rs` checks).
pub fn now() -> NaiveDateTime {
    Now::read().local
}

/// One reading of the clocks, taken at the edge (a command's start, the
/// duty screen's tick) and passed down: nothing below the front ends reads
/// a clock itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    /// The local wall-clock time, to the second: what a visit is dated.
    pub local: NaiveDateTime,
    /// The same moment in UTC: when a record was last changed, which the
    /// merge of two desks' copies compares (later wins).
    pub utc: DateTime<Utc>,
    /// The monotonic clock, for durations (undo's window, a wait for the
    /// lock): it does not jump with the wall clock, a DST change or NTP.
    pub mono: Instant,
}

impl Now {
    pub fn read() -> Now {
        let l = Local::now();
        let local = l.naive_local();
        Now {
            local: local.with_nanosecond(0).unwrap_or(local),
            utc: l.with_timezone(&Utc),
            mono: Instant::now(),
        }
    }

    /// The moment of a local time (a test's, or a time typed back), its
    /// UTC by this machine's zone; the monotonic clock is read now.
    pub fn at(local: NaiveDateTime) -> Now {
        let utc = Local
            .from_local_datetime(&local)
            .earliest()
            .map_or_else(|| local.and_utc(), |l| l.with_timezone(&Utc));
        Now {
            local,
            utc,
            mono: Instant::now(),
        }
    }

    /// The change stamp of a record written now.
    pub fn stamp(&self) -> Stamp {
        Stamp(self.utc.to_rfc3339())
    }
}

/// The clock as a loop reads it four times a second (the duty screen's
/// tick): the zone's offset from UTC is asked of chrono once a minute, not
/// at every reading (chrono looks at the zone file's date each second and
/// searches the zone's changes). A zone's offset changes on a whole minute
/// (daylight saving's on the hour), so each reading is [`Now::read`]'s; a
/// zone chosen anew in the settings shows within the minute.
#[derive(Debug, Default)]
pub struct Ticker {
    /// The UTC minute (seconds since 1970 ÷ 60) the offset was asked at,
    /// and the offset.
    offset: Option<(i64, FixedOffset)>,
}

impl Ticker {
    pub fn read(&mut self) -> Now {
        self.reading(Utc::now(), |utc| Local.offset_from_utc_datetime(utc))
    }

    /// The reading at `utc`, the zone's offset from `zone` when the minute
    /// is a new one.
    fn reading(
        &mut self,
        utc: DateTime<Utc>,
        zone: impl FnOnce(&NaiveDateTime) -> FixedOffset,
    ) -> Now {
        let minute = utc.timestamp().div_euclid(60);
        let offset = match self.offset {
            Some((at, offset)) if at == minute => offset,
            _ => {
                let offset = zone(&utc.naive_utc());
                self.offset = Some((minute, offset));
                offset
            }
        };
        let local = utc.with_timezone(&offset).naive_local();
        Now {
            local: local.with_nanosecond(0).unwrap_or(local),
            utc,
            mono: Instant::now(),
        }
    }
}

/// Why the clock is not believed: what a save or a purge would be dated
/// by is outside the window the log itself makes likely. A user's yes
/// overrides it (the screen asks; the command line takes `--confirm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doubt {
    /// Before 2000: a laptop whose clock battery ran down.
    BeforeFirstYear { now: NaiveDateTime },
    /// Over a day behind the last change written to the log (the clock
    /// was set back, or reset).
    Behind {
        now: NaiveDateTime,
        last: NaiveDateTime,
    },
    /// Far ahead of the last change written to the log (a year typed
    /// wrong): a purge would clear what is not yet due.
    Ahead {
        now: NaiveDateTime,
        last: NaiveDateTime,
    },
}

/// When a record was last changed (UTC, RFC 3339), as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp(String);

impl Stamp {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A stamp another desk wrote (a tombstone's time), kept as written.
    pub fn from_rfc3339(s: &str) -> Stamp {
        Stamp(s.to_string())
    }
}

/// A time in the form the log stores and exports it, `2023-11-14
/// 10:05:00` (chrono's `%Y-%m-%d %H:%M:%S`), written without parsing a
/// format each time: an import writes a million of them.
pub fn stored_time(t: NaiveDateTime) -> String {
    use chrono::Datelike;
    let (y, ns) = (t.year(), t.nanosecond());
    if !(0..=9999).contains(&y) || ns >= 1_000_000_000 {
        return t.format("%Y-%m-%d %H:%M:%S").to_string();
    }
    let mut out = String::with_capacity(19);
    let mut push = |n: u32, after: Option<char>| {
        out.push(char::from(b'0' + (n / 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
        if let Some(c) = after {
            out.push(c);
        }
    };
    push(y as u32 / 100, None);
    push(y as u32 % 100, Some('-'));
    push(t.month(), Some('-'));
    push(t.day(), Some(' '));
    push(t.hour(), Some(':'));
    push(t.minute(), Some(':'));
    push(t.second(), None);
    out
}

/// Reads a time written as [`stored_time`] writes it, exactly so (no
/// leap second); `None` for any other text.
pub fn parse_stored_time(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() != 19 || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let n = |from: usize, to: usize| {
        b[from..to].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    parse_stored_date(&s[..10])?.and_hms_opt(n(11, 13)?, n(14, 16)?, n(17, 19)?)
}

/// Reads a day written `2023-11-14`, exactly so; `None` for any other text.
pub fn parse_stored_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let n = |from: usize, to: usize| {
        b[from..to].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(n(0, 4)? as i32, n(5, 7)?, n(8, 10)?)
}

/// Parses `YYYY-MM-DD HH:MM` (also with `T` or seconds) or as Finns write
/// it, `2.12.2026 10.05` (also `10:05`, `klo 10.05`).
pub fn parse_at(value: &str) -> Result<NaiveDateTime, TimeError> {
    let v = value.trim().replace(" klo ", " ");
    let v = v.as_str();
    [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%d.%m.%Y %H.%M",
        "%d.%m.%Y %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
    // chrono reads :60 as a leap second; no clock here shows one.
    .filter(|t| t.nanosecond() < 1_000_000_000)
    .ok_or_else(|| {
        let day = v.split([' ', 'T']).next().unwrap_or_default();
        if looks_like_a_day(day) && parse_date(day).is_err() {
            TimeError::NoSuchDay {
                value: value.to_string(),
            }
        } else {
            TimeError::BadDateTime {
                value: value.to_string(),
            }
        }
    })
}

/// Parses `YYYY-MM-DD` or as Finns write it, `2.12.2026`.
pub fn parse_date(value: &str) -> Result<NaiveDate, TimeError> {
    let v = value.trim();
    ["%Y-%m-%d", "%d.%m.%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(v, f).ok())
        .ok_or_else(|| {
            let value = value.to_string();
            if looks_like_a_day(v) {
                TimeError::NoSuchDay { value }
            } else {
                TimeError::BadDate { value }
            }
        })
}

/// `31.2.2026` or `2026-02-31`: a date's form, whether or not the day is
/// on the calendar.
fn looks_like_a_day(v: &str) -> bool {
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let parts: Vec<&str> = v.split('.').collect();
    if let [d, m, y] = parts[..] {
        return digits(d, 1..=2) && digits(m, 1..=2) && digits(y, 4..=4);
    }
    let parts: Vec<&str> = v.split('-').collect();
    matches!(parts[..], [y, m, d] if digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2))
}

/// A typed day from 2000 up to the day after `today`.
pub fn parse_day(value: &str, today: NaiveDate) -> Result<NaiveDate, TimeError> {
    let d = parse_date(value)?;
    in_range(value, d, today)?;
    Ok(d)
}

/// A typed day bounding a period (a report's `--from`, `--to`): from 2000
/// to the end of 2100. A period may end after today (this month, the
/// season); only what has happened is in it.
pub fn parse_period_day(value: &str) -> Result<NaiveDate, TimeError> {
    let d = parse_date(value)?;
    let last = NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).expect("a valid date");
    if d < first_day() || d > last {
        return Err(TimeError::OutOfRange {
            value: value.to_string(),
            from: first_day(),
            to: last,
        });
    }
    Ok(d)
}

/// A typed moment from 2000 up to the end of the day after `today`.
pub fn parse_moment(value: &str, today: NaiveDate) -> Result<NaiveDateTime, TimeError> {
    let t = parse_at(value)?;
    in_range(value, t.date(), today)?;
    Ok(t)
}

fn in_range(value: &str, d: NaiveDate, today: NaiveDate) -> Result<(), TimeError> {
    let to = today.succ_opt().unwrap_or(today);
    if d < first_day() || d > to {
        return Err(TimeError::OutOfRange {
            value: value.to_string(),
            from: first_day(),
            to,
        });
    }
    Ok(())
}

/// A report's year, 2000 to 2100.
pub fn check_year(year: i32) -> Result<i32, TimeError> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&year) {
        Ok(year)
    } else {
        Err(TimeError::YearOutOfRange {
            value: year.to_string(),
        })
    }
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
    /// The clock read through its kept offset reads what the zone says at
    /// every second around a change of daylight saving time (Helsinki's
    /// spring and autumn), and asks the zone once a minute.
    #[test]
    fn the_kept_offset_follows_the_zone_to_the_second() {
        use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeDelta, Timelike, Utc};
        let at = |s: &str| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
                .unwrap()
                .and_utc()
        };
        // EET, and EEST between the two changes (01:00 UTC both).
        let (spring, autumn) = (at("2026-03-29 01:00:00"), at("2026-10-25 01:00:00"));
        let zone = |utc: &NaiveDateTime| {
            let summer = *utc >= spring.naive_utc() && *utc < autumn.naive_utc();
            FixedOffset::east_opt(if summer { 3 } else { 2 } * 3600).unwrap()
        };
        for change in [spring, autumn] {
            let mut clock = super::Ticker::default();
            let mut asked = 0;
            let from: DateTime<Utc> = change - TimeDelta::seconds(150);
            for s in 0..300 {
                let utc = from + TimeDelta::seconds(s) + TimeDelta::milliseconds(250 * (s % 4));
                let now = clock.reading(utc, |u| {
                    asked += 1;
                    zone(u)
                });
                let local = (utc
                    + TimeDelta::seconds(zone(&utc.naive_utc()).local_minus_utc().into()))
                .naive_utc();
                assert_eq!(now.local, local.with_nanosecond(0).unwrap(), "at {utc}");
                assert_eq!(now.utc, utc);
            }
            assert!(asked <= 6, "asked the zone {asked} times in five minutes");
        }
    }

    /// The stored form written and read without chrono's format parser
    /// is chrono's, for every time, and refuses what chrono would read
    /// another way.
    #[test]
    fn the_stored_form_is_chronos() {
        use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
        let f = "%Y-%m-%d %H:%M:%S";
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let mut times = vec![
            day(2023, 11, 14).and_hms_opt(10, 5, 0).unwrap(),
            day(2000, 1, 1).and_hms_opt(0, 0, 0).unwrap(),
            day(9999, 12, 31).and_hms_opt(23, 59, 59).unwrap(),
            day(99, 2, 3).and_hms_opt(4, 5, 6).unwrap(),
            day(10000, 1, 1).and_hms_opt(0, 0, 0).unwrap(),
            day(-1, 1, 1).and_hms_opt(0, 0, 0).unwrap(),
            day(2016, 12, 31)
                .and_hms_milli_opt(23, 59, 59, 1500)
                .unwrap(),
        ];
        let mut t = day(2019, 12, 30).and_hms_opt(0, 0, 0).unwrap();
        for _ in 0..2000 {
            t += chrono::TimeDelta::seconds(7919 * 13 + 11);
            times.push(t);
        }
        for t in times {
            let s = super::stored_time(t);
            assert_eq!(s, t.format(f).to_string());
            let back = NaiveDateTime::parse_from_str(&s, f).ok();
            match super::parse_stored_time(&s) {
                Some(read) => assert_eq!(Some(read), back, "{s}"),
                None => assert!(
                    !(0..=9999).contains(&t.year()) || t.nanosecond() >= 1_000_000_000,
                    "{s}"
                ),
            }
        }
        for s in [
            "2023-11-14 10:05:60",
            "2023-11-14 24:00:00",
            "2023-02-29 10:00:00",
            "2023-11-14T10:05:00",
            "2023-1-14 10:05:00",
            "2023-11-14 10:05",
            " 2023-11-14 10:05:0",
        ] {
            assert_eq!(super::parse_stored_time(s), None, "{s}");
        }
    }

    use super::*;

    #[test]
    fn a_day_the_calendar_lacks_is_told_apart_from_a_wrong_form() {
        for v in ["31.2.2026", "2026-02-30", "29.2.2023", "1.13.2026"] {
            assert!(
                matches!(parse_date(v), Err(TimeError::NoSuchDay { .. })),
                "{v}"
            );
        }
        assert!(matches!(
            parse_at("31.11.2026 10.05"),
            Err(TimeError::NoSuchDay { .. })
        ));
        assert!(matches!(
            parse_at("2023-02-30 10:00"),
            Err(TimeError::NoSuchDay { .. })
        ));
        for v in ["2026/12/02", "huomenna", "2.12.2026x", "2.12"] {
            assert!(
                matches!(parse_date(v), Err(TimeError::BadDate { .. })),
                "{v}"
            );
        }
        assert!(matches!(
            parse_at("2.12.2026 25.00"),
            Err(TimeError::BadDateTime { .. })
        ));
    }

    #[test]
    fn times_and_dates_parse_in_the_documented_forms_only() {
        let t = parse_at("2023-11-14 10:05").unwrap();
        assert_eq!(t.to_string(), "2023-11-14 10:05:00");
        assert_eq!(
            parse_at("2023-11-14T10:05:30").unwrap().to_string(),
            "2023-11-14 10:05:30"
        );
        assert_eq!(
            parse_at("14.11.2023 10.05").unwrap().to_string(),
            "2023-11-14 10:05:00"
        );
        assert_eq!(
            parse_at("2.12.2026 klo 9:30").unwrap().to_string(),
            "2026-12-02 09:30:00"
        );
        assert_eq!(parse_date("2.12.2026").unwrap().to_string(), "2026-12-02");
        for bad in [
            "",
            "14.11.2023",
            "2023-11-14 25:00",
            "2026-11-15 10:00:60",
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
            Err(TimeError::NoSuchDay { .. })
        ));
        assert_eq!(parse_time_of_day("10.05").unwrap().to_string(), "10:05:00");
        let today = parse_date("2026-12-02").unwrap();
        assert!(parse_day("3.12.2026", today).is_ok(), "tomorrow");
        for far in ["4.12.2026", "1999-12-31", "0023-11-14"] {
            assert!(
                matches!(parse_day(far, today), Err(TimeError::OutOfRange { .. })),
                "{far}"
            );
        }
        assert!(parse_moment("2032-11-14 10:00", today).is_err());
        assert_eq!(check_year(2100), Ok(2100));
        for y in [300_000, 1999, -5, 2101] {
            assert!(check_year(y).is_err(), "{y}");
        }
        assert_eq!(parse_time_of_day(" 9:30").unwrap().to_string(), "09:30:00");
        for bad in ["24:00", "10", "10:5x", ""] {
            assert!(parse_time_of_day(bad).is_err(), "{bad}");
        }
    }
}

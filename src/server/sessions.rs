//! A period's sessions as the reader keeps them for a report: one small
//! row per session, its profile, place and device as numbers into the
//! period's few distinct names (a year's 180 000 sessions name a few
//! hundred), sorted in the desk's file's order without a string of its
//! own per session.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::report::period::SessionFigures;

/// A session with what a filter looks at; names are indexes into
/// [`PeriodSessions::names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionRow {
    pub date: NaiveDate,
    pub profile: u32,
    pub location: u32,
    pub device: u32,
    pub visitors: u32,
}

/// The sessions of a period, in the order the desk's file reads them.
#[derive(Debug, Clone, Default)]
pub struct PeriodSessions {
    /// Every distinct profile, place and device, once.
    pub names: Vec<String>,
    pub rows: Vec<SessionRow>,
}

impl PeriodSessions {
    /// The figures of the sessions of `profile`, `location` and `device`
    /// (`None` for all), in order.
    pub fn figures(
        &self,
        profile: Option<&str>,
        location: Option<&str>,
        device: Option<&str>,
    ) -> Vec<SessionFigures> {
        // A wanted name no session has: no session.
        let index = |want: Option<&str>| match want {
            None => Some(None),
            Some(w) => self.names.iter().position(|n| n == w).map(Some),
        };
        let (Some(profile), Some(location), Some(device)) =
            (index(profile), index(location), index(device))
        else {
            return Vec::new();
        };
        let wanted = |want: Option<usize>, is: u32| want.is_none_or(|w| w == is as usize);
        self.rows
            .iter()
            .filter(|s| {
                wanted(profile, s.profile)
                    && wanted(location, s.location)
                    && wanted(device, s.device)
            })
            .map(|s| SessionFigures {
                date: s.date,
                location: self.names[s.location as usize].clone(),
                visitors: s.visitors,
            })
            .collect()
    }
}

/// Gathers the sessions as the server hands them, in any order.
#[derive(Default)]
pub struct Gather {
    index: HashMap<String, u32>,
    out: PeriodSessions,
    /// Each session's start and uid, one after the other, for the sort.
    keys: String,
    /// Per row: where its start begins, where its uid begins and ends.
    spans: Vec<(u32, u32, u32)>,
}

impl Gather {
    fn name(&mut self, name: &str) -> u32 {
        if let Some(i) = self.index.get(name) {
            return *i;
        }
        let i = self.out.names.len() as u32;
        self.out.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        i
    }

    /// One session: its day, desk, visitors, and the start and uid that
    /// order it.
    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        date: NaiveDate,
        profile: &str,
        location: &str,
        device: &str,
        visitors: u32,
        started_at: &str,
        uid: &str,
    ) {
        let row = SessionRow {
            date,
            profile: self.name(profile),
            location: self.name(location),
            device: self.name(device),
            visitors,
        };
        let start = self.keys.len();
        self.keys.push_str(started_at);
        let mid = self.keys.len();
        self.keys.push_str(uid);
        let span = (start as u32, mid as u32, self.keys.len() as u32);
        self.out.rows.push(row);
        self.spans.push(span);
    }

    /// The sessions by date, start and uid, the texts compared byte by
    /// byte (SQLite's `BINARY`), as the desk's file reads them.
    pub fn sorted(self) -> PeriodSessions {
        let Gather {
            out, keys, spans, ..
        } = self;
        let key = |i: usize| {
            let (a, b, c) = spans[i];
            (
                out.rows[i].date,
                &keys.as_bytes()[a as usize..b as usize],
                &keys.as_bytes()[b as usize..c as usize],
            )
        };
        let mut order: Vec<usize> = (0..out.rows.len()).collect();
        order.sort_unstable_by(|&a, &b| key(a).cmp(&key(b)));
        let rows = order.iter().map(|&i| out.rows[i]).collect();
        PeriodSessions {
            names: out.names,
            rows,
        }
    }
}

/// A day as the server keeps it (`YYYY-MM-DD`), read without chrono's
/// parser for the common form (a year's sessions are 180 000 of them);
/// `None` for any other text.
pub fn quick_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Sorted as SQLite's `ORDER BY date, started_at, uid` (BINARY):
    /// a start that is a prefix of another sorts first, then the uid.
    #[test]
    fn sessions_sort_as_the_desks_file_and_keep_their_desk() {
        let mut g = Gather::default();
        let d = day("2025-03-04");
        g.push(d, "a", "Kirjasto", "x", 3, "2025-03-04T10:00", "u2");
        g.push(d, "b", "Kahvila", "y", 4, "2025-03-04T10:00", "u1");
        g.push(
            day("2025-03-03"),
            "a",
            "Kahvila",
            "x",
            5,
            "2025-03-04T11",
            "u9",
        );
        g.push(d, "a", "Kirjasto", "y", 6, "2025-03-04T10", "u3");
        g.push(d, "a", "Ä", "x", 7, "2025-03-04T10:00", "U1");
        let s = g.sorted();
        let all = s.figures(None, None, None);
        let got: Vec<(NaiveDate, &str, u32)> = all
            .iter()
            .map(|f| (f.date, f.location.as_str(), f.visitors))
            .collect();
        assert_eq!(
            got,
            vec![
                (day("2025-03-03"), "Kahvila", 5),
                (d, "Kirjasto", 6),
                (d, "Ä", 7),
                (d, "Kahvila", 4),
                (d, "Kirjasto", 3),
            ]
        );
        let a: Vec<u32> = s
            .figures(Some("a"), None, None)
            .iter()
            .map(|f| f.visitors)
            .collect();
        assert_eq!(a, vec![5, 6, 7, 3]);
        let ky: Vec<u32> = s
            .figures(None, Some("Kirjasto"), Some("y"))
            .iter()
            .map(|f| f.visitors)
            .collect();
        assert_eq!(ky, vec![6]);
        assert!(s.figures(Some("nobody"), None, None).is_empty());
    }

    #[test]
    fn a_day_reads_as_chrono_reads_it() {
        for s in [
            "2025-03-04",
            "2024-02-29",
            "2025-02-29",
            "2025-13-01",
            "2025-1-01",
            "+2025-0301",
            "2025/03/04",
            "0000-01-01",
            "9999-12-31",
            "2025-03-4x",
            "",
        ] {
            let chrono = s.parse::<NaiveDate>().ok();
            match quick_date(s) {
                Some(q) => assert_eq!(Some(q), chrono, "{s}"),
                None => assert!(s.len() != 10 || chrono.is_none(), "{s}"),
            }
        }
    }
}

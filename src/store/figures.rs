//! Figures over a period that read visits (not only the maintained session
//! counts): what a year report is built from.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use rusqlite::params;

use super::{Result, Store, fmt_date};
use crate::report::SessionStats;

impl Store {
    /// Topic key → visits that raised it, for the sessions of a profile (or
    /// all) between two dates, inclusive. Reads only that period's rows:
    /// sessions by date, their visits by session, topics by visit.
    pub fn topic_counts(
        &self,
        profile: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<BTreeMap<String, u32>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.topic FROM sessions s
               JOIN visits v ON v.session_id = s.id
               JOIN visit_topics t ON t.visit_id = v.id
             WHERE s.date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR s.profile = ?3)",
        )?;
        // Counted here rather than with GROUP BY, which sorts every row
        // (a year of a big city: 200 000) before counting; a few dozen
        // topics fit a small map, and a known topic costs no allocation.
        let mut counts: HashMap<String, u32> = HashMap::new();
        let mut rows = stmt.query(params![fmt_date(from), fmt_date(to), profile])?;
        while let Some(r) = rows.next()? {
            let topic = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            match counts.get_mut(topic) {
                Some(n) => *n += 1,
                None => {
                    counts.insert(topic.to_string(), 1);
                }
            }
        }
        Ok(counts.into_iter().collect())
    }

    /// Sessions and visitors from 1 January to `to`: the year's maintained
    /// total (migration 2) less the sessions dated after `to` that year,
    /// which are none unless some were logged ahead. Two index look-ups,
    /// whatever the size of the history.
    pub(super) fn year_to_date(
        &self,
        profile: Option<&str>,
        to: NaiveDate,
    ) -> Result<SessionStats> {
        let year = self
            .conn
            .prepare_cached(
                "SELECT coalesce(sum(sessions), 0), coalesce(sum(visitors), 0) FROM year_totals
             WHERE year = ?1 AND (?2 IS NULL OR profile = ?2)",
            )?
            .query_row(params![to.format("%Y").to_string(), profile], |r| {
                Ok(SessionStats {
                    sessions: r.get(0)?,
                    visitors: r.get(1)?,
                })
            })?;
        let later = match to.succ_opt() {
            Some(next) if next.year() == to.year() => {
                let dec31 = NaiveDate::from_ymd_opt(to.year(), 12, 31).expect("31 December exists");
                self.scan_session_stats(profile, next, dec31)?
            }
            _ => SessionStats::default(),
        };
        Ok(SessionStats {
            sessions: year.sessions.saturating_sub(later.sessions),
            visitors: year.visitors.saturating_sub(later.visitors),
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;

    use super::*;
    use crate::domain::VisitEntry;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn entry(topic: &str) -> VisitEntry {
        VisitEntry {
            topics: vec![topic.into()],
            ..VisitEntry::default()
        }
    }

    #[test]
    fn year_to_date_follows_every_write_and_equals_a_scan() {
        let mut s = Store::open_in_memory().unwrap();
        let (a, _) = s
            .open_session("ikaihmiset", "Kirjasto", at("2023-11-14 10:00"))
            .unwrap();
        let first = s
            .add_visit(a.id, at("2023-11-14 10:05"), &entry("digituki"))
            .unwrap();
        s.add_visit(a.id, at("2023-11-14 10:20"), &entry("sote"))
            .unwrap();
        // An empty second session the same day still counts.
        s.start_new_session(a.id, at("2023-11-14 11:00")).unwrap();
        let (c, _) = s
            .open_session("kotouttaminen", "HeiMo-kahvila", at("2023-11-15 12:00"))
            .unwrap();
        s.add_visit(c.id, at("2023-11-15 12:10"), &entry("tyo"))
            .unwrap();
        // Logged ahead of the day asked about, and in the year before.
        let ahead = s
            .session_for_log("ikaihmiset", "Kirjasto", at("2023-12-05 10:00"))
            .unwrap();
        s.add_visit(ahead.id, at("2023-12-05 10:00"), &entry("sote"))
            .unwrap();
        let old = s
            .session_for_log("ikaihmiset", "Spot", at("2022-12-31 10:00"))
            .unwrap();
        s.add_visit(old.id, at("2022-12-31 10:00"), &entry("sote"))
            .unwrap();
        s.delete_visit(first.id).unwrap();
        let (wrong, _) = s
            .open_session("ikaihmiset", "Spot", at("2023-11-16 10:00"))
            .unwrap();
        assert!(s.discard_empty_session(wrong.id).unwrap());

        for profile in [None, Some("ikaihmiset"), Some("kotouttaminen")] {
            for to in [
                "2022-12-31",
                "2023-01-01",
                "2023-11-14",
                "2023-11-15",
                "2023-12-04",
                "2023-12-05",
                "2023-12-31",
            ] {
                let to = day(to);
                let jan1 = NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap();
                assert_eq!(
                    s.session_stats(profile, jan1, to).unwrap(),
                    s.scan_session_stats(profile, jan1, to).unwrap(),
                    "{profile:?} to {to}"
                );
            }
        }
        assert_eq!(
            s.session_stats(Some("ikaihmiset"), day("2023-01-01"), day("2023-11-14"))
                .unwrap(),
            SessionStats {
                sessions: 2,
                visitors: 1
            }
        );
    }

    #[test]
    fn topic_counts_cover_the_period_only() {
        let mut s = Store::open_in_memory().unwrap();
        for (when, topics) in [
            ("2022-12-31 10:00", &["sote"][..]),
            ("2023-01-10 10:00", &["sote", "digituki"][..]),
            ("2023-06-01 10:00", &["digituki"][..]),
        ] {
            let session = s
                .session_for_log("ikaihmiset", "Kirjasto", at(when))
                .unwrap();
            let e = VisitEntry {
                topics: topics.iter().map(|t| t.to_string()).collect(),
                ..VisitEntry::default()
            };
            s.add_visit(session.id, at(when), &e).unwrap();
        }
        let counts = s
            .topic_counts(None, day("2023-01-01"), day("2023-12-31"))
            .unwrap();
        assert_eq!(
            counts,
            [("digituki".to_string(), 2), ("sote".to_string(), 1)].into()
        );
        assert!(
            s.topic_counts(Some("kotouttaminen"), day("2023-01-01"), day("2023-12-31"))
                .unwrap()
                .is_empty()
        );
    }
}

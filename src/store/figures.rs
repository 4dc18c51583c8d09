//! Figures over a period from maintained counts: the year-to-date session
//! totals behind the running average, and the visits' counts per day and
//! desk (migration 6) that a report is built from.

use chrono::{Datelike, NaiveDate};
use rusqlite::params;

use super::{PeriodFilter, Result, Store};
use crate::config::Profile;
use crate::report::period::VisitCounts;
use crate::report::{DayTally, SessionStats, fill_unrecorded};

impl Store {
    /// A day's tally for one profile, as the tally view and `tiski tally`
    /// show it: its sessions and visits that day, the year to date, and
    /// each of its fields left empty counted as unrecorded.
    pub fn day_tally(&self, profile: &Profile, date: NaiveDate) -> Result<DayTally> {
        let mut t = self.day_tally_of(Some(&profile.id), date)?;
        // Head-counts have no fields: only the itemised visits count here.
        let visitors = t.visitors - t.head_counts;
        fill_unrecorded(
            &mut t.fields,
            profile.fields.iter().map(|f| f.key.as_str()),
            visitors,
        );
        Ok(t)
    }

    /// A day's tally of one profile id, or of all together (whose topics
    /// mix profiles: use it for the totals only).
    pub fn day_tally_of(&self, profile: Option<&str>, date: NaiveDate) -> Result<DayTally> {
        let sessions = self.sessions_on(profile, date)?;
        let visits = self.visits_on(profile, date)?;
        let jan1 = NaiveDate::from_ymd_opt(date.year(), 1, 1).expect("1 January exists");
        let year = self.session_stats(profile, jan1, date)?;
        let mut t = DayTally::build(date, &sessions, &visits, year);
        // Head-counts count under their hour with the itemised visits.
        let mut stmt = self.conn.prepare_cached(
            "SELECT CAST(strftime('%H', h.at) AS INTEGER), sum(h.n)
             FROM head_counts h JOIN sessions s ON s.id = h.session_id
             WHERE s.date = ?1 AND (?2 IS NULL OR s.profile = ?2) GROUP BY 1",
        )?;
        let rows = stmt.query_map(params![super::fmt_date(date), profile], |r| {
            Ok((r.get::<_, u32>(0)?, r.get::<_, u32>(1)?))
        })?;
        for row in rows {
            let (hour, n) = row?;
            *t.hours.entry(hour).or_default() += n;
        }
        Ok(t)
    }

    /// What the visits of the filtered sessions add up to under each
    /// heading, read from the counts kept per day and desk (migration 6):
    /// a year of a big city is some tens of thousands of rows, whatever the
    /// number of visits.
    pub fn visit_counts(&self, f: &PeriodFilter<'_>) -> Result<VisitCounts> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, key, value, n FROM visit_counts
             WHERE date BETWEEN ?1 AND ?2
               AND (?3 IS NULL OR profile = ?3)
               AND (?4 IS NULL OR location = ?4)
               AND (?5 IS NULL OR device = ?5)
               AND n <> 0",
        )?;
        let mut counts = VisitCounts::default();
        let mut rows = stmt.query(f.params())?;
        while let Some(r) = rows.next()? {
            let text = |i: usize| -> rusqlite::Result<&str> {
                r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)
            };
            let (kind, key, value, n) = (text(0)?, text(1)?, text(2)?, r.get::<_, u32>(3)?);
            if !counts.add_part(kind, key, value, n) {
                return Err(bad_count(kind, key).into());
            }
        }
        Ok(counts)
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

impl Store {
    /// Counts the report figures again from the visits, in one transaction
    /// (`tiski doctor --recount`): for a file edited by something other
    /// than tiski, since every write through tiski keeps them right.
    pub fn recount_visits(&mut self) -> Result<()> {
        let tx = self
            .writable()?
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM visit_counts", [])?;
        tx.execute_batch(super::migrations::RECOUNT_VISITS)?;
        tx.commit()?;
        Ok(())
    }
}

/// How many rows of `visit_counts` (by day, desk and option) differ from
/// the visits counted one by one: 0 when the kept counts are right. Reads
/// every visit, so `tiski doctor` asks it, not a keystroke.
pub(crate) fn counts_differing(conn: &rusqlite::Connection) -> rusqlite::Result<u64> {
    conn.query_row(
        "SELECT count(*) FROM (
             SELECT 1 FROM (
                 SELECT date, profile, location, device, kind, key, value, n FROM visit_counts
                 UNION ALL
                 SELECT s.date, s.profile, s.location, s.device, p.kind, CAST(p.key AS TEXT),
                        p.value, -1
                 FROM visit_parts p JOIN sessions s ON s.id = p.session_id
             )
             GROUP BY date, profile, location, device, kind, key, value
             HAVING sum(n) <> 0
         )",
        [],
        |r| r.get(0),
    )
}

/// A row of `visit_counts` this build cannot read: the file was changed by
/// hand or by something other than tiski.
fn bad_count(kind: &str, key: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        1,
        rusqlite::types::Type::Text,
        format!("visit_counts: {kind} {key:?}").into(),
    )
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;

    use proptest::prelude::*;

    use super::*;
    use crate::domain::VisitEntry;
    use crate::report::period::{Period, PeriodReport};

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
        s.delete_visit(first.id, &crate::store::test_support::clock())
            .unwrap();
        let (wrong, _) = s
            .open_session("ikaihmiset", "Spot", at("2023-11-16 10:00"))
            .unwrap();
        assert!(
            s.discard_empty_session(wrong.id, &crate::store::test_support::stamp())
                .unwrap()
        );

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

    /// What the property test below does to a database, step by step.
    /// Indexes pick among what exists (modulo its length).
    #[derive(Debug, Clone)]
    enum Op {
        Add {
            session: usize,
            minute: u32,
            parts: Parts,
        },
        Edit {
            visit: usize,
            parts: Parts,
        },
        Delete {
            visit: usize,
        },
        /// What a merge does: the visit moves to another session and time.
        Move {
            visit: usize,
            session: usize,
            minute: u32,
        },
        /// A session moved to another day, place or device by hand.
        Relocate {
            session: usize,
            day: usize,
            place: usize,
        },
        /// A field's value changed in place.
        SetField {
            visit: usize,
            option: usize,
        },
        Discard {
            session: usize,
        },
    }

    /// Topics, referral and fields of a visit, as indexes into the lists.
    type Parts = (Vec<usize>, Option<usize>, Vec<(usize, usize)>);

    const DAYS: [&str; 5] = [
        "2023-12-30",
        "2023-12-31",
        "2024-01-01",
        "2024-01-02",
        "2024-02-29",
    ];
    const PLACES: [&str; 2] = ["Kirjasto", "Spot"];
    const TOPICS: [&str; 4] = ["digituki", "sote", "kela", "muu"];
    const REFERRALS: [&str; 2] = ["hva", "seurakunta"];
    const FIELDS: [&str; 2] = ["channel", "age"];
    const OPTIONS: [&str; 3] = ["a", "b", "c"];

    fn entry_of((topics, referral, fields): &Parts) -> VisitEntry {
        VisitEntry {
            topics: topics.iter().map(|t| TOPICS[*t].to_string()).collect(),
            referral: referral.map(|r| REFERRALS[r].to_string()),
            fields: fields
                .iter()
                .map(|(f, o)| (FIELDS[*f].to_string(), OPTIONS[*o].to_string()))
                .collect(),
            note: String::new(),
        }
    }

    fn parts() -> impl Strategy<Value = Parts> {
        (
            proptest::collection::vec(0..TOPICS.len(), 0..4),
            proptest::option::of(0..REFERRALS.len()),
            proptest::collection::vec((0..FIELDS.len(), 0..OPTIONS.len()), 0..3),
        )
    }

    fn op() -> impl Strategy<Value = Op> {
        let i = || 0..64usize;
        let minute = || 0..(48 * 60u32);
        prop_oneof![
            4 => (i(), minute(), parts())
                .prop_map(|(session, minute, parts)| Op::Add { session, minute, parts }),
            1 => (i(), parts()).prop_map(|(visit, parts)| Op::Edit { visit, parts }),
            1 => i().prop_map(|visit| Op::Delete { visit }),
            1 => (i(), i(), minute())
                .prop_map(|(visit, session, minute)| Op::Move { visit, session, minute }),
            1 => (i(), i(), i()).prop_map(|(session, day, place)| Op::Relocate { session, day, place }),
            1 => (i(), i()).prop_map(|(visit, option)| Op::SetField { visit, option }),
            1 => i().prop_map(|session| Op::Discard { session }),
        ]
    }

    /// A session's day at 08:00 plus `minute` (up to two days on).
    fn time_in(s: &Store, session: i64, minute: u32) -> NaiveDateTime {
        s.session(crate::domain::SessionId(session))
            .unwrap()
            .date
            .and_hms_opt(8, 0, 0)
            .unwrap()
            + chrono::TimeDelta::minutes(i64::from(minute))
    }

    fn apply(s: &mut Store, op: &Op) {
        let ids = |s: &Store, table: &str| -> Vec<i64> {
            let mut stmt = s
                .conn
                .prepare(&format!("SELECT id FROM {table} ORDER BY id"))
                .unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        let pick = |v: &[i64], i: usize| (!v.is_empty()).then(|| v[i % v.len()]);
        let (sessions, visits) = (ids(s, "sessions"), ids(s, "visits"));
        match op {
            Op::Add {
                session,
                minute,
                parts,
            } => {
                let session = pick(&sessions, *session).unwrap();
                let at = time_in(s, session, *minute);
                s.add_visit(crate::domain::SessionId(session), at, &entry_of(parts))
                    .unwrap();
            }
            Op::Edit { visit, parts } => {
                if let Some(v) = pick(&visits, *visit) {
                    s.update_visit(
                        crate::domain::VisitId(v),
                        &crate::store::test_support::ok((entry_of(parts)).clone()),
                        None,
                        &crate::store::test_support::stamp(),
                    )
                    .unwrap();
                }
            }
            Op::Delete { visit } => {
                if let Some(v) = pick(&visits, *visit) {
                    s.delete_visit(
                        crate::domain::VisitId(v),
                        &crate::store::test_support::clock(),
                    )
                    .unwrap();
                }
            }
            Op::Move {
                visit,
                session,
                minute,
            } => {
                if let Some(v) = pick(&visits, *visit) {
                    let session = pick(&sessions, *session).unwrap();
                    let at = time_in(s, session, *minute)
                        .format(super::super::TIME_FMT)
                        .to_string();
                    s.conn
                        .execute(
                            "UPDATE visits SET session_id = ?2, at = ?3 WHERE id = ?1",
                            params![v, session, at],
                        )
                        .unwrap();
                    // As a merge does, the sessions' visitors are recounted.
                    s.conn
                        .execute(
                            "UPDATE sessions SET visitors =
                                 (SELECT count(*) FROM visits WHERE session_id = sessions.id)
                                 + (SELECT coalesce(sum(n), 0) FROM head_counts
                                    WHERE session_id = sessions.id)",
                            [],
                        )
                        .unwrap();
                }
            }
            Op::Relocate {
                session,
                day,
                place,
            } => {
                let session = pick(&sessions, *session).unwrap();
                let device = if place % 3 == 2 { "other" } else { "" };
                s.conn
                    .execute(
                        "UPDATE sessions SET date = ?2, location = ?3,
                             device = CASE WHEN ?4 = '' THEN device ELSE ?4 END
                         WHERE id = ?1",
                        params![session, DAYS[day % DAYS.len()], PLACES[place % 2], device],
                    )
                    .unwrap();
            }
            Op::SetField { visit, option } => {
                if let Some(v) = pick(&visits, *visit) {
                    s.conn
                        .execute(
                            "UPDATE visit_fields SET value = ?2 WHERE visit_id = ?1",
                            params![v, OPTIONS[option % OPTIONS.len()]],
                        )
                        .unwrap();
                }
            }
            Op::Discard { session } => {
                let session = pick(&sessions, *session).unwrap();
                // Keeps one session for the others to use.
                if sessions.len() > 1 {
                    s.discard_empty_session(
                        crate::domain::SessionId(session),
                        &crate::store::test_support::stamp(),
                    )
                    .unwrap();
                }
            }
        }
    }

    /// The kept counts equal the visits counted one by one, for every
    /// filter a report can ask for.
    fn assert_counts_agree(s: &Store) {
        let device = s.device_id().unwrap();
        let (from, to) = (day(DAYS[0]), day(DAYS[DAYS.len() - 1]));
        let all = PeriodFilter::all(from, to);
        let filters = [
            all,
            PeriodFilter {
                profile: Some("ikaihmiset"),
                ..all
            },
            PeriodFilter {
                profile: Some("kotouttaminen"),
                ..all
            },
            PeriodFilter {
                location: Some(PLACES[1]),
                ..all
            },
            PeriodFilter {
                device: Some(&device),
                ..all
            },
            PeriodFilter {
                device: Some("other"),
                ..all
            },
            PeriodFilter {
                from: day("2024-01-01"),
                ..all
            },
            PeriodFilter {
                to: day("2023-12-31"),
                ..all
            },
            PeriodFilter {
                from: day("2024-01-02"),
                to: day("2024-01-02"),
                ..all
            },
        ];
        for f in &filters {
            let data = s.period(f).unwrap();
            let counted = VisitCounts::tally(data.visits.iter().map(|v| &v.visit));
            assert_eq!(s.visit_counts(f).unwrap(), counted, "{f:?}");
            // The whole report, as `tiski report` reads it and as it would be
            // built from every visit.
            let period = Period::custom(f.from, f.to);
            let built = PeriodReport::build(
                period,
                data.sessions.iter().map(|s| &s.session),
                data.visits.iter().map(|v| &v.visit),
            );
            assert_eq!(s.period_report(period, &f.desks()).unwrap(), built, "{f:?}");
        }
        let left: i64 = s
            .conn
            .query_row("SELECT count(*) FROM visit_counts WHERE n < 0", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(left, 0, "no count below zero");
    }

    proptest::proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn kept_counts_equal_the_visits_counted_after_any_writes(
            ops in proptest::collection::vec(op(), 1..40)
        ) {
            run(&ops);
        }
    }

    /// A session on each of `DAYS`, then `ops`, then the check.
    fn run(ops: &[Op]) {
        let mut s = Store::open_in_memory().unwrap();
        for (i, d) in DAYS.iter().enumerate() {
            let profile = if i % 2 == 0 {
                "ikaihmiset"
            } else {
                "kotouttaminen"
            };
            s.session_for_log(profile, PLACES[i % 2], at(&format!("{d} 10:00")))
                .unwrap();
        }
        for op in ops {
            apply(&mut s, op);
        }
        assert_counts_agree(&s);
    }

    #[test]
    fn counts_are_backfilled_when_an_older_database_is_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v5.db");
        {
            let c = rusqlite::Connection::open(&path).unwrap();
            for m in &super::super::MIGRATIONS[..5] {
                c.execute_batch(m).unwrap();
            }
            c.execute_batch(
                "PRAGMA user_version = 5;
                 INSERT INTO sessions(id, uid, profile, location, date, started_at, visitors) VALUES
                   (1, 's1', 'ikaihmiset', 'Kirjasto', '2023-11-14', '2023-11-14 10:00:00', 2),
                   (2, 's2', 'kotouttaminen', 'HeiMo', '2023-11-15', '2023-11-15 12:00:00', 1),
                   (3, 's3', 'ikaihmiset', 'Kirjasto', '2023-11-28', '2023-11-28 10:00:00', 0);
                 INSERT INTO visits(id, uid, session_id, at, referral, updated_at) VALUES
                   (1, 'v1', 1, '2023-11-14 10:05:00', 'hva', 'x'),
                   (2, 'v2', 1, '2023-11-14 11:55:00', NULL, 'x'),
                   (3, 'v3', 2, '2023-11-15 12:10:00', 'hva', 'x');
                 INSERT INTO visit_topics(visit_id, topic, position) VALUES
                   (1, 'digituki', 0), (1, 'sote', 1), (2, 'sote', 0), (3, 'tyo', 0);
                 INSERT INTO visit_fields(visit_id, field, value) VALUES
                   (1, 'channel', 'puhelin'), (2, 'channel', 'kaynti'), (3, 'channel', 'puhelin');",
            )
            .unwrap();
        }
        let mut s = Store::open(&path).unwrap();
        let all = PeriodFilter::all(day("2023-01-01"), day("2023-12-31"));
        let c = s.visit_counts(&all).unwrap();
        assert_eq!(c.topics["sote"], 2);
        assert_eq!((c.topics["digituki"], c.topics["tyo"]), (1, 1));
        assert_eq!(c.referrals["hva"], 2);
        assert_eq!(c.fields["channel"]["puhelin"], 2);
        assert_eq!(c.hours, [(10, 1), (11, 1), (12, 1)].into());
        assert_eq!(
            c.weekdays,
            [0, 2, 1, 0, 0, 0, 0],
            "Tuesday, Tuesday, Wednesday"
        );
        // The triggers take over from the backfill.
        let (session, _) = s
            .open_session("ikaihmiset", "Kirjasto", at("2023-11-28 10:00"))
            .unwrap();
        s.add_visit(session.id, at("2023-11-28 10:30"), &entry("sote"))
            .unwrap();
        s.delete_visit(
            crate::domain::VisitId(1),
            &crate::store::test_support::clock(),
        )
        .unwrap();
        let c = s.visit_counts(&all).unwrap();
        assert_eq!((c.topics["sote"], c.topics.get("digituki")), (2, None));
        assert_eq!(c.hours[&10], 1);
        assert_counts_agree(&s);
    }
}

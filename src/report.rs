//! Report maths, pure: day tallies and running averages. One function feeds
//! the duty screen, the tally view, the CLI and (later) the exports.

pub mod error;
pub mod events;
pub mod grammar;
pub mod period;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::{DutySession, Visit};

/// Sessions and the visitors in them over some period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SessionStats {
    pub sessions: u32,
    pub visitors: u32,
}

impl SessionStats {
    /// Mean visitors per session; sessions with no visitors count. `None`
    /// when there were no sessions at all.
    pub fn mean(&self) -> Option<f64> {
        (self.sessions > 0).then(|| f64::from(self.visitors) / f64::from(self.sessions))
    }
}

/// One day's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayTally {
    pub date: NaiveDate,
    /// Itemised visits and head-counts together.
    pub visitors: u32,
    /// The part of `visitors` counted together, without topics.
    pub head_counts: u32,
    pub sessions: u32,
    /// Topic key → visits that raised it (a visit can raise several).
    pub topics: BTreeMap<String, u32>,
    /// Referral key → visits referred there.
    pub referrals: BTreeMap<String, u32>,
    /// Hour of day (0–23) → visits that started in it.
    pub hours: BTreeMap<u32, u32>,
    /// Field key → option key → visits.
    pub fields: BTreeMap<String, BTreeMap<String, u32>>,
    /// The calendar year up to and including this day.
    pub year: SessionStats,
}

impl DayTally {
    /// Tallies `visits` of the day held in `sessions`.
    pub fn build(
        date: NaiveDate,
        sessions: &[DutySession],
        visits: &[Visit],
        year: SessionStats,
    ) -> DayTally {
        let period::VisitCounts {
            topics,
            referrals,
            fields,
            hours,
            ..
        } = period::VisitCounts::tally(visits);
        // The sessions' maintained visitors hold the head-counts too.
        let counted: u32 = sessions.iter().map(|s| s.visitors).sum();
        let itemised = visits.len() as u32;
        let head_counts = counted.saturating_sub(itemised);
        DayTally {
            date,
            visitors: itemised + head_counts,
            head_counts,
            sessions: sessions.len() as u32,
            topics,
            referrals,
            hours,
            fields,
            year,
        }
    }
}

/// The option key under which a field's visits without a value count, so a
/// field's counts add up to the visits (`fields.age_band.unrecorded`).
pub const UNRECORDED: &str = "unrecorded";

/// Adds to `fields` each of `keys`' visits that left the field empty, as
/// [`UNRECORDED`], out of `visits` visits in all.
pub fn fill_unrecorded<'a>(
    fields: &mut BTreeMap<String, BTreeMap<String, u32>>,
    keys: impl IntoIterator<Item = &'a str>,
    visits: u32,
) {
    for key in keys {
        let counts = fields.entry(key.to_string()).or_default();
        counts.remove(UNRECORDED);
        let recorded: u32 = counts.values().sum();
        let missing = visits.saturating_sub(recorded);
        if missing > 0 {
            counts.insert(UNRECORDED.to_string(), missing);
        } else if counts.is_empty() {
            fields.remove(key);
        }
    }
}

/// Counts ranked for display: most first, ties in `order` (the profile's
/// list order), unknown keys last by key.
pub fn ranked<'a>(counts: &'a BTreeMap<String, u32>, order: &[&str]) -> Vec<(&'a str, u32)> {
    let mut v: Vec<(&str, u32)> = counts.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    let rank = |k: &str| order.iter().position(|o| *o == k).unwrap_or(usize::MAX);
    v.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(rank(a.0).cmp(&rank(b.0)))
            .then(a.0.cmp(b.0))
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{SessionId, VisitEntry, VisitId};

    fn visit(id: i64, time: &str, topics: &[&str], referral: Option<&str>) -> Visit {
        Visit {
            id: VisitId(id),
            uid: format!("u{id}"),
            session: SessionId(1),
            at: NaiveDate::from_ymd_opt(2023, 11, 14)
                .unwrap()
                .and_time(chrono::NaiveTime::parse_from_str(time, "%H:%M").unwrap()),
            entry: VisitEntry {
                topics: topics.iter().map(|s| s.to_string()).collect(),
                referral: referral.map(str::to_string),
                fields: [("channel".to_string(), "puhelin".to_string())].into(),
                note: String::new(),
            },
        }
    }

    #[test]
    fn mean_counts_sessions_without_visitors() {
        // The seed's year: 13 sessions, 69 visitors → 5.3.
        let year = SessionStats {
            sessions: 13,
            visitors: 69,
        };
        assert!((year.mean().unwrap() - 5.307_692).abs() < 1e-5);
        let with_empty = SessionStats {
            sessions: 4,
            visitors: 6,
        };
        assert_eq!(with_empty.mean(), Some(1.5));
        assert_eq!(
            SessionStats {
                sessions: 2,
                visitors: 0
            }
            .mean(),
            Some(0.0)
        );
        assert_eq!(SessionStats::default().mean(), None);
    }

    #[test]
    fn empty_fields_count_as_unrecorded_so_a_field_adds_up_to_the_visits() {
        let mut fields: BTreeMap<String, BTreeMap<String, u32>> =
            [("age_band".into(), [("75_84".into(), 2)].into())].into();
        fill_unrecorded(&mut fields, ["age_band", "language", "channel"], 5);
        assert_eq!(fields["age_band"]["75_84"], 2);
        assert_eq!(fields["age_band"][UNRECORDED], 3);
        assert_eq!(fields["language"][UNRECORDED], 5);
        // Again: the same, not doubled.
        fill_unrecorded(&mut fields, ["age_band"], 5);
        assert_eq!(fields["age_band"][UNRECORDED], 3);
        // No visits, no row.
        let mut none = BTreeMap::new();
        fill_unrecorded(&mut none, ["age_band"], 0);
        assert!(none.is_empty());
    }

    #[test]
    fn day_tally_counts_topics_referrals_hours_and_fields() {
        let visits = [
            visit(1, "10:05", &["digituki"], None),
            visit(2, "10:41", &["digituki", "liukuesteet"], Some("hva")),
            visit(3, "11:20", &["sote"], Some("hva")),
        ];
        let date = NaiveDate::from_ymd_opt(2023, 11, 14).unwrap();
        let t = DayTally::build(
            date,
            &[],
            &visits,
            SessionStats {
                sessions: 5,
                visitors: 20,
            },
        );
        assert_eq!(t.visitors, 3);
        assert_eq!(t.topics["digituki"], 2);
        assert_eq!(t.topics["liukuesteet"], 1);
        assert_eq!(t.referrals["hva"], 2);
        assert_eq!(t.hours[&10], 2);
        assert_eq!(t.hours[&11], 1);
        assert_eq!(t.fields["channel"]["puhelin"], 3);
        assert_eq!(t.sessions, 0, "no sessions were passed");
    }

    #[test]
    fn ranking_puts_most_first_and_breaks_ties_by_profile_order() {
        let counts: BTreeMap<String, u32> = [
            ("a".into(), 1),
            ("b".into(), 3),
            ("c".into(), 1),
            ("zz".into(), 1),
        ]
        .into();
        let r = ranked(&counts, &["c", "b", "a"]);
        assert_eq!(r, [("b", 3), ("c", 1), ("a", 1), ("zz", 1)]);
    }
}

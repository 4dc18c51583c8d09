//! Store tests of events, groups, feedback and head-counts.

use chrono::NaiveDate;

use super::*;
use crate::events::{FeedbackTarget, Tally};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn lecture() -> EventEntry {
    EventEntry {
        profile: "ikaihmiset".into(),
        date: day("2023-11-01"),
        title: "Kaatumisten ehkäisy -luentotilaisuus".into(),
        kind: "luento".into(),
        count: Some(70),
        approx: true,
        ..EventEntry::default()
    }
}

#[test]
fn events_are_saved_listed_by_period_edited_and_deleted_with_a_tombstone() {
    let mut s = Store::open_in_memory().unwrap();
    let e = s
        .add_event(
            &crate::store::test_support::ok((lecture()).clone()),
            &crate::store::test_support::stamp(),
        )
        .unwrap();
    assert_eq!(e.entry, lecture());
    let mut fest = lecture();
    fest.profile = "perhe".into();
    fest.date = day("2023-09-21");
    fest.time = NaiveTime::from_hms_opt(17, 30, 0);
    fest.online = Some(155);
    s.add_event(
        &crate::store::test_support::ok((fest).clone()),
        &crate::store::test_support::stamp(),
    )
    .unwrap();
    let all = s
        .events_between(None, day("2023-01-01"), day("2023-12-31"))
        .unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].entry.time, fest.time, "in date order");
    let mine = s
        .events_between(Some("ikaihmiset"), day("2023-01-01"), day("2023-12-31"))
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0], e);
    let mut changed = lecture();
    changed.count = Some(72);
    assert_eq!(
        s.update_event(
            e.id,
            &crate::store::test_support::ok((changed).clone()),
            &crate::store::test_support::stamp()
        )
        .unwrap()
        .entry
        .count,
        Some(72)
    );
    s.add_feedback(
        &crate::store::test_support::ok(
            (FeedbackEntry {
                target: FeedbackTarget::Event(e.uid.clone()),
                question: "Oliko tilaisuus hyödyllinen?".into(),
                tally: Tally::YesNo { yes: 50, no: 0 },
            })
            .clone(),
        ),
        &crate::store::test_support::stamp(),
    )
    .unwrap();
    s.delete_event(e.id, &crate::store::test_support::stamp())
        .unwrap();
    assert!(matches!(
        s.event(e.id),
        Err(crate::store::StoreError::Event(EventError::NotFound { .. }))
    ));
    let tombs: i64 = s
        .conn
        .query_row("SELECT count(*) FROM tombstones", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tombs, 2, "the event and its feedback");
    assert!(
        s.feedback_between(None, day("2023-01-01"), day("2023-12-31"))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_groups_meetings_and_feedback_come_back_with_it() {
    let mut s = Store::open_in_memory().unwrap();
    let g = s
        .add_group(
            &crate::store::test_support::ok(
                (GroupEntry {
                    profile: "perhe".into(),
                    date: day("2023-09-04"),
                    title: "Kaveritaitoryhmä".into(),
                    place: "Sinilähde".into(),
                    ..GroupEntry::default()
                })
                .clone(),
            ),
            &crate::store::test_support::stamp(),
        )
        .unwrap();
    for (d, n) in [("2023-09-04", 6), ("2023-09-11", 6), ("2023-09-18", 7)] {
        s.add_meeting(
            g.id,
            day(d),
            crate::store::test_support::attendance(n),
            &crate::store::test_support::stamp(),
        )
        .unwrap();
    }
    let got = s.group(g.id).unwrap();
    assert_eq!((got.meeting_count(), got.visits()), (Some(3), 19));
    let f = s
        .add_feedback(
            &crate::store::test_support::ok(
                (FeedbackEntry {
                    target: FeedbackTarget::Group(g.uid.clone()),
                    question: "Arvio ryhmästä".into(),
                    tally: Tally::Mean { mean: 4.9, n: 7 },
                })
                .clone(),
            ),
            &crate::store::test_support::stamp(),
        )
        .unwrap();
    assert_eq!(f.about, "Kaveritaitoryhmä");
    let list = s
        .groups_between(Some("perhe"), day("2023-01-01"), day("2023-12-31"))
        .unwrap();
    assert_eq!(list, [got]);
    assert!(matches!(
        s.add_meeting(
            GroupId(99),
            day("2023-09-04"),
            crate::store::test_support::attendance(1),
            &crate::store::test_support::stamp()
        ),
        Err(crate::store::StoreError::Event(EventError::NotFound {
            id: 99
        }))
    ));
    s.delete_group(g.id, &crate::store::test_support::stamp())
        .unwrap();
    let left: i64 = s
        .conn
        .query_row(
            "SELECT (SELECT count(*) FROM group_meetings) + (SELECT count(*) FROM feedback)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
}

#[test]
fn a_head_count_adds_to_the_session_and_the_year_and_can_be_taken_back() {
    let mut s = Store::open_in_memory().unwrap();
    let at = day("2023-11-14").and_hms_opt(10, 0, 0).unwrap();
    let h = s
        .log_head_count_for_tests("perhe", "Sinilähdetalo", at, 25)
        .unwrap();
    let session = s.session(h.session).unwrap();
    assert_eq!(session.visitors, 25);
    let year = s
        .session_stats(Some("perhe"), day("2023-01-01"), day("2023-11-14"))
        .unwrap();
    assert_eq!((year.sessions, year.visitors), (1, 25));
    assert_eq!(
        s.head_count_total(Some("perhe"), day("2023-11-01"), day("2023-11-30"))
            .unwrap(),
        25
    );
    assert!(
        !s.discard_empty_session(h.session, &crate::store::test_support::stamp())
            .unwrap(),
        "not empty"
    );
    s.delete_head_count(h.id, &crate::store::test_support::stamp())
        .unwrap();
    assert_eq!(s.session(h.session).unwrap().visitors, 0);
    assert!(s.head_counts_in(h.session).unwrap().is_empty());
}

#[test]
fn merged_head_counts_count_in_their_session_and_a_tombstone_takes_them_back() {
    use crate::store::{PeriodFilter, Record};
    let mut a = Store::open_in_memory().unwrap();
    let at = day("2023-11-14").and_hms_opt(10, 0, 0).unwrap();
    let h = a
        .log_head_count_for_tests("perhe", "Sinilähdetalo", at, 12)
        .unwrap();
    let filter = PeriodFilter::all(day("2023-11-01"), day("2023-11-30"));
    let data = a.period(&filter).unwrap();
    let heads = a.event_data(&filter).unwrap().head_counts;
    assert_eq!(heads.len(), 1);
    let mut records: Vec<Record> = data.sessions.into_iter().map(Record::Session).collect();
    records.extend(heads.into_iter().map(Record::HeadCount));
    let mut b = Store::open_in_memory().unwrap();
    let sum = b.merge(&records).unwrap();
    assert_eq!((sum.sessions_added, sum.others_added), (1, 1));
    let stats = b
        .session_stats(Some("perhe"), day("2023-11-14"), day("2023-11-14"))
        .unwrap();
    assert_eq!((stats.sessions, stats.visitors), (1, 12));
    // Merging again adds nothing.
    let again = b.merge(&records).unwrap();
    assert!(!again.changed());
    // The deletion travels.
    a.delete_head_count(h.id, &crate::store::test_support::stamp())
        .unwrap();
    let tombs: Vec<Record> = a
        .tombstones()
        .unwrap()
        .into_iter()
        .map(Record::Deleted)
        .collect();
    let sum = b.merge(&tombs).unwrap();
    assert_eq!(sum.others_deleted, 1);
    let stats = b
        .session_stats(Some("perhe"), day("2023-11-14"), day("2023-11-14"))
        .unwrap();
    assert_eq!(stats.visitors, 0);
    // And the deleted head-count does not come back with an old copy.
    let back = b.merge(&records).unwrap();
    assert_eq!(back.others_added, 0);
}

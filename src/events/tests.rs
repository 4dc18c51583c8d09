//! Tests of the events rules: validation, group sums, feedback tallies.

use super::*;

fn event(kind: &str, count: Option<u32>) -> EventEntry {
    EventEntry {
        profile: "perhe".into(),
        date: NaiveDate::from_ymd_opt(2023, 9, 21).unwrap(),
        title: "Syysfestarit".into(),
        kind: kind.into(),
        count,
        ..EventEntry::default()
    }
}

#[test]
fn an_event_needs_a_title_a_known_kind_and_a_count_unless_social_media() {
    let c = EventsConfig::default();
    assert_eq!(event("tapahtuma", Some(300)).validate(&c), Ok(()));
    assert_eq!(event("some", None).validate(&c), Ok(()));
    assert_eq!(
        event("some", Some(3)).validate(&c),
        Err(EventError::SomeWithCount)
    );
    assert!(matches!(
        event("tapahtuma", None).validate(&c),
        Err(EventError::NoCount { .. })
    ));
    assert!(matches!(
        event("juhla", Some(1)).validate(&c),
        Err(EventError::UnknownKind { .. })
    ));
    let mut e = event("luento", Some(COUNT_MAX + 1));
    assert!(matches!(e.validate(&c), Err(EventError::TooMany { .. })));
    e.count = Some(70);
    e.title = "  ".into();
    assert_eq!(e.validate(&c), Err(EventError::NoTitle));
    e.title = "a\u{7}b".into();
    assert!(matches!(
        e.validate(&c),
        Err(EventError::ControlChar { .. })
    ));
    // A bidi override, as import refuses it: it reorders what follows.
    e.title = "Joulu\u{202e}polku".into();
    assert!(matches!(
        e.validate(&c),
        Err(EventError::ControlChar { .. })
    ));
}

fn group(meetings: &[u32], paper: (Option<u32>, Option<u32>)) -> Group {
    Group {
        id: GroupId(1),
        uid: "g".into(),
        entry: GroupEntry {
            title: "Kaveritaitoryhmä".into(),
            paper_meetings: paper.0,
            paper_visits: paper.1,
            ..GroupEntry::default()
        },
        meetings: meetings
            .iter()
            .map(|&count| Meeting {
                uid: "m".into(),
                date: NaiveDate::from_ymd_opt(2023, 10, 2).unwrap(),
                count,
            })
            .collect(),
    }
}

#[test]
fn a_groups_visits_are_its_meetings_attendance_or_its_paper_total() {
    let g = group(&[6, 6, 7, 5, 6], (None, None));
    assert_eq!((g.meeting_count(), g.visits()), (Some(5), 30));
    let paper = group(&[], (Some(5), Some(30)));
    assert_eq!((paper.meeting_count(), paper.visits()), (Some(5), 30));
    let no_count = group(&[], (None, Some(30)));
    assert_eq!((no_count.meeting_count(), no_count.visits()), (None, 30));
    // Meetings entered win over the paper total.
    let both = group(&[4], (Some(5), Some(30)));
    assert_eq!((both.meeting_count(), both.visits()), (Some(1), 4));
}

#[test]
fn feedback_tallies_count_answers_and_means() {
    let yes_no = Tally::YesNo { yes: 50, no: 0 };
    assert_eq!((yes_no.answers(), yes_no.mean()), (50, None));
    let scale = Tally::Scale {
        counts: [0, 0, 0, 1, 6],
    };
    assert_eq!(scale.answers(), 7);
    assert!((scale.mean().unwrap() - 34.0 / 7.0).abs() < 1e-9);
    let entry = |tally| FeedbackEntry {
        target: FeedbackTarget::Event("e".into()),
        question: "Oliko tilaisuus hyödyllinen?".into(),
        tally,
    };
    assert_eq!(entry(yes_no).validate(), Ok(()));
    assert_eq!(
        entry(Tally::YesNo { yes: 0, no: 0 }).validate(),
        Err(EventError::NoAnswers)
    );
    assert!(matches!(
        entry(Tally::Mean { mean: 5.1, n: 7 }).validate(),
        Err(EventError::BadMean { .. })
    ));
    assert_eq!(entry(Tally::Mean { mean: 4.9, n: 7 }).validate(), Ok(()));
}

#[test]
fn a_head_count_is_at_least_one() {
    assert_eq!(check_head_count(0), Err(EventError::ZeroCount));
    assert_eq!(check_head_count(25), Ok(()));
    assert!(check_head_count(COUNT_MAX + 1).is_err());
}

//! The rota's slots: every other Tuesday from 10.1.2023, the ±30 minutes,
//! a period's slots, and how they went.

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn t(s: &str) -> ClockTime {
    ClockTime::try_from(s.to_string()).unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// The elderly desk of the seed: every other Tuesday 10–12 from 10.1.2023.
fn elderly() -> ScheduleRow {
    ScheduleRow {
        weekday: Day::Tue,
        every_weeks: 2,
        from: Some(d("2023-01-10")),
        start: t("10:00"),
        end: t("12:00"),
    }
}

#[test]
fn every_other_tuesday_from_the_first_session() {
    let r = elderly();
    assert!(r.occurs_on(d("2023-01-10")));
    assert!(!r.occurs_on(d("2023-01-17")), "the week between");
    assert!(r.occurs_on(d("2023-01-24")));
    assert!(r.occurs_on(d("2023-11-14")));
    assert!(!r.occurs_on(d("2023-11-15")), "a Wednesday");
    assert!(!r.occurs_on(d("2023-01-03")), "before the rota began");
    // 26 Tuesdays of 2023 from 10 January, every other one.
    let slots = slots_between(&[r], d("2023-01-01"), d("2023-12-31"));
    assert_eq!(slots.len(), 26);
    assert_eq!(slots[0].date, d("2023-01-10"));
    assert_eq!(slots[25].date, d("2023-12-26"));
}

#[test]
fn a_weekly_row_needs_no_start_date() {
    let r = ScheduleRow {
        weekday: Day::Wed,
        every_weeks: 1,
        from: None,
        start: t("12:00"),
        end: t("15:00"),
    };
    assert!(r.validate().is_ok());
    assert_eq!(
        slots_between(&[r], d("2023-11-01"), d("2023-11-30")).len(),
        5
    );
}

#[test]
fn a_moment_is_inside_a_slot_from_half_an_hour_before_to_half_an_hour_after() {
    let rows = [elderly()];
    for inside in ["2023-11-14 09:30", "2023-11-14 10:00", "2023-11-14 12:30"] {
        assert!(slot_at(&rows, at(inside)).is_some(), "{inside}");
    }
    for outside in ["2023-11-14 09:29", "2023-11-14 12:31", "2023-11-21 10:00"] {
        assert_eq!(slot_at(&rows, at(outside)), None, "{outside}");
    }
}

#[test]
fn rows_that_cannot_be_meant_are_refused() {
    let mut r = elderly();
    r.from = None;
    assert_eq!(r.validate(), Err(ScheduleProblem::NoFrom(2)));
    let mut r = elderly();
    r.from = Some(d("2023-01-11"));
    assert!(matches!(
        r.validate(),
        Err(ScheduleProblem::FromNotOnWeekday { .. })
    ));
    let mut r = elderly();
    r.every_weeks = 0;
    assert_eq!(r.validate(), Err(ScheduleProblem::ZeroWeeks));
    let mut r = elderly();
    r.end = t("10:00");
    assert!(matches!(
        r.validate(),
        Err(ScheduleProblem::EndNotAfterStart { .. })
    ));
    assert!(ClockTime::try_from("25:00".to_string()).is_err());
}

#[test]
fn slots_are_held_cancelled_or_not_recorded_day_by_day() {
    let slots = slots_between(&[elderly()], d("2023-01-01"), d("2023-02-28"));
    // 10.1, 24.1, 7.2, 21.2.
    assert_eq!(slots.len(), 4);
    let sessions = [
        d("2023-01-10"),
        d("2023-01-10"),
        d("2023-02-07"),
        d("2023-02-08"),
    ];
    let cancelled = [d("2023-01-24")];
    let c = SlotCounts::count(&slots, &sessions, &cancelled);
    assert_eq!(
        c,
        SlotCounts {
            scheduled: 4,
            held: 2,
            cancelled: 1,
            not_recorded: 1,
            outside_rota: 2,
            since: None,
        }
    );
    assert_eq!(c.held + c.cancelled + c.not_recorded, c.scheduled);
}

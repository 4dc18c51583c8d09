//! State tests of head-counts on the duty screen.

use chrono::NaiveDateTime;

use crate::app::{Action, App, Duty, Modal};
use crate::store::Store;
use crate::text::input::Edit;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn app(profile: &str, now: &str) -> App {
    App::opening(Store::open_in_memory().unwrap(), at(now))
        .profile(profile)
        .open()
        .unwrap()
}

fn duty(app: &App) -> &Duty {
    app.duty.as_ref().expect("on the duty screen")
}

fn run(app: &mut App, actions: &[Action]) {
    for a in actions {
        app.update(a.clone());
    }
}

fn head_count(n: &str) -> Vec<Action> {
    let mut v = vec![Action::HeadCount];
    v.extend(n.chars().map(|c| Action::Edit(Edit::Insert(c))));
    v.push(Action::HeadCountCommit);
    v
}

#[test]
fn plus_a_number_and_enter_add_visitors_at_once_apart_from_the_visits() {
    // Off the rota (the family desk has none): nothing is written before.
    let mut a = app("perhe", "2023-11-16 09:30");
    assert!(duty(&a).pending);
    run(&mut a, &head_count("25"));
    let d = duty(&a);
    assert!(!d.pending, "the head-count opened the session");
    assert!(d.modal.is_none());
    assert_eq!(d.counters.session, 25);
    assert_eq!(d.counters.today, 25);
    assert_eq!(
        (d.counters.year.sessions, d.counters.year.visitors),
        (1, 25)
    );
    assert!(d.today.is_empty(), "no itemised visit");
    assert_eq!(d.head_counts.len(), 1);
    assert_eq!(d.head_counts[0].n, 25);
    assert!(a.status.as_ref().unwrap().text.contains("25 kävijää"));
    // A visit then: both in the session's visitors.
    run(&mut a, &[Action::ToggleTopic(0), Action::Save]);
    let d = duty(&a);
    assert_eq!(d.counters.session, 26);
    assert_eq!(d.today.len(), 1);
    assert_eq!(a.store.session(d.session.id).unwrap().visitors, 26);
}

#[test]
fn a_zero_or_an_empty_number_is_refused_and_letters_are_not_taken() {
    let mut a = app("perhe", "2023-11-16 09:30");
    run(&mut a, &head_count("0"));
    assert!(a.status.as_ref().unwrap().error);
    assert!(
        matches!(duty(&a).modal, Some(Modal::HeadCount(_))),
        "still open"
    );
    assert!(duty(&a).pending, "nothing written");
    run(
        &mut a,
        &[
            Action::Edit(Edit::Backspace),
            Action::Edit(Edit::Insert('x')),
            Action::Edit(Edit::Insert('7')),
        ],
    );
    assert!(
        matches!(&duty(&a).modal, Some(Modal::HeadCount(t)) if t.value() == "7"),
        "{:?}",
        duty(&a).modal
    );
    run(&mut a, &[Action::ClosePicker]);
    assert!(duty(&a).modal.is_none());
    assert_eq!(duty(&a).counters.session, 0);
}

#[test]
fn undo_takes_back_the_later_of_a_head_count_and_a_visit() {
    let mut a = app("ikaihmiset", "2023-11-14 10:00");
    run(&mut a, &[Action::ToggleTopic(0), Action::Save]);
    a.update(Action::Tick(crate::clock::Now::at(at("2023-11-14 10:05"))));
    run(&mut a, &head_count("12"));
    assert_eq!(duty(&a).counters.session, 13);
    a.update(Action::Undo);
    assert_eq!(duty(&a).counters.session, 1, "the head-count went first");
    assert!(duty(&a).head_counts.is_empty());
    assert!(a.status.as_ref().unwrap().text.contains("12 kävijää"));
    a.update(Action::Undo);
    assert_eq!(duty(&a).counters.session, 0, "then the visit");
    let tombstones = a.store.tombstones().unwrap();
    assert_eq!(tombstones.len(), 2, "both leave a tombstone");
}

#[test]
fn the_day_tally_counts_head_counts_in_its_visitors() {
    let mut a = app("perhe", "2023-11-16 09:30");
    run(&mut a, &head_count("25"));
    run(&mut a, &[Action::ToggleTopic(4), Action::Save]);
    let p = a.config.profiles["perhe"].clone();
    let t = a.store.day_tally(&p, a.now.date()).unwrap();
    assert_eq!((t.visitors, t.head_counts, t.sessions), (26, 25, 1));
    assert_eq!(t.topics["vanhemmuus"], 1);
    assert_eq!(t.fields["contact_from"]["unrecorded"], 1);
}

#[test]
fn a_damaged_file_takes_no_head_count() {
    let mut a = app("perhe", "2023-11-16 09:30");
    a.read_only = Some(vec!["page 3 is damaged".into()]);
    run(&mut a, &head_count("25"));
    assert!(a.status.as_ref().unwrap().error);
    assert!(duty(&a).pending, "no session written");
    assert!(
        a.store
            .head_count_total(None, a.now.date(), a.now.date())
            .unwrap()
            == 0
    );
}

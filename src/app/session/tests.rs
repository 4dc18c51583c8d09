//! State tests of what counts as a held session, cancelling, midnight and
//! undo: an `App` on an in-memory store, actions in, the store's figures out.

use chrono::{NaiveDate, NaiveDateTime};

use crate::app::{Action, App, Confirm, Modal};
use crate::domain::VisitEntry;
use crate::store::Store;
use crate::voucher::Cents;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The elderly desk's rota: every other Tuesday 10–12 from 10.1.2023, so
/// 14.11.2023 is a duty day and 15.11.2023 is not.
fn open(store: Store, now: &str) -> App {
    App::opening(store, at(now))
        .profile("ikaihmiset")
        .open()
        .unwrap()
}

fn year_sessions(store: &Store) -> (u32, u32) {
    let y = store
        .session_stats(Some("ikaihmiset"), day("2023-01-01"), day("2023-12-31"))
        .unwrap();
    (y.sessions, y.visitors)
}

fn run(app: &mut App, actions: &[Action]) {
    for a in actions {
        app.update(a.clone());
    }
}

fn save_one(app: &mut App) {
    run(app, &[Action::ToggleTopic(0), Action::Save]);
    assert!(!app.status.as_ref().unwrap().error, "{:?}", app.status);
}

#[test]
fn opening_and_quitting_off_the_rota_writes_no_session() {
    let mut a = open(Store::open_in_memory().unwrap(), "2023-11-15 10:00");
    let d = a.duty.as_ref().unwrap();
    assert!(d.pending && !d.opens);
    assert_eq!(
        d.counters.year.sessions, 0,
        "the header's mean does not count it"
    );
    a.update(Action::Quit);
    a.shutdown().unwrap();
    assert_eq!(year_sessions(&a.store), (0, 0));
}

#[test]
fn opening_inside_a_slot_holds_the_session_even_if_nobody_comes() {
    // 9.35 is within the half hour before 10.00.
    let mut a = open(Store::open_in_memory().unwrap(), "2023-11-14 09:35");
    assert!(!a.duty.as_ref().unwrap().pending);
    assert_eq!(year_sessions(&a.store), (1, 0));
    a.update(Action::Quit);
    a.shutdown().unwrap();
    assert_eq!(year_sessions(&a.store), (1, 0), "held with zero visitors");
    let s = &a.store.sessions_on(None, day("2023-11-14")).unwrap()[0];
    assert!(s.ended_at.is_some());
}

#[test]
fn off_the_rota_the_first_visit_or_s_starts_the_session() {
    let mut a = open(Store::open_in_memory().unwrap(), "2023-11-15 14:00");
    save_one(&mut a);
    assert_eq!(year_sessions(&a.store), (1, 1));
    assert_eq!(a.duty.as_ref().unwrap().counters.session, 1);

    let mut b = open(Store::open_in_memory().unwrap(), "2023-11-15 14:00");
    b.update(Action::NewSession);
    let d = b.duty.as_ref().unwrap();
    assert_eq!(d.modal, Some(Modal::Confirm(Confirm::StartSession)));
    b.update(Action::Answer(true));
    assert_eq!(year_sessions(&b.store), (1, 0));
    assert!(!b.duty.as_ref().unwrap().pending);
}

#[test]
fn a_slot_that_begins_while_the_screen_is_open_opens_its_session() {
    let mut a = open(Store::open_in_memory().unwrap(), "2023-11-14 08:00");
    assert_eq!(year_sessions(&a.store), (0, 0));
    a.update(Action::Tick(crate::clock::Now::at(at("2023-11-14 09:31"))));
    assert_eq!(year_sessions(&a.store), (1, 0));
}

#[test]
fn a_cancelled_day_does_not_count_and_a_held_one_cannot_be_cancelled() {
    let mut a = open(Store::open_in_memory().unwrap(), "2023-11-14 10:00");
    assert_eq!(year_sessions(&a.store), (1, 0));
    a.update(Action::CancelDay);
    assert_eq!(
        a.duty.as_ref().unwrap().modal,
        Some(Modal::Confirm(Confirm::CancelDay))
    );
    a.update(Action::Answer(true));
    assert_eq!(year_sessions(&a.store), (0, 0));
    let c = a
        .store
        .cancellations(Some("ikaihmiset"), day("2023-11-14"), day("2023-11-14"))
        .unwrap();
    assert_eq!(c.len(), 1);
    // Quitting now writes nothing back.
    a.shutdown().unwrap();
    assert_eq!(year_sessions(&a.store), (0, 0));

    let mut b = open(Store::open_in_memory().unwrap(), "2023-11-14 10:00");
    save_one(&mut b);
    b.update(Action::CancelDay);
    assert!(b.duty.as_ref().unwrap().modal.is_none(), "not even asked");
    assert!(b.status.as_ref().unwrap().error);
    assert_eq!(year_sessions(&b.store), (1, 1));

    // A day off the rota has no duty to cancel.
    let mut c = open(Store::open_in_memory().unwrap(), "2023-11-15 10:00");
    c.update(Action::CancelDay);
    assert!(c.duty.as_ref().unwrap().modal.is_none());
    assert!(c.status.as_ref().unwrap().error);
}

#[test]
fn past_midnight_the_day_and_the_session_move_on() {
    let mut a = open(Store::open_in_memory().unwrap(), "2023-11-15 23:50");
    save_one(&mut a);
    assert_eq!(a.duty.as_ref().unwrap().today.len(), 1);
    a.update(Action::Tick(crate::clock::Now::at(at("2023-11-16 00:05"))));
    let d = a.duty.as_ref().unwrap();
    assert!(d.today.is_empty(), "Tänään is the new day");
    assert_eq!((d.counters.session, d.counters.today), (0, 0));
    save_one(&mut a);
    let old = &a.store.sessions_on(None, day("2023-11-15")).unwrap()[0];
    assert_eq!(
        old.ended_at,
        Some(at("2023-11-15 23:59") + chrono::TimeDelta::seconds(59))
    );
    assert_eq!(old.visitors, 1);
    let new = &a.store.sessions_on(None, day("2023-11-16")).unwrap()[0];
    assert_eq!((new.visitors, new.date), (1, day("2023-11-16")));
}

#[test]
fn undo_takes_back_only_this_runs_visits_within_ten_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiski.db");
    let mut a = open(Store::open(&path).unwrap(), "2023-11-14 10:00");
    save_one(&mut a);
    // Another program logs a visit into the same session.
    let mut shell = Store::open(&path).unwrap();
    let s = shell
        .session_for_log("ikaihmiset", "Kirjasto", at("2023-11-14 10:02"))
        .unwrap();
    let entry = VisitEntry {
        topics: vec!["sote".into()],
        ..VisitEntry::default()
    };
    shell
        .add_visit(s.id, at("2023-11-14 10:02"), &entry)
        .unwrap();
    a.update(Action::Tick(crate::clock::Now::at(at("2023-11-14 10:03"))));
    a.update(Action::Undo);
    assert_eq!(
        year_sessions(&a.store),
        (1, 1),
        "the other program's visit stays"
    );
    assert_eq!(
        shell.visits_on(None, day("2023-11-14")).unwrap()[0]
            .entry
            .topics,
        ["sote"]
    );
    a.update(Action::Undo);
    assert!(
        a.status.as_ref().unwrap().error,
        "nothing more of this run's"
    );
    // Too old: saved at 10.05, undo at 10.16.
    // By the monotonic clock: the wall clock is set back meanwhile.
    let saved = crate::clock::Now::at(at("2023-11-14 10:05"));
    a.update(Action::Tick(saved));
    save_one(&mut a);
    a.update(Action::Tick(crate::clock::Now {
        mono: saved.mono + std::time::Duration::from_secs(11 * 60),
        ..crate::clock::Now::at(at("2023-11-14 10:04"))
    }));
    a.update(Action::Undo);
    assert!(a.status.as_ref().unwrap().error);
    assert_eq!(year_sessions(&a.store), (1, 2));
    a.shutdown().unwrap();
    drop(a);
    // A restart undoes nothing of the earlier run.
    let mut b = open(Store::open(&path).unwrap(), "2023-11-14 10:17");
    b.update(Action::Undo);
    assert!(b.status.as_ref().unwrap().error);
    assert_eq!(year_sessions(&b.store), (1, 2));
}

#[test]
fn a_visit_whose_voucher_is_used_cannot_be_undone_or_deleted() {
    let mut a = open(Store::open_in_memory().unwrap(), "2023-11-14 10:00");
    // Issue a voucher by keys (form, product 1, save), close the notice.
    for c in ['v', '1'] {
        let key =
            ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char(c));
        let action = crate::keymap::map(&a, key).unwrap();
        a.update(action);
    }
    let enter =
        ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Enter);
    let action = crate::keymap::map(&a, enter).unwrap();
    a.update(action);
    a.update(Action::Voucher(crate::app::VoucherAction::CloseNotice));
    let number = a
        .duty
        .as_ref()
        .unwrap()
        .vouchers
        .by_visit
        .values()
        .next()
        .cloned()
        .unwrap();
    a.store
        .use_voucher(
            &number,
            Cents(2000),
            day("2023-11-14"),
            Some("Kenkä Oy"),
            &crate::store::test_support::stamp(),
        )
        .unwrap();
    a.update(Action::Undo);
    assert!(a.status.as_ref().unwrap().error);
    assert!(a.duty.as_ref().unwrap().modal.is_none());
    assert_eq!(year_sessions(&a.store), (1, 1), "the visit stays");
    // Nor from the list, where it is said before asking.
    run(&mut a, &[Action::ToggleFocus, Action::DeleteSelected]);
    assert!(a.status.as_ref().unwrap().error);
    assert!(a.duty.as_ref().unwrap().modal.is_none());
    assert_eq!(year_sessions(&a.store), (1, 1));
    assert_eq!(
        a.store.voucher_by_number(&number).unwrap().stored_status,
        crate::voucher::Status::Used
    );
}

/// `P` switches profile inside the duty screen: the old profile's session
/// closes as on quit, an unsaved form stays as its draft and comes back
/// when the profile is chosen again; Esc in the chooser returns to it
/// (issue 15, item 9).
#[test]
fn switching_profile_closes_the_session_and_keeps_the_form() {
    use crate::app::View;
    let mut a = open(Store::open_in_memory().unwrap(), "2023-11-14 10:05");
    save_one(&mut a);
    let session = a.duty.as_ref().unwrap().session.id;
    // A ticked topic not yet saved.
    a.update(Action::ToggleTopic(1));
    a.update(Action::Tick(crate::clock::Now::at(at("2023-11-14 10:20"))));
    a.update(Action::SwitchProfile);
    assert_eq!(a.view, View::Chooser);
    assert!(a.duty.is_none());
    assert_eq!(a.switched_from, Some(0));
    let s = a.store.session(session).unwrap();
    assert_eq!(
        s.ended_at,
        Some(at("2023-11-14 10:20")),
        "closed as on quit"
    );
    assert!(
        a.store.draft("ikaihmiset").unwrap().is_some(),
        "the form is kept"
    );
    // Another profile, then back by Esc after another `P`.
    a.update(Action::ChooseProfile(1));
    assert_eq!(a.duty.as_ref().unwrap().profile.id, "kotouttaminen");
    a.update(Action::SwitchProfile);
    assert_eq!(a.switched_from, Some(1));
    use ratatui::crossterm::event::{KeyCode, KeyEvent};
    let key = |a: &App, code| crate::keymap::map(a, KeyEvent::from(code));
    assert_eq!(
        key(&a, KeyCode::Esc),
        Some(Action::ChooseProfile(1)),
        "Esc: back"
    );
    assert_eq!(key(&a, KeyCode::Char('q')), Some(Action::Quit));
    assert_eq!(key(&a, KeyCode::Char('1')), Some(Action::ChooseProfile(0)));
    a.update(Action::ChooseProfile(0));
    let d = a.duty.as_ref().unwrap();
    assert_eq!(d.profile.id, "ikaihmiset");
    assert!(
        matches!(d.modal, Some(Modal::Confirm(Confirm::RestoreDraft(_)))),
        "the unsaved form is offered back: {:?}",
        d.modal
    );
    // A visit being edited is finished first.
    let mut b = open(Store::open_in_memory().unwrap(), "2023-11-14 10:05");
    save_one(&mut b);
    run(
        &mut b,
        &[
            Action::ToggleFocus,
            Action::EditSelected,
            Action::SwitchProfile,
        ],
    );
    assert_eq!(b.view, View::Duty);
    assert!(b.status.as_ref().unwrap().error);
}

//! State tests of the note's identity refusal and the day's purge message.

use chrono::NaiveDateTime;

use crate::app::{Action, App, Confirm, Modal, VoucherAction};
use crate::domain::VisitEntry;
use crate::store::Store;
use crate::store::maintenance::DailyCheck;
use crate::store::privacy::PurgeReport;
use crate::text::input::Edit;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn app_on(store: Store) -> App {
    App::opening(store, at("2023-11-14 10:00"))
        .profile("ikaihmiset")
        .open()
        .unwrap()
}

fn app() -> App {
    app_on(Store::open_in_memory().unwrap())
}

fn type_note(a: &mut App, text: &str) {
    a.update(Action::EditNote);
    for c in text.chars() {
        a.update(Action::Edit(Edit::Insert(c)));
    }
}

fn note_modal(a: &App) -> Option<&str> {
    match &a.duty.as_ref()?.modal {
        Some(Modal::Note(t)) => Some(t.value()),
        _ => None,
    }
}

fn status(a: &App) -> (String, bool) {
    let s = a.status.as_ref().expect("a status line");
    (s.text.clone(), s.error)
}

fn saved(a: &App) -> u32 {
    a.duty.as_ref().unwrap().counters.session
}

#[test]
fn enter_refuses_a_note_with_an_identity_and_keeps_the_editor_open() {
    let mut a = app();
    type_note(&mut a, "Kysyi Kelasta, hetu 131052-308T");
    a.update(Action::NoteCommit);
    assert_eq!(note_modal(&a), Some("Kysyi Kelasta, hetu 131052-308T"));
    let (text, error) = status(&a);
    assert!(error);
    assert!(
        text.contains("henkilötunnus (merkki 21: 131052-****)"),
        "{text}"
    );
    assert!(!text.contains("308T"), "the code is not repeated whole");
    assert_eq!(a.duty.as_ref().unwrap().form.note, "", "not on the form");
    // Removed, the note is taken and the refusal goes.
    for _ in 0.."hetu 131052-308T".len() {
        a.update(Action::Edit(Edit::Backspace));
    }
    a.update(Action::NoteCommit);
    assert_eq!(note_modal(&a), None);
    assert_eq!(a.duty.as_ref().unwrap().form.note, "Kysyi Kelasta, ");
    assert!(a.status.is_none());
}

#[test]
fn phones_and_addresses_are_refused_and_a_wrong_checksum_passes() {
    let mut a = app();
    type_note(&mut a, "soita 040 123 4567 tai matti@esimerkki.fi");
    a.update(Action::NoteCommit);
    let (text, _) = status(&a);
    assert!(
        text.contains("puhelinnumero (merkki 7: 040 *** ****) ja sähköpostiosoite (merkki 24: m***@esimerkki.fi)"),
        "{text}"
    );
    assert!(text.contains("Poista ne"), "{text}");
    a.update(Action::NoteCancel);
    type_note(&mut a, "viite 131052-308U");
    a.update(Action::NoteCommit);
    assert_eq!(note_modal(&a), None, "a wrong check character is no code");
    a.update(Action::ToggleTopic(0));
    a.update(Action::Save);
    assert_eq!(saved(&a), 1);
}

#[test]
fn a_restored_draft_holding_an_identity_is_not_saved_and_stays_on_the_form() {
    let mut store = Store::open_in_memory().unwrap();
    let entry = VisitEntry {
        topics: vec!["sote".into()],
        note: "tytär 040 765 4321".into(),
        ..Default::default()
    };
    store
        .save_draft("ikaihmiset", &entry, at("2023-11-14 09:50"))
        .unwrap();
    let mut a = app_on(store);
    assert!(matches!(
        a.duty.as_ref().unwrap().modal,
        Some(Modal::Confirm(Confirm::RestoreDraft(_)))
    ));
    a.update(Action::Answer(true));
    a.update(Action::Save);
    assert_eq!(saved(&a), 0);
    let (text, error) = status(&a);
    assert!(
        error && text.starts_with("Käyntiä ei tallennettu"),
        "{text}"
    );
    assert!(text.contains("(n)"), "says how to correct it: {text}");
    let form = &a.duty.as_ref().unwrap().form;
    assert_eq!(
        (form.topics.clone(), form.note.as_str()),
        (vec!["sote".to_string()], "tytär 040 765 4321")
    );
}

#[test]
fn an_old_visit_holding_an_identity_is_not_saved_again_until_corrected() {
    // A note that came in before the check existed (an SQLite tool, an old tiski).
    let mut store = Store::open_in_memory().unwrap();
    let (session, _) = store
        .open_session("ikaihmiset", "Kirjasto", at("2023-11-14 09:50"))
        .unwrap();
    let e = VisitEntry {
        topics: vec!["sote".into()],
        note: "posti anna@esimerkki.fi".into(),
        ..Default::default()
    };
    store
        .add_visit(session.id, at("2023-11-14 09:55"), &e)
        .unwrap();
    let mut a = app_on(store);
    a.update(Action::ToggleFocus);
    a.update(Action::EditSelected);
    assert!(a.duty.as_ref().unwrap().editing.is_some());
    a.update(Action::ToggleTopic(1));
    a.update(Action::Save);
    assert!(status(&a).1, "refused");
    assert!(a.duty.as_ref().unwrap().editing.is_some(), "still editing");
    let stored = a.store.visits_on(None, a.now.date()).unwrap();
    assert_eq!(stored[0].entry.topics.len(), 1, "nothing written");
    a.update(Action::EditNote);
    for _ in 0.."anna@esimerkki.fi".len() {
        a.update(Action::Edit(Edit::Backspace));
    }
    a.update(Action::NoteCommit);
    a.update(Action::Save);
    assert!(!status(&a).1, "{:?}", a.status);
    let stored = a.store.visits_on(None, a.now.date()).unwrap();
    assert_eq!(stored[0].entry.note, "posti ");
    assert_eq!(stored[0].entry.topics.len(), 2);
}

#[test]
fn a_voucher_from_a_form_whose_note_holds_an_identity_is_not_issued() {
    let mut a = app();
    a.update(Action::ToggleTopic(0));
    a.duty.as_mut().unwrap().form.note = "hetu 131052-308T".into();
    a.update(Action::Voucher(VoucherAction::Open));
    a.update(Action::Voucher(VoucherAction::Product(0)));
    a.update(Action::Voucher(VoucherAction::Submit));
    assert_eq!(saved(&a), 0);
    let Some(Modal::Voucher(form)) = &a.duty.as_ref().unwrap().modal else {
        panic!("the voucher form stays open");
    };
    let error = form.error.clone().unwrap_or_default();
    assert!(error.contains("131052-****"), "{error}");
}

#[test]
fn the_days_purge_is_reported_and_a_failed_one_is_tried_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app_on(Store::open(&dir.path().join("tiski.db")).unwrap());
    let today = a.now.date();
    let mut report = PurgeReport::default();
    report.database.cleared.notes = 3;
    a.update(Action::DailyCheck(DailyCheck {
        problems: vec![],
        backup: Ok(dir.path().join("b.db")),
        purge: Ok(report),
    }));
    let (text, error) = status(&a);
    assert!(!error);
    assert_eq!(text, "Säilytysaika: poistettiin 3 huomiota.");
    assert!(!crate::app::daily_check_due(&a.store, today));

    let mut b = app_on(Store::open(&dir.path().join("other.db")).unwrap());
    b.update(Action::DailyCheck(DailyCheck {
        problems: vec![],
        backup: Err(String::new()),
        purge: Err("database is locked".into()),
    }));
    let (text, error) = status(&b);
    assert!(error && text.contains("database is locked"), "{text}");
    assert!(text.contains("tiski purge --due"), "{text}");
    assert!(
        crate::app::daily_check_due(&b.store, today),
        "not marked done"
    );
    assert!(!b.duty.as_ref().unwrap().pending, "writing goes on");
}

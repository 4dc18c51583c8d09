//! State tests: build an `App` on an in-memory store, apply actions, assert.

use chrono::NaiveDateTime;

use super::*;
use crate::config::Config;
use crate::domain::NOTE_MAX_CHARS;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn app(profile: Option<&str>) -> App {
    let store = Store::open_in_memory().unwrap();
    App::opening(store, at("2023-11-14 10:00"))
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

#[test]
fn first_run_without_profile_opens_the_chooser_then_remembers() {
    let mut a = app(None);
    assert_eq!(a.view, View::Chooser);
    assert!(a.duty.is_none());
    a.update(Action::ChooseProfile(1));
    assert_eq!(a.view, View::Duty);
    assert_eq!(duty(&a).profile.id, "kotouttaminen");
    assert_eq!(duty(&a).session.location, "HeiMo-kahvila");
    // The next start opens the same profile straight away.
    let App { store, .. } = a;
    let again = App::opening(store, at("2023-11-14 11:00")).open().unwrap();
    assert_eq!(again.view, View::Duty);
    assert_eq!(duty(&again).profile.id, "kotouttaminen");
}

#[test]
fn two_digits_and_enter_save_a_visit_and_move_the_counters() {
    let mut a = app(Some("ikaihmiset"));
    assert_eq!(duty(&a).counters.session, 0);
    assert_eq!(
        duty(&a).counters.year.sessions,
        1,
        "the open session counts"
    );
    run(
        &mut a,
        &[Action::ToggleTopic(1), Action::ToggleTopic(5), Action::Save],
    );
    let d = duty(&a);
    assert_eq!(d.counters.session, 1);
    assert_eq!(d.counters.today, 1);
    assert_eq!(d.counters.year.mean(), Some(1.0));
    assert_eq!(d.today.len(), 1);
    assert_eq!(d.today[0].entry.topics, ["digituki", "liukuesteet"]);
    assert!(d.form.topics.is_empty(), "topics reset after saving");
    let status = a.status.as_ref().unwrap();
    assert!(!status.error);
    assert_eq!(status.text, a.texts().saved("10.00"));
}

#[test]
fn enter_without_a_topic_says_why_and_saves_nothing() {
    let mut a = app(Some("ikaihmiset"));
    a.update(Action::Save);
    assert!(a.status.as_ref().unwrap().error);
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .contains(a.texts().need_topic())
    );
    assert_eq!(duty(&a).counters.session, 0);
}

#[test]
fn sticky_fields_keep_their_value_and_the_rest_reset() {
    let mut a = app(Some("ikaihmiset"));
    let channel = duty(&a)
        .profile
        .fields
        .iter()
        .position(|f| f.key == "channel")
        .unwrap();
    let age = duty(&a)
        .profile
        .fields
        .iter()
        .position(|f| f.key == "age_band")
        .unwrap();
    assert_eq!(duty(&a).form.fields["channel"], "paikan_paalla", "default");
    run(
        &mut a,
        &[
            Action::Open(PickerKind::Field(channel)),
            Action::Pick(1),
            Action::Open(PickerKind::Field(age)),
            Action::Pick(2),
            Action::Open(PickerKind::Referral),
            Action::Pick(0),
            Action::ToggleTopic(0),
            Action::Save,
        ],
    );
    let d = duty(&a);
    let saved = &d.today[0].entry;
    assert_eq!(saved.fields["channel"], "puhelin");
    assert_eq!(saved.fields["age_band"], "75_84");
    assert_eq!(saved.referral.as_deref(), Some("hva"));
    assert_eq!(
        d.form.fields.get("channel").map(String::as_str),
        Some("puhelin")
    );
    assert_eq!(d.form.fields.get("age_band"), None);
    assert_eq!(d.form.referral, None);
}

#[test]
fn a_picker_can_clear_a_field_and_more_topics_toggle_in_place() {
    let mut a = app(Some("ikaihmiset"));
    run(
        &mut a,
        &[Action::Open(PickerKind::Field(0)), Action::ClearPick],
    );
    assert_eq!(duty(&a).form.fields.get("channel"), None);
    assert_eq!(duty(&a).modal, None);
    run(
        &mut a,
        &[
            Action::Open(PickerKind::MoreTopics),
            Action::Pick(0),
            Action::Pick(2),
        ],
    );
    assert_eq!(
        duty(&a).modal,
        Some(Modal::Picker(PickerKind::MoreTopics)),
        "stays open"
    );
    assert_eq!(duty(&a).form.topics, ["omaishoito", "muu"]);
    run(
        &mut a,
        &[Action::ClosePicker, Action::ToggleTopic(0), Action::Save],
    );
    assert_eq!(
        duty(&a).today[0].entry.topics,
        ["sote", "omaishoito", "muu"]
    );
}

#[test]
fn undo_removes_only_this_sessions_last_visit() {
    let mut a = app(Some("ikaihmiset"));
    run(
        &mut a,
        &[
            Action::ToggleTopic(0),
            Action::Save,
            Action::ToggleTopic(1),
            Action::Save,
        ],
    );
    a.update(Action::Undo);
    assert_eq!(
        a.status.as_ref().unwrap().text,
        "Klo 10.00 käynti kumottu (Digituki)"
    );
    assert_eq!(duty(&a).counters.session, 1);
    assert_eq!(duty(&a).today[0].entry.topics, ["sote"]);
    a.update(Action::Undo);
    a.update(Action::Undo);
    assert!(a.status.as_ref().unwrap().error, "nothing left to undo");
    assert_eq!(duty(&a).counters.session, 0);
}

#[test]
fn a_visit_can_be_edited_from_the_list_and_the_form_comes_back() {
    let mut a = app(Some("ikaihmiset"));
    run(
        &mut a,
        &[Action::ToggleTopic(0), Action::Save, Action::ToggleTopic(4)],
    );
    run(&mut a, &[Action::Down, Action::EditSelected]);
    assert!(duty(&a).editing.is_some());
    assert_eq!(duty(&a).form.topics, ["sote"]);
    run(&mut a, &[Action::ToggleTopic(1), Action::Save]);
    let d = duty(&a);
    assert!(d.editing.is_none());
    assert_eq!(d.today[0].entry.topics, ["sote", "digituki"]);
    assert_eq!(d.counters.session, 1, "editing adds no visit");
    assert_eq!(
        d.form.topics,
        ["kadut_infra"],
        "the unsaved new visit is back"
    );
    // Esc cancels an edit without saving.
    run(
        &mut a,
        &[
            Action::Down,
            Action::EditSelected,
            Action::ToggleTopic(8),
            Action::Back,
        ],
    );
    assert_eq!(duty(&a).today[0].entry.topics, ["sote", "digituki"]);
    assert_eq!(duty(&a).form.topics, ["kadut_infra"]);
}

#[test]
fn deleting_asks_first() {
    let mut a = app(Some("ikaihmiset"));
    run(
        &mut a,
        &[
            Action::ToggleTopic(0),
            Action::Save,
            Action::Down,
            Action::DeleteSelected,
        ],
    );
    assert!(matches!(
        duty(&a).modal,
        Some(Modal::Confirm(Confirm::Delete(_)))
    ));
    a.update(Action::Answer(false));
    assert_eq!(duty(&a).today.len(), 1);
    run(&mut a, &[Action::DeleteSelected, Action::Answer(true)]);
    assert!(duty(&a).today.is_empty());
    assert_eq!(duty(&a).counters.session, 0);
}

#[test]
fn note_is_typed_committed_and_capped() {
    let mut a = app(Some("ikaihmiset"));
    a.update(Action::EditNote);
    for c in "tulostin".chars() {
        a.update(Action::Edit(Edit::Insert(c)));
    }
    a.update(Action::Edit(Edit::Backspace));
    a.update(Action::NoteCommit);
    assert_eq!(duty(&a).form.note, "tulosti");
    a.update(Action::EditNote);
    a.update(Action::Edit(Edit::Insert('x')));
    a.update(Action::NoteCancel);
    assert_eq!(duty(&a).form.note, "tulosti", "Esc keeps the old note");
    a.update(Action::EditNote);
    for _ in 0..NOTE_MAX_CHARS + 5 {
        a.update(Action::Edit(Edit::Insert('y')));
    }
    assert!(a.status.as_ref().unwrap().error);
    a.update(Action::NoteCommit);
    assert_eq!(duty(&a).form.note.chars().count(), NOTE_MAX_CHARS);
}

#[test]
fn a_long_paste_goes_into_the_note_capped_and_never_acts_as_keys() {
    let mut a = app(Some("ikaihmiset"));
    let paste = "q\n🧊\u{202e}".repeat(2_500); // 10,000 characters
    a.update(Action::Paste(paste.clone()));
    assert!(!a.quit);
    assert!(
        a.status.as_ref().unwrap().error,
        "outside the note it is refused"
    );
    a.update(Action::EditNote);
    a.update(Action::Paste(paste.clone()));
    assert_eq!(
        a.status.as_ref().unwrap().text,
        a.texts().note_too_long(10_000, NOTE_MAX_CHARS)
    );
    a.update(Action::NoteCommit);
    let note = duty(&a).form.note.clone();
    assert_eq!(note.chars().count(), NOTE_MAX_CHARS);
    // A note is one line of plain text: the paste's line ends and
    // direction overrides became spaces, the rest is kept as it was.
    assert!(
        paste
            .replace(['\n', '\u{202e}'], " ")
            .starts_with(note.as_str()),
        "kept character for character"
    );
    run(&mut a, &[Action::ToggleTopic(0), Action::Save]);
    assert_eq!(duty(&a).today[0].entry.note, note);
}

#[test]
fn changing_place_right_away_drops_the_empty_session() {
    let mut a = app(Some("ikaihmiset"));
    let first = duty(&a).session.uid.clone();
    run(
        &mut a,
        &[Action::Open(PickerKind::Location), Action::Pick(1)],
    );
    assert_eq!(duty(&a).session.location, "Spot");
    assert_eq!(
        duty(&a).counters.year.sessions,
        1,
        "the mistaken session is gone"
    );
    let left = a.store.sessions_on(None, a.now.date()).unwrap();
    assert_eq!(left.len(), 1);
    assert_ne!(left[0].uid, first);
    // With a visit saved, moving keeps the session.
    run(&mut a, &[Action::ToggleTopic(0), Action::Save]);
    run(
        &mut a,
        &[Action::Open(PickerKind::Location), Action::Pick(0)],
    );
    assert_eq!(duty(&a).session.location, "Kirjasto");
    assert_eq!(duty(&a).counters.year.sessions, 2);
    assert_eq!(duty(&a).counters.today, 1);
    assert_eq!(duty(&a).counters.session, 0);
}

#[test]
fn a_new_session_is_confirmed_and_counts_in_the_average() {
    let mut a = app(Some("ikaihmiset"));
    run(
        &mut a,
        &[
            Action::ToggleTopic(0),
            Action::Save,
            Action::ToggleTopic(0),
            Action::Save,
        ],
    );
    run(&mut a, &[Action::NewSession, Action::Answer(true)]);
    let d = duty(&a);
    assert_eq!(d.counters.session, 0);
    assert_eq!(d.counters.today, 2);
    assert_eq!(
        d.counters.year.mean(),
        Some(1.0),
        "2 visitors over 2 sessions"
    );
}

#[test]
fn quitting_with_an_unsaved_visit_asks_first() {
    let mut a = app(Some("ikaihmiset"));
    a.update(Action::Quit);
    assert!(a.quit, "nothing to lose");
    let mut a = app(Some("ikaihmiset"));
    run(&mut a, &[Action::ToggleTopic(0), Action::Quit]);
    assert!(!a.quit);
    a.update(Action::Answer(false));
    assert!(!a.quit);
    run(&mut a, &[Action::Quit, Action::Answer(true)]);
    assert!(a.quit);
}

#[test]
fn tally_and_help_open_and_close() {
    let mut a = app(Some("ikaihmiset"));
    run(
        &mut a,
        &[Action::ToggleTopic(1), Action::Save, Action::ShowTally],
    );
    assert_eq!(a.view, View::Tally);
    let t = duty(&a).tally.as_ref().unwrap();
    assert_eq!(t.visitors, 1);
    assert_eq!(t.topics["digituki"], 1);
    run(&mut a, &[Action::Back, Action::ShowHelp]);
    assert_eq!(a.view, View::Help);
    a.update(Action::Back);
    assert_eq!(a.view, View::Duty);
}

#[test]
fn a_retired_topic_keeps_its_label_on_old_visits_and_leaves_the_picker() {
    let store = Store::open_in_memory().unwrap();
    let mut a = App::opening(store, at("2023-11-14 10:00"))
        .profile("ikaihmiset")
        .open()
        .unwrap();
    run(&mut a, &[Action::ToggleTopic(1), Action::Save]);
    let App { store, .. } = a;
    // Digituki is renamed in one config and retired in the next.
    let text = Config::embedded()
        .to_toml()
        .replace("fi = \"Digituki\"", "fi = \"Digiapu\"\nretired = true");
    let config = Config::from_user_text(std::path::Path::new("u.toml"), &text).unwrap();
    let a = App::opening(store, at("2023-11-14 10:30"))
        .config(config)
        .profile("ikaihmiset")
        .open()
        .unwrap();
    let d = duty(&a);
    assert_eq!(d.today[0].entry.topics, ["digituki"], "data keeps the key");
    assert_eq!(a.describe(&d.today[0]), "10.00 Digiapu");
    assert!(d.profile.active_topics().all(|t| t.key != "digituki"));
    assert_eq!(
        d.profile.active_topics().nth(1).unwrap().key,
        "piha_kotiapu"
    );
}

#[test]
fn unknown_profile_and_place_are_refused_with_the_valid_ones() {
    let store = Store::open_in_memory().unwrap();
    let e = App::opening(store, at("2023-11-14 10:00"))
        .profile("x")
        .open()
        .err()
        .unwrap();
    assert!(
        matches!(e, Error::UnknownProfile { ref valid, .. } if valid == "ikaihmiset, kotouttaminen, perhe")
    );
    let store = Store::open_in_memory().unwrap();
    let e = App::opening(store, at("2023-11-14 10:00"))
        .profile("ikaihmiset")
        .location("Kuu")
        .open()
        .err()
        .unwrap();
    assert!(matches!(e, Error::UnknownLocation { ref valid, .. } if valid == "Kirjasto, Spot"));
}

fn file_app(dir: &std::path::Path, now: &str) -> App {
    let store = Store::open(&dir.join("tiski.db")).unwrap();
    App::opening(store, at(now))
        .profile("ikaihmiset")
        .open()
        .unwrap()
}

fn tick(a: &mut App, secs: i64) {
    let now = a.now + chrono::TimeDelta::seconds(secs);
    a.update(Action::Tick(crate::clock::Now::at(now)));
}

#[test]
fn the_form_becomes_a_draft_after_a_second_and_saving_drops_it() {
    let mut a = app(Some("ikaihmiset"));
    run(&mut a, &[Action::ToggleTopic(1), Action::ToggleTopic(5)]);
    assert_eq!(
        a.store.draft("ikaihmiset").unwrap(),
        None,
        "not before the debounce"
    );
    tick(&mut a, 1);
    let draft = a.store.draft("ikaihmiset").unwrap().expect("written");
    assert_eq!(draft.topics, ["digituki", "liukuesteet"]);
    a.update(Action::Save);
    assert_eq!(a.store.draft("ikaihmiset").unwrap(), None);
    tick(&mut a, 5);
    assert_eq!(
        a.store.draft("ikaihmiset").unwrap(),
        None,
        "sticky fields alone are no draft"
    );
}

#[test]
fn a_draft_left_behind_is_offered_back_on_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = file_app(dir.path(), "2023-11-14 10:00");
    run(
        &mut a,
        &[
            Action::ToggleTopic(2),
            Action::EditNote,
            Action::Edit(Edit::Insert('x')),
            Action::NoteCommit,
        ],
    );
    a.flush_draft();
    drop(a); // as if killed: no shutdown

    let mut b = file_app(dir.path(), "2023-11-14 10:20");
    assert!(matches!(
        duty(&b).modal,
        Some(Modal::Confirm(Confirm::RestoreDraft(_)))
    ));
    b.update(Action::Answer(true));
    assert_eq!(duty(&b).form.topics, ["piha_kotiapu"]);
    assert_eq!(duty(&b).form.note, "x");
    b.update(Action::Save);
    assert_eq!(duty(&b).counters.session, 1);
    drop(b);

    // Declining drops it for good.
    let mut c = file_app(dir.path(), "2023-11-14 10:30");
    assert_eq!(duty(&c).modal, None, "nothing left to offer");
    run(&mut c, &[Action::ToggleTopic(0)]);
    c.flush_draft();
    drop(c);
    let mut d = file_app(dir.path(), "2023-11-14 10:40");
    d.update(Action::Answer(false));
    assert!(duty(&d).form.topics.is_empty());
    assert_eq!(d.store.draft("ikaihmiset").unwrap(), None);
}

#[test]
fn a_locked_database_makes_the_save_wait_then_saves_with_the_enter_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = file_app(dir.path(), "2023-11-14 10:00");
    a.store
        .set_busy_timeout(std::time::Duration::from_millis(20))
        .unwrap();
    let other = rusqlite::Connection::open(dir.path().join("tiski.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    run(&mut a, &[Action::ToggleTopic(3), Action::Save]);
    let status = a.status.clone().unwrap();
    assert!(
        !status.error,
        "waiting is not an error yet: {}",
        status.text
    );
    assert_eq!(status.text, a.texts().waiting_for_database(0));
    assert!(a.waiting.is_some());
    tick(&mut a, 3);
    assert_eq!(
        a.status.as_ref().unwrap().text,
        a.texts().waiting_for_database(3)
    );
    // Keys are answered, but the form stays as it was at Enter: the next
    // visitor's keys do not join this visit.
    a.update(Action::ToggleTopic(1));
    assert_eq!(duty(&a).form.topics, ["kaupungin_palvelut"]);
    assert_eq!(
        a.status.as_ref().unwrap().text,
        a.texts().waiting_for_database(3)
    );
    other.execute_batch("ROLLBACK").unwrap();
    tick(&mut a, 2);
    assert!(a.waiting.is_none());
    assert!(!a.status.as_ref().unwrap().error, "{:?}", a.status);
    assert_eq!(duty(&a).counters.session, 1);
    let day = at("2023-11-14 00:00").date();
    let visits = a.store.visits_on(Some("ikaihmiset"), day).unwrap();
    assert_eq!(visits[0].at, at("2023-11-14 10:00"), "the Enter time");
}

#[test]
fn a_database_locked_too_long_keeps_the_visit_on_the_form_and_in_a_file_until_retry() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = file_app(dir.path(), "2023-11-14 10:00");
    a.store
        .set_busy_timeout(std::time::Duration::from_millis(20))
        .unwrap();
    let other = rusqlite::Connection::open(dir.path().join("tiski.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    run(&mut a, &[Action::ToggleTopic(3), Action::Save]);
    tick(&mut a, 5);
    assert!(!a.status.as_ref().unwrap().error);
    tick(&mut a, 6);
    let status = a.status.clone().unwrap();
    assert!(status.error, "given up after {BUSY_PATIENCE}");
    assert!(a.waiting.is_none());
    let fallback = dir.path().join("tiski.db.draft-ikaihmiset.json");
    let said = a.texts().draft_in_file(&fallback.display().to_string());
    assert!(status.text.contains(&said), "{}", status.text);
    assert_eq!(
        duty(&a).form.topics,
        ["kaupungin_palvelut"],
        "kept on the form"
    );
    assert!(fallback.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&fallback).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    other.execute_batch("ROLLBACK").unwrap();
    a.update(Action::Save);
    assert!(!a.status.as_ref().unwrap().error, "{:?}", a.status);
    assert_eq!(duty(&a).counters.session, 1);
    tick(&mut a, 2);
    assert!(
        !fallback.exists(),
        "the file goes once the database takes drafts again"
    );
}

#[test]
fn a_damaged_database_found_by_the_daily_check_is_not_written() {
    let mut a = app(Some("ikaihmiset"));
    run(&mut a, &[Action::ToggleTopic(0), Action::Save]);
    a.update(Action::DailyCheck(crate::store::maintenance::DailyCheck {
        problems: vec!["Page 7: btreeInitPage() returns error code 11".into()],
        backup: Err(String::new()),
        purge: Err(String::new()),
    }));
    assert!(a.read_only.is_some());
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .contains(&a.texts().database_damaged(1))
    );
    run(&mut a, &[Action::ToggleTopic(1), Action::Save]);
    assert!(a.status.as_ref().unwrap().error);
    assert_eq!(duty(&a).counters.session, 1, "nothing more was saved");
    assert_eq!(duty(&a).form.topics, ["digituki"], "the form is kept");
    a.update(Action::Undo);
    assert_eq!(duty(&a).counters.session, 1, "undo is a write too");
}

#[test]
fn issuing_a_voucher_saves_the_visit_and_drops_its_draft() {
    use crate::app::VoucherAction as V;
    let mut a = app(Some("ikaihmiset"));
    run(&mut a, &[Action::ToggleTopic(1)]);
    tick(&mut a, 2);
    assert!(a.store.draft("ikaihmiset").unwrap().is_some());
    run(
        &mut a,
        &[
            Action::Voucher(V::Open),
            Action::Voucher(V::Product(0)),
            Action::Voucher(V::Submit),
        ],
    );
    assert_eq!(duty(&a).counters.session, 1);
    assert_eq!(a.store.draft("ikaihmiset").unwrap(), None);
    tick(&mut a, 5);
    assert_eq!(a.store.draft("ikaihmiset").unwrap(), None);
}

#[test]
fn a_damaged_database_refuses_vouchers_too() {
    use crate::app::VoucherAction as V;
    let mut a = app(Some("ikaihmiset"));
    a.update(Action::DailyCheck(crate::store::maintenance::DailyCheck {
        problems: vec!["damage".into()],
        backup: Err(String::new()),
        purge: Err(String::new()),
    }));
    run(
        &mut a,
        &[
            Action::ToggleTopic(1),
            Action::Voucher(V::Open),
            Action::Voucher(V::Product(0)),
            Action::Voucher(V::Submit),
        ],
    );
    assert_eq!(duty(&a).counters.session, 0);
    assert!(a.status.as_ref().unwrap().error);
}

#[test]
fn a_held_start_writes_nothing_until_the_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    let held = |file: &str| {
        let store = Store::open(&dir.path().join(file)).unwrap();
        let now = at("2023-11-14 10:00");
        App::opening(store, now)
            .profile("ikaihmiset")
            .hold(Hold::UntilChecked)
            .open()
            .unwrap()
    };
    let mut a = held("tiski.db");
    assert!(duty(&a).pending);
    assert_eq!(
        duty(&a).counters.year.sessions,
        1,
        "shown as the session it will be"
    );
    assert!(a.store.sessions_on(None, a.now.date()).unwrap().is_empty());
    a.update(Action::DailyCheck(crate::store::maintenance::DailyCheck {
        problems: vec![],
        backup: Ok(dir.path().join("b.db")),
        purge: Ok(Default::default()),
    }));
    assert!(!duty(&a).pending);
    assert_eq!(a.store.sessions_on(None, a.now.date()).unwrap().len(), 1);
    // A save before the check answers opens the session itself.
    let mut b = held("other.db");
    run(&mut b, &[Action::ToggleTopic(0), Action::Save]);
    assert_eq!(duty(&b).counters.session, 1);
    assert_eq!(duty(&b).counters.year.sessions, 1);
}

#[test]
fn a_save_keeps_todays_list_in_step_with_visits_logged_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiski.db");
    let mut a = App::opening(Store::open(&path).unwrap(), at("2023-11-14 10:00"))
        .profile("ikaihmiset")
        .open()
        .unwrap();
    run(&mut a, &[Action::ToggleTopic(0), Action::Save]);
    // `tiski log` from the shell meanwhile, into the same session.
    let mut shell = Store::open(&path).unwrap();
    let s = shell
        .session_for_log("ikaihmiset", "Kirjasto", at("2023-11-14 10:05"))
        .unwrap();
    let entry = VisitEntry {
        topics: vec!["sote".into()],
        ..VisitEntry::default()
    };
    shell
        .add_visit(s.id, at("2023-11-14 10:05"), &entry)
        .unwrap();
    a.update(Action::Tick(crate::clock::Now::at(at("2023-11-14 10:10"))));
    run(&mut a, &[Action::ToggleTopic(1), Action::Save]);
    let d = duty(&a);
    assert_eq!(d.counters.today, 3);
    let times: Vec<String> = d
        .today
        .iter()
        .map(|v| v.at.format("%H:%M").to_string())
        .collect();
    assert_eq!(
        times,
        ["10:10", "10:05", "10:00"],
        "newest first, none lost"
    );
    assert_eq!(d.today[0].entry.topics, ["digituki"]);
}

// Unix only: Windows refuses to rename another file over an open database,
// so there it cannot be replaced underneath in the first place.
#[cfg(unix)]
#[test]
fn a_database_replaced_underneath_is_not_written_and_the_form_is_kept_in_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = file_app(dir.path(), "2023-11-14 10:00");
    run(&mut a, &[Action::ToggleTopic(0), Action::Save]);
    assert_eq!(duty(&a).counters.session, 1);
    // Someone puts another file in its place (a restore by hand).
    let other = dir.path().join("other.db");
    Store::open(&other).unwrap();
    std::fs::rename(&other, dir.path().join("tiski.db")).unwrap();
    run(&mut a, &[Action::ToggleTopic(1), Action::Save]);
    let status = a.status.clone().unwrap();
    let db = dir.path().join("tiski.db");
    assert!(status.error);
    assert_eq!(
        status.text,
        a.texts().database_replaced(&db.display().to_string())
    );
    assert_eq!(duty(&a).counters.session, 1, "not saved into the old file");
    assert_eq!(duty(&a).form.topics, ["digituki"], "kept on the form");
    assert!(dir.path().join("tiski.db.draft-ikaihmiset.json").exists());
    drop(a);
    for f in [&db, &dir.path().join("tiski.db-wal")] {
        let bytes = std::fs::read(f).unwrap_or_default();
        assert!(
            !bytes.windows(8).any(|w| w == b"digituki"),
            "the second visit went nowhere: {}",
            f.display()
        );
    }
}

#[test]
fn a_note_still_in_the_editor_is_in_the_draft_unless_it_holds_an_identity() {
    let mut a = app(Some("ikaihmiset"));
    a.update(Action::ToggleTopic(1));
    a.update(Action::EditNote);
    for c in "lumityöt".chars() {
        a.update(Action::Edit(Edit::Insert(c)));
    }
    tick(&mut a, 1);
    let draft = a.store.draft("ikaihmiset").unwrap().expect("written");
    assert_eq!(draft.note, "lumityöt");
    for c in " 131052-308T".chars() {
        a.update(Action::Edit(Edit::Insert(c)));
    }
    tick(&mut a, 1);
    let draft = a.store.draft("ikaihmiset").unwrap().expect("still there");
    assert_eq!(draft.note, "", "an identity code is never written");
    assert_eq!(draft.topics, ["digituki"]);
}

/// `T` while editing a visit changes its time within its day (not into the
/// future); the kept counts follow; after saving, the list keeps the edited
/// visit highlighted and `x` targets it (issue 15, item 8).
#[test]
fn editing_a_visits_time() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent};
    let mut a = app(Some("ikaihmiset"));
    let key = |a: &mut App, code: KeyCode| {
        if let Some(action) = crate::keymap::map(a, KeyEvent::from(code)) {
            a.update(action);
        }
    };
    let keys = |a: &mut App, s: &str| {
        for c in s.chars() {
            key(a, KeyCode::Char(c));
        }
    };
    run(&mut a, &[Action::ToggleTopic(0), Action::Save]);
    a.update(Action::Tick(crate::clock::Now::at(at("2023-11-14 10:20"))));
    run(&mut a, &[Action::ToggleTopic(1), Action::Save]);
    let first = duty(&a).today[1].id;
    assert_eq!(duty(&a).today[1].at, at("2023-11-14 10:00"));
    // Edit the first visit (the second in the list, newest first).
    run(
        &mut a,
        &[Action::ToggleFocus, Action::Down, Action::EditSelected],
    );
    assert_eq!(duty(&a).editing.as_ref().unwrap().0, first);
    key(&mut a, KeyCode::Char('T'));
    assert!(
        matches!(&duty(&a).modal, Some(Modal::Time(t)) if t.value() == "10.00" && t.is_selected()),
        "the time as it is, selected: {:?}",
        duty(&a).modal
    );
    // A time later than now is refused, the window stays.
    for _ in 0..5 {
        key(&mut a, KeyCode::Backspace);
    }
    keys(&mut a, "11.30");
    key(&mut a, KeyCode::Enter);
    assert!(a.status.as_ref().unwrap().error);
    assert!(matches!(duty(&a).modal, Some(Modal::Time(_))));
    for _ in 0..5 {
        key(&mut a, KeyCode::Backspace);
    }
    keys(&mut a, "xx");
    key(&mut a, KeyCode::Enter);
    assert!(a.status.as_ref().unwrap().text.contains("ei kelpaa"));
    key(&mut a, KeyCode::Backspace);
    key(&mut a, KeyCode::Backspace);
    keys(&mut a, "9:30");
    key(&mut a, KeyCode::Enter);
    assert!(duty(&a).modal.is_none());
    assert_eq!(duty(&a).edit_at, Some(at("2023-11-14 09:30")));
    key(&mut a, KeyCode::Enter);
    assert!(duty(&a).editing.is_none());
    let d = duty(&a);
    let i = d.today.iter().position(|v| v.id == first).unwrap();
    assert_eq!(d.today[i].at, at("2023-11-14 09:30"), "saved");
    assert_eq!((d.focus, d.selected), (Focus::List, i), "still highlighted");
    // The session now began when its first visit came, as after log --at.
    assert_eq!(d.session.started_at, at("2023-11-14 09:30"), "widened");
    // The day's figures count it in its new hour.
    let tally = a
        .store
        .day_tally(&d.profile, at("2023-11-14 10:00").date())
        .unwrap();
    assert_eq!(tally.hours.get(&9), Some(&1));
    assert_eq!(tally.hours.get(&10), Some(&1));
    key(&mut a, KeyCode::Char('x'));
    assert_eq!(duty(&a).modal, Some(Modal::Confirm(Confirm::Delete(first))));
}

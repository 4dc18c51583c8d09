//! State tests of the events screen: lists, forms, refusals.

use chrono::NaiveDateTime;

use crate::app::{Action, App, EventsAction as E, View};
use crate::store::Store;
use crate::text::input::Edit;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn app(profile: &str) -> App {
    App::opening(Store::open_in_memory().unwrap(), at("2023-11-16 09:30"))
        .profile(profile)
        .open()
        .unwrap()
}

fn run(app: &mut App, actions: &[E]) {
    for a in actions {
        app.update(Action::Events(a.clone()));
    }
}

fn act(app: &mut App, actions: &[Action]) {
    for a in actions {
        app.update(a.clone());
    }
}

/// Typed into the field with the cursor, then Enter.
fn typed(text: &str) -> Vec<Action> {
    let mut v: Vec<Action> = text
        .chars()
        .map(|c| Action::Edit(Edit::Insert(c)))
        .collect();
    v.push(Action::Events(E::Next));
    v
}

/// What a field of the form shows: its text, or its choice.
fn shown(v: &crate::app::Value) -> &str {
    match v {
        crate::app::Value::Text(t) => t.value(),
        crate::app::Value::Choice(c) => c.label(),
    }
}

fn state(app: &App) -> &crate::app::EventsState {
    app.duty.as_ref().unwrap().events.as_ref().unwrap()
}

#[test]
fn an_event_typed_field_by_field_is_saved_on_the_last_enter() {
    let mut a = app("perhe");
    run(&mut a, &[E::Open]);
    assert_eq!(a.view, View::Events);
    assert_eq!(state(&a).year, 2023);
    run(&mut a, &[E::NewEvent]);
    let mut keys = typed("Syysfestarit");
    // The date is today already: Backspace it away and type another.
    keys.extend(std::iter::repeat_n(Action::Edit(Edit::Backspace), 10));
    keys.extend(typed("21.9.2023"));
    keys.extend(typed("300"));
    keys.extend([E::Next, E::Next, E::Next].map(Action::Events)); // approx, kind, place as they are
    act(&mut a, &keys);
    let s = state(&a);
    assert!(s.form.is_none(), "{:?}", a.status);
    assert_eq!(s.report.events.len(), 1);
    let e = &s.report.events[0].entry;
    assert_eq!(
        (e.title.as_str(), e.count, e.kind.as_str()),
        ("Syysfestarit", Some(300), "tapahtuma")
    );
    assert_eq!(
        e.date,
        chrono::NaiveDate::from_ymd_opt(2023, 9, 21).unwrap()
    );
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .contains("Syysfestarit (300)")
    );
}

#[test]
fn a_group_gets_meetings_and_feedback_by_keys() {
    let mut a = app("perhe");
    run(&mut a, &[E::Open, E::NewGroup]);
    let mut keys = typed("Kaveritaitoryhmä");
    keys.push(Action::Events(E::Next));
    keys.extend(typed("Sinilähde"));
    act(&mut a, &keys);
    assert_eq!(state(&a).report.groups.len(), 1);
    for n in ["6", "7"] {
        run(&mut a, &[E::NewMeeting, E::Next]);
        act(&mut a, &typed(n));
    }
    let g = &state(&a).report.groups[0];
    assert_eq!((g.meeting_count(), g.visits()), (Some(2), 13));
    assert_eq!(state(&a).report.totals.group_visits, 13);
    run(&mut a, &[E::NewFeedback]);
    let mut keys = typed("Oliko ryhmä hyödyllinen?");
    keys.extend(typed("9"));
    keys.extend(typed("1"));
    act(&mut a, &keys);
    let f = &state(&a).report.feedback;
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].about, "Kaveritaitoryhmä");
}

#[test]
fn a_bad_form_stays_open_with_the_reason_and_nothing_is_saved() {
    let mut a = app("perhe");
    run(&mut a, &[E::Open, E::NewEvent]);
    act(&mut a, &typed("Ilta"));
    run(&mut a, &[E::Next]);
    // Letters do not go into the count: said as they are typed.
    act(&mut a, &[Action::Edit(Edit::Insert('a'))]);
    let status = a.status.as_ref().unwrap();
    assert!(status.text.contains("vain numeroita"), "{}", status.text);
    act(&mut a, &typed("bc"));
    run(&mut a, &[E::Next, E::Next, E::Next]);
    let status = a.status.as_ref().unwrap();
    assert!(status.error);
    assert!(
        status.text.contains("tarvitaan osallistujamäärä"),
        "{}",
        status.text
    );
    let form = state(&a).form.as_ref().expect("kept to be corrected");
    assert_eq!(
        form.fields[form.at].0,
        crate::app::Field::Count,
        "the cursor on the count"
    );
    assert!(state(&a).report.events.is_empty());
    // A meeting needs a group selected; feedback an event or a group.
    run(&mut a, &[E::Cancel, E::NewMeeting]);
    assert!(state(&a).form.is_none());
    assert!(a.status.as_ref().unwrap().text.contains("ryhmä"));
    // A meeting typed without its count says so in the form's words.
    run(&mut a, &[E::NewGroup]);
    act(&mut a, &typed("Uhmaryhmä"));
    run(&mut a, &[E::Next, E::Next, E::NewMeeting, E::Next, E::Next]);
    let status = a.status.as_ref().unwrap();
    assert!(
        status
            .text
            .starts_with("Anna ryhmäkerran osallistujamäärä (Osallistujia)"),
        "{}",
        status.text
    );
    assert!(state(&a).form.is_some());
    run(&mut a, &[E::Cancel, E::Cancel]);
    assert_eq!(a.view, View::Duty);
}

#[test]
fn a_profile_without_events_does_not_open_the_screen() {
    let mut a = app("kotouttaminen");
    run(&mut a, &[E::Open]);
    assert_eq!(a.view, View::Duty);
    assert!(a.status.as_ref().unwrap().error);
}

#[test]
fn x_deletes_the_selected_event_or_group_after_asking() {
    let mut a = app("perhe");
    run(&mut a, &[E::Open, E::NewEvent]);
    let mut keys = typed("Ilta");
    keys.push(Action::Events(E::Next));
    keys.extend(typed("40"));
    keys.extend([E::Next, E::Next, E::Next].map(Action::Events));
    act(&mut a, &keys);
    run(&mut a, &[E::NewGroup]);
    let mut keys = typed("Uhmaryhmä");
    keys.extend([E::Next, E::Next].map(Action::Events));
    act(&mut a, &keys);
    assert_eq!(state(&a).rows(), 2);
    // No: nothing goes.
    run(&mut a, &[E::Delete, E::Answer(false)]);
    assert_eq!(state(&a).rows(), 2);
    run(&mut a, &[E::Down, E::Delete]);
    assert!(state(&a).confirm.is_some());
    run(&mut a, &[E::Answer(true)]);
    assert!(state(&a).report.groups.is_empty());
    assert_eq!(state(&a).report.events.len(), 1);
    assert!(a.status.as_ref().unwrap().text.contains("Uhmaryhmä"));
    assert_eq!(a.store.tombstones().unwrap().len(), 1);
}

#[test]
fn an_event_is_edited_in_its_own_form_keeping_what_the_form_lacks() {
    let mut a = app("perhe");
    let mut store_event = |title: &str, day: u32, partners: &str| {
        let entry = crate::events::EventEntry {
            profile: "perhe".into(),
            date: chrono::NaiveDate::from_ymd_opt(2023, 11, day).unwrap(),
            title: title.into(),
            kind: "tapahtuma".into(),
            count: Some(40),
            partners: partners.into(),
            online: Some(12),
            ..Default::default()
        };
        a.store
            .add_event(
                &crate::store::test_support::ok((entry).clone()),
                &crate::store::test_support::stamp(),
            )
            .unwrap()
    };
    store_event("Vanhempainilta", 2, "");
    let festari = store_event("Syysfestarit", 10, "Seurakunta");
    run(&mut a, &[E::Open, E::Down, E::EditEvent]);
    let form = state(&a).form.clone().unwrap();
    let shown: Vec<&str> = form.fields.iter().map(|(_, v)| shown(v)).collect();
    assert_eq!(
        shown,
        ["Syysfestarit", "10.11.2023", "40", "ei", "Tapahtuma", ""]
    );
    // A new count and an earlier day, which moves it first in the list.
    let mut keys = vec![Action::Events(E::Next)];
    keys.extend(std::iter::repeat_n(Action::Edit(Edit::Backspace), 10));
    keys.extend(typed("1.11.2023"));
    keys.extend([Action::Edit(Edit::Backspace), Action::Edit(Edit::Backspace)]);
    keys.extend(typed("300"));
    keys.extend([E::Next, E::Next, E::Next].map(Action::Events));
    act(&mut a, &keys);
    let s = state(&a);
    assert!(s.form.is_none(), "{:?}", a.status);
    assert_eq!(s.report.events.len(), 2, "edited, not added");
    let e = a.store.event(festari.id).unwrap();
    assert_eq!(
        (e.entry.count, e.entry.date.to_string()),
        (Some(300), "2023-11-01".into())
    );
    assert_eq!(
        (e.entry.partners.as_str(), e.entry.online, e.uid.as_str()),
        ("Seurakunta", Some(12), festari.uid.as_str()),
        "what the form does not show is kept, and the uid"
    );
    assert_eq!(
        s.report.events[s.selected].id, festari.id,
        "the highlight follows it"
    );
    assert!(
        a.status.as_ref().unwrap().text.starts_with("Tapahtuma"),
        "{:?}",
        a.status
    );
    assert!(a.status.as_ref().unwrap().text.contains("muokattu"));

    // On a group row there is no event to edit: said, nothing opens.
    let group = crate::events::GroupEntry {
        profile: "perhe".into(),
        date: chrono::NaiveDate::from_ymd_opt(2023, 11, 3).unwrap(),
        title: "Kaveritaitoryhmä".into(),
        ..Default::default()
    };
    a.store
        .add_group(
            &crate::store::test_support::ok((group).clone()),
            &crate::store::test_support::stamp(),
        )
        .unwrap();
    run(&mut a, &[E::Year(0), E::Down, E::Down, E::EditEvent]);
    assert!(state(&a).form.is_none());
    assert!(
        a.status.as_ref().unwrap().text.contains("sitten e"),
        "{:?}",
        a.status
    );
}

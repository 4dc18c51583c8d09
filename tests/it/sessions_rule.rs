//! Only a visit (or the rota, or an explicit start) makes a duty session
//! (issue 21, item 3): a property test over any keys pressed on the duty
//! screen, every view and dialog included, on a day with no duty on the
//! rota. After every key, each session on file holds a visit or a
//! head-count. (`s`, which starts a session on purpose and asks first, is
//! the one key left out; the desk simulator checks the command line's
//! writes the same way.)

use chrono::NaiveDateTime;
use proptest::prelude::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tiski::app::{Action, App};
use tiski::config::Config;
use tiski::store::Store;

use super::cli::yes;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// Sessions on file that hold nothing.
fn empty_sessions(store: &Store) -> i64 {
    let from = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let to = chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
    store
        .sessions_between(None, from, to)
        .unwrap()
        .iter()
        .filter(|s| s.visitors == 0)
        .count() as i64
}

/// A log with a voucher issued on an earlier day (so the register has one
/// to mark used or cancel) and an event, on a Thursday, when no profile has duty.
fn app() -> App {
    let mut store = Store::open_in_memory().unwrap();
    let config = Config::embedded();
    let p = &config.profiles["ikaihmiset"];
    let vc = p.voucher_settings().unwrap();
    let earlier = at("2023-11-14 10:05");
    let mut e = p.fresh_entry(None);
    e.toggle_topic(&vc.topic, p.topics.iter().map(|t| t.key.as_str()));
    let req = tiski::store::IssueRequest {
        profile: &p.id,
        config: vc,
        product: "liukuesteet",
        birth_year: None,
        identity_hash: None,
        from_form: false,
    };
    let target = tiski::store::Target::Day {
        profile: &p.id,
        location: "Kirjasto",
    };
    tiski::desk::issue_voucher(&mut store, p, target, earlier, e, &req, &yes(earlier)).unwrap();
    App::opening(store, at("2023-11-16 13:00"))
        .config(config)
        .profile("ikaihmiset")
        .open()
        .unwrap()
}

fn key(c: char) -> KeyEvent {
    let code = match c {
        '\n' => KeyCode::Enter,
        '\x1b' => KeyCode::Esc,
        '\t' => KeyCode::Tab,
        '<' => KeyCode::BackTab,
        '↓' => KeyCode::Down,
        '↑' => KeyCode::Up,
        '←' => KeyCode::Left,
        '→' => KeyCode::Right,
        '⌫' => KeyCode::Backspace,
        c => KeyCode::Char(c),
    };
    KeyEvent::new(code, KeyModifiers::NONE)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn no_key_but_a_visit_writes_a_session(
        keys in proptest::collection::vec(
            prop::sample::select(
                "0123456789abcdefghijklmnopqrtuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+?.,- \n\x1b\t<↓↑←→⌫"
                    .chars()
                    .collect::<Vec<_>>(),
            ),
            1..60,
        )
    ) {
        let mut a = app();
        let base = empty_sessions(&a.store);
        for (i, c) in keys.iter().enumerate() {
            if a.quit {
                break;
            }
            a.update(Action::Tick(tiski::clock::Now::at(
                at("2023-11-16 13:00") + chrono::TimeDelta::seconds(i as i64),
            )));
            if let Some(action) = tiski::keymap::map(&a, key(*c)) {
                a.update(action);
            }
            let empty = empty_sessions(&a.store);
            prop_assert_eq!(
                empty, base,
                "a session with no visit after {:?}", &keys[..=i]
            );
        }
        a.shutdown().unwrap();
        prop_assert_eq!(empty_sessions(&a.store), base, "after quitting");
    }
}

/// The round's own finding: marking a voucher used (`m`, `k`), cancelling
/// one, and a refused cancel, on a day with no duty, write no session (the
/// year's mean fell from 7,0 to 3,5 and shops invoiced on days off).
#[test]
fn the_voucher_register_writes_no_session() {
    let mut a = app();
    let press = |a: &mut App, keys: &str| {
        for c in keys.chars() {
            if let Some(action) = tiski::keymap::map(a, key(c)) {
                a.update(action);
            }
        }
    };
    let sessions = |a: &App| {
        let from = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        let to = chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
        a.store.sessions_between(None, from, to).unwrap().len()
    };
    let before = sessions(&a);
    press(&mut a, "mk20\n");
    let v = a.store.voucher_by_number("LE-2023-001").unwrap();
    assert_eq!(
        v.stored_status,
        tiski::voucher::Status::Used,
        "{:?}",
        a.status
    );
    // A used voucher's cancel is refused, and writes nothing either.
    press(&mut a, "xväärä\n\x1b");
    assert_eq!(sessions(&a), before, "no session from the register");
}

//! What a new user tripped over at the desk (issue 26): the channel of a
//! phone call in the report, the day tally's days and rows, labels cut
//! or missing. Through the real binary where a command shows it.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use tiski::app::{Action, App};
use tiski::config::Config;
use tiski::domain::VisitEntry;
use tiski::locale::Lang;
use tiski::store::Store;

use crate::cli::{Env, yes};
use crate::snapshots::at;

/// A session on `day` with visits of these channels (`None`: not said).
fn visits_by_channel(env: &Env, day: &str, channels: &[Option<&str>]) {
    let mut store = tiski::store::Store::open(&env.db()).unwrap();
    let p = &Config::embedded().profiles["ikaihmiset"];
    let start = at(&format!("{day} 10:00"));
    let (session, _) =
        tiski::desk::open_session(&mut store, "ikaihmiset", "Kirjasto", &yes(start)).unwrap();
    for (i, channel) in channels.iter().enumerate() {
        let mut e = VisitEntry {
            topics: vec!["digituki".into()],
            ..Default::default()
        };
        if let Some(c) = channel {
            e.fields.insert("channel".into(), c.to_string());
        }
        let when = at(&format!("{day} 10:{:02}", 10 + i));
        let target = tiski::store::Target::Session(session.id);
        tiski::desk::save_visit(&mut store, p, target, when, e, false, &yes(when)).unwrap();
    }
}

#[test]
fn the_reports_opening_says_how_many_came_by_phone_or_e_mail() {
    let env = Env::new();
    let person = Some("paikan_paalla");
    visits_by_channel(
        &env,
        "2023-11-14",
        &[
            person,
            person,
            Some("puhelin"),
            Some("puhelin"),
            None,
            person,
        ],
    );
    visits_by_channel(
        &env,
        "2023-11-28",
        &[person, Some("puhelin"), Some("sahkoposti"), person],
    );
    let report = |lang: &str| {
        env.ok(&[
            "--lang",
            lang,
            "--profile",
            "ikaihmiset",
            "report",
            "--year",
            "2023",
            "--min-count",
            "1",
        ])
    };
    let fi = report("fi");
    assert!(
        fi.contains("haki apua 10 kävijää, joista 3 puhelimitse ja 1 sähköpostitse;"),
        "{fi}"
    );
    let en = report("en");
    assert!(
        en.contains("10 visitors sought help at the desk, 3 of them by phone and 1 by e-mail;"),
        "{en}"
    );
    // Counts too small to publish are said as such, not given.
    // (--lang en was remembered: Finnish is asked for again.)
    let hidden = env.ok(&[
        "--lang",
        "fi",
        "--profile",
        "ikaihmiset",
        "report",
        "--year",
        "2023",
    ]);
    assert!(
        hidden.contains("10 kävijää, joista alle 5 puhelimitse"),
        "{hidden}"
    );
}

/// Presses keys: `←` `→` `↑` `↓` arrows, `\n` Enter, `\x1b` Esc.
fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\x1b' => KeyCode::Esc,
            '←' => KeyCode::Left,
            '→' => KeyCode::Right,
            '↑' => KeyCode::Up,
            '↓' => KeyCode::Down,
            c => KeyCode::Char(c),
        };
        let now = app.now + chrono::Duration::seconds(10);
        app.update(Action::Tick(tiski::clock::Now::at(now)));
        if let Some(action) = tiski::keymap::map(app, KeyEvent::from(code)) {
            app.update(action);
        }
    }
}

fn text(app: &App, w: u16, h: u16) -> String {
    format!("{:?}", crate::snapshots::screen(app, w, h).buffer())
}

fn app_on(store: Store, profile: &str, now: &str, lang: Lang) -> App {
    let mut a = App::opening(store, at(now))
        .lang(lang)
        .profile(profile)
        .open()
        .unwrap();
    a.update(Action::Resize(80, 24));
    a
}

#[test]
fn the_tally_scrolls_to_the_rows_that_did_not_fit() {
    let mut a = app_on(
        Store::open_in_memory().unwrap(),
        "kotouttaminen",
        "2023-11-14 10:00",
        Lang::Fi,
    );
    press(&mut a, "1\n2\n3\n4\n5\n6\n7\n8\n9\n");
    press(&mut a, "1l1w1\n1l2w2\n1l3w3\n1l4\n1l5\n1l6\nt");
    let top = text(&a, 80, 24);
    assert!(top.contains(" muuta…"), "{top}");
    assert!(!top.contains(" yllä"), "{top}");
    press(&mut a, &"↓".repeat(40));
    let bottom = text(&a, 80, 24);
    assert!(bottom.contains(" yllä"), "{bottom}");
    assert!(!bottom.contains(" muuta…"), "the end is in view: {bottom}");
    // As far as the longest column needs, and back up.
    press(&mut a, &"↑".repeat(40));
    assert_eq!(text(&a, 80, 24), top);
}

#[test]
fn the_tally_shows_other_days_and_says_when_there_was_no_duty() {
    let mut store = Store::open_in_memory().unwrap();
    let p = &Config::embedded().profiles["perhe"];
    let start = at("2023-11-15 09:00");
    let (session, _) =
        tiski::desk::open_session(&mut store, "perhe", "Perhekeskus", &yes(start)).unwrap();
    for i in 0..3 {
        let e = VisitEntry {
            topics: vec![p.topics[0].key.clone()],
            ..Default::default()
        };
        let when = at(&format!("2023-11-15 09:{:02}", 10 + i));
        let target = tiski::store::Target::Session(session.id);
        tiski::desk::save_visit(&mut store, p, target, when, e, false, &yes(when)).unwrap();
    }
    let mut a = app_on(store, "perhe", "2023-11-16 09:30", Lang::Fi);
    press(&mut a, "t");
    let today = text(&a, 80, 24);
    assert!(
        today.contains("Tänään ei ole ollut päivystystä."),
        "{today}"
    );
    assert!(!today.contains("ero vuoden keskiarvoon"), "{today}");
    press(&mut a, "←");
    let before = text(&a, 80, 24);
    assert!(before.contains("ke 15.11.2023"), "{before}");
    assert!(before.contains("Kävijöitä 3 (1 päivystys)"), "{before}");
    assert!(before.contains("Päivystystä kohden 3,0"), "{before}");
    press(&mut a, "←");
    let two_before = text(&a, 80, 24);
    assert!(two_before.contains("ti 14.11.2023"), "{two_before}");
    assert!(
        two_before.contains("Tänä päivänä ei ollut päivystystä."),
        "{two_before}"
    );
    // Never past today.
    press(&mut a, "→→→→");
    assert_eq!(text(&a, 80, 24), today);
    let mut en = app_on(
        Store::open_in_memory().unwrap(),
        "perhe",
        "2023-11-16 09:30",
        Lang::En,
    );
    press(&mut en, "t");
    let today = text(&en, 80, 24);
    assert!(
        today.contains("There has been no duty session today."),
        "{today}"
    );
}

//! What a new user tripped over at the desk (issue 26): the channel of a
//! phone call in the report, the day tally's days and rows, labels cut
//! or missing. Through the real binary where a command shows it.

use tiski::config::Config;
use tiski::domain::VisitEntry;

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
    let hidden = env.ok(&["--profile", "ikaihmiset", "report", "--year", "2023"]);
    assert!(
        hidden.contains("10 kävijää, joista alle 5 puhelimitse"),
        "{hidden}"
    );
}

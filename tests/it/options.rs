//! The command line as a new user types it (issue 26, item 8): free text
//! may start with `-`, every flag says what it is for, and a key typed
//! wrongly gets the nearest one suggested.

use super::cli::{Env, fails};

fn notes(env: &Env) -> Vec<String> {
    let c = rusqlite::Connection::open(env.db()).unwrap();
    let mut q = c.prepare("SELECT note FROM visits ORDER BY id").unwrap();
    q.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn free_text_may_start_with_a_dash() {
    let env = Env::new();
    let log = [
        "log",
        "--profile",
        "ikaihmiset",
        "--topic",
        "digituki",
        "--note",
        "-CV kesken",
    ];
    env.ok(&log);
    assert_eq!(notes(&env), ["-CV kesken"]);
    // An event's title and place, a group's partner: free text too.
    env.ok(&[
        "--profile",
        "perhe",
        "event",
        "add",
        "--title",
        "-Syysfestarit-",
        "--date",
        "2023-11-16",
        "--count",
        "30",
        "--place",
        "-",
    ]);
    let list = env.ok(&["--profile", "perhe", "event", "list", "--year", "2023"]);
    assert!(list.contains("-Syysfestarit-"), "{list}");
}

#[test]
fn birth_year_has_its_help_in_english_and_finnish() {
    let env = Env::new();
    let en = env.ok(&["--lang", "en", "voucher", "issue", "--help"]);
    let line = en.lines().find(|l| l.contains("--birth-year")).unwrap();
    assert!(line.contains("birth year"), "{en}");
    let fi = env.ok(&["--lang", "fi", "voucher", "issue", "--help"]);
    let line = fi.lines().find(|l| l.contains("--birth-year")).unwrap();
    assert!(line.contains("Syntymävuosi"), "{fi}");
}

#[test]
fn a_topic_typed_wrongly_gets_the_nearest_key_suggested() {
    let env = Env::new();
    let log = |lang: &str, topic: &str| {
        fails(&env.run(&[
            "--lang",
            lang,
            "log",
            "--profile",
            "ikaihmiset",
            "--topic",
            topic,
        ]))
    };
    let err = log("fi", "digitukki");
    assert!(err.contains("(tarkoititko \"digituki\"?)"), "{err}");
    assert!(err.contains("Vaihtoehdot: "), "the keys are listed: {err}");
    let err = log("en", "Kella");
    assert!(err.contains("(did you mean \"kela\"?)"), "{err}");
    // Nothing near: no guess, the list alone.
    let err = log("en", "xyzzy");
    assert!(!err.contains("did you mean"), "{err}");
    assert!(err.contains("Valid ones: "), "{err}");
    // A referral as well.
    let err = fails(&env.run(&[
        "--lang",
        "en",
        "log",
        "--profile",
        "ikaihmiset",
        "--topic",
        "kela",
        "--referral",
        "kaupunkki",
    ]));
    assert!(err.contains("(did you mean \"kaupunki\"?)"), "{err}");
    assert!(!env.db().exists(), "nothing was saved, no log made");
}

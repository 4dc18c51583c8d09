//! Events, groups, feedback and head-counts from the shell (issue 16):
//! what they save, what the lists and the report say, and every refusal
//! (exit 1, the reason in the user's language, nothing written).

use serde_json::Value;

use crate::cli::{Env, fails};

fn perhe(env: &Env, args: &[&str]) -> String {
    let mut all = vec!["--profile", "perhe"];
    all.extend_from_slice(args);
    env.ok(&all)
}

fn list_json(env: &Env) -> Value {
    serde_json::from_str(&env.ok(&["event", "list", "--year", "2023", "--json"])).unwrap()
}

/// The seed's section 2.2 group list, as kept on paper.
pub fn seed_groups(env: &Env) {
    for (title, place, meetings, visits) in [
        ("Oppitunnit", "Vierumäen alakoulu", None, "30"),
        ("Kaveritaitoryhmä", "Sinilähde", Some("5"), "30"),
        ("Pistetyöskentely", "Rainio", Some("5"), "100"),
        ("Pistetyöskentely", "Jyränkö", Some("5"), "100"),
        ("Kaveritaitoryhmä", "Tommolan eskarit", Some("5"), "35"),
    ] {
        let mut args = vec![
            "group",
            "add",
            "--date",
            "2023-09-01",
            "--title",
            title,
            "--place",
            place,
            "--visits",
            visits,
        ];
        if let Some(m) = meetings {
            args.extend(["--meetings", m]);
        }
        perhe(env, &args);
    }
}

#[test]
fn events_are_added_listed_edited_and_deleted() {
    let env = Env::new();
    let out = perhe(
        &env,
        &[
            "event",
            "add",
            "--date",
            "2023-09-21",
            "--title",
            "Syysfestarit",
            "--count",
            "300",
        ],
    );
    assert_eq!(out.trim(), "Tapahtuma 1 tallennettu: Syysfestarit (300)");
    perhe(
        &env,
        &[
            "event",
            "add",
            "--date",
            "2023-09-12",
            "--time",
            "10:00",
            "--title",
            "Koulurauhan julistus",
            "--count",
            "58",
            "--online",
            "155",
            "--place",
            "Kailas",
        ],
    );
    perhe(
        &env,
        &[
            "event",
            "add",
            "--date",
            "2023-03-27",
            "--title",
            "Autismitietoisuuden viikko",
            "--kind",
            "some",
        ],
    );
    let list = env.ok(&["event", "list", "--year", "2023"]);
    assert!(
        list.contains("Koulurauhan julistus (58 livenä, streamin kautta 155)"),
        "{list}"
    );
    assert!(list.contains("Autismitietoisuuden viikko (some)"), "{list}");
    let j = list_json(&env);
    let events = j["events"].as_array().unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0]["entry"]["kind"], "some", "in date order");
    assert_eq!(j["totals"]["attendees"], 358);
    assert_eq!(j["totals"]["online"], 155);
    // Edit: the flags given replace; the rest stays.
    let out = env.ok(&["event", "edit", "1", "--count", "310", "--approx"]);
    assert!(
        out.contains("Syysfestarit 21.9.2023, n. 310 osallistujaa"),
        "{out}"
    );
    env.ok(&["event", "delete", "2"]);
    let j = list_json(&env);
    assert_eq!(j["events"].as_array().unwrap().len(), 2);
    assert_eq!(j["totals"]["attendees"], 310);
    // Another year, another profile: not listed.
    let other = env.ok(&["--profile", "ikaihmiset", "event", "list", "--year", "2023"]);
    assert_eq!(other.trim(), "Ei tapahtumia eikä ryhmiä.");
}

#[test]
fn the_seeds_groups_give_295_visits_with_and_without_meeting_counts() {
    let env = Env::new();
    seed_groups(&env);
    let list = env.ok(&["group", "list", "--year", "2023"]);
    assert!(
        list.contains("Kaveritaitoryhmä 5 krt / Sinilähde = 30 käyntikertaa"),
        "{list}"
    );
    assert!(
        list.contains("Oppitunnit / Vierumäen alakoulu = 30 käyntikertaa"),
        "{list}"
    );
    assert!(list.contains("Käynnit yhteensä 295"), "{list}");
    // A group met one meeting at a time: its visits are the meetings' sum.
    let out = perhe(
        &env,
        &[
            "group",
            "add",
            "--date",
            "2023-10-01",
            "--title",
            "Uhmaryhmä",
        ],
    );
    assert!(out.starts_with("Ryhmä 6 tallennettu"), "{out}");
    env.ok(&["group", "meet", "6", "--date", "2023-10-02", "--count", "7"]);
    let out = env.ok(&["group", "meet", "6", "--date", "2023-10-09", "--count", "8"]);
    assert!(out.contains("käynnit yhteensä 15"), "{out}");
    let j: Value =
        serde_json::from_str(&env.ok(&["group", "list", "--year", "2023", "--json"])).unwrap();
    assert_eq!(j["totals"]["group_visits"], 310);
    assert_eq!(j["totals"]["meetings"], 22);
    let out = env.ok(&["group", "delete", "6"]);
    assert!(
        out.contains("Ryhmä 6 poistettu kokoontumisineen: Uhmaryhmä"),
        "{out}"
    );
    let list = env.ok(&["group", "list", "--year", "2023"]);
    assert!(list.contains("Käynnit yhteensä 295"), "{list}");
    let msg = fails(&env.run(&["group", "delete", "6"]));
    assert!(msg.contains("numero 6 ei ole"), "{msg}");
    let msg = fails(&env.run(&["group", "meet", "2", "--count", "2000000"]));
    assert!(msg.contains("yli 1000000"), "{msg}");
    let msg = fails(&env.run(&["group", "meet", "2", "--count", "5", "--date", "2099-01-01"]));
    assert!(msg.contains("2099-01-01"), "{msg}");
    let j: Value =
        serde_json::from_str(&env.ok(&["group", "list", "--year", "2023", "--json"])).unwrap();
    assert_eq!(j["totals"]["group_visits"], 295, "nothing written");
}

#[test]
fn feedback_reads_as_the_welfare_report_writes_it() {
    let env = Env::new();
    env.ok(&[
        "--profile",
        "ikaihmiset",
        "event",
        "add",
        "--date",
        "2023-11-01",
        "--title",
        "Kaatumisten ehkäisy -luentotilaisuus",
        "--kind",
        "luento",
        "--count",
        "70",
        "--approx",
    ]);
    let out = env.ok(&[
        "feedback",
        "add",
        "--event",
        "1",
        "--question",
        "Oliko tilaisuus hyödyllinen?",
        "--yes",
        "50",
        "--no",
        "0",
    ]);
    assert!(
        out.contains(
            "Oliko tilaisuus hyödyllinen? -kysymykseen 50 kyllä-vastausta ja 0 ei-vastausta."
        ),
        "{out}"
    );
    let list = env.ok(&["event", "list", "--year", "2023"]);
    assert!(
        list.contains("Kaatumisten ehkäisy -luentotilaisuus 1.11.2023, n. 70 osallistujaa"),
        "{list}"
    );
    perhe(
        &env,
        &[
            "group",
            "add",
            "--date",
            "2023-09-01",
            "--title",
            "Murkkufoorumi",
        ],
    );
    let out = env.ok(&[
        "--lang",
        "en",
        "feedback",
        "add",
        "--group",
        "1",
        "--question",
        "Rating",
        "--mean",
        "4,9",
        "--n",
        "7",
    ]);
    assert!(
        out.contains("Murkkufoorumi: Rating (mean 4.9, n = 7)."),
        "{out}"
    );
    let out = env.ok(&[
        "--lang",
        "fi",
        "feedback",
        "add",
        "--group",
        "1",
        "--scale",
        "1-5",
        "--counts",
        "0,0,1,2,4",
    ]);
    // Without a question, the figures alone.
    assert!(out.contains("Murkkufoorumi: ka 4,4, n = 7."), "{out}");
}

#[test]
fn a_head_count_from_the_shell_counts_in_the_days_visitors_apart_from_visits() {
    let env = Env::new();
    let out = perhe(
        &env,
        &[
            "log",
            "--confirm",
            "--count",
            "25",
            "--at",
            "2023-11-14 09:30",
        ],
    );
    assert!(
        out.contains("Kirjattu 25 kävijää yhteismääränä 14.11.2023"),
        "{out}"
    );
    perhe(
        &env,
        &[
            "log",
            "--confirm",
            "--topic",
            "vanhemmuus",
            "--at",
            "2023-11-14 10:00",
        ],
    );
    let t = env.tally_json(&["--profile", "perhe", "--date", "2023-11-14"]);
    assert_eq!(t["visitors"], 26);
    assert_eq!(t["head_counts"], 25);
    assert_eq!(t["sessions"], 1, "one session holds both");
    assert_eq!(t["topics"]["vanhemmuus"], 1);
    assert_eq!(
        t["fields"]["contact_from"]["unrecorded"], 1,
        "only visits have fields"
    );
    let text = env.ok(&["--profile", "perhe", "tally", "--date", "2023-11-14"]);
    assert!(text.contains("joista yhteismääränä 25"), "{text}");
}

#[test]
fn bad_input_is_refused_in_the_users_language_and_nothing_is_written() {
    let env = Env::new();
    env.init_db();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "--profile",
                "perhe",
                "event",
                "add",
                "--title",
                "Peliviikko",
                "--kind",
                "some",
                "--count",
                "3",
            ],
            "some-tapahtumalla",
        ),
        (
            &["--profile", "perhe", "event", "add", "--title", "Ilta"],
            "osallistujamäärä --count N",
        ),
        (
            &["--profile", "perhe", "event", "add", "--count", "3"],
            "otsikko puuttuu",
        ),
        (
            &[
                "--profile",
                "perhe",
                "event",
                "add",
                "--title",
                "Ilta",
                "--count",
                "3",
                "--kind",
                "juhla",
            ],
            "tuntematon tapahtumalaji \"juhla\"",
        ),
        (
            &[
                "--profile",
                "perhe",
                "event",
                "add",
                "--title",
                "Ilta",
                "--count",
                "3",
                "--date",
                "2023-13-01",
            ],
            "2023-13-01",
        ),
        (
            &[
                "--profile",
                "perhe",
                "event",
                "add",
                "--title",
                "Ilta",
                "--count",
                "2000000",
            ],
            "yli 1000000",
        ),
        (
            &[
                "--profile",
                "kotouttaminen",
                "event",
                "add",
                "--title",
                "Ilta",
                "--count",
                "3",
            ],
            "[profiles.kotouttaminen.events]",
        ),
        (&["event", "edit", "7", "--count", "3"], "numero 7 ei ole"),
        (&["event", "delete", "7"], "numero 7 ei ole"),
        (&["group", "meet", "4", "--count", "3"], "numero 4 ei ole"),
        (
            &["--profile", "perhe", "log", "--count", "0"],
            "vähintään 1",
        ),
        (
            &["feedback", "add", "--event", "1", "--yes", "1", "--no", "0"],
            "numero 1 ei ole",
        ),
    ];
    for (args, want) in cases {
        let msg = fails(&env.run(args));
        assert!(msg.contains(want), "{args:?}: {msg}");
    }
    // A real event, then feedback that is not one tally, or out of range.
    perhe(
        &env,
        &[
            "event",
            "add",
            "--date",
            "2023-09-21",
            "--title",
            "Ilta",
            "--count",
            "3",
        ],
    );
    for args in [
        &[
            "feedback", "add", "--event", "1", "--yes", "1", "--no", "0", "--slips", "2",
        ][..],
        &[
            "feedback", "add", "--event", "1", "--scale", "1-5", "--counts", "1,2,3",
        ][..],
        &[
            "feedback", "add", "--event", "1", "--mean", "viisi", "--n", "3",
        ][..],
    ] {
        let msg = fails(&env.run(args));
        assert!(msg.contains("yksi näistä"), "{args:?}: {msg}");
    }
    let msg = fails(&env.run(&[
        "--lang", "en", "feedback", "add", "--event", "1", "--mean", "6", "--n", "3",
    ]));
    assert!(msg.contains("not on the 1–5 scale"), "{msg}");
    let msg = fails(&env.run(&[
        "--lang", "fi", "feedback", "add", "--event", "1", "--yes", "0", "--no", "0",
    ]));
    assert!(msg.contains("ei ole yhtään vastausta"), "{msg}");
    // Nothing but the one event was written.
    let j = list_json(&env);
    assert_eq!(j["events"].as_array().unwrap().len(), 1);
    assert!(j["feedback"].as_array().unwrap().is_empty());
    assert_eq!(j["events"][0]["entry"]["count"], 3);
    let t = env.tally_json(&["--profile", "perhe", "--date", "2023-09-21"]);
    assert_eq!(t["visitors"], 0);
}

#[test]
fn the_report_writes_the_seeds_lists_in_its_own_form_with_the_totals() {
    let env = Env::new();
    seed_groups(&env);
    for args in [
        &[
            "--date",
            "2023-09-21",
            "--title",
            "Syysfestarit",
            "--count",
            "300",
        ][..],
        &[
            "--date",
            "2023-09-12",
            "--title",
            "Koulurauhan julistus",
            "--count",
            "58",
            "--online",
            "155",
        ],
        &[
            "--date",
            "2023-06-12",
            "--title",
            "Puistoruokailu",
            "--count",
            "1480",
            "--unit",
            "jaettua annosta",
        ],
        &[
            "--date",
            "2023-03-27",
            "--title",
            "Peliviikko",
            "--kind",
            "some",
        ],
        &[
            "--date",
            "2023-01-25",
            "--title",
            "Nepsy-kahvila",
            "--count",
            "1",
        ],
    ] {
        let mut all = vec!["event", "add"];
        all.extend_from_slice(args);
        perhe(&env, &all);
    }
    env.ok(&[
        "--profile",
        "ikaihmiset",
        "event",
        "add",
        "--date",
        "2023-11-01",
        "--title",
        "Kaatumisten ehkäisy -luentotilaisuus",
        "--kind",
        "luento",
        "--count",
        "70",
        "--approx",
    ]);
    env.ok(&[
        "feedback",
        "add",
        "--event",
        "6",
        "--question",
        "Oliko tilaisuus hyödyllinen?",
        "--yes",
        "50",
        "--no",
        "0",
    ]);
    perhe(
        &env,
        &[
            "log",
            "--confirm",
            "--count",
            "25",
            "--at",
            "2023-02-07 09:30",
        ],
    );
    // The default min_count (5) hides small walk-in counts, not events'.
    let text = env.ok(&["report", "--year", "2023", "--profile", "perhe"]);
    for want in [
        "Tapahtumat\n  • Nepsy-kahvila (1)\n  • Peliviikko (some)\n  • Puistoruokailu (1480 jaettua annosta)",
        "  • Koulurauhan julistus (58 livenä, streamin kautta 155)\n  • Syysfestarit (300)",
        "Ryhmätoiminta\n  • Oppitunnit / Vierumäen alakoulu = 30 käyntikertaa",
        "  • Kaveritaitoryhmä 5 krt / Sinilähde = 30 käyntikertaa",
        "  • Käynnit yhteensä 295",
        "Tapahtumia 5, osallistujia 359, verkossa 155; ryhmiä 5, kokoontumisia 20, ryhmäkäyntejä 295",
        "Kävijöitä                        25\n    joista yhteismääränä           25",
    ] {
        assert!(text.contains(want), "{want:?} in\n{text}");
    }
    assert!(!text.contains("Kaatumisten"), "another profile's lecture");
    let elderly = env.ok(&["report", "--year", "2023", "--profile", "ikaihmiset"]);
    assert!(
        elderly.contains("  • Kaatumisten ehkäisy -luentotilaisuus 1.11.2023, n. 70 osallistujaa"),
        "{elderly}"
    );
    assert!(
        elderly.contains("Palaute\n  • Kaatumisten ehkäisy -luentotilaisuus: Oliko tilaisuus hyödyllinen? -kysymykseen 50 kyllä-vastausta ja 0 ei-vastausta."),
        "{elderly}"
    );
    assert!(
        elderly.contains("osallistujia 70 (joista arvioituja 70)"),
        "{elderly}"
    );
    let j: Value = serde_json::from_str(&env.ok(&[
        "report",
        "--year",
        "2023",
        "--profile",
        "perhe",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(j["group_visits_total"], 295);
    assert_eq!(j["visitors"], 25);
    assert_eq!(j["head_counts"], 25);
    let fest = &j["events"].as_array().unwrap()[3];
    assert_eq!(fest["title"], "Koulurauhan julistus");
    assert_eq!(
        (fest["count"].clone(), fest["online"].clone()),
        (58.into(), 155.into())
    );
    assert_eq!(fest["approx"], false);
    assert_eq!(j["events"][1]["count"], Value::Null, "some: no count");
    assert_eq!(j["events"][2]["unit"], "jaettua annosta");
    assert_eq!(j["groups"][0]["meetings"], Value::Null);
    assert_eq!(j["groups"][1]["meetings"], 5);
    assert_eq!(j["groups"][1]["visits"], 30);
    let all: Value =
        serde_json::from_str(&env.ok(&["report", "--year", "2023", "--format", "json"])).unwrap();
    assert_eq!(all["feedback"][0]["yes"], 50);
    assert_eq!(all["event_totals"]["events"], 6);
    let csv = env.ok(&[
        "report",
        "--year",
        "2023",
        "--profile",
        "perhe",
        "--format",
        "csv",
    ]);
    assert!(
        csv.contains("Ryhmätoiminta;group_visits_total;Käynnit yhteensä 295;295;"),
        "{csv}"
    );
    let md = env.ok(&[
        "report",
        "--year",
        "2023",
        "--profile",
        "perhe",
        "--format",
        "md",
    ]);
    assert!(
        md.contains("## Ryhmätoiminta\n\n- Oppitunnit / Vierumäen alakoulu = 30 käyntikertaa"),
        "{md}"
    );
    let en = env.ok(&[
        "--lang",
        "en",
        "report",
        "--year",
        "2023",
        "--profile",
        "perhe",
    ]);
    assert!(
        en.contains("Group activities\n  • Oppitunnit / Vierumäen alakoulu = 30 visits")
            && en.contains("  • Visits in all 295"),
        "{en}"
    );
}

/// The text of `event list` without the ids (another desk numbers its own).
fn listing(env: &Env) -> String {
    env.ok(&["event", "list", "--year", "2023"])
        .lines()
        .map(|l| l.trim_start().trim_start_matches(char::is_numeric).trim())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn events_groups_feedback_and_head_counts_travel_in_jsonl_with_their_deletions() {
    let a = Env::new();
    perhe(
        &a,
        &[
            "event",
            "add",
            "--date",
            "2023-09-21",
            "--title",
            "Syysfestarit",
            "--count",
            "300",
        ],
    );
    perhe(
        &a,
        &[
            "event",
            "add",
            "--date",
            "2023-10-10",
            "--title",
            "Hyte-iltakoulu",
            "--count",
            "60",
        ],
    );
    perhe(
        &a,
        &[
            "group",
            "add",
            "--date",
            "2023-09-01",
            "--title",
            "Uhmaryhmä",
            "--place",
            "Kailas",
        ],
    );
    a.ok(&["group", "meet", "1", "--date", "2023-09-04", "--count", "8"]);
    a.ok(&["group", "meet", "1", "--date", "2023-09-11", "--count", "6"]);
    a.ok(&[
        "feedback",
        "add",
        "--group",
        "1",
        "--question",
        "Hyödyllinen?",
        "--yes",
        "9",
        "--no",
        "1",
    ]);
    perhe(
        &a,
        &[
            "log",
            "--confirm",
            "--count",
            "25",
            "--at",
            "2023-11-14 09:30",
        ],
    );
    let file = a.dir.path().join("a.jsonl");
    let path = file.to_str().unwrap();
    a.ok(&[
        "export", "--format", "jsonl", "--year", "2023", "--out", path,
    ]);
    let text = std::fs::read_to_string(&file).unwrap();
    for t in [
        "\"event\"",
        "\"group\"",
        "\"meeting\"",
        "\"feedback\"",
        "\"head_count\"",
    ] {
        assert!(text.contains(&format!("\"type\":{t}")), "{t} in\n{text}");
    }
    let b = Env::new();
    b.init_db();
    let out = b.ok(&["import", path]);
    assert!(out.contains("Tuotu"), "{out}");
    assert_eq!(listing(&b), listing(&a));
    let t = b.tally_json(&["--profile", "perhe", "--date", "2023-11-14"]);
    assert_eq!(
        (t["visitors"].clone(), t["head_counts"].clone()),
        (25.into(), 25.into())
    );
    // Again: nothing new.
    b.ok(&["import", path]);
    assert_eq!(listing(&b), listing(&a));
    let t = b.tally_json(&["--profile", "perhe", "--date", "2023-11-14"]);
    assert_eq!(t["visitors"], 25, "the head-count once");
    // An edit and a deletion on the first desk reach the second.
    a.ok(&["event", "edit", "1", "--count", "320"]);
    a.ok(&["event", "delete", "2"]);
    a.ok(&[
        "export", "--format", "jsonl", "--year", "2023", "--out", path, "--force",
    ]);
    b.ok(&["import", path]);
    let list = listing(&b);
    assert!(list.contains("Syysfestarit (320)"), "{list}");
    assert!(!list.contains("Hyte-iltakoulu"), "{list}");
    assert_eq!(list, listing(&a));
    // A meeting whose group is in neither place: the file is refused whole.
    let bad = a.dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"type\":\"tiski-export\",\"version\":1}\n{\"type\":\"meeting\",\"uid\":\"m-x\",\"group_uid\":\"g-x\",\"date\":\"2023-09-04\",\"count\":3,\"updated_at\":\"2023-09-04T10:00:00Z\"}\n",
    )
    .unwrap();
    let msg = fails(&b.run(&["import", bad.to_str().unwrap()]));
    assert!(
        msg.contains("rivi 2") || msg.contains("line 2") || msg.contains(":2"),
        "{msg}"
    );
    assert!(msg.contains("m-x"), "{msg}");
    std::fs::write(
        &bad,
        "{\"type\":\"tiski-export\",\"version\":1}\n{\"type\":\"feedback\",\"uid\":\"f-x\",\"event_uid\":\"e\",\"question\":\"Q\",\"tally\":{\"type\":\"yes_no\",\"yes\":\"many\"},\"updated_at\":\"2023-09-04T10:00:00Z\"}\n",
    )
    .unwrap();
    let msg = fails(&b.run(&["import", bad.to_str().unwrap()]));
    assert!(msg.contains("tally"), "{msg}");
    assert_eq!(listing(&b), listing(&a), "nothing changed");
}

#[test]
fn an_event_a_group_and_a_meeting_by_keys_on_the_events_screen() {
    let env = Env::new();
    let mut tui = crate::e2e::Tui::start(&env, &["--profile", "perhe"]);
    tui.wait_for("Uusi käynti");
    tui.key_then("g", "Tapahtumat ja ryhmät");
    tui.key_then("a", "Uusi tapahtuma");
    tui.keys("Perheiden ilta\r");
    tui.keys("\r");
    tui.keys("740\r\r\r");
    tui.key_then(
        "Kailaan koulu\r",
        "Tapahtuma tallennettu: Perheiden ilta (740)",
    );
    tui.key_then("y", "Uusi ryhmä");
    tui.keys("Uhmaryhmä\r\r");
    tui.key_then("Sinilähde\r", "Ryhmä tallennettu");
    tui.keys("\x1b[B");
    tui.key_then("k", "Ryhmäkerta: Uhmaryhmä");
    tui.keys("\r");
    tui.key_then("8\r", "Uhmaryhmä 1 krt / Sinilähde = 8 käyntikertaa");
    tui.wait_for("ryhmäkäyntejä 8");
    // Up to the event, and its place corrected in its own form.
    tui.keys("\x1b[A");
    tui.key_then("e", "Muokkaa tapahtumaa");
    tui.keys("\r\r\r\r\r");
    tui.keys(&"\x7f".repeat(13));
    tui.key_then("Kirjasto\r", "Tapahtuma muokattu: Perheiden ilta (740)");
    tui.keys("\x1b");
    tui.wait_for("Uusi käynti");
    tui.keys("q");
    assert!(tui.wait_exit().success());
    tui.assert_restored();
    let j: Value = serde_json::from_str(&env.ok(&["event", "list", "--json"])).unwrap();
    assert_eq!(j["events"][0]["entry"]["title"], "Perheiden ilta");
    assert_eq!(j["events"][0]["entry"]["count"], 740);
    assert_eq!(j["events"][0]["entry"]["place"], "Kirjasto");
    assert_eq!(
        j["events"].as_array().unwrap().len(),
        1,
        "edited, not added"
    );
    assert_eq!(j["groups"][0]["meetings"][0]["count"], 8);
    assert_eq!(j["totals"]["group_visits"], 8);
}

#[test]
fn the_register_description_names_head_counts_and_events() {
    let env = Env::new();
    let text = env.ok(&["privacy-notice"]);
    assert!(
        text.contains("- Yhteismäärät: päivystyksessä kerralla"),
        "{text}"
    );
    assert!(text.contains("- Tapahtumat ja ryhmät: otsikko"), "{text}");
}

mod sums {
    //! Property tests: whatever events and groups are stored, the lists
    //! and the totals add up to what went in, and the text says the same.

    use chrono::NaiveDate;
    use proptest::prelude::*;
    use tiski::events::{EventEntry, GroupEntry};
    use tiski::i18n::texts;
    use tiski::locale::Lang;
    use tiski::report::events::EventsReport;
    use tiski::store::Store;

    #[derive(Debug, Clone)]
    enum Group {
        Paper(Option<u32>, u32),
        Meetings(Vec<u32>),
    }

    fn group() -> impl Strategy<Value = Group> {
        prop_oneof![
            (proptest::option::of(0..20u32), 0..500u32).prop_map(|(m, v)| Group::Paper(m, v)),
            proptest::collection::vec(0..40u32, 0..8).prop_map(Group::Meetings),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn totals_are_the_sums_of_what_was_stored(
            events in proptest::collection::vec((proptest::option::of(0..2000u32), any::<bool>(), proptest::option::of(0..300u32), any::<bool>(), 0..365u32), 0..12),
            groups in proptest::collection::vec((group(), 0..365u32), 0..8),
        ) {
            let mut s = Store::open_in_memory().unwrap();
            let jan1 = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
            let (mut attendees, mut approx, mut online) = (0u64, 0u64, 0u64);
            let now = crate::cli::yes(
                NaiveDate::from_ymd_opt(2024, 1, 1).unwrap().and_hms_opt(12, 0, 0).unwrap(),
            );
            let config = tiski::config::Config::embedded();
            let settings = config.profiles["perhe"].event_settings().unwrap();
            for (i, (count, est, on, portions, day)) in events.iter().enumerate() {
                let unit = if *portions { "annosta" } else { "" };
                tiski::desk::add_event(&mut s, settings, EventEntry {
                    profile: "perhe".into(),
                    date: jan1 + chrono::TimeDelta::days(i64::from(*day)),
                    title: format!("T{i}"),
                    kind: if count.is_some() { "tapahtuma" } else { "some" }.into(),
                    count: *count,
                    approx: *est,
                    online: *on,
                    unit: unit.into(),
                    ..EventEntry::default()
                }, &now)
                .unwrap();
                if unit.is_empty() {
                    attendees += u64::from(count.unwrap_or(0));
                    if *est {
                        approx += u64::from(count.unwrap_or(0));
                    }
                }
                online += u64::from(on.unwrap_or(0));
            }
            let (mut visits, mut meetings) = (0u64, 0u64);
            for (i, (g, day)) in groups.iter().enumerate() {
                let (paper_meetings, paper_visits) = match g {
                    Group::Paper(m, v) => (*m, Some(*v)),
                    Group::Meetings(_) => (None, None),
                };
                let date = jan1 + chrono::TimeDelta::days(i64::from(*day));
                let saved = tiski::desk::add_group(&mut s, GroupEntry {
                        profile: "perhe".into(),
                        date,
                        title: format!("G{i}"),
                        paper_meetings,
                        paper_visits,
                        ..GroupEntry::default()
                    }, &now)
                    .unwrap();
                match g {
                    Group::Paper(m, v) => {
                        visits += u64::from(*v);
                        meetings += u64::from(m.unwrap_or(0));
                    }
                    Group::Meetings(ns) => {
                        for n in ns {
                            tiski::desk::add_meeting(&mut s, saved.id, date, *n, &now).unwrap();
                        }
                        visits += ns.iter().map(|n| u64::from(*n)).sum::<u64>();
                        meetings += ns.len() as u64;
                    }
                }
            }
            let dec31 = NaiveDate::from_ymd_opt(2023, 12, 31).unwrap();
            let r = EventsReport::build(
                s.events_between(Some("perhe"), jan1, dec31).unwrap(),
                s.groups_between(Some("perhe"), jan1, dec31).unwrap(),
                Vec::new(),
            );
            let t = r.totals;
            prop_assert_eq!(t.events as usize, events.len());
            prop_assert_eq!(t.groups as usize, groups.len());
            prop_assert_eq!((t.attendees, t.approx_attendees, t.online), (attendees, approx, online));
            prop_assert_eq!((t.group_visits, t.meetings), (visits, meetings));
            let lines: u64 = r.groups.iter().map(|g| g.visits()).sum();
            prop_assert_eq!(lines, visits);
            let total = texts(Lang::Fi).group_visits_total(t.group_visits);
            prop_assert_eq!(total, format!("Käynnit yhteensä {visits}"));
        }
    }
}

//! Small counts in the report through the real binary: a hidden count
//! cannot be worked out from the others (secondary suppression), in every
//! form; a small desk's report that would be mostly "<5" says so in one
//! line instead.

use serde_json::{Value, json};

use crate::cli::Env;

/// A visit to import: its time (`2023-03-01 12:10`), topics and fields.
pub struct Visit {
    pub at: String,
    pub topics: Vec<&'static str>,
    pub fields: Vec<(&'static str, &'static str)>,
}

/// Imports visits of the integration desk, one session a day, as another
/// desk's export would bring them.
pub fn import_visits(env: &Env, visits: &[Visit]) {
    let mut lines = vec![json!({"type": "tiski-export", "version": 1}).to_string()];
    let mut days: Vec<&str> = Vec::new();
    for v in visits {
        if !days.contains(&&v.at[..10]) {
            days.push(&v.at[..10]);
        }
    }
    for (i, day) in days.iter().enumerate() {
        let count = visits.iter().filter(|v| v.at.starts_with(day)).count();
        lines.push(
            json!({
                "type": "session", "id": i + 1, "uid": format!("s-{day}"),
                "profile": "kotouttaminen", "location": "HeiMo-kahvila",
                "device": "testi", "date": day,
                "started_at": format!("{day} 12:00:00"),
                "ended_at": format!("{day} 15:00:00"), "visitors": count,
            })
            .to_string(),
        );
    }
    for (j, v) in visits.iter().enumerate() {
        let fields: serde_json::Map<String, Value> = v
            .fields
            .iter()
            .map(|(k, o)| (k.to_string(), json!(o)))
            .collect();
        lines.push(
            json!({
                "type": "visit", "id": j + 1, "uid": format!("v-{j}"),
                "session_uid": format!("s-{}", &v.at[..10]),
                "at": format!("{}:00", v.at), "topics": v.topics, "referral": null,
                "fields": fields, "note": "", "updated_at": "2024-01-01T00:00:00Z",
            })
            .to_string(),
        );
    }
    let file = env.dir.path().join("desk.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    env.ok(&["import", file.to_str().unwrap()]);
}

/// Visitors on two days by the language each spoke.
fn speakers(env: &Env, langs: &[(&'static str, usize)]) {
    let langs: Vec<&'static str> = langs
        .iter()
        .flat_map(|(l, n)| std::iter::repeat_n(*l, *n))
        .collect();
    let visits: Vec<Visit> = langs
        .iter()
        .enumerate()
        .map(|(k, lang)| Visit {
            at: format!("2023-03-0{} 12:{:02}", 1 + k % 2, 10 + k),
            topics: vec!["kela"],
            fields: vec![("language", lang)],
        })
        .collect();
    import_visits(env, &visits);
}

const DESK_2023: [&str; 6] = [
    "report",
    "--year",
    "2023",
    "--profile",
    "kotouttaminen",
    "--min-count",
];

fn report(env: &Env, min: &str, format: &str) -> String {
    env.ok(&[&DESK_2023[..], &[min, "--format", format]].concat())
}

#[test]
fn a_single_hidden_count_takes_the_next_smallest_with_it_in_every_form() {
    // The case: visitors 9, ukraina 7, so arabia "<5" is 9 − 7.
    let env = Env::new();
    speakers(&env, &[("uk", 7), ("ar", 2)]);
    let j: Value = serde_json::from_str(&report(&env, "5", "json")).unwrap();
    assert_eq!(j["visitors"], 9);
    assert_eq!(j["fields"]["language"]["ar"], "<5");
    assert_eq!(j["fields"]["language"]["uk"], "x", "7 is withheld as well");
    assert_eq!(j["shares"]["fields"]["language"]["uk"], Value::Null);
    // A breakdown with nothing small keeps its count.
    assert_eq!(j["topics"]["kela"], 9);

    // Three languages: 14 − 7 − 5 would give the two away; the 5 goes.
    let env = Env::new();
    speakers(&env, &[("uk", 7), ("fi", 5), ("ar", 2)]);
    let j: Value = serde_json::from_str(&report(&env, "5", "json")).unwrap();
    assert_eq!(j["fields"]["language"]["uk"], 7);
    assert_eq!(j["fields"]["language"]["fi"], "x");
    assert_eq!(j["fields"]["language"]["ar"], "<5");

    let text = report(&env, "5", "text");
    let row = |page: &str, label: &str| -> String {
        page.lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no {label} row in {page}"))
            .to_string()
    };
    let fi = row(&text, "suomi");
    assert!(fi.contains(" x") && !fi.contains('5'), "{fi}");
    assert!(row(&text, "ukraina").contains(" 7 "), "{text}");
    assert!(row(&text, "arabia").contains("<5"), "{text}");
    assert!(
        text.contains("x: piilotettu, jottei pientä määrää voi laskea muista"),
        "the mark is explained under the tables: {text}"
    );
    let md = report(&env, "5", "md");
    assert!(md.contains("| suomi | x |  |"), "{md}");
    let csv = report(&env, "5", "csv");
    assert!(csv.contains(";fi;suomi;x;"), "{csv}");
    assert!(!csv.contains(";fi;suomi;5;"), "{csv}");
    let en = env.ok(&[&DESK_2023[..], &["5", "--lang", "en"]].concat());
    assert!(
        row(&en, "Finnish").contains(" x"),
        "the same in English: {en}"
    );
    // With every count shown, nothing is withheld.
    let all: Value = serde_json::from_str(&report(&env, "1", "json")).unwrap();
    assert_eq!(all["fields"]["language"]["fi"], 5);
    assert_eq!(all["fields"]["language"]["ar"], 2);
}

/// A small desk's month: six visitors, each topic and language at most
/// twice, all in person.
fn small_month(env: &Env) {
    let topics = ["kela", "verotus", "tyo", "asuminen", "kela", "oleskelulupa"];
    let langs = ["uk", "ar", "ar", "ru", "fa", "so"];
    let visits: Vec<Visit> = (0..6)
        .map(|k| Visit {
            at: format!("2023-03-{:02} 12:{:02}", 1 + 7 * (k % 3), 10 + k),
            topics: vec![topics[k]],
            fields: vec![("language", langs[k]), ("channel", "paikan_paalla")],
        })
        .collect();
    import_visits(env, &visits);
}

#[test]
fn a_small_desks_month_leaves_out_what_is_all_hidden_and_says_so_in_one_line() {
    let env = Env::new();
    small_month(&env);
    let month = ["report", "--month", "3/2023", "--profile", "kotouttaminen"];
    let text = env.ok(&month);
    let note = "Jätetty pois, koska kaikki niiden määrät ovat alle 5 ja piilotettu: Aiheet, Kieli.";
    assert_eq!(text.matches(note).count(), 1, "{text}");
    assert!(
        text.contains("Kaikki määrät omaan käyttöön (ei julkaistavaksi): --min-count 1."),
        "{text}"
    );
    // The breakdowns with nothing left to show are left out …
    assert!(!text.lines().any(|l| l.starts_with("Kieli ")), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("Aiheet ")), "{text}");
    // … those with something to show stay.
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("paikan päällä") && l.contains(" 6 ")),
        "{text}"
    );
    assert!(text.matches("<5").count() <= 3, "no page of <5: {text}");
    let md = env.ok(&[&month[..], &["--format", "md"]].concat());
    assert_eq!(md.matches(note).count(), 1, "{md}");
    assert!(!md.contains("## Kieli"), "{md}");
    let en = env.ok(&[&month[..], &["--lang", "en"]].concat());
    assert!(
        en.contains("Left out as every count in them is below 5 and hidden: Topics, Language."),
        "{en}"
    );
    // JSON keeps every key, as a program reads it, and carries the line.
    let j: Value = serde_json::from_str(
        &env.ok(&[&month[..], &["--lang", "fi", "--format", "json"]].concat()),
    )
    .unwrap();
    assert_eq!(j["fields"]["language"]["uk"], "<5");
    assert!(j["hidden_note"].as_str().unwrap().starts_with(note), "{j}");
    // Every count for one's own eyes: no line, nothing left out.
    let all = env.ok(&[&month[..], &["--min-count", "1"]].concat());
    assert!(!all.contains(note), "{all}");
    assert!(all.lines().any(|l| l.starts_with("Kieli ")), "{all}");
    let j: Value = serde_json::from_str(
        &env.ok(&[&month[..], &["--min-count", "1", "--format", "json"]].concat()),
    )
    .unwrap();
    assert_eq!(j["hidden_note"], Value::Null);
    // A breakdown with a count left to show stays, its small ones "<5".
    let env = Env::new();
    speakers(&env, &[("uk", 7), ("ar", 2), ("fa", 1)]);
    let text = env.ok(&DESK_2023[..5]);
    assert!(!text.contains("Jätetty pois"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("Kieli ")), "{text}");
}

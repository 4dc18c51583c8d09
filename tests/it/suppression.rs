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

/// Nine visitors on two days: seven spoke Ukrainian, two Arabic.
fn nine_visitors(env: &Env) {
    let visits: Vec<Visit> = (0..9)
        .map(|k| Visit {
            at: format!("2023-03-0{} 12:{:02}", 1 + k % 2, 10 + k),
            topics: vec!["kela"],
            fields: vec![("language", if k < 7 { "uk" } else { "ar" })],
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
    let env = Env::new();
    nine_visitors(&env);
    let j: Value = serde_json::from_str(&report(&env, "5", "json")).unwrap();
    assert_eq!(j["visitors"], 9);
    assert_eq!(j["fields"]["language"]["ar"], "<5");
    // 9 − 7 would give the two away: the 7 is withheld as well.
    assert_eq!(j["fields"]["language"]["uk"], "x");
    assert_eq!(j["shares"]["fields"]["language"]["uk"], Value::Null);
    // A breakdown with nothing small keeps its count.
    assert_eq!(j["topics"]["kela"], 9);

    let text = report(&env, "5", "text");
    let row = |page: &str, label: &str| -> String {
        page.lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no {label} row in {page}"))
            .to_string()
    };
    let uk = row(&text, "ukraina");
    assert!(uk.contains(" x") && !uk.contains('7'), "{uk}");
    assert!(row(&text, "arabia").contains("<5"), "{text}");
    assert!(
        text.contains("x: piilotettu, jottei pientä määrää voi laskea muista"),
        "the mark is explained under the tables: {text}"
    );
    let md = report(&env, "5", "md");
    assert!(md.contains("| ukraina | x |  |"), "{md}");
    let csv = report(&env, "5", "csv");
    assert!(csv.contains(";uk;ukraina;x;"), "{csv}");
    assert!(!csv.contains(";uk;ukraina;7;"), "{csv}");
    let en = env.ok(&[&DESK_2023[..], &["5", "--lang", "en"]].concat());
    assert!(
        row(&en, "Ukrainian").contains(" x"),
        "the same in English: {en}"
    );
    // With every count shown, nothing is withheld.
    let all: Value = serde_json::from_str(&report(&env, "1", "json")).unwrap();
    assert_eq!(all["fields"]["language"]["uk"], 7);
    assert_eq!(all["fields"]["language"]["ar"], 2);
}

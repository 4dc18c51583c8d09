//! Vouchers end to end through the binary: the CLI with good and bad
//! input, numbering with two processes at once, the PDF, the purge, and
//! snapshots of the form, notice and register.

use std::collections::BTreeSet;

use serde_json::Value;
use tiski::app::App;
use tiski::locale::Lang;

use super::cli::{Env, fails};
use super::snapshots::{press, screen};

fn list(env: &Env, season: &str) -> Vec<Value> {
    let out = env.ok(&["voucher", "list", "--season", season, "--json"]);
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn issue(env: &Env, product: &str, at: &str) -> String {
    env.ok(&["voucher", "issue", "--product", product, "--at", at])
}

#[test]
fn a_season_from_first_voucher_to_summary_via_the_cli() {
    let env = Env::new();
    let out = issue(&env, "liukuesteet", "2023-11-01 10:05");
    assert_eq!(out.trim(), "LE-2023-001 myönnetty, voimassa 29.2.2024 asti");
    env.ok(&[
        "voucher",
        "issue",
        "--product",
        "nastakengat",
        "--birth-year",
        "1948",
        "--at",
        "2023-11-14 10:41",
    ]);
    issue(&env, "nastoitus", "2023-11-14 11:00");
    issue(&env, "liukuesteet", "2023-12-05 10:00");

    let vouchers = list(&env, "2023-2024");
    assert_eq!(vouchers.len(), 4);
    let v = &vouchers[1];
    assert_eq!(v["number"], "LE-2023-002");
    assert_eq!(v["product"], "nastakengat");
    assert_eq!(v["issued_on"], "2023-11-14");
    assert_eq!(v["valid_until"], "2024-02-29");
    assert_eq!(v["birth_year"], 1948);
    assert_eq!(v["max_sum_eur"], 60.0);
    assert!(v["status"] == "issued" || v["status"] == "expired");

    // Each voucher is a visit with the topic set automatically.
    let day = env.tally_json(&["--date", "2023-11-14", "--profile", "ikaihmiset"]);
    assert_eq!(day["visitors"], 2);
    assert_eq!(day["topics"]["liukuesteet"], 2);
    assert_eq!(day["vouchers_issued"]["nastakengat"], 1);
    assert_eq!(day["vouchers_issued"]["nastoitus"], 1);

    let out = env.ok(&[
        "voucher",
        "use",
        "LE-2023-002",
        "--amount",
        "59,90",
        "--date",
        "2023-11-20",
        "--shop",
        "Kenkä Oy",
    ]);
    assert!(
        out.contains("LE-2023-002 merkitty käytetyksi: 59,90 €"),
        "{out}"
    );
    env.ok(&[
        "voucher",
        "cancel",
        "LE-2023-003",
        "--reason",
        "väärä tuote",
    ]);

    let s: Value =
        serde_json::from_str(&env.ok(&["voucher", "summary", "--season", "2023", "--json"]))
            .unwrap();
    assert_eq!(s["season"], "2023-2024");
    // Issued means in force, used or expired: the cancelled one apart, as
    // the duty header, the tally and the report count.
    assert_eq!(s["issued"], 3);
    assert_eq!(s["used"], 1);
    assert_eq!(s["cancelled"], 1);
    assert_eq!(
        s["expired"].as_u64().unwrap() + s["outstanding"].as_u64().unwrap(),
        2
    );
    assert_eq!(s["invoiced_eur"], 59.9);
    assert_eq!(s["products"]["liukuesteet"]["issued"], 2);
    assert_eq!(s["products"]["nastakengat"]["used"], 1);
    assert_eq!(
        s["weeks"]["2023-W46"], 1,
        "LE-2023-002; LE-2023-003 was cancelled"
    );
    assert_eq!(s["before_tiski"][1]["count"], 429);

    // The next season compares with this one.
    issue(&env, "liukuesteet", "2024-11-05 10:00");
    let s: Value =
        serde_json::from_str(&env.ok(&["voucher", "summary", "--season", "2024-2025", "--json"]))
            .unwrap();
    assert_eq!(s["issued"], 1);
    assert_eq!(s["earlier_seasons"][0]["season"], "2023-2024");
    assert_eq!(s["earlier_seasons"][0]["count"], 3);
    let text = env.ok(&[
        "voucher",
        "summary",
        "--season",
        "2024-2025",
        "--lang",
        "en",
    ]);
    assert!(text.contains("Vouchers, season 2024–2025"), "{text}");
    assert!(text.contains("Earlier seasons in tiski"), "{text}");
    assert!(text.contains("anti-slip devices handed out"), "{text}");
    let text = env.ok(&["--lang", "fi", "voucher", "list", "--season", "2023-2024"]);
    assert!(
        text.contains("LE-2023-003") && text.contains("Mitätöinnin syy: väärä tuote"),
        "{text}"
    );
    // The columns line up under their headings, whatever the widths.
    let lines: Vec<&str> = text.lines().collect();
    let col = |line: &str, word: &str| line.find(word).map(|b| line[..b].chars().count());
    let status_at = col(lines[1], "Tila").unwrap();
    for (row, status) in [("LE-2023-002", "käytetty"), ("LE-2023-003", "mitätöity")] {
        let line = lines.iter().find(|l| l.starts_with(row)).unwrap();
        assert_eq!(col(line, status), Some(status_at), "{text}");
    }
}

#[test]
fn bad_voucher_input_is_refused_with_the_value_and_changes_nothing() {
    let env = Env::new();
    issue(&env, "liukuesteet", "2023-11-14 10:00");
    let before = list(&env, "2023");

    let err = fails(&env.run(&["voucher", "use", "LE-2023-099", "--amount", "10"]));
    assert!(err.contains("\"LE-2023-099\""), "{err}");
    let err = fails(&env.run(&[
        "voucher",
        "use",
        "LE-2023-001",
        "--amount",
        "30,01",
        "--date",
        "2023-11-20",
    ]));
    assert!(err.contains("30,01 €") && err.contains("30,00 €"), "{err}");
    let err = fails(&env.run(&["voucher", "use", "LE-2023-001", "--amount", "kymppi"]));
    assert!(err.contains("\"kymppi\""), "{err}");
    let err = fails(&env.run(&[
        "voucher",
        "issue",
        "--product",
        "liukuesteet",
        "--birth-year",
        "2099",
    ]));
    assert!(err.contains("\"2099\""), "{err}");
    let err = fails(&env.run(&["voucher", "issue", "--product", "sukset"]));
    assert!(
        err.contains("\"sukset\"") && err.contains("liukuesteet"),
        "{err}"
    );
    let err = fails(&env.run(&["voucher", "list", "--season", "talvi", "--lang", "en"]));
    assert!(err.contains("\"talvi\""), "{err}");
    assert_eq!(list(&env, "2023"), before, "nothing changed");

    env.ok(&[
        "voucher",
        "use",
        "LE-2023-001",
        "--amount",
        "25",
        "--date",
        "2023-11-20",
    ]);
    let err = fails(&env.run(&[
        "voucher",
        "use",
        "LE-2023-001",
        "--amount",
        "25",
        "--lang",
        "en",
    ]));
    assert!(err.contains("already used (2023-11-20)"), "{err}");
    let err = fails(&env.run(&[
        "--lang",
        "fi",
        "voucher",
        "cancel",
        "LE-2023-001",
        "--reason",
        "x",
    ]));
    assert!(
        err.contains("LE-2023-001") && err.contains("ei voi mitätöidä"),
        "{err}"
    );
    let used = list(&env, "2023");
    assert_eq!(used[0]["status"], "used");
    assert_eq!(used[0]["used_amount_eur"], 25.0);
    assert_eq!(used[0]["cancel_reason"], Value::Null);
    // A profile without vouchers.
    let err = fails(&env.run(&[
        "voucher",
        "issue",
        "--profile",
        "kotouttaminen",
        "--product",
        "liukuesteet",
    ]));
    assert!(err.contains("\"kotouttaminen\""), "{err}");
}

#[test]
fn two_processes_issuing_at_once_get_unique_contiguous_numbers() {
    let env = Env::new();
    env.init_db();
    const PER_PROCESS: usize = 12;
    std::thread::scope(|s| {
        for p in 0..2 {
            let env = &env;
            s.spawn(move || {
                for i in 0..PER_PROCESS {
                    let at = format!("2023-11-{:02} 10:{:02}", 14 + p, i);
                    issue(env, "liukuesteet", &at);
                }
            });
        }
    });
    let numbers: Vec<String> = list(&env, "2023-2024")
        .iter()
        .map(|v| v["number"].as_str().unwrap().to_string())
        .collect();
    let unique: BTreeSet<&String> = numbers.iter().collect();
    assert_eq!(unique.len(), 2 * PER_PROCESS, "{numbers:?}");
    let expected: BTreeSet<String> = (1..=2 * PER_PROCESS)
        .map(|i| format!("LE-2023-{i:03}"))
        .collect();
    assert_eq!(unique, expected.iter().collect(), "contiguous from 001");
    let day = env.tally_json(&["--date", "2023-11-14"]);
    assert_eq!(day["visitors"], PER_PROCESS as u64);
}

#[test]
fn print_writes_a_one_page_a4_pdf_and_says_where() {
    let env = Env::new();
    issue(&env, "nastakengat", "2023-11-14 10:00");
    let out_file = env.dir.path().join("out").join("sitoumus.pdf");
    let out = env.ok(&[
        "voucher",
        "print",
        "LE-2023-001",
        "--out",
        out_file.to_str().unwrap(),
        // Expired by now: printed as a copy (tests/it/printing.rs).
        "--copy",
    ]);
    assert!(out.contains(out_file.to_str().unwrap()), "{out}");
    let doc = lopdf::Document::load(&out_file).unwrap();
    assert_eq!(doc.get_pages().len(), 1);
    let page = doc.get_pages()[&1];
    let media = doc.get_dictionary(page).unwrap().get(b"MediaBox").unwrap();
    let media: Vec<f32> = media
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_float().unwrap())
        .collect();
    assert_eq!(media, [0.0, 0.0, 595.0, 842.0], "A4");
    let text = doc.extract_text(&[1]).unwrap();
    for want in [
        "LE-2023-001",
        "Nastakengät",
        "60,00 €",
        "Voimassa asti",
        "29.2.2024",
        "Kertakäyttöinen",
        "kuvallisesta",
        "verkkolaskuna",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    // The default place is Documents/tiski (or ~/tiski) under HOME.
    let en = env.ok(&["voucher", "print", "LE-2023-001", "--copy", "--lang", "en"]);
    assert!(en.contains("LE-2023-001.pdf"), "{en}");
    let err = fails(&env.run(&["voucher", "print", "LE-2023-404"]));
    assert!(err.contains("\"LE-2023-404\""), "{err}");
}

#[test]
fn purge_keeps_counts_and_removes_birth_years() {
    let env = Env::new();
    env.ok(&[
        "voucher",
        "issue",
        "--product",
        "liukuesteet",
        "--birth-year",
        "1941",
        "--at",
        "2022-11-14 10:00",
    ]);
    env.ok(&[
        "voucher",
        "issue",
        "--product",
        "liukuesteet",
        "--birth-year",
        "1950",
        "--at",
        "2023-11-14 10:00",
    ]);
    let out = env.ok(&["purge", "--before", "2023-06-01"]);
    assert!(out.contains(" 1 "), "{out}");
    assert_eq!(list(&env, "2022")[0]["birth_year"], Value::Null);
    assert_eq!(list(&env, "2022").len(), 1, "the count is kept");
    assert_eq!(list(&env, "2023")[0]["birth_year"], 1950);
    let err = fails(&env.run(&["purge", "--before", "31.2.2023"]));
    assert!(err.contains("\"31.2.2023\""), "{err}");
}

// ---- screens ---------------------------------------------------------------

fn app(lang: Lang) -> App {
    super::support::app_at("2023-11-14 10:00")
        .lang(lang)
        .profile("ikaihmiset")
        .open()
        .unwrap()
}

fn both(keys: &str, name: &str) {
    for (lang, suffix) in [(Lang::Fi, "fi"), (Lang::En, "en")] {
        let mut a = app(lang);
        press(&mut a, keys);
        insta::assert_snapshot!(format!("{name}_{suffix}"), screen(&a, 80, 24));
    }
}

#[test]
fn voucher_form_snapshots() {
    // Product, the birth date being typed, then Tab to the name.
    both("2v11.2.1948\tMatti", "voucher_form");
}

#[test]
fn voucher_form_name_shown_and_help_snapshots() {
    // `*` shows the name typed, and what the duplicate check compares.
    both("2v11.2.1948\tVirtanen,  Matti*", "voucher_form_name_shown");
    // `?` lists the form's keys, over the form.
    both("2v1?", "voucher_form_help");
}

#[test]
fn the_voucher_forms_own_keys_keep_what_was_typed() {
    let mut a = app(Lang::Fi);
    press(&mut a, "v11.2.1948\tMatti*");
    let shown = format!("{:?}", screen(&a, 80, 24).buffer());
    assert!(shown.contains("Nimi: Matti▏"), "{shown}");
    assert!(shown.contains("matti · 1.2.1948"), "{shown}");
    press(&mut a, "*");
    let masked = format!("{:?}", screen(&a, 80, 24).buffer());
    assert!(masked.contains("Nimi: •••••▏"), "{masked}");
    assert!(!masked.contains("Matti"), "{masked}");
    // `?` opens the form's keys; Esc goes back to the form as it was.
    press(&mut a, "?");
    assert_eq!(a.view, tiski::app::View::Help);
    press(&mut a, "\x1b");
    assert_eq!(a.view, tiski::app::View::Duty);
    press(&mut a, " Virtanen\n");
    let v = a.store.voucher_by_number("LE-2023-001").unwrap();
    assert!(v.checked_identity);
    assert_eq!(v.birth_year, Some(1948));
}

#[test]
fn voucher_duplicate_warning_snapshot() {
    both(
        "v11.2.1948\tMatti Virtanen\n v21.2.1948\tMatti Virtanen\n",
        "voucher_duplicate",
    );
}

#[test]
fn voucher_issued_notice_snapshots() {
    both("v21970\n", "voucher_issued");
}

#[test]
fn voucher_register_snapshots() {
    both(
        "v1\n v2\n v3\n mk25\t\tKenkä Oy\n↓↓xvirhe\n",
        "voucher_register",
    );
    both("v1\n mk", "voucher_register_use_dialog");
    both("v1\n v2\n t", "voucher_day_tally");
    both("v1\n v2\n v2\n mk25\n↓↓xvirhe\ns", "voucher_season_summary");
    // Searched by product; and a status filter that shows none.
    both("v1\n v2\n v1\n m/nasta", "voucher_register_search");
    both("v1\n mxvirhe\nf", "voucher_register_none_valid");
    // Printing: the dialog (recipient, issuer, place) for the printer, and
    // the question before a copy of a used voucher.
    both("v1\n mP", "voucher_print_dialog");
    // Cancelling: the reason is asked for, and Enter cancels.
    both("v1\n mx", "voucher_cancel_dialog");
    both("v1\n mk25\np", "voucher_print_copy_question");
    // Today's list marks the cancelled voucher.
    both("v1\n v2\n mxvirhe\n\x1b", "voucher_cancelled_in_list");
}

#[test]
fn a_bad_voucher_table_in_a_user_config_names_file_and_line() {
    let env = Env::new();
    env.init_db();
    let full = env.ok(&["config"]);
    let bad = full.replace("prefix = \"LE\"", "prefix = \"le\"");
    let line = bad
        .lines()
        .position(|l| l.contains("prefix = \"le\""))
        .unwrap()
        + 1;
    let path = env.dir.path().join("u.toml");
    std::fs::write(&path, bad).unwrap();
    let err = fails(&env.run(&["--config", path.to_str().unwrap(), "voucher", "list"]));
    assert!(err.contains(&format!("u.toml, rivi {line}")), "{err}");
    assert!(err.contains("\"le\""), "{err}");
    // Turning vouchers off in a user file is respected.
    let off = full.replace("enabled = true", "enabled = false");
    std::fs::write(&path, off).unwrap();
    let err = fails(&env.run(&["--config", path.to_str().unwrap(), "voucher", "list"]));
    assert!(err.contains("ei ole maksusitoumuksia"), "{err}");
}

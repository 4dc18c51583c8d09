//! Privacy through the real binary: notes refusing identities (`log
//! --note`, import, the note editor by keys and in snapshots), temporary
//! copies, rare combinations blanked in the CSV exports, and the register
//! description.

use std::path::{Path, PathBuf};

use chrono::Duration;
use serde_json::Value;
use tiski::app::App;
use tiski::config::Config;
use tiski::locale::Lang;
use tiski::store::Store;

use crate::cli::{Env, fails};
use crate::e2e::Tui;
use crate::retention::{OLD_NOTE, days_ago, today, visit};
use crate::snapshots::{press, screen};

// ---- notes ---------------------------------------------------------------

#[test]
fn log_note_refuses_identities_and_control_characters_and_saves_nothing() {
    let env = Env::new();
    let log = |note: &str, lang: &str| {
        env.run(&[
            "log",
            "--profile",
            "ikaihmiset",
            "--topic",
            "sote",
            "--note",
            note,
            "--lang",
            lang,
        ])
    };
    let err = fails(&log("Asiakkaan hetu 131052-308T, soita", "fi"));
    assert!(
        err.contains("henkilötunnus (merkki 16: 131052-****)"),
        "{err}"
    );
    assert!(!err.contains("308T"), "the code is not echoed: {err}");
    assert!(err.contains("komentohistoriasta"), "{err}");
    let err = fails(&log("tytär +358 40 1234567", "en"));
    assert!(
        err.contains("a phone number (character 7: +358 ** *******)"),
        "{err}"
    );
    let err = fails(&log("posti matti.m@esimerkki.fi", "fi"));
    assert!(
        err.contains("sähköpostiosoite (merkki 7: m***@esimerkki.fi)"),
        "{err}"
    );
    let err = fails(&log("rivi\ntoinen", "fi"));
    assert!(err.contains("ohjausmerkki (merkki 5)"), "{err}");
    let err = fails(&log("\u{1b}[31mpunainen", "en"));
    assert!(err.contains("control character (character 1)"), "{err}");
    let err = fails(&log(&"x".repeat(501), "fi"));
    assert!(err.contains("501 merkkiä"), "{err}");
    assert!(!env.db().exists(), "nothing was saved, no log made");

    // A look-alike with a wrong check character is some other reference.
    env.ok(&[
        "log",
        "--profile",
        "ikaihmiset",
        "--topic",
        "sote",
        "--note",
        "viite 131052-308U",
    ]);
    let jsonl = env.ok(&["export", "--format", "jsonl"]);
    assert!(jsonl.contains("\"note\":\"viite 131052-308U\""), "{jsonl}");
}

fn jsonl_with_note(env: &Env, note: &str) -> PathBuf {
    env.ok(&[
        "log",
        "--confirm",
        "--profile",
        "ikaihmiset",
        "--topic",
        "sote",
        "--at",
        "2026-01-13 10:00",
    ]);
    env.ok(&[
        "log",
        "--confirm",
        "--profile",
        "ikaihmiset",
        "--topic",
        "kela",
        "--at",
        "2026-01-13 10:20",
    ]);
    let text = env.ok(&["export", "--format", "jsonl"]);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let last = lines.len() - 1;
    let mut v: Value = serde_json::from_str(&lines[last]).unwrap();
    assert_eq!(v["type"], "visit");
    v["note"] = note.into();
    lines[last] = v.to_string();
    let file = env.dir.path().join("desk.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    file
}

#[test]
fn an_import_holding_an_identity_is_refused_naming_its_line() {
    let from = Env::new();
    let file = jsonl_with_note(&from, "soita 040 123 4567");
    let env = Env::new();
    env.init_db();
    let err = fails(&env.run(&["import", file.to_str().unwrap()]));
    assert!(err.contains("desk.jsonl, rivi 4:"), "{err}");
    assert!(
        err.contains("puhelinnumero (merkki 7: 040 *** ****)"),
        "{err}"
    );
    assert!(err.contains("ei tuotu mitään"), "{err}");
    assert_eq!(env.tally_json(&["--date", "2026-01-13"])["visitors"], 0);

    // Another desk's database: named by the visit, and its private copy is
    // made in the data folder and gone afterwards, whether the import
    // fails or not.
    let other = Env::new();
    {
        let mut s = Store::open(&other.db()).unwrap();
        visit(&mut s, days_ago(5, "10:00"), "");
        drop(s);
        // Written past tiski's rules, as another program (or an older
        // tiski) could have.
        rusqlite::Connection::open(other.db())
            .unwrap()
            .execute("UPDATE visits SET note = 'posti anna@esimerkki.fi'", [])
            .unwrap();
    }
    let tmp = env.tmpdir.clone().expect("its own temp folder");
    let out = env
        .cmd()
        .env("TMPDIR", &tmp)
        .args(["import", other.db().to_str().unwrap(), "--lang", "en"])
        .output()
        .unwrap();
    let err = fails(&out);
    assert!(err.contains("the note of the visit at"), "{err}");
    assert!(
        err.contains("an e-mail address (character 7: a***@esimerkki.fi)"),
        "{err}"
    );
    let data = env.db().parent().unwrap().to_path_buf();
    let left = |dir: &Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("import"))
            .collect()
    };
    assert!(left(&data).is_empty(), "{:?}", left(&data));
    assert!(left(&tmp).is_empty(), "nothing in the system temp folder");
    // A clean database imports, and leaves no copy either.
    let clean = Env::new();
    {
        let mut s = Store::open(&clean.db()).unwrap();
        visit(&mut s, days_ago(5, "10:00"), "kysyi asumistuesta");
    }
    env.cmd()
        .env("TMPDIR", &tmp)
        .args(["import", clean.db().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        env.tally_json(&["--date", &(today() - Duration::days(5)).to_string()])["visitors"],
        1
    );
    assert!(left(&data).is_empty() && left(&tmp).is_empty());
}

#[test]
fn a_stale_temporary_copy_is_removed_on_the_next_start() {
    let env = Env::new();
    env.init_db();
    let stale = tiski::files::temp_name(&env.db(), "import");
    let fresh = tiski::files::temp_name(&env.db(), "import");
    for p in [&stale, &fresh] {
        // A copy of a log holding a note past retention.
        let conn = rusqlite::Connection::open(p).unwrap();
        conn.execute_batch(&format!(
            "CREATE TABLE sessions(id); CREATE TABLE visits(note);
             INSERT INTO visits VALUES ('{OLD_NOTE}');"
        ))
        .unwrap();
    }
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    let out = env.run(&["doctor"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("!!  keskeytyneiden komentojen väliaikaisia kopioita on jäljellä"),
        "{text}"
    );
    assert!(text.contains("tiski purge --due"), "{text}");
    // Another tiski has the database (as an import running elsewhere
    // would): only the stale copy goes.
    let other = tiski::store::lock::DeskLock::shared(&env.db()).unwrap();
    env.ok(&["tally"]);
    assert!(!stale.exists(), "swept at start-up");
    assert!(fresh.exists(), "may belong to a command still running");
    // With no other tiski, no command can be using it: it goes too.
    drop(other);
    env.ok(&["tally"]);
    assert!(!fresh.exists(), "swept when tiski has the database alone");
}

// ---- the note editor -------------------------------------------------------

fn editor(lang: Lang) -> App {
    let mut a = super::support::app_at("2023-11-14 10:00")
        .lang(lang)
        .profile("ikaihmiset")
        .open()
        .unwrap();
    press(
        &mut a,
        "2nSoita tyttärelle 040 123 4567, hetu 131052-308T\n",
    );
    a
}

#[test]
fn the_note_editor_says_what_it_refused_and_where() {
    for (lang, suffix) in [(Lang::Fi, "fi"), (Lang::En, "en")] {
        let a = editor(lang);
        insta::assert_snapshot!(format!("note_refused_{suffix}"), screen(&a, 80, 24));
    }
    // Enter on the form then saves nothing: the note is not on it.
    let mut a = editor(Lang::Fi);
    press(&mut a, "\x1b\n");
    assert_eq!(a.duty.as_ref().unwrap().counters.session, 1);
    assert_eq!(a.duty.as_ref().unwrap().today[0].entry.note, "");
}

// ---- exports ---------------------------------------------------------------

/// Seven integration-desk visits imported with their fields: six alike,
/// one speaking Arabic with a phone interpreter.
fn integration_visits(env: &Env) {
    let session = serde_json::json!({"type":"session","uid":"s1","profile":"kotouttaminen",
        "location":"HeiMo-kahvila","device":"d1","date":"2026-03-03",
        "started_at":"2026-03-03 10:00:00","ended_at":"2026-03-03 12:00:00"});
    let header = r#"{"type":"tiski-export","version":1}"#;
    let mut lines = vec![header.to_string(), session.to_string()];
    for i in 0..7 {
        let (language, interpreting) = if i == 3 {
            ("ar", "puhelin")
        } else {
            ("fi", "ei")
        };
        lines.push(
            serde_json::json!({"type":"visit","uid":format!("v{i}"),"session_uid":"s1",
            "at":format!("2026-03-03 10:{:02}:00", i * 5),"topics":["asuminen"],
            "fields":{"language":language,"interpreting":interpreting,"channel":"paikan_paalla"},
            "note":"","updated_at":"2026-03-03T08:00:00Z"})
            .to_string(),
        );
    }
    let file = env.dir.path().join("heimo.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    env.ok(&["import", file.to_str().unwrap()]);
}

fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn the_visit_csv_blanks_rare_combinations_and_says_how_many_cells() {
    let env = Env::new();
    integration_visits(&env);
    let args = ["export", "--format", "csv", "--profile", "kotouttaminen"];
    let out = env.run(&args);
    assert!(out.status.success());
    let (header, rows) = read_csv(&out.stdout);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let fields = Config::embedded().profiles["kotouttaminen"].fields.len();
    let rare = rows
        .iter()
        .find(|r| r[col("Kieli")] == "<5")
        .expect("the rare row");
    for label in ["Kieli", "Tulkkaus", "Kanava", "Ikä"] {
        assert_eq!(rare[col(label)], "<5", "{label}");
    }
    assert_eq!(rare[col("Asuminen")], "1", "topics stay");
    assert_eq!(
        rows.iter().filter(|r| r[col("Kieli")] == "suomi").count(),
        6
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{fields} solua näkyy muodossa <5")),
        "{stderr}"
    );

    // --min-count 1 (or 0) blanks nothing; a higher one blanks all.
    let all = env.run(&[&args[..], &["--min-count", "1"]].concat());
    let (_, rows) = read_csv(&all.stdout);
    assert!(rows.iter().any(|r| r[col("Kieli")] == "arabia"));
    assert!(String::from_utf8_lossy(&all.stderr).is_empty());
    let strict = env.run(&[&args[..], &["--min-count", "8", "--lang", "en"]].concat());
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(
        stderr.contains(&format!("{} cells show as <8", 7 * fields)),
        "{stderr}"
    );
    // JSONL, the lossless transfer form, keeps everything.
    let jsonl = env.ok(&["export", "--format", "jsonl"]);
    assert!(jsonl.contains("\"language\":\"ar\""));
}

#[test]
fn the_voucher_csv_blanks_a_rare_birth_year() {
    let env = Env::new();
    for (i, year) in ["1948", "1948", "1948", "1948", "1948", "1931"]
        .iter()
        .enumerate()
    {
        env.ok(&[
            "voucher",
            "issue",
            "--product",
            "liukuesteet",
            "--birth-year",
            year,
            "--at",
            &format!("2025-11-{:02} 10:00", 4 + i),
        ]);
    }
    let out = env.run(&["export", "--format", "voucher-csv", "--season", "2025-2026"]);
    let (header, rows) = read_csv(&out.stdout);
    let year = header.iter().position(|h| h == "Syntymävuosi").unwrap();
    let years: Vec<&str> = rows.iter().map(|r| r[year].as_str()).collect();
    assert_eq!(years.iter().filter(|y| **y == "1948").count(), 5);
    assert!(
        years.contains(&"<5") && !years.contains(&"1931"),
        "{years:?}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 solu näkyy"));
}

// ---- the register description -----------------------------------------------

#[test]
fn the_privacy_notice_names_every_field_and_the_retention_from_the_config() {
    let env = Env::new();
    let md = env.ok(&["privacy-notice"]);
    assert!(md.starts_with("# Tietosuojaseloste (luonnos)"), "{md}");
    let config = Config::embedded();
    for p in config.profiles.values() {
        assert!(md.contains(&p.fi), "{}", p.fi);
        for f in &p.fields {
            assert!(md.contains(&format!("{}:", f.fi)), "field {}", f.fi);
            for o in f.options.iter().filter(|o| !o.retired) {
                assert!(md.contains(&o.fi), "option {}", o.fi);
            }
        }
    }
    for needle in [
        "365 päivää",
        "90 päivää",
        "syntymävuosi",
        "HMAC-SHA256",
        "Vapaamuotoinen huomio",
        "[rekisterinpitäjän nimi",
        "Rekisteröidyn oikeudet",
        "tietosuojavaltuutetun toimisto",
        "Muita tietoja henkilöistä ei tallenneta",
        &env.db().display().to_string(),
    ] {
        assert!(md.contains(needle), "{needle}");
    }
    assert!(md.contains("## 13. "), "all sections: {md}");

    // From the user's config: controller, retention, a profile of its own.
    let file = env.dir.path().join("u.toml");
    std::fs::write(
        &file,
        r#"language = "en"
[retention]
notes_days = 180
voucher_identity_days = 30
[privacy]
min_count = 3
controller = "Heinolan kaupunki, hyvinvoinnin edistäminen"
contact = "hyte@heinola.example"
[profiles.nuoret]
fi = "Nuorten ohjaus"
en = "Youth guidance"
default_location = "Nuorisotila"
locations = ["Nuorisotila"]
topics = [ { key = "koulu", fi = "Koulu", en = "School" } ]
[[profiles.nuoret.fields]]
key = "school_level"
hotkey = "j"
fi = "Kouluaste"
en = "School level"
options = [ { key = "yla", fi = "yläkoulu", en = "lower secondary" } ]
"#,
    )
    .unwrap();
    let md = env.ok(&["--config", file.to_str().unwrap(), "privacy-notice"]);
    for needle in [
        "180 päivää",
        "30 päivää",
        "alle 3 suuruiset",
        "Heinolan kaupunki, hyvinvoinnin edistäminen",
        "hyte@heinola.example",
        "Nuorten ohjaus (Nuorisotila)",
        "Kouluaste: yläkoulu",
    ] {
        assert!(md.contains(needle), "{needle}: {md}");
    }
    assert!(
        md.starts_with("# Tietosuojaseloste"),
        "Finnish whatever the interface language"
    );
    let en = env.ok(&[
        "--config",
        file.to_str().unwrap(),
        "privacy-notice",
        "--lang",
        "en",
        "--format",
        "text",
    ]);
    assert!(en.starts_with("Privacy notice (draft)"), "{en}");
    assert!(
        en.contains("School level: lower secondary") && en.contains("180 days"),
        "{en}"
    );
    let err = fails(&env.run(&["privacy-notice", "--format", "pdf"]));
    assert!(err.contains("\"pdf\""), "{err}");
    let out = env.dir.path().join("seloste.md");
    env.ok(&["privacy-notice", "--out", out.to_str().unwrap()]);
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("## 6. Rekisterin tietosisältö")
    );
}

/// The README links the draft for the embedded defaults; it must say what
/// `tiski privacy-notice` says (the day it was made aside).
#[test]
fn the_published_draft_is_the_one_tiski_writes_for_the_embedded_defaults() {
    let env = Env::new();
    let out = std::process::Command::new(super::cli::bin())
        .env_clear()
        .env("HOME", env.dir.path())
        .env("XDG_CONFIG_HOME", env.dir.path().join("config"))
        .args([
            "--db",
            "/home/neuvoja/.local/share/tiski/tiski.db",
            "privacy-notice",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let undated = |s: &str| -> String {
        s.lines()
            .map(|l| match l.find("asetuksista ") {
                Some(i) => l[..i].to_string(),
                None => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let file =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("TIETOSUOJASELOSTE.md"))
            .unwrap();
    assert_eq!(
        undated(&file),
        undated(&String::from_utf8(out.stdout).unwrap()),
        "regenerate: tiski --db /home/neuvoja/.local/share/tiski/tiski.db privacy-notice > TIETOSUOJASELOSTE.md"
    );
}

#[test]
fn a_note_with_an_identity_cannot_be_saved_by_keys() {
    let env = Env::new();
    let mut tui = Tui::start(&env, &["--profile", "ikaihmiset"]);
    tui.wait_for("Uusi käynti");
    tui.keys("2");
    tui.wait_for("2 [x] Digituki");
    tui.key_then("n", "älä kirjoita nimiä");
    tui.keys("Tytär 040 123 4567");
    tui.wait_for("Tytär 040 123 4567");
    tui.key_then("\r", "Huomiossa on puhelinnumero (merkki 7: 040 *** ****)");
    tui.wait_for("älä kirjoita nimiä");
    // Still in the editor: remove the number, then the note is taken.
    tui.keys(&"\x7f".repeat(13));
    tui.key_then("\r", "Huomio: Tytär");
    tui.key_then("\r", "Tämä päivystys 1");
    tui.keys("q");
    assert!(tui.wait_exit().success());
    let jsonl = env.ok(&["export", "--format", "jsonl"]);
    assert!(jsonl.contains("\"note\":\"Tytär\""), "{jsonl}");
    assert!(!jsonl.contains("4567"));
}

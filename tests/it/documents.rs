//! The Excel workbook and the Word chapter of the fixture year, opened by
//! LibreOffice headless and read back against the JSON report of the same
//! period: the welfare report's 69 visitors in 13 sessions (ka 5,3), the
//! breakdowns, visitors per session, and the events lists in the report's
//! own form. One `soffice` run for each file.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use calamine::Data;
use serde_json::Value;

use crate::cli::Env;
use crate::office::{convert, number, row_of, serial, sheets, soffice, text};

/// The fixture year of the elderly desk, with an event, a group and the
/// event's feedback.
fn desk() -> Env {
    let env = Env::new();
    crate::report::log_year(&env, "Kirjasto");
    let desk = ["--profile", "ikaihmiset"];
    let ok = |args: &[&str]| env.ok(&[&desk[..], args].concat());
    ok(&[
        "event",
        "add",
        "--title",
        "Syysfestarit",
        "--date",
        "2023-09-21",
        "--count",
        "300",
    ]);
    ok(&[
        "group",
        "add",
        "--title",
        "Kaveritaitoryhmä",
        "--place",
        "Sinilähde",
        "--date",
        "2023-09-01",
        "--meetings",
        "5",
        "--visits",
        "30",
    ]);
    ok(&[
        "feedback",
        "add",
        "--event",
        "1",
        "--question",
        "Oliko tilaisuus hyödyllinen",
        "--yes",
        "50",
        "--no",
        "0",
    ]);
    env
}

const YEAR: [&str; 5] = ["report", "--year", "2023", "--profile", "ikaihmiset"];

fn write(env: &Env, name: &str) -> PathBuf {
    let out = env.dir.path().join(name);
    env.ok(&[&YEAR[..], &["--out", out.to_str().unwrap()]].concat());
    out
}

/// A part of the zip at `path`.
fn part(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn part_names(path: &Path) -> Vec<String> {
    let file = std::fs::File::open(path).unwrap();
    let zip = zip::ZipArchive::new(file).unwrap();
    zip.file_names().map(|n| n.unwrap().into_owned()).collect()
}

#[test]
fn the_workbook_opens_in_libreoffice_with_the_json_reports_figures() {
    let Some(soffice) = soffice() else { return };
    let env = desk();
    let json: Value =
        serde_json::from_str(&env.ok(&[&YEAR[..], &["--format", "json"]].concat())).unwrap();
    let book = write(&env, "raportti.xlsx");
    // Native charts: topics, referrals, visitors per session, hours.
    let charts = part_names(&book)
        .into_iter()
        .filter(|n| n.starts_with("xl/charts/chart"))
        .count();
    assert_eq!(charts, 4);
    let out = env.dir.path().join("lo");
    std::fs::create_dir(&out).unwrap();
    let read = convert(&soffice, &[book], "xlsx", None, &out);
    let sheets = sheets(&read[0]);
    let sheet = |name: &str| -> &Vec<Vec<Data>> {
        &sheets
            .iter()
            .find(|s| s.0 == name)
            .unwrap_or_else(|| panic!("no sheet {name}"))
            .1
    };
    let names: Vec<&str> = sheets.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "Tunnusluvut",
            "Aiheet",
            "Ohjattu",
            "Muut tiedot",
            "Ajat",
            "Paikoittain",
            "Kävijät päivystyksittäin",
            "Tapahtumat"
        ]
    );
    let key = sheet("Tunnusluvut");
    let figure = |label: &str| number(&row_of(key, 0, label)[1]);
    assert_eq!(figure("Päivystyksiä"), json["sessions"].as_f64().unwrap());
    assert_eq!(figure("Kävijöitä"), 69.0);
    let mean = json["mean_visitors_per_session"].as_f64().unwrap();
    assert!((figure("Keskiarvo / päivystys") - mean).abs() < 1e-9);
    assert_eq!(
        figure("Mediaani / päivystys"),
        json["median_visitors_per_session"].as_f64().unwrap()
    );
    assert_eq!(figure("Pienin päivystys"), 1.0);
    assert_eq!(figure("Suurin päivystys"), 11.0);
    assert!(
        text(&key[2][0]).contains("haki apua 69 kävijää; kävijämäärät vaihtelivat 1–11 (ka 5,3)"),
        "the opening sentences: {:?}",
        key[2]
    );

    // Every topic as the JSON has it, hidden ones as "<5" text.
    let topics = sheet("Aiheet");
    assert_eq!(
        number(&row_of(topics, 0, "Digituki")[1]),
        json["topics"]["digituki"].as_f64().unwrap()
    );
    assert_eq!(
        text(&row_of(topics, 0, "Omaishoito")[1]),
        json["topics"]["omaishoito"]
    );
    let mut counts: Vec<String> = topics
        .iter()
        .skip(2)
        .take_while(|r| matches!(r.first(), Some(Data::String(_))) && r.len() > 1)
        .filter_map(|r| match &r[1] {
            Data::Float(x) => Some(x.to_string()),
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    let mut want: Vec<String> = json["topics"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| {
            v.as_f64()
                .map_or_else(|| v.as_str().unwrap().to_string(), |x| x.to_string())
        })
        .collect();
    counts.sort();
    want.sort();
    assert_eq!(counts, want);
    assert!(
        topics
            .iter()
            .flatten()
            .any(|c| matches!(c, Data::String(s) if s.starts_with("<5: pienet määrät"))),
        "the rule under the table"
    );

    // Visitors per session: a date cell and a number a session.
    let per = sheet("Kävijät päivystyksittäin");
    let sessions = json["per_session"].as_array().unwrap();
    for (row, s) in per.iter().skip(2).zip(sessions) {
        let d = chrono::NaiveDate::parse_from_str(s["date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        let serial_of = (d - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days();
        assert_eq!(serial(&row[0]), serial_of as f64, "{row:?}");
        assert_eq!(number(&row[1]), s["visitors"].as_f64().unwrap());
    }
    assert_eq!(
        number(&row_of(per, 0, "Yhteensä")[1]),
        69.0,
        "the total row"
    );

    // The events sheet: dates, counts, and each row in the report's form.
    let events = sheet("Tapahtumat");
    let fest = row_of(events, 2, "Syysfestarit");
    assert_eq!(serial(&fest[0]), 45190.0, "21.9.2023");
    assert_eq!(number(&fest[6]), 300.0);
    assert_eq!(text(&fest[10]), json["events"][0]["line"]);
    let group = row_of(events, 1, "Kaveritaitoryhmä");
    assert_eq!(number(&group[6]), 30.0);
    assert_eq!(
        text(&group[7]),
        "Kaveritaitoryhmä 5 krt / Sinilähde = 30 käyntikertaa"
    );
    let feedback = row_of(events, 1, "Oliko tilaisuus hyödyllinen");
    assert_eq!((number(&feedback[2]), number(&feedback[3])), (50.0, 0.0));
}

#[test]
fn the_chapter_opens_in_libreoffice_with_the_json_reports_figures_and_lists() {
    let Some(soffice) = soffice() else { return };
    let env = desk();
    let json: Value =
        serde_json::from_str(&env.ok(&[&YEAR[..], &["--format", "json"]].concat())).unwrap();
    let doc = write(&env, "luku.docx");
    let out = env.dir.path().join("lo");
    std::fs::create_dir(&out).unwrap();
    let txt = convert(
        &soffice,
        std::slice::from_ref(&doc),
        "txt:Text (encoded):UTF8",
        None,
        &out,
    );
    let text = std::fs::read_to_string(&txt[0]).unwrap();
    for want in [
        "Raportti: Ikäihmisten hyvinvointiohjaus, vuosi 2023 (1.1.2023–31.12.2023)",
        json["summary"].as_str().unwrap(),
        "Vuoden 2023 aikana pisteeltä haki apua 69 kävijää; kävijämäärät vaihtelivat 1–11 (ka 5,3) päivystystä kohden.",
        "Syysfestarit (300)",
        "Kaveritaitoryhmä 5 krt / Sinilähde = 30 käyntikertaa",
        "Käynnit yhteensä 30",
        "Oliko tilaisuus hyödyllinen -kysymykseen 50 kyllä-vastausta ja 0 ei-vastausta.",
        "Kuvio 1. Aiheet, vuosi 2023",
        "Kuvio 3. Tunneittain, vuosi 2023",
        "Kuvio 4. Kävijät päivystyksittäin, vuosi 2023",
    ] {
        assert!(text.contains(want), "{want:?} in\n{text}");
    }
    // The key figures' table, as the JSON has them.
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let after = |label: &str| lines[lines.iter().position(|l| *l == label).unwrap() + 1];
    assert_eq!(after("Päivystyksiä"), json["sessions"].to_string());
    assert_eq!(after("Kävijöitä"), json["visitors"].to_string());
    assert_eq!(after("Keskiarvo / päivystys"), "5,3");
    assert_eq!(after("Digituki"), json["topics"]["digituki"].to_string());
    assert_eq!(after("Omaishoito"), "<5");

    // Real headings, and each chart a picture with its alternative text.
    let body = part(&doc, "word/document.xml");
    assert!(body.contains(r#"<w:pStyle w:val="Heading1"/>"#));
    let h2 = body.matches(r#"<w:pStyle w:val="Heading2"/>"#).count();
    assert!(h2 >= 8, "{h2} second-level headings");
    let descr: Vec<&str> = body
        .split(r#"<wp:docPr "#)
        .skip(1)
        .map(|s| {
            s.split("descr=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(descr.len(), 4, "{descr:?}");
    assert!(
        descr[0].starts_with("Vaakapylväskaavio: Aiheet, vuosi 2023. Digituki "),
        "{descr:?}"
    );
    assert!(
        descr[0].ends_with("; 2 muuta piilotettu (alle 5 tai jottei pientä voi laskea muista)."),
        "{descr:?}"
    );
    assert!(
        descr[3].starts_with("Pylväskaavio: Kävijät päivystyksittäin, vuosi 2023. 10.1.2023 4;"),
        "{descr:?}"
    );
    let media = part_names(&doc)
        .into_iter()
        .filter(|n| n.starts_with("word/media/"))
        .count();
    assert_eq!(media, 4);
    assert!(part(&doc, "docProps/core.xml").contains("<dc:language>fi-FI</dc:language>"));
}

//! The CSV files as Finnish Excel meets them, in both languages: opened by
//! LibreOffice headless under the Finnish locale, the numbers, dates and
//! times come back as numbers, dates and times (a mean `5,3`, not the text
//! `5.3`; a time `10:05`, not the date 10 May), and text stays text.

use std::path::PathBuf;

use crate::cli::Env;
use crate::office::{convert, number, row_of, serial, sheets, soffice, text};

/// The fixture year (69 visitors in 13 sessions) and, in the season after
/// it, a voucher invoiced at 24,90 €; returns the voucher's number.
fn desk() -> (Env, String) {
    let env = Env::new();
    crate::report::log_year(&env, "Kirjasto");
    env.ok(&[
        "voucher",
        "issue",
        "--profile",
        "ikaihmiset",
        "--product",
        "liukuesteet",
        "--birth-year",
        "1948",
        "--at",
        "2024-01-09 10:05",
    ]);
    let list: serde_json::Value =
        serde_json::from_str(&env.ok(&["voucher", "list", "--season", "2023-2024", "--json"]))
            .unwrap();
    let number = list[0]["number"].as_str().unwrap().to_string();
    env.ok(&[
        "voucher",
        "use",
        &number,
        "--amount",
        "24.90",
        "--date",
        "2024-01-20",
    ]);
    (env, number)
}

/// LibreOffice's reading of CSV as Finnish Excel's: `;`, `"`, UTF-8, the
/// first line, standard columns, Finnish (1035), quoted text as it is,
/// special numbers (dates, times) detected.
const FINNISH_CSV: &str = "CSV:59,34,76,1,,1035,false,true";

#[test]
fn finnish_excel_reads_the_numbers_dates_and_times_of_every_csv_in_both_languages() {
    let Some(soffice) = soffice() else { return };
    let (env, voucher) = desk();
    let dir = env.dir.path().join("csv");
    std::fs::create_dir(&dir).unwrap();
    let mut files: Vec<PathBuf> = Vec::new();
    for lang in ["fi", "en"] {
        let mut write = |name: &str, args: &[&str]| {
            let out = dir.join(format!("{name}-{lang}.csv"));
            let o = out.to_str().unwrap().to_string();
            let common = ["--lang", lang, "--min-count", "1", "--out", &o];
            env.ok(&[args, &common[..]].concat());
            files.push(out);
        };
        let year = ["--year", "2023"];
        write(
            "raportti",
            &[
                &["report", "--profile", "ikaihmiset", "--format", "csv"][..],
                &year,
            ]
            .concat(),
        );
        write(
            "kaynnit",
            &[&["export", "--format", "csv"][..], &year].concat(),
        );
        write(
            "sitoumukset",
            &["export", "--format", "voucher-csv", "--season", "2023-2024"],
        );
    }
    let books = convert(&soffice, &files, "xlsx", Some(FINNISH_CSV), &dir);
    for (book, lang) in books.chunks(3).zip(["fi", "en"]) {
        let report = &sheets(&book[0])[0].1;
        let figure = |key: &str| row_of(report, 1, key)[3].clone();
        assert_eq!(number(&figure("sessions")), 13.0, "{lang}");
        assert_eq!(number(&figure("visitors")), 69.0, "{lang}");
        assert!(
            (number(&figure("mean_visitors_per_session")) - 5.3).abs() < 1e-9,
            "{lang}: the mean is a number in Finnish Excel"
        );
        assert_eq!(
            text(&figure("min_max_visitors_per_session")),
            "1–11",
            "{lang}: a range stays text"
        );
        let hva = row_of(report, 1, "hva");
        assert_eq!(number(&hva[3]), 14.0, "{lang}");
        assert!(
            (number(&hva[4]) - 14.0 / 69.0).abs() < 0.01,
            "{lang}: a share"
        );
        row_of(report, 2, "10–11"); // an hour's label stays text

        let visits = &sheets(&book[1])[0].1;
        let first = &visits[1];
        // 10 January 2023 10:00, the year's first visit.
        assert_eq!(serial(&first[0]), 44936.0, "{lang}: a date: {first:?}");
        assert!(
            (serial(&first[1]) - 10.0 / 24.0).abs() < 1e-9,
            "{lang}: a time of day, not a date: {first:?}"
        );
        let topic = visits[0]
            .iter()
            .position(|h| text(h) == "Digituki" || text(h) == "Digital help");
        let topic = topic.unwrap_or_else(|| panic!("{lang}: {:?}", visits[0]));
        assert_eq!(number(&first[topic]), 1.0, "{lang}: a topic column counts");

        let vouchers = &sheets(&book[2])[0].1;
        let v = row_of(vouchers, 0, &voucher);
        assert_eq!(serial(&v[2]), 45300.0, "{lang}: issued 9.1.2024");
        assert!((number(&v[5]) - 24.9).abs() < 1e-9, "{lang}: 24,90 €");
        assert_eq!(number(&v[11]), 1948.0, "{lang}: a birth year");
        assert!(!text(&v[1]).is_empty(), "{lang}: the product is text");
    }
}

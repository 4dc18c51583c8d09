//! Property tests: the config loader, date and time parsing, and drawing
//! hostile text never panic, and what goes in comes back byte for byte.

use std::path::Path;

use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tiski::app::App;
use tiski::clock::{parse_at, parse_date};
use tiski::config::Config;
use tiski::store::Store;

/// A TOML basic string holding `s` exactly.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn config_with(label: &str, location: &str) -> String {
    format!(
        "[profiles.p]\nfi = {l}\nen = {l}\ndefault_location = {loc}\nlocations = [{loc}]\ntopics = [ {{ key = \"a\", fi = {l}, en = {l} }} ]\nreferrals = [ {{ key = \"r\", fi = {l}, en = {l} }} ]\n",
        l = toml_str(label),
        loc = toml_str(location)
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_config_text_loads_or_fails_cleanly(text in "\\PC{0,400}") {
        let _ = Config::from_user_text(Path::new("fuzz.toml"), &text);
    }

    #[test]
    fn config_like_text_fails_with_a_line_inside_the_file(
        lines in proptest::collection::vec("[a-z_\\[\\]=\" .{}0-9,]{0,40}", 0..30)
    ) {
        let text = lines.join("\n");
        if let Err(e) = Config::from_user_text(Path::new("fuzz.toml"), &text)
            && let Some(line) = e.line
        {
            prop_assert!(line >= 1 && line <= text.lines().count().max(1) + 1);
        }
    }

    #[test]
    fn any_label_survives_loading_and_printing(label in "\\PC{0,60}|[\\x00-\\x1f\\u{202e}🧊]{0,20}", location in "\\PC{1,30}") {
        let c = Config::from_user_text(Path::new("u.toml"), &config_with(&label, &location)).unwrap();
        let p = &c.profiles["p"];
        prop_assert_eq!(&p.topics[0].fi, &label);
        prop_assert_eq!(&p.default_location, &location);
        let again = Config::from_user_text(Path::new("again.toml"), &c.to_toml()).unwrap();
        prop_assert_eq!(&again.profiles, &c.profiles);
    }

    #[test]
    fn hostile_labels_and_places_draw_without_control_characters(
        label in "[\\x00-\\x1f\\x7f\\u{202a}-\\u{202e}a-zä🧊]{0,300}",
        location in "[\\x1b\\[0-9;Ja-z]{1,40}",
    ) {
        let c = Config::from_user_text(Path::new("u.toml"), &config_with(&label, &location)).unwrap();
        let now = chrono::NaiveDate::from_ymd_opt(2023, 11, 14).unwrap().and_hms_opt(10, 0, 0).unwrap();
        let mut app = App::opening(Store::open_in_memory().unwrap(), now).config(c).profile("p").open().unwrap();
        app.update(tiski::app::Action::ToggleTopic(0));
        app.update(tiski::app::Action::Open(tiski::app::PickerKind::Referral));
        for (w, h) in [(80, 24), (200, 60)] {
            let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
            t.draw(|f| tiski::ui::render(&app, f)).unwrap();
            let shown: String = t.backend().buffer().content().iter().map(|c| c.symbol()).collect();
            let unsafe_char = shown
                .chars()
                .find(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(c));
            prop_assert_eq!(unsafe_char, None);
        }
    }

    #[test]
    fn any_time_text_parses_or_fails_cleanly(text in "\\PC{0,40}") {
        let _ = parse_at(&text);
        let _ = parse_date(&text);
    }

    #[test]
    fn valid_times_parse_back_to_themselves(
        y in 1900i32..2200, mo in 1u32..=12, d in 1u32..=31, h in 0u32..24, mi in 0u32..60
    ) {
        if let Some(date) = chrono::NaiveDate::from_ymd_opt(y, mo, d) {
            let t = date.and_hms_opt(h, mi, 0).unwrap();
            prop_assert_eq!(parse_at(&t.format("%Y-%m-%d %H:%M").to_string()).unwrap(), t);
            prop_assert_eq!(parse_date(&date.format("%Y-%m-%d").to_string()).unwrap(), date);
        } else {
            let text = format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}");
            prop_assert!(parse_at(&text).is_err());
        }
    }
}

/// A real export of a few visits, made once through the binary.
fn sample_export() -> &'static str {
    static SAMPLE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SAMPLE.get_or_init(|| {
        let env = super::cli::Env::new();
        for (i, topic) in ["sote", "digituki", "kela"].iter().enumerate() {
            env.ok(&[
                "log",
                "--confirm",
                "--profile",
                "ikaihmiset",
                "--topic",
                topic,
                "--referral",
                "hva",
                "--at",
                &format!("2023-11-14 10:0{i}"),
            ]);
        }
        env.ok(&["export", "--format", "jsonl"])
    })
}

fn parse(text: &str) -> Result<usize, Option<usize>> {
    match tiski::import::parse_jsonl(Path::new("fuzz.jsonl"), text) {
        Ok(r) => Ok(r.records.len()),
        Err(tiski::report::error::ReportError::Line { line, .. }) => Err(Some(line)),
        Err(_) => Err(None),
    }
}

// The import parser's fuzz target, on stable: bounded by the case count,
// so it runs in `cargo test` (and CI) in a few seconds.
proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn import_parser_takes_any_text_and_names_a_line_inside_it(text in "\\PC{0,300}|(\\{[\"a-z:,0-9 ]{0,60}\\}\n){0,5}") {
        if let Err(Some(line)) = parse(&text) {
            prop_assert!(line >= 1 && line <= text.lines().count().max(1));
        }
    }

    #[test]
    fn a_damaged_line_of_a_real_export_is_the_one_named(
        pick in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        junk in "\\PC{0,8}",
    ) {
        let sample = sample_export();
        let lines: Vec<&str> = sample.lines().collect();
        prop_assert_eq!(parse(sample), Ok(lines.len() - 1), "the header is not a record");
        let n = pick.index(lines.len());
        let line = lines[n];
        let at = line.char_indices().map(|(i, _)| i).nth(cut.index(line.chars().count())).unwrap_or(0);
        let damaged = format!("{}{junk}{}", &line[..at], &line[at + line[at..].chars().next().map_or(0, char::len_utf8)..]);
        let mut text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        text[n] = damaged;
        match parse(&text.join("\n")) {
            Ok(_) => {}
            Err(line) => prop_assert_eq!(line, Some(n + 1)),
        }
    }
}

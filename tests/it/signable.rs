//! Figures a new install can sign (issue 21, item 8): the rota counted
//! from the first use here, a period that ends after today, head-counts
//! under their weekday and hour, and a visit logged into an earlier year or
//! off the rota said for what it is.

use chrono::Datelike;
use serde_json::Value;

use super::cli::{Env, fails};

fn report_json(env: &Env, args: &[&str]) -> Value {
    let mut all = vec!["report", "--format", "json", "--min-count", "1"];
    all.extend_from_slice(args);
    serde_json::from_str(&env.ok(&all)).unwrap()
}

/// A fresh install with a rota since 2023: the year's slots before the
/// first visit here are not "not recorded" (nobody used tiski then), and
/// the report says from when it counts.
#[test]
fn the_rota_is_counted_from_the_first_use_here() {
    let env = Env::new();
    env.ok(&["log", "--profile", "ikaihmiset", "--topic", "digituki"]);
    let today = chrono::Local::now().date_naive();
    let r = report_json(
        &env,
        &[
            "--profile",
            "ikaihmiset",
            "--year",
            &today.year().to_string(),
        ],
    );
    let rota = &r["rota"];
    assert_eq!(rota["since"], today.to_string(), "{rota}");
    assert!(rota["not_recorded"].as_u64().unwrap() <= 1, "{rota}");
    let text = env.ok(&["report", "--profile", "ikaihmiset", "--min-count", "1"]);
    let since = format!("{}.{}.{} alkaen", today.day(), today.month(), today.year());
    assert!(text.contains(&since), "{text}");
}

/// A period may end after today (this month typed out, the season): it is
/// taken, holding what has happened so far.
#[test]
fn a_period_may_end_after_today() {
    let env = Env::new();
    env.ok(&["log", "--profile", "ikaihmiset", "--topic", "digituki"]);
    let today = chrono::Local::now().date_naive();
    let first = today.with_day(1).unwrap();
    let end = chrono::NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap();
    let r = report_json(
        &env,
        &["--from", &first.to_string(), "--to", &end.to_string()],
    );
    assert_eq!(r["visitors"], 1, "{r}");
}

/// Head-counts are visitors under their weekday and their hour, as in the
/// day's visitors and places.
#[test]
fn head_counts_count_under_their_weekday_and_hour() {
    let env = Env::new();
    env.ok(&["log", "--profile", "perhe", "--count", "25"]);
    env.ok(&["log", "--profile", "perhe", "--topic", "vanhemmuus"]);
    let r = report_json(&env, &["--profile", "perhe"]);
    let weekdays: u64 = r["weekdays"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    let hours: u64 = r["hours"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!((weekdays, hours), (26, 26), "{r}");
    let t = env.tally_json(&["--profile", "perhe"]);
    let by_hour: u64 = t["hours"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(by_hour, 26, "{t}");
}

/// A visit logged into a year that has ended changes figures perhaps
/// reported already: refused without `--confirm`; one that starts its
/// day's session says which, and whether the rota had the duty.
#[test]
fn a_visit_into_an_earlier_year_needs_a_yes_and_a_new_session_is_named() {
    let env = Env::new();
    let last_year = chrono::Local::now().year() - 1;
    let at = format!("{last_year}-06-07 10:00");
    let log = [
        "log",
        "--profile",
        "ikaihmiset",
        "--topic",
        "digituki",
        "--at",
        &at,
    ];
    let err = fails(&env.run(&log));
    assert!(err.contains(&last_year.to_string()), "{err}");
    assert!(err.contains("--confirm"), "{err}");
    let out = env.run(&[&log[..], &["--confirm"]].concat());
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("Uusi päivystys"), "{said}");
    assert!(said.contains("Kirjasto"), "{said}");
    // Into that session again: no new one is named.
    let out = env.run(&[&log[..], &["--confirm"]].concat());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("Uusi päivystys"));
}

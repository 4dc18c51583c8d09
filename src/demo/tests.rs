//! The demo generator's tests: its history adds up, topics and values
//! come from the profiles, more desks for more visits, vouchers numbered
//! without gaps.

use std::collections::{BTreeMap, HashMap};

use super::*;

fn opts(visits: u64, years: u32) -> DemoOptions {
    DemoOptions {
        visits,
        years,
        today: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
        seed: DEFAULT_SEED,
    }
}

/// Every session and visit in the store, by walking the days.
fn contents(store: &Store, from: NaiveDate, to: NaiveDate) -> (Vec<DutySessionRow>, u64) {
    let mut sessions = Vec::new();
    let mut visits = 0;
    let mut d = from;
    while d <= to {
        let mut per_session: HashMap<i64, u32> = HashMap::new();
        for v in store.visits_on(None, d).unwrap() {
            assert!(!v.entry.topics.is_empty(), "every visit has a topic");
            *per_session.entry(v.session.0).or_default() += 1;
            visits += 1;
        }
        for s in store.sessions_on(None, d).unwrap() {
            let counted = per_session.get(&s.id.0).copied().unwrap_or(0);
            sessions.push((s.profile, s.location, s.date, s.visitors, counted));
        }
        d = d.succ_opt().unwrap();
    }
    (sessions, visits)
}

type DutySessionRow = (String, String, NaiveDate, u32, u32);

#[test]
fn demo_history_adds_up_and_looks_like_the_desks() {
    let mut store = Store::open_in_memory().unwrap();
    let o = opts(800, 2);
    let summary = generate(
        &mut store,
        &Config::embedded(),
        &o,
        &crate::desk::Trusted::by_user(crate::clock::Now::read()),
    )
    .unwrap();
    assert_eq!(summary.visits, 800);
    assert_eq!(summary.desks, 1);
    let from = NaiveDate::from_ymd_opt(2022, 3, 1).unwrap();
    let (sessions, visits) = contents(&store, from, o.today);
    assert_eq!(visits, 800, "exactly the visits asked for");
    assert_eq!(sessions.len() as u64, summary.sessions);
    for (_, _, date, visitors, counted) in &sessions {
        assert_eq!(visitors, counted, "maintained count on {date}");
        assert!(*date < o.today, "today is left to the user");
    }
    let empty = sessions.iter().filter(|s| s.3 == 0).count() as u64;
    assert!(empty > 0, "some sessions see nobody");
    assert_eq!(empty, summary.empty_sessions);

    let mut by_profile: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    for (profile, _, _, visitors, _) in &sessions {
        let e = by_profile.entry(profile.as_str()).or_default();
        e.0 += 1;
        e.1 += visitors;
    }
    assert_eq!(
        by_profile.keys().copied().collect::<Vec<_>>(),
        ["ikaihmiset", "kotouttaminen", "perhe"]
    );
    assert!(by_profile.values().all(|(s, v)| *s > 0 && *v > 0));
    // One desk each at this size, on its own weekday and at its places.
    for (profile, location, date, _, _) in &sessions {
        let weekday = date.weekday().num_days_from_monday();
        match profile.as_str() {
            "ikaihmiset" => {
                assert_eq!(weekday, 1, "Tuesdays");
                assert!(["Kirjasto", "Spot"].contains(&location.as_str()));
            }
            "perhe" => assert_eq!(weekday, 3, "Thursdays"),
            _ => assert_eq!(weekday, 2, "Wednesdays"),
        }
    }
    assert!(sessions.iter().any(|s| s.1 == "Spot"), "the renovation");
    // Every other Tuesday: about 52 in two years, not 104.
    let tuesdays = by_profile["ikaihmiset"].0;
    assert!((50..=54).contains(&tuesdays), "{tuesdays}");
    // The same options give the same history, as recorded settings.
    assert_eq!(
        store.setting(SETTING_VISITS).unwrap().as_deref(),
        Some("800")
    );
    let mut again = Store::open_in_memory().unwrap();
    let summary2 = generate(
        &mut again,
        &Config::embedded(),
        &o,
        &crate::desk::Trusted::by_user(crate::clock::Now::read()),
    )
    .unwrap();
    assert_eq!(summary, summary2);
}

#[test]
fn topics_are_skewed_and_values_come_from_the_profile() {
    let config = Config::embedded();
    let mut store = Store::open_in_memory().unwrap();
    let o = opts(3000, 1);
    generate(
        &mut store,
        &config,
        &o,
        &crate::desk::Trusted::by_user(crate::clock::Now::read()),
    )
    .unwrap();
    let from = NaiveDate::from_ymd_opt(2023, 3, 1).unwrap();
    let mut topics: BTreeMap<String, u32> = BTreeMap::new();
    let mut d = from;
    let mut referred = 0;
    let mut total = 0;
    while d < o.today {
        for s in store.sessions_on(None, d).unwrap() {
            let p = config.profile(&s.profile).unwrap();
            for v in store
                .visits_on(Some(&s.profile), d)
                .unwrap()
                .into_iter()
                .filter(|v| v.session == s.id)
            {
                total += 1;
                assert!((1..=3).contains(&v.entry.topics.len()));
                for t in &v.entry.topics {
                    assert!(p.topic(t).is_some(), "{t}");
                    *topics.entry(format!("{}:{t}", p.id)).or_default() += 1;
                }
                if let Some(r) = &v.entry.referral {
                    assert!(p.referral(r).is_some());
                    referred += 1;
                }
                for (k, val) in &v.entry.fields {
                    assert!(p.field(k).unwrap().option(val).is_some(), "{k}={val}");
                }
            }
        }
        d = d.succ_opt().unwrap();
    }
    assert_eq!(total, 3000);
    assert!(referred > 0 && referred < total / 2);
    let first = topics["kotouttaminen:oleskelulupa"];
    let last = topics.get("kotouttaminen:muu").copied().unwrap_or(0);
    assert!(first > 4 * last, "skewed: {first} vs {last}");
}

#[test]
fn more_visits_than_one_desk_sees_open_more_desks_and_zero_writes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let s = generate(
        &mut store,
        &Config::embedded(),
        &opts(5_000, 1),
        &crate::desk::Trusted::by_user(crate::clock::Now::read()),
    )
    .unwrap();
    assert_eq!(s.visits, 5_000);
    assert!(s.desks > 1, "{s:?}");
    let mean = s.visits as f64 / s.sessions as f64;
    assert!((3.0..12.0).contains(&mean), "realistic sessions: {mean}");

    let mut empty = Store::open_in_memory().unwrap();
    let s = generate(
        &mut empty,
        &Config::embedded(),
        &opts(0, 10),
        &crate::desk::Trusted::by_user(crate::clock::Now::read()),
    )
    .unwrap();
    assert_eq!(s, DemoSummary::default());
    let all = empty
        .session_stats(
            None,
            NaiveDate::from_ymd_opt(1, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
        )
        .unwrap();
    assert_eq!(all.sessions, 0);
}

#[test]
fn vouchers_are_written_in_season_numbered_without_gaps_and_continue_by_hand() {
    use crate::store::IssueRequest;
    use crate::voucher::Status;

    let config = Config::embedded();
    let vc = config.profiles["ikaihmiset"]
        .voucher_settings()
        .unwrap()
        .clone();
    let mut store = Store::open_in_memory().unwrap();
    let o = opts(3000, 2);
    let summary = generate(
        &mut store,
        &config,
        &o,
        &crate::desk::Trusted::by_user(crate::clock::Now::read()),
    )
    .unwrap();
    assert!(summary.vouchers > 10, "{summary:?}");
    let mut all = Vec::new();
    for season in [Season(2021), Season(2022), Season(2023)] {
        let vs = store.vouchers_in_season(None, season).unwrap();
        let seqs: Vec<u32> = vs.iter().map(|v| v.seq).collect();
        assert_eq!(
            seqs,
            (1..=vs.len() as u32).collect::<Vec<_>>(),
            "{season:?}"
        );
        all.extend(vs);
    }
    assert_eq!(all.len() as u64, summary.vouchers);
    for v in &all {
        assert_eq!(v.profile, "ikaihmiset");
        assert!(
            vc.in_season(v.issued_on()),
            "{} on {}",
            v.number,
            v.issued_at
        );
        assert_eq!(v.number, vc.number(v.season, v.seq));
        assert_eq!(v.valid_until, vc.season_end(v.season));
        let age = v.issued_at.year() - v.birth_year.unwrap();
        assert!(age >= vc.min_age as i32, "{}: {age}", v.number);
        let visit = store.visit(v.visit.unwrap()).unwrap();
        assert_eq!(visit.at, v.issued_at);
        assert!(visit.entry.topics.contains(&vc.topic), "{}", v.number);
        if let Some(on) = v.used_on {
            assert_eq!(v.stored_status, Status::Used);
            assert!(on > v.issued_on() && on <= v.valid_until && on < o.today);
            assert!(v.used_amount.unwrap() <= v.max_sum);
        }
    }
    let used = all.iter().filter(|v| v.used_on.is_some()).count();
    assert!(used > 0 && used < all.len(), "{used} of {}", all.len());

    // The next voucher written by hand follows the demo's numbers.
    let last = all.iter().filter(|v| v.season == Season(2023)).count() as u32;
    let at = NaiveDateTime::parse_from_str("2024-02-20 10:30", "%Y-%m-%d %H:%M").unwrap();
    let session = store.session_for_log("ikaihmiset", "Kirjasto", at).unwrap();
    let entry = VisitEntry {
        topics: vec![vc.topic.clone()],
        ..VisitEntry::default()
    };
    let req = IssueRequest {
        profile: "ikaihmiset",
        config: &vc,
        product: "liukuesteet",
        birth_year: None,
        identity_hash: None,
        from_form: false,
    };
    let (_, next) = store
        .issue_voucher(
            crate::store::Target::Session(session.id),
            at,
            &crate::store::test_support::ok((entry).clone()),
            &req,
            &crate::store::test_support::stamp(),
        )
        .unwrap();
    assert_eq!(next.seq, last + 1);
}

//! One figure, one definition (issue 13): random histories of visits,
//! edits, deletes, undos by keys, vouchers issued, used and cancelled,
//! sessions held, recorded afterwards and cancelled, and another desk's
//! log merged in; then every view must give the same numbers: the day
//! tally, the period report (kept counts and counted from the visits), the
//! duty header's yearly mean, the voucher summary and the register.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use proptest::prelude::*;
use tiski::app::{Action, App};
use tiski::config::{Config, Profile};
use tiski::desk;
use tiski::domain::{VisitEntry, VisitId};
use tiski::locale::Lang;
use tiski::report::period::{Period, PeriodReport};
use tiski::store::{DeskFilter, IssueRequest, PeriodFilter, Record, Store, Target};

use super::cli::yes;
use tiski::voucher::summary::SeasonSummary;
use tiski::voucher::{Cents, Season, Status};

const PROFILES: [&str; 2] = ["ikaihmiset", "kotouttaminen"];

/// The first day of the histories: a Monday in the voucher season.
fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 11, 6).unwrap()
}

#[derive(Debug, Clone)]
enum Op {
    /// A visit logged on day `day` at minute `minute` of the day's 10–13.
    Log {
        profile: usize,
        day: u8,
        minute: u16,
        topic: usize,
        field: Option<usize>,
    },
    /// A voucher written with a visit (the elderly desk).
    Voucher {
        day: u8,
        minute: u16,
        product: usize,
    },
    /// The n-th visit's topics and fields changed.
    Edit {
        nth: usize,
        topic: usize,
        field: Option<usize>,
    },
    Delete {
        nth: usize,
    },
    /// The n-th voucher used or cancelled.
    UseVoucher {
        nth: usize,
    },
    CancelVoucher {
        nth: usize,
    },
    /// A session with nobody, recorded afterwards.
    Record {
        profile: usize,
        day: u8,
    },
    CancelDay {
        profile: usize,
        day: u8,
    },
    /// Saved and taken back by keys on the duty screen.
    SaveAndUndo {
        day: u8,
        topic: usize,
    },
    /// N visitors at once, without topics, from the shell (issue 16).
    HeadCount {
        profile: usize,
        day: u8,
        minute: u16,
        n: u8,
    },
    /// A head-count by keys on the duty screen, and maybe taken back.
    HeadCountByKeys {
        day: u8,
        n: u8,
        undo: bool,
    },
    /// Another desk's visits merged in.
    Merge {
        visits: u8,
        day: u8,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..2usize, 0..40u8, 0..180u16, 0..8usize, proptest::option::of(0..3usize))
            .prop_map(|(profile, day, minute, topic, field)| Op::Log { profile, day, minute, topic, field }),
        2 => (0..40u8, 0..180u16, 0..2usize).prop_map(|(day, minute, product)| Op::Voucher { day, minute, product }),
        2 => (0..40usize, 0..8usize, proptest::option::of(0..3usize))
            .prop_map(|(nth, topic, field)| Op::Edit { nth, topic, field }),
        2 => (0..40usize).prop_map(|nth| Op::Delete { nth }),
        1 => (0..10usize).prop_map(|nth| Op::UseVoucher { nth }),
        1 => (0..10usize).prop_map(|nth| Op::CancelVoucher { nth }),
        1 => (0..2usize, 0..40u8).prop_map(|(profile, day)| Op::Record { profile, day }),
        1 => (0..2usize, 0..40u8).prop_map(|(profile, day)| Op::CancelDay { profile, day }),
        1 => (0..40u8, 0..8usize).prop_map(|(day, topic)| Op::SaveAndUndo { day, topic }),
        1 => (1..4u8, 0..40u8).prop_map(|(visits, day)| Op::Merge { visits, day }),
        1 => (0..2usize, 0..40u8, 0..180u16, 1..40u8)
            .prop_map(|(profile, day, minute, n)| Op::HeadCount { profile, day, minute, n }),
        1 => (0..40u8, 1..40u8, proptest::bool::ANY)
            .prop_map(|(day, n, undo)| Op::HeadCountByKeys { day, n, undo }),
    ]
}

fn at(day: u8, minute: u16) -> NaiveDateTime {
    (first_day() + TimeDelta::days(i64::from(day)))
        .and_hms_opt(10, 0, 0)
        .unwrap()
        + TimeDelta::minutes(i64::from(minute))
}

fn entry(p: &Profile, topic: usize, field: Option<usize>) -> VisitEntry {
    let mut e = p.fresh_entry(None);
    let key = p.topics[topic % p.topics.len()].key.clone();
    e.toggle_topic(&key, p.topics.iter().map(|t| t.key.as_str()));
    if let (Some(i), Some(f)) = (field, p.fields.iter().find(|f| f.key == "age_band")) {
        e.fields
            .insert(f.key.clone(), f.options[i % f.options.len()].key.clone());
    }
    e
}

fn visit_ids(s: &Store) -> Vec<VisitId> {
    let all = PeriodFilter {
        from: first_day(),
        to: first_day() + TimeDelta::days(60),
        profile: None,
        location: None,
        device: None,
    };
    s.period(&all)
        .unwrap()
        .visits
        .iter()
        .map(|v| v.visit.id)
        .collect()
}

fn apply(s: &mut Store, config: &Config, op: &Op) {
    let profile = |i: usize| &config.profiles[PROFILES[i]];
    match op {
        Op::Log {
            profile: p,
            day,
            minute,
            topic,
            field,
        } => {
            let p = profile(*p);
            let when = at(*day, *minute);
            let target = Target::Day {
                profile: &p.id,
                location: &p.default_location,
            };
            desk::save_visit(
                s,
                p,
                target,
                when,
                entry(p, *topic, *field),
                false,
                &yes(when),
            )
            .unwrap();
        }
        Op::Voucher {
            day,
            minute,
            product,
        } => {
            let p = profile(0);
            let cfg = p.voucher_settings().unwrap();
            let when = at(*day, *minute);
            let mut e = p.fresh_entry(None);
            e.toggle_topic(&cfg.topic, p.topics.iter().map(|t| t.key.as_str()));
            let product = &cfg.products[product % cfg.products.len()].key;
            let req = IssueRequest {
                profile: &p.id,
                config: cfg,
                product,
                birth_year: None,
                identity_hash: None,
                from_form: false,
            };
            let target = Target::Day {
                profile: &p.id,
                location: &p.default_location,
            };
            desk::issue_voucher(s, p, target, when, e, &req, &yes(when)).unwrap();
        }
        Op::Edit { nth, topic, field } => {
            let ids = visit_ids(s);
            if let Some(id) = ids.get(nth % ids.len().max(1)) {
                let v = s.visit(*id).unwrap();
                let p = config
                    .profiles
                    .values()
                    .find(|p| p.topic(&v.entry.topics[0]).is_some())
                    .unwrap();
                let e = entry(p, *topic, *field);
                desk::edit_visit(s, p, *id, e, None, &yes(v.at)).unwrap();
            }
        }
        Op::Delete { nth } => {
            let ids = visit_ids(s);
            if let Some(id) = ids.get(nth % ids.len().max(1)) {
                // A visit whose voucher is used is refused, and stays.
                let _ = desk::delete_visit(s, *id, &yes(at(255, 0)));
            }
        }
        Op::UseVoucher { nth } | Op::CancelVoucher { nth } => {
            let list = s.vouchers_in_season(None, Season(2023)).unwrap();
            if let Some(v) = list.get(nth % list.len().max(1)) {
                let day = v.issued_on() + TimeDelta::days(3);
                let now = yes(day.and_hms_opt(12, 0, 0).unwrap());
                let _ = match op {
                    Op::UseVoucher { .. } => {
                        desk::use_voucher(s, &v.number, Cents(1000), day, None, &now)
                    }
                    _ => desk::cancel_voucher(s, &v.number, "väärä", &now),
                };
            }
        }
        Op::Record { profile: p, day } => {
            let p = profile(*p);
            let d = at(*day, 0);
            let end = d + TimeDelta::hours(2);
            let _ = desk::record_session(s, &p.id, "Muu paikka", d, end, &yes(end));
        }
        Op::CancelDay { profile: p, day } => {
            // Refused on a day with visits, which is then held.
            let when = at(*day, 0);
            let _ = desk::cancel_day(s, PROFILES[*p], when.date(), &yes(when));
        }
        Op::SaveAndUndo { day, topic } => {
            let store = std::mem::replace(s, Store::open_in_memory().unwrap());
            let mut a = App::opening(store, at(*day, 100))
                .config(config.clone())
                .profile(PROFILES[0])
                .open()
                .unwrap();
            a.update(Action::ToggleTopic(topic % 9));
            a.update(Action::Save);
            a.update(Action::Undo);
            a.shutdown().unwrap();
            let App { store, .. } = a;
            *s = store;
        }
        Op::HeadCount {
            profile: p,
            day,
            minute,
            n,
        } => {
            let p = profile(*p);
            let when = at(*day, *minute);
            let target = Target::Day {
                profile: &p.id,
                location: &p.default_location,
            };
            desk::add_head_count(s, target, when, u32::from(*n), &yes(when)).unwrap();
        }
        Op::HeadCountByKeys { day, n, undo } => {
            let store = std::mem::replace(s, Store::open_in_memory().unwrap());
            let mut a = App::opening(store, at(*day, 110))
                .config(config.clone())
                .profile(PROFILES[1])
                .open()
                .unwrap();
            a.update(Action::HeadCount);
            for c in n.to_string().chars() {
                a.update(Action::Edit(tiski::text::input::Edit::Insert(c)));
            }
            a.update(Action::HeadCountCommit);
            if *undo {
                a.update(Action::Undo);
            }
            a.shutdown().unwrap();
            let App { store, .. } = a;
            *s = store;
        }
        Op::Merge { visits, day } => {
            let mut other = Store::open_in_memory().unwrap();
            for i in 0..*visits {
                apply(
                    &mut other,
                    config,
                    &Op::Log {
                        profile: usize::from(i % 2),
                        day: *day,
                        minute: u16::from(i) * 7,
                        topic: usize::from(i),
                        field: None,
                    },
                );
            }
            let filter = PeriodFilter {
                from: first_day(),
                to: first_day() + TimeDelta::days(60),
                profile: None,
                location: None,
                device: None,
            };
            let data = other.period(&filter).unwrap();
            let records: Vec<Record> = data
                .sessions
                .into_iter()
                .map(Record::Session)
                .chain(data.visits.into_iter().map(Record::Visit))
                .collect();
            s.merge(&records).unwrap();
        }
    }
}

/// Every view's figures for each profile and day, and for the period.
fn check_views_agree(s: Store, config: &Config) -> Result<(), TestCaseError> {
    let last = first_day() + TimeDelta::days(45);
    let period = Period::custom(first_day(), last);
    let mut all_day: BTreeMap<NaiveDate, (u32, u32)> = BTreeMap::new();
    for id in PROFILES {
        let p = &config.profiles[id];
        let desk = DeskFilter::default();
        let report = s.profile_report(period, p, &desk, last).unwrap();
        // The report from the kept counts is the report counted visit by visit.
        let data = s.period(&desk.between(first_day(), last)).unwrap();
        let mine = |pid: &str| pid == id;
        let sessions: Vec<_> = data
            .sessions
            .iter()
            .filter(|r| mine(&r.session.profile))
            .collect();
        let uids: Vec<&str> = sessions.iter().map(|r| r.session.uid.as_str()).collect();
        let visits: Vec<_> = data
            .visits
            .iter()
            .filter(|v| uids.contains(&v.session_uid.as_str()))
            .collect();
        let counted = PeriodReport::build(
            period,
            sessions.iter().map(|r| &r.session),
            visits.iter().map(|v| &v.visit),
        );
        prop_assert_eq!(counted.visitors, report.visitors);
        prop_assert_eq!(counted.sessions, report.sessions);
        prop_assert_eq!(&counted.topics, &report.topics, "{} topics", id);
        // Day by day, the tally and a one-day report say the same.
        let (mut visitors, mut held) = (0, 0);
        for d in first_day().iter_days().take_while(|d| *d <= last) {
            let t = s.day_tally(p, d).unwrap();
            let one = s
                .profile_report(Period::custom(d, d), p, &desk, last)
                .unwrap();
            prop_assert_eq!(
                (t.visitors, t.sessions),
                (one.visitors, one.sessions),
                "{} {}",
                id,
                d
            );
            prop_assert_eq!(&t.topics, &one.topics, "{} {}", id, d);
            prop_assert_eq!(&t.fields, &one.fields, "{} {} fields", id, d);
            visitors += t.visitors;
            held += t.sessions;
            let e = all_day.entry(d).or_default();
            e.0 += t.visitors;
            e.1 += t.sessions;
        }
        prop_assert_eq!((visitors, held), (report.visitors, report.sessions));
        // Every visitor, itemised or head-counted, is under a weekday and
        // an hour (issue 21: head-counts were left out of both).
        let heads = s.head_count_total(Some(id), first_day(), last).unwrap();
        let by_weekday: u32 = report.weekdays.iter().sum();
        let by_hour: u32 = report.hours.values().sum();
        prop_assert_eq!(report.visitors, by_weekday, "{}", id);
        prop_assert_eq!(report.visitors, by_hour, "{}", id);
        let tallied: u32 = first_day()
            .iter_days()
            .take_while(|d| *d <= last)
            .map(|d| s.day_tally(p, d).unwrap().head_counts)
            .sum();
        prop_assert_eq!(tallied, heads, "{} head-counts", id);
        // Each field adds up to the itemised visits (unrecorded counted).
        let itemised = report.visitors - heads;
        for f in &p.fields {
            let sum: u32 = report.fields.get(&f.key).map_or(0, |c| c.values().sum());
            prop_assert_eq!(sum, itemised, "{} {}", id, f.key);
        }
        // The header's yearly mean: the duty screen opened after the last day.
        let year = s
            .session_stats(Some(id), NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(), last)
            .unwrap();
        let in_2023 = Period::custom(NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(), last);
        let y = s.profile_report(in_2023, p, &desk, last).unwrap();
        prop_assert_eq!((year.sessions, year.visitors), (y.sessions, y.visitors));
        prop_assert_eq!(year.mean(), y.mean);
    }
    // All profiles together: the sum of the profiles.
    for (d, (visitors, sessions)) in &all_day {
        let t = s.day_tally_of(None, *d).unwrap();
        prop_assert_eq!(
            (t.visitors, t.sessions),
            (*visitors, *sessions),
            "all {}",
            d
        );
    }
    // Vouchers: the report, the season summary, the days' tallies and the
    // register count the same vouchers (written, not cancelled).
    let p = &config.profiles[PROFILES[0]];
    let cfg = p.voucher_settings().unwrap();
    let season = Season(2023);
    let list = s.vouchers_in_season(Some(&p.id), season).unwrap();
    let summary = SeasonSummary::build(cfg, season, &list, last, &BTreeMap::new(), Lang::Fi, "");
    let season_period = Period::custom(cfg.season_start(season), cfg.season_end(season));
    let report = s
        .profile_report(season_period, p, &DeskFilter::default(), last)
        .unwrap();
    let written = summary.total.issued;
    prop_assert_eq!(report.vouchers_written(), written);
    let by_day: u32 = first_day()
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|d| {
            s.vouchers_issued_on(Some(&p.id), d)
                .unwrap()
                .values()
                .sum::<u32>()
        })
        .sum();
    prop_assert_eq!(by_day, written);
    let in_force = s.vouchers_in_force(&p.id, season).unwrap();
    prop_assert_eq!(in_force, written);
    // A used voucher's visit is never gone.
    for v in list.iter().filter(|v| v.status(last) == Status::Used) {
        prop_assert!(v.visit.is_some(), "{}", v.number);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_view_gives_the_same_numbers(ops in proptest::collection::vec(op(), 1..40)) {
        let config = Config::embedded();
        let mut s = Store::open_in_memory().unwrap();
        for op in &ops {
            apply(&mut s, &config, op);
        }
        check_views_agree(s, &config)?;
    }
}

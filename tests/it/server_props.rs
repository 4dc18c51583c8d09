//! The property of consolidation: the figures from a server holding desks
//! A and B equal those of a file that imported A's and B's exports, for
//! any history of the two (visits with topics, fields and referrals, edits,
//! deletions, head-counts, cancelled days, events), including B importing
//! A's log and editing or deleting A's visits while A edits on.

use chrono::NaiveDate;
use proptest::prelude::*;
use tiski::commands::unit::Unit;
use tiski::config::Config;
use tiski::domain::{VisitEntry, VisitId};
use tiski::report::period::Period;
use tiski::store::{DeskFilter, FigureSource, Store};

use crate::pg::{TestDb, pg};
use crate::server::{delete, edit, exported, imported, log, now, sync};

/// One step of a desk's day, as numbers the strategy draws.
#[derive(Debug, Clone)]
enum Op {
    Visit {
        profile: u8,
        day: u8,
        minute: u8,
        topics: u8,
        field: u8,
        referral: u8,
    },
    Edit {
        which: u8,
        topics: u8,
    },
    Delete {
        which: u8,
    },
    HeadCount {
        day: u8,
        n: u8,
    },
    Cancel {
        day: u8,
    },
    Event {
        day: u8,
        count: u8,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0u8..3, 1u8..29, 0u8..120, any::<u8>(), any::<u8>(), any::<u8>()).prop_map(
            |(profile, day, minute, topics, field, referral)| Op::Visit {
                profile, day, minute, topics, field, referral
            }
        ),
        2 => (any::<u8>(), any::<u8>()).prop_map(|(which, topics)| Op::Edit { which, topics }),
        1 => any::<u8>().prop_map(|which| Op::Delete { which }),
        1 => (1u8..29, 1u8..30).prop_map(|(day, n)| Op::HeadCount { day, n }),
        1 => (1u8..29).prop_map(|day| Op::Cancel { day }),
        1 => (1u8..29, 0u8..200).prop_map(|(day, count)| Op::Event { day, count }),
    ]
}

const PROFILES: [&str; 3] = ["ikaihmiset", "kotouttaminen", "perhe"];

/// A visit's entry from drawn numbers, in the profile's own keys.
fn entry_of(config: &Config, profile: &str, topics: u8, field: u8, referral: u8) -> VisitEntry {
    let p = config.profile(profile).unwrap();
    let keys: Vec<&str> = p.active_topics().map(|t| t.key.as_str()).collect();
    let mut e = VisitEntry {
        topics: vec![keys[topics as usize % keys.len()].to_string()],
        ..VisitEntry::default()
    };
    if topics.is_multiple_of(3) {
        let second = keys[(topics as usize / 3 + 1) % keys.len()];
        if !e.topics.iter().any(|t| t == second) {
            e.topics.push(second.to_string());
        }
    }
    if let Some(f) = p.fields.get(field as usize % (p.fields.len() + 1)) {
        let o = &f.options[field as usize % f.options.len()];
        e.fields.insert(f.key.clone(), o.key.clone());
    }
    if referral.is_multiple_of(4) {
        let r = &p.referrals[referral as usize % p.referrals.len()];
        e.referral = Some(r.key.clone());
    }
    e
}

/// Runs `ops` on a desk; `visits` are the ones it may edit or delete
/// (its own and, once imported, another desk's), with their profile.
fn run(s: &mut Store, config: &Config, ops: &[Op], visits: &mut Vec<(VisitId, &'static str)>) {
    for op in ops {
        match *op {
            Op::Visit {
                profile,
                day,
                minute,
                topics,
                field,
                referral,
            } => {
                let profile = PROFILES[profile as usize];
                let place = config.profile(profile).unwrap().default_location.clone();
                let at = format!("2023-11-{day:02} {:02}:{:02}", 9 + minute / 60, minute % 60);
                let e = entry_of(config, profile, topics, field, referral);
                let v = log(s, profile, &place, &at, e);
                visits.push((v.id, profile));
            }
            Op::Edit { which, topics } if !visits.is_empty() => {
                let (id, profile) = visits[which as usize % visits.len()];
                edit(
                    s,
                    profile,
                    id,
                    entry_of(config, profile, topics, topics, topics),
                );
            }
            Op::Delete { which } if !visits.is_empty() => {
                let (id, _) = visits.remove(which as usize % visits.len());
                delete(s, id);
            }
            Op::HeadCount { day, n } => {
                tiski::desk::add_head_count(
                    s,
                    tiski::store::Target::Day {
                        profile: "perhe",
                        location: "Sinilähdetalo",
                    },
                    crate::server::at(&format!("2023-11-{day:02} 12:00")),
                    u32::from(n),
                    &now(),
                )
                .unwrap();
            }
            Op::Cancel { day } => {
                let date = NaiveDate::from_ymd_opt(2023, 11, u32::from(day)).unwrap();
                // Refused for a day that has visits: as at the desk.
                let _ = tiski::desk::cancel_day(s, "ikaihmiset", date, &now());
            }
            Op::Event { day, count } => {
                let p = config.profile("perhe").unwrap();
                let ev = p.event_settings().unwrap();
                let entry = tiski::events::EventEntry {
                    profile: "perhe".into(),
                    date: NaiveDate::from_ymd_opt(2023, 11, u32::from(day)).unwrap(),
                    title: format!("Perheiden ilta {day}"),
                    kind: ev.default_kind().to_string(),
                    count: Some(u32::from(count)),
                    ..Default::default()
                };
                tiski::desk::add_event(s, ev, entry, &now()).unwrap();
            }
            _ => {}
        }
    }
}

/// Every figure a report shows, from either source: the whole unit's,
/// each profile's own with its rota, and the events.
pub fn figures<S: FigureSource>(src: &S, config: &Config) -> String
where
    S::Error: std::fmt::Debug,
{
    let year = Period::year(2023);
    let today = NaiveDate::from_ymd_opt(2023, 12, 31).unwrap();
    let all = DeskFilter::default();
    let mut out = format!("{:?}\n", src.period_report(year, &all).unwrap());
    for p in config.profiles.values() {
        let r = src.profile_report(year, p, &all, today).unwrap();
        out.push_str(&format!("{}: {r:?}\n", p.id));
    }
    // Narrowed to one desk's device, or one place (`--device`,
    // `--location`): the whole report and each profile's part.
    let devices = src.devices().unwrap();
    let locations = src.locations().unwrap();
    out.push_str(&format!("devices {devices:?} locations {locations:?}\n"));
    let narrowed = devices
        .iter()
        .map(|d| DeskFilter {
            device: Some(d),
            ..all
        })
        .chain(locations.iter().map(|l| DeskFilter {
            location: Some(l),
            ..all
        }));
    for desks in narrowed {
        out.push_str(&format!(
            "{desks:?}: {:?}\n",
            src.period_report(year, &desks).unwrap()
        ));
        for p in config.profiles.values() {
            let r = src.profile_report(year, p, &desks, today).unwrap();
            out.push_str(&format!("{desks:?} {}: {r:?}\n", p.id));
        }
    }
    // Periods that take months in part: the server reads whole months
    // from its month roll-up and the rest day by day.
    let day = |m, d| NaiveDate::from_ymd_opt(2023, m, d).unwrap();
    for period in [
        Period::custom(day(10, 1), day(11, 14)),
        Period::custom(day(11, 10), day(12, 31)),
        Period::custom(day(11, 15), day(11, 30)),
    ] {
        out.push_str(&format!("{:?}\n", src.period_report(period, &all).unwrap()));
        for p in config.profiles.values() {
            let r = src.profile_report(period, p, &all, today).unwrap();
            out.push_str(&format!("{period:?} {}: {r:?}\n", p.id));
        }
    }
    let from = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    let events = src.events_report(None, from, today).unwrap();
    out.push_str(&format!("{:?}\n", events.totals));
    out.push_str(&format!(
        "head-counts {}\n",
        src.head_count_total(None, from, today).unwrap()
    ));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn a_server_holding_two_desks_reports_what_a_file_importing_both_does(
        a_ops in proptest::collection::vec(op(), 1..25),
        b_ops in proptest::collection::vec(op(), 0..15),
        crossing in proptest::collection::vec(op(), 0..10),
        later in proptest::collection::vec(op(), 0..8),
    ) {
        let Some(pg) = pg() else { return Ok(()) };
        let config = Config::embedded();
        let mut db = TestDb::new(&pg);
        let (ta, tb) = (db.desk("a", None), db.desk("b", None));
        let reader = db.reader();
        let (mut a, mut b) = (Store::open_in_memory().unwrap(), Store::open_in_memory().unwrap());
        let (mut va, mut vb) = (Vec::new(), Vec::new());
        run(&mut a, &config, &a_ops, &mut va);
        run(&mut b, &config, &b_ops, &mut vb);
        sync(&mut a, &ta).unwrap();
        // b takes a's export, and edits and deletes in it as in its own.
        b.merge(&exported(&a)).unwrap();
        let date = |d: u32| NaiveDate::from_ymd_opt(2023, 11, d).unwrap();
        for d in 1..29 {
            for v in b.visits_on(None, date(d)).unwrap() {
                if va.iter().any(|(id, _)| a.visit(*id).is_ok_and(|x| x.uid == v.uid)) {
                    let profile = b.session(v.session).unwrap().profile;
                    let profile = PROFILES.iter().find(|p| **p == profile).unwrap();
                    vb.push((v.id, *profile));
                }
            }
        }
        run(&mut b, &config, &crossing, &mut vb);
        run(&mut a, &config, &later, &mut va);
        sync(&mut b, &tb).unwrap();
        sync(&mut a, &ta).unwrap();
        let unit = Unit::connect(&reader, tiski::clock::Now::read()).unwrap();
        let local = imported(&[&a, &b]);
        prop_assert_eq!(figures(&unit, &config), figures(&local, &config));
        drop(db);
    }
}

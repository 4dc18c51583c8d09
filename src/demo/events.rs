//! The demo's events and groups, for the profiles that keep them: each year
//! of the history gets a programme like the one the welfare report of the
//! seed document lists (family evenings, lectures, a themed week on social
//! media; friendship-skills and toddler groups meeting weekly, with a
//! feedback tally), so the events screen and the report's sections have
//! something to show.

use chrono::{Datelike, NaiveDate, TimeDelta};

use super::Rng;
use crate::config::Config;
use crate::desk::Trusted;
use crate::error::Error;
use crate::events::{EventEntry, FeedbackEntry, FeedbackTarget, GroupEntry, Tally};
use crate::store::Store;

/// An event of the yearly programme: title, kind, month, usual attendance
/// (none: a social-media event) and whether it is counted roughly.
struct Planned {
    title: &'static str,
    kind: &'static str,
    month: u32,
    count: Option<(u32, u32)>,
    approx: bool,
    place: &'static str,
}

const FAMILY_EVENTS: &[Planned] = &[
    planned(
        "Vierumäki-ilta",
        "tapahtuma",
        3,
        Some((20, 35)),
        "Vierumäen koulu",
    ),
    planned(
        "Hyte-iltakoulu",
        "luento",
        2,
        Some((40, 70)),
        "Kaupungintalo",
    ),
    planned(
        "Autismitietoisuuden viikon yleisöluento",
        "luento",
        4,
        Some((25, 45)),
        "Kirjasto",
    ),
    planned(
        "Kouluterveyskyselyn tulosilta",
        "info",
        5,
        Some((15, 30)),
        "Kailaan koulu",
    ),
    planned("Peliviikko", "some", 6, None, ""),
    planned(
        "Syysfestarit",
        "tapahtuma",
        9,
        Some((250, 350)),
        "Kauppatori",
    ),
    planned(
        "Perheiden ilta",
        "tapahtuma",
        10,
        Some((600, 800)),
        "Kailaan koulu",
    ),
    planned(
        "Aikuisille suunnattu vanhempainilta",
        "info",
        11,
        Some((10, 20)),
        "Perhekeskus",
    ),
];

const ELDERLY_EVENTS: &[Planned] = &[
    planned(
        "Varmuutta verkkoon",
        "luento",
        10,
        Some((15, 25)),
        "Kirjasto",
    ),
    Planned {
        approx: true,
        ..planned(
            "Kaatumisten ehkäisy -luentotilaisuus",
            "luento",
            11,
            Some((60, 80)),
            "Kirjasto",
        )
    },
    planned(
        "Eläkeläisyhdistyksen kevätkokous",
        "vierailu",
        4,
        Some((25, 40)),
        "Seurakuntatalo",
    ),
];

/// A group of the programme: it starts in `month` and meets weekly.
struct PlannedGroup {
    title: &'static str,
    place: &'static str,
    month: u32,
    meetings: u32,
    /// Attendance per meeting, inclusive.
    came: (u32, u32),
}

const FAMILY_GROUPS: &[PlannedGroup] = &[
    group("Kaveritaitoryhmä", "Sinilähde", 2, 5, (5, 7)),
    group("Uhmaryhmä", "Perhekeskus", 9, 6, (3, 6)),
    group("Tunnetaitoryhmä", "Perhekeskus", 10, 5, (4, 6)),
];

const fn group(
    title: &'static str,
    place: &'static str,
    month: u32,
    meetings: u32,
    came: (u32, u32),
) -> PlannedGroup {
    PlannedGroup {
        title,
        place,
        month,
        meetings,
        came,
    }
}

const fn planned(
    title: &'static str,
    kind: &'static str,
    month: u32,
    count: Option<(u32, u32)>,
    place: &'static str,
) -> Planned {
    Planned {
        title,
        kind,
        month,
        count,
        approx: false,
        place,
    }
}

/// How many events and groups were written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub events: u64,
    pub groups: u64,
}

/// Writes each profile's programme for the days `first` to the day before
/// `today`; a profile without events, or one this demo has no programme
/// for, gets none. Only kinds the profile's config knows are written.
pub(super) fn write(
    store: &mut Store,
    config: &Config,
    first: NaiveDate,
    today: NaiveDate,
    rng: &mut Rng,
    now: &Trusted,
) -> Result<Written, Error> {
    let mut written = Written::default();
    for profile in config.profiles.values() {
        let Some(settings) = profile.event_settings() else {
            continue;
        };
        let (events, groups) = match profile.id.as_str() {
            "perhe" => (FAMILY_EVENTS, FAMILY_GROUPS),
            "ikaihmiset" => (ELDERLY_EVENTS, &[][..]),
            _ => continue,
        };
        for year in first.year()..=today.year() {
            let on = |rng: &mut Rng, month: u32| {
                let day = 3 + rng.below(22) as u32;
                NaiveDate::from_ymd_opt(year, month, day).filter(|d| *d >= first && *d < today)
            };
            for p in events {
                let date = on(rng, p.month);
                let Some(date) = date.filter(|_| settings.kinds.iter().any(|k| k.key == p.kind))
                else {
                    continue;
                };
                let count = p
                    .count
                    .map(|(lo, hi)| lo + rng.below(u64::from(hi - lo + 1)) as u32);
                let entry = EventEntry {
                    profile: profile.id.clone(),
                    date,
                    title: p.title.into(),
                    place: p.place.into(),
                    kind: p.kind.into(),
                    count: count.map(|n| if p.approx { n / 10 * 10 } else { n }),
                    approx: p.approx,
                    ..EventEntry::default()
                };
                crate::desk::add_event(store, settings, entry, now)?;
                written.events += 1;
            }
            for g in groups {
                let Some(start) = on(rng, g.month) else {
                    continue;
                };
                write_group(store, &profile.id, g, start, (today, now), rng)?;
                written.groups += 1;
            }
        }
    }
    Ok(written)
}

/// A group meeting weekly from `start` (meetings on or after `today` are
/// still to come), and its feedback once it has met.
fn write_group(
    store: &mut Store,
    profile: &str,
    g: &PlannedGroup,
    start: NaiveDate,
    (today, now): (NaiveDate, &Trusted),
    rng: &mut Rng,
) -> Result<(), Error> {
    let group = crate::desk::add_group(
        store,
        GroupEntry {
            profile: profile.into(),
            date: start,
            title: g.title.into(),
            place: g.place.into(),
            ..GroupEntry::default()
        },
        now,
    )?;
    let (lo, hi) = g.came;
    let mut came = 0;
    for week in 0..g.meetings {
        let day = start + TimeDelta::weeks(i64::from(week));
        if day >= today {
            break;
        }
        let count = lo + rng.below(u64::from(hi - lo + 1)) as u32;
        crate::desk::add_meeting(store, group.id, day, count, now)?;
        came = came.max(count);
    }
    if came > 0 {
        let no = rng.below(2) as u32;
        crate::desk::add_feedback(
            store,
            FeedbackEntry {
                target: FeedbackTarget::Group(group.uid.clone()),
                question: "Oliko ryhmästä hyötyä?".into(),
                tally: Tally::YesNo {
                    yes: came.saturating_sub(no),
                    no,
                },
            },
            now,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{DEFAULT_SEED, DemoOptions, generate};
    use super::*;

    #[test]
    fn the_demo_keeps_a_programme_for_the_profiles_with_events_only() {
        let config = Config::embedded();
        let today = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        let opts = DemoOptions {
            visits: 200,
            years: 2,
            today,
            seed: DEFAULT_SEED,
        };
        let mut store = Store::open_in_memory().unwrap();
        let summary = generate(
            &mut store,
            &config,
            &opts,
            &crate::desk::Trusted::by_user(crate::clock::Now::read()),
        )
        .unwrap();
        let first = summary.first.unwrap();
        let events = store.events_between(None, first, today).unwrap();
        let groups = store.groups_between(None, first, today).unwrap();
        assert_eq!(
            (events.len() as u64, groups.len() as u64),
            (summary.events, summary.groups)
        );
        assert!(summary.events >= 10 && summary.groups >= 2, "{summary:?}");
        for e in &events {
            let settings = config.profiles[&e.entry.profile].event_settings().unwrap();
            e.entry.validate(settings).unwrap();
            assert!(e.entry.date >= first && e.entry.date < today, "{e:?}");
        }
        let profiles: std::collections::BTreeSet<&str> =
            events.iter().map(|e| e.entry.profile.as_str()).collect();
        assert_eq!(profiles, ["ikaihmiset", "perhe"].into());
        for g in &groups {
            assert!(!g.meetings.is_empty(), "{g:?}");
            assert!(g.meetings.iter().all(|m| m.date < today));
        }
        let feedback = store.feedback_between(None, first, today).unwrap();
        assert_eq!(feedback.len(), groups.len(), "one tally per group that met");
        // Deterministic: the same options give the same programme.
        let mut again = Store::open_in_memory().unwrap();
        generate(
            &mut again,
            &config,
            &opts,
            &crate::desk::Trusted::by_user(crate::clock::Now::read()),
        )
        .unwrap();
        let titles = |s: &Store| -> Vec<(String, NaiveDate, Option<u32>)> {
            s.events_between(None, first, today)
                .unwrap()
                .into_iter()
                .map(|e| (e.entry.title, e.entry.date, e.entry.count))
                .collect()
        };
        assert_eq!(titles(&store), titles(&again));
    }
}

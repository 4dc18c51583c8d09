//! `tiski session add|cancel|list`: a held session recorded after the fact
//! (the laptop stayed home), a scheduled one marked cancelled, and the
//! sessions of a period with their state next to the rota's slots.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use super::report::{PeriodRequest, period};
use super::{Clock, Scope};
use crate::clock::{parse_date, parse_day, parse_time_of_day};
use crate::config::{Config, Profile};
use crate::error::Error;
use crate::i18n;
use crate::locale::{self, Lang};
use crate::schedule::{self, SessionState as State, Slot};
use crate::store::Store;
use crate::text;

/// One `tiski session` request; values as typed, checked here.
#[derive(Debug, Clone)]
pub enum SessionRequest {
    Add {
        date: String,
        start: Option<String>,
        end: Option<String>,
    },
    Cancel {
        date: String,
    },
    List {
        period: PeriodRequest,
        json: bool,
    },
}

/// Runs one `tiski session` subcommand for the desk `scope` names.
pub fn run(
    store: &mut Store,
    config: &Config,
    lang: Lang,
    scope: Scope,
    request: SessionRequest,
    clock: Clock,
) -> Result<(), Error> {
    match request {
        SessionRequest::Add { date, start, end } => add(
            store,
            config,
            lang,
            scope,
            (&date, start.as_deref(), end.as_deref()),
            clock,
        ),
        SessionRequest::Cancel { date } => cancel(store, config, lang, &scope, &date, clock),
        SessionRequest::List { period, json } => {
            list(store, config, lang, &scope, &period, json, clock.today())
        }
    }
}

/// A day of the past or today (a session is recorded afterwards).
fn past_day(value: &str, today: NaiveDate) -> Result<NaiveDate, Error> {
    let date = parse_day(value, today)?;
    if date > today {
        return Err(Error::FutureTime {
            value: value.to_string(),
        });
    }
    Ok(date)
}

fn add(
    store: &mut Store,
    config: &Config,
    lang: Lang,
    scope: Scope,
    (date, start, end): (&str, Option<&str>, Option<&str>),
    clock: Clock,
) -> Result<(), Error> {
    let profile = scope.required_profile(config)?;
    let date = past_day(date, clock.today())?;
    let slot = schedule::slots_between(&profile.schedule, date, date)
        .into_iter()
        .next();
    let start = match (start, slot) {
        (Some(s), _) => parse_time_of_day(s)?,
        (None, Some(s)) => s.start,
        (None, None) => return Err(Error::TimesNeeded { date }),
    };
    let end = match (end, slot) {
        (Some(e), _) => parse_time_of_day(e)?,
        (None, Some(s)) => s.end,
        (None, None) => return Err(Error::TimesNeeded { date }),
    };
    if end <= start {
        return Err(Error::EndBeforeStart {
            start: start.format("%H:%M").to_string(),
            end: end.format("%H:%M").to_string(),
        });
    }
    let location = super::place_for(store, profile, scope.location)?;
    let now = clock.trusted(store)?;
    let s = crate::desk::record_session(
        store,
        &profile.id,
        &location,
        date.and_time(start),
        date.and_time(end),
        &now,
    )?;
    let t = i18n::texts(lang);
    say!(
        "{}",
        t.session_recorded(
            &locale::date(s.date, lang),
            &format!(
                "{}–{}",
                locale::time(s.started_at, lang),
                s.ended_at.map_or(String::new(), |e| locale::time(e, lang))
            ),
            &text::clean(&s.location),
        )
    );
    Ok(())
}

fn cancel(
    store: &mut Store,
    config: &Config,
    lang: Lang,
    scope: &Scope,
    date: &str,
    clock: Clock,
) -> Result<(), Error> {
    let profile = scope.required_profile(config)?;
    // A day up to a year ahead may be cancelled in advance (a holiday).
    let value = date;
    let date = parse_date(date)?;
    let (first, last) = (
        crate::clock::first_day(),
        clock.today() + chrono::TimeDelta::days(366),
    );
    if date < first || date > last {
        return Err(Error::DateOutOfRange {
            value: value.to_string(),
            from: first,
            to: last,
        });
    }
    if !profile.schedule.iter().any(|r| r.occurs_on(date)) {
        return Err(Error::NotOnRota {
            profile: profile.id.clone(),
            date,
        });
    }
    let now = clock.trusted(store)?;
    crate::desk::cancel_day(store, &profile.id, date, &now)?;
    say!(
        "{}",
        i18n::texts(lang).day_cancelled(&locale::date(date, lang))
    );
    Ok(())
}

/// One line of `session list`.
#[derive(Debug, Clone, Serialize)]
struct Line {
    profile: String,
    date: NaiveDate,
    state: State,
    location: Option<String>,
    start: Option<String>,
    end: Option<String>,
    visitors: Option<u32>,
}

/// A profile's sessions, cancelled days and slots with neither, by date.
fn lines(
    store: &Store,
    profile: &Profile,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<Line>, Error> {
    let hm = |t: chrono::NaiveTime| t.format("%H:%M").to_string();
    let held = store.sessions_between(Some(&profile.id), from, to)?;
    let cancelled = store.cancellations(Some(&profile.id), from, to)?;
    let mut out: Vec<Line> = held
        .iter()
        .map(|s| Line {
            profile: profile.id.clone(),
            date: s.date,
            state: State::Held,
            location: Some(s.location.clone()),
            start: Some(hm(s.started_at.time())),
            end: s.ended_at.map(|e| hm(e.time())),
            visitors: Some(s.visitors),
        })
        .collect();
    // Slots the sessions and cancellations do not account for, day by day.
    let slots: Vec<Slot> = schedule::slots_between(&profile.schedule, from, to);
    let mut accounted: Vec<NaiveDate> = held.iter().map(|s| s.date).collect();
    for c in &cancelled {
        let slot = slots.iter().find(|s| s.date == c.date);
        out.push(Line {
            profile: profile.id.clone(),
            date: c.date,
            state: State::Cancelled,
            location: None,
            start: slot.map(|s| hm(s.start)),
            end: slot.map(|s| hm(s.end)),
            visitors: None,
        });
        accounted.push(c.date);
    }
    for s in &slots {
        if let Some(i) = accounted.iter().position(|d| *d == s.date) {
            accounted.swap_remove(i);
            continue;
        }
        out.push(Line {
            profile: profile.id.clone(),
            date: s.date,
            state: if s.date > today {
                State::Scheduled
            } else {
                State::NotRecorded
            },
            location: None,
            start: Some(hm(s.start)),
            end: Some(hm(s.end)),
            visitors: None,
        });
    }
    out.sort_by(|a, b| (a.date, &a.start).cmp(&(b.date, &b.start)));
    Ok(out)
}

fn list(
    store: &Store,
    config: &Config,
    lang: Lang,
    scope: &Scope,
    request: &PeriodRequest,
    json: bool,
    today: NaiveDate,
) -> Result<(), Error> {
    let p = period(request, today)?;
    let profiles: Vec<&Profile> = match scope.profile(config)? {
        Some(p) => vec![p],
        None => config.profiles.values().collect(),
    };
    let mut all = Vec::new();
    for profile in &profiles {
        all.extend(lines(store, profile, p.from, p.to, today)?);
    }
    if json {
        let text =
            crate::text::json_safe(serde_json::to_string_pretty(&all).expect("sessions serialize"));
        say!("{text}");
        return Ok(());
    }
    let t = i18n::texts(lang);
    let mut s = String::new();
    let span = format!(
        "{}–{}",
        locale::date(p.from, lang),
        locale::date(p.to, lang)
    );
    let _ = writeln!(s, "{}", t.session_list_heading(&span));
    if all.is_empty() {
        let _ = writeln!(s, "  {}", t.none());
    }
    for l in &all {
        let name = config
            .profile(&l.profile)
            .map_or(l.profile.as_str(), |p| p.short_name(lang));
        // As the language writes times: 10.00 in Finnish, 10:00 in English.
        let hm = |t: &Option<String>| {
            t.as_deref().map_or(String::new(), |t| match lang {
                Lang::Fi => t.replace(':', "."),
                Lang::En => t.to_string(),
            })
        };
        let hours = match (&l.start, &l.end) {
            (None, None) => String::new(),
            _ => format!("{}–{}", hm(&l.start), hm(&l.end)),
        };
        let _ = writeln!(
            s,
            "  {:<11} {:<12} {:<24} {:<14} {}",
            locale::date(l.date, lang),
            hours,
            text::truncate(&text::clean(name), 24),
            t.session_state(l.state),
            match (l.visitors, &l.location) {
                (Some(n), Some(place)) => t.session_visitors(n, &text::clean(place)),
                _ => String::new(),
            }
        );
    }
    say_part!("{s}");
    Ok(())
}

//! `tiski event add|list|edit|delete`, `tiski group add|meet|list` and
//! `tiski feedback add`: events, group series and feedback from the shell.
//! Values come as typed and are checked here; a refusal writes nothing.

use super::report::{PeriodRequest, period};
use super::{Clock, Scope};
use crate::clock::{parse_day, parse_time_of_day};
use crate::config::{Config, Profile};
use crate::desk;
use crate::error::Error;
use crate::events::{
    EventEntry, EventError, EventId, EventsConfig, FeedbackEntry, FeedbackTarget, GroupEntry,
    GroupId, Tally,
};
use crate::export::assemble;
use crate::i18n;
use crate::locale::{self, Lang};
use crate::report::events::EventsReport;
use crate::store::Store;

/// An event's fields as typed; for `edit`, the ones given replace.
#[derive(Debug, Clone, Default)]
pub struct EventFields {
    pub date: Option<String>,
    pub title: Option<String>,
    pub time: Option<String>,
    pub place: Option<String>,
    pub kind: Option<String>,
    pub partner: Option<String>,
    pub count: Option<u32>,
    pub approx: bool,
    pub online: Option<u32>,
    pub unit: Option<String>,
}

/// A group series as typed.
#[derive(Debug, Clone, Default)]
pub struct GroupFields {
    pub title: String,
    pub date: Option<String>,
    pub place: Option<String>,
    pub partner: Option<String>,
    pub target: Option<String>,
    pub meetings: Option<u32>,
    pub visits: Option<u32>,
}

/// A feedback tally as typed; exactly one kind of tally is to be given.
#[derive(Debug, Clone, Default)]
pub struct FeedbackFields {
    pub event: Option<i64>,
    pub group: Option<i64>,
    pub question: String,
    pub yes: Option<u32>,
    pub no: Option<u32>,
    pub scale: Option<String>,
    pub counts: Option<String>,
    pub mean: Option<String>,
    pub n: Option<u32>,
    pub slips: Option<u32>,
}

/// One request of the events commands.
#[derive(Debug, Clone)]
pub enum EventRequest {
    Add(EventFields),
    List {
        period: PeriodRequest,
        json: bool,
    },
    Edit {
        id: i64,
        fields: EventFields,
    },
    Delete {
        id: i64,
    },
    AddGroup(GroupFields),
    DeleteGroup {
        id: i64,
    },
    Meet {
        id: i64,
        date: Option<String>,
        count: u32,
    },
    Feedback(FeedbackFields),
}

/// Runs one request for the desk `scope` names.
pub fn run(
    store: &mut Store,
    config: &Config,
    lang: Lang,
    scope: Scope,
    request: EventRequest,
    clock: Clock,
) -> Result<(), Error> {
    let t = i18n::texts(lang);
    let today = clock.today();
    match request {
        EventRequest::Add(f) => {
            let profile = scope.required_profile(config)?;
            let settings = settings(profile)?;
            let mut entry = EventEntry {
                profile: profile.id.clone(),
                date: today,
                kind: settings.default_kind().to_string(),
                ..EventEntry::default()
            };
            apply(&mut entry, f, today)?;
            not_ahead(entry.date, today)?;
            let now = clock.trusted(store)?;
            let e = desk::add_event(store, settings, entry, &now)?;
            say!("{}", t.event_saved(Some(e.id.0), &t.event_line(&e)));
        }
        EventRequest::Edit { id, fields } => {
            let mut entry = store.event(EventId(id))?.entry;
            let profile = config.find_profile(&entry.profile)?;
            let settings = settings(profile)?;
            apply(&mut entry, fields, today)?;
            not_ahead(entry.date, today)?;
            let now = clock.trusted(store)?;
            let e = desk::update_event(store, settings, EventId(id), entry, &now)?;
            say!("{}", t.event_saved(Some(e.id.0), &t.event_line(&e)));
        }
        EventRequest::Delete { id } => {
            let now = clock.trusted(store)?;
            let e = desk::delete_event(store, EventId(id), &now)?;
            say!("{}", t.event_deleted(id, &e.entry.title));
        }
        EventRequest::List { period: p, json } => {
            let profile = scope.profile(config)?.map(|p| p.id.as_str());
            let span = period(&p, today)?;
            let report = assemble::events_report(store, profile, span.from, span.to)?;
            if json {
                let text = crate::text::json_safe(
                    serde_json::to_string_pretty(&report).expect("events serialize"),
                );
                say!("{text}");
            } else {
                say!("{}", list_text(&report, lang));
            }
        }
        EventRequest::AddGroup(f) => {
            let profile = scope.required_profile(config)?;
            settings(profile)?;
            let date = f.date.as_deref().map(|d| parse_day(d, today)).transpose()?;
            not_ahead(date.unwrap_or(today), today)?;
            let entry = GroupEntry {
                profile: profile.id.clone(),
                date: date.unwrap_or(today),
                title: f.title,
                place: f.place.unwrap_or_default(),
                partner: f.partner.unwrap_or_default(),
                target: f.target.unwrap_or_default(),
                paper_meetings: f.meetings,
                paper_visits: f.visits,
            };
            let now = clock.trusted(store)?;
            let g = desk::add_group(store, entry, &now)?;
            say!("{}", t.group_saved(Some(g.id.0), &t.group_line(&g)));
        }
        EventRequest::DeleteGroup { id } => {
            let now = clock.trusted(store)?;
            let g = desk::delete_group(store, GroupId(id), &now)?;
            say!("{}", t.group_deleted(id, &g.entry.title));
        }
        EventRequest::Meet { id, date, count } => {
            let date = date.as_deref().map(|d| parse_day(d, today)).transpose()?;
            let date = date.unwrap_or(today);
            not_ahead(date, today)?;
            let now = clock.trusted(store)?;
            desk::add_meeting(store, GroupId(id), date, count, &now)?;
            let g = store.group(GroupId(id))?;
            say!(
                "{}",
                t.meeting_saved(id, &locale::date(date, lang), count, g.visits())
            );
        }
        EventRequest::Feedback(f) => {
            let entry = feedback_entry(store, &f)?.ok_or(Error::FeedbackNeeds)?;
            let now = clock.trusted(store)?;
            let saved = desk::add_feedback(store, entry, &now)?;
            say!("{}", t.feedback_saved(&t.feedback_line(&saved)));
        }
    }
    Ok(())
}

/// An event, group or meeting is logged once it happened: a day ahead is
/// a typo (2032 for 2023), as for a visit.
fn not_ahead(date: chrono::NaiveDate, today: chrono::NaiveDate) -> Result<(), Error> {
    if date > today {
        return Err(Error::FutureTime {
            value: date.format("%Y-%m-%d").to_string(),
        });
    }
    Ok(())
}

/// The profile's events settings, or the refusal naming the profile.
fn settings(profile: &Profile) -> Result<&EventsConfig, Error> {
    profile.event_settings().ok_or_else(|| {
        Error::Event(EventError::EventsOff {
            profile: profile.id.clone(),
        })
    })
}

fn apply(e: &mut EventEntry, f: EventFields, today: chrono::NaiveDate) -> Result<(), Error> {
    if let Some(d) = f.date {
        e.date = parse_day(&d, today)?;
    }
    if let Some(t) = f.time {
        e.time = Some(parse_time_of_day(&t)?);
    }
    if let Some(v) = f.title {
        e.title = v;
    }
    if let Some(v) = f.place {
        e.place = v;
    }
    if let Some(v) = f.kind {
        e.kind = v;
    }
    if let Some(v) = f.partner {
        e.partners = v;
    }
    if f.count.is_some() {
        e.count = f.count;
    }
    if f.approx {
        e.approx = true;
    }
    if f.online.is_some() {
        e.online = f.online;
    }
    if let Some(v) = f.unit {
        e.unit = v;
    }
    Ok(())
}

/// The tally the flags give, or `None` when they give none or several.
fn feedback_entry(store: &Store, f: &FeedbackFields) -> Result<Option<FeedbackEntry>, Error> {
    let target = match (f.event, f.group) {
        (Some(id), None) => FeedbackTarget::Event(store.event(EventId(id))?.uid),
        (None, Some(id)) => FeedbackTarget::Group(store.group(GroupId(id))?.uid),
        _ => return Ok(None),
    };
    let mut tallies = Vec::new();
    if let (Some(yes), Some(no)) = (f.yes, f.no) {
        tallies.push(Tally::YesNo { yes, no });
    }
    if let (Some(scale), Some(counts)) = (&f.scale, &f.counts) {
        let parts: Vec<Option<u32>> = counts.split(',').map(|c| c.trim().parse().ok()).collect();
        let counts: Option<Vec<u32>> = parts.into_iter().collect();
        match counts {
            Some(c) if scale.trim() == "1-5" && c.len() == 5 => tallies.push(Tally::Scale {
                counts: [c[0], c[1], c[2], c[3], c[4]],
            }),
            _ => return Err(Error::FeedbackNeeds),
        }
    }
    if let (Some(mean), Some(n)) = (&f.mean, f.n) {
        let Ok(mean) = mean.trim().replace(',', ".").parse::<f64>() else {
            return Err(Error::FeedbackNeeds);
        };
        tallies.push(Tally::Mean { mean, n });
    }
    if let Some(n) = f.slips {
        tallies.push(Tally::Slips { n });
    }
    if tallies.len() != 1 {
        return Ok(None);
    }
    Ok(Some(FeedbackEntry {
        target,
        question: f.question.trim().to_string(),
        tally: tallies[0],
    }))
}

/// `event list` as text: each event and group with its id.
fn list_text(r: &EventsReport, lang: Lang) -> String {
    let t = i18n::texts(lang);
    if r.is_empty() {
        return t.no_events().to_string();
    }
    let mut out = Vec::new();
    if !r.events.is_empty() {
        out.push(t.events_heading().to_string());
        for e in &r.events {
            out.push(format!(
                "{:>5}  {:<10}  {}",
                e.id.0,
                locale::date(e.entry.date, lang),
                t.event_line(e)
            ));
        }
    }
    if !r.groups.is_empty() {
        out.push(t.groups_heading().to_string());
        for g in &r.groups {
            out.push(format!(
                "{:>5}  {:<10}  {}",
                g.id.0,
                locale::date(g.entry.date, lang),
                t.group_line(g)
            ));
        }
        out.push(format!(
            "{:>19}{}",
            "",
            t.group_visits_total(r.totals.group_visits)
        ));
    }
    if !r.feedback.is_empty() {
        out.push(t.feedback_heading().to_string());
        for f in &r.feedback {
            out.push(format!("{:>19}{}", "", t.feedback_line(f)));
        }
    }
    out.push(t.event_totals(&r.totals));
    out.join("\n")
}

//! The events screen (`g` on the duty screen, for a profile with events
//! on): the year's events and groups as the report lists them, and small
//! forms to add an event, a group, a group's meeting or a feedback tally,
//! one field after another (Enter moves on, and saves on the last field;
//! Tab and ↓ move on, Shift-Tab and ↑ go back). A refusal puts the cursor
//! on the field at fault.

use chrono::{Datelike, NaiveDate};

use super::input::event_field;
use super::{App, View};
use crate::error::Error;
pub use crate::events::Field;
use crate::events::{
    EventEntry, EventError, FeedbackEntry, FeedbackTarget, FormOf, GroupEntry, GroupId, Tally,
};
use crate::report::events::EventsReport;
use crate::text::input::TextInput;

/// What the events screen is asked to do; produced by `keymap`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventsAction {
    Open,
    Up,
    Down,
    /// Another year: -1 or +1.
    Year(i32),
    NewEvent,
    /// `e` / Enter: correct the selected event in the same form.
    EditEvent,
    NewGroup,
    /// A meeting of the selected group.
    NewMeeting,
    /// A yes/no feedback tally on the selected event or group.
    NewFeedback,
    /// `x`: delete the selected event or group (asks first).
    Delete,
    /// The answer to "delete?".
    Answer(bool),
    /// Enter: the next field, or save on the last.
    Next,
    /// Tab, ↓ (+1) or Shift-Tab, ↑ (-1): another field, round the form.
    Field(i32),
    /// In a field with a list: the n-th choice (0-based).
    Choose(usize),
    /// In a field with a list: the choice before (-1) or after (+1).
    StepChoice(i32),
    /// Esc: the form closes unsaved, or the screen closes.
    Cancel,
}

/// Which form is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    Event,
    /// Correcting an event: what the form lacks (time, partners, online
    /// viewers, unit) is kept from `Event::entry`.
    EditEvent(Box<crate::events::Event>),
    Group,
    Meeting(GroupId),
    /// On an event or a group (by uid), with its title.
    Feedback(FeedbackTarget, String),
}

/// A small form: its fields with what is typed or chosen, and the one
/// with the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventForm {
    pub kind: FormKind,
    pub fields: Vec<(Field, Value)>,
    pub at: usize,
    /// Saving was tried and refused: the fields have all been seen, so
    /// Enter saves from any field once the fault is put right.
    pub tried: bool,
}

/// A field's value: typed, or chosen from a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(TextInput),
    Choice(Choice),
}

/// A field with a list (the kind of event, whether a count is an
/// estimate): the options' keys and labels, and the one chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub options: Vec<(String, String)>,
    pub at: usize,
}

impl Choice {
    pub fn key(&self) -> &str {
        self.options.get(self.at).map_or("", |o| o.0.as_str())
    }

    pub fn label(&self) -> &str {
        self.options.get(self.at).map_or("", |o| o.1.as_str())
    }
}

impl EventForm {
    /// The text field with the cursor; none on a list.
    pub fn input(&self) -> Option<&TextInput> {
        match self.fields.get(self.at) {
            Some((_, Value::Text(t))) => Some(t),
            _ => None,
        }
    }

    pub fn input_mut(&mut self) -> Option<&mut TextInput> {
        match self.fields.get_mut(self.at) {
            Some((_, Value::Text(t))) => Some(t),
            _ => None,
        }
    }

    /// The list with the cursor, if the cursor is on one.
    pub fn choice(&self) -> Option<&Choice> {
        match self.fields.get(self.at) {
            Some((_, Value::Choice(c))) => Some(c),
            _ => None,
        }
    }

    /// The field's value, trimmed (a list's: its chosen key).
    pub fn value(&self, field: Field) -> &str {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, v)| match v {
                Value::Text(t) => t.value().trim(),
                Value::Choice(c) => c.key(),
            })
    }

    /// The cursor to field `i`: its value selected, to be typed over.
    pub fn focus(&mut self, i: usize) {
        self.at = i.min(self.fields.len().saturating_sub(1));
        if let Some(t) = self.input_mut() {
            t.enter();
        }
    }

    /// The cursor to `field`, if the form has it.
    fn focus_on(&mut self, field: Field) {
        if let Some(i) = self.fields.iter().position(|(f, _)| *f == field) {
            self.focus(i);
        }
    }
}

/// The events screen's state: the year shown, its lists, the selection
/// (events first, then groups) and the open form.
#[derive(Debug, Clone, PartialEq)]
pub struct EventsState {
    pub year: i32,
    pub report: EventsReport,
    pub selected: usize,
    pub form: Option<EventForm>,
    /// The event or group waiting for "delete?": its id and title.
    pub confirm: Option<(Deletion, String)>,
}

/// What `x` deletes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deletion {
    Event(crate::events::EventId),
    Group(GroupId),
}

impl FormKind {
    pub fn of(&self) -> FormOf {
        match self {
            FormKind::Event => FormOf::Event,
            FormKind::EditEvent(_) => FormOf::EditEvent,
            FormKind::Group => FormOf::Group,
            FormKind::Meeting(_) => FormOf::Meeting,
            FormKind::Feedback(..) => FormOf::Feedback,
        }
    }
}

impl EventsState {
    /// The number of selectable rows: events, then groups.
    pub fn rows(&self) -> usize {
        self.report.events.len() + self.report.groups.len()
    }
}

impl App {
    pub(super) fn events_action(&mut self, a: EventsAction) -> Result<(), Error> {
        if a == EventsAction::Open {
            return self.open_events();
        }
        let Some(state) = self.duty.as_mut().and_then(|d| d.events.as_mut()) else {
            return Ok(());
        };
        match a {
            EventsAction::Open => {}
            EventsAction::Up => state.selected = state.selected.saturating_sub(1),
            EventsAction::Down => {
                state.selected = (state.selected + 1).min(state.rows().saturating_sub(1));
            }
            EventsAction::Year(step) => {
                let year = state.year + step;
                self.load_events(year)?;
            }
            EventsAction::NewEvent => self.open_form(FormKind::Event),
            EventsAction::EditEvent => match state.report.events.get(state.selected) {
                Some(e) => {
                    let e = Box::new(e.clone());
                    self.open_form(FormKind::EditEvent(e));
                }
                None => self.set_error(self.texts().select_an_event_to_edit().to_string()),
            },
            EventsAction::NewGroup => self.open_form(FormKind::Group),
            EventsAction::NewMeeting => {
                // The selected group; else the one that met last, as the
                // next meeting is most likely its (the form names it).
                let group = selected_group(state)
                    .or_else(|| last_met_group(state))
                    .map(|g| g.id);
                match group {
                    Some(id) => self.open_form(FormKind::Meeting(id)),
                    None => self.set_error(self.texts().select_a_group().to_string()),
                }
            }
            EventsAction::NewFeedback => {
                let target = selected_target(state);
                match target {
                    Some((t, title)) => self.open_form(FormKind::Feedback(t, title)),
                    None => self.set_error(self.texts().select_an_event().to_string()),
                }
            }
            EventsAction::Delete => {
                let target = if let Some(e) = state.report.events.get(state.selected) {
                    Some((Deletion::Event(e.id), e.entry.title.clone()))
                } else {
                    selected_group(state).map(|g| (Deletion::Group(g.id), g.entry.title.clone()))
                };
                state.confirm = target;
            }
            EventsAction::Answer(yes) => {
                let Some((what, title)) = state.confirm.take() else {
                    return Ok(());
                };
                if !yes {
                    return Ok(());
                }
                let Some(now) = self.ready_to_write() else {
                    return Ok(());
                };
                let t = self.texts();
                let said = match what {
                    Deletion::Event(id) => {
                        crate::desk::delete_event(&mut self.store, id, &now)?;
                        t.event_deleted(id.0, &title)
                    }
                    Deletion::Group(id) => {
                        crate::desk::delete_group(&mut self.store, id, &now)?;
                        t.group_deleted(id.0, &title)
                    }
                };
                let year = self
                    .duty
                    .as_ref()
                    .and_then(|d| d.events.as_ref())
                    .map(|s| s.year);
                self.load_events(year.unwrap_or(self.now.year()))?;
                self.set_info(said);
            }
            EventsAction::Next => {
                let Some(f) = state.form.as_mut() else {
                    return Ok(());
                };
                if f.at + 1 < f.fields.len() && !f.tried {
                    f.focus(f.at + 1);
                } else {
                    self.save_form()?;
                }
            }
            EventsAction::Field(step) => {
                if let Some(f) = state.form.as_mut() {
                    let n = f.fields.len() as i32;
                    f.focus((f.at as i32 + step).rem_euclid(n.max(1)) as usize);
                }
            }
            EventsAction::Choose(i) => {
                if let Some((_, Value::Choice(c))) =
                    state.form.as_mut().and_then(|f| f.fields.get_mut(f.at))
                    && i < c.options.len()
                {
                    c.at = i;
                }
            }
            EventsAction::StepChoice(step) => {
                if let Some((_, Value::Choice(c))) =
                    state.form.as_mut().and_then(|f| f.fields.get_mut(f.at))
                {
                    let n = c.options.len().max(1) as i32;
                    c.at = (c.at as i32 + step).rem_euclid(n) as usize;
                }
            }
            EventsAction::Cancel => {
                if state.form.take().is_none() {
                    self.view = View::Duty;
                }
            }
        }
        Ok(())
    }

    fn open_events(&mut self) -> Result<(), Error> {
        let Some(d) = self.duty.as_ref() else {
            return Ok(());
        };
        if d.profile.event_settings().is_none() {
            let e = EventError::EventsOff {
                profile: d.profile.id.clone(),
            };
            self.set_error(self.texts().event_error(&e));
            return Ok(());
        }
        let year = d.events.as_ref().map_or(self.now.year(), |s| s.year);
        self.load_events(year)?;
        self.view = View::Events;
        Ok(())
    }

    fn load_events(&mut self, year: i32) -> Result<(), Error> {
        let Some(d) = self.duty.as_mut() else {
            return Ok(());
        };
        let (Some(from), Some(to)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Ok(());
        };
        let id = Some(d.profile.id.as_str());
        let report = crate::export::assemble::events_report(&self.store, id, from, to)?;
        let (selected, form) = match d.events.take() {
            Some(s) if s.year == year => (s.selected, s.form),
            _ => (0, None),
        };
        let rows = report.events.len() + report.groups.len();
        d.events = Some(EventsState {
            year,
            report,
            selected: selected.min(rows.saturating_sub(1)),
            form,
            confirm: None,
        });
        Ok(())
    }

    fn open_form(&mut self, kind: FormKind) {
        let lang = self.lang;
        let t = crate::i18n::texts(lang);
        let today = crate::locale::date(self.now.date(), lang);
        let Some(d) = self.duty.as_mut() else { return };
        let settings = d.profile.event_settings().cloned().unwrap_or_default();
        let text = |field: Field, value: &str| {
            (
                field,
                Value::Text(TextInput::filled(event_field(field), value)),
            )
        };
        // The kinds the profile offers, in its order; an event's own kind
        // that is no longer offered stays on its list.
        let kinds = |own: Option<&str>| {
            let mut options: Vec<(String, String)> = settings
                .kinds
                .iter()
                .map(|k| (k.key.clone(), k.label(lang).to_string()))
                .collect();
            let at = match own {
                Some(key) => options.iter().position(|o| o.0 == key).unwrap_or_else(|| {
                    options.push((key.to_string(), key.to_string()));
                    options.len() - 1
                }),
                None => 0,
            };
            (Field::Kind, Value::Choice(Choice { options, at }))
        };
        let approx = |on: bool| {
            let options = [false, true].map(|b| {
                (
                    if b { "yes" } else { "no" }.to_string(),
                    t.yes_no(b).to_string(),
                )
            });
            (
                Field::Approx,
                Value::Choice(Choice {
                    options: options.to_vec(),
                    at: usize::from(on),
                }),
            )
        };
        let fields: Vec<(Field, Value)> = match &kind {
            FormKind::EditEvent(e) => {
                let e = &e.entry;
                vec![
                    text(Field::Title, &e.title),
                    text(Field::Date, &crate::locale::date(e.date, lang)),
                    text(
                        Field::Count,
                        &e.count.map_or(String::new(), |n| n.to_string()),
                    ),
                    approx(e.approx),
                    kinds(Some(&e.kind)),
                    text(Field::Place, &e.place),
                ]
            }
            FormKind::Event => vec![
                text(Field::Title, ""),
                text(Field::Date, &today),
                text(Field::Count, ""),
                approx(false),
                kinds(None),
                text(Field::Place, ""),
            ],
            FormKind::Group => vec![
                text(Field::Title, ""),
                text(Field::Date, &today),
                text(Field::Place, ""),
            ],
            FormKind::Meeting(id) => {
                // The common case in two Enters: today, as many as came
                // to the group's last meeting.
                let usual = d
                    .events
                    .as_ref()
                    .and_then(|s| s.report.groups.iter().find(|g| g.id == *id))
                    .and_then(|g| g.meetings.iter().max_by_key(|m| m.date))
                    .map_or(String::new(), |m| m.count.to_string());
                vec![text(Field::Date, &today), text(Field::Count, &usual)]
            }
            FormKind::Feedback(..) => vec![
                text(Field::Question, ""),
                text(Field::Yes, ""),
                text(Field::No, ""),
            ],
        };
        if let Some(s) = d.events.as_mut() {
            s.form = Some(EventForm {
                kind,
                fields,
                at: 0,
                tried: false,
            });
        }
    }

    /// Saves the open form; a refusal keeps it open with the reason.
    fn save_form(&mut self) -> Result<(), Error> {
        let Some((form, profile)) = self.duty.as_ref().and_then(|d| {
            let f = d.events.as_ref()?.form.clone()?;
            Some((f, d.profile.clone()))
        }) else {
            return Ok(());
        };
        let Some(now) = self.ready_to_write() else {
            return Ok(());
        };
        let today = self.now.date();
        let value = |field: Field| form.value(field);
        let date = |s: &str| -> Result<NaiveDate, Error> {
            let d = crate::clock::parse_day(s, today)?;
            if d > today {
                return Err(Error::FutureTime {
                    value: s.to_string(),
                });
            }
            Ok(d)
        };
        let number = |what: &'static str, s: &str| -> Result<Option<u32>, Error> {
            if s.is_empty() {
                return Ok(None);
            }
            s.parse::<u32>().map(Some).map_err(|_| {
                Error::Event(EventError::NotANumber {
                    what,
                    value: s.to_string(),
                })
            })
        };
        let t = self.texts();
        let result: Result<String, Error> = (|| match &form.kind {
            FormKind::Event | FormKind::EditEvent(_) => {
                let settings = profile.event_settings().cloned().unwrap_or_default();
                let earlier = match &form.kind {
                    FormKind::EditEvent(e) => Some(e),
                    _ => None,
                };
                let entry = EventEntry {
                    profile: profile.id.clone(),
                    date: date(value(Field::Date))?,
                    title: value(Field::Title).to_string(),
                    kind: value(Field::Kind).to_string(),
                    count: number("count", value(Field::Count))?,
                    approx: value(Field::Approx) == "yes",
                    place: value(Field::Place).to_string(),
                    ..earlier.map_or_else(EventEntry::default, |e| e.entry.clone())
                };
                match earlier {
                    Some(e) => {
                        let e = crate::desk::update_event(
                            &mut self.store,
                            &settings,
                            e.id,
                            entry,
                            &now,
                        )?;
                        Ok(t.event_updated(&t.event_line(&e)))
                    }
                    None => {
                        let e = crate::desk::add_event(&mut self.store, &settings, entry, &now)?;
                        Ok(t.event_saved(None, &t.event_line(&e)))
                    }
                }
            }
            FormKind::Group => {
                let entry = GroupEntry {
                    profile: profile.id.clone(),
                    date: date(value(Field::Date))?,
                    title: value(Field::Title).to_string(),
                    place: value(Field::Place).to_string(),
                    ..GroupEntry::default()
                };
                let g = crate::desk::add_group(&mut self.store, entry, &now)?;
                Ok(t.group_saved(None, &t.group_line(&g)))
            }
            FormKind::Meeting(id) => {
                let day = date(value(Field::Date))?;
                let count =
                    number("count", value(Field::Count))?.ok_or(EventError::NoMeetingCount)?;
                crate::desk::add_meeting(&mut self.store, *id, day, count, &now)?;
                let g = self.store.group(*id)?;
                let day = crate::locale::date(day, self.lang);
                Ok(t.meeting_saved(id.0, &day, count, g.visits()))
            }
            FormKind::Feedback(target, _) => {
                let entry = FeedbackEntry {
                    target: target.clone(),
                    question: value(Field::Question).to_string(),
                    tally: Tally::YesNo {
                        yes: number("yes", value(Field::Yes))?.unwrap_or(0),
                        no: number("no", value(Field::No))?.unwrap_or(0),
                    },
                };
                let f = crate::desk::add_feedback(&mut self.store, entry, &now)?;
                Ok(t.feedback_saved(&t.feedback_line(&f)))
            }
        })();
        match result {
            Ok(said) => {
                if let Some(s) = self.duty.as_mut().and_then(|d| d.events.as_mut()) {
                    s.form = None;
                }
                let year = self
                    .duty
                    .as_ref()
                    .and_then(|d| d.events.as_ref())
                    .map(|s| s.year);
                self.load_events(year.unwrap_or(today.year()))?;
                // The highlight stays on the event edited, wherever its
                // new date put it.
                if let FormKind::EditEvent(e) = &form.kind
                    && let Some(s) = self.duty.as_mut().and_then(|d| d.events.as_mut())
                    && let Some(i) = s.report.events.iter().position(|x| x.id == e.id)
                {
                    s.selected = i;
                }
                self.set_info(said);
            }
            Err(e) if matches!(e, Error::Store(_)) => return Err(e),
            Err(e) => {
                // The cursor goes where the fault is, its value selected.
                if let Some(field) = field_at_fault(&e)
                    && let Some(f) = self
                        .duty
                        .as_mut()
                        .and_then(|d| d.events.as_mut())
                        .and_then(|s| s.form.as_mut())
                {
                    f.tried = true;
                    f.focus_on(field);
                }
                self.set_error(t.error(&e));
            }
        }
        Ok(())
    }
}

/// The field of the form a refusal is about, when it is one field's.
fn field_at_fault(e: &Error) -> Option<Field> {
    use EventError as E;
    let by_name = |what: &str| match what {
        "title" => Some(Field::Title),
        "place" => Some(Field::Place),
        "question" => Some(Field::Question),
        "yes" => Some(Field::Yes),
        "no" => Some(Field::No),
        "count" => Some(Field::Count),
        _ => None,
    };
    match e {
        Error::FutureTime { .. }
        | Error::BadDate { .. }
        | Error::NoSuchDay { .. }
        | Error::DateOutOfRange { .. } => Some(Field::Date),
        Error::Event(e) => match e {
            E::NoTitle => Some(Field::Title),
            E::TooLong { what, .. } | E::ControlChar { what } => by_name(what),
            E::NotANumber { what, .. } | E::TooMany { what, .. } => by_name(what),
            E::UnknownKind { .. } => Some(Field::Kind),
            E::SomeWithCount | E::NoCount { .. } | E::NoMeetingCount | E::ZeroCount => {
                Some(Field::Count)
            }
            E::NoAnswers => Some(Field::Yes),
            _ => None,
        },
        _ => None,
    }
}

fn selected_group(s: &EventsState) -> Option<&crate::events::Group> {
    s.selected
        .checked_sub(s.report.events.len())
        .and_then(|i| s.report.groups.get(i))
}

fn last_met_group(s: &EventsState) -> Option<&crate::events::Group> {
    s.report
        .groups
        .iter()
        .filter_map(|g| Some((g.meetings.iter().map(|m| m.date).max()?, g)))
        .max_by_key(|(day, g)| (*day, g.id))
        .map(|(_, g)| g)
}

fn selected_target(s: &EventsState) -> Option<(FeedbackTarget, String)> {
    if let Some(e) = s.report.events.get(s.selected) {
        return Some((FeedbackTarget::Event(e.uid.clone()), e.entry.title.clone()));
    }
    selected_group(s).map(|g| (FeedbackTarget::Group(g.uid.clone()), g.entry.title.clone()))
}

#[cfg(test)]
mod tests;

//! Events, group series, their meetings and feedback: checked against
//! their rules, then written with the clock's stamp.

use chrono::NaiveDate;

use super::Trusted;
use crate::checked;
use crate::error::Error;
use crate::events::{
    Event, EventEntry, EventId, EventsConfig, Feedback, FeedbackEntry, Group, GroupEntry, GroupId,
    Meeting,
};
use crate::store::Store;

pub fn add_event(
    store: &mut Store,
    config: &EventsConfig,
    entry: EventEntry,
    now: &Trusted,
) -> Result<Event, Error> {
    let entry = checked::event(config, entry)?;
    Ok(store.add_event(&entry, &now.now().stamp())?)
}

pub fn update_event(
    store: &mut Store,
    config: &EventsConfig,
    id: EventId,
    entry: EventEntry,
    now: &Trusted,
) -> Result<Event, Error> {
    let entry = checked::event(config, entry)?;
    Ok(store.update_event(id, &entry, &now.now().stamp())?)
}

pub fn delete_event(store: &mut Store, id: EventId, now: &Trusted) -> Result<Event, Error> {
    Ok(store.delete_event(id, &now.now().stamp())?)
}

pub fn add_group(store: &mut Store, entry: GroupEntry, now: &Trusted) -> Result<Group, Error> {
    let entry = checked::group(entry)?;
    Ok(store.add_group(&entry, &now.now().stamp())?)
}

pub fn add_meeting(
    store: &mut Store,
    group: GroupId,
    date: NaiveDate,
    count: u32,
    now: &Trusted,
) -> Result<Meeting, Error> {
    let count = checked::attendance(count)?;
    Ok(store.add_meeting(group, date, count, &now.now().stamp())?)
}

pub fn delete_group(store: &mut Store, id: GroupId, now: &Trusted) -> Result<Group, Error> {
    Ok(store.delete_group(id, &now.now().stamp())?)
}

pub fn add_feedback(
    store: &mut Store,
    entry: FeedbackEntry,
    now: &Trusted,
) -> Result<Feedback, Error> {
    let entry = checked::feedback(entry)?;
    Ok(store.add_feedback(&entry, &now.now().stamp())?)
}

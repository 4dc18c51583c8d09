//! English texts of events, groups, feedback and head-counts.

use super::{EventTexts, n};
use crate::events::{Event, EventError, Feedback, Field, FormOf, Group, Tally};
use crate::i18n::en::En;
use crate::locale::{Lang, date, decimal};
use crate::report::events::EventTotals;

impl EventTexts for En {
    fn event_error(&self, e: &EventError) -> String {
        let tail = "Nothing was saved.";
        match e {
            EventError::NoTitle => format!("the title is missing (--title). {tail}"),
            EventError::TooLong { what, chars } => format!(
                "the {what} is {chars} characters, at most {}. {tail}",
                crate::events::TEXT_MAX_CHARS
            ),
            EventError::ControlChar { what } => {
                format!("the {what} holds a control character. {tail}")
            }
            EventError::TooMany { what, n } => format!(
                "{what} {n} is more than {}; check the number. {tail}",
                crate::events::COUNT_MAX
            ),
            EventError::UnknownKind { kind, valid } => {
                format!("unknown event kind {kind:?} (--kind); kinds: {valid}. {tail}")
            }
            EventError::SomeWithCount => format!(
                "a social-media-only event (some) has no attendance; leave out --count. {tail}"
            ),
            EventError::NoCount { kind } => {
                format!("an event (kind {kind}) needs its attendance --count N. {tail}")
            }
            EventError::NoMeetingCount => {
                format!("give the meeting's attendance (Attendance). {tail}")
            }
            EventError::NotANumber { what, value } => {
                format!("the {what} {value:?} is not a whole number. {tail}")
            }
            EventError::ZeroCount => format!("a head-count is at least 1 (--count). {tail}"),
            EventError::BadMean { mean } => format!(
                "the mean {} is not on the 1–5 scale (--mean). {tail}",
                decimal(*mean, Lang::En)
            ),
            EventError::NoAnswers => format!("the feedback has no answers. {tail}"),
            EventError::EventsOff { profile } => format!(
                "profile {profile} has no events (set [profiles.{profile}.events] enabled = true). {tail}"
            ),
            EventError::NotFound { id } => {
                format!("there is no event or group number {id}. {tail}")
            }
        }
    }
    fn events_heading(&self) -> &'static str {
        "Events"
    }
    fn groups_heading(&self) -> &'static str {
        "Group activities"
    }
    fn feedback_heading(&self) -> &'static str {
        "Feedback"
    }
    fn event_line(&self, ev: &Event) -> String {
        event_line(ev, true)
    }
    fn event_row(&self, ev: &Event) -> String {
        event_line(ev, false)
    }
    fn group_line(&self, g: &Group) -> String {
        let mut s = g.entry.title.clone();
        if let Some(m) = g.meeting_count() {
            s = format!("{s} {m} times");
        }
        if !g.entry.place.is_empty() {
            s = format!("{s} / {}", g.entry.place);
        }
        format!("{s} = {} visits", n(g.visits()))
    }
    fn group_visits_total(&self, visits: u64) -> String {
        format!("Visits in all {}", n(visits))
    }
    fn feedback_line(&self, f: &Feedback) -> String {
        let q = f.entry.question.trim();
        let about = &f.about;
        match f.entry.tally {
            Tally::YesNo { yes, no } if q.is_empty() => {
                format!("{about}: {yes} answered yes and {no} no.")
            }
            Tally::YesNo { yes, no } => {
                format!("{about}: to the question \"{q}\" {yes} answered yes and {no} no.")
            }
            Tally::Scale { .. } | Tally::Mean { .. } => {
                let mean = format!(
                    "mean {}, n = {}",
                    decimal(f.entry.tally.mean().unwrap_or(0.0), Lang::En),
                    f.entry.tally.answers()
                );
                if q.is_empty() {
                    format!("{about}: {mean}.")
                } else {
                    format!("{about}: {q} ({mean}).")
                }
            }
            Tally::Slips { n } if q.is_empty() => format!("{about}: {n} feedback slips."),
            Tally::Slips { n } => format!("{about}: {q}: {n} feedback slips."),
        }
    }
    fn event_totals(&self, t: &EventTotals) -> String {
        let approx = if t.approx_attendees > 0 {
            format!(" (of them about {} estimated)", n(t.approx_attendees))
        } else {
            String::new()
        };
        let online = if t.online > 0 {
            format!(", {} online", n(t.online))
        } else {
            String::new()
        };
        format!(
            "Events {}, attendees {}{approx}{online}; groups {}, meetings {}, group visits {}",
            t.events,
            n(t.attendees),
            t.groups,
            t.meetings,
            n(t.group_visits)
        )
    }
    fn head_counted(&self, count: u32) -> String {
        format!("of them {count} as a head-count")
    }
    fn event_saved(&self, id: Option<i64>, line: &str) -> String {
        match id {
            Some(id) => format!("Event {id} saved: {line}"),
            None => format!("Event saved: {line}"),
        }
    }
    fn event_deleted(&self, id: i64, title: &str) -> String {
        format!("Event {id} deleted: {title}")
    }
    fn group_saved(&self, id: Option<i64>, line: &str) -> String {
        match id {
            Some(id) => format!("Group {id} saved: {line}"),
            None => format!("Group saved: {line}"),
        }
    }
    fn group_deleted(&self, id: i64, title: &str) -> String {
        format!("Group {id} deleted with its meetings: {title}")
    }
    fn meeting_saved(&self, id: i64, day: &str, count: u32, visits: u64) -> String {
        format!("Meeting of group {id} on {day} saved: {count} attendees ({visits} visits in all)")
    }
    fn feedback_saved(&self, line: &str) -> String {
        format!("Feedback saved: {line}")
    }
    fn head_count_logged(&self, count: u32, day: &str, profile: &str, location: &str) -> String {
        format!("Logged {count} visitors as a head-count on {day} ({profile}, {location})")
    }
    fn head_count_saved(&self, n: u32, time: &str) -> String {
        format!("Logged {n} visitors as a head-count at {time}")
    }
    fn head_counted_short(&self, n: u32) -> String {
        format!("{n} visitors as a head-count")
    }
    fn head_count_word(&self) -> &'static str {
        "as a head-count"
    }
    fn head_count_title(&self) -> &'static str {
        "Head-count: visitors at once"
    }
    fn head_count_footer(&self) -> &'static str {
        "number · Enter save · Esc cancel — no topics; counts in the session's visitors"
    }
    fn head_counts_label(&self) -> &'static str {
        "  of them head-counts"
    }
    fn events_title(&self, year: i32, profile: &str) -> String {
        format!(" Events and groups {year} · {profile} ")
    }
    fn form_title(&self, of: FormOf, about: &str) -> String {
        match of {
            FormOf::Event => "New event".into(),
            FormOf::EditEvent => "Edit the event".into(),
            FormOf::Group => "New group".into(),
            FormOf::Meeting => format!("Meeting: {about}"),
            FormOf::Feedback => format!("Feedback: {about}"),
        }
    }
    fn field_label(&self, f: Field) -> &'static str {
        match f {
            Field::Title => "Title",
            Field::Date => "Date",
            Field::Count => "Attendance",
            Field::Approx => "Count is an estimate",
            Field::Kind => "Kind",
            Field::Place => "Place",
            Field::Question => "Question",
            Field::Yes => "Yes",
            Field::No => "No",
        }
    }
    fn confirm_delete_event(&self, title: &str) -> String {
        format!("Delete {title} with its meetings and feedback?")
    }
    fn select_a_group(&self) -> &'static str {
        "Select a group first (↑↓), then k."
    }
    fn select_an_event_to_edit(&self) -> &'static str {
        "Select an event first (↑↓), then e."
    }
    fn event_updated(&self, line: &str) -> String {
        format!("Event edited: {line}")
    }
    fn yes_no(&self, yes: bool) -> &'static str {
        if yes { "yes" } else { "no" }
    }
    fn select_an_event(&self) -> &'static str {
        "Select an event or a group first (↑↓), then p."
    }
    fn no_events(&self) -> &'static str {
        "No events or groups."
    }
    fn feedback_needs(&self) -> &'static str {
        "feedback needs --event ID or --group ID and one of: --yes N --no N, --scale 1-5 --counts a,b,c,d,e, --mean X --n N or --slips N. Nothing was saved."
    }
}

/// An event as the report writes it, with its date where the line
/// says "about N attendees", or without (`dated`: false).
fn event_line(ev: &Event, dated: bool) -> String {
    let e = &ev.entry;
    let Some(count) = e.count else {
        return format!("{} (social media)", e.title);
    };
    if e.approx && e.online.is_none() && e.unit.is_empty() {
        // On the events screen the date is in a column of its own.
        let day = if dated {
            format!(" {}", date(e.date, Lang::En))
        } else {
            String::new()
        };
        return format!("{}{day}, about {} attendees", e.title, n(count));
    }
    let approx = if e.approx { "about " } else { "" };
    let mut inner = format!("{approx}{}", n(count));
    if !e.unit.is_empty() {
        inner = format!("{inner} {}", e.unit);
    }
    if let Some(online) = e.online {
        inner = format!("{inner} present, {} by stream", n(online));
    }
    format!("{} ({inner})", e.title)
}

//! Events, groups, feedback and head-counts: the report's lists as the
//! welfare report writes them, `tiski event`/`group`/`feedback`, and the
//! refusals. A supertrait of `Texts`, implemented per language in
//! `events/fi.rs` and `events/en.rs`.

mod en;
mod fi;

use crate::events::{Event, EventError, Feedback, Field, FormOf, Group};
use crate::report::events::EventTotals;

pub trait EventTexts {
    fn event_error(&self, e: &EventError) -> String;
    /// Section headings of the report.
    fn events_heading(&self) -> &'static str;
    fn groups_heading(&self) -> &'static str;
    fn feedback_heading(&self) -> &'static str;
    /// An event as the report lists it: "Syysfestarit (300)".
    fn event_line(&self, e: &Event) -> String;
    /// The same on the events screen, after its column of dates: the date
    /// is not said twice.
    fn event_row(&self, e: &Event) -> String;
    /// A group as the report lists it: "Kaveritaitoryhmä 5 krt / Sinilähde
    /// = 30 käyntikertaa".
    fn group_line(&self, g: &Group) -> String;
    /// "Käynnit yhteensä 295"
    fn group_visits_total(&self, visits: u64) -> String;
    /// A sentence per feedback question.
    fn feedback_line(&self, f: &Feedback) -> String;
    /// The totals of events, attendees, groups, meetings and group visits.
    fn event_totals(&self, t: &EventTotals) -> String;
    /// Visitors counted together at the desk, apart from itemised visits.
    fn head_counted(&self, n: u32) -> String;
    /// The status after `+` saved: "Kirjattu 25 kävijää yhteismääränä 10.30".
    fn head_count_saved(&self, n: u32, time: &str) -> String;
    /// A head-count as `u` names it, and as today's list shows it.
    fn head_counted_short(&self, n: u32) -> String;
    /// The word after "+25" in today's list.
    fn head_count_word(&self) -> &'static str;
    /// The head-count window's title and its footer.
    fn head_count_title(&self) -> &'static str;
    fn head_count_footer(&self) -> &'static str;
    /// The report's key figure of head-counted visitors, under the visitors.
    fn head_counts_label(&self) -> &'static str;
    // ---- CLI ----
    /// With the id for the command line (`event edit ID`); the screen,
    /// where no one types ids, says it without.
    fn event_saved(&self, id: Option<i64>, line: &str) -> String;
    fn event_deleted(&self, id: i64, title: &str) -> String;
    fn group_saved(&self, id: Option<i64>, line: &str) -> String;
    fn group_deleted(&self, id: i64, title: &str) -> String;
    fn meeting_saved(&self, id: i64, date: &str, count: u32, visits: u64) -> String;
    fn feedback_saved(&self, line: &str) -> String;
    fn head_count_logged(&self, n: u32, date: &str, profile: &str, location: &str) -> String;
    fn no_events(&self) -> &'static str;
    // ---- the events screen ----
    /// "Tapahtumat ja ryhmät 2023 · Perhe…"
    fn events_title(&self, year: i32, profile: &str) -> String;
    fn form_title(&self, of: FormOf, about: &str) -> String;
    fn field_label(&self, f: Field) -> &'static str;
    fn select_a_group(&self) -> &'static str;
    /// `x` on the events screen: delete this event or group?
    fn confirm_delete_event(&self, title: &str) -> String;
    fn select_an_event(&self) -> &'static str;
    /// `e` with no event selected.
    fn select_an_event_to_edit(&self) -> &'static str;
    fn event_updated(&self, line: &str) -> String;
    /// A yes/no field's choices as the form shows them: `kyllä`/`ei`.
    fn yes_no(&self, yes: bool) -> &'static str;
    /// A flag that cannot be combined with another, or is missing.
    fn feedback_needs(&self) -> &'static str;
}

/// A whole number as the report writes it (no thousands separator: the
/// seed writes "1480").
fn n(v: impl Into<u64>) -> String {
    let v: u64 = v.into();
    v.to_string()
}

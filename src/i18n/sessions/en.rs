//! English session and rota texts.

use super::SessionTexts;
use crate::i18n::en::En;
use crate::locale::{Lang, decimal, signed_decimal};
use crate::schedule::{ScheduleProblem, SessionState};

impl SessionTexts for En {
    fn schedule_problem(&self, p: &ScheduleProblem) -> String {
        match p {
            ScheduleProblem::ZeroWeeks => "every_weeks must be 1 or more".into(),
            ScheduleProblem::NoFrom(n) => format!(
                "every_weeks = {n} also needs from (the date of the first session), to know which weeks"
            ),
            ScheduleProblem::FromNotOnWeekday { from, weekday } => {
                format!("from = {from} is not a {}", weekday.code())
            }
            ScheduleProblem::EndNotAfterStart { start, end } => {
                format!("the end {end} is not after the start {start}")
            }
        }
    }
    fn day_has_visits(&self, date: &str, visitors: u32) -> String {
        format!(
            "{date} has {visitors} visitors logged, so the duty was held and cannot be cancelled. Nothing was changed."
        )
    }
    fn session_exists(&self, date: &str, location: &str, visitors: u32) -> String {
        format!(
            "a session on {date} at {location} is recorded already ({visitors} visitors). Nothing was changed."
        )
    }
    fn session_not_started(&self) -> &'static str {
        "–"
    }
    fn confirm_start_session(&self) -> &'static str {
        "Start the duty session now? It counts in the mean even if nobody comes."
    }
    fn session_started(&self, time: &str) -> String {
        format!("Session started {time}")
    }
    fn confirm_cancel_day(&self) -> &'static str {
        "Mark today's duty session cancelled? It will not count in the mean."
    }
    fn day_cancelled(&self, date: &str) -> String {
        format!(
            "The session of {date} is marked cancelled. If someone comes, saving the visit starts a session."
        )
    }
    fn no_slot_to_cancel(&self) -> &'static str {
        "The rota has no session today, so there is nothing to cancel."
    }
    fn undo_too_old(&self, time: &str) -> String {
        format!(
            "The visit saved at {time} is over 10 minutes old and is not undone. Delete it from the list if needed: Tab, x."
        )
    }
    fn confirm_undo_voucher(&self, what: &str, number: &str) -> String {
        format!("Undo the visit {what}? Its voucher {number} will be cancelled.")
    }
    fn session_recorded(&self, date: &str, hours: &str, place: &str) -> String {
        format!("Recorded a held session on {date}, {hours}, {place}, 0 visitors.")
    }
    fn session_list_heading(&self, span: &str) -> String {
        format!("Duty sessions {span}")
    }
    fn session_state(&self, s: SessionState) -> &'static str {
        match s {
            SessionState::Held => "held",
            SessionState::Cancelled => "cancelled",
            SessionState::NotRecorded => "not recorded",
            SessionState::Scheduled => "scheduled",
        }
    }
    fn session_visitors(&self, visitors: u32, place: &str) -> String {
        let word = if visitors == 1 { "visitor" } else { "visitors" };
        format!("{visitors} {word}, {place}")
    }
    fn unknown_key(&self, c: char) -> String {
        format!("The key {c} does nothing here. ? shows the keys.")
    }
    fn tally_no_duty(&self, today: bool) -> &'static str {
        if today {
            "There has been no duty session today."
        } else {
            "There was no duty session that day."
        }
    }
    fn tally_day_vs_average(&self, per_session: f64, mean: Option<f64>) -> String {
        let day = decimal(per_session, Lang::En);
        match mean {
            Some(m) => format!(
                "Per session {day} · avg {} / session ({})",
                decimal(m, Lang::En),
                signed_decimal(per_session - m, Lang::En)
            ),
            None => format!("Per session {day}"),
        }
    }
    fn waiting_for_database(&self, secs: u64) -> String {
        format!(
            "Waiting for the database… ({secs} s): another program is writing to it. The visit is saved as soon as it is free."
        )
    }
}

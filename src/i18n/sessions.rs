//! Duty sessions and the rota: held, cancelled and not-recorded sessions,
//! `tiski session`, undo. A supertrait of `Texts`, implemented per language
//! in `sessions/fi.rs` and `sessions/en.rs`.

mod en;
mod fi;

use crate::schedule::{ScheduleProblem, SessionState};

pub trait SessionTexts {
    /// A rota row of the config that cannot be meant.
    fn schedule_problem(&self, p: &ScheduleProblem) -> String;
    /// A day with visits was to be marked cancelled.
    fn day_has_visits(&self, date: &str, visitors: u32) -> String;
    /// `session add` for a session that is recorded already.
    fn session_exists(&self, date: &str, location: &str, visitors: u32) -> String;
    /// The header's session part before anything is written: "–".
    fn session_not_started(&self) -> &'static str;
    /// `s` while no session is written yet.
    fn confirm_start_session(&self) -> &'static str;
    fn session_started(&self, time: &str) -> String;
    /// `c`: mark today's scheduled duty cancelled?
    fn confirm_cancel_day(&self) -> &'static str;
    fn day_cancelled(&self, date: &str) -> String;
    /// `c` on a day the rota has no slot.
    fn no_slot_to_cancel(&self) -> &'static str;
    /// `u` on a visit saved longer ago than undo reaches.
    fn undo_too_old(&self, time: &str) -> String;
    /// `session add` recorded a session.
    fn session_recorded(&self, date: &str, hours: &str, place: &str) -> String;
    fn session_list_heading(&self, span: &str) -> String;
    fn session_state(&self, s: SessionState) -> &'static str;
    /// "4 kävijää, Kirjasto"
    fn session_visitors(&self, visitors: u32, place: &str) -> String;
    /// A save waiting for another program's write lock, `secs` so far.
    fn waiting_for_database(&self, secs: u64) -> String;
    /// A letter the duty screen has no use for.
    fn unknown_key(&self, c: char) -> String;
    /// `u` on a visit with a voucher: ask first.
    fn confirm_undo_voucher(&self, what: &str, number: &str) -> String;
    /// The day tally of a day without a duty session.
    fn tally_no_duty(&self, today: bool) -> &'static str;
    /// The day tally of an earlier day: its visitors per session against
    /// the year's mean up to that day.
    fn tally_day_vs_average(&self, per_session: f64, mean: Option<f64>) -> String;
}

//! The screen-reader mode's words in English.

use super::SpeechTexts;
use super::fi::spoken;
use crate::i18n::en::En;
use crate::locale::{Lang, decimal};

impl SpeechTexts for En {
    fn reader_intro(&self) -> &'static str {
        "tiski in screen-reader mode. Space reads the view, question mark tells the keys."
    }
    fn reader_on(&self) -> &'static str {
        "Screen-reader mode on. It is remembered at the next start."
    }
    fn choose_profile_by_number(&self) -> &'static str {
        "Choose a profile by its number, q quits:"
    }
    fn duty_place(&self, profile: &str, place: &str, started: Option<&str>) -> String {
        match started {
            Some(t) => format!("Duty: {profile}, {place}, started at {t}."),
            None => format!("Duty: {profile}, {place}, starts with the first visit."),
        }
    }
    fn counts(&self, session: u32, today: u32, mean: Option<f64>, sessions: u32) -> String {
        let mean = match mean {
            Some(m) => format!(
                "year's mean {} ({sessions} {})",
                decimal(m, Lang::En),
                if sessions == 1 { "session" } else { "sessions" }
            ),
            None => "no year's mean yet".to_string(),
        };
        format!("This session {session}, today {today}, {mean}.")
    }
    fn saved_line(&self, time: &str, counts: &str) -> String {
        format!("Saved at {time}. {counts} u undoes.")
    }
    fn topic_toggled(&self, n: Option<usize>, label: &str, on: bool) -> String {
        let state = if on { "chosen" } else { "not chosen" };
        match n {
            Some(n) => format!("Topic {n} {label} {state}"),
            None => format!("Topic {label} {state}"),
        }
    }
    fn form_topics(&self, labels: &str) -> String {
        format!("Topics: {labels}.")
    }
    fn form_no_topics(&self) -> &'static str {
        "No topics chosen."
    }
    fn topic_keys(&self, list: &str) -> String {
        format!("Topic numbers: {list}.")
    }
    fn field_value(&self, label: &str, value: &str) -> String {
        format!("{label}: {value}.")
    }
    fn not_chosen(&self) -> &'static str {
        "not chosen"
    }
    fn note_empty(&self) -> &'static str {
        "empty"
    }
    fn picker_intro(&self, title: &str, multi: bool, can_clear: bool) -> String {
        let how = if multi {
            "A key chooses or removes, Enter or Esc done"
        } else if can_clear {
            "Choose by key, minus clears, Esc closes"
        } else {
            "Choose by key, Esc closes"
        };
        format!("{title}. {how}:")
    }
    fn picker_item(&self, key: char, label: &str, selected: bool) -> String {
        if selected {
            format!("{key} {label}, chosen")
        } else {
            format!("{key} {label}")
        }
    }
    fn closed(&self) -> &'static str {
        "Closed."
    }
    fn note_prompt(&self, existing: &str) -> String {
        let now = if existing.is_empty() {
            String::new()
        } else {
            format!(" Now: {existing}.")
        };
        format!("Note: type it, no names or identity codes. Enter done, Esc cancel.{now}")
    }
    fn note_set(&self, note: &str) -> String {
        if note.is_empty() {
            "Note empty.".to_string()
        } else {
            format!("Note: {note}.")
        }
    }
    fn time_prompt(&self, current: &str) -> String {
        format!("The visit's time, now {current}. Type hh.mm, Enter done, Esc cancel.")
    }
    fn time_set(&self, time: &str) -> String {
        format!("Time {time}, saved with Enter.")
    }
    fn head_count_prompt(&self) -> &'static str {
        "Head-count: type the number of visitors, Enter saves, Esc cancels."
    }
    fn list_intro(&self, visits: usize) -> String {
        format!(
            "Today's visits, {visits}. Up and down arrows choose, Enter edits, x deletes, Esc back to the form."
        )
    }
    fn visit_line(&self, i: usize, n: usize, time: &str, topics: &str, extra: &str) -> String {
        format!("{i}/{n}: at {time} {topics}{extra}")
    }
    fn referred(&self, to: &str) -> String {
        format!(", referred to: {to}")
    }
    fn has_note(&self) -> &'static str {
        ", with a note"
    }
    fn form_focus(&self) -> &'static str {
        "Form: new visit."
    }
    fn editing(&self, time: &str) -> String {
        format!(
            "Editing the visit at {time}. Enter saves, T changes the time, Esc cancels the edit."
        )
    }
    fn question_keys(&self) -> &'static str {
        "Answer y yes or n no."
    }
    fn voucher_notice_keys(&self) -> &'static str {
        "p print · Space reads it again · any other key closes"
    }
    fn cancelled(&self) -> &'static str {
        "Cancelled."
    }
    fn error_line(&self, text: &str) -> String {
        format!("Error: {text}")
    }
    fn help_intro(&self) -> &'static str {
        "Help, the keys of this view:"
    }
    fn help_line(&self, keys: &str, what: &str) -> String {
        format!("{keys}: {what}")
    }
    fn help_outro(&self) -> &'static str {
        "Esc goes back."
    }
    fn key_words(&self, label: &str) -> String {
        spoken(
            label,
            &[
                ("PgUp/PgDn", "Page Up and Page Down"),
                ("←→ Home End", "left and right arrows, Home and End"),
                ("Backspace Del", "Backspace and Delete"),
                ("Tab/↑↓", "Tab or up and down arrows"),
                ("1–9 ←→", "1–9 or left and right arrows"),
                ("↑↓", "up and down arrows"),
                ("←→", "left and right arrows"),
                ("Space", "space"),
                ("?", "question mark"),
                ("+", "plus"),
                ("/", "slash"),
                ("*", "star"),
            ],
            "or",
            "capital",
        )
    }
    fn top_list(&self, title: &str, items: &str) -> String {
        format!("{title}: {items}.")
    }
    fn none_in(&self, title: &str) -> String {
        format!("{title}: none.")
    }
    fn hour_item(&self, hour: u32, visits: u32) -> String {
        format!("{hour}–{}: {visits}", hour + 1)
    }
    fn hours_title(&self) -> &'static str {
        "By hour"
    }
    fn tally_intro(&self, weekday: &str, date: &str) -> String {
        format!("Day tally, {weekday} {date}.")
    }
    fn tally_keys(&self) -> &'static str {
        "Left and right arrows change the day, Esc goes back."
    }
    fn report_intro(&self, period: &str) -> String {
        format!("Report: {period}.")
    }
    fn report_keys(&self) -> &'static str {
        "w week, m month, s season, y year, c own period, left and right arrows the period before or after, Esc goes back."
    }
    fn report_figures(&self, sessions: u32, visitors: u32, mean: &str) -> String {
        let held = if sessions == 1 { "session" } else { "sessions" };
        let came = if visitors == 1 { "visitor" } else { "visitors" };
        format!("{sessions} {held}, {visitors} {came}, {mean} visitors per session on average.")
    }
    fn voucher_form_intro(&self, products: &str) -> String {
        format!(
            "Payment commitment. Choose the product by its number: {products}. Tab moves between fields, Enter issues, Esc cancels."
        )
    }
    fn voucher_field(&self, label: &str, value: &str, said: bool) -> String {
        if value.is_empty() || !said {
            format!("{label}: empty.")
        } else {
            format!("{label}: {value}.")
        }
    }
    fn voucher_product_keys(&self, n: usize) -> String {
        format!("The product is chosen by its number, 1–{n}.")
    }
    fn masked(&self, chars: usize) -> &'static str {
        if chars == 0 {
            ""
        } else {
            "typed, hidden; star shows it"
        }
    }
    fn register_intro(&self, season: &str, vouchers: usize) -> String {
        format!("Voucher register, season {season}: {vouchers} vouchers.")
    }
    fn voucher_line(&self, i: usize, n: usize, number: &str, what: &str) -> String {
        format!("{i}/{n}: {number}, {what}")
    }
    fn register_keys(&self) -> &'static str {
        "Up and down arrows choose, k used, x cancel, p PDF, s summary, slash search, Esc goes back."
    }
    fn dialog_field(&self, title: &str, field: &str, value: &str) -> String {
        let value = if value.is_empty() { "empty" } else { value };
        if field.is_empty() {
            format!("{title}: {value}. Enter done, Esc cancel.")
        } else {
            format!("{title}. {field}: {value}. Enter done, Esc cancel.")
        }
    }
    fn event_form_field(&self, title: &str, field: &str, value: &str) -> String {
        let value = if value.is_empty() { "empty" } else { value };
        format!(
            "{title}. {field}: {value}. Enter goes to the next field and saves on the last; Esc cancels."
        )
    }
    fn events_intro(&self, year: i32, items: usize) -> String {
        format!("Events and groups in {year}: {items} rows.")
    }
    fn events_line(&self, i: usize, n: usize, text: &str) -> String {
        format!("{i}/{n}: {text}")
    }
    fn events_keys(&self) -> &'static str {
        "Up and down arrows choose, a event, y group, k meeting, p feedback, e edit, x delete, Esc goes back."
    }
    fn more_items(&self, n: usize) -> String {
        format!("and {n} more")
    }
    fn panel_all(&self, title: &str) -> String {
        format!("{title}, all")
    }
    fn visit_voucher_spoken(&self, number: &str, cancelled: bool) -> String {
        if cancelled {
            format!(", voucher {number} cancelled")
        } else {
            format!(", voucher {number}")
        }
    }
    fn goodbye(&self) -> &'static str {
        "tiski closed."
    }
}

//! The words of the screen-reader mode (`ui::speech`): short spoken lines
//! for what the screen shows by layout, colour and boxes. A supertrait of
//! `Texts`, implemented per language in `speech/fi.rs` and `speech/en.rs`.

mod en;
mod fi;

pub trait SpeechTexts {
    /// The first line: the mode, and the two keys that find the rest.
    fn reader_intro(&self) -> &'static str;
    /// The mode went on from the chooser, and is remembered.
    fn reader_on(&self) -> &'static str;
    /// The chooser spoken: its title, then one line per profile.
    fn choose_profile_by_number(&self) -> &'static str;
    /// "Päivystys: Ikäihmisten hyvinvointiohjaus, Kirjasto, alkoi klo 10.00."
    fn duty_place(&self, profile: &str, place: &str, started: Option<&str>) -> String;
    /// The counters as a sentence.
    fn counts(&self, session: u32, today: u32, mean: Option<f64>, sessions: u32) -> String;
    /// A visit saved: its time, then the counters.
    fn saved_line(&self, time: &str, counts: &str) -> String;
    /// "Aihe 2 Digituki valittu" (`n`: the topic's digit key, if it has one).
    fn topic_toggled(&self, n: Option<usize>, label: &str, on: bool) -> String;
    /// The topics chosen on the form (`labels` joined), or none.
    fn form_topics(&self, labels: &str) -> String;
    fn form_no_topics(&self) -> &'static str;
    /// "Aiheiden numerot: 1 Sote, 2 Digituki, …, 0 muut aiheet".
    fn topic_keys(&self, list: &str) -> String;
    /// "Ohjattu: Kela."
    fn field_value(&self, label: &str, value: &str) -> String;
    /// A field with no value.
    fn not_chosen(&self) -> &'static str;
    /// A note with nothing in it.
    fn note_empty(&self) -> &'static str;
    /// A picker opened: what it chooses and its keys.
    fn picker_intro(&self, title: &str, multi: bool, can_clear: bool) -> String;
    /// One item of a picker.
    fn picker_item(&self, key: char, label: &str, selected: bool) -> String;
    fn closed(&self) -> &'static str;
    /// The note's window opened (what it holds already, if anything).
    fn note_prompt(&self, existing: &str) -> String;
    /// The note as kept on the form.
    fn note_set(&self, note: &str) -> String;
    /// The time window of a visit being edited.
    fn time_prompt(&self, current: &str) -> String;
    /// The visit being edited gets this time when saved.
    fn time_set(&self, time: &str) -> String;
    fn head_count_prompt(&self) -> &'static str;
    /// Today's list took the focus: how many, and its keys.
    fn list_intro(&self, visits: usize) -> String;
    /// "2/4: klo 10.27 Kadut ja infra" and what `extra` adds.
    fn visit_line(&self, i: usize, n: usize, time: &str, topics: &str, extra: &str) -> String;
    /// ", ohjattu: Kela" after a visit's topics.
    fn referred(&self, to: &str) -> String;
    /// ", huomio kirjattu" after a visit's topics.
    fn has_note(&self) -> &'static str;
    /// Back on the new-visit form.
    fn form_focus(&self) -> &'static str;
    /// A visit opened for editing, and the keys that finish it.
    fn editing(&self, time: &str) -> String;
    /// After every question: its answer keys.
    fn question_keys(&self) -> &'static str;
    /// The issued voucher's notice: its keys, Space among them (it reads
    /// the notice again rather than closing it, in this mode only).
    fn voucher_notice_keys(&self) -> &'static str;
    fn cancelled(&self) -> &'static str;
    /// An error in the status line: said as one, not by its colour.
    fn error_line(&self, text: &str) -> String;
    fn help_intro(&self) -> &'static str;
    /// One key of the help, `keys` already spoken.
    fn help_line(&self, keys: &str, what: &str) -> String;
    fn help_outro(&self) -> &'static str;
    /// A key's label (`↑↓`, `Esc/t`, `PgUp/PgDn`) as words.
    fn key_words(&self, label: &str) -> String;
    /// "Aiheet: Digituki 3, Liukuesteet 2." (the items top first).
    fn top_list(&self, title: &str, items: &str) -> String;
    /// A list with nothing in it.
    fn none_in(&self, title: &str) -> String;
    /// One hour of the tally: "klo 10–11: 4".
    fn hour_item(&self, hour: u32, visits: u32) -> String;
    fn hours_title(&self) -> &'static str;
    /// The tally's first line.
    fn tally_intro(&self, weekday: &str, date: &str) -> String;
    /// The tally's keys, said after it.
    fn tally_keys(&self) -> &'static str;
    /// The report's first line: its period.
    fn report_intro(&self, period: &str) -> String;
    fn report_keys(&self) -> &'static str;
    /// The report's figures as a sentence.
    fn report_figures(&self, sessions: u32, visitors: u32, mean: &str) -> String;
    /// The voucher form opened: the products with their keys.
    fn voucher_form_intro(&self, products: &str) -> String;
    /// A voucher form's field and its value (`said`: the value is said;
    /// else it is typed, hidden).
    fn voucher_field(&self, label: &str, value: &str, said: bool) -> String;
    /// The cursor on the product: its keys.
    fn voucher_product_keys(&self, n: usize) -> String;
    /// The name field's value is not said unless shown with `*`.
    fn masked(&self, chars: usize) -> &'static str;
    /// The register's first line.
    fn register_intro(&self, season: &str, vouchers: usize) -> String;
    /// One voucher of the register.
    fn voucher_line(&self, i: usize, n: usize, number: &str, what: &str) -> String;
    fn register_keys(&self) -> &'static str;
    /// A dialog over the register or the events screen: its field.
    fn dialog_field(&self, title: &str, field: &str, value: &str) -> String;
    /// A field of an events screen's form (Enter goes on to the next).
    fn event_form_field(&self, title: &str, field: &str, value: &str) -> String;
    /// The events screen's first line.
    fn events_intro(&self, year: i32, items: usize) -> String;
    /// One row of the events screen.
    fn events_line(&self, i: usize, n: usize, text: &str) -> String;
    fn events_keys(&self) -> &'static str;
    /// A ranked list said in part: how many more there are.
    fn more_items(&self, n: usize) -> String;
    /// The report's panel with the cursor (Tab), said whole.
    fn panel_all(&self, title: &str) -> String;
    /// After a visit's topics in today's list: its voucher.
    fn visit_voucher_spoken(&self, number: &str, cancelled: bool) -> String;
    /// The last line, after the screen ends.
    fn goodbye(&self) -> &'static str;
}

//! English words of the text fields and forms.

use super::FormTexts;
use crate::i18n::en::En;
use crate::text::clean;
use crate::text::input::Filter;

impl FormTexts for En {
    fn field_refuses(&self, c: char, filter: Filter) -> String {
        let takes = match filter {
            Filter::Line => "one line of text",
            Filter::Name => "letters, spaces and hyphens",
            Filter::Digits => "digits only",
            Filter::Time => "a time of day, e.g. 10.05",
            Filter::Date => "a date, e.g. 14.2.1948 or 1948-02-14",
            Filter::Period => "two dates, e.g. 1.1.2023–30.6.2023",
            Filter::Money => "a sum in euros, e.g. 24,90",
        };
        format!(
            "“{}” does not go in this field: it takes {takes}.",
            clean(&c.to_string())
        )
    }
    fn field_full(&self, limit: usize) -> String {
        format!("The field is full: it holds {limit} characters.")
    }
    fn paste_only_into_field(&self) -> &'static str {
        "Pasted text was ignored: pasting works only into a text field (the note, n, for one)."
    }
    fn paste_left_out(&self, chars: usize) -> String {
        format!(
            "{chars} characters of the pasted text were left out: they do not go in or fit this field."
        )
    }
    fn voucher_compared(&self, name: &str, date: &str) -> String {
        format!("The check compares: {name} · {date}")
    }
    fn print_recipient(&self) -> &'static str {
        "Recipient"
    }
    fn print_verb(&self) -> &'static str {
        "print"
    }
    fn cancel_verb(&self) -> &'static str {
        "cancel it"
    }
    fn sticky_kept(&self) -> &'static str {
        "(kept)"
    }
}

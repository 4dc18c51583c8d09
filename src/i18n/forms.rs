//! The words of the screen's text fields and forms: what a field refuses,
//! what the voucher's duplicate check compares, the dialogs' verbs. A
//! supertrait of `Texts`, implemented per language in `forms/fi.rs` and
//! `forms/en.rs`.

mod en;
mod fi;

use crate::text::input::Filter;

pub trait FormTexts {
    /// A character the field does not take: what it takes.
    fn field_refuses(&self, c: char, filter: Filter) -> String;
    /// The field holds `limit` characters already.
    fn field_full(&self, limit: usize) -> String;
    /// Text pasted while no text field has the cursor.
    fn paste_only_into_field(&self) -> &'static str;
    /// Pasted text that the field did not take or had no room for.
    fn paste_left_out(&self, chars: usize) -> String;
    /// The name shown on the voucher form: what the check compares.
    fn voucher_compared(&self, name: &str, date: &str) -> String;
    /// The print dialog's field for the recipient's name.
    fn print_recipient(&self) -> &'static str;
    /// What Enter does in the print and cancel dialogs.
    fn print_verb(&self) -> &'static str;
    fn cancel_verb(&self) -> &'static str;
    /// After a sticky field's value that is not its default: it stays for
    /// the next visit too.
    fn sticky_kept(&self) -> &'static str;
}

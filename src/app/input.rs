//! The screen's text fields: each one's limit and filter, declared once
//! here, and where typing goes: the one field that has the focus, whatever
//! form, dialog or prompt it is in. Every field is a
//! [`TextInput`](crate::text::input::TextInput).

use super::{App, Modal, View};
use crate::domain::NOTE_MAX_CHARS;
use crate::events::{Field, TEXT_MAX_CHARS};
use crate::text::input::{Edit, Filter, Outcome, Spec, TextInput};

/// A visit's note: one line, no names (the check is at saving).
pub const NOTE: Spec = Spec::new(NOTE_MAX_CHARS, Filter::Line);
/// The time of a visit being edited: `10.05`.
pub const VISIT_TIME: Spec = Spec::new(5, Filter::Time);
/// A head-count: visitors at once.
pub const HEAD_COUNT: Spec = Spec::new(7, Filter::Digits);
/// The report's own period: `1.1.2023–30.6.2023`.
pub const PERIOD: Spec = Spec::new(40, Filter::Period);
/// The register's search: a number, a product, a status.
pub const SEARCH: Spec = Spec::new(40, Filter::Line);
/// The voucher form's duplicate check: typed, hashed, never stored.
pub const BIRTH_DATE: Spec = Spec::new(10, Filter::Date).private();
pub const NAME: Spec = Spec::new(100, Filter::Name).private();
/// A birth year typed alone: `1948`.
pub const BIRTH_YEAR: Spec = Spec::new(4, Filter::Digits);
/// Marking a voucher used: the sum, the invoice's date, the shop.
pub const AMOUNT: Spec = Spec::new(12, Filter::Money);
pub const DATE: Spec = Spec::new(10, Filter::Date);
pub const SHOP: Spec = Spec::new(60, Filter::Line);
/// Why a voucher is cancelled.
pub const REASON: Spec = Spec::new(200, Filter::Line);
/// Printing: the recipient's name (printed, never stored), the issuer's
/// name and the place.
pub const RECIPIENT: Spec = NAME;
pub const ISSUER: Spec = Spec::new(60, Filter::Line);
pub const PRINT_PLACE: Spec = Spec::new(60, Filter::Line);
/// An event's or a group's attendance, a feedback count.
const COUNT: Spec = Spec::new(7, Filter::Digits);

/// The spec of a field of the events screen's forms.
pub fn event_field(field: Field) -> Spec {
    match field {
        Field::Title | Field::Place | Field::Question | Field::Kind | Field::Approx => {
            Spec::new(TEXT_MAX_CHARS, Filter::Line)
        }
        Field::Date => DATE,
        Field::Count | Field::Yes | Field::No => COUNT,
    }
}

impl App {
    /// The text field that has the focus, if one has: typing goes there.
    pub fn focused_input(&self) -> Option<&TextInput> {
        let d = self.duty.as_ref()?;
        match self.view {
            View::Duty => match d.modal.as_ref()? {
                Modal::Note(t) | Modal::Time(t) | Modal::HeadCount(t) => Some(t),
                Modal::Voucher(f) => f.input(f.field),
                _ => None,
            },
            View::Vouchers => {
                let r = d.vouchers.register.as_ref()?;
                match &r.dialog {
                    Some(dialog) => dialog.input(),
                    None => r.searching.then_some(&r.search),
                }
            }
            View::Report => d.report.as_ref()?.input.as_ref(),
            View::Events => d.events.as_ref()?.form.as_ref()?.input(),
            View::Chooser | View::Tally | View::Help => None,
        }
    }

    fn focused_input_mut(&mut self) -> Option<&mut TextInput> {
        let view = self.view;
        let d = self.duty.as_mut()?;
        match view {
            View::Duty => match d.modal.as_mut()? {
                Modal::Note(t) | Modal::Time(t) | Modal::HeadCount(t) => Some(t),
                Modal::Voucher(f) => f.input_mut(f.field),
                _ => None,
            },
            View::Vouchers => {
                let r = d.vouchers.register.as_mut()?;
                match &mut r.dialog {
                    Some(dialog) => dialog.input_mut(),
                    None if r.searching => Some(&mut r.search),
                    None => None,
                }
            }
            View::Report => d.report.as_mut()?.input.as_mut(),
            View::Events => d.events.as_mut()?.form.as_mut()?.input_mut(),
            View::Chooser | View::Tally | View::Help => None,
        }
    }

    /// One editing key into the focused field; what the field refuses is
    /// said in the status line, and a change is followed where it counts
    /// (the voucher's duplicate check, the register's search).
    pub(super) fn edit(&mut self, edit: Edit) {
        // A key typed after the product: the Tab that follows moves on.
        if self.view == View::Duty
            && let Some(Modal::Voucher(f)) = self.duty.as_mut().and_then(|d| d.modal.as_mut())
        {
            f.moved_on = false;
        }
        let Some(input) = self.focused_input_mut() else {
            return;
        };
        let spec = input.spec();
        match input.apply(edit) {
            Outcome::Changed => self.input_changed(),
            Outcome::Moved => {}
            Outcome::NotTaken(c) => {
                let text = self.texts().field_refuses(c, spec.filter);
                self.set_info(text);
            }
            Outcome::Full(limit) => {
                let text = if spec == NOTE {
                    self.texts().note_too_long(limit + 1, limit)
                } else {
                    self.texts().field_full(limit)
                };
                self.set_error(text);
            }
        }
    }

    /// Pasted text goes into the focused field; what did not fit is said.
    pub(super) fn paste(&mut self, pasted: &str) {
        let t = self.texts();
        let Some(input) = self.focused_input_mut() else {
            self.set_error(t.paste_only_into_field().to_string());
            return;
        };
        let spec = input.spec();
        let before = input.chars();
        let left_out = input.paste(pasted);
        if left_out > 0 {
            let text = if spec == NOTE {
                t.note_too_long(before + pasted.chars().count(), NOTE_MAX_CHARS)
            } else {
                t.paste_left_out(left_out)
            };
            self.set_error(text);
        }
        self.input_changed();
    }

    /// What follows a change of the focused field's value.
    fn input_changed(&mut self) {
        match self.view {
            View::Duty => {
                if let Some(Modal::Voucher(f)) = self.duty.as_mut().and_then(|d| d.modal.as_mut()) {
                    f.changed();
                }
            }
            View::Vouchers => self.match_search(),
            _ => {}
        }
    }
}

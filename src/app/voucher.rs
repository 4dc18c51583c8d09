//! Vouchers on the duty screen: the issue form (`v`), the notice with the
//! number in large type, and the register view (`m`) with its dialogs for
//! marking used, cancelling and printing.
//!
//! What is typed for the duplicate check (name, birth date) and the name
//! typed for printing live only in private text fields of these states
//! ([`TextInput`](crate::text::input::TextInput)s that wipe their buffer);
//! they are dropped when the window closes and never reach the store.

use std::path::PathBuf;

use super::{App, Modal, View};
use crate::error::Error;
use crate::voucher::{Season, VoucherConfig};

mod form;
mod register;

pub use form::{FormField, IssuedNotice, VoucherForm};
pub use register::{Dialog, Register, filter_label};

/// What the voucher keys ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoucherAction {
    /// `v`: the issue form.
    Open,
    /// `m`: the register.
    Register,
    /// Choose the n-th offered product (0-based).
    Product(usize),
    /// Jump to the duplicate-check fields.
    CheckIdentity,
    /// Backspace on the product: none chosen.
    ClearProduct,
    /// `*`: show the name typed, or mask it again.
    ShowName,
    /// The answer to "print a copy?".
    Answer(bool),
    NextField,
    PrevField,
    /// Enter: issue, or save the open dialog.
    Submit,
    /// Esc: close the form or dialog.
    Cancel,
    /// Close the notice of an issued voucher.
    CloseNotice,
    /// Print the voucher just issued (opens the register's print dialog).
    PrintNotice,
    Up,
    Down,
    /// Cycle the register's status filter.
    Filter,
    /// Move the register to an earlier (-1) or later (+1) season.
    Season(i32),
    StartUse,
    StartCancel,
    /// `p`: the PDF file; `P`: the file, sent to the printer too.
    StartPrint,
    StartPrinter,
    /// Show or hide the season summary over the register.
    Summary,
    /// `/`: type a search (number, product, status); Enter keeps it, Esc
    /// clears it.
    Search,
    SearchDone,
    SearchCancel,
    /// Leave the register.
    Close,
}

/// Voucher state of the duty screen.
#[derive(Debug, Default)]
pub struct VoucherState {
    /// The current season, when the profile issues vouchers.
    pub season: Option<Season>,
    /// Vouchers of the season not cancelled, for the header.
    pub in_force: u32,
    /// Vouchers handed out today (not cancelled), for the day's tally.
    pub today: u32,
    pub register: Option<Register>,
    /// Today's visits that carried a voucher → its number, for the list.
    pub by_visit: std::collections::BTreeMap<crate::domain::VisitId, String>,
    /// Which of those numbers are cancelled, so the list says so.
    pub cancelled: std::collections::BTreeSet<String>,
    /// Where PDFs go; `None` means [`pdf::default_dir`].
    pub print_dir: Option<PathBuf>,
    /// The issuer's name and place typed in the last print, offered in
    /// the next (in memory only).
    pub issuer: String,
    pub place: String,
}

impl App {
    pub(super) fn voucher(&mut self, a: VoucherAction) -> Result<(), Error> {
        if self.view == View::Vouchers {
            return self.register_action(a);
        }
        match a {
            VoucherAction::Open => self.open_voucher_form(),
            VoucherAction::Register => self.open_register(None)?,
            VoucherAction::CloseNotice => self.close_modal(),
            VoucherAction::PrintNotice => {
                let (number, typed) = match self.duty.as_ref().and_then(|d| d.modal.as_ref()) {
                    Some(Modal::VoucherIssued(n)) => (n.number.clone(), n.name.clone()),
                    _ => return Ok(()),
                };
                self.close_modal();
                self.open_register(Some(&number))?;
                self.register_action(VoucherAction::StartPrint)?;
                if let Some(Dialog::Print { name, .. }) =
                    self.register_mut().and_then(|r| r.dialog.as_mut())
                {
                    *name = typed;
                    name.enter();
                }
            }
            VoucherAction::Submit => self.submit_voucher()?,
            // Esc in a field goes back to the product; a second Esc
            // closes the form, saying nothing was saved.
            VoucherAction::Cancel => {
                let t = self.texts();
                match self.form_mut() {
                    Some(f) if f.field != FormField::Product => f.focus(FormField::Product),
                    _ => {
                        self.close_modal();
                        self.set_info(t.voucher_form_cancelled().to_string());
                    }
                }
            }
            other => self.edit_form(other),
        }
        Ok(())
    }

    /// The voucher settings of the profile on duty, when it issues them.
    pub fn voucher_config(&self) -> Option<&VoucherConfig> {
        self.duty
            .as_ref()
            .and_then(|d| d.profile.voucher_settings())
    }

    /// Reloads the header counter and an open register after a write.
    pub(super) fn refresh_vouchers(&mut self) -> Result<(), Error> {
        let today = self.now.date();
        let Some(d) = self.duty.as_mut() else {
            return Ok(());
        };
        let Some(cfg) = d.profile.voucher_settings() else {
            d.vouchers.season = None;
            return Ok(());
        };
        let season = cfg.season_of(today);
        d.vouchers.season = Some(season);
        d.vouchers.in_force = self.store.vouchers_in_force(&d.profile.id, season)?;
        d.vouchers.by_visit = self
            .store
            .voucher_numbers_of_visits_on(&d.profile.id, today)?;
        d.vouchers.cancelled = self
            .store
            .cancelled_voucher_numbers_on(&d.profile.id, today)?;
        d.vouchers.today = self
            .store
            .vouchers_issued_on(Some(&d.profile.id), today)?
            .values()
            .sum();
        if let Some(r) = d.vouchers.register.as_mut() {
            r.reload(
                self.store
                    .vouchers_in_season(Some(&d.profile.id), r.season)?,
                today,
            );
        }
        self.match_search();
        Ok(())
    }

    /// Finds the vouchers the register's search matches: its number, its
    /// product or its status, as shown, in any letter case.
    pub(super) fn match_search(&mut self) {
        let today = self.now.date();
        let (lang, t) = (self.lang, self.texts());
        let Some(d) = self.duty.as_mut() else { return };
        let Some(cfg) = d.profile.voucher_settings() else {
            return;
        };
        let Some(r) = d.vouchers.register.as_mut() else {
            return;
        };
        let needle = r.search.value().trim().to_lowercase();
        r.matches = (!needle.is_empty()).then(|| {
            r.vouchers
                .iter()
                .filter(|v| {
                    [
                        v.number.as_str(),
                        cfg.product_label(&v.product, lang),
                        t.status_label(v.status(today)),
                    ]
                    .iter()
                    .any(|s| s.to_lowercase().contains(&needle))
                })
                .map(|v| v.number.clone())
                .collect()
        });
        let n = r.shown(today).len();
        r.selected = r.selected.min(n.saturating_sub(1));
    }
}

/// The status line's width at 80 columns, after its leading space.
const STATUS_WIDTH: usize = 79;

#[cfg(test)]
mod tests;

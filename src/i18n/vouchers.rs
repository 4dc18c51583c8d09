//! The voucher feature's strings: a supertrait of `Texts`, implemented per
//! language in `vouchers/fi.rs` and `vouchers/en.rs`, so the compiler keeps
//! both complete like the rest.

mod en;
mod fi;

use crate::platform::PrintFailure;
use crate::voucher::VoucherError;
use crate::voucher::config::{Invoicing, VoucherConfigProblem};
use crate::voucher::pdf::PdfLabels;
use crate::voucher::summary::Counts;
use crate::voucher::{Cents, Status};

pub trait VoucherTexts {
    // ---- duty screen ----
    /// "Sitoumuksia tällä kaudella 2023–2024: 31"
    fn voucher_header(&self, season: &str, n: u32) -> String;
    fn voucher_header_keys(&self) -> &'static str;
    /// The day's tally: "Sitoumuksia tänään 2 (kausi 31)".
    fn tally_vouchers(&self, today: u32, season: u32) -> String;
    fn voucher_not_enabled(&self) -> &'static str;
    /// Added to a visit's description in undo and delete messages.
    fn visit_voucher(&self, number: &str) -> String;
    fn voucher_not_while_editing(&self) -> &'static str;

    // ---- the form ----
    fn voucher_form_title(&self) -> &'static str;
    fn voucher_product(&self) -> &'static str;
    fn voucher_max(&self, sum: &str) -> String;
    fn voucher_birth_year(&self) -> &'static str;
    fn voucher_dup_check(&self) -> &'static str;
    fn voucher_name(&self) -> &'static str;
    fn voucher_birth_date(&self) -> &'static str;
    fn voucher_choose_product(&self, n: usize) -> String;
    fn voucher_age_warning(&self, age: i32, min: u32) -> String;
    fn voucher_out_of_season(&self, start: &str) -> String;
    /// "already issued this season: LE-2023-017"
    fn voucher_duplicate(&self, numbers: &str) -> String;
    fn voucher_duplicate_keys(&self) -> &'static str;
    /// The form closed with Esc: nothing was saved.
    fn voucher_form_cancelled(&self) -> &'static str;
    fn voucher_issued_title(&self) -> &'static str;
    fn voucher_issued(&self, number: &str, valid_until: &str) -> String;
    fn voucher_issued_footer(&self) -> &'static str;

    // ---- the register ----
    fn register_title(&self, season: &str, profile: &str) -> String;
    fn register_counts(&self, c: &Counts) -> String;
    fn invoiced(&self, sum: &str) -> String;
    fn register_filter(&self, shown: &str) -> String;
    fn filter_all(&self) -> &'static str;
    fn status_label(&self, s: Status) -> &'static str;
    /// Number, product, issued, valid until, status, amount.
    fn register_columns(&self) -> [&'static str; 6];
    /// The voucher CSV's further columns: profile, used on, shop, cancelled
    /// on, reason, birth year.
    fn voucher_csv_columns(&self) -> [&'static str; 6];
    fn register_empty(&self) -> &'static str;
    /// The season has vouchers but none has this status: "Ei voimassa
    /// olevia sitoumuksia."
    fn register_none_with(&self, status: Status) -> &'static str;
    /// The search matches none.
    fn register_no_match(&self, search: &str) -> String;
    /// The search on the filter line.
    fn register_search(&self, search: &str) -> String;
    fn undo_reason_label(&self) -> &'static str;
    fn use_title(&self, number: &str) -> String;
    fn use_amount(&self, max: &str) -> String;
    fn use_date(&self) -> &'static str;
    fn use_shop(&self) -> &'static str;
    fn cancel_title(&self, number: &str) -> String;
    fn cancel_reason(&self) -> &'static str;
    fn print_title(&self, number: &str) -> String;
    fn print_name(&self) -> &'static str;
    fn voucher_used(&self, number: &str, amount: &str) -> String;
    fn voucher_cancelled(&self, number: &str) -> String;
    fn voucher_printed(&self, path: &str) -> String;
    /// The invoicing details missing from the config of `profile`: said
    /// by `tiski doctor` and on every print until they are set.
    fn invoicing_missing(&self, profile: &str, missing: &[Invoicing]) -> String;
    /// The same after a print on the screen, in a few words.
    fn invoicing_missing_short(&self, missing: &[Invoicing]) -> String;
    /// The print dialog's fields for the issuer's name and place.
    fn print_issuer(&self) -> &'static str;
    fn print_place(&self) -> &'static str;
    /// The print dialog's line saying where it goes (a file, or the
    /// printer and the file) and whether it is marked as a copy.
    fn print_where(&self, printer: bool, copy: bool) -> String;
    /// Asked before printing a used, cancelled or expired voucher.
    fn print_copy_question(&self, number: &str, status: Status) -> String;
    /// The copy question answered no.
    fn print_not_copied(&self) -> &'static str;
    /// `voucher print --printer`: written and sent.
    fn voucher_sent_to_printer(&self, path: &str) -> String;
    /// The duty screen's one-line messages (the path is shortened to fit):
    /// written, sent to the printer, not taken by the printer.
    fn print_saved_short(&self, path: &str, named: bool) -> String;
    fn print_sent_short(&self, path: &str, named: bool) -> String;
    fn print_failed_short(&self, failure: &PrintFailure, path: &str) -> String;

    // ---- summary and CLI ----
    fn summary_heading(&self, season: &str, start: &str, end: &str) -> String;
    fn by_product(&self) -> &'static str;
    /// Issued, used, cancelled, expired, invoiced (short column heads).
    fn summary_columns(&self) -> [&'static str; 5];
    fn total(&self) -> &'static str;
    fn by_week(&self) -> &'static str;
    fn earlier_seasons(&self) -> &'static str;
    fn before_tiski(&self) -> &'static str;
    fn vouchers_word(&self) -> &'static str;
    fn purged(&self, n: u32, before: &str) -> String;
    fn pdf_labels(&self) -> PdfLabels;
    /// A sum of money: `24,90 €` in Finnish, `€24.90` in English.
    fn money(&self, c: Cents) -> String;

    // ---- errors ----
    fn voucher_error(&self, e: &VoucherError) -> String;
    fn voucher_config_problem(&self, profile: &str, p: &VoucherConfigProblem) -> String;
}

/// A printer's words cut to what a one-line message has room for.
fn short_said(said: &str) -> String {
    crate::text::truncate(said, 32)
}

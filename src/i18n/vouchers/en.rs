//! English voucher texts.

use super::VoucherTexts;
use crate::i18n::en::En;
use crate::locale::Lang;
use crate::platform::{PRINT_COMMAND, PrintFailure};
use crate::voucher::config::{Invoicing, VoucherConfigProblem};
use crate::voucher::pdf::PdfLabels;
use crate::voucher::summary::Counts;
use crate::voucher::{Cents, Status, VoucherError};

impl VoucherTexts for En {
    fn voucher_header(&self, season: &str, n: u32) -> String {
        let season = crate::locale::years_span(season);
        format!("Vouchers this season ({season}): {n}")
    }
    fn tally_vouchers(&self, today: u32, season: u32) -> String {
        format!("Vouchers today {today} (season {season})")
    }
    fn voucher_header_keys(&self) -> &'static str {
        "v new voucher · m register"
    }
    fn visit_voucher(&self, number: &str) -> String {
        format!(" · voucher {number} (cancelled with it)")
    }
    fn voucher_not_enabled(&self) -> &'static str {
        "This profile does not issue vouchers."
    }
    fn voucher_not_while_editing(&self) -> &'static str {
        "Finish editing the visit first (Enter saves, Esc cancels)."
    }

    fn voucher_form_title(&self) -> &'static str {
        "Payment commitment"
    }
    fn voucher_product(&self) -> &'static str {
        "Product"
    }
    fn voucher_max(&self, sum: &str) -> String {
        format!("max {sum}")
    }
    fn voucher_birth_year(&self) -> &'static str {
        "Birth year (optional)"
    }
    fn voucher_dup_check(&self) -> &'static str {
        "Had one this season already? (check, not stored):"
    }
    fn voucher_name(&self) -> &'static str {
        "Name"
    }
    fn voucher_birth_date(&self) -> &'static str {
        "Birth date (d.m.yyyy)"
    }
    fn voucher_choose_product(&self, n: usize) -> String {
        format!("Choose a product first (1–{n}).")
    }
    fn voucher_age_warning(&self, age: i32, min: u32) -> String {
        format!("Turns {age} this year (limit {min}): check eligibility. Not a block.")
    }
    fn voucher_out_of_season(&self, start: &str) -> String {
        format!("The season starts {start}; this voucher counts in the coming season.")
    }
    fn voucher_duplicate(&self, numbers: &str) -> String {
        format!("Already issued this season: {numbers}")
    }
    fn voucher_form_cancelled(&self) -> &'static str {
        "No voucher issued; nothing was saved."
    }
    fn voucher_duplicate_keys(&self) -> &'static str {
        "Enter issue anyway · Esc back"
    }
    fn voucher_issued_title(&self) -> &'static str {
        "Voucher issued"
    }
    fn voucher_issued(&self, number: &str, valid_until: &str) -> String {
        format!("{number} issued, valid until {valid_until}")
    }
    fn voucher_issued_footer(&self) -> &'static str {
        "p print · any other key closes"
    }

    fn register_title(&self, season: &str, profile: &str) -> String {
        let season = crate::locale::years_span(season);
        format!("Vouchers · season {season} · {profile}")
    }
    fn register_counts(&self, c: &Counts) -> String {
        format!(
            "Issued {} (valid {}, used {}, expired {}) · cancelled {}",
            c.issued, c.outstanding, c.used, c.expired, c.cancelled
        )
    }
    fn invoiced(&self, sum: &str) -> String {
        format!("Invoiced {sum}")
    }
    fn register_filter(&self, shown: &str) -> String {
        format!("Showing: {shown} (f changes)")
    }
    fn filter_all(&self) -> &'static str {
        "all"
    }
    fn status_label(&self, s: Status) -> &'static str {
        match s {
            Status::Issued => "valid",
            Status::Used => "used",
            Status::Cancelled => "cancelled",
            Status::Expired => "expired",
        }
    }
    fn register_columns(&self) -> [&'static str; 6] {
        [
            "Number", "Product", "Issued", "Valid to", "Status", "Amount",
        ]
    }
    fn voucher_csv_columns(&self) -> [&'static str; 6] {
        [
            "Profile",
            "Used on",
            "Shop",
            "Cancelled on",
            "Reason",
            "Birth year",
        ]
    }
    fn register_none_with(&self, status: Status) -> &'static str {
        match status {
            Status::Issued => "No valid vouchers.",
            Status::Used => "No used vouchers.",
            Status::Cancelled => "No cancelled vouchers.",
            Status::Expired => "No expired vouchers.",
        }
    }
    fn register_no_match(&self, search: &str) -> String {
        format!("No voucher matches “{search}”.")
    }
    fn register_search(&self, search: &str) -> String {
        format!("search: “{search}”")
    }
    fn register_empty(&self) -> &'static str {
        "No vouchers this season."
    }
    fn undo_reason_label(&self) -> &'static str {
        "visit undone"
    }
    fn use_title(&self, number: &str) -> String {
        format!("Used: {number}")
    }
    fn use_amount(&self, max: &str) -> String {
        format!("Invoiced amount € (max {max})")
    }
    fn use_date(&self) -> &'static str {
        "Invoice date (YYYY-MM-DD)"
    }
    fn use_shop(&self) -> &'static str {
        "Shop (optional)"
    }
    fn cancel_title(&self, number: &str) -> String {
        format!("Cancel: {number}")
    }
    fn cancel_reason(&self) -> &'static str {
        "Reason"
    }
    fn print_title(&self, number: &str) -> String {
        format!("Print: {number}")
    }
    fn print_name(&self) -> &'static str {
        "Recipient's name (optional; printed, not stored)"
    }
    fn voucher_used(&self, number: &str, amount: &str) -> String {
        format!("{number} marked used: {amount}")
    }
    fn voucher_cancelled(&self, number: &str) -> String {
        format!("{number} cancelled; the number is not reused")
    }
    fn invoicing_missing(&self, profile: &str, missing: &[Invoicing]) -> String {
        let names: Vec<&str> = missing
            .iter()
            .map(|m| match m {
                Invoicing::BusinessId => "business ID (business_id)",
                Invoicing::EInvoiceAddress => "e-invoice address (e_invoice_address)",
                Invoicing::EInvoiceOperator => "operator (e_invoice_operator)",
            })
            .collect();
        format!(
            "note: the commitment lacks the invoicing details the shop invoices the city by: {}. Set them in the config under [profiles.{profile}.vouchers].",
            names.join(", ")
        )
    }
    fn invoicing_missing_short(&self, missing: &[Invoicing]) -> String {
        let names: Vec<&str> = missing
            .iter()
            .map(|m| match m {
                Invoicing::BusinessId => "business ID",
                Invoicing::EInvoiceAddress => "e-invoice address",
                Invoicing::EInvoiceOperator => "operator",
            })
            .collect();
        format!(
            "Note: invoicing details missing from the config ({}); tiski doctor says more.",
            names.join(", ")
        )
    }
    fn voucher_printed(&self, path: &str) -> String {
        format!(
            "Voucher written to {path}. Print it; if it holds a name, delete the file after printing."
        )
    }
    fn print_issuer(&self) -> &'static str {
        "Issuer's name (under the signature)"
    }
    fn print_place(&self) -> &'static str {
        "Place (before the date)"
    }
    fn print_where(&self, printer: bool, copy: bool) -> String {
        let mut s = String::from(if printer {
            "Saved as a PDF file and sent to the default printer."
        } else {
            "Saved as a PDF file."
        });
        if copy {
            s.push_str(" The document is marked COPY.");
        }
        s
    }
    fn print_copy_question(&self, number: &str, status: Status) -> String {
        format!(
            "{number} is {}. Print a copy? It is marked COPY.",
            self.status_label(status)
        )
    }
    fn print_not_copied(&self) -> &'static str {
        "No copy printed."
    }
    fn voucher_sent_to_printer(&self, path: &str) -> String {
        format!(
            "Voucher written to {path} and sent to the default printer ({}).",
            PRINT_COMMAND
        )
    }
    fn print_saved_short(&self, path: &str, named: bool) -> String {
        let tail = if named {
            " – holds a name: delete after printing"
        } else {
            ""
        };
        format!("Saved: {path}{tail}")
    }
    fn print_sent_short(&self, path: &str, named: bool) -> String {
        let tail = if named {
            " – holds a name: delete it"
        } else {
            ""
        };
        format!("Sent to the printer, file {path}{tail}")
    }
    fn print_failed_short(&self, failure: &PrintFailure, path: &str) -> String {
        let cmd = PRINT_COMMAND;
        match failure {
            PrintFailure::Missing => format!("Not printed: {cmd} is missing. File {path}"),
            PrintFailure::CannotRun(_) => {
                format!("Not printed: {PRINT_COMMAND} did not start. File {path}")
            }
            PrintFailure::Refused(said) => {
                format!(
                    "Not printed ({cmd}: {}). File {path}",
                    super::short_said(said)
                )
            }
        }
    }

    fn summary_heading(&self, season: &str, start: &str, end: &str) -> String {
        let season = crate::locale::years_span(season);
        format!("Vouchers, season {season} ({start} – {end})")
    }
    fn summary_columns(&self) -> [&'static str; 5] {
        ["iss", "used", "canc", "exp", "invoiced"]
    }
    fn total(&self) -> &'static str {
        "Total"
    }
    fn by_product(&self) -> &'static str {
        "By product"
    }
    fn by_week(&self) -> &'static str {
        "By week (issued)"
    }
    fn earlier_seasons(&self) -> &'static str {
        "Earlier seasons in tiski"
    }
    fn before_tiski(&self) -> &'static str {
        "Before tiski (from the config)"
    }
    fn vouchers_word(&self) -> &'static str {
        "vouchers"
    }
    fn purged(&self, n: u32, before: &str) -> String {
        format!(
            "Removed birth years and check hashes from {n} vouchers whose season ended before {before}. Counts are kept."
        )
    }
    fn money(&self, c: Cents) -> String {
        format!("€{}.{:02}", c.0 / 100, c.0 % 100)
    }
    fn pdf_labels(&self) -> PdfLabels {
        PdfLabels {
            title: "PAYMENT COMMITMENT",
            number: "Number",
            product: "Product",
            max_sum: "Maximum sum",
            issued: "Issued",
            valid_until: "Valid until",
            recipient: "Recipient",
            conditions: "Conditions",
            shops: "Accepted shops",
            invoicing: "Invoicing",
            signature: "Issuer's signature",
            phone: "Phone",
            business_id: "Business ID",
            e_invoice_address: "E-invoice address (OVT)",
            e_invoice_operator: "Operator",
            invoice_reference: "Invoice reference",
            place_date: "Place and date",
            issuer_name: "Name in capitals",
            shop_box: "To be filled in by the shop",
            shop_date: "Date of purchase",
            shop_amount: "Amount €",
            shop_receipt: "Receipt number",
            shop_signature: "Seller's signature",
            copy: "COPY",
            copy_note: "COPY – not valid for a new purchase.",
            money: |c| En.money(c),
        }
    }

    fn voucher_error(&self, e: &VoucherError) -> String {
        let d = |x: &chrono::NaiveDate| crate::locale::date(*x, Lang::En);
        match e {
            VoucherError::UnknownNumber { number } => {
                format!("there is no voucher \"{number}\". Check the number (e.g. LE-2023-001).")
            }
            VoucherError::AlreadyUsed { number, on } => match on {
                Some(on) => format!(
                    "voucher {number} is already used ({}). Nothing was changed.",
                    d(on)
                ),
                None => format!("voucher {number} is already used. Nothing was changed."),
            },
            VoucherError::UseCancelled { number } => {
                format!("voucher {number} is cancelled and cannot be used. Nothing was changed.")
            }
            VoucherError::VisitOfUsedVoucher { number } => format!(
                "the visit stays: its voucher {number} is used already (register: m)"
            ),
            VoucherError::CancelUsed { number } => format!(
                "voucher {number} is already used, so it cannot be cancelled. Nothing was changed."
            ),
            VoucherError::AlreadyCancelled { number } => {
                format!("voucher {number} is already cancelled. Nothing was changed.")
            }
            VoucherError::CopyNeeded { number, status } => format!(
                "voucher {number} is {}, so it is printed only as a copy. Add --copy and the document is marked COPY.",
                self.status_label(*status)
            ),
            VoucherError::ReasonRequired { number } => {
                format!("give a reason for cancelling {number}")
            }
            VoucherError::AmountTooHigh {
                number,
                amount,
                max,
            } => format!(
                "the amount {} is above the maximum sum {} of voucher {number}. Nothing was changed.",
                self.money(*amount),
                self.money(*max)
            ),
            VoucherError::AmountNotPositive { number } => {
                format!("the amount for {number} must be above €0")
            }
            VoucherError::BadAmount { value } => {
                format!("the amount \"{value}\" is not valid: give euros, e.g. 24.90")
            }
            VoucherError::UsedBeforeIssue {
                number,
                date,
                issued,
            } => format!(
                "voucher {number} cannot be used on {}, before it was issued ({})",
                d(date),
                d(issued)
            ),
            VoucherError::BadBirthYear { value, max } => format!(
                "the birth year \"{value}\" is impossible: give a year {}–{max}",
                crate::voucher::MIN_BIRTH_YEAR
            ),
            VoucherError::BadBirthDate => {
                "the birth date is not valid: use d.m.yyyy, e.g. 14.2.1948".into()
            }
            VoucherError::IdentityIncomplete => {
                "the duplicate check needs both a name and a birth date".into()
            }
            VoucherError::UnknownProduct { key, valid } => {
                format!("unknown product \"{key}\". Choices: {valid}")
            }
            VoucherError::NotEnabled { profile } => {
                format!("profile \"{profile}\" does not issue vouchers")
            }
            VoucherError::NoVoucherProfile => "no profile issues vouchers".into(),
            VoucherError::BadSeason { value } => format!(
                "the season \"{value}\" is not valid: use 2023-2024 or the start year 2023"
            ),
            VoucherError::Key { path, reason } => format!(
                "the duplicate-check key file {} is unusable: {reason}",
                path.display(),
                reason = crate::i18n::en::cause(reason)
            ),
            VoucherError::PurgeIncomplete { cleared } => format!(
                "cleared {cleared} vouchers, but old copies may remain in the file because another tiski is open. Close the others and run purge again."
            ),
            VoucherError::PurgeBusy => {
                "the database is in use by another tiski; close the others and try again. Nothing was purged.".into()
            }
        }
    }
    fn voucher_config_problem(&self, profile: &str, p: &VoucherConfigProblem) -> String {
        let what = match p {
            VoucherConfigProblem::NoProducts => "there is no active product".into(),
            VoucherConfigProblem::UnknownTopic(t) => {
                format!("the topic \"{t}\" is not one of the profile's topics")
            }
            VoucherConfigProblem::BadPrefix(p) => {
                format!("the prefix \"{p}\" is not valid (1–6 characters A–Z or 0–9)")
            }
            VoucherConfigProblem::BadDigits(n) => {
                format!("number_digits = {n} is not valid (1–6)")
            }
        };
        format!("vouchers of profile \"{profile}\": {what}")
    }
}

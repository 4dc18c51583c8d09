//! The season's voucher register (`m`): its list and search, and the
//! dialogs for marking used, cancelling and printing.

use chrono::NaiveDate;

use super::*;
use crate::app::{App, View};
use crate::error::Error;
use crate::i18n::Texts;
use crate::locale;
use crate::text::input::TextInput;
use crate::voucher::summary::{Counts, SeasonSummary};
use crate::voucher::{Cents, Season, Status, Voucher, VoucherError, pdf};

/// The register view's state.
#[derive(Debug)]
pub struct Register {
    pub season: Season,
    /// The season's vouchers in number order.
    pub vouchers: Vec<Voucher>,
    /// Show only this status; `None` shows all.
    pub filter: Option<Status>,
    /// Index into the shown vouchers.
    pub selected: usize,
    pub dialog: Option<Dialog>,
    /// The season summary, when shown.
    pub summary: Option<SeasonSummary>,
    /// The season's counts for the header, counted when the vouchers were
    /// loaded rather than on every frame.
    pub totals: Counts,
    /// The search typed with `/` (empty: none).
    pub search: TextInput,
    /// The search line has the keys.
    pub searching: bool,
    /// The numbers the search matches, found when it changes (the labels
    /// it matches need the config and the language).
    pub matches: Option<std::collections::BTreeSet<String>>,
}

impl Register {
    fn new(season: Season, vouchers: Vec<Voucher>, today: NaiveDate) -> Register {
        Register {
            season,
            totals: Counts::of(&vouchers, today),
            vouchers,
            filter: None,
            selected: 0,
            dialog: None,
            summary: None,
            search: TextInput::new(crate::app::input::SEARCH),
            searching: false,
            matches: None,
        }
    }

    /// Takes the season's vouchers as stored now.
    pub(in crate::app) fn reload(&mut self, vouchers: Vec<Voucher>, today: NaiveDate) {
        self.totals = Counts::of(&vouchers, today);
        self.vouchers = vouchers;
        let n = self.shown(today).len();
        self.selected = self.selected.min(n.saturating_sub(1));
    }

    /// The vouchers the filter lets through, newest first.
    pub fn shown(&self, today: NaiveDate) -> Vec<&Voucher> {
        self.vouchers
            .iter()
            .rev()
            .filter(|v| self.filter.is_none_or(|f| v.status(today) == f))
            .filter(|v| self.matches.as_ref().is_none_or(|m| m.contains(&v.number)))
            .collect()
    }

    fn selected_number(&self, today: NaiveDate) -> Option<String> {
        self.shown(today)
            .get(self.selected)
            .map(|v| v.number.clone())
    }
}

/// A dialog over the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    Use {
        number: String,
        amount: TextInput,
        date: TextInput,
        shop: TextInput,
        field: usize,
    },
    Cancel {
        number: String,
        reason: TextInput,
    },
    /// A used, cancelled or expired voucher: print a copy? (y/n)
    ConfirmCopy {
        number: String,
        status: Status,
        printer: bool,
    },
    Print {
        number: String,
        /// The recipient's name: printed, never stored.
        name: TextInput,
        issuer: TextInput,
        place: TextInput,
        /// 0 name, 1 issuer, 2 place.
        field: usize,
        /// Send to the printer as well as writing the file.
        printer: bool,
        /// Marked as a copy (asked first).
        copy: bool,
    },
}

impl Dialog {
    /// The text field with the cursor.
    pub fn input(&self) -> Option<&TextInput> {
        match self {
            Dialog::Use {
                amount,
                date,
                shop,
                field,
                ..
            } => [amount, date, shop].into_iter().nth(*field),
            Dialog::Cancel { reason, .. } => Some(reason),
            Dialog::Print {
                name,
                issuer,
                place,
                field,
                ..
            } => [name, issuer, place].into_iter().nth(*field),
            Dialog::ConfirmCopy { .. } => None,
        }
    }

    pub fn input_mut(&mut self) -> Option<&mut TextInput> {
        match self {
            Dialog::Use {
                amount,
                date,
                shop,
                field,
                ..
            } => [amount, date, shop].into_iter().nth(*field),
            Dialog::Cancel { reason, .. } => Some(reason),
            Dialog::Print {
                name,
                issuer,
                place,
                field,
                ..
            } => [name, issuer, place].into_iter().nth(*field),
            Dialog::ConfirmCopy { .. } => None,
        }
    }

    /// Another field (Tab, ↓: +1; Shift-Tab, ↑: -1), its value selected.
    fn step(&mut self, by: i32) {
        if let Dialog::Use { field, .. } | Dialog::Print { field, .. } = self {
            *field = (*field as i32 + by).rem_euclid(3) as usize;
        }
        if let Some(t) = self.input_mut() {
            t.enter();
        }
    }
}

impl App {
    pub(in crate::app) fn open_register(&mut self, select: Option<&str>) -> Result<(), Error> {
        let t = self.texts();
        let today = self.now.date();
        let Some(d) = self.duty.as_mut() else {
            return Ok(());
        };
        let Some(cfg) = d.profile.voucher_settings() else {
            self.set_error(t.voucher_not_enabled().to_string());
            return Ok(());
        };
        let season = cfg.season_of(today);
        let vouchers = self.store.vouchers_in_season(Some(&d.profile.id), season)?;
        let mut r = Register::new(season, vouchers, today);
        if let Some(n) = select {
            r.selected = r
                .shown(today)
                .iter()
                .position(|v| v.number == n)
                .unwrap_or(0);
        }
        d.vouchers.register = Some(r);
        self.view = View::Vouchers;
        Ok(())
    }

    pub(in crate::app) fn register_mut(&mut self) -> Option<&mut Register> {
        self.duty.as_mut()?.vouchers.register.as_mut()
    }

    pub(in crate::app) fn register_action(&mut self, a: VoucherAction) -> Result<(), Error> {
        let today = self.now.date();
        let lang = self.lang;
        if self.register_mut().is_some_and(|r| r.dialog.is_some()) {
            return self.dialog_action(a);
        }
        let Some(r) = self.register_mut() else {
            return Ok(());
        };
        let n = r.shown(today).len();
        if r.summary.is_some() {
            // Any key closes the summary.
            r.summary = None;
            return Ok(());
        }
        match a {
            VoucherAction::Search => {
                // An earlier search, selected: typed over or kept.
                r.searching = true;
                r.search.enter();
                return Ok(());
            }
            VoucherAction::SearchDone => {
                r.searching = false;
                return Ok(());
            }
            VoucherAction::SearchCancel => {
                r.searching = false;
                r.search.clear();
                self.match_search();
                return Ok(());
            }
            VoucherAction::Up => r.selected = r.selected.saturating_sub(1),
            VoucherAction::Down => r.selected = (r.selected + 1).min(n.saturating_sub(1)),
            VoucherAction::Filter => {
                r.filter = match r.filter {
                    None => Some(Status::Issued),
                    Some(Status::Issued) => Some(Status::Used),
                    Some(Status::Used) => Some(Status::Cancelled),
                    Some(Status::Cancelled) => Some(Status::Expired),
                    Some(Status::Expired) => None,
                };
                r.selected = 0;
            }
            VoucherAction::Season(delta) => {
                r.season = Season(r.season.0 + delta);
                r.selected = 0;
                self.refresh_vouchers()?;
            }
            VoucherAction::StartUse | VoucherAction::StartCancel => {
                let Some(number) = r.selected_number(today) else {
                    return Ok(());
                };
                r.dialog = Some(match a {
                    VoucherAction::StartUse => Dialog::Use {
                        number,
                        amount: TextInput::new(crate::app::input::AMOUNT),
                        date: TextInput::filled(
                            crate::app::input::DATE,
                            &locale::date(today, lang),
                        ),
                        shop: TextInput::new(crate::app::input::SHOP),
                        field: 0,
                    },
                    _ => Dialog::Cancel {
                        number,
                        reason: TextInput::new(crate::app::input::REASON),
                    },
                });
            }
            VoucherAction::StartPrint | VoucherAction::StartPrinter => {
                let printer = a == VoucherAction::StartPrinter;
                let Some(v) = r.shown(today).get(r.selected).copied() else {
                    return Ok(());
                };
                // A used, cancelled or expired voucher is asked about
                // first and printed only as a copy.
                if v.needs_copy(today) {
                    r.dialog = Some(Dialog::ConfirmCopy {
                        number: v.number.clone(),
                        status: v.status(today),
                        printer,
                    });
                } else {
                    let number = v.number.clone();
                    self.open_print_dialog(number, printer, false);
                }
            }
            VoucherAction::Summary => {
                let season = r.season;
                let Some(d) = self.duty.as_ref() else {
                    return Ok(());
                };
                let Some(cfg) = d.profile.voucher_settings() else {
                    return Ok(());
                };
                let earlier = self.store.voucher_season_counts(Some(&d.profile.id))?;
                let vouchers = &d.vouchers.register.as_ref().expect("open").vouchers;
                let word = self.texts().vouchers_word();
                let s =
                    SeasonSummary::build(cfg, season, vouchers, today, &earlier, self.lang, word);
                if let Some(r) = self.register_mut() {
                    r.summary = Some(s);
                }
            }
            VoucherAction::Close | VoucherAction::Cancel => {
                if let Some(d) = self.duty.as_mut() {
                    d.vouchers.register = None;
                }
                self.view = View::Duty;
            }
            _ => {}
        }
        Ok(())
    }

    pub(in crate::app) fn dialog_action(&mut self, a: VoucherAction) -> Result<(), Error> {
        let Some(r) = self.register_mut() else {
            return Ok(());
        };
        let Some(dialog) = r.dialog.as_mut() else {
            return Ok(());
        };
        if let Dialog::ConfirmCopy {
            number, printer, ..
        } = dialog
        {
            let (number, printer) = (number.clone(), *printer);
            match a {
                VoucherAction::Answer(true) => {
                    r.dialog = None;
                    self.open_print_dialog(number, printer, true);
                }
                VoucherAction::Answer(false) => {
                    r.dialog = None;
                    let t = self.texts();
                    self.set_info(t.print_not_copied().to_string());
                }
                VoucherAction::Cancel => r.dialog = None,
                _ => {}
            }
            return Ok(());
        }
        match a {
            VoucherAction::Cancel => r.dialog = None,
            VoucherAction::Submit => return self.submit_dialog(),
            VoucherAction::NextField => dialog.step(1),
            VoucherAction::PrevField => dialog.step(-1),
            _ => {}
        }
        Ok(())
    }

    pub(in crate::app) fn submit_dialog(&mut self) -> Result<(), Error> {
        let printing = matches!(
            self.register_mut().and_then(|r| r.dialog.as_ref()),
            Some(Dialog::Print { .. })
        );
        // Marking a voucher used or cancelled writes no session; printing
        // writes nothing at all.
        let now = match printing {
            true => None,
            false => match self.ready_to_write() {
                Some(now) => Some(now),
                None => return Ok(()),
            },
        };
        let t = self.texts();
        let today = self.now.date();
        let Some(dialog) = self.register_mut().and_then(|r| r.dialog.clone()) else {
            return Ok(());
        };
        let result: Result<String, Error> = match &dialog {
            Dialog::Use {
                number,
                amount,
                date,
                shop,
                ..
            } => (|| {
                let amount = amount.value();
                let cents = Cents::parse(amount).ok_or_else(|| VoucherError::BadAmount {
                    value: amount.to_string(),
                })?;
                let date = crate::clock::parse_day(date.value(), self.now.date())?;
                let now = now.as_ref().expect("not printing");
                let v = crate::desk::use_voucher(
                    &mut self.store,
                    number,
                    cents,
                    date,
                    Some(shop.value()),
                    now,
                )?;
                Ok(t.voucher_used(&v.number, &t.money(cents)))
            })(),
            Dialog::Cancel { number, reason } => crate::desk::cancel_voucher(
                &mut self.store,
                number,
                reason.value(),
                now.as_ref().expect("not printing"),
            )
            .map(|v| t.voucher_cancelled(&v.number)),
            Dialog::Print {
                number,
                name,
                issuer,
                place,
                printer,
                copy,
                ..
            } => {
                if let Some(d) = self.duty.as_mut() {
                    d.vouchers.issuer = issuer.value().to_string();
                    d.vouchers.place = place.value().to_string();
                }
                let typed = pdf::Printing {
                    recipient: Some(name.value()),
                    issuer: Some(issuer.value()),
                    place: Some(place.value()),
                    date: today,
                    copy: *copy,
                };
                self.print_voucher(number, &typed, *printer)
            }
            Dialog::ConfirmCopy { .. } => return Ok(()),
        };
        match result {
            Ok(msg) => {
                if let Some(r) = self.register_mut() {
                    r.dialog = None;
                }
                self.refresh()?;
                self.set_info(msg);
            }
            // Refusals keep the dialog open with what was typed, the
            // cursor on the field at fault.
            Err(Error::Voucher(e)) => {
                let amount = matches!(
                    e,
                    VoucherError::BadAmount { .. }
                        | VoucherError::AmountTooHigh { .. }
                        | VoucherError::AmountNotPositive { .. }
                );
                let date = matches!(e, VoucherError::UsedBeforeIssue { .. });
                self.dialog_fault(if amount { Some(0) } else { date.then_some(1) });
                self.set_error(t.voucher_error(&e));
            }
            Err(e @ (Error::BadDate { .. } | Error::NoSuchDay { .. } | Error::Output { .. })) => {
                if !matches!(e, Error::Output { .. }) {
                    self.dialog_fault(Some(1));
                }
                self.set_error(t.error(&e))
            }
            // The file is written; the message names it and the command.
            Err(Error::Printer { path, failure }) => {
                let msg = fit_path(|p| t.print_failed_short(&failure, p), &path);
                self.set_error(msg);
            }
            Err(e) => return Err(e),
        }
        Ok(())
    }

    /// The cursor of the use dialog to field `at` (0 sum, 1 date), its
    /// value selected.
    pub(in crate::app) fn dialog_fault(&mut self, at: Option<usize>) {
        if let Some(at) = at
            && let Some(d @ Dialog::Use { .. }) =
                self.register_mut().and_then(|r| r.dialog.as_mut())
        {
            if let Dialog::Use { field, .. } = d {
                *field = at;
            }
            if let Some(t) = d.input_mut() {
                t.enter();
            }
        }
    }

    /// Opens the print dialog for `number`, offering the issuer's name
    /// and place typed last, else the config's.
    pub(in crate::app) fn open_print_dialog(&mut self, number: String, printer: bool, copy: bool) {
        let cfg = self.voucher_config();
        let (cfg_issuer, cfg_place) = cfg.map_or((String::new(), String::new()), |c| {
            (c.issuer_name.clone(), c.issuer_place.clone())
        });
        let Some(d) = self.duty.as_mut() else { return };
        let or = |typed: &str, configured: String| {
            if typed.is_empty() {
                configured
            } else {
                typed.to_string()
            }
        };
        let issuer = or(&d.vouchers.issuer, cfg_issuer);
        let place = or(&d.vouchers.place, cfg_place);
        if let Some(r) = d.vouchers.register.as_mut() {
            r.dialog = Some(Dialog::Print {
                number,
                name: TextInput::new(crate::app::input::RECIPIENT),
                issuer: TextInput::filled(crate::app::input::ISSUER, &issuer),
                place: TextInput::filled(crate::app::input::PRINT_PLACE, &place),
                field: 0,
                printer,
                copy,
            });
        }
    }

    /// Writes the PDF of `number` and, with `printer`, sends that file to
    /// the printer; returns the one-line message saying where.
    pub(in crate::app) fn print_voucher(
        &self,
        number: &str,
        typed: &pdf::Printing,
        printer: bool,
    ) -> Result<String, Error> {
        let v = self.store.voucher_by_number(number)?;
        v.check_print(self.now.date(), typed.copy)?;
        let cfg = self
            .config
            .profile(&v.profile)
            .and_then(|p| p.vouchers.as_ref())
            .or(self.voucher_config())
            .ok_or(VoucherError::NotEnabled {
                profile: v.profile.clone(),
            })?;
        let labels = crate::i18n::texts(pdf::LANG).pdf_labels();
        let second = cfg
            .second_language
            .map(|l| crate::i18n::texts(l).pdf_labels());
        let bytes = pdf::render(&v, cfg, pdf::LANG, &labels, second.as_ref(), typed);
        let dir = self
            .duty
            .as_ref()
            .and_then(|d| d.vouchers.print_dir.clone())
            .or_else(pdf::default_dir)
            .ok_or(Error::NoDataDir)?;
        let path = dir.join(format!("{}.pdf", v.number));
        crate::files::write_private_in_own_dir(&path, &bytes).map_err(Error::output(&path))?;
        let named = typed.recipient.is_some_and(|n| !n.trim().is_empty());
        let t = self.texts();
        let said = if printer {
            crate::platform::print_file(&path).map_err(|failure| Error::Printer {
                path: path.clone(),
                failure,
            })?;
            fit_path(|p| t.print_sent_short(p, named), &path)
        } else {
            fit_path(|p| t.print_saved_short(p, named), &path)
        };
        // Until the config has them, each print says the shop cannot
        // invoice from it (the status takes a second row for it).
        let missing = cfg.missing_invoicing();
        if missing.is_empty() {
            Ok(said)
        } else {
            Ok(format!("{said} {}", t.invoicing_missing_short(&missing)))
        }
    }
}

/// A message naming `path` made to fit the status line: the path loses
/// its start (`…/tiski/LE-2023-001.pdf`) before the message is cut.
fn fit_path(message: impl Fn(&str) -> String, path: &std::path::Path) -> String {
    let path = path.display().to_string();
    let full = message(&path);
    let over = full.chars().count().saturating_sub(STATUS_WIDTH);
    if over == 0 {
        return full;
    }
    let len = path.chars().count();
    let keep = len.saturating_sub(over + 1);
    let tail: String = path.chars().skip(len - keep).collect();
    // Whole folder names only: `…/tiski/LE-2023-001.pdf`.
    let tail = match tail.find(['/', '\\']) {
        Some(i) if i > 0 => tail[i..].to_string(),
        _ => tail,
    };
    crate::text::truncate(&message(&format!("…{tail}")), STATUS_WIDTH)
}

/// Pretty name for `t` of the register filter.
pub fn filter_label(t: &dyn Texts, f: Option<Status>) -> &'static str {
    f.map_or(t.filter_all(), |s| t.status_label(s))
}

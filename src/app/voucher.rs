//! Vouchers on the duty screen: the issue form (`v`), the notice with the
//! number in large type, and the register view (`m`) with its dialogs for
//! marking used, cancelling and printing.
//!
//! What is typed for the duplicate check (name, birth date) and the name
//! typed for printing live only in private text fields of these states
//! ([`TextInput`]s that wipe their buffer); they are dropped when the
//! window closes and never reach the store.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::{App, Focus, Modal, View};
use crate::error::Error;
use crate::i18n::Texts;
use crate::locale;
use crate::store::IssueRequest;
use crate::text::input::TextInput;
use crate::voucher::identity::{identity_hash, parse_birth_date};
use crate::voucher::summary::{Counts, SeasonSummary};
use crate::voucher::{
    Cents, Season, Status, Voucher, VoucherConfig, VoucherError, age_in_year, parse_birth_year, pdf,
};

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

/// A field of the issue form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormField {
    Product,
    BirthYear,
    Name,
    BirthDate,
}

/// The order Tab goes in: the product, then the birth date (which gives
/// the birth year), the name, and the birth year for one typed alone.
const FIELDS: [FormField; 4] = [
    FormField::Product,
    FormField::BirthDate,
    FormField::Name,
    FormField::BirthYear,
];

/// The issue form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoucherForm {
    /// Index among the offered products.
    pub product: Option<usize>,
    pub birth_year: TextInput,
    pub name: TextInput,
    pub birth_date: TextInput,
    pub field: FormField,
    /// The name is shown as typed (`*`), not masked.
    pub show_name: bool,
    /// Numbers the duplicate check found; a second Enter issues anyway.
    pub duplicates: Option<String>,
    pub error: Option<String>,
    /// The birth year came from the birth date (and follows it).
    pub year_derived: bool,
    /// The product key moved on to the birth date by itself: the `Tab`
    /// the user presses next, as the hint says, leaves it there.
    pub moved_on: bool,
}

impl VoucherForm {
    /// A whole birth date typed gives the birth year, so it is typed once;
    /// a year typed by hand is left as it is. The date is read by the
    /// duplicate check's own parser, so both take the same forms
    /// (`14.2.1948`, `1948-02-14`).
    fn year_from_date(&mut self) {
        let typed = self.birth_date.value().trim();
        // Four digits alone are a birth year: no date, no duplicate check.
        let year = if self.birth_date_is_a_year() {
            Some(typed.to_string())
        } else {
            parse_birth_date(typed).map(|d| chrono::Datelike::year(&d).to_string())
        };
        if self.birth_year.value().is_empty() || self.year_derived {
            self.year_derived = year.is_some();
            self.birth_year.set(&year.unwrap_or_default());
        }
    }

    /// The birth date field holds only a year (`1948`).
    pub fn birth_date_is_a_year(&self) -> bool {
        let typed = self.birth_date.value().trim();
        typed.len() == 4 && typed.chars().all(|c| c.is_ascii_digit())
    }

    /// The text field of `field` (the product has none).
    pub fn input(&self, field: FormField) -> Option<&TextInput> {
        match field {
            FormField::Product => None,
            FormField::BirthYear => Some(&self.birth_year),
            FormField::Name => Some(&self.name),
            FormField::BirthDate => Some(&self.birth_date),
        }
    }

    pub fn input_mut(&mut self, field: FormField) -> Option<&mut TextInput> {
        match field {
            FormField::Product => None,
            FormField::BirthYear => Some(&mut self.birth_year),
            FormField::Name => Some(&mut self.name),
            FormField::BirthDate => Some(&mut self.birth_date),
        }
    }

    /// The cursor to `field`, its value selected.
    fn focus(&mut self, field: FormField) {
        self.field = field;
        if let Some(t) = self.input_mut(field) {
            t.enter();
        }
    }

    /// After typing: an earlier refusal or duplicate no longer holds, and
    /// a birth date gives the year.
    pub(super) fn changed(&mut self) {
        self.error = None;
        match self.field {
            FormField::Name => self.duplicates = None,
            FormField::BirthDate => {
                self.duplicates = None;
                self.year_from_date();
            }
            FormField::BirthYear => self.year_derived = false,
            FormField::Product => {}
        }
    }
}

impl Default for VoucherForm {
    fn default() -> Self {
        VoucherForm {
            product: None,
            birth_year: TextInput::new(super::input::BIRTH_YEAR),
            name: TextInput::new(super::input::NAME),
            birth_date: TextInput::new(super::input::BIRTH_DATE),
            field: FormField::Product,
            show_name: false,
            duplicates: None,
            error: None,
            year_derived: false,
            moved_on: false,
        }
    }
}

/// Shown after issuing: the number in large type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedNotice {
    pub number: String,
    pub valid_until: NaiveDate,
    pub warnings: Vec<String>,
    /// The name typed for the duplicate check, in memory only, so printing
    /// this voucher (`p`) does not ask for it again.
    pub name: TextInput,
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
            search: TextInput::new(super::input::SEARCH),
            searching: false,
            matches: None,
        }
    }

    /// Takes the season's vouchers as stored now.
    fn reload(&mut self, vouchers: Vec<Voucher>, today: NaiveDate) {
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

    fn open_voucher_form(&mut self) {
        let t = self.texts();
        let Some(d) = self.duty.as_mut() else { return };
        if d.profile.voucher_settings().is_none() {
            self.set_error(t.voucher_not_enabled().to_string());
        } else if d.editing.is_some() {
            self.set_error(t.voucher_not_while_editing().to_string());
        } else {
            d.focus = Focus::Form;
            d.modal = Some(Modal::Voucher(Box::default()));
        }
    }

    fn form_mut(&mut self) -> Option<&mut VoucherForm> {
        match self.duty.as_mut()?.modal.as_mut()? {
            Modal::Voucher(f) => Some(f),
            _ => None,
        }
    }

    fn edit_form(&mut self, a: VoucherAction) {
        let products = self
            .voucher_config()
            .map_or(0, |c| c.active_products().count());
        let Some(f) = self.form_mut() else { return };
        f.error = None;
        let moved_on = std::mem::take(&mut f.moved_on);
        let step = |f: &VoucherForm, by: isize| {
            let i = FIELDS.iter().position(|x| *x == f.field).unwrap_or(0) as isize;
            FIELDS[(i + by).rem_euclid(FIELDS.len() as isize) as usize]
        };
        match a {
            VoucherAction::Product(i) if i < products => {
                f.product = Some(i);
                f.focus(FormField::BirthDate);
                f.moved_on = true;
            }
            VoucherAction::ClearProduct => f.product = None,
            VoucherAction::CheckIdentity => f.focus(FormField::BirthDate),
            VoucherAction::ShowName => f.show_name = !f.show_name,
            VoucherAction::NextField if moved_on => {}
            VoucherAction::NextField => f.focus(step(f, 1)),
            VoucherAction::PrevField => f.focus(step(f, -1)),
            _ => {}
        }
    }

    /// Warnings to show on the form and the notice: age under the limit,
    /// a date before the season starts.
    pub fn voucher_warnings(&self, birth_year: &str) -> Vec<String> {
        let t = self.texts();
        let today = self.now.date();
        let Some(cfg) = self.voucher_config() else {
            return Vec::new();
        };
        let mut w = Vec::new();
        if let Ok(y) = parse_birth_year(birth_year, today) {
            let age = age_in_year(y, today);
            if age < cfg.min_age as i32 {
                w.push(t.voucher_age_warning(age, cfg.min_age));
            }
        }
        if !cfg.in_season(today) {
            let start = cfg.season_start(cfg.season_of(today));
            w.push(t.voucher_out_of_season(&locale::date(start, self.lang)));
        }
        w
    }

    fn submit_voucher(&mut self) -> Result<(), Error> {
        let Some(now) = self.ready_to_write() else {
            return Ok(());
        };
        let t = self.texts();
        let today = self.now.date();
        let Some(d) = self.duty.as_ref() else {
            return Ok(());
        };
        let Some(cfg) = d.profile.voucher_settings() else {
            return Ok(());
        };
        let Some(Modal::Voucher(form)) = d.modal.as_ref() else {
            return Ok(());
        };
        let products: Vec<_> = cfg.active_products().collect();
        let Some(product) = form.product.and_then(|i| products.get(i)) else {
            let msg = t.voucher_choose_product(products.len());
            self.form_error_at(msg, FormField::Product);
            return Ok(());
        };
        let product = product.key.clone();
        let birth_year = match form.birth_year.value().trim() {
            "" => None,
            y => match parse_birth_year(y, today) {
                Ok(y) => Some(y),
                Err(e) => {
                    // A year from the birth date is wrong in the date.
                    let at = if form.year_derived {
                        FormField::BirthDate
                    } else {
                        FormField::BirthYear
                    };
                    self.form_error_at(t.voucher_error(&e), at);
                    return Ok(());
                }
            },
        };
        let no_identity =
            form.name.is_empty() && (form.birth_date.is_empty() || form.birth_date_is_a_year());
        let hash = if no_identity {
            None
        } else {
            let key = self.store.identity_key()?;
            match identity_hash(&key, form.name.value(), form.birth_date.value()) {
                Ok(h) => Some(h),
                Err(e) => {
                    // The field that is missing or wrong gets the cursor.
                    let at = match e {
                        VoucherError::IdentityIncomplete if form.name.is_empty() => FormField::Name,
                        _ => FormField::BirthDate,
                    };
                    self.form_error_at(t.voucher_error(&e), at);
                    return Ok(());
                }
            }
        };
        if let Some(h) = &hash
            && form.duplicates.is_none()
        {
            let found = self.store.duplicates(cfg.season_of(today), h)?;
            if !found.is_empty() {
                // Each earlier voucher with its product, date and status.
                let mut described = Vec::new();
                for number in &found {
                    let v = self.store.voucher_by_number(number)?;
                    described.push(format!(
                        "{number} ({}, {}, {})",
                        cfg.product_label(&v.product, self.lang),
                        locale::date(v.issued_on(), self.lang),
                        t.status_label(v.status(today))
                    ));
                }
                if let Some(f) = self.form_mut() {
                    f.duplicates = Some(described.join(", "));
                }
                return Ok(());
            }
        }
        let warnings = self.voucher_warnings(form.birth_year.value());
        let mut entry = d.form.clone();
        if !entry.topics.contains(&cfg.topic) {
            entry.toggle_topic(&cfg.topic, d.profile.topics.iter().map(|t| t.key.as_str()));
        }
        // The visit's rules, worded on the form (nothing is saved).
        if let Err(r) = crate::checked::visit(&d.profile, entry.clone()) {
            use crate::checked::VisitRefusal as R;
            use crate::privacy::error::PrivacyError as P;
            let msg = match &r {
                R::Note(P::NoteIdentity { found }) => t.save_refused_note(found),
                R::Note(P::NoteTooLong { chars, max }) => t.note_too_long(*chars, *max),
                other => t.visit_refusal(other),
            };
            self.form_error(msg);
            return Ok(());
        }
        let req = IssueRequest {
            profile: &d.profile.id,
            config: cfg,
            product: &product,
            birth_year,
            identity_hash: hash,
            from_form: true,
        };
        // A voucher's visit is a visit: it writes its session with it.
        let target = if d.pending {
            crate::store::Target::Start {
                profile: &d.profile.id,
                location: &d.session.location,
            }
        } else {
            crate::store::Target::Session(d.session.id)
        };
        let (visit, voucher) = crate::desk::issue_voucher(
            &mut self.store,
            &d.profile,
            target,
            self.now,
            entry,
            &req,
            &now,
        )?;
        super::draft::forget(&mut self.draft, &self.store, &d.profile.id);
        self.saved.push((visit.id, now.now().mono));
        let d = self.duty.as_mut().expect("checked above");
        if d.pending {
            d.session = self.store.session(visit.session)?;
            d.pending = false;
            if d.session.visitors == 1 {
                self.visit_sessions.insert(d.session.id);
            }
        }
        d.form = d.profile.fresh_entry(Some(&d.form));
        d.focus = Focus::Form;
        let name = match d.modal.take() {
            Some(Modal::Voucher(f)) => f.name.clone(),
            _ => TextInput::new(super::input::NAME),
        };
        d.modal = Some(Modal::VoucherIssued(IssuedNotice {
            number: voucher.number.clone(),
            valid_until: voucher.valid_until,
            warnings,
            name,
        }));
        self.refresh()?;
        let text = t.voucher_issued(
            &voucher.number,
            &locale::date(voucher.valid_until, self.lang),
        );
        self.set_info(text);
        Ok(())
    }

    fn form_error(&mut self, msg: String) {
        if let Some(f) = self.form_mut() {
            f.error = Some(msg);
        }
    }

    /// A refusal of one field: said, and the cursor put there.
    fn form_error_at(&mut self, msg: String, field: FormField) {
        if let Some(f) = self.form_mut() {
            f.focus(field);
            f.error = Some(msg);
        }
    }

    // ---- the register ----------------------------------------------------

    fn open_register(&mut self, select: Option<&str>) -> Result<(), Error> {
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

    fn register_mut(&mut self) -> Option<&mut Register> {
        self.duty.as_mut()?.vouchers.register.as_mut()
    }

    fn register_action(&mut self, a: VoucherAction) -> Result<(), Error> {
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
                        amount: TextInput::new(super::input::AMOUNT),
                        date: TextInput::filled(super::input::DATE, &locale::date(today, lang)),
                        shop: TextInput::new(super::input::SHOP),
                        field: 0,
                    },
                    _ => Dialog::Cancel {
                        number,
                        reason: TextInput::new(super::input::REASON),
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

    fn dialog_action(&mut self, a: VoucherAction) -> Result<(), Error> {
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

    fn submit_dialog(&mut self) -> Result<(), Error> {
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
    fn dialog_fault(&mut self, at: Option<usize>) {
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
    fn open_print_dialog(&mut self, number: String, printer: bool, copy: bool) {
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
                name: TextInput::new(super::input::RECIPIENT),
                issuer: TextInput::filled(super::input::ISSUER, &issuer),
                place: TextInput::filled(super::input::PRINT_PLACE, &place),
                field: 0,
                printer,
                copy,
            });
        }
    }

    /// Writes the PDF of `number` and, with `printer`, sends that file to
    /// the printer; returns the one-line message saying where.
    fn print_voucher(
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

/// The status line's width at 80 columns, after its leading space.
const STATUS_WIDTH: usize = 79;

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

#[cfg(test)]
mod tests;

//! The voucher issue form (`v`): its fields, the warnings, the issue
//! itself and the notice with the number in large type.

use chrono::NaiveDate;

use super::*;
use crate::app::{App, Focus, Modal};
use crate::error::Error;
use crate::locale;
use crate::store::IssueRequest;
use crate::text::input::TextInput;
use crate::voucher::identity::{identity_hash, parse_birth_date};
use crate::voucher::{VoucherError, age_in_year, parse_birth_year};

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
    pub(in crate::app) fn focus(&mut self, field: FormField) {
        self.field = field;
        if let Some(t) = self.input_mut(field) {
            t.enter();
        }
    }

    /// After typing: an earlier refusal or duplicate no longer holds, and
    /// a birth date gives the year.
    pub(in crate::app) fn changed(&mut self) {
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
            birth_year: TextInput::new(crate::app::input::BIRTH_YEAR),
            name: TextInput::new(crate::app::input::NAME),
            birth_date: TextInput::new(crate::app::input::BIRTH_DATE),
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

impl App {
    pub(in crate::app) fn open_voucher_form(&mut self) {
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

    pub(in crate::app) fn form_mut(&mut self) -> Option<&mut VoucherForm> {
        match self.duty.as_mut()?.modal.as_mut()? {
            Modal::Voucher(f) => Some(f),
            _ => None,
        }
    }

    pub(in crate::app) fn edit_form(&mut self, a: VoucherAction) {
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

    pub(in crate::app) fn submit_voucher(&mut self) -> Result<(), Error> {
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
        crate::app::draft::forget(&mut self.draft, &self.store, &d.profile.id);
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
            _ => TextInput::new(crate::app::input::NAME),
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

    pub(in crate::app) fn form_error(&mut self, msg: String) {
        if let Some(f) = self.form_mut() {
            f.error = Some(msg);
        }
    }

    /// A refusal of one field: said, and the cursor put there.
    pub(in crate::app) fn form_error_at(&mut self, msg: String, field: FormField) {
        if let Some(f) = self.form_mut() {
            f.focus(field);
            f.error = Some(msg);
        }
    }

    // ---- the register ----------------------------------------------------
}

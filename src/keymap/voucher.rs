//! Voucher keys: the issue form, the issued notice and the register.

use ratatui::crossterm::event::KeyCode;

use super::command;
use crate::app::{Action, App, Dialog, FormField, VoucherAction as V, VoucherForm};
use crate::keys::{self, Cmd, NO_KEYS, YES_KEYS};

fn v(a: V) -> Option<Action> {
    Some(Action::Voucher(a))
}

/// Keys of the issue form: the product by one digit, then typing; the
/// form's own keys (`d`, `*`, `?`) are characters its fields do not take.
pub fn form(app: &App, f: &VoucherForm, code: KeyCode) -> Option<Action> {
    if let Some(input) = f.input(f.field)
        && let Some(a) = super::field_key(input, code)
    {
        return Some(a);
    }
    match command(keys::VOUCHER_FORM, code) {
        Some(Cmd::Product) => {
            let n = app.voucher_config()?.active_products().count();
            let KeyCode::Char(c) = code else { return None };
            let i = c.to_digit(10)? as usize;
            if f.field == FormField::Product && (1..=n).contains(&i) {
                v(V::Product(i - 1))
            } else {
                super::refused(code)
            }
        }
        Some(Cmd::CheckIdentity) => v(V::CheckIdentity),
        Some(Cmd::ShowName) => v(V::ShowName),
        Some(Cmd::Save) => v(V::Submit),
        Some(Cmd::Field) => match code {
            KeyCode::BackTab | KeyCode::Up => v(V::PrevField),
            _ => v(V::NextField),
        },
        Some(Cmd::Help) => Some(Action::ShowHelp),
        Some(Cmd::Back) => v(V::Cancel),
        _ => match code {
            KeyCode::Backspace | KeyCode::Delete if f.field == FormField::Product => {
                v(V::ClearProduct)
            }
            _ if f.field == FormField::Product => None,
            code => super::refused(code),
        },
    }
}

/// The notice of an issued voucher: `p` prints, any other key closes; in
/// the screen-reader mode Space says it again instead.
pub fn notice(app: &App, code: KeyCode) -> Option<Action> {
    match code {
        KeyCode::Char('p') => v(V::PrintNotice),
        KeyCode::Char(' ') if app.reader => Some(Action::ReadBack),
        _ => v(V::CloseNotice),
    }
}

/// The register, and the dialog or the season summary open over it.
pub fn register(app: &App, code: KeyCode) -> Option<Action> {
    let r = app.duty.as_ref()?.vouchers.register.as_ref()?;
    if r.summary.is_some() {
        return match command(keys::SUMMARY, code)? {
            Cmd::Back => v(V::Summary),
            cmd => super::common(cmd),
        };
    }
    if let Some(dialog) = &r.dialog {
        if let Dialog::ConfirmCopy { .. } = dialog {
            return match code {
                KeyCode::Char(c) if YES_KEYS.contains(&c.to_ascii_lowercase()) => {
                    v(V::Answer(true))
                }
                KeyCode::Char(c) if NO_KEYS.contains(&c.to_ascii_lowercase()) => {
                    v(V::Answer(false))
                }
                KeyCode::Esc => v(V::Cancel),
                _ => None,
            };
        }
        if let Some(input) = dialog.input()
            && let Some(a) = super::field_key(input, code)
        {
            return Some(a);
        }
        return match command(keys::DIALOG, code) {
            Some(Cmd::Save) => v(V::Submit),
            Some(Cmd::Field) => match code {
                KeyCode::BackTab | KeyCode::Up => v(V::PrevField),
                _ => v(V::NextField),
            },
            Some(Cmd::Back) => v(V::Cancel),
            _ => super::refused(code),
        };
    }
    if r.searching {
        return super::prompt(
            &r.search,
            code,
            Action::Voucher(V::SearchDone),
            Action::Voucher(V::SearchCancel),
        );
    }
    let back = matches!(code, KeyCode::Up | KeyCode::Left);
    match command(keys::REGISTER, code)? {
        Cmd::Select if back => v(V::Up),
        Cmd::Select => v(V::Down),
        Cmd::StepSeason => v(V::Season(if back { -1 } else { 1 })),
        Cmd::MarkUsed => v(V::StartUse),
        Cmd::CancelVoucher => v(V::StartCancel),
        Cmd::Print => v(V::StartPrint),
        Cmd::PrintToPrinter => v(V::StartPrinter),
        Cmd::Filter => v(V::Filter),
        Cmd::Search => v(V::Search),
        Cmd::Summary => v(V::Summary),
        Cmd::Back => v(V::Close),
        cmd => super::common(cmd),
    }
}

//! Voucher keys: the issue form, the issued notice and the register.

use ratatui::crossterm::event::KeyCode;

use super::command;
use crate::app::{Action, App, FormField, VoucherAction as V, VoucherForm};
use crate::keys::{self, Cmd};

fn v(a: V) -> Option<Action> {
    Some(Action::Voucher(a))
}

/// Keys of the issue form: the product by one digit, then typing.
pub fn form(app: &App, f: &VoucherForm, code: KeyCode) -> Option<Action> {
    match code {
        KeyCode::Esc => v(V::Cancel),
        KeyCode::Enter => v(V::Submit),
        KeyCode::Tab | KeyCode::Down => v(V::NextField),
        KeyCode::BackTab | KeyCode::Up => v(V::PrevField),
        KeyCode::Backspace => v(V::Backspace),
        KeyCode::Char(c) => match f.field {
            FormField::Product => {
                let n = app.voucher_config()?.active_products().count();
                let i = c.to_digit(10)? as usize;
                if (1..=n).contains(&i) {
                    v(V::Product(i - 1))
                } else if c == 'd' {
                    v(V::CheckIdentity)
                } else {
                    None
                }
            }
            FormField::BirthYear if c == 'd' => v(V::CheckIdentity),
            FormField::BirthYear => c.is_ascii_digit().then_some(Action::Voucher(V::Char(c))),
            FormField::Name | FormField::BirthDate => v(V::Char(c)),
        },
        _ => None,
    }
}

/// The notice of an issued voucher: `p` prints, any other key closes.
pub fn notice(code: KeyCode) -> Option<Action> {
    match code {
        KeyCode::Char('p') => v(V::PrintNotice),
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
    if r.dialog.is_some() {
        return match code {
            KeyCode::Esc => v(V::Cancel),
            KeyCode::Enter => v(V::Submit),
            KeyCode::Tab | KeyCode::Down => v(V::NextField),
            KeyCode::BackTab | KeyCode::Up => v(V::PrevField),
            KeyCode::Backspace => v(V::Backspace),
            KeyCode::Char(c) => v(V::Char(c)),
            _ => None,
        };
    }
    if r.searching {
        return match code {
            KeyCode::Enter => v(V::SearchDone),
            KeyCode::Esc => v(V::SearchCancel),
            KeyCode::Backspace => v(V::SearchBackspace),
            KeyCode::Char(c) => v(V::SearchChar(c)),
            _ => None,
        };
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

//! Voucher keys: the issue form, the issued notice and the register.

use ratatui::crossterm::event::KeyCode;

use crate::app::{Action, App, FormField, VoucherAction as V, VoucherForm};

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

/// The register, and the dialog open over it.
pub fn register(app: &App, code: KeyCode) -> Option<Action> {
    let r = app.duty.as_ref()?.vouchers.register.as_ref()?;
    if r.summary.is_some() {
        return v(V::Summary);
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
    match code {
        KeyCode::Up => v(V::Up),
        KeyCode::Down => v(V::Down),
        KeyCode::Left => v(V::Season(-1)),
        KeyCode::Right => v(V::Season(1)),
        KeyCode::Char('k') => v(V::StartUse),
        KeyCode::Char('x') => v(V::StartCancel),
        KeyCode::Char('p') => v(V::StartPrint),
        KeyCode::Char('f') => v(V::Filter),
        KeyCode::Char('s') => v(V::Summary),
        KeyCode::Esc | KeyCode::Char('m') => v(V::Close),
        KeyCode::Char('q') => Some(Action::Quit),
        _ => None,
    }
}

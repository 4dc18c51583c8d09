//! Keys to actions, pure: which key means what depends only on the view,
//! the open window and the profile's field hotkeys.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::app::{
    Action, App, DIGIT_TOPICS, Focus, Modal, PICKER_KEYS, PickerKind, View, VoucherAction,
};
use crate::i18n::{NO_KEYS, YES_KEYS};

mod voucher;

/// The action a key asks for in the app's current state, if any.
pub fn map(app: &App, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, KeyCode::Char('c') | KeyCode::Char('q')) {
        return Some(Action::Quit);
    }
    if ctrl || key.modifiers.contains(KeyModifiers::ALT) {
        return None;
    }
    match app.view {
        View::Chooser => chooser(app, key.code),
        View::Help => match key.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('?') => Some(Action::Back),
            KeyCode::Char('q') => Some(Action::Quit),
            _ => None,
        },
        View::Tally => match key.code {
            KeyCode::Esc | KeyCode::Char('t') => Some(Action::Back),
            KeyCode::Char('r') => Some(Action::ShowReport),
            KeyCode::Char('?') => Some(Action::ShowHelp),
            KeyCode::Char('q') => Some(Action::Quit),
            _ => None,
        },
        View::Report => report(app, key.code),
        View::Duty => duty(app, key.code),
        View::Vouchers => voucher::register(app, key.code),
    }
}

fn report(app: &App, code: KeyCode) -> Option<Action> {
    use crate::app::ReportAction as R;
    use crate::report::period::PeriodKind;
    let typing = app
        .duty
        .as_ref()
        .and_then(|d| d.report.as_ref())
        .is_some_and(|r| r.input.is_some());
    if typing {
        return Some(Action::Report(match code {
            KeyCode::Enter => R::Commit,
            KeyCode::Esc => R::Cancel,
            KeyCode::Backspace => R::Backspace,
            KeyCode::Char(c) => R::Char(c),
            _ => return None,
        }));
    }
    let kind = |k| Some(Action::Report(R::Choose(k)));
    match code {
        KeyCode::Char('w') => kind(PeriodKind::Week),
        KeyCode::Char('m') => kind(PeriodKind::Month),
        KeyCode::Char('s') => kind(PeriodKind::Season),
        KeyCode::Char('y') => kind(PeriodKind::Year),
        KeyCode::Char('c') => Some(Action::Report(R::Custom)),
        KeyCode::Left => Some(Action::Report(R::Step(-1))),
        KeyCode::Right => Some(Action::Report(R::Step(1))),
        KeyCode::Esc | KeyCode::Char('r') => Some(Action::Back),
        KeyCode::Char('q') => Some(Action::Quit),
        _ => None,
    }
}

fn chooser(app: &App, code: KeyCode) -> Option<Action> {
    match code {
        KeyCode::Char('q') | KeyCode::Esc => Some(Action::Quit),
        KeyCode::Char(c) => {
            let i = c.to_digit(10)? as usize;
            (1..=app.config.profiles.len())
                .contains(&i)
                .then(|| Action::ChooseProfile(i - 1))
        }
        _ => None,
    }
}

fn duty(app: &App, code: KeyCode) -> Option<Action> {
    let d = app.duty.as_ref()?;
    match &d.modal {
        Some(Modal::Picker(kind)) => return picker(app, *kind, code),
        Some(Modal::Voucher(form)) => return voucher::form(app, form, code),
        Some(Modal::VoucherIssued(_)) => return voucher::notice(code),
        Some(Modal::Note(_)) => {
            return match code {
                KeyCode::Enter => Some(Action::NoteCommit),
                KeyCode::Esc => Some(Action::NoteCancel),
                KeyCode::Backspace => Some(Action::NoteBackspace),
                KeyCode::Char(c) => Some(Action::NoteChar(c)),
                _ => None,
            };
        }
        Some(Modal::Confirm(_)) => {
            return match code {
                KeyCode::Char(c) if YES_KEYS.contains(&c.to_ascii_lowercase()) => {
                    Some(Action::Answer(true))
                }
                KeyCode::Char(c) if NO_KEYS.contains(&c.to_ascii_lowercase()) => {
                    Some(Action::Answer(false))
                }
                KeyCode::Esc => Some(Action::Answer(false)),
                _ => None,
            };
        }
        None => {}
    }
    if d.focus == Focus::List {
        match code {
            KeyCode::Enter | KeyCode::Char('e') => return Some(Action::EditSelected),
            KeyCode::Char('x') | KeyCode::Delete => return Some(Action::DeleteSelected),
            _ => {}
        }
    }
    match code {
        KeyCode::Char(c @ '1'..='9') => {
            let i = c as usize - '1' as usize;
            (i < d.profile.active_topics().count()).then_some(Action::ToggleTopic(i))
        }
        KeyCode::Char('0') => (d.profile.active_topics().count() > DIGIT_TOPICS)
            .then_some(Action::Open(PickerKind::MoreTopics)),
        KeyCode::Enter => Some(Action::Save),
        KeyCode::Char('u') => Some(Action::Undo),
        KeyCode::Char('o') => Some(Action::Open(PickerKind::Referral)),
        KeyCode::Char('n') => Some(Action::EditNote),
        KeyCode::Char('p') => Some(Action::Open(PickerKind::Location)),
        KeyCode::Char('s') => Some(Action::NewSession),
        KeyCode::Char('t') => Some(Action::ShowTally),
        KeyCode::Char('r') => Some(Action::ShowReport),
        KeyCode::Char('v') => Some(Action::Voucher(VoucherAction::Open)),
        KeyCode::Char('m') => Some(Action::Voucher(VoucherAction::Register)),
        KeyCode::Char('?') => Some(Action::ShowHelp),
        KeyCode::Char('q') => Some(Action::Quit),
        KeyCode::Tab | KeyCode::BackTab => Some(Action::ToggleFocus),
        KeyCode::Up => Some(Action::Up),
        KeyCode::Down => Some(Action::Down),
        KeyCode::Esc => Some(Action::Back),
        KeyCode::Char(c) => d
            .profile
            .fields
            .iter()
            .position(|f| f.hotkey == c)
            .map(|i| Action::Open(PickerKind::Field(i))),
        _ => None,
    }
}

fn picker(app: &App, kind: PickerKind, code: KeyCode) -> Option<Action> {
    let clearable = matches!(kind, PickerKind::Referral | PickerKind::Field(_));
    match code {
        KeyCode::Esc | KeyCode::Enter => Some(Action::ClosePicker),
        KeyCode::Char('-') | KeyCode::Backspace | KeyCode::Delete if clearable => {
            Some(Action::ClearPick)
        }
        KeyCode::Char(c) => {
            let i = PICKER_KEYS.find(c.to_ascii_lowercase())?;
            (i < app.picker_items(kind).len()).then_some(Action::Pick(i))
        }
        _ => None,
    }
}

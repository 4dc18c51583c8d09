//! Keys of the events screen: the list, and the small form when one is open
//! (then every character is typed into its field).

use ratatui::crossterm::event::KeyCode;

use crate::app::{Action, App, Choice, EventsAction as E};
use crate::keys::{self, Cmd, NO_KEYS, YES_KEYS};

pub fn screen(app: &App, code: KeyCode) -> Option<Action> {
    let state = app.duty.as_ref()?.events.as_ref()?;
    let a = if state.confirm.is_some() {
        match code {
            KeyCode::Char(c) if YES_KEYS.contains(&c.to_ascii_lowercase()) => E::Answer(true),
            KeyCode::Char(c) if NO_KEYS.contains(&c.to_ascii_lowercase()) => E::Answer(false),
            KeyCode::Esc => E::Answer(false),
            KeyCode::Char(' ') => return Some(Action::ReadBack),
            _ => return None,
        }
    } else if let Some(form) = &state.form {
        if let Some(input) = form.input()
            && let Some(a) = super::field_key(input, code)
        {
            return Some(a);
        }
        let back = matches!(code, KeyCode::BackTab | KeyCode::Up | KeyCode::Left);
        match (super::command(keys::EVENT_FORM, code), form.choice()) {
            (Some(Cmd::Save), _) => E::Next,
            (Some(Cmd::Field), _) => E::Field(if back { -1 } else { 1 }),
            (Some(Cmd::Back), _) => E::Cancel,
            (Some(Cmd::Choose), Some(_)) => match code {
                KeyCode::Char(c) => E::Choose(c.to_digit(10)? as usize - 1),
                _ => E::StepChoice(if back { -1 } else { 1 }),
            },
            (_, Some(choice)) => match code {
                KeyCode::Char(' ') => E::StepChoice(1),
                // A yes/no list takes the answer keys; another list the
                // first letter of a choice.
                KeyCode::Char(c) => E::Choose(letter(choice, c)?),
                _ => return None,
            },
            (_, None) => return super::refused(code),
        }
    } else {
        // The list's keys, from the key table.
        let back = matches!(code, KeyCode::Up | KeyCode::Left);
        match super::command(keys::EVENTS, code)? {
            Cmd::SelectEvent if back => E::Up,
            Cmd::SelectEvent => E::Down,
            Cmd::StepYear => E::Year(if back { -1 } else { 1 }),
            Cmd::NewEvent => E::NewEvent,
            Cmd::EditEvent => E::EditEvent,
            Cmd::NewGroup => E::NewGroup,
            Cmd::NewMeeting => E::NewMeeting,
            Cmd::NewFeedback => E::NewFeedback,
            Cmd::Delete => E::Delete,
            Cmd::Back => E::Cancel,
            cmd => return super::common(cmd),
        }
    };
    Some(Action::Events(a))
}

/// The choice that `c` names: yes or no by the answer keys on a yes/no
/// list, else the next one (after the chosen) whose label starts with `c`.
fn letter(choice: &Choice, c: char) -> Option<usize> {
    let c = c.to_lowercase().next()?;
    let yes_no = choice
        .options
        .iter()
        .map(|o| o.0.as_str())
        .eq(["no", "yes"]);
    if yes_no {
        return if YES_KEYS.contains(&c) {
            Some(1)
        } else if NO_KEYS.contains(&c) {
            Some(0)
        } else {
            None
        };
    }
    let n = choice.options.len();
    (1..=n)
        .map(|k| (choice.at + k) % n)
        .find(|&i| choice.options[i].1.to_lowercase().starts_with(c))
}

//! Keys of the events screen: the list, and the small form when one is open
//! (then every character is typed into its field).

use ratatui::crossterm::event::KeyCode;

use crate::app::{Action, App, EventsAction as E};
use crate::keys::{self, Cmd, NO_KEYS, YES_KEYS};

pub fn screen(app: &App, code: KeyCode) -> Option<Action> {
    let state = app.duty.as_ref()?.events.as_ref()?;
    let a = if state.confirm.is_some() {
        match code {
            KeyCode::Char(c) if YES_KEYS.contains(&c.to_ascii_lowercase()) => E::Answer(true),
            KeyCode::Char(c) if NO_KEYS.contains(&c.to_ascii_lowercase()) => E::Answer(false),
            KeyCode::Esc => E::Answer(false),
            _ => return None,
        }
    } else if state.form.is_some() {
        match code {
            KeyCode::Enter | KeyCode::Tab => E::Next,
            KeyCode::Esc => E::Cancel,
            KeyCode::Backspace => E::Backspace,
            KeyCode::Char(c) => E::Char(c),
            _ => return None,
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

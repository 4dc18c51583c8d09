//! Keys of the events screen: the list, and the small form when one is open
//! (then every character is typed into its field).

use ratatui::crossterm::event::KeyCode;

use crate::app::{Action, App, EventsAction as E};
use crate::keys::{NO_KEYS, YES_KEYS};

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
        match code {
            KeyCode::Up => E::Up,
            KeyCode::Down => E::Down,
            KeyCode::Left => E::Year(-1),
            KeyCode::Right => E::Year(1),
            KeyCode::Char('a') => E::NewEvent,
            KeyCode::Char('y') => E::NewGroup,
            KeyCode::Char('k') => E::NewMeeting,
            KeyCode::Char('p') => E::NewFeedback,
            KeyCode::Char('x') | KeyCode::Delete => E::Delete,
            KeyCode::Esc | KeyCode::Char('g') => E::Cancel,
            KeyCode::Char('q') => return Some(Action::Quit),
            _ => return None,
        }
    };
    Some(Action::Events(a))
}

//! Keys to actions, pure: which key means what depends only on the view,
//! the open window and the profile's field hotkeys.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::app::{Action, App, DIGIT_TOPICS, Duty, Focus, Modal, PickerKind, View, VoucherAction};
use crate::keys::{self, Cmd, Key, NO_KEYS, PICKER_KEYS, YES_KEYS};
use crate::text::input::{Edit, TextInput};

mod events;
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
    // Nothing the user cannot see happens: a key typed into a window too
    // small for the screen only quits.
    if app.too_small() {
        return (key.code == KeyCode::Char('q')).then_some(Action::Quit);
    }
    match app.view {
        View::Chooser => chooser(app, key.code),
        View::Help => match command(keys::HELP, key.code)? {
            Cmd::Quit => Some(Action::Quit),
            Cmd::ReadBack => Some(Action::ReadBack),
            _ => Some(Action::Back),
        },
        View::Tally => match command(keys::TALLY, key.code)? {
            Cmd::Report => Some(Action::ShowReport),
            Cmd::StepDay => Some(Action::TallyDay(if key.code == KeyCode::Left {
                -1
            } else {
                1
            })),
            Cmd::ScrollPanel => Some(Action::TallyScroll(
                if key.code == KeyCode::Up { -1 } else { 1 },
                0,
            )),
            Cmd::PagePanel => Some(Action::TallyScroll(
                0,
                if key.code == KeyCode::PageUp { -1 } else { 1 },
            )),
            cmd => common(cmd),
        },
        View::Report => report(app, key.code),
        View::Duty => duty(app, key.code),
        View::Vouchers => voucher::register(app, key.code),
        View::Events => events::screen(app, key.code),
    }
}

/// The command of a terminal key in one view's key table.
fn command(table: &[keys::KeyDef], code: KeyCode) -> Option<Cmd> {
    keys::command(table, key_of(code)?)
}

/// What the keys every view shares do: back, help, quit.
fn common(cmd: Cmd) -> Option<Action> {
    match cmd {
        Cmd::Back => Some(Action::Back),
        Cmd::Help => Some(Action::ShowHelp),
        Cmd::Quit => Some(Action::Quit),
        Cmd::ReadBack => Some(Action::ReadBack),
        _ => None,
    }
}

fn report(app: &App, code: KeyCode) -> Option<Action> {
    use crate::app::ReportAction as R;
    use crate::report::period::PeriodKind;
    if let Some(input) = app
        .duty
        .as_ref()
        .and_then(|d| d.report.as_ref())
        .and_then(|r| r.input.as_ref())
    {
        let commit = Action::Report(R::Commit);
        return prompt(input, code, commit, Action::Report(R::Cancel));
    }
    let kind = |k| Some(Action::Report(R::Choose(k)));
    match command(keys::REPORT, code)? {
        Cmd::Week => kind(PeriodKind::Week),
        Cmd::Month => kind(PeriodKind::Month),
        Cmd::SeasonPeriod => kind(PeriodKind::Season),
        Cmd::Year => kind(PeriodKind::Year),
        Cmd::CustomPeriod => Some(Action::Report(R::Custom)),
        Cmd::StepPeriod => Some(Action::Report(R::Step(if code == KeyCode::Left {
            -1
        } else {
            1
        }))),
        Cmd::NextPanel => Some(Action::Report(R::NextPanel(if code == KeyCode::BackTab {
            -1
        } else {
            1
        }))),
        Cmd::ScrollPanel => Some(Action::Report(R::Scroll(if code == KeyCode::Up {
            -1
        } else {
            1
        }))),
        Cmd::PagePanel => Some(Action::Report(R::Page(if code == KeyCode::PageUp {
            -1
        } else {
            1
        }))),
        cmd => common(cmd),
    }
}

fn chooser(app: &App, code: KeyCode) -> Option<Action> {
    match code {
        // Esc after `P` goes back to the profile that was open.
        KeyCode::Esc => Some(match app.switched_from {
            Some(i) => Action::ChooseProfile(i),
            None => Action::Quit,
        }),
        KeyCode::Char(c) => match keys::command(keys::CHOOSER, Key::Char(c))? {
            Cmd::Quit => Some(Action::Quit),
            Cmd::Language => Some(Action::SwitchLanguage),
            Cmd::ScreenReader => Some(Action::ScreenReader),
            Cmd::ReadBack => Some(Action::ReadBack),
            // A number with no profile says so (ChooseProfile checks).
            Cmd::Profile => Some(Action::ChooseProfile(c.to_digit(10)? as usize - 1)),
            _ => None,
        },
        _ => None,
    }
}

fn duty(app: &App, code: KeyCode) -> Option<Action> {
    let d = app.duty.as_ref()?;
    match &d.modal {
        Some(Modal::Picker(kind)) => return picker(app, *kind, code),
        Some(Modal::Voucher(form)) => return voucher::form(app, form, code),
        Some(Modal::VoucherIssued(_)) => return voucher::notice(app, code),
        Some(Modal::Note(input)) => {
            return prompt(input, code, Action::NoteCommit, Action::NoteCancel);
        }
        Some(Modal::Time(input)) => {
            return prompt(input, code, Action::TimeCommit, Action::ClosePicker);
        }
        Some(Modal::HeadCount(input)) => {
            return prompt(input, code, Action::HeadCountCommit, Action::ClosePicker);
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
                KeyCode::Char(' ') => Some(Action::ReadBack),
                _ => None,
            };
        }
        None => {}
    }
    let key = key_of(code)?;
    let in_list = d.focus == Focus::List;
    let cmd = in_list
        .then(|| keys::command(keys::LIST, key))
        .flatten()
        .or_else(|| keys::command(keys::DUTY, key));
    match (cmd, key) {
        (Some(cmd), _) => duty_action(d, cmd, key, in_list),
        (None, Key::Char(c)) => Some(
            d.profile
                .fields
                .iter()
                .position(|f| f.hotkey == c)
                .map_or(Action::UnknownKey(c), |i| {
                    Action::Open(PickerKind::Field(i))
                }),
        ),
        (None, _) => None,
    }
}

/// What a duty-screen command does with the key that asked for it.
fn duty_action(d: &Duty, cmd: Cmd, key: Key, in_list: bool) -> Option<Action> {
    let topics = d.profile.active_topics().count();
    Some(match cmd {
        Cmd::Topic => {
            let Key::Char(c) = key else { return None };
            let i = c.to_digit(10)?.checked_sub(1)? as usize;
            return (i < topics).then_some(Action::ToggleTopic(i));
        }
        Cmd::MoreTopics => {
            return (topics > DIGIT_TOPICS).then_some(Action::Open(PickerKind::MoreTopics));
        }
        Cmd::Save => Action::Save,
        Cmd::HeadCount => Action::HeadCount,
        Cmd::Events => Action::Events(crate::app::EventsAction::Open),
        Cmd::Referral => Action::Open(PickerKind::Referral),
        Cmd::Note => Action::EditNote,
        Cmd::Undo => Action::Undo,
        Cmd::List => match key {
            Key::Up => Action::Up,
            Key::Down => Action::Down,
            _ => Action::ToggleFocus,
        },
        Cmd::Edit if in_list => Action::EditSelected,
        Cmd::Delete if in_list => Action::DeleteSelected,
        // They act on the visit selected in the list.
        Cmd::Edit | Cmd::Delete => return None,
        Cmd::Place => Action::Open(PickerKind::Location),
        Cmd::NewSession => Action::NewSession,
        Cmd::CancelDay => Action::CancelDay,
        Cmd::Tally => Action::ShowTally,
        Cmd::Report => Action::ShowReport,
        Cmd::Voucher => Action::Voucher(VoucherAction::Open),
        Cmd::Register => Action::Voucher(VoucherAction::Register),
        Cmd::SwitchProfile => Action::SwitchProfile,
        // Only a visit being edited has a time to change.
        Cmd::EditTime if d.editing.is_some() => Action::EditTime,
        Cmd::EditTime => return None,
        Cmd::Help => Action::ShowHelp,
        Cmd::Back => match key {
            Key::Tab | Key::BackTab => Action::ToggleFocus,
            _ => Action::Back,
        },
        Cmd::Quit => Action::Quit,
        Cmd::ReadBack => Action::ReadBack,
        // Other views' commands: not in the duty tables.
        Cmd::Week
        | Cmd::Month
        | Cmd::SeasonPeriod
        | Cmd::Year
        | Cmd::CustomPeriod
        | Cmd::StepPeriod
        | Cmd::NextPanel
        | Cmd::ScrollPanel
        | Cmd::PagePanel
        | Cmd::Select
        | Cmd::MarkUsed
        | Cmd::CancelVoucher
        | Cmd::Print
        | Cmd::PrintToPrinter
        | Cmd::Filter
        | Cmd::Summary
        | Cmd::StepSeason
        | Cmd::Search
        | Cmd::SelectEvent
        | Cmd::NewEvent
        | Cmd::EditEvent
        | Cmd::NewGroup
        | Cmd::NewMeeting
        | Cmd::NewFeedback
        | Cmd::StepYear
        | Cmd::StepDay
        | Cmd::Cursor
        | Cmd::Erase
        | Cmd::Field
        | Cmd::Choose
        | Cmd::Product
        | Cmd::CheckIdentity
        | Cmd::ShowName
        | Cmd::Profile
        | Cmd::Language
        | Cmd::ScreenReader => return None,
    })
}

/// A text field's key: a character it takes is typed, and the editing
/// keys of `keys::FIELD` move and erase. Other keys are the form's.
fn field_key(input: &TextInput, code: KeyCode) -> Option<Action> {
    let edit = match code {
        KeyCode::Char(c) if input.takes(c) => Edit::Insert(c),
        KeyCode::Char(_) => return None,
        code => match command(keys::FIELD, code)? {
            Cmd::Cursor => match code {
                KeyCode::Left => Edit::Left,
                KeyCode::Right => Edit::Right,
                KeyCode::Home => Edit::Home,
                _ => Edit::End,
            },
            Cmd::Erase if code == KeyCode::Backspace => Edit::Backspace,
            Cmd::Erase => Edit::Delete,
            _ => return None,
        },
    };
    Some(Action::Edit(edit))
}

/// A character the field does not take, and no key of its form: given to
/// the field anyway, which says what it takes.
fn refused(code: KeyCode) -> Option<Action> {
    match code {
        KeyCode::Char(c) => Some(Action::Edit(Edit::Insert(c))),
        _ => None,
    }
}

/// A window with one text field (the note, a time, a count, a search, a
/// period): Enter commits, Esc cancels, the rest edits.
fn prompt(input: &TextInput, code: KeyCode, commit: Action, cancel: Action) -> Option<Action> {
    match code {
        KeyCode::Enter => Some(commit),
        KeyCode::Esc => Some(cancel),
        code => field_key(input, code).or_else(|| refused(code)),
    }
}

/// A terminal key as the key tables name it.
pub(crate) fn key_of(code: KeyCode) -> Option<Key> {
    Some(match code {
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Tab => Key::Tab,
        KeyCode::BackTab => Key::BackTab,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::Delete => Key::Delete,
        KeyCode::Backspace => Key::Backspace,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        _ => return None,
    })
}

fn picker(app: &App, kind: PickerKind, code: KeyCode) -> Option<Action> {
    let clearable = matches!(kind, PickerKind::Referral | PickerKind::Field(_));
    match code {
        KeyCode::Esc | KeyCode::Enter => Some(Action::ClosePicker),
        KeyCode::Char(' ') => Some(Action::ReadBack),
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

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyEvent;

    use super::*;

    use crate::keys::{Bar, DUTY, KeyDef};

    use crate::store::Store;

    fn app(profile: &str) -> App {
        let now = chrono::NaiveDate::from_ymd_opt(2023, 11, 14)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let store = Store::open_in_memory().unwrap();
        App::opening(store, now).profile(profile).open().unwrap()
    }

    /// Every key a keyboard can send, near enough.
    fn every_code() -> Vec<KeyCode> {
        let mut codes: Vec<KeyCode> = (' '..='~')
            .chain("äöåÄÖÅ€§".chars())
            .map(KeyCode::Char)
            .collect();
        codes.extend([
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::Delete,
            KeyCode::Backspace,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Insert,
        ]);
        codes.extend((1..=12).map(KeyCode::F));
        codes
    }

    fn code(k: &Key) -> KeyCode {
        match *k {
            Key::Char(c) => KeyCode::Char(c),
            Key::Enter => KeyCode::Enter,
            Key::Esc => KeyCode::Esc,
            Key::Tab => KeyCode::Tab,
            Key::BackTab => KeyCode::BackTab,
            Key::Up => KeyCode::Up,
            Key::Down => KeyCode::Down,
            Key::Left => KeyCode::Left,
            Key::Right => KeyCode::Right,
            Key::PageUp => KeyCode::PageUp,
            Key::PageDown => KeyCode::PageDown,
            Key::Delete => KeyCode::Delete,
            Key::Backspace => KeyCode::Backspace,
            Key::Home => KeyCode::Home,
            Key::End => KeyCode::End,
        }
    }

    /// The app in each view other than the duty screen, with its bar.
    fn other_views() -> Vec<(Bar, App)> {
        use crate::app::VoucherAction as V;
        let mut tally = with_a_visit_in_the_list("ikaihmiset");
        tally.update(Action::ShowTally);
        let mut report = with_a_visit_in_the_list("ikaihmiset");
        report.update(Action::ShowReport);
        let mut register = with_a_visit_in_the_list("ikaihmiset");
        register.update(Action::Voucher(V::Register));
        let mut summary = with_a_visit_in_the_list("ikaihmiset");
        summary.update(Action::Voucher(V::Register));
        summary.update(Action::Voucher(V::Summary));
        let mut help = with_a_visit_in_the_list("ikaihmiset");
        help.update(Action::ShowHelp);
        let mut events = with_a_visit_in_the_list("perhe");
        events.update(Action::Events(crate::app::EventsAction::Open));
        assert_eq!(events.view, crate::app::View::Events);
        let views = vec![
            (Bar::Tally, tally),
            (Bar::Report, report),
            (Bar::Register, register),
            (Bar::Summary, summary),
            (Bar::Events, events),
            (Bar::Help, help),
        ];
        for (bar, a) in &views {
            assert_eq!(
                crate::ui::bar_of(a.duty.as_ref().unwrap(), a.view),
                *bar,
                "{:?}",
                a.view
            );
        }
        views
    }

    #[test]
    fn every_key_another_view_answers_is_in_its_key_table_and_back() {
        for (bar, a) in other_views() {
            for code in every_code() {
                if acts(&a, code) {
                    assert!(
                        declared(&a, &[bar.table()], code),
                        "{bar:?}: {code:?} acts but is not declared"
                    );
                }
            }
            for d in bar.table() {
                for k in d.keys {
                    assert!(
                        acts(&a, code(k)),
                        "{bar:?} names {k:?} for {:?}, which does nothing",
                        d.cmd
                    );
                }
            }
        }
    }

    #[test]
    fn the_help_opens_from_every_view_and_goes_back_to_it() {
        for (bar, mut a) in other_views() {
            if bar == Bar::Help {
                continue;
            }
            let view = a.view;
            let help = map(&a, KeyEvent::from(KeyCode::Char('?')));
            assert_eq!(help, Some(Action::ShowHelp), "{bar:?}");
            a.update(Action::ShowHelp);
            assert_eq!(a.view, crate::app::View::Help);
            assert_eq!(
                crate::ui::bar_of(a.duty.as_ref().unwrap(), a.behind_help),
                bar
            );
            let esc = map(&a, KeyEvent::from(KeyCode::Esc)).unwrap();
            a.update(esc);
            assert_eq!(a.view, view, "{bar:?}: Esc goes back to the view");
        }
    }

    /// Whether `code` does something (saying a key is unknown is not).
    fn acts(app: &App, code: KeyCode) -> bool {
        map(app, KeyEvent::from(code)).is_some_and(|a| !matches!(a, Action::UnknownKey(_)))
    }

    /// The key of the table that `code` is, and whether a field uses it.
    fn declared(app: &App, tables: &[&[KeyDef]], code: KeyCode) -> bool {
        let field = matches!(code, KeyCode::Char(c)
            if app.duty.as_ref().unwrap().profile.fields.iter().any(|f| f.hotkey == c));
        field
            || key_of(code)
                .is_some_and(|k| tables.iter().any(|t| t.iter().any(|d| d.keys.contains(&k))))
    }

    fn with_a_visit_in_the_list(profile: &str) -> App {
        let mut a = app(profile);
        a.update(Action::ToggleTopic(0));
        a.update(Action::Save);
        assert_eq!(a.duty.as_ref().unwrap().today.len(), 1);
        a
    }

    #[test]
    fn a_letter_with_no_use_says_so_and_changes_nothing_else() {
        let mut a = app("ikaihmiset");
        let before = a.duty.as_ref().unwrap().form.clone();
        let action = map(&a, KeyEvent::from(KeyCode::Char('z'))).unwrap();
        assert_eq!(action, Action::UnknownKey('z'));
        a.update(action);
        let status = a.status.clone().unwrap();
        assert!(!status.error);
        assert_eq!(status.text, a.texts().unknown_key('z'));
        assert_eq!(a.duty.as_ref().unwrap().form, before);
    }

    #[test]
    fn every_key_the_duty_screen_answers_is_in_the_key_table() {
        for profile in ["ikaihmiset", "kotouttaminen"] {
            let form = with_a_visit_in_the_list(profile);
            let mut list = with_a_visit_in_the_list(profile);
            list.update(Action::ToggleFocus);
            assert_eq!(list.duty.as_ref().unwrap().focus, Focus::List);
            for code in every_code() {
                if acts(&form, code) {
                    assert!(
                        declared(&form, &[DUTY], code),
                        "{profile}: {code:?} acts but is not declared"
                    );
                }
                if acts(&list, code) {
                    assert!(
                        declared(&list, &[DUTY, keys::LIST], code),
                        "{profile}: {code:?} acts in the list but is not declared"
                    );
                }
            }
        }
    }

    #[test]
    fn a_window_too_small_takes_no_key_but_quitting() {
        use crate::app::{MIN_HEIGHT, MIN_WIDTH};
        let mut a = app("ikaihmiset");
        a.update(Action::Resize(MIN_WIDTH - 1, MIN_HEIGHT));
        for code in every_code() {
            let want = (code == KeyCode::Char('q')).then_some(Action::Quit);
            assert_eq!(map(&a, KeyEvent::from(code)), want, "{code:?}");
        }
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(map(&a, ctrl_c), Some(Action::Quit));
        a.update(Action::Resize(MIN_WIDTH, MIN_HEIGHT));
        assert_eq!(map(&a, KeyEvent::from(KeyCode::Enter)), Some(Action::Save));
    }

    #[test]
    fn every_key_the_help_and_the_bars_name_works() {
        let form = with_a_visit_in_the_list("ikaihmiset");
        let mut list = with_a_visit_in_the_list("ikaihmiset");
        list.update(Action::ToggleFocus);
        let mut editing = with_a_visit_in_the_list("ikaihmiset");
        editing.update(Action::ToggleFocus);
        editing.update(Action::EditSelected);
        assert!(editing.duty.as_ref().unwrap().editing.is_some());
        // The help: each key works on the form, or (Edit, Delete) in the
        // list, or (EditTime) while editing.
        for d in DUTY {
            for k in d.keys {
                let works = acts(&form, code(k)) || acts(&list, code(k)) || acts(&editing, code(k));
                assert!(
                    works,
                    "help names {:?} for {:?}, which does nothing",
                    k, d.cmd
                );
            }
        }
        for (bar, state) in [
            (Bar::Form, &form),
            (Bar::List, &list),
            (Bar::Editing, &editing),
        ] {
            for d in bar.keys() {
                for k in d.keys {
                    assert!(
                        acts(state, code(k)),
                        "{bar:?} bar names {k:?}, which does nothing there"
                    );
                }
            }
        }
    }
}

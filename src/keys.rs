//! The duty screen's keys, declared once: `keymap` matches on these tables,
//! the help window lists them, the key bars are built from them, and the
//! config refuses a field hotkey that one of them already uses. Words for
//! each key are in `i18n` (`Texts::key_help`, `Texts::key_hint`).

/// A confirmation question's answer keys: yes (`k`yllä, `y`es, `j`a) and no
/// (`e`i, `n`o). Both languages' keys work in either language.
pub const YES_KEYS: &[char] = &['k', 'y', 'j'];
pub const NO_KEYS: &[char] = &['e', 'n'];

/// A key as the tables name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Up,
    Down,
    Delete,
}

/// What a key of the duty screen does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cmd {
    /// Tick or untick the topic of that digit.
    Topic,
    MoreTopics,
    Save,
    /// A head-count: N visitors at once, without topics.
    HeadCount,
    Referral,
    Note,
    Undo,
    /// Tab moves to today's list; ↑↓ move in it.
    List,
    Edit,
    Delete,
    Place,
    NewSession,
    /// Mark today's scheduled duty as not held.
    CancelDay,
    Tally,
    Report,
    Voucher,
    Register,
    /// The year's events and groups (a profile with events on).
    Events,
    Help,
    Back,
    Quit,
}

/// One line of the help: the keys, how they are written, what they do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyDef {
    pub cmd: Cmd,
    /// As the help and the bars write the keys: `1–9`, `Enter`, `↑↓`.
    pub label: &'static str,
    pub keys: &'static [Key],
    /// Shown in the form's key bar.
    pub in_bar: bool,
    /// Works only for a profile that issues vouchers.
    pub vouchers: bool,
    /// Works only for a profile with events and groups on.
    pub events: bool,
}

const fn def(cmd: Cmd, label: &'static str, keys: &'static [Key], in_bar: bool) -> KeyDef {
    KeyDef {
        cmd,
        label,
        keys,
        in_bar,
        vouchers: false,
        events: false,
    }
}

const fn voucher(cmd: Cmd, label: &'static str, keys: &'static [Key]) -> KeyDef {
    KeyDef {
        vouchers: true,
        ..def(cmd, label, keys, false)
    }
}

use Key::Char as C;

/// The duty screen's keys, in the order of the help window. `Edit` and
/// `Delete` act on the visit selected in today's list.
pub const DUTY: &[KeyDef] = &[
    def(
        Cmd::Topic,
        "1–9",
        &[
            C('1'),
            C('2'),
            C('3'),
            C('4'),
            C('5'),
            C('6'),
            C('7'),
            C('8'),
            C('9'),
        ],
        false,
    ),
    def(Cmd::MoreTopics, "0", &[C('0')], false),
    def(Cmd::Save, "Enter", &[Key::Enter], true),
    def(Cmd::HeadCount, "+", &[C('+')], false),
    def(Cmd::Referral, "o", &[C('o')], false),
    def(Cmd::Note, "n", &[C('n')], false),
    def(Cmd::Undo, "u", &[C('u')], true),
    def(
        Cmd::List,
        "Tab",
        &[Key::Tab, Key::BackTab, Key::Up, Key::Down],
        true,
    ),
    def(Cmd::Edit, "e", &[C('e')], false),
    def(Cmd::Delete, "x", &[C('x'), Key::Delete], false),
    def(Cmd::Place, "p", &[C('p')], true),
    def(Cmd::NewSession, "s", &[C('s')], false),
    def(Cmd::CancelDay, "c", &[C('c')], false),
    def(Cmd::Tally, "t", &[C('t')], true),
    def(Cmd::Report, "r", &[C('r')], false),
    voucher(Cmd::Voucher, "v", &[C('v')]),
    voucher(Cmd::Register, "m", &[C('m')]),
    KeyDef {
        events: true,
        ..def(Cmd::Events, "g", &[C('g')], false)
    },
    def(Cmd::Help, "?", &[C('?')], true),
    def(Cmd::Back, "Esc", &[Key::Esc], false),
    def(Cmd::Quit, "q", &[C('q')], true),
];

/// Keys while today's list has the focus, in the order of its key bar;
/// the duty keys above work there too.
pub const LIST: &[KeyDef] = &[
    def(Cmd::List, "↑↓", &[Key::Up, Key::Down], true),
    def(Cmd::Edit, "Enter/e", &[Key::Enter, C('e')], true),
    def(Cmd::Delete, "x", &[C('x'), Key::Delete], true),
    def(
        Cmd::Back,
        "Esc/Tab",
        &[Key::Esc, Key::Tab, Key::BackTab],
        true,
    ),
];

/// Keys while a visit is being edited on the form, in its bar's order.
pub const EDITING: &[KeyDef] = &[
    def(Cmd::Save, "Enter", &[Key::Enter], true),
    def(Cmd::Back, "Esc", &[Key::Esc], true),
];

/// Which key bar: the new-visit form, today's list, or editing a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bar {
    Form,
    List,
    Editing,
}

impl Bar {
    /// The keys the bar names, in order.
    pub fn keys(self) -> impl Iterator<Item = &'static KeyDef> {
        let table = match self {
            Bar::Form => DUTY,
            Bar::List => LIST,
            Bar::Editing => EDITING,
        };
        table.iter().filter(|k| k.in_bar)
    }
}

/// The duty-screen command of `key` on the form (`None`: not a duty key;
/// it may be a field's hotkey). In today's list, `LIST` is asked first.
pub fn command(table: &[KeyDef], key: Key) -> Option<Cmd> {
    table.iter().find(|d| d.keys.contains(&key)).map(|d| d.cmd)
}

/// Every character a duty key uses; a field hotkey must be another one.
pub fn reserved_chars() -> String {
    DUTY.iter()
        .flat_map(|d| d.keys.iter())
        .filter_map(|k| match k {
            Key::Char(c) => Some(*c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_means_two_things_on_the_duty_screen() {
        for (i, a) in DUTY.iter().enumerate() {
            for b in &DUTY[i + 1..] {
                for k in a.keys {
                    assert!(
                        !b.keys.contains(k),
                        "{k:?} is both {:?} and {:?}",
                        a.cmd,
                        b.cmd
                    );
                }
            }
        }
    }

    #[test]
    fn the_reserved_characters_are_the_duty_keys() {
        let r = reserved_chars();
        for c in "0123456789qtrunvopsexmc?+g".chars() {
            assert!(r.contains(c), "{c} is not reserved");
        }
        assert_eq!(r.chars().count(), 26, "{r}");
    }
}

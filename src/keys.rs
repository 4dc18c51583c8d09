//! Every view's keys, declared once: `keymap` matches on these tables,
//! the help window lists the keys of the view it was opened from, the key
//! bars are built from them, and the config refuses a field hotkey that a
//! duty key already uses. Words for each key are in `i18n`
//! (`Texts::key_help`, `Texts::key_hint`).

/// A confirmation question's answer keys: yes (`k`yllä, `y`es, `j`a) and no
/// (`e`i, `n`o). Both languages' keys work in either language.
pub const YES_KEYS: &[char] = &['k', 'y', 'j'];
pub const NO_KEYS: &[char] = &['e', 'n'];

/// Keys that choose an item in a picker, in item order.
pub const PICKER_KEYS: &str = "123456789abcdefghijklmnopqrstuvwxyz";

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
    Left,
    Right,
    PageUp,
    PageDown,
    Delete,
    Backspace,
    Home,
    End,
}

/// What a key does (on the duty screen, unless said otherwise).
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
    /// Open the profile chooser; this profile's session ends as on quit.
    SwitchProfile,
    /// While editing a visit: change its time.
    EditTime,
    Help,
    Back,
    Quit,
    // ---- the report view ----
    /// This week, month, season or year; a period typed in.
    Week,
    Month,
    SeasonPeriod,
    Year,
    CustomPeriod,
    /// The period before or after.
    StepPeriod,
    /// Tab: the next panel; ↑↓ and PgUp PgDn scroll it.
    NextPanel,
    ScrollPanel,
    PagePanel,
    // ---- the voucher register and its season summary ----
    /// ↑↓ choose a voucher.
    Select,
    MarkUsed,
    CancelVoucher,
    Print,
    /// Send the PDF to the default printer as well.
    PrintToPrinter,
    Filter,
    Summary,
    /// ←→ an earlier or later season.
    StepSeason,
    /// `/`: search the register.
    Search,
    // ---- the events screen ----
    /// ↑↓ choose an event or a group.
    SelectEvent,
    NewEvent,
    /// Edit the selected event.
    EditEvent,
    NewGroup,
    NewMeeting,
    NewFeedback,
    /// ←→ an earlier or later year.
    StepYear,
    /// ←→ in the day tally: the day before or after.
    StepDay,
    // ---- every text field, form and dialog ----
    /// ←→ Home End: move in what is typed.
    Cursor,
    /// Backspace, Delete: erase before or under the cursor.
    Erase,
    /// Tab and ↓ the next field, Shift-Tab and ↑ the one before.
    Field,
    /// A field with a list (the kind of event, an estimate or not): a
    /// digit or ←→ chooses.
    Choose,
    // ---- the voucher form ----
    /// 1–9: the product.
    Product,
    /// `d`: to the duplicate check's fields.
    CheckIdentity,
    /// `*`: show or mask the name while it is typed.
    ShowName,
    // ---- the screen-reader mode ----
    /// Space: say the view (the form, the selected visit, the tally, …)
    /// again.
    ReadBack,
    // ---- the profile chooser ----
    /// 1–9: the profile of that number.
    Profile,
    /// `l`: Finnish or English, remembered for every later start.
    Language,
    /// `r`: the screen-reader mode, remembered for every later start.
    ScreenReader,
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
    /// Works only in the screen-reader mode (the help lists it there).
    pub reader: bool,
}

const fn def(cmd: Cmd, label: &'static str, keys: &'static [Key], in_bar: bool) -> KeyDef {
    KeyDef {
        cmd,
        label,
        keys,
        in_bar,
        vouchers: false,
        events: false,
        reader: false,
    }
}

const fn voucher(cmd: Cmd, label: &'static str, keys: &'static [Key]) -> KeyDef {
    KeyDef {
        vouchers: true,
        ..def(cmd, label, keys, false)
    }
}

/// The screen-reader mode's key to say the view again, in every view
/// that is not a text field.
const READ_BACK: KeyDef = KeyDef {
    reader: true,
    ..def(Cmd::ReadBack, "Space", &[Key::Char(' ')], false)
};

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
    def(Cmd::Place, "p", &[C('p')], false),
    def(Cmd::NewSession, "s", &[C('s')], false),
    def(Cmd::CancelDay, "c", &[C('c')], false),
    def(Cmd::Tally, "t", &[C('t')], true),
    def(Cmd::Report, "r", &[C('r')], true),
    voucher(Cmd::Voucher, "v", &[C('v')]),
    voucher(Cmd::Register, "m", &[C('m')]),
    KeyDef {
        events: true,
        ..def(Cmd::Events, "g", &[C('g')], false)
    },
    def(Cmd::SwitchProfile, "P", &[C('P')], false),
    def(Cmd::EditTime, "T", &[C('T')], false),
    READ_BACK,
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
    def(Cmd::EditTime, "T", &[C('T')], true),
    def(Cmd::Back, "Esc", &[Key::Esc], true),
];

/// The day tally's keys.
pub const TALLY: &[KeyDef] = &[
    def(Cmd::Back, "Esc/t", &[Key::Esc, C('t')], true),
    def(Cmd::StepDay, "←→", &[Key::Left, Key::Right], true),
    def(Cmd::ScrollPanel, "↑↓", &[Key::Up, Key::Down], true),
    def(
        Cmd::PagePanel,
        "PgUp/PgDn",
        &[Key::PageUp, Key::PageDown],
        false,
    ),
    def(Cmd::Report, "r", &[C('r')], true),
    READ_BACK,
    def(Cmd::Help, "?", &[C('?')], true),
    def(Cmd::Quit, "q", &[C('q')], true),
];

/// The report view's keys. The period keys are named on the view's own
/// line of periods rather than in the bar.
pub const REPORT: &[KeyDef] = &[
    def(Cmd::Week, "w", &[C('w')], false),
    def(Cmd::Month, "m", &[C('m')], false),
    def(Cmd::SeasonPeriod, "s", &[C('s')], false),
    def(Cmd::Year, "y", &[C('y')], false),
    def(Cmd::CustomPeriod, "c", &[C('c')], false),
    def(Cmd::StepPeriod, "←→", &[Key::Left, Key::Right], true),
    def(Cmd::NextPanel, "Tab", &[Key::Tab, Key::BackTab], true),
    def(Cmd::ScrollPanel, "↑↓", &[Key::Up, Key::Down], true),
    def(
        Cmd::PagePanel,
        "PgUp/PgDn",
        &[Key::PageUp, Key::PageDown],
        false,
    ),
    def(Cmd::Back, "Esc/r", &[Key::Esc, C('r')], true),
    READ_BACK,
    def(Cmd::Help, "?", &[C('?')], true),
    def(Cmd::Quit, "q", &[C('q')], true),
];

/// The period keys of the report view, in the order of its line of periods.
pub const PERIODS: [Cmd; 5] = [
    Cmd::Week,
    Cmd::Month,
    Cmd::SeasonPeriod,
    Cmd::Year,
    Cmd::CustomPeriod,
];

/// The voucher register's keys (a dialog over it takes typing instead).
pub const REGISTER: &[KeyDef] = &[
    def(Cmd::Select, "↑↓", &[Key::Up, Key::Down], false),
    def(Cmd::MarkUsed, "k", &[C('k')], true),
    def(Cmd::CancelVoucher, "x", &[C('x')], true),
    def(Cmd::Print, "p", &[C('p')], true),
    def(Cmd::PrintToPrinter, "P", &[C('P')], true),
    def(Cmd::Filter, "f", &[C('f')], false),
    def(Cmd::Search, "/", &[C('/')], true),
    def(Cmd::Summary, "s", &[C('s')], true),
    def(Cmd::StepSeason, "←→", &[Key::Left, Key::Right], false),
    def(Cmd::Back, "Esc/m", &[Key::Esc, C('m')], true),
    READ_BACK,
    def(Cmd::Help, "?", &[C('?')], true),
    def(Cmd::Quit, "q", &[C('q')], false),
];

/// The season summary's keys, over the register.
pub const SUMMARY: &[KeyDef] = &[
    def(Cmd::Back, "Esc/s", &[Key::Esc, C('s'), Key::Enter], true),
    READ_BACK,
    def(Cmd::Help, "?", &[C('?')], true),
    def(Cmd::Quit, "q", &[C('q')], true),
];

/// The events screen's keys (a form open on it takes typing instead).
pub const EVENTS: &[KeyDef] = &[
    def(Cmd::SelectEvent, "↑↓", &[Key::Up, Key::Down], false),
    def(Cmd::NewEvent, "a", &[C('a')], true),
    def(Cmd::NewGroup, "y", &[C('y')], true),
    def(Cmd::NewMeeting, "k", &[C('k')], true),
    def(Cmd::NewFeedback, "p", &[C('p')], true),
    def(Cmd::EditEvent, "e", &[C('e'), Key::Enter], true),
    def(Cmd::Delete, "x", &[C('x'), Key::Delete], false),
    def(Cmd::StepYear, "←→", &[Key::Left, Key::Right], false),
    // g closes it too, as it opened it; the bar has room for Esc only.
    def(Cmd::Back, "Esc", &[Key::Esc, C('g')], true),
    READ_BACK,
    def(Cmd::Help, "?", &[C('?')], true),
    def(Cmd::Quit, "q", &[C('q')], false),
];

/// The keys of every text field (the note, a time, a count, a form's or a
/// dialog's fields, a search, a period typed in): what the field takes is
/// typed at the cursor, and a pre-filled value, selected when the field is
/// entered, is replaced by typing. Listed in the help of a form.
pub const FIELD: &[KeyDef] = &[
    def(
        Cmd::Cursor,
        "←→ Home End",
        &[Key::Left, Key::Right, Key::Home, Key::End],
        false,
    ),
    def(
        Cmd::Erase,
        "Backspace Del",
        &[Key::Backspace, Key::Delete],
        false,
    ),
];

/// The fields' order keys of every form: Tab and ↓ forward, Shift-Tab and
/// ↑ back.
const FIELD_KEYS: &[Key] = &[Key::Tab, Key::BackTab, Key::Up, Key::Down];

/// A dialog over the register (marking used, cancelling, printing).
pub const DIALOG: &[KeyDef] = &[
    def(Cmd::Save, "Enter", &[Key::Enter], true),
    def(Cmd::Field, "Tab/↑↓", FIELD_KEYS, true),
    def(Cmd::Back, "Esc", &[Key::Esc], true),
];

/// A form of the events screen: Enter goes on to the next field and saves
/// on the last.
pub const EVENT_FORM: &[KeyDef] = &[
    def(Cmd::Save, "Enter", &[Key::Enter], true),
    def(Cmd::Field, "Tab/↑↓", FIELD_KEYS, true),
    def(
        Cmd::Choose,
        "1–9 ←→",
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
            Key::Left,
            Key::Right,
        ],
        false,
    ),
    def(Cmd::Back, "Esc", &[Key::Esc], true),
];

/// The voucher form. No field of it takes `d`, `*` or `?` but the name
/// (which takes `d`), so they are its keys; the bar names those that work
/// in the field the cursor is in.
pub const VOUCHER_FORM: &[KeyDef] = &[
    def(
        Cmd::Product,
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
    def(Cmd::CheckIdentity, "d", &[C('d')], true),
    def(Cmd::ShowName, "*", &[C('*')], true),
    def(Cmd::Save, "Enter", &[Key::Enter], true),
    def(Cmd::Field, "Tab/↑↓", FIELD_KEYS, true),
    def(Cmd::Help, "?", &[C('?')], true),
    def(Cmd::Back, "Esc", &[Key::Esc], true),
];

/// The profile chooser's keys, all named in its footer (it has no help
/// window: nothing is open yet).
pub const CHOOSER: &[KeyDef] = &[
    def(
        Cmd::Profile,
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
        true,
    ),
    def(Cmd::Language, "l", &[C('l')], true),
    def(Cmd::ScreenReader, "r", &[C('r')], true),
    def(Cmd::Back, "Esc", &[Key::Esc], true),
    def(Cmd::Quit, "q", &[C('q')], true),
    READ_BACK,
];

/// The help window's keys.
pub const HELP: &[KeyDef] = &[
    def(Cmd::Back, "Esc/?", &[Key::Esc, C('?'), Key::Enter], true),
    def(Cmd::Quit, "q", &[C('q')], true),
    READ_BACK,
];

/// Which key bar: the new-visit form, today's list, editing a visit, or
/// one of the other views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bar {
    Form,
    List,
    Editing,
    Tally,
    Report,
    Register,
    Summary,
    Events,
    Help,
    /// Forms: keys of the form and its fields, typing the rest.
    VoucherForm,
    Dialog,
    EventForm,
    /// The profile chooser.
    Chooser,
}

impl Bar {
    pub const ALL: [Bar; 13] = [
        Bar::Form,
        Bar::List,
        Bar::Editing,
        Bar::Tally,
        Bar::Report,
        Bar::Register,
        Bar::Summary,
        Bar::Events,
        Bar::Help,
        Bar::VoucherForm,
        Bar::Dialog,
        Bar::EventForm,
        Bar::Chooser,
    ];

    /// A form's bar: its fields take typing, so `q` is a letter there.
    pub fn is_form(self) -> bool {
        matches!(self, Bar::VoucherForm | Bar::Dialog | Bar::EventForm)
    }

    /// The key table behind the bar.
    pub fn table(self) -> &'static [KeyDef] {
        match self {
            Bar::Form => DUTY,
            Bar::List => LIST,
            Bar::Editing => EDITING,
            Bar::Tally => TALLY,
            Bar::Report => REPORT,
            Bar::Register => REGISTER,
            Bar::Summary => SUMMARY,
            Bar::Events => EVENTS,
            Bar::Help => HELP,
            Bar::VoucherForm => VOUCHER_FORM,
            Bar::Dialog => DIALOG,
            Bar::EventForm => EVENT_FORM,
            Bar::Chooser => CHOOSER,
        }
    }

    /// The keys the help window lists for the view of this bar: the whole
    /// duty table for the form, the list and editing alike.
    pub fn help_table(self) -> &'static [KeyDef] {
        match self {
            Bar::Form | Bar::List | Bar::Editing => DUTY,
            other => other.table(),
        }
    }

    /// The keys the bar names, in order.
    pub fn keys(self) -> impl Iterator<Item = &'static KeyDef> {
        self.table().iter().filter(|k| k.in_bar)
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
    fn no_key_means_two_things_in_a_view() {
        for bar in Bar::ALL {
            let table = bar.table();
            for (i, a) in table.iter().enumerate() {
                for b in &table[i + 1..] {
                    for k in a.keys {
                        assert!(
                            !b.keys.contains(k),
                            "{bar:?}: {k:?} is both {:?} and {:?}",
                            a.cmd,
                            b.cmd
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_view_but_help_opens_the_help_and_quits() {
        // The chooser's footer names all its keys: it has no help window.
        for bar in Bar::ALL
            .into_iter()
            .filter(|b| !b.is_form() && *b != Bar::Chooser)
        {
            let table = bar.help_table();
            if bar != Bar::Help {
                assert_eq!(command(table, C('?')), Some(Cmd::Help), "{bar:?}");
            }
            assert_eq!(command(table, C('q')), Some(Cmd::Quit), "{bar:?}");
        }
    }

    #[test]
    fn the_reserved_characters_are_the_duty_keys() {
        let r = reserved_chars();
        for c in "0123456789qtrunvopsexmc?+gPT ".chars() {
            assert!(r.contains(c), "{c} is not reserved");
        }
        assert_eq!(r.chars().count(), 29, "{r}");
    }
}

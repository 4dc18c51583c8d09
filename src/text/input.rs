//! One text field, the one every form, dialog and prompt of the screen
//! types into (gitui's `TextInputComponent` is the model): a value with a
//! cursor, a pre-filled value selected when the field is entered (so typing
//! replaces it), ← → Home End to move, Backspace and Delete, and one limit
//! and one filter per field, given by its [`Spec`]. Pure state: the keymap
//! turns keys into [`Edit`]s, `App` applies them, `ui` draws the field.

/// Which characters a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// One line of text: anything but control characters and direction
    /// overrides (which would not be saved or shown as typed).
    Line,
    /// A person's name: letters, spaces, `-`, `'`, `.` and `,`.
    Name,
    /// Whole numbers.
    Digits,
    /// A time of day: `10.05`, `10:05`.
    Time,
    /// A date: `14.2.1948`, `1948-02-14`.
    Date,
    /// A period in any form `report::grammar` reads: `1.1.2023–30.6.2023`,
    /// `11/2026`, `vko 49/2026`, `2026-W49`, `2023–2024`.
    Period,
    /// A sum of euros: `24,90`, `24.90 €`.
    Money,
}

impl Filter {
    /// `c` as the field takes it from a paste: in free text and a name, any
    /// kind of space (a no-break space, a tab or line end pasted from an
    /// e-mail) is a space, so `Matti\u{a0}Virtanen` stays two
    /// words for the voucher's duplicate check.
    pub fn normal(self, c: char) -> char {
        match self {
            Filter::Line | Filter::Name if c.is_whitespace() || super::is_unsafe(c) => ' ',
            _ => c,
        }
    }

    /// Whether a field with this filter takes `c`.
    pub fn takes(self, c: char) -> bool {
        if super::is_unsafe(c) {
            return false;
        }
        match self {
            Filter::Line => true,
            Filter::Name => c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’' | '.' | ','),
            Filter::Digits => c.is_ascii_digit(),
            Filter::Time => c.is_ascii_digit() || matches!(c, '.' | ':'),
            Filter::Date => c.is_ascii_digit() || matches!(c, '.' | '-'),
            Filter::Period => c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '–' | '/' | ' '),
            Filter::Money => c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '€'),
        }
    }
}

/// A field's rules, declared once where the field is: at most `limit`
/// characters, each one `filter` takes. A `private` field (what the
/// voucher's duplicate check is typed from) never shows in debug output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub limit: usize,
    pub filter: Filter,
    pub private: bool,
}

impl Spec {
    pub const fn new(limit: usize, filter: Filter) -> Spec {
        Spec {
            limit,
            filter,
            private: false,
        }
    }

    pub const fn private(self) -> Spec {
        Spec {
            private: true,
            ..self
        }
    }
}

/// One editing key, as the keymap reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Insert(char),
    /// Erase the character before the cursor (or the selection).
    Backspace,
    /// Erase the character under the cursor (or the selection).
    Delete,
    Left,
    Right,
    Home,
    End,
}

/// What an edit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The value changed.
    Changed,
    /// Only the cursor moved (or nothing happened).
    Moved,
    /// The field does not take that character: the value stays.
    NotTaken(char),
    /// The field is full: it holds `limit` characters.
    Full(usize),
}

/// A text field's value, cursor and selection.
#[derive(PartialEq, Eq)]
pub struct TextInput {
    value: String,
    /// In characters, 0 ..= the value's length.
    cursor: usize,
    /// The whole value is selected: the next character replaces it.
    selected: bool,
    spec: Spec,
}

impl TextInput {
    /// An empty field.
    pub fn new(spec: Spec) -> TextInput {
        // Room for the longest value up front: typing then never moves the
        // text to a bigger buffer, leaving a copy behind (see `Drop`).
        TextInput {
            value: String::with_capacity(spec.limit.saturating_mul(4).min(4096)),
            cursor: 0,
            selected: false,
            spec,
        }
    }

    /// A field pre-filled with `value` (cut to the spec's limit), selected
    /// as if just entered: the first character typed replaces it.
    pub fn filled(spec: Spec, value: &str) -> TextInput {
        let mut input = TextInput::new(spec);
        input.set(value);
        input.enter();
        input
    }

    pub fn spec(&self) -> Spec {
        self.spec
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn is_empty(&self) -> bool {
        self.value.trim().is_empty()
    }

    pub fn chars(&self) -> usize {
        self.value.chars().count()
    }

    /// Where the cursor is, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Whether the whole value is selected (a pre-filled value, just entered).
    pub fn is_selected(&self) -> bool {
        self.selected
    }

    /// Whether the field takes `c` (its filter; room is another matter).
    pub fn takes(&self, c: char) -> bool {
        self.spec.filter.takes(c)
    }

    /// The field gets the focus: a value in it is selected, the cursor at
    /// its end.
    pub fn enter(&mut self) {
        self.cursor = self.chars();
        self.selected = !self.value.is_empty();
    }

    /// Replaces the value from the program (not typed): cut to the limit,
    /// the cursor at the end, nothing selected.
    pub fn set(&mut self, value: &str) {
        self.value.clear();
        self.value.extend(value.chars().take(self.spec.limit));
        self.cursor = self.chars();
        self.selected = false;
    }

    pub fn clear(&mut self) {
        self.set("");
    }

    /// Applies one editing key.
    pub fn apply(&mut self, edit: Edit) -> Outcome {
        let selected = std::mem::take(&mut self.selected);
        let len = self.chars();
        match edit {
            Edit::Insert(c) => {
                // A typed space of another kind (AltGr-space) is a space; a
                // typed control character is refused, never turned into one.
                let c = if super::is_unsafe(c) {
                    c
                } else {
                    self.spec.filter.normal(c)
                };
                if !self.takes(c) {
                    self.selected = selected;
                    return Outcome::NotTaken(c);
                }
                if selected {
                    self.value.clear();
                    self.cursor = 0;
                } else if len >= self.spec.limit {
                    return Outcome::Full(self.spec.limit);
                }
                let at = self.byte_at(self.cursor);
                self.value.insert(at, c);
                self.cursor += 1;
                Outcome::Changed
            }
            Edit::Backspace | Edit::Delete if selected => {
                self.value.clear();
                self.cursor = 0;
                Outcome::Changed
            }
            Edit::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                self.remove_at_cursor();
                Outcome::Changed
            }
            Edit::Delete if self.cursor < len => {
                self.remove_at_cursor();
                Outcome::Changed
            }
            Edit::Backspace | Edit::Delete => Outcome::Moved,
            // With the value selected, ← goes to its start and → to its end.
            Edit::Left if selected => self.move_to(0),
            Edit::Left => self.move_to(self.cursor.saturating_sub(1)),
            Edit::Right => self.move_to(if selected { len } else { self.cursor + 1 }),
            Edit::Home => self.move_to(0),
            Edit::End => self.move_to(len),
        }
    }

    /// Pasted text at the cursor: what the filter refuses is dropped (a
    /// line end, tab or direction override in free text becomes a space),
    /// and what does not fit is left out. Returns how many characters of
    /// `text` did not go in.
    pub fn paste(&mut self, text: &str) -> usize {
        let mut left_out = 0;
        for c in text.chars() {
            let c = self.spec.filter.normal(c);
            if !self.takes(c) {
                left_out += 1;
                continue;
            }
            // A selected value goes with the first character the field
            // takes: a paste it takes nothing of keeps the value, as a
            // refused key does.
            if std::mem::take(&mut self.selected) {
                self.value.clear();
                self.cursor = 0;
            }
            if self.chars() >= self.spec.limit {
                left_out += 1;
                continue;
            }
            let at = self.byte_at(self.cursor);
            self.value.insert(at, c);
            self.cursor += 1;
        }
        left_out
    }

    /// The value split at the cursor: what is before it and after it.
    pub fn split(&self) -> (&str, &str) {
        self.value.split_at(self.byte_at(self.cursor))
    }

    fn move_to(&mut self, at: usize) -> Outcome {
        self.cursor = at.min(self.chars());
        Outcome::Moved
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.value
            .char_indices()
            .nth(chars)
            .map_or(self.value.len(), |(i, _)| i)
    }

    fn remove_at_cursor(&mut self) {
        let at = self.byte_at(self.cursor);
        if at < self.value.len() {
            self.value.remove(at);
        }
    }
}

impl Clone for TextInput {
    /// A copy with the same room for the longest value, so typing into the
    /// copy never leaves an unwiped buffer behind either.
    fn clone(&self) -> TextInput {
        let mut copy = TextInput::new(self.spec);
        copy.value.push_str(&self.value);
        copy.cursor = self.cursor;
        copy.selected = self.selected;
        copy
    }
}

impl std::fmt::Debug for TextInput {
    /// A private field shows nothing of its value, not even its length
    /// (which the cursor would give away).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = f.debug_struct("TextInput");
        if self.spec.private {
            s.field("value", &"***");
        } else {
            s.field("value", &self.value).field("cursor", &self.cursor);
        }
        s.field("selected", &self.selected).finish()
    }
}

impl Drop for TextInput {
    /// What was typed is wiped from memory when the field goes: the whole
    /// buffer, including what was erased before.
    fn drop(&mut self) {
        let mut bytes = std::mem::take(&mut self.value).into_bytes();
        let room = bytes.capacity();
        bytes.resize(room, 0);
        bytes.iter_mut().for_each(|b| *b = 0);
        std::hint::black_box(&bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: Spec = Spec::new(10, Filter::Line);

    fn typed(input: &mut TextInput, s: &str) {
        for c in s.chars() {
            input.apply(Edit::Insert(c));
        }
    }

    #[test]
    fn a_pre_filled_value_is_replaced_by_typing() {
        let mut date = TextInput::filled(Spec::new(10, Filter::Date), "10.12.2026");
        assert!(date.is_selected());
        typed(&mut date, "19.9.2026");
        assert_eq!(date.value(), "19.9.2026");
        assert!(!date.is_selected());
    }

    #[test]
    fn a_pre_filled_value_is_kept_and_edited_after_a_move() {
        let mut date = TextInput::filled(Spec::new(10, Filter::Date), "10.12.2026");
        date.apply(Edit::End);
        date.apply(Edit::Backspace);
        date.apply(Edit::Insert('5'));
        assert_eq!(date.value(), "10.12.2025");
        date.apply(Edit::Home);
        date.apply(Edit::Delete);
        date.apply(Edit::Right);
        date.apply(Edit::Insert('1'));
        assert_eq!(date.value(), "01.12.2025");
        assert_eq!(date.split(), ("01", ".12.2025"));
    }

    #[test]
    fn arrows_move_within_the_value() {
        let mut t = TextInput::new(LINE);
        typed(&mut t, "äbc");
        assert_eq!(t.cursor(), 3);
        t.apply(Edit::Left);
        t.apply(Edit::Left);
        t.apply(Edit::Insert('x'));
        assert_eq!(t.value(), "äxbc");
        t.apply(Edit::Right);
        t.apply(Edit::Right);
        t.apply(Edit::Right);
        assert_eq!(t.cursor(), 4, "not past the end");
        t.apply(Edit::Home);
        t.apply(Edit::Left);
        assert_eq!(t.cursor(), 0, "not before the start");
        t.apply(Edit::Backspace);
        assert_eq!(t.value(), "äxbc", "nothing before the start");
        t.apply(Edit::Delete);
        assert_eq!(t.value(), "xbc");
    }

    #[test]
    fn erasing_a_selection_empties_the_field() {
        for edit in [Edit::Backspace, Edit::Delete] {
            let mut t = TextInput::filled(LINE, "Kirjasto");
            assert_eq!(t.apply(edit), Outcome::Changed);
            assert_eq!(t.value(), "");
        }
    }

    #[test]
    fn the_limit_and_the_filter_hold() {
        let mut n = TextInput::new(Spec::new(3, Filter::Digits));
        typed(&mut n, "1a2");
        assert_eq!(n.value(), "12");
        assert_eq!(n.apply(Edit::Insert('x')), Outcome::NotTaken('x'));
        typed(&mut n, "3");
        assert_eq!(n.apply(Edit::Insert('4')), Outcome::Full(3));
        assert_eq!(n.value(), "123");
        // A selected value is replaced, whatever the limit.
        n.enter();
        assert_eq!(n.apply(Edit::Insert('9')), Outcome::Changed);
        assert_eq!(n.value(), "9");
        let mut line = TextInput::new(LINE);
        for c in ['\n', '\x1b', '\u{202e}', '\t'] {
            assert_eq!(line.apply(Edit::Insert(c)), Outcome::NotTaken(c));
        }
        assert_eq!(TextInput::filled(n.spec(), "12345").value(), "123");
    }

    #[test]
    fn a_refused_character_keeps_the_selection() {
        let mut n = TextInput::filled(Spec::new(3, Filter::Digits), "12");
        n.apply(Edit::Insert('d'));
        assert!(n.is_selected());
        typed(&mut n, "7");
        assert_eq!(n.value(), "7");
    }

    #[test]
    fn pasting_keeps_what_the_field_takes() {
        let mut t = TextInput::new(LINE);
        assert_eq!(t.paste("a\nb\tc"), 0);
        assert_eq!(t.value(), "a b c");
        assert_eq!(t.paste("123456789"), 4);
        assert_eq!(t.chars(), 10);
        let mut n = TextInput::filled(Spec::new(5, Filter::Digits), "9");
        assert_eq!(n.paste("1 2"), 1);
        assert_eq!(n.value(), "12");
    }

    #[test]
    fn filters_take_their_forms() {
        let all = |f: Filter, s: &str| s.chars().all(|c| f.takes(c));
        assert!(all(Filter::Date, "14.2.1948") && all(Filter::Date, "1948-02-14"));
        assert!(!Filter::Date.takes('d'));
        assert!(all(Filter::Time, "10.05") && all(Filter::Time, "10:05"));
        assert!(all(Filter::Name, "Anna-Liisa O'Neil, Ä."));
        assert!(!Filter::Name.takes('?') && !Filter::Name.takes('*'));
        assert!(!Filter::Name.takes('3'));
        assert!(all(Filter::Money, "24,90 €"));
        assert!(all(Filter::Period, "1.1.2023–30.6.2023"));
    }

    #[test]
    fn a_private_value_stays_out_of_debug_output() {
        let t = TextInput::filled(Spec::new(20, Filter::Name).private(), "Aino Virtanen");
        assert!(!format!("{t:?}").contains("Aino"));
        let open = TextInput::filled(LINE, "Kirjasto");
        assert!(format!("{open:?}").contains("Kirjasto"));
    }
}

//! A text field drawn: its value made safe, the cursor (`▏`) where it is, a
//! pre-filled value that typing will replace shown selected, a private
//! value masked, and a long value scrolled so the cursor stays in view.

use ratatui::text::Span;

use super::Theme;
use crate::text::clean;
use crate::text::input::TextInput;

/// How a field is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    /// It has the cursor.
    pub focused: bool,
    /// Shown as `•` (a name someone beside the desk may see).
    pub masked: bool,
    /// The most characters it may take on the row, the cursor included.
    pub room: usize,
}

/// The field's spans: at most `look.room` characters.
pub fn spans(th: &Theme, input: &TextInput, look: Look) -> Vec<Span<'static>> {
    let shown: Vec<char> = if look.masked {
        vec!['•'; input.chars()]
    } else {
        clean(input.value()).chars().collect()
    };
    if !look.focused {
        let text: String = shown.iter().collect();
        return vec![Span::raw(crate::text::truncate(&text, look.room))];
    }
    let cursor = input.cursor().min(shown.len());
    // A window over the value that holds the cursor, as wide as the room
    // in display columns (a wide character takes two): from as far back
    // before the cursor as fits, then as far on as fits.
    let room = look.room.max(2) - 1;
    let cols = |c: &char| unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
    let mut start = cursor;
    let mut used = 0;
    while start > 0 && used + cols(&shown[start - 1]) <= room {
        start -= 1;
        used += cols(&shown[start]);
    }
    let mut end = cursor;
    while end < shown.len() && used + cols(&shown[end]) <= room {
        used += cols(&shown[end]);
        end += 1;
    }
    let before: String = shown[start..cursor].iter().collect();
    let after: String = shown[cursor..end].iter().collect();
    if input.is_selected() {
        return vec![Span::styled(before, th.selected), Span::styled("▏", th.key)];
    }
    vec![
        Span::raw(before),
        Span::styled("▏", th.key),
        Span::raw(after),
    ]
}

/// The field as one string (for a `Paragraph` that wraps it, as the note's).
pub fn text(input: &TextInput, focused: bool) -> String {
    let value = clean(input.value());
    if !focused {
        return value.into_owned();
    }
    let (before, after) = input.split();
    format!("{}▏{}", clean(before), clean(after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::input::{Edit, Filter, Spec};

    fn flat(spans: &[Span]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    fn th() -> Theme {
        Theme::of(crate::app::Look::new(
            crate::app::ColorDepth::Full,
            Default::default(),
        ))
    }

    #[test]
    fn the_cursor_is_drawn_where_it_is_and_kept_in_view() {
        let spec = Spec::new(40, Filter::Line);
        let mut t = TextInput::filled(spec, "Joulupolku");
        let look = Look {
            focused: true,
            masked: false,
            room: 20,
        };
        let s = spans(&th(), &t, look);
        assert_eq!(flat(&s), "Joulupolku▏");
        assert_eq!(s[0].style, th().selected, "a pre-filled value is selected");
        t.apply(Edit::Home);
        assert_eq!(flat(&spans(&th(), &t, look)), "▏Joulupolku");
        t.apply(Edit::End);
        t.apply(Edit::Insert(' '));
        for _ in 0..20 {
            t.apply(Edit::Insert('x'));
        }
        let long = flat(&spans(&th(), &t, look));
        assert_eq!(long.chars().count(), 20, "{long}");
        assert!(long.ends_with("xx▏"), "{long}");
        t.apply(Edit::Home);
        let start = flat(&spans(&th(), &t, look));
        assert!(start.starts_with("▏Joulupolku"), "{start}");
        assert_eq!(start.chars().count(), 20, "{start}");
    }

    #[test]
    fn a_masked_field_shows_dots_and_an_unfocused_one_no_cursor() {
        let t = TextInput::filled(Spec::new(40, Filter::Name), "Aino");
        let masked = Look {
            focused: false,
            masked: true,
            room: 10,
        };
        assert_eq!(flat(&spans(&th(), &t, masked)), "••••");
        assert_eq!(text(&t, false), "Aino");
    }
}

//! Lines of text into the frame's buffer, cell by cell: what ratatui's
//! `Buffer::set_line` draws, without its pass over grapheme clusters and
//! their widths for text in which every character is a cluster of one
//! cell (nearly all text here: ASCII, Finnish and Swedish letters, common
//! punctuation). Redrawing the duty screen after a save spent a third of
//! its time segmenting graphemes.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

/// Draws `lines` into `area`, one per row starting with line `skip`, each
/// cut at the area's width: what a left-aligned `Paragraph` without
/// wrapping draws, without its reflow pass over every grapheme.
pub fn draw_lines(frame: &mut Frame, area: Rect, lines: &[Line], skip: usize) {
    let buf = frame.buffer_mut();
    for (line, y) in lines.iter().skip(skip).zip(area.top()..area.bottom()) {
        set_line(buf, area.x, y, line, area.width);
    }
}

/// `Buffer::set_line`, cell for cell and style for style; a span of plain
/// characters (see [`plain`]) is written a character a cell, any other
/// goes through ratatui.
pub fn set_line(buf: &mut Buffer, x: u16, y: u16, line: &Line<'_>, max_width: u16) -> (u16, u16) {
    let mut remaining = max_width;
    let mut x = x;
    for span in line {
        if remaining == 0 {
            break;
        }
        let style = line.style.patch(span.style);
        let text = span.content.as_ref();
        if !text.chars().all(plain) {
            let end = buf.set_stringn(x, y, text, usize::from(remaining), style).0;
            remaining = remaining.saturating_sub(end.saturating_sub(x));
            x = end;
            continue;
        }
        // As `set_stringn`: up to the buffer's right edge and the room left.
        let room = buf.area.right().saturating_sub(x).min(remaining);
        let n = text.chars().count().min(usize::from(room));
        if n == 0 {
            continue;
        }
        let start = buf.index_of(x, y);
        for (cell, c) in buf.content[start..start + n].iter_mut().zip(text.chars()) {
            // A blank cell (as a new frame's are) already shows a space:
            // ratatui counts no symbol and " " as the same.
            if c != ' ' || cell.symbol() != " " {
                cell.set_char(c);
            }
            cell.set_style(style);
        }
        x += n as u16;
        remaining -= n as u16;
    }
    (x, y)
}

/// A character that is a grapheme cluster of its own, one cell wide,
/// whatever comes before it: printable ASCII, Latin-1 but the soft hyphen
/// (a control to grapheme segmentation), and some punctuation the texts
/// use. A combining mark, a joiner or a wide character is not.
pub(super) fn plain(c: char) -> bool {
    matches!(
        c,
        ' '..='~'
            | '\u{a0}'..='\u{ac}'
            | '\u{ae}'..='\u{ff}'
            | '–'
            | '—'
            | '‘'
            | '’'
            | '“'
            | '”'
            | '•'
            | '…'
            | '€'
            | '→'
    )
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use proptest::prelude::*;
    use ratatui::style::{Color, Modifier, Style};
    use ratatui::text::Span;
    use ratatui::widgets::{Paragraph, Widget};

    /// Characters of every kind: plain ones, and what segmentation or
    /// width treats otherwise (combining marks, joiners, wide and
    /// zero-width characters, controls, the soft hyphen, emoji, Hangul
    /// jamo, regional indicators, halfwidth katakana marks).
    pub(in crate::ui) const CHARS: &[char] = &[
        'a', 'Z', ' ', '~', 'ä', 'Ö', 'å', '·', '–', '…', '→', '€', '\u{a0}', '\u{ad}', '\u{301}',
        '\u{200d}', '\u{200b}', '\u{fe0f}', '\t', '\n', '\u{1b}', '\u{7f}', '\u{85}', '漢', '👍',
        '🇫', '🇮', '\u{1100}', '\u{1161}', 'ｶ', '\u{ff9e}', '\u{e9}', 'e', '\u{2066}', '\u{5d0}',
    ];

    /// Characters ratatui counts two cells wide: a `Paragraph` leaves the cell they
    /// hide as it was, where `set_line` blanks it; no terminal shows it.
    const WIDE: &[char] = &['漢', '👍', '🇫', '🇮', '\u{1100}', '\u{ff9e}'];

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(CHARS), 0..12)
            .prop_map(|v| v.into_iter().collect())
    }

    fn narrow_text() -> impl Strategy<Value = String> {
        text().prop_map(|t| t.chars().filter(|c| !WIDE.contains(c)).collect())
    }

    /// A border's or a span's style: a few colours, bold or not.
    pub(in crate::ui) fn style() -> impl Strategy<Value = Style> {
        (0..4u8, any::<bool>()).prop_map(|(c, bold)| {
            let mut s = Style::default();
            if c > 0 {
                s = s.fg(Color::Indexed(c));
            }
            if bold {
                s = s.add_modifier(Modifier::BOLD);
            }
            s
        })
    }

    fn line() -> impl Strategy<Value = Line<'static>> {
        line_of(text())
    }

    fn line_of(text: impl Strategy<Value = String>) -> impl Strategy<Value = Line<'static>> {
        (proptest::collection::vec((text, style()), 0..5), style()).prop_map(|(spans, st)| {
            Line::from(
                spans
                    .into_iter()
                    .map(|(t, s)| Span::styled(t, s))
                    .collect::<Vec<_>>(),
            )
            .style(st)
        })
    }

    /// A buffer that is not blank, so a cell left alone shows.
    fn canvas(area: Rect) -> Buffer {
        let mut buf = Buffer::empty(area);
        for (i, cell) in buf.content.iter_mut().enumerate() {
            cell.set_char(char::from(b'a' + (i % 26) as u8))
                .set_bg(Color::Indexed(9));
        }
        buf
    }

    proptest! {
        /// Cell for cell, styles included, what ratatui's `set_line`
        /// draws, and the same position returned.
        #[test]
        fn a_line_is_drawn_as_ratatui_draws_it(
            l in line(), x in 0u16..12, width in 0u16..24, start in 0u16..4,
        ) {
            let area = Rect::new(start, 1, 14, 3);
            let (mut ours, mut theirs) = (canvas(area), canvas(area));
            let x = start + x.min(13);
            let a = set_line(&mut ours, x, 2, &l, width);
            let b = theirs.set_line(x, 2, &l, width);
            prop_assert_eq!(a, b);
            prop_assert_eq!(ours, theirs);
        }

        /// Lines in an area, as a left-aligned `Paragraph` draws them (but
        /// for the cell a wide character hides, see [`WIDE`]).
        #[test]
        fn lines_are_drawn_as_a_paragraph_draws_them(
            lines in proptest::collection::vec(line_of(narrow_text()), 0..5), w in 1u16..16, h in 1u16..4,
        ) {
            let full = Rect::new(0, 0, 18, 6);
            let area = Rect::new(1, 1, w, h);
            let mut theirs = canvas(full);
            Paragraph::new(lines.clone()).render(area, &mut theirs);
            let mut terminal =
                ratatui::Terminal::new(ratatui::backend::TestBackend::new(18, 6)).unwrap();
            let frame = terminal
                .draw(|f| {
                    *f.buffer_mut() = canvas(full);
                    draw_lines(f, area, &lines, 0);
                })
                .unwrap();
            prop_assert_eq!(frame.buffer, &theirs);
        }
    }
}

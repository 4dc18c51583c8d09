//! A bordered box with its title on the top border, drawn cell by cell:
//! what ratatui's `Block` draws, without its pass styling every cell of
//! the box with a blank style and its grapheme pass over the title. The
//! duty screen's two boxes cost a tenth of a frame drawn through `Block`.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::border;
use ratatui::widgets::{Block, Padding, Widget};

use super::lines::plain;

/// Draws into `area` what `Block::bordered().title(title)
/// .padding(Padding::horizontal(1)).border_style(style)` draws, and
/// returns its inner area. A title with a character that is not a
/// one-cell cluster of its own (see [`plain`]) goes through the `Block`.
pub fn bordered(buf: &mut Buffer, area: Rect, title: &str, style: Style) -> Rect {
    let block = Block::bordered().padding(Padding::horizontal(1));
    let inner = block.inner(area);
    if !title.chars().all(plain) {
        block.title(title).border_style(style).render(area, buf);
        return inner;
    }
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return inner;
    }
    let set = border::PLAIN;
    let (left, top) = (area.left(), area.top());
    let (right, bottom) = (area.right() - 1, area.bottom() - 1);
    let put = |buf: &mut Buffer, x: u16, y: u16, symbol: &str| {
        buf[(x, y)].set_symbol(symbol).set_style(style);
    };
    // Block's order: the left, top, right and bottom sides, then the
    // corners, so a box one cell wide or tall ends as Block's does.
    for y in top..=bottom {
        put(buf, left, y, set.vertical_left);
    }
    row(buf, left, right, top, set.horizontal_top, style);
    for y in top..=bottom {
        put(buf, right, y, set.vertical_right);
    }
    row(buf, left, right, bottom, set.horizontal_bottom, style);
    put(buf, right, bottom, set.bottom_right);
    put(buf, right, top, set.top_right);
    put(buf, left, bottom, set.bottom_left);
    put(buf, left, top, set.top_left);
    // The title from just inside the left border, cut at the right one;
    // its style and the title's are blank, so the border's stays.
    let room = usize::from(area.width.saturating_sub(2));
    let n = title.chars().count().min(room);
    if n > 0 {
        let start = buf.index_of(left + 1, top);
        for (cell, c) in buf.content[start..start + n].iter_mut().zip(title.chars()) {
            cell.set_char(c);
        }
    }
    inner
}

/// One border row from `left` to `right` (inclusive) at `y`.
fn row(buf: &mut Buffer, left: u16, right: u16, y: u16, symbol: &str, style: Style) {
    let start = buf.index_of(left, y);
    let end = buf.index_of(right, y);
    for cell in &mut buf.content[start..=end] {
        cell.set_symbol(symbol).set_style(style);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ratatui::style::{Color, Modifier};

    use super::super::lines::tests::{CHARS, style};

    /// Titles of plain characters and of every kind `Block` segments and
    /// measures otherwise (the lines' tests' characters).
    fn title() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(CHARS), 0..30)
            .prop_map(|v| v.into_iter().collect())
    }

    /// A buffer that is not blank, so a cell left alone shows.
    fn canvas(area: Rect) -> Buffer {
        let mut buf = Buffer::empty(area);
        for (i, cell) in buf.content.iter_mut().enumerate() {
            cell.set_char(char::from(b'a' + (i % 26) as u8))
                .set_bg(Color::Indexed(9))
                .set_style(if i % 3 == 0 {
                    Style::default().add_modifier(Modifier::ITALIC)
                } else {
                    Style::default()
                });
        }
        buf
    }

    #[test]
    fn the_duty_screens_box_is_drawn_as_block_draws_it() {
        let area = Rect::new(0, 0, 44, 20);
        let (mut ours, mut theirs) = (canvas(area), canvas(area));
        let style = Style::default().fg(Color::Cyan);
        let inner = bordered(&mut ours, area, " Uusi käynti ", style);
        let block = Block::bordered()
            .title(" Uusi käynti ")
            .padding(Padding::horizontal(1))
            .border_style(style);
        assert_eq!(inner, block.inner(area));
        block.render(area, &mut theirs);
        assert_eq!(ours, theirs);
    }

    proptest! {
        /// Cell for cell and style for style what `Block` draws, for any
        /// title, border style and area (partly outside the buffer too),
        /// and the same inner area.
        #[test]
        fn a_box_is_drawn_as_block_draws_it(
            t in title(), s in style(),
            x in 0u16..12, y in 0u16..8, w in 0u16..30, h in 0u16..10,
        ) {
            let full = Rect::new(1, 1, 24, 8);
            let area = Rect::new(x, y, w, h);
            let (mut ours, mut theirs) = (canvas(full), canvas(full));
            let inner = bordered(&mut ours, area, &t, s);
            let block = Block::bordered()
                .title(t.as_str())
                .padding(Padding::horizontal(1))
                .border_style(s);
            prop_assert_eq!(inner, block.inner(area));
            block.render(area, &mut theirs);
            prop_assert_eq!(ours, theirs);
        }
    }
}

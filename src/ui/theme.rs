//! Colours and emphasis, in one place: the styles of each colour depth and
//! theme. Hints and dim text are the terminal's own foreground with DIM,
//! never grey (colour 8) alone, which vanishes on some dark palettes and
//! on eight-colour terminals.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;

use crate::app::{ColorDepth, Look};
use crate::config::ThemeName;

/// The styles the screens draw with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub title: Style,
    /// Hints, key words and other secondary text.
    pub hint: Style,
    /// A key's name (`Enter`, `1`, `o`).
    pub key: Style,
    /// A ticked box or chosen item.
    pub checked: Style,
    pub ok: Style,
    pub error: Style,
    /// The highlighted row of a list.
    pub selected: Style,
    /// What is being edited, and warnings.
    pub editing: Style,
    pub popup_border: Style,
    /// The bars of the charts.
    pub bar: Style,
}

const BOLD: Modifier = Modifier::BOLD;

impl Theme {
    /// A checkbox (`[x]`) where several may be chosen, a radio button
    /// (`(•)`) where one is: the pickers and the voucher form draw it.
    pub fn mark(&self, multi: bool, on: bool) -> Span<'static> {
        match (multi, on) {
            (true, true) => Span::styled("[x] ", self.checked),
            (true, false) => Span::raw("[ ] "),
            (false, true) => Span::styled("(•) ", self.checked),
            (false, false) => Span::raw("( ) "),
        }
    }

    pub fn of(look: Look) -> Theme {
        match (look.theme, look.depth) {
            (ThemeName::HighContrast, _) => Theme::high_contrast(),
            (ThemeName::Default, ColorDepth::None) => Theme::no_color(),
            (ThemeName::Default, ColorDepth::Basic) => Theme::basic(),
            (ThemeName::Default, ColorDepth::Full) => Theme::full(),
        }
    }

    /// 256 colours: mid-tone colours from the fixed part of the palette,
    /// readable on light and on dark backgrounds alike.
    fn full() -> Theme {
        let c = |i| Style::new().fg(Color::Indexed(i));
        Theme {
            title: Style::new().add_modifier(BOLD),
            hint: Style::new().add_modifier(Modifier::DIM),
            // 31 steel blue, 28 green, 160 red, 130 dark orange.
            key: c(31).add_modifier(BOLD),
            checked: c(28).add_modifier(BOLD),
            ok: c(28),
            error: c(160).add_modifier(BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            editing: c(130).add_modifier(BOLD),
            popup_border: c(130),
            bar: c(31),
        }
    }

    /// The eight basic colours only, the ones that read on both light and
    /// dark palettes (no yellow, no bright colours); keys are bold.
    fn basic() -> Theme {
        let c = |color| Style::new().fg(color);
        Theme {
            title: Style::new().add_modifier(BOLD),
            hint: Style::new().add_modifier(Modifier::DIM),
            key: Style::new().add_modifier(BOLD),
            checked: c(Color::Green).add_modifier(BOLD),
            ok: c(Color::Green),
            error: c(Color::Red).add_modifier(BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            editing: c(Color::Magenta).add_modifier(BOLD),
            popup_border: c(Color::Magenta),
            bar: c(Color::Cyan),
        }
    }

    /// No colour (`NO_COLOR`): emphasis only.
    fn no_color() -> Theme {
        Theme {
            title: Style::new().add_modifier(BOLD),
            hint: Style::new().add_modifier(Modifier::DIM),
            key: Style::new().add_modifier(BOLD),
            checked: Style::new().add_modifier(BOLD),
            ok: Style::new(),
            error: Style::new().add_modifier(BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            editing: Style::new().add_modifier(BOLD.union(Modifier::UNDERLINED)),
            popup_border: Style::new(),
            bar: Style::new(),
        }
    }

    /// `theme = "high-contrast"`: the terminal's own foreground and
    /// background at full strength (no DIM), meaning carried by bold,
    /// underline and reverse.
    fn high_contrast() -> Theme {
        Theme {
            title: Style::new().add_modifier(BOLD),
            hint: Style::new(),
            key: Style::new().add_modifier(BOLD.union(Modifier::UNDERLINED)),
            checked: Style::new().add_modifier(BOLD),
            ok: Style::new().add_modifier(BOLD),
            error: Style::new().add_modifier(BOLD.union(Modifier::REVERSED)),
            selected: Style::new().add_modifier(BOLD.union(Modifier::REVERSED)),
            editing: Style::new().add_modifier(BOLD.union(Modifier::UNDERLINED)),
            popup_border: Style::new().add_modifier(BOLD),
            bar: Style::new(),
        }
    }

    /// Every style, to check them all.
    #[cfg(test)]
    fn all(&self) -> [Style; 10] {
        [
            self.title,
            self.hint,
            self.key,
            self.checked,
            self.ok,
            self.error,
            self.selected,
            self.editing,
            self.popup_border,
            self.bar,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_look() -> Vec<Look> {
        let mut looks = Vec::new();
        for theme in [ThemeName::Default, ThemeName::HighContrast] {
            for depth in [ColorDepth::None, ColorDepth::Basic, ColorDepth::Full] {
                looks.push(Look::new(depth, theme));
            }
        }
        looks
    }

    #[test]
    fn hints_are_the_default_foreground_never_grey() {
        for look in every_look() {
            let t = Theme::of(look);
            assert_eq!(t.hint.fg, None, "{look:?}");
            for s in t.all() {
                assert!(
                    !matches!(
                        s.fg,
                        Some(Color::DarkGray | Color::Gray | Color::Indexed(8))
                    ),
                    "{look:?}: {s:?}"
                );
                assert_eq!(s.bg, None, "{look:?}: the terminal's background stays");
            }
        }
    }

    #[test]
    fn each_depth_uses_only_the_colours_it_has() {
        for look in every_look() {
            for s in Theme::of(look).all() {
                let ok = match (look.theme, look.depth, s.fg) {
                    (_, _, None) => true,
                    (ThemeName::HighContrast, _, Some(_)) => false,
                    (_, ColorDepth::None, Some(_)) => false,
                    (_, ColorDepth::Basic, Some(c)) => matches!(
                        c,
                        Color::Red | Color::Green | Color::Blue | Color::Magenta | Color::Cyan
                    ),
                    (_, ColorDepth::Full, Some(c)) => matches!(c, Color::Indexed(16..=231)),
                };
                assert!(ok, "{look:?}: {s:?}");
            }
        }
    }
}

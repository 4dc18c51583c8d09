//! How the screen may look: the terminal's colour depth, decided from the
//! environment outside the drawing code, and the configured theme.

use crate::config::ThemeName;

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorDepth {
    /// No colour at all (`NO_COLOR`, `TERM=dumb`): emphasis by bold,
    /// underline and reverse only.
    None,
    /// The eight basic colours (`TERM=xterm`, `linux`, `screen`, an
    /// unknown terminal).
    Basic,
    /// 256 colours or more (`*-256color`, `COLORTERM=truecolor`, Windows
    /// Terminal).
    Full,
}

/// What the environment says about the terminal; each value as read, `None`
/// when unset.
#[derive(Debug, Clone, Copy, Default)]
pub struct TermEnv<'a> {
    pub no_color: Option<&'a str>,
    pub term: Option<&'a str>,
    pub colorterm: Option<&'a str>,
    /// `WT_SESSION`: set inside Windows Terminal, which sets no `TERM`.
    pub wt_session: Option<&'a str>,
}

impl ColorDepth {
    /// The depth the environment allows. `NO_COLOR` set to anything but
    /// the empty string wins (no-color.org); a terminal that does not say
    /// it has more gets the eight basic colours, which every colour
    /// terminal has.
    pub fn detect(env: TermEnv) -> ColorDepth {
        let set = |v: Option<&str>| v.is_some_and(|v| !v.is_empty());
        if set(env.no_color) {
            return ColorDepth::None;
        }
        let term = env.term.unwrap_or("").to_ascii_lowercase();
        if term == "dumb" {
            return ColorDepth::None;
        }
        let colorterm = env.colorterm.unwrap_or("").to_ascii_lowercase();
        if matches!(colorterm.as_str(), "truecolor" | "24bit")
            || term.contains("256color")
            || term.ends_with("-direct")
            || (term.is_empty() && set(env.wt_session))
        {
            return ColorDepth::Full;
        }
        ColorDepth::Basic
    }
}

/// The colour depth and the theme, which together choose the styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    pub depth: ColorDepth,
    pub theme: ThemeName,
}

impl Look {
    pub fn new(depth: ColorDepth, theme: ThemeName) -> Look {
        Look { depth, theme }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(no_color: Option<&str>, term: Option<&str>, colorterm: Option<&str>) -> ColorDepth {
        ColorDepth::detect(TermEnv {
            no_color,
            term,
            colorterm,
            wt_session: None,
        })
    }

    #[test]
    fn the_colour_depth_comes_from_the_environment() {
        use ColorDepth::{Basic, Full};
        let off = ColorDepth::None;
        for (no_color, term, colorterm, want) in [
            (None, Some("xterm-256color"), None, Full),
            (None, Some("tmux-256color"), None, Full),
            (None, Some("xterm"), Some("truecolor"), Full),
            (None, Some("xterm-direct"), None, Full),
            (None, Some("xterm"), None, Basic),
            (None, Some("linux"), None, Basic),
            (None, Some("screen"), None, Basic),
            (None, Some("vt220"), None, Basic),
            (None, None, None, Basic),
            (None, Some("dumb"), None, off),
            (Some("1"), Some("xterm-256color"), Some("truecolor"), off),
            // An empty NO_COLOR does not count (no-color.org).
            (Some(""), Some("xterm-256color"), None, Full),
        ] {
            assert_eq!(
                depth(no_color, term, colorterm),
                want,
                "{term:?} {colorterm:?}"
            );
        }
        let wt = TermEnv {
            wt_session: Some("a1b2"),
            ..Default::default()
        };
        assert_eq!(ColorDepth::detect(wt), Full, "Windows Terminal");
    }
}

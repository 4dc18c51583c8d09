//! Text made safe and short for a screen: control characters shown as a
//! placeholder, long labels cut with `…`. A leaf used by the TUI, the
//! command line's text output and the report renderers alike.

pub mod input;

use std::borrow::Cow;

/// Text from the user or the config, made safe to draw: control
/// characters (escape sequences, newlines, bidi overrides stay visible as
/// text only) become a visible placeholder so they cannot move the cursor.
pub fn clean(s: &str) -> Cow<'_, str> {
    if s.chars().any(is_unsafe) {
        Cow::Owned(
            s.chars()
                .map(|c| if is_unsafe(c) { '·' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// Like [`clean`], keeping line breaks: for text of several lines printed
/// to a terminal (a report, a tally, a list).
pub fn clean_lines(s: &str) -> Cow<'_, str> {
    if s.chars().any(|c| c != '\n' && is_unsafe(c)) {
        Cow::Owned(
            s.chars()
                .map(|c| if c != '\n' && is_unsafe(c) { '·' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// JSON text with every character [`is_unsafe`] that JSON would leave raw
/// (DEL, the C1 controls, bidi overrides) written as a `\uXXXX` escape:
/// the same JSON to any reader, and nothing a terminal would act on. C0
/// controls are escaped by the serializer already; outside strings JSON
/// holds only ASCII, so only strings change.
pub fn json_safe(json: String) -> String {
    if !json.chars().any(|c| c >= '\u{7f}' && is_unsafe(c)) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c >= '\u{7f}' && is_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// C0 and C1 controls (ESC, newline, DEL among them) and the bidi
/// embeddings, overrides and isolates, which reorder what follows them.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Cuts `s` to at most `width` characters, marking the cut with `…`.
pub fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else if width == 0 {
        String::new()
    } else {
        let mut t: String = s.chars().take(width - 1).collect();
        t.push('…');
        t
    }
}

/// The one of `keys` nearest to `given`, a key typed wrongly
/// (`digitukki` → `digituki`): as clap suggests a subcommand, by
/// Jaro similarity above 0.7, case aside; none if nothing is that near.
pub fn nearest<'a>(given: &str, keys: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let given = given.to_lowercase();
    keys.into_iter()
        .map(|k| (strsim::jaro(&given, &k.to_lowercase()), k))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// `s` in lines of at most `width` characters, the second and later
/// starting with `indent`: broken after a comma or semicolon where one
/// falls in the latter half of the line (so a figure stays with its
/// words), else at a space, and cut inside a word only when a word is
/// longer than the line.
pub fn wrap(s: &str, width: usize, indent: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut rest: Vec<char> = s.chars().collect();
    let mut prefix = String::new();
    loop {
        let room = width.saturating_sub(prefix.chars().count()).max(1);
        if rest.len() <= room {
            lines.push(format!("{prefix}{}", rest.iter().collect::<String>()));
            return lines;
        }
        // `cut`: the characters that stay on this line; the space after
        // them is dropped.
        let space_at = |i: usize| rest[i] == ' ';
        let clause = ((room / 2).max(1)..room)
            .rev()
            .find(|&i| space_at(i) && matches!(rest[i - 1], ',' | ';'));
        let word = (1..=room).rev().find(|&i| space_at(i));
        let (cut, skip) = match clause.or(word) {
            Some(i) => (i, 1),
            None => (room, 0),
        };
        let line: String = rest[..cut].iter().collect();
        lines.push(format!("{prefix}{}", line.trim_end()));
        rest.drain(..cut + skip);
        prefix = indent.to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_breaks_at_clauses_then_words() {
        let s = "Tapahtumia 1, osallistujia 300 (joista arvioita n. 20); ryhmiä 1, kokoontumisia 2";
        assert_eq!(
            wrap(s, 60, ""),
            [
                "Tapahtumia 1, osallistujia 300 (joista arvioita n. 20);",
                "ryhmiä 1, kokoontumisia 2"
            ]
        );
        assert_eq!(
            wrap("Ryhmä: kysymykseen 9 kyllä-vastausta ja 1 ei", 30, "  "),
            ["Ryhmä: kysymykseen 9", "  kyllä-vastausta ja 1 ei"]
        );
        assert_eq!(wrap("abcdefgh", 3, ""), ["abc", "def", "gh"]);
        assert_eq!(wrap("short", 30, "  "), ["short"]);
        for line in wrap(s, 17, "   ") {
            assert!(line.chars().count() <= 17, "{line}");
        }
    }

    #[test]
    fn control_characters_are_made_harmless() {
        assert_eq!(clean("plain ä 🧊"), "plain ä 🧊");
        assert_eq!(clean("a\x1b[31mb\nc\u{202e}d"), "a·[31mb·c·d");
        assert_eq!(clean("\u{9b}x\u{7f}\u{2066}"), "·x··");
        assert_eq!(clean_lines("a\nb\x1b[2J\r"), "a\nb·[2J·");
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("Digituki", 20), "Digituki");
        assert_eq!(truncate("Hyvinvointialue", 6), "Hyvin…");
        assert_eq!(truncate("x", 0), "");
    }
}

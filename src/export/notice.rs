//! The register description (tietosuojaseloste) as a page: Markdown or
//! plain text, from the sections `i18n` words.

use crate::i18n::NoticeSection;
use crate::report::error::ReportError;

/// The forms `tiski privacy-notice --format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeFormat {
    Markdown,
    Text,
}

impl NoticeFormat {
    /// `md` (the default) or `text`.
    pub fn parse(value: Option<&str>) -> Result<NoticeFormat, ReportError> {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("md" | "markdown") => Ok(NoticeFormat::Markdown),
            Some("text" | "txt") => Ok(NoticeFormat::Text),
            Some(_) => Err(ReportError::UnknownFormat {
                value: value.unwrap_or_default().to_string(),
                valid: "md, text",
            }),
        }
    }
}

/// The page: `title` is the heading, a blank line and the introduction;
/// the sections are numbered.
pub fn render(title: &str, sections: &[NoticeSection], format: NoticeFormat) -> String {
    let (heading, intro) = title.split_once("\n\n").unwrap_or((title, ""));
    let mut out = String::new();
    match format {
        NoticeFormat::Markdown => {
            out.push_str(&format!("# {heading}\n\n"));
            if !intro.is_empty() {
                out.push_str(&format!("{intro}\n\n"));
            }
            for (i, s) in sections.iter().enumerate() {
                out.push_str(&format!("## {}. {}\n\n", i + 1, s.title));
                for p in &s.paragraphs {
                    out.push_str(&format!("{}\n\n", md_escape(p)));
                }
                for item in &s.items {
                    out.push_str(&format!("- {}\n", md_escape(item)));
                }
                if !s.items.is_empty() {
                    out.push('\n');
                }
            }
        }
        NoticeFormat::Text => {
            out.push_str(&format!(
                "{heading}\n{}\n\n",
                "=".repeat(heading.chars().count())
            ));
            if !intro.is_empty() {
                out.push_str(&format!("{intro}\n\n"));
            }
            for (i, s) in sections.iter().enumerate() {
                out.push_str(&format!("{}. {}\n\n", i + 1, s.title));
                for p in &s.paragraphs {
                    out.push_str(&format!("{p}\n\n"));
                }
                for item in &s.items {
                    out.push_str(&format!("  - {item}\n"));
                }
                if !s.items.is_empty() {
                    out.push('\n');
                }
            }
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// Text from the config (a controller's name, labels) kept from reading
/// as Markdown: `<`, `*`, `_`, `` ` `` and `#` are escaped. The `[ ]` of
/// the placeholders are left, as a Markdown reader shows them as written.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '<' | '*' | '_' | '`' | '#' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections() -> Vec<NoticeSection> {
        vec![NoticeSection {
            title: "Rekisterinpitäjä".into(),
            paragraphs: vec!["Heinolan kaupunki, hyte_yksikkö".into()],
            items: vec!["Ikä: alle 65, 65–74".into()],
        }]
    }

    #[test]
    fn markdown_and_text_pages() {
        let md = render("Otsikko\n\nJohdanto.", &sections(), NoticeFormat::Markdown);
        assert_eq!(
            md,
            "# Otsikko\n\nJohdanto.\n\n## 1. Rekisterinpitäjä\n\nHeinolan kaupunki, hyte\\_yksikkö\n\n- Ikä: alle 65, 65–74\n"
        );
        let text = render("Otsikko\n\nJohdanto.", &sections(), NoticeFormat::Text);
        assert!(
            text.starts_with("Otsikko\n=======\n\nJohdanto.\n\n1. Rekisterinpitäjä\n"),
            "{text}"
        );
        assert!(text.ends_with("  - Ikä: alle 65, 65–74\n"), "{text}");
        assert_eq!(NoticeFormat::parse(None), Ok(NoticeFormat::Markdown));
        assert_eq!(NoticeFormat::parse(Some("TEXT")), Ok(NoticeFormat::Text));
        assert!(NoticeFormat::parse(Some("pdf")).is_err());
    }
}

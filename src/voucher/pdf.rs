//! The printable commitment: a one-page A4 PDF written with `lopdf`, in
//! the built-in Helvetica with WinAnsiEncoding, which covers Finnish
//! (ä ö å) and the euro sign without embedding a font. Characters outside
//! it print as `?`.

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, StringFormat, dictionary};

use super::{Cents, Voucher, VoucherConfig};
use crate::locale::{self, Lang};

const A4: (f32, f32) = (595.0, 842.0);
const LEFT: f32 = 64.0;
/// Characters per line of 11-point body text on A4 with these margins.
const WRAP: usize = 88;

/// Fixed words on the document in one language; `i18n` provides them.
pub struct PdfLabels {
    pub title: &'static str,
    pub number: &'static str,
    pub product: &'static str,
    pub max_sum: &'static str,
    pub issued: &'static str,
    pub valid_until: &'static str,
    pub recipient: &'static str,
    pub conditions: &'static str,
    pub shops: &'static str,
    pub invoicing: &'static str,
    pub signature: &'static str,
    /// A sum as written in the language (`25,00 €`).
    pub money: fn(Cents) -> String,
}

/// The PDF bytes for `v`; `recipient` is printed when given and goes
/// nowhere else.
pub fn render(
    v: &Voucher,
    cfg: &VoucherConfig,
    lang: Lang,
    l: &PdfLabels,
    recipient: Option<&str>,
) -> Vec<u8> {
    let mut page = Page::default();
    for line in wrap(&cfg.issuing_unit, WRAP * 11 / 13) {
        page.text(13.0, false, &line);
    }
    page.gap(18.0);
    page.text(22.0, true, l.title);
    page.text(28.0, true, &v.number);
    page.gap(14.0);
    let rows = [
        (l.number, v.number.clone()),
        (l.product, cfg.product_label(&v.product, lang).to_string()),
        (l.max_sum, (l.money)(v.max_sum)),
        (l.issued, locale::date(v.issued_on(), lang)),
        (l.valid_until, locale::date(v.valid_until, lang)),
        (
            l.recipient,
            recipient
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map_or_else(|| "_".repeat(40), str::to_string),
        ),
    ];
    for (label, value) in rows {
        page.pair(label, &value);
    }
    let mut section = |title: &str, lines: &[String]| {
        if lines.iter().all(|l| l.trim().is_empty()) {
            return;
        }
        page.gap(10.0);
        page.text(12.0, true, title);
        for line in lines {
            for part in wrap(line, WRAP) {
                page.text(11.0, false, &part);
            }
        }
    };
    let bullets: Vec<String> = cfg.conditions.iter().map(|c| format!("• {c}")).collect();
    section(l.conditions, &bullets);
    let shops: Vec<String> = cfg.shops.iter().map(|c| format!("• {c}")).collect();
    section(l.shops, &shops);
    section(l.invoicing, std::slice::from_ref(&cfg.invoicing));
    page.gap(36.0);
    page.text(11.0, false, &format!("{}  {}", l.signature, "_".repeat(36)));
    page.finish(&v.number)
}

/// Lines of text laid out from the top of the page.
struct Page {
    ops: Vec<Operation>,
    y: f32,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            ops: Vec::new(),
            y: A4.1 - 64.0,
        }
    }
}

impl Page {
    fn gap(&mut self, h: f32) {
        self.y -= h;
    }

    fn text(&mut self, size: f32, bold: bool, s: &str) {
        self.y -= size * 1.3;
        self.put(LEFT, size, bold, s);
    }

    fn pair(&mut self, label: &str, value: &str) {
        self.y -= 11.0 * 1.6;
        self.put(LEFT, 11.0, true, label);
        self.put(LEFT + 130.0, 11.0, false, value);
    }

    fn put(&mut self, x: f32, size: f32, bold: bool, s: &str) {
        let font = if bold { "F2" } else { "F1" };
        self.ops.extend([
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec![font.into(), size.into()]),
            Operation::new("Td", vec![x.into(), self.y.into()]),
            Operation::new(
                "Tj",
                vec![Object::String(win_ansi(s), StringFormat::Literal)],
            ),
            Operation::new("ET", vec![]),
        ]);
    }

    fn finish(self, title: &str) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font = |name: &str| {
            dictionary! {
                "Type" => "Font",
                "Subtype" => "Type1",
                "BaseFont" => Object::Name(name.as_bytes().to_vec()),
                "Encoding" => "WinAnsiEncoding",
            }
        };
        let f1 = doc.add_object(font("Helvetica"));
        let f2 = doc.add_object(font("Helvetica-Bold"));
        let content = Content {
            operations: self.ops,
        };
        let content_id = doc.add_object(Stream::new(
            dictionary! {},
            content.encode().expect("content encodes"),
        ));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => dictionary! {
                "Font" => dictionary! { "F1" => f1, "F2" => f2 },
            },
            "MediaBox" => vec![0.into(), 0.into(), A4.0.into(), A4.1.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => vec![page_id.into()],
                "Count" => 1,
            }),
        );
        let catalog_id = doc.add_object(dictionary! {
            "Type" => "Catalog",
            "Pages" => pages_id,
        });
        let info_id = doc.add_object(dictionary! {
            "Title" => Object::String(win_ansi(title), StringFormat::Literal),
            "Producer" => Object::string_literal("tiski"),
        });
        doc.trailer.set("Root", catalog_id);
        doc.trailer.set("Info", info_id);
        let mut out = Vec::new();
        doc.save_to(&mut out)
            .expect("writing to memory cannot fail");
        out
    }
}

/// Where PDFs go unless told: `tiski` in the documents folder, else in
/// the home folder.
pub fn default_dir() -> Option<std::path::PathBuf> {
    let dirs = directories::UserDirs::new()?;
    let base = dirs.document_dir().unwrap_or(dirs.home_dir()).to_path_buf();
    Some(base.join("tiski"))
}

/// Text in WinAnsiEncoding: Latin-1 where it agrees, the few typographic
/// characters Windows-1252 adds, `?` for the rest.
pub fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            ' '..='~' | '\u{a0}'..='\u{ff}' => c as u8,
            '€' => 0x80,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            _ => b'?',
        })
        .collect()
}

/// Word wrap at `width` characters.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finnish_letters_and_the_euro_sign_are_in_win_ansi() {
        assert_eq!(win_ansi("äöåÄÖÅ"), [0xe4, 0xf6, 0xe5, 0xc4, 0xd6, 0xc5]);
        assert_eq!(win_ansi("25,00 €"), b"25,00 \x80");
        assert_eq!(win_ansi("Łódź"), b"?\xf3d?");
    }

    #[test]
    fn wrapping_keeps_words_whole() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("", 5), Vec::<String>::new());
    }
}

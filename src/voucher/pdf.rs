//! The printable commitment: a one-page A4 PDF written with `lopdf`, in
//! the built-in Helvetica with WinAnsiEncoding, which covers Finnish
//! (ä ö å) and the euro sign without embedding a font. Characters outside
//! it print as `?`.

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, StringFormat, dictionary};

use chrono::NaiveDate;

use super::{Cents, Voucher, VoucherConfig};
use crate::locale::{self, Lang};

/// The commitment goes to a Finnish shop: it is written in Finnish (its
/// dates d.m.yyyy), whatever the language of the screen or the command.
pub const LANG: Lang = Lang::Fi;

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
    /// Before the contact phone: `Puh.`
    pub phone: &'static str,
    pub business_id: &'static str,
    pub e_invoice_address: &'static str,
    pub e_invoice_operator: &'static str,
    pub invoice_reference: &'static str,
    /// Beside the place and date of issue.
    pub place_date: &'static str,
    /// Beside the issuer's name under the signature.
    pub issuer_name: &'static str,
    /// The box the shop fills in, and its fields.
    pub shop_box: &'static str,
    pub shop_date: &'static str,
    pub shop_amount: &'static str,
    pub shop_receipt: &'static str,
    pub shop_signature: &'static str,
    /// The mark on a copy (`KOPIO`), and the line saying what it means.
    pub copy: &'static str,
    pub copy_note: &'static str,
    /// A sum as written in the language (`25,00 €`).
    pub money: fn(Cents) -> String,
}

/// What is given at print time rather than configured.
#[derive(Debug, Clone, Copy)]
pub struct Printing<'a> {
    /// Printed when given, and goes nowhere else.
    pub recipient: Option<&'a str>,
    /// The issuer's name and place, typed; the config's are used when
    /// these are empty.
    pub issuer: Option<&'a str>,
    pub place: Option<&'a str>,
    /// The date by the signature: the day of printing.
    pub date: NaiveDate,
    /// A reprint of a used, cancelled or expired voucher (or one asked
    /// for as a copy): marked as such all over.
    pub copy: bool,
}

/// A typed value, else the configured one; `None` when both are empty.
fn pick<'a>(typed: Option<&'a str>, configured: &'a str) -> Option<&'a str> {
    typed
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .or(Some(configured.trim()).filter(|c| !c.is_empty()))
}

/// The PDF bytes for `v`, its words `l` (Finnish), and `second`'s beside
/// them when the config asks for a second language.
pub fn render(
    v: &Voucher,
    cfg: &VoucherConfig,
    lang: Lang,
    l: &PdfLabels,
    second: Option<&PdfLabels>,
    at: &Printing,
) -> Vec<u8> {
    layout(v, cfg, lang, &Words::new(l, second), at).finish(&v.number)
}

/// The document's words: each label in the document's language, or in
/// both (`Numero / Number`).
struct Words {
    title: String,
    number: String,
    product: String,
    max_sum: String,
    issued: String,
    valid_until: String,
    recipient: String,
    conditions: String,
    shops: String,
    invoicing: String,
    signature: String,
    phone: String,
    business_id: String,
    e_invoice_address: String,
    e_invoice_operator: String,
    invoice_reference: String,
    place_date: String,
    issuer_name: String,
    shop_box: String,
    shop_date: String,
    shop_amount: String,
    shop_receipt: String,
    shop_signature: String,
    copy: String,
    copy_note: String,
    money: fn(Cents) -> String,
    /// Where a pair's value starts, right of the widest label.
    value_at: f32,
}

impl Words {
    fn new(l: &PdfLabels, second: Option<&PdfLabels>) -> Words {
        let w = |f: fn(&PdfLabels) -> &'static str| match second {
            Some(s) if f(s) != f(l) => format!("{} / {}", f(l), f(s)),
            _ => f(l).to_string(),
        };
        let mut words = Words {
            title: w(|l| l.title),
            number: w(|l| l.number),
            product: w(|l| l.product),
            max_sum: w(|l| l.max_sum),
            issued: w(|l| l.issued),
            valid_until: w(|l| l.valid_until),
            recipient: w(|l| l.recipient),
            conditions: w(|l| l.conditions),
            shops: w(|l| l.shops),
            invoicing: w(|l| l.invoicing),
            signature: w(|l| l.signature),
            phone: w(|l| l.phone),
            business_id: w(|l| l.business_id),
            e_invoice_address: w(|l| l.e_invoice_address),
            e_invoice_operator: w(|l| l.e_invoice_operator),
            invoice_reference: w(|l| l.invoice_reference),
            place_date: w(|l| l.place_date),
            issuer_name: w(|l| l.issuer_name),
            shop_box: w(|l| l.shop_box),
            shop_date: w(|l| l.shop_date),
            shop_amount: w(|l| l.shop_amount),
            shop_receipt: w(|l| l.shop_receipt),
            shop_signature: w(|l| l.shop_signature),
            copy: w(|l| l.copy),
            copy_note: w(|l| l.copy_note),
            money: l.money,
            value_at: 155.0,
        };
        // Bold 11-point Helvetica is about 6.1 points a character.
        let widest = [
            &words.number,
            &words.product,
            &words.max_sum,
            &words.issued,
            &words.valid_until,
            &words.recipient,
            &words.business_id,
            &words.e_invoice_address,
            &words.e_invoice_operator,
            &words.invoice_reference,
            &words.place_date,
            &words.signature,
            &words.issuer_name,
        ]
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(0);
        words.value_at = (widest as f32 * 6.1 + 12.0).max(155.0);
        words
    }
}

/// The page laid out, before it is written.
fn layout(v: &Voucher, cfg: &VoucherConfig, lang: Lang, l: &Words, at: &Printing) -> Page {
    let mut page = Page {
        value_at: l.value_at,
        ..Page::default()
    };
    if at.copy {
        page.watermark(&l.copy);
    }
    for line in wrap(&cfg.issuing_unit, WRAP * 11 / 13) {
        page.text(13.0, false, &line);
    }
    if !cfg.contact_phone.trim().is_empty() {
        page.text(
            11.0,
            false,
            &format!("{} {}", &l.phone, cfg.contact_phone.trim()),
        );
    }
    page.gap(16.0);
    page.text(22.0, true, &l.title);
    if at.copy {
        page.put(A4.0 - LEFT - 110.0, 22.0, true, &l.copy);
    }
    page.text(28.0, true, &v.number);
    if at.copy {
        page.text(11.0, true, &l.copy_note);
    }
    page.gap(10.0);
    let rows = [
        (&l.number, v.number.clone()),
        (&l.product, cfg.product_label(&v.product, lang).to_string()),
        (&l.max_sum, (l.money)(v.max_sum)),
        (&l.issued, locale::date(v.issued_on(), lang)),
        (&l.valid_until, locale::date(v.valid_until, lang)),
        (
            &l.recipient,
            at.recipient
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map_or_else(|| page.blank(), str::to_string),
        ),
    ];
    for (label, value) in rows {
        page.pair(label, &value);
    }
    let bullets: Vec<String> = cfg.conditions.iter().map(|c| format!("• {c}")).collect();
    page.section(&l.conditions, &bullets, &[]);
    let shops: Vec<String> = cfg.shops.iter().map(|c| format!("• {c}")).collect();
    page.section(&l.shops, &shops, &[]);
    let billing = [
        (&l.business_id, &cfg.business_id),
        (&l.e_invoice_address, &cfg.e_invoice_address),
        (&l.e_invoice_operator, &cfg.e_invoice_operator),
        (&l.invoice_reference, &cfg.invoice_reference),
    ];
    page.section(
        &l.invoicing,
        std::slice::from_ref(&cfg.invoicing),
        &billing.map(|(k, v)| (k.as_str(), v.trim())),
    );
    // The issuer: place and date, the signature, the name under it (a
    // line to write it on when none is given).
    page.gap(20.0);
    let date = locale::date(at.date, lang);
    let place_date = match pick(at.place, &cfg.issuer_place) {
        Some(p) => format!("{p} {date}"),
        None => date,
    };
    page.pair(&l.place_date, &place_date);
    page.gap(18.0);
    page.pair(&l.signature, &page.blank());
    let name = pick(at.issuer, &cfg.issuer_name).map_or_else(|| page.blank(), str::to_string);
    page.pair(&l.issuer_name, &name);
    page.shop_box(l);
    page
}

/// How far down the page the text reaches (points from the bottom): the
/// one page must hold it all.
#[cfg(test)]
pub(super) fn lowest(
    v: &Voucher,
    cfg: &VoucherConfig,
    lang: Lang,
    l: &PdfLabels,
    second: Option<&PdfLabels>,
    at: &Printing,
) -> f32 {
    layout(v, cfg, lang, &Words::new(l, second), at).y
}

/// Lines of text laid out from the top of the page.
struct Page {
    ops: Vec<Operation>,
    y: f32,
    /// Where a pair's value starts, from the left margin.
    value_at: f32,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            ops: Vec::new(),
            y: A4.1 - 48.0,
            value_at: 155.0,
        }
    }
}

impl Page {
    /// A line to write on in the value column: 40 underscores, fewer when
    /// wider labels leave less room.
    fn blank(&self) -> String {
        let room = A4.0 - 2.0 * LEFT - self.value_at;
        "_".repeat(((room / 6.2) as usize).clamp(10, 40))
    }

    fn gap(&mut self, h: f32) {
        self.y -= h;
    }

    fn text(&mut self, size: f32, bold: bool, s: &str) {
        self.y -= size * 1.3;
        self.put(LEFT, size, bold, s);
    }

    fn pair(&mut self, label: &str, value: &str) {
        self.y -= 11.0 * 1.5;
        self.put(LEFT, 11.0, true, label);
        self.put(LEFT + self.value_at, 11.0, false, value);
    }

    /// A titled block of wrapped lines and label–value pairs; left out
    /// when all are empty, and so is each empty pair.
    fn section(&mut self, title: &str, lines: &[String], pairs: &[(&str, &str)]) {
        let lines: Vec<&String> = lines.iter().filter(|l| !l.trim().is_empty()).collect();
        let pairs: Vec<&(&str, &str)> = pairs.iter().filter(|(_, v)| !v.is_empty()).collect();
        if lines.is_empty() && pairs.is_empty() {
            return;
        }
        self.gap(10.0);
        self.text(12.0, true, title);
        for line in lines {
            for part in wrap(line, WRAP) {
                self.text(11.0, false, &part);
            }
        }
        for (label, value) in pairs {
            self.pair(label, value);
        }
    }

    /// The box the shop fills in: date and amount, receipt number and
    /// signature, each on a line to write on.
    fn shop_box(&mut self, l: &Words) {
        const ROW: f32 = 30.0;
        // 10-point Helvetica is about 5.2 points a character.
        let width = |label: &str| label.chars().count() as f32 * 5.2 + 6.0;
        let half = (A4.0 - 2.0 * LEFT) / 2.0;
        // A label beside its line, or above it when (in two languages) it
        // would leave too short a line to write on.
        let above = [
            &l.shop_date,
            &l.shop_amount,
            &l.shop_receipt,
            &l.shop_signature,
        ]
        .iter()
        .any(|f| width(f) > half * 0.6);
        self.gap(18.0);
        let top = self.y;
        let height = 20.0 + 2.0 * ROW + 6.0;
        self.rect(LEFT - 8.0, top - height, A4.0 - 2.0 * LEFT + 16.0, height);
        self.text(11.0, true, &l.shop_box);
        for (left, right) in [
            (&l.shop_date, &l.shop_amount),
            (&l.shop_receipt, &l.shop_signature),
        ] {
            self.y -= ROW;
            for (x, label) in [(LEFT, left), (LEFT + half, right)] {
                if above {
                    self.y += 7.0;
                    self.put(x, 9.0, false, label);
                    self.y -= 7.0;
                    self.line(x, self.y - 9.0, x + half - 14.0, self.y - 9.0);
                } else {
                    self.put(x, 10.0, false, label);
                    self.line(
                        x + width(label),
                        self.y - 2.0,
                        x + half - 14.0,
                        self.y - 2.0,
                    );
                }
            }
        }
        self.y = top - height;
    }

    /// A large light-grey word across the page, under the text.
    fn watermark(&mut self, s: &str) {
        let (c, sn) = (0.819_f32, 0.574_f32); // 35 degrees
        self.ops.extend([
            Operation::new("q", vec![]),
            Operation::new("g", vec![0.82.into()]),
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F2".into(), 130.0.into()]),
            Operation::new(
                "Tm",
                vec![
                    c.into(),
                    sn.into(),
                    (-sn).into(),
                    c.into(),
                    110.0.into(),
                    230.0.into(),
                ],
            ),
            Operation::new(
                "Tj",
                vec![Object::String(win_ansi(s), StringFormat::Literal)],
            ),
            Operation::new("ET", vec![]),
            Operation::new("Q", vec![]),
        ]);
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.ops.extend([
            Operation::new("w", vec![0.8.into()]),
            Operation::new("re", vec![x.into(), y.into(), w.into(), h.into()]),
            Operation::new("S", vec![]),
        ]);
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        self.ops.extend([
            Operation::new("w", vec![0.5.into()]),
            Operation::new("m", vec![x1.into(), y1.into()]),
            Operation::new("l", vec![x2.into(), y2.into()]),
            Operation::new("S", vec![]),
        ]);
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
    let dirs = crate::platform::user_dirs()?;
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

//! The report as a chapter of the welfare report in Word (`.docx`): real
//! headings (Word's own Heading 1 and 2 styles), the opening sentences,
//! the key figures and breakdowns as tables with a repeating header row,
//! the charts as pictures with alternative text and a caption, and the
//! events, groups and feedback as bullet lists in the report's own form.
//! Written as WordprocessingML into a zip: the Rust docx crates could not
//! give a picture its alternative text (`wp:docPr/@descr`), which the
//! city's accessible documents need. The document's language is set, so
//! Word checks the Finnish as Finnish.

mod xml;

use std::io::Write as _;

use zip::write::SimpleFileOptions;

use super::charts::{Chart, draw};
use super::report::{Page, Section};
use crate::i18n::{self, DocWord, Word};
use crate::locale::Lang;
use crate::report::period::Shown;
use xml::{esc, paragraph, table};

/// Why the chapter could not be made (never expected: tiski makes all of
/// it).
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error(transparent)]
    Zip(#[from] zip::result::ZipError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Draw(#[from] draw::DrawError),
}

/// A picture's width on the page: 16 cm, in EMU.
const PICTURE_WIDTH: u64 = 16 * 360_000;

/// The chapter's body and its pictures while it is written.
struct Chapter<'p> {
    page: &'p Page<'p>,
    body: String,
    /// Each picture's PNG, `media/chartN.png`.
    pictures: Vec<Vec<u8>>,
}

impl Chapter<'_> {
    fn heading(&mut self, level: u8, text: &str) {
        self.body
            .push_str(&paragraph(Some(&format!("Heading{level}")), text));
    }

    fn text(&mut self, text: &str) {
        self.body.push_str(&paragraph(None, text));
    }

    fn note(&mut self, text: &str) {
        self.body.push_str(&paragraph(Some("Note"), text));
    }

    fn bullets(&mut self, lines: &[String]) {
        for l in lines {
            self.body.push_str(&paragraph(Some("ListBullet"), l));
        }
    }

    /// A chart as a picture with its alternative text, and its caption.
    fn picture(&mut self, c: &Chart) -> Result<(), DocxError> {
        let (png, w, h) = draw::png(c)?;
        self.pictures.push(png);
        let n = self.pictures.len();
        let cy = PICTURE_WIDTH * u64::from(h) / u64::from(w.max(1));
        let t = i18n::texts(self.page.lang);
        self.body.push_str(&xml::picture(
            n,
            &format!("{}.png", c.name),
            &c.alt,
            PICTURE_WIDTH,
            cy,
        ));
        let caption = format!("{} {n}. {}", t.doc_word(DocWord::FigureCaption), c.title);
        self.body.push_str(&paragraph(Some("Caption"), &caption));
        Ok(())
    }

    /// A breakdown's table, the rule of its hidden counts under it.
    fn breakdown(&mut self, sec: &Section) {
        let t = i18n::texts(self.page.lang);
        let head = [sec.title.as_str(), t.word(Word::Count), t.word(Word::Share)];
        let rows: Vec<Vec<String>> = sec
            .rows
            .iter()
            .map(|r| vec![r.label.clone(), r.shown.to_string(), self.page.share(r)])
            .collect();
        if rows.is_empty() {
            self.text(t.none());
            return;
        }
        self.body
            .push_str(&table(&head, &rows, &[false, true, true]));
        if let Some(min) = self.page.min_count
            && sec.rows.iter().any(|r| r.shown.count().is_none())
        {
            self.note(&format!("<{min}: {}", t.word(Word::SmallCountsHidden)));
            if sec.rows.iter().any(|r| r.shown == Shown::Withheld) {
                self.note(t.word(Word::WithheldNote));
            }
        }
    }
}

/// The chapter of `page`, as the bytes of a `.docx` file.
pub fn chapter(page: &Page<'_>) -> Result<Vec<u8>, DocxError> {
    let t = i18n::texts(page.lang);
    let mut c = Chapter {
        page,
        body: String::new(),
        pictures: Vec::new(),
    };
    c.heading(1, &page.heading());
    c.text(&page.prose());
    let (sections, left_out) = page.readable_sections();
    if let Some(note) = &left_out {
        c.note(note);
    }
    c.heading(2, t.word(Word::KeyFigures));
    let figures: Vec<Vec<String>> = page
        .key_figures(page.lang)
        .into_iter()
        .map(|(_, label, value)| vec![label.to_string(), value])
        .collect();
    let head = [t.doc_word(DocWord::Figure), t.doc_word(DocWord::Value)];
    c.body.push_str(&table(&head, &figures, &[false, true]));
    let charts = page.charts();
    for sec in &sections {
        c.heading(2, &sec.title);
        c.breakdown(sec);
        if let Some(chart) = charts.iter().find(|x| x.source == sec.id) {
            c.picture(chart)?;
        }
    }
    if let Some(chart) = charts.iter().find(|x| x.source == "per_session") {
        c.heading(2, t.word(Word::PerSession));
        c.picture(chart)?;
    }
    if let Some(r) = page.events.filter(|r| !r.is_empty()) {
        if !r.events.is_empty() {
            c.heading(2, t.events_heading());
            let lines: Vec<String> = r.events.iter().map(|e| t.event_line(e)).collect();
            c.bullets(&lines);
        }
        if !r.groups.is_empty() {
            c.heading(2, t.groups_heading());
            let mut lines: Vec<String> = r.groups.iter().map(|g| t.group_line(g)).collect();
            lines.push(t.group_visits_total(r.totals.group_visits));
            c.bullets(&lines);
        }
        if !r.feedback.is_empty() {
            c.heading(2, t.feedback_heading());
            let lines: Vec<String> = r.feedback.iter().map(|f| t.feedback_line(f)).collect();
            c.bullets(&lines);
        }
        c.text(&t.event_totals(&r.totals));
    }
    package(&c, &page.heading(), page.lang)
}

/// The zip: the parts Word needs, the body and the pictures.
fn package(c: &Chapter<'_>, title: &str, lang: Lang) -> Result<Vec<u8>, DocxError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opt = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let language = match lang {
        Lang::Fi => "fi-FI",
        Lang::En => "en-GB",
    };
    let mut part = |name: &str, bytes: &[u8]| -> Result<(), DocxError> {
        zip.start_file(name, opt)?;
        zip.write_all(bytes)?;
        Ok(())
    };
    part("[Content_Types].xml", xml::CONTENT_TYPES.as_bytes())?;
    part("_rels/.rels", xml::PACKAGE_RELS.as_bytes())?;
    part(
        "docProps/core.xml",
        xml::core(&esc(title), language).as_bytes(),
    )?;
    part("word/styles.xml", xml::styles(language).as_bytes())?;
    part("word/numbering.xml", xml::NUMBERING.as_bytes())?;
    part(
        "word/_rels/document.xml.rels",
        xml::document_rels(c.pictures.len()).as_bytes(),
    )?;
    part("word/document.xml", xml::document(&c.body).as_bytes())?;
    for (i, png) in c.pictures.iter().enumerate() {
        part(&format!("word/media/chart{}.png", i + 1), png)?;
    }
    Ok(zip.finish()?.into_inner())
}

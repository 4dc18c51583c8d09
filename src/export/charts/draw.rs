//! A chart drawn: tiski's own SVG, its text set in the bundled Liberation
//! Sans and turned into outlines (usvg), and a PNG of it rendered by resvg
//! with the same font, so a chart looks the same on Windows and Linux
//! whatever fonts the machine has.

use std::fmt::Write as _;
use std::sync::Arc;

use super::{Chart, ChartKind};
use crate::export::report::Page;

/// Liberation Sans 2.1.5 (SIL Open Font License 1.1, `assets/fonts/OFL.txt`).
const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Bold.ttf");
const FAMILY: &str = "Liberation Sans";

const WIDTH: f64 = 800.0;
const INK: &str = "#1a1a1a";
const MUTED: &str = "#555555";
const BAR: &str = "#1f5fa8";
const GRID: &str = "#d0d0d0";

/// A PNG's pixels per SVG unit: sharp when the chapter prints it 16 cm wide.
pub const PNG_SCALE: f32 = 2.0;

/// Why a chart could not be drawn (never expected: the SVG is our own).
#[derive(Debug, thiserror::Error)]
#[error("chart {name}: {reason}")]
pub struct DrawError {
    pub name: String,
    pub reason: String,
}

/// Escapes text for SVG.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// About how wide `s` is at `size` px in Liberation Sans.
fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.53
}

/// `s` cut to about `width` px, with an ellipsis.
fn fit(s: &str, width: f64, size: f64) -> String {
    if text_width(s, size) <= width {
        return s.to_string();
    }
    let keep = ((width / (size * 0.53)) as usize).saturating_sub(1);
    let mut out: String = s.chars().take(keep).collect();
    out.push('…');
    out
}

fn text(out: &mut String, x: f64, y: f64, size: f64, anchor: &str, fill: &str, s: &str) {
    let _ = writeln!(
        out,
        r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">{}</text>"#,
        esc(s)
    );
}

/// The chart as SVG, its text as text (in Liberation Sans).
pub fn svg(c: &Chart) -> String {
    let (height, body) = match c.kind {
        ChartKind::Ranked => ranked(c),
        ChartKind::Series => series(c),
    };
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" font-family="{FAMILY}">
<rect width="100%" height="100%" fill="white"/>
"#
    );
    let _ = writeln!(
        out,
        r#"<text x="20" y="32" font-size="18" font-weight="bold" fill="{INK}">{}</text>"#,
        esc(&fit(&c.title, WIDTH - 40.0, 18.0))
    );
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

/// Horizontal bars, most first, the count at each bar's end.
fn ranked(c: &Chart) -> (f64, String) {
    let mut out = String::new();
    let size = 13.0;
    let row = 26.0;
    let top = 70.0;
    let label_w = c
        .bars
        .iter()
        .map(|b| text_width(&b.label, size))
        .fold(0.0, f64::max)
        .min(330.0);
    let x0 = 20.0 + label_w + 10.0;
    let span = WIDTH - x0 - 60.0;
    let max = c
        .bars
        .iter()
        .filter_map(|b| b.value)
        .max()
        .unwrap_or(0)
        .max(1);
    text(&mut out, 20.0, 54.0, 12.0, "start", MUTED, &c.axis);
    for (i, b) in c.bars.iter().enumerate() {
        let y = top + i as f64 * row;
        text(
            &mut out,
            x0 - 10.0,
            y + 13.0,
            size,
            "end",
            INK,
            &fit(&b.label, label_w, size),
        );
        let w = b
            .value
            .map_or(0.0, |v| span * f64::from(v) / f64::from(max));
        if w > 0.0 {
            let _ = writeln!(
                out,
                r#"<rect x="{x0:.1}" y="{:.1}" width="{w:.1}" height="16" fill="{BAR}"/>"#,
                y + 1.0
            );
        }
        text(
            &mut out,
            x0 + w + 6.0,
            y + 13.0,
            size,
            "start",
            INK,
            &b.mark,
        );
    }
    let mut bottom = top + c.bars.len() as f64 * row;
    let _ = writeln!(
        out,
        r#"<line x1="{x0:.1}" y1="{:.1}" x2="{x0:.1}" y2="{bottom:.1}" stroke="{INK}"/>"#,
        top - 4.0
    );
    if let Some(note) = &c.hidden {
        bottom += 20.0;
        let note = fit(&format!("+ {note}"), WIDTH - 40.0, 12.0);
        text(&mut out, 20.0, bottom, 12.0, "start", MUTED, &note);
    }
    (bottom + 20.0, out)
}

/// The smallest of 1, 2, 5, 10, 20, 50, … that makes at most five steps
/// up to `max`.
fn step(max: u32) -> u32 {
    let mut s = 1;
    loop {
        for m in [1, 2, 5] {
            if max.div_ceil(s * m) <= 5 {
                return s * m;
            }
        }
        s *= 10;
    }
}

/// Columns in time order over a scale; a hidden count is its mark in
/// place of a column.
fn series(c: &Chart) -> (f64, String) {
    let mut out = String::new();
    let (x0, x1, y0, y1) = (60.0, WIDTH - 20.0, 70.0, 300.0);
    let max = c
        .bars
        .iter()
        .filter_map(|b| b.value)
        .max()
        .unwrap_or(0)
        .max(1);
    let step = step(max);
    let top = max.div_ceil(step) * step;
    let y_of = |v: u32| y1 - (y1 - y0) * f64::from(v) / f64::from(top);
    text(&mut out, 20.0, 54.0, 12.0, "start", MUTED, &c.axis);
    let mut v = 0;
    while v <= top {
        let y = y_of(v);
        let _ = writeln!(
            out,
            r#"<line x1="{x0}" y1="{y:.1}" x2="{x1}" y2="{y:.1}" stroke="{GRID}"/>"#
        );
        text(
            &mut out,
            x0 - 8.0,
            y + 4.0,
            12.0,
            "end",
            MUTED,
            &v.to_string(),
        );
        v += step;
    }
    let n = c.bars.len().max(1) as f64;
    let slot = (x1 - x0) / n;
    let w = (slot * 0.7).min(40.0);
    let label_w = c
        .bars
        .iter()
        .map(|b| text_width(&b.label, 12.0))
        .fold(0.0, f64::max)
        + 8.0;
    let every = ((label_w / slot).ceil() as usize).max(1);
    for (i, b) in c.bars.iter().enumerate() {
        let mid = x0 + slot * (i as f64 + 0.5);
        match b.value {
            Some(v) => {
                let y = y_of(v);
                let _ = writeln!(
                    out,
                    r#"<rect x="{:.1}" y="{y:.1}" width="{w:.1}" height="{:.1}" fill="{BAR}"/>"#,
                    mid - w / 2.0,
                    y1 - y
                );
                if slot >= 18.0 {
                    text(&mut out, mid, y - 5.0, 11.0, "middle", INK, &b.mark);
                }
            }
            None => text(&mut out, mid, y1 - 5.0, 11.0, "middle", MUTED, &b.mark),
        }
        if i % every == 0 {
            text(&mut out, mid, y1 + 18.0, 12.0, "middle", INK, &b.label);
        }
    }
    let _ = writeln!(
        out,
        r#"<line x1="{x0}" y1="{y1}" x2="{x1}" y2="{y1}" stroke="{INK}"/>"#
    );
    (y1 + 36.0, out)
}

/// Every chart of `page` as files: `NAME.svg` and `NAME.png` each, named
/// in the page's language, with their bytes.
pub fn files(page: &Page<'_>) -> Result<Vec<(String, Vec<u8>)>, DrawError> {
    let mut out = Vec::new();
    for c in page.charts() {
        out.push((format!("{}.svg", c.name), svg_file(&c)?.into_bytes()));
        out.push((format!("{}.png", c.name), png(&c)?.0));
    }
    Ok(out)
}

/// The bundled font and usvg's options for it.
fn options() -> resvg::usvg::Options<'static> {
    let mut db = resvg::usvg::fontdb::Database::new();
    db.load_font_data(REGULAR.to_vec());
    db.load_font_data(BOLD.to_vec());
    db.set_sans_serif_family(FAMILY);
    resvg::usvg::Options {
        font_family: FAMILY.to_string(),
        fontdb: Arc::new(db),
        languages: vec!["fi".into(), "en".into()],
        ..resvg::usvg::Options::default()
    }
}

fn tree(c: &Chart) -> Result<resvg::usvg::Tree, DrawError> {
    resvg::usvg::Tree::from_str(&svg(c), &options()).map_err(|e| DrawError {
        name: c.name.clone(),
        reason: e.to_string(),
    })
}

/// The chart as an SVG file: its text as outlines of the bundled font, so
/// it needs no font where it is opened, with its title and alternative text
/// for screen readers.
pub fn svg_file(c: &Chart) -> Result<String, DrawError> {
    let out = tree(c)?.to_string(&resvg::usvg::WriteOptions::default());
    let described = format!(
        "<title>{}</title><desc>{}</desc>",
        esc(&c.title),
        esc(&c.alt)
    );
    // After the root element's start tag.
    Ok(
        match out
            .find("<svg")
            .and_then(|i| out[i..].find('>').map(|j| i + j + 1))
        {
            Some(at) => format!("{}{described}{}", &out[..at], &out[at..]),
            None => out,
        },
    )
}

/// The chart as a PNG, [`PNG_SCALE`] pixels per unit; with its size in
/// pixels.
pub fn png(c: &Chart) -> Result<(Vec<u8>, u32, u32), DrawError> {
    let tree = tree(c)?;
    let size = tree.size().to_int_size().scale_by(PNG_SCALE);
    let fail = |reason: String| DrawError {
        name: c.name.clone(),
        reason,
    };
    let size = size.ok_or_else(|| fail("empty".into()))?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| fail("empty".into()))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(PNG_SCALE, PNG_SCALE),
        &mut pixmap.as_mut(),
    );
    let bytes = pixmap.encode_png().map_err(|e| fail(e.to_string()))?;
    Ok((bytes, size.width(), size.height()))
}

#[cfg(test)]
mod tests {
    use super::super::Bar;
    use super::*;

    fn chart(kind: ChartKind, bars: &[(&str, Option<u32>)]) -> Chart {
        Chart {
            name: "aiheet".into(),
            source: "topics".into(),
            title: "Aiheet & ohjaukset, vuosi 2023".into(),
            kind,
            axis: "käyntejä".into(),
            bars: bars
                .iter()
                .map(|(l, v)| Bar {
                    label: l.to_string(),
                    value: *v,
                    mark: v.map_or("<5".into(), |v| v.to_string()),
                })
                .collect(),
            hidden: None,
            alt: "Vaakapylväskaavio: Aiheet, vuosi 2023. Digituki 34.".into(),
        }
    }

    #[test]
    fn steps_make_at_most_five_ticks() {
        assert_eq!(step(1), 1);
        assert_eq!(step(5), 1);
        assert_eq!(step(11), 5);
        assert_eq!(step(69), 20);
        assert_eq!(step(300), 100);
    }

    #[test]
    fn the_svg_file_has_outlines_and_says_what_it_shows() {
        let c = chart(
            ChartKind::Ranked,
            &[("Digituki", Some(34)), ("Sote", Some(3))],
        );
        let raw = svg(&c);
        assert!(raw.contains(">Digituki</text>"), "{raw}");
        assert!(raw.contains("Aiheet &amp; ohjaukset"), "escaped: {raw}");
        let file = svg_file(&c).unwrap();
        assert!(!file.contains("<text"), "text is outlines: {file}");
        assert!(file.contains("<path"), "{file}");
        assert!(file.contains("<title>Aiheet &amp; ohjaukset, vuosi 2023</title>"));
        assert!(file.contains("<desc>Vaakapylväskaavio: Aiheet, vuosi 2023. Digituki 34.</desc>"));
    }

    #[test]
    fn the_png_is_drawn_with_the_bundled_font() {
        let c = chart(
            ChartKind::Series,
            &[("10–11", Some(8)), ("11–12", None), ("12–13", Some(2))],
        );
        let (png, w, h) = png(&c).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        assert_eq!((w, h), (1600, 672));
        // Text drawn means dark pixels where the title is.
        let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
        let dark = pixmap
            .pixels()
            .iter()
            .take(1600 * 70)
            .filter(|p| p.red() < 100)
            .count();
        assert!(dark > 500, "the title is drawn: {dark} dark pixels");
    }
}

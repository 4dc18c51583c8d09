//! What `tiski report` writes besides the page on standard output: the
//! page's bytes in every format, and the charts as files in a folder, each
//! checked as `export --out` checks its file before any is written.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::export::report::{Format, Page};
use crate::i18n;
use crate::locale::Lang;
use crate::report::error::ReportError;

/// The page in `format`, as it goes to standard output or a file: text
/// and Markdown without control characters, the machine forms as they are.
pub fn render(page: &Page<'_>, format: Format) -> Result<Vec<u8>, Error> {
    let failed = |what: &str, e: &dyn std::fmt::Display| ReportError::Document {
        what: what.to_string(),
        reason: e.to_string(),
    };
    Ok(match format {
        Format::Xlsx => crate::export::xlsx::workbook(page).map_err(|e| failed("xlsx", &e))?,
        Format::Docx => crate::export::docx::chapter(page).map_err(|e| failed("docx", &e))?,
        text => {
            let page = page.render(text).unwrap_or_default();
            match text {
                Format::Text | Format::Markdown => crate::text::clean_lines(&page).into_owned(),
                _ => page,
            }
            .into_bytes()
        }
    })
}

/// The charts' files for `dir`, drawn, each path checked (and `dir` a
/// folder or missing) before any is written.
pub fn charts(
    db: Option<&Path>,
    dir: &Path,
    page: &Page<'_>,
    force: bool,
) -> Result<Vec<(PathBuf, Vec<u8>)>, Error> {
    if dir.exists() && !dir.is_dir() {
        return Err(ReportError::NotAFolder {
            path: dir.display().to_string(),
        }
        .into());
    }
    let files = crate::export::charts::draw::files(page).map_err(|e| ReportError::Document {
        what: e.name,
        reason: e.reason,
    })?;
    let files: Vec<(PathBuf, Vec<u8>)> = files
        .into_iter()
        .map(|(name, bytes)| (dir.join(name), bytes))
        .collect();
    if let Some(db) = db {
        for (path, _) in &files {
            super::output::check(path, db, force)?;
        }
    }
    Ok(files)
}

/// Writes the charts' files into `dir` (made, private, if missing) and
/// says where they went.
pub fn write_charts(dir: &Path, files: &[(PathBuf, Vec<u8>)], lang: Lang) -> Result<(), Error> {
    for (path, bytes) in files {
        crate::files::write_private_in_own_dir(path, bytes).map_err(Error::output(path))?;
    }
    let names: Vec<String> = files
        .iter()
        .filter_map(|(p, _)| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    tell!(
        "{}",
        i18n::texts(lang).charts_written(&dir.display().to_string(), &names)
    );
    Ok(())
}

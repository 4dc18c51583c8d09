//! The report's files opened by LibreOffice headless, as the writer opens
//! them: the CSV files under the Finnish locale (cells that must be
//! numbers, dates or times come back as such, text stays text), the
//! workbook and the Word chapter converted and read back against the JSON
//! report of the same period. Each test runs `soffice` once for all its
//! files, to keep CI short. Without `soffice` a test says so loudly and
//! passes, except on CI (`CI` set), which must have it (`.ci/run`
//! installs it).

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader};

/// `soffice`, or `None` (after a loud message) where it is missing and
/// this is not CI.
pub fn soffice() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("soffice"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "LibreOffice (soffice) is missing on CI: .ci/run installs it"
        );
        eprintln!(
            "\n\n*** SKIPPED: LibreOffice (soffice) is not installed, so the \
             report's files were not opened in it. Install it \
             (apt-get install libreoffice-calc-nogui libreoffice-writer-nogui) \
             to run this test; CI does. ***\n"
        );
    }
    found
}

/// Converts `files` with LibreOffice into `to` (`xlsx`, `txt:Text`, …) in
/// `out`, with `infilter` for reading them, under the Finnish locale and a
/// profile of its own; returns the converted files, in order.
pub fn convert(
    soffice: &Path,
    files: &[PathBuf],
    to: &str,
    infilter: Option<&str>,
    out: &Path,
) -> Vec<PathBuf> {
    let profile = out.join("lo-profile");
    let mut cmd = Command::new(soffice);
    cmd.env("LC_ALL", "fi_FI.UTF-8")
        .env("LANG", "fi_FI.UTF-8")
        .env("HOME", out)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--norestore", "--nolockcheck"]);
    if let Some(f) = infilter {
        cmd.arg(format!("--infilter={f}"));
    }
    cmd.args(["--convert-to", to, "--outdir"])
        .arg(out)
        .args(files);
    let done = cmd.output().expect("soffice runs");
    assert!(
        done.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&done.stderr)
    );
    let ext = to.split(':').next().unwrap();
    files
        .iter()
        .map(|f| {
            let p = out.join(f.with_extension(ext).file_name().unwrap());
            assert!(
                p.is_file(),
                "soffice wrote no {}: {}",
                p.display(),
                String::from_utf8_lossy(&done.stdout)
            );
            p
        })
        .collect()
}

/// Every sheet of a workbook, each as rows of cells.
pub fn sheets(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book = calamine::open_workbook_auto(path).expect("a workbook");
    let names = book.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let range = book.worksheet_range(&n).expect("a sheet");
            let rows = range.rows().map(|r| r.to_vec()).collect();
            (n, rows)
        })
        .collect()
}

/// The row whose cell `col` is the text `key`.
pub fn row_of<'a>(rows: &'a [Vec<Data>], col: usize, key: &str) -> &'a [Data] {
    rows.iter()
        .find(|r| matches!(r.get(col), Some(Data::String(s)) if s == key))
        .unwrap_or_else(|| panic!("no row {key:?} in {rows:#?}"))
}

/// A cell that is a number: its value.
pub fn number(d: &Data) -> f64 {
    match d {
        Data::Float(x) => *x,
        Data::Int(x) => *x as f64,
        other => panic!("not a number: {other:?}"),
    }
}

/// A cell that is a date or a time: its Excel serial value.
pub fn serial(d: &Data) -> f64 {
    match d {
        Data::DateTime(x) => x.as_f64(),
        other => panic!("not a date or time: {other:?}"),
    }
}

/// A cell that is text.
pub fn text(d: &Data) -> &str {
    match d {
        Data::String(s) => s,
        other => panic!("not text: {other:?}"),
    }
}

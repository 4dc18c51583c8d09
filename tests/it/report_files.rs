//! `tiski report --out FILE` in every format and `--charts DIR` through
//! the real binary: every guard of `export --out` (never over the log, its
//! companions, a backup or the key; an existing file only with `--force`;
//! written private, through a temporary file and a rename).

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::cli::{Env, fails, files_beside};

const FORMATS: [&str; 6] = ["text", "md", "json", "csv", "xlsx", "docx"];

/// A desk with a visit, a voucher (so the key exists) and a backup.
fn desk() -> (Env, PathBuf) {
    let env = Env::new();
    env.ok(&[
        "log",
        "--confirm",
        "--profile",
        "ikaihmiset",
        "--topic",
        "sote",
        "--at",
        "2023-11-14 10:05",
    ]);
    env.ok(&["backup"]);
    let data = env.db().parent().unwrap().to_path_buf();
    std::fs::write(tiski::store::key_path(&env.db()), [7u8; 32]).unwrap();
    (env, data)
}

fn report_args<'a>(format: &'a str, out: &'a str) -> Vec<&'a str> {
    vec![
        "report", "--year", "2023", "--format", format, "--out", out, "--force",
    ]
}

#[test]
fn no_report_form_goes_over_the_log_its_companions_a_backup_or_the_key() {
    let (env, data) = desk();
    let backup = std::fs::read_dir(data.join("backups"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let link = env.dir.path().join("link.xlsx");
    std::os::unix::fs::symlink(env.db(), &link).unwrap();
    let odd = data.join("..").join("data").join("tiski.db");
    let before = files_beside(&env);
    let targets: Vec<(PathBuf, &str)> = vec![
        (env.db(), "tietokanta"),
        (odd, "tietokanta"),
        (link, "tietokanta"),
        (data.join("tiski.db-wal"), "tietokanta"),
        (data.join("tiski.db-shm"), "tietokanta"),
        (data.join("tiski.db-journal"), "tietokanta"),
        (tiski::store::key_path(&env.db()), "salainen avain"),
        (backup, "varmuuskopio"),
        (data.join("backups").join("raportti.docx"), "varmuuskopio"),
    ];
    for (out, said) in &targets {
        let out_s = out.to_str().unwrap();
        for format in FORMATS {
            let args = report_args(format, out_s);
            let err = fails(&env.run(&args));
            assert!(err.contains(said) && err.contains(out_s), "{args:?}: {err}");
            assert_eq!(files_beside(&env), before, "{args:?} changed a file");
        }
    }
    // Charts are refused from the backups' folder too, and write nothing.
    let backups = data.join("backups");
    let err = fails(&env.run(&[
        "report",
        "--year",
        "2023",
        "--charts",
        backups.to_str().unwrap(),
        "--force",
    ]));
    assert!(err.contains("varmuuskopio"), "{err}");
    assert_eq!(files_beside(&env), before);
    let j = env.tally_json(&["--profile", "ikaihmiset", "--date", "2023-11-14"]);
    assert_eq!(j["visitors"], 1, "the log is whole");
}

/// The names in `dir`.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_report_file_is_new_and_private_or_replaces_one_only_with_force_by_a_rename() {
    let (env, _) = desk();
    let dir = env.dir.path().join("raportit");
    std::fs::create_dir(&dir).unwrap();
    for format in FORMATS {
        let out = dir.join(format!("raportti.{format}"));
        let out_s = out.to_str().unwrap();
        let said = env.run(&[
            "report", "--year", "2023", "--format", format, "--out", out_s,
        ]);
        assert!(said.status.success(), "{format}: {said:?}");
        assert!(
            said.stdout.is_empty(),
            "{format}: the report went to the file"
        );
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{format}: private from the start");
        let first = std::fs::read(&out).unwrap();
        assert!(!first.is_empty(), "{format}");

        // Someone's own file of the name, linked from elsewhere: kept
        // without --force, replaced by a new file (not written into) with.
        std::fs::write(&out, "oma tiedosto").unwrap();
        let other_name = env.dir.path().join(format!("linkki.{format}"));
        std::fs::hard_link(&out, &other_name).unwrap();
        let err = fails(&env.run(&[
            "report", "--year", "2023", "--format", format, "--out", out_s,
        ]));
        assert!(err.contains("--force") && err.contains(out_s), "{err}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "oma tiedosto");
        let inode = std::fs::metadata(&out).unwrap().ino();
        env.ok(&report_args(format, out_s));
        // The report again (a workbook's zip holds its time of making, so
        // only a text format's bytes repeat exactly).
        let again = std::fs::read(&out).unwrap();
        if matches!(format, "xlsx" | "docx") {
            assert!(again.starts_with(b"PK"), "{format}: a zip again");
        } else {
            assert_eq!(again, first, "{format}");
        }
        assert_ne!(std::fs::metadata(&out).unwrap().ino(), inode, "renamed in");
        assert_eq!(
            std::fs::read_to_string(&other_name).unwrap(),
            "oma tiedosto",
            "the other name still holds the old file"
        );
        std::fs::remove_file(&other_name).unwrap();
    }
    let mut want: Vec<String> = FORMATS.iter().map(|f| format!("raportti.{f}")).collect();
    want.sort();
    assert_eq!(names(&dir), want, "no temporary file left behind");
}

#[test]
fn the_files_format_follows_its_name_and_a_binary_one_needs_a_file() {
    let (env, _) = desk();
    for (name, starts) in [
        ("r.xlsx", &b"PK"[..]),
        ("r.docx", b"PK"),
        ("r.json", b"{"),
        ("r.md", b"# "),
        ("r.csv", "\u{feff}".as_bytes()),
        ("r.txt", "Raportti".as_bytes()),
    ] {
        let out = env.dir.path().join(name);
        env.ok(&["report", "--year", "2023", "--out", out.to_str().unwrap()]);
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(starts), "{name}");
    }
    for format in ["xlsx", "docx"] {
        let err = fails(&env.run(&["report", "--year", "2023", "--format", format]));
        assert!(err.contains("--out"), "{format}: {err}");
    }
    let err = fails(&env.run(&["--lang", "en", "report", "--format", "docx"]));
    assert!(err.contains("--out FILE"), "{err}");
}

#[test]
fn charts_go_into_their_folder_as_svg_and_png_named_by_what_they_show() {
    let env = Env::new();
    crate::report::log_year(&env, "Kirjasto");
    let dir = env.dir.path().join("kuvat").join("2023");
    let dir_s = dir.to_str().unwrap();
    let year = ["report", "--year", "2023", "--profile", "ikaihmiset"];
    let o = env.run(&[&year[..], &["--charts", dir_s]].concat());
    assert!(o.status.success(), "{o:?}");
    assert!(o.stdout.is_empty(), "alone, only the charts");
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(said.contains("Kaaviot kirjoitettu kansioon"), "{said}");
    let want = [
        "aiheet.png",
        "aiheet.svg",
        "kavijat-paivystyksittain.png",
        "kavijat-paivystyksittain.svg",
        "ohjattu.png",
        "ohjattu.svg",
        "tunneittain.png",
        "tunneittain.svg",
    ];
    assert_eq!(names(&dir), want);
    for name in want {
        let p = dir.join(name);
        let mode = std::fs::metadata(&p).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
        let bytes = std::fs::read(&p).unwrap();
        if name.ends_with(".png") {
            assert!(bytes.starts_with(b"\x89PNG"), "{name}");
        } else {
            let svg = String::from_utf8(bytes).unwrap();
            assert!(svg.contains("<path") && !svg.contains("<text"), "{name}");
        }
    }
    let svg = std::fs::read_to_string(dir.join("kavijat-paivystyksittain.svg")).unwrap();
    assert!(
        svg.contains("<title>Kävijät päivystyksittäin, vuosi 2023</title>"),
        "{svg}"
    );
    // The 13 sessions of 1 to 11 visitors, in the alternative text.
    let desc = svg
        .split("<desc>")
        .nth(1)
        .unwrap()
        .split("</desc>")
        .next()
        .unwrap();
    assert!(
        desc.starts_with(
            "Pylväskaavio: Kävijät päivystyksittäin, vuosi 2023. 10.1.2023 4; 7.2.2023 6;"
        ),
        "{desc}"
    );
    assert_eq!(desc.matches(';').count(), 12, "{desc}");

    // Again: each file exists, so nothing is written without --force.
    let before: Vec<Vec<u8>> = want
        .iter()
        .map(|n| std::fs::read(dir.join(n)).unwrap())
        .collect();
    std::fs::write(dir.join("aiheet.png"), "oma kuva").unwrap();
    let err = fails(&env.run(&[&year[..], &["--charts", dir_s]].concat()));
    assert!(err.contains("--force") && err.contains("aiheet"), "{err}");
    assert_eq!(std::fs::read(dir.join("aiheet.png")).unwrap(), b"oma kuva");
    let o = env.run(&[&year[..], &["--charts", dir_s, "--force", "--format", "md"]].concat());
    assert!(o.status.success(), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stdout).starts_with("# Raportti"),
        "the page too"
    );
    let after: Vec<Vec<u8>> = want
        .iter()
        .map(|n| std::fs::read(dir.join(n)).unwrap())
        .collect();
    assert_eq!(after, before, "the same charts, drawn the same");
    assert_eq!(names(&dir), want, "no temporary file left behind");
    // A file where the folder should be.
    let file = env.dir.path().join("tiedosto");
    std::fs::write(&file, "x").unwrap();
    let err = fails(&env.run(&[&year[..], &["--charts", file.to_str().unwrap()]].concat()));
    assert!(err.contains("ei ole kansio"), "{err}");
}

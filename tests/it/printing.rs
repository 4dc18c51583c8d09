//! `tiski voucher print` through the binary: the commitment's fields, a
//! copy of a used or cancelled voucher only with `--copy`, and
//! `--printer` with a stand-in `lp` first on PATH (recording what it was
//! given), a refusing one and none at all.

use std::path::{Path, PathBuf};

use tiski::locale::Lang;

use super::cli::{Env, fails};

/// A voucher issued now, so it is valid (one from an earlier season has
/// expired and prints only as a copy).
/// Returns its number (`LE-2026-001`: the season is this year's).
fn issue(env: &Env) -> String {
    let said = env.ok(&["voucher", "issue", "--product", "nastakengat"]);
    said.split_whitespace().next().unwrap().to_string()
}

fn pdf_text(path: &Path) -> String {
    lopdf::Document::load(path)
        .unwrap()
        .extract_text(&[1])
        .unwrap()
}

/// Where `voucher print` writes unless told: Documents/tiski under HOME,
/// else ~/tiski.
fn default_pdf(env: &Env, number: &str) -> PathBuf {
    let docs = env.dir.path().join("Documents").join("tiski");
    let dir = if docs.exists() {
        docs
    } else {
        env.dir.path().join("tiski")
    };
    dir.join(format!("{number}.pdf"))
}

#[test]
fn the_commitment_carries_the_invoicing_details_and_the_issuer() {
    let env = Env::new();
    let number = issue(&env);
    let number = number.as_str();
    // The embedded config leaves the city's invoicing details empty (no
    // made-up number is printed); a desk's own config sets them.
    let effective = env.ok(&["config"]);
    let details = "\ncontact_phone = \"03 123 4567\"\nbusiness_id = \"1234567-8\"\n\
        e_invoice_address = \"003712345678\"\n\
        e_invoice_operator = \"Operaattori Oy (003799999999)\"\n\
        invoice_reference = \"Kustannuspaikka 4410 / liukuesteet\"\n";
    let (head, tail) = effective.split_once("\nissuing_unit = ").unwrap();
    let (unit, rest) = tail.split_once('\n').unwrap();
    let cfg = env.dir.path().join("own.toml");
    std::fs::write(
        &cfg,
        format!("{head}\nissuing_unit = {unit}{details}{rest}"),
    )
    .unwrap();
    let cfg = cfg.to_str().unwrap();
    // Without the details: none of their labels is printed.
    let bare = env.dir.path().join("bare.pdf");
    env.ok(&["voucher", "print", number, "--out", bare.to_str().unwrap()]);
    let text = pdf_text(&bare);
    for label in [
        "Puh.",
        "Y-tunnus",
        "Verkkolaskuosoite",
        "Välittäjä",
        "Viite laskulle",
    ] {
        assert!(!text.contains(label), "{label:?} printed empty:\n{text}");
    }
    let out = env.dir.path().join("s.pdf");
    env.ok(&[
        "--config",
        cfg,
        "voucher",
        "print",
        number,
        "--out",
        out.to_str().unwrap(),
        "--issuer",
        "Maija Myöntäjä",
        "--place",
        "Lahti",
    ]);
    let text = pdf_text(&out);
    let today = chrono::Local::now().date_naive();
    let date = |lang| tiski::locale::date(today, lang);
    // The config's values, each with its label.
    for want in [
        "Puh. 03 123 4567",
        "Y-tunnus",
        "1234567-8",
        "Verkkolaskuosoite (OVT)",
        "003712345678",
        "Välittäjä",
        "Operaattori Oy",
        "Viite laskulle",
        "Kustannuspaikka 4410",
        "Maija Myöntäjä",
        &format!("Lahti {}", date(Lang::Fi)),
        "Liike täyttää",
        "Ostopäivä",
        "Summa €",
        "Kuitin numero",
        "Myyjän allekirjoitus",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    assert!(!text.contains("KOPIO"), "{text}");
    // Without --place the config's issuer_place (Heinola) is printed.
    env.ok(&[
        "--config",
        cfg,
        "voucher",
        "print",
        number,
        "--out",
        out.to_str().unwrap(),
        "--force",
        "--lang",
        "en",
    ]);
    // For a Finnish shop: in Finnish whatever the user's language.
    let text = pdf_text(&out);
    assert!(
        text.contains(&format!("Heinola {}", date(Lang::Fi))),
        "{text}"
    );
    assert!(text.contains("Y-tunnus") && text.contains("Kuitin numero"));
    assert!(!text.contains("Business ID") && !text.contains("PAYMENT"));
}

#[test]
fn a_used_or_cancelled_voucher_prints_only_as_a_copy_with_copy() {
    let env = Env::new();
    let (used, cancelled) = (issue(&env), issue(&env));
    env.ok(&["voucher", "use", &used, "--amount", "50"]);
    env.ok(&["voucher", "cancel", &cancelled, "--reason", "virhe"]);
    let err = fails(&env.run(&["voucher", "print", &used]));
    assert!(
        err.contains(&format!("{used} on käytetty")) && err.contains("--copy"),
        "{err}"
    );
    let err = fails(&env.run(&["voucher", "print", &cancelled, "--lang", "en"]));
    assert!(
        err.contains(&format!("{cancelled} is cancelled")) && err.contains("--copy"),
        "{err}"
    );
    assert!(!default_pdf(&env, &used).exists(), "nothing written");
    // In Finnish for the shop, whatever the user's language.
    for (number, lang, mark) in [(&used, "fi", "KOPIO"), (&cancelled, "en", "KOPIO")] {
        let said = env.ok(&["voucher", "print", number, "--copy", "--lang", lang]);
        assert!(said.contains(&format!("{number}.pdf")), "{said}");
        let text = pdf_text(&default_pdf(&env, number));
        assert!(text.contains(mark), "{mark} not in:\n{text}");
    }
}

/// A stand-in `lp` in a folder of its own: it records its arguments in
/// `args` next to it and exits with `code`, saying `said` on stderr.
#[cfg(unix)]
fn fake_lp(env: &Env, code: i32, said: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = env.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let lp = bin.join("lp");
    std::fs::write(
        &lp,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args\"\necho 'request id is x-1 (1 file(s))'\necho '{said}' >&2\nexit {code}\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&lp, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

/// PATH with `first` before the test's own.
#[cfg(unix)]
fn path_with(first: &Path) -> std::ffi::OsString {
    let mut paths = vec![first.to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

#[cfg(unix)]
#[test]
fn printer_sends_the_written_pdf_to_lp() {
    let env = Env::new();
    let number = issue(&env);
    let number = number.as_str();
    let bin = fake_lp(&env, 0, "");
    let out = env
        .cmd()
        .env("PATH", path_with(&bin))
        .args(["voucher", "print", number, "--printer"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8(out.stdout).unwrap();
    let pdf = default_pdf(&env, number);
    assert!(
        said.contains("lähetetty oletustulostimelle (lp)")
            && said.contains(&pdf.display().to_string()),
        "{said}"
    );
    // lp got the written file, by its absolute path, and nothing else;
    // the file stays.
    let args = std::fs::read_to_string(bin.join("args")).unwrap();
    assert_eq!(args, format!("{}\n", pdf.display()));
    assert!(pdf.is_absolute() && pdf.exists());
    assert!(
        !said.contains("request id"),
        "lp's own output is not passed on"
    );
}

#[cfg(unix)]
#[test]
fn a_refusing_or_missing_lp_names_the_command_and_the_file() {
    let env = Env::new();
    let number = issue(&env);
    let number = number.as_str();
    let pdf = default_pdf(&env, number);
    let bin = fake_lp(&env, 1, "lp: Error - No default destination.");
    let out = env
        .cmd()
        .env("PATH", path_with(&bin))
        .args(["voucher", "print", number, "--printer", "--lang", "en"])
        .output()
        .unwrap();
    let err = fails(&out);
    assert!(
        err.contains("printing failed: lp said: lp: Error - No default destination."),
        "{err}"
    );
    assert!(err.contains(&pdf.display().to_string()), "{err}");
    assert!(pdf.exists(), "the file is kept");

    // No lp anywhere on PATH.
    std::fs::remove_file(&pdf).unwrap();
    let empty = env.dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = env
        .cmd()
        .env("PATH", &empty)
        .args(["--lang", "fi", "voucher", "print", number, "--printer"])
        .output()
        .unwrap();
    let err = fails(&out);
    assert!(
        err.contains("tulostus ei onnistunut: lp ei ole käytettävissä"),
        "{err}"
    );
    assert!(err.contains(&pdf.display().to_string()), "{err}");
    assert!(pdf.exists(), "written before printing was tried");
}

/// `P` in the register, by keys in a pseudo-terminal with the stand-in
/// `lp` first on PATH: the file goes to lp and the status line says so in
/// one line; a refusing lp is named in the status line, the file kept.
#[cfg(unix)]
#[test]
fn p_in_the_register_sends_the_pdf_to_the_printer() {
    use super::e2e::Tui;
    let env = Env::new();
    let number = issue(&env);
    let bin = fake_lp(&env, 0, "");
    let prelude = format!("PATH='{}':\"$PATH\"", bin.display());
    let mut tui = Tui::start_via_sh(&env, &prelude, &["--profile", "ikaihmiset"]);
    tui.wait_for("Uusi käynti");
    tui.key_then("m", &number);
    tui.key_then("P", "lähetetään oletustulostimelle");
    tui.key_then("\r", "Lähetetty tulostimelle");
    let pdf = default_pdf(&env, &number);
    let args = std::fs::read_to_string(bin.join("args")).unwrap();
    assert_eq!(args, format!("{}\n", pdf.display()));
    let status = tui
        .contents()
        .lines()
        .find(|l| l.contains("Lähetetty tulostimelle"))
        .unwrap()
        .trim_end()
        .to_string();
    assert!(status.chars().count() <= 80, "{status}");
    assert!(status.contains(&format!("{number}.pdf")), "{status}");

    // Now lp refuses: said in the status line, naming lp and the file.
    fake_lp(&env, 1, "no default destination");
    tui.key_then("P", "lähetetään oletustulostimelle");
    tui.key_then("\r", "Ei tulostettu (lp: no default destination)");
    assert!(tui.contents().contains(&format!("{number}.pdf")));
    assert!(pdf.exists());
}

/// Until the config has the invoicing details, every print and `tiski
/// doctor` say which are missing; once they are set, neither does
/// (issue 26, item 7).
#[test]
fn print_and_doctor_say_which_invoicing_details_are_missing() {
    let env = Env::new();
    let number = issue(&env);
    let out = env.dir.path().join("a.pdf");
    let run = env.run(&[
        "--lang",
        "en",
        "voucher",
        "print",
        &number,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("business ID (business_id), e-invoice address (e_invoice_address), operator (e_invoice_operator)")
            && err.contains("[profiles.ikaihmiset.vouchers]"),
        "{err}"
    );
    let text = pdf_text(&out);
    assert!(text.contains("MAKSUSITOUMUS"), "{text}");
    env.ok(&["backup"]);
    let doctor = env.ok(&["--lang", "fi", "doctor"]);
    assert!(
        doctor.contains("puuttuvat laskutustiedot") && doctor.contains("Y-tunnus (business_id)"),
        "{doctor}"
    );
    // Set (all three): nothing said.
    let effective = env.ok(&["config"]);
    let details = "\nbusiness_id = \"1234567-8\"\ne_invoice_address = \"003712345678\"\n\
        e_invoice_operator = \"Operaattori Oy (003799999999)\"\n";
    let (head, tail) = effective.split_once("\nissuing_unit = ").unwrap();
    let (unit, rest) = tail.split_once('\n').unwrap();
    let cfg = env.dir.path().join("own.toml");
    std::fs::write(
        &cfg,
        format!("{head}\nissuing_unit = {unit}{details}{rest}"),
    )
    .unwrap();
    let cfg = cfg.to_str().unwrap();
    let run = env.run(&[
        "--config",
        cfg,
        "voucher",
        "print",
        &number,
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert!(run.status.success());
    assert!(
        run.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let doctor = env.ok(&["--config", cfg, "doctor"]);
    assert!(!doctor.contains("laskutustiedot"), "{doctor}");
}

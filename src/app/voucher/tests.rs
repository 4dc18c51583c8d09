//! Voucher state tests: keys through the real keymap into `App::update`,
//! then assertions on state, the store and the files written.

use chrono::NaiveDateTime;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::*;
use crate::app::Duty;
use crate::store::Store;
use crate::voucher::{Cents, Status, VoucherError};

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn app_on(store: Store, profile: &str) -> App {
    App::opening(store, at("2023-11-14 10:00"))
        .profile(profile)
        .open()
        .unwrap()
}

fn app() -> App {
    app_on(Store::open_in_memory().unwrap(), "ikaihmiset")
}

/// `\n` Enter, `\t` Tab, `\x1b` Esc, `↓`/`↑` arrows.
fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\t' => KeyCode::Tab,
            '\x1b' => KeyCode::Esc,
            '↓' => KeyCode::Down,
            '↑' => KeyCode::Up,
            '\x08' => KeyCode::Backspace,
            c => KeyCode::Char(c),
        };
        if let Some(a) = crate::keymap::map(app, KeyEvent::from(code)) {
            app.update(a);
        }
    }
}

fn duty(app: &App) -> &Duty {
    app.duty.as_ref().unwrap()
}

fn form(app: &App) -> &VoucherForm {
    match &duty(app).modal {
        Some(Modal::Voucher(f)) => f,
        other => panic!("no voucher form: {other:?}"),
    }
}

fn notice(app: &App) -> &IssuedNotice {
    match &duty(app).modal {
        Some(Modal::VoucherIssued(n)) => n,
        other => panic!("no notice: {other:?}"),
    }
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn v_issues_a_voucher_with_the_visit_and_shows_its_number() {
    let mut a = app();
    assert_eq!(duty(&a).vouchers.in_force, 0);
    // A topic chosen before `v` is kept; the voucher topic is added.
    press(&mut a, "2v");
    assert_eq!(form(&a).field, FormField::Product);
    press(&mut a, "\n");
    assert!(
        form(&a)
            .error
            .as_deref()
            .unwrap()
            .contains("Valitse ensin tuote")
    );
    assert!(duty(&a).today.is_empty(), "nothing saved without a product");
    press(&mut a, "21948\n");
    let n = notice(&a);
    assert_eq!(n.number, "LE-2023-001");
    assert_eq!(n.valid_until.to_string(), "2024-02-29");
    assert!(n.warnings.is_empty());
    let d = duty(&a);
    assert_eq!(d.vouchers.in_force, 1);
    assert_eq!(d.counters.session, 1);
    assert_eq!(d.today[0].entry.topics, ["digituki", "liukuesteet"]);
    assert!(d.form.topics.is_empty(), "the form resets");
    assert_eq!(d.vouchers.by_visit[&d.today[0].id], "LE-2023-001");
    let issued = a.texts().voucher_issued("LE-2023-001", "29.2.2024");
    assert!(status(&a).contains(&issued), "{}", status(&a));
    let v = a.store.voucher_by_number("LE-2023-001").unwrap();
    assert_eq!(v.product, "nastakengat");
    assert_eq!(v.birth_year, Some(1948));
    assert!(!v.checked_identity);
    press(&mut a, " ");
    assert!(duty(&a).modal.is_none(), "any key closes the notice");
}

#[test]
fn undo_cancels_the_voucher_and_the_next_one_takes_a_new_number() {
    let mut a = app();
    press(&mut a, "v1\n ");
    press(&mut a, "u");
    assert!(
        matches!(&duty(&a).modal, Some(Modal::Confirm(crate::app::Confirm::Undo(_, _, n))) if n == "LE-2023-001"),
        "a visit with a voucher asks first"
    );
    press(&mut a, "k");
    assert!(
        status(&a).contains("LE-2023-001 (mitätöidään samalla)"),
        "{}",
        status(&a)
    );
    assert_eq!(duty(&a).vouchers.in_force, 0);
    let v = a.store.voucher_by_number("LE-2023-001").unwrap();
    assert_eq!(v.stored_status, Status::Cancelled);
    press(&mut a, "v1\n");
    assert_eq!(notice(&a).number, "LE-2023-002");
}

#[test]
fn the_duplicate_check_warns_and_a_second_enter_issues_anyway() {
    let mut a = app();
    // Product, birth date, Tab, name: the order Tab goes in.
    press(&mut a, "v114.2.1948\tMatti Virtanen\n ");
    assert!(
        a.store
            .voucher_by_number("LE-2023-001")
            .unwrap()
            .checked_identity
    );
    // Same person, typed differently: warned, nothing saved yet.
    press(&mut a, "v214.02.1948\tvirtanen matti\n");
    assert_eq!(
        form(&a).birth_year.value(),
        "1948",
        "the year from the date"
    );
    // The earlier voucher with its product, date and status.
    assert_eq!(
        form(&a).duplicates.as_deref(),
        Some("LE-2023-001 (Kenkien liukuesteet, 14.11.2023, voimassa)")
    );
    assert_eq!(duty(&a).counters.session, 1);
    press(&mut a, "\n");
    assert_eq!(notice(&a).number, "LE-2023-002");
    // Another person is no duplicate.
    press(&mut a, " v114.2.1948\tMaija Virtanen\n");
    assert_eq!(notice(&a).number, "LE-2023-003");
}

#[test]
fn bad_input_in_the_form_is_said_and_nothing_is_saved() {
    let mut a = app();
    press(&mut a, "v11890\n");
    assert!(form(&a).error.as_deref().unwrap().contains("\"1890\""));
    press(&mut a, "\x08\x08\x08\x0831.2.1948\tMatti\n");
    let bad_date = a.texts().voucher_error(&VoucherError::BadBirthDate);
    assert_eq!(form(&a).error.as_deref(), Some(bad_date.as_str()));
    // Esc in a field goes back to the product; a second Esc closes.
    press(&mut a, "\x1b");
    assert_eq!(form(&a).field, FormField::Product);
    press(&mut a, "\x1b");
    assert!(duty(&a).modal.is_none());
    assert!(
        status(&a).contains("mitään ei tallennettu"),
        "{}",
        status(&a)
    );
    assert!(duty(&a).today.is_empty());
    assert_eq!(duty(&a).vouchers.in_force, 0);
}

#[test]
fn a_young_birth_year_warns_but_does_not_block() {
    let mut a = app();
    press(&mut a, "v11970");
    assert_eq!(a.voucher_warnings("1970").len(), 1);
    press(&mut a, "\n");
    let n = notice(&a);
    assert_eq!(n.number, "LE-2023-001");
    assert!(n.warnings[0].contains("53"), "{:?}", n.warnings);
}

#[test]
fn a_profile_without_vouchers_says_so() {
    let mut a = app_on(Store::open_in_memory().unwrap(), "kotouttaminen");
    press(&mut a, "v");
    assert!(duty(&a).modal.is_none());
    assert!(status(&a).contains("ei ole maksusitoumuksia"));
    press(&mut a, "m");
    assert_eq!(a.view, View::Duty);
}

#[test]
fn the_register_marks_used_and_cancelled_and_refuses_bad_changes() {
    let mut a = app();
    press(&mut a, "v1\n v2\n ");
    press(&mut a, "m");
    assert_eq!(a.view, View::Vouchers);
    let r = duty(&a).vouchers.register.as_ref().unwrap();
    assert_eq!(r.shown(a.now.date()).len(), 2);
    // Newest first: LE-2023-002 (studded shoes, max 60 €) is selected.
    press(&mut a, "k61\n");
    let too_high = a.texts().voucher_error(&VoucherError::AmountTooHigh {
        number: "LE-2023-002".into(),
        amount: Cents(6100),
        max: Cents(6000),
    });
    // As a sentence in the status line.
    assert_eq!(
        status(&a),
        format!("S{}", too_high.strip_prefix('s').unwrap())
    );
    let r = duty(&a).vouchers.register.as_ref().unwrap();
    assert!(r.dialog.is_some(), "the dialog stays open with the input");
    press(&mut a, "\x08\x08");
    press(&mut a, "59,90\t\tKenkä Oy\n");
    let used = a.texts().voucher_used("LE-2023-002", "59,90 €");
    assert!(status(&a).contains(&used), "{}", status(&a));
    let v = a.store.voucher_by_number("LE-2023-002").unwrap();
    assert_eq!(v.stored_status, Status::Used);
    assert_eq!(v.shop.as_deref(), Some("Kenkä Oy"));
    press(&mut a, "xturha\n");
    assert!(status(&a).contains("ei voi mitätöidä"), "{}", status(&a));
    press(&mut a, "\x1b↓xväärä tuote\n");
    assert!(status(&a).contains("LE-2023-001 mitätöity"));
    assert_eq!(
        a.store
            .voucher_by_number("LE-2023-001")
            .unwrap()
            .cancel_reason
            .as_deref(),
        Some("väärä tuote")
    );
    assert_eq!(duty(&a).vouchers.in_force, 1);
    // Filters: valid (none now), used (one).
    press(&mut a, "f");
    let r = duty(&a).vouchers.register.as_ref().unwrap();
    assert_eq!(r.filter, Some(Status::Issued));
    assert!(r.shown(a.now.date()).is_empty());
    press(&mut a, "f");
    let r = duty(&a).vouchers.register.as_ref().unwrap();
    assert_eq!(r.shown(a.now.date())[0].number, "LE-2023-002");
    press(&mut a, "s");
    let r = duty(&a).vouchers.register.as_ref().unwrap();
    let s = r.summary.as_ref().expect("summary shown");
    assert_eq!(
        (s.total.issued, s.total.used, s.total.cancelled),
        (1, 1, 1),
        "as in force: {}",
        duty(&a).vouchers.in_force
    );
    // A register key does nothing under the summary; its own key closes it.
    press(&mut a, "x");
    let r = duty(&a).vouchers.register.as_ref().unwrap();
    assert!(r.summary.is_some() && r.dialog.is_none());
    press(&mut a, "s");
    let r = duty(&a).vouchers.register.as_ref().unwrap();
    assert!(r.summary.is_none() && r.dialog.is_none());
    press(&mut a, "\x1b");
    assert_eq!(a.view, View::Duty);
}

/// The commitment goes to a Finnish shop: printed from an English screen
/// it is in Finnish all the same, with Finnish dates (issue 26, item 7).
#[test]
fn a_commitment_printed_from_an_english_screen_is_in_finnish() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    let mut a = App::opening(store, at("2023-11-14 10:00"))
        .lang(crate::locale::Lang::En)
        .profile("ikaihmiset")
        .open()
        .unwrap();
    a.duty.as_mut().unwrap().vouchers.print_dir = Some(dir.path().join("pdf"));
    press(&mut a, "v1\np\n");
    let path = dir.path().join("pdf").join("LE-2023-001.pdf");
    let text = lopdf::Document::load(&path)
        .unwrap()
        .extract_text(&[1])
        .unwrap();
    for want in [
        "MAKSUSITOUMUS",
        "Kenkien liukuesteet",
        "29.2.2024",
        "Voimassa",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    for english in ["PAYMENT", "Valid until", "2024-02-29", "Anti-slip"] {
        assert!(!text.contains(english), "{english:?} in:\n{text}");
    }
    // The config has no invoicing details: the status says so.
    let said = status(&a);
    assert!(said.contains("Note: invoicing details missing"), "{said}");
}

/// `second_language = "en"` in the config: the English words stand beside
/// the Finnish ones; the dates stay Finnish.
#[test]
fn a_second_language_from_the_config_stands_beside_the_finnish() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = crate::config::Config::embedded();
    if let Some(v) = config
        .profiles
        .get_mut("ikaihmiset")
        .and_then(|p| p.vouchers.as_mut())
    {
        v.second_language = Some(crate::locale::Lang::En);
    }
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    let mut a = App::opening(store, at("2023-11-14 10:00"))
        .config(config)
        .profile("ikaihmiset")
        .open()
        .unwrap();
    a.duty.as_mut().unwrap().vouchers.print_dir = Some(dir.path().join("pdf"));
    press(&mut a, "v1\np\n");
    let path = dir.path().join("pdf").join("LE-2023-001.pdf");
    let text = lopdf::Document::load(&path)
        .unwrap()
        .extract_text(&[1])
        .unwrap();
    for want in [
        "MAKSUSITOUMUS / PAYMENT COMMITMENT",
        "Voimassa asti / Valid until",
        "Liike täyttää / To be filled in by the shop",
        "29.2.2024",
        "Kenkien liukuesteet",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
}

#[test]
fn printing_writes_a_pdf_with_the_name_which_is_never_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tiski.db");
    let mut a = app_on(Store::open(&db).unwrap(), "ikaihmiset");
    a.duty.as_mut().unwrap().vouchers.print_dir = Some(dir.path().join("pdf"));
    press(&mut a, "v11.3.1944\tAino Äijälä\n");
    // The name typed for the duplicate check is there for printing: `p`
    // on the notice, then Enter, without typing it again.
    press(&mut a, "p");
    match duty(&a)
        .vouchers
        .register
        .as_ref()
        .and_then(|r| r.dialog.as_ref())
    {
        Some(Dialog::Print { name, .. }) => assert_eq!(name.value(), "Aino Äijälä"),
        other => panic!("no print dialog: {other:?}"),
    }
    press(&mut a, "\n");
    let path = dir.path().join("pdf").join("LE-2023-001.pdf");
    // One line of the status at 80 columns: the path loses its start.
    // The embedded config has no invoicing details: a note says so after.
    let said = status(&a);
    let (said, note) = said.split_once(" Huom: ").unwrap();
    assert!(
        note.contains("Y-tunnus, verkkolaskuosoite, välittäjä"),
        "{note}"
    );
    assert!(said.chars().count() <= 79, "{said}");
    assert!(said.starts_with("Tallennettu: "), "{said}");
    let tail = format!("{0}pdf{0}LE-2023-001.pdf", std::path::MAIN_SEPARATOR);
    assert!(said.contains(&tail), "{said}");
    assert!(said.ends_with("nimi: poista tulostettuasi"), "{said}");
    use crate::platform::tests::private;
    assert!(private(&path));
    assert!(private(path.parent().unwrap()));
    let doc = lopdf::Document::load(&path).unwrap();
    let text = doc.extract_text(&[1]).unwrap();
    for want in [
        "MAKSUSITOUMUS",
        "LE-2023-001",
        "Kenkien liukuesteet",
        "30,00 €",
        "29.2.2024",
        "14.11.2023",
        "Aino Äijälä",
        "Kertakäyttöinen",
        "henkilöllisyystodistuksesta",
        "Laskutusohjeet",
        "Heinolan kaupunki",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    let App { store, .. } = a;
    drop(store);
    // Neither the name typed for the check nor for printing is on disk.
    for f in ["tiski.db", "tiski.db-wal"] {
        if let Ok(bytes) = std::fs::read(dir.path().join(f)) {
            for needle in ["Aino", "Äijälä", "1944"] {
                let n = needle.as_bytes();
                assert!(
                    !bytes.windows(n.len()).any(|w| w == n),
                    "{needle} found in {f}"
                );
            }
        }
    }
}

/// `/` searches the register by number, product or status; an empty list
/// says why; a cancelled voucher shows as cancelled in today's list
/// (issue 15, item 11).
#[test]
fn the_register_searches_and_says_why_it_is_empty() {
    let mut a = app();
    // Two anti-slip devices, one pair of studded shoes.
    press(&mut a, "v1\n v2\n v1\n ");
    press(&mut a, "m");
    let shown = |a: &App| -> Vec<String> {
        let r = duty(a).vouchers.register.as_ref().unwrap();
        r.shown(a.now.date())
            .iter()
            .map(|v| v.number.clone())
            .collect()
    };
    assert_eq!(shown(&a).len(), 3);
    press(&mut a, "/nasta");
    assert_eq!(shown(&a), ["LE-2023-002"], "by product, any case");
    let r = duty(&a).vouchers.register.as_ref().unwrap();
    assert!(r.searching && r.search.value() == "nasta");
    // Keys go into the search while it is typed: `x` does not cancel.
    press(&mut a, "\x08\x08\x08\x08\x08003\n");
    assert_eq!(shown(&a), ["LE-2023-003"], "by number");
    assert!(!duty(&a).vouchers.register.as_ref().unwrap().searching);
    // The search stays; the register's keys work on what it shows.
    press(&mut a, "xväärä\n");
    assert!(
        status(&a).contains("LE-2023-003 mitätöity"),
        "{}",
        status(&a)
    );
    press(&mut a, "/\x1b");
    assert_eq!(shown(&a).len(), 3, "Esc clears the search");
    press(&mut a, "/MITÄTÖITY\n");
    assert_eq!(shown(&a), ["LE-2023-003"], "by status");
    press(&mut a, "/\x1b");
    // Valid only, and nothing matches the search: the reasons differ.
    let t = a.texts();
    let mut b = app();
    press(&mut b, "v1\n m");
    press(&mut b, "xsyy\nf");
    let r = duty(&b).vouchers.register.as_ref().unwrap();
    assert_eq!(r.filter, Some(Status::Issued));
    assert!(r.shown(b.now.date()).is_empty());
    assert_eq!(
        t.register_none_with(Status::Issued),
        "Ei voimassa olevia sitoumuksia."
    );
    // Today's list marks the cancelled voucher.
    press(&mut a, "\x1b");
    assert!(duty(&a).vouchers.cancelled.contains("LE-2023-003"));
    assert!(!duty(&a).vouchers.cancelled.contains("LE-2023-001"));
}

#[test]
fn a_visit_whose_voucher_is_used_is_refused_before_asking_to_delete_it() {
    let mut a = app();
    press(&mut a, "v1\n ");
    let day = a.now.date();
    a.store
        .use_voucher(
            "LE-2023-001",
            Cents(2000),
            day,
            None,
            &crate::store::test_support::stamp(),
        )
        .unwrap();
    a.update(crate::app::Action::DeleteSelected);
    assert!(duty(&a).modal.is_none(), "no question to answer in vain");
    assert!(
        status(&a).starts_with("Käyntiä ei poisteta: maksusitoumus LE-2023-001 on jo käytetty"),
        "{}",
        status(&a)
    );
    assert!(status(&a).chars().count() < 79, "fits the status line");
    assert_eq!(duty(&a).today.len(), 1, "the visit stays");
}

fn dialog(a: &App) -> Option<&Dialog> {
    duty(a)
        .vouchers
        .register
        .as_ref()
        .and_then(|r| r.dialog.as_ref())
}

fn pdf_text(path: &std::path::Path) -> String {
    lopdf::Document::load(path)
        .unwrap()
        .extract_text(&[1])
        .unwrap()
}

/// A used voucher is asked about first and printed only as a copy
/// marked KOPIO; `e` prints nothing. The issuer and place typed in the
/// dialog are printed and offered again next time.
#[test]
fn printing_a_used_voucher_asks_first_and_marks_the_copy() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app();
    a.duty.as_mut().unwrap().vouchers.print_dir = Some(dir.path().to_path_buf());
    let path = dir.path().join("LE-2023-001.pdf");
    press(&mut a, "v1\n ");
    press(&mut a, "m");
    // Valid: straight to the dialog, offering the config's place.
    press(&mut a, "p");
    match dialog(&a) {
        Some(Dialog::Print {
            copy,
            place,
            issuer,
            ..
        }) => {
            assert!(!copy);
            assert_eq!((issuer.value(), place.value()), ("", "Heinola"));
        }
        other => panic!("no print dialog: {other:?}"),
    }
    press(&mut a, "\x1b");
    press(&mut a, "k25\n");
    assert_eq!(
        a.store
            .voucher_by_number("LE-2023-001")
            .unwrap()
            .stored_status,
        Status::Used
    );
    press(&mut a, "p");
    assert_eq!(
        dialog(&a),
        Some(&Dialog::ConfirmCopy {
            number: "LE-2023-001".into(),
            status: Status::Used,
            printer: false,
        })
    );
    // No: nothing written, and it says so.
    press(&mut a, "e");
    assert_eq!(dialog(&a), None);
    assert_eq!(status(&a), "Kopiota ei tulostettu.");
    assert!(!path.exists());
    // Yes: the dialog for a copy; the issuer and place typed there.
    press(&mut a, "pk");
    assert!(matches!(dialog(&a), Some(Dialog::Print { copy: true, .. })));
    press(
        &mut a,
        "\tMaija Myöntäjä\t\x08\x08\x08\x08\x08\x08\x08Lahti\n",
    );
    assert_eq!(dialog(&a), None, "{}", status(&a));
    let text = pdf_text(&path);
    for want in [
        "KOPIO",
        "ei kelpaa uuteen ostoon",
        "Maija Myöntäjä",
        "Lahti 14.11.2023",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    // Offered again in the next print.
    press(&mut a, "pk");
    match dialog(&a) {
        Some(Dialog::Print { issuer, place, .. }) => {
            assert_eq!((issuer.value(), place.value()), ("Maija Myöntäjä", "Lahti"));
        }
        other => panic!("no print dialog: {other:?}"),
    }
    // Esc on the question closes it too.
    press(&mut a, "\x1bp\x1b");
    assert_eq!(dialog(&a), None);
}

/// A valid voucher printed is no copy.
#[test]
fn a_valid_voucher_prints_without_the_copy_mark() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app();
    a.duty.as_mut().unwrap().vouchers.print_dir = Some(dir.path().to_path_buf());
    press(&mut a, "v1\n m p\n");
    let text = pdf_text(&dir.path().join("LE-2023-001.pdf"));
    assert!(
        text.contains("MAKSUSITOUMUS") && !text.contains("KOPIO"),
        "{text}"
    );
    assert!(text.contains("Liike täyttää") && text.contains("Kuitin numero"));
}

#[test]
fn cancelling_without_a_reason_keeps_the_dialog_open_and_says_why() {
    let mut a = app();
    press(&mut a, "v1\n ");
    press(&mut a, "m");
    press(&mut a, "x\n");
    assert!(
        matches!(dialog(&a), Some(Dialog::Cancel { .. })),
        "kept open: {:?}",
        dialog(&a)
    );
    assert!(
        status(&a).starts_with("Anna maksusitoumuksen LE-2023-001 mitätöinnin syy"),
        "{}",
        status(&a)
    );
    press(&mut a, "virhe\n");
    assert!(dialog(&a).is_none());
    assert!(
        status(&a).contains("LE-2023-001 mitätöity"),
        "{}",
        status(&a)
    );
}

/// After the product key the form is at the birth date already; a Tab
/// pressed then, as the hint says, stays there instead of skipping it
/// (found trying the form as a new user). The next Tab goes on.
#[test]
fn a_tab_right_after_the_product_key_does_not_skip_the_birth_date() {
    let mut a = app();
    press(&mut a, "v1");
    assert_eq!(form(&a).field, FormField::BirthDate);
    press(&mut a, "\t");
    assert_eq!(
        form(&a).field,
        FormField::BirthDate,
        "where Tab was meant to go"
    );
    press(&mut a, "14.2.1948\t");
    assert_eq!(form(&a).field, FormField::Name);
    assert_eq!(form(&a).birth_year.value(), "1948");
    press(&mut a, "\t\t");
    assert_ne!(form(&a).field, FormField::Name, "Tab moves on as ever");
}

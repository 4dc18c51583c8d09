//! The speech of the screen-reader mode, from the app's state: actions
//! applied to an `App` on an in-memory store, and the lines said.

use chrono::NaiveDate;

use super::{after, before, full};
use crate::app::{Action, App, Hold};
use crate::config::Config;
use crate::keys::{Bar, DUTY};
use crate::locale::Lang;
use crate::store::Store;

fn app(lang: Lang) -> App {
    let now = NaiveDate::from_ymd_opt(2023, 11, 14)
        .unwrap()
        .and_hms_opt(10, 7, 0)
        .unwrap();
    let mut a = App::new(
        Config::embedded(),
        lang,
        Store::open_in_memory().unwrap(),
        now,
        Some("ikaihmiset"),
        None,
        Hold::Off,
    )
    .unwrap();
    a.reader = true;
    a
}

/// Applies `action` and returns what is said.
fn say(a: &mut App, action: Action) -> Vec<String> {
    let b = before(a);
    a.update(action.clone());
    after(&b, &action, a)
}

#[test]
fn a_topic_is_said_ticked_and_unticked_by_its_number() {
    let mut a = app(Lang::Fi);
    assert_eq!(
        say(&mut a, Action::ToggleTopic(1)),
        ["Aihe 2 Digituki valittu"]
    );
    assert_eq!(
        say(&mut a, Action::ToggleTopic(1)),
        ["Aihe 2 Digituki ei valittu"]
    );
    let mut en = app(Lang::En);
    assert_eq!(
        say(&mut en, Action::ToggleTopic(1)),
        ["Topic 2 Digital help chosen"]
    );
}

#[test]
fn a_save_says_its_time_and_the_counters_and_undo_says_them_again() {
    let mut a = app(Lang::Fi);
    say(&mut a, Action::ToggleTopic(1));
    assert_eq!(
        say(&mut a, Action::Save),
        [
            "Tallennettu klo 10.07. Tämä päivystys 1, tänään 1, vuoden keskiarvo 1,0 (1 päivystys). u kumoaa."
        ]
    );
    assert_eq!(
        say(&mut a, Action::Undo),
        [
            "Klo 10.07 käynti kumottu (Digituki)",
            "Tämä päivystys 0, tänään 0, vuoden keskiarvo 0,0 (1 päivystys)."
        ]
    );
}

#[test]
fn an_error_is_said_as_one_not_by_its_colour() {
    let mut a = app(Lang::Fi);
    let lines = say(&mut a, Action::Save);
    let status = a.status.clone().expect("a visit without topics is refused");
    assert!(status.error);
    assert_eq!(lines, [format!("Virhe: {}", status.text)]);
}

#[test]
fn a_question_is_said_with_its_answer_keys_and_the_answer_after_it() {
    let mut a = app(Lang::Fi);
    say(&mut a, Action::ToggleTopic(1));
    say(&mut a, Action::Save);
    say(&mut a, Action::ToggleFocus);
    let asked = say(&mut a, Action::DeleteSelected);
    assert_eq!(
        asked,
        [
            "Poistetaanko klo 10.07 käynti (Digituki)?",
            "Vastaa k kyllä tai e ei."
        ]
    );
    // Space says the question again.
    assert_eq!(say(&mut a, Action::ReadBack), asked);
    let answered = say(&mut a, Action::Answer(true));
    assert_eq!(answered[0], "Klo 10.07 käynti poistettu (Digituki)");
}

#[test]
fn the_help_says_every_key_of_the_view_from_the_key_table() {
    let mut a = app(Lang::Fi);
    let lines = say(&mut a, Action::ShowHelp);
    assert_eq!(lines[0], "Ohje, tämän näkymän näppäimet:");
    let t = a.texts();
    for k in DUTY.iter().filter(|k| !k.events) {
        let what = t.key_help_in(Bar::Form, k.cmd);
        if what.contains('↑') {
            continue; // said with the arrows in words
        }
        assert!(
            lines.iter().any(|l| l.ends_with(&format!(": {what}"))),
            "{:?} not said: {lines:#?}",
            k.cmd
        );
    }
    assert!(lines.iter().any(|l| l.starts_with("välilyönti: ")));
    assert!(lines.iter().any(|l| l.starts_with("iso P: ")), "{lines:#?}");
    // Not a symbol a speech synthesizer may skip.
    assert!(
        lines.iter().all(|l| !l.contains('↑') && !l.contains('←')),
        "{lines:#?}"
    );
}

#[test]
fn space_reads_the_form_back_and_what_is_typed_is_cleaned() {
    let mut a = app(Lang::Fi);
    say(&mut a, Action::ToggleTopic(1));
    a.duty.as_mut().unwrap().form.note = "soitti\u{1b}[31m takaisin".into();
    let lines = say(&mut a, Action::ReadBack);
    assert!(
        lines.contains(&"Aiheet: Digituki.".to_string()),
        "{lines:#?}"
    );
    assert!(lines.contains(&"Ohjattu: ei valittu.".to_string()));
    let note = lines.iter().find(|l| l.starts_with("Huomio")).unwrap();
    assert!(!note.chars().any(char::is_control), "{note:?}");
    assert_eq!(super::finish(full(&a)), lines);
}

/// Keys through the real keymap, and what is said.
fn key(a: &mut App, code: ratatui::crossterm::event::KeyCode) -> Vec<String> {
    let action = crate::keymap::map(a, ratatui::crossterm::event::KeyEvent::from(code))
        .unwrap_or_else(|| panic!("{code:?} does nothing"));
    say(a, action)
}

#[test]
fn space_on_the_issued_voucher_says_its_number_again_and_keeps_it_open() {
    use ratatui::crossterm::event::KeyCode;
    let mut a = app(Lang::Fi);
    key(&mut a, KeyCode::Char('v'));
    key(&mut a, KeyCode::Char('1'));
    let issued = key(&mut a, KeyCode::Enter);
    assert!(
        issued[0].ends_with("myönnetty, voimassa 29.2.2024 asti"),
        "{issued:#?}"
    );
    let again = key(&mut a, KeyCode::Char(' '));
    assert_eq!(again[0], issued[0], "{again:#?}");
    assert!(
        again.contains(&"p tulosta, välilyönti lukee uudelleen, muu näppäin sulkee".to_string())
    );
    assert!(matches!(
        a.duty.as_ref().unwrap().modal,
        Some(crate::app::Modal::VoucherIssued(_))
    ));
}

#[test]
fn another_period_of_the_report_is_said_whole_and_a_no_is_said_cancelled() {
    let mut a = app(Lang::Fi);
    say(&mut a, Action::ToggleTopic(1));
    say(&mut a, Action::Save);
    let year = say(&mut a, Action::ShowReport);
    assert!(year[0].starts_with("Raportti: "), "{year:#?}");
    let month = say(
        &mut a,
        Action::Report(crate::app::ReportAction::Choose(
            crate::report::period::PeriodKind::Month,
        )),
    );
    assert_eq!(month[0], "Raportti: marraskuu 2023 1.11.2023–30.11.2023.");
    assert_eq!(
        month[1],
        "1 päivystys, 1 kävijä, keskimäärin 1,0 kävijää päivystystä kohden."
    );
    assert_eq!(month.len(), year.len(), "{month:#?}");
    say(&mut a, Action::Back);
    say(&mut a, Action::NewSession);
    assert_eq!(say(&mut a, Action::Answer(false)), ["Peruttu."]);
}

#[test]
fn tab_in_the_report_says_the_next_panel_whole_in_words() {
    let mut a = app(Lang::Fi);
    say(&mut a, Action::ToggleTopic(1));
    say(&mut a, Action::Save);
    say(&mut a, Action::ShowReport);
    let next = crate::app::ReportAction::NextPanel(1);
    assert_eq!(
        say(&mut a, Action::Report(next.clone())),
        ["Ohjattu, kaikki: ei yhtään."]
    );
    say(&mut a, Action::Report(next.clone()));
    let fields = say(&mut a, Action::Report(next));
    assert_eq!(fields.len(), 1, "{fields:#?}");
    assert!(
        fields[0].starts_with("Kanava, kaikki: paikan päällä 1.")
            && fields[0].contains("Ikä, kaikki: ei tietoa 1."),
        "{fields:#?}"
    );
}

#[test]
fn typing_is_left_to_the_screen_reader_and_a_field_is_said_with_its_value() {
    use ratatui::crossterm::event::KeyCode;
    let mut a = app(Lang::Fi);
    key(&mut a, KeyCode::Char('v'));
    assert_eq!(
        key(&mut a, KeyCode::Char('2')),
        ["Tuote: Nastakengät.", "Syntymäaika (pp.kk.vvvv): tyhjä."]
    );
    for c in "14.2.1948".chars() {
        assert_eq!(key(&mut a, KeyCode::Char(c)), Vec::<String>::new(), "{c}");
    }
    assert_eq!(key(&mut a, KeyCode::Tab), ["Nimi: tyhjä."]);
    assert_eq!(
        key(&mut a, KeyCode::Tab),
        ["Syntymävuosi (vapaaehtoinen): 1948."]
    );
    assert_eq!(
        key(&mut a, KeyCode::Esc),
        ["Tuote: Nastakengät. Tuote valitaan numerolla 1–3."]
    );
}

#[test]
fn the_register_its_dialogs_and_summary_are_said() {
    use ratatui::crossterm::event::KeyCode;
    let mut a = app(Lang::Fi);
    key(&mut a, KeyCode::Char('v'));
    key(&mut a, KeyCode::Char('1'));
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Char('x'));
    let register = key(&mut a, KeyCode::Char('m'));
    assert_eq!(
        register[0],
        "Maksusitoumusrekisteri, kausi 2023–2024: 1 sitoumusta."
    );
    assert!(
        register
            .contains(&"1/1: LE-2023-001, Kenkien liukuesteet, voimassa, 14.11.2023".to_string()),
        "{register:#?}"
    );
    let used = key(&mut a, KeyCode::Char('k'));
    assert_eq!(used.len(), 1, "{used:#?}");
    assert!(
        used[0].starts_with("Merkitse käytetyksi LE-2023-001. Laskutettu summa"),
        "{used:#?}"
    );
    assert!(used[0].ends_with("Enter valmis, Esc peru."), "{used:#?}");
    assert_eq!(key(&mut a, KeyCode::Esc), ["Suljettu."]);
    let summary = key(&mut a, KeyCode::Char('s'));
    assert!(
        summary.contains(&"Myönnetyt viikoittain: vko 46/2023 1.".to_string()),
        "{summary:#?}"
    );
}

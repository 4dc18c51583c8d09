//! Every form, dialog and prompt types into the one text field (issue 22,
//! item 3; issue 26, items 1 and 2): a pre-filled value is replaced by
//! typing, ← → Home End move, Shift-Tab and ↑ go back a field, a refusal
//! leaves the cursor on the field at fault. Keys go through the real keymap
//! and `App::update`; what was saved is read back from the store.

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use tiski::app::{Action, App};

use super::cli::yes;
use super::snapshots::{at, screen};

fn app(profile: &str, now: &str) -> App {
    super::support::app_at(now).profile(profile).open().unwrap()
}

/// One key, as a terminal sends it (the clock ticks a second first).
fn key(app: &mut App, code: KeyCode) {
    let now = app.now + chrono::Duration::seconds(1);
    app.update(Action::Tick(tiski::clock::Now::at(now)));
    if let Some(action) = tiski::keymap::map(app, KeyEvent::from(code)) {
        app.update(action);
    }
}

fn keys(app: &mut App, codes: &[KeyCode]) {
    for c in codes {
        key(app, *c);
    }
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

use KeyCode::{BackTab, Backspace, Down, End, Enter, Esc, Home, Left, Tab, Up};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%d.%m.%Y").unwrap()
}

fn events(app: &App) -> Vec<tiski::events::Event> {
    let year = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    app.store
        .events_between(Some("perhe"), year(1, 1), year(12, 31))
        .unwrap()
}

/// The screen's rows as text.
fn rows(app: &App) -> Vec<String> {
    let backend = screen(app, 80, 24);
    let buf = backend.buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect()
}

fn row_with<'a>(rows: &'a [String], label: &str) -> &'a str {
    rows.iter()
        .find(|r| r.contains(label))
        .unwrap_or_else(|| panic!("no row with {label:?}:\n{}", rows.join("\n")))
}

#[test]
fn the_event_forms_date_is_typed_over_not_appended_to() {
    let mut a = app("perhe", "2026-12-10 10:00");
    typed(&mut a, "ga");
    typed(&mut a, "Joulupolku");
    key(&mut a, Tab);
    typed(&mut a, "5.12.2026");
    key(&mut a, Tab);
    typed(&mut a, "70");
    // Approx, kind and place as they are; the last Enter saves.
    keys(&mut a, &[Enter, Enter, Enter, Enter]);
    let saved = events(&a);
    assert_eq!(saved.len(), 1, "{:?}", a.status);
    assert_eq!(saved[0].entry.date, day("5.12.2026"));
    assert_eq!(saved[0].entry.count, Some(70));
}

#[test]
fn a_field_is_gone_back_to_with_shift_tab_and_up() {
    let mut a = app("perhe", "2026-12-10 10:00");
    typed(&mut a, "ga");
    typed(&mut a, "Joulupulku");
    keys(&mut a, &[Tab, BackTab]);
    // Back in the title, its value selected: typing replaces it.
    typed(&mut a, "Joulupolku");
    keys(&mut a, &[Down, Down]);
    typed(&mut a, "70");
    keys(&mut a, &[Up, Up]);
    // In the title again; End keeps it and goes on typing at its end.
    key(&mut a, End);
    typed(&mut a, " 2026");
    keys(&mut a, &[Enter, Enter, Enter, Enter, Enter, Enter]);
    let saved = events(&a);
    assert_eq!(saved.len(), 1, "{:?}", a.status);
    assert_eq!(saved[0].entry.title, "Joulupolku 2026");
    assert_eq!(saved[0].entry.count, Some(70));
}

#[test]
fn a_refused_form_leaves_the_cursor_on_the_field_at_fault() {
    let mut a = app("perhe", "2026-12-10 10:00");
    typed(&mut a, "ga");
    typed(&mut a, "Joulupolku");
    key(&mut a, Tab);
    typed(&mut a, "24.12.2026");
    key(&mut a, Tab);
    typed(&mut a, "70");
    keys(&mut a, &[Enter, Enter, Enter, Enter]);
    assert!(events(&a).is_empty(), "a day ahead is refused");
    assert!(a.status.as_ref().is_some_and(|s| s.error));
    // The date is where the cursor is, selected: typed over, and Enter
    // saves at once, the other fields having been seen.
    typed(&mut a, "5.12.2026");
    key(&mut a, Enter);
    let saved = events(&a);
    assert_eq!(saved.len(), 1, "{:?}", a.status);
    assert_eq!(saved[0].entry.date, day("5.12.2026"));
    assert_eq!(saved[0].entry.count, Some(70));
}

#[test]
fn the_kind_of_event_is_picked_from_the_profiles_kinds() {
    let mut a = app("perhe", "2026-12-10 10:00");
    typed(&mut a, "ga");
    typed(&mut a, "Kaatumisten ehkäisy");
    keys(&mut a, &[Enter, Enter]);
    typed(&mut a, "70");
    keys(&mut a, &[Enter, Enter]);
    // In the kind: its list is shown, a digit picks one.
    let shown = rows(&a);
    assert!(
        shown.iter().any(|r| r.contains("3 Luento")),
        "{}",
        shown.join("\n")
    );
    typed(&mut a, "3");
    keys(&mut a, &[Enter, Enter]);
    let saved = events(&a);
    assert_eq!(saved.len(), 1, "{:?}", a.status);
    assert_eq!(saved[0].entry.kind, "luento");
}

#[test]
fn a_meeting_of_the_group_today_with_its_usual_count_takes_three_keys() {
    let mut a = app("perhe", "2026-12-10 10:00");
    let past = at("2026-12-03 12:00");
    let g = tiski::desk::add_group(
        &mut a.store,
        tiski::events::GroupEntry {
            profile: "perhe".into(),
            date: day("1.9.2026"),
            title: "Kaveritaitoryhmä".into(),
            place: "Sinilähde".into(),
            ..Default::default()
        },
        &yes(past),
    )
    .unwrap();
    tiski::desk::add_meeting(&mut a.store, g.id, day("3.12.2026"), 12, &yes(past)).unwrap();
    key(&mut a, KeyCode::Char('g'));
    // k, Enter (today), Enter (the count of the last meeting).
    keys(&mut a, &[KeyCode::Char('k'), Enter, Enter]);
    let group = a.store.group(g.id).unwrap();
    assert_eq!(group.meetings.len(), 2, "{:?}", a.status);
    assert_eq!(group.meetings[1].date, day("10.12.2026"));
    assert_eq!(group.meetings[1].count, 12);
}

#[test]
fn the_voucher_forms_d_goes_to_the_check_and_is_never_typed_into_the_date() {
    let mut a = app("ikaihmiset", "2023-11-14 10:00");
    typed(&mut a, "v1d");
    let shown = rows(&a);
    let date = row_with(&shown, "Syntymäaika");
    assert!(!date.contains(": d"), "{date}");
}

#[test]
fn a_birth_date_in_either_form_gives_the_birth_year() {
    for typed_date in ["14.2.1948", "1948-02-14"] {
        let mut a = app("ikaihmiset", "2023-11-14 10:00");
        typed(&mut a, "v1");
        key(&mut a, Tab);
        typed(&mut a, typed_date);
        key(&mut a, Tab);
        typed(&mut a, "Aino Virtanen");
        key(&mut a, Enter);
        let v = a.store.voucher_by_number("LE-2023-001").unwrap();
        assert_eq!(v.birth_year, Some(1948), "{typed_date}");
        assert!(v.checked_identity, "{typed_date}");
    }
}

#[test]
fn the_use_dialogs_date_is_typed_over() {
    let mut a = app("ikaihmiset", "2023-11-14 10:00");
    typed(&mut a, "v1");
    keys(&mut a, &[Enter, Esc]);
    // A week on, the invoice of the 15th comes in.
    let later = at("2023-11-21 10:00");
    a.update(Action::Tick(tiski::clock::Now::at(later)));
    typed(&mut a, "mk");
    typed(&mut a, "24,90");
    key(&mut a, Tab);
    typed(&mut a, "15.11.2023");
    key(&mut a, Enter);
    let v = a.store.voucher_by_number("LE-2023-001").unwrap();
    assert_eq!(v.used_on, Some(day("15.11.2023")), "{:?}", a.status);
}

#[test]
fn the_visits_time_is_typed_over() {
    let mut a = app("ikaihmiset", "2023-11-14 10:00");
    typed(&mut a, "1");
    keys(&mut a, &[Enter, Tab, Enter]);
    typed(&mut a, "T9.45");
    keys(&mut a, &[Enter, Enter]);
    let today = a
        .store
        .visits_on(Some("ikaihmiset"), day("14.11.2023"))
        .unwrap();
    assert_eq!(today.len(), 1);
    assert_eq!(today[0].at, at("2023-11-14 09:45"), "{:?}", a.status);
}

#[test]
fn the_note_is_edited_where_the_cursor_is() {
    let mut a = app("ikaihmiset", "2023-11-14 10:00");
    typed(&mut a, "1n");
    typed(&mut a, "CV kesken");
    key(&mut a, Home);
    typed(&mut a, "- ");
    key(&mut a, End);
    keys(&mut a, &[Left, Left, Left, Left, Left, Left, Left, Left]);
    key(&mut a, Backspace);
    keys(&mut a, &[Enter, Enter]);
    let today = a
        .store
        .visits_on(Some("ikaihmiset"), day("14.11.2023"))
        .unwrap();
    assert_eq!(today.len(), 1, "{:?}", a.status);
    assert_eq!(today[0].entry.note, "- V kesken");
}

#[test]
fn the_head_count_is_edited_where_the_cursor_is() {
    let mut a = app("ikaihmiset", "2023-11-14 10:00");
    typed(&mut a, "+12");
    key(&mut a, Left);
    typed(&mut a, "0");
    key(&mut a, Enter);
    let counts = a
        .store
        .head_counts_on("ikaihmiset", day("14.11.2023"))
        .unwrap();
    assert_eq!(counts.iter().map(|h| h.n).collect::<Vec<_>>(), [102]);
}

#[test]
fn the_reports_own_period_is_edited_where_the_cursor_is() {
    let mut a = app("ikaihmiset", "2023-11-14 10:00");
    typed(&mut a, "rc");
    typed(&mut a, "1.1.2023-30.6.2023");
    key(&mut a, Home);
    key(&mut a, KeyCode::Delete);
    typed(&mut a, "2");
    key(&mut a, Enter);
    let period = a.duty.as_ref().unwrap().report.as_ref().unwrap().period;
    assert_eq!(
        (period.from, period.to),
        (day("2.1.2023"), day("30.6.2023")),
        "{:?}",
        a.status
    );
}

fn iso(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn report_period(a: &App) -> (NaiveDate, NaiveDate) {
    let p = &a.duty.as_ref().unwrap().report.as_ref().unwrap().period;
    (p.from, p.to)
}

/// The report view's prompt takes every form its refusal names (it took
/// only digits, dots and dashes: `11/2026` became `112026`).
#[test]
fn the_report_prompt_takes_a_month_and_a_week_as_typed() {
    for (typed_period, want) in [
        ("11/2026", ("2026-11-01", "2026-11-30")),
        ("vko 49/2026", ("2026-11-30", "2026-12-06")),
        ("2026-W49", ("2026-11-30", "2026-12-06")),
        ("2025–26", ("2025-11-01", "2026-02-28")),
    ] {
        let mut a = app("ikaihmiset", "2026-12-10 10:00");
        typed(&mut a, "rc");
        typed(&mut a, typed_period);
        let value = a.focused_input().map(|t| t.value().to_string());
        key(&mut a, Enter);
        assert_eq!(
            report_period(&a),
            (iso(want.0), iso(want.1)),
            "typed {typed_period:?}, the field held {value:?}, status {:?}",
            a.status
        );
    }
}

/// A refused period: the prompt's row holds only the prompt (a status
/// message drawn under it showed after the cursor), and the refusal, with
/// the forms it names, fits under it at 80 columns.
#[test]
fn a_refused_period_is_shown_whole_under_a_clean_prompt() {
    for lang in [tiski::locale::Lang::Fi, tiski::locale::Lang::En] {
        let mut a = super::support::app_at("2026-12-10 10:00")
            .profile("ikaihmiset")
            .lang(lang)
            .open()
            .unwrap();
        typed(&mut a, "rc1");
        key(&mut a, Enter);
        let shown = rows(&a);
        let prompt = &shown[shown.len() - 2];
        let after_cursor = prompt.split('▏').nth(1).unwrap_or("");
        assert!(
            after_cursor.trim().is_empty(),
            "{after_cursor:?} after the cursor:\n{}",
            shown.join("\n")
        );
        let refusal = a.status.as_ref().expect("refused").text.clone();
        assert!(
            shown[shown.len() - 1].contains(refusal.trim_end_matches('.')),
            "{refusal:?} cut:\n{}",
            shown.join("\n")
        );
    }
}

/// ← and → on a custom period as long as the years a report takes: the
/// screen stays (the calendar overflowed and the screen ended).
#[test]
fn stepping_a_long_period_stops_at_the_edge() {
    let mut a = app("ikaihmiset", "2026-12-10 10:00");
    typed(&mut a, "rc");
    typed(&mut a, "1.1.2000-31.12.2100");
    key(&mut a, Enter);
    assert_eq!(report_period(&a), (iso("2000-01-01"), iso("2100-12-31")));
    // Nothing after 2100 or before 2000 to show: the keys stop there (and
    // held, the calendar overflowed and the screen ended).
    key(&mut a, KeyCode::Right);
    assert_eq!(report_period(&a), (iso("2000-01-01"), iso("2100-12-31")));
    key(&mut a, KeyCode::Left);
    assert_eq!(report_period(&a), (iso("2000-01-01"), iso("2100-12-31")));
}

/// A name pasted from an e-mail (a no-break space, a tab, a line end) is
/// the same two words to the duplicate check: no second voucher without
/// the question.
#[test]
fn a_pasted_name_is_checked_as_the_same_person() {
    for pasted in ["Matti\u{a0}Virtanen", "Matti\tVirtanen", "Matti\nVirtanen"] {
        let mut a = app("ikaihmiset", "2023-11-14 10:00");
        let issue = |a: &mut App, paste: bool| {
            typed(a, "v1");
            key(a, Tab);
            typed(a, "14.2.1948");
            key(a, Tab);
            if paste {
                a.update(Action::Paste(pasted.to_string()));
            } else {
                typed(a, "Matti Virtanen");
            }
            key(a, Enter);
        };
        issue(&mut a, false);
        assert!(a.store.voucher_by_number("LE-2023-001").is_ok());
        key(&mut a, Esc); // the notice
        issue(&mut a, true);
        assert!(
            a.store.voucher_by_number("LE-2023-002").is_err(),
            "{pasted:?} issued again without the duplicate question: {:?}",
            a.status
        );
    }
}

/// A note of ordinary words, ~300 characters: the cursor and the last word
/// typed are in the note window (the row was counted in characters while
/// the text wrapped at words).
#[test]
fn the_note_keeps_its_cursor_in_view() {
    let mut a = app("ikaihmiset", "2026-12-10 10:00");
    key(&mut a, KeyCode::Char('n'));
    let words = "asiakkaan toimeentulotukihakemus kansaneläkelaitokselle \
                 täydennettiin yhdessä ja liitteiksi tulostettiin \
                 tiliotteet sekä vuokrasopimus ";
    let mut note = String::new();
    while note.chars().count() < 300 {
        note.push_str(words);
    }
    note.push_str("LOPPU");
    typed(&mut a, &note);
    let shown = rows(&a).join("\n");
    assert!(
        shown.contains("LOPPU▏"),
        "no cursor after the last word:\n{shown}"
    );
}

/// A title of wide characters: the field's window counts display columns,
/// so the cursor stays on screen.
#[test]
fn wide_characters_keep_the_cursor_in_view() {
    let mut a = app("perhe", "2026-12-10 10:00");
    typed(&mut a, "ga");
    typed(
        &mut a,
        "家庭活动日家庭活动日家庭活动日家庭活动日家庭活动日末",
    );
    let shown = rows(&a).join("\n");
    // (A wide character's second cell reads as a space here.)
    let row = shown.lines().find(|r| r.contains("Otsikko")).unwrap();
    assert!(
        row.contains('末') && row.contains('▏'),
        "no cursor after the title:\n{shown}"
    );
}

/// A paste the field takes nothing of keeps a pre-filled value, as a
/// refused key does.
#[test]
fn a_refused_paste_keeps_the_value() {
    use tiski::text::input::{Edit, Filter, Spec, TextInput};
    let spec = Spec::new(7, Filter::Digits);
    let mut typed_in = TextInput::filled(spec, "12");
    typed_in.apply(Edit::Insert('k'));
    assert_eq!(typed_in.value(), "12");
    let mut pasted = TextInput::filled(spec, "12");
    assert_eq!(pasted.paste("kaksitoista"), 11);
    assert_eq!(pasted.value(), "12");
    assert_eq!(pasted.paste("13"), 0);
    assert_eq!(pasted.value(), "13", "still selected: replaced");
}

/// The register's "mark used" takes a day up to tomorrow, as `tiski
/// voucher use --date` does: a typo of 2063 is refused.
#[test]
fn marking_a_voucher_used_refuses_a_day_far_ahead() {
    let mut a = app("ikaihmiset", "2023-11-14 10:00");
    typed(&mut a, "v1");
    key(&mut a, Enter);
    assert!(
        a.store.voucher_by_number("LE-2023-001").is_ok(),
        "{:?}",
        a.status
    );
    key(&mut a, Esc);
    typed(&mut a, "mk20");
    key(&mut a, Tab);
    typed(&mut a, "14.11.2063");
    key(&mut a, Enter);
    let v = a.store.voucher_by_number("LE-2023-001").unwrap();
    assert_eq!(v.used_on, None, "status {:?}", a.status);
    assert!(
        a.status
            .as_ref()
            .is_some_and(|s| s.error && s.text.contains("14.11.2063")),
        "{:?}",
        a.status
    );
}

/// The real binary: a month typed in the report prompt, and ← → held on
/// the longest period, the screen answering after it.
#[test]
fn the_report_prompt_on_the_real_screen() {
    let env = super::cli::Env::new();
    let mut tui = super::e2e::Tui::start(&env, &["--profile", "ikaihmiset"]);
    tui.wait_for("Uusi käynti");
    tui.key_then("r", "Raportti ·");
    tui.key_then("c", "Aikaväli");
    tui.keys("11/2026\r");
    tui.wait_for("marraskuu 2026");
    tui.key_then("c", "Aikaväli");
    tui.keys("1.1.2000-31.12.2100\r");
    tui.wait_for("1.1.2000–31.12.2100");
    tui.keys(&"\u{1b}[C".repeat(300));
    tui.keys(&"\u{1b}[D".repeat(300));
    tui.key_then("y", "vuosi");
    assert!(tui.running(), "{}", tui.contents());
    tui.keys("q");
}

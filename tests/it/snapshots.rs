//! Whole-screen snapshots at 80×24 in Finnish and English: keys go through
//! the real keymap and `App::update`, the frame through `ui::render`.

use crate::cli::yes;
use chrono::NaiveDateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use tiski::app::App;
use tiski::config::Config;
use tiski::domain::VisitEntry;
use tiski::locale::Lang;
use tiski::store::Store;

pub(crate) fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// A store with some history this year: 3 earlier sessions (one empty)
/// with 9 visitors, so the running average is non-trivial.
fn store_with_history() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    let visits = [("2023-10-17", 4), ("2023-10-31", 0), ("2023-11-07", 5)];
    for (day, n) in visits {
        let start = at(&format!("{day} 10:00"));
        let (session, _) =
            tiski::desk::open_session(&mut s, "ikaihmiset", "Kirjasto", &yes(start)).unwrap();
        let p = &Config::embedded().profiles["ikaihmiset"];
        for i in 0..n {
            let e = VisitEntry {
                topics: vec!["digituki".into()],
                ..Default::default()
            };
            let when = at(&format!("{day} 10:{:02}", 10 + i));
            let target = tiski::store::Target::Session(session.id);
            tiski::desk::save_visit(&mut s, p, target, when, e, false, &yes(when)).unwrap();
        }
        let end = at(&format!("{day} 12:00"));
        tiski::desk::close_session(&mut s, session.id, end, &yes(end)).unwrap();
    }
    s
}

fn app(lang: Lang, profile: Option<&str>) -> App {
    App::opening(store_with_history(), at("2023-11-14 10:00"))
        .lang(lang)
        .profile(profile)
        .open()
        .unwrap()
}

/// Presses keys as a user would: `press(&mut app, "26\n")`. `\n` is Enter,
/// `\t` Tab, `\x1b` Esc, `↓`/`↑` the arrows; time moves a minute per key.
pub(crate) fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\t' => KeyCode::Tab,
            '\x1b' => KeyCode::Esc,
            '↓' => KeyCode::Down,
            '↑' => KeyCode::Up,
            c => KeyCode::Char(c),
        };
        let now = app.now + chrono::Duration::minutes(1);
        app.update(tiski::app::Action::Tick(tiski::clock::Now::at(now)));
        if let Some(action) = tiski::keymap::map(app, KeyEvent::from(code)) {
            app.update(action);
        }
    }
}

pub(crate) fn screen(app: &App, w: u16, h: u16) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| tiski::ui::render(app, f)).unwrap();
    terminal.backend().clone()
}

macro_rules! snap {
    ($name:expr, $app:expr) => {
        insta::assert_snapshot!($name, screen(&$app, 80, 24))
    };
}

fn both(f: impl Fn(Lang) -> App, name: &str) {
    for (lang, suffix) in [(Lang::Fi, "fi"), (Lang::En, "en")] {
        snap!(format!("{name}_{suffix}"), f(lang));
    }
}

#[test]
fn chooser() {
    both(|l| app(l, None), "chooser");
}

#[test]
fn duty_empty() {
    both(|l| app(l, Some("ikaihmiset")), "duty_empty");
}

#[test]
fn duty_after_visits() {
    both(
        |l| {
            let mut a = app(l, Some("ikaihmiset"));
            // Three visits, the last one with a referral.
            press(&mut a, "26\n5\n1o1\n");
            a
        },
        "duty_after_visits",
    );
}

#[test]
fn duty_after_a_phone_call() {
    both(
        |l| {
            let mut a = app(l, Some("ikaihmiset"));
            // A walk-in, then a phone call: the channel stays "phone" on
            // the next form, said plainly, and today's list shows it.
            press(&mut a, "2\n5k2\n");
            a
        },
        "duty_after_a_phone_call",
    );
}

#[test]
fn duty_integration_profile_with_all_fields() {
    both(
        |l| {
            let mut a = app(l, Some("kotouttaminen"));
            press(&mut a, "l3w2y1");
            a
        },
        "duty_integration",
    );
}

#[test]
fn no_topic_message() {
    both(
        |l| {
            let mut a = app(l, Some("ikaihmiset"));
            press(&mut a, "\n");
            a
        },
        "no_topic",
    );
}

#[test]
fn pickers() {
    both(
        |l| {
            let mut a = app(l, Some("ikaihmiset"));
            press(&mut a, "o");
            a
        },
        "picker_referral",
    );
    both(
        |l| {
            let mut a = app(l, Some("ikaihmiset"));
            press(&mut a, "01");
            a
        },
        "picker_more_topics",
    );
}

/// A chosen referral target too long for the form's line shows by its
/// short name, whole, not cut (issue 15, item 2).
#[test]
fn a_long_referral_shows_by_its_short_name_in_the_form() {
    let mut a = app(Lang::Fi, Some("ikaihmiset"));
    press(&mut a, "o1");
    let text = format!("{:?}", screen(&a, 80, 24).buffer());
    assert!(text.contains("o Ohjattu: Hyvinvointialue "), "{text}");
    assert!(!text.contains("(asiakasohja"), "{text}");
    let wide = format!("{:?}", screen(&a, 160, 40).buffer());
    assert!(
        wide.contains("Hyvinvointialue (asiakasohjaus)"),
        "the full name where it fits: {wide}"
    );
}

#[test]
fn note_editor() {
    both(
        |l| {
            let mut a = app(l, Some("ikaihmiset"));
            press(&mut a, "nTulostin ei toimi");
            a
        },
        "note",
    );
}

#[test]
fn list_edit_and_delete() {
    both(
        |l| {
            let mut a = app(l, Some("ikaihmiset"));
            press(&mut a, "2\n3\n↓↓");
            a
        },
        "list_selected",
    );
    both(
        |l| {
            let mut a = app(l, Some("ikaihmiset"));
            press(&mut a, "2\n3\n↓↓e");
            a
        },
        "editing",
    );
    both(
        |l| {
            let mut a = app(l, Some("ikaihmiset"));
            press(&mut a, "2\n3\n↓x");
            a
        },
        "confirm_delete",
    );
}

#[test]
fn tally_view() {
    both(
        |l| {
            let mut a = app(l, Some("ikaihmiset"));
            press(&mut a, "26\n5o1\n2\nt");
            a
        },
        "tally",
    );
}

#[test]
fn help_overlay() {
    both(
        |l| {
            let mut a = app(l, Some("kotouttaminen"));
            press(&mut a, "?");
            a
        },
        "help",
    );
}

/// `?` over each view lists that view's keys, from the key table.
#[test]
fn help_over_every_view() {
    for (keys, name, own) in [
        (
            "t?",
            "help_tally",
            ("raportti ja kuvaajat", "report and charts"),
        ),
        ("r?", "help_report", ("tämä viikko", "this week")),
        ("m?", "help_register", ("merkitse käytetyksi", "mark used")),
        ("ms?", "help_summary", ("rekisteriin", "to the register")),
    ] {
        both(
            |l| {
                let mut a = app(l, Some("ikaihmiset"));
                press(&mut a, keys);
                let text = format!("{:?}", screen(&a, 80, 24).buffer());
                let own = if l == Lang::Fi { own.0 } else { own.1 };
                assert!(text.contains(own), "{name} {l:?}: {text}");
                // Not the duty screen's keys.
                assert!(!text.contains("tallenna käynti") && !text.contains("save the visit"));
                a
            },
            name,
        );
    }
}

/// `?` over the events screen lists its keys too.
#[test]
fn help_over_the_events_screen() {
    both(
        |l| {
            let mut a = app(l, Some("perhe"));
            press(&mut a, "g?");
            let text = format!("{:?}", screen(&a, 80, 24).buffer());
            let own = if l == Lang::Fi {
                "uusi tapahtuma"
            } else {
                "new event"
            };
            assert!(text.contains(own), "{text}");
            press(&mut a, "\x1b");
            assert_eq!(a.view, tiski::app::View::Events, "Esc goes back to it");
            press(&mut a, "?");
            a
        },
        "help_events",
    );
}

#[test]
fn too_small_terminal_says_so() {
    let a = app(Lang::Fi, Some("ikaihmiset"));
    insta::assert_snapshot!("too_small_fi", screen(&a, 60, 20));
    let text = format!("{:?}", screen(&a, 79, 24).buffer());
    assert!(
        text.contains("Suurenna ikkunaa"),
        "79 columns is too narrow"
    );
    let text = format!("{:?}", screen(&a, 80, 24).buffer());
    assert!(!text.contains("Suurenna ikkunaa"));
}

#[test]
fn hostile_text_cannot_break_the_screen() {
    let mut a = app(Lang::Fi, Some("ikaihmiset"));
    press(&mut a, "n");
    for c in "a\x1b[2Jb\u{202e}c🧊d".chars() {
        a.update(tiski::app::Action::Edit(tiski::text::input::Edit::Insert(
            c,
        )));
    }
    press(&mut a, "\n1\n");
    let text = format!("{:?}", screen(&a, 80, 24).buffer());
    assert!(!text.contains('\x1b'));
    assert!(!text.contains('\u{202e}'));
    // A note is one line of text: control characters and direction
    // overrides never get in, whatever arrives as a key.
    let saved = &a.duty.as_ref().unwrap().today[0].entry.note;
    assert_eq!(saved, "a[2Jbc🧊d");
}

/// Every screen keeps to its look's colours: hints are the default
/// foreground with DIM (never grey), eight-colour terminals get only the
/// basic colours, NO_COLOR and the high-contrast theme no colour at all.
#[test]
fn every_screen_keeps_to_its_looks_colours() {
    use ratatui::style::{Color, Modifier};
    use tiski::app::{ColorDepth, Look};
    use tiski::config::ThemeName;
    let screens = ["", "26\n5o1\n", "2\n↓", "o", "t", "r", "m", "ms", "?", "v"];
    for theme in [ThemeName::Default, ThemeName::HighContrast] {
        for depth in [ColorDepth::None, ColorDepth::Basic, ColorDepth::Full] {
            for keys in screens {
                let mut a = app(Lang::Fi, Some("ikaihmiset"));
                a.look = Look::new(depth, theme);
                press(&mut a, keys);
                let backend = screen(&a, 80, 24);
                let buf = backend.buffer();
                let mut dim_hint = false;
                for cell in buf.content() {
                    let fg = cell.fg;
                    assert!(
                        !matches!(fg, Color::DarkGray | Color::Gray | Color::Indexed(8)),
                        "{theme:?} {depth:?} {keys:?}: grey text"
                    );
                    assert_eq!(cell.bg, Color::Reset, "{keys:?}: the background stays");
                    let allowed = match (theme, depth) {
                        (ThemeName::HighContrast, _) | (_, ColorDepth::None) => {
                            matches!(fg, Color::Reset)
                        }
                        (_, ColorDepth::Basic) => matches!(
                            fg,
                            Color::Reset
                                | Color::Red
                                | Color::Green
                                | Color::Blue
                                | Color::Magenta
                                | Color::Cyan
                        ),
                        (_, ColorDepth::Full) => {
                            matches!(fg, Color::Reset | Color::Indexed(16..=231))
                        }
                    };
                    assert!(allowed, "{theme:?} {depth:?} {keys:?}: {fg:?}");
                    dim_hint |= cell.modifier.contains(Modifier::DIM);
                }
                // The key bar's words are dim, except in high contrast.
                let last = (0..80).any(|x| buf[(x, 23)].modifier.contains(Modifier::DIM));
                assert_eq!(
                    last,
                    theme == ThemeName::Default,
                    "{theme:?} {depth:?} {keys:?}"
                );
                assert!(dim_hint || theme == ThemeName::HighContrast);
            }
        }
    }
}

/// `theme = "high-contrast"` in the config reaches the app's look.
#[test]
fn the_configured_theme_reaches_the_screen() {
    use tiski::config::ThemeName;
    let path = std::path::Path::new("/nonexistent/config.toml");
    let config = Config::from_user_text(path, "theme = \"high-contrast\"\n").unwrap();
    assert_eq!(config.theme, ThemeName::HighContrast);
    let a = App::opening(store_with_history(), at("2023-11-14 10:00"))
        .config(config)
        .profile("ikaihmiset")
        .open()
        .unwrap();
    assert_eq!(a.look.theme, ThemeName::HighContrast);
    assert_eq!(Config::embedded().theme, ThemeName::Default);
    let e = Config::from_user_text(path, "language = \"fi\"\ntheme = \"pink\"\n").unwrap_err();
    assert_eq!(e.line, Some(2), "{e:?}");
}

/// Short labels from the config stand in where the full ones do not fit:
/// the header never cuts the profile's name at 80×24 (issue 15, item 2).
#[test]
fn short_labels_where_space_is_tight() {
    let path = std::path::Path::new("/nonexistent/config.toml");
    let text = r#"
[profiles.pitka]
fi = "Monikulttuurisen perhetyön ja kotoutumisen neuvonta"
en = "Multicultural family work and integration advice"
short = { fi = "Perhetyö" }
default_location = "Monitoimitalon asukastupa, 2. kerros"
locations = ["Monitoimitalon asukastupa, 2. kerros"]
short_places = { "Monitoimitalon asukastupa, 2. kerros" = "Asukastupa" }
topics = [
  { key = "a", fi = "Asumiseen liittyvät hakemukset ja lomakkeet", en = "Housing", short = { fi = "Asuminen" } },
]
"#;
    let config = Config::from_user_text(path, text).unwrap();
    let p = &config.profiles["pitka"];
    assert_eq!(p.short_name(Lang::Fi), "Perhetyö");
    assert_eq!(
        p.short_name(Lang::En),
        p.en,
        "no short English name: the full one"
    );
    let again = Config::from_user_text(path, &config.to_toml()).unwrap();
    assert_eq!(
        again.profiles["pitka"], *p,
        "short labels survive `tiski config`"
    );
    let mut a = super::support::app_at("2023-11-14 10:00")
        .config(config)
        .profile("pitka")
        .open()
        .unwrap();
    press(&mut a, "1\n");
    let text = format!("{:?}", screen(&a, 80, 24).buffer());
    assert!(text.contains(" tiski · Perhetyö · Asukastupa "), "{text}");
    assert!(text.contains("10.02 Asuminen"), "the list's topic: {text}");
    let wide = format!("{:?}", screen(&a, 160, 30).buffer());
    assert!(wide.contains("Monikulttuurisen perhetyön ja kotoutumisen neuvonta"));

    let bad = r#"
[profiles.p]
fi = "P"
en = "P"
default_location = "A"
locations = ["A"]
short_places = { "B" = "b" }
topics = [{ key = "a", fi = "A", en = "A" }]
"#;
    let e = Config::from_user_text(path, bad).unwrap_err();
    assert_eq!(e.line, Some(7), "{e:?}");
}

/// At 120 columns and more the panels use the width they have: the tally's
/// columns, the duty form and the register's product column widen, so the
/// full labels show where 80 columns need the short ones.
#[test]
fn wide_windows_use_their_width() {
    let mut a = app(Lang::Fi, Some("ikaihmiset"));
    press(&mut a, "1o1\n6\nt");
    let narrow = format!("{:?}", screen(&a, 80, 24).buffer());
    assert!(narrow.contains(" Sote-palvelut "), "{narrow}");
    let wide = screen(&a, 120, 40);
    let text = format!("{:?}", wide.buffer());
    assert!(
        text.contains(" Hyvinvointialueen palvelut (sote) "),
        "{text}"
    );
    assert!(text.contains(" Liukuesteet / nastakengät "), "{text}");
    insta::assert_snapshot!("tally_wide_fi", wide);
    press(&mut a, "\x1b");
    let form = format!("{:?}", screen(&a, 120, 40).buffer());
    // The form is 44 + 40 / 3 = 57 columns wide.
    assert!(
        form.contains(&format!("┌ Uusi käynti {}┐", "─".repeat(57 - 15))),
        "{form}"
    );
}

/// The integration desk's own fields (language, interpreting, new or
/// returning…) are on screen as counts with bars, in the day tally and in
/// the report view (issue 15, item 4).
#[test]
fn the_profiles_own_fields_are_in_the_tally_and_the_report() {
    for lang in [Lang::Fi, Lang::En] {
        let mut a = app(lang, Some("kotouttaminen"));
        // Arabic with an interpreter on site, then a visit with neither.
        press(&mut a, "l3w21\n1\n");
        press(&mut a, "t");
        let tally = format!("{:?}", screen(&a, 80, 24).buffer());
        let (language, arabic, interpreting) = match lang {
            Lang::Fi => ("Kieli", "arabia", "Tulkkaus"),
            Lang::En => ("Language", "Arabic", "Interpreting"),
        };
        for want in [language, interpreting] {
            assert!(tally.contains(&format!(" {want} ")), "{want}: {tally}");
        }
        assert!(tally.contains(&format!(" {arabic} ")), "{tally}");
        press(&mut a, "r");
        let report = format!("{:?}", screen(&a, 80, 24).buffer());
        assert!(
            report.contains(&format!("{language}: {arabic}")),
            "{report}"
        );
        insta::assert_snapshot!(format!("tally_fields_{}", lang.code()), {
            press(&mut a, "\x1bt");
            screen(&a, 80, 24)
        });
    }
}

/// A tally column with more than the window holds says how many more.
#[test]
fn a_full_tally_column_says_what_more_there_is() {
    let mut a = app(Lang::Fi, Some("kotouttaminen"));
    press(&mut a, "1\n2\n3\n4\n5\n6\n7\n8\n9\n");
    // Six languages, three ways of interpreting.
    press(&mut a, "1l1w1\n1l2w2\n1l3w3\n1l4\n1l5\n1l6\nt");
    let text = format!("{:?}", screen(&a, 80, 24).buffer());
    assert!(text.contains(" +") && text.contains(" muuta…"), "{text}");
    let tall = format!("{:?}", screen(&a, 80, 60).buffer());
    assert!(!tall.contains("muuta…"), "{tall}");
}

#[test]
fn head_count_window_and_today_list() {
    both(
        |l| {
            let mut a = app(l, Some("ikaihmiset"));
            press(&mut a, "2\n+25");
            a
        },
        "head_count_window",
    );
    both(
        |l| {
            let mut a = app(l, Some("ikaihmiset"));
            press(&mut a, "2\n+25\n");
            a
        },
        "head_count_saved",
    );
}

/// The family desk's events screen, empty.
fn events_app(lang: Lang) -> App {
    let mut a = super::support::app_at("2023-11-16 09:30")
        .lang(lang)
        .profile("perhe")
        .open()
        .unwrap();
    press(&mut a, "g");
    a
}

/// The events screen with an event, a group with two meetings and a
/// feedback tally typed by keys; and the event form half filled.
#[test]
fn events_screen() {
    both(
        |l| {
            let mut a = super::support::app_at("2023-11-16 09:30")
                .lang(l)
                .profile("perhe")
                .open()
                .unwrap();
            press(&mut a, "gaSyysfestarit\n\n300\n\n\n\n");
            press(&mut a, "yKaveritaitoryhmä\n\nSinilähde\n");
            press(&mut a, "↓k\n6\nk\n7\n");
            press(&mut a, "p");
            for c in "Hyödyllinen?\n9\n1\n".chars() {
                press(&mut a, &c.to_string());
            }
            a
        },
        "events_screen",
    );
    both(
        |l| {
            let mut a = events_app(l);
            press(&mut a, "a");
            press(&mut a, "Koulurauhan julistus\n");
            a
        },
        "events_form",
    );
    both(
        |l| {
            let mut a = events_app(l);
            press(&mut a, "aSyysfestarit\n\n300\n\n\n\nx");
            a
        },
        "events_confirm_delete",
    );
}

#[test]
fn tally_with_a_head_count() {
    both(
        |l| {
            let mut a = app(l, Some("ikaihmiset"));
            press(&mut a, "2\n+25\nt");
            a
        },
        "tally_head_count",
    );
}

#[test]
fn report_view_with_events_and_a_head_count() {
    both(
        |l| {
            let mut a = super::support::app_at("2023-11-16 09:30")
                .lang(l)
                .profile("perhe")
                .open()
                .unwrap();
            press(&mut a, "+25\n1\n");
            press(&mut a, "gaSyysfestarit\n\n300\n\n\n\n\x1b");
            press(&mut a, "r");
            a
        },
        "report_events",
    );
}

/// Totals too long for one line (an estimate of attendees, a group) wrap
/// at a comma, on the events screen and in the report's head, and the
/// report's panels make room for the second line.
#[test]
fn long_event_totals_wrap_at_a_comma() {
    let made = |l: Lang| {
        let mut a = super::support::app_at("2023-11-16 09:30")
            .lang(l)
            .profile("perhe")
            .open()
            .unwrap();
        press(&mut a, "1\n");
        press(&mut a, "gaSyysfestarit\n\n300\nk\n\n\n");
        press(&mut a, "yKaveritaitoryhmä\n\nSinilähde\n");
        press(&mut a, "↓k\n6\n");
        a
    };
    let mut a = made(Lang::Fi);
    let text = format!("{:?}", screen(&a, 80, 24).buffer());
    assert!(
        text.contains("\" Tapahtumia 1, osallistujia 300 (joista arvioituja 300); ryhmiä 1,    "),
        "{text}"
    );
    assert!(
        text.contains("\"   kokoontumisia 1, ryhmäkäyntejä 6   "),
        "{text}"
    );
    press(&mut a, "\x1br");
    insta::assert_snapshot!("report_events_wrapped_fi", screen(&a, 80, 24));
    let mut a = made(Lang::En);
    insta::assert_snapshot!("events_totals_wrapped_en", screen(&a, 80, 24));
    press(&mut a, "\x1br");
    insta::assert_snapshot!("report_events_wrapped_en", screen(&a, 80, 24));
}

/// A list longer than the events screen says how many rows are out of
/// sight below, and once scrolled, how many above.
#[test]
fn a_long_events_list_says_what_is_out_of_sight() {
    let mut a = events_app(Lang::Fi);
    for i in 1..=24 {
        press(&mut a, &format!("aIlta {i}\n\n5\n\n\n\n"));
    }
    press(&mut a, "\x1bg");
    let text = format!("{:?}", screen(&a, 80, 24).buffer());
    assert!(text.contains(" Ilta 1 (5) "), "{text}");
    assert!(text.contains("│ +8 muuta…"), "{text}");
    assert!(!text.contains("yllä"), "{text}");
    for _ in 0..23 {
        press(&mut a, "↓");
    }
    insta::assert_snapshot!("events_long_list_scrolled_fi", screen(&a, 80, 24));
    let text = format!("{:?}", screen(&a, 80, 24).buffer());
    assert!(text.contains("│ ↑ 9 yllä"), "{text}");
    assert!(!text.contains("muuta…"), "{text}");
}

/// Every "n ███" on a screen: the count and its bar's length.
fn bars_on(b: &TestBackend) -> Vec<(u32, usize)> {
    let buf = b.buffer();
    let mut found = Vec::new();
    for y in 0..buf.area.height {
        let row: Vec<String> = (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        for x in 1..row.len() {
            if row[x] == "█" && row[x - 1] == " " && x >= 2 {
                let digits: String = row[..x - 1]
                    .iter()
                    .rev()
                    .take_while(|c| c.chars().all(|ch| ch.is_ascii_digit()) && !c.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                if let Ok(n) = digits.parse() {
                    let len = row[x..].iter().take_while(|c| *c == "█").count();
                    found.push((n, len));
                }
            }
        }
    }
    found
}

/// The day tally draws all its bars to one scale: equal counts get equal
/// bars in every section and column, a larger count a longer bar (4
/// visitors in person next to 4 of one client group, 10–11 with 4).
#[test]
fn the_tally_draws_equal_counts_as_equal_bars() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut a = app(Lang::Fi, Some("ikaihmiset"));
        // Four visits in person by the elderly themselves, one of them
        // also on a second topic, and one by phone.
        press(&mut a, "2k1a1\n2k1a1\n2k1a1\n23k1a1\n1k2\nt");
        let b = screen(&a, w, h);
        let bars = bars_on(&b);
        let fours: Vec<_> = bars.iter().filter(|b| b.0 == 4).collect();
        assert!(fours.len() >= 2, "{bars:?}\n{:?}", b.buffer());
        for (n, len) in &bars {
            for (m, other) in &bars {
                if n == m {
                    assert_eq!(len, other, "{n}: {bars:?}");
                } else if n > m {
                    assert!(len >= other, "{n} vs {m}: {bars:?}");
                }
            }
        }
        if w == 80 {
            insta::assert_snapshot!("tally_one_scale_fi", b);
        }
    }
}

/// The duty screen's help at 80×24, for every profile in both languages:
/// its two columns have a gap of blank cells between them, and no row
/// reaches the window's right border.
#[test]
fn the_help_columns_keep_apart_and_inside_the_box() {
    for profile in ["ikaihmiset", "kotouttaminen", "perhe"] {
        for lang in [Lang::Fi, Lang::En] {
            let mut a = app(lang, Some(profile));
            press(&mut a, "?");
            let b = screen(&a, 80, 24);
            let buf = b.buffer();
            let cell = |x: u16, y: u16| buf[(x, y)].symbol().to_string();
            let row_of = |y: u16| -> String { (0..80).map(|x| cell(x, y)).collect() };
            let top = (0..24)
                .find(|&y| row_of(y).contains("┌ Ohje") || row_of(y).contains("┌ Help"))
                .expect("the help window");
            // The window's corner: the last `┌` before its title.
            let left = (0..80).rev().find(|&x| cell(x, top) == "┌").unwrap();
            let right = (left + 1..80).find(|&x| cell(x, top) == "┐").unwrap();
            let bottom = (top + 1..24).find(|&y| cell(left, y) == "└").unwrap();
            let (x0, inner) = (left + 1, right - left - 1);
            let column = (inner - 3) / 2;
            for y in top + 1..bottom {
                let row: String = (x0..right).map(|x| cell(x, y)).collect();
                for x in x0 + column..x0 + column + 3 {
                    assert_eq!(cell(x, y), " ", "{profile} {lang:?} gap: {row:?}");
                }
                assert_eq!(
                    cell(right - 1, y),
                    " ",
                    "{profile} {lang:?} border: {row:?}"
                );
            }
        }
    }
}

/// A window with the rows lists the topics past 9 under `0` with their
/// checkboxes; at 80×24 the `0` line stays, naming the ones chosen, and
/// has no checkbox of its own (its key opens a picker).
#[test]
fn the_further_topics_are_listed_where_they_fit() {
    let mut a = app(Lang::Fi, Some("ikaihmiset"));
    // Omaishoito from the picker.
    press(&mut a, "01\n");
    let wide = screen(&a, 120, 40);
    let text = format!("{:?}", wide.buffer());
    // Each further topic is listed with the two keys that tick it.
    assert!(text.contains("│ 0 1 [x] Omaishoito  "), "{text}");
    assert!(text.contains("│ 0 3 [ ] Muu  "), "{text}");
    insta::assert_snapshot!("duty_wide_fi", wide);
    let narrow = format!("{:?}", screen(&a, 80, 24).buffer());
    assert!(narrow.contains("│ 0 Omaishoito  "), "{narrow}");
    assert!(!narrow.contains("[ ] Muu"), "{narrow}");
    // Chosen off again.
    press(&mut a, "01\n");
    let none = format!("{:?}", screen(&a, 80, 24).buffer());
    assert!(none.contains("│ 0 muut aiheet…  "), "{none}");
}

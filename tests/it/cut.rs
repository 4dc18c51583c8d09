//! Nothing cut off or unlabelled (issue 26, item 5): each place a new user
//! found a label cut or missing, drawn at 80×24 and 120×40 in Finnish and
//! English, keys going through the real keymap.

use crate::snapshots::{at, press, screen};
use tiski::app::App;
use tiski::locale::Lang;
use tiski::store::Store;

fn app(lang: Lang, profile: Option<&str>, when: &str) -> App {
    App::opening(Store::open_in_memory().unwrap(), at(when))
        .lang(lang)
        .profile(profile)
        .open()
        .unwrap()
}

/// The screen `make` leaves, in both languages at both sizes, snapshotted;
/// each with its rows as text.
fn four(name: &str, make: impl Fn(Lang) -> App) -> Vec<(Lang, u16, String)> {
    let mut all = Vec::new();
    for (lang, suffix) in [(Lang::Fi, "fi"), (Lang::En, "en")] {
        let a = make(lang);
        for (w, h) in [(80, 24), (120, 40)] {
            let shot = screen(&a, w, h);
            let b = shot.buffer();
            let rows: Vec<String> = (0..h)
                .map(|y| (0..w).map(|x| b[(x, y)].symbol()).collect())
                .collect();
            let text = rows.join("\n");
            insta::assert_snapshot!(format!("{name}_{suffix}_{w}x{h}"), shot);
            all.push((lang, w, text));
        }
    }
    all
}

fn elderly(lang: Lang, keys: &str) -> App {
    let mut a = app(lang, Some("ikaihmiset"), "2023-11-14 10:00");
    press(&mut a, keys);
    a
}

fn family(lang: Lang, keys: &str) -> App {
    let mut a = app(lang, Some("perhe"), "2023-11-16 09:30");
    press(&mut a, keys);
    a
}

#[test]
fn the_tally_shows_a_referral_by_its_short_label_where_the_full_one_is_cut() {
    for (lang, _, text) in four("cut_tally", |l| elderly(l, "21o1\nt")) {
        let short = if lang == Lang::Fi {
            "Hyvinvointialue "
        } else {
            "Wellbeing county "
        };
        assert!(text.contains(short), "{text}");
        assert!(!text.contains('…'), "{text}");
    }
}

#[test]
fn the_register_shows_a_products_name_whole() {
    for (_, _, text) in four("cut_register", |l| elderly(l, "v1\n v2\n m")) {
        assert!(!text.contains('…'), "{text}");
    }
}

#[test]
fn the_season_summary_shows_each_earlier_figures_label_whole() {
    for (lang, _, text) in four("cut_summary", |l| elderly(l, "v1\n ms")) {
        assert!(!text.contains('…'), "{text}");
        let end = if lang == Lang::Fi {
            "vuodessa)"
        } else {
            "year)"
        };
        assert!(text.contains(end), "{text}");
    }
}

#[test]
fn the_topics_past_nine_are_listed_with_their_keys() {
    for (lang, w, text) in four("cut_more_topics", |l| elderly(l, "01\n")) {
        if w == 120 {
            let other = if lang == Lang::Fi { "Muu" } else { "Other" };
            assert!(text.contains(&format!("│ 0 3 [ ] {other}  ")), "{text}");
            assert!(!text.contains("│   [ ]"), "{text}");
        }
    }
}

#[test]
fn the_print_dialog_labels_the_recipients_name() {
    for (lang, _, text) in four("cut_print_dialog", |l| elderly(l, "v1\n mPAino Virtanen")) {
        let label = if lang == Lang::Fi {
            "› Vastaanottaja: Aino Virtanen"
        } else {
            "› Recipient: Aino Virtanen"
        };
        assert!(text.contains(label), "{text}");
    }
}

#[test]
fn the_header_keeps_the_place_apart_from_the_date() {
    for (lang, _, text) in four("cut_family_header", |l| family(l, "")) {
        let day = if lang == Lang::Fi {
            "to 16.11.2023"
        } else {
            "Thu 2023-11-16"
        };
        let first = text.lines().find(|l| l.contains("tiski ·")).unwrap();
        // At least three spaces between the place and the weekday: "to"
        // read after a place is "until".
        let gap = first.split(&format!(" {day}")).next().unwrap();
        assert!(gap.ends_with("  "), "{first}");
        assert!(!text.contains('…'), "{text}");
    }
}

#[test]
fn an_event_line_says_its_date_once() {
    for (lang, _, text) in four("cut_event_line", |l| {
        family(l, "gaJoulupolku\n\n70\nk\n\n\n")
    }) {
        let day = if lang == Lang::Fi {
            "16.11.2023"
        } else {
            "2023-11-16"
        };
        let row = text.lines().find(|l| l.contains("Joulupolku")).unwrap();
        assert_eq!(row.matches(day).count(), 1, "{text}");
    }
}

#[test]
fn a_long_status_message_leaves_the_key_hints_in_place() {
    let title = "Perheiden joulupolku Sinilähdetalon pihalla ja lähimetsässä";
    for (lang, _, text) in four("cut_long_status", |l| {
        family(l, &format!("ga{title}\n\n70\nk\n\n\n"))
    }) {
        let bottom = text.lines().last().unwrap().to_string();
        let bar = if lang == Lang::Fi { "? ohje" } else { "? help" };
        assert!(bottom.contains(bar), "{text}");
        assert!(text.contains("lähimetsässä"), "{text}");
        assert!(!text.contains('…'), "{text}");
    }
}

#[test]
fn a_number_with_no_profile_says_so_in_the_chooser() {
    for (lang, _, text) in four("cut_chooser_number", |l| {
        let mut a = app(l, None, "2023-11-14 10:00");
        press(&mut a, "7");
        a
    }) {
        let said = if lang == Lang::Fi {
            "Ei profiilia 7"
        } else {
            "No profile 7"
        };
        assert!(text.contains(said), "{text}");
    }
}

//! The configuration's tests: the embedded profiles, the user's file laid over
//! them, and each refusal with its file and line.

use std::path::Path;

use super::*;

#[test]
fn embedded_config_has_both_profiles_with_their_defaults() {
    let c = Config::embedded();
    let ids: Vec<_> = c.profiles.keys().map(String::as_str).collect();
    assert_eq!(ids, ["ikaihmiset", "kotouttaminen", "perhe"]);
    assert_eq!(c.profiles["ikaihmiset"].default_location, "Kirjasto");
    assert_eq!(
        c.profiles["kotouttaminen"].default_location,
        "HeiMo-kahvila"
    );
    assert_eq!(c.language, Lang::Fi);
    let elderly = &c.profiles["ikaihmiset"];
    assert_eq!(elderly.topics[1].fi, "Digituki");
    assert_eq!(elderly.topics[5].key, "liukuesteet");
    let integration = &c.profiles["kotouttaminen"];
    for f in ["language", "interpreting", "client_status", "duration"] {
        assert!(integration.field(f).is_some(), "{f}");
    }
    assert!(elderly.field("language").is_none());
    // Events and groups: on for the family and the elderly desks.
    let family = &c.profiles["perhe"];
    assert!(family.event_settings().is_some());
    assert!(elderly.event_settings().is_some());
    assert!(integration.event_settings().is_none());
    let kinds = family.event_settings().unwrap();
    for k in [
        "tapahtuma",
        "luento",
        "teemaviikko",
        "vierailu",
        "info",
        "some",
    ] {
        assert!(kinds.kind(k).is_some(), "{k}");
    }
    assert!(family.topic("kayttaytyminen").is_some());
    assert!(family.topic("palveluohjaus").is_some());
}

#[test]
fn an_events_table_may_be_switched_off_and_its_kinds_must_be_unique() {
    let base = "[profiles.p]\nfi = \"P\"\nen = \"P\"\ndefault_location = \"A\"\nlocations = [\"A\"]\ntopics = [ { key = \"a\", fi = \"A\", en = \"A\" } ]\n";
    let off = format!("{base}[profiles.p.events]\nenabled = false\n");
    let c = Config::from_user_text(Path::new("u.toml"), &off).unwrap();
    assert!(c.profiles["p"].events.is_some());
    assert!(c.profiles["p"].event_settings().is_none());
    let on = format!("{base}[profiles.p.events]\n");
    let c = Config::from_user_text(Path::new("u.toml"), &on).unwrap();
    assert_eq!(
        c.profiles["p"].event_settings().unwrap().default_kind(),
        "tapahtuma"
    );
    let dup = format!(
        "{base}[profiles.p.events]\nkinds = [\n{{ key = \"x\", fi = \"X\", en = \"X\" }},\n{{ key = \"x\", fi = \"Y\", en = \"Y\" }},\n]\n"
    );
    let e = Config::from_user_text(Path::new("u.toml"), &dup).unwrap_err();
    assert!(
        matches!(e.kind, ConfigErrorKind::DuplicateKey { list: "kinds", .. }),
        "{e}"
    );
    assert_eq!(e.line, Some(10));
}

#[test]
fn user_profile_replaces_embedded_one_and_keeps_the_other() {
    let text = r#"
language = "en"
[profiles.ikaihmiset]
fi = "Seniorit"
en = "Seniors"
default_location = "Spot"
locations = ["Spot"]
topics = [ { key = "digituki", fi = "Digi", en = "Digital", retired = false },
       { key = "vanha", fi = "Vanha", en = "Old", retired = true } ]
"#;
    let c = Config::from_user_text(Path::new("u.toml"), text).unwrap();
    assert_eq!(c.language, Lang::En);
    let p = &c.profiles["ikaihmiset"];
    assert_eq!(p.default_location, "Spot");
    assert_eq!(p.active_topics().count(), 1);
    assert_eq!(p.topic_label("vanha", Lang::Fi), "Vanha");
    assert_eq!(p.topic_label("gone", Lang::Fi), "gone");
    assert!(c.profiles.contains_key("kotouttaminen"));
    assert_eq!(c.source, ConfigSource::File("u.toml".into()));
}

#[test]
fn syntax_error_names_the_line() {
    let text = "language = \"fi\"\n\n[profiles.x\nfi = 1\n";
    let e = Config::from_user_text(Path::new("bad.toml"), text).unwrap_err();
    assert_eq!(e.line, Some(3));
    assert!(matches!(e.kind, ConfigErrorKind::Parse(_)));
}

#[test]
fn unknown_key_is_an_error_with_its_line() {
    let text = "language = \"fi\"\ncolour = \"red\"\n";
    let e = Config::from_user_text(Path::new("bad.toml"), text).unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(e.to_string().contains("colour"), "{e}");
}

#[test]
fn semantic_errors_are_located() {
    let base = |topics: &str, extra: &str| {
        format!(
            "[profiles.p]\nfi = \"P\"\nen = \"P\"\ndefault_location = \"A\"\nlocations = [\"A\"]\ntopics = [\n{topics}\n]\n{extra}"
        )
    };
    let dup = base(
        "{ key = \"a\", fi = \"A\", en = \"A\" },\n{ key = \"a\", fi = \"B\", en = \"B\" },",
        "",
    );
    let e = Config::from_user_text(Path::new("u.toml"), &dup).unwrap_err();
    assert!(matches!(e.kind, ConfigErrorKind::DuplicateKey { .. }));
    assert_eq!(e.line, Some(8));

    let hot = base(
        "{ key = \"a\", fi = \"A\", en = \"A\" },",
        "[[profiles.p.fields]]\nkey = \"f\"\nhotkey = \"q\"\nfi = \"F\"\nen = \"F\"\noptions = []\n",
    );
    let e = Config::from_user_text(Path::new("u.toml"), &hot).unwrap_err();
    assert!(matches!(
        e.kind,
        ConfigErrorKind::BadHotkey { hotkey: 'q', .. }
    ));
    assert_eq!(e.line, Some(11));

    let loc = base("{ key = \"a\", fi = \"A\", en = \"A\" },", "")
        .replace("default_location = \"A\"", "default_location = \"B\"");
    let e = Config::from_user_text(Path::new("u.toml"), &loc).unwrap_err();
    assert!(matches!(
        e.kind,
        ConfigErrorKind::UnknownDefaultLocation { .. }
    ));
    assert_eq!(e.line, Some(4));

    let none = base(
        "{ key = \"a\", fi = \"A\", en = \"A\", retired = true },",
        "",
    );
    let e = Config::from_user_text(Path::new("u.toml"), &none).unwrap_err();
    assert!(matches!(e.kind, ConfigErrorKind::NoTopics { .. }));
}

#[test]
fn effective_config_round_trips_through_toml() {
    let c = Config::embedded();
    let text = c.to_toml();
    let again = Config::from_user_text(Path::new("x.toml"), &text).unwrap();
    assert_eq!(again.profiles, c.profiles);
    assert_eq!(again.language, c.language);
    assert_eq!(again.backups_keep, 30);
    assert_eq!(again.retention, c.retention);
    assert_eq!(again.privacy, c.privacy);
}

#[test]
fn retention_and_privacy_come_from_the_embedded_file_and_may_be_overridden() {
    let c = Config::embedded();
    assert_eq!(c.retention, RetentionConfig::default());
    assert_eq!(c.privacy.min_count, 5);
    assert_eq!(c.privacy.controller, "");
    let text = "[retention]\nnotes_days = 180\n\n[privacy]\nmin_count = 3\ncontroller = \"Heinolan kaupunki\"\n";
    let c = Config::from_user_text(Path::new("u.toml"), text).unwrap();
    assert_eq!(c.retention.notes_days, 180);
    assert_eq!(
        c.retention.voucher_identity_days, 90,
        "left out: the default"
    );
    assert_eq!(c.privacy.min_count, 3);
    assert_eq!(c.privacy.controller, "Heinolan kaupunki");
    let shown = c.to_toml();
    assert!(shown.contains("[retention]\nnotes_days = 180"), "{shown}");
    assert!(shown.contains("min_count = 3"), "{shown}");
}

#[test]
fn bad_retention_settings_name_their_line() {
    let text = "language = \"fi\"\n[retention]\nvoucher_identity_days = 90\nnotes_days = 99999\n";
    let e = Config::from_user_text(Path::new("u.toml"), text).unwrap_err();
    assert!(matches!(e.kind, ConfigErrorKind::Retention(_)), "{e}");
    assert_eq!(e.line, Some(4));
    let text = "[retention]\nnotes_days = -1\n";
    let e = Config::from_user_text(Path::new("u.toml"), text).unwrap_err();
    assert!(matches!(e.kind, ConfigErrorKind::Parse(_)), "{e}");
    assert_eq!(e.line, Some(2));
    let text = "[retention]\nnotes = 30\n";
    let e = Config::from_user_text(Path::new("u.toml"), text).unwrap_err();
    assert_eq!(e.line, Some(2), "unknown setting: {e}");
    let text = "[privacy]\nmin_count = \"five\"\n";
    let e = Config::from_user_text(Path::new("u.toml"), text).unwrap_err();
    assert_eq!(e.line, Some(2), "{e}");
}

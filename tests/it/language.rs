//! The language chosen is remembered (issue 26, item 6): `--lang en` once,
//! `l` on the first-run chooser, or `tiski config set language en`, and
//! every later command, error, help and screen follows it.

use super::cli::{Env, fails};
use super::e2e::Tui;

/// A refusal every build makes the same way: a database that is not there.
fn refusal(env: &Env) -> String {
    let missing = env.dir.path().join("missing.db");
    fails(&env.run_on(&missing, &["tally", "--profile", "ikaihmiset"]))
}

#[test]
fn lang_given_once_holds_for_every_later_command() {
    let env = Env::new();
    env.init_db();
    assert!(refusal(&env).contains("virhe"), "Finnish by default");
    env.ok(&["--lang", "en", "tally", "--profile", "ikaihmiset"]);
    // Later commands without --lang: English errors, output and help.
    let said = refusal(&env);
    assert!(said.contains("tiski: error: no tiski database"), "{said}");
    let tally = env.ok(&["tally", "--profile", "ikaihmiset"]);
    assert!(tally.contains("Visitors"), "{tally}");
    let help = env.ok(&["--help"]);
    assert!(help.contains("Usage:"), "{help}");
    // --lang still chooses for one run, and is remembered in turn.
    let tally = env.ok(&["--lang", "fi", "tally", "--profile", "ikaihmiset"]);
    assert!(tally.contains("Kävijöitä"), "{tally}");
    assert!(refusal(&env).contains("virhe"));
}

#[test]
fn config_set_language_remembers_it_and_refuses_what_is_not_a_language() {
    let env = Env::new();
    env.init_db();
    let said = env.ok(&["config", "set", "language", "en"]);
    assert!(said.contains("Remembered"), "{said}");
    assert!(refusal(&env).contains("tiski: error:"));
    let help = env.ok(&["--help"]);
    assert!(help.contains("Usage:"), "{help}");
    // A value that is no language: exit 2, named, nothing changed.
    let out = env.run(&["config", "set", "language", "sv"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sv") && err.contains("fi, en"), "{err}");
    assert!(refusal(&env).contains("tiski: error:"));
    let said = env.ok(&["config", "set", "language", "fi"]);
    assert!(said.contains("Muistetaan"), "{said}");
    assert!(refusal(&env).contains("tiski: virhe:"));
}

#[test]
fn the_register_description_takes_lang_for_itself_only() {
    let env = Env::new();
    env.init_db();
    let out = env.ok(&["--lang", "en", "privacy-notice"]);
    assert!(!out.is_empty());
    // Its --lang names the document's language, not the user's.
    assert!(refusal(&env).contains("tiski: virhe:"));
}

#[test]
fn l_on_the_first_run_chooser_switches_the_language_for_good() {
    let env = Env::new();
    let mut tui = Tui::start(&env, &[]);
    tui.wait_for("Valitse profiili");
    tui.key_then("l", "Choose a profile");
    tui.keys("q");
    assert!(tui.wait_exit().success());
    // The next start, and the next command, are in English.
    let mut tui = Tui::start(&env, &[]);
    tui.wait_for("Choose a profile");
    tui.key_then("l", "Valitse profiili");
    tui.keys("q");
    assert!(tui.wait_exit().success());
    let mut tui = Tui::start(&env, &[]);
    tui.wait_for("Valitse profiili");
    tui.keys("q");
    assert!(tui.wait_exit().success());
}

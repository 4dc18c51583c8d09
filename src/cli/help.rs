//! The command line in the user's language: clap's texts are the English
//! doc comments of `cli.rs`; in Finnish each command's and flag's text, the
//! headings, the help and version flags and the errors clap finds are put
//! in Finnish from `i18n::cli_help`. The language is known before parsing
//! from `--lang`, else the user config's `language`, else Finnish.

use clap::error::{ContextKind, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory};

use super::Cli;
use crate::i18n::cli_help::{self, CliWords};
use crate::locale::Lang;

/// The command line's clap command, worded in `lang`.
pub fn command(lang: Lang) -> Command {
    let cmd = Cli::command();
    match lang {
        Lang::En => cmd,
        Lang::Fi => {
            let w = &cli_help::FI_WORDS;
            let cmd = cmd
                .disable_version_flag(true)
                .arg(
                    Arg::new("version")
                        .short('V')
                        .long("version")
                        .action(ArgAction::Version)
                        .help(w.version_flag),
                )
                .disable_help_subcommand(true);
            localise(cmd, "", w)
        }
    }
}

fn localise(mut cmd: Command, path: &str, w: &CliWords) -> Command {
    if let Some(about) = cli_help::fi(path) {
        cmd = cmd.about(about);
    }
    // Without a Finnish long text, --help shows the short one, not English.
    cmd = cmd.long_about(cli_help::fi(&format!("{path}+")));
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let text = cli_help::fi(&format!("{path}|{id}"));
        cmd = cmd.mut_arg(id, |a| {
            let names: Vec<clap::builder::Str> = a
                .get_value_names()
                .unwrap_or_default()
                .iter()
                .map(|n| fi_name(n.as_str()).map_or_else(|| n.clone(), Into::into))
                .collect();
            // Headings of ours: clap's own ("Options") cannot be worded.
            let heading = if a.get_help_heading() == Some(super::args::GLOBAL) {
                w.global_options
            } else if a.is_positional() {
                w.arguments
            } else {
                w.options
            };
            let takes_value = a.get_action().takes_values();
            let mut a = a.help_heading(heading).hide_possible_values(takes_value);
            if let Some(text) = text {
                // clap's own "[default: text]" would be English.
                let defaults: Vec<String> = a
                    .get_default_values()
                    .iter()
                    .map(|v| v.to_string_lossy().into_owned())
                    .collect();
                let text = if !takes_value || defaults.is_empty() || a.is_hide_default_value_set() {
                    text.to_string()
                } else {
                    format!("{text} [{}: {}]", w.default, defaults.join(", "))
                };
                a = a.help(text).long_help(None::<&str>);
                if takes_value {
                    a = a.hide_default_value(true);
                }
            }
            if names.is_empty() {
                a
            } else {
                a.value_names(names)
            }
        });
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in &names {
        let sub = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(name, |s| localise(s, &sub, w));
    }
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        w.usage
    );
    cmd.help_template(template)
        .subcommand_help_heading(w.commands)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(w.help_flag)
                .help_heading(w.options),
        )
}

/// A value name (`PATH`) or usage word (`[OPTIONS]`) in Finnish.
fn fi_name(name: &str) -> Option<&'static str> {
    cli_help::FI_NAMES
        .iter()
        .find(|(en, _)| *en == name)
        .map(|(_, fi)| *fi)
}

/// clap's usage line in Finnish: its own words (`[OPTIONS]`) replaced.
pub fn finnish_usage(text: &str) -> String {
    ["[OPTIONS]", "[COMMAND]", "<COMMAND>"]
        .iter()
        .fold(text.to_string(), |t, w| {
            t.replace(w, fi_name(w).unwrap_or(w))
        })
}

/// The language of the help and of clap's errors: `--lang` if given (as
/// `--lang en` or `--lang=en`), else the user config's, else Finnish.
pub fn early_lang(args: &[std::ffi::OsString], config: impl FnOnce() -> Option<Lang>) -> Lang {
    let mut it = args.iter().map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        let value = match a.strip_prefix("--lang") {
            Some("") => it.next().map(|v| v.into_owned()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        };
        if let Some(lang) = value.as_deref().and_then(Lang::from_code) {
            return lang;
        }
    }
    config().unwrap_or_default()
}

/// What clap found wrong with the command line, in Finnish: the common
/// kinds worded here, the value or flag quoted; the rest as clap says it.
pub fn finnish_error(e: &clap::Error) -> String {
    use ErrorKind as K;
    let get = |k| e.get(k).map(|v| v.to_string()).unwrap_or_default();
    let arg = format!("'{}'", get(ContextKind::InvalidArg));
    let value = get(ContextKind::InvalidValue);
    let mut text = match e.kind() {
        K::UnknownArgument => format!("tuntematon valitsin {arg}"),
        K::InvalidSubcommand => format!(
            "tuntematon komento '{}'",
            get(ContextKind::InvalidSubcommand)
        ),
        K::InvalidValue | K::ValueValidation => {
            let mut t = format!("valitsimen {arg} arvo \"{value}\" ei kelpaa");
            let valid = get(ContextKind::ValidValue);
            if !valid.is_empty() {
                t += &format!("; sallitut: {valid}");
            }
            t
        }
        K::MissingRequiredArgument => format!("pakollinen tieto puuttuu: {arg}"),
        K::ArgumentConflict => format!(
            "valitsinta {arg} ei voi käyttää yhdessä valitsimen '{}' kanssa",
            get(ContextKind::PriorArg)
        ),
        K::MissingSubcommand => "komento puuttuu".to_string(),
        K::NoEquals | K::TooManyValues | K::TooFewValues | K::WrongNumberOfValues => {
            format!("valitsin {arg} annettiin väärin")
        }
        _ => {
            let rendered = e.render().to_string();
            rendered
                .lines()
                .next()
                .unwrap_or_default()
                .trim_start_matches("error: ")
                .to_string()
        }
    };
    for k in [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand] {
        let s = get(k);
        if !s.is_empty() {
            text += &format!(" (tarkoititko '{s}'?)");
        }
    }
    let w = &cli_help::FI_WORDS;
    let usage = get(ContextKind::Usage);
    let usage = finnish_usage(usage.trim().trim_start_matches("Usage:").trim());
    if let Some(cmd) = listing(e) {
        text += &format!(". {}", cli_help::listing_hint(Lang::Fi, cmd));
    }
    let mut out = format!("tiski: {}: {}", w.error, crate::text::clean(&text));
    if !usage.is_empty() {
        out += &format!("\n\n{} {usage}", w.usage);
    }
    // The help of the command at fault: `tiski log --help`.
    let command: Vec<&str> = usage
        .split_whitespace()
        .take_while(|t| !t.starts_with(['-', '<', '[']))
        .collect();
    let command = if command.is_empty() {
        "tiski".to_string()
    } else {
        command.join(" ")
    };
    out + &format!("\n\n{} {command} --help", w.more_help)
}

/// A missing argument's valid values are listed by another command:
/// (command, the argument as clap names it in either language, listing).
const LISTINGS: &[(&str, &[&str], &[&str])] = &[
    (
        "tiski voucher print",
        &["<NUMBER>", "<NUMERO>"],
        &["tiski voucher list"],
    ),
    (
        "tiski voucher use",
        &["<NUMBER>", "<NUMERO>"],
        &["tiski voucher list"],
    ),
    (
        "tiski voucher cancel",
        &["<NUMBER>", "<NUMERO>"],
        &["tiski voucher list"],
    ),
    ("tiski voucher issue", &["--product"], &["tiski config"]),
    (
        "tiski event edit",
        &["<ID>", "<TUNNUS>"],
        &["tiski event list"],
    ),
    (
        "tiski event delete",
        &["<ID>", "<TUNNUS>"],
        &["tiski event list"],
    ),
    (
        "tiski group meet",
        &["<ID>", "<TUNNUS>"],
        &["tiski group list"],
    ),
    (
        "tiski feedback add",
        &["--event", "--group"],
        &["tiski event list", "tiski group list"],
    ),
    ("tiski session cancel", &["--date"], &["tiski session list"]),
    ("tiski log", &["--topic"], &["tiski config"]),
];

/// For a missing argument whose valid values another command lists, that
/// command (`voucher print` without a number: `tiski voucher list`).
pub fn listing(e: &clap::Error) -> Option<&'static [&'static str]> {
    if e.kind() != ErrorKind::MissingRequiredArgument {
        return None;
    }
    let usage = e.get(ContextKind::Usage)?.to_string();
    let usage = usage.trim().trim_start_matches("Usage:").trim();
    let missing = e.get(ContextKind::InvalidArg)?.to_string();
    LISTINGS
        .iter()
        .find(|(cmd, args, _)| {
            usage
                .strip_prefix(cmd)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
                && args.iter().any(|a| missing.contains(a))
        })
        .map(|l| l.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and flag of the command line, by the key the Finnish
    /// table uses.
    fn keys(cmd: &Command, path: &str, out: &mut Vec<String>) {
        out.push(path.to_string());
        for a in cmd.get_arguments() {
            if a.get_id() == "help" || a.get_id() == "version" {
                continue;
            }
            out.push(format!("{path}|{}", a.get_id()));
        }
        for s in cmd.get_subcommands() {
            let sub = if path.is_empty() {
                s.get_name().to_string()
            } else {
                format!("{path} {}", s.get_name())
            };
            keys(s, &sub, out);
        }
    }

    #[test]
    fn the_finnish_command_line_is_well_formed_in_every_command() {
        command(Lang::Fi).debug_assert();
        command(Lang::En).debug_assert();
    }

    #[test]
    fn every_command_and_flag_has_its_finnish_text_and_none_is_stale() {
        let mut all = Vec::new();
        keys(&Cli::command(), "", &mut all);
        let missing: Vec<&String> = all.iter().filter(|k| cli_help::fi(k).is_none()).collect();
        assert!(missing.is_empty(), "no Finnish text for {missing:?}");
        let stale: Vec<&str> = cli_help::FI
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| {
                let k = k.trim_end_matches('+');
                if let Some(id) = k.strip_prefix("*|") {
                    !all.iter().any(|a| a.ends_with(&format!("|{id}")))
                } else {
                    !all.iter().any(|a| a == k)
                }
            })
            .collect();
        assert!(stale.is_empty(), "Finnish texts for nothing: {stale:?}");
    }

    /// Every flag and argument of every command has its English help
    /// too (`voucher issue --birth-year` had none): the doc comments.
    #[test]
    fn every_command_and_flag_has_its_english_text() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for a in cmd.get_arguments() {
                let id = a.get_id().as_str();
                if a.get_help().is_none() && !matches!(id, "help" | "version") {
                    missing.push(format!("{path}|{id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_about().is_none() {
                    missing.push(format!("{path} {}", sub.get_name()));
                }
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&command(Lang::En), "tiski", &mut missing);
        assert!(missing.is_empty(), "no English help for {missing:?}");
    }

    fn help(lang: Lang, args: &[&str]) -> String {
        let mut argv = vec!["tiski"];
        argv.extend_from_slice(args);
        argv.push("--help");
        let e = command(lang).try_get_matches_from(argv).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::DisplayHelp);
        e.render().to_string()
    }

    #[test]
    fn the_help_is_finnish_by_default_and_english_on_request() {
        let fi = help(Lang::Fi, &[]);
        for want in [
            "Käyttö: tiski",
            "Komennot:",
            "Valitsimet:",
            "Näytä ohje",
            "Kirjaa käynti",
        ] {
            assert!(fi.contains(want), "{want:?} in\n{fi}");
        }
        for english in ["Usage:", "Options:", "Print help", "Save a visit"] {
            assert!(!fi.contains(english), "{english:?} in\n{fi}");
        }
        assert!(finnish_usage(&fi).contains("Käyttö: tiski [VALITSIMET] [KOMENTO]"));
        let log = help(Lang::Fi, &["log"]);
        assert!(log.contains("--db <POLKU>"), "{log}");
        assert!(log.contains("Aiheen avain"), "{log}");
        assert!(
            log.contains("Tietokantatiedosto"),
            "global flags too: {log}"
        );
        let report = help(Lang::Fi, &["report"]);
        assert!(
            report.contains("text, md, json, csv, xlsx (Excel-työkirja kaavioineen) tai docx"),
            "{report}"
        );
        assert!(report.contains("--from <PP.KK.VVVV>"), "{report}");
        assert!(report.contains("--charts <KANSIO>"), "{report}");
        let demo = help(Lang::Fi, &["demo"]);
        assert!(demo.contains("[oletus: 3]"), "{demo}");
        assert!(!demo.contains("[default"), "{demo}");
        let en = help(Lang::En, &["log"]);
        assert!(
            en.contains("Usage: tiski log") && en.contains("Topic key"),
            "{en}"
        );
    }

    #[test]
    fn a_missing_argument_points_to_the_command_that_lists_its_values() {
        for lang in Lang::ALL {
            for (cmd, _, listings) in LISTINGS {
                let words: Vec<&str> = cmd.split(' ').collect();
                let e = command(lang).try_get_matches_from(&words).unwrap_err();
                assert_eq!(listing(&e), Some(*listings), "{cmd} in {lang:?}");
                for l in *listings {
                    let words: Vec<&str> = l.split(' ').collect();
                    assert!(command(lang).try_get_matches_from(&words).is_ok(), "{l}");
                }
            }
        }
        // Only a missing argument of that command gets the hint.
        let e = command(Lang::Fi)
            .try_get_matches_from(["tiski", "voucher", "use", "LE-2026-001"])
            .unwrap_err();
        assert_eq!(listing(&e), None, "only --amount is missing");
        let e = command(Lang::Fi)
            .try_get_matches_from(["tiski", "voucher", "print", "--nope"])
            .unwrap_err();
        assert_eq!(listing(&e), None);
    }

    #[test]
    fn the_language_is_known_before_parsing() {
        let args = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            early_lang(&args(&["tiski", "--lang", "en", "log"]), || None),
            Lang::En
        );
        assert_eq!(
            early_lang(&args(&["tiski", "log", "--lang=en"]), || None),
            Lang::En
        );
        assert_eq!(
            early_lang(&args(&["tiski", "log"]), || Some(Lang::En)),
            Lang::En
        );
        assert_eq!(early_lang(&args(&["tiski", "log"]), || None), Lang::Fi);
        assert_eq!(
            early_lang(&args(&["tiski", "--lang", "xx"]), || None),
            Lang::Fi
        );
    }

    #[test]
    fn clap_errors_are_worded_in_finnish() {
        let e = command(Lang::Fi)
            .try_get_matches_from(["tiski", "log", "--topc", "sote"])
            .unwrap_err();
        let text = finnish_error(&e);
        assert!(
            text.starts_with("tiski: virhe: tuntematon valitsin '--topc'"),
            "{text}"
        );
        assert!(text.contains("tarkoititko"), "{text}");
        assert!(text.contains("Käyttö: tiski log --topic <AVAIN>"), "{text}");
        let e = command(Lang::Fi)
            .try_get_matches_from(["tiski", "--lang", "sv"])
            .unwrap_err();
        let text = finnish_error(&e);
        assert!(
            text.contains("\"sv\" ei kelpaa") && text.contains("fi, en"),
            "{text}"
        );
    }
}

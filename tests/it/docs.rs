//! The docs that restate code, checked against it: the user guides' key
//! tables against `src/keys.rs` (and the profiles' field keys against the
//! embedded config), and every `tiski …` command line the docs show
//! against the command line's clap definition, so a guide cannot name a
//! key, a command or a flag that tiski does not have.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use clap::CommandFactory;
use tiski::config::Config;
use tiski::keys::{self, Bar, Key, KeyDef};
use tiski::locale::Lang;

/// The user guides, each with the language of its field labels.
const GUIDES: &[(&str, Lang)] = &[
    ("docs/user-guide.md", Lang::En),
    ("docs/kayttoohje.md", Lang::Fi),
];

/// Every doc whose `tiski` command lines are checked.
const DOCS: &[&str] = &[
    "README.md",
    "ARCHITECTURE.md",
    "docs/user-guide.md",
    "docs/kayttoohje.md",
    "docs/admin-guide.md",
    "docs/yllapito-opas.md",
];

fn read(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The key tables a guide must hold, by the name of their marker
/// (`<!-- keys: duty -->`): every view's table of `keys.rs`.
fn tables() -> Vec<(&'static str, &'static [KeyDef])> {
    let name = |bar: Bar| match bar {
        Bar::Form => "duty",
        Bar::List => "list",
        Bar::Editing => "editing",
        Bar::Tally => "tally",
        Bar::Report => "report",
        Bar::Register => "register",
        Bar::Summary => "summary",
        Bar::Events => "events",
        Bar::Help => "help",
        Bar::VoucherForm => "voucher-form",
        Bar::Dialog => "dialog",
        Bar::EventForm => "event-form",
        Bar::Chooser => "chooser",
    };
    let mut out: Vec<_> = Bar::ALL.iter().map(|&b| (name(b), b.table())).collect();
    out.push(("field", keys::FIELD));
    out
}

/// The keys a written name stands for: `1–9`, `↑↓`, `Shift-Tab`, `k`.
/// `None` for anything else (`10.05`, `Ctrl-C`).
fn keys_of(token: &str) -> Option<Vec<Key>> {
    let one = |k| Some(vec![k]);
    match token {
        "1–9" => Some(('1'..='9').map(Key::Char).collect()),
        "↑↓" => Some(vec![Key::Up, Key::Down]),
        "←→" => Some(vec![Key::Left, Key::Right]),
        "↑" => one(Key::Up),
        "↓" => one(Key::Down),
        "←" => one(Key::Left),
        "→" => one(Key::Right),
        "Enter" => one(Key::Enter),
        "Esc" => one(Key::Esc),
        "Tab" => one(Key::Tab),
        "Shift-Tab" => one(Key::BackTab),
        "PgUp" => one(Key::PageUp),
        "PgDn" => one(Key::PageDown),
        "Home" => one(Key::Home),
        "End" => one(Key::End),
        "Backspace" => one(Key::Backspace),
        "Del" | "Delete" => one(Key::Delete),
        "Space" => one(Key::Char(' ')),
        _ => {
            let mut chars = token.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => one(Key::Char(c)),
                _ => None,
            }
        }
    }
}

/// The keys a help label names (`Esc/t`, `←→ Home End`, `Tab/↑↓`).
fn label_keys(label: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let tokens: Vec<&str> = match keys_of(label) {
        Some(_) => vec![label], // `/` is a key of its own
        None => label.split(['/', ' ']).filter(|t| !t.is_empty()).collect(),
    };
    for token in tokens {
        let keys = keys_of(token).unwrap_or_else(|| panic!("keys.rs label {label:?}"));
        out.extend(keys.iter().map(|k| format!("{k:?}")));
    }
    out
}

/// The `code spans` of a piece of Markdown.
fn spans(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// The rows of the Markdown table that follows `marker`, as cells, the
/// header and its rule left out.
fn table_after<'a>(doc: &'a str, marker: &str) -> Option<Vec<Vec<&'a str>>> {
    let at = doc.find(marker)?;
    let rows: Vec<Vec<&str>> = doc[at + marker.len()..]
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| l.trim_start().starts_with('|'))
        .map(|l| {
            l.trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect()
        })
        .collect();
    Some(rows)
}

/// What is wrong with one guide's key tables.
fn key_table_errors(doc: &str) -> Vec<String> {
    let mut errors = Vec::new();
    for (name, table) in tables() {
        let marker = format!("<!-- keys: {name} -->");
        let Some(rows) = table_after(doc, &marker) else {
            errors.push(format!("{name}: no table (the marker {marker} is missing)"));
            continue;
        };
        let mut seen = vec![false; table.len()];
        for row in rows.iter().skip(2) {
            let (first, rest) = (row[0], row[1..].join(" | "));
            let mut named = BTreeSet::new();
            for token in spans(first) {
                match keys_of(token) {
                    Some(keys) => named.extend(keys.iter().map(|k| format!("{k:?}"))),
                    None => errors.push(format!("{name}: `{token}` is not a key")),
                }
            }
            let Some(i) = table.iter().position(|d| label_keys(d.label) == named) else {
                errors.push(format!(
                    "{name}: the row {first} names no key of keys.rs as the help writes it"
                ));
                continue;
            };
            if std::mem::replace(&mut seen[i], true) {
                errors.push(format!("{name}: {first} twice"));
            }
            let def = &table[i];
            let mut also: BTreeSet<String> = named.clone();
            for token in spans(&rest) {
                for k in keys_of(token).unwrap_or_default() {
                    if !def.keys.contains(&k) {
                        errors.push(format!(
                            "{name}: the row {first} says `{token}`, which is not its key"
                        ));
                    }
                    also.insert(format!("{k:?}"));
                }
            }
            for k in def.keys {
                if !also.contains(&format!("{k:?}")) {
                    errors.push(format!(
                        "{name}: the row {first} does not name its key {k:?}"
                    ));
                }
            }
        }
        for (def, seen) in table.iter().zip(seen) {
            if !seen {
                errors.push(format!("{name}: no row for {} ({:?})", def.label, def.cmd));
            }
        }
    }
    errors
}

/// What is wrong with one guide's table of the profiles' field keys
/// (`<!-- fields: en -->`): a column per embedded profile, a row per field
/// key, each cell the field's label (and whether it is sticky) or `–`.
fn field_table_errors(doc: &str, lang: Lang) -> Vec<String> {
    let (marker, sticky) = match lang {
        Lang::Fi => ("<!-- fields: fi -->", "pysyvä"),
        Lang::En => ("<!-- fields: en -->", "sticky"),
    };
    let Some(rows) = table_after(doc, marker) else {
        return vec![format!(
            "no field key table (the marker {marker} is missing)"
        )];
    };
    let config = Config::embedded();
    let columns: Vec<&str> = rows[0][1..].iter().map(|c| c.trim_matches('`')).collect();
    let ids: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
    let mut errors = Vec::new();
    if columns != ids {
        errors.push(format!(
            "columns {columns:?}, the embedded profiles {ids:?}"
        ));
    }
    let mut rows_by_key = BTreeMap::new();
    for row in rows.iter().skip(2) {
        let key = row[0].trim_matches('`');
        let mut chars = key.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            errors.push(format!("{key}: not a key"));
            continue;
        };
        rows_by_key.insert(c, row);
    }
    for (col, id) in columns.iter().enumerate() {
        let Some(profile) = config.profiles.get(*id) else {
            continue;
        };
        for f in &profile.fields {
            if !rows_by_key.contains_key(&f.hotkey) {
                errors.push(format!("{id}: no row for `{}` ({})", f.hotkey, f.key));
            }
        }
        for (c, row) in &rows_by_key {
            let cell = row.get(col + 1).copied().unwrap_or_default();
            match profile.fields.iter().find(|f| f.hotkey == *c) {
                None if cell != "–" => {
                    errors.push(format!("{id} `{c}`: {cell:?}, but it has no such field"))
                }
                None => {}
                Some(f) => {
                    let label = f.label(lang);
                    if !cell.starts_with(label) {
                        errors.push(format!("{id} `{c}`: {cell:?}, the field is {label:?}"));
                    }
                    if cell.contains(sticky) != f.sticky {
                        errors.push(format!(
                            "{id} `{c}`: {cell:?}, the field is {}sticky",
                            if f.sticky { "" } else { "not " }
                        ));
                    }
                }
            }
        }
    }
    errors
}

#[test]
fn the_guides_key_tables_are_the_key_tables_of_keys_rs() {
    let mut errors = Vec::new();
    for (guide, lang) in GUIDES {
        let doc = read(guide);
        for e in key_table_errors(&doc)
            .into_iter()
            .chain(field_table_errors(&doc, *lang))
        {
            errors.push(format!("{guide}: {e}"));
        }
    }
    assert!(errors.is_empty(), "{errors:#?}");
}

/// The check sees a key left out, a key that is not there, a key a row
/// leaves out, a missing table and a field key table out of step.
#[test]
fn the_key_table_check_sees_each_kind_of_drift() {
    let doc = read("docs/user-guide.md");
    let broken = doc
        .replace("| `c` | cancel today's", "| `C` | cancel today's")
        .replace(
            "| `e` | edit the chosen event (also `Enter`) |",
            "| `e` | edit |",
        )
        .replace("<!-- keys: help -->", "")
        .replace("| `0` | more topics", "| `0` | more topics (also `z`)")
        .replace("| `w` | – | Interpreting | – |", "| `w` | – | – | – |")
        .replace("Client group (sticky) | Contact", "Client group | Contact");
    let errors: Vec<String> = key_table_errors(&broken)
        .into_iter()
        .chain(field_table_errors(&broken, Lang::En))
        .collect();
    let has = |needle: &str| errors.iter().any(|e| e.contains(needle));
    assert!(has("duty: no row for c (CancelDay)"), "{errors:#?}");
    assert!(has("duty: the row `C` names no key"), "{errors:#?}");
    assert!(
        has("events: the row `e` does not name its key Enter"),
        "{errors:#?}"
    );
    assert!(has("help: no table"), "{errors:#?}");
    assert!(
        has("the row `0` says `z`, which is not its key"),
        "{errors:#?}"
    );
    assert!(
        has("kotouttaminen `w`: \"–\", the field is \"Interpreting\""),
        "{errors:#?}"
    );
    assert!(
        has("kotouttaminen `a`: \"Client group\", the field is sticky"),
        "{errors:#?}"
    );
}

/// Every `tiski …` command line in a doc: a line of a code block (with
/// its indented continuation lines) or a code span, the prompt left out.
fn command_lines(doc: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut prose = String::new();
    // In a block: `None` outside, else whether it is a shell block.
    let mut block: Option<bool> = None;
    for line in doc.lines() {
        if let Some(fence) = line.trim_start().strip_prefix("```") {
            block = match block {
                Some(_) => None,
                None => Some(matches!(fence.trim(), "sh" | "bash" | "console")),
            };
            continue;
        }
        let Some(shell) = block else {
            prose.push_str(line);
            prose.push(' ');
            continue;
        };
        // A shell block's lines are commands; another block's (a screen, a
        // report) only those after a `$ ` prompt.
        let trimmed = line.trim_start();
        let l = match trimmed.strip_prefix("$ ") {
            Some(l) => l,
            None if shell => trimmed,
            None => continue,
        };
        if l == "tiski" || l.starts_with("tiski ") {
            lines.push(l.to_string());
        } else if line.starts_with(' ')
            && (l.starts_with('[') || l.starts_with('('))
            && let Some(last) = lines.last_mut()
        {
            // An indented continuation of the command above.
            last.push(' ');
            last.push_str(l);
        }
    }
    for span in spans(&prose) {
        if span == "tiski" || span.starts_with("tiski ") {
            lines.push(span.to_string());
        }
    }
    lines
        .into_iter()
        .map(|l| match l.find(" #") {
            Some(i) => l[..i].to_string(),
            None => l,
        })
        .map(|l| shell_cut(&l).to_string())
        .collect()
}

/// A command line up to where the shell takes over: a redirection
/// (`tiski config > FILE`) or a pipe outside brackets (`tiski config |
/// Out-File …`; `[--year Y | --month M]` is a choice of flags).
fn shell_cut(line: &str) -> &str {
    let mut depth = 0i32;
    for (i, c) in line.char_indices() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            '>' | '|' if depth == 0 && line[..i].ends_with(' ') => return line[..i].trim_end(),
            _ => {}
        }
    }
    line
}

/// What is wrong with one command line: a subcommand or flag that the
/// command line's definition does not have.
fn command_errors(line: &str) -> Vec<String> {
    let mut cmd = tiski::cli::Cli::command();
    cmd.build();
    let globals: BTreeSet<String> = cmd
        .get_arguments()
        .filter_map(|a| a.get_long().map(str::to_string))
        .collect();
    let mut errors = Vec::new();
    let mut path = vec!["tiski".to_string()];
    let mut expect_sub = true;
    let mut skip_value = false;
    for raw in line.split_whitespace().skip(1) {
        let token = raw.trim_matches(|c| matches!(c, '[' | ']' | '(' | ')' | ',' | '…'));
        if token.is_empty() || token == "|" || token == "…" {
            continue;
        }
        if let Some(flag) = token.strip_prefix("--") {
            let (name, inline) = match flag.split_once('=') {
                Some((n, _)) => (n, true),
                None => (flag, false),
            };
            if name.is_empty() {
                continue; // `--`
            }
            let arg = cmd.get_arguments().find(|a| a.get_long() == Some(name));
            match arg {
                Some(a) => skip_value = !inline && a.get_action().takes_values(),
                None if name == "help" || name == "version" || globals.contains(name) => {
                    skip_value = !matches!(name, "help" | "version" | "confirm");
                }
                None => {
                    errors.push(format!("`{}` has no --{name}", path.join(" ")));
                    skip_value = false;
                }
            }
            continue;
        }
        if std::mem::take(&mut skip_value) {
            continue;
        }
        if !expect_sub || !cmd.has_subcommands() {
            continue; // a positional value: FILE, LE-2023-001, ID
        }
        let words: Vec<&str> = token.split('|').collect();
        if words
            .iter()
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        {
            expect_sub = false; // a placeholder: COMMAND
            continue;
        }
        let mut known = true;
        for w in &words {
            if cmd.find_subcommand(w).is_none() {
                errors.push(format!("`{}` has no subcommand {w}", path.join(" ")));
                known = false;
            }
        }
        if known && words.len() == 1 {
            path.push(token.to_string());
            cmd = cmd.find_subcommand(token).expect("checked above").clone();
        } else {
            expect_sub = false;
            if words.len() > 1 {
                break; // `add|list|edit`: the flags after it are no one's
            }
        }
    }
    errors
}

#[test]
fn every_command_the_docs_name_is_on_the_command_line() {
    let mut errors = Vec::new();
    let mut seen = 0;
    for doc in DOCS {
        for line in command_lines(&read(doc)) {
            seen += 1;
            for e in command_errors(&line) {
                errors.push(format!("{doc}: {line}: {e}"));
            }
        }
    }
    assert!(seen > 100, "only {seen} command lines found");
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_command_check_sees_a_flag_or_subcommand_that_is_not_there() {
    let has = |line: &str, needle: &str| {
        let errors = command_errors(line);
        assert!(
            errors.iter().any(|e| e.contains(needle)),
            "{line}: {errors:?}"
        );
    };
    has(
        "tiski voucher print LE-2023-001 --printr",
        "`tiski voucher print` has no --printr",
    );
    has(
        "tiski report --year 2023 --charts kaaviot --pdf",
        "has no --pdf",
    );
    has("tiski vouchers list", "`tiski` has no subcommand vouchers");
    has(
        "tiski event add|lsit",
        "`tiski event` has no subcommand lsit",
    );
    has(
        "tiski tally --date 2026-11-24 --profile ikaihmiset --json --year 2026",
        "`tiski tally` has no --year",
    );
    assert!(command_errors("tiski --lang en report --year 2023 --out r.xlsx --force").is_empty());
    assert!(command_errors("tiski restore FILE").is_empty());
    assert!(command_errors("tiski voucher print LE-2023-001 --copy --confirm").is_empty());
    assert_eq!(
        command_lines(
            "x `tiski session\ncancel` y\n```sh\n$ tiski log --topic a\n```\n```\ntiski · screen\n$ tiski tally\n```\n"
        ),
        ["tiski log --topic a", "tiski tally", "tiski session cancel"]
    );
}

/// The README stays a front door: short, and pointing at each reader's
/// guide (issue 22: it had grown to 1 731 lines for three readers).
#[test]
fn the_readme_is_a_short_front_door_to_every_guide() {
    let readme = read("README.md");
    let lines = readme.lines().count();
    assert!(
        lines < 400,
        "README.md has {lines} lines; move the detail into a guide"
    );
    for guide in [
        "docs/kayttoohje.md",
        "docs/user-guide.md",
        "docs/yllapito-opas.md",
        "docs/admin-guide.md",
        "ARCHITECTURE.md",
        "PERFORMANCE.md",
    ] {
        assert!(
            readme.contains(&format!("]({guide})")),
            "README.md links no {guide}"
        );
        read(guide);
    }
    for command in ["cargo run --release\n", "cargo test\n"] {
        assert!(readme.contains(command), "README.md lacks {command:?}");
    }
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces
/// as hyphens (`The clock check and `--confirm`` → `the-clock-check-and---confirm`).
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a doc's headings (code blocks left out).
fn anchors(doc: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut in_block = false;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
        } else if !in_block && line.starts_with('#') {
            out.insert(anchor(line.trim_start_matches('#')));
        }
    }
    out
}

/// What is wrong with a doc's links: a file that is not there, or a
/// `#heading` that no heading of its file makes.
fn link_errors(rel: &str, doc: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = Path::new(rel).parent().unwrap_or(Path::new(""));
    let mut errors = Vec::new();
    for part in doc.split("](").skip(1) {
        let Some(target) = part.split(')').next() else {
            continue;
        };
        if target.starts_with("http") || target.contains(' ') {
            continue;
        }
        let (file, hash) = match target.split_once('#') {
            Some((f, h)) => (f, Some(h)),
            None => (target, None),
        };
        let text = if file.is_empty() {
            doc.to_string()
        } else {
            let path = root.join(dir).join(file);
            if !path.exists() {
                errors.push(format!("{rel}: ({target}): no file {}", path.display()));
                continue;
            }
            std::fs::read_to_string(&path).unwrap_or_default()
        };
        if let Some(hash) = hash
            && !anchors(&text).contains(hash)
        {
            errors.push(format!("{rel}: ({target}): no such heading"));
        }
    }
    errors
}

#[test]
fn every_link_in_the_docs_reaches_its_file_and_heading() {
    let errors: Vec<String> = DOCS.iter().flat_map(|d| link_errors(d, &read(d))).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let broken = "[a](#no-such) [b](gone.md) [c](user-guide.md#log-a-visit) [d](#b)\n# B\n";
    let errors = link_errors("docs/x.md", broken);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors[0].contains("(#no-such): no such heading"),
        "{errors:#?}"
    );
    assert!(errors[1].contains("(gone.md): no file"), "{errors:#?}");
}

/// The TOML blocks a doc marks `<!-- embedded -->`: they claim to show the
/// embedded defaults of `config/default.toml`.
fn embedded_blocks(doc: &str) -> Vec<&str> {
    doc.split("<!-- embedded -->")
        .skip(1)
        .filter_map(|rest| {
            let body = rest.trim_start().strip_prefix("```toml\n")?;
            body.split("\n```").next()
        })
        .collect()
}

/// Where `shown` differs from `real`: every value the doc shows must be
/// the embedded one at the same place (tables may show fewer keys; an
/// array of tables its first rows; a plain array is shown whole).
fn toml_differences(path: &str, shown: &toml::Value, real: Option<&toml::Value>) -> Vec<String> {
    use toml::Value;
    match (shown, real) {
        (_, None) => vec![format!("{path}: not in config/default.toml")],
        (Value::Table(s), Some(Value::Table(r))) => s
            .iter()
            .flat_map(|(k, v)| toml_differences(&format!("{path}.{k}"), v, r.get(k)))
            .collect(),
        (Value::Array(s), Some(Value::Array(r)))
            if s.iter().all(Value::is_table) && r.len() >= s.len() =>
        {
            s.iter()
                .zip(r)
                .enumerate()
                .flat_map(|(i, (a, b))| toml_differences(&format!("{path}[{i}]"), a, Some(b)))
                .collect()
        }
        (s, Some(r)) if s == r => Vec::new(),
        (s, Some(r)) => vec![format!("{path}: the doc shows {s}, the default is {r}")],
    }
}

fn embedded_errors(rel: &str, doc: &str) -> Vec<String> {
    let real: toml::Value = toml::from_str(&read("config/default.toml")).expect("default.toml");
    let mut errors = Vec::new();
    for block in embedded_blocks(doc) {
        match toml::from_str::<toml::Value>(block) {
            Ok(shown) => {
                for e in toml_differences("", &shown, Some(&real)) {
                    errors.push(format!("{rel}: {e}"));
                }
            }
            Err(e) => errors.push(format!("{rel}: a block that does not parse: {e}")),
        }
    }
    errors
}

#[test]
fn the_settings_the_docs_call_the_defaults_are_the_defaults() {
    let mut errors = Vec::new();
    let mut blocks = 0;
    for doc in DOCS {
        let text = read(doc);
        blocks += embedded_blocks(&text).len();
        errors.extend(embedded_errors(doc, &text));
    }
    assert!(blocks >= 6, "only {blocks} blocks marked <!-- embedded -->");
    assert!(errors.is_empty(), "{errors:#?}");
    let stale = "<!-- embedded -->\n```toml\n[retention]\nnotes_days = 30\n\n[[profiles.ikaihmiset.schedule]]\nweekday = \"mon\"\nnope = 1\n```\n";
    let errors = embedded_errors("x.md", stale);
    let has = |needle: &str| errors.iter().any(|e| e.contains(needle));
    assert!(
        has(".retention.notes_days: the doc shows 30, the default is 365"),
        "{errors:#?}"
    );
    assert!(
        has(".profiles.ikaihmiset.schedule[0].weekday: the doc shows \"mon\""),
        "{errors:#?}"
    );
    assert!(
        has(".profiles.ikaihmiset.schedule[0].nope: not in"),
        "{errors:#?}"
    );
}

/// Every subcommand path of the command line (`tiski voucher print`) with
/// its own flags (globals and --help left out).
fn every_command() -> Vec<(String, Vec<String>)> {
    fn walk(cmd: &clap::Command, path: String, out: &mut Vec<(String, Vec<String>)>) {
        let flags = cmd
            .get_arguments()
            .filter(|a| !a.is_global_set())
            .filter_map(|a| a.get_long().map(str::to_string))
            .filter(|l| l != "help" && l != "version")
            .collect();
        if !cmd.has_subcommands() {
            out.push((path.clone(), flags));
        }
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            walk(sub, format!("{path} {}", sub.get_name()), out);
        }
    }
    let mut out = Vec::new();
    walk(&tiski::cli::Cli::command(), "tiski".into(), &mut out);
    out
}

/// What the command lines of a doc leave out: a command no line shows, or
/// a flag of it no line of that command names.
fn undocumented(doc: &str) -> Vec<String> {
    let lines = command_lines(doc);
    let mut missing = Vec::new();
    for (path, flags) in every_command() {
        let shown: Vec<&String> = lines
            .iter()
            .filter(|l| *l == &path || l.starts_with(&format!("{path} ")))
            .collect();
        if shown.is_empty() && path != "tiski" {
            missing.push(format!("`{path}`"));
            continue;
        }
        for flag in flags {
            let named = shown.iter().any(|l| {
                l.split(|c: char| c.is_whitespace() || "[]()|=".contains(c))
                    .any(|t| t == format!("--{flag}"))
            });
            if !named {
                missing.push(format!("`{path} --{flag}`"));
            }
        }
    }
    missing
}

#[test]
fn the_admin_guides_show_every_command_and_flag() {
    let mut errors = Vec::new();
    for guide in ["docs/admin-guide.md", "docs/yllapito-opas.md"] {
        for m in undocumented(&read(guide)) {
            errors.push(format!("{guide}: no command line shows {m}"));
        }
    }
    assert!(errors.is_empty(), "{errors:#?}");
    let partial = "```sh\ntiski voucher print N --copy\n```\n";
    let missing = undocumented(partial);
    assert!(
        missing.contains(&"`tiski voucher print --printer`".to_string()),
        "{missing:?}"
    );
    assert!(
        missing.contains(&"`tiski backup`".to_string()),
        "{missing:?}"
    );
}

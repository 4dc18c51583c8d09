//! The layer rules of `src/lib.rs`, checked on the source: which top-level
//! module may name which, no import circles, clap only in `cli`, and the
//! UI never reaching into the store. Read as tokens (comments and strings
//! do not count), so `use crate::{a, b::c}`, `crate::x::f()` in code and in
//! macro arguments, and `super::` paths that climb to the crate root are
//! all seen. Test code (`#[cfg(test)]` items, `tests.rs` files) may use
//! anything: it is not part of the product's structure.
//!
//! The layers, the flow and the map of every file are written out in
//! `ARCHITECTURE.md`; `the_architecture_map_lists_every_file` keeps that map
//! true to the tree and to `LAYERS` below.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// Top-level modules by layer, lowest first. A module may name modules of
/// lower layers only; two modules of one layer never name each other.
const LAYERS: &[&[&str]] = &[
    &["clock", "locale", "text", "keys", "platform"],
    &["domain", "files"],
    &["voucher", "privacy", "schedule", "events"],
    &["config", "report"],
    &["checked"],
    &["store"],
    &["server"],
    &["error"],
    &["desk"],
    &["demo"],
    &["i18n"],
    &["export"],
    &["import"],
    &["app"],
    &["keymap", "ui"],
    &["commands", "tui"],
    &["cli"],
];

/// Edges that the layers would allow but the design forbids.
const FORBIDDEN: &[(&str, &str, &str)] = &[(
    "ui",
    "store",
    "ui draws from App's state alone; queries belong in App",
)];

/// The one module that may use clap.
const CLAP_HOME: &str = "cli";

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// One use of another top-level module, or of clap, where it occurs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Use {
    from: String,
    to: String,
    file: PathBuf,
}

/// Every reference from the product code under `src` to a top-level
/// module (`to` = module name) or to clap (`to` = "clap").
fn uses(src: &Path) -> Vec<Use> {
    let mut out = Vec::new();
    for file in rust_files(src) {
        let rel = file.strip_prefix(src).expect("under src");
        if rel.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let module = module_path(rel);
        let Some(top) = module.first().cloned() else {
            continue; // lib.rs and main.rs: the crate root
        };
        let text = std::fs::read_to_string(&file).expect("readable source");
        let tokens: TokenStream = text
            .parse()
            .unwrap_or_else(|e| panic!("{} does not tokenize: {e:?}", file.display()));
        let mut found = BTreeSet::new();
        walk(tokens, &module, &mut found);
        for to in found {
            if to != top {
                out.push(Use {
                    from: top.clone(),
                    to,
                    file: rel.to_path_buf(),
                });
            }
        }
    }
    out.sort();
    out
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable dir") {
            let p = entry.expect("dir entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// `app/voucher.rs` → `[app, voucher]`; `lib.rs`, `main.rs` → `[]`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if parts.is_empty() && matches!(stem, "lib" | "main") {
        return Vec::new();
    }
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

/// Collects the top-level modules (and `clap`) that `tokens`, inside the
/// module at `path`, refer to.
fn walk(tokens: TokenStream, path: &[String], found: &mut BTreeSet<String>) {
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tts.len() {
        // `#[cfg(test)]` and the item it guards: skipped.
        if is_punct(&tts[i], '#')
            && let Some(TokenTree::Group(g)) = tts.get(i + 1)
            && g.delimiter() == Delimiter::Bracket
            && is_cfg_test(&g.stream())
        {
            i = skip_item(&tts, i + 2);
            continue;
        }
        // An inline `mod name { … }` nests the path.
        if is_ident(&tts[i], "mod")
            && let Some(TokenTree::Ident(name)) = tts.get(i + 1)
            && let Some(TokenTree::Group(g)) = tts.get(i + 2)
            && g.delimiter() == Delimiter::Brace
        {
            let mut inner = path.to_vec();
            inner.push(name.to_string());
            walk(g.stream(), &inner, found);
            i += 3;
            continue;
        }
        match &tts[i] {
            TokenTree::Ident(id) if id == "clap" && path_sep_at(&tts, i + 1) => {
                found.insert("clap".into());
            }
            TokenTree::Ident(id) if id == "crate" && path_sep_at(&tts, i + 1) => {
                targets_after(&tts, i + 3, &[], found);
            }
            TokenTree::Ident(id) if id == "super" && path_sep_at(&tts, i + 1) => {
                // Count the climbs: super::super::x.
                let mut up = 0;
                let mut j = i;
                while matches!(&tts.get(j), Some(TokenTree::Ident(s)) if s == "super")
                    && path_sep_at(&tts, j + 1)
                {
                    up += 1;
                    j += 3;
                }
                let base = &path[..path.len().saturating_sub(up)];
                targets_after(&tts, j, base, found);
                i = j;
                continue;
            }
            TokenTree::Group(g) => walk(g.stream(), path, found),
            _ => {}
        }
        i += 1;
    }
}

/// After `crate::` (base empty) or `super::…` (base the module reached):
/// the top-level module named next, or each one of a `{…}` group.
fn targets_after(tts: &[TokenTree], at: usize, base: &[String], found: &mut BTreeSet<String>) {
    if let Some(top) = base.first() {
        found.insert(top.clone());
        return;
    }
    match tts.get(at) {
        Some(TokenTree::Ident(id)) => {
            found.insert(id.to_string());
        }
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
            let inner: Vec<TokenTree> = g.stream().into_iter().collect();
            let mut start = true;
            for tt in &inner {
                match tt {
                    TokenTree::Ident(id) if start && id != "self" => {
                        found.insert(id.to_string());
                        start = false;
                    }
                    TokenTree::Punct(p) if p.as_char() == ',' => start = true,
                    _ => start = false,
                }
            }
        }
        _ => {}
    }
}

fn is_punct(tt: &TokenTree, c: char) -> bool {
    matches!(tt, TokenTree::Punct(p) if p.as_char() == c)
}

fn is_ident(tt: &TokenTree, name: &str) -> bool {
    matches!(tt, TokenTree::Ident(id) if id == name)
}

fn path_sep_at(tts: &[TokenTree], i: usize) -> bool {
    matches!((tts.get(i), tts.get(i + 1)), (Some(a), Some(b)) if is_punct(a, ':') && is_punct(b, ':'))
}

fn is_cfg_test(attr: &TokenStream) -> bool {
    let tts: Vec<TokenTree> = attr.clone().into_iter().collect();
    matches!(tts.as_slice(), [TokenTree::Ident(cfg), TokenTree::Group(g)]
        if cfg == "cfg" && g.stream().to_string().trim() == "test")
}

/// The index after the item starting at `i`: through its `;` or its
/// first brace group (after further attributes).
fn skip_item(tts: &[TokenTree], mut i: usize) -> usize {
    while i < tts.len() {
        match &tts[i] {
            TokenTree::Punct(p) if p.as_char() == ';' => return i + 1,
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// Everything that breaks the rules, one line each.
fn violations(src: &Path) -> Vec<String> {
    let uses = uses(src);
    let mut bad = Vec::new();
    let mut modules: BTreeSet<String> = BTreeSet::new();
    for f in rust_files(src) {
        if let Some(top) = module_path(f.strip_prefix(src).expect("under src")).first() {
            modules.insert(top.clone());
        }
    }
    for m in &modules {
        if layer_of(m).is_none() {
            bad.push(format!(
                "module `{m}` has no layer: add it to LAYERS in tests/it/layers.rs and to the list in src/lib.rs"
            ));
        }
    }
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for u in &uses {
        if u.to == "clap" {
            if u.from != CLAP_HOME {
                bad.push(format!(
                    "{}: uses clap; only `{CLAP_HOME}` knows the command line",
                    u.file.display()
                ));
            }
            continue;
        }
        if !modules.contains(&u.to) {
            continue; // an item of the crate root, e.g. a macro
        }
        graph.entry(&u.from).or_default().insert(&u.to);
        if let (Some(a), Some(b)) = (layer_of(&u.from), layer_of(&u.to))
            && b >= a
        {
            bad.push(format!(
                "{}: `{}` (layer {a}) uses `{}` (layer {b}); a module may use only lower layers",
                u.file.display(),
                u.from,
                u.to
            ));
        }
        for (from, to, why) in FORBIDDEN {
            if u.from == *from && u.to == *to {
                bad.push(format!("{}: `{from}` uses `{to}`: {why}", u.file.display()));
            }
        }
    }
    if let Some(cycle) = find_cycle(&graph) {
        bad.push(format!("import circle: {}", cycle.join(" → ")));
    }
    for circle in circles(&file_graph(src)) {
        bad.push(format!(
            "import circle between files: {}",
            circle.join(" ↔ ")
        ));
    }
    bad
}

/// The circles of a graph: each set of nodes that all reach each other
/// (Tarjan's strongly connected components of more than one node).
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, n: &'a str) {
            let i = self.index.len();
            self.index.insert(n, i);
            self.low.insert(n, i);
            self.stack.push(n);
            self.on_stack.insert(n);
            for m in self.graph.get(n).into_iter().flatten() {
                let m = m.as_str();
                if !self.index.contains_key(m) {
                    self.visit(m);
                    let low = self.low[n].min(self.low[m]);
                    self.low.insert(n, low);
                } else if self.on_stack.contains(m) {
                    let low = self.low[n].min(self.index[m]);
                    self.low.insert(n, low);
                }
            }
            if self.low[n] == self.index[n] {
                let mut part = Vec::new();
                while let Some(m) = self.stack.pop() {
                    self.on_stack.remove(m);
                    part.push(m.to_string());
                    if m == n {
                        break;
                    }
                }
                if part.len() > 1 {
                    part.sort();
                    self.out.push(part);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for n in graph.keys() {
        if !walk.index.contains_key(n.as_str()) {
            walk.visit(n);
        }
    }
    walk.out.sort();
    walk.out
}

// ---- files inside a module ----------------------------------------------
//
// A file names another when its code (not its `use` lines alone, nor a
// `mod` line) names an item the other defines: a path through `crate::`,
// `super::`, `self::` or a child module, or a name a `use` brought in.
// A name a module only hands on (`pub use child::X`) leads to the file that
// defines it. A module's own file is its face: it may use its parts (as
// `store.rs` holds the `Store` its parts implement), so its uses of its
// own submodules do not count; a part that uses a sibling that uses it
// back, or its parent through a sibling, is a circle.

/// What one file says about names: the items it defines, the names its
/// `use` lines bring in (name → absolute path), and the paths its code
/// names (each as written, with the module path it is written in).
#[derive(Debug, Default)]
struct FileNames {
    defs: BTreeSet<String>,
    imports: BTreeMap<String, Vec<String>>,
    /// (the inline module path the path is written in, the path).
    refs: Vec<(Vec<String>, Vec<String>)>,
    /// Child modules declared with `mod x;`.
    children: BTreeSet<String>,
    /// The modules a glob `use` names (`use super::b::*;` → `…::b`).
    globs: Vec<Vec<String>>,
}

/// The file graph of the product code: each file (path under `src`) →
/// the files its code names.
fn file_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut modules: BTreeMap<Vec<String>, String> = BTreeMap::new();
    let mut names: BTreeMap<Vec<String>, FileNames> = BTreeMap::new();
    for file in rust_files(src) {
        let rel = file.strip_prefix(src).expect("under src");
        if rel.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let module = module_path(rel);
        if module.is_empty() {
            continue; // the crate root declares modules and macros only
        }
        let text = std::fs::read_to_string(&file).expect("readable source");
        let tokens: TokenStream = text.parse().expect("tokenizes");
        let mut n = FileNames::default();
        collect_names(tokens, &module, &module, &mut n);
        modules.insert(module.clone(), rel.to_string_lossy().replace('\\', "/"));
        names.insert(module, n);
    }
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, n) in &names {
        let from = &modules[module];
        let edges = graph.entry(from.clone()).or_default();
        let globbed = n.globs.iter().cloned().map(Some);
        let named = n
            .refs
            .iter()
            .map(|(at, path)| absolute(path, at, module, n));
        for abs in globbed.chain(named) {
            let Some(abs) = abs else {
                continue;
            };
            // A module's face (its own file) may use its parts: only the
            // parts' use of it and of each other can close a circle.
            if let Some(to) = defining_file(&abs, &modules, &names, 0)
                && !to.starts_with(module)
            {
                edges.insert(modules[&to].clone());
            }
        }
    }
    graph
}

/// `path` as written at inline module `at` of the file `module`, made
/// absolute; `None` when it names nothing of the crate's.
fn absolute(
    path: &[String],
    at: &[String],
    module: &[String],
    n: &FileNames,
) -> Option<Vec<String>> {
    let first = path.first()?;
    let mut abs: Vec<String> = match first.as_str() {
        "crate" => Vec::new(),
        "self" => at.to_vec(),
        "super" => {
            let ups = path.iter().take_while(|s| *s == "super").count();
            let mut base = at[..at.len().saturating_sub(ups)].to_vec();
            base.extend(path[ups..].iter().cloned());
            return Some(base);
        }
        name if n.children.contains(name) && at == module => {
            let mut p = module.to_vec();
            p.extend(path.iter().cloned());
            return Some(p);
        }
        name => {
            let mut p = n.imports.get(name)?.clone();
            p.extend(path[1..].iter().cloned());
            return Some(p);
        }
    };
    abs.extend(path[1..].iter().cloned());
    Some(abs)
}

/// The module of the file that defines what `abs` names: its longest
/// prefix that is a file, followed through that file's `use` when the
/// file only hands the name on.
fn defining_file(
    abs: &[String],
    modules: &BTreeMap<Vec<String>, String>,
    names: &BTreeMap<Vec<String>, FileNames>,
    depth: usize,
) -> Option<Vec<String>> {
    let len = (1..=abs.len())
        .rev()
        .find(|l| modules.contains_key(&abs[..*l]))?;
    let file = abs[..len].to_vec();
    if depth < 8
        && let Some(next) = abs.get(len)
        && let Some(n) = names.get(&file)
        && !n.defs.contains(next)
        && let Some(target) = n.imports.get(next)
    {
        let mut further = target.clone();
        further.extend(abs[len + 1..].iter().cloned());
        return defining_file(&further, modules, names, depth + 1).or(Some(file));
    }
    Some(file)
}

/// Collects a file's definitions, imports and named paths (test code and
/// attributes left out), `at` being the inline module the tokens are in.
fn collect_names(tokens: TokenStream, module: &[String], at: &[String], n: &mut FileNames) {
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tts.len() {
        if is_punct(&tts[i], '#') {
            if let Some(TokenTree::Group(g)) = tts.get(i + 1)
                && g.delimiter() == Delimiter::Bracket
            {
                if is_cfg_test(&g.stream()) {
                    i = skip_item(&tts, i + 2);
                } else {
                    // Names used in an attribute (`value_parser = f()`).
                    collect_names(g.stream(), module, at, n);
                    i += 2;
                }
                continue;
            }
            // `#!` inner attributes
            if is_punct_at(&tts, i + 1, '!')
                && let Some(TokenTree::Group(g)) = tts.get(i + 2)
                && g.delimiter() == Delimiter::Bracket
            {
                i += 3;
                continue;
            }
        }
        // `pub(super)`, `pub(in crate::x)`: a visibility, not a use.
        if is_ident(&tts[i], "pub")
            && let Some(TokenTree::Group(g)) = tts.get(i + 1)
            && g.delimiter() == Delimiter::Parenthesis
        {
            i += 2;
            continue;
        }
        if is_ident(&tts[i], "use") {
            let end = (i..tts.len())
                .find(|j| is_punct(&tts[*j], ';'))
                .unwrap_or(tts.len());
            use_tree(&tts[i + 1..end], Vec::new(), at, n);
            i = end + 1;
            continue;
        }
        if is_ident(&tts[i], "mod")
            && let Some(TokenTree::Ident(name)) = tts.get(i + 1)
        {
            n.defs.insert(name.to_string());
            match tts.get(i + 2) {
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                    let mut inner = at.to_vec();
                    inner.push(name.to_string());
                    collect_names(g.stream(), module, &inner, n);
                    i += 3;
                }
                _ => {
                    if at == module {
                        n.children.insert(name.to_string());
                    }
                    i += 2;
                }
            }
            continue;
        }
        if let TokenTree::Ident(kw) = &tts[i]
            && matches!(
                kw.to_string().as_str(),
                "fn" | "struct" | "enum" | "const" | "static" | "type" | "trait" | "union"
            )
            && let Some(TokenTree::Ident(name)) = tts.get(i + 1)
        {
            n.defs.insert(name.to_string());
        }
        if is_ident(&tts[i], "macro_rules")
            && is_punct_at(&tts, i + 1, '!')
            && let Some(TokenTree::Ident(name)) = tts.get(i + 2)
        {
            n.defs.insert(name.to_string());
        }
        match &tts[i] {
            TokenTree::Group(g) => collect_names(g.stream(), module, at, n),
            // Not a method (`.x`) nor the rest of a path (`a::x`).
            TokenTree::Ident(_) if !after_dot_or_path(&tts, i) => {
                let mut path = Vec::new();
                let mut j = i;
                while let Some(TokenTree::Ident(id)) = tts.get(j) {
                    path.push(id.to_string());
                    if path_sep_at(&tts, j + 1) {
                        j += 3;
                    } else {
                        break;
                    }
                }
                n.refs.push((at.to_vec(), path));
                i = j + 1;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

/// Whether the token at `i` follows a `.` (a method or field) or a `::`
/// (the rest of a path already taken).
fn after_dot_or_path(tts: &[TokenTree], i: usize) -> bool {
    let before = |k: usize, c: char| i >= k && is_punct(&tts[i - k], c);
    before(1, '.') || (before(1, ':') && before(2, ':'))
}

fn is_punct_at(tts: &[TokenTree], i: usize, c: char) -> bool {
    tts.get(i).is_some_and(|t| is_punct(t, c))
}

/// The names a `use` tree (the tokens after `use`) brings in, with their
/// absolute paths.
fn use_tree(tts: &[TokenTree], prefix: Vec<String>, at: &[String], n: &mut FileNames) {
    let mut path = prefix;
    let mut i = 0;
    // A leading `::` (an outside crate).
    if path_sep_at(tts, 0) {
        return;
    }
    while i < tts.len() {
        match &tts[i] {
            TokenTree::Ident(id) => {
                path.push(id.to_string());
                if path_sep_at(tts, i + 1) {
                    i += 3;
                    continue;
                }
                // `a::b` or `a::b as c`, or `self` in a group.
                let mut name = id.to_string();
                if is_ident_at(tts, i + 1, "as")
                    && let Some(TokenTree::Ident(alias)) = tts.get(i + 2)
                {
                    name = alias.to_string();
                }
                if name == "self" {
                    path.pop();
                    name = path.last().cloned().unwrap_or_default();
                }
                if name != "_"
                    && let Some(abs) = absolute_use(&path, at)
                {
                    n.imports.insert(name, abs);
                }
                return;
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                for part in inner.split(|t| is_punct(t, ',')) {
                    if !part.is_empty() {
                        use_tree(part, path.clone(), at, n);
                    }
                }
                return;
            }
            // `*`: every name of the module, so a tie to its file.
            TokenTree::Punct(p) if p.as_char() == '*' => {
                if let Some(abs) = absolute_use(&path, at) {
                    n.globs.push(abs);
                }
                return;
            }
            _ => return,
        }
    }
}

fn is_ident_at(tts: &[TokenTree], i: usize, name: &str) -> bool {
    tts.get(i).is_some_and(|t| is_ident(t, name))
}

/// A `use` path made absolute; `None` for an outside crate.
fn absolute_use(path: &[String], at: &[String]) -> Option<Vec<String>> {
    match path.first()?.as_str() {
        "crate" => Some(path[1..].to_vec()),
        "self" => {
            let mut p = at.to_vec();
            p.extend(path[1..].iter().cloned());
            Some(p)
        }
        "super" => {
            let ups = path.iter().take_while(|s| *s == "super").count();
            let mut p = at[..at.len().saturating_sub(ups)].to_vec();
            p.extend(path[ups..].iter().cloned());
            Some(p)
        }
        // A child module of the file (`use child::X`) or an outside crate:
        // a child is named relative to the module it is written in.
        _ => {
            let mut p = at.to_vec();
            p.extend(path.iter().cloned());
            Some(p)
        }
    }
}

/// A circle in the module graph, if there is one (`a → b → a`).
fn find_cycle<'a>(graph: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Option<Vec<&'a str>> {
    fn visit<'a>(
        n: &'a str,
        graph: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<&'a str>> {
        if let Some(at) = stack.iter().position(|m| *m == n) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(n);
            return Some(cycle);
        }
        if done.contains(n) {
            return None;
        }
        stack.push(n);
        for next in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(next, graph, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(n);
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

/// The store's write API: every method that changes the log. Outside
/// `store` itself only `desk` calls them (issue 22: one write boundary).
const STORE_WRITES: &[&str] = &[
    "save_visit",
    "update_visit",
    "delete_visit",
    "open_session",
    "start_new_session",
    "close_session",
    "discard_empty_session",
    "cancel_day",
    "record_session",
    "issue_voucher",
    "use_voucher",
    "cancel_voucher",
    "add_event",
    "update_event",
    "delete_event",
    "add_group",
    "add_meeting",
    "delete_group",
    "add_feedback",
    "add_head_count",
    "delete_head_count",
    "merge",
    "merge_stream",
    "purge",
    "purge_voucher_identities",
    "purge_all",
    "recount_visits",
    "insert_history",
];

/// Calls of a store write method (`.name(` or `name(`) in product code.
fn write_calls(tokens: TokenStream, found: &mut BTreeSet<String>) {
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tts.len() {
        if is_punct(&tts[i], '#')
            && let Some(TokenTree::Group(g)) = tts.get(i + 1)
            && g.delimiter() == Delimiter::Bracket
            && is_cfg_test(&g.stream())
        {
            i = skip_item(&tts, i + 2);
            continue;
        }
        match (&tts[i], tts.get(i + 1)) {
            (TokenTree::Ident(id), Some(TokenTree::Group(g)))
                if g.delimiter() == Delimiter::Parenthesis
                    && STORE_WRITES.contains(&id.to_string().as_str())
                    && on_the_store(&tts, i) =>
            {
                found.insert(id.to_string());
            }
            (TokenTree::Group(g), _) => write_calls(g.stream(), found),
            _ => {}
        }
        i += 1;
    }
}

/// Whether the call at `i` is the store's: a method of something named
/// `store` (`store.x(`, `self.store.x(`), or a function on a path through
/// `store` (`crate::store::privacy::x(`).
fn on_the_store(tts: &[TokenTree], i: usize) -> bool {
    if i >= 2 && is_punct(&tts[i - 1], '.') {
        return is_ident(&tts[i - 2], "store");
    }
    let mut j = i;
    while j >= 3 && is_punct(&tts[j - 1], ':') && is_punct(&tts[j - 2], ':') {
        if is_ident(&tts[j - 3], "store") {
            return true;
        }
        j -= 3;
    }
    false
}

/// Where the product calls the store's write API outside `store` and
/// `desk`: nowhere, but for two named exceptions.
fn writes_outside_desk(src: &Path) -> Vec<String> {
    // `tiski demo` fills a new, empty database with synthetic history in
    // bulk (a million visits for the benchmark); `doctor --recount`
    // recounts the kept report figures, changing no record.
    let allowed: &[(&str, &str)] = &[
        ("demo.rs", "insert_history"),
        ("commands.rs", "recount_visits"),
    ];
    let mut out = Vec::new();
    for file in rust_files(src) {
        let rel = file.strip_prefix(src).expect("under src");
        let top = module_path(rel).first().cloned().unwrap_or_default();
        if matches!(top.as_str(), "store" | "desk")
            || rel.file_name().is_some_and(|n| n == "tests.rs")
        {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable source");
        let tokens: TokenStream = text.parse().expect("tokenizes");
        let mut found = BTreeSet::new();
        write_calls(tokens, &mut found);
        for name in found {
            if !allowed.contains(&(&*rel.to_string_lossy(), name.as_str())) {
                out.push(format!("{}: calls the store's `{name}`", rel.display()));
            }
        }
    }
    out
}

#[test]
fn every_write_goes_through_the_desk() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let bad = writes_outside_desk(&src);
    assert!(
        bad.is_empty(),
        "the log is changed only through `desk` (src/desk.rs):\n  {}",
        bad.join("\n  ")
    );
}

/// The lint sees a write where there is one: a call planted in a copy of
/// a front end is found, and `desk::` calls are not.
#[test]
fn the_write_lint_finds_a_direct_store_write() {
    let planted: TokenStream = "fn f(store: &mut Store) { store.save_visit(t, at, &e, None, &st); \
        crate::desk::save_visit(store, p, t, at, e, false, &now); self.delete_visit(id); \
        crate::store::privacy::purge_all(s, db, c, &now); }"
        .parse()
        .unwrap();
    let mut found = BTreeSet::new();
    write_calls(planted, &mut found);
    assert_eq!(
        found,
        BTreeSet::from(["purge_all".to_string(), "save_visit".to_string()])
    );
    let clean: TokenStream = "fn f() { crate::desk::merge(s, &r, drop, &now) }"
        .parse()
        .unwrap();
    let mut found = BTreeSet::new();
    write_calls(clean, &mut found);
    assert!(found.is_empty(), "{found:?}");
}

/// The store reads no clock: every time it writes was read at the edge
/// and passed down.
#[test]
fn the_store_reads_no_clock() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut bad = Vec::new();
    for file in rust_files(&src.join("store"))
        .into_iter()
        .chain([src.join("store.rs")])
    {
        // Migration 5's trigger read SQLite's clock; it is history, and
        // migration 9 drops it.
        if file.ends_with("migrations.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            if line.contains("now()") || line.contains("'now'") {
                bad.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "the store reads a clock:\n  {}",
        bad.join("\n  ")
    );
}

/// Reads of the wall clock in product code (`now()`, `clock::now()`,
/// `Now::read()`, `Utc::now()`, `Local::now()`, `SystemTime::now()`), as
/// `path:call`. `Instant::now()` is the monotonic clock for durations and
/// not a reading of the time of day, so it is not one.
fn clock_reads(tokens: TokenStream, found: &mut BTreeSet<String>) {
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tts.len() {
        if is_punct(&tts[i], '#')
            && let Some(TokenTree::Group(g)) = tts.get(i + 1)
            && g.delimiter() == Delimiter::Bracket
            && is_cfg_test(&g.stream())
        {
            i = skip_item(&tts, i + 2);
            continue;
        }
        if let (TokenTree::Ident(id), Some(TokenTree::Group(g))) = (&tts[i], tts.get(i + 1))
            && g.delimiter() == Delimiter::Parenthesis
            && g.stream().is_empty()
        {
            let name = id.to_string();
            let owner = (i >= 3 && path_sep_at(&tts, i - 2)).then(|| tts[i - 3].to_string());
            let method = i >= 1 && is_punct(&tts[i - 1], '.');
            let read = match (name.as_str(), owner.as_deref()) {
                ("read", Some("Now")) => Some("Now::read"),
                ("now", Some("Utc" | "Local" | "SystemTime")) => Some("now"),
                ("now", Some("clock")) => Some("clock::now"),
                // A time-ordered uid made from the clock, not a stamp.
                ("now_v7" | "now_v6" | "now_v1", Some("Uuid")) => Some("Uuid::now"),
                ("now", None) if !method => Some("now"),
                _ => None,
            };
            if let Some(read) = read {
                found.insert(match owner {
                    Some(o) if read == "now" => format!("{o}::now"),
                    _ => read.to_string(),
                });
            }
        }
        if let TokenTree::Group(g) = &tts[i] {
            clock_reads(g.stream(), found);
        }
        i += 1;
    }
}

/// The product reads the wall clock once, at its edge: the command line's
/// start (`commands::Clock::read`) and the duty screen's tick (`tui`), and
/// passes that reading down; a document, a doctor's look at file ages and
/// an export's header all date by it.
#[test]
fn the_clock_is_read_at_the_edge() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed: &[(&str, &str)] = &[("commands.rs", "Now::read"), ("tui.rs", "Now::read")];
    let mut bad = Vec::new();
    for file in rust_files(&src) {
        let rel = file.strip_prefix(&src).expect("under src");
        let name = rel.to_string_lossy().replace('\\', "/");
        if name == "clock.rs"
            || rel.file_name().is_some_and(|n| n == "tests.rs")
            || name.ends_with("test_support.rs")
        {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable source");
        let mut found = BTreeSet::new();
        clock_reads(text.parse().expect("tokenizes"), &mut found);
        for read in found {
            if !allowed.contains(&(name.as_str(), read.as_str())) {
                bad.push(format!("{name}: reads the clock ({read})"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "the clock is read at the edge and passed down:\n  {}",
        bad.join("\n  ")
    );
}

/// The clock lint sees each way of reading the clock, and not a reading
/// passed down (`now.now()`, `clock.now`) or the monotonic clock.
#[test]
fn the_clock_lint_finds_each_reading() {
    let planted: TokenStream = "fn f() { let a = now(); let b = crate::clock::now(); \
        let c = chrono::Utc::now(); let d = Local::now(); let e = std::time::SystemTime::now(); \
        let f = Now::read(); let g = uuid::Uuid::now_v7(); }"
        .parse()
        .unwrap();
    let mut found = BTreeSet::new();
    clock_reads(planted, &mut found);
    let want = [
        "Local::now",
        "Now::read",
        "SystemTime::now",
        "Uuid::now",
        "Utc::now",
        "clock::now",
        "now",
    ];
    assert_eq!(found, want.iter().map(|s| s.to_string()).collect());
    let clean: TokenStream = "fn f(now: &Trusted) { let a = now.now(); let b = clock.now; \
        let c = Instant::now(); #[cfg(test)] mod tests { fn g() { let x = Now::read(); } } }"
        .parse()
        .unwrap();
    let mut found = BTreeSet::new();
    clock_reads(clean, &mut found);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn the_source_keeps_its_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let bad = violations(&src);
    assert!(
        bad.is_empty(),
        "layer rules broken:\n  {}",
        bad.join("\n  ")
    );
}

#[test]
fn lib_rs_lists_the_same_layers() {
    // The rules are stated where a reader looks first; keep both in step.
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .expect("lib.rs");
    for layer in LAYERS {
        for m in *layer {
            let declared = lib.contains(&format!("pub mod {m};"));
            let present = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("src/{m}.rs"))
                .exists();
            if present {
                assert!(declared, "src/lib.rs does not declare `{m}`");
                assert!(
                    lib.lines()
                        .any(|l| l.starts_with("//!") && l.contains(&format!("`{m}`"))),
                    "src/lib.rs's layer list does not name `{m}`"
                );
            }
        }
    }
}

/// The checker itself: each kind of breach in a small tree is reported,
/// and what is not a breach is not.
#[test]
fn the_checker_sees_each_kind_of_breach() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    let write = |rel: &str, text: &str| plant(src, rel, text);
    write(
        "lib.rs",
        "pub mod store; pub mod i18n; pub mod ui; pub mod cli;",
    );
    write(
        "store.rs",
        "// use crate::i18n; in a comment\nconst S: &str = \"crate::ui\";\nmod inner { fn f() { super::super::i18n::texts(); } }",
    );
    write(
        "store/vouchers.rs",
        "use crate::{domain::X, app::Y};\n#[cfg(test)]\nmod tests { use crate::cli::Z; }",
    );
    write(
        "ui.rs",
        "fn f() { let _ = format!(\"{}\", crate::store::Store::path()); }",
    );
    write("i18n.rs", "use clap::ValueEnum;");
    write("cli.rs", "use clap::Parser; use crate::i18n;");
    write("domain.rs", "");
    write("app.rs", "use crate::domain;");
    write("newthing.rs", "");
    let bad = violations(src);
    let has = |needle: &str| bad.iter().any(|b| b.contains(needle));
    assert!(has("store.rs: `store` (layer 5) uses `i18n`"), "{bad:#?}");
    assert!(has("vouchers.rs: `store` (layer 5) uses `app`"), "{bad:#?}");
    assert!(has("i18n.rs: uses clap"), "{bad:#?}");
    assert!(has("ui.rs: `ui` uses `store`"), "{bad:#?}");
    assert!(has("module `newthing` has no layer"), "{bad:#?}");
    // Comments, strings, cfg(test) code and allowed edges are not breaches.
    assert!(!has("uses `cli`"), "{bad:#?}");
    assert!(!has("`store` (layer 5) uses `ui`"), "{bad:#?}");
    assert!(!has("cli.rs"), "{bad:#?}");
    assert!(!has("app.rs"), "{bad:#?}");
    assert!(!has("import circle"), "{bad:#?}");
    // A circle is named as one.
    write("app.rs", "use crate::ui;");
    write("ui.rs", "use crate::app;");
    assert!(
        violations(src)
            .iter()
            .any(|b| b.starts_with("import circle: app → ui → app")),
        "{:#?}",
        violations(src)
    );
}

/// Writes a planted source file under `src`, making its folders.
fn plant(src: &Path, rel: &str, text: &str) {
    let p = src.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// The checker of circles between files: siblings that use each other
/// are one, also through a name their parent only hands on, and so is a
/// part that uses a sibling that uses it back through the parent's face;
/// a parent using its own parts is not, nor are test code and `use` lines
/// whose names the code never uses.
#[test]
fn the_checker_sees_circles_between_files() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    let write = |rel: &str, text: &str| plant(src, rel, text);
    write("lib.rs", "pub mod store; pub mod ui;");
    // The face uses its parts, and the parts use the face: no circle.
    write(
        "store.rs",
        "mod a; mod b; mod c; pub use a::Thing; use b::helper;\n\
         pub struct Store; fn f() { a::make(); helper(); }",
    );
    write(
        "store/a.rs",
        "use super::Store; pub struct Thing; pub fn make(_: Store) {}",
    );
    write(
        "store/b.rs",
        "pub fn helper() { let _ = crate::store::Store; }\n\
         #[cfg(test)] mod tests { use super::super::c::later; }",
    );
    // `c` uses `Thing` through the face, which hands on `a`'s: no circle
    // while `a` does not use `c`.
    write("store/c.rs", "use super::Thing; pub fn later(_: Thing) {}");
    write("ui.rs", "mod x; mod y;");
    write("ui/x.rs", "use super::y::Unused; pub fn mark() {}");
    write("ui/y.rs", "pub struct Unused; fn f() { super::x::mark(); }");
    let bad = violations(src);
    assert!(!bad.iter().any(|b| b.contains("between files")), "{bad:#?}");
    // Two siblings that use each other.
    write("ui/x.rs", "use super::y::Used; pub fn mark(_: Used) {}");
    // A part using a sibling through the face's re-export, used back.
    write(
        "store/a.rs",
        "use super::Store; pub struct Thing; pub fn make(_: Store) { crate::store::c::later(todo!()); }",
    );
    let bad = violations(src);
    let circles: Vec<&String> = bad.iter().filter(|b| b.contains("between files")).collect();
    assert_eq!(
        circles,
        [
            "import circle between files: store/a.rs ↔ store/c.rs",
            "import circle between files: ui/x.rs ↔ ui/y.rs",
        ],
        "{bad:#?}"
    );
}

/// A glob `use` (`use super::b::*;`) ties its file to the one it names:
/// the compiler refuses a glob none of whose names is used, so one is
/// always a use. A name used in an attribute is a use too. Two siblings
/// tied so, each way, are a circle.
#[test]
fn the_checker_sees_a_circle_through_a_glob() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    let write = |rel: &str, text: &str| plant(src, rel, text);
    write("lib.rs", "pub mod cli;");
    write("cli.rs", "mod args; mod sub;");
    write(
        "cli/args.rs",
        "use super::sub::*; pub fn parser() {} pub struct Args(Sub);",
    );
    write("cli/sub.rs", "pub struct Sub; fn f() {}");
    let between = |bad: Vec<String>| -> Vec<String> {
        bad.into_iter()
            .filter(|b| b.contains("between files"))
            .collect()
    };
    assert_eq!(between(violations(src)), Vec::<String>::new());
    // The name used back only in an attribute, as clap's `value_parser`.
    write(
        "cli/sub.rs",
        "use super::args::parser; #[arg(value_parser = parser())] pub struct Sub;",
    );
    assert_eq!(
        between(violations(src)),
        ["import circle between files: cli/args.rs ↔ cli/sub.rs"]
    );
}

/// The files ARCHITECTURE.md's layout map names, each with the layer of
/// the `layer N` line it stands under (`None` after a line that names no
/// layer). `src/i18n/fi.rs, en.rs` names both files.
fn architecture_map(doc: &str) -> BTreeMap<String, Option<usize>> {
    let section = doc
        .split("\n## Layout")
        .nth(1)
        .expect("ARCHITECTURE.md has a Layout section");
    let block = section.split("```").nth(1).expect("a code block");
    let mut files = BTreeMap::new();
    let mut layer = None;
    for line in block.lines() {
        let first = line.split_whitespace().next().unwrap_or_default();
        if !first.ends_with(".rs") && !first.ends_with(".rs,") && !first.contains('/') {
            // A heading: `layer 3, rules`, `the binary and the benchmark`.
            layer = line
                .strip_prefix("layer ")
                .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|n| n.parse::<usize>().ok());
            continue;
        }
        let mut dir = String::new();
        for (i, token) in line.split_whitespace().enumerate() {
            let name = token.trim_end_matches(',');
            if !name.ends_with(".rs") {
                break;
            }
            let file = if i == 0 {
                dir = name.rsplit_once('/').map_or("", |(d, _)| d).to_string();
                name.to_string()
            } else {
                format!("{dir}/{name}")
            };
            assert!(
                files.insert(file.clone(), layer).is_none(),
                "ARCHITECTURE.md's layout map names {file} twice"
            );
            if !token.ends_with(',') {
                break;
            }
        }
    }
    files
}

/// What is wrong with the map: files it leaves out, files that are gone,
/// and files standing under another layer than their module's.
fn map_errors(root: &Path, doc: &str) -> Vec<String> {
    let mapped = architecture_map(doc);
    let mut present = BTreeSet::new();
    for dir in ["src", "benches"] {
        for f in rust_files(&root.join(dir)) {
            let rel = f.strip_prefix(root).expect("under the root");
            if rel.file_name().is_some_and(|n| n != "tests.rs") {
                present.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut errors = Vec::new();
    for f in &present {
        if !mapped.contains_key(f) {
            errors.push(format!("missing {f}"));
        }
    }
    for (f, layer) in &mapped {
        if !present.contains(f) {
            errors.push(format!("no such file {f}"));
            continue;
        }
        let Some(rel) = f.strip_prefix("src/") else {
            continue;
        };
        let Some(top) = module_path(Path::new(rel)).first().cloned() else {
            continue; // lib.rs, main.rs
        };
        let want = layer_of(&top).map(|i| i + 1);
        if *layer != want {
            errors.push(format!(
                "{f} stands under layer {layer:?}, its module `{top}` is layer {want:?}"
            ));
        }
    }
    errors
}

#[test]
fn the_architecture_map_lists_every_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let errors = map_errors(root, &doc);
    assert!(
        errors.is_empty(),
        "ARCHITECTURE.md's layout map: {errors:#?}"
    );
}

/// The map check sees a file left out, a file that is gone and a file
/// under the wrong layer.
#[test]
fn the_map_check_sees_each_kind_of_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let broken = doc
        .replace("src/keys.rs ", "src/gone.rs ")
        .replace("layer 2\nsrc/domain.rs", "layer 3\nsrc/domain.rs");
    let errors = map_errors(root, &broken);
    let has = |needle: &str| errors.iter().any(|e| e.contains(needle));
    assert!(has("missing src/keys.rs"), "{errors:#?}");
    assert!(has("no such file src/gone.rs"), "{errors:#?}");
    assert!(
        has("src/domain.rs stands under layer Some(3), its module `domain` is layer Some(2)"),
        "{errors:#?}"
    );
}

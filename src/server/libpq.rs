//! libpq's own files, read as libpq reads them, so the city's IT sets a
//! desk up the way it sets up any PostgreSQL client: the password file
//! (`PGPASSFILE`, `~/.pgpass`, `%APPDATA%\postgresql\pgpass.conf`) and the
//! connection service file (`PGSERVICEFILE`, `~/.pg_service.conf`,
//! `PGSYSCONFDIR/pg_service.conf`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The password of the first line of a pgpass file that matches; `*`
/// matches anything, `\:` and `\\` stand for `:` and `\`.
pub fn pgpass_lookup(
    text: &str,
    host: &str,
    port: u16,
    database: &str,
    user: &str,
) -> Option<String> {
    let port = port.to_string();
    let wanted = [host, port.as_str(), database, user];
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_pgpass(line);
        if fields.len() != 5 {
            continue;
        }
        // libpq takes `localhost` for a socket connection too.
        let matches = fields[..4]
            .iter()
            .zip(wanted)
            .all(|(f, w)| f == "*" || f == w);
        if matches {
            return Some(fields[4].clone());
        }
    }
    None
}

fn split_pgpass(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.last_mut().expect("one field at least").push(n);
                }
            }
            // The password, the last field, may hold colons.
            ':' if out.len() < 5 => out.push(String::new()),
            c => out.last_mut().expect("one field at least").push(c),
        }
    }
    out
}

/// The settings of service `name` in a service file's text (an INI file:
/// `[name]` then `key=value` lines).
pub fn service_lookup(text: &str, name: &str) -> Option<BTreeMap<String, String>> {
    let mut current: Option<&str> = None;
    let mut found: Option<BTreeMap<String, String>> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            if found.is_some() && current == Some(name) {
                break;
            }
            current = Some(section.trim());
            if section.trim() == name {
                found = Some(BTreeMap::new());
            }
            continue;
        }
        if current == Some(name)
            && let (Some(map), Some((k, v))) = (found.as_mut(), line.split_once('='))
        {
            map.insert(k.trim().to_string(), v.trim().to_string());
        }
    }
    found
}

/// Where the password file is: `PGPASSFILE`, or the platform's default.
pub fn pgpass_path() -> Option<PathBuf> {
    match std::env::var_os("PGPASSFILE") {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => crate::platform::libpq_files().map(|(pass, _)| pass),
    }
}

/// The service files to look in, in libpq's order: `PGSERVICEFILE` or the
/// user's own, then the system's (`PGSYSCONFDIR`).
pub fn service_paths() -> Vec<PathBuf> {
    let mut out = Vec::new();
    match std::env::var_os("PGSERVICEFILE") {
        Some(p) if !p.is_empty() => out.push(PathBuf::from(p)),
        _ => out.extend(crate::platform::libpq_files().map(|(_, service)| service)),
    }
    if let Some(dir) = std::env::var_os("PGSYSCONFDIR") {
        out.push(Path::new(&dir).join("pg_service.conf"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_takes_the_first_matching_line_with_wildcards_and_escapes() {
        let text = "# comment\n\
                    other:5432:tiski:desk:nope\n\
                    db.city.fi:5432:*:tiski_kirjasto:se\\:cr\\\\et:with:colons\n\
                    *:*:*:*:fallback\n";
        assert_eq!(
            pgpass_lookup(text, "db.city.fi", 5432, "tiski", "tiski_kirjasto").as_deref(),
            Some("se:cr\\et:with:colons")
        );
        assert_eq!(
            pgpass_lookup(text, "db.city.fi", 5433, "tiski", "tiski_kirjasto").as_deref(),
            Some("fallback")
        );
        assert_eq!(pgpass_lookup("a:b:c\n", "a", 1, "c", "d"), None);
    }

    #[test]
    fn a_service_is_read_from_its_own_section_only() {
        let text = "[other]\nhost=elsewhere\n\n[tiski]\n# the city's\nhost = db.city.fi\n\
                    port=5433\ndbname=hyte\n[after]\nhost=no\n";
        let s = service_lookup(text, "tiski").unwrap();
        assert_eq!(s["host"], "db.city.fi");
        assert_eq!(s["port"], "5433");
        assert_eq!(s["dbname"], "hyte");
        assert_eq!(s.len(), 3);
        assert!(service_lookup(text, "missing").is_none());
    }
}

//! Identities a note must not hold: Finnish personal identity codes (henkilötunnus), phone numbers and e-mail addresses.
//! The submodules hold the rest of privacy by design: the `[retention]` and `[privacy]`
//! settings (`config`), retention as dates (`retention`), rare combinations in exports
//! (`small_counts`) and the refusals (`error`).
//!
//! The detector only reports what it finds. It never rewrites a note and never words a
//! message, so the UI, the CLI and the importer can each phrase (and translate) their own
//! refusal from [`Found`]. It is pure: no clock, no locale, no configuration.
//!
//! A henkilötunnus counts only when it is genuinely valid (real date, correct check
//! character): a look-alike with a wrong check character is some other reference and must
//! not block a note.
//!
//! Phone rule, kept mechanical so a refusal can be explained:
//! - digits come in groups joined by exactly one space, no-break space or hyphen, or by
//!   nothing at all;
//! - national form: `0`, then a non-zero digit, 8–11 digits in all (`040 123 4567`,
//!   `09 1234 5678`, `03 123 4567`); the area code may be in parentheses, `(03) 123 4567`;
//! - international form: `+` or `00`, then a country code (never starting with `0`) and
//!   7–15 digits in all (the E.164 maximum); for Finland, `358`, a trunk `0` written `(0)`
//!   or bare may follow, and the remaining number must then be 7–11 digits starting with a
//!   non-zero digit; `(0)` is also accepted after any other country code;
//! - a number stands alone: no ASCII letter or digit directly before or after it, and no
//!   `.` or `:` tying it to further digits (dates, clock times); a `+` or `(` may follow a
//!   letter (`puh+358…`) but not a digit (`5+5`);
//! - when groups run on (a number followed by a count or a time), the longest leading run of
//!   groups that fits the rule is reported;
//! - runs shaped like other codes are not phones: `DDMMYY-NNNN` (a henkilötunnus look-alike),
//!   `NNNNNNN-N` (a business ID, which may start with `0`) and `DD MM YYYY` / `DD-MM-YYYY`;
//!   an IBAN (`FI21 1234 5600 0007 85`) is skipped whole, since its later groups may start
//!   with `0`.

use std::ops::Range;

pub mod config;
pub mod error;
pub mod retention;
pub mod small_counts;

/// What kind of identity was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityKind {
    /// A Finnish henkilötunnus with a real date and a correct check character.
    PersonalCode,
    /// A Finnish or international phone number.
    Phone,
    /// An e-mail address.
    Email,
}

/// One identity found in a text: its kind and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: IdentityKind,
    /// Byte range in the text (for slicing).
    pub bytes: Range<usize>,
    /// 1-based character position of its first character (for messages: "at character 12").
    pub char_pos: usize,
    /// The matched text as written, so a message can quote it.
    pub text: String,
}

/// The henkilötunnus check alphabet: G, I, O, Q and Z are left out because they are easily
/// confused with digits or other letters.
const CHECK_CHARS: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";

/// `DDMMYY` + century sign + `ZZZ` + check character.
const PERSONAL_CODE_LEN: usize = 11;

/// Every identity in `text`, in order of position (non-overlapping).
#[must_use]
pub fn find_identities(text: &str) -> Vec<Found> {
    let found = find_in(text);
    if !found.is_empty() {
        return found;
    }
    // Written to slip past: fullwidth digits (１３１０５２), invisible
    // characters inside (a zero-width space), other dashes. Looked for again
    // in the plain form; positions are then those of the plain form.
    let plain = plain_form(text);
    if plain == text {
        return found;
    }
    find_in(&plain)
}

/// `text` with an e-mail's `@` written to slip past made plain again:
/// `maija(at)example.fi`, `maija [at] example.fi`, `maija @ example.fi`.
fn unobfuscated_at(text: &str) -> String {
    const WRITTEN: [&str; 6] = ["(at)", "[at]", "{at}", "(AT)", "[AT]", "(ät)"];
    if !text.contains('@') && !WRITTEN.iter().any(|w| text.contains(w)) {
        return text.to_string();
    }
    let mut out = text.to_string();
    for written in WRITTEN {
        out = out.replace(written, "@");
    }
    // Spaces around an `@` (also one just made) go: held back until the
    // next character shows whether they touch one.
    let mut plain = String::with_capacity(out.len());
    let mut spaces = String::new();
    let mut last = None;
    for c in out.chars() {
        if c == ' ' {
            spaces.push(c);
            continue;
        }
        if c != '@' && last != Some('@') {
            plain.push_str(&spaces);
        }
        spaces.clear();
        plain.push(c);
        last = Some(c);
    }
    if last != Some('@') {
        plain.push_str(&spaces);
    }
    plain
}

/// `text` with fullwidth forms as ASCII, other dashes as `-`, and
/// invisible format characters (zero-width spaces and joiners, soft
/// hyphens, bidirectional marks) left out.
fn plain_form(text: &str) -> String {
    let text = unobfuscated_at(text);
    text.chars()
        .filter_map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0),
            '\u{3000}' => Some(' '),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => Some('-'),
            '\u{ad}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{feff}' => None,
            c => Some(c),
        })
        .collect()
}

fn find_in(text: &str) -> Vec<Found> {
    let scan = Scan::new(text);
    // Candidates arrive in priority order, and a later one overlapping an earlier one is
    // dropped. A henkilötunnus is the most precisely recognised and the most sensitive; an
    // e-mail comes before a phone because a local part may be all digits.
    let candidates = scan
        .personal_codes()
        .into_iter()
        .map(|r| (IdentityKind::PersonalCode, r))
        .chain(scan.emails().into_iter().map(|r| (IdentityKind::Email, r)))
        .chain(scan.phones().into_iter().map(|r| (IdentityKind::Phone, r)));
    let mut kept: Vec<(IdentityKind, Range<usize>)> = Vec::new();
    for (kind, range) in candidates {
        if kept
            .iter()
            .all(|(_, k)| range.end <= k.start || k.end <= range.start)
        {
            kept.push((kind, range));
        }
    }
    kept.sort_by_key(|(_, r)| r.start);
    kept.into_iter()
        .filter_map(|(kind, r)| scan.found(kind, r))
        .collect()
}

/// The found text as a message may show it: a henkilötunnus keeps its birth date and century
/// sign (`131052-****`), a phone number its first three digits (`040 *** ****`), an e-mail
/// address the first letter of its local part (`m***@esimerkki.fi`). Whoever typed it sees it
/// in full in the editor; a message may end up in a screenshot or a terminal's scrollback.
#[must_use]
pub fn masked(found: &Found) -> String {
    match found.kind {
        IdentityKind::PersonalCode => {
            let head: String = found.text.chars().take(7).collect();
            format!("{head}****")
        }
        IdentityKind::Phone => {
            let mut digits = 0;
            found
                .text
                .chars()
                .map(|c| {
                    if c.is_ascii_digit() {
                        digits += 1;
                        if digits > 3 {
                            return '*';
                        }
                    }
                    c
                })
                .collect()
        }
        IdentityKind::Email => match found.text.split_once('@') {
            Some((local, domain)) => {
                let first: String = local.chars().take(1).collect();
                format!("{first}***@{domain}")
            }
            None => "***".into(),
        },
    }
}

/// The 1-based character position of the first character a one-line note from the shell may
/// not hold: a control character (newline, escape, …) or a bidirectional override, which
/// could make the text read differently from what is stored.
#[must_use]
pub fn control_char_at(text: &str) -> Option<usize> {
    text.chars().position(crate::text::is_unsafe).map(|i| i + 1)
}

/// Whether a string is a valid Finnish personal identity code (henkilötunnus).
///
/// The whole string must be the code: no surrounding spaces. Letters may be in either case,
/// since a typist may well write `010101a123n`.
#[must_use]
pub fn is_personal_code(s: &str) -> bool {
    // Working on bytes is sound: any non-ASCII character fails the digit or sign checks.
    let Ok(bytes) = <&[u8; PERSONAL_CODE_LEN]>::try_from(s.as_bytes()) else {
        return false;
    };
    let [d1, d2, m1, m2, y1, y2, sign, z1, z2, z3, check] = *bytes;
    let digits = [d1, d2, m1, m2, y1, y2, z1, z2, z3];
    if !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let Some(century) = century(sign) else {
        return false;
    };
    let pair = |hi: u8, lo: u8| u32::from(hi - b'0') * 10 + u32::from(lo - b'0');
    let (day, month, year) = (pair(d1, d2), pair(m1, m2), century + pair(y1, y2));
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return false;
    }
    // 002–899 are ordinary individual numbers; 900–999 are temporary codes, which still
    // identify a person, so they count too. 000 and 001 are never issued.
    let individual = u32::from(z1 - b'0') * 100 + pair(z2, z3);
    if individual < 2 {
        return false;
    }
    let value = digits
        .iter()
        .fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0'));
    CHECK_CHARS.get((value % 31) as usize) == Some(&check.to_ascii_uppercase())
}

/// A henkilötunnus written without its century sign, or with a space in
/// its place (`131052308T`, `131052 308T`): a real date in the 1900s or the
/// 2000s and a right check character. Only a letter counts as the check
/// character here: ten digits in a row are too often some other number.
fn is_unsigned_personal_code(w: &[char]) -> bool {
    let (head, rest) = w.split_at(6.min(w.len()));
    let rest = match rest {
        [' ', tail @ ..] => tail,
        tail => tail,
    };
    let [z1, z2, z3, check] = rest else {
        return false;
    };
    if !check.is_ascii_alphabetic()
        || head.len() != 6
        || !head.iter().chain([z1, z2, z3]).all(char::is_ascii_digit)
    {
        return false;
    }
    let (date, individual): (String, String) =
        (head.iter().collect(), [z1, z2, z3].into_iter().collect());
    ['-', 'A']
        .iter()
        .any(|sign| is_personal_code(&format!("{date}{sign}{individual}{check}")))
}

/// The first year of the century a sign stands for. The 2023 reform added `U`–`Y` (1900s)
/// and `B`–`F` (2000s) beside the old `-` and `A`; codes with them are issued now, so they
/// are as real as the old ones.
fn century(sign: u8) -> Option<u32> {
    match sign.to_ascii_uppercase() {
        b'+' => Some(1800),
        b'-' | b'U'..=b'Y' => Some(1900),
        b'A'..=b'F' => Some(2000),
        _ => None,
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        // The full Gregorian rule matters: 1800 and 1900 were not leap years, 2000 was.
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

/// A character that makes a neighbouring code part of a longer token. Only ASCII counts:
/// codes and numbers are ASCII, and a Finnish letter glued to one (`ä131052-308T`) is a
/// typo that must not hide it.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Punctuation that makes digits on both sides one number (dates, clock times), so a phone
/// may not start or end against it when a digit lies beyond. The comma is left out: it is
/// the decimal mark, but `0401234567,0501234567` lists two phones far more often than a
/// decimal has eight digits.
fn joins_numbers(c: char) -> bool {
    matches!(c, '.' | ':')
}

/// No-break spaces are included because text pasted from word processors uses them to
/// keep a phone number on one line.
fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '/' | '\u{a0}' | '\u{202f}')
}

fn is_local_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '.')
}

fn is_label(label: &[char]) -> bool {
    !label.is_empty()
        && label.iter().all(|&c| c.is_alphanumeric() || c == '-')
        && label.first() != Some(&'-')
        && label.last() != Some(&'-')
}

fn is_tld(label: &[char]) -> bool {
    label.len() >= 2 && label.iter().all(|c| c.is_alphabetic())
}

fn national_fits(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.first() == Some(&b'0')
        && b.get(1).is_some_and(|d| (b'1'..=b'9').contains(d))
        && (8..=11).contains(&b.len())
}

/// `digits` follows the `+` or `00`.
fn international_fits(digits: &str) -> bool {
    if !digits.starts_with(|c: char| ('1'..='9').contains(&c)) {
        return false;
    }
    if let Some(national) = digits.strip_prefix("358") {
        // People often keep the domestic 0 after +358; it is still the same number.
        let national = national.strip_prefix('0').unwrap_or(national);
        return national.starts_with(|c: char| ('1'..='9').contains(&c))
            && (7..=11).contains(&national.len());
    }
    (7..=15).contains(&digits.len())
}

/// Digit groups of a number-shaped run that belong to some other code.
fn looks_like_other_code(run: &[Group]) -> bool {
    let lens: Vec<usize> = run.iter().map(|g| g.digits.len()).collect();
    let hyphenated = run.get(1).is_some_and(|g| g.sep == Some('-'));
    match (lens.as_slice(), run) {
        // A henkilötunnus look-alike with a wrong check digit, or a business ID
        // (Y-tunnus): neither is a phone, and the look-alike must pass.
        ([6, 4] | [7, 1], _) => hyphenated,
        ([2, 2, 4], [day, month, year]) => {
            let day = day.digits.parse::<u32>().unwrap_or(0);
            let month = month.digits.parse::<u32>().unwrap_or(0);
            (1..=31).contains(&day)
                && (1..=12).contains(&month)
                && (year.digits.starts_with("19") || year.digits.starts_with("20"))
        }
        _ => false,
    }
}

/// One group of digits in a phone-shaped run.
struct Group {
    /// Empty for the trunk marker `(0)`, which is not part of the number proper.
    digits: String,
    /// Character index just past the group.
    end: usize,
    /// The separator written before the group, if any.
    sep: Option<char>,
    trunk: bool,
}

/// A text indexed by character, since every rule is about neighbouring characters while the
/// result needs byte offsets.
struct Scan<'a> {
    text: &'a str,
    chars: Vec<char>,
    /// Byte offset of each character, plus `text.len()` so an end index maps too.
    offsets: Vec<usize>,
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Self {
        let (mut offsets, chars): (Vec<usize>, Vec<char>) = text.char_indices().unzip();
        offsets.push(text.len());
        Scan {
            text,
            chars,
            offsets,
        }
    }

    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn before(&self, i: usize) -> Option<char> {
        i.checked_sub(1).and_then(|j| self.at(j))
    }

    fn found(&self, kind: IdentityKind, chars: Range<usize>) -> Option<Found> {
        let start = *self.offsets.get(chars.start)?;
        let end = *self.offsets.get(chars.end)?;
        Some(Found {
            kind,
            bytes: start..end,
            char_pos: chars.start + 1,
            text: self.text.get(start..end)?.to_owned(),
        })
    }

    fn personal_codes(&self) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < self.chars.len() {
            let isolated = |end: usize| {
                !self.before(i).is_some_and(is_word) && !self.at(end).is_some_and(is_word)
            };
            let signed = self.chars.get(i..i + PERSONAL_CODE_LEN).filter(|w| {
                isolated(i + PERSONAL_CODE_LEN)
                    && w.first().is_some_and(char::is_ascii_digit)
                    && is_personal_code(&w.iter().collect::<String>())
            });
            // Written without its century sign (`131052308T`) or with a
            // space for it (`131052 308T`).
            let unsigned = [PERSONAL_CODE_LEN - 1, PERSONAL_CODE_LEN]
                .into_iter()
                .find(|&len| {
                    self.chars
                        .get(i..i + len)
                        .is_some_and(|w| isolated(i + len) && is_unsigned_personal_code(w))
                });
            match (signed, unsigned) {
                (Some(_), _) => {
                    found.push(i..i + PERSONAL_CODE_LEN);
                    i += PERSONAL_CODE_LEN;
                }
                (None, Some(len)) => {
                    found.push(i..i + len);
                    i += len;
                }
                (None, None) => i += 1,
            }
        }
        found
    }

    fn emails(&self) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        let ats = self.chars.iter().enumerate().filter(|(_, c)| **c == '@');
        for (at, _) in ats {
            let mut start = at;
            while self.before(start).is_some_and(is_local_char) {
                start -= 1;
            }
            // A local part cannot begin with a dot, so a dot there belongs to the text
            // before, such as an ellipsis.
            while start < at && self.at(start) == Some('.') {
                start += 1;
            }
            if start == at {
                continue;
            }
            let mut end = at + 1;
            while self.at(end).is_some_and(is_domain_char) {
                end += 1;
            }
            if let Some(domain_end) = self.domain_end(at + 1, end) {
                found.push(start..domain_end);
            }
        }
        found
    }

    /// End of the longest valid domain at the start of `from..to`, a run of domain
    /// characters. Trailing text is cut off rather than failing the whole address, because
    /// Finnish glues words on: `matti@esimerkki.fi-osoitteeseen`, or a full stop after it.
    fn domain_end(&self, from: usize, to: usize) -> Option<usize> {
        let span = self.chars.get(from..to)?;
        let mut labels: Vec<Range<usize>> = Vec::new();
        let mut label_start = 0;
        for (i, &c) in span.iter().enumerate() {
            if c == '.' {
                labels.push(label_start..i);
                label_start = i + 1;
            }
        }
        labels.push(label_start..span.len());
        let leading_valid = labels
            .iter()
            .take_while(|r| span.get((*r).clone()).is_some_and(is_label))
            .count();
        // The top-level domain is at `k`; at least one label must come before it.
        (1..labels.len()).rev().find_map(|k| {
            if leading_valid < k {
                return None;
            }
            let range = labels.get(k)?;
            let label = span.get(range.clone())?;
            let tld_len = label.iter().position(|&c| c == '-').unwrap_or(label.len());
            is_tld(label.get(..tld_len)?).then_some(from + range.start + tld_len)
        })
    }

    fn phones(&self) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < self.chars.len() {
            if let Some(end) = self.iban_end(i) {
                i = end;
                continue;
            }
            match self.phone_at(i) {
                Some(end) => {
                    found.push(i..end);
                    i = end;
                }
                None => i += 1,
            }
        }
        found
    }

    /// End of an IBAN starting exactly at `start`: country letters, check digits, then
    /// groups of four capitals or digits in print form (the last may be shorter) or one
    /// unbroken run. Lower-case text stops it, so the words after an IBAN are not swallowed.
    fn iban_end(&self, start: usize) -> Option<usize> {
        let head = self.chars.get(start..start + 4)?;
        let shaped = head.iter().take(2).all(char::is_ascii_alphabetic)
            && head.iter().skip(2).all(char::is_ascii_digit);
        if !shaped || self.before(start).is_some_and(is_word) {
            return None;
        }
        let is_body = |c: &char| c.is_ascii_digit() || c.is_ascii_uppercase();
        let mut end = start + 4;
        let mut len = 4;
        loop {
            let spaced = self.at(end) == Some(' ');
            let from = end + usize::from(spaced);
            let group = self
                .chars
                .get(from..)
                .map_or(0, |rest| rest.iter().take_while(|c| is_body(c)).count());
            if group == 0 || (spaced && group > 4) || len + group > 34 {
                break;
            }
            end = from + group;
            len += group;
            if spaced && group < 4 {
                break;
            }
        }
        ((15..=34).contains(&len) && !self.at(end).is_some_and(is_word)).then_some(end)
    }

    /// End of a phone number starting exactly at `start`, if one does.
    fn phone_at(&self, start: usize) -> Option<usize> {
        let first = self.at(start)?;
        if !self.may_start_number(start, first) {
            return None;
        }
        let plus = first == '+';
        let mut groups = vec![match first {
            '(' => self.area_code_in_parens(start)?,
            '+' => self.digit_group(start + 1, None)?,
            _ => self.digit_group(start, None)?,
        }];
        let international = plus || groups.first().is_some_and(|g| g.digits.starts_with("00"));
        while let Some(last) = groups.last() {
            let mut next = last.end;
            let sep = self.at(next).filter(|&c| is_separator(c));
            next += usize::from(sep.is_some());
            if international && groups.len() == 1 && self.is_trunk_at(next) {
                groups.push(Group {
                    digits: String::new(),
                    end: next + 3,
                    sep,
                    trunk: true,
                });
                continue;
            }
            match self.digit_group(next, sep) {
                Some(group) => groups.push(group),
                None => break,
            }
        }
        (1..=groups.len()).rev().find_map(|k| {
            let run = groups.get(..k)?;
            let last = run.last()?;
            if last.trunk || !self.may_end_number(last.end) {
                return None;
            }
            let digits: String = run.iter().map(|g| g.digits.as_str()).collect();
            let fits = if plus {
                international_fits(&digits)
            } else if let Some(rest) = digits.strip_prefix("00") {
                international_fits(rest) && !looks_like_other_code(run)
            } else if digits.starts_with("358") {
                // Finland's country code without its `+` (`358401234567`).
                international_fits(&digits) && digits.len() >= 10
            } else {
                national_fits(&digits) && !looks_like_other_code(run)
            };
            fits.then_some(last.end)
        })
    }

    fn may_start_number(&self, i: usize, first: char) -> bool {
        match (first, self.before(i)) {
            (_, None) => matches!(first, '+' | '(' | '0'..='9'),
            // `+` and `(` announce a number by themselves, so only a digit before them
            // (arithmetic, a longer number) disqualifies.
            ('+' | '(', Some(c)) => !c.is_ascii_digit(),
            ('0'..='9', Some(c)) if is_word(c) => false,
            ('0'..='9', Some(c)) if joins_numbers(c) => !i
                .checked_sub(1)
                .and_then(|j| self.before(j))
                .is_some_and(|d| d.is_ascii_digit()),
            ('0'..='9', Some(_)) => true,
            _ => false,
        }
    }

    fn may_end_number(&self, i: usize) -> bool {
        match self.at(i) {
            None => true,
            Some(c) if is_word(c) => false,
            Some(c) if joins_numbers(c) => !self.at(i + 1).is_some_and(|d| d.is_ascii_digit()),
            Some(_) => true,
        }
    }

    fn digit_group(&self, from: usize, sep: Option<char>) -> Option<Group> {
        let digits: String = self
            .chars
            .get(from..)?
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        (!digits.is_empty()).then(|| Group {
            end: from + digits.len(),
            digits,
            sep,
            trunk: false,
        })
    }

    /// `(0X)`, `(0XX)` or `(0XXX)`: a Finnish area code written apart.
    fn area_code_in_parens(&self, start: usize) -> Option<Group> {
        let inner = self.digit_group(start + 1, None)?;
        let shaped = inner.digits.starts_with('0') && (2..=4).contains(&inner.digits.len());
        (shaped && self.at(inner.end) == Some(')')).then(|| Group {
            end: inner.end + 1,
            ..inner
        })
    }

    fn is_trunk_at(&self, i: usize) -> bool {
        self.at(i) == Some('(') && self.at(i + 1) == Some('0') && self.at(i + 2) == Some(')')
    }
}

#[cfg(test)]
mod tests;

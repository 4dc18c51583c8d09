//! The identity detector's tests: valid and invalid codes, phone and e-mail forms, positions.

use super::*;

/// The check alphabet written out again for the tests' own computations.
const ALPHABET: &str = "0123456789ABCDEFHJKLMNPRSTUVWXY";

/// All 13 century signs and the first year of their century.
const SIGNS: [(char, u32); 13] = [
    ('+', 1800),
    ('-', 1900),
    ('U', 1900),
    ('V', 1900),
    ('W', 1900),
    ('X', 1900),
    ('Y', 1900),
    ('A', 2000),
    ('B', 2000),
    ('C', 2000),
    ('D', 2000),
    ('E', 2000),
    ('F', 2000),
];

/// Horner's rule reducing mod 31 at every step — a different route from the module,
/// which builds the whole nine-digit number first.
fn check_char(date: &str, individual: &str) -> char {
    let rem = date
        .chars()
        .chain(individual.chars())
        .map(|c| c.to_digit(10).expect("test passes digits"))
        .fold(0, |acc, d| (acc * 10 + d) % 31);
    ALPHABET
        .chars()
        .nth(rem as usize)
        .expect("remainder below 31")
}

/// Month lengths from a table rather than the module's match.
fn month_len(year: u32, month: u32) -> u32 {
    const LENGTHS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let leap = year.is_multiple_of(400) || (year.is_multiple_of(4) && !year.is_multiple_of(100));
    LENGTHS[(month - 1) as usize] + u32::from(month == 2 && leap)
}

/// A small deterministic generator, so the property test needs no dependency.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, bound: u32) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % u64::from(bound)) as u32
    }
}

fn kinds(text: &str) -> Vec<(IdentityKind, String)> {
    find_identities(text)
        .into_iter()
        .map(|f| (f.kind, f.text))
        .collect()
}

/// `text` holds exactly one identity, of `kind`, written as `expected` (its first
/// occurrence); checks the byte range, the char position and the slice agree.
fn assert_one(text: &str, kind: IdentityKind, expected: &str) {
    let found = find_identities(text);
    assert_eq!(found.len(), 1, "{text:?} gave {found:?}");
    let f = &found[0];
    let start = text.find(expected).expect("expected text is in the note");
    assert_eq!(f.kind, kind, "{text:?}");
    assert_eq!(f.bytes, start..start + expected.len(), "{text:?}");
    assert_eq!(f.char_pos, text[..start].chars().count() + 1, "{text:?}");
    assert_eq!(f.text, expected, "{text:?}");
    assert_eq!(&text[f.bytes.clone()], f.text, "{text:?}");
}

#[test]
fn valid_codes() {
    // 131052-308T: 131052308 = 31 · 4227493 + 25, and index 25 is T.
    // 010101?123N: 010101123 = 31 · 325842 + 21, index 21 is N. The century sign is not
    // part of the checksum and 1 January exists in every century, so each sign works.
    // 290200A1239: 290200123 = 31 · 9361294 + 9 → '9'; 2000 was a leap year.
    // 290296+1232: 290296123 = 31 · 9364391 + 2 → '2'; 1896 was a leap year.
    // 010101-900R: 010101900 = 31 · 325867 + 23 → R; a temporary individual number.
    // 010101-1330: 010101133 = 31 · 325843 + 0 → '0'; a check char that is a digit.
    let mut valid = vec![
        "131052-308T".to_owned(),
        "131052-308t".to_owned(),
        "010101a123n".to_owned(),
        "290200A1239".to_owned(),
        "290296+1232".to_owned(),
        "010101-900R".to_owned(),
        "010101-1330".to_owned(),
    ];
    valid.extend(SIGNS.iter().map(|(sign, _)| format!("010101{sign}123N")));
    for code in &valid {
        assert!(is_personal_code(code), "{code} should be valid");
        assert_one(code, IdentityKind::PersonalCode, code);
    }
    for (sign, _) in SIGNS {
        assert_eq!(check_char("010101", "123"), 'N', "sign {sign}");
    }
    assert_eq!(check_char("131052", "308"), 'T');
    assert_eq!(check_char("290200", "123"), '9');
    assert_eq!(check_char("290296", "123"), '2');
    assert_eq!(check_char("010101", "900"), 'R');
    assert_eq!(check_char("010101", "133"), '0');
}

#[test]
fn invalid_codes() {
    let cases = [
        // Wrong check characters (T, N, M and 0 are right).
        "131052-308U",
        "131052-308X",
        "010101A123M",
        // 010190123 = 31 · 328713 + 20 → M, so 4 is wrong; shaped like a phone too.
        "010190-1234",
        // 290200-1239: right checksum, but 1900 was not a leap year.
        "290200-1239",
        // 1800 was not a leap year either.
        "290200+1239",
        // 290201123 = 290200123 + 1000 → (9 + 8) mod 31 = 17 → J; 2001 is not leap.
        "290201A123J",
        // 310299123 = 31 · 10009649 + 4 → '4'; there is no 31 February.
        "310299-1234",
        // 011301123 = 31 · 364552 + 11 → B; there is no month 13.
        "011301-123B",
        // 000101123 = 31 · 3262 + 1 → '1'; there is no day 0.
        "000101-1231",
        // Individual numbers 001 and 000 are never issued (010101001 → R, 010101000 → P).
        "010101-001R",
        "010101-000P",
        // Not a century sign.
        "131052G308T",
        "131052Z308T",
        // Shape.
        "",
        "131052-308",
        "131052-308TT",
        "13105a-308T",
    ];
    assert_eq!(check_char("010190", "123"), 'M');
    assert_eq!(check_char("290201", "123"), 'J');
    assert_eq!(check_char("310299", "123"), '4');
    assert_eq!(check_char("011301", "123"), 'B');
    assert_eq!(check_char("000101", "123"), '1');
    assert_eq!(check_char("010101", "001"), 'R');
    assert_eq!(check_char("010101", "000"), 'P');
    for code in cases {
        assert!(!is_personal_code(code), "{code:?} should be invalid");
        let found = find_identities(code);
        assert!(
            found.iter().all(|f| f.kind != IdentityKind::PersonalCode),
            "{code:?} gave {found:?}"
        );
    }
    // `is_personal_code` judges the whole string; inside a note the padded code is found.
    for padded in [" 131052-308T", "131052-308T "] {
        assert!(!is_personal_code(padded), "{padded:?}");
        assert_one(padded, IdentityKind::PersonalCode, "131052-308T");
    }
    // Wrong checksums and impossible dates must pass the note entirely.
    for code in ["131052-308U", "010190-1234", "290200-1239", "310299-1234"] {
        assert!(find_identities(code).is_empty(), "{code}");
        assert!(
            find_identities(&format!("Viite {code}.")).is_empty(),
            "{code}"
        );
    }
}

#[test]
fn code_boundaries() {
    let embedded = [
        "x131052-308T",
        "131052-308Tx",
        "9131052-308T",
        "131052-308T9",
        "ABC131052-308TDEF",
        "hetu131052-308T",
        "010101-1330123",
    ];
    for text in embedded {
        assert!(kinds(text).is_empty(), "{text:?} gave {:?}", kinds(text));
    }
    let standalone = [
        ("(131052-308T)", "131052-308T"),
        ("hetu:131052-308T.", "131052-308T"),
        ("Hetu 131052-308T, tarkistettu", "131052-308T"),
        ("-131052-308T-", "131052-308T"),
        // The boundary is defined in ASCII terms, so a Finnish letter does not hide it.
        ("ä131052-308Tö", "131052-308T"),
    ];
    for (text, code) in standalone {
        assert_one(text, IdentityKind::PersonalCode, code);
    }
}

#[test]
fn code_is_reported_once_not_as_phone() {
    // Both start with 0 and a non-zero digit, the second is all digits: still one
    // PersonalCode each.
    for code in ["010101-1330", "010101A123N", "131052-308T"] {
        assert_one(
            &format!("Asiakkaan hetu {code}."),
            IdentityKind::PersonalCode,
            code,
        );
    }
}

#[test]
fn generated_codes() {
    let mut rng = Lcg(0x7154_4b49);
    let mut checked = 0;
    for (sign, century) in SIGNS {
        for n in 0..300 {
            let yy = rng.below(100);
            let month = 1 + rng.below(12);
            let len = month_len(century + yy, month);
            // Every tenth code sits on the month's last day, where leap years bite.
            let day = if n % 10 == 0 { len } else { 1 + rng.below(len) };
            let individual = 2 + rng.below(998);
            let date = format!("{day:02}{month:02}{yy:02}");
            let z = format!("{individual:03}");
            let q = check_char(&date, &z);
            let code = format!("{date}{sign}{z}{q}");
            assert!(is_personal_code(&code), "{code}");
            assert!(is_personal_code(&code.to_lowercase()), "{code}");
            let note = format!("Tunnus {code} kirjattu.");
            assert_eq!(
                kinds(&note),
                vec![(IdentityKind::PersonalCode, code.clone())],
                "{note}"
            );
            for other in ALPHABET.chars().filter(|&c| c != q) {
                let bad = format!("{date}{sign}{z}{other}");
                assert!(!is_personal_code(&bad), "{bad}");
                assert!(kinds(&bad).is_empty(), "{bad} gave {:?}", kinds(&bad));
            }
            // The day after the month's end, with a matching check char, is no date.
            let past = format!("{:02}{month:02}{yy:02}", len + 1);
            let bad = format!("{past}{sign}{z}{}", check_char(&past, &z));
            assert!(!is_personal_code(&bad), "{bad}");
            assert!(kinds(&bad).is_empty(), "{bad}");
            checked += 1;
        }
    }
    assert_eq!(checked, 13 * 300);
}

#[test]
fn phone_forms() {
    let cases = [
        ("Puh. 040 123 4567 iltaisin", "040 123 4567"),
        ("0401234567", "0401234567"),
        ("soita 040-123 4567.", "040-123 4567"),
        ("+358 40 1234567", "+358 40 1234567"),
        ("+358401234567", "+358401234567"),
        ("tel: +358 (0)40 123 4567", "+358 (0)40 123 4567"),
        ("+358(0)401234567", "+358(0)401234567"),
        ("+358 040 123 4567", "+358 040 123 4567"),
        ("00358 40 123 4567", "00358 40 123 4567"),
        ("00358401234567", "00358401234567"),
        ("Toimisto 03 123 4567", "03 123 4567"),
        ("09 1234 5678", "09 1234 5678"),
        ("toimisto (03) 123 4567 arkisin", "(03) 123 4567"),
        ("(09)1234 5678", "(09)1234 5678"),
        ("+358 3 123 4567", "+358 3 123 4567"),
        ("+46 70 123 45 67", "+46 70 123 45 67"),
        ("+1 555 123 4567", "+1 555 123 4567"),
        ("+44 (0)20 7946 0958", "+44 (0)20 7946 0958"),
        ("0046 70 123 45 67", "0046 70 123 45 67"),
        ("Äiti: 040 123 4567 klo 10.05 jälkeen", "040 123 4567"),
        ("soita 03 123 4567 10.05", "03 123 4567"),
        ("(040 123 4567)", "040 123 4567"),
        ("puh+358401234567", "+358401234567"),
        ("p. 0401234567, iltaisin", "0401234567"),
        ("numero on 040 123 4567", "040 123 4567"),
        ("14.11. 040 123 4567", "040 123 4567"),
        ("040\u{a0}123\u{a0}4567", "040\u{a0}123\u{a0}4567"),
        ("puhelin: 040 123 4567:ään", "040 123 4567"),
        ("Soitto 😀 numeroon 050 765 4321!", "050 765 4321"),
        (
            "Tili FI21 1234 5600 0007 85, puh. 040 123 4567",
            "040 123 4567",
        ),
        ("0800 12345", "0800 12345"),
    ];
    for (text, phone) in cases {
        assert_one(text, IdentityKind::Phone, phone);
    }
}

#[test]
fn two_phones() {
    for text in [
        "040 123 4567/050 765 4321",
        "040 123 4567,050 765 4321",
        "040 123 4567 050 765 4321",
    ] {
        let found = find_identities(text);
        assert_eq!(
            found,
            vec![
                Found {
                    kind: IdentityKind::Phone,
                    bytes: 0..12,
                    char_pos: 1,
                    text: "040 123 4567".to_owned(),
                },
                Found {
                    kind: IdentityKind::Phone,
                    bytes: 13..25,
                    char_pos: 14,
                    text: "050 765 4321".to_owned(),
                },
            ],
            "{text:?}"
        );
    }
}

#[test]
fn not_phones() {
    let cases = [
        "2023",
        "14.11.2023",
        "1.11.2023",
        "01.11.2023",
        "01-11-2023",
        "01 11 2023",
        "10.05",
        "10:05",
        "klo 09.00–10.30",
        "40 €",
        "0,40 €",
        "1480",
        "1 040 000 €",
        "Summa 12 040,50 €",
        "5 krt",
        "70",
        "LE-2023-031",
        "18100",
        "00100 Helsinki",
        "2023-11-14",
        "1234567-8",
        "0112038-9",
        "131052-308U",
        "010190-1234",
        "abc0401234567",
        "0401234567abc",
        "x040 123 4567y",
        "FI21 1234 5600 0007 85",
        "tilille FI21 0123 4567 8901 23, maksettu",
        "FI2101234567890123",
        "040 1234",
        "0400",
        "+5 %",
        "5+5=10",
        "10+1234567",
        "+358 12 345",
        "+0401",
        "0012 345",
    ];
    for text in cases {
        assert!(kinds(text).is_empty(), "{text:?} gave {:?}", kinds(text));
    }
}

#[test]
fn emails() {
    let cases = [
        ("mäkinen@esimerkki.fi", "mäkinen@esimerkki.fi"),
        (
            "Sähköposti: matti.meikalainen+tiski@posti.example.com, kiitos",
            "matti.meikalainen+tiski@posti.example.com",
        ),
        (
            "Lähetä osoitteeseen anna_k@sähköposti.fi.",
            "anna_k@sähköposti.fi",
        ),
        ("MATTI@ESIMERKKI.FI", "MATTI@ESIMERKKI.FI"),
        (
            "(a.b-c%d@sub-domain.example.org)",
            "a.b-c%d@sub-domain.example.org",
        ),
        ("matti@esimerkki.fi-osoitteeseen", "matti@esimerkki.fi"),
        ("matti@esimerkki.fi:hin", "matti@esimerkki.fi"),
        ("...matti@esimerkki.fi", "matti@esimerkki.fi"),
        // Digits before the @ would read as a phone; it is one e-mail.
        ("0401234567@sms.example.fi", "0401234567@sms.example.fi"),
    ];
    for (text, email) in cases {
        assert_one(text, IdentityKind::Email, email);
    }
    let not_emails = [
        "@kirjasto",
        "Tapahtuma @kirjasto klo 10",
        "10 @ 5 €",
        "@",
        "matti@",
        "matti@kirjasto",
        "a@b.c",
        "kokous@10.30",
        "matti@.fi",
        "matti@-x.fi",
        "matti@x..",
    ];
    for text in not_emails {
        assert!(kinds(text).is_empty(), "{text:?} gave {:?}", kinds(text));
    }
}

#[test]
fn several_identities_after_multibyte_text() {
    let text = "Äiti 😀 soitti: 040 123 4567, hetu 131052-308T ja posti mäkinen@esimerkki.fi.";
    // Counted by hand: "Äiti 😀 soitti: " is 15 characters and 15 + 1 + 3 = 19 bytes
    // (Ä takes 2, 😀 takes 4); the phone is 12 ASCII characters; ", hetu " adds 7; the
    // code is 11; " ja posti " adds 10; "mäkinen@esimerkki.fi" is 20 characters, 21 bytes.
    let expected = vec![
        Found {
            kind: IdentityKind::Phone,
            bytes: 19..31,
            char_pos: 16,
            text: "040 123 4567".to_owned(),
        },
        Found {
            kind: IdentityKind::PersonalCode,
            bytes: 38..49,
            char_pos: 35,
            text: "131052-308T".to_owned(),
        },
        Found {
            kind: IdentityKind::Email,
            bytes: 59..80,
            char_pos: 56,
            text: "mäkinen@esimerkki.fi".to_owned(),
        },
    ];
    let found = find_identities(text);
    assert_eq!(found, expected);
    for f in &found {
        assert_eq!(&text[f.bytes.clone()], f.text);
    }
}

#[test]
fn ordinary_notes_flag_nothing() {
    assert!(find_identities("").is_empty());
    assert!(find_identities(" \n\t").is_empty());
    let sentence = "Asiakas kysyi Kelan asumistuesta, ohjattu hyvinvointialueelle. \
                    Soittaa takaisin ensi viikolla klo 10.05. ";
    let note: String = sentence.chars().cycle().take(500).collect();
    assert_eq!(note.chars().count(), 500);
    assert!(find_identities(&note).is_empty(), "{:?}", kinds(&note));
    let busy = "Käynti 14.11.2023 klo 10:05–10.30 (2023-11-14). Ruoka-apua 40 €, \
                tänä vuonna 5 krt, yhteensä 1480 €. Tosite LE-2023-031, postinumero 18100, \
                yhdistyksen Y-tunnus 1234567-8. Seuraava aika 1.12.2023 klo 9.15. \
                Tapahtuma @kirjasto, hinta 10 @ 5 €. Lapsia 2, aikuisia 70 % tuloista. 😀";
    assert!(find_identities(busy).is_empty(), "{:?}", kinds(busy));
}

#[test]
fn masked_forms_keep_little() {
    let text = "hetu 131052-308T, puh. +358 40 1234567, posti mäkinen@esimerkki.fi";
    let masked: Vec<String> = find_identities(text).iter().map(masked).collect();
    assert_eq!(
        masked,
        ["131052-****", "+358 ** *******", "m***@esimerkki.fi"]
    );
    let phone = &find_identities("040 123 4567")[0];
    assert_eq!(super::masked(phone), "040 *** ****");
}

#[test]
fn control_characters_are_found_by_position() {
    assert_eq!(control_char_at("tavallinen huomio"), None);
    assert_eq!(control_char_at("rivi\ntoinen"), Some(5));
    assert_eq!(control_char_at("ä\u{1b}[31m"), Some(2));
    assert_eq!(control_char_at("x\u{202e}y"), Some(2));
}

#[test]
fn codes_written_to_slip_past_are_found_in_their_plain_form() {
    for note in [
        "131052–308T",
        "１３１０５２-308T",
        "１３１０５２－３０８Ｔ",
        "131052\u{200b}-308T",
        "13\u{ad}1052-308T",
        "asiakas 131052\u{2060}-308T soitti",
    ] {
        assert!(!is_personal_code(note), "{note:?} is not one as written");
        let found = find_identities(note);
        assert!(
            found.iter().any(|f| f.kind == IdentityKind::PersonalCode),
            "{note:?} gave {found:?}"
        );
    }
    assert!(
        find_identities("０４０ １２３ ４５６７")
            .iter()
            .any(|f| f.kind == IdentityKind::Phone)
    );
    assert!(find_identities("klo 09.00–10.30, huone 2").is_empty());
}

/// The everyday spellings a note held past the old detector (issue 21):
/// a code without its century sign or with a space for it, a phone with a
/// slash after its area code or Finland's code without `+`, an e-mail with
/// `(at)` or spaces around its `@`.
#[test]
fn everyday_spellings_of_identities_are_found() {
    for (text, kind) in [
        ("hetu 131052 308T", IdentityKind::PersonalCode),
        ("hetu 131052308T tänään", IdentityKind::PersonalCode),
        ("soita 040/123 4567", IdentityKind::Phone),
        ("numero 358401234567", IdentityKind::Phone),
        ("puh 09/1234567 iltaisin", IdentityKind::Phone),
        ("maija(at)example.fi", IdentityKind::Email),
        ("posti maija @ example.fi kiitos", IdentityKind::Email),
        ("maija [at] example.fi", IdentityKind::Email),
    ] {
        let found = kinds(text);
        assert_eq!(found.len(), 1, "{text:?} gave {found:?}");
        assert_eq!(found[0].0, kind, "{text:?}");
    }
    // Still not identities: ten digits or a wrong check letter without a
    // sign, a date written with slashes, a price list with an `@`.
    for text in [
        "tilausnumero 1310523081",
        "koodi 131052308U",
        "1.12.2023 01/12/2023",
        "hinta 10 @ 5 €, 3 at a time",
        "kpl 358 12",
    ] {
        assert!(kinds(text).is_empty(), "{text:?} gave {:?}", kinds(text));
    }
}

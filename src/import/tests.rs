//! The import's reading: lines named as a whole read names them, and the
//! gravest first problem of a streamed file told, wherever it stands.

use super::*;
use crate::report::error::{Expected, LineProblem};

const HEADER: &str = r#"{"type":"tiski-export","version":1}"#;

/// `text` as an export: the header line first.
fn parse(text: &str) -> Result<Records, ReportError> {
    parse_jsonl(Path::new("x.jsonl"), &format!("{HEADER}\n{text}"))
}

#[test]
fn a_file_without_the_header_first_is_not_an_export() {
    let session = r#"{"type":"session","uid":"s1","profile":"p","location":"l","device":"d","date":"2023-11-14","started_at":"2023-11-14 10:00:00","ended_at":null}"#;
    for text in ["", "\n\n", session] {
        assert!(matches!(
            parse_jsonl(Path::new("x.jsonl"), text),
            Err(ReportError::Line {
                line: 1,
                problem: LineProblem::Bad {
                    field: "type",
                    expected: Expected::Header,
                    ..
                },
                ..
            })
        ));
    }
    assert!(parse_jsonl(Path::new("x.jsonl"), &format!("{HEADER}\n{session}")).is_ok());
}

#[test]
fn a_bad_line_is_named_with_its_field() {
    let good_session = r#"{"type":"session","uid":"s1","profile":"p","location":"l","device":"d","date":"2023-11-14","started_at":"2023-11-14 10:00:00","ended_at":null}"#;
    let bad_visit = r#"{"type":"visit","uid":"v1","session_uid":"s1","at":"2023-11-14 25:00:00","topics":["a"],"updated_at":"2023-11-14T08:00:00Z"}"#;
    let text = format!("{good_session}\n\n{bad_visit}\n");
    match parse(&text) {
        Err(ReportError::Line {
            line: 4,
            problem: LineProblem::Bad { field: "at", .. },
            ..
        }) => {}
        other => panic!("{:?}", other.map(|r| r.lines)),
    }
    let missing = r#"{"type":"visit","uid":"v1","session_uid":"s1","at":"2023-11-14 10:00:00","updated_at":"2023-11-14T08:00:00Z"}"#;
    assert!(matches!(
        parse(missing),
        Err(ReportError::Line {
            line: 2,
            problem: LineProblem::Missing { field: "topics" },
            ..
        })
    ));
    assert!(matches!(
        parse("{not json"),
        Err(ReportError::Line {
            problem: LineProblem::NotJson(_),
            ..
        })
    ));
    assert!(matches!(
        parse(r#"{"type":"voucher"}"#),
        Err(ReportError::Line {
            problem: LineProblem::UnknownType(_),
            ..
        })
    ));
    let ok = parse(&format!("{good_session}\n")).unwrap();
    assert_eq!(ok.lines, [2], "after the header");
}

const SESSION: &str = r#"{"type":"session","uid":"s1","profile":"ikaihmiset","location":"l","device":"d","date":"2023-11-14","started_at":"2023-11-14 10:00:00","ended_at":null}"#;

/// A visit line of session `s1` with this uid and note.
fn visit(uid: &str, note: &str) -> String {
    format!(
        r#"{{"type":"visit","uid":"{uid}","session_uid":"s1","at":"2023-11-14 10:05:00","topics":["digituki"],"note":"{note}","updated_at":"2023-11-14T08:05:00Z"}}"#
    )
}

/// What `Checked` makes of a file of these bytes: the records handed on,
/// and the refusal that ends them.
fn stream(bytes: &[u8]) -> (Vec<String>, Option<Refusal>, Vec<usize>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.jsonl");
    std::fs::write(&path, bytes).unwrap();
    let config = Config::embedded();
    let now = chrono::NaiveDateTime::parse_from_str("2024-01-01 12:00", "%Y-%m-%d %H:%M").unwrap();
    let source = open(&path, dir.path()).unwrap();
    let mut checked = Checked::new(source, &path, &config, now);
    let mut uids = Vec::new();
    let mut refusal = None;
    for r in checked.by_ref() {
        match r {
            Ok(record) => uids.push(record.uid().to_string()),
            Err(e) => refusal = Some(e),
        }
    }
    let lines = (0..uids.len()).map(|i| checked.line(i)).collect();
    (uids, refusal, lines)
}

fn line_of(r: &Refusal) -> Option<usize> {
    match &r.error {
        Error::Report(e) => match &**e {
            ReportError::Line { line, .. } => Some(*line),
            _ => None,
        },
        _ => None,
    }
}

#[test]
fn records_are_handed_on_with_their_lines_blank_ones_between() {
    let text = format!(
        "{HEADER}\n{SESSION}\n\n\n{}\n{}\n",
        visit("v1", ""),
        visit("v2", "")
    );
    let (uids, refusal, lines) = stream(text.as_bytes());
    assert!(refusal.is_none(), "{refusal:?}");
    assert_eq!(uids, ["s1", "v1", "v2"]);
    assert_eq!(lines, [2, 5, 6]);
}

#[test]
fn a_bad_line_after_a_record_that_cannot_be_meant_is_told_first() {
    // Line 3 repeats a uid; line 5 is not JSON: a whole read tells line 5.
    let text = format!(
        "{HEADER}\n{SESSION}\n{}\n{}\n{{oops\n",
        visit("s1", ""),
        visit("v2", "")
    );
    let (uids, refusal, _) = stream(text.as_bytes());
    assert_eq!(uids, ["s1"], "nothing after the first problem is handed on");
    let refusal = refusal.unwrap();
    assert_eq!(refusal.grave, Grave::Unreadable);
    assert_eq!(line_of(&refusal), Some(5));
    // Without the bad line, the repeated uid is told.
    let text = format!(
        "{HEADER}\n{SESSION}\n{}\n{}\n",
        visit("s1", ""),
        visit("v2", "")
    );
    let refusal = stream(text.as_bytes()).1.unwrap();
    assert_eq!(refusal.grave, Grave::Meaning);
    assert_eq!(line_of(&refusal), Some(3));
}

#[test]
fn bytes_that_are_not_text_anywhere_are_told_before_a_bad_line() {
    let mut bytes = format!("{HEADER}\n{{oops\n{SESSION}\n").into_bytes();
    bytes.extend_from_slice(b"{\"type\":\"x\xff\"}\n");
    let refusal = stream(&bytes).1.unwrap();
    assert_eq!(refusal.grave, Grave::Unreadable);
    assert!(
        matches!(&refusal.error, Error::Report(e) if matches!(&**e, ReportError::Read { reason: crate::files::Cause::NotText, .. })),
        "{refusal:?}"
    );
}

#[test]
fn a_record_that_cannot_be_meant_is_told_before_an_earlier_identity() {
    let text = format!(
        "{HEADER}\n{SESSION}\n{}\n{}\n{}\n",
        visit("v1", "soita 040 1234567"),
        visit("v2", ""),
        visit("v2", "")
    );
    let (uids, refusal, _) = stream(text.as_bytes());
    assert_eq!(uids, ["s1"]);
    let refusal = refusal.unwrap();
    assert_eq!(refusal.grave, Grave::Meaning, "{refusal:?}");
    assert_eq!(line_of(&refusal), Some(5));
    // Alone, the identity is told.
    let text = format!(
        "{HEADER}\n{SESSION}\n{}\n{}\n",
        visit("v1", "soita 040 1234567"),
        visit("v2", "")
    );
    let refusal = stream(text.as_bytes()).1.unwrap();
    assert_eq!(refusal.grave, Grave::Identity, "{refusal:?}");
}

/// The fast reading of visits and sessions makes of each line exactly
/// what the careful reading makes of it, and leaves every line it cannot
/// take as is to the careful one (which names the problem).
#[test]
fn the_fast_reading_of_a_line_is_the_careful_one() {
    let visit = |rest: &str| {
        format!(
            r#"{{"type":"visit","uid":"v1","session_uid":"s1",{rest}"updated_at":"2023-11-14T08:05:00Z"}}"#
        )
    };
    let at = r#""at":"2023-11-14 10:05:00","topics":["digituki","sote"],"#;
    let taken = [
        visit(at),
        visit(&format!(r#"{at}"note":"rivi\n\"lainaus\" \u00e4","referral":null,"fields":null,"#)),
        visit(&format!(r#"{at}"note":"","referral":"","fields":{{"ika":"65-74","kieli":"fi"}},"id":3,"session_id":9,"#)),
        visit(&format!(r#"{at}"fields":{{}},"referral":"kela","#)),
        r#"  {"type":"session","uid":"s1","profile":"p","location":"Kirjasto","device":"d","date":"2023-11-14","started_at":"2023-11-14 10:00:00","ended_at":null}"#.to_string(),
        r#"{"type":"session","uid":"s1","profile":"p","location":"l","date":"2023-11-14","started_at":"2023-11-14 10:00:00","ended_at":"2023-11-14 12:00:00","device":""}"#.to_string(),
        r#"{"type":"session","uid":"s1","profile":"p","location":"l","date":"2023-11-14","started_at":"2023-11-14 10:00:00"}"#.to_string(),
    ];
    let left = [
        // Right, but not a visit or a session.
        r#"{"type":"deleted","uid":"v1","deleted_at":"2023-11-14T08:05:00Z"}"#.to_string(),
        // Wrong in one field each.
        visit(r#""at":"2023-11-14 10:05:00","topics":[],"#),
        visit(r#""at":"2023-11-14 10:05:00","topics":null,"#),
        visit(r#""at":"2023-11-14 10:05:00","topics":["a",1],"#),
        visit(r#""at":"2023-11-14 10:05:00","#),
        visit(r#""at":"2023-11-14 10:05:60","topics":["a"],"#),
        visit(r#""at":"2023-11-14 24:05:00","topics":["a"],"#),
        visit(r#""at":"2023-11-14T10:05:00","topics":["a"],"#),
        visit(r#""at":"2023-02-29 10:05:00","topics":["a"],"#),
        visit(&format!(r#"{at}"note":5,"#)),
        visit(&format!(r#"{at}"note":"{}","#, "x".repeat(crate::domain::NOTE_MAX_CHARS + 1))),
        visit(&format!(r#"{at}"fields":{{"ika":1}},"#)),
        visit(&format!(r#"{at}"fields":[],"#)),
        visit(&format!(r#"{at}"referral":["kela"],"#)),
        visit(&format!(r#"{at}"session_uid":" ","#)),
        visit(at).replace("2023-11-14T08:05:00Z", "eilen"),
        visit(at).replace(r#""type":"visit""#, r#""type":"visit ""#),
        r#"{"type":"session","uid":"s1","profile":"p","location":"l","date":"2023-11-14","started_at":"2023-11-14 10:00:00","ended_at":""}"#.to_string(),
        r#"{"type":"session","uid":"s1","profile":"p","location":"l","date":"14.11.2023","started_at":"2023-11-14 10:00:00"}"#.to_string(),
        r#"{"type":"session","uid":"s1","profile":"","location":"l","date":"2023-11-14","started_at":"2023-11-14 10:00:00"}"#.to_string(),
        // The fields' values in order, as serde would take them for a struct.
        r#"["session","s1",null,null,null,null,null,null,null,"p","l","2023-11-14","2023-11-14 10:00:00",null,"d"]"#.to_string(),
        format!("{} x", visit(at)),
    ];
    let careful = |line: &str| {
        let mut p = jsonl::Parser::new(Path::new("x.jsonl"));
        assert_eq!(p.line(1, HEADER).unwrap(), None);
        p.careful(2, line)
    };
    for line in &taken {
        let fast = typed::record(line).unwrap_or_else(|| panic!("not taken: {line}"));
        assert_eq!(careful(line).unwrap(), Some(fast), "{line}");
    }
    for line in &left {
        assert_eq!(typed::record(line), None, "{line}");
    }
    // The careful reading refuses each of them but the tombstone.
    for line in &left[1..] {
        assert!(careful(line).is_err(), "{line}");
    }
    // A key twice (the careful reading takes the last), a day in a
    // shorter form chrono reads too: left to the careful reading, which
    // takes them.
    let twice = visit(&format!(r#"{at}"uid":"v2","#));
    assert_eq!(typed::record(&twice), None);
    match careful(&twice) {
        Ok(Some(Record::Visit(v))) => assert_eq!(v.visit.uid, "v2"),
        other => panic!("{other:?}"),
    }
    let short = visit(r#""at":"2023-11-4 10:05:00","topics":["a"],"#);
    assert_eq!(typed::record(&short), None);
    assert!(matches!(careful(&short), Ok(Some(Record::Visit(_)))));
}

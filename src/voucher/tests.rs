//! Season, number, money and lifecycle rules, and the season summary.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};

use super::summary::SeasonSummary;
use super::*;
use crate::config::Config;
use crate::locale::Lang;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn cfg() -> VoucherConfig {
    Config::embedded().profiles["ikaihmiset"]
        .voucher_settings()
        .expect("on for the elderly desk")
        .clone()
}

fn voucher(seq: u32, product: &str, issued: &str, status: Status) -> Voucher {
    let c = cfg();
    let at = NaiveDateTime::parse_from_str(&format!("{issued} 10:00"), "%Y-%m-%d %H:%M").unwrap();
    let season = c.season_of(at.date());
    Voucher {
        id: VoucherId(seq as i64),
        uid: format!("u{seq}"),
        number: c.number(season, seq),
        profile: "ikaihmiset".into(),
        season,
        seq,
        product: product.into(),
        max_sum: c.product(product).unwrap().max_sum,
        issued_at: at,
        valid_until: c.season_end(season),
        birth_year: None,
        checked_identity: false,
        visit: None,
        stored_status: status,
        used_amount: (status == Status::Used).then_some(Cents(2490)),
        used_on: (status == Status::Used).then(|| at.date()),
        shop: None,
        cancelled_on: None,
        cancel_reason: None,
    }
}

#[test]
fn the_default_season_runs_from_november_to_the_end_of_february() {
    let c = cfg();
    assert_eq!(c.season_start(Season(2023)), d("2023-11-01"));
    assert_eq!(
        c.season_end(Season(2023)),
        d("2024-02-29"),
        "2024 is a leap year"
    );
    assert_eq!(c.season_end(Season(2022)), d("2023-02-28"));
    assert_eq!(c.season_of(d("2023-11-01")), Season(2023));
    assert_eq!(c.season_of(d("2024-02-29")), Season(2023));
    assert_eq!(c.season_of(d("2024-01-15")), Season(2023));
    assert_eq!(c.season_of(d("2023-02-28")), Season(2022));
    // Between seasons a voucher counts towards the coming one.
    assert_eq!(c.season_of(d("2023-03-01")), Season(2023));
    assert_eq!(c.season_of(d("2023-10-31")), Season(2023));
    assert!(!c.in_season(d("2023-10-31")));
    assert!(c.in_season(d("2023-11-14")));
    assert_eq!(Season(2023).label(&c), "2023-2024");
}

#[test]
fn a_season_within_one_year_is_named_by_that_year() {
    let mut c = cfg();
    c.season_start = MonthDay { month: 1, day: 1 };
    c.season_end = MonthDay { month: 12, day: 31 };
    assert_eq!(c.season_of(d("2024-06-01")), Season(2024));
    assert_eq!(c.season_end(Season(2024)), d("2024-12-31"));
    assert_eq!(Season(2024).label(&c), "2024");
}

#[test]
fn seasons_parse_from_both_forms() {
    assert_eq!(Season::parse("2023-2024"), Some(Season(2023)));
    assert_eq!(Season::parse("2023"), Some(Season(2023)));
    assert_eq!(Season::parse("2023-2025"), None);
    assert_eq!(Season::parse("23-24"), None);
    assert_eq!(Season::parse("kausi"), None);
}

#[test]
fn numbers_are_prefix_season_and_zero_padded_running_number() {
    let c = cfg();
    assert_eq!(c.number(Season(2023), 1), "LE-2023-001");
    assert_eq!(c.number(Season(2023), 17), "LE-2023-017");
    assert_eq!(c.number(Season(2023), 1234), "LE-2023-1234");
}

#[test]
fn euros_parse_with_comma_or_point_and_at_most_two_decimals() {
    assert_eq!(Cents::parse("25"), Some(Cents(2500)));
    assert_eq!(Cents::parse("24,90"), Some(Cents(2490)));
    assert_eq!(Cents::parse("24.9"), Some(Cents(2490)));
    assert_eq!(Cents::parse(" 30,00 € "), Some(Cents(3000)));
    for bad in ["", "-5", "1,234", "abc", "1.2.3", ",5"] {
        assert_eq!(Cents::parse(bad), None, "{bad}");
    }
}

#[test]
fn birth_years_must_be_possible() {
    let today = d("2023-11-14");
    assert_eq!(parse_birth_year("1948", today), Ok(1948));
    for bad in ["1899", "2024", "48", "19x8", ""] {
        assert!(
            matches!(
                parse_birth_year(bad, today),
                Err(VoucherError::BadBirthYear { max: 2023, .. })
            ),
            "{bad}"
        );
    }
    assert_eq!(age_in_year(1960, today), 63);
}

#[test]
fn lifecycle_issued_to_used_or_cancelled_and_expired_is_derived() {
    let v = voucher(1, "liukuesteet", "2023-11-14", Status::Issued);
    assert_eq!(v.status(d("2024-02-29")), Status::Issued);
    assert_eq!(v.status(d("2024-03-01")), Status::Expired);
    assert_eq!(v.check_use(Cents(3000), d("2023-11-20")), Ok(()));
    assert!(matches!(
        v.check_use(Cents(3001), d("2023-11-20")),
        Err(VoucherError::AmountTooHigh {
            max: Cents(3000),
            ..
        })
    ));
    assert!(matches!(
        v.check_use(Cents(0), d("2023-11-20")),
        Err(VoucherError::AmountNotPositive { .. })
    ));
    assert!(matches!(
        v.check_use(Cents(100), d("2023-11-13")),
        Err(VoucherError::UsedBeforeIssue { .. })
    ));
    assert_eq!(v.check_cancel("väärä tuote"), Ok(()));
    assert!(matches!(
        v.check_cancel("  "),
        Err(VoucherError::ReasonRequired { .. })
    ));

    let used = voucher(2, "liukuesteet", "2023-11-14", Status::Used);
    assert_eq!(
        used.status(d("2024-05-01")),
        Status::Used,
        "used never expires"
    );
    assert!(matches!(
        used.check_use(Cents(100), d("2023-11-20")),
        Err(VoucherError::AlreadyUsed { .. })
    ));
    assert!(matches!(
        used.check_cancel("x"),
        Err(VoucherError::CancelUsed { .. })
    ));

    let cancelled = voucher(3, "liukuesteet", "2023-11-14", Status::Cancelled);
    assert!(matches!(
        cancelled.check_use(Cents(100), d("2023-11-20")),
        Err(VoucherError::UseCancelled { .. })
    ));
    assert!(matches!(
        cancelled.check_cancel("x"),
        Err(VoucherError::AlreadyCancelled { .. })
    ));
}

#[test]
fn season_summary_counts_products_weeks_euros_and_earlier_seasons() {
    let c = cfg();
    let vouchers = [
        voucher(1, "liukuesteet", "2023-11-14", Status::Used),
        voucher(2, "liukuesteet", "2023-11-15", Status::Issued),
        voucher(3, "nastakengat", "2023-11-21", Status::Cancelled),
        voucher(4, "nastakengat", "2023-11-28", Status::Issued),
    ];
    let earlier: BTreeMap<Season, u32> = [(Season(2022), 12), (Season(2023), 4)].into();
    let s = SeasonSummary::build(
        &c,
        Season(2023),
        &vouchers,
        d("2024-03-05"),
        &earlier,
        Lang::Fi,
        "maksusitoumusta",
    );
    assert_eq!(s.season, "2023-2024");
    assert_eq!(s.total.issued, 3, "the cancelled one is counted apart");
    assert_eq!(s.total.used, 1);
    assert_eq!(s.total.cancelled, 1);
    assert_eq!(s.total.expired, 2, "past 29.2. the open ones expired");
    assert_eq!(s.total.outstanding, 0);
    assert_eq!(s.total.invoiced, Cents(2490));
    assert_eq!(s.products["liukuesteet"].issued, 2);
    assert_eq!(s.products["nastakengat"].cancelled, 1);
    assert_eq!(s.products["nastakengat"].issued, 1);
    assert_eq!(s.weeks["2023-W46"], 2);
    assert_eq!(
        s.weeks.get("2023-W47"),
        None,
        "only the cancelled one that week"
    );
    assert_eq!(s.weeks["2023-W48"], 1);
    assert_eq!(
        s.total.issued,
        s.total.outstanding + s.total.used + s.total.expired,
        "issued is what is in force, used or expired"
    );
    assert_eq!(s.earlier_seasons.len(), 1);
    assert_eq!(s.earlier_seasons[0].season, "2022-2023");
    assert_eq!(s.earlier_seasons[0].count, 12);
    let before: Vec<_> = s
        .before_tiski
        .iter()
        .map(|e| (e.season.as_str(), e.count))
        .collect();
    assert_eq!(before, [("2021-2022", 30), ("2022-2023", 429)]);
    let json = serde_json::to_value(&s).unwrap();
    for key in [
        "issued",
        "used",
        "cancelled",
        "expired",
        "products",
        "invoiced_eur",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    assert_eq!(json["invoiced_eur"], 24.9);
}

#[test]
fn voucher_config_is_validated_with_its_line() {
    let base = Config::embedded().to_toml();
    let bad = base.replace("prefix = \"LE\"", "prefix = \"le-x\"");
    let e = Config::from_user_text(std::path::Path::new("u.toml"), &bad).unwrap_err();
    assert!(
        matches!(&e.kind, crate::config::ConfigErrorKind::Voucher { problem: config::VoucherConfigProblem::BadPrefix(p), .. } if p == "le-x"),
        "{e:?}"
    );
    let line = bad
        .lines()
        .position(|l| l.contains("prefix = \"le-x\""))
        .unwrap()
        + 1;
    assert_eq!(e.line, Some(line));

    let bad = base.replace("topic = \"liukuesteet\"", "topic = \"lumi\"");
    let e = Config::from_user_text(std::path::Path::new("u.toml"), &bad).unwrap_err();
    assert!(e.to_string().contains("\"lumi\""), "{e}");

    let bad = base.replace("max_sum = 30.0", "max_sum = -1");
    let e = Config::from_user_text(std::path::Path::new("u.toml"), &bad).unwrap_err();
    assert!(e.to_string().contains("max_sum"), "{e}");

    let bad = base.replace("season_start = \"11-01\"", "season_start = \"1.11.\"");
    let e = Config::from_user_text(std::path::Path::new("u.toml"), &bad).unwrap_err();
    assert!(e.to_string().contains("MM-DD"), "{e}");
}

#[test]
fn profiles_without_the_table_have_no_vouchers() {
    let c = Config::embedded();
    assert!(c.profiles["kotouttaminen"].voucher_settings().is_none());
    let mut p = c.profiles["ikaihmiset"].clone();
    p.vouchers.as_mut().unwrap().enabled = false;
    assert!(p.voucher_settings().is_none());
}

/// The document's words in a made-up language, so the test sees what the
/// PDF takes from the labels apart from what it takes from the config.
fn labels() -> pdf::PdfLabels {
    pdf::PdfLabels {
        title: "TITLE",
        number: "L-number",
        product: "L-product",
        max_sum: "L-max",
        issued: "L-issued",
        valid_until: "L-valid",
        recipient: "L-recipient",
        conditions: "L-conditions",
        shops: "L-shops",
        invoicing: "L-invoicing",
        signature: "L-signature",
        phone: "L-phone",
        business_id: "L-business-id",
        e_invoice_address: "L-ovt",
        e_invoice_operator: "L-operator",
        invoice_reference: "L-reference",
        place_date: "L-place-date",
        issuer_name: "L-issuer",
        shop_box: "L-shop-box",
        shop_date: "L-shop-date",
        shop_amount: "L-shop-amount",
        shop_receipt: "L-shop-receipt",
        shop_signature: "L-shop-signature",
        copy: "L-COPY",
        copy_note: "L-copy-note",
        money: |c| format!("{} EUR", c.0 / 100),
    }
}

/// A second language's words, as long as English ones get.
fn second_labels() -> pdf::PdfLabels {
    pdf::PdfLabels {
        title: "SECOND TITLE",
        number: "Second-language-number",
        product: "Second-language-product",
        max_sum: "Second-language-max",
        issued: "Second-language-issued",
        valid_until: "Second-language-valid",
        recipient: "Second-language-recipient",
        conditions: "Second-language-conditions",
        shops: "Second-language-shops",
        invoicing: "Second-language-invoicing",
        signature: "Second-language-signature",
        phone: "Second-language-phone",
        business_id: "Second-language-business-id",
        e_invoice_address: "Second-language-ovt",
        e_invoice_operator: "Second-language-operator",
        invoice_reference: "Second-language-reference",
        place_date: "Second-language-place-date",
        issuer_name: "Second-language-issuer",
        shop_box: "Second-language-shop-box",
        shop_date: "Second-language-shop-date",
        shop_amount: "Second-language-shop-amount",
        shop_receipt: "Second-language-shop-receipt",
        shop_signature: "Second-language-shop-signature",
        copy: "Second-language-COPY",
        copy_note: "Second-language-copy-note",
        money: |c| format!("{} EUR", c.0 / 100),
    }
}

/// The text of the one-page PDF.
fn pdf_text(c: &VoucherConfig, at: &pdf::Printing) -> String {
    let v = voucher(7, "nastakengat", "2023-11-14", Status::Issued);
    let bytes = pdf::render(&v, c, Lang::Fi, &labels(), None, at);
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    assert_eq!(doc.get_pages().len(), 1);
    doc.extract_text(&[1]).unwrap()
}

fn printing(copy: bool) -> pdf::Printing<'static> {
    pdf::Printing {
        recipient: None,
        issuer: None,
        place: None,
        date: d("2023-12-02"),
        copy,
    }
}

#[test]
fn the_pdf_carries_each_configured_field_and_leaves_out_empty_ones() {
    let mut c = cfg();
    c.contact_phone = "03 123 4567".into();
    c.business_id = "0123456-7".into();
    c.e_invoice_address = "003701234567".into();
    c.e_invoice_operator = "Välittäjä Oy".into();
    c.invoice_reference = "Kustannuspaikka 4410".into();
    c.shops = vec!["Kenkäkauppa Ässä".into()];
    c.issuer_name = "Maija Myöntäjä".into();
    c.issuer_place = "Heinola".into();
    let fields = [
        ("L-phone", "03 123 4567"),
        ("L-business-id", "0123456-7"),
        ("L-ovt", "003701234567"),
        ("L-operator", "Välittäjä Oy"),
        ("L-reference", "Kustannuspaikka 4410"),
        ("L-shops", "Kenkäkauppa Ässä"),
        ("L-issuer", "Maija Myöntäjä"),
    ];
    let text = pdf_text(&c, &printing(false));
    for (label, value) in fields {
        assert!(text.contains(label), "{label:?} not in:\n{text}");
        assert!(text.contains(value), "{value:?} not in:\n{text}");
    }
    // Place and the day of printing by the signature; the shop's box.
    for want in [
        "Heinola 2.12.2023",
        "L-shop-box",
        "L-shop-date",
        "L-shop-amount",
        "L-shop-receipt",
        "L-shop-signature",
        "LE-2023-007",
        "60 EUR",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    assert!(!text.contains("L-COPY"), "not a copy:\n{text}");

    // Typed at print time, the issuer and place win over the config's.
    let typed = pdf::Printing {
        issuer: Some("Teppo Tiskiläinen"),
        place: Some("Lahti"),
        ..printing(false)
    };
    let text = pdf_text(&c, &typed);
    assert!(text.contains("Teppo Tiskiläinen") && !text.contains("Maija"));
    assert!(text.contains("Lahti 2.12.2023") && !text.contains("Heinola 2.12"));

    // Empty, each is left out with its label (the invoicing text stays).
    for f in [
        &mut c.contact_phone,
        &mut c.business_id,
        &mut c.e_invoice_address,
        &mut c.e_invoice_operator,
        &mut c.invoice_reference,
        &mut c.issuer_name,
        &mut c.issuer_place,
    ] {
        f.clear();
    }
    c.shops.clear();
    let text = pdf_text(&c, &printing(false));
    for (label, value) in fields {
        if label != "L-issuer" {
            assert!(!text.contains(label), "{label:?} in:\n{text}");
        }
        assert!(!text.contains(value), "{value:?} in:\n{text}");
    }
    assert!(text.contains("L-invoicing") && text.contains("verkkolaskuna"));
    // No place: the date alone; no name: a line to write it on.
    assert!(text.contains("2.12.2023") && !text.contains("Heinola 2.12"));
    assert!(text.contains("L-issuer"), "{text}");
}

#[test]
fn a_copy_is_marked_so() {
    let text = pdf_text(&cfg(), &printing(true));
    assert!(
        text.matches("L-COPY").count() >= 2,
        "watermark and title:\n{text}"
    );
    assert!(text.contains("L-copy-note"), "{text}");
}

#[test]
fn a_used_cancelled_or_expired_voucher_prints_only_as_a_copy() {
    let today = d("2023-12-02");
    let issued = voucher(1, "liukuesteet", "2023-11-14", Status::Issued);
    assert!(!issued.needs_copy(today));
    assert_eq!(issued.check_print(today, false), Ok(()));
    assert_eq!(issued.check_print(today, true), Ok(()));
    for (v, status) in [
        (
            voucher(2, "liukuesteet", "2023-11-14", Status::Used),
            Status::Used,
        ),
        (
            voucher(3, "liukuesteet", "2023-11-14", Status::Cancelled),
            Status::Cancelled,
        ),
        (issued.clone(), Status::Expired),
    ] {
        let on = if status == Status::Expired {
            d("2024-03-01")
        } else {
            today
        };
        assert!(v.needs_copy(on), "{status:?}");
        assert_eq!(
            v.check_print(on, false),
            Err(VoucherError::CopyNeeded {
                number: v.number.clone(),
                status,
            })
        );
        assert_eq!(v.check_print(on, true), Ok(()));
    }
}

#[test]
fn everything_fits_on_the_one_page_with_every_field_and_a_few_shops() {
    let mut c = cfg();
    c.contact_phone = "03 123 4567".into();
    c.business_id = "0123456-7".into();
    c.e_invoice_address = "003701234567".into();
    c.e_invoice_operator = "Välittäjä Oy (003712345678)".into();
    c.invoice_reference = "Kustannuspaikka 4410".into();
    c.shops = (1..=4)
        .map(|i| format!("Kenkäkauppa {i}, Kauppakatu {i}"))
        .collect();
    let v = voucher(7, "nastakengat", "2023-11-14", Status::Used);
    let bottom = pdf::lowest(&v, &c, Lang::Fi, &labels(), None, &printing(true));
    assert!(
        bottom > 36.0,
        "the text reaches {bottom} pt from the bottom"
    );
}

/// A second language puts its words beside the Finnish ones, and the page
/// still holds everything, every field set (issue 26, item 7).
#[test]
fn a_second_language_stands_beside_the_first_and_all_fits_on_the_page() {
    let mut c = cfg();
    c.contact_phone = "03 123 4567".into();
    c.business_id = "0123456-7".into();
    c.e_invoice_address = "003701234567".into();
    c.e_invoice_operator = "Välittäjä Oy (003712345678)".into();
    c.invoice_reference = "Kustannuspaikka 4410".into();
    c.shops = (1..=4)
        .map(|i| format!("Kenkäkauppa {i}, Kauppakatu {i}"))
        .collect();
    let v = voucher(7, "nastakengat", "2023-11-14", Status::Used);
    let (first, second) = (labels(), second_labels());
    let bottom = pdf::lowest(&v, &c, Lang::Fi, &first, Some(&second), &printing(true));
    assert!(
        bottom > 36.0,
        "the text reaches {bottom} pt from the bottom"
    );
    let bytes = pdf::render(&v, &c, Lang::Fi, &first, Some(&second), &printing(false));
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    assert_eq!(doc.get_pages().len(), 1);
    let text = doc.extract_text(&[1]).unwrap();
    for want in [
        "TITLE / SECOND TITLE",
        "L-valid / Second-language-valid",
        "L-ovt / Second-language-ovt",
        "L-shop-date / Second-language-shop-date",
        "29.2.2024",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
}

//! Finnish voucher texts.

use super::VoucherTexts;
use crate::i18n::fi::Fi;
use crate::locale::Lang;
use crate::platform::{PRINT_COMMAND, PrintFailure};
use crate::voucher::config::{Invoicing, VoucherConfigProblem};
use crate::voucher::pdf::PdfLabels;
use crate::voucher::summary::Counts;
use crate::voucher::{Cents, Status, VoucherError};

impl VoucherTexts for Fi {
    fn voucher_header(&self, season: &str, n: u32) -> String {
        let season = crate::locale::years_span(season);
        format!("Sitoumuksia tällä kaudella ({season}): {n}")
    }
    fn tally_vouchers(&self, today: u32, season: u32) -> String {
        format!("Sitoumuksia tänään {today} (kausi {season})")
    }
    fn voucher_header_keys(&self) -> &'static str {
        "v uusi sitoumus · m rekisteri"
    }
    fn visit_voucher(&self, number: &str) -> String {
        format!(" · maksusitoumus {number} (mitätöidään samalla)")
    }
    fn voucher_not_enabled(&self) -> &'static str {
        "Tässä profiilissa ei ole maksusitoumuksia käytössä."
    }
    fn voucher_not_while_editing(&self) -> &'static str {
        "Lopeta ensin käynnin muokkaus (Enter tallentaa, Esc peruu)."
    }

    fn voucher_form_title(&self) -> &'static str {
        "Maksusitoumus"
    }
    fn voucher_product(&self) -> &'static str {
        "Tuote"
    }
    fn voucher_max(&self, sum: &str) -> String {
        format!("enint. {sum}")
    }
    fn voucher_birth_year(&self) -> &'static str {
        "Syntymävuosi (vapaaehtoinen)"
    }
    fn voucher_dup_check(&self) -> &'static str {
        "Onko jo saanut tällä kaudella? (tarkistus, ei tallennu):"
    }
    fn voucher_name(&self) -> &'static str {
        "Nimi"
    }
    fn voucher_birth_date(&self) -> &'static str {
        "Syntymäaika (pp.kk.vvvv)"
    }
    fn voucher_choose_product(&self, n: usize) -> String {
        format!("Valitse ensin tuote (1–{n}).")
    }
    fn voucher_age_warning(&self, age: i32, min: u32) -> String {
        format!("Täyttää tänä vuonna {age} (raja {min}): tarkista oikeus. Ei estä.")
    }
    fn voucher_out_of_season(&self, start: &str) -> String {
        format!("Kausi alkaa {start}; sitoumus kuuluu tulevaan kauteen.")
    }
    fn voucher_duplicate(&self, numbers: &str) -> String {
        format!("Tällä kaudella jo myönnetty: {numbers}")
    }
    fn voucher_form_cancelled(&self) -> &'static str {
        "Maksusitoumusta ei myönnetty; mitään ei tallennettu."
    }
    fn voucher_duplicate_keys(&self) -> &'static str {
        "Enter myönnä silti · Esc takaisin"
    }
    fn voucher_issued_title(&self) -> &'static str {
        "Maksusitoumus myönnetty"
    }
    fn voucher_issued(&self, number: &str, valid_until: &str) -> String {
        format!("{number} myönnetty, voimassa {valid_until} asti")
    }
    fn voucher_issued_footer(&self) -> &'static str {
        "p tulosta · muu näppäin sulkee"
    }

    fn register_title(&self, season: &str, profile: &str) -> String {
        let season = crate::locale::years_span(season);
        format!("Maksusitoumukset · kausi {season} · {profile}")
    }
    fn register_counts(&self, c: &Counts) -> String {
        format!(
            "Myönnetty {} (voimassa {}, käytetty {}, vanhentunut {}) · mitätöity {}",
            c.issued, c.outstanding, c.used, c.expired, c.cancelled
        )
    }
    fn invoiced(&self, sum: &str) -> String {
        format!("Laskutettu {sum}")
    }
    fn register_filter(&self, shown: &str) -> String {
        format!("Näytetään: {shown} (f vaihtaa)")
    }
    fn filter_all(&self) -> &'static str {
        "kaikki"
    }
    fn status_label(&self, s: Status) -> &'static str {
        match s {
            Status::Issued => "voimassa",
            Status::Used => "käytetty",
            Status::Cancelled => "mitätöity",
            Status::Expired => "vanhentunut",
        }
    }
    fn register_columns(&self) -> [&'static str; 6] {
        [
            "Numero",
            "Tuote",
            "Myönnetty",
            "Voimassa asti",
            "Tila",
            "Summa",
        ]
    }
    fn voucher_csv_columns(&self) -> [&'static str; 6] {
        [
            "Profiili",
            "Käytetty",
            "Kauppa",
            "Mitätöity",
            "Mitätöinnin syy",
            "Syntymävuosi",
        ]
    }
    fn register_none_with(&self, status: Status) -> &'static str {
        match status {
            Status::Issued => "Ei voimassa olevia sitoumuksia.",
            Status::Used => "Ei käytettyjä sitoumuksia.",
            Status::Cancelled => "Ei mitätöityjä sitoumuksia.",
            Status::Expired => "Ei vanhentuneita sitoumuksia.",
        }
    }
    fn register_no_match(&self, search: &str) -> String {
        format!("Haulla ”{search}” ei löydy sitoumuksia.")
    }
    fn register_search(&self, search: &str) -> String {
        format!("haku: ”{search}”")
    }
    fn register_empty(&self) -> &'static str {
        "Ei sitoumuksia tällä kaudella."
    }
    fn undo_reason_label(&self) -> &'static str {
        "käynti kumottu"
    }
    fn use_title(&self, number: &str) -> String {
        format!("Merkitse käytetyksi {number}")
    }
    fn use_amount(&self, max: &str) -> String {
        format!("Laskutettu summa € (enint. {max})")
    }
    fn use_date(&self) -> &'static str {
        "Laskun päivä (pp.kk.vvvv)"
    }
    fn use_shop(&self) -> &'static str {
        "Liike (vapaaehtoinen)"
    }
    fn cancel_title(&self, number: &str) -> String {
        format!("Mitätöi {number}")
    }
    fn cancel_reason(&self) -> &'static str {
        "Syy (pakollinen)"
    }
    fn print_title(&self, number: &str) -> String {
        format!("Tulosta: {number}")
    }
    fn print_name(&self) -> &'static str {
        "Vastaanottajan nimi (vapaaehtoinen; tulostetaan, ei tallenneta)"
    }
    fn voucher_used(&self, number: &str, amount: &str) -> String {
        format!("{number} merkitty käytetyksi: {amount}")
    }
    fn voucher_cancelled(&self, number: &str) -> String {
        format!("{number} mitätöity; numeroa ei käytetä uudelleen")
    }
    fn invoicing_missing(&self, profile: &str, missing: &[Invoicing]) -> String {
        let names: Vec<&str> = missing
            .iter()
            .map(|m| match m {
                Invoicing::BusinessId => "Y-tunnus (business_id)",
                Invoicing::EInvoiceAddress => "verkkolaskuosoite (e_invoice_address)",
                Invoicing::EInvoiceOperator => "välittäjä (e_invoice_operator)",
            })
            .collect();
        format!(
            "huom: sitoumuksesta puuttuvat laskutustiedot, joilla kauppa laskuttaa kaupunkia: {}. Lisää ne asetuksiin kohtaan [profiles.{profile}.vouchers].",
            names.join(", ")
        )
    }
    fn invoicing_missing_short(&self, missing: &[Invoicing]) -> String {
        let names: Vec<&str> = missing
            .iter()
            .map(|m| match m {
                Invoicing::BusinessId => "Y-tunnus",
                Invoicing::EInvoiceAddress => "verkkolaskuosoite",
                Invoicing::EInvoiceOperator => "välittäjä",
            })
            .collect();
        format!(
            "Huom: laskutustiedot puuttuvat asetuksista ({}); tiski doctor kertoo lisää.",
            names.join(", ")
        )
    }
    fn voucher_printed(&self, path: &str) -> String {
        format!(
            "Maksusitoumus kirjoitettu tiedostoon {path}. Tulosta se; jos siinä on nimi, poista tiedosto tulostuksen jälkeen."
        )
    }
    fn print_issuer(&self) -> &'static str {
        "Myöntäjän nimi (allekirjoituksen alle)"
    }
    fn print_place(&self) -> &'static str {
        "Paikka (päiväyksen eteen)"
    }
    fn print_where(&self, printer: bool, copy: bool) -> String {
        let mut s = String::from(if printer {
            "Tallennetaan PDF-tiedostoksi ja lähetetään oletustulostimelle."
        } else {
            "Tallennetaan PDF-tiedostoksi."
        });
        if copy {
            s.push_str(" Asiakirjaan merkitään KOPIO.");
        }
        s
    }
    fn print_copy_question(&self, number: &str, status: Status) -> String {
        format!(
            "{number} on {}. Tulostetaanko kopio? Siihen merkitään KOPIO.",
            self.status_label(status)
        )
    }
    fn print_not_copied(&self) -> &'static str {
        "Kopiota ei tulostettu."
    }
    fn voucher_sent_to_printer(&self, path: &str) -> String {
        format!(
            "Maksusitoumus kirjoitettu tiedostoon {path} ja lähetetty oletustulostimelle ({}).",
            PRINT_COMMAND
        )
    }
    fn print_saved_short(&self, path: &str, named: bool) -> String {
        let tail = if named {
            " – nimi: poista tulostettuasi"
        } else {
            ""
        };
        format!("Tallennettu: {path}{tail}")
    }
    fn print_sent_short(&self, path: &str, named: bool) -> String {
        let tail = if named { " – nimi: poista" } else { "" };
        format!("Lähetetty tulostimelle, tiedosto {path}{tail}")
    }
    fn print_failed_short(&self, failure: &PrintFailure, path: &str) -> String {
        let cmd = PRINT_COMMAND;
        match failure {
            PrintFailure::Missing => format!("Ei tulostettu: {cmd} puuttuu. Tiedosto {path}"),
            PrintFailure::CannotRun(_) => {
                format!("Ei tulostettu: {PRINT_COMMAND} ei käynnisty. Tiedosto {path}")
            }
            PrintFailure::Refused(said) => {
                format!(
                    "Ei tulostettu ({cmd}: {}). Tiedosto {path}",
                    super::short_said(said)
                )
            }
        }
    }

    fn summary_heading(&self, season: &str, start: &str, end: &str) -> String {
        let season = crate::locale::years_span(season);
        format!("Maksusitoumukset, kausi {season} ({start}–{end})")
    }
    fn summary_columns(&self) -> [&'static str; 5] {
        ["myönn.", "käyt.", "mität.", "vanh.", "laskutettu"]
    }
    fn total(&self) -> &'static str {
        "Yhteensä"
    }
    fn by_product(&self) -> &'static str {
        "Tuotteittain"
    }
    fn by_week(&self) -> &'static str {
        "Myönnetyt viikoittain"
    }
    fn earlier_seasons(&self) -> &'static str {
        "Aiemmat kaudet tiskissä"
    }
    fn before_tiski(&self) -> &'static str {
        "Ennen tiskiä (asetuksista)"
    }
    fn vouchers_word(&self) -> &'static str {
        "maksusitoumusta"
    }
    fn purged(&self, n: u32, before: &str) -> String {
        format!(
            "Poistettu syntymävuodet ja tarkistustiivisteet {n} maksusitoumuksesta, joiden kausi päättyi ennen {before}. Määrät säilyvät."
        )
    }
    fn money(&self, c: Cents) -> String {
        format!("{},{:02} €", c.0 / 100, c.0 % 100)
    }
    fn pdf_labels(&self) -> PdfLabels {
        PdfLabels {
            title: "MAKSUSITOUMUS",
            number: "Numero",
            product: "Tuote",
            max_sum: "Enimmäissumma",
            issued: "Myönnetty",
            valid_until: "Voimassa asti",
            recipient: "Vastaanottaja",
            conditions: "Ehdot",
            shops: "Hyväksytyt liikkeet",
            invoicing: "Laskutusohjeet",
            signature: "Myöntäjän allekirjoitus",
            phone: "Puh.",
            business_id: "Y-tunnus",
            e_invoice_address: "Verkkolaskuosoite (OVT)",
            e_invoice_operator: "Välittäjä",
            invoice_reference: "Viite laskulle",
            place_date: "Paikka ja päivämäärä",
            issuer_name: "Nimen selvennys",
            shop_box: "Liike täyttää",
            shop_date: "Ostopäivä",
            shop_amount: "Summa €",
            shop_receipt: "Kuitin numero",
            shop_signature: "Myyjän allekirjoitus",
            copy: "KOPIO",
            copy_note: "KOPIO – ei kelpaa uuteen ostoon.",
            money: |c| Fi.money(c),
        }
    }

    fn voucher_error(&self, e: &VoucherError) -> String {
        let d = |x: &chrono::NaiveDate| crate::locale::date(*x, Lang::Fi);
        match e {
            VoucherError::UnknownNumber { number } => {
                format!("maksusitoumusta \"{number}\" ei ole. Tarkista numero (esim. LE-2023-001).")
            }
            VoucherError::AlreadyUsed { number, on } => match on {
                Some(on) => format!(
                    "maksusitoumus {number} on jo käytetty ({}). Mitään ei muutettu.",
                    d(on)
                ),
                None => format!("maksusitoumus {number} on jo käytetty. Mitään ei muutettu."),
            },
            VoucherError::UseCancelled { number } => {
                format!("maksusitoumus {number} on mitätöity eikä sitä voi käyttää. Mitään ei muutettu.")
            }
            VoucherError::VisitOfUsedVoucher { number } => format!(
                "käyntiä ei poisteta: maksusitoumus {number} on jo käytetty (rekisteri m)"
            ),
            VoucherError::CancelUsed { number } => format!(
                "maksusitoumus {number} on jo käytetty, joten sitä ei voi mitätöidä. Mitään ei muutettu."
            ),
            VoucherError::AlreadyCancelled { number } => {
                format!("maksusitoumus {number} on jo mitätöity. Mitään ei muutettu.")
            }
            VoucherError::CopyNeeded { number, status } => format!(
                "maksusitoumus {number} on {}, joten se tulostetaan vain kopiona. Lisää --copy, niin asiakirjaan merkitään KOPIO.",
                self.status_label(*status)
            ),
            VoucherError::ReasonRequired { number } => {
                format!("anna maksusitoumuksen {number} mitätöinnin syy")
            }
            VoucherError::AmountTooHigh {
                number,
                amount,
                max,
            } => format!(
                "summa {} ylittää maksusitoumuksen {number} enimmäissumman {}. Mitään ei muutettu.",
                self.money(*amount),
                self.money(*max)
            ),
            VoucherError::AmountNotPositive { number } => {
                format!("maksusitoumuksen {number} summan pitää olla yli 0 €")
            }
            VoucherError::BadAmount { value } => {
                format!("summa \"{value}\" ei kelpaa: anna euroina, esim. 24,90")
            }
            VoucherError::UsedBeforeIssue {
                number,
                date,
                issued,
            } => format!(
                "maksusitoumusta {number} ei voi käyttää {} ennen myöntämistä ({})",
                d(date),
                d(issued)
            ),
            VoucherError::BadBirthYear { value, max } => format!(
                "syntymävuosi \"{value}\" on mahdoton: anna vuosi {}–{max}",
                crate::voucher::MIN_BIRTH_YEAR
            ),
            VoucherError::BadBirthDate => {
                "syntymäaika ei kelpaa: käytä muotoa pp.kk.vvvv, esim. 14.02.1948 tai 14.2.1948".into()
            }
            VoucherError::IdentityIncomplete => {
                "kaksoiskappaleen tarkistukseen tarvitaan sekä nimi että syntymäaika".into()
            }
            VoucherError::UnknownProduct { key, valid } => {
                format!("tuntematon tuote \"{key}\". Vaihtoehdot: {valid}")
            }
            VoucherError::NotEnabled { profile } => {
                format!("profiilissa \"{profile}\" ei ole maksusitoumuksia käytössä")
            }
            VoucherError::NoVoucherProfile => {
                "yhdessäkään profiilissa ei ole maksusitoumuksia käytössä".into()
            }
            VoucherError::BadSeason { value } => format!(
                "kausi \"{value}\" ei kelpaa: käytä muotoa 2023-2024 tai aloitusvuotta 2023"
            ),
            VoucherError::Key { path, reason } => format!(
                "tarkistusavaimen tiedosto {} ei kelpaa: {reason}",
                path.display(),
                reason = crate::i18n::fi::cause(reason)
            ),
            VoucherError::PurgeIncomplete { cleared } => format!(
                "{cleared} maksusitoumuksen tiedot poistettiin, mutta vanhoja kopioita voi olla vielä tiedostossa, koska toinen tiski on auki. Sulje muut tiskit ja aja purge uudelleen."
            ),
            VoucherError::PurgeBusy => {
                "tietokanta on toisen tiskin käytössä; sulje muut tiskit ja yritä uudelleen. Mitään ei poistettu.".into()
            }
        }
    }
    fn voucher_config_problem(&self, profile: &str, p: &VoucherConfigProblem) -> String {
        let what = match p {
            VoucherConfigProblem::NoProducts => "yhtään käytössä olevaa tuotetta ei ole".into(),
            VoucherConfigProblem::UnknownTopic(t) => {
                format!("aihetta \"{t}\" (topic) ei ole profiilin aiheissa")
            }
            VoucherConfigProblem::BadPrefix(p) => {
                format!("etuliite \"{p}\" ei kelpaa (1–6 merkkiä A–Z tai 0–9)")
            }
            VoucherConfigProblem::BadDigits(n) => {
                format!("number_digits = {n} ei kelpaa (1–6)")
            }
        };
        format!("profiilin \"{profile}\" maksusitoumuksissa {what}")
    }
}

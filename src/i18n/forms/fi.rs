//! Finnish words of the text fields and forms.

use super::FormTexts;
use crate::i18n::fi::Fi;
use crate::text::clean;
use crate::text::input::Filter;

impl FormTexts for Fi {
    fn field_refuses(&self, c: char, filter: Filter) -> String {
        let takes = match filter {
            Filter::Line => "yhden rivin tekstiä",
            Filter::Name => "kirjaimia, välilyöntejä ja väliviivoja",
            Filter::Digits => "vain numeroita",
            Filter::Time => "kellonajan, esim. 10.05",
            Filter::Date => "päivämäärän, esim. 14.2.1948 tai 1948-02-14",
            Filter::Period => "kaksi päivää, esim. 1.1.2023–30.6.2023",
            Filter::Money => "summan euroina, esim. 24,90",
        };
        format!(
            "”{}” ei sovi tähän kenttään: se ottaa {takes}.",
            clean(&c.to_string())
        )
    }
    fn field_full(&self, limit: usize) -> String {
        format!("Kenttä on täynnä: siihen mahtuu {limit} merkkiä.")
    }
    fn paste_only_into_field(&self) -> &'static str {
        "Liitetty teksti ohitettiin: liittäminen toimii vain tekstikenttään (esim. huomio, n)."
    }
    fn paste_left_out(&self, chars: usize) -> String {
        format!(
            "Liitetystä tekstistä jäi pois {chars} merkkiä, jotka eivät sovi tai mahdu kenttään."
        )
    }
    fn voucher_compared(&self, name: &str, date: &str) -> String {
        format!("Tarkistus vertaa: {name} · {date}")
    }
    fn print_recipient(&self) -> &'static str {
        "Vastaanottaja"
    }
    fn print_verb(&self) -> &'static str {
        "tulosta"
    }
    fn cancel_verb(&self) -> &'static str {
        "mitätöi"
    }
    fn sticky_kept(&self) -> &'static str {
        "(pysyy)"
    }
}

//! The `[profiles.ID.vouchers]` table: products, numbering, season,
//! document texts and earlier seasons' figures, with its validation.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Cents, Season};
use crate::locale::Lang;

/// Voucher settings of a profile. The table's presence turns vouchers on
/// unless `enabled = false`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoucherConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// The visit topic set automatically when a voucher is issued.
    pub topic: String,
    /// Number prefix: `LE` gives `LE-2023-001`.
    #[serde(default = "default_prefix")]
    pub prefix: String,
    /// Digits of the running number (zero-padded; more when needed).
    #[serde(default = "default_digits")]
    pub number_digits: u32,
    /// First day of the season, `MM-DD`.
    #[serde(default = "default_start")]
    pub season_start: MonthDay,
    /// Last day of the season, `MM-DD`; a day past the month's end means
    /// its last day (`02-29` is 28.2. in common years).
    #[serde(default = "default_end")]
    pub season_end: MonthDay,
    /// Below this age (by birth year) the form warns; it does not block.
    #[serde(default = "default_min_age")]
    pub min_age: u32,
    /// Printed at the top of the document.
    pub issuing_unit: String,
    /// The issuing unit's contact phone, printed under it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub contact_phone: String,
    /// Printed for the shop: where and how to invoice.
    pub invoicing: String,
    /// The city's business ID (Y-tunnus), for the invoice.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub business_id: String,
    /// The city's e-invoice address (OVT, e.g. `003701234567`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub e_invoice_address: String,
    /// The e-invoice operator, with its code.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub e_invoice_operator: String,
    /// A cost centre or reference the shop quotes on the invoice.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub invoice_reference: String,
    /// The commitment is in Finnish, for the shop; a second language
    /// (`"en"`) puts its words beside the Finnish ones (`Numero / Number`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_language: Option<crate::locale::Lang>,
    /// The issuer's name by the signature, unless one is typed at print
    /// time (left blank for a hand-written one when neither is given).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub issuer_name: String,
    /// The place before the date by the signature, unless typed at print
    /// time.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub issuer_place: String,
    /// Printed conditions, one per line.
    #[serde(default)]
    pub conditions: Vec<String>,
    /// Accepted shops, printed when given.
    #[serde(default)]
    pub shops: Vec<String>,
    pub products: Vec<Product>,
    /// Figures from seasons before tiski, for the season summary.
    #[serde(default)]
    pub history: Vec<HistoryFigure>,
}

fn yes() -> bool {
    true
}
fn default_prefix() -> String {
    "LE".into()
}
fn default_digits() -> u32 {
    3
}
fn default_start() -> MonthDay {
    MonthDay { month: 11, day: 1 }
}
fn default_end() -> MonthDay {
    MonthDay { month: 2, day: 29 }
}
fn default_min_age() -> u32 {
    65
}

/// A product a voucher can be written for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub key: String,
    pub fi: String,
    pub en: String,
    /// Maximum sum in euros, e.g. `25` or `24.90`.
    #[serde(with = "euros")]
    pub max_sum: Cents,
    /// Retired products are not offered but still label old vouchers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retired: bool,
}

impl Product {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fi => &self.fi,
            Lang::En => &self.en,
        }
    }
}

/// A figure from a season before tiski, e.g. 429 hand-outs in 2022.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryFigure {
    /// The season's start year.
    pub season: i32,
    pub count: u32,
    pub fi: String,
    pub en: String,
}

impl HistoryFigure {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fi => &self.fi,
            Lang::En => &self.en,
        }
    }
}

/// A day of the year, `MM-DD` in the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

impl TryFrom<String> for MonthDay {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        let bad = || format!("expected a day as \"MM-DD\", e.g. \"11-01\", found {s:?}");
        let (m, d) = s.split_once('-').ok_or_else(bad)?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        let day: u32 = d.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return Err(bad());
        }
        Ok(MonthDay { month, day })
    }
}

impl From<MonthDay> for String {
    fn from(m: MonthDay) -> String {
        format!("{:02}-{:02}", m.month, m.day)
    }
}

impl MonthDay {
    /// This day in `year`, clamped to the month's last day (leap years).
    pub fn in_year(self, year: i32) -> NaiveDate {
        (1..=self.day)
            .rev()
            .find_map(|d| NaiveDate::from_ymd_opt(year, self.month, d))
            .expect("every month has a first day")
    }
}

mod euros {
    use super::Cents;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(c: &Cents, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(c.euros())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Cents, D::Error> {
        let e = f64::deserialize(d)?;
        if !e.is_finite() || e <= 0.0 || e > 100_000.0 {
            return Err(serde::de::Error::custom(format!(
                "max_sum must be a sum in euros above zero, found {e}"
            )));
        }
        Ok(Cents::from_euros(e))
    }
}

/// A voucher table problem; `i18n` words it for users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VoucherConfigProblem {
    #[error("no active product")]
    NoProducts,
    /// The auto-set topic is not a topic of the profile.
    #[error("topic {0:?} is not one of the profile's topics")]
    UnknownTopic(String),
    #[error("prefix {0:?} is not 1-6 characters A-Z or 0-9")]
    BadPrefix(String),
    #[error("number_digits = {0} is not 1-6")]
    BadDigits(u32),
}

/// An invoicing detail the shop needs on the commitment to invoice the
/// city; the embedded defaults leave them empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invoicing {
    BusinessId,
    EInvoiceAddress,
    EInvoiceOperator,
}

impl VoucherConfig {
    /// The invoicing details still empty in the config: `tiski doctor` and
    /// each print say so.
    pub fn missing_invoicing(&self) -> Vec<Invoicing> {
        [
            (Invoicing::BusinessId, &self.business_id),
            (Invoicing::EInvoiceAddress, &self.e_invoice_address),
            (Invoicing::EInvoiceOperator, &self.e_invoice_operator),
        ]
        .into_iter()
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(k, _)| k)
        .collect()
    }

    /// Products offered on the form, in configured order.
    pub fn active_products(&self) -> impl Iterator<Item = &Product> {
        self.products.iter().filter(|p| !p.retired)
    }

    pub fn product(&self, key: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.key == key)
    }

    pub fn product_label<'a>(&'a self, key: &'a str, lang: Lang) -> &'a str {
        self.product(key).map_or(key, |p| p.label(lang))
    }

    fn wraps(&self) -> bool {
        (self.season_end.month, self.season_end.day)
            < (self.season_start.month, self.season_start.day)
    }

    pub fn season_start(&self, s: Season) -> NaiveDate {
        self.season_start.in_year(s.0)
    }

    /// The season's last day; vouchers are valid until then.
    pub fn season_end(&self, s: Season) -> NaiveDate {
        let year = if self.wraps() { s.0 + 1 } else { s.0 };
        self.season_end.in_year(year)
    }

    /// The season a voucher written on `d` belongs to: the first one that
    /// has not ended by then.
    pub fn season_of(&self, d: NaiveDate) -> Season {
        (d.year() - 1..=d.year() + 1)
            .map(Season)
            .find(|s| self.season_end(*s) >= d)
            .unwrap_or(Season(d.year() + 1))
    }

    /// Whether `d` lies inside its season (not in the gap before it).
    pub fn in_season(&self, d: NaiveDate) -> bool {
        d >= self.season_start(self.season_of(d))
    }

    /// `LE-2023-001`.
    pub fn number(&self, season: Season, seq: u32) -> String {
        let w = self.number_digits as usize;
        format!("{}-{}-{seq:0w$}", self.prefix, season.0)
    }

    /// Checks what serde cannot, given which topic keys the profile has;
    /// returns the problem and a snippet of the file that locates it.
    pub fn validate(
        &self,
        has_topic: impl Fn(&str) -> bool,
    ) -> Result<(), (VoucherConfigProblem, String)> {
        let fail = |problem, needle: String| Err((problem, needle));
        if self.active_products().next().is_none() {
            return fail(VoucherConfigProblem::NoProducts, "products".into());
        }
        if !has_topic(&self.topic) {
            return fail(
                VoucherConfigProblem::UnknownTopic(self.topic.clone()),
                format!("topic = \"{}\"", self.topic),
            );
        }
        // The prefix is shown in large type, which has glyphs for A–Z, 0–9.
        let p = &self.prefix;
        if p.is_empty()
            || p.len() > 6
            || !p
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            return fail(
                VoucherConfigProblem::BadPrefix(p.clone()),
                format!("prefix = \"{p}\""),
            );
        }
        if !(1..=6).contains(&self.number_digits) {
            return fail(
                VoucherConfigProblem::BadDigits(self.number_digits),
                "number_digits".into(),
            );
        }
        Ok(())
    }
}

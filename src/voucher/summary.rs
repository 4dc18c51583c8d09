//! The season summary, pure: issued per product, used, cancelled, expired,
//! euros invoiced, issued per week, and earlier seasons for comparison.
//! One function feeds the CLI text, its JSON and the register view.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::{Cents, Season, Status, Voucher, VoucherConfig};

/// Counts for one product or for the whole season.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Vouchers issued and not cancelled: in force, used or expired. A
    /// cancelled one (a mistake, re-issued) was never a commitment, so it
    /// is counted apart, as everywhere else (duty header, tally, report).
    pub issued: u32,
    /// Issued and still valid.
    pub outstanding: u32,
    pub used: u32,
    pub cancelled: u32,
    pub expired: u32,
    /// Sum of the used vouchers' invoiced amounts, in euros.
    #[serde(rename = "invoiced_eur")]
    pub invoiced: Cents,
}

impl Counts {
    /// The counts of `vouchers` as of `today`.
    pub fn of<'a>(vouchers: impl IntoIterator<Item = &'a Voucher>, today: NaiveDate) -> Counts {
        let mut c = Counts::default();
        for v in vouchers {
            c.add(v, today);
        }
        c
    }

    fn add(&mut self, v: &Voucher, today: NaiveDate) {
        let status = v.status(today);
        if status != Status::Cancelled {
            self.issued += 1;
        }
        match status {
            Status::Issued => self.outstanding += 1,
            Status::Used => {
                self.used += 1;
                self.invoiced.0 += v.used_amount.map_or(0, |c| c.0);
            }
            Status::Cancelled => self.cancelled += 1,
            Status::Expired => self.expired += 1,
        }
    }
}

/// An earlier season, from the database or from the config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Earlier {
    pub season: String,
    pub count: u32,
    /// What was counted: "vouchers" for seasons in tiski, else the
    /// config's label.
    pub what: String,
}

/// One season's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeasonSummary {
    pub season: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    #[serde(flatten)]
    pub total: Counts,
    /// Product key → counts.
    pub products: BTreeMap<String, Counts>,
    /// ISO week (`2023-W46`) → vouchers issued that week (not cancelled).
    pub weeks: BTreeMap<String, u32>,
    /// Seasons before this one held in the database, oldest first.
    pub earlier_seasons: Vec<Earlier>,
    /// Figures typed into the config for seasons before tiski.
    pub before_tiski: Vec<Earlier>,
}

impl SeasonSummary {
    /// Summarises `vouchers` of `season` as of `today`. `earlier` holds
    /// vouchers written per earlier season in the database; their rows are
    /// labelled `vouchers_word`, the config's figures in `lang`.
    pub fn build(
        cfg: &VoucherConfig,
        season: Season,
        vouchers: &[Voucher],
        today: NaiveDate,
        earlier: &BTreeMap<Season, u32>,
        lang: crate::locale::Lang,
        vouchers_word: &str,
    ) -> SeasonSummary {
        let mut s = SeasonSummary {
            season: season.label(cfg),
            start: cfg.season_start(season),
            end: cfg.season_end(season),
            total: Counts::default(),
            products: BTreeMap::new(),
            weeks: BTreeMap::new(),
            earlier_seasons: Vec::new(),
            before_tiski: Vec::new(),
        };
        for v in vouchers.iter().filter(|v| v.season == season) {
            s.total.add(v, today);
            s.products
                .entry(v.product.clone())
                .or_default()
                .add(v, today);
            if v.status(today) == Status::Cancelled {
                continue;
            }
            let w = v.issued_on().iso_week();
            *s.weeks
                .entry(format!("{}-W{:02}", w.year(), w.week()))
                .or_default() += 1;
        }
        s.earlier_seasons = earlier
            .iter()
            .filter(|(k, _)| **k < season)
            .map(|(k, n)| Earlier {
                season: k.label(cfg),
                count: *n,
                what: vouchers_word.to_string(),
            })
            .collect();
        let mut history: Vec<_> = cfg.history.iter().filter(|h| h.season < season.0).collect();
        history.sort_by_key(|h| h.season);
        s.before_tiski = history
            .into_iter()
            .map(|h| Earlier {
                season: Season(h.season).label(cfg),
                count: h.count,
                what: h.label(lang).to_string(),
            })
            .collect();
        s
    }
}

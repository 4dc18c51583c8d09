//! `tiski demo`: fills an empty database with realistic synthetic history,
//! to try the app and to load-test it (`tiski bench` builds its databases
//! with it).
//!
//! The history follows the desks' real rhythm: the elderly desk every other
//! Tuesday 10–12 at the library (at Spot while the library is renovated),
//! the integration desk weekly on Wednesdays at the HeiMo café. Topics,
//! referrals and field values come from each profile's configured lists
//! with a skewed (Zipf-like) popularity; anti-slip devices peak in the
//! November–February season; some sessions see nobody. When more visits
//! are asked for than one desk per profile would see, the city gets more
//! desks: extra sessions on the other weekdays and places, so a session
//! keeps a realistic number of visitors.
//!
//! The generator is deterministic: the same options give the same history.
//! It draws from a small inline PRNG (SplitMix64) rather than a crate:
//! statistical quality is beside the point here, and the sequence must
//! never change under us with a dependency update.

mod events;

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use crate::config::{Config, Profile};
use crate::domain::VisitEntry;
use crate::store::{HistorySession, HistoryVoucher, Store};
use crate::voucher::{Cents, Season, VoucherConfig};

/// The seed `tiski demo` uses.
pub const DEFAULT_SEED: u64 = 0x0077_15C1_2023;

/// Settings that record what a demo load asked for (the benchmark reuses a
/// database only if they match).
pub const SETTING_VISITS: &str = "demo.visits";
pub const SETTING_YEARS: &str = "demo.years";
/// What kind of history the generator writes; `2` has vouchers, `3`
/// events and groups too.
pub const SETTING_FORMAT: &str = "demo.format";
pub const FORMAT: &str = "3";

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOptions {
    /// Visits in all, exactly.
    pub visits: u64,
    /// Years of history, ending the day before `today`.
    pub years: u32,
    /// The history covers the days before this one; today is left for the
    /// user (and the benchmark) to log.
    pub today: NaiveDate,
    pub seed: u64,
}

/// What was generated, per profile and in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
    pub sessions: u64,
    pub empty_sessions: u64,
    pub visits: u64,
    /// Anti-slip vouchers written in the visits.
    pub vouchers: u64,
    /// Events and groups of the profiles that keep them.
    pub events: u64,
    pub groups: u64,
    /// Parallel desks per profile needed to hold the visits.
    pub desks: u32,
    /// Profile id, sessions, visits.
    pub profiles: Vec<(String, u64, u64)>,
}

/// One desk's rhythm.
#[derive(Debug, Clone, Copy)]
struct Rota {
    /// 0 = Monday.
    weekday: u32,
    every_weeks: u32,
    start_hour: u32,
    hours: u32,
    /// Mean visitors in a session where somebody came.
    mean: f64,
    /// Share of sessions that see nobody.
    zero_share: f64,
}

fn rota(profile: &str, index: usize) -> Rota {
    match profile {
        // "every other Tuesday 10–12"; 5.3 is the report's mean.
        "ikaihmiset" => Rota {
            weekday: 1,
            every_weeks: 2,
            start_hour: 10,
            hours: 2,
            mean: 5.3,
            zero_share: 0.06,
        },
        "kotouttaminen" => Rota {
            weekday: 2,
            every_weeks: 1,
            start_hour: 12,
            hours: 3,
            mean: 8.0,
            zero_share: 0.04,
        },
        // The family desk: open daycare mornings, on Thursdays here.
        "perhe" => Rota {
            weekday: 3,
            every_weeks: 1,
            start_hour: 9,
            hours: 3,
            mean: 6.0,
            zero_share: 0.05,
        },
        _ => Rota {
            weekday: (index % 5) as u32,
            every_weeks: 1,
            start_hour: 10,
            hours: 2,
            mean: 5.0,
            zero_share: 0.05,
        },
    }
}

/// A session decided on before its visitors are drawn.
struct Planned {
    start: NaiveDateTime,
    minutes: u32,
    profile: usize,
    location: usize,
    weight: f64,
}

/// Fills `store` with the history `opts` asks for — the sessions and
/// visits in one transaction, then the profiles' few events and groups —
/// and records the options in the settings. Zero visits write no sessions: the
/// database stays as a fresh install has it.
pub fn generate(
    store: &mut Store,
    config: &Config,
    opts: &DemoOptions,
    now: &crate::desk::Trusted,
) -> Result<DemoSummary, crate::error::Error> {
    let profiles: Vec<&Profile> = config.profiles.values().collect();
    let mut summary = DemoSummary::default();
    if opts.visits > 0 && !profiles.is_empty() {
        let mut rng = Rng(opts.seed);
        let (plan, desks) = plan(&profiles, opts, &mut rng);
        let counts = apportion(&plan, opts.visits);
        summary = summarize(&profiles, &plan, &counts);
        summary.desks = desks;
        let samplers: Vec<EntrySampler> = profiles
            .iter()
            .map(|p| EntrySampler::new(p, &mut rng))
            .collect();
        let mut numbers = Numbers::default();
        let sessions = plan.iter().zip(counts).map(|(p, n)| {
            let profile = profiles[p.profile];
            let sampler = &samplers[p.profile];
            let span = i64::from(p.minutes) * 60;
            let mut offsets: Vec<i64> = (0..n).map(|_| rng.below(span as u64) as i64).collect();
            offsets.sort_unstable();
            let in_season = sampler.in_season(p.start.date());
            let visits: Vec<(NaiveDateTime, VisitEntry)> = offsets
                .into_iter()
                .map(|o| {
                    let at = p.start + TimeDelta::seconds(o);
                    (at, sampler.entry(&mut rng, in_season))
                })
                .collect();
            let vouchers = match profile.voucher_settings() {
                Some(vc) if in_season => numbers.write(vc, &visits, opts.today, &mut rng),
                _ => Vec::new(),
            };
            let jitter = TimeDelta::minutes(rng.below(6) as i64);
            HistorySession {
                profile: profile.id.clone(),
                location: profile.locations[p.location].clone(),
                started_at: p.start + jitter,
                ended_at: Some(p.start + TimeDelta::seconds(span)),
                visits,
                vouchers,
            }
        });
        summary.vouchers = store.insert_history(sessions, &now.now().stamp())?.vouchers;
        if let Some(first) = summary.first {
            let written = events::write(store, config, first, opts.today, &mut rng, now)?;
            summary.events = written.events;
            summary.groups = written.groups;
        }
    }
    store.set_setting(SETTING_VISITS, &opts.visits.to_string())?;
    store.set_setting(SETTING_YEARS, &opts.years.to_string())?;
    store.set_setting(SETTING_FORMAT, FORMAT)?;
    Ok(summary)
}

/// The sessions of the history, in time order, each with a weight for its
/// share of the visits (zero: nobody came); and the desks per profile.
fn plan(profiles: &[&Profile], opts: &DemoOptions, rng: &mut Rng) -> (Vec<Planned>, u32) {
    let first = opts
        .today
        .checked_sub_months(Months::new(12 * opts.years.max(1)))
        .unwrap_or(opts.today);
    let days = (opts.today - first).num_days().max(0) as u64;
    let monday = first - TimeDelta::days(i64::from(first.weekday().num_days_from_monday()));
    // The library's renovation: a stretch in the middle of the history.
    let renovation = (
        first + TimeDelta::days((days * 2 / 5) as i64),
        first + TimeDelta::days((days * 11 / 20) as i64),
    );
    let rotas: Vec<Rota> = profiles
        .iter()
        .enumerate()
        .map(|(i, p)| rota(&p.id, i))
        .collect();
    // How many visits one desk per profile would see; more are spread over
    // more desks.
    let capacity: f64 = rotas
        .iter()
        .map(|r| {
            let sessions = days as f64 / 7.0 / f64::from(r.every_weeks);
            sessions * r.mean * (1.0 - r.zero_share)
        })
        .sum();
    let desks = ((opts.visits as f64 / capacity.max(1.0)).ceil() as u32).max(1);
    let mut plan = Vec::new();
    for day in 0..days {
        let date = first + TimeDelta::days(day as i64);
        let weekday = date.weekday().num_days_from_monday();
        let week = ((date - monday).num_days() / 7) as u32;
        for (pi, (profile, r)) in profiles.iter().zip(&rotas).enumerate() {
            let home = profile
                .locations
                .iter()
                .position(|l| *l == profile.default_location)
                .unwrap_or(0);
            let n_loc = profile.locations.len().max(1);
            for desk in 0..desks {
                let desk_weekday = if desk == 0 {
                    r.weekday
                } else {
                    (r.weekday + desk) % 5
                };
                if weekday != desk_weekday || week % r.every_weeks != (desk / 5) % r.every_weeks {
                    continue;
                }
                let location = if desk > 0 {
                    (home + desk as usize) % n_loc
                } else if (renovation.0..renovation.1).contains(&date) {
                    (home + 1) % n_loc
                } else {
                    home
                };
                let start_hour = (r.start_hour + (desk / 5) % 4).min(24 - r.hours.min(24));
                let start = date.and_time(
                    NaiveTime::from_hms_opt(start_hour.min(23), 0, 0).expect("valid hour"),
                );
                let weight = if rng.f64() < r.zero_share {
                    0.0
                } else {
                    // Gamma(3)-shaped: most sessions near the mean, a few busy.
                    r.mean * (-(rng.f64_open().ln() + rng.f64_open().ln() + rng.f64_open().ln()))
                        / 3.0
                };
                plan.push(Planned {
                    start,
                    minutes: r.hours * 60,
                    profile: pi,
                    location,
                    weight,
                });
            }
        }
    }
    plan.sort_by_key(|p| p.start);
    (plan, desks)
}

/// Splits exactly `total` visits over the sessions in proportion to their
/// weights (cumulative rounding: the counts add up, zero weights get none).
fn apportion(plan: &[Planned], total: u64) -> Vec<u64> {
    let sum: f64 = plan.iter().map(|p| p.weight).sum();
    let uniform = sum <= 0.0;
    let sum = if uniform { plan.len() as f64 } else { sum };
    let mut cum = 0.0;
    let mut given = 0u64;
    plan.iter()
        .enumerate()
        .map(|(i, p)| {
            cum += if uniform { 1.0 } else { p.weight };
            let upto = if i + 1 == plan.len() {
                total
            } else {
                ((cum / sum * total as f64).floor() as u64).clamp(given, total)
            };
            let n = upto - given;
            given = upto;
            n
        })
        .collect()
}

fn summarize(profiles: &[&Profile], plan: &[Planned], counts: &[u64]) -> DemoSummary {
    let mut s = DemoSummary {
        first: plan.first().map(|p| p.start.date()),
        last: plan.last().map(|p| p.start.date()),
        profiles: profiles.iter().map(|p| (p.id.clone(), 0, 0)).collect(),
        ..DemoSummary::default()
    };
    for (p, &n) in plan.iter().zip(counts) {
        s.sessions += 1;
        s.visits += n;
        s.empty_sessions += u64::from(n == 0);
        let row = &mut s.profiles[p.profile];
        row.1 += 1;
        row.2 += n;
    }
    s
}

/// Draws what one visit records, from one profile's lists.
struct EntrySampler {
    topics: Vec<String>,
    topic_cdf: Vec<f64>,
    /// The anti-slip topic, raised more often in its season.
    slip: Option<usize>,
    /// The anti-slip season of a profile with vouchers.
    vouchers: Option<VoucherConfig>,
    referrals: Vec<String>,
    referral_cdf: Vec<f64>,
    fields: Vec<FieldSampler>,
}

struct FieldSampler {
    key: String,
    /// The default first, then the other options in a fixed random order.
    options: Vec<String>,
    cdf: Vec<f64>,
    has_default: bool,
}

impl EntrySampler {
    fn new(profile: &Profile, rng: &mut Rng) -> EntrySampler {
        let topics: Vec<String> = profile.active_topics().map(|t| t.key.clone()).collect();
        let referrals: Vec<String> = profile
            .referrals
            .iter()
            .filter(|r| !r.retired)
            .map(|r| r.key.clone())
            .collect();
        let fields = profile
            .fields
            .iter()
            .map(|f| {
                let mut options: Vec<String> = f
                    .options
                    .iter()
                    .filter(|o| !o.retired)
                    .map(|o| o.key.clone())
                    .collect();
                rng.shuffle(&mut options);
                let has_default = match &f.default {
                    Some(d) => match options.iter().position(|o| o == d) {
                        Some(i) => {
                            let d = options.remove(i);
                            options.insert(0, d);
                            true
                        }
                        None => false,
                    },
                    None => false,
                };
                FieldSampler {
                    key: f.key.clone(),
                    cdf: zipf_cdf(options.len(), if has_default { 2.0 } else { 1.0 }),
                    options,
                    has_default,
                }
            })
            .collect();
        let vouchers = profile.voucher_settings().cloned();
        let slip_topic = vouchers
            .as_ref()
            .map_or("liukuesteet", |v| v.topic.as_str());
        EntrySampler {
            slip: topics.iter().position(|t| t == slip_topic),
            vouchers,
            topic_cdf: zipf_cdf(topics.len(), 1.0),
            topics,
            referral_cdf: zipf_cdf(referrals.len(), 1.0),
            referrals,
            fields,
        }
    }

    /// Whether `day` is in the anti-slip season: the profile's voucher
    /// season, or November to February.
    fn in_season(&self, day: NaiveDate) -> bool {
        match &self.vouchers {
            Some(v) => v.in_season(day),
            None => matches!(day.month(), 11 | 12 | 1 | 2),
        }
    }

    fn entry(&self, rng: &mut Rng, in_season: bool) -> VisitEntry {
        let mut e = VisitEntry::default();
        if !self.topics.is_empty() {
            let u = rng.f64();
            let wanted = if u < 0.6 {
                1
            } else if u < 0.9 {
                2
            } else {
                3
            };
            let wanted = wanted.min(self.topics.len());
            let mut chosen: Vec<usize> = Vec::with_capacity(3);
            if let Some(slip) = self.slip
                && in_season
                && rng.f64() < 0.3
            {
                chosen.push(slip);
            }
            let mut tries = 0;
            while chosen.len() < wanted && tries < 50 {
                let i = pick(&self.topic_cdf, rng);
                if !chosen.contains(&i) {
                    chosen.push(i);
                }
                tries += 1;
            }
            // Profile order, as the form keeps it.
            chosen.sort_unstable();
            e.topics = chosen.iter().map(|&i| self.topics[i].clone()).collect();
        }
        if !self.referrals.is_empty() && rng.f64() < 0.2 {
            e.referral = Some(self.referrals[pick(&self.referral_cdf, rng)].clone());
        }
        for f in &self.fields {
            if f.options.is_empty() || (!f.has_default && rng.f64() < 0.3) {
                continue;
            }
            e.fields
                .insert(f.key.clone(), f.options[pick(&f.cdf, rng)].clone());
        }
        e
    }
}

/// The running voucher numbers per prefix and season, as the store's
/// counters would give them, in the order the history is written.
#[derive(Default)]
struct Numbers(HashMap<(String, Season), u32>);

impl Numbers {
    /// Vouchers for some of the in-season `visits` that raised the voucher
    /// topic: most were written (a few people only asked), most of those
    /// were used within three weeks for 60–100 % of the maximum sum (the
    /// rest expired or are still open), products skewed to the first.
    fn write(
        &mut self,
        vc: &VoucherConfig,
        visits: &[(NaiveDateTime, VisitEntry)],
        today: NaiveDate,
        rng: &mut Rng,
    ) -> Vec<HistoryVoucher> {
        let products: Vec<&crate::voucher::Product> = vc.active_products().collect();
        let cdf = zipf_cdf(products.len(), 1.5);
        let mut out = Vec::new();
        for (i, (at, entry)) in visits.iter().enumerate() {
            if products.is_empty() || !entry.topics.contains(&vc.topic) || rng.f64() >= 0.8 {
                continue;
            }
            let product = products[pick(&cdf, rng)];
            let season = vc.season_of(at.date());
            let seq = self.0.entry((vc.prefix.clone(), season)).or_default();
            *seq += 1;
            let valid_until = vc.season_end(season);
            let used_on = at.date() + TimeDelta::days(1 + rng.below(21) as i64);
            let used = (rng.f64() < 0.75 && used_on <= valid_until && used_on < today).then(|| {
                let share = 60 + rng.below(41) as i64;
                (used_on, Cents(product.max_sum.0 * share / 100 / 10 * 10))
            });
            out.push(HistoryVoucher {
                visit: i,
                prefix: vc.prefix.clone(),
                number: vc.number(season, *seq),
                season,
                seq: *seq,
                product: product.key.clone(),
                max_sum: product.max_sum,
                valid_until,
                // Of the age the vouchers are for, and up to 29 years older.
                birth_year: Some(at.year() - vc.min_age as i32 - rng.below(30) as i32),
                used,
            });
        }
        out
    }
}

/// Cumulative Zipf weights 1/rank^s, normalised to end at 1.
fn zipf_cdf(n: usize, s: f64) -> Vec<f64> {
    let mut cdf: Vec<f64> = Vec::with_capacity(n);
    let mut acc = 0.0;
    for rank in 1..=n {
        acc += 1.0 / (rank as f64).powf(s);
        cdf.push(acc);
    }
    for c in &mut cdf {
        *c /= acc;
    }
    cdf
}

fn pick(cdf: &[f64], rng: &mut Rng) -> usize {
    let u = rng.f64();
    cdf.partition_point(|&c| c <= u)
        .min(cdf.len().saturating_sub(1))
}

/// SplitMix64: tiny, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in (0, 1], safe for `ln`.
    fn f64_open(&mut self) -> f64 {
        1.0 - self.f64()
    }

    /// Uniform in [0, n); 0 when n is 0.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests;

//! One-shot commands: `log`, `tally` and `config` here; `report`, `export`
//! and `import` in `commands/report.rs`; vouchers in `commands/voucher.rs`.

pub mod report;
pub mod voucher;

use std::fmt::Write as _;

use chrono::{Datelike, Local, NaiveDate, NaiveDateTime, Timelike};
use serde::Serialize;

use crate::app::App;
use crate::config::{Config, ConfigSource, Profile};
use crate::error::Error;
use crate::i18n::{self, Lang};
use crate::report::{DayTally, ranked};
use crate::store::Store;
use crate::store::maintenance::{self, Finding};

/// What every command needs: the effective config, language and store,
/// and the profile and place flags.
pub struct Context {
    pub config: Config,
    pub lang: Lang,
    pub store: Store,
    pub profile: Option<String>,
    pub location: Option<String>,
    /// A warning to show at start (a database on a network drive).
    pub warning: Option<String>,
}

/// Parses `YYYY-MM-DD HH:MM` (also with `T` or seconds).
pub fn parse_at(value: &str) -> Result<NaiveDateTime, Error> {
    let v = value.trim();
    [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
    .ok_or_else(|| Error::BadDateTime {
        value: value.to_string(),
    })
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(value: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| Error::BadDate {
        value: value.to_string(),
    })
}

/// The local wall-clock time, to the second.
pub fn now() -> NaiveDateTime {
    let n = Local::now().naive_local();
    n.with_nanosecond(0).unwrap_or(n)
}

/// `tiski log`: saves one visit into that day's session.
pub fn log(
    mut ctx: Context,
    topics: &[String],
    referral: Option<&str>,
    at: Option<&str>,
) -> Result<(), Error> {
    let profile_id = ctx.profile.clone().ok_or_else(|| Error::ProfileRequired {
        valid: ctx.config.profile_ids(),
    })?;
    let profile = App::find_profile(&ctx.config, &profile_id)?.clone();
    let at = at.map(parse_at).transpose()?.unwrap_or_else(now);
    // A visit in the future is a typo (2032 for 2023): refuse it.
    if at.date() > now().date() {
        return Err(Error::FutureTime {
            value: at.format("%Y-%m-%d %H:%M").to_string(),
        });
    }
    let mut entry = crate::app::fresh_form(&profile, None);
    for given in topics {
        let Some(topic) = choose(profile.active_topics(), given) else {
            return Err(Error::UnknownTopic {
                key: given.clone(),
                profile: profile.id.clone(),
                valid: keys(profile.active_topics().map(|t| t.key.as_str())),
            });
        };
        if !entry.topics.contains(&topic.key) {
            entry.toggle_topic(&topic.key, profile.topics.iter().map(|t| t.key.as_str()));
        }
    }
    if let Some(given) = referral {
        let active = || profile.referrals.iter().filter(|x| !x.retired);
        let Some(r) = choose(active(), given) else {
            return Err(Error::UnknownReferral {
                key: given.to_string(),
                profile: profile.id.clone(),
                valid: keys(active().map(|x| x.key.as_str())),
            });
        };
        entry.referral = Some(r.key.clone());
    }
    let location = place_for(&ctx.store, &profile, ctx.location.take())?;
    let session = ctx.store.session_for_log(&profile.id, &location, at)?;
    ctx.store.add_visit(session.id, at, &entry)?;
    let lang = ctx.lang;
    let labels: Vec<&str> = entry
        .topics
        .iter()
        .map(|k| profile.topic_label(k, lang))
        .collect();
    println!(
        "{}",
        i18n::texts(lang).logged(
            &i18n::date(at.date(), lang),
            &i18n::time(at, lang),
            profile.name(lang),
            &location,
            &labels.join(", ")
        )
    );
    Ok(())
}

/// The place of a visit logged from the shell: `--location` if the
/// profile has it, else the profile's last used place, else its default.
pub fn place_for(store: &Store, profile: &Profile, flag: Option<String>) -> Result<String, Error> {
    match flag {
        Some(l) if profile.locations.contains(&l) => Ok(l),
        Some(l) => Err(Error::UnknownLocation {
            name: l,
            profile: profile.id.clone(),
            valid: profile.locations.join(", "),
        }),
        None => Ok(store
            .setting(&format!("last_location.{}", profile.id))?
            .filter(|l| profile.locations.contains(l))
            .unwrap_or_else(|| profile.default_location.clone())),
    }
}

/// The choice a shell argument names: its key, in any letter case, or its
/// Finnish or English label (`Digituki` finds `digituki`).
fn choose<'a>(
    mut choices: impl Iterator<Item = &'a crate::config::Choice>,
    given: &str,
) -> Option<&'a crate::config::Choice> {
    let given = given.trim().to_lowercase();
    choices.find(|c| c.key == given || c.fi.to_lowercase() == given || c.en.to_lowercase() == given)
}

fn keys<'a>(it: impl Iterator<Item = &'a str>) -> String {
    it.collect::<Vec<_>>().join(", ")
}

/// The JSON form of `tiski tally --json`.
#[derive(Serialize)]
struct TallyJson<'a> {
    date: NaiveDate,
    profile: Option<&'a str>,
    visitors: u32,
    sessions: u32,
    topics: &'a std::collections::BTreeMap<String, u32>,
    referrals: &'a std::collections::BTreeMap<String, u32>,
    hours: std::collections::BTreeMap<String, u32>,
    fields: &'a std::collections::BTreeMap<String, std::collections::BTreeMap<String, u32>>,
    /// Calendar year from 1 January to `date`, zero-visitor sessions included.
    avg_visitors_per_session: Option<f64>,
    year_sessions: u32,
    year_visitors: u32,
    /// Product → vouchers handed out that day (not cancelled).
    vouchers_issued: std::collections::BTreeMap<String, u32>,
}

/// Builds a day's tally for one profile or all, from the store.
pub fn day_tally(store: &Store, profile: Option<&str>, date: NaiveDate) -> Result<DayTally, Error> {
    let sessions = store.sessions_on(profile, date)?;
    let visits = store.visits_on(profile, date)?;
    let jan1 = NaiveDate::from_ymd_opt(date.year(), 1, 1).expect("1 January exists");
    let year = store.session_stats(profile, jan1, date)?;
    Ok(DayTally::build(date, &sessions, &visits, year))
}

/// `tiski tally`: a day's figures as text or JSON.
pub fn tally(ctx: Context, date: Option<&str>, json: bool) -> Result<(), Error> {
    let date = date
        .map(parse_date)
        .transpose()?
        .unwrap_or_else(|| now().date());
    let profile = match ctx.profile.as_deref() {
        Some(id) => Some(App::find_profile(&ctx.config, id)?),
        None => None,
    };
    let t = day_tally(&ctx.store, profile.map(|p| p.id.as_str()), date)?;
    if json {
        let out = TallyJson {
            date,
            profile: profile.map(|p| p.id.as_str()),
            visitors: t.visitors,
            sessions: t.sessions,
            topics: &t.topics,
            referrals: &t.referrals,
            hours: t
                .hours
                .iter()
                .map(|(h, n)| (format!("{h:02}"), *n))
                .collect(),
            fields: &t.fields,
            avg_visitors_per_session: t.year.mean(),
            year_sessions: t.year.sessions,
            year_visitors: t.year.visitors,
            vouchers_issued: ctx
                .store
                .vouchers_issued_on(profile.map(|p| p.id.as_str()), date)?,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&out).expect("tally serializes")
        );
    } else {
        print!("{}", tally_text(&ctx.config, profile, &t, ctx.lang));
    }
    Ok(())
}

/// The human-readable tally.
pub fn tally_text(config: &Config, profile: Option<&Profile>, t: &DayTally, lang: Lang) -> String {
    let tx = i18n::texts(lang);
    let profiles: Vec<&Profile> = match profile {
        Some(p) => vec![p],
        None => config.profiles.values().collect(),
    };
    let topic_label = |k: &str| {
        profiles
            .iter()
            .find_map(|p| p.topic(k))
            .map_or(k.to_string(), |c| c.label(lang).to_string())
    };
    let referral_label = |k: &str| {
        profiles
            .iter()
            .find_map(|p| p.referral(k))
            .map_or(k.to_string(), |c| c.label(lang).to_string())
    };
    let topic_order: Vec<&str> = profiles
        .iter()
        .flat_map(|p| p.topics.iter().map(|t| t.key.as_str()))
        .collect();
    let referral_order: Vec<&str> = profiles
        .iter()
        .flat_map(|p| p.referrals.iter().map(|t| t.key.as_str()))
        .collect();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}",
        tx.tally_heading(&i18n::date(t.date, lang), profile.map(|p| p.name(lang)))
    );
    let _ = writeln!(s, "{}", tx.tally_visitors(t.visitors, t.sessions));
    let _ = writeln!(s, "{}", tx.running_average(t.year.mean(), t.year.sessions));
    let mut section = |title: &str, rows: Vec<(String, u32)>| {
        let _ = writeln!(s, "\n{title}");
        if rows.is_empty() {
            let _ = writeln!(s, "  {}", tx.none());
        }
        let w = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
        for (label, n) in rows {
            let _ = writeln!(s, "  {label:<w$}  {n:>3}");
        }
    };
    section(
        tx.topics(),
        ranked(&t.topics, &topic_order)
            .into_iter()
            .map(|(k, n)| (topic_label(k), n))
            .collect(),
    );
    section(
        tx.referrals(),
        ranked(&t.referrals, &referral_order)
            .into_iter()
            .map(|(k, n)| (referral_label(k), n))
            .collect(),
    );
    section(
        tx.by_hour(),
        t.hours
            .iter()
            .map(|(h, n)| (format!("{h:02}–{:02}", h + 1), *n))
            .collect(),
    );
    s
}

/// `tiski backup`: an online backup into the backups folder.
pub fn backup(db: &std::path::Path, keep: usize, lang: Lang) -> Result<(), Error> {
    if !db.is_file() {
        return Err(crate::store::StoreError::Open {
            path: db.to_path_buf(),
            reason: std::io::Error::from(std::io::ErrorKind::NotFound).to_string(),
        }
        .into());
    }
    let made = maintenance::backup(db, now(), keep)?;
    println!(
        "{}",
        i18n::texts(lang).backup_done(&made.display().to_string())
    );
    Ok(())
}

/// `tiski restore FILE`: checks the backup, keeps the current file aside,
/// and puts the backup in its place.
pub fn restore(db: &std::path::Path, file: &std::path::Path, lang: Lang) -> Result<(), Error> {
    let aside = maintenance::restore(db, file, now())?;
    let aside = aside.map(|a| a.display().to_string());
    println!(
        "{}",
        i18n::texts(lang).restored(&file.display().to_string(), aside.as_deref())
    );
    Ok(())
}

/// `tiski doctor`: what it found, one line each; exit 1 on any problem.
pub fn doctor(db: &std::path::Path, lang: Lang, recount: bool) -> Result<(), Error> {
    let t = i18n::texts(lang);
    println!("{}", db.display());
    let mut findings = maintenance::doctor(db);
    // A missing file has nothing to count; doctor says it is missing.
    if recount && db.is_file() {
        // Only a readable file of a schema this tiski knows, that passed the
        // integrity check, is opened for writing.
        let sound = findings.iter().all(|f| match f {
            Finding::Missing | Finding::NotADatabase => false,
            Finding::Schema { .. } | Finding::Integrity(_) => !f.is_problem(),
            _ => true,
        });
        if sound {
            Store::open(db)?.recount_visits()?;
            println!("  {}", t.recounted());
            // Only the counts changed: check them again, not the whole file.
            let stale = findings
                .iter()
                .position(|f| matches!(f, Finding::Counts { .. }));
            if let (Some(i), Some(fresh)) = (stale, maintenance::recheck_counts(db)) {
                findings[i] = fresh;
            }
        } else {
            println!("  {}", t.not_recounted());
        }
    }
    let mut problems = 0;
    for f in &findings {
        let mark = if f.is_problem() {
            problems += 1;
            "!!"
        } else {
            "ok"
        };
        println!("  {mark}  {}", t.finding(f));
    }
    println!("{}", t.doctor_summary(problems));
    if problems > 0 {
        Err(Error::DoctorFound(problems))
    } else {
        Ok(())
    }
}

/// `tiski config`: the effective configuration, loadable as a user file.
pub fn print_config(config: &Config, lang: Lang) {
    let t = i18n::texts(lang);
    let source = match &config.source {
        ConfigSource::Embedded => t.config_source_embedded().to_string(),
        ConfigSource::File(p) => t.config_source_file(&p.display().to_string()),
    };
    println!("# tiski: {source}");
    if let Some(p) = crate::config::user_config_path() {
        println!(
            "# {}",
            t.config_user_path(&p.display().to_string(), p.exists())
        );
    }
    println!();
    print!("{}", config.to_toml());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_dates_parse_in_the_documented_forms_only() {
        let t = parse_at("2023-11-14 10:05").unwrap();
        assert_eq!(t.to_string(), "2023-11-14 10:05:00");
        assert_eq!(
            parse_at("2023-11-14T10:05:30").unwrap().to_string(),
            "2023-11-14 10:05:30"
        );
        for bad in [
            "",
            "14.11.2023 10:05",
            "2023-02-30 10:00",
            "2023-11-14 25:00",
            "2023-11-14",
        ] {
            assert!(
                matches!(parse_at(bad), Err(Error::BadDateTime { .. })),
                "{bad}"
            );
        }
        assert_eq!(parse_date("2023-11-14").unwrap().to_string(), "2023-11-14");
        assert!(matches!(
            parse_date("2023-13-01"),
            Err(Error::BadDate { .. })
        ));
    }
}

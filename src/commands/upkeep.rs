//! Upkeep of the log file: `backup`, `restore`, `doctor` and `demo`.

use chrono::NaiveDate;

use super::Clock;
use crate::config::Config;
use crate::error::Error;
use crate::i18n;
use crate::locale::Lang;
use crate::store::Store;
use crate::store::lock::DeskLock;
use crate::store::maintenance::{self, Finding};

/// `tiski backup`: an online backup into the backups folder.
pub fn backup(
    db: &std::path::Path,
    keep: usize,
    lang: Lang,
    now: chrono::NaiveDateTime,
) -> Result<(), Error> {
    if !db.is_file() {
        return Err(crate::store::StoreError::Open {
            path: db.to_path_buf(),
            reason: if db.exists() {
                crate::files::Cause::NotAFile
            } else {
                crate::files::Cause::NotFound
            },
        }
        .into());
    }
    let made = maintenance::backup(db, now, keep)?;
    say!(
        "{}",
        i18n::texts(lang).backup_done(&made.display().to_string())
    );
    Ok(())
}

/// `tiski restore FILE`: checks the backup, keeps the current file aside,
/// and puts the backup in its place.
pub fn restore(
    db: &std::path::Path,
    file: &std::path::Path,
    lang: Lang,
    now: chrono::NaiveDateTime,
) -> Result<(), Error> {
    // The real file behind a symbolic link is what is replaced (and kept
    // aside), not the link.
    let real = crate::platform::real_path(db).unwrap_or_else(|| db.to_path_buf());
    // What is there now must be tiski's (or nothing): looked at before any
    // lock file is made beside it.
    if real.exists() {
        crate::store::Store::preflight(&real)?;
    }
    // A backup that is not there is named as such, before a lock file is
    // made (in a folder that may not exist yet).
    if !file.is_file() {
        maintenance::verify_backup(file)?;
    }
    // Not under an open duty screen: it would keep writing the file put aside.
    let _lock = DeskLock::exclusive(&real)?;
    let aside = maintenance::restore(&real, file, now)?;
    let aside = aside.map(|a| a.display().to_string());
    say!(
        "{}",
        i18n::texts(lang).restored(&file.display().to_string(), aside.as_deref())
    );
    Ok(())
}

/// `tiski doctor`: what it found, one line each; exit 1 on any problem.
/// Privacy is looked at too: retention, overdue purges, backups holding
/// data past retention, leftover temporary copies.
pub fn doctor(
    db: &std::path::Path,
    config: &Config,
    lang: Lang,
    recount: bool,
    now: crate::clock::Now,
) -> Result<(), Error> {
    let today = now.local.date();
    // Not under an open duty screen, which keeps its own counts in step.
    let _lock = if recount && db.is_file() {
        Some(DeskLock::exclusive(db)?)
    } else {
        None
    };
    let t = i18n::texts(lang);
    say!("{}", db.display());
    let mut findings = maintenance::doctor(db);
    let readable = !findings
        .iter()
        .any(|f| matches!(f, Finding::Missing | Finding::NotADatabase));
    if readable {
        findings.extend(
            crate::store::privacy::findings(db, config.retention, today, now.utc.into())
                .into_iter()
                .map(Finding::Privacy),
        );
    }
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
            say!("  {}", t.recounted());
            // Only the counts changed: check them again, not the whole file.
            let stale = findings
                .iter()
                .position(|f| matches!(f, Finding::Counts { .. }));
            if let (Some(i), Some(fresh)) = (stale, maintenance::recheck_counts(db)) {
                findings[i] = fresh;
            }
        } else {
            say!("  {}", t.not_recounted());
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
        say!("  {mark}  {}", t.finding(f));
    }
    // Not a fault of the file, so not counted: what a shop needs to
    // invoice from a commitment, while the config leaves it empty.
    for p in config.profiles.values() {
        if let Some(v) = &p.vouchers {
            let missing = v.missing_invoicing();
            if !missing.is_empty() {
                say!("  --  {}", t.invoicing_missing(&p.id, &missing));
            }
        }
    }
    say!("{}", t.doctor_summary(problems));
    if problems > 0 {
        Err(Error::DoctorFound(problems))
    } else {
        Ok(())
    }
}

/// `tiski demo`: fills a new, empty database with synthetic history;
/// refuses one that already holds sessions, so a real log never gets
/// synthetic visits mixed in.
pub fn demo(
    store: &mut Store,
    config: &Config,
    lang: Lang,
    db: &std::path::Path,
    visits: u64,
    years: u32,
    clock: Clock,
) -> Result<(), Error> {
    let t = i18n::texts(lang);
    // Dates the store writes as four-digit years, so they compare as text.
    let first = NaiveDate::from_ymd_opt(1, 1, 1).expect("valid date");
    let last = NaiveDate::from_ymd_opt(9999, 12, 31).expect("valid date");
    let existing = store.session_stats(None, first, last)?;
    if existing.sessions > 0 {
        return Err(Error::Output {
            path: db.to_path_buf(),
            reason: crate::files::Cause::Other(t.demo_not_empty(existing.sessions)),
        });
    }
    let opts = crate::demo::DemoOptions {
        visits,
        years,
        today: clock.today(),
        seed: crate::demo::DEFAULT_SEED,
    };
    let started = std::time::Instant::now();
    let now = clock.trusted(store)?;
    let s = crate::demo::generate(store, config, &opts, &now)?;
    say!(
        "{}: {}",
        db.display(),
        t.demo_done(&s, started.elapsed().as_secs_f64())
    );
    Ok(())
}

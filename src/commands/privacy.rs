//! `tiski purge` and `tiski privacy-notice`, and the checks of a note
//! given on the command line (`tiski log --note`).

use std::path::{Path, PathBuf};

use crate::clock::parse_date;
use crate::config::Config;
use crate::error::Error;
use crate::export::notice::NoticeFormat;
use crate::i18n::{self, NoticeFacts, NoticeProfile};
use crate::locale::{self, Lang};
use crate::privacy::error::PrivacyError;
use crate::privacy::retention::Cutoffs;
use crate::store::Store;
use crate::store::backups::backup_dir;
use crate::store::lock::DeskLock;
use crate::store::privacy::{CopiesPurged, PurgeReport, purge_copies};

/// `tiski purge`: what to clear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PurgeRequest {
    /// Everything past the config's retention, as each day's first start
    /// does (`--due`).
    Due,
    /// Voucher birth years and hashes of seasons that ended before a day
    /// (as typed); `force` lets it reach the current season.
    Before { date: String, force: bool },
}

/// `tiski privacy-notice`: the page format (as typed) and where to write.
#[derive(Debug, Clone, Default)]
pub struct NoticeRequest {
    pub format: Option<String>,
    pub out: Option<PathBuf>,
    /// Replace an existing ordinary file at `out`.
    pub force: bool,
}

/// A note from the shell: one line, no identities, not too long. Nothing
/// is written when it fails.
pub fn check_note(note: &str) -> Result<(), PrivacyError> {
    if let Some(position) = crate::privacy::control_char_at(note) {
        return Err(PrivacyError::NoteControl { position });
    }
    let found = crate::privacy::find_identities(note);
    if !found.is_empty() {
        return Err(PrivacyError::NoteIdentity { found });
    }
    let chars = note.chars().count();
    if chars > crate::domain::NOTE_MAX_CHARS {
        return Err(PrivacyError::NoteTooLong {
            chars,
            max: crate::domain::NOTE_MAX_CHARS,
        });
    }
    Ok(())
}

/// `tiski purge`.
pub fn purge(
    store: &mut Store,
    config: &Config,
    lang: Lang,
    db: &Path,
    req: &PurgeRequest,
    clock: super::Clock,
) -> Result<(), Error> {
    // Not under an open duty screen: it would keep writing the old copy.
    let _lock = DeskLock::exclusive(db)?;
    let t = i18n::texts(lang);
    let today = clock.today();
    // Nothing is purged by a clock in doubt: a year ahead would clear a
    // year too much.
    let now = clock.trusted(store)?;
    match req {
        PurgeRequest::Due => {
            let cutoffs = config.retention.cutoffs(today);
            let report = crate::desk::purge_due(store, db, &cutoffs, &now)?;
            say!("{}", t.purge_report(&report));
            if !report.database.scrubbed {
                return Err(PrivacyError::ScrubIncomplete.into());
            }
        }
        PurgeRequest::Before { date, force } => {
            let before = parse_date(date)?;
            if !force {
                refuse_current_season(config, before, today)?;
            }
            let n = crate::desk::purge_identities(store, before, &now)?;
            say!("{}", t.purged(n, &locale::date(before, lang)));
            let copies = purge_copies(db, &Cutoffs::identities(before), &now.now().stamp());
            if copies != CopiesPurged::default() {
                let report = PurgeReport {
                    copies,
                    ..PurgeReport::default()
                };
                // Only the copies' lines: the database line was printed.
                let text = t.purge_report(&report);
                for line in text.lines().skip(1) {
                    say!("{line}");
                }
            }
        }
    }
    Ok(())
}

/// A purge up to `before` clears vouchers valid until an earlier day; it
/// reaches the current season (the one today's vouchers count in, also
/// between seasons) when that season ends before `before`.
fn refuse_current_season(
    config: &Config,
    before: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> Result<(), PrivacyError> {
    for p in config.profiles.values() {
        let Some(v) = p.voucher_settings() else {
            continue;
        };
        let season = v.season_of(today);
        let season_end = v.season_end(season);
        if season_end < before {
            return Err(PrivacyError::PurgeReachesSeason {
                before,
                season: season.label(v),
                season_end,
            });
        }
    }
    Ok(())
}

/// `tiski privacy-notice`: a draft register description from the
/// effective config, in Finnish unless `--lang en` is given.
pub fn notice(
    config: &Config,
    lang: Lang,
    db: &Path,
    req: &NoticeRequest,
    today: chrono::NaiveDate,
) -> Result<(), Error> {
    let format = NoticeFormat::parse(req.format.as_deref())?;
    let t = i18n::texts(lang);
    let profiles = config
        .profiles
        .values()
        .map(|p| NoticeProfile {
            name: p.name(lang),
            locations: p.locations.iter().map(String::as_str).collect(),
            topics: p.active_topics().map(|c| c.label(lang)).collect(),
            referrals: p
                .referrals
                .iter()
                .filter(|c| !c.retired)
                .map(|c| c.label(lang))
                .collect(),
            fields: p
                .fields
                .iter()
                .map(|f| {
                    let options = f
                        .options
                        .iter()
                        .filter(|o| !o.retired)
                        .map(|o| o.label(lang))
                        .collect();
                    (f.label(lang), options)
                })
                .collect(),
            vouchers: p.voucher_settings().is_some(),
            events: p.event_settings().is_some(),
        })
        .collect();
    // Where the files are, written out whole even for a relative --db.
    let db = std::path::absolute(db).unwrap_or_else(|_| db.to_path_buf());
    let db = db.as_path();
    let facts = NoticeFacts {
        controller: &config.privacy.controller,
        contact: &config.privacy.contact,
        profiles,
        retention: config.retention,
        backups_keep: config.backups_keep,
        min_count: config.privacy.min_count,
        database: db.display().to_string(),
        backups: backup_dir(db).display().to_string(),
        server: config.server.as_ref().map(|s| {
            let host = s.host.as_deref().or(s.service.as_deref()).unwrap_or("");
            let database = s.database.as_deref().unwrap_or("tiski");
            format!("{host}/{database}")
        }),
        made_on: locale::date(today, lang),
    };
    let (title, sections) = t.privacy_notice(&facts);
    let text = crate::export::notice::render(&title, &sections, format);
    match &req.out {
        // Config text (a controller's name) cannot move the cursor.
        None => {
            for line in text.lines() {
                say!("{}", crate::text::clean(line));
            }
        }
        Some(path) => {
            super::output::check(path, db, req.force)?;
            crate::files::write_private(path, text.as_bytes()).map_err(Error::output(path))?;
            tell!("{}", t.notice_written(&path.display().to_string()));
        }
    }
    Ok(())
}

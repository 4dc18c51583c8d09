//! Drafts and damage: the unsaved form is kept on disk about a second
//! after each change (and at once on a failed save or a signal), offered
//! back on the next start; a damaged database turns the app read-only.

use std::path::PathBuf;

use chrono::TimeDelta;

use super::{App, Confirm, Modal};
use crate::domain::VisitEntry;
use crate::error::Error;
use crate::store::Store;
use crate::store::maintenance::DailyCheck;

/// How long the form must rest before it is written as a draft.
pub const DRAFT_DEBOUNCE: TimeDelta = TimeDelta::seconds(1);

/// What of the form is on disk as a draft.
#[derive(Debug, Default)]
pub struct DraftState {
    /// The content last written (`None`: no draft on disk).
    pub saved: Option<VisitEntry>,
    /// When the form first differed from `saved`, if it does.
    pub changed_at: Option<chrono::NaiveDateTime>,
}

impl App {
    /// The new-visit form worth keeping, if anything was typed or chosen
    /// (sticky fields alone are not a visit).
    fn draft_content(&self) -> Option<VisitEntry> {
        let d = self.duty.as_ref()?;
        let mut form = match &d.editing {
            Some((_, stash)) => stash.clone(),
            None => d.form.clone(),
        };
        // A note still in the editor is kept too (a closed window, a
        // signal), unless it holds an identity: that is never written.
        if d.editing.is_none()
            && let Some(Modal::Note(text)) = &d.modal
            && crate::privacy::find_identities(text.value()).is_empty()
        {
            form.note = text.value().to_string();
        }
        let typed = !form.topics.is_empty() || form.referral.is_some() || !form.note.is_empty();
        typed.then_some(form)
    }

    pub(super) fn note_draft_change(&mut self) {
        if self.draft_content() != self.draft.saved {
            self.draft.changed_at.get_or_insert(self.now);
        } else {
            self.draft.changed_at = None;
        }
    }

    /// Writes the draft once the form has stood changed for
    /// [`DRAFT_DEBOUNCE`]; whether it was due.
    pub(super) fn persist_draft_if_due(&mut self) -> bool {
        let due = self
            .draft
            .changed_at
            .is_some_and(|t| self.now - t >= DRAFT_DEBOUNCE);
        if due {
            self.flush_draft();
        }
        due
    }

    /// Writes the draft now (on exit, signals and failed saves). If the
    /// database cannot take it, a file beside the database does.
    pub fn flush_draft(&mut self) {
        let Some(profile) = self.duty.as_ref().map(|d| d.profile.id.clone()) else {
            return;
        };
        let content = self.draft_content();
        // A damaged database is not written: the file takes the draft.
        let in_database = self.read_only.is_none()
            && !self.replaced
            && match &content {
                Some(e) => self.store.save_draft(&profile, e, self.now).is_ok(),
                None => self.store.clear_draft(&profile).is_ok(),
            };
        let fallback = self.fallback_path(&profile);
        if in_database {
            if let Some(f) = fallback {
                let _ = std::fs::remove_file(f);
            }
        } else if let (Some(f), Some(e)) = (fallback, &content) {
            let written = crate::files::write_private(
                &f,
                serde_json::to_string(e).unwrap_or_default().as_bytes(),
            );
            let t = self.texts();
            let text = match written {
                // A save waiting for the lock keeps saying so.
                Ok(()) if self.waiting.is_some() => None,
                Ok(()) => Some(t.draft_in_file(&f.display().to_string())),
                Err(err) => Some(t.draft_not_kept(&err.to_string())),
            };
            if let Some(text) = text {
                self.set_error(text);
            }
        }
        self.draft.saved = content;
        self.draft.changed_at = None;
    }

    fn fallback_path(&self, profile: &str) -> Option<PathBuf> {
        fallback_file(&self.store, profile)
    }

    /// On entering the duty screen: offers back a draft left by a crash.
    pub(super) fn offer_draft(&mut self) -> Result<(), Error> {
        let Some(profile) = self.duty.as_ref().map(|d| d.profile.id.clone()) else {
            return Ok(());
        };
        let from_file = self
            .fallback_path(&profile)
            .and_then(|f| std::fs::read_to_string(f).ok())
            .and_then(|j| serde_json::from_str::<VisitEntry>(&j).ok());
        let draft = match from_file {
            Some(e) => Some(e),
            None => self.store.draft(&profile)?,
        };
        if let (Some(entry), Some(d)) = (draft, self.duty.as_mut()) {
            self.draft.saved = Some(entry.clone());
            d.modal = Some(Modal::Confirm(Confirm::RestoreDraft(entry)));
        }
        Ok(())
    }

    pub(super) fn answer_draft(&mut self, yes: bool, entry: VisitEntry) -> Result<(), Error> {
        if let Some(d) = self.duty.as_mut() {
            d.form = if yes {
                entry
            } else {
                d.profile.fresh_entry(None)
            };
        }
        // Kept as is (yes) or dropped (no), on disk at once.
        self.draft.saved = None;
        self.flush_draft();
        if yes {
            self.set_info(self.texts().draft_restored().to_string());
        }
        Ok(())
    }

    /// Refuses a write when the database was found damaged; says why.
    pub(super) fn refuse_if_read_only(&mut self) -> bool {
        if self.replaced {
            let path = self
                .store
                .path()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            self.set_error(self.texts().database_replaced(&path));
            true
        } else if self.read_only.is_some() {
            self.set_error(self.texts().read_only_refused().to_string());
            true
        } else {
            false
        }
    }

    pub(super) fn daily_check_done(&mut self, check: DailyCheck) -> Result<(), Error> {
        let t = self.texts();
        if !check.problems.is_empty() {
            self.set_error(t.database_damaged(check.problems.len()));
            self.read_only = Some(check.problems);
            // Whatever is on the form goes to the file beside the database.
            self.draft.changed_at = Some(self.now);
            return Ok(());
        }
        self.start_writing()?;
        // A purge that could not run made no backup either; the next start
        // tries both again.
        if !self.daily_purge_done(&check.purge) {
            return Ok(());
        }
        self.store
            .set_setting(DAILY_CHECK_SETTING, &self.daily_stamp())?;
        if let Err(e) = check.backup {
            self.set_error(t.backup_failed(&e));
        }
        Ok(())
    }
}

/// Forgets a profile's draft once its visit is saved: the fallback file
/// and the pending state. The draft row went in the visit's own
/// transaction; no write here, which could fail after the visit was saved.
pub(super) fn forget(state: &mut DraftState, store: &Store, profile: &str) {
    if let Some(f) = fallback_file(store, profile) {
        let _ = std::fs::remove_file(f);
    }
    state.saved = None;
    state.changed_at = None;
}

/// `<db>.draft-<profile>.json`: where a draft goes when the database
/// cannot take it (disk full, locked, damaged).
pub(super) fn fallback_file(store: &Store, profile: &str) -> Option<PathBuf> {
    let db = store.path()?;
    Some(crate::store::with_suffix(
        db,
        &format!(".draft-{profile}.json"),
    ))
}

impl App {
    /// Today's mark of the daily check, for this very file.
    fn daily_stamp(&self) -> String {
        match self.store.path() {
            Some(db) => crate::store::maintenance::check_stamp(db, self.now.date()),
            None => self.now.date().to_string(),
        }
    }
}

/// Whether today's integrity check and backup are still to be done (for a
/// database on disk).
pub fn daily_check_due(store: &Store, today: chrono::NaiveDate) -> bool {
    let Some(db) = store.path() else {
        return false;
    };
    let stamp = crate::store::maintenance::check_stamp(db, today);
    store
        .setting(DAILY_CHECK_SETTING)
        .ok()
        .flatten()
        .is_none_or(|d| d != stamp)
}

/// The settings key holding the date of the last daily check.
pub const DAILY_CHECK_SETTING: &str = "last_daily_check";

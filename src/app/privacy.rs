//! Privacy on the duty screen: a note holding an identity is refused where
//! it is typed and again when the visit is saved (a restored draft or an
//! old visit opened for editing may hold one), and the day's purge is
//! reported in the status line.

use super::{App, Modal};
use crate::privacy::find_identities;
use crate::store::privacy::PurgeReport;

impl App {
    /// Enter in the note editor: the note goes to the form unless it holds
    /// an identity; then the editor stays open and the status line says
    /// what was found, and where.
    pub(super) fn commit_note(&mut self) {
        let Some(Modal::Note(text)) = self.duty.as_ref().and_then(|d| d.modal.as_ref()) else {
            return;
        };
        let found = find_identities(text.value());
        if !found.is_empty() {
            self.set_error(self.texts().note_refused(&found));
            return;
        }
        if let Some(d) = self.duty.as_mut()
            && let Some(Modal::Note(text)) = d.modal.take()
        {
            d.form.note = text.value().to_string();
        }
        // An earlier refusal of this note no longer applies.
        if self.status.as_ref().is_some_and(|s| s.error) {
            self.status = None;
        }
    }

    /// A visit its rules refused, said on the status line in the screen's
    /// words (the digit keys, not `--topic`); nothing was saved.
    pub(super) fn refuse_visit(&mut self, r: &crate::checked::VisitRefusal) {
        use crate::checked::VisitRefusal as R;
        use crate::privacy::error::PrivacyError as P;
        let t = self.texts();
        let text = match r {
            R::NoTopic => t.need_topic().to_string(),
            R::Note(P::NoteIdentity { found }) => t.save_refused_note(found),
            R::Note(P::NoteTooLong { chars, max }) => t.note_too_long(*chars, *max),
            other => t.visit_refusal(other),
        };
        self.set_error(text);
    }

    /// The day's retention purge finished: says what it cleared. Returns
    /// whether it ran; if not, the day's check is not marked done, so the
    /// next start runs it again.
    pub(super) fn daily_purge_done(&mut self, purge: &Result<PurgeReport, String>) -> bool {
        let t = self.texts();
        match purge {
            Ok(report) => {
                if let Some(text) = t.daily_purged(report) {
                    self.set_info(text);
                }
                true
            }
            Err(e) => {
                self.set_error(t.daily_purge_failed(e));
                false
            }
        }
    }
}

#[cfg(test)]
mod tests;

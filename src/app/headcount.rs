//! Head-counts on the duty screen (`+`): N visitors at once, without
//! topics, into the duty session. Written like a visit: the session is
//! opened first if it is not yet (`app/session.rs`), a damaged file is not
//! written, and `u` takes back the latest of this run's visits and
//! head-counts.

use super::{App, Modal};
use crate::error::Error;
use crate::events::check_head_count;
use crate::text::input::TextInput;

impl App {
    /// `+`: the number window, empty.
    pub(super) fn open_head_count(&mut self) {
        if let Some(d) = self.duty.as_mut() {
            d.modal = Some(Modal::HeadCount(TextInput::new(super::input::HEAD_COUNT)));
        }
    }

    /// Enter: saves the head-count into the session; a zero or an empty
    /// number keeps the window open with the reason.
    pub(super) fn commit_head_count(&mut self) -> Result<(), Error> {
        let Some(Modal::HeadCount(text)) = self.modal_mut() else {
            return Ok(());
        };
        let n: u32 = text.value().parse().unwrap_or(0);
        if let Err(e) = check_head_count(n) {
            self.set_error(self.texts().event_error(&e));
            return Ok(());
        }
        let Some(now) = self.ready_to_write() else {
            return Ok(());
        };
        let Some(d) = self.duty.as_mut() else {
            return Ok(());
        };
        // Visitors, counted together: they write their session as a visit
        // does.
        let target = if d.pending {
            crate::store::Target::Start {
                profile: &d.profile.id,
                location: &d.session.location,
            }
        } else {
            crate::store::Target::Session(d.session.id)
        };
        let h = crate::desk::add_head_count(&mut self.store, target, self.now, n, &now)?;
        if d.pending {
            d.session = self.store.session(h.session)?;
            d.pending = false;
            if d.session.visitors == n {
                self.visit_sessions.insert(d.session.id);
            }
        }
        self.saved_heads.push((h.id, now.now().mono));
        self.close_modal();
        self.refresh()?;
        let t = self.texts();
        let what = t.head_count_saved(n, &crate::locale::time(self.now, self.lang));
        self.set_info(what);
        Ok(())
    }

    /// The latest head-count this run saved, if it came after the latest
    /// visit (`u` takes back the later of the two).
    pub(super) fn undo_head_count_first(&self) -> Option<(i64, std::time::Instant)> {
        let head = self.saved_heads.last().copied()?;
        match self.saved.last() {
            Some((_, visit_at)) if *visit_at > head.1 => None,
            _ => Some(head),
        }
    }

    /// Takes back head-count `id`.
    pub(super) fn undo_head_count(&mut self, id: i64) -> Result<(), Error> {
        let Some(now) = self.ready_to_write() else {
            return Ok(());
        };
        let n = self
            .duty
            .as_ref()
            .and_then(|d| d.head_counts.iter().find(|h| h.id == id))
            .map_or(0, |h| h.n);
        crate::desk::delete_head_count(&mut self.store, id, &now)?;
        self.drop_session_if_emptied(&now)?;
        self.saved_heads.retain(|(h, _)| *h != id);
        self.refresh()?;
        let t = self.texts();
        self.set_info(t.undone(&t.head_counted_short(n)));
        Ok(())
    }
}

#[cfg(test)]
mod tests;

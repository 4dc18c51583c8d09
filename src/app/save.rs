//! Saving on the duty screen: Enter's save or edit of a visit (waiting a
//! moment for a busy file), the edited visit's time, the list after a save,
//! a visit's description in messages, and its deletion.

use chrono::NaiveDateTime;

use super::{App, BUSY_PATIENCE, Focus, Modal, WaitingSave, draft, session};
use crate::desk::Trusted;
use crate::domain::{Visit, VisitId};
use crate::error::Error;
use crate::locale;

impl App {
    /// Enter: saves the form; while another program holds the write lock,
    /// waits for it without blocking the keys (each try waits only a
    /// moment, the next one comes with the clock's tick), for up to
    /// [`BUSY_PATIENCE`], keeping the visit's time as it was when Enter was
    /// pressed. Then the form goes to the draft file with a clear message.
    pub(super) fn save(&mut self) -> Result<(), Error> {
        let (at, since) = self
            .waiting
            .map_or((self.now, self.now), |w| (w.at, w.since));
        match self.save_at(at) {
            Err(e) if e.is_busy() && self.now - since < BUSY_PATIENCE => {
                let secs = (self.now - since).num_seconds().max(0) as u64;
                self.waiting = Some(WaitingSave { at, since });
                self.set_info(self.texts().waiting_for_database(secs));
                Ok(())
            }
            Err(e) => {
                self.waiting = None;
                // Keep what was typed on disk at once, not in a second.
                self.flush_draft();
                Err(e)
            }
            Ok(()) => {
                self.waiting = None;
                Ok(())
            }
        }
    }

    pub(super) fn save_at(&mut self, at: NaiveDateTime) -> Result<(), Error> {
        // The form's own refusals first, worded for the screen, before the
        // clock or the file are asked about.
        let refusal = self.duty.as_ref().and_then(|d| {
            crate::checked::visit(&d.profile, d.form.clone())
                .err()
                .filter(|r| !matches!(r, crate::checked::VisitRefusal::Unknown { .. }))
        });
        if let Some(r) = refusal {
            self.refuse_visit(&r);
            return Ok(());
        }
        let Some(now) = self.ready_to_write() else {
            return Ok(());
        };
        let t = self.texts();
        let Some(d) = self.duty.as_mut() else {
            return Ok(());
        };
        let mut added = None;
        let mut edited = None;
        let message = if let Some((id, stash)) = d.editing.take() {
            let entry = d.form.clone();
            let edit =
                crate::desk::edit_visit(&mut self.store, &d.profile, id, entry, d.edit_at, &now);
            if let Err(e) = edit {
                d.editing = Some((id, stash));
                return Err(e);
            }
            let at = d
                .edit_at
                .take()
                .or(d.today.iter().find(|v| v.id == id).map(|v| v.at));
            d.form = stash;
            edited = Some(id);
            t.updated(&at.map(|a| locale::time(a, self.lang)).unwrap_or_default())
        } else {
            // The first visit writes the session with it, in one
            // transaction: nothing else makes a session.
            let target = if d.pending {
                crate::store::Target::Start {
                    profile: &d.profile.id,
                    location: &d.session.location,
                }
            } else {
                crate::store::Target::Session(d.session.id)
            };
            let visit = crate::desk::save_visit(
                &mut self.store,
                &d.profile,
                target,
                at,
                d.form.clone(),
                true,
                &now,
            )?;
            if d.pending {
                d.session = self.store.session(visit.session)?;
                d.pending = false;
                if d.session.visitors == 1 {
                    self.visit_sessions.insert(d.session.id);
                }
                self.store.set_setting(
                    &session::location_setting(&d.profile.id),
                    &d.session.location,
                )?;
            }
            draft::forget(&mut self.draft, &self.store, &d.profile.id);
            d.form = d.profile.fresh_entry(Some(&d.form));
            self.saved.push((visit.id, now.now().mono));
            let message = t.saved(&locale::time(visit.at, self.lang));
            added = Some(visit);
            message
        };
        d.focus = Focus::Form;
        match added {
            Some(visit) => self.refresh_after_add(visit)?,
            None => self.refresh()?,
        }
        // After an edit the list keeps the edited visit highlighted (its
        // place may have moved with its time), so `x` targets it.
        if let Some(id) = edited
            && let Some(d) = self.duty.as_mut()
            && let Some(i) = d.today.iter().position(|v| v.id == id)
        {
            d.selected = i;
            d.focus = Focus::List;
        }
        self.set_info(message);
        Ok(())
    }

    /// Enter in the time window: a time of the visit's own day, not later
    /// than now; else the window stays with a message.
    pub(super) fn commit_time(&mut self) {
        let t = self.texts();
        let now = self.now;
        let Some(d) = self.duty.as_mut() else { return };
        let Some(Modal::Time(typed)) = d.modal.as_ref() else {
            return;
        };
        let typed = typed.value();
        let Some((id, _)) = &d.editing else { return };
        let Some(day) = d.today.iter().find(|v| v.id == *id).map(|v| v.at.date()) else {
            return;
        };
        let time = ["%H.%M", "%H:%M"]
            .iter()
            .find_map(|f| chrono::NaiveTime::parse_from_str(typed.trim(), f).ok());
        match time.map(|t| day.and_time(t)) {
            None => {
                let msg = t.bad_visit_time(typed);
                self.set_error(msg);
            }
            Some(at) if at > now => self.set_error(t.visit_time_in_future().to_string()),
            Some(at) => {
                d.edit_at = Some(at);
                d.modal = None;
            }
        }
    }

    /// After a new visit: the counters are re-read (their cost does not
    /// grow) and the visit joins today's list in place instead of the whole
    /// day being reloaded on every save. The list is reloaded only when it
    /// no longer matches the counters (another instance or `tiski log`
    /// wrote meanwhile, or the session is not today's).
    pub(super) fn refresh_after_add(&mut self, visit: Visit) -> Result<(), Error> {
        let today = self.now.date();
        let Some(d) = self.duty.as_mut() else {
            return Ok(());
        };
        (d.session, d.counters) = self.store.counters(d.session.id, today)?;
        // Newest first, as visits_on orders them.
        let key = (visit.at, visit.id);
        let at = d
            .today
            .iter()
            .position(|v| (v.at, v.id) < key)
            .unwrap_or(d.today.len());
        d.today.insert(at, visit);
        if d.today.len() != d.counters.today as usize {
            d.today = self.store.visits_on(Some(&d.profile.id), today)?;
        }
        d.selected = d.selected.min(d.today.len().saturating_sub(1));
        Ok(())
    }

    /// "10.41 Digituki, Liukuesteet", to name a visit in messages.
    pub fn describe(&self, v: &Visit) -> String {
        if self.duty.is_none() {
            return String::new();
        }
        format!(
            "{} {}",
            locale::time(v.at, self.lang),
            self.describe_topics(v)
        )
    }

    /// A visit of today's list as its time and its topics.
    pub(crate) fn time_and_topics(&self, id: VisitId) -> (String, String) {
        self.duty
            .as_ref()
            .and_then(|d| d.today.iter().find(|v| v.id == id))
            .map(|v| (locale::time(v.at, self.lang), self.describe_topics(v)))
            .unwrap_or_default()
    }

    /// "Digituki, Liukuesteet" (and the voucher's number): a visit's topics.
    pub fn describe_topics(&self, v: &Visit) -> String {
        let Some(d) = self.duty.as_ref() else {
            return String::new();
        };
        let topics: Vec<&str> = v
            .entry
            .topics
            .iter()
            .map(|k| d.profile.topic_short(k, self.lang))
            .collect();
        let voucher = d
            .vouchers
            .by_visit
            .get(&v.id)
            .map(|n| self.texts().visit_voucher(n))
            .unwrap_or_default();
        format!("{}{voucher}", topics.join(", "))
    }

    pub(super) fn delete_visit(&mut self, id: VisitId, now: &Trusted) -> Result<(), Error> {
        crate::desk::delete_visit(&mut self.store, id, now)?;
        self.drop_session_if_emptied(now)?;
        if let Some(d) = self.duty.as_mut()
            && let Some((editing, _)) = &d.editing
            && *editing == id
        {
            let (_, stash) = d.editing.take().expect("checked above");
            d.form = stash;
        }
        self.refresh()
    }
}

//! The duty session on screen: which one opens, when it is written, and
//! how it ends; cancelling the day's scheduled duty; midnight; and undo.
//!
//! What counts as a held session (the rule of `schedule`): opening the duty
//! screen inside a slot of the profile's rota (±30 min) opens the slot's
//! session at once, and quitting it with nobody seen keeps it, held with
//! zero visitors. Opening it at any other time writes nothing until the
//! first visit is saved (or `s` starts the session), so a look-up outside
//! the rota changes no figure. A session of today already on file is
//! continued either way.

use chrono::NaiveDateTime;

use super::{App, Confirm, Duty, Focus, Hold, Modal, View};
use crate::domain::{DutySession, SessionId, VisitId};
use crate::error::Error;
use crate::locale;
use crate::schedule;
use crate::store::Counters;
use crate::voucher::Status;

/// How long after saving a visit `u` may still take it back, by the
/// monotonic clock.
pub const UNDO_WINDOW: std::time::Duration = std::time::Duration::from_secs(10 * 60);

impl App {
    pub(super) fn enter_duty(&mut self, id: &str, location: Option<&str>) -> Result<(), Error> {
        let profile = self.config.find_profile(id)?.clone();
        let location = match location {
            Some(l) if profile.locations.iter().any(|x| x == l) => l.to_string(),
            Some(l) => {
                return Err(Error::UnknownLocation {
                    name: l.to_string(),
                    profile: profile.id.clone(),
                    valid: profile.locations.join(", "),
                });
            }
            None => self
                .store
                .setting(&location_setting(id))?
                .filter(|l| profile.locations.contains(l))
                .unwrap_or_else(|| profile.default_location.clone()),
        };
        let form = profile.fresh_entry(None);
        let found = self.store.find_session(id, &location, self.now.date())?;
        let slot = schedule::slot_at(&profile.schedule, self.now);
        // A slot's session, or today's session on file: the duty is on.
        let opens = slot.is_some() || found.is_some();
        let session = found.unwrap_or_else(|| unwritten(id, &location, self.now));
        self.duty = Some(Duty {
            profile,
            session,
            pending: true,
            opens,
            created_now: false,
            counters: Counters::default(),
            today: Vec::new(),
            head_counts: Vec::new(),
            form,
            editing: None,
            edit_at: None,
            focus: Focus::Form,
            selected: 0,
            modal: None,
            tally: None,
            tally_offset: 0,
            report: None,
            vouchers: super::VoucherState::default(),
            events: None,
        });
        self.view = View::Duty;
        if self.hold == Hold::Off {
            self.remember_profile()?;
        }
        if opens && self.hold == Hold::Off {
            self.open_pending_session()?;
        } else {
            self.refresh()?;
        }
        self.offer_draft()?;
        Ok(())
    }

    /// Opens (or continues) the duty session shown on screen, and
    /// remembers the profile and place; nothing if already done. Only the
    /// rota and `s` come here; a visit writes its session itself. Waits
    /// while the clock is in doubt.
    pub(super) fn open_pending_session(&mut self) -> Result<(), Error> {
        let Some(now) = self.trusted_quietly() else {
            return Ok(());
        };
        let Some(d) = self.duty.as_mut().filter(|d| d.pending) else {
            return Ok(());
        };
        let (id, location) = (d.profile.id.clone(), d.session.location.clone());
        let (session, created) = crate::desk::open_session(&mut self.store, &id, &location, &now)?;
        self.store.set_setting(&location_setting(&id), &location)?;
        d.session = session;
        d.created_now = created;
        d.pending = false;
        d.opens = true;
        self.refresh()
    }

    /// The next start opens this profile: a setting, not a session, so it
    /// is written even when no duty is on.
    fn remember_profile(&mut self) -> Result<(), Error> {
        if let Some(d) = self.duty.as_ref() {
            self.store.set_setting("last_profile", &d.profile.id)?;
        }
        Ok(())
    }

    /// Ends [`Hold::UntilChecked`]: the check found the file healthy. A
    /// slot's session is written now; any other waits for its first visit.
    pub fn start_writing(&mut self) -> Result<(), Error> {
        self.hold = Hold::Off;
        self.remember_profile()?;
        self.remember_reader()?;
        if self.duty.as_ref().is_some_and(|d| d.opens) {
            self.open_pending_session()?;
        }
        Ok(())
    }

    pub(super) fn change_location(&mut self, location: &str) -> Result<(), Error> {
        let Some(d) = self.duty.as_mut() else {
            return Ok(());
        };
        if d.session.location == location {
            return Ok(());
        }
        if d.pending {
            // Nothing written yet: the session that will be is elsewhere.
            d.session = unwritten(&d.profile.id, location, self.now);
            self.refresh()?;
            self.set_info(self.texts().location_changed(location));
            return Ok(());
        }
        let Some(now) = self.ready_to_write() else {
            return Ok(());
        };
        let Some(d) = self.duty.as_mut() else {
            return Ok(());
        };
        let old = d.session.id;
        // Opened at the wrong place by mistake: no duty happened there.
        if !(d.created_now && crate::desk::discard_empty_session(&mut self.store, old, &now)?) {
            crate::desk::close_session(&mut self.store, old, now.local(), &now)?;
        }
        self.store
            .set_setting(&location_setting(&d.profile.id), location)?;
        // The place's session is written by its first visit (or at once,
        // inside a rota slot), as on opening the screen there.
        d.session = unwritten(&d.profile.id, location, self.now);
        d.pending = true;
        d.created_now = false;
        d.opens = schedule::slot_at(&d.profile.schedule, self.now).is_some();
        if d.opens && self.hold == Hold::Off {
            self.open_pending_session()?;
        }
        self.refresh()?;
        self.set_info(self.texts().location_changed(location));
        Ok(())
    }

    /// `s`: starts the session now when none is written yet, else ends
    /// this one and starts another (a second duty the same day); asks first.
    pub(super) fn ask_new_session(&mut self) {
        if let Some(d) = self.duty.as_mut() {
            let q = if d.pending {
                Confirm::StartSession
            } else {
                Confirm::NewSession
            };
            d.modal = Some(Modal::Confirm(q));
        }
    }

    pub(super) fn start_session(&mut self) -> Result<(), Error> {
        self.open_pending_session()?;
        let when = locale::time(self.now, self.lang);
        self.set_info(self.texts().session_started(&when));
        Ok(())
    }

    pub(super) fn renew_session(&mut self) -> Result<(), Error> {
        let Some(now) = self.ready_to_write() else {
            return Ok(());
        };
        let Some(d) = self.duty.as_mut() else {
            return Ok(());
        };
        d.session = crate::desk::start_new_session(&mut self.store, d.session.id, &now)?;
        d.created_now = true;
        self.refresh()?;
        let when = locale::time(self.now, self.lang);
        self.set_info(self.texts().new_session_started(&when));
        Ok(())
    }

    /// `c`: marks today's scheduled duty cancelled; asks first. Only a day
    /// of the rota can be cancelled, and only while nobody was logged.
    pub(super) fn ask_cancel_day(&mut self) {
        let t = self.texts();
        let Some(d) = self.duty.as_mut() else { return };
        let today = self.now.date();
        if !d.profile.schedule.iter().any(|r| r.occurs_on(today)) {
            self.set_error(t.no_slot_to_cancel().to_string());
        } else if d.counters.session > 0 {
            let (date, n) = (locale::date(today, self.lang), d.counters.session);
            self.set_error(t.day_has_visits(&date, n));
        } else {
            d.modal = Some(Modal::Confirm(Confirm::CancelDay));
        }
    }

    pub(super) fn cancel_day(&mut self) -> Result<(), Error> {
        let Some(now) = self.trusted() else {
            return Ok(());
        };
        let Some(d) = self.duty.as_mut() else {
            return Ok(());
        };
        let today = self.now.date();
        crate::desk::cancel_day(&mut self.store, &d.profile.id, today, &now)?;
        // The day's session is gone; a visit after all would start one.
        d.session = unwritten(&d.profile.id, &d.session.location, self.now);
        d.pending = true;
        d.opens = false;
        d.created_now = false;
        self.refresh()?;
        let date = locale::date(today, self.lang);
        self.set_info(self.texts().day_cancelled(&date));
        Ok(())
    }

    /// The clock passed midnight: the day's session ends at the last
    /// second of its day, and the new day starts with no session written
    /// (a visit after midnight starts one, or a slot's time does). "Tänään"
    /// and today's list move on with the date. Whether the day had ended.
    pub(super) fn roll_over(&mut self) -> Result<bool, Error> {
        let now = self.now;
        if self
            .duty
            .as_ref()
            .is_none_or(|d| d.session.date >= now.date())
        {
            return Ok(false);
        }
        // The log is asked about the clock at midnight only, not on every
        // tick and key.
        let trusted = self.trusted_quietly();
        let Some(d) = self.duty.as_mut() else {
            return Ok(false);
        };
        if !d.pending {
            let last = d
                .session
                .date
                .and_hms_opt(23, 59, 59)
                .expect("a valid time");
            if let Some(now) = trusted {
                crate::desk::close_session(&mut self.store, d.session.id, last, &now)?;
            }
        }
        d.session = unwritten(&d.profile.id, &d.session.location, now);
        d.pending = true;
        d.created_now = false;
        d.opens = schedule::slot_at(&d.profile.schedule, now).is_some();
        if d.opens && self.hold == Hold::Off && self.read_only.is_none() {
            self.open_pending_session()?;
        } else {
            self.refresh()?;
        }
        Ok(true)
    }

    /// A slot whose time has come while the screen is open: its session
    /// is opened, as if the screen had been opened then. Whether it was.
    pub(super) fn open_slot_if_due(&mut self) -> Result<bool, Error> {
        let due = self.duty.as_ref().is_some_and(|d| {
            d.pending && !d.opens && schedule::slot_at(&d.profile.schedule, self.now).is_some()
        });
        let open = due && self.hold == Hold::Off && self.read_only.is_none();
        if open {
            self.open_pending_session()?;
        }
        Ok(open)
    }

    /// `u`: takes back the last visit this screen saved, within ten
    /// minutes, one at a time. Never another program's visit or an earlier
    /// run's. A visit with a voucher asks first; one whose voucher is used
    /// is not undone.
    pub(super) fn undo(&mut self) -> Result<(), Error> {
        // Head-counts taken back since are no longer there.
        let heads: Vec<i64> = self
            .duty
            .as_ref()
            .map_or(Vec::new(), |d| d.head_counts.iter().map(|h| h.id).collect());
        self.saved_heads.retain(|(id, _)| heads.contains(id));
        // Visits deleted since (from the list, or by another program) are
        // no longer there to take back.
        while let Some((id, _)) = self.saved.last().copied() {
            if self.store.visit(id).is_ok() {
                break;
            }
            self.saved.pop();
        }
        let t = self.texts();
        if let Some((id, saved_at)) = self.undo_head_count_first() {
            if self.clock.mono.saturating_duration_since(saved_at) > UNDO_WINDOW {
                let when = self.wall_time_of(saved_at);
                self.set_error(t.undo_too_old(&when));
                return Ok(());
            }
            return self.undo_head_count(id);
        }
        let Some((id, saved_at)) = self.saved.last().copied() else {
            self.set_error(t.nothing_to_undo().to_string());
            return Ok(());
        };
        if self.clock.mono.saturating_duration_since(saved_at) > UNDO_WINDOW {
            let when = self.wall_time_of(saved_at);
            self.set_error(t.undo_too_old(&when));
            return Ok(());
        }
        match self.store.voucher_of_visit(id)? {
            Some(v) if v.stored_status == Status::Used => {
                let e = crate::voucher::VoucherError::VisitOfUsedVoucher { number: v.number };
                self.set_error(t.voucher_error(&e));
            }
            Some(v) if v.stored_status == Status::Issued => {
                let what = self.describe_id(id);
                if let Some(d) = self.duty.as_mut() {
                    d.modal = Some(Modal::Confirm(Confirm::Undo(id, what, v.number)));
                }
            }
            _ => self.undo_visit(id)?,
        }
        Ok(())
    }

    /// Takes back visit `id` (asked about already, if it had a voucher).
    pub(super) fn undo_visit(&mut self, id: VisitId) -> Result<(), Error> {
        let Some(now) = self.ready_to_write() else {
            return Ok(());
        };
        let (time, topics) = self.time_and_topics(id);
        self.delete_visit(id, &now)?;
        self.saved.retain(|(v, _)| *v != id);
        self.set_info(self.texts().visit_undone(&time, &topics));
        Ok(())
    }

    fn describe_id(&self, id: VisitId) -> String {
        self.duty
            .as_ref()
            .and_then(|d| d.today.iter().find(|v| v.id == id))
            .map(|v| self.describe(v))
            .unwrap_or_default()
    }

    /// Ends the duty session; called on every way out of the TUI. A slot's
    /// session opened before the day's check answered is written now: the
    /// duty happened. Any other unwritten one was never held.
    /// `P`: ends this profile's session as quitting does and opens the
    /// profile chooser. An unsaved form stays as the profile's draft (and is
    /// offered back when it is chosen again); a visit being edited must be
    /// saved or cancelled first.
    pub(super) fn switch_profile(&mut self) -> Result<(), Error> {
        let Some(d) = self.duty.as_ref() else {
            return Ok(());
        };
        if d.editing.is_some() {
            self.set_error(self.texts().finish_editing_first().to_string());
            return Ok(());
        }
        let from = self.config.profiles.get_index_of(&d.profile.id);
        self.flush_draft();
        self.shutdown()?;
        self.duty = None;
        self.switched_from = from;
        self.view = View::Chooser;
        Ok(())
    }

    pub fn shutdown(&mut self) -> Result<(), Error> {
        if self.read_only.is_none() && self.duty.as_ref().is_some_and(|d| d.opens) {
            self.open_pending_session()?;
        }
        // A doubtful clock ends nothing: the session keeps its last end.
        if let (Some(d), Some(now)) = (
            self.duty.as_ref().filter(|d| !d.pending && !self.replaced),
            self.trusted_quietly(),
        ) {
            crate::desk::close_session(&mut self.store, d.session.id, now.local(), &now)?;
        }
        Ok(())
    }

    /// After a visit or a head-count was taken back: a session that this
    /// run's visits wrote (not the rota, not `s`, not one on file when the
    /// screen opened) and that holds none now was never held, so it goes,
    /// and the next visit writes one again.
    pub(super) fn drop_session_if_emptied(
        &mut self,
        now: &crate::desk::Trusted,
    ) -> Result<(), Error> {
        let Some(d) = self
            .duty
            .as_mut()
            .filter(|d| !d.pending && self.visit_sessions.contains(&d.session.id))
        else {
            return Ok(());
        };
        if self.store.session(d.session.id)?.visitors == 0
            && crate::desk::discard_empty_session(&mut self.store, d.session.id, now)?
        {
            d.session = unwritten(&d.profile.id, &d.session.location, self.now);
            d.pending = true;
            d.created_now = false;
            // Held from now on only if the rota says so.
            d.opens = schedule::slot_at(&d.profile.schedule, self.now).is_some();
            self.refresh()?;
        }
        Ok(())
    }

    /// The wall-clock time a monotonic reading of this run stands for.
    fn wall_time_of(&self, at: std::time::Instant) -> String {
        let ago = self.clock.mono.saturating_duration_since(at);
        let then = self.now - chrono::TimeDelta::from_std(ago).unwrap_or_default();
        locale::time(then, self.lang)
    }
}

/// The session a duty screen shows before it is written.
fn unwritten(profile: &str, location: &str, now: NaiveDateTime) -> DutySession {
    DutySession {
        id: SessionId(0),
        uid: String::new(),
        profile: profile.to_string(),
        location: location.to_string(),
        date: now.date(),
        started_at: now,
        ended_at: None,
        visitors: 0,
    }
}

pub(super) fn location_setting(profile: &str) -> String {
    format!("last_location.{profile}")
}

#[cfg(test)]
mod tests;

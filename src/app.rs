//! Application state and `App::update`, the one place where actions change
//! state (and, through `Store`, the database). Rendering only reads this.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::clock::{Doubt, Now};
use crate::config::{Config, Profile};
use crate::desk::Trusted;
use crate::domain::{DutySession, Visit, VisitEntry, VisitId};
use crate::error::Error;
use crate::i18n::{self, Texts};
use crate::locale::{self, Lang};
use crate::report::DayTally;
use crate::store::maintenance::DailyCheck;
use crate::store::{Counters, Store};
use crate::text::input::{Edit, TextInput};

mod draft;
mod events;
mod headcount;
mod input;
mod look;
mod opening;
mod picker;
mod privacy;
mod reader;
mod save;
mod session;
mod sync;
mod tally;

pub use draft::{DAILY_CHECK_SETTING, DraftState, daily_check_due};
pub use events::{Choice, Deletion, EventForm, EventsAction, EventsState, Field, FormKind, Value};
pub use input::{BIRTH_DATE, BIRTH_YEAR, NAME, event_field};
pub use look::{ColorDepth, Look, TermEnv};
pub use opening::Opening;
pub use picker::{PickerItem, PickerKind};
pub use reader::reader_remembered;
pub use session::UNDO_WINDOW;
pub use tally::Section as TallySection;
mod voucher;
pub use voucher::{
    Dialog, FormField, IssuedNotice, Register, VoucherAction, VoucherForm, VoucherState,
    filter_label,
};

/// The smallest terminal the screens are designed for; in a smaller one
/// the screen asks to be enlarged and takes no keys but quitting.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// How many topics have their own digit key on the duty screen.
pub const DIGIT_TOPICS: usize = 9;

/// Everything the user can ask for; produced by `keymap`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The clock moved (sent before each key and on each idle tick): the
    /// one reading the screen takes, passed down.
    Tick(Now),
    /// The terminal's size, at start and whenever it changes.
    Resize(u16, u16),
    ChooseProfile(usize),
    /// `l` on the chooser: the other language, remembered (see
    /// [`App::language_chosen`]).
    SwitchLanguage,
    /// `P`: back to the profile chooser; this profile's session ends as on
    /// quit, and an unsaved form is kept as its draft.
    SwitchProfile,
    /// Toggle the n-th active topic (0-based).
    ToggleTopic(usize),
    Open(PickerKind),
    /// Choose the n-th item of the open picker.
    Pick(usize),
    ClearPick,
    ClosePicker,
    EditNote,
    /// An editing key in the text field that has the focus, wherever it
    /// is (a window, a form, a dialog, a prompt).
    Edit(Edit),
    /// Text pasted into the terminal (bracketed paste): goes into the
    /// focused text field, and is never read as keys.
    Paste(String),
    NoteCommit,
    NoteCancel,
    Save,
    Undo,
    ToggleFocus,
    Up,
    Down,
    EditSelected,
    /// `T` while editing a visit: type its time; then Enter.
    EditTime,
    TimeCommit,
    DeleteSelected,
    /// Answer to a confirmation question.
    Answer(bool),
    NewSession,
    /// Mark today's scheduled duty as not held.
    CancelDay,
    ShowTally,
    /// ←→ in the day tally: the day before (-1) or after (+1).
    TallyDay(i32),
    /// ↑↓ (rows) and PgUp PgDn (windows) in the day tally.
    TallyScroll(i32, i32),
    /// The report view (`r`) and what is done in it.
    ShowReport,
    Report(ReportAction),
    ShowHelp,
    /// A letter the duty screen has no use for: said so, nothing else.
    UnknownKey(char),
    Back,
    Quit,
    /// The daily integrity check and backup finished (in the background).
    DailyCheck(DailyCheck),
    /// Anti-slip vouchers: the form, the notice and the register.
    Voucher(VoucherAction),
    /// `+`: a head-count's number window, its digits, and Enter.
    HeadCount,
    /// The events screen (`g`) and what is done in it.
    Events(EventsAction),
    HeadCountCommit,
    /// The background sync's new state (issue 24).
    Sync(Option<crate::server::worker::SyncState>),
    /// The screen-reader mode: say the view again (changes nothing).
    ReadBack,
    /// On the profile chooser: turn the screen-reader mode on, and keep
    /// it on at the next start.
    ScreenReader,
}

/// Which screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Chooser,
    Duty,
    Tally,
    Report,
    Help,
    /// The voucher register of the season.
    Vouchers,
    /// The year's events and groups, with their forms.
    Events,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Form,
    List,
}

/// A question awaiting yes or no.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    Delete(VisitId),
    /// Start the session now (none is written yet).
    StartSession,
    /// End this session and start another.
    NewSession,
    /// Mark today's scheduled duty cancelled.
    CancelDay,
    /// Take back a visit that carries a voucher: its description and the
    /// voucher's number.
    Undo(VisitId, String, String),
    Quit,
    /// Take back a form left unsaved by a crash or a closed terminal.
    RestoreDraft(VisitEntry),
    /// The clock is far from what the log makes likely: is it right?
    /// Nothing is saved by it until the answer is yes.
    Clock(Doubt),
}

/// A small window over the duty screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Modal {
    Picker(PickerKind),
    Note(TextInput),
    /// The time of the visit being edited, as typed (`10.05`).
    Time(TextInput),
    Confirm(Confirm),
    /// The voucher issue form.
    Voucher(Box<VoucherForm>),
    /// A voucher was issued: its number in large type.
    VoucherIssued(IssuedNotice),
    /// A head-count being typed: N visitors at once, without topics.
    HeadCount(TextInput),
}

/// A line in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// The most rows a status message takes at the bottom of a view.
const MAX_STATUS_ROWS: usize = 3;

/// The message as the bottom of a view shows it: after a space, wrapped
/// to `width`.
pub fn status_lines(text: &str, width: u16) -> Vec<String> {
    crate::text::wrap(&format!(" {text}"), width as usize, " ")
}

impl App {
    /// The rows the bottom of a view takes at `width`: the status message,
    /// in as many rows as it needs (three at most), and the key bar under
    /// it. A long message ("Tapahtuma tallennettu: …") pushes the view up
    /// a row rather than covering the keys; the tally scrolls by the same.
    pub fn bottom_rows(&self, width: u16) -> u16 {
        let status = self
            .status
            .as_ref()
            .map_or(1, |s| status_lines(&s.text, width).len());
        1 + status.clamp(1, MAX_STATUS_ROWS) as u16
    }
}

/// Whether an app may write from the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// Write at once: the day's integrity check has passed already.
    Off,
    /// Write nothing until [`App::start_writing`] (the day's check runs).
    UntilChecked,
}

/// How long a save waits for another program's write lock before the form
/// goes to the draft file instead.
pub const BUSY_PATIENCE: chrono::TimeDelta = chrono::TimeDelta::seconds(10);

/// A save waiting for the write lock: when Enter was pressed (the visit's
/// time) and when the waiting began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitingSave {
    pub at: NaiveDateTime,
    pub since: NaiveDateTime,
}

/// The duty screen's state for the chosen profile.
#[derive(Debug)]
pub struct Duty {
    pub profile: Profile,
    pub session: DutySession,
    /// The session is shown but not yet written (see [`Hold`] and
    /// `app/session.rs`).
    pub pending: bool,
    /// The duty is on: a slot of the rota, or a session already on file, so
    /// the session is written even if nobody comes. Otherwise it waits for
    /// the first visit.
    pub opens: bool,
    /// The session was created by this run (an empty one may be dropped
    /// when the user moves to another place right away).
    pub created_now: bool,
    pub counters: Counters,
    /// Today's visits for the profile, newest first.
    pub today: Vec<Visit>,
    /// Today's head-counts for the profile, newest first: visitors counted
    /// together, shown apart from the itemised visits.
    pub head_counts: Vec<crate::events::HeadCount>,
    pub form: VisitEntry,
    /// The visit being edited, and the new-visit form put aside meanwhile.
    pub editing: Option<(VisitId, VisitEntry)>,
    /// A new time typed for the visit being edited, saved with it.
    pub edit_at: Option<NaiveDateTime>,
    pub focus: Focus,
    pub selected: usize,
    pub modal: Option<Modal>,
    pub tally: Option<DayTally>,
    /// How far the tally's columns are scrolled, in rows.
    pub tally_offset: usize,
    /// The report view's period and figures, kept while the profile is.
    pub report: Option<ReportState>,
    pub vouchers: VoucherState,
    /// The events screen's year, lists and form, kept while the profile is.
    pub events: Option<EventsState>,
}

pub struct App {
    pub config: Config,
    pub lang: Lang,
    pub store: Store,
    /// The local time of [`App::clock`], the reading of the last tick.
    pub now: NaiveDateTime,
    /// The last reading of the clocks (wall, UTC, monotonic).
    pub clock: Now,
    /// The user said the clock is right although it was doubted.
    clock_yes: bool,
    pub view: View,
    pub duty: Option<Duty>,
    pub status: Option<Status>,
    pub quit: bool,
    /// What of the form is kept as a draft, and since when it changed.
    pub draft: DraftState,
    /// Set when the database was found damaged: nothing more is written.
    pub read_only: Option<Vec<String>>,
    /// The database file was replaced underneath this screen (a restore by
    /// hand, a copy over it): nothing more is written to the old one.
    pub replaced: bool,
    /// Writes wait for the day's integrity check (see [`Hold`]).
    hold: Hold,
    /// Visits this run saved, and when by the monotonic clock (a clock
    /// set back does not stretch undo's window): what `u` may take back.
    saved: Vec<(VisitId, std::time::Instant)>,
    /// Head-counts this run saved (row ids), and when (monotonic).
    saved_heads: Vec<(i64, std::time::Instant)>,
    /// Sessions this run's visits wrote (not the rota, not `s`): one left
    /// empty by taking its visits back was never held, and goes.
    visit_sessions: std::collections::HashSet<crate::domain::SessionId>,
    /// A save waiting for another program's write lock.
    pub waiting: Option<WaitingSave>,
    /// The terminal's size, when known.
    pub size: Option<(u16, u16)>,
    /// The view the help window was opened over, and goes back to.
    pub behind_help: View,
    /// The profile (its index) the chooser was opened from with `P`.
    pub switched_from: Option<usize>,
    /// A language the user chose on the screen: the terminal loop
    /// remembers it for later starts (the app writes no settings itself).
    pub language_chosen: Option<Lang>,
    /// The colour depth (set by the terminal loop from the environment)
    /// and the configured theme.
    pub look: Look,
    /// The background sync with the city's server, when one is configured.
    pub sync: Option<crate::server::worker::SyncState>,
    /// The screen-reader mode: the same keys and actions, spoken as lines
    /// of text instead of drawn (`ui::speech`, `tui`).
    pub reader: bool,
    /// The mode was chosen on the chooser and is to be remembered.
    reader_chosen: bool,
    /// Counts the changes of everything but the clock's reading: every
    /// action but a tick that did nothing but move the clock (see
    /// [`App::revision`]).
    revision: u64,
}

impl App {
    /// Opens on the duty screen of `profile` (or the last-used one), or on
    /// the profile chooser when there is none yet. With
    /// [`Hold::UntilChecked`] nothing is written (not even the duty session)
    /// until `start_writing`: used while the day's integrity check runs, so
    /// a damaged file is never written to.
    pub fn new(
        config: Config,
        lang: Lang,
        store: Store,
        now: NaiveDateTime,
        profile: Option<&str>,
        location: Option<&str>,
        hold: Hold,
    ) -> Result<App, Error> {
        let look = Look::new(ColorDepth::Full, config.theme);
        let mut app = App {
            look,
            config,
            lang,
            store,
            now,
            clock: Now::at(now),
            clock_yes: false,
            view: View::Chooser,
            duty: None,
            status: None,
            quit: false,
            draft: DraftState::default(),
            read_only: None,
            replaced: false,
            hold,
            saved: Vec::new(),
            saved_heads: Vec::new(),
            visit_sessions: Default::default(),
            waiting: None,
            size: None,
            behind_help: View::Duty,
            switched_from: None,
            sync: None,
            reader: false,
            reader_chosen: false,
            language_chosen: None,
            revision: 0,
        };
        let chosen = match profile {
            Some(id) => Some(id.to_string()),
            None => app
                .store
                .setting("last_profile")?
                .filter(|id| app.config.profile(id).is_some()),
        };
        if let Some(id) = chosen {
            app.enter_duty(&id, location)?;
        }
        app.ask_about_the_clock();
        Ok(app)
    }

    /// A clock reading to date writes by: believed, or said right by the
    /// user. `None` when in doubt: the question is put (again), and
    /// nothing is written.
    pub(super) fn trusted(&mut self) -> Option<Trusted> {
        match crate::desk::trust(&self.store, self.clock, self.clock_yes) {
            Ok(t) => Some(t),
            Err(doubt) => {
                // A clock before 2000 is not asked about: no yes makes it
                // right.
                if let Some(d) = self.duty.as_mut()
                    && !matches!(doubt, Doubt::BeforeFirstYear { .. })
                {
                    d.modal = Some(Modal::Confirm(Confirm::Clock(doubt)));
                }
                let t = self.texts();
                self.set_error(format!("{} {}", t.clock_doubt(&doubt), t.clock_refused()));
                None
            }
        }
    }

    /// Whether the day's check is still to run: decided once, when the
    /// screen started ([`Hold::UntilChecked`]), not asked of the file
    /// again (a data folder away for a moment is not a new file to check).
    pub fn holds_for_check(&self) -> bool {
        self.hold == Hold::UntilChecked
    }

    /// Whether the screen waits for the user to say the clock is right.
    pub fn waits_for_clock(&self) -> bool {
        self.trusted_quietly().is_none()
    }

    /// Without asking: what writes the screen makes on its own (a rota
    /// slot's session, the end of a session) wait for the answer.
    pub fn trusted_quietly(&self) -> Option<Trusted> {
        crate::desk::trust(&self.store, self.clock, self.clock_yes).ok()
    }

    /// At start: a doubtful clock is asked about before anything is saved.
    fn ask_about_the_clock(&mut self) {
        match crate::desk::trust(&self.store, self.clock, self.clock_yes) {
            Err(Doubt::BeforeFirstYear { .. }) => {
                let _ = self.trusted();
            }
            Err(doubt) => {
                if let Some(d) = self.duty.as_mut() {
                    d.modal = Some(Modal::Confirm(Confirm::Clock(doubt)));
                }
            }
            Ok(_) => {}
        }
    }

    /// Whether the terminal is too small to show the screen: then no key
    /// but quitting is taken, so nothing is saved that nobody saw.
    pub fn too_small(&self) -> bool {
        self.size
            .is_some_and(|(w, h)| w < MIN_WIDTH || h < MIN_HEIGHT)
    }

    pub fn texts(&self) -> &'static dyn Texts {
        i18n::texts(self.lang)
    }

    /// Before any write: refuses on a damaged database or one moved away
    /// underneath, and on a doubtful clock (asking about it). Returns the
    /// clock reading the write is dated by; `None` means "do not write".
    /// Writes no session: only a visit (or the rota, or `s`) does.
    pub(super) fn ready_to_write(&mut self) -> Option<Trusted> {
        self.look_for_replacement();
        if self.refuse_if_read_only() {
            return None;
        }
        self.trusted()
    }

    /// Whether the file at the database's path is still the one open: a
    /// folder renamed away makes it not (writes would go where no one
    /// reads), and renamed back makes it so again.
    fn look_for_replacement(&mut self) {
        let replaced = self.store.replaced();
        if replaced && !self.replaced {
            self.replaced = true;
            // What is on the form goes to the file beside the database.
            self.draft.changed_at = Some(self.now);
            self.flush_draft();
        } else if !replaced && self.replaced {
            self.replaced = false;
            self.set_info(self.texts().database_back().to_string());
        }
    }

    /// Reloads counters and today's list after a write.
    fn refresh(&mut self) -> Result<(), Error> {
        let today = self.now.date();
        let Some(d) = self.duty.as_mut() else {
            return Ok(());
        };
        if d.session.id.0 == 0 {
            // Not written yet: a duty that is on counts as the session it
            // will be; one waiting for its first visit does not count yet.
            let day = self
                .store
                .session_stats(Some(&d.profile.id), today, today)?;
            let jan1 = NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("1 January exists");
            let mut year = self.store.session_stats(Some(&d.profile.id), jan1, today)?;
            year.sessions += u32::from(d.opens);
            d.counters = Counters {
                session: 0,
                today: day.visitors,
                year,
            };
        } else {
            (d.session, d.counters) = self.store.counters(d.session.id, today)?;
        }
        d.today = self.store.visits_on(Some(&d.profile.id), today)?;
        d.head_counts = self.store.head_counts_on(&d.profile.id, today)?;
        d.selected = d.selected.min(d.today.len().saturating_sub(1));
        self.refresh_vouchers()
    }

    /// Applies one action. Store failures become a status message: the
    /// form is kept so nothing typed is lost.
    pub fn update(&mut self, action: Action) {
        let result = self.apply(action);
        if !matches!(result, Ok(false)) {
            self.revision += 1;
        }
        if let Err(e) = result {
            use crate::store::StoreError as S;
            let mut text = match &e {
                // A rule said no: that is the whole message.
                Error::Voucher(_)
                | Error::Event(_)
                | Error::Store(S::Voucher(_) | S::Event(_) | S::DayHasVisits { .. }) => {
                    self.texts().error(&e)
                }
                _ => self.texts().save_failed(&self.texts().error(&e)),
            };
            // Keep what the failed step said about the draft, too.
            if let Some(earlier) = self.status.take().filter(|s| s.error) {
                text = format!("{text} {}", earlier.text);
            }
            self.set_error(text);
        }
    }

    /// Whether anything but the clock's reading changed: a tick that found
    /// nothing to do changes only [`App::now`] and [`App::clock`].
    fn apply(&mut self, action: Action) -> Result<bool, Error> {
        if let Action::Tick(now) = action {
            let acted = self.tick(now);
            let flushed = self.persist_draft_if_due();
            return acted.map(|acted| acted || flushed);
        }
        let tick = matches!(action, Action::Resize(..) | Action::Sync(_));
        let result = self.dispatch(action);
        if tick {
            self.persist_draft_if_due();
        } else {
            self.note_draft_change();
        }
        result.map(|()| true)
    }

    /// The clock moved: the day's end, a rota slot's start and a save
    /// waiting for the lock are looked at. Whether any of them acted.
    fn tick(&mut self, now: Now) -> Result<bool, Error> {
        self.clock = now;
        self.now = now.local;
        let rolled = self.roll_over()?;
        let opened = self.open_slot_if_due()?;
        let waited = self.waiting.is_some();
        if waited {
            self.save()?;
        }
        Ok(rolled || opened || waited)
    }

    /// A number that moves whenever the app's state changes, but for the
    /// clock's reading: what a frame shows is the same for the same
    /// revision, size and shown minute (`ui::clock_shown`), so the terminal
    /// loop draws only when one of them moved, not on every tick.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    fn dispatch(&mut self, action: Action) -> Result<(), Error> {
        if !matches!(
            action,
            Action::Tick(_) | Action::DailyCheck(_) | Action::Resize(..) | Action::Sync(_)
        ) && self.duty.as_ref().is_some_and(|d| d.modal.is_none())
        {
            // A key press clears the last message unless it sets a new one.
            self.status = None;
        }
        if self.waiting.is_some()
            && !matches!(
                action,
                Action::Tick(_)
                    | Action::Resize(..)
                    | Action::DailyCheck(_)
                    | Action::Sync(_)
                    | Action::Save
                    | Action::Quit
            )
        {
            // The form stays as it was when Enter was pressed: the next
            // visitor's keys must not join this visit.
            let secs = self
                .waiting
                .map_or(0, |w| (self.now - w.since).num_seconds());
            self.set_info(self.texts().waiting_for_database(secs.max(0) as u64));
            return Ok(());
        }
        match action {
            Action::Resize(w, h) => self.size = Some((w, h)),
            Action::Tick(now) => {
                self.tick(now)?;
            }
            Action::ChooseProfile(i) => {
                if let Some(id) = self.config.profiles.keys().nth(i).cloned() {
                    self.switched_from = None;
                    self.enter_duty(&id, None)?;
                } else {
                    let text = self
                        .texts()
                        .no_such_profile(i + 1, self.config.profiles.len());
                    self.set_error(text);
                }
            }
            Action::SwitchLanguage => {
                self.lang = match self.lang {
                    Lang::Fi => Lang::En,
                    Lang::En => Lang::Fi,
                };
                self.language_chosen = Some(self.lang);
                self.status = None;
            }
            Action::SwitchProfile => self.switch_profile()?,
            Action::ToggleTopic(i) => self.toggle_topic(i),
            Action::Open(kind) => self.open_picker(kind),
            Action::Pick(i) => self.pick(i)?,
            Action::ClearPick => self.clear_pick(),
            Action::ClosePicker | Action::NoteCancel => self.close_modal(),
            Action::EditNote => {
                if let Some(d) = self.duty.as_mut() {
                    // An earlier note is kept and typed on at its end.
                    let mut note = TextInput::new(input::NOTE);
                    note.set(&d.form.note);
                    d.modal = Some(Modal::Note(note));
                }
            }
            Action::Edit(e) => self.edit(e),
            // The speech says the view again; nothing changes.
            Action::ReadBack => {}
            Action::ScreenReader => self.choose_reader()?,
            Action::Paste(text) => self.paste(&text),
            Action::NoteCommit => self.commit_note(),
            Action::Save => self.save()?,
            Action::Undo => self.undo()?,
            Action::ToggleFocus => {
                if let Some(d) = self.duty.as_mut() {
                    d.focus = match d.focus {
                        Focus::Form if !d.today.is_empty() => Focus::List,
                        _ => Focus::Form,
                    };
                }
            }
            Action::Up | Action::Down => self.move_selection(action == Action::Down),
            Action::EditSelected => self.edit_selected(),
            Action::EditTime => {
                let lang = self.lang;
                if let Some(d) = self.duty.as_mut()
                    && let Some((id, _)) = &d.editing
                {
                    let at = d
                        .edit_at
                        .or(d.today.iter().find(|v| v.id == *id).map(|v| v.at));
                    let typed = at.map(|a| locale::time(a, lang)).unwrap_or_default();
                    d.modal = Some(Modal::Time(TextInput::filled(input::VISIT_TIME, &typed)));
                }
            }
            Action::TimeCommit => self.commit_time(),
            Action::DeleteSelected => {
                let Some(id) = self
                    .duty
                    .as_ref()
                    .and_then(|d| d.today.get(d.selected))
                    .map(|v| v.id)
                else {
                    return Ok(());
                };
                // A visit whose voucher is used stays: said before asking.
                match self.store.voucher_of_visit(id)? {
                    Some(v) if v.stored_status == crate::voucher::Status::Used => {
                        let e =
                            crate::voucher::VoucherError::VisitOfUsedVoucher { number: v.number };
                        self.set_error(self.texts().voucher_error(&e));
                    }
                    _ => {
                        if let Some(d) = self.duty.as_mut() {
                            d.modal = Some(Modal::Confirm(Confirm::Delete(id)));
                        }
                    }
                }
            }
            Action::Answer(yes) => self.answer(yes)?,
            Action::NewSession => self.ask_new_session(),
            Action::CancelDay => self.ask_cancel_day(),
            Action::ShowTally => self.show_tally()?,
            Action::TallyDay(step) => self.step_tally_day(step)?,
            Action::TallyScroll(rows, pages) => self.scroll_tally(rows, pages),
            Action::ShowReport => self.show_report()?,
            Action::Report(a) => self.report_action(a)?,
            Action::UnknownKey(c) => self.set_info(self.texts().unknown_key(c)),
            Action::ShowHelp => {
                if self.duty.is_some() && !matches!(self.view, View::Help | View::Chooser) {
                    self.behind_help = self.view;
                    self.view = View::Help;
                }
            }
            Action::Back => self.back(),
            Action::Quit => self.request_quit(),
            Action::DailyCheck(check) => self.daily_check_done(check)?,
            Action::Voucher(a) => self.voucher(a)?,
            Action::HeadCount => self.open_head_count(),
            Action::Events(a) => self.events_action(a)?,
            Action::HeadCountCommit => self.commit_head_count()?,
            Action::Sync(state) => self.set_sync(state),
        }
        Ok(())
    }

    fn modal_mut(&mut self) -> Option<&mut Modal> {
        self.duty.as_mut().and_then(|d| d.modal.as_mut())
    }

    fn close_modal(&mut self) {
        if let Some(d) = self.duty.as_mut() {
            d.modal = None;
        }
    }

    fn set_info(&mut self, text: String) {
        self.status = Some(Status { text, error: false });
    }

    /// A refusal in the status line, as a sentence: the same words open
    /// the CLI's `tiski: virhe: …` in lower case.
    fn set_error(&mut self, text: String) {
        let mut c = text.chars();
        let text = c
            .next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default();
        self.status = Some(Status { text, error: true });
    }

    fn move_selection(&mut self, down: bool) {
        let Some(d) = self.duty.as_mut() else { return };
        if d.today.is_empty() {
            return;
        }
        if d.focus == Focus::List {
            d.selected = if down {
                (d.selected + 1).min(d.today.len() - 1)
            } else {
                d.selected.saturating_sub(1)
            };
        }
        d.focus = Focus::List;
    }

    fn edit_selected(&mut self) {
        let Some(d) = self.duty.as_mut() else { return };
        let Some(v) = d.today.get(d.selected) else {
            return;
        };
        let entry = v.entry.clone();
        let id = v.id;
        d.edit_at = None;
        let stash = match d.editing.take() {
            Some((_, stash)) => stash,
            None => d.form.clone(),
        };
        d.form = entry;
        d.editing = Some((id, stash));
        d.focus = Focus::Form;
    }

    fn answer(&mut self, yes: bool) -> Result<(), Error> {
        let Some(Modal::Confirm(question)) = self.duty.as_mut().and_then(|d| d.modal.take()) else {
            return Ok(());
        };
        if let Confirm::RestoreDraft(entry) = question {
            return self.answer_draft(yes, entry);
        }
        if !yes {
            if let Confirm::Clock(_) = question {
                self.set_error(self.texts().clock_refused().to_string());
            }
            return Ok(());
        }
        if matches!(question, Confirm::CancelDay) {
            // Nothing is opened to be cancelled.
            return if self.refuse_if_read_only() {
                Ok(())
            } else {
                self.cancel_day()
            };
        }
        if let Confirm::Clock(_) = question {
            // Said right: believed for the rest of this run.
            self.clock_yes = true;
            self.set_info(self.texts().clock_accepted().to_string());
            return if self.hold == Hold::Off {
                self.open_pending_session()
            } else {
                Ok(())
            };
        }
        if question == Confirm::Quit {
            return self.answer_quit();
        }
        match question {
            Confirm::Delete(id) => {
                let Some(now) = self.ready_to_write() else {
                    return Ok(());
                };
                let (time, topics) = self.time_and_topics(id);
                self.delete_visit(id, &now)?;
                self.saved.retain(|(v, _)| *v != id);
                self.set_info(self.texts().visit_deleted(&time, &topics));
            }
            Confirm::StartSession => {
                if self.ready_to_write().is_some() {
                    self.start_session()?;
                }
            }
            Confirm::NewSession => self.renew_session()?,
            Confirm::Undo(id, ..) => self.undo_visit(id)?,
            Confirm::CancelDay | Confirm::Quit | Confirm::RestoreDraft(_) | Confirm::Clock(_) => {
                unreachable!("answered above")
            }
        }
        Ok(())
    }

    /// The user chose to quit and drop the unsaved visit.
    fn answer_quit(&mut self) -> Result<(), Error> {
        if let Some(d) = self.duty.as_mut() {
            if let Some((_, stash)) = d.editing.take() {
                d.form = stash;
            }
            d.form = d.profile.fresh_entry(Some(&d.form));
        }
        self.flush_draft();
        self.quit = true;
        Ok(())
    }

    fn back(&mut self) {
        match self.view {
            View::Help => self.view = self.behind_help,
            View::Tally | View::Report | View::Vouchers | View::Events => self.view = View::Duty,
            View::Chooser => {}
            View::Duty => {
                let cancelled = self.texts().edit_cancelled();
                let Some(d) = self.duty.as_mut() else { return };
                if let Some((_, stash)) = d.editing.take() {
                    d.form = stash;
                    d.edit_at = None;
                    self.set_info(cancelled.to_string());
                } else {
                    d.focus = Focus::Form;
                }
            }
        }
    }

    fn request_quit(&mut self) {
        match self.duty.as_mut() {
            Some(d)
                if d.editing.is_some()
                    || !d.form.topics.is_empty()
                    || d.form.referral.is_some()
                    || !d.form.note.is_empty() =>
            {
                self.view = View::Duty;
                d.modal = Some(Modal::Confirm(Confirm::Quit));
            }
            _ => self.quit = true,
        }
    }
}

mod report;

pub use report::{Panel, ReportAction, ReportState, panel_heights, panel_window};

#[cfg(test)]
mod tests;

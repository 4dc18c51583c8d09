//! English texts.

use super::{EventTexts, PrivacyTexts, SessionTexts, Texts, VoucherTexts};
use super::{demo_profiles, demo_span};
use crate::config::{ConfigError, ConfigErrorKind};
use crate::demo::DemoSummary;
use crate::error::{Error, OutputRefusal};
use crate::files::Cause;
use crate::keys::{Bar, Cmd};
use crate::locale::{Lang, decimal, signed_decimal};
use crate::platform::{Access, PrintFailure};
use crate::store::lock::LockError;
use crate::store::maintenance::Finding;
use crate::store::maintenance::MaintError;
use crate::store::{FileKind, Problem, StoreError};

pub struct En;

impl Texts for En {
    fn lang(&self) -> Lang {
        Lang::En
    }

    fn session_label(&self) -> &'static str {
        "Session"
    }
    fn this_session(&self) -> &'static str {
        "This session"
    }
    fn today(&self) -> &'static str {
        "Today"
    }
    fn running_average(&self, mean: Option<f64>, sessions: u32) -> String {
        match mean {
            Some(m) => {
                let s = if sessions == 1 { "session" } else { "sessions" };
                format!("avg {} / session ({sessions} {s})", decimal(m, Lang::En))
            }
            None => "avg – / session".into(),
        }
    }
    fn year_average(&self, year: i32, mean: Option<f64>, sessions: u32) -> String {
        match mean {
            Some(m) => {
                let s = if sessions == 1 { "session" } else { "sessions" };
                format!(
                    "In {year} so far {} visitors per session on average ({sessions} {s})",
                    decimal(m, Lang::En)
                )
            }
            None => format!("No sessions in {year} yet"),
        }
    }
    fn new_visit(&self) -> &'static str {
        "New visit"
    }
    fn edit_visit(&self, time: &str) -> String {
        format!("Edit visit {time}")
    }
    fn more_topics(&self) -> &'static str {
        "more topics…"
    }
    fn referral(&self) -> &'static str {
        "Referred"
    }
    fn note(&self) -> &'static str {
        "Note"
    }
    fn note_hint(&self) -> &'static str {
        "(no names)"
    }
    fn no_visits_yet(&self) -> &'static str {
        "No visits yet."
    }

    fn saved(&self, time: &str) -> String {
        format!("Saved {time} · undo: u")
    }
    fn updated(&self, time: &str) -> String {
        format!("Visit {time} updated")
    }
    fn need_topic(&self) -> &'static str {
        "Choose at least one topic first (1–9 or 0). Nothing was saved."
    }
    fn undone(&self, what: &str) -> String {
        format!("Undone: {what}")
    }
    fn nothing_to_undo(&self) -> &'static str {
        "Nothing to undo: u undoes only visits this window saved in the last 10 minutes."
    }
    fn visit_deleted(&self, time: &str, topics: &str) -> String {
        format!("Deleted the visit at {time} ({topics})")
    }
    fn visit_undone(&self, time: &str, topics: &str) -> String {
        format!("Undid the visit at {time} ({topics})")
    }
    fn confirm_delete(&self, time: &str, what: &str) -> String {
        format!("Delete the visit at {time} ({what})?")
    }
    fn confirm_new_session(&self) -> &'static str {
        "End this session and start a new one?"
    }
    fn confirm_quit_unsaved(&self) -> &'static str {
        "The form has an unsaved visit. Quit anyway?"
    }
    fn new_session_started(&self, time: &str) -> String {
        format!("New session started {time}")
    }
    fn location_changed(&self, location: &str) -> String {
        format!("Place changed: {location}")
    }
    fn note_too_long(&self, chars: usize, max: usize) -> String {
        format!("The note is too long ({chars} characters, at most {max}). Please shorten it.")
    }
    fn confirm_answer(&self) -> &'static str {
        "y yes · n no"
    }
    fn save_failed(&self, error: &str) -> String {
        format!("Saving failed: {error}. The visit is still on the form; press Enter to retry.")
    }
    fn edit_cancelled(&self) -> &'static str {
        "Editing cancelled."
    }
    fn window_too_small(&self, w: u16, h: u16, need_w: u16, need_h: u16) -> String {
        format!(
            "Please make the window larger: tiski needs at least {need_w}×{need_h} (now {w}×{h})."
        )
    }

    fn confirm_restore_draft(&self, what: &str) -> String {
        format!("A visit was left unsaved ({what}). Put it back on the form?")
    }
    fn draft_restored(&self) -> &'static str {
        "The unsaved visit is back on the form. Press Enter to save it."
    }
    fn draft_in_file(&self, path: &str) -> String {
        format!("The unsaved visit was kept in {path}; it will be offered back at the next start.")
    }
    fn draft_not_kept(&self, error: &str) -> String {
        format!(
            "The unsaved visit could not be kept on disk ({error}). Do not close tiski until saving works."
        )
    }
    fn database_replaced(&self, path: &str) -> String {
        format!(
            "The database {path} is no longer in its place (its folder was moved or renamed, or the file replaced while tiski was open). The visit was not saved: it is still on the form. Put the file back and saving works again, or quit tiski (q) and start it again."
        )
    }
    fn database_back(&self) -> &'static str {
        "The database is back in its place: saving works again."
    }
    fn clock_doubt(&self, doubt: &crate::clock::Doubt) -> String {
        use crate::clock::Doubt;
        let at = |t: &chrono::NaiveDateTime| {
            format!(
                "{} at {}",
                crate::locale::date(t.date(), crate::locale::Lang::En),
                crate::locale::time(*t, crate::locale::Lang::En)
            )
        };
        match doubt {
            Doubt::BeforeFirstYear { now } => {
                format!(
                    "The computer's clock shows {}, which cannot be right.",
                    at(now)
                )
            }
            Doubt::Behind { now, last } => format!(
                "The computer's clock shows {}, but the log was last written {}: the clock has gone back.",
                at(now),
                at(last)
            ),
            Doubt::Ahead { now, last } => format!(
                "The computer's clock shows {}, but the log was last written {}: the clock may be wrong.",
                at(now),
                at(last)
            ),
        }
    }
    fn clock_question(&self) -> &'static str {
        "Is the clock right? Nothing is saved until you answer."
    }
    fn clock_accepted(&self) -> &'static str {
        "Clock accepted for this run."
    }
    fn clock_refused(&self) -> &'static str {
        "Set the computer's clock right (Windows: Settings › Time & language). Nothing is saved until then."
    }
    fn visit_refusal(&self, r: &crate::checked::VisitRefusal) -> String {
        use crate::checked::{Part, VisitRefusal as R};
        match r {
            R::NoTopic => "a visit needs at least one topic".into(),
            R::Note(p) => self.privacy_error(p),
            R::Unknown { part, key } => {
                let what = match part {
                    Part::Topic => "topic",
                    Part::Referral => "referral",
                    Part::Field => "field",
                    Part::Option => "field value",
                };
                format!("the profile has no {what} \"{key}\"")
            }
        }
    }
    fn read_only_refused(&self) -> &'static str {
        "The database is damaged and nothing is written to it. Restore a backup: tiski restore FILE (see tiski doctor)."
    }
    fn database_damaged(&self, problems: usize) -> String {
        format!(
            "The database check found {problems} problem(s): nothing more is saved. The form is kept in a file. Restore a backup: tiski restore."
        )
    }
    fn backup_failed(&self, error: &str) -> String {
        format!("Today's backup failed: {error}")
    }
    fn network_drive(&self, kind: &str, path: &str) -> String {
        format!(
            "WARNING: the database {path} is on a network drive or in a synced folder ({kind}). SQLite's locking cannot be trusted there, and syncing may copy a half-written file: keep the database on this computer (the local app data folder) and combine desks with export and import."
        )
    }

    fn location(&self) -> &'static str {
        "Place"
    }
    fn picker_footer(&self, can_clear: bool) -> &'static str {
        if can_clear {
            "a key chooses · - clear · Esc cancel"
        } else {
            "a key chooses · Esc cancel"
        }
    }
    fn topics_picker_footer(&self) -> &'static str {
        "a key toggles · Enter/Esc done"
    }
    fn note_title(&self) -> &'static str {
        "Note — do not write names or identity codes"
    }
    fn note_footer(&self) -> &'static str {
        "Enter done · Esc cancel"
    }
    fn confirm_title(&self) -> &'static str {
        "Confirm"
    }
    fn choose_profile(&self) -> &'static str {
        "Choose a profile"
    }
    fn language_remembered(&self) -> &'static str {
        "Language: English. Remembered for later starts and commands (--lang chooses for one run)."
    }
    fn no_such_profile(&self, n: usize, count: usize) -> String {
        format!("No profile {n}: choose 1–{count}.")
    }
    fn visit_time_title(&self) -> &'static str {
        "Time of the visit (hh:mm, same day)"
    }
    fn visit_time_footer(&self) -> &'static str {
        "Enter done · Esc cancel"
    }
    fn bad_visit_time(&self, typed: &str) -> String {
        format!("The time “{typed}” is not valid: type e.g. 10:05.")
    }
    fn visit_time_in_future(&self) -> &'static str {
        "The time is in the future: a visit is logged only afterwards."
    }
    fn finish_editing_first(&self) -> &'static str {
        "Finish editing the visit first (Enter saves, Esc cancels)."
    }

    fn tally_title(&self) -> &'static str {
        "Day tally"
    }
    fn tally_visitors(&self, visitors: u32, sessions: u32) -> String {
        let s = if sessions == 1 { "session" } else { "sessions" };
        format!("Visitors {visitors} ({sessions} {s})")
    }
    fn tally_vs_average(&self, session: u32, mean: Option<f64>) -> String {
        match mean {
            Some(m) => format!(
                "This session {session} · avg {} / session ({})",
                decimal(m, Lang::En),
                signed_decimal(f64::from(session) - m, Lang::En)
            ),
            None => format!("This session {session}"),
        }
    }
    fn topics(&self) -> &'static str {
        "Topics"
    }
    fn referrals(&self) -> &'static str {
        "Referred"
    }
    fn by_hour(&self) -> &'static str {
        "By hour"
    }

    fn help_title(&self) -> &'static str {
        "Help — keys"
    }
    fn key_help(&self, cmd: Cmd) -> &'static str {
        match cmd {
            Cmd::Topic => "toggle a topic",
            Cmd::MoreTopics => "more topics",
            Cmd::Save => "save the visit",
            Cmd::Events => "events and groups",
            Cmd::HeadCount => "head-count: several at once",
            Cmd::Referral => "referred (where to)",
            Cmd::Note => "note (no names)",
            Cmd::Undo => "undo this session's last visit",
            Cmd::List => "today's visits: ↑↓ select",
            Cmd::Edit => "edit the selected visit",
            Cmd::Delete => "delete selected (asks first)",
            Cmd::Place => "change place",
            Cmd::NewSession => "end session, start a new one",
            Cmd::CancelDay => "cancel today's session",
            Cmd::Tally => "day tally",
            Cmd::Report => "report and charts",
            Cmd::Voucher => "voucher as part of the visit",
            Cmd::Register => "voucher register",
            Cmd::SwitchProfile => "switch profile",
            Cmd::EditTime => "time of the visit being edited",
            Cmd::Help => "this help",
            Cmd::Back => "back / cancel",
            Cmd::Quit => "quit (ends the session)",
            Cmd::Week => "this week",
            Cmd::Month => "this month",
            Cmd::SeasonPeriod => "this season",
            Cmd::Year => "this year",
            Cmd::CustomPeriod => "a period of your own (type the dates)",
            Cmd::StepPeriod => "previous / next period",
            Cmd::NextPanel => "next panel",
            Cmd::ScrollPanel => "scroll the panel a row",
            Cmd::PagePanel => "scroll the panel a page",
            Cmd::Select => "choose a voucher",
            Cmd::MarkUsed => "mark used",
            Cmd::CancelVoucher => "cancel the voucher",
            Cmd::Print => "print the voucher (PDF file)",
            Cmd::PrintToPrinter => "print the voucher on the printer",
            Cmd::Filter => "show by status",
            Cmd::Summary => "season summary",
            Cmd::StepSeason => "previous / next season",
            Cmd::Search => "search number/product/status",
            Cmd::SelectEvent => "choose an event or a group",
            Cmd::NewEvent => "new event",
            Cmd::EditEvent => "edit the selected event (Enter too)",
            Cmd::NewGroup => "new group",
            Cmd::NewMeeting => "meeting of the selected group",
            Cmd::NewFeedback => "feedback for the selected",
            Cmd::StepYear => "previous / next year",
            Cmd::StepDay => "the day before / after (up to today)",
            Cmd::Cursor => "move in the text (a pre-filled value is selected: typing replaces it)",
            Cmd::Erase => "erase before / under the cursor",
            Cmd::Field => "field: next Tab ↓, previous Shift-Tab ↑",
            Cmd::Choose => "choose from the list by its digit or ←→",
            Cmd::Product => "product",
            Cmd::CheckIdentity => "duplicate check: birth date and name",
            Cmd::ShowName => "show the name typed, or mask it",
            Cmd::ReadBack => "read the view again (the form, the chosen row, the tally)",
            Cmd::Profile => "choose the profile of that number",
            Cmd::Language => "suomeksi (remembered for later starts)",
            Cmd::ScreenReader => "screen-reader mode (remembered for later starts)",
        }
    }
    fn key_help_in(&self, bar: Bar, cmd: Cmd) -> &'static str {
        match (bar, cmd) {
            (Bar::VoucherForm, Cmd::Save) => {
                "issue the voucher (asks first if the person has had one)"
            }
            (Bar::VoucherForm, Cmd::Back) => {
                "from a field to the product; from the product, close the form"
            }
            _ => self.key_help(cmd),
        }
    }
    fn key_hint(&self, bar: Bar, cmd: Cmd) -> &'static str {
        match (bar, cmd) {
            (Bar::Form, Cmd::Save) => "save",
            (Bar::Form, Cmd::Undo) => "undo",
            (Bar::Form, Cmd::List) => "list",
            (Bar::Form, Cmd::Place) => "place",
            (Bar::Form, Cmd::Tally) => "tally",
            (Bar::List, Cmd::List) => "select",
            (Bar::List, Cmd::Edit) => "edit",
            (Bar::List, Cmd::Delete) => "delete",
            (Bar::List, Cmd::Back) => "back to form",
            (Bar::Editing, Cmd::Save) => "save changes",
            (Bar::Editing, Cmd::EditTime) => "time",
            (Bar::Editing, Cmd::Back) => "cancel editing",
            (Bar::Report, Cmd::Week) => "week",
            (Bar::Report, Cmd::Month) => "month",
            (Bar::Report, Cmd::SeasonPeriod) => "season",
            (Bar::Report, Cmd::Year) => "year",
            (Bar::Report, Cmd::CustomPeriod) => "custom",
            (Bar::Report, Cmd::StepPeriod) => "period",
            (Bar::Report, Cmd::NextPanel) => "panel",
            (Bar::Report, Cmd::ScrollPanel) => "scroll",
            (Bar::Register, Cmd::MarkUsed) => "used",
            (Bar::Register, Cmd::CancelVoucher) => "cancel",
            (Bar::Register, Cmd::Print) => "PDF",
            (Bar::Register, Cmd::PrintToPrinter) => "print",
            (Bar::Register, Cmd::Search) => "search",
            (Bar::Events, Cmd::NewEvent) => "event",
            (Bar::Events, Cmd::NewGroup) => "group",
            (Bar::Events, Cmd::NewMeeting) => "meeting",
            (Bar::Events, Cmd::EditEvent) => "edit",
            (Bar::Events, Cmd::NewFeedback) => "feedback",
            (Bar::Register, Cmd::Summary) => "summary",
            (Bar::Summary, Cmd::Back) => "to the register",
            (Bar::VoucherForm, Cmd::CheckIdentity) => "check",
            (Bar::VoucherForm, Cmd::ShowName) => "show name",
            (Bar::VoucherForm, Cmd::Save) => "issue",
            (Bar::VoucherForm | Bar::Dialog | Bar::EventForm, Cmd::Field) => "field",
            (Bar::Dialog, Cmd::Save) => "save",
            (Bar::EventForm, Cmd::Save) => "next",
            (Bar::EventForm, Cmd::Choose) => "choose",
            (Bar::EventForm, Cmd::Back) => "cancel",
            (Bar::Help, Cmd::Back) => "close",
            (Bar::Chooser, Cmd::Profile) => "profile",
            (Bar::Chooser, Cmd::ScreenReader) => "screen reader",
            (Bar::Chooser, Cmd::Language) => "suomeksi",
            (Bar::Tally, Cmd::StepDay) => "day",
            (Bar::Tally, Cmd::ScrollPanel) => "scroll",
            (_, Cmd::Report) => "report",
            (_, Cmd::Back) => "back",
            (_, Cmd::Help) => "help",
            (_, Cmd::Quit) => "quit",
            _ => "",
        }
    }

    fn logged_new_session(&self, date: &str, location: &str, on_rota: bool) -> String {
        let rota = if on_rota {
            "a duty of the rota"
        } else {
            "not on the rota: it counts as a held session"
        };
        format!("New session {date} ({location}): {rota}.")
    }
    fn logged(
        &self,
        date: &str,
        time: &str,
        profile: &str,
        location: &str,
        topics: &str,
    ) -> String {
        format!("Saved {date} at {time} · {profile} · {location} · {topics}")
    }
    fn tally_heading(&self, date: &str, profile: Option<&str>) -> String {
        match profile {
            Some(p) => format!("Day tally {date} · {p}"),
            None => format!("Day tally {date} · all profiles"),
        }
    }
    fn none(&self) -> &'static str {
        "–"
    }
    fn config_source_embedded(&self) -> &'static str {
        "embedded defaults"
    }
    fn config_source_file(&self, path: &str) -> String {
        format!("embedded defaults, overridden by {path}")
    }
    fn config_user_path(&self, path: &str, exists: bool) -> String {
        if exists {
            format!("user config file: {path}")
        } else {
            format!("user config file (does not exist): {path}")
        }
    }

    fn backup_done(&self, path: &str) -> String {
        format!("Backup made: {path}")
    }
    fn restored(&self, backup: &str, aside: Option<&str>) -> String {
        match aside {
            Some(a) => format!("Restored from {backup}. The previous file was kept as {a}."),
            None => format!("Restored from {backup}."),
        }
    }
    fn finding(&self, f: &Finding) -> String {
        match f {
            Finding::Missing => "there is no database".into(),
            Finding::NotADatabase => "the file is not an SQLite database".into(),
            Finding::Schema { found, supported } => {
                format!("schema version {found} (this tiski knows {supported})")
            }
            Finding::Integrity(p) if p.is_empty() => "integrity_check: ok".into(),
            Finding::Integrity(p) => format!(
                "integrity_check found {} problem(s): {}",
                p.len(),
                p.join("; ")
            ),
            Finding::JournalMode(m) => format!("journal_mode: {m}"),
            Finding::Synchronous(s) => format!("synchronous: {s} (2 = FULL)"),
            Finding::Access { path, access, dir } => {
                let what = match access {
                    Access::Mode(m) => format!("permissions {m:o}"),
                    Access::Acl { others } if others.is_empty() => "yours alone".into(),
                    Access::Acl { others } => format!("also open to: {}", others.join(", ")),
                };
                if f.is_problem() {
                    format!(
                        "{what} (should be yours alone): {}; fix: {}",
                        path.display(),
                        crate::platform::fix_command(path, *dir)
                    )
                } else {
                    format!("{what}: {}", path.display())
                }
            }
            Finding::NetworkFs(k) => {
                format!(
                    "the database is on a network drive or in a synced folder ({k}): locking cannot be trusted"
                )
            }
            Finding::Backups { count, newest } => match newest {
                Some(n) => format!("{count} backup(s), newest {}", n.display()),
                None => "no backups (tiski backup makes one)".into(),
            },
            Finding::Counts { differing: 0 } => "the report counts match the visits".into(),
            Finding::Counts { differing } => format!(
                "{differing} rows of the report counts do not match the visits (tiski doctor --recount counts them again)"
            ),
            Finding::Privacy(p) => self.privacy_finding(p),
        }
    }
    fn recounted(&self) -> &'static str {
        "The report counts were counted again from the visits."
    }
    fn not_recounted(&self) -> &'static str {
        "The report counts were not counted again: the file has the fault shown below (tiski restore brings back a backup)."
    }
    fn doctor_summary(&self, problems: usize) -> String {
        if problems == 0 {
            "All is well.".into()
        } else {
            format!("Problems: {problems}.")
        }
    }

    fn problem(&self, p: Problem) -> &'static str {
        match p {
            Problem::Busy => "another tiski window or command holds the database lock",
            Problem::Full => "the disk is full (or a file-size limit was reached)",
            Problem::ReadOnly => "the database cannot be written (read-only or permissions)",
            Problem::Corrupt => "the database is damaged; restore a backup: tiski restore FILE",
            Problem::Io => "writing to the disk failed (disk full or faulty)",
        }
    }
    fn demo_not_empty(&self, sessions: u32) -> String {
        format!(
            "it already holds {sessions} duty sessions; demo data goes only into a new, empty database (--db)"
        )
    }
    fn demo_done(&self, s: &DemoSummary, secs: f64) -> String {
        format!(
            "{} visits, {} duty sessions ({} without visitors), {} vouchers, {} events, {} groups, {}, {} desks per profile [sessions/visits: {}], {} s",
            s.visits,
            s.sessions,
            s.empty_sessions,
            s.vouchers,
            s.events,
            s.groups,
            demo_span(s, Lang::En),
            s.desks,
            demo_profiles(s),
            decimal(secs, Lang::En)
        )
    }
    fn help_not_written(&self, c: &Cause) -> String {
        format!("the help cannot be written: {}", cause(c))
    }
    fn error_prefix(&self) -> &'static str {
        "error"
    }
    fn config_error(&self, e: &ConfigError) -> String {
        let place = match (&e.file, e.line) {
            (Some(f), Some(l)) => format!("{}, line {l}", f.display()),
            (Some(f), None) => f.display().to_string(),
            (None, Some(l)) => format!("embedded config, line {l}"),
            (None, None) => "embedded config".into(),
        };
        let what = match &e.kind {
            ConfigErrorKind::Read(r) => format!("cannot read the file: {}", cause(r)),
            ConfigErrorKind::Parse(p) => format!("invalid TOML: {p}"),
            ConfigErrorKind::NoTopics { profile } => {
                format!("profile \"{profile}\" has no topic in use")
            }
            ConfigErrorKind::DuplicateKey { profile, list, key } => {
                format!("profile \"{profile}\": key \"{key}\" appears twice in {list}")
            }
            ConfigErrorKind::BadKey { profile, key } => format!(
                "profile \"{profile}\": key \"{key}\" is not valid (allowed: a–z, 0–9, _ and -)"
            ),
            ConfigErrorKind::UnknownShortPlace { profile, place } => format!(
                "profile \"{profile}\": short_places names \"{place}\", which is not in its locations"
            ),
            ConfigErrorKind::UnknownDefaultLocation { profile, location } => format!(
                "profile \"{profile}\": default location \"{location}\" is not in its locations"
            ),
            ConfigErrorKind::UnknownFieldDefault {
                profile,
                field,
                value,
            } => format!(
                "profile \"{profile}\": the default \"{value}\" of field \"{field}\" is not one of its options"
            ),
            ConfigErrorKind::BadHotkey {
                profile,
                field,
                hotkey,
            } => format!(
                "profile \"{profile}\": hotkey \"{hotkey}\" of field \"{field}\" is already taken (reserved: {})",
                crate::keys::reserved_chars()
            ),
            ConfigErrorKind::NoProfiles => "no profiles are defined".into(),
            ConfigErrorKind::Schedule { profile, problem } => {
                format!(
                    "the schedule of profile \"{profile}\": {}",
                    self.schedule_problem(problem)
                )
            }
            ConfigErrorKind::Voucher { profile, problem } => {
                self.voucher_config_problem(profile, problem)
            }
            ConfigErrorKind::Retention(p) => self.retention_problem(p),
            ConfigErrorKind::Server(p) => crate::i18n::ServerTexts::server_config_problem(self, p),
        };
        format!("config: {place}: {what}")
    }
    fn error(&self, e: &Error) -> String {
        match e {
            Error::Config(c) => self.config_error(c),
            Error::Store(s) => match s {
                StoreError::Open { path, reason } => format!(
                    "cannot open the database {}: {reason}. Check the path and permissions (--db).",
                    path.display(),
                    reason = crate::i18n::en::cause(reason)
                ),
                StoreError::NotADatabase { path } => format!(
                    "{} is not a tiski database (not an SQLite file). It was not changed. Give the right file with --db.",
                    path.display()
                ),
                StoreError::Foreign { path } => format!(
                    "{} is another program's SQLite database, not tiski's. It was not changed. Give tiski's database with --db.",
                    path.display()
                ),
                StoreError::NotAFile { path, kind } => format!(
                    "{} is not a file but {}. It was not changed. Give a database file with --db.",
                    path.display(),
                    match kind {
                        FileKind::Directory => "a folder",
                        FileKind::Special => "a special file (a pipe or a device)",
                    }
                ),
                StoreError::HotJournal { path } => format!(
                    "{} has another program's unfinished write beside it (a -journal file). It was not opened or changed; open it first with the program that made it.",
                    path.display()
                ),
                StoreError::TooNew {
                    path,
                    found,
                    supported,
                } => format!(
                    "the database {} was made by a newer tiski (schema {found}, this one knows {supported}). It was not changed. Please update tiski.",
                    path.display()
                ),
                StoreError::Sqlite(e) => match s.problem() {
                    Some(p) => format!("{} ({e})", self.problem(p)),
                    None => format!("database error: {e}"),
                },
                StoreError::NoDatabase { path } => format!(
                    "no tiski database at {}; none was created. Check the path (--db).",
                    path.display()
                ),
                StoreError::Voucher(v) => self.voucher_error(v),
                StoreError::Event(e) => self.event_error(e),
                StoreError::DayHasVisits { date, visitors } => {
                    self.day_has_visits(&crate::locale::date(*date, Lang::En), *visitors)
                }
                StoreError::SessionExists {
                    date,
                    location,
                    visitors,
                } => {
                    self.session_exists(&crate::locale::date(*date, Lang::En), location, *visitors)
                }
            },
            Error::UnknownProfile { id, valid } => {
                format!("unknown profile \"{id}\". Valid ones: {valid}")
            }
            Error::ProfileRequired { valid } => {
                format!("give a profile with --profile. Valid ones: {valid}")
            }
            Error::UnknownTopic {
                key,
                profile,
                valid,
                nearest,
            } => format!(
                "profile \"{profile}\" has no topic \"{key}\"{}. Valid ones: {valid}",
                did_you_mean(nearest)
            ),
            Error::UnknownReferral {
                key,
                profile,
                valid,
                nearest,
            } => format!(
                "profile \"{profile}\" has no referral target \"{key}\"{}. Valid ones: {valid}",
                did_you_mean(nearest)
            ),
            Error::UnknownLocation {
                name,
                profile,
                valid,
            } => {
                format!("profile \"{profile}\" has no place \"{name}\". Valid ones: {valid}")
            }
            Error::BadDateTime { value } => format!(
                "\"{value}\" is not a valid time: use YYYY-MM-DD HH:MM, e.g. 2023-11-14 10:05 (or 14.11.2023 10.05)"
            ),
            Error::FutureTime { value } => {
                format!(
                    "\"{value}\" is in the future; a visit can only be logged after it happened"
                )
            }
            Error::DateOutOfRange { value, from, to } => format!(
                "the date \"{value}\" is not between {} and {}: check the year",
                crate::locale::date(*from, Lang::En),
                crate::locale::date(*to, Lang::En)
            ),
            Error::YearOutOfRange { value } => format!(
                "the year \"{value}\" is not valid: give a year from {} to {}",
                crate::clock::FIRST_YEAR,
                crate::clock::LAST_YEAR
            ),
            Error::BadTimeOfDay { value } => {
                format!("the time \"{value}\" is not valid: use HH:MM, e.g. 10:00")
            }
            Error::EndBeforeStart { start, end } => {
                format!("a session cannot end ({end}) before it starts ({start})")
            }
            Error::NotOnRota { profile, date } => format!(
                "the rota of profile \"{profile}\" has no session on {}. The rota is in the config under [[profiles.{profile}.schedule]].",
                crate::locale::date(*date, Lang::En)
            ),
            Error::TimesNeeded { date } => format!(
                "the rota has no session on {}: give its hours with --start and --end (e.g. --start 10:00 --end 12:00)",
                crate::locale::date(*date, Lang::En)
            ),
            Error::NoSuchDay { value } => format!(
                "there is no day \"{value}\" in the calendar: check the day and the month"
            ),
            Error::BadDate { value } => {
                format!(
                    "\"{value}\" is not a valid date: use YYYY-MM-DD, e.g. 2023-11-14 (or 14.11.2023)"
                )
            }
            Error::ConfigMissing(p) => {
                format!("the config file {} does not exist (--config)", p.display())
            }
            Error::NoDataDir => {
                "no home directory to keep data in; give a database with --db".into()
            }
            Error::Report(r) => super::ReportTexts::report_error(self, r),
            Error::NoTerminal(_) => "the duty screen needs a terminal: start tiski in a terminal window (Windows Terminal, the console, or a Linux terminal). Commands such as tiski tally work without one.".into(),
            Error::Terminal(e) => format!("terminal: {e}"),
            Error::Stdout(e) => format!(
                "cannot write the output: {e}. The command was carried out; only its report was lost, so do not repeat it.",
                e = cause(&Cause::from(e))
            ),
            Error::Output { path, reason } => {
                format!(
                    "cannot write {}: {reason}",
                    path.display(),
                    reason = crate::i18n::en::cause(reason)
                )
            }
            Error::Printer { path, failure } => {
                let cmd = crate::platform::PRINT_COMMAND;
                let path = path.display();
                match failure {
                    PrintFailure::Missing => format!(
                        "printing failed: {cmd} is not available (the command was not found, or no program is set to print PDF files). The voucher was written to {path}; print it another way."
                    ),
                    PrintFailure::CannotRun(kind) => format!(
                        "printing failed: {cmd} could not be started ({}). The voucher was written to {path}; print it another way.",
                        cause(&crate::files::Cause::from(&std::io::Error::from(*kind)))
                    ),
                    PrintFailure::Refused(said) => format!(
                        "printing failed: {cmd} said: {said}. The voucher was written to {path}; print it another way."
                    ),
                }
            }
            Error::OutputRefused { path, why } => {
                let what = match why {
                    OutputRefusal::Log => "is tiski's database or part of it",
                    OutputRefusal::Key => "is the vouchers' secret key",
                    OutputRefusal::Backup => "is a backup",
                    OutputRefusal::Sqlite => "is an SQLite database",
                    OutputRefusal::NotAFile => "is not an ordinary file",
                    OutputRefusal::Exists => {
                        "exists already (--force replaces it, or give another name)"
                    }
                };
                format!(
                    "{} is not written: it {what}. Nothing was changed.",
                    path.display()
                )
            }
            Error::DoctorFound(n) => format!("tiski doctor found {n} problem(s) (see above)"),
            Error::Maint(m) => match m {
                MaintError::BadBackup { path, reason } => format!(
                    "{} is not a usable backup: {reason}. Nothing was changed.",
                    path.display(),
                    reason = crate::i18n::en::cause(reason)
                ),
                MaintError::Damaged { path, problems } => format!(
                    "the database {} is damaged ({} problems), so nothing is written into it and it is not backed up. Nothing was changed. Restore a backup: tiski restore FILE (see tiski doctor).",
                    path.display(),
                    problems.len()
                ),
                MaintError::Io { path, reason } => format!(
                    "{}: {reason}",
                    path.display(),
                    reason = crate::i18n::en::cause(reason)
                ),
                MaintError::Sqlite(e) => format!("database error: {e}"),
            },
            Error::Lock(l) => match l {
                LockError::InUse { path, pid } => format!(
                    "the database {} is open in another tiski{}. Close it first (q) and try again. Nothing was changed.",
                    path.display(),
                    pid.map_or(String::new(), |p| format!(" (process {p})"))
                ),
                LockError::Io { path, reason } => {
                    format!(
                        "cannot use the lock file {}: {reason}",
                        path.display(),
                        reason = crate::i18n::en::cause(reason)
                    )
                }
            },
            Error::Voucher(v) => self.voucher_error(v),
            Error::Privacy(p) => self.privacy_error(p),
            Error::Event(e) => self.event_error(e),
            Error::FeedbackNeeds => self.feedback_needs().to_string(),
            Error::Visit(r) => self.visit_refusal(r),
            Error::EarlierYear { value, year } => format!(
                "{value} is in {year}, a year that has ended: its figures would change. Nothing was saved. If you meant it, run the command again with --confirm."
            ),
            Error::AmbiguousKey { value, keys } => format!(
                "\"{value}\" is the name of several choices ({keys}): give a key, e.g. --topic {}",
                keys.split(", ").next().unwrap_or_default()
            ),
            Error::Clock(d @ crate::clock::Doubt::BeforeFirstYear { .. }) => format!(
                "{} Nothing was saved. Set the computer's clock right.",
                self.clock_doubt(d)
            ),
            Error::Clock(d) => format!(
                "{} Nothing was saved. If the clock is right, run the command again with --confirm.",
                self.clock_doubt(d)
            ),
            Error::Server(e) => crate::i18n::ServerTexts::server_error(self, e),
        }
    }
}

/// Why a file operation failed, as a clause after a colon.
pub(crate) fn cause(c: &Cause) -> String {
    match c {
        Cause::NotFound => "it does not exist".into(),
        Cause::PermissionDenied => "permission denied".into(),
        Cause::AlreadyExists => "it exists already".into(),
        Cause::NotAFile => "it is not a regular file".into(),
        Cause::TooLarge { mb } => format!("it is larger than {mb} MB"),
        Cause::DiskFull => "the disk is full".into(),
        Cause::ReadOnly => "the disk is read-only".into(),
        Cause::Busy => "another program is using it".into(),
        Cause::NotText => "it is not text (UTF-8)".into(),
        Cause::LineTooLong { line, kb } => format!("its line {line} is longer than {kb} kB"),
        Cause::NotADatabase => "it is not a database".into(),
        Cause::NotTiski => "it is not a tiski database".into(),
        Cause::Corrupt => "it is damaged".into(),
        Cause::Damaged(detail) => format!("it is damaged ({detail})"),
        Cause::TooNew => "a newer tiski wrote it".into(),
        Cause::OpenDatabase => {
            "it is the database tiski has open (or one of its companion files)".into()
        }
        Cause::Stopped => "the reading stopped before its end".into(),
        Cause::Other(s) => s.clone(),
    }
}

/// After a key typed wrongly: `; did you mean "digituki"?`, or nothing.
fn did_you_mean(nearest: &Option<String>) -> String {
    nearest
        .as_ref()
        .map_or(String::new(), |k| format!(" (did you mean \"{k}\"?)"))
}

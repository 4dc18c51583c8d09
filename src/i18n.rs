//! The interface languages: every user-facing string lives behind the
//! `Texts` trait, implemented once per language in `fi.rs` and `en.rs`, so
//! the compiler keeps both complete. Number and date formats are in `locale`.

pub mod cli_help;
mod documents;
pub(crate) mod en;
pub(crate) mod fi;
mod report;

pub use documents::{ChartDescription, DocWord, DocumentTexts};
pub use report::{ReportTexts, Word};
mod sessions;
mod vouchers;

pub use sessions::SessionTexts;
pub use vouchers::VoucherTexts;
mod events;
mod forms;
mod privacy;
mod server;
pub use events::EventTexts;
pub use forms::FormTexts;
pub use server::ServerTexts;
mod speech;
pub use speech::SpeechTexts;

pub use privacy::{NoticeFacts, NoticeProfile, NoticeSection, PrivacyTexts};

use crate::config::ConfigError;
use crate::error::Error;
use crate::keys::{Bar, Cmd};
use crate::locale::Lang;
use crate::store::Problem;

/// The texts of one language.
pub fn texts(lang: Lang) -> &'static dyn Texts {
    match lang {
        Lang::Fi => &fi::Fi,
        Lang::En => &en::En,
    }
}

/// Every user-facing string, per language.
pub trait Texts:
    EventTexts
    + ReportTexts
    + DocumentTexts
    + SessionTexts
    + VoucherTexts
    + PrivacyTexts
    + ServerTexts
    + FormTexts
    + SpeechTexts
    + Sync
{
    fn lang(&self) -> Lang;

    // ---- duty screen ----
    fn session_label(&self) -> &'static str;
    fn this_session(&self) -> &'static str;
    fn today(&self) -> &'static str;
    /// "ka 5,3 (13 päivystystä)"
    fn running_average(&self, mean: Option<f64>, sessions: u32) -> String;
    /// The tally's line on the year so far, spelled out.
    fn year_average(&self, year: i32, mean: Option<f64>, sessions: u32) -> String;
    fn new_visit(&self) -> &'static str;
    fn edit_visit(&self, time: &str) -> String;
    fn more_topics(&self) -> &'static str;
    fn referral(&self) -> &'static str;
    fn note(&self) -> &'static str;
    fn note_hint(&self) -> &'static str;
    fn no_visits_yet(&self) -> &'static str;

    // ---- status line ----
    fn saved(&self, time: &str) -> String;
    fn updated(&self, time: &str) -> String;
    fn need_topic(&self) -> &'static str;
    fn undone(&self, what: &str) -> String;
    fn nothing_to_undo(&self) -> &'static str;
    /// "Klo 10.04 käynti poistettu (Digituki)".
    fn visit_deleted(&self, time: &str, topics: &str) -> String;
    /// "Klo 10.04 käynti kumottu (Digituki)".
    fn visit_undone(&self, time: &str, topics: &str) -> String;
    /// "Poistetaanko klo 10.41 käynti (Digituki, Liukuesteet)?"
    fn confirm_delete(&self, time: &str, what: &str) -> String;
    fn confirm_new_session(&self) -> &'static str;
    fn confirm_quit_unsaved(&self) -> &'static str;
    fn new_session_started(&self, time: &str) -> String;
    fn location_changed(&self, location: &str) -> String;
    fn note_too_long(&self, chars: usize, max: usize) -> String;
    fn save_failed(&self, error: &str) -> String;
    /// Under every yes/no question, on a line of its own: its keys.
    fn confirm_answer(&self) -> &'static str;
    fn edit_cancelled(&self) -> &'static str;
    fn window_too_small(&self, w: u16, h: u16, need_w: u16, need_h: u16) -> String;

    // ---- drafts and damage ----
    fn confirm_restore_draft(&self, what: &str) -> String;
    fn draft_restored(&self) -> &'static str;
    fn draft_in_file(&self, path: &str) -> String;
    fn draft_not_kept(&self, error: &str) -> String;
    /// The database file was replaced underneath the duty screen.
    fn database_replaced(&self, path: &str) -> String;
    fn read_only_refused(&self) -> &'static str;
    /// The database is at its path again after being moved away.
    fn database_back(&self) -> &'static str;
    /// The clock is far from what the log makes likely: what it shows, and
    /// that nothing is saved by it until the user says it is right.
    fn clock_doubt(&self, doubt: &crate::clock::Doubt) -> String;
    /// The question under [`Texts::clock_doubt`] on the duty screen.
    fn clock_question(&self) -> &'static str;
    fn clock_accepted(&self) -> &'static str;
    fn clock_refused(&self) -> &'static str;
    /// A visit the rules refused, for the command line and messages.
    fn visit_refusal(&self, r: &crate::checked::VisitRefusal) -> String;
    fn database_damaged(&self, problems: usize) -> String;
    fn backup_failed(&self, error: &str) -> String;
    fn network_drive(&self, kind: &str, path: &str) -> String;

    // ---- pickers and modals ----
    fn location(&self) -> &'static str;
    fn picker_footer(&self, can_clear: bool) -> &'static str;
    fn topics_picker_footer(&self) -> &'static str;
    fn note_title(&self) -> &'static str;
    fn note_footer(&self) -> &'static str;
    fn confirm_title(&self) -> &'static str;
    fn choose_profile(&self) -> &'static str;
    /// After `tiski config set language`: said in the language chosen.
    fn language_remembered(&self) -> &'static str;
    /// A number on the chooser with no profile: "Ei profiilia 7 (1–3)."
    fn no_such_profile(&self, n: usize, count: usize) -> String;
    /// `P` while a visit is being edited.
    fn finish_editing_first(&self) -> &'static str;
    /// The window for a visit's time (`T` while editing).
    fn visit_time_title(&self) -> &'static str;
    fn visit_time_footer(&self) -> &'static str;
    fn bad_visit_time(&self, typed: &str) -> String;
    fn visit_time_in_future(&self) -> &'static str;

    // ---- tally ----
    fn tally_title(&self) -> &'static str;
    fn tally_visitors(&self, visitors: u32, sessions: u32) -> String;
    /// "Tämä päivystys 6 · ka 5,3 kävijää/päivystys (ero vuoden keskiarvoon +0,7)"
    fn tally_vs_average(&self, session: u32, mean: Option<f64>) -> String;
    fn topics(&self) -> &'static str;
    fn referrals(&self) -> &'static str;
    fn by_hour(&self) -> &'static str;

    // ---- help ----
    fn help_title(&self) -> &'static str;
    /// What a key does, for the help window.
    fn key_help(&self, cmd: Cmd) -> &'static str;
    /// What a key does in the help of `bar`, where that differs (a form's
    /// Enter and Esc).
    fn key_help_in(&self, bar: Bar, cmd: Cmd) -> &'static str;
    /// The short word for a key in a key bar (`tallenna`), or on the report
    /// view's line of periods; empty for a key the bar does not name.
    fn key_hint(&self, bar: Bar, cmd: Cmd) -> &'static str;

    // ---- CLI ----
    fn logged(&self, date: &str, time: &str, profile: &str, location: &str, topics: &str)
    -> String;
    fn tally_heading(&self, date: &str, profile: Option<&str>) -> String;
    /// Said after a visit logged from the shell started that day's session:
    /// whether the rota had a duty that day.
    fn logged_new_session(&self, date: &str, location: &str, on_rota: bool) -> String;
    fn none(&self) -> &'static str;
    fn config_source_embedded(&self) -> &'static str;
    fn config_source_file(&self, path: &str) -> String;
    fn config_user_path(&self, path: &str, exists: bool) -> String;
    fn backup_done(&self, path: &str) -> String;
    fn restored(&self, backup: &str, aside: Option<&str>) -> String;
    /// One line of `tiski doctor`, without the ok/problem mark.
    fn finding(&self, f: &crate::store::maintenance::Finding) -> String;
    /// `tiski doctor --recount` counted the report figures again.
    fn recounted(&self) -> &'static str;
    /// `--recount` was refused: the file is damaged, missing or too new.
    fn not_recounted(&self) -> &'static str;
    fn doctor_summary(&self, problems: usize) -> String;
    /// `tiski demo` refused a database that already holds sessions.
    fn demo_not_empty(&self, sessions: u32) -> String;
    /// What `tiski demo` generated, in how many seconds.
    fn demo_done(&self, s: &crate::demo::DemoSummary, secs: f64) -> String;

    // ---- errors ----
    fn error_prefix(&self) -> &'static str;
    /// The help or the version could not be written (a full disk).
    fn help_not_written(&self, cause: &crate::files::Cause) -> String;
    /// The plain-words name of a database problem.
    fn problem(&self, p: Problem) -> &'static str;
    fn config_error(&self, e: &ConfigError) -> String;
    fn error(&self, e: &Error) -> String;
}

/// The span of a demo history, `30.11.2016–29.11.2026`.
fn demo_span(s: &crate::demo::DemoSummary, lang: Lang) -> String {
    use crate::locale::date;
    match (s.first, s.last) {
        (Some(a), Some(b)) => format!("{}–{}", date(a, lang), date(b, lang)),
        _ => "–".into(),
    }
}

/// `ikaihmiset 270/1433, kotouttaminen 520/2567`: sessions/visits per profile.
fn demo_profiles(s: &crate::demo::DemoSummary) -> String {
    s.profiles
        .iter()
        .map(|(id, sessions, visits)| format!("{id} {sessions}/{visits}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_of_money_in_both_languages() {
        use crate::voucher::Cents;
        assert_eq!(texts(Lang::Fi).money(Cents(2490)), "24,90 €");
        assert_eq!(texts(Lang::En).money(Cents(2490)), "€24.90");
        assert_eq!(texts(Lang::Fi).money(Cents(3000)), "30,00 €");
        assert_eq!(texts(Lang::En).money(Cents(5)), "€0.05");
    }

    #[test]
    fn every_key_is_explained_and_named_in_both_languages() {
        use crate::keys::PERIODS;
        for lang in Lang::ALL {
            let t = texts(lang);
            for bar in Bar::ALL {
                for k in bar.table() {
                    assert!(!t.key_help(k.cmd).is_empty(), "{lang:?} {:?}", k.cmd);
                }
                // No key in a bar is left bare.
                for k in bar.keys() {
                    assert!(
                        !t.key_hint(bar, k.cmd).is_empty(),
                        "{lang:?} {bar:?} {:?}",
                        k.cmd
                    );
                }
            }
            for cmd in PERIODS {
                assert!(!t.key_hint(Bar::Report, cmd).is_empty(), "{lang:?} {cmd:?}");
            }
        }
    }
}

//! The privacy feature's strings (issue 14): refused notes, retention and
//! purges, doctor's privacy findings, blanked export cells and the
//! register description. A supertrait of `Texts`, implemented per language
//! in `privacy/fi.rs` and `privacy/en.rs`.

mod en;
mod fi;

use crate::privacy::config::{RetentionConfig, RetentionProblem};
use crate::privacy::error::PrivacyError;
use crate::privacy::retention::PrivacyFinding;
use crate::privacy::{Found, IdentityKind};
use crate::store::privacy::PurgeReport;

/// What the register description is made from: the effective config and
/// where this installation keeps its files.
#[derive(Debug, Clone)]
pub struct NoticeFacts<'a> {
    pub controller: &'a str,
    pub contact: &'a str,
    pub profiles: Vec<NoticeProfile<'a>>,
    pub retention: RetentionConfig,
    pub backups_keep: usize,
    /// The smallest count reports and CSV exports show (0 or 1: all).
    pub min_count: u32,
    pub database: String,
    pub backups: String,
    /// The city's server the desk consolidates into (`host/database`),
    /// when `[server]` is configured (issue 24).
    pub server: Option<String>,
    /// The day the draft was made, as the language writes dates.
    pub made_on: String,
}

/// One desk profile as the register description lists it: labels only.
#[derive(Debug, Clone)]
pub struct NoticeProfile<'a> {
    pub name: &'a str,
    pub locations: Vec<&'a str>,
    pub topics: Vec<&'a str>,
    pub referrals: Vec<&'a str>,
    /// Each optional field's label and its options' labels.
    pub fields: Vec<(&'a str, Vec<&'a str>)>,
    pub vouchers: bool,
    /// Events, groups and feedback are on (issue 16).
    pub events: bool,
}

/// One numbered section of the register description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeSection {
    pub title: String,
    pub paragraphs: Vec<String>,
    /// A list after the paragraphs.
    pub items: Vec<String>,
}

pub trait PrivacyTexts {
    // ---- notes ----
    fn identity_kind(&self, kind: IdentityKind) -> &'static str;
    /// The note editor refused Enter: what it found, where.
    fn note_refused(&self, found: &[Found]) -> String;
    /// A save refused because the form's note holds identities.
    fn save_refused_note(&self, found: &[Found]) -> String;

    // ---- purges ----
    /// `tiski purge --due` and `--before`: what was cleared, in the
    /// database and in the copies.
    fn purge_report(&self, r: &PurgeReport) -> String;
    /// The status line after the day's first start purged something.
    fn daily_purged(&self, r: &PurgeReport) -> Option<String>;
    fn daily_purge_failed(&self, error: &str) -> String;

    // ---- exports ----
    /// How many cells of rare combinations an export blanked.
    fn blanked(&self, cells: usize, min: u32) -> String;

    // ---- doctor, errors ----
    fn privacy_finding(&self, f: &PrivacyFinding) -> String;
    fn privacy_error(&self, e: &PrivacyError) -> String;
    fn retention_problem(&self, p: &RetentionProblem) -> String;

    // ---- the register description ----
    /// The register description: its title, a blank line and the
    /// introduction; then its numbered sections.
    fn privacy_notice(&self, f: &NoticeFacts<'_>) -> (String, Vec<NoticeSection>);
    /// `tiski privacy-notice --out FILE` wrote the draft.
    fn notice_written(&self, path: &str) -> String;
}

/// "a, b and c" with the language's word for "and".
fn join_and(items: &[String], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

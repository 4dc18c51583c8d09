//! Retention as dates: what a purge clears as of a day, and what
//! `tiski doctor` can find wrong with it. Pure; the store does the purge.

use std::path::PathBuf;

use chrono::{Days, NaiveDate};

use super::config::RetentionConfig;

/// What a purge clears: each kind of data dated before its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cutoffs {
    /// Notes of visits (and drafts) from before this day are emptied.
    pub notes_before: Option<NaiveDate>,
    /// Birth years and duplicate-check hashes of vouchers valid until a day
    /// before this are cleared.
    pub identities_before: Option<NaiveDate>,
}

impl Cutoffs {
    /// Only voucher identities, up to `before` (`tiski purge --before`).
    pub fn identities(before: NaiveDate) -> Cutoffs {
        Cutoffs {
            notes_before: None,
            identities_before: Some(before),
        }
    }
}

impl RetentionConfig {
    /// What is past retention on `today`: a note older than `notes_days`
    /// days (a visit exactly that old keeps it), a voucher whose season
    /// ended more than `voucher_identity_days` ago.
    pub fn cutoffs(&self, today: NaiveDate) -> Cutoffs {
        let back = |days: u32| today.checked_sub_days(Days::new(u64::from(days)));
        Cutoffs {
            notes_before: back(self.notes_days),
            identities_before: back(self.voucher_identity_days),
        }
    }
}

/// How much a purge found to clear, in the database or in a backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Due {
    /// Visits whose note is past retention (and not yet empty).
    pub notes: u64,
    /// Vouchers whose birth year or hash is past retention.
    pub identities: u64,
    /// Unsaved forms (drafts) as old as such notes.
    pub drafts: u64,
}

impl Due {
    pub fn is_empty(&self) -> bool {
        self.notes == 0 && self.identities == 0 && self.drafts == 0
    }
}

/// What `tiski doctor` found about retention and copies of the data. Each
/// problem's wording names the command that fixes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrivacyFinding {
    /// The retention in force (never a problem: the config is checked).
    Retention(RetentionConfig),
    /// When the last purge ran, if ever.
    LastPurge(Option<NaiveDate>),
    /// Data in the database past its retention: the purge is overdue.
    Overdue {
        due: Due,
        oldest_note: Option<NaiveDate>,
    },
    /// A purge cleared data but could not rewrite the file, so old copies
    /// may remain in its free pages.
    ScrubPending,
    /// A backup (or a file kept aside by a restore) holds data past
    /// retention.
    Backup { path: PathBuf, due: Due },
    /// A backup that could not be read to check it.
    UnreadableBackup {
        path: PathBuf,
        reason: crate::files::Cause,
    },
    /// Temporary copies of the data left behind by an interrupted command.
    TempCopies(Vec<PathBuf>),
}

impl PrivacyFinding {
    pub fn is_problem(&self) -> bool {
        match self {
            PrivacyFinding::Retention(_) | PrivacyFinding::LastPurge(_) => false,
            PrivacyFinding::Overdue { due, .. } | PrivacyFinding::Backup { due, .. } => {
                !due.is_empty()
            }
            PrivacyFinding::ScrubPending | PrivacyFinding::UnreadableBackup { .. } => true,
            PrivacyFinding::TempCopies(paths) => !paths.is_empty(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn cutoffs_count_whole_days_back() {
        let r = RetentionConfig {
            notes_days: 365,
            voucher_identity_days: 90,
        };
        let c = r.cutoffs(d("2024-11-14"));
        // 365 days before 14.11.2024 (2024 is a leap year) is 15.11.2023: a
        // visit of 14.11.2023 is 366 days old and loses its note.
        assert_eq!(c.notes_before, Some(d("2023-11-15")));
        // A season that ended 29.2.2024 keeps its identities 90 days, to
        // 29.5.2024; from 30.5. they are due.
        assert_eq!(c.identities_before, Some(d("2024-08-16")));
        let may = r.cutoffs(d("2024-05-29")).identities_before.unwrap();
        assert!(d("2024-02-29") >= may, "still kept on the 90th day");
        let may = r.cutoffs(d("2024-05-30")).identities_before.unwrap();
        assert!(d("2024-02-29") < may, "due the day after");
        let zero = RetentionConfig {
            notes_days: 0,
            voucher_identity_days: 0,
        };
        assert_eq!(
            zero.cutoffs(d("2024-11-14")).notes_before,
            Some(d("2024-11-14")),
            "0 days: today's notes stay, yesterday's go"
        );
    }

    #[test]
    fn only_real_trouble_is_a_problem() {
        assert!(!PrivacyFinding::Retention(RetentionConfig::default()).is_problem());
        assert!(!PrivacyFinding::LastPurge(None).is_problem());
        let none = PrivacyFinding::Overdue {
            due: Due::default(),
            oldest_note: None,
        };
        assert!(!none.is_problem());
        let some = PrivacyFinding::Overdue {
            due: Due {
                notes: 1,
                ..Due::default()
            },
            oldest_note: Some(d("2020-01-01")),
        };
        assert!(some.is_problem());
        assert!(PrivacyFinding::ScrubPending.is_problem());
        assert!(!PrivacyFinding::TempCopies(vec![]).is_problem());
        assert!(PrivacyFinding::TempCopies(vec!["x".into()]).is_problem());
    }
}

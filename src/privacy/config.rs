//! The `[retention]` and `[privacy]` tables: how long notes and voucher
//! identity data are kept, the smallest count an export shows, and who the
//! controller is (for the register description), with their checks.

use serde::{Deserialize, Serialize};

/// Longest retention a setting may ask for, in days (ten years). GDPR's
/// storage limitation rules out "for ever"; a longer value is a typo far
/// more often than a plan.
pub const MAX_RETENTION_DAYS: u32 = 3650;

/// How long personal data is kept (`[retention]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionConfig {
    /// Days a visit's note is kept, counted from the visit's day; then it is
    /// emptied (the visit and its counts stay). 0 keeps a note for its day.
    #[serde(default = "default_notes_days")]
    pub notes_days: u32,
    /// Days a voucher's birth year and duplicate-check hash are kept after
    /// its season ended (its valid-until day).
    #[serde(default = "default_voucher_identity_days")]
    pub voucher_identity_days: u32,
}

fn default_notes_days() -> u32 {
    365
}
fn default_voucher_identity_days() -> u32 {
    90
}

impl Default for RetentionConfig {
    fn default() -> Self {
        RetentionConfig {
            notes_days: default_notes_days(),
            voucher_identity_days: default_voucher_identity_days(),
        }
    }
}

/// Exports' small counts and the register description's controller
/// (`[privacy]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyConfig {
    /// Counts below this are shown as `<N` in reports, and rare
    /// combinations of a visit's optional fields are blanked in the CSV
    /// exports. 0 or 1 shows everything; `--min-count` overrides it.
    #[serde(default = "default_min_count")]
    pub min_count: u32,
    /// The controller (rekisterinpitäjä), e.g. the city and its unit.
    #[serde(default)]
    pub controller: String,
    /// Who answers questions about the register: name or role, and how to
    /// reach them.
    #[serde(default)]
    pub contact: String,
}

fn default_min_count() -> u32 {
    5
}

impl Default for PrivacyConfig {
    fn default() -> Self {
        PrivacyConfig {
            min_count: default_min_count(),
            controller: String::new(),
            contact: String::new(),
        }
    }
}

impl PrivacyConfig {
    /// The threshold in force: `None` when nothing is hidden.
    pub fn threshold(min_count: u32) -> Option<u32> {
        (min_count > 1).then_some(min_count)
    }
}

/// What is wrong with the `[retention]` table (data; `i18n` words it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RetentionProblem {
    #[error("retention.{setting} = {value} is longer than {max} days")]
    TooLong {
        setting: &'static str,
        value: u32,
        max: u32,
    },
}

impl RetentionConfig {
    /// Checks the values; on failure the problem and a snippet to find its
    /// line by.
    pub fn validate(&self) -> Result<(), (RetentionProblem, String)> {
        for (setting, value) in [
            ("notes_days", self.notes_days),
            ("voucher_identity_days", self.voucher_identity_days),
        ] {
            if value > MAX_RETENTION_DAYS {
                return Err((
                    RetentionProblem::TooLong {
                        setting,
                        value,
                        max: MAX_RETENTION_DAYS,
                    },
                    setting.to_string(),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_limits() {
        let r = RetentionConfig::default();
        assert_eq!((r.notes_days, r.voucher_identity_days), (365, 90));
        assert_eq!(r.validate(), Ok(()));
        let long = RetentionConfig {
            notes_days: MAX_RETENTION_DAYS + 1,
            ..r
        };
        assert_eq!(
            long.validate().unwrap_err().1,
            "notes_days",
            "names the setting for its line"
        );
        let zero = RetentionConfig {
            notes_days: 0,
            voucher_identity_days: 0,
        };
        assert_eq!(zero.validate(), Ok(()), "0: kept for the day only");
        assert_eq!(PrivacyConfig::default().min_count, 5);
        assert_eq!(PrivacyConfig::threshold(5), Some(5));
        assert_eq!(PrivacyConfig::threshold(1), None);
        assert_eq!(PrivacyConfig::threshold(0), None);
    }
}

//! Whether the clock read at the edge is believed: a save, an edit or a
//! purge dated by a clock far from what the log makes likely would file
//! visits under 1970, erase notes a year early, or end sessions before
//! they began. Nothing is written by such a clock without the user's yes.

use chrono::{NaiveDateTime, TimeDelta};

use crate::clock::{Doubt, Now};
use crate::store::Store;

/// How far ahead of the log's last change the clock may be without a
/// question: a desk that rests over the summer is still believed.
pub const AHEAD: TimeDelta = TimeDelta::days(120);

/// How far behind it may be: a clock set back within a day (the autumn's
/// DST change, an NTP step) is believed, and the store keeps sessions
/// whole however it moved.
pub const BEHIND: TimeDelta = TimeDelta::days(1);

/// A clock reading that may date writes; only [`trust`] makes one.
#[derive(Debug, Clone, Copy)]
pub struct Trusted(Now);

impl Trusted {
    /// A reading the user said is right: a yes to the screen's question,
    /// or `--confirm` on the command line.
    pub fn by_user(now: Now) -> Trusted {
        Trusted(now)
    }

    pub fn now(&self) -> &Now {
        &self.0
    }

    pub fn local(&self) -> NaiveDateTime {
        self.0.local
    }
}

/// Believes `now` when it is after 2000, no more than a day behind the
/// log's last change and no more than [`AHEAD`] after it, or when the
/// user said yes to it (`yes`).
pub fn trust(store: &Store, now: Now, yes: bool) -> Result<Trusted, Doubt> {
    // Before 2000 is wrong whatever anyone says: no report could show
    // what it dates.
    if now.local.date() < crate::clock::first_day() {
        return Err(Doubt::BeforeFirstYear { now: now.local });
    }
    if yes {
        return Ok(Trusted::by_user(now));
    }
    // A log that cannot be read has nothing to say against the clock:
    // the write that follows meets the same trouble and words it.
    let Ok(Some(last)) = store.last_change() else {
        return Ok(Trusted(now));
    };
    let gap = now.utc - last;
    let last = last.with_timezone(&chrono::Local).naive_local();
    if gap < -BEHIND {
        return Err(Doubt::Behind {
            now: now.local,
            last,
        });
    }
    if gap > AHEAD {
        return Err(Doubt::Ahead {
            now: now.local,
            last,
        });
    }
    Ok(Trusted(now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checked;
    use crate::config::Config;
    use crate::domain::VisitEntry;
    use crate::store::Target;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn a_clock_far_from_the_logs_last_change_is_doubted_unless_the_user_says_yes() {
        let mut s = Store::open_in_memory().unwrap();
        let p = Config::embedded().profiles["ikaihmiset"].clone();
        assert!(
            trust(&s, Now::at(t("2026-12-01 10:00")), false).is_ok(),
            "an empty log"
        );
        assert!(matches!(
            trust(&s, Now::at(t("1970-01-01 02:00")), false),
            Err(Doubt::BeforeFirstYear { .. })
        ));
        let entry = checked::visit(
            &p,
            VisitEntry {
                topics: vec!["digituki".into()],
                ..Default::default()
            },
        )
        .unwrap();
        let written = Now::at(t("2026-12-01 10:00"));
        let target = Target::Day {
            profile: "ikaihmiset",
            location: "Kirjasto",
        };
        s.save_visit(target, written.local, &entry, None, &written.stamp())
            .unwrap();
        for (at, ok) in [
            ("2026-12-01 10:05", true),
            ("2026-11-30 12:00", true),
            ("2026-11-29 09:00", false),
            ("2027-03-30 10:00", true),
            ("2027-12-01 10:00", false),
        ] {
            assert_eq!(trust(&s, Now::at(t(at)), false).is_ok(), ok, "{at}");
            assert!(trust(&s, Now::at(t(at)), true).is_ok(), "{at} with a yes");
        }
    }
}

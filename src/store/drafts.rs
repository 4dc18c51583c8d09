//! Drafts: the form as typed but not yet saved, one per profile, so a
//! crash, a kill or a closed terminal loses nothing.

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, fmt_time};
use crate::domain::VisitEntry;

impl Store {
    /// Keeps `entry` as the profile's draft, replacing any earlier one.
    pub fn save_draft(
        &mut self,
        profile: &str,
        entry: &VisitEntry,
        now: NaiveDateTime,
    ) -> Result<()> {
        let json = serde_json::to_string(entry).expect("an entry serializes");
        self.writable()?.execute(
            "INSERT INTO drafts(profile, entry, saved_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(profile) DO UPDATE SET entry = excluded.entry, saved_at = excluded.saved_at",
            params![profile, json, fmt_time(now)],
        )?;
        Ok(())
    }

    /// The profile's draft, if any. An unreadable draft (from a future
    /// version, say) is treated as none rather than blocking the start.
    pub fn draft(&self, profile: &str) -> Result<Option<VisitEntry>> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT entry FROM drafts WHERE profile = ?1",
                [profile],
                |r| r.get(0),
            )
            .optional()?;
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    }

    pub fn clear_draft(&mut self, profile: &str) -> Result<()> {
        Ok(delete_draft(self.writable()?, profile)?)
    }
}

/// Drops a profile's draft, inside the caller's transaction when there is
/// one (a visit saved from the form takes its draft with it).
pub(super) fn delete_draft(conn: &rusqlite::Connection, profile: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM drafts WHERE profile = ?1")?
        .execute([profile])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn a_draft_is_kept_per_profile_and_replaced() {
        let mut s = Store::open_in_memory().unwrap();
        assert_eq!(s.draft("ikaihmiset").unwrap(), None);
        let mut e = VisitEntry {
            topics: vec!["digituki".into()],
            note: "kesken 🧊".into(),
            ..Default::default()
        };
        s.save_draft("ikaihmiset", &e, t("2023-11-14 10:00"))
            .unwrap();
        e.topics.push("muu".into());
        s.save_draft("ikaihmiset", &e, t("2023-11-14 10:01"))
            .unwrap();
        assert_eq!(s.draft("ikaihmiset").unwrap(), Some(e));
        assert_eq!(s.draft("kotouttaminen").unwrap(), None);
        s.clear_draft("ikaihmiset").unwrap();
        assert_eq!(s.draft("ikaihmiset").unwrap(), None);
    }

    #[test]
    fn saving_from_the_form_drops_the_draft_in_the_same_transaction() {
        let mut s = Store::open_in_memory().unwrap();
        let (session, _) = s
            .open_session("ikaihmiset", "Kirjasto", t("2023-11-14 10:00"))
            .unwrap();
        let e = VisitEntry {
            topics: vec!["sote".into()],
            ..Default::default()
        };
        s.save_draft("ikaihmiset", &e, t("2023-11-14 10:00"))
            .unwrap();
        s.save_draft("kotouttaminen", &e, t("2023-11-14 10:00"))
            .unwrap();
        s.add_visit_from_form("ikaihmiset", session.id, t("2023-11-14 10:05"), &e)
            .unwrap();
        assert_eq!(s.draft("ikaihmiset").unwrap(), None);
        assert!(
            s.draft("kotouttaminen").unwrap().is_some(),
            "other profiles keep theirs"
        );
        assert_eq!(s.session(session.id).unwrap().visitors, 1);
    }
}

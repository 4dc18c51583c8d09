//! The events, groups and feedback of a period, and their totals, pure:
//! one function feeds `tiski report` in every format, `tiski event list`
//! and the events screen.

use serde::Serialize;

use crate::events::{Event, Feedback, Group};

/// A period's events, groups and feedback with their totals.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EventsReport {
    pub events: Vec<Event>,
    pub groups: Vec<Group>,
    pub feedback: Vec<Feedback>,
    pub totals: EventTotals,
    /// Visitors counted together at the desk in the period (head-counts),
    /// a part of the period's visitors.
    pub head_counts: u32,
}

/// What the lists add up to. Sums are 64-bit: each count is at most a
/// million, and a city's years of them may pass 2³² (a 32-bit sum would
/// wrap silently in a release build).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EventTotals {
    pub events: u32,
    /// People present at events counted in people (not portions or other
    /// units, not online viewers).
    pub attendees: u64,
    /// The part of `attendees` that is estimated (`n. 70`).
    pub approx_attendees: u64,
    /// Online or stream viewers.
    pub online: u64,
    pub groups: u32,
    /// Meetings of the groups that give a count of them.
    pub meetings: u64,
    /// Visits of all groups: "Käynnit yhteensä 295".
    pub group_visits: u64,
}

impl EventsReport {
    pub fn build(events: Vec<Event>, groups: Vec<Group>, feedback: Vec<Feedback>) -> EventsReport {
        let mut t = EventTotals {
            events: events.len() as u32,
            groups: groups.len() as u32,
            ..EventTotals::default()
        };
        for e in &events {
            let e = &e.entry;
            if e.unit.is_empty() {
                let n = u64::from(e.count.unwrap_or(0));
                t.attendees += n;
                if e.approx {
                    t.approx_attendees += n;
                }
            }
            t.online += u64::from(e.online.unwrap_or(0));
        }
        for g in &groups {
            t.meetings += u64::from(g.meeting_count().unwrap_or(0));
            t.group_visits += g.visits();
        }
        EventsReport {
            events,
            groups,
            feedback,
            totals: t,
            head_counts: 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty() && self.groups.is_empty() && self.feedback.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::events::{EventEntry, EventId, GroupEntry, GroupId, Meeting};

    pub(crate) fn paper_group(
        title: &str,
        place: &str,
        meetings: Option<u32>,
        visits: u32,
    ) -> Group {
        Group {
            id: GroupId(1),
            uid: title.into(),
            entry: GroupEntry {
                profile: "perhe".into(),
                date: NaiveDate::from_ymd_opt(2023, 9, 1).unwrap(),
                title: title.into(),
                place: place.into(),
                paper_meetings: meetings,
                paper_visits: Some(visits),
                ..GroupEntry::default()
            },
            meetings: Vec::new(),
        }
    }

    /// The seed's section 2.2, "Ryhmätoiminta / yhteistyössä
    /// varhaiskasvatus ja koulu".
    pub(crate) fn seed_groups() -> Vec<Group> {
        vec![
            paper_group("Oppitunnit", "Vierumäen alakoulu", None, 30),
            paper_group("Kaveritaitoryhmä", "Sinilähde", Some(5), 30),
            paper_group("Pistetyöskentely", "Rainio", Some(5), 100),
            paper_group("Pistetyöskentely", "Jyränkö", Some(5), 100),
            paper_group("Kaveritaitoryhmä", "Tommolan eskarit", Some(5), 35),
        ]
    }

    fn event(
        title: &str,
        count: Option<u32>,
        approx: bool,
        online: Option<u32>,
        unit: &str,
    ) -> Event {
        Event {
            id: EventId(1),
            uid: title.into(),
            entry: EventEntry {
                profile: "perhe".into(),
                date: NaiveDate::from_ymd_opt(2023, 9, 21).unwrap(),
                title: title.into(),
                kind: if count.is_some() { "tapahtuma" } else { "some" }.into(),
                count,
                approx,
                online,
                unit: unit.into(),
                ..EventEntry::default()
            },
        }
    }

    /// Five thousand events of the most a count may be add up to more than
    /// 2³²: the totals hold it (a 32-bit sum wrapped silently).
    #[test]
    fn totals_do_not_wrap_past_two_to_the_32() {
        let events: Vec<Event> = (0..5_000)
            .map(|_| event("Iso", Some(crate::events::COUNT_MAX), true, Some(COUNT), ""))
            .collect();
        let groups = vec![paper_group("Ryhmä", "Paikka", Some(COUNT), COUNT); 5_000];
        let t = EventsReport::build(events, groups, Vec::new()).totals;
        assert_eq!(t.attendees, 5_000_000_000);
        assert_eq!(t.approx_attendees, 5_000_000_000);
        assert_eq!(t.online, 5_000_000_000);
        assert_eq!(t.group_visits, 5_000_000_000);
        assert_eq!(t.meetings, 5_000_000_000);
    }

    const COUNT: u32 = crate::events::COUNT_MAX;

    #[test]
    fn the_seeds_group_list_gives_295_visits() {
        let r = EventsReport::build(Vec::new(), seed_groups(), Vec::new());
        assert_eq!(r.totals.group_visits, 295);
        assert_eq!(r.totals.groups, 5);
        assert_eq!(r.totals.meetings, 20, "the lessons give no count");
    }

    #[test]
    fn attendees_count_people_present_and_mark_the_estimates() {
        let r = EventsReport::build(
            vec![
                event("Syysfestarit", Some(300), false, None, ""),
                event("Koulurauhan julistus", Some(58), false, Some(155), ""),
                event("Puistoruokailu", Some(1480), false, None, "jaettua annosta"),
                event("Kaatumisten ehkäisy", Some(70), true, None, ""),
                event("Peliviikko", None, false, None, ""),
            ],
            Vec::new(),
            Vec::new(),
        );
        assert_eq!(r.totals.events, 5);
        assert_eq!(r.totals.attendees, 428);
        assert_eq!(r.totals.approx_attendees, 70);
        assert_eq!(r.totals.online, 155);
    }

    #[test]
    fn group_meetings_entered_one_by_one_sum_like_paper_totals() {
        let mut g = paper_group("Kaveritaitoryhmä", "Sinilähde", None, 0);
        g.entry.paper_visits = None;
        for n in [6, 6, 6, 6, 6] {
            g.meetings.push(Meeting {
                uid: String::new(),
                date: g.entry.date,
                count: n,
            });
        }
        let mut groups = seed_groups();
        groups[1] = g;
        let r = EventsReport::build(Vec::new(), groups, Vec::new());
        assert_eq!((r.totals.group_visits, r.totals.meetings), (295, 20));
    }
}

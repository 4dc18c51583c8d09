//! Two desks pushing copies of the same records at once: desk b imported
//! desk a's export (in another order than a's own), each then edited some
//! of them, and both sync at the same moment in small batches. Both syncs
//! finish (no deadlock between their batches), and the unit's figures are
//! those of a file that imported both desks, whichever batch came first,
//! and the counts kept on the server those of its records counted again.

use chrono::NaiveDate;
use tiski::commands::unit::Unit;
use tiski::server::push::SyncOptions;
use tiski::store::Store;

use crate::pg::{TestDb, pg};
use crate::server::{edit, entry, exported, imported, log, unit_report};
use crate::server_counts::kept_differing;

#[test]
fn two_desks_pushing_the_same_records_at_once_both_finish_and_agree() {
    let Some(pg) = pg() else { return };
    for round in 0..3 {
        let mut db = TestDb::new(&pg);
        let targets = [db.desk("a", None), db.desk("b", None)];
        let reader = db.reader();
        let mut a = Store::open_in_memory().unwrap();
        let mut visits = Vec::new();
        for day in 1..=12 {
            for m in 0..20 {
                let t = format!("2023-05-{day:02} 10:{m:02}");
                visits.push(log(&mut a, "ikaihmiset", "Kirjasto", &t, entry(&["muu"])));
            }
        }
        // b holds a's records, its visits in the opposite order to a's
        // outbox (the sessions first, as an import needs them).
        let mut b = Store::open_in_memory().unwrap();
        let (mut records, mut visits_last): (Vec<_>, Vec<_>) = exported(&a)
            .into_iter()
            .partition(|r| !matches!(r, tiski::store::Record::Visit(_)));
        visits_last.reverse();
        records.append(&mut visits_last);
        b.merge(&records).unwrap();
        // b edits the visits of days 7-12 (its copies win), then a those
        // of days 1-6 (a's win); every other copy is the same on both.
        for day in 7..=12 {
            let date = NaiveDate::from_ymd_opt(2023, 5, day).unwrap();
            for v in b.visits_on(None, date).unwrap() {
                edit(&mut b, "ikaihmiset", v.id, entry(&["kela"]));
            }
        }
        for v in visits.iter().take(6 * 20) {
            edit(&mut a, "ikaihmiset", v.id, entry(&["digituki"]));
        }
        let synced: Vec<Store> = std::thread::scope(|scope| {
            let handles: Vec<_> = [a, b]
                .into_iter()
                .zip(&targets)
                .map(|(mut s, t)| {
                    scope.spawn(move || {
                        let mut c = tiski::server::connect(t).unwrap();
                        let opts = SyncOptions {
                            batch: 40,
                            ..SyncOptions::default()
                        };
                        tiski::server::sync(&mut s, &mut c, t, &opts)
                            .map(|_| s)
                            .map_err(|e| format!("{e:?}"))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap())
                .collect::<Vec<_>>()
        })
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("round {round}: a sync failed: {e}")))
        .collect();
        let unit = Unit::connect(&reader, tiski::clock::Now::read()).unwrap();
        let server = unit_report(&unit, 2023);
        let local = imported(&[&synced[0], &synced[1]]);
        assert_eq!(server, unit_report(&local, 2023), "round {round}");
        assert_eq!(server.visitors, 240);
        assert_eq!(server.topics.get("digituki"), Some(&120), "round {round}");
        assert_eq!(server.topics.get("kela"), Some(&120), "round {round}");
        assert_eq!(kept_differing(&db), 0, "round {round}: kept counts");
    }
}

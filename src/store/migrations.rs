//! Ordered schema migrations, applied under `PRAGMA user_version` in one
//! transaction. Append only: never edit a migration that has shipped.

use rusqlite::{Connection, TransactionBehavior};

/// Fills an empty `visit_counts` from the visits (migration 6's backfill,
/// and `tiski doctor --recount`): every part of every visit, counted per
/// day and desk.
macro_rules! recount_visits {
    () => {
        "
    INSERT INTO visit_counts(date, profile, location, device, kind, key, value, n)
        SELECT s.date, s.profile, s.location, s.device, p.kind, p.key, p.value, count(*)
        FROM visit_parts p JOIN sessions s ON s.id = p.session_id
        GROUP BY 1, 2, 3, 4, 5, 6, 7;
"
    };
}

/// [`recount_visits!`] as a statement.
pub const RECOUNT_VISITS: &str = recount_visits!();

/// Each entry takes the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: duty sessions, visits with topics and optional fields, settings.
    r#"
    CREATE TABLE sessions (
        id          INTEGER PRIMARY KEY,
        uid         TEXT NOT NULL UNIQUE,
        profile     TEXT NOT NULL,
        location    TEXT NOT NULL,
        date        TEXT NOT NULL,              -- YYYY-MM-DD, local
        started_at  TEXT NOT NULL,              -- YYYY-MM-DD HH:MM:SS, local
        ended_at    TEXT,
        visitors    INTEGER NOT NULL DEFAULT 0  -- maintained with each visit
    );
    CREATE INDEX sessions_by_profile_date ON sessions(profile, date);
    CREATE INDEX sessions_by_date ON sessions(date);

    CREATE TABLE visits (
        id          INTEGER PRIMARY KEY,
        uid         TEXT NOT NULL UNIQUE,
        session_id  INTEGER NOT NULL REFERENCES sessions(id),
        at          TEXT NOT NULL,              -- YYYY-MM-DD HH:MM:SS, local
        referral    TEXT,
        note        TEXT NOT NULL DEFAULT '',
        updated_at  TEXT NOT NULL               -- RFC 3339, UTC
    );
    CREATE INDEX visits_by_session ON visits(session_id);

    CREATE TABLE visit_topics (
        visit_id    INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
        topic       TEXT NOT NULL,
        position    INTEGER NOT NULL,
        PRIMARY KEY (visit_id, topic)
    ) WITHOUT ROWID;

    CREATE TABLE visit_fields (
        visit_id    INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
        field       TEXT NOT NULL,
        value       TEXT NOT NULL,
        PRIMARY KEY (visit_id, field)
    ) WITHOUT ROWID;

    CREATE TABLE settings (
        key         TEXT PRIMARY KEY,
        value       TEXT NOT NULL
    );
    "#,
    // 2: sessions and visitors per year and profile, kept by triggers on
    // every write to sessions, so a year-to-date figure (the running
    // average) reads a row instead of every session of the year.
    r#"
    CREATE TABLE year_totals (
        year        TEXT NOT NULL,              -- YYYY, the start of sessions.date
        profile     TEXT NOT NULL,
        sessions    INTEGER NOT NULL,
        visitors    INTEGER NOT NULL,
        PRIMARY KEY (year, profile)
    ) WITHOUT ROWID;

    INSERT INTO year_totals(year, profile, sessions, visitors)
        SELECT substr(date, 1, 4), profile, count(*), sum(visitors)
        FROM sessions GROUP BY 1, 2;

    CREATE TRIGGER year_totals_on_insert AFTER INSERT ON sessions BEGIN
        INSERT INTO year_totals(year, profile, sessions, visitors)
            VALUES (substr(NEW.date, 1, 4), NEW.profile, 1, NEW.visitors)
            ON CONFLICT(year, profile) DO UPDATE
            SET sessions = sessions + 1, visitors = visitors + excluded.visitors;
    END;

    CREATE TRIGGER year_totals_on_delete AFTER DELETE ON sessions BEGIN
        UPDATE year_totals SET sessions = sessions - 1, visitors = visitors - OLD.visitors
            WHERE year = substr(OLD.date, 1, 4) AND profile = OLD.profile;
    END;

    CREATE TRIGGER year_totals_on_update AFTER UPDATE OF date, profile, visitors ON sessions
    BEGIN
        UPDATE year_totals SET sessions = sessions - 1, visitors = visitors - OLD.visitors
            WHERE year = substr(OLD.date, 1, 4) AND profile = OLD.profile;
        INSERT INTO year_totals(year, profile, sessions, visitors)
            VALUES (substr(NEW.date, 1, 4), NEW.profile, 1, NEW.visitors)
            ON CONFLICT(year, profile) DO UPDATE
            SET sessions = sessions + 1, visitors = visitors + excluded.visitors;
    END;
    "#,
    // 3: unsaved forms, kept so a crash or a closed terminal loses nothing.
    r#"
    CREATE TABLE drafts (
        profile     TEXT PRIMARY KEY,
        entry       TEXT NOT NULL,              -- JSON of the form
        saved_at    TEXT NOT NULL               -- YYYY-MM-DD HH:MM:SS, local
    );
    "#,
    // 4 (issue 4, consolidation): which installation opened each session
    // (a per-installation device id kept in settings), and tombstones so a
    // deleted visit stays deleted when logs from several desks are merged.
    // A session inserted without a device (any write path here) gets this
    // installation's; merged sessions bring their own.
    r#"
    INSERT OR IGNORE INTO settings(key, value)
        VALUES ('device_id', lower(hex(randomblob(6))));
    ALTER TABLE sessions ADD COLUMN device TEXT NOT NULL DEFAULT '';
    UPDATE sessions SET device = (SELECT value FROM settings WHERE key = 'device_id');
    CREATE TRIGGER sessions_device AFTER INSERT ON sessions WHEN NEW.device = '' BEGIN
        UPDATE sessions SET device = (SELECT value FROM settings WHERE key = 'device_id')
            WHERE id = NEW.id;
    END;

    CREATE TABLE tombstones (
        uid         TEXT PRIMARY KEY,           -- the deleted visit's uid
        deleted_at  TEXT NOT NULL               -- RFC 3339, UTC
    ) WITHOUT ROWID;
    "#,
    // 5: anti-slip vouchers. Numbers come from a per-season counter, never
    // from existing rows, so a cancelled or undone number is never reused.
    // A voucher keeps at most a birth year and a keyed hash (no identity).
    // Deleting the visit that carried a voucher (undo) cancels the voucher.
    r#"
    CREATE TABLE voucher_counters (
        prefix      TEXT NOT NULL,
        season      INTEGER NOT NULL,           -- start year
        last        INTEGER NOT NULL,
        PRIMARY KEY (prefix, season)
    ) WITHOUT ROWID;

    CREATE TABLE vouchers (
        id            INTEGER PRIMARY KEY,
        uid           TEXT NOT NULL UNIQUE,
        number        TEXT NOT NULL UNIQUE,
        profile       TEXT NOT NULL,
        season        INTEGER NOT NULL,
        seq           INTEGER NOT NULL,
        product       TEXT NOT NULL,
        max_cents     INTEGER NOT NULL,
        issued_at     TEXT NOT NULL,            -- YYYY-MM-DD HH:MM:SS, local
        valid_until   TEXT NOT NULL,            -- YYYY-MM-DD
        birth_year    INTEGER,
        identity_hash BLOB,                     -- HMAC-SHA256; NULL when purged
        visit_id      INTEGER REFERENCES visits(id) ON DELETE SET NULL,
        status        TEXT NOT NULL DEFAULT 'issued'
                      CHECK (status IN ('issued', 'used', 'cancelled')),
        used_cents    INTEGER,
        used_on       TEXT,
        shop          TEXT,
        cancelled_on  TEXT,
        cancel_reason TEXT,
        updated_at    TEXT NOT NULL             -- RFC 3339, UTC
    );
    CREATE INDEX vouchers_by_season ON vouchers(season, profile);
    CREATE INDEX vouchers_by_issue_day ON vouchers(substr(issued_at, 1, 10));
    CREATE INDEX vouchers_by_visit ON vouchers(visit_id);

    CREATE TRIGGER vouchers_cancel_with_visit BEFORE DELETE ON visits
    BEGIN
        UPDATE vouchers
           SET status = 'cancelled', cancel_reason = 'undo',
               cancelled_on = date('now', 'localtime'),
               updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
         WHERE visit_id = OLD.id AND status = 'issued';
    END;
    "#,
    // 6 (issue 6): what each day's visits add up to per desk, by heading
    // (topics, referrals, field values, hours, weekdays), kept by triggers
    // on every write to visits, their topics and fields, and sessions. A
    // year report then reads some thousand rows instead of every visit.
    // `visit_parts` lists what one visit counts under; the triggers add or
    // take away a visit's parts, and the backfill counts them all.
    concat!(
        r#"
    CREATE TABLE visit_counts (
        date        TEXT NOT NULL,              -- the session's date
        profile     TEXT NOT NULL,
        location    TEXT NOT NULL,
        device      TEXT NOT NULL,
        kind        TEXT NOT NULL,              -- topic, referral, field, hour, weekday
        key         TEXT NOT NULL,              -- the key; hour 0-23; weekday 0 (Monday)-6
        value       TEXT NOT NULL,              -- a field's option; '' for the rest
        n           INTEGER NOT NULL,
        PRIMARY KEY (date, profile, location, device, kind, key, value)
    ) WITHOUT ROWID;

    CREATE VIEW visit_parts(visit_id, session_id, kind, key, value) AS
        SELECT id, session_id, 'hour', CAST(substr(at, 12, 2) AS INTEGER), '' FROM visits
        UNION ALL
        SELECT id, session_id, 'weekday', (CAST(strftime('%w', at) AS INTEGER) + 6) % 7, ''
            FROM visits
        UNION ALL
        SELECT id, session_id, 'referral', referral, '' FROM visits WHERE referral IS NOT NULL
        UNION ALL
        SELECT v.id, v.session_id, 'topic', t.topic, ''
            FROM visits v JOIN visit_topics t ON t.visit_id = v.id
        UNION ALL
        SELECT v.id, v.session_id, 'field', f.field, f.value
            FROM visits v JOIN visit_fields f ON f.visit_id = v.id;

    "#,
        recount_visits!(),
        r#"

    -- A visit's own parts. Its topics and fields are inserted after it and
    -- counted by their own triggers; on delete they are still there before
    -- it goes (their cascade then finds no visit and counts nothing).
    CREATE TRIGGER visit_counts_visit_insert AFTER INSERT ON visits BEGIN
        INSERT INTO visit_counts(date, profile, location, device, kind, key, value, n)
            SELECT s.date, s.profile, s.location, s.device, p.kind, p.key, p.value, 1
            FROM visit_parts p JOIN sessions s ON s.id = p.session_id WHERE p.visit_id = NEW.id
            ON CONFLICT DO UPDATE SET n = n + excluded.n;
    END;

    CREATE TRIGGER visit_counts_visit_delete BEFORE DELETE ON visits BEGIN
        INSERT INTO visit_counts(date, profile, location, device, kind, key, value, n)
            SELECT s.date, s.profile, s.location, s.device, p.kind, p.key, p.value, -1
            FROM visit_parts p JOIN sessions s ON s.id = p.session_id WHERE p.visit_id = OLD.id
            ON CONFLICT DO UPDATE SET n = n + excluded.n;
    END;

    CREATE TRIGGER visit_counts_visit_leave BEFORE UPDATE OF session_id, at, referral ON visits
    WHEN OLD.session_id IS NOT NEW.session_id OR OLD.at IS NOT NEW.at
      OR OLD.referral IS NOT NEW.referral
    BEGIN
        INSERT INTO visit_counts(date, profile, location, device, kind, key, value, n)
            SELECT s.date, s.profile, s.location, s.device, p.kind, p.key, p.value, -1
            FROM visit_parts p JOIN sessions s ON s.id = p.session_id WHERE p.visit_id = OLD.id
            ON CONFLICT DO UPDATE SET n = n + excluded.n;
    END;

    CREATE TRIGGER visit_counts_visit_arrive AFTER UPDATE OF session_id, at, referral ON visits
    WHEN OLD.session_id IS NOT NEW.session_id OR OLD.at IS NOT NEW.at
      OR OLD.referral IS NOT NEW.referral
    BEGIN
        INSERT INTO visit_counts(date, profile, location, device, kind, key, value, n)
            SELECT s.date, s.profile, s.location, s.device, p.kind, p.key, p.value, 1
            FROM visit_parts p JOIN sessions s ON s.id = p.session_id WHERE p.visit_id = NEW.id
            ON CONFLICT DO UPDATE SET n = n + excluded.n;
    END;

    CREATE TRIGGER visit_counts_topic_insert AFTER INSERT ON visit_topics BEGIN
        INSERT INTO visit_counts(date, profile, location, device, kind, key, value, n)
            SELECT s.date, s.profile, s.location, s.device, 'topic', NEW.topic, '', 1
            FROM visits v JOIN sessions s ON s.id = v.session_id WHERE v.id = NEW.visit_id
            ON CONFLICT DO UPDATE SET n = n + excluded.n;
    END;

    CREATE TRIGGER visit_counts_topic_delete AFTER DELETE ON visit_topics BEGIN
        INSERT INTO visit_counts(date, profile, location, device, kind, key, value, n)
            SELECT s.date, s.profile, s.location, s.device, 'topic', OLD.topic, '', -1
            FROM visits v JOIN sessions s ON s.id = v.session_id WHERE v.id = OLD.visit_id
            ON CONFLICT DO UPDATE SET n = n + excluded.n;
    END;

    CREATE TRIGGER visit_counts_topic_update AFTER UPDATE OF visit_id, topic ON visit_topics
    BEGIN
        INSERT INTO visit_counts(date, profile, location, device, kind, key, value, n)
            SELECT s.date, s.profile, s.location, s.device, 'topic', OLD.topic, '', -1
            FROM visits v JOIN sessions s ON s.id = v.session_id WHERE v.id = OLD.visit_id
            ON CONFLICT DO UPDATE SET n = n + excluded.n;
        INSERT INTO visit_counts(date, profile, location, device, kind, key, value, n)
            SELECT s.date, s.profile, s.location, s.device, 'topic', NEW.topic, '', 1
            FROM visits v JOIN sessions s ON s.id = v.session_id WHERE v.id = NEW.visit_id
            ON CONFLICT DO UPDATE SET n = n + excluded.n;
    END;

    CREATE TRIGGER visit_counts_field_insert AFTER INSERT ON visit_fields BEGIN
        INSERT INTO visit_counts(date, profile, location, device, kind, key, value, n)
            SELECT s.date, s.profile, s.location, s.device, 'field', NEW.field, NEW.value, 1
            FROM visits v JOIN sessions s ON s.id = v.session_id WHERE v.id = NEW.visit_id
            ON CONFLICT DO UPDATE SET n = n + excluded.n;
    END;

    CREATE TRIGGER visit_counts_field_delete AFTER DELETE ON visit_fields BEGIN
        INSERT INTO visit_counts(date, profile, location, device, kind, key, value, n)
            SELECT s.date, s.profile, s.location, s.device, 'field', OLD.field, OLD.value, -1
            FROM visits v JOIN sessions s ON s.id = v.session_id WHERE v.id = OLD.visit_id
            ON CONFLICT DO UPDATE SET n = n + excluded.n;
    END;

    CREATE TRIGGER visit_counts_field_update AFTER UPDATE ON visit_fields BEGIN
        INSERT INTO visit_counts(date, profile, location, device, kind, key, value, n)
            SELECT s.date, s.profile, s.location, s.device, 'field', OLD.field, OLD.value, -1
            FROM visits v JOIN sessions s ON s.id = v.session_id WHERE v.id = OLD.visit_id
            ON CONFLICT DO UPDATE SET n = n + excluded.n;
        INSERT INTO visit_counts(date, profile, location, device, kind, key, value, n)
            SELECT s.date, s.profile, s.location, s.device, 'field', NEW.field, NEW.value, 1
            FROM visits v JOIN sessions s ON s.id = v.session_id WHERE v.id = NEW.visit_id
            ON CONFLICT DO UPDATE SET n = n + excluded.n;
    END;

    -- A session moved to another day or desk takes its visits' counts along.
    CREATE TRIGGER visit_counts_session_update
    AFTER UPDATE OF date, profile, location, device ON sessions
    WHEN OLD.date IS NOT NEW.date OR OLD.profile IS NOT NEW.profile
      OR OLD.location IS NOT NEW.location OR OLD.device IS NOT NEW.device
    BEGIN
        INSERT INTO visit_counts(date, profile, location, device, kind, key, value, n)
            SELECT OLD.date, OLD.profile, OLD.location, OLD.device, kind, key, value, -count(*)
            FROM visit_parts WHERE session_id = OLD.id GROUP BY kind, key, value
            ON CONFLICT DO UPDATE SET n = n + excluded.n;
        INSERT INTO visit_counts(date, profile, location, device, kind, key, value, n)
            SELECT NEW.date, NEW.profile, NEW.location, NEW.device, kind, key, value, count(*)
            FROM visit_parts WHERE session_id = NEW.id GROUP BY kind, key, value
            ON CONFLICT DO UPDATE SET n = n + excluded.n;
    END;
    "#
    ),
    // 7 (issue 13): days on which a profile's scheduled duty did not take
    // place. A cancellation is not a session: only held sessions have rows
    // in `sessions`, so no figure has anything to leave out. A held session
    // on the day (a visit after all, on any write path) takes the day's
    // cancellation away.
    r#"
    CREATE TABLE session_cancellations (
        uid          TEXT NOT NULL UNIQUE,
        profile      TEXT NOT NULL,
        date         TEXT NOT NULL,             -- YYYY-MM-DD
        cancelled_at TEXT NOT NULL,             -- YYYY-MM-DD HH:MM:SS, local
        PRIMARY KEY (profile, date)
    ) WITHOUT ROWID;

    CREATE TRIGGER session_cancellations_held_insert AFTER INSERT ON sessions BEGIN
        DELETE FROM session_cancellations WHERE profile = NEW.profile AND date = NEW.date;
    END;

    CREATE TRIGGER session_cancellations_held_update AFTER UPDATE OF date, profile ON sessions
    BEGIN
        DELETE FROM session_cancellations WHERE profile = NEW.profile AND date = NEW.date;
    END;
    "#,
    // 8 (issue 16): events, group series with their meetings, feedback
    // tallies on either, and head-counts at the desk. Each has a uid, so it
    // travels between desks like a visit, and a deletion leaves a tombstone
    // (the `tombstones` table holds uids of any kind). A head-count is
    // counted in its session's visitors by triggers, on every write path.
    r#"
    CREATE TABLE events (
        id          INTEGER PRIMARY KEY,
        uid         TEXT NOT NULL UNIQUE,
        profile     TEXT NOT NULL,
        date        TEXT NOT NULL,              -- YYYY-MM-DD
        time        TEXT,                       -- HH:MM
        title       TEXT NOT NULL,
        place       TEXT NOT NULL DEFAULT '',
        kind        TEXT NOT NULL,
        partners    TEXT NOT NULL DEFAULT '',
        count       INTEGER CHECK (count >= 0), -- NULL: social media only
        approx      INTEGER NOT NULL DEFAULT 0,
        online      INTEGER CHECK (online >= 0),
        unit        TEXT NOT NULL DEFAULT '',   -- '' for people
        updated_at  TEXT NOT NULL               -- RFC 3339, UTC
    );
    CREATE INDEX events_by_date ON events(date, profile);

    CREATE TABLE event_groups (
        id             INTEGER PRIMARY KEY,
        uid            TEXT NOT NULL UNIQUE,
        profile        TEXT NOT NULL,
        date           TEXT NOT NULL,           -- the series' first day
        title          TEXT NOT NULL,
        place          TEXT NOT NULL DEFAULT '',
        partner        TEXT NOT NULL DEFAULT '',
        target         TEXT NOT NULL DEFAULT '',
        paper_meetings INTEGER CHECK (paper_meetings >= 0),
        paper_visits   INTEGER CHECK (paper_visits >= 0),
        updated_at     TEXT NOT NULL
    );
    CREATE INDEX event_groups_by_date ON event_groups(date, profile);

    CREATE TABLE group_meetings (
        id          INTEGER PRIMARY KEY,
        uid         TEXT NOT NULL UNIQUE,
        group_id    INTEGER NOT NULL REFERENCES event_groups(id) ON DELETE CASCADE,
        date        TEXT NOT NULL,
        count       INTEGER NOT NULL CHECK (count >= 0),
        updated_at  TEXT NOT NULL
    );
    CREATE INDEX group_meetings_by_group ON group_meetings(group_id, date);

    CREATE TABLE feedback (
        id          INTEGER PRIMARY KEY,
        uid         TEXT NOT NULL UNIQUE,
        event_id    INTEGER REFERENCES events(id) ON DELETE CASCADE,
        group_id    INTEGER REFERENCES event_groups(id) ON DELETE CASCADE,
        question    TEXT NOT NULL DEFAULT '',
        tally       TEXT NOT NULL,              -- JSON of events::Tally
        updated_at  TEXT NOT NULL,
        CHECK ((event_id IS NULL) <> (group_id IS NULL))
    );
    CREATE INDEX feedback_by_event ON feedback(event_id);
    CREATE INDEX feedback_by_group ON feedback(group_id);

    CREATE TABLE head_counts (
        id          INTEGER PRIMARY KEY,
        uid         TEXT NOT NULL UNIQUE,
        session_id  INTEGER NOT NULL REFERENCES sessions(id),
        at          TEXT NOT NULL,              -- YYYY-MM-DD HH:MM:SS, local
        n           INTEGER NOT NULL CHECK (n > 0),
        updated_at  TEXT NOT NULL
    );
    CREATE INDEX head_counts_by_session ON head_counts(session_id);

    CREATE TRIGGER head_counts_insert AFTER INSERT ON head_counts BEGIN
        UPDATE sessions SET visitors = visitors + NEW.n WHERE id = NEW.session_id;
    END;

    CREATE TRIGGER head_counts_delete AFTER DELETE ON head_counts BEGIN
        UPDATE sessions SET visitors = visitors - OLD.n WHERE id = OLD.session_id;
    END;

    CREATE TRIGGER head_counts_update AFTER UPDATE OF session_id, n ON head_counts BEGIN
        UPDATE sessions SET visitors = visitors - OLD.n WHERE id = OLD.session_id;
        UPDATE sessions SET visitors = visitors + NEW.n WHERE id = NEW.session_id;
    END;
    "#,
    // 9 (issue 22): the store never reads a clock. Migration 5's trigger
    // dated a voucher cancelled with its deleted visit by SQLite's own
    // 'now'; the store now cancels it in the deletion's transaction, dated
    // by the clock the edge read (a deletion from another desk by its
    // tombstone's time).
    r#"
    DROP TRIGGER vouchers_cancel_with_visit;
    "#,
    // 10 (issue 24, consolidation on the city's PostgreSQL): what changed
    // since the server last took this desk's records, kept by triggers on
    // every write path. Off (no row in `sync_seq`) until the first sync.
    crate::store::outbox::MIGRATION,
    // 11: the outbox's triggers only while the outbox is on (`migrate`
    // makes them again at its end for a desk that syncs): a desk that
    // never syncs does not parse 36 triggers at each start.
    crate::store::outbox::OFF_UNTIL_ENABLED,
];

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// Why the schema could not be brought up to date.
#[derive(Debug)]
pub enum MigrateError {
    /// The file was written by a newer tiski.
    TooNew {
        found: i64,
    },
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        MigrateError::Sqlite(e)
    }
}

/// Reads the schema version without writing anything.
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// The tables of a database at `conn`, by name (SQLite's own left out).
fn tables(conn: &Connection) -> rusqlite::Result<std::collections::BTreeSet<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )?;
    stmt.query_map([], |r| r.get(0))?.collect()
}

/// Whether the database at `conn`, at schema `version` (1 to [`LATEST`]),
/// has exactly the tables tiski's migrations make at that version: another
/// program's file that happens to share a few table names and a
/// `user_version` is not tiski's.
pub fn is_ours(conn: &Connection, version: i64) -> rusqlite::Result<bool> {
    if !(1..=LATEST).contains(&version) {
        return Ok(false);
    }
    let fresh = Connection::open_in_memory()?;
    for sql in &MIGRATIONS[..version as usize] {
        fresh.execute_batch(sql)?;
    }
    Ok(tables(conn)? == tables(&fresh)?)
}

/// Applies the missing migrations, all in one immediate transaction, so a
/// crash leaves either the old schema or the new one.
pub fn migrate(conn: &mut Connection) -> Result<(), MigrateError> {
    let found = version(conn)?;
    if found > LATEST {
        return Err(MigrateError::TooNew { found });
    }
    if found == LATEST {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Re-read inside the lock: another process may have migrated meanwhile.
    let found = version(&tx)?;
    if found > LATEST {
        return Err(MigrateError::TooNew { found });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    crate::store::outbox::switch_on(&tx)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_an_empty_database_to_latest_and_is_idempotent() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate(&mut c).unwrap();
        assert_eq!(version(&c).unwrap(), LATEST);
        migrate(&mut c).unwrap();
        assert_eq!(version(&c).unwrap(), LATEST);
        let n: i64 = c
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name IN ('sessions','visits','visit_topics','visit_fields','settings','drafts')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 6);
    }

    #[test]
    fn refuses_a_newer_schema_and_leaves_it_alone() {
        let mut c = Connection::open_in_memory().unwrap();
        c.pragma_update(None, "user_version", LATEST + 1).unwrap();
        assert!(
            matches!(migrate(&mut c), Err(MigrateError::TooNew { found }) if found == LATEST + 1)
        );
        assert_eq!(version(&c).unwrap(), LATEST + 1);
        let tables: i64 = c
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tables, 0);
    }

    #[test]
    fn year_totals_are_backfilled_from_existing_sessions() {
        let mut c = Connection::open_in_memory().unwrap();
        c.execute_batch(MIGRATIONS[0]).unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
        c.execute_batch(
            "INSERT INTO sessions(uid, profile, location, date, started_at, visitors) VALUES
               ('a', 'p', 'L', '2023-11-14', '2023-11-14 10:00:00', 3),
               ('b', 'p', 'L', '2023-12-01', '2023-12-01 10:00:00', 0),
               ('c', 'q', 'L', '2024-01-02', '2024-01-02 10:00:00', 5);",
        )
        .unwrap();
        migrate(&mut c).unwrap();
        let rows: Vec<(String, String, i64, i64)> = c
            .prepare("SELECT year, profile, sessions, visitors FROM year_totals ORDER BY 1, 2")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let row = |y: &str, p: &str, s, v| (y.to_string(), p.to_string(), s, v);
        assert_eq!(rows, [row("2023", "p", 2, 3), row("2024", "q", 1, 5)]);
    }

    #[test]
    fn migration_8_adds_events_and_counts_head_counts_in_their_session() {
        let mut c = Connection::open_in_memory().unwrap();
        for (i, sql) in MIGRATIONS.iter().take(7).enumerate() {
            c.execute_batch(sql).unwrap();
            c.pragma_update(None, "user_version", i as i64 + 1).unwrap();
        }
        c.execute_batch(
            "INSERT INTO sessions(uid, profile, location, date, started_at, visitors) VALUES
               ('a', 'perhe', 'L', '2023-11-14', '2023-11-14 10:00:00', 3);",
        )
        .unwrap();
        migrate(&mut c).unwrap();
        assert_eq!(version(&c).unwrap(), LATEST);
        c.execute_batch(
            "INSERT INTO head_counts(uid, session_id, at, n, updated_at)
               VALUES ('h', 1, '2023-11-14 10:30:00', 25, 'x');",
        )
        .unwrap();
        let visitors = |c: &Connection| -> (i64, i64) {
            c.query_row(
                "SELECT s.visitors, y.visitors FROM sessions s, year_totals y",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
        };
        assert_eq!(visitors(&c), (28, 28));
        c.execute_batch("DELETE FROM head_counts").unwrap();
        assert_eq!(visitors(&c), (3, 3));
        let tables: i64 = c
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name IN
                   ('events', 'event_groups', 'group_meetings', 'feedback', 'head_counts')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 5);
    }

    #[test]
    fn a_failing_migration_leaves_the_old_version() {
        let mut c = Connection::open_in_memory().unwrap();
        // A table in the way makes migration 1 fail half-way.
        c.execute_batch("CREATE TABLE visits (x);").unwrap();
        assert!(migrate(&mut c).is_err());
        assert_eq!(version(&c).unwrap(), 0);
        let sessions: i64 = c
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'sessions'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(sessions, 0, "the partial migration was rolled back");
    }
}

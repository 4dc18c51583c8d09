-- tiski server schema, version 3: the push made cheaper on the server,
-- the day counts rolled up per month (each desk's, and the unit's) for
-- the report, and indexes for the report's feedback and the purge.
--
-- Run by `tiski server init` after version 2, in the same transaction.
-- Never edit this file once shipped: a change is a new file with the next
-- number.
--
-- Version 2's trigger that keeps the day counts looked up the visits a
-- session new to the log already had by leaving out the statement's own
-- records with NOT EXISTS against the transition table, which PostgreSQL
-- ran as a scan of the whole table for each record found: a batch of
-- 10 000 records compared some 17 million pairs, three quarters of a
-- push. Here the same trigger leaves them out by one hashed look-up, and
-- gets the memory to group a batch's counts without spilling to disk.

-- The day counts rolled up per month (`YYYY-MM` of the session's date):
-- what `day_counts` adds up to under each heading per month, profile,
-- place and device, kept by the same trigger in the same statement as the
-- day counts, so the months are always the days summed. Keyed by desk as
-- the days are, so desks pushing at once do not wait on (or deadlock
-- over) each other's rows (a desk's year: some four thousand rows, where
-- its days are some sixteen thousand). The report of the whole unit reads
-- the unit's months below, which these are the per-desk sums of; the days
-- of a month a period takes only part of, and a report narrowed to a
-- place or a device, read `day_counts`. Only the reader role reads them,
-- as the day counts.
CREATE TABLE tiski.month_counts (
    month    text NOT NULL,              -- YYYY-MM of the sessions' date
    profile  text NOT NULL,
    location text NOT NULL,
    device   text NOT NULL,
    kind     text NOT NULL,              -- as day_counts
    key      text NOT NULL,
    value    text NOT NULL,
    n        bigint NOT NULL,
    PRIMARY KEY (month, profile, location, device, kind, key, value)
);
ALTER TABLE tiski.month_counts ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_reader ON tiski.month_counts FOR SELECT TO tiski_reader USING (true);
GRANT SELECT ON tiski.month_counts TO tiski_reader;

-- The same for the whole unit, per month and profile (a year: some
-- thousand rows, whatever the number of desks), which the report of
-- whole months reads. A row here is every desk's: if each batch added to
-- it as its statements ran, desks pushing at once would lock the same
-- rows in different orders and deadlock. So a transaction's statements
-- append what they add to `unit_months_delta`, and at its commit a
-- deferred trigger folds it in, in one statement in key order (any two
-- folds lock rows in the same order: one waits, neither deadlocks).
CREATE TABLE tiski.unit_months (
    month    text NOT NULL,
    profile  text NOT NULL,
    kind     text NOT NULL,
    key      text NOT NULL,
    value    text NOT NULL,
    n        bigint NOT NULL,
    PRIMARY KEY (month, profile, kind, key, value)
);
ALTER TABLE tiski.unit_months ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_reader ON tiski.unit_months FOR SELECT TO tiski_reader USING (true);
GRANT SELECT ON tiski.unit_months TO tiski_reader;

-- What open transactions have added, and which have some to fold (no
-- role but the owner reads or writes them).
CREATE TABLE tiski.unit_months_delta (
    txid     bigint NOT NULL,
    month    text NOT NULL,
    profile  text NOT NULL,
    kind     text NOT NULL,
    key      text NOT NULL,
    value    text NOT NULL,
    n        bigint NOT NULL
);
CREATE INDEX unit_months_delta_by_txid ON tiski.unit_months_delta (txid);
ALTER TABLE tiski.unit_months_delta ENABLE ROW LEVEL SECURITY;
CREATE TABLE tiski.unit_months_due (txid bigint PRIMARY KEY);
ALTER TABLE tiski.unit_months_due ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION tiski.unit_months_fold() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski SET jit = off AS $$
BEGIN
    INSERT INTO tiski.unit_months AS u (month, profile, kind, key, value, n)
    SELECT month, profile, kind, key, value, sum(n) FROM tiski.unit_months_delta
     WHERE txid = NEW.txid
     GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0
     ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (month, profile, kind, key, value) DO UPDATE SET n = u.n + excluded.n;
    DELETE FROM tiski.unit_months_delta WHERE txid = NEW.txid;
    DELETE FROM tiski.unit_months_due WHERE txid = NEW.txid;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION tiski.unit_months_fold() FROM PUBLIC;
CREATE CONSTRAINT TRIGGER unit_months_folded AFTER INSERT ON tiski.unit_months_due
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tiski.unit_months_fold();

-- Keeps `day_counts`, `month_counts`, `unit_months` (at commit) and
-- `session_figures` with the records of one statement (replaces version
-- 2's, which kept no months).
CREATE OR REPLACE FUNCTION tiski.records_counted() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski SET jit = off
SET work_mem = '32MB' AS $$
DECLARE
    moved jsonb;
BEGIN
    -- (An upsert fires the update's trigger too, most often with no row.)
    IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN
            RETURN NULL;
        END IF;
    ELSIF NOT EXISTS (SELECT 1 FROM old_rows) THEN
        RETURN NULL;
    END IF;

    -- The sessions that go from a day and desk (-1), and those that come
    -- to one (+1); a session whose day and desk stay is neither.
    IF TG_OP = 'DELETE' THEN
        SELECT jsonb_agg(jsonb_build_array(o.uid, o.body, -1)) INTO moved
        FROM old_rows o WHERE o.kind = 'session';
        DELETE FROM tiski.session_figures f USING old_rows o
         WHERE o.kind = 'session' AND f.uid = o.uid;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT jsonb_agg(m) INTO moved
        FROM old_rows o JOIN new_rows n ON n.uid = o.uid AND n.kind = o.kind
             CROSS JOIN LATERAL (VALUES (jsonb_build_array(o.uid, o.body, -1)),
                                        (jsonb_build_array(n.uid, n.body, 1))) AS x(m)
        WHERE o.kind = 'session' AND tiski.session_key(o.body) <> tiski.session_key(n.body);
        UPDATE tiski.session_figures f
           SET date = n.body->>'date', profile = n.body->>'profile',
               location = coalesce(n.body->>'location', ''),
               device = coalesce(n.body->>'device', ''),
               started_at = coalesce(n.body->>'started_at', '')
          FROM new_rows n
         WHERE n.kind = 'session' AND f.uid = n.uid
           AND (f.date, f.profile, f.location, f.device, f.started_at)
               IS DISTINCT FROM (n.body->>'date', n.body->>'profile',
                                 coalesce(n.body->>'location', ''),
                                 coalesce(n.body->>'device', ''),
                                 coalesce(n.body->>'started_at', ''));
    ELSE
        SELECT jsonb_agg(jsonb_build_array(n.uid, n.body, 1)) INTO moved
        FROM new_rows n WHERE n.kind = 'session';
        INSERT INTO tiski.session_figures
               (uid, date, profile, location, device, started_at, visitors)
        SELECT n.uid, n.body->>'date', n.body->>'profile', coalesce(n.body->>'location', ''),
               coalesce(n.body->>'device', ''), coalesce(n.body->>'started_at', ''), 0
        FROM new_rows n WHERE n.kind = 'session';
    END IF;

    -- A session that went or came takes along the visits and head-counts
    -- the log held for it before this statement (those of the statement
    -- itself are counted below): out of its old day's counts, into its
    -- new day's, and a session new to the log into its visitors.
    IF moved IS NOT NULL THEN
        EXECUTE format($q$
            WITH moved AS (
                SELECT m->>0 AS uid, tiski.session_key(m->1) AS k, (m->>2)::int AS sign
                FROM jsonb_array_elements($1) m
            ),
            -- (Looked up session by session in the index, OFFSET 0 keeping
            -- the lookup apart: a join would read every record. The
            -- statement's own rows are left out by one hashed look-up,
            -- NOT IN: NOT EXISTS was planned as a scan of the whole
            -- transition table for each record found.)
            before AS (
                SELECT r.kind, r.body FROM (SELECT DISTINCT uid FROM moved) s
                CROSS JOIN LATERAL (
                    SELECT r.uid, r.kind, r.body FROM tiski.records r
                    WHERE r.body->>'session_uid' = s.uid AND r.kind IN ('visit', 'head_count')
                    OFFSET 0) r
                WHERE true %s
                UNION ALL %s
            ),
            parts AS (
                SELECT m.uid, m.k, m.sign, p.kind, p.key, p.value, p.n
                FROM before b JOIN moved m ON m.uid = b.body->>'session_uid'
                     CROSS JOIN LATERAL tiski.record_parts(b.kind, b.body) p
            ),
            per_day AS (
                INSERT INTO tiski.day_counts AS d
                       (date, profile, location, device, kind, key, value, n)
                SELECT k[1], k[2], k[3], k[4], kind, key, value, sum(sign * n)
                FROM parts GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(sign * n) <> 0
                ON CONFLICT (date, profile, location, device, kind, key, value)
                   DO UPDATE SET n = d.n + excluded.n
            ),
            per_month AS (
                INSERT INTO tiski.month_counts AS m
                       (month, profile, location, device, kind, key, value, n)
                SELECT substr(k[1], 1, 7), k[2], k[3], k[4], kind, key, value, sum(sign * n)
                FROM parts GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(sign * n) <> 0
                ON CONFLICT (month, profile, location, device, kind, key, value)
                   DO UPDATE SET n = m.n + excluded.n
            ),
            per_unit AS (
                INSERT INTO tiski.unit_months_delta (txid, month, profile, kind, key, value, n)
                SELECT txid_current(), substr(k[1], 1, 7), k[2], kind, key, value,
                       sum(sign * n)
                FROM parts GROUP BY 2, 3, 4, 5, 6 HAVING sum(sign * n) <> 0
            )
            UPDATE tiski.session_figures f SET visitors = f.visitors + x.n
            FROM (SELECT uid, sum(n) AS n FROM parts
                  WHERE sign = 1 AND kind IN ('weekday', 'heads') GROUP BY 1) x
            WHERE $2 AND f.uid = x.uid
        $q$,
        CASE WHEN TG_OP <> 'DELETE' THEN
            'AND (r.uid, r.kind) NOT IN (SELECT n.uid, n.kind FROM new_rows n)'
        ELSE '' END,
        CASE WHEN TG_OP <> 'INSERT' THEN
            'SELECT o.kind, o.body FROM old_rows o WHERE o.kind IN (''visit'', ''head_count'')'
        ELSE 'SELECT NULL, NULL WHERE false' END)
        USING moved, TG_OP = 'INSERT';
    END IF;

    -- What the statement's visits and head-counts add or take away, into
    -- the day counts and visitors of the sessions the log holds. (One
    -- statement; only the transition tables of the operation exist.)
    EXECUTE format($q$
        WITH delta AS MATERIALIZED (
            SELECT x.session_uid, x.kind, x.key, x.value, sum(x.n) AS n
            FROM (%s) x
            GROUP BY 1, 2, 3, 4 HAVING sum(x.n) <> 0
        ),
        keyed AS MATERIALIZED (
            SELECT s.date, s.profile, s.location, s.device, x.kind, x.key, x.value,
                   sum(x.n) AS n
            FROM delta x JOIN tiski.session_figures s ON s.uid = x.session_uid
            GROUP BY 1, 2, 3, 4, 5, 6, 7
        ),
        per_day AS (
            INSERT INTO tiski.day_counts AS d
                   (date, profile, location, device, kind, key, value, n)
            SELECT date, profile, location, device, kind, key, value, n FROM keyed
            ON CONFLICT (date, profile, location, device, kind, key, value)
               DO UPDATE SET n = d.n + excluded.n
        ),
        per_month AS (
            INSERT INTO tiski.month_counts AS m
                   (month, profile, location, device, kind, key, value, n)
            SELECT substr(date, 1, 7), profile, location, device, kind, key, value, sum(n)
            FROM keyed GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0
            ON CONFLICT (month, profile, location, device, kind, key, value)
               DO UPDATE SET n = m.n + excluded.n
        ),
        per_unit AS (
            INSERT INTO tiski.unit_months_delta (txid, month, profile, kind, key, value, n)
            SELECT txid_current(), substr(date, 1, 7), profile, kind, key, value, sum(n)
            FROM keyed GROUP BY 2, 3, 4, 5, 6 HAVING sum(n) <> 0
        )
        UPDATE tiski.session_figures s SET visitors = s.visitors + x.n
        FROM (SELECT session_uid, sum(n) AS n FROM delta
              WHERE kind IN ('weekday', 'heads') GROUP BY 1) x
        WHERE s.uid = x.session_uid AND x.n <> 0
    $q$, CASE TG_OP
        WHEN 'INSERT' THEN
            'SELECT r.body->>''session_uid'' AS session_uid, p.kind, p.key, p.value, p.n AS n
             FROM new_rows r CROSS JOIN LATERAL tiski.record_parts(r.kind, r.body) p
             WHERE r.kind IN (''visit'', ''head_count'')'
        WHEN 'DELETE' THEN
            'SELECT r.body->>''session_uid'' AS session_uid, p.kind, p.key, p.value, -p.n AS n
             FROM old_rows r CROSS JOIN LATERAL tiski.record_parts(r.kind, r.body) p
             WHERE r.kind IN (''visit'', ''head_count'')'
        ELSE
            -- A change that leaves the record's session and parts as they
            -- were (a note, a purge, a stamp) moves nothing.
            'SELECT o.body->>''session_uid'' AS session_uid, p.kind, p.key, p.value, -p.n AS n
             FROM old_rows o JOIN new_rows r ON r.uid = o.uid AND r.kind = o.kind
                  CROSS JOIN LATERAL tiski.record_parts(o.kind, o.body) p
             WHERE o.kind IN (''visit'', ''head_count'')
               AND NOT tiski.counts_alike(o.kind, o.body, r.body)
             UNION ALL
             SELECT r.body->>''session_uid'', p.kind, p.key, p.value, p.n
             FROM old_rows o JOIN new_rows r ON r.uid = o.uid AND r.kind = o.kind
                  CROSS JOIN LATERAL tiski.record_parts(r.kind, r.body) p
             WHERE o.kind IN (''visit'', ''head_count'')
               AND NOT tiski.counts_alike(o.kind, o.body, r.body)'
    END);
    -- The unit's months take what this transaction added at its commit.
    INSERT INTO tiski.unit_months_due (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

-- The counts already on the server, rolled up.
INSERT INTO tiski.month_counts (month, profile, location, device, kind, key, value, n)
SELECT substr(date, 1, 7), profile, location, device, kind, key, value, sum(n)
FROM tiski.day_counts
GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0;

-- A period's feedback is looked up by the event or group it is about (the
-- report's events read every record for it before); a desk's copies by
-- its desk (the retention purge on a desk's first sync read every desk's).
CREATE INDEX records_feedback ON tiski.records ((coalesce(body->>'event_uid', body->>'group_uid')))
    WHERE kind = 'feedback';
CREATE INDEX copies_by_desk ON tiski.copies (desk, kind);

-- The unit's months of what is already on the server.
INSERT INTO tiski.unit_months (month, profile, kind, key, value, n)
SELECT month, profile, kind, key, value, sum(n)
FROM tiski.month_counts
GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0;

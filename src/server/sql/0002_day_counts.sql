-- tiski server schema, version 2: the unit's figures kept as the desk's
-- file keeps its own (`visit_counts`, `sessions.visitors`), so a year's
-- report reads some rows per day and desk and one small row per session,
-- never the visits.
--
-- Run by `tiski server init` after version 1, in the same transaction.
-- Never edit this file once shipped: a change is a new file with the next
-- number.
--
-- Kept, for the sessions the unit's log (`records`) holds:
--
-- * `day_counts`: what their visits add up to under each heading per day,
--   profile, place and device, the rows of the desk's own `visit_counts`,
--   and beside them their head-counts (kind `heads`: key the weekday,
--   0 = Monday, value the hour, n the visitors);
-- * `session_figures`: each session's day, desk and visitors (its visits
--   and head-counts), as the desk's `sessions` row holds them.
--
-- Both are kept by the statement-level triggers on `records` (one pass per
-- statement over its transition tables, whatever the batch's size): a
-- visit or head-count that comes, changes or goes adds or takes away its
-- parts; a session that comes, goes or moves to another day or desk takes
-- along what the log holds of it. A purge (notes, identities) or an edit
-- that leaves a visit's headings as they were moves nothing. Version 1's
-- per-session counts (`session_counts`) are dropped: these replace them.
-- Only the reader role reads them (row-level security on, a policy for
-- the reader alone): a desk's role reads none of them, and none holds a
-- birth year or an identity hash.

CREATE TABLE tiski.day_counts (
    date     text NOT NULL,              -- the session's date
    profile  text NOT NULL,
    location text NOT NULL,
    device   text NOT NULL,
    kind     text NOT NULL,              -- topic, referral, field, hour, weekday; heads
    key      text NOT NULL,              -- the key; hour 0-23; weekday 0 (Monday)-6
    value    text NOT NULL,              -- a field's option; a head-count's hour; '' for the rest
    n        bigint NOT NULL,
    PRIMARY KEY (date, profile, location, device, kind, key, value)
);
ALTER TABLE tiski.day_counts ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_reader ON tiski.day_counts FOR SELECT TO tiski_reader USING (true);
GRANT SELECT ON tiski.day_counts TO tiski_reader;

CREATE TABLE tiski.session_figures (
    uid        text PRIMARY KEY,
    date       text NOT NULL,
    profile    text NOT NULL,
    location   text NOT NULL,
    device     text NOT NULL,
    started_at text NOT NULL,
    visitors   bigint NOT NULL          -- its visits and head-counts' visitors
);
CREATE INDEX session_figures_by_date ON tiski.session_figures (date, profile);
CREATE INDEX session_figures_by_profile ON tiski.session_figures (profile, date);
ALTER TABLE tiski.session_figures ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_reader ON tiski.session_figures FOR SELECT TO tiski_reader USING (true);
GRANT SELECT ON tiski.session_figures TO tiski_reader;

-- A session's day and desk, as `day_counts` keys it.
CREATE FUNCTION tiski.session_key(b jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY[b->>'date', b->>'profile', coalesce(b->>'location', ''),
                 coalesce(b->>'device', '')]
$$;

-- What one record of the unit's log counts under, in its session: a
-- visit's parts (`visit_parts`), once each; a head-count's visitors under
-- its weekday and hour.
CREATE FUNCTION tiski.record_parts(rkind text, b jsonb)
RETURNS TABLE (kind text, key text, value text, n bigint)
LANGUAGE sql IMMUTABLE AS $$
    SELECT p.kind, p.key, p.value, 1::bigint FROM tiski.visit_parts(b) p
     WHERE rkind = 'visit'
    UNION ALL
    SELECT 'heads', (extract(isodow FROM (b->>'at')::timestamp)::int - 1)::text,
           extract(hour FROM (b->>'at')::timestamp)::int::text, (b->>'n')::bigint
     WHERE rkind = 'head_count'
$$;

-- Whether a changed record counts as it did: the same session and parts.
CREATE FUNCTION tiski.counts_alike(rkind text, a jsonb, b jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT a->'session_uid' IS NOT DISTINCT FROM b->'session_uid'
       AND a->'at' IS NOT DISTINCT FROM b->'at'
       AND CASE rkind
           WHEN 'visit' THEN a->'referral' IS NOT DISTINCT FROM b->'referral'
                         AND a->'topics' IS NOT DISTINCT FROM b->'topics'
                         AND a->'fields' IS NOT DISTINCT FROM b->'fields'
           ELSE a->'n' IS NOT DISTINCT FROM b->'n'
       END
$$;

-- Keeps `day_counts` and `session_figures` with the records of one
-- statement (replaces version 1's, which kept `session_counts`).
CREATE OR REPLACE FUNCTION tiski.records_counted() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski SET jit = off AS $$
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
            -- the lookup apart: a join would read every record.)
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
            )
            UPDATE tiski.session_figures f SET visitors = f.visitors + x.n
            FROM (SELECT uid, sum(n) AS n FROM parts
                  WHERE sign = 1 AND kind IN ('weekday', 'heads') GROUP BY 1) x
            WHERE $2 AND f.uid = x.uid
        $q$,
        CASE WHEN TG_OP <> 'DELETE' THEN
            'AND NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.uid = r.uid AND n.kind = r.kind)'
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
        per_day AS (
            INSERT INTO tiski.day_counts AS d
                   (date, profile, location, device, kind, key, value, n)
            SELECT s.date, s.profile, s.location, s.device, x.kind, x.key, x.value, sum(x.n)
            FROM delta x JOIN tiski.session_figures s ON s.uid = x.session_uid
            GROUP BY 1, 2, 3, 4, 5, 6, 7
            ON CONFLICT (date, profile, location, device, kind, key, value)
               DO UPDATE SET n = d.n + excluded.n
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
    RETURN NULL;
END
$$;

-- Version 1's per-session counts are kept no more: the report reads the
-- day counts and session figures.
DROP TABLE tiski.session_counts;

-- The sessions and counts already on the server.
INSERT INTO tiski.session_figures (uid, date, profile, location, device, started_at, visitors)
SELECT s.uid, s.body->>'date', s.body->>'profile', coalesce(s.body->>'location', ''),
       coalesce(s.body->>'device', ''), coalesce(s.body->>'started_at', ''),
       coalesce((SELECT sum(p.n) FROM tiski.records r
                 CROSS JOIN LATERAL tiski.record_parts(r.kind, r.body) p
                 WHERE r.kind IN ('visit', 'head_count') AND r.body->>'session_uid' = s.uid
                   AND p.kind IN ('weekday', 'heads')), 0)
FROM tiski.records s WHERE s.kind = 'session';

INSERT INTO tiski.day_counts (date, profile, location, device, kind, key, value, n)
SELECT s.date, s.profile, s.location, s.device, p.kind, p.key, p.value, sum(p.n)
FROM tiski.session_figures s
JOIN tiski.records r ON r.kind IN ('visit', 'head_count') AND r.body->>'session_uid' = s.uid
CROSS JOIN LATERAL tiski.record_parts(r.kind, r.body) p
GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(p.n) <> 0;

-- tiski server schema, version 8: the days a settle touched counted again
-- once, at its commit, from the unit's records, instead of each 10 000
-- records' statement staging what it changed.
--
-- Run by `tiski server init` after version 7, in the same transaction.
-- Never edit this file once shipped: a change is a new file with the next
-- number.
--
-- Where version 7's settle of 100 desks' years (602 263 records, 49 s
-- under `auto_explain` at load 4) spent its time: the counting trigger's
-- statements on `records` (24 s: each 10 000 records' parts summed per
-- session and heading, each sum looked up in `session_figures` by its
-- session's text key and staged as nine columns, 1.95 million rows, and
-- every session new to the log looked up again in `records` for the
-- visits it already had), and the fold at the commit (13 s: the staged
-- rows' days and headings named by their texts, then 1.65 million
-- upserts into `day_heads`, whose days were new ones every one).
--
-- Here a statement on `records` only notes the sessions it touched (a
-- session, or the session of a visit or head-count, before and after it
-- changed; a change that leaves a record counting as it did notes none)
-- in `settle_touched`. At the commit the fold (version 3's constraint
-- trigger, folding as before at the end of the transaction that wrote
-- `records`, which only `tiski.settle` does, one settle at a time):
--
-- 1. rebuilds those sessions' `session_figures` rows from their records
--    (day, desk, start, visitors), each row now naming its day
--    (`day_keys`) by number;
-- 2. counts the days they were and are on again from every record of
--    every session of those days, in one statement, into `day_heads`,
--    replacing what the days held (a day new to the log has no rows to
--    replace: its rows are inserted, not upserted);
-- 3. adds to the unit's months what the days now hold less what they
--    held, in key order as before; a month's row that comes to 0 goes.
--
-- The counts are then those of the unit's records counted again, by
-- construction: nothing is added to or taken from a count that a
-- statement's order could get wrong, and a count that comes to 0 leaves
-- no row behind (version 7 kept it, with n = 0, for good).

-- The sessions a transaction's statements on `records` touched, counted
-- again at its commit; and the unit's months' changes of one fold (no
-- role but the owner's functions reads or writes them; a crash empties
-- them, and they never hold a committed row).
CREATE UNLOGGED TABLE tiski.settle_touched (
    txid        bigint NOT NULL,
    session_uid text NOT NULL
);
ALTER TABLE tiski.settle_touched ENABLE ROW LEVEL SECURITY;
CREATE UNLOGGED TABLE tiski.month_deltas (
    txid    bigint NOT NULL,
    month   text NOT NULL,
    profile text NOT NULL,
    heading integer NOT NULL,
    n       bigint NOT NULL
);
ALTER TABLE tiski.month_deltas ENABLE ROW LEVEL SECURITY;

-- Version 7's staged counts: folded at every commit, so empty here.
DROP TABLE tiski.count_deltas;

-- Each session's day by number, so the days are counted again by joins
-- of numbers.
ALTER TABLE tiski.session_figures ADD COLUMN day integer;
INSERT INTO tiski.day_keys (date, profile, location, device)
SELECT DISTINCT date, profile, location, device FROM tiski.session_figures
ORDER BY 1, 2, 3, 4
ON CONFLICT DO NOTHING;
UPDATE tiski.session_figures f SET day = k.id
FROM tiski.day_keys k
WHERE k.date = f.date AND k.profile = f.profile AND k.location = f.location
  AND k.device = f.device;
ALTER TABLE tiski.session_figures ALTER COLUMN day SET NOT NULL;
CREATE INDEX session_figures_by_day ON tiski.session_figures (day);

-- The counts that came to 0 under version 7 (kept as rows with n = 0).
DELETE FROM tiski.day_heads WHERE n = 0;
DELETE FROM tiski.unit_months WHERE n = 0;

-- Notes the sessions a statement on `records` touched, to be counted
-- again at the commit (replaces version 7's, which staged the counts).
CREATE OR REPLACE FUNCTION tiski.records_counted() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski SET jit = off AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO tiski.settle_touched (txid, session_uid)
        SELECT DISTINCT txid_current(), s FROM (
            SELECT CASE WHEN kind = 'session' THEN uid ELSE body->>'session_uid' END AS s
            FROM new_rows WHERE kind IN ('session', 'visit', 'head_count')) x
        WHERE s IS NOT NULL;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO tiski.settle_touched (txid, session_uid)
        SELECT DISTINCT txid_current(), s FROM (
            SELECT CASE WHEN kind = 'session' THEN uid ELSE body->>'session_uid' END AS s
            FROM old_rows WHERE kind IN ('session', 'visit', 'head_count')) x
        WHERE s IS NOT NULL;
    ELSE
        -- A session whose day, desk or start changed; a visit or
        -- head-count that no longer counts as it did, in its session
        -- before and after. (A note, a purge, a stamp touches nothing.)
        INSERT INTO tiski.settle_touched (txid, session_uid)
        SELECT DISTINCT txid_current(), s FROM (
            SELECT o.kind, o.uid, o.body AS ob, n.body AS nb
            FROM old_rows o JOIN new_rows n ON n.uid = o.uid AND n.kind = o.kind
            WHERE o.kind IN ('session', 'visit', 'head_count')) c
        CROSS JOIN LATERAL (VALUES (CASE WHEN c.kind = 'session' THEN c.uid
                                         ELSE c.ob->>'session_uid' END),
                                   (CASE WHEN c.kind = 'session' THEN c.uid
                                         ELSE c.nb->>'session_uid' END)) AS x(s)
        WHERE x.s IS NOT NULL
          AND CASE WHEN c.kind = 'session'
                   THEN (tiski.session_key(c.ob), coalesce(c.ob->>'started_at', ''))
                        IS DISTINCT FROM (tiski.session_key(c.nb), coalesce(c.nb->>'started_at', ''))
                   ELSE NOT tiski.counts_alike(c.kind, c.ob, c.nb) END;
    END IF;
    IF FOUND THEN
        INSERT INTO tiski.unit_months_due (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

-- The fold at commit (version 7's, which summed the staged counts): the
-- touched sessions' figures rebuilt, their days counted again, the
-- unit's months given the difference.
CREATE OR REPLACE FUNCTION tiski.unit_months_fold() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski SET jit = off
SET work_mem = '128MB' AS $$
DECLARE
    touched text[];
    days integer[];
BEGIN
    SELECT array_agg(DISTINCT session_uid) INTO touched
    FROM tiski.settle_touched WHERE txid = NEW.txid;
    IF touched IS NULL THEN
        DELETE FROM tiski.unit_months_due WHERE txid = NEW.txid;
        RETURN NULL;
    END IF;
    IF cardinality(touched) > 1000 THEN
        -- (Many sessions: their records are read in one pass and joined
        -- by hashing, not looked up session by session. This is the
        -- transaction's end.)
        PERFORM set_config('enable_nestloop', 'off', true);
        PERFORM set_config('enable_sort', 'off', true);
    END IF;

    -- The days the sessions were counted under, and their figures
    -- rebuilt from the records (a session gone from the log has none).
    SELECT array_agg(DISTINCT day) INTO days
    FROM tiski.session_figures WHERE uid = ANY (touched);
    DELETE FROM tiski.session_figures WHERE uid = ANY (touched);
    INSERT INTO tiski.day_keys (date, profile, location, device)
    SELECT k[1], k[2], k[3], k[4]
    FROM (SELECT tiski.session_key(body) AS k FROM tiski.records
          WHERE kind = 'session' AND uid = ANY (touched)) s
    GROUP BY 1, 2, 3, 4
    ON CONFLICT DO NOTHING;
    INSERT INTO tiski.session_figures
           (uid, date, profile, location, device, started_at, visitors, day)
    SELECT s.uid, k.date, k.profile, k.location, k.device, s.started_at,
           coalesce(v.n, 0), k.id
    FROM (SELECT uid, tiski.session_key(body) AS k,
                 coalesce(body->>'started_at', '') AS started_at
          FROM tiski.records WHERE kind = 'session' AND uid = ANY (touched)) s
    JOIN tiski.day_keys k ON k.date = s.k[1] AND k.profile = s.k[2]
                         AND k.location = s.k[3] AND k.device = s.k[4]
    LEFT JOIN (SELECT r.body->>'session_uid' AS uid,
                      sum(CASE WHEN r.kind = 'visit' THEN 1
                               ELSE (r.body->>'n')::bigint END) AS n
               FROM tiski.records r
               WHERE r.kind IN ('visit', 'head_count')
                 AND r.body->>'session_uid' = ANY (touched)
               GROUP BY 1) v ON v.uid = s.uid;
    SELECT array_agg(DISTINCT d) INTO days FROM (
        SELECT unnest(days)
        UNION ALL
        SELECT day FROM tiski.session_figures WHERE uid = ANY (touched)) x(d)
    WHERE d IS NOT NULL;

    IF days IS NOT NULL THEN
        -- What the days held leaves the unit's months...
        INSERT INTO tiski.month_deltas (txid, month, profile, heading, n)
        SELECT NEW.txid, k.month, k.profile, d.heading, -sum(d.n)
        FROM tiski.day_heads d
        JOIN (SELECT id, substr(date, 1, 7) AS month, profile FROM tiski.day_keys
              WHERE id = ANY (days)) k ON k.id = d.day
        WHERE d.day = ANY (days)
        GROUP BY 2, 3, 4;
        DELETE FROM tiski.day_heads WHERE day = ANY (days);
        -- ...the days are counted again from every record of their
        -- sessions (the headings new to the log named first)...
        -- (Few sessions: each one's records looked up in the index, OFFSET
        -- 0 keeping the look-up apart; the planner, not knowing of the
        -- rows a large settle has just added, read every record for one
        -- day. Many: every record read once and joined by hashing.)
        EXECUTE format($q$
            WITH parts AS MATERIALIZED (
                SELECT f.day, p.kind, p.key, p.value, sum(p.n) AS n
                FROM tiski.session_figures f
                %s
                CROSS JOIN LATERAL tiski.record_parts(r.kind, r.body) p
                WHERE f.day = ANY ($1)
                GROUP BY 1, 2, 3, 4 HAVING sum(p.n) <> 0
            ),
            added AS (
                INSERT INTO tiski.headings (kind, key, value)
                SELECT kind, key, value FROM parts GROUP BY 1, 2, 3
                ON CONFLICT DO NOTHING
                RETURNING id, kind, key, value
            ),
            heads AS (
                SELECT id, kind, key, value FROM tiski.headings
                UNION ALL
                SELECT id, kind, key, value FROM added
            )
            INSERT INTO tiski.day_heads (day, heading, n)
            SELECT p.day, h.id, p.n
            FROM parts p JOIN heads h ON h.kind = p.kind AND h.key = p.key AND h.value = p.value
            ORDER BY 1, 2
        $q$, CASE WHEN cardinality(touched) > 1000 THEN
            'JOIN tiski.records r ON r.kind IN (''visit'', ''head_count'')
                                 AND r.body->>''session_uid'' = f.uid'
        ELSE
            'CROSS JOIN LATERAL (
                 SELECT r.kind, r.body FROM tiski.records r
                 WHERE r.body->>''session_uid'' = f.uid AND r.kind IN (''visit'', ''head_count'')
                 OFFSET 0) r'
        END) USING days;
        -- ...and what they hold now comes to the unit's months, in key
        -- order (any two folds lock rows in the same order).
        INSERT INTO tiski.month_deltas (txid, month, profile, heading, n)
        SELECT NEW.txid, k.month, k.profile, d.heading, sum(d.n)
        FROM tiski.day_heads d
        JOIN (SELECT id, substr(date, 1, 7) AS month, profile FROM tiski.day_keys
              WHERE id = ANY (days)) k ON k.id = d.day
        WHERE d.day = ANY (days)
        GROUP BY 2, 3, 4;
        INSERT INTO tiski.unit_months AS u (month, profile, kind, key, value, n)
        SELECT m.month, m.profile, h.kind, h.key, h.value, sum(m.n)
        FROM tiski.month_deltas m JOIN tiski.headings h ON h.id = m.heading
        WHERE m.txid = NEW.txid
        GROUP BY 1, 2, 3, 4, 5 HAVING sum(m.n) <> 0
        ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (month, profile, kind, key, value) DO UPDATE SET n = u.n + excluded.n;
        DELETE FROM tiski.unit_months u
        USING (SELECT DISTINCT month, profile FROM tiski.month_deltas
               WHERE txid = NEW.txid) m
        WHERE u.month = m.month AND u.profile = m.profile AND u.n = 0;
        DELETE FROM tiski.month_deltas WHERE txid = NEW.txid;
    END IF;

    -- A large fold's notes emptied at once (deleted, they would stay in
    -- the table until a vacuum, for every fold after to read through).
    -- Only the settle writes `records`, one settle at a time, so no other
    -- transaction has rows here.
    IF cardinality(touched) > 1000 THEN
        TRUNCATE tiski.settle_touched;
    ELSE
        DELETE FROM tiski.settle_touched WHERE txid = NEW.txid;
    END IF;
    DELETE FROM tiski.unit_months_due WHERE txid = NEW.txid;
    RETURN NULL;
END
$$;

-- The unit's records of `uids` worked out from their copies (version
-- 7's, which looked each uid's copies up three times: for the records
-- that are one copy's as they are, whether another copy shares the uid,
-- and for the rest). Here the uids with more than one copy or a deletion
-- are found in one pass, and every other uid's one copy is the unit's
-- record as it is.
CREATE OR REPLACE FUNCTION tiski.settle_uids(uids text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski SET jit = off
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
DECLARE
    merged text[];
BEGIN
    -- (A copy is keyed by uid, kind and desk: another row with its uid
    -- is another desk's copy, or another kind's.)
    SELECT coalesce(array_agg(uid), '{}') INTO merged FROM (
        SELECT c.uid FROM tiski.copies c WHERE c.uid = ANY (uids)
        GROUP BY c.uid HAVING count(*) > 1 OR bool_or(c.kind = 'deleted')) x;
    INSERT INTO tiski.records AS r (uid, kind, updated_at, body)
    SELECT n.uid, n.kind, n.updated_at,
           CASE WHEN n.kind = 'voucher' THEN n.body - 'birth_year' - 'identity_hash'
                ELSE n.body END
    FROM tiski.copies n
    WHERE n.uid = ANY (uids) AND n.kind <> 'deleted' AND n.uid <> ALL (merged)
    ON CONFLICT (uid, kind) DO UPDATE
        SET updated_at = excluded.updated_at, body = excluded.body
        WHERE r.body IS DISTINCT FROM excluded.body;
    -- The rest (copies of several desks, deletions) by the merge rules.
    IF cardinality(merged) > 0 THEN
        PERFORM tiski.resolve(merged);
    END IF;
END
$$;

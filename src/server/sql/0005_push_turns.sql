-- tiski server schema, version 5: desks pushing copies of the same
-- records at the same moment take their turns, so the unit's records and
-- the counts kept from them stay true.
--
-- Run by `tiski server init` after version 4, in the same transaction.
-- Never edit this file once shipped: a change is a new file with the next
-- number.
--
-- Two desks that both hold a session (one imported the other's export)
-- may push their copies of it at once. The statements that keep the
-- unit's records and counts (version 1's merge, version 2's counts) read
-- what is already committed: a session put back in `records` by one desk's
-- batch counted the visits committed before it, and missed the visits the
-- other desk's batch had added and not yet committed (its visitors then
-- short for good), and the two batches' row locks on the same records,
-- taken in different orders, could deadlock. Here a batch first takes its
-- turn on every session it touches (a visit or head-count: its session;
-- any other record: its own uid) by locking one row per key in
-- `push_turns`, in key order, before it reads or changes `records`: a
-- second batch on the same sessions waits for the first's commit, then
-- sees all of it. Batches on sessions of their own (a desk's own records,
-- the common case) never wait on each other. (Row locks, not advisory
-- locks: a batch of ten thousand records would take thousands of the
-- server's shared lock slots.) A deadlock left elsewhere (two batches'
-- day counts) is retried by the desk: the batch was rolled back whole.

-- One row per key ever pushed: a uid, nothing else (no role reads or
-- writes it but the owner's functions).
CREATE TABLE tiski.push_turns (key text PRIMARY KEY);
ALTER TABLE tiski.push_turns ENABLE ROW LEVEL SECURITY;

-- The keys a batch's rows on `copies` take their turns on, in key order.
CREATE FUNCTION tiski.take_turns(keys text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski SET jit = off AS $$
BEGIN
    INSERT INTO tiski.push_turns AS p (key)
    SELECT k FROM (SELECT DISTINCT k FROM unnest(keys) k WHERE k IS NOT NULL) d ORDER BY k
    ON CONFLICT (key) DO UPDATE SET key = excluded.key;
END
$$;
REVOKE ALL ON FUNCTION tiski.take_turns(text[]) FROM PUBLIC;

-- Version 1's trigger, its turns taken first: a visit's or head-count's
-- session; any other record's own uid (a session's is its session's key).
-- Each statement below runs on a snapshot taken after the turns: it sees
-- what any batch that held one of them committed. (A tombstone of a
-- record the unit's log does not hold yet takes only its own uid.)
CREATE OR REPLACE FUNCTION tiski.copies_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski SET jit = off
SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM tiski.take_turns(ARRAY(
            SELECT CASE WHEN o.kind IN ('visit', 'head_count') THEN o.body->>'session_uid'
                        ELSE o.uid END
            FROM old_rows o));
        PERFORM tiski.resolve(ARRAY(SELECT DISTINCT uid FROM old_rows));
        RETURN NULL;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM new_rows) THEN
        RETURN NULL;
    END IF;
    -- (A tombstone also takes the turn of the session of the record it
    -- deletes, when the unit's log holds it.)
    PERFORM tiski.take_turns(ARRAY(
        SELECT CASE WHEN n.kind IN ('visit', 'head_count') THEN n.body->>'session_uid'
                    ELSE n.uid END
        FROM new_rows n
        UNION ALL
        SELECT r.body->>'session_uid'
        FROM new_rows n JOIN tiski.records r ON r.uid = n.uid AND r.kind IN ('visit', 'head_count')
        WHERE n.kind = 'deleted'));
    -- A record that no other copy shares a uid with (the common case: a
    -- desk's own record, new or changed) is the unit's as it is.
    INSERT INTO tiski.records AS r (uid, kind, updated_at, body)
    SELECT n.uid, n.kind, n.updated_at,
           CASE WHEN n.kind = 'voucher' THEN n.body - 'birth_year' - 'identity_hash'
                ELSE n.body END
    FROM new_rows n
    WHERE n.kind <> 'deleted'
      AND NOT EXISTS (SELECT 1 FROM tiski.copies c
                      WHERE c.uid = n.uid AND (c.kind <> n.kind OR c.desk <> n.desk))
    ON CONFLICT (uid, kind) DO UPDATE
        SET updated_at = excluded.updated_at, body = excluded.body
        WHERE r.body IS DISTINCT FROM excluded.body;
    -- The rest (copies of several desks, deletions) by the merge rules.
    PERFORM tiski.resolve(ARRAY(
        SELECT DISTINCT n.uid FROM new_rows n
        WHERE n.kind = 'deleted'
           OR EXISTS (SELECT 1 FROM tiski.copies c
                      WHERE c.uid = n.uid AND (c.kind <> n.kind OR c.desk <> n.desk))))
    ;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION tiski.copies_changed() FROM PUBLIC;

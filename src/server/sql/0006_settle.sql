-- tiski server schema, version 6: a push writes the desk's copies alone;
-- the unit's records and the counts kept from them are settled after its
-- commit, before anyone reads them.
--
-- Run by `tiski server init` after version 5, in the same transaction.
-- Never edit this file once shipped: a change is a new file with the next
-- number.
--
-- Up to version 5 every statement on `copies` worked out the unit's
-- records again for the uids it touched, and the triggers on `records`
-- the day and month counts, the session figures and vouchers, inside the
-- desk's push: nine tenths of a push's time on the server, and two desks
-- pushing copies of the same session had to take turns (`push_turns`) so
-- that each saw the other's work. Here a push only writes the desk's
-- copies and, at its end, which of them changed (the batch's range of
-- change numbers: one row per batch, nothing per record). `tiski.settle`
-- works the unit's records out from the copies of every batch committed
-- since it last ran, by the same merge rules and the same triggers on
-- `records`, one settle at a time (a transaction-level lock), so no two
-- ever work on the same records at once and none misses another's
-- copies.
--
-- Who settles: the reader, before every reading (`tiski report --server`,
-- exports, lists), waiting for a settle under way: a push acknowledged
-- before a reading is always in it, even if its desk was killed right
-- after the commit. A desk, after its sync, when no other settle is
-- running (it never waits for one), so the records are seldom far behind.
-- Nothing but `settle` writes `records`.
--
-- The copies' deletions (a record gone, a desk removed) and the server's
-- retention purge change copies outside a batch's range: they put the
-- uids they touched in `unsettled_uids`, which the next settle works out
-- again. `push_turns` and its rows go: with one settle at a time there are
-- no turns to take.

-- The batches committed and not yet settled: one desk's copies whose
-- change numbers are in [first_seq, last_seq].
CREATE TABLE tiski.unsettled_batches (
    desk      text NOT NULL,
    first_seq bigint NOT NULL,
    last_seq  bigint NOT NULL
);
ALTER TABLE tiski.unsettled_batches ENABLE ROW LEVEL SECURITY;

-- Uids whose copies changed outside a batch (deleted, purged, moved to
-- another desk's name): worked out again at the next settle.
CREATE TABLE tiski.unsettled_uids (uid text NOT NULL);
ALTER TABLE tiski.unsettled_uids ENABLE ROW LEVEL SECURITY;

-- A batch's copies are found by desk and change number (this index
-- replaces the one by desk and kind, which the purge used: it finds a
-- desk's copies by this one).
CREATE INDEX copies_by_seq ON tiski.copies (desk, seq);
DROP INDEX tiski.copies_by_desk;

-- The push writes the copies alone.
DROP TRIGGER copies_inserted ON tiski.copies;
DROP TRIGGER copies_updated ON tiski.copies;
DROP TRIGGER copies_deleted ON tiski.copies;
DROP FUNCTION tiski.copies_changed();
DROP FUNCTION tiski.take_turns(text[]);
DROP TABLE tiski.push_turns;

-- Marks `uids` to be worked out again at the next settle. (A desk may
-- call it: it changes nothing but what the next settle looks at.)
CREATE FUNCTION tiski.unsettle(uids text[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, tiski AS $$
    INSERT INTO tiski.unsettled_uids (uid)
    SELECT DISTINCT u FROM unnest(uids) u WHERE u IS NOT NULL
$$;
REVOKE ALL ON FUNCTION tiski.unsettle(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tiski.unsettle(text[]) TO tiski_desk;

CREATE FUNCTION tiski.copies_gone() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski AS $$
BEGIN
    INSERT INTO tiski.unsettled_uids (uid) SELECT DISTINCT uid FROM old_rows;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION tiski.copies_gone() FROM PUBLIC;
CREATE TRIGGER copies_deleted AFTER DELETE ON tiski.copies
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tiski.copies_gone();

-- A desk renamed (`UPDATE tiski.desks SET desk = …` cascades): the merge
-- breaks ties by desk. (Fires only when `desk` is set: never on a push.)
CREATE FUNCTION tiski.copy_moved() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski AS $$
BEGIN
    INSERT INTO tiski.unsettled_uids (uid) VALUES (NEW.uid);
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION tiski.copy_moved() FROM PUBLIC;
CREATE TRIGGER copies_moved AFTER UPDATE OF desk ON tiski.copies
    FOR EACH ROW EXECUTE FUNCTION tiski.copy_moved();

-- The end of a desk's batch: the changes up to `upto` are taken, and the
-- copies of the batch's changes (from `first`; from the desk's first when
-- NULL) are to be settled.
DROP FUNCTION tiski.end_batch(bigint);
CREATE FUNCTION tiski.end_batch(upto bigint, first bigint DEFAULT NULL) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, tiski AS $$
    INSERT INTO tiski.unsettled_batches (desk, first_seq, last_seq)
    SELECT desk, coalesce(first, -9223372036854775808), upto
    FROM tiski.desks WHERE role = session_user;
    UPDATE tiski.desks SET acked = upto, synced_at = now() WHERE role = session_user;
$$;
REVOKE ALL ON FUNCTION tiski.end_batch(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tiski.end_batch(bigint, bigint) TO tiski_desk;

-- The unit's records of `uids` worked out from their copies (version
-- 1's `copies_changed`, reading the copies instead of a statement's rows).
-- (A batch's uids are looked up one by one in the index: a hash join
-- would read every copy of every desk.)
CREATE FUNCTION tiski.settle_uids(uids text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski SET jit = off
SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
    -- A record that no other copy shares a uid with (the common case: a
    -- desk's own record, new or changed) is the unit's as it is.
    INSERT INTO tiski.records AS r (uid, kind, updated_at, body)
    SELECT n.uid, n.kind, n.updated_at,
           CASE WHEN n.kind = 'voucher' THEN n.body - 'birth_year' - 'identity_hash'
                ELSE n.body END
    FROM tiski.copies n
    WHERE n.uid = ANY (uids) AND n.kind <> 'deleted'
      AND NOT EXISTS (SELECT 1 FROM tiski.copies c
                      WHERE c.uid = n.uid AND (c.kind <> n.kind OR c.desk <> n.desk))
    ON CONFLICT (uid, kind) DO UPDATE
        SET updated_at = excluded.updated_at, body = excluded.body
        WHERE r.body IS DISTINCT FROM excluded.body;
    -- The rest (copies of several desks, deletions) by the merge rules.
    PERFORM tiski.resolve(ARRAY(
        SELECT DISTINCT n.uid FROM tiski.copies n
        WHERE n.uid = ANY (uids)
          AND (n.kind = 'deleted'
               OR EXISTS (SELECT 1 FROM tiski.copies c
                          WHERE c.uid = n.uid AND (c.kind <> n.kind OR c.desk <> n.desk)))));
END
$$;
REVOKE ALL ON FUNCTION tiski.settle_uids(text[]) FROM PUBLIC;

-- Settles every batch and uid committed before it: returns how many uids
-- it worked out (0: nothing was due). Waits for a settle under way; with
-- `wait` false returns NULL instead of waiting. The batches are taken
-- and their copies found in one statement (one snapshot): a copy a later
-- batch changed meanwhile is that batch's, settled with it.
CREATE FUNCTION tiski.settle(wait boolean DEFAULT true) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski SET jit = off
SET work_mem = '32MB' AS $$
DECLARE
    uids text[];
    gone text[];
    step constant int := 10000;
    i int := 1;
BEGIN
    IF wait THEN
        PERFORM pg_advisory_xact_lock(hashtext('tiski settle'));
    ELSIF NOT pg_try_advisory_xact_lock(hashtext('tiski settle')) THEN
        RETURN NULL;
    END IF;
    -- What a settle writes is worked out from what is committed already,
    -- and it takes its batches in the same transaction: a crash that
    -- loses its commit loses both, and the next settle does it again. So
    -- its commit need not wait for the disk (no SET clause of the
    -- function's: this lasts until the transaction's end).
    PERFORM set_config('synchronous_commit', 'off', true);
    WITH b AS (
        DELETE FROM tiski.unsettled_batches RETURNING desk, first_seq, last_seq
    )
    SELECT array_agg(c.uid ORDER BY b.desk, c.seq) INTO uids
    FROM b CROSS JOIN LATERAL (
        SELECT c.uid, c.seq FROM tiski.copies c
        WHERE c.desk = b.desk AND c.seq BETWEEN b.first_seq AND b.last_seq
        OFFSET 0) c;
    WHILE i <= coalesce(cardinality(uids), 0) LOOP
        PERFORM tiski.settle_uids(uids[i:i + step - 1]);
        i := i + step;
    END LOOP;
    WITH u AS (DELETE FROM tiski.unsettled_uids RETURNING uid)
    SELECT array_agg(DISTINCT uid) INTO gone FROM u;
    i := 1;
    WHILE i <= coalesce(cardinality(gone), 0) LOOP
        PERFORM tiski.resolve(gone[i:i + step - 1]);
        i := i + step;
    END LOOP;
    RETURN coalesce(cardinality(uids), 0) + coalesce(cardinality(gone), 0);
END
$$;
REVOKE ALL ON FUNCTION tiski.settle(boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tiski.settle(boolean) TO tiski_desk, tiski_reader;

-- Retention on the server, as version 1's, the notes it clears settled
-- into the unit's records too. (The records never hold a voucher's
-- identities: a purge of those has nothing to settle.)
CREATE OR REPLACE FUNCTION tiski.purge(notes_before date, identities_before date)
RETURNS TABLE (notes bigint, identities bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, tiski AS $$
DECLARE
    stamp text := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"');
    cleared text[];
BEGIN
    WITH u AS (
        UPDATE tiski.copies
           SET body = body || jsonb_build_object('note', '', 'updated_at', stamp),
               updated_at = stamp::timestamptz
         WHERE kind = 'visit' AND body->>'note' <> ''
           AND body->>'at' < notes_before::text
        RETURNING uid)
    SELECT array_agg(uid) INTO cleared FROM u;
    notes := coalesce(cardinality(cleared), 0);
    PERFORM tiski.unsettle(cleared);
    UPDATE tiski.copies
       SET body = body || '{"birth_year": null, "identity_hash": null}'::jsonb
     WHERE kind = 'voucher' AND body->>'valid_until' < identities_before::text
       AND (body->>'birth_year' IS NOT NULL OR body->>'identity_hash' IS NOT NULL);
    GET DIAGNOSTICS identities = ROW_COUNT;
    RETURN NEXT;
END
$$;

-- tiski server schema, version 1: the desks' copies of their logs, the
-- unit's log merged from them, and who may read and write what.
--
-- Run by `tiski server init` in one transaction, as the city's admin role
-- (the owner of everything here). Never edit this file once shipped: a
-- change is a new file with the next number.
--
-- Each desk (one laptop's log) writes its own copy of every record it
-- holds into `copies`, keyed by uid, one row per desk and record; row-level
-- security lets a desk role see, insert, change and delete only its own
-- rows. Whenever copies change, `records` (the unit's log) is worked out
-- again for the uids touched, by the rules `tiski import` merges by: the
-- copy with the later `updated_at` wins, a deletion (tombstone) removes
-- the copies written before it and not one edited after it, a session's
-- times widen to cover every copy. The reader role of the unit's head reads
-- `records` and the counts kept from it; no role but the desk's own reads
-- a voucher's birth year or identity hash, which `records` leaves out.

CREATE SCHEMA tiski;
REVOKE ALL ON SCHEMA tiski FROM PUBLIC;
GRANT USAGE ON SCHEMA tiski TO tiski_desk, tiski_reader;

-- The schema's version (`schema_version`), kept by `tiski server init`.
CREATE TABLE tiski.meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);
GRANT SELECT ON tiski.meta TO tiski_desk, tiski_reader;

-- One row per desk: its name and the login role it syncs as.
CREATE TABLE tiski.desks (
    desk      text PRIMARY KEY CHECK (desk ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
    role      name NOT NULL UNIQUE,
    device    text,                  -- the installation that last synced
    acked     bigint NOT NULL DEFAULT 0,  -- the last change number taken
    synced_at timestamptz           -- when it was taken
);
GRANT SELECT ON tiski.desks TO tiski_reader;

-- Voucher number prefixes, each one desk's, so a number names one
-- commitment across the city.
CREATE TABLE tiski.voucher_series (
    prefix text PRIMARY KEY,
    desk   text NOT NULL REFERENCES tiski.desks ON DELETE CASCADE ON UPDATE CASCADE
);
GRANT SELECT ON tiski.voucher_series TO tiski_reader;

-- The desk of a role (NULL for a role that is no desk's).
CREATE FUNCTION tiski.desk_of(r name) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, tiski AS $$
    SELECT desk FROM tiski.desks WHERE role = r
$$;
REVOKE ALL ON FUNCTION tiski.desk_of(name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tiski.desk_of(name) TO tiski_desk, tiski_reader;

-- When a record of a kind was last written, from its body.
CREATE FUNCTION tiski.written_at(kind text, body jsonb) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE kind
        WHEN 'deleted' THEN (body->>'deleted_at')::timestamptz
        WHEN 'session' THEN NULL
        WHEN 'cancelled' THEN NULL
        ELSE (body->>'updated_at')::timestamptz
    END
$$;

-- Every desk's copy of every record it holds: the JSONL export's line for
-- it (`type` = kind), with the change number it was sent under.
CREATE TABLE tiski.copies (
    uid        text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('session', 'visit', 'cancelled', 'deleted',
                   'voucher', 'event', 'group', 'meeting', 'feedback', 'head_count')),
    desk       text NOT NULL DEFAULT tiski.desk_of(current_user)
               REFERENCES tiski.desks ON DELETE CASCADE ON UPDATE CASCADE,
    seq        bigint NOT NULL,
    updated_at timestamptz,
    body       jsonb NOT NULL,
    PRIMARY KEY (uid, kind, desk),
    CHECK (body->>'type' = kind AND body->>'uid' = uid)
);
ALTER TABLE tiski.copies ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_desk ON tiski.copies TO tiski_desk
    USING (desk = (SELECT tiski.desk_of(current_user)))
    WITH CHECK (desk = (SELECT tiski.desk_of(current_user)));
GRANT SELECT, INSERT, UPDATE, DELETE ON tiski.copies TO tiski_desk;

-- The unit's log: one record per uid, merged from every desk's copies.
CREATE TABLE tiski.records (
    uid        text NOT NULL,
    kind       text NOT NULL,
    updated_at timestamptz,
    body       jsonb NOT NULL,
    PRIMARY KEY (uid, kind)
);
CREATE INDEX records_sessions ON tiski.records ((body->>'date'), (body->>'profile'))
    WHERE kind = 'session';
CREATE INDEX records_by_session ON tiski.records ((body->>'session_uid'), kind)
    WHERE kind IN ('visit', 'head_count');
CREATE INDEX records_by_date ON tiski.records (kind, (body->>'date'))
    WHERE kind IN ('cancelled', 'event', 'group', 'meeting');
CREATE INDEX records_vouchers ON tiski.records ((substr(body->>'issued_at', 1, 10)))
    WHERE kind = 'voucher';
GRANT SELECT ON tiski.records TO tiski_reader;

-- What each session's visits add up to under each heading (topic,
-- referral, field option, hour, weekday), kept with `records`, so a year's
-- report reads some rows per session instead of every visit.
CREATE TABLE tiski.session_counts (
    session_uid text NOT NULL,
    kind        text NOT NULL,
    key         text NOT NULL,
    value       text NOT NULL,
    n           integer NOT NULL,
    PRIMARY KEY (session_uid, kind, key, value)
);
GRANT SELECT ON tiski.session_counts TO tiski_reader;

-- Works out `records` again for `uids` from every desk's copies.
-- (JIT off: compiling a batch's plan costs far more than running it.)
CREATE FUNCTION tiski.resolve(uids text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski SET jit = off
SET enable_seqscan = off AS $$
BEGIN
    DELETE FROM tiski.records WHERE uid = ANY (uids);
    INSERT INTO tiski.records (uid, kind, updated_at, body)
    WITH c AS (
        SELECT * FROM tiski.copies WHERE uid = ANY (uids)
    ),
    tomb AS (
        SELECT uid, max(updated_at) AS deleted_at FROM c WHERE kind = 'deleted' GROUP BY uid
    ),
    win AS (
        SELECT DISTINCT ON (uid, kind) uid, kind, updated_at, body
        FROM c WHERE kind <> 'session'
        ORDER BY uid, kind, updated_at DESC NULLS LAST, desk
    )
    SELECT w.uid, w.kind, w.updated_at,
           CASE WHEN w.kind = 'voucher' THEN w.body - 'birth_year' - 'identity_hash'
                ELSE w.body END
    FROM win w LEFT JOIN tomb t ON t.uid = w.uid AND w.kind <> 'deleted'
    WHERE t.deleted_at IS NULL OR w.updated_at > t.deleted_at
    UNION ALL
    SELECT uid, 'session', NULL,
           (array_agg(body ORDER BY desk))[1]
               || jsonb_build_object('started_at', min(body->>'started_at'),
                                     'ended_at', max(body->>'ended_at'))
    FROM c WHERE kind = 'session' GROUP BY uid;
END
$$;
REVOKE ALL ON FUNCTION tiski.resolve(text[]) FROM PUBLIC;

-- (A batch's uids are looked up one by one in the index: a hash join
-- would read every copy of every desk for each batch.)
CREATE FUNCTION tiski.copies_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski SET jit = off
SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM tiski.resolve(ARRAY(SELECT DISTINCT uid FROM old_rows));
        RETURN NULL;
    END IF;
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
CREATE TRIGGER copies_inserted AFTER INSERT ON tiski.copies
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tiski.copies_changed();
CREATE TRIGGER copies_updated AFTER UPDATE ON tiski.copies
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tiski.copies_changed();
CREATE TRIGGER copies_deleted AFTER DELETE ON tiski.copies
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tiski.copies_changed();

-- What one visit counts under: its hour and weekday (0 = Monday), its
-- referral, each topic, each field's option.
CREATE FUNCTION tiski.visit_parts(b jsonb)
RETURNS TABLE (kind text, key text, value text)
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'hour', extract(hour FROM (b->>'at')::timestamp)::int::text, ''
    UNION ALL
    SELECT 'weekday', (extract(isodow FROM (b->>'at')::timestamp)::int - 1)::text, ''
    UNION ALL
    SELECT 'referral', b->>'referral', '' WHERE b->>'referral' IS NOT NULL
    UNION ALL
    SELECT 'topic', t, '' FROM jsonb_array_elements_text(b->'topics') t
    UNION ALL
    SELECT 'field', f.key, f.value FROM jsonb_each_text(b->'fields') f
$$;

-- Keeps `session_counts` with the visits of `records`: a visit's parts
-- are added when it comes, taken away when it goes or changes.
CREATE FUNCTION tiski.records_counted() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski SET jit = off AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO tiski.session_counts AS sc (session_uid, kind, key, value, n)
        SELECT o.body->>'session_uid', p.kind, p.key, p.value, -count(*)
        FROM old_rows o CROSS JOIN LATERAL tiski.visit_parts(o.body) p
        WHERE o.kind = 'visit'
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (session_uid, kind, key, value) DO UPDATE SET n = sc.n + excluded.n;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tiski.session_counts AS sc (session_uid, kind, key, value, n)
        SELECT v.body->>'session_uid', p.kind, p.key, p.value, count(*)
        FROM new_rows v CROSS JOIN LATERAL tiski.visit_parts(v.body) p
        WHERE v.kind = 'visit'
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (session_uid, kind, key, value) DO UPDATE SET n = sc.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION tiski.records_counted() FROM PUBLIC;
CREATE TRIGGER records_inserted AFTER INSERT ON tiski.records
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tiski.records_counted();
CREATE TRIGGER records_deleted AFTER DELETE ON tiski.records
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tiski.records_counted();
CREATE TRIGGER records_updated AFTER UPDATE ON tiski.records
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tiski.records_counted();

-- The start of a desk's batch: waits for any other sync of the same desk
-- (one batch at a time per desk, in the order its changes were read) and
-- returns the desk's name; refuses a role that is no desk's.
CREATE FUNCTION tiski.begin_batch(device text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski AS $$
DECLARE
    d text;
BEGIN
    SELECT desk INTO d FROM tiski.desks WHERE role = session_user FOR UPDATE;
    IF d IS NULL THEN
        RAISE EXCEPTION 'role % is not a tiski desk', session_user
            USING ERRCODE = 'TK001', HINT = session_user;
    END IF;
    UPDATE tiski.desks SET device = begin_batch.device WHERE desk = d;
    RETURN d;
END
$$;
REVOKE ALL ON FUNCTION tiski.begin_batch(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tiski.begin_batch(text) TO tiski_desk;

-- The end of a desk's batch: the changes up to `upto` are taken.
CREATE FUNCTION tiski.end_batch(upto bigint) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, tiski AS $$
    UPDATE tiski.desks SET acked = upto, synced_at = now() WHERE role = session_user
$$;
REVOKE ALL ON FUNCTION tiski.end_batch(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tiski.end_batch(bigint) TO tiski_desk;

-- Claims voucher number prefixes for the calling desk; refuses one that is
-- another desk's, naming it.
CREATE FUNCTION tiski.claim_series(prefixes text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski AS $$
DECLARE
    d text := tiski.desk_of(session_user);
    p text;
    holder text;
BEGIN
    IF d IS NULL THEN
        RAISE EXCEPTION 'role % is not a tiski desk', session_user
            USING ERRCODE = 'TK001', HINT = session_user;
    END IF;
    FOREACH p IN ARRAY prefixes LOOP
        INSERT INTO tiski.voucher_series (prefix, desk) VALUES (p, d) ON CONFLICT DO NOTHING;
        SELECT desk INTO holder FROM tiski.voucher_series WHERE prefix = p;
        IF holder <> d THEN
            RAISE EXCEPTION 'voucher prefix % is desk %''s', p, holder
                USING ERRCODE = 'TK002', DETAIL = p, HINT = holder;
        END IF;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION tiski.claim_series(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tiski.claim_series(text[]) TO tiski_desk;

-- Retention on the server: clears the notes of visits before
-- `notes_before` and the voucher identities valid until before
-- `identities_before` (either may be NULL), in the copies the caller may
-- change (a desk: its own; the admin: all), as the desks' own purge does.
CREATE FUNCTION tiski.purge(notes_before date, identities_before date)
RETURNS TABLE (notes bigint, identities bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, tiski AS $$
DECLARE
    stamp text := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"');
BEGIN
    UPDATE tiski.copies
       SET body = body || jsonb_build_object('note', '', 'updated_at', stamp),
           updated_at = stamp::timestamptz
     WHERE kind = 'visit' AND body->>'note' <> ''
       AND body->>'at' < notes_before::text;
    GET DIAGNOSTICS notes = ROW_COUNT;
    UPDATE tiski.copies
       SET body = body || '{"birth_year": null, "identity_hash": null}'::jsonb
     WHERE kind = 'voucher' AND body->>'valid_until' < identities_before::text
       AND (body->>'birth_year' IS NOT NULL OR body->>'identity_hash' IS NOT NULL);
    GET DIAGNOSTICS identities = ROW_COUNT;
    RETURN NEXT;
END
$$;
GRANT EXECUTE ON FUNCTION tiski.purge(date, date) TO tiski_desk;

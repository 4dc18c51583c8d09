-- tiski server schema, version 4: the vouchers of each session kept for
-- the report, and a voucher copy's purged identity hash as NULL.
--
-- Run by `tiski server init` after version 3, in the same transaction.
-- Never edit this file once shipped: a change is a new file with the next
-- number.
--
-- The report counts a period's vouchers (not cancelled) by the session
-- their visit was in. Version 3 joined every voucher of the period to its
-- visit and its session, row by row (half a second of a year's report at
-- a million visits). Here each session's vouchers are kept counted per
-- day issued, voucher profile and product (`session_vouchers`), so the
-- report reads some rows per session with vouchers, joined to the kept
-- session figures.
--
-- They are counted again, from the unit's records, for every session a
-- statement on `records` may change them for: the session of a visit that
-- comes, goes or changes and has a voucher, and the session of the visit
-- of a voucher that comes, goes or changes (before and after, in the
-- records or in the statement's own rows). Two transactions counting the
-- same session again take their turns (a transaction-level advisory lock
-- per session, taken in order), so neither counts without the other's
-- commit. Only the reader role reads them, as the day counts; they hold no
-- birth year and no identity hash.

CREATE TABLE tiski.session_vouchers (
    session_uid     text NOT NULL,
    issued_day      text NOT NULL,       -- YYYY-MM-DD of its issued_at
    voucher_profile text,                -- the voucher's own profile
    product         text,
    n               bigint NOT NULL
);
CREATE INDEX session_vouchers_by_session ON tiski.session_vouchers (session_uid);
ALTER TABLE tiski.session_vouchers ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_reader ON tiski.session_vouchers FOR SELECT TO tiski_reader USING (true);
GRANT SELECT ON tiski.session_vouchers TO tiski_reader;

-- A voucher's visit, looked up from the voucher.
CREATE INDEX records_voucher_visit ON tiski.records ((body->>'visit_uid'))
    WHERE kind = 'voucher';

-- Counts the vouchers of `sessions` again from the unit's records.
CREATE FUNCTION tiski.count_session_vouchers(sessions text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski SET jit = off AS $$
BEGIN
    IF sessions IS NULL OR cardinality(sessions) = 0 THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('tiski session vouchers'), h)
       FROM (SELECT DISTINCT hashtext(s) AS h FROM unnest(sessions) s ORDER BY 1) o;
    DELETE FROM tiski.session_vouchers WHERE session_uid = ANY (sessions);
    INSERT INTO tiski.session_vouchers (session_uid, issued_day, voucher_profile, product, n)
    SELECT v.body->>'session_uid', substr(x.body->>'issued_at', 1, 10), x.body->>'profile',
           x.body->>'product', count(*)
    FROM unnest(sessions) s
    CROSS JOIN LATERAL (
        SELECT r.uid, r.body FROM tiski.records r
        WHERE r.body->>'session_uid' = s AND r.kind = 'visit'
        OFFSET 0) v
    JOIN tiski.records x ON x.kind = 'voucher' AND x.body->>'visit_uid' = v.uid
    WHERE x.body->>'status' <> 'cancelled'
    GROUP BY 1, 2, 3, 4;
END
$$;
REVOKE ALL ON FUNCTION tiski.count_session_vouchers(text[]) FROM PUBLIC;

-- The sessions whose vouchers a statement on `records` may have changed,
-- counted again (`src` stands for the statement's transition tables).
CREATE FUNCTION tiski.records_vouchers_counted() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, tiski SET jit = off AS $$
DECLARE
    src text := CASE TG_OP
        WHEN 'INSERT' THEN '(SELECT uid, kind, body FROM new_rows)'
        WHEN 'DELETE' THEN '(SELECT uid, kind, body FROM old_rows)'
        ELSE '(SELECT uid, kind, body FROM old_rows
               UNION ALL SELECT uid, kind, body FROM new_rows)'
    END;
    touched text[];
BEGIN
    EXECUTE format($q$
        WITH t AS MATERIALIZED (
            SELECT uid, kind, body FROM %1$s t WHERE kind IN ('visit', 'voucher')
        )
        SELECT array_agg(DISTINCT s) FROM (
            -- A voucher's visit, in the records or the statement's rows.
            SELECT v.body->>'session_uid' AS s
            FROM t x JOIN tiski.records v ON v.kind = 'visit' AND v.uid = x.body->>'visit_uid'
            WHERE x.kind = 'voucher'
            UNION ALL
            SELECT v.body->>'session_uid'
            FROM t x JOIN t v ON v.kind = 'visit' AND v.uid = x.body->>'visit_uid'
            WHERE x.kind = 'voucher'
            UNION ALL
            -- A visit with a voucher in the records (one among the statement's
            -- rows is found above).
            SELECT v.body->>'session_uid'
            FROM t v
            WHERE v.kind = 'visit'
              AND EXISTS (SELECT 1 FROM tiski.records x
                          WHERE x.kind = 'voucher' AND x.body->>'visit_uid' = v.uid)
        ) a WHERE s IS NOT NULL
    $q$, src) INTO touched;
    PERFORM tiski.count_session_vouchers(touched);
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION tiski.records_vouchers_counted() FROM PUBLIC;
CREATE TRIGGER records_vouchers_inserted AFTER INSERT ON tiski.records
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tiski.records_vouchers_counted();
CREATE TRIGGER records_vouchers_deleted AFTER DELETE ON tiski.records
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tiski.records_vouchers_counted();
CREATE TRIGGER records_vouchers_updated AFTER UPDATE ON tiski.records
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tiski.records_vouchers_counted();

-- The vouchers already on the server.
INSERT INTO tiski.session_vouchers (session_uid, issued_day, voucher_profile, product, n)
SELECT v.body->>'session_uid', substr(x.body->>'issued_at', 1, 10), x.body->>'profile',
       x.body->>'product', count(*)
FROM tiski.records x
JOIN tiski.records v ON v.kind = 'visit' AND v.uid = x.body->>'visit_uid'
WHERE x.kind = 'voucher' AND x.body->>'status' <> 'cancelled'
  AND v.body->>'session_uid' IS NOT NULL
GROUP BY 1, 2, 3, 4;

-- A voucher whose identities a desk purged before it stored them as NULL
-- sent its identity hash as "" (an empty value, not none): its copies hold
-- none. (The unit's records never hold the hash.)
UPDATE tiski.copies
   SET body = jsonb_set(body, '{identity_hash}', 'null'::jsonb)
 WHERE kind = 'voucher' AND body->>'identity_hash' = '';

-- Issue 24: names, not numbers; offline cash; payments pushed to the attendant's phone.

-- Who acted is a username (SPEC §11.1); rows written as `staff:<id>` take the user's name.
CREATE FUNCTION pg_temp.actor(subject text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT COALESCE(
        (SELECT username FROM staff_users
          WHERE subject ~ '^staff:[0-9]{1,18}$' AND id = substr(subject, 7)::bigint),
        subject)
$$;
CREATE FUNCTION pg_temp.named_notes(notes jsonb) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT COALESCE(jsonb_agg(
               CASE WHEN n ? 'by' THEN jsonb_set(n, '{by}', to_jsonb(pg_temp.actor(n->>'by')))
                    ELSE n END ORDER BY i), '[]'::jsonb)
      FROM jsonb_array_elements(notes) WITH ORDINALITY AS e(n, i)
$$;
UPDATE reconciliation_closes SET closed_by = pg_temp.actor(closed_by) WHERE closed_by LIKE 'staff:%';
UPDATE settlements SET imported_by = pg_temp.actor(imported_by) WHERE imported_by LIKE 'staff:%';
UPDATE warning_letters SET issued_by = pg_temp.actor(issued_by) WHERE issued_by LIKE 'staff:%';
UPDATE alerts SET notes = pg_temp.named_notes(notes) WHERE notes::text LIKE '%staff:%';
UPDATE citizen_reports SET notes = pg_temp.named_notes(notes) WHERE notes::text LIKE '%staff:%';

-- A cash tap made offline carries the phone's own reference: the same one again is the same
-- payment (SPEC §11.2).
ALTER TABLE payments ADD COLUMN client_ref text
    CHECK (client_ref IS NULL OR char_length(client_ref) BETWEEN 1 AND 64);
CREATE UNIQUE INDEX payments_client_ref_key ON payments (attendant_id, client_ref)
    WHERE client_ref IS NOT NULL;

-- The attendant's phone hears of each payment of theirs once it is committed: a notification
-- per statement naming the new paid payments' ids (NOTIFY is delivered at commit).
CREATE FUNCTION notify_paid_payments() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        FOR ids IN
            SELECT string_agg(id::text, ',') FROM (
                SELECT id, (row_number() OVER (ORDER BY id) - 1) / 500 AS chunk
                  FROM new_rows WHERE status = 'paid' AND attendant_id IS NOT NULL) c
             GROUP BY chunk
        LOOP
            PERFORM pg_notify('parkir_payments', ids);
        END LOOP;
    ELSE
        FOR ids IN
            SELECT string_agg(id::text, ',') FROM (
                SELECT n.id, (row_number() OVER (ORDER BY n.id) - 1) / 500 AS chunk
                  FROM new_rows n JOIN old_rows o ON o.id = n.id
                 WHERE n.status = 'paid' AND o.status <> 'paid' AND n.attendant_id IS NOT NULL) c
             GROUP BY chunk
        LOOP
            PERFORM pg_notify('parkir_payments', ids);
        END LOOP;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER payments_paid_insert AFTER INSERT ON payments
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_paid_payments();
CREATE TRIGGER payments_paid_update AFTER UPDATE ON payments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_paid_payments();

-- Many cities on one deployment (SPEC §17). Every city-owned row carries its city; the serving
-- role `parkir_app` sees only the rows of the city its transaction names
-- (`parkir.city`), enforced by row-level security, so a query that forgets its city finds
-- nothing rather than another city's money and people.
--
-- An existing database becomes the default city (id 1): the new column's constant default
-- fills every row without rewriting a table, and only then does the default become the
-- session's city.

CREATE TABLE cities (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL CHECK (code ~ '^[A-Z]{2,8}$'),
    name TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 80),
    -- An IANA zone: a new city takes one of Indonesia's three; the default city whatever
    -- `PARKIR_TIMEZONE` says.
    timezone TEXT NOT NULL,
    -- What documents and the citizen's pages say (§11.1, §13, §16); null: the settings'
    -- `PARKIR_OFFICE_*`, `PARKIR_SIGNATORY_*`, `PARKIR_HOTLINE` (which describe the default city).
    office JSONB,
    hotline TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX cities_code_key ON cities (code);
-- The default city: what the single-city settings describe (`PARKIR_CITY_CODE`, `PARKIR_TIMEZONE`),
-- brought in line with them at every start.
INSERT INTO cities (id, code, name, timezone) VALUES (1, 'JMB', 'Kota Jambi', 'Asia/Jakarta');
SELECT setval('cities_id_seq', 1);

-- The city the current transaction acts for, or null.
CREATE FUNCTION parkir_session_city() RETURNS BIGINT LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT NULLIF(current_setting('parkir.city', true), '')::BIGINT
$$;

-- The serving role: no login, no superuser, no BYPASSRLS, owning nothing. The owner (the
-- migrating user) is made a member so its pool may `SET ROLE parkir_app`.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'parkir_app') THEN
        CREATE ROLE parkir_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM pg_auth_members m
        JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
        WHERE r.rolname = 'parkir_app' AND u.rolname = current_user
    ) AND current_user <> 'parkir_app' THEN
        EXECUTE format('GRANT parkir_app TO %I', current_user);
    END IF;
    -- `/readyz` and the metrics read the standbys' state (pg_stat_replication), which takes
    -- this role; an owner who may not grant it leaves those figures out.
    BEGIN
        GRANT pg_read_all_stats TO parkir_app;
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'parkir_app cannot be given pg_read_all_stats; replication metrics stay hidden';
    END;
END
$$;

DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY[
        'alert_runs', 'alerts', 'assignments', 'attendants', 'callbacks', 'cash_deposits',
        'charges', 'citizen_reports', 'day_rollup_dates', 'day_rollups', 'merchant_accounts',
        'payments', 'payout_accounts', 'payout_days', 'payout_lines', 'payout_runs',
        'reconciliation_closes', 'report_keys', 'settlement_rows', 'settlements', 'snap_tokens',
        'spots', 'staff_users', 'warning_letters', 'zone_versions', 'zones'
    ] LOOP
        -- The tables every callback writes carry no foreign key to `cities`: each row's check
        -- would share-lock its city's one row from every concurrent transaction (multixacts
        -- on the write path); cities are never deleted, and row-level security holds every
        -- row to the city its session acts for.
        IF t IN ('payments', 'callbacks', 'charges') THEN
            EXECUTE format('ALTER TABLE %I ADD COLUMN city_id BIGINT NOT NULL DEFAULT 1', t);
        ELSE
            EXECUTE format('ALTER TABLE %I ADD COLUMN city_id BIGINT NOT NULL DEFAULT 1 REFERENCES cities (id)', t);
        END IF;
        EXECUTE format('ALTER TABLE %I ALTER COLUMN city_id SET DEFAULT COALESCE(parkir_session_city(), 1)', t);
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY city_rows ON %I USING (city_id = parkir_session_city()) '
            'WITH CHECK (city_id = parkir_session_city())', t);
    END LOOP;
END
$$;

-- Each city's gateway credentials (SPEC §17), secrets sealed with PARKIR_SECRET_KEY
-- (ChaCha20-Poly1305, bound to the city and the field): never returned, never logged. The
-- SNAP client key is not secret; a Xendit token is found by its SHA-256. The default city
-- without a row here uses the settings' credentials.
CREATE TABLE city_gateways (
    city_id BIGINT PRIMARY KEY REFERENCES cities (id)
        DEFAULT COALESCE(parkir_session_city(), 1),
    snap_client_key TEXT,
    snap_client_secret BYTEA,
    snap_public_key_pem TEXT,
    midtrans_server_key BYTEA,
    xendit_callback_token BYTEA,
    xendit_token_sha256 TEXT,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX city_gateways_snap_client_key ON city_gateways (snap_client_key);
CREATE UNIQUE INDEX city_gateways_xendit_token ON city_gateways (xendit_token_sha256);
ALTER TABLE city_gateways ENABLE ROW LEVEL SECURITY;
CREATE POLICY city_rows ON city_gateways USING (city_id = parkir_session_city())
    WITH CHECK (city_id = parkir_session_city());

-- The city a callback's credentials name: a SNAP client key / partner id, a Xendit token's
-- SHA-256, a SNAP token we issued (its SHA-256). Nothing but the city.
CREATE FUNCTION parkir_gateway_city(p_kind TEXT, p_key TEXT) RETURNS BIGINT
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT city_id FROM city_gateways WHERE p_kind = 'snap' AND snap_client_key = p_key
    UNION ALL
    SELECT city_id FROM city_gateways WHERE p_kind = 'xendit' AND xendit_token_sha256 = p_key
    UNION ALL
    SELECT city_id FROM snap_tokens WHERE p_kind = 'snap_token' AND token_hash = p_key
    LIMIT 1
$$;

-- Operators (platform staff) belong to no city.
ALTER TABLE staff_users ALTER COLUMN city_id DROP NOT NULL;
ALTER TABLE staff_users DROP CONSTRAINT staff_users_role_check;
ALTER TABLE staff_users ADD CONSTRAINT staff_users_role_check
    CHECK ((role = 'operator') = (city_id IS NULL)
           AND role IN ('admin', 'supervisor', 'auditor', 'operator'));

-- A payment written forgets the roll-ups of its own city's dates (an owner's session writing
-- for one city no longer forgets every city's).
CREATE OR REPLACE FUNCTION parkir_forget_rollups() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        DELETE FROM day_rollup_dates d WHERE (d.city_id, d.business_date) IN
            (SELECT DISTINCT city_id, business_date FROM new_rows);
    ELSIF TG_OP = 'UPDATE' THEN
        DELETE FROM day_rollup_dates d WHERE (d.city_id, d.business_date) IN
            (SELECT city_id, business_date FROM new_rows UNION SELECT city_id, business_date FROM old_rows);
    ELSE
        DELETE FROM day_rollup_dates d WHERE (d.city_id, d.business_date) IN
            (SELECT DISTINCT city_id, business_date FROM old_rows);
    END IF;
    RETURN NULL;
END
$$;

-- What was one per deployment is one per city.
ALTER TABLE alert_runs DROP CONSTRAINT alert_runs_pkey, ADD PRIMARY KEY (city_id, business_date);
ALTER TABLE day_rollups DROP CONSTRAINT day_rollups_business_date_fkey;
ALTER TABLE day_rollup_dates DROP CONSTRAINT day_rollup_dates_pkey, ADD PRIMARY KEY (city_id, business_date);
ALTER TABLE day_rollups ADD CONSTRAINT day_rollups_business_date_fkey FOREIGN KEY (city_id, business_date)
    REFERENCES day_rollup_dates (city_id, business_date) ON DELETE CASCADE;
ALTER TABLE payout_days DROP CONSTRAINT payout_days_pkey, ADD PRIMARY KEY (city_id, business_date);
ALTER TABLE reconciliation_closes DROP CONSTRAINT reconciliation_closes_pkey, ADD PRIMARY KEY (city_id, business_date);
ALTER TABLE report_keys DROP CONSTRAINT report_keys_pkey, ADD PRIMARY KEY (city_id, business_date);
ALTER TABLE alerts DROP CONSTRAINT alerts_kind_subject_id_business_date_key,
    ADD CONSTRAINT alerts_kind_subject_id_business_date_key UNIQUE (city_id, kind, subject_id, business_date);
ALTER TABLE attendants DROP CONSTRAINT attendants_kta_number_key,
    ADD CONSTRAINT attendants_kta_number_key UNIQUE (city_id, kta_number);
ALTER TABLE attendants DROP CONSTRAINT attendants_nik_key,
    ADD CONSTRAINT attendants_nik_key UNIQUE (city_id, nik);
ALTER TABLE merchant_accounts DROP CONSTRAINT merchant_accounts_nmid_key,
    ADD CONSTRAINT merchant_accounts_nmid_key UNIQUE (city_id, nmid);
ALTER TABLE payments DROP CONSTRAINT payments_gateway_txn_key,
    ADD CONSTRAINT payments_gateway_txn_key UNIQUE (city_id, gateway, gateway_txn_id);
DROP INDEX payments_midtrans_order_key;
CREATE UNIQUE INDEX payments_midtrans_order_key ON payments (city_id, reference)
    WHERE gateway = 'midtrans' AND reference IS NOT NULL;
DROP INDEX payout_runs_one_draft;
CREATE UNIQUE INDEX payout_runs_one_draft ON payout_runs (city_id) WHERE status = 'draft';
ALTER TABLE settlements DROP CONSTRAINT settlements_file_hash_key,
    ADD CONSTRAINT settlements_file_hash_key UNIQUE (city_id, file_hash);
ALTER TABLE spots DROP CONSTRAINT spots_terminal_id_key,
    ADD CONSTRAINT spots_terminal_id_key UNIQUE (city_id, terminal_id);
ALTER TABLE warning_letters DROP CONSTRAINT warning_letters_number_key,
    ADD CONSTRAINT warning_letters_number_key UNIQUE (city_id, number);
ALTER TABLE warning_letters DROP CONSTRAINT warning_letters_year_seq_key,
    ADD CONSTRAINT warning_letters_year_seq_key UNIQUE (city_id, year, seq);
ALTER TABLE zones DROP CONSTRAINT zones_code_key,
    ADD CONSTRAINT zones_code_key UNIQUE (city_id, code);

-- What must find the city before it can be set: these run as the owner and return the city
-- (or nothing), never a row.

-- The city of a login name: a staff username (case as stored) or an attendant's phone.
-- Operators have none (null city, found = true).
CREATE FUNCTION parkir_login_city(p_kind TEXT, p_login TEXT)
RETURNS TABLE (city_id BIGINT) LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT s.city_id FROM staff_users s WHERE p_kind = 'staff' AND s.username = p_login
    UNION ALL
    SELECT a.city_id FROM attendants a WHERE p_kind = 'attendant' AND a.phone = p_login
$$;

-- The city of a spot code (case-insensitive), for `/cek/{code}`.
CREATE FUNCTION parkir_spot_city(p_code TEXT) RETURNS BIGINT
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT city_id FROM spots WHERE upper(code) = upper(p_code)
$$;

-- The codes of the cities that issued a KTA number (as typed, any case), for a card checked
-- without its city: nothing but the codes.
CREATE FUNCTION parkir_kta_cities(p_kta TEXT) RETURNS TABLE (code TEXT)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT DISTINCT c.code FROM attendants a JOIN cities c ON c.id = a.city_id
    WHERE upper(a.kta_number) = upper(btrim(p_kta)) ORDER BY 1
$$;

-- An operator's account (a staff user of no city), for logging in.
CREATE FUNCTION parkir_operator_account(p_username TEXT)
RETURNS TABLE (id BIGINT, password_hash TEXT, token_version INT, disabled BOOLEAN)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT id, password_hash, token_version, disabled FROM staff_users
    WHERE city_id IS NULL AND role = 'operator' AND username = p_username
$$;

-- An operator's token version while the account may act (not disabled), for every request.
CREATE FUNCTION parkir_operator_live(p_id BIGINT) RETURNS INT
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT token_version FROM staff_users
    WHERE id = p_id AND city_id IS NULL AND role = 'operator' AND NOT disabled
$$;

-- Every city's totals of one of its business days, for the operator: sums, never a person.
-- The attendants' share is each attendant's floor(gross × share) of the day (SPEC §4); the
-- city keeps the rest, and all of what no attendant is credited with.
CREATE FUNCTION parkir_city_totals(p_date DATE)
RETURNS TABLE (city_id BIGINT, tx_count BIGINT, noncash_gross BIGINT, cash_gross BIGINT,
               gross BIGINT, city_share BIGINT)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    WITH shares AS (
        SELECT p.city_id, count(*) AS n,
               sum(p.amount) FILTER (WHERE p.gateway <> 'cash') AS noncash,
               sum(p.amount) FILTER (WHERE p.gateway = 'cash') AS cash,
               sum(p.amount) AS gross,
               CASE WHEN p.attendant_id IS NULL THEN 0
                    ELSE floor(sum(p.amount) * max(p.attendant_share_bps) / 10000.0) END AS share
        FROM payments p
        WHERE p.business_date = p_date AND p.status = 'paid'
        GROUP BY p.city_id, p.attendant_id, p.attendant_share_bps
    )
    SELECT c.id, COALESCE(sum(s.n), 0)::BIGINT, COALESCE(sum(s.noncash), 0)::BIGINT,
           COALESCE(sum(s.cash), 0)::BIGINT, COALESCE(sum(s.gross), 0)::BIGINT,
           COALESCE(sum(s.gross) - sum(s.share), 0)::BIGINT
    FROM cities c LEFT JOIN shares s ON s.city_id = c.id
    GROUP BY c.id ORDER BY c.id
$$;

-- Grants: the serving role may read and write rows (row-level security decides which), use
-- the sequences, and read the cities; it owns nothing and may not touch the migrations' table.
GRANT USAGE ON SCHEMA public TO parkir_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO parkir_app;
DO $$
BEGIN
    IF to_regclass('__diesel_schema_migrations') IS NOT NULL THEN
        REVOKE ALL ON __diesel_schema_migrations FROM parkir_app;
    END IF;
END
$$;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO parkir_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO parkir_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO parkir_app;

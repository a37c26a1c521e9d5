-- The roll-ups' trigger as it was, before any column goes.
CREATE OR REPLACE FUNCTION parkir_forget_rollups() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        DELETE FROM day_rollup_dates d WHERE d.business_date IN (SELECT DISTINCT business_date FROM new_rows);
    ELSIF TG_OP = 'UPDATE' THEN
        DELETE FROM day_rollup_dates d WHERE d.business_date IN
            (SELECT business_date FROM new_rows UNION SELECT business_date FROM old_rows);
    ELSE
        DELETE FROM day_rollup_dates d WHERE d.business_date IN (SELECT DISTINCT business_date FROM old_rows);
    END IF;
    RETURN NULL;
END
$$;
DROP FUNCTION parkir_kta_cities(TEXT);
DROP FUNCTION parkir_gateway_city(TEXT, TEXT);
DROP TABLE city_gateways;
DROP FUNCTION parkir_city_totals(DATE);
DROP FUNCTION parkir_operator_live(BIGINT);
DROP FUNCTION parkir_operator_account(TEXT);
-- Back to one city: only the default city's rows can be kept.
DROP FUNCTION parkir_spot_city(TEXT);
DROP FUNCTION parkir_login_city(TEXT, TEXT);
ALTER TABLE zones DROP CONSTRAINT zones_code_key, ADD CONSTRAINT zones_code_key UNIQUE (code);
ALTER TABLE warning_letters DROP CONSTRAINT warning_letters_year_seq_key, ADD CONSTRAINT warning_letters_year_seq_key UNIQUE (year, seq);
ALTER TABLE warning_letters DROP CONSTRAINT warning_letters_number_key, ADD CONSTRAINT warning_letters_number_key UNIQUE (number);
ALTER TABLE spots DROP CONSTRAINT spots_terminal_id_key, ADD CONSTRAINT spots_terminal_id_key UNIQUE (terminal_id);
ALTER TABLE settlements DROP CONSTRAINT settlements_file_hash_key, ADD CONSTRAINT settlements_file_hash_key UNIQUE (file_hash);
DROP INDEX payout_runs_one_draft;
CREATE UNIQUE INDEX payout_runs_one_draft ON payout_runs ((true)) WHERE status = 'draft';
DROP INDEX payments_midtrans_order_key;
CREATE UNIQUE INDEX payments_midtrans_order_key ON payments (reference) WHERE gateway = 'midtrans' AND reference IS NOT NULL;
ALTER TABLE payments DROP CONSTRAINT payments_gateway_txn_key, ADD CONSTRAINT payments_gateway_txn_key UNIQUE (gateway, gateway_txn_id);
ALTER TABLE merchant_accounts DROP CONSTRAINT merchant_accounts_nmid_key, ADD CONSTRAINT merchant_accounts_nmid_key UNIQUE (nmid);
ALTER TABLE attendants DROP CONSTRAINT attendants_nik_key, ADD CONSTRAINT attendants_nik_key UNIQUE (nik);
ALTER TABLE attendants DROP CONSTRAINT attendants_kta_number_key, ADD CONSTRAINT attendants_kta_number_key UNIQUE (kta_number);
ALTER TABLE alerts DROP CONSTRAINT alerts_kind_subject_id_business_date_key, ADD CONSTRAINT alerts_kind_subject_id_business_date_key UNIQUE (kind, subject_id, business_date);
ALTER TABLE report_keys DROP CONSTRAINT report_keys_pkey, ADD PRIMARY KEY (business_date);
ALTER TABLE reconciliation_closes DROP CONSTRAINT reconciliation_closes_pkey, ADD PRIMARY KEY (business_date);
ALTER TABLE payout_days DROP CONSTRAINT payout_days_pkey, ADD PRIMARY KEY (business_date);
ALTER TABLE day_rollups DROP CONSTRAINT day_rollups_business_date_fkey;
ALTER TABLE day_rollup_dates DROP CONSTRAINT day_rollup_dates_pkey, ADD PRIMARY KEY (business_date);
ALTER TABLE day_rollups ADD CONSTRAINT day_rollups_business_date_fkey FOREIGN KEY (business_date)
    REFERENCES day_rollup_dates (business_date) ON DELETE CASCADE;
ALTER TABLE alert_runs DROP CONSTRAINT alert_runs_pkey, ADD PRIMARY KEY (business_date);
DELETE FROM staff_users WHERE city_id IS NULL;
ALTER TABLE staff_users DROP CONSTRAINT staff_users_role_check;
ALTER TABLE staff_users ADD CONSTRAINT staff_users_role_check CHECK (role IN ('admin', 'supervisor', 'auditor'));
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
        EXECUTE format('DROP POLICY city_rows ON %I', t);
        EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DELETE FROM %I WHERE city_id <> 1', t);
        EXECUTE format('ALTER TABLE %I DROP COLUMN city_id', t);
    END LOOP;
END
$$;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM parkir_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM parkir_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM parkir_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM parkir_app;
REVOKE USAGE ON SCHEMA public FROM parkir_app;
DROP FUNCTION parkir_session_city();
DROP TABLE cities;

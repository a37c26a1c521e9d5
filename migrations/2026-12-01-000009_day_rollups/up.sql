-- Daily roll-ups of past open days (SPEC §11 speed): the groups the reconciliation stands on,
-- per (day, attendant, spot, share version), computed once from `payments` and read instead of
-- them by the dashboard's series, the monthly recap and the daily report. Any write of a
-- payment forgets the roll-ups of the business dates it touches (a statement trigger, one
-- small delete per statement); a reader recomputes them under the day's exclusive advisory
-- lock, so no write can land between the computation and its storing. Today is never stored.

CREATE TABLE day_rollup_dates (
    business_date DATE PRIMARY KEY,
    computed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE day_rollups (
    business_date DATE NOT NULL REFERENCES day_rollup_dates (business_date) ON DELETE CASCADE,
    attendant_id BIGINT,
    spot_id BIGINT,
    share_bps INTEGER,
    n BIGINT NOT NULL,
    n_cash BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    amount_cash BIGINT NOT NULL,
    fees BIGINT NOT NULL,
    fees_cash BIGINT NOT NULL,
    not_a_tariff BOOLEAN NOT NULL,
    outside_duty BOOLEAN NOT NULL
);
CREATE INDEX day_rollups_date ON day_rollups (business_date);

CREATE FUNCTION parkir_forget_rollups() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER payments_forget_rollups_insert AFTER INSERT ON payments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION parkir_forget_rollups();
CREATE TRIGGER payments_forget_rollups_update AFTER UPDATE ON payments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parkir_forget_rollups();
CREATE TRIGGER payments_forget_rollups_delete AFTER DELETE ON payments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION parkir_forget_rollups();

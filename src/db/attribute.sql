-- Attribution: who and what a payment is credited to (SPEC §4, §7, docs/gateways.md
-- "Matching"). The one home of these rules: `db::migrate` applies this file after the
-- migrations at every start (CREATE OR REPLACE), so changing a rule is an edit here, not a new
-- migration copying the old body. The flags come out in this order; their names are
-- `domain::payment::PaymentFlag`.
--
-- Used by the batch statement that records new callbacks, by settlement imports
-- (MISSING_CALLBACK) and by re-attribution when a pending payment becomes paid.

-- "An assignment covers this instant": from its start (inclusive) to its end (exclusive), open
-- when it has no end. Inlined by the planner, so the assignments indexes still serve it; Rust's
-- `db::attendants` queries call it too (`parkir_covers`), so the rule is written here only.
CREATE OR REPLACE FUNCTION parkir_covers(p_starts TIMESTAMPTZ, p_ends TIMESTAMPTZ, p_at TIMESTAMPTZ)
RETURNS BOOLEAN LANGUAGE sql IMMUTABLE AS $$
    SELECT p_starts <= p_at AND (p_ends IS NULL OR p_ends > p_at)
$$;

-- "The zone version in force at this instant": the latest that took effect at or before it.
-- A set-returning SQL function, so the planner inlines it into the statement that reads it
-- (the attribution below); `parkir_version_id_at` gives its id to Rust's `db::zones::version_at`.
CREATE OR REPLACE FUNCTION parkir_version_in_force(p_zone BIGINT, p_at TIMESTAMPTZ)
RETURNS SETOF zone_versions LANGUAGE sql STABLE ROWS 1 AS $$
    SELECT v.* FROM zone_versions v
     WHERE v.zone_id = p_zone AND v.effective_from <= p_at
     ORDER BY v.effective_from DESC LIMIT 1
$$;

CREATE OR REPLACE FUNCTION parkir_version_id_at(p_zone BIGINT, p_at TIMESTAMPTZ)
RETURNS BIGINT LANGUAGE sql STABLE AS $$
    SELECT id FROM parkir_version_in_force(p_zone, p_at)
$$;

CREATE OR REPLACE FUNCTION parkir_attribute(
    p_reference TEXT, p_terminal TEXT, p_amount BIGINT, p_paid_at TIMESTAMPTZ, p_date DATE,
    OUT spot_id BIGINT, OUT attendant_id BIGINT, OUT charge_id BIGINT, OUT pays_charge BOOLEAN,
    OUT zone_version_id BIGINT, OUT attendant_share_bps INTEGER, OUT vehicle_class TEXT,
    OUT flags TEXT[])
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_spot BIGINT;
    v_attendant BIGINT;
    v_charge BIGINT;
    v_charge_amount BIGINT;
    v_pays BOOLEAN := FALSE;
    v_zone BIGINT;
    v_version BIGINT;
    v_share INTEGER;
    v_tariffs JSONB;
    v_class TEXT;
    v_tariff_class TEXT;
    v_flags TEXT[] := '{}';
    v_active BOOLEAN := TRUE;
BEGIN
    -- Our charge reference (62/01) first.
    IF p_reference IS NOT NULL THEN
        SELECT c.id, c.spot_id, c.amount, c.vehicle_class
          INTO v_charge, v_spot, v_charge_amount, v_class
          FROM charges c WHERE c.reference = p_reference;
        IF v_charge IS NULL THEN
            v_flags := v_flags || 'unmatched_reference'::TEXT;
        ELSE
            v_pays := v_charge_amount = p_amount;
            IF NOT v_pays THEN
                v_flags := v_flags || 'amount_mismatch'::TEXT;
            END IF;
        END IF;
    END IF;
    -- Then the spot's terminal id.
    IF v_spot IS NULL AND p_terminal IS NOT NULL THEN
        SELECT s.id, s.zone_id, s.active INTO v_spot, v_zone, v_active
          FROM spots s WHERE s.terminal_id = p_terminal;
        IF v_spot IS NULL THEN
            v_flags := v_flags || 'unknown_terminal'::TEXT;
        END IF;
    ELSIF v_spot IS NOT NULL THEN
        SELECT s.zone_id, s.active INTO v_zone, v_active FROM spots s WHERE s.id = v_spot;
    END IF;
    -- A spot taken out of service still has its money recorded, for a human to look at.
    IF v_spot IS NOT NULL AND NOT v_active THEN
        v_flags := v_flags || 'inactive_spot'::TEXT;
    END IF;
    IF v_spot IS NULL THEN
        v_flags := v_flags || 'unattributed'::TEXT;
    ELSE
        -- Whoever's duty covers the spot at the payment instant.
        SELECT a.attendant_id INTO v_attendant FROM assignments a
         WHERE a.spot_id = v_spot AND parkir_covers(a.starts_at, a.ends_at, p_paid_at)
         LIMIT 1;
        IF v_attendant IS NULL THEN
            v_flags := v_flags || 'outside_duty'::TEXT;
        END IF;
        -- The zone version in force at that instant, frozen on the payment.
        SELECT v.id, v.attendant_share_bps, v.tariffs INTO v_version, v_share, v_tariffs
          FROM parkir_version_in_force(v_zone, p_paid_at) v;
        IF v_version IS NOT NULL THEN
            SELECT t.key INTO v_tariff_class FROM jsonb_each(v_tariffs) t
             WHERE t.value = to_jsonb(p_amount) ORDER BY t.key LIMIT 1;
            IF v_tariff_class IS NOT NULL THEN
                v_class := coalesce(v_class, v_tariff_class);
            ELSIF NOT v_pays THEN
                v_flags := v_flags || 'amount_not_a_tariff'::TEXT;
            END IF;
        END IF;
    END IF;
    IF EXISTS (SELECT 1 FROM reconciliation_closes r WHERE r.business_date = p_date) THEN
        v_flags := v_flags || 'late'::TEXT;
    END IF;
    spot_id := v_spot;
    attendant_id := v_attendant;
    charge_id := v_charge;
    pays_charge := v_pays;
    zone_version_id := v_version;
    attendant_share_bps := v_share;
    vehicle_class := v_class;
    flags := v_flags;
END
$$;

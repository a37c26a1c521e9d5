-- Superseded: `parkir_attribute` below is the first copy of the attribution rules. The one
-- that runs is `src/db/attribute.sql`, applied (CREATE OR REPLACE) at every start after the
-- migrations; edit the rules there, never here (a migration is history).

-- Indexes no query uses cost every payment insert.
DROP INDEX payments_spot_idx;
DROP INDEX payments_charge_idx;

-- Attribution and the recording of a new callback, as functions: each runs in one round trip
-- and PL/pgSQL keeps the plans of its statements for the session. The rules are the ones of
-- docs/gateways.md ("Matching"); the flags come out in this order.

CREATE FUNCTION parkir_attribute(
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
        SELECT s.id, s.zone_id INTO v_spot, v_zone FROM spots s WHERE s.terminal_id = p_terminal;
        IF v_spot IS NULL THEN
            v_flags := v_flags || 'unknown_terminal'::TEXT;
        END IF;
    ELSIF v_spot IS NOT NULL THEN
        SELECT s.zone_id INTO v_zone FROM spots s WHERE s.id = v_spot;
    END IF;
    IF v_spot IS NULL THEN
        v_flags := v_flags || 'unattributed'::TEXT;
    ELSE
        -- Whoever's duty covers the spot at the payment instant.
        SELECT a.attendant_id INTO v_attendant FROM assignments a
         WHERE a.spot_id = v_spot AND a.starts_at <= p_paid_at
           AND (a.ends_at IS NULL OR a.ends_at > p_paid_at)
         LIMIT 1;
        IF v_attendant IS NULL THEN
            v_flags := v_flags || 'outside_duty'::TEXT;
        END IF;
        -- The zone version in force at that instant, frozen on the payment.
        SELECT v.id, v.attendant_share_bps, v.tariffs INTO v_version, v_share, v_tariffs
          FROM zone_versions v
         WHERE v.zone_id = v_zone AND v.effective_from <= p_paid_at
         ORDER BY v.effective_from DESC LIMIT 1;
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

-- A callback for a transaction we have not recorded: the payment, its inbox row and the charge
-- it pays, atomically. Returns nothing when the transaction is already known (a repeat, or
-- brought by a settlement file): the caller then takes the locked path.
CREATE FUNCTION parkir_record_fresh(
    p_gateway TEXT, p_txn TEXT, p_reference TEXT, p_terminal TEXT, p_amount BIGINT,
    p_paid_at TIMESTAMPTZ, p_date DATE, p_status TEXT, p_rrn TEXT, p_reported TEXT,
    p_headers JSONB, p_body BYTEA, p_truncated BOOLEAN)
RETURNS SETOF payments
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    a RECORD;
    v_payment payments%ROWTYPE;
BEGIN
    IF EXISTS (SELECT 1 FROM payments p WHERE p.gateway = 'settlement' AND p.gateway_txn_id = p_txn) THEN
        RETURN;
    END IF;
    SELECT * INTO a FROM parkir_attribute(p_reference, p_terminal, p_amount, p_paid_at, p_date);
    INSERT INTO payments (gateway, gateway_txn_id, source, reference, terminal_id, amount, paid_at,
                          business_date, status, rrn, spot_id, attendant_id, charge_id,
                          zone_version_id, attendant_share_bps, vehicle_class, flags)
    VALUES (p_gateway, p_txn, 'callback', p_reference, p_terminal, p_amount, p_paid_at, p_date,
            p_status, p_rrn, a.spot_id, a.attendant_id, a.charge_id, a.zone_version_id,
            a.attendant_share_bps, a.vehicle_class, a.flags)
    ON CONFLICT (gateway, gateway_txn_id) DO NOTHING
    RETURNING * INTO v_payment;
    IF v_payment.id IS NULL THEN
        RETURN;
    END IF;
    IF p_status = 'paid' AND a.pays_charge THEN
        UPDATE charges SET paid_at = p_paid_at WHERE id = a.charge_id AND paid_at IS NULL;
    END IF;
    INSERT INTO callbacks (gateway, headers, body, body_truncated, verdict, http_status,
                           gateway_txn_id, reported_status, payment_id)
    VALUES (p_gateway, p_headers, p_body, p_truncated, 'accepted', 200, p_txn, p_reported, v_payment.id);
    RETURN NEXT v_payment;
END
$$;

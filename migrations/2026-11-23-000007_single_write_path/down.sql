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

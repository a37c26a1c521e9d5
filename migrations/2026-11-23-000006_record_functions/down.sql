DROP FUNCTION parkir_record_fresh(TEXT, TEXT, TEXT, TEXT, BIGINT, TIMESTAMPTZ, DATE, TEXT, TEXT, TEXT, JSONB, BYTEA, BOOLEAN);
DROP FUNCTION parkir_attribute(TEXT, TEXT, BIGINT, TIMESTAMPTZ, DATE);
CREATE INDEX payments_spot_idx ON payments (spot_id, paid_at);
CREATE INDEX payments_charge_idx ON payments (charge_id);

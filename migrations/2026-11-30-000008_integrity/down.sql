ALTER TABLE staff_users DROP COLUMN disabled;
ALTER TABLE staff_users DROP COLUMN token_version;
ALTER TABLE attendants DROP COLUMN token_version;
ALTER TABLE callbacks DROP COLUMN body_sha256;
DROP INDEX payments_midtrans_order_key;
ALTER TABLE settlement_rows DROP CONSTRAINT settlement_rows_status_check;
ALTER TABLE settlement_rows ADD CONSTRAINT settlement_rows_status_check CHECK (status IN
    ('MATCHED', 'AMOUNT_MISMATCH', 'DUPLICATE', 'MISSING_CALLBACK', 'UNKNOWN_MERCHANT', 'UNSETTLED'));
ALTER TABLE settlement_rows DROP CONSTRAINT settlement_rows_text_bounds;
ALTER TABLE settlement_rows DROP CONSTRAINT settlement_rows_fee_bounds;
ALTER TABLE settlement_rows DROP CONSTRAINT settlement_rows_amount_bounds;
ALTER TABLE charges DROP CONSTRAINT charges_amount_bounds;
ALTER TABLE payments DROP CONSTRAINT payments_fee_bounds;
ALTER TABLE payments DROP CONSTRAINT payments_amount_bounds;
ALTER TABLE payments ADD CONSTRAINT payments_amount_check CHECK (amount >= 0);
ALTER TABLE payments ADD CONSTRAINT payments_fee_check CHECK (fee >= 0);

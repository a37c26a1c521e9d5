-- Integrity rules of SPEC §10, held by the database as well as by the code.

-- Money bounds: every stored amount is 1…100.000.000 rupiah; fees and nets 0…100.000.000. With
-- these, no day's or month's sum can come near bigint's range.
ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_amount_check;
ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_fee_check;
ALTER TABLE payments ADD CONSTRAINT payments_amount_bounds CHECK (amount BETWEEN 1 AND 100000000);
ALTER TABLE payments ADD CONSTRAINT payments_fee_bounds CHECK (fee BETWEEN 0 AND 100000000);
ALTER TABLE charges ADD CONSTRAINT charges_amount_bounds CHECK (amount BETWEEN 1 AND 100000000);
ALTER TABLE settlement_rows ADD CONSTRAINT settlement_rows_amount_bounds
    CHECK (amount BETWEEN 1 AND 100000000);
ALTER TABLE settlement_rows ADD CONSTRAINT settlement_rows_fee_bounds
    CHECK (fee BETWEEN 0 AND 100000000 AND net BETWEEN 0 AND 100000000);
-- What a bank file may put in a free-text column is bounded too.
ALTER TABLE settlement_rows ADD CONSTRAINT settlement_rows_text_bounds
    CHECK (char_length(terminal_id) <= 64 AND char_length(nmid) <= 64);

-- A settlement row may find Parkir holding the payment as pending or failed.
ALTER TABLE settlement_rows DROP CONSTRAINT IF EXISTS settlement_rows_status_check;
ALTER TABLE settlement_rows ADD CONSTRAINT settlement_rows_status_check CHECK (status IN
    ('MATCHED', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH', 'DUPLICATE', 'MISSING_CALLBACK',
     'UNKNOWN_MERCHANT', 'UNSETTLED'));

-- Midtrans signs only order_id + status_code + gross_amount: an order is bound to the first
-- transaction recorded for it, so a captured notification with another transaction_id cannot
-- mint a second payment (SPEC §7).
CREATE UNIQUE INDEX payments_midtrans_order_key ON payments (reference)
    WHERE gateway = 'midtrans' AND reference IS NOT NULL;

-- Duplicates keep only the hash of their body (SPEC §10).
ALTER TABLE callbacks ADD COLUMN body_sha256 TEXT;

-- Tokens end when the account changes: every token carries the account's token version.
ALTER TABLE attendants ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff_users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff_users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;

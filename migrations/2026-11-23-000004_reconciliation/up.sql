-- The retrieval reference number some gateways send (SNAP additionalInfo.retrievalReferenceNo);
-- bank settlement files may name a payment by it.
ALTER TABLE payments ADD COLUMN rrn TEXT;
CREATE INDEX payments_rrn_idx ON payments (rrn) WHERE rrn IS NOT NULL;
CREATE INDEX payments_gateway_txn_idx ON payments (gateway_txn_id);

-- A closed business day: its rows frozen as they were, with who closed it and when.
CREATE TABLE reconciliation_closes (
    business_date DATE PRIMARY KEY,
    closed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    closed_by TEXT NOT NULL,
    snapshot JSONB NOT NULL
);

-- An imported settlement file: the same bytes (file_hash) import once.
CREATE TABLE settlements (
    id BIGSERIAL PRIMARY KEY,
    file_hash TEXT NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    imported_by TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    counts JSONB NOT NULL,
    CONSTRAINT settlements_file_hash_key UNIQUE (file_hash)
);

-- Each line of a file and what it matched; UNSETTLED rows (payments the file lacks) have no line.
CREATE TABLE settlement_rows (
    id BIGSERIAL PRIMARY KEY,
    settlement_id BIGINT NOT NULL REFERENCES settlements (id),
    line INTEGER,
    reference TEXT NOT NULL,
    paid_at TIMESTAMPTZ,
    amount BIGINT,
    fee BIGINT,
    net BIGINT,
    terminal_id TEXT,
    nmid TEXT,
    status TEXT NOT NULL CHECK (status IN ('MATCHED', 'AMOUNT_MISMATCH', 'DUPLICATE', 'MISSING_CALLBACK', 'UNKNOWN_MERCHANT', 'UNSETTLED')),
    payment_id BIGINT REFERENCES payments (id),
    detail TEXT
);
CREATE INDEX settlement_rows_settlement_idx ON settlement_rows (settlement_id, id);
CREATE INDEX settlement_rows_payment_idx ON settlement_rows (payment_id);

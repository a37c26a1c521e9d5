-- B2B access tokens we issued to the SNAP gateway: only their SHA-256 is kept.
CREATE TABLE snap_tokens (
    id BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL,
    client_key TEXT NOT NULL,
    issued_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT snap_tokens_token_hash_key UNIQUE (token_hash)
);

-- One row per (gateway, gateway transaction id): the identity that makes repeats no-ops.
-- Attribution (spot, attendant) and valuation (zone version, share) are frozen when the
-- payment is recorded, under the version in force at its payment instant.
CREATE TABLE payments (
    id BIGSERIAL PRIMARY KEY,
    gateway TEXT NOT NULL CHECK (gateway IN ('snap', 'midtrans', 'xendit', 'cash', 'settlement')),
    gateway_txn_id TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('callback', 'cash', 'settlement')),
    reference TEXT,
    terminal_id TEXT,
    amount BIGINT NOT NULL CHECK (amount >= 0),
    fee BIGINT CHECK (fee >= 0),
    paid_at TIMESTAMPTZ NOT NULL,
    business_date DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'failed', 'refunded', 'reversed')),
    spot_id BIGINT REFERENCES spots (id),
    attendant_id BIGINT REFERENCES attendants (id),
    charge_id BIGINT REFERENCES charges (id),
    zone_version_id BIGINT REFERENCES zone_versions (id),
    attendant_share_bps INTEGER CHECK (attendant_share_bps BETWEEN 0 AND 10000),
    vehicle_class TEXT,
    flags TEXT[] NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT payments_gateway_txn_key UNIQUE (gateway, gateway_txn_id)
);
CREATE INDEX payments_business_date_idx ON payments (business_date, attendant_id);
CREATE INDEX payments_spot_idx ON payments (spot_id, paid_at);
CREATE INDEX payments_charge_idx ON payments (charge_id);

-- The inbox: every callback request as it arrived, its verdict and its effect, written in the
-- same transaction as the payment it produced or touched.
CREATE TABLE callbacks (
    id BIGSERIAL PRIMARY KEY,
    gateway TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    headers JSONB NOT NULL,
    body BYTEA NOT NULL,
    body_truncated BOOLEAN NOT NULL DEFAULT FALSE,
    verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'duplicate', 'updated', 'regression', 'rejected')),
    reason TEXT,
    http_status INTEGER NOT NULL,
    gateway_txn_id TEXT,
    reported_status TEXT,
    payment_id BIGINT REFERENCES payments (id)
);
CREATE INDEX callbacks_payment_idx ON callbacks (payment_id, received_at);

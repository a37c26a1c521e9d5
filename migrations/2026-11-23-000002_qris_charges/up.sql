-- A spot may carry an acquirer-issued static QRIS imported verbatim; its NMID is then the one
-- callbacks are matched by (the terminal label goes to spots.terminal_id).
ALTER TABLE spots ADD COLUMN qris_payload TEXT;
ALTER TABLE spots ADD COLUMN nmid TEXT;

-- A dynamic QR shown by an attendant for one vehicle: the amount is the tariff in force when it
-- was made (frozen here with the version it came from); the reference travels in 62/01 and
-- comes back in the gateway's callback. Paid when a payment matches it; expired is derived
-- from expires_at.
CREATE TABLE charges (
    id BIGSERIAL PRIMARY KEY,
    reference TEXT NOT NULL CHECK (length(reference) BETWEEN 1 AND 25),
    attendant_id BIGINT NOT NULL REFERENCES attendants (id),
    spot_id BIGINT NOT NULL REFERENCES spots (id),
    zone_version_id BIGINT NOT NULL REFERENCES zone_versions (id),
    vehicle_class TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    payload TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    paid_at TIMESTAMPTZ,
    CONSTRAINT charges_reference_key UNIQUE (reference),
    CONSTRAINT charges_expiry_check CHECK (expires_at > created_at)
);
CREATE INDEX charges_attendant_idx ON charges (attendant_id, created_at);

-- Citizen reports (SPEC §13): anonymous; `client_hash` is a keyed hash of the client address
-- under the day's key, kept only for rate limits.
CREATE TABLE citizen_reports (
    id            bigserial PRIMARY KEY,
    reference     text NOT NULL UNIQUE,
    spot_id       bigint NOT NULL REFERENCES spots (id),
    kind          text NOT NULL CHECK (kind IN ('pungli', 'tarif_berlebih', 'qr_berbeda',
                      'jukir_tidak_resmi', 'lainnya')),
    note          text CHECK (char_length(note) <= 500),
    amount_asked  bigint CHECK (amount_asked BETWEEN 0 AND 10000000),
    client_hash   text NOT NULL,
    business_date date NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    status        text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_review', 'valid', 'invalid')),
    notes         jsonb NOT NULL DEFAULT '[]',
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX citizen_reports_client ON citizen_reports (client_hash, created_at);
CREATE INDEX citizen_reports_spot ON citizen_reports (spot_id, created_at);

-- The key of each day's client hashes; a day's key is deleted after the day, so no stored hash
-- can later be tied to an address.
CREATE TABLE report_keys (
    business_date date PRIMARY KEY,
    key           bytea NOT NULL
);

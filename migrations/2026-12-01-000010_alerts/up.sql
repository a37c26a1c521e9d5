-- Leakage alerts (SPEC §12): one per (kind, subject, business date), however often evaluated.
CREATE TABLE alerts (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('noncash_drop', 'qr_silence', 'cash_shift',
                      'shortfall_streak', 'unsettled', 'citizen_reports')),
    severity      text NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
    spot_id       bigint REFERENCES spots (id),
    attendant_id  bigint REFERENCES attendants (id),
    payment_id    bigint REFERENCES payments (id),
    -- The id of the kind's subject (spot, attendant or payment): the uniqueness key.
    subject_id    bigint NOT NULL,
    business_date date NOT NULL,
    detected_at   timestamptz NOT NULL,
    evidence      jsonb NOT NULL,
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
    notes         jsonb NOT NULL DEFAULT '[]',
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, subject_id, business_date),
    CHECK (num_nonnulls(spot_id, attendant_id, payment_id) >= 1)
);
CREATE INDEX alerts_newest ON alerts (id DESC);
CREATE INDEX alerts_by_date ON alerts (business_date);

-- Business dates whose day signals were evaluated after the day (the job does it once).
CREATE TABLE alert_runs (
    business_date date PRIMARY KEY,
    evaluated_at  timestamptz NOT NULL
);

-- SP1 / SP2 warning letters, numbered per year.
CREATE TABLE warning_letters (
    id              bigserial PRIMARY KEY,
    attendant_id    bigint NOT NULL REFERENCES attendants (id),
    alert_id        bigint NOT NULL REFERENCES alerts (id),
    level           text NOT NULL CHECK (level IN ('SP1', 'SP2')),
    year            int NOT NULL,
    seq             int NOT NULL,
    number          text NOT NULL UNIQUE,
    issued_at       timestamptz NOT NULL,
    issued_by       text NOT NULL,
    period_from     date NOT NULL,
    period_to       date NOT NULL,
    total_shortfall bigint NOT NULL CHECK (total_shortfall >= 0),
    days            jsonb NOT NULL,
    UNIQUE (year, seq),
    UNIQUE (alert_id, level)
);
CREATE INDEX warning_letters_of ON warning_letters (attendant_id, issued_at);

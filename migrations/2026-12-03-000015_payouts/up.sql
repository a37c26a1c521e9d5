-- Issue 25: paying the attendants their share and taking in the city's share of cash (SPEC §15).

-- Where an attendant's share is paid: one account each.
CREATE TABLE payout_accounts (
    attendant_id   BIGINT PRIMARY KEY REFERENCES attendants (id),
    bank_code      TEXT NOT NULL CHECK (bank_code ~ '^[0-9]{3}$'),
    account_number TEXT NOT NULL CHECK (account_number ~ '^[0-9]{6,20}$'),
    account_name   TEXT NOT NULL CHECK (char_length(account_name) BETWEEN 1 AND 100),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Cash an attendant paid in to the city (setoran), on the business day of `deposited_at`.
CREATE TABLE cash_deposits (
    id            BIGSERIAL PRIMARY KEY,
    attendant_id  BIGINT NOT NULL REFERENCES attendants (id),
    amount        BIGINT NOT NULL CHECK (amount BETWEEN 1 AND 100000000),
    deposited_at  TIMESTAMPTZ NOT NULL,
    business_date DATE NOT NULL,
    reference     TEXT NOT NULL CHECK (char_length(reference) BETWEEN 1 AND 64),
    recorded_by   TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    payout_run_id BIGINT,
    UNIQUE (attendant_id, reference)
);
CREATE INDEX cash_deposits_day_idx ON cash_deposits (business_date, attendant_id);

CREATE TABLE payout_runs (
    id            BIGSERIAL PRIMARY KEY,
    from_date     DATE NOT NULL,
    to_date       DATE NOT NULL CHECK (to_date >= from_date),
    status        TEXT NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'approved', 'paid', 'cancelled')),
    created_by    TEXT NOT NULL,
    created_by_id BIGINT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    approved_by   TEXT,
    approved_at   TIMESTAMPTZ,
    cancelled_at  TIMESTAMPTZ,
    paid_at       TIMESTAMPTZ
);
-- One draft at a time: approve or cancel it before the next (SPEC §15).
CREATE UNIQUE INDEX payout_runs_one_draft ON payout_runs ((true)) WHERE status = 'draft';

-- The days of the runs that are not cancelled: a day is in at most one.
CREATE TABLE payout_days (
    business_date DATE PRIMARY KEY,
    run_id        BIGINT NOT NULL REFERENCES payout_runs (id)
);
CREATE INDEX payout_days_run_idx ON payout_days (run_id);

CREATE TABLE payout_lines (
    run_id          BIGINT NOT NULL REFERENCES payout_runs (id),
    attendant_id    BIGINT NOT NULL REFERENCES attendants (id),
    name            TEXT NOT NULL,
    noncash_share   BIGINT NOT NULL,
    cash_city_share BIGINT NOT NULL,
    deposits        BIGINT NOT NULL,
    carried_in      BIGINT NOT NULL,
    net             BIGINT NOT NULL,
    payable         BIGINT NOT NULL CHECK (payable >= 0),
    carried_out     BIGINT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('payable', 'held', 'owes', 'settled')),
    bank_code       TEXT,
    account_number  TEXT,
    account_name    TEXT,
    bank_reference  TEXT CHECK (bank_reference IS NULL OR char_length(bank_reference) BETWEEN 1 AND 64),
    paid_at         TIMESTAMPTZ,
    PRIMARY KEY (run_id, attendant_id),
    CHECK (net = payable + carried_out)
);
CREATE INDEX payout_lines_attendant_idx ON payout_lines (attendant_id, run_id);

-- Which run took each payment (and, once refunded after an approved run, which run gave it
-- back): each payment is in exactly one run that is not cancelled.
ALTER TABLE payments ADD COLUMN payout_run_id BIGINT REFERENCES payout_runs (id);
ALTER TABLE payments ADD COLUMN payout_reversal_run_id BIGINT REFERENCES payout_runs (id);
CREATE INDEX payments_payout_run_idx ON payments (payout_run_id) WHERE payout_run_id IS NOT NULL;
CREATE INDEX payments_unpaid_out_idx ON payments (business_date)
    WHERE payout_run_id IS NULL AND status = 'paid' AND attendant_id IS NOT NULL;
ALTER TABLE cash_deposits ADD FOREIGN KEY (payout_run_id) REFERENCES payout_runs (id);

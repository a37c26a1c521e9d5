-- The registry: staff, merchant accounts, zones with versioned tariffs, spots, attendants and
-- their duty periods. Rules that must hold under concurrency live here as constraints.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE staff_users (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'auditor')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT staff_users_username_key UNIQUE (username)
);

-- An acquirer-issued QRIS merchant (the acquirer's GUI, PAN, merchant id and the national NMID).
CREATE TABLE merchant_accounts (
    id BIGSERIAL PRIMARY KEY,
    gui TEXT NOT NULL,
    pan TEXT NOT NULL,
    merchant_id TEXT NOT NULL,
    criteria TEXT NOT NULL,
    nmid TEXT NOT NULL,
    name TEXT NOT NULL,
    city TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    mcc TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT merchant_accounts_nmid_key UNIQUE (nmid)
);

CREATE TABLE zones (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    district TEXT NOT NULL,
    merchant_account_id BIGINT NOT NULL REFERENCES merchant_accounts (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT zones_code_key UNIQUE (code)
);

-- Tariffs, share and target are versioned: the version in force at an instant is the one with
-- the latest effective_from at or before it. Versions are only ever added, never edited.
CREATE TABLE zone_versions (
    id BIGSERIAL PRIMARY KEY,
    zone_id BIGINT NOT NULL REFERENCES zones (id),
    effective_from TIMESTAMPTZ NOT NULL,
    tariffs JSONB NOT NULL CHECK (jsonb_typeof(tariffs) = 'object'),
    attendant_share_bps INTEGER NOT NULL CHECK (attendant_share_bps BETWEEN 0 AND 10000),
    daily_target BIGINT CHECK (daily_target >= 0),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT zone_versions_effective_from_key UNIQUE (zone_id, effective_from)
);

CREATE TABLE spots (
    id BIGSERIAL PRIMARY KEY,
    zone_id BIGINT NOT NULL REFERENCES zones (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    latitude DOUBLE PRECISION NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude DOUBLE PRECISION NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    terminal_id TEXT NOT NULL CHECK (length(terminal_id) BETWEEN 1 AND 16),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT spots_code_key UNIQUE (code),
    CONSTRAINT spots_terminal_id_key UNIQUE (terminal_id)
);
CREATE INDEX spots_zone_id_idx ON spots (zone_id);

CREATE TABLE attendants (
    id BIGSERIAL PRIMARY KEY,
    nik TEXT NOT NULL CHECK (nik ~ '^[0-9]{16}$'),
    name TEXT NOT NULL,
    phone TEXT NOT NULL CHECK (phone ~ '^\+628[0-9]{8,11}$'),
    kta_number TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'retired')),
    pin_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT attendants_nik_key UNIQUE (nik),
    CONSTRAINT attendants_phone_key UNIQUE (phone),
    CONSTRAINT attendants_kta_number_key UNIQUE (kta_number)
);

-- A duty period [starts_at, ends_at); an open end means "until further notice". Neither a spot
-- nor an attendant may have two periods that overlap: the exclusion constraints decide, so two
-- concurrent requests cannot both win.
CREATE TABLE assignments (
    id BIGSERIAL PRIMARY KEY,
    attendant_id BIGINT NOT NULL REFERENCES attendants (id),
    spot_id BIGINT NOT NULL REFERENCES spots (id),
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT assignments_period_check CHECK (ends_at IS NULL OR ends_at > starts_at),
    CONSTRAINT assignments_spot_overlap EXCLUDE USING gist (
        spot_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
    ),
    CONSTRAINT assignments_attendant_overlap EXCLUDE USING gist (
        attendant_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
    )
);

-- Failed logins, counted per username/phone and per client address for throttling.
CREATE TABLE login_failures (
    id BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL,
    failed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_key_idx ON login_failures (key, failed_at);

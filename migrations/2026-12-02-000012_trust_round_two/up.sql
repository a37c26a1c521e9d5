-- Spot codes are not case-sensitive for people (SPEC §13): `jmb-psr-001` is JMB-PSR-001, so two
-- spots may not differ only in case, and the look-up by upper(code) is indexed.
CREATE UNIQUE INDEX spots_code_ci_key ON spots (upper(code));

-- Tokens ended by their holder (POST /auth/logout, SPEC §10): refused until they would have
-- expired anyway, then pruned.
CREATE TABLE revoked_tokens (
    jti        text PRIMARY KEY,
    expires_at timestamptz NOT NULL
);
CREATE INDEX revoked_tokens_expires_at_idx ON revoked_tokens (expires_at);

-- gateway_silence (SPEC §12): the whole city silent at once, one alert per city and date
-- (subject 0: the city), instead of one per spot.
ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check CHECK (kind IN ('noncash_drop', 'qr_silence',
    'cash_shift', 'shortfall_streak', 'unsettled', 'citizen_reports', 'gateway_silence'));

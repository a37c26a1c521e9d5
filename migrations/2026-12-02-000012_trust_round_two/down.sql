DROP TABLE IF EXISTS revoked_tokens;
DROP INDEX IF EXISTS spots_code_ci_key;
DELETE FROM alerts WHERE kind = 'gateway_silence';
ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check CHECK (kind IN ('noncash_drop', 'qr_silence',
    'cash_shift', 'shortfall_streak', 'unsettled', 'citizen_reports'));

-- A `gateway_silence` alert is about the whole city (SPEC §12): no spot, no attendant, no
-- payment. Migration 000012 allowed the kind but kept the rule that every alert names one of
-- them, so the first real outage made the whole evaluation fail on this check, tick after tick.
ALTER TABLE alerts DROP CONSTRAINT alerts_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_check
    CHECK (kind = 'gateway_silence' OR num_nonnulls(spot_id, attendant_id, payment_id) >= 1);

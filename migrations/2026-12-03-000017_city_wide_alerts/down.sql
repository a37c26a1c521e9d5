DELETE FROM alerts WHERE kind = 'gateway_silence' AND num_nonnulls(spot_id, attendant_id, payment_id) = 0;
ALTER TABLE alerts DROP CONSTRAINT alerts_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_check CHECK (num_nonnulls(spot_id, attendant_id, payment_id) >= 1);

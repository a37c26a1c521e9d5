-- New callbacks are recorded by the batch statement alone (a single callback is a batch of
-- one); the per-callback recording function is no longer called.
DROP FUNCTION parkir_record_fresh(TEXT, TEXT, TEXT, TEXT, BIGINT, TIMESTAMPTZ, DATE, TEXT, TEXT, TEXT, JSONB, BYTEA, BOOLEAN);

DROP TRIGGER IF EXISTS payments_forget_rollups_insert ON payments;
DROP TRIGGER IF EXISTS payments_forget_rollups_update ON payments;
DROP TRIGGER IF EXISTS payments_forget_rollups_delete ON payments;
DROP FUNCTION IF EXISTS parkir_forget_rollups();
DROP TABLE IF EXISTS day_rollups;
DROP TABLE IF EXISTS day_rollup_dates;

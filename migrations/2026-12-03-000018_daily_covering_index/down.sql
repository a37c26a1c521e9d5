DROP INDEX CONCURRENTLY IF EXISTS payments_day_rollup_idx;

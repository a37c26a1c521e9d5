-- payments_day_rollup_idx (migration 000018) begins with this index's columns and serves every
-- query it served; one wide index less for every insert to write.
DROP INDEX CONCURRENTLY IF EXISTS payments_business_date_idx;

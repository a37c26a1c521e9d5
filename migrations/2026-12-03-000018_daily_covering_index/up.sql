-- Issue 28: the first reconciliation of a day at 5×10^7 payments cost 1.61× its bare SQL
-- (docs/benchmarks.md): PostgreSQL expects ~54 000 groups for the day's ~1 000, walks the day's
-- index in attendant order and sorts. An index in the roll-up's own order, holding every column
-- it reads, lets both the roll-up (db::day_inputs::AGGREGATE_SQL) and the bare SQL run as
-- index-only scans of the day. It replaces payments_business_date_idx, whose columns are its
-- prefix (dropped by the next migration). Built CONCURRENTLY (outside a transaction,
-- metadata.toml, one statement per migration): callbacks keep being recorded while a large
-- table is indexed.
CREATE INDEX CONCURRENTLY IF NOT EXISTS payments_day_rollup_idx
    ON payments (business_date, attendant_id, spot_id, attendant_share_bps)
    INCLUDE (status, source, amount, fee);

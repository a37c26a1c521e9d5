-- Most payments carry no flag; the reconciliation reads the flagged few of a day through this.
CREATE INDEX payments_flagged_idx ON payments (business_date) WHERE cardinality(flags) > 0;
-- The reconciliation groups a day's payments by attendant, spot and share version; these
-- columns move together (one attendant, one spot, one share a day), and without the statistic
-- the planner expects their product and sorts on disk instead of hashing a thousand groups.
CREATE STATISTICS payments_reconciliation_groups (ndistinct)
    ON attendant_id, spot_id, attendant_share_bps FROM payments;

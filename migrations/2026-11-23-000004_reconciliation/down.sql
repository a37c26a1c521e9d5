DROP TABLE settlement_rows;
DROP TABLE settlements;
DROP TABLE reconciliation_closes;
DROP INDEX payments_gateway_txn_idx;
DROP INDEX payments_rrn_idx;
ALTER TABLE payments DROP COLUMN rrn;

ALTER TABLE payments DROP COLUMN payout_reversal_run_id;
ALTER TABLE payments DROP COLUMN payout_run_id;
DROP TABLE payout_lines;
DROP TABLE payout_days;
DROP TABLE cash_deposits;
DROP TABLE payout_runs;
DROP TABLE payout_accounts;

DROP TRIGGER payments_paid_update ON payments;
DROP TRIGGER payments_paid_insert ON payments;
DROP FUNCTION notify_paid_payments();
DROP INDEX payments_client_ref_key;
ALTER TABLE payments DROP COLUMN client_ref;

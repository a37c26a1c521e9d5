CREATE INDEX CONCURRENTLY IF NOT EXISTS payments_business_date_idx ON payments (business_date, attendant_id);

DROP TABLE charges;
ALTER TABLE spots DROP COLUMN nmid;
ALTER TABLE spots DROP COLUMN qris_payload;

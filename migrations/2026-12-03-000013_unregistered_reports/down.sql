-- Reports without a spot cannot live in the older table: they are deleted.
DELETE FROM citizen_reports WHERE spot_id IS NULL;
ALTER TABLE citizen_reports DROP CONSTRAINT citizen_reports_spot_or_location;
ALTER TABLE citizen_reports DROP COLUMN location;
ALTER TABLE citizen_reports ALTER COLUMN spot_id SET NOT NULL;

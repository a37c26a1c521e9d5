-- A citizen may report a kerb that is no registered spot (SPEC §13): the illegal attendant at an
-- unregistered place, or a sign whose code nobody issued. Such a report has no spot and says
-- where it was in `location` (from /cek/{code}, the code as typed); every report has one or the
-- other. The `citizen_reports` alert counts per spot, so these raise none.
ALTER TABLE citizen_reports ALTER COLUMN spot_id DROP NOT NULL;
ALTER TABLE citizen_reports
    ADD COLUMN location text CONSTRAINT citizen_reports_location_check
        CHECK (char_length(location) BETWEEN 1 AND 200);
ALTER TABLE citizen_reports
    ADD CONSTRAINT citizen_reports_spot_or_location CHECK (spot_id IS NOT NULL OR location IS NOT NULL);

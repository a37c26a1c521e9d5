ALTER TABLE attendants
    DROP COLUMN photo_public,
    DROP COLUMN photo_updated_at,
    DROP COLUMN photo_etag,
    DROP COLUMN photo_jpeg;

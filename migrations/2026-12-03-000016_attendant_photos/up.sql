-- Issue 26: who is this attendant? (SPEC §16). The attendant's photo, re-encoded by the
-- service as a 300×400 JPEG without metadata, and their consent to show it to the public.
-- The photo lives on the attendant's row (TOASTed out of line: the row itself stays small);
-- its ETag and time say whether there is one without reading the bytes.
ALTER TABLE attendants
    ADD COLUMN photo_jpeg BYTEA,
    ADD COLUMN photo_etag TEXT,
    ADD COLUMN photo_updated_at TIMESTAMPTZ,
    ADD COLUMN photo_public BOOLEAN NOT NULL DEFAULT false,
    ADD CONSTRAINT attendants_photo_whole CHECK (
        (photo_jpeg IS NULL) = (photo_etag IS NULL)
        AND (photo_jpeg IS NULL) = (photo_updated_at IS NULL)),
    -- A 300×400 JPEG is some 20–60 KiB; nothing near this is ever written by the service.
    ADD CONSTRAINT attendants_photo_size CHECK (octet_length(photo_jpeg) <= 262144);

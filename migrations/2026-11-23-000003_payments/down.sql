DROP TABLE callbacks;
DROP TABLE payments;
DROP TABLE snap_tokens;

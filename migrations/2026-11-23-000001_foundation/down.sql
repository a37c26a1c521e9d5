DROP TABLE login_failures;
DROP TABLE assignments;
DROP TABLE attendants;
DROP TABLE spots;
DROP TABLE zone_versions;
DROP TABLE zones;
DROP TABLE merchant_accounts;
DROP TABLE staff_users;

DROP TABLE report_keys;
DROP TABLE citizen_reports;

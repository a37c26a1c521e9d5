DROP TABLE warning_letters;
DROP TABLE alert_runs;
DROP TABLE alerts;

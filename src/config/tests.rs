//! The settings' rules: defaults, each key's check, and what a bad value says.
use super::*;

#[test]
fn file_keys_are_case_insensitive_and_unknown_ones_are_refused() {
    let src = Source::parse("parkir_db_pool = 3\nPARKIR_BIND = \"0.0.0.0:1\"", "t").unwrap();
    assert_eq!(src.file["PARKIR_DB_POOL"], "3");
    assert_eq!(src.file["PARKIR_BIND"], "0.0.0.0:1");
    let err = Source::parse("PARKIR_DB_POLL = 3", "t").err().unwrap();
    assert_eq!(err.key, "PARKIR_DB_POLL");
}

#[test]
fn the_alert_webhook_needs_https_and_a_long_secret() {
    let long = "k".repeat(32);
    let ok = |url: &str| alert_webhook(Some(url.into()), Some(long.clone()));
    assert!(ok("https://hooks.example.go.id/parkir?token=abc").is_ok());
    assert!(ok("http://127.0.0.1:9000/hook").is_ok());
    assert!(ok("http://localhost:9000/hook").is_ok());
    assert!(ok("http://[::1]:9000/hook").is_ok());
    for bad in [
        "http://hooks.example.go.id/h?token=abc",
        "ftp://hooks.example.go.id/h?token=abc",
        "hooks.example.go.id/h?token=abc",
    ] {
        let err = ok(bad).err().unwrap();
        assert_eq!(err.key, "PARKIR_ALERT_WEBHOOK_URL");
        assert!(!err.to_string().contains("token=abc"), "{err}");
    }
    let short = alert_webhook(Some("https://h.example/".into()), Some("x".into()));
    assert_eq!(short.err().unwrap().key, "PARKIR_ALERT_WEBHOOK_SECRET");
    let missing = alert_webhook(Some("https://h.example/".into()), None);
    assert_eq!(missing.err().unwrap().key, "PARKIR_ALERT_WEBHOOK_SECRET");
}

#[test]
fn the_hotline_is_optional_and_a_malformed_one_names_the_key() {
    let none = Settings::from_source(&Source::parse("", "t").unwrap()).unwrap();
    assert_eq!(none.hotline, None);
    let src = Source::parse("PARKIR_HOTLINE = \"0811-7400-100\"", "t").unwrap();
    let set = Settings::from_source(&src).unwrap().hotline.unwrap();
    assert_eq!(set.shown(), "0811-7400-100");
    let src = Source::parse("PARKIR_HOTLINE = \"hubungi kami\"", "t").unwrap();
    assert_eq!(
        Settings::from_source(&src).err().unwrap().key,
        "PARKIR_HOTLINE"
    );
}

#[test]
fn a_complaint_line_too_long_for_the_poster_names_the_key() {
    let long = "Laporkan ".repeat(20);
    let src = Source::parse(&format!("PARKIR_COMPLAINT_LINE = \"{long}\""), "t").unwrap();
    assert_eq!(
        Settings::from_source(&src).err().unwrap().key,
        "PARKIR_COMPLAINT_LINE"
    );
}

#[test]
fn the_read_database_is_optional_and_a_malformed_one_names_the_key() {
    let none = Settings::from_source(&Source::parse("", "t").unwrap()).unwrap();
    assert!(none.read_database_url.is_none());
    assert_eq!(none.max_read_lag, Duration::from_secs(10));
    let src = Source::parse(
        "PARKIR_READ_DATABASE_URL = \"postgresql://u:pw@db2:5432,db3:5432/parkir?target_session_attrs=prefer-standby\"\n\
         PARKIR_MAX_READ_LAG_SECS = 3",
        "t",
    )
    .unwrap();
    let set = Settings::from_source(&src).unwrap();
    assert!(set.read_database_url.is_some());
    assert_eq!(set.max_read_lag, Duration::from_secs(3));
    for bad in [
        "db2:5432/parkir",
        "mysql://db2/parkir",
        "postgresql://u:secret@db2:5432/",
    ] {
        let src = Source::parse(&format!("PARKIR_READ_DATABASE_URL = \"{bad}\""), "t").unwrap();
        let err = Settings::from_source(&src).err().unwrap();
        assert_eq!(err.key, "PARKIR_READ_DATABASE_URL");
        assert!(!err.to_string().contains("secret"), "{err}");
    }
    let src = Source::parse("PARKIR_MAX_READ_LAG_SECS = \"-1\"", "t").unwrap();
    assert_eq!(
        Settings::from_source(&src).err().unwrap().key,
        "PARKIR_MAX_READ_LAG_SECS"
    );
}

#[test]
fn malformed_numbers_name_the_key() {
    let src = Source::parse("PARKIR_CHARGE_TTL_SECS = \"ten\"", "t").unwrap();
    let err = Settings::from_source(&src).err().unwrap();
    assert_eq!(err.key, "PARKIR_CHARGE_TTL_SECS");
    let src = Source::parse("PARKIR_TIMEZONE = \"Mars/Olympus\"", "t").unwrap();
    assert_eq!(
        Settings::from_source(&src).err().unwrap().key,
        "PARKIR_TIMEZONE"
    );
}

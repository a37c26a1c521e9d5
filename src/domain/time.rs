//! Instants are UTC; the business day is the configured zone's calendar day.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The business day of an instant: its calendar date in `tz` (WIB by default), never the
/// server's zone and never a settlement date (SPEC §4).
pub fn business_date(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// The UTC instants `[start, end)` of a business day in `tz`.
pub fn day_bounds(date: NaiveDate, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let start_of = |d: NaiveDate| {
        let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        tz.from_local_datetime(&midnight)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
    };
    let next = date.succ_opt().unwrap_or(date);
    (start_of(date), start_of(next))
}

/// Whether business day `date` has ended at `now` in `tz` (its last instant is past): only
/// then may it be closed (SPEC §8).
/// An instant as an office writes it: `30/11/2026 08.10 WIB` (the zone's abbreviation).
pub fn local_stamp(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .format("%d/%m/%Y %H.%M %Z")
        .to_string()
}

pub fn day_has_ended(date: NaiveDate, now: DateTime<Utc>, tz: Tz) -> bool {
    business_date(now, tz) > date
}

/// A business date as the API takes it: `YYYY-MM-DD`.
pub fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| "must be a date YYYY-MM-DD".to_owned())
}

/// An instant as gateways and bank files write it, the one rule for both: RFC 3339 with its
/// offset, or `YYYY-MM-DD HH:MM:SS` read as local time in `tz` (Midtrans and Xendit V1 write
/// WIB; settlement files the city's zone). A local time a clock change makes ambiguous reads as
/// the earlier instant; one it skips is refused.
pub fn parse_instant(raw: &str, tz: Tz) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc));
    }
    let naive = NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S").ok()?;
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_past_six_wib_is_that_wib_day() {
        let at = Utc.with_ymd_and_hms(2026, 11, 22, 23, 30, 0).unwrap();
        let wib = chrono_tz::Asia::Jakarta;
        assert_eq!(
            business_date(at, wib),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
        let (start, end) = day_bounds(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), wib);
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 11, 22, 17, 0, 0).unwrap());
        assert_eq!(end, Utc.with_ymd_and_hms(2026, 11, 23, 17, 0, 0).unwrap());
    }

    #[test]
    fn a_day_has_ended_only_from_midnight_of_the_next_in_the_zone() {
        let wib = chrono_tz::Asia::Jakarta;
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        // 23:59:59 WIB on the day itself, then 00:00:00 WIB of the next.
        let last = Utc.with_ymd_and_hms(2026, 11, 23, 16, 59, 59).unwrap();
        assert!(!day_has_ended(day, last, wib));
        assert!(day_has_ended(day, last + chrono::Duration::seconds(1), wib));
        // A day not begun has not ended either.
        let before = Utc.with_ymd_and_hms(2026, 11, 20, 5, 0, 0).unwrap();
        assert!(!day_has_ended(day, before, wib));
    }

    #[test]
    fn local_times_are_read_in_the_zone_and_offsets_are_kept() {
        let wib = chrono_tz::Asia::Jakarta;
        let t = parse_instant("2025-01-15 10:29:58", wib).unwrap();
        assert_eq!(t.to_rfc3339(), "2025-01-15T03:29:58+00:00");
        let t = parse_instant("2025-01-15T10:29:58+07:00", wib).unwrap();
        assert_eq!(t.to_rfc3339(), "2025-01-15T03:29:58+00:00");
        assert_eq!(parse_instant("2025-01-15 10:29", wib), None);
        assert_eq!(parse_instant("15/01/2025 10:29:58", wib), None);
    }
}

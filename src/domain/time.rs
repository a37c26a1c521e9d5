//! Instants are UTC; the business day is the configured zone's calendar day.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
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
}

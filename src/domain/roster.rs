//! A roster: one duty period per matching day of a date range, planned in the city's time
//! zone (SPEC §11.1). `end` at or before `start` means the duty ends the next day.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The longest roster, counting both ends: a quarter.
pub const MAX_DAYS: i64 = 92;

/// A checked roster request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Roster {
    from: NaiveDate,
    to: NaiveDate,
    /// ISO weekdays (1 = Monday … 7 = Sunday).
    weekdays: Vec<u32>,
    start: NaiveTime,
    end: NaiveTime,
}

/// One duty of a roster: the local date it starts on and its `[starts_at, ends_at)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duty {
    pub date: NaiveDate,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

pub fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| "must be a date YYYY-MM-DD".to_owned())
}

pub fn parse_time(raw: &str) -> Result<NaiveTime, String> {
    let ok = raw.len() == 5 && raw.as_bytes()[2] == b':';
    ok.then(|| NaiveTime::parse_from_str(raw, "%H:%M").ok())
        .flatten()
        .ok_or_else(|| "must be a time HH:MM".to_owned())
}

pub fn parse_weekdays(raw: &[i64]) -> Result<Vec<u32>, String> {
    let mut days: Vec<u32> = Vec::with_capacity(raw.len());
    for &d in raw {
        match u32::try_from(d) {
            Ok(d @ 1..=7) if !days.contains(&d) => days.push(d),
            Ok(1..=7) => {}
            _ => return Err(WEEKDAYS_RULE.to_owned()),
        }
    }
    if days.is_empty() {
        return Err(WEEKDAYS_RULE.to_owned());
    }
    days.sort_unstable();
    Ok(days)
}

const WEEKDAYS_RULE: &str = "must be ISO weekdays from 1 (Monday) to 7 (Sunday), at least one";

impl Roster {
    /// The range must run forwards and span at most [`MAX_DAYS`] days counting both ends;
    /// the error names the field (`to`).
    pub fn new(
        from: NaiveDate,
        to: NaiveDate,
        weekdays: Vec<u32>,
        start: NaiveTime,
        end: NaiveTime,
    ) -> Result<Self, (&'static str, String)> {
        if to < from {
            return Err(("to", "must not be before from".into()));
        }
        if (to - from).num_days() + 1 > MAX_DAYS {
            return Err((
                "to",
                format!("must be at most {MAX_DAYS} days counting both"),
            ));
        }
        Ok(Self {
            from,
            to,
            weekdays,
            start,
            end,
        })
    }

    /// Every duty of the roster in date order, in the zone `tz`. A local time that does not
    /// exist (a clock change) takes the earliest valid instant after it.
    pub fn duties(&self, tz: Tz) -> Vec<Duty> {
        let overnight = self.end <= self.start;
        self.from
            .iter_days()
            .take_while(|d| *d <= self.to)
            .filter(|d| self.weekdays.contains(&d.weekday().number_from_monday()))
            .map(|date| {
                let end_date = if overnight {
                    date + Duration::days(1)
                } else {
                    date
                };
                Duty {
                    date,
                    starts_at: local(tz, date, self.start),
                    ends_at: local(tz, end_date, self.end),
                }
            })
            .collect()
    }
}

fn local(tz: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let naive = date.and_time(time);
    tz.from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(naive + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| naive.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn one_duty_per_matching_day_in_the_city_zone() {
        let roster = Roster::new(
            d("2026-12-07"),
            d("2026-12-13"),
            parse_weekdays(&[1, 2, 3, 4, 5]).unwrap(),
            parse_time("07:00").unwrap(),
            parse_time("17:00").unwrap(),
        )
        .unwrap();
        let duties = roster.duties(chrono_tz::Asia::Jakarta);
        assert_eq!(duties.len(), 5);
        assert_eq!(duties[0].date, d("2026-12-07"));
        assert_eq!(
            duties[0].starts_at.to_rfc3339(),
            "2026-12-07T00:00:00+00:00"
        );
        assert_eq!(duties[0].ends_at.to_rfc3339(), "2026-12-07T10:00:00+00:00");
        assert_eq!(duties[4].date, d("2026-12-11"));
    }

    #[test]
    fn an_end_at_or_before_the_start_is_the_next_day() {
        let roster = Roster::new(
            d("2026-12-07"),
            d("2026-12-07"),
            vec![1],
            parse_time("18:00").unwrap(),
            parse_time("02:00").unwrap(),
        )
        .unwrap();
        let duty = &roster.duties(chrono_tz::Asia::Jakarta)[0];
        assert_eq!(duty.ends_at.to_rfc3339(), "2026-12-07T19:00:00+00:00");
        let all_day = Roster::new(
            d("2026-12-07"),
            d("2026-12-07"),
            vec![1],
            parse_time("06:00").unwrap(),
            parse_time("06:00").unwrap(),
        )
        .unwrap();
        let duty = &all_day.duties(chrono_tz::Asia::Jakarta)[0];
        assert_eq!((duty.ends_at - duty.starts_at).num_hours(), 24);
    }

    #[test]
    fn ranges_and_fields_are_checked() {
        let t = parse_time("07:00").unwrap();
        assert!(Roster::new(d("2026-01-01"), d("2026-04-02"), vec![1], t, t).is_ok());
        assert_eq!(
            Roster::new(d("2026-01-01"), d("2026-04-03"), vec![1], t, t)
                .unwrap_err()
                .0,
            "to"
        );
        assert_eq!(
            Roster::new(d("2026-01-02"), d("2026-01-01"), vec![1], t, t)
                .unwrap_err()
                .0,
            "to"
        );
        assert!(parse_weekdays(&[]).is_err());
        assert!(parse_weekdays(&[0]).is_err());
        assert!(parse_weekdays(&[8]).is_err());
        assert_eq!(parse_weekdays(&[7, 1, 1]).unwrap(), vec![1, 7]);
        assert!(parse_time("7:00").is_err());
        assert!(parse_time("24:00").is_err());
        assert!(parse_time("23:59").is_ok());
        assert!(parse_date("2026-02-30").is_err());
    }
}

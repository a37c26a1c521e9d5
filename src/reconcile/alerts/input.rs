//! What the leakage signals look at for one business date, assembled from plain rows (the
//! reads are `db::alert_inputs`): per spot and per attendant, the payments and the duty minutes
//! of the previous weeks counted per local hour, and the evaluated day to the minute.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;

use super::{DayDetail, DayInput, HourCounts, MINUTES, ShortfallDay, SubjectDay};
use crate::domain::time::day_bounds;

/// Calendar days of history read (a baseline of 28 duty days fits with days off).
pub const HISTORY_DAYS: i64 = 42;

/// The instants an evaluation of `date` at `now` reads between.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// The evaluated business date.
    pub date: NaiveDate,
    /// When the evaluation looks from (never after the day's end).
    pub now: DateTime<Utc>,
    /// The first day of the history.
    pub first: NaiveDate,
    /// The start of the history's first day.
    pub history_start: DateTime<Utc>,
    /// The evaluated day's bounds.
    pub day_start: DateTime<Utc>,
    pub day_end: DateTime<Utc>,
    /// What happened before this counts: `now`, or the day's end once it has ended.
    pub until: DateTime<Utc>,
}

impl Window {
    /// The window of `date` seen at `now`: the day itself up to `now`, and the
    /// [`HISTORY_DAYS`] before it.
    pub fn of(date: NaiveDate, now: DateTime<Utc>, tz: Tz) -> Self {
        let first = date - Duration::days(HISTORY_DAYS);
        let (day_start, day_end) = day_bounds(date, tz);
        Self {
            date,
            now,
            first,
            history_start: day_bounds(first, tz).0,
            day_start,
            day_end,
            until: now.min(day_end),
        }
    }

    /// Whether the evaluated day has ended: its shortfall streaks are read only then.
    pub fn day_has_ended(&self) -> bool {
        self.now >= self.day_end
    }
}

/// Paid payments of one subject (a spot, or an attendant) on a history date in a local hour.
pub struct HourTally {
    pub by_spot: bool,
    pub subject: i64,
    pub date: NaiveDate,
    pub hour: i32,
    pub noncash: i64,
    pub cash: i64,
}

/// A duty assignment, `[starts_at, ends_at)`.
pub struct Duty {
    pub attendant_id: i64,
    pub spot_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
}

/// A paid payment of the evaluated day.
pub struct Paid {
    pub spot_id: Option<i64>,
    pub attendant_id: Option<i64>,
    pub cash: bool,
    pub paid_at: DateTime<Utc>,
}

/// What the database holds for a window (`db::alert_inputs::read`).
#[derive(Default)]
pub struct Reads {
    /// The history's paid payments per subject, date and local hour.
    pub hours: Vec<HourTally>,
    /// Assignments overlapping the window.
    pub duties: Vec<Duty>,
    /// The evaluated day's paid payments before `until`.
    pub paid: Vec<Paid>,
    /// Per attendant with a row on the date, its reconciliation rows of the history, oldest
    /// first (read only once the day has ended).
    pub shortfalls: Vec<(i64, Vec<ShortfallDay>)>,
}

/// The local minute of `at` within the business day starting at `start` (0..=1440).
pub fn minute_of(at: DateTime<Utc>, start: DateTime<Utc>, tz: Tz) -> u16 {
    if at <= start {
        return 0;
    }
    if at - start >= Duration::days(1) {
        return MINUTES;
    }
    let local = at.with_timezone(&tz);
    (local.hour() * 60 + local.minute()) as u16
}

type History = HashMap<i64, HashMap<NaiveDate, HourCounts>>;

/// A subject's history and day, per spot and per attendant.
#[derive(Default)]
struct Sides {
    spot_days: History,
    attendant_days: History,
    spot_today: HashMap<i64, DayDetail>,
    attendant_today: HashMap<i64, DayDetail>,
}

fn empty(date: NaiveDate) -> DayDetail {
    DayDetail {
        date,
        duty: vec![],
        noncash_at: vec![],
        cash_at: vec![],
    }
}

fn counts(history: &mut History, id: i64, date: NaiveDate) -> &mut HourCounts {
    history
        .entry(id)
        .or_default()
        .entry(date)
        .or_insert_with(|| HourCounts::empty(date))
}

/// The inputs of the window's date. `as_if_over` evaluates the day signals too, over the duty
/// and payments so far (`POST /alerts/evaluate` on today); a day that has ended is always over.
pub fn day_input(w: &Window, tz: Tz, as_if_over: bool, reads: Reads) -> DayInput {
    let Reads {
        hours,
        duties,
        paid,
        shortfalls,
    } = reads;
    let mut sides = Sides::default();
    for t in hours {
        let history = if t.by_spot {
            &mut sides.spot_days
        } else {
            &mut sides.attendant_days
        };
        let c = counts(history, t.subject, t.date);
        let h = t.hour.clamp(0, 23) as usize;
        c.noncash[h] += t.noncash as u32;
        c.cash[h] += t.cash as u32;
    }
    for d in &duties {
        add_duty(&mut sides, w, tz, d);
    }
    for p in paid {
        let m = minute_of(p.paid_at, w.day_start, tz).min(MINUTES - 1);
        for (today, id) in [
            (&mut sides.spot_today, p.spot_id),
            (&mut sides.attendant_today, p.attendant_id),
        ] {
            let Some(id) = id else { continue };
            let day = today.entry(id).or_insert_with(|| empty(w.date));
            if p.cash {
                day.cash_at.push(m);
            } else {
                day.noncash_at.push(m);
            }
        }
    }
    DayInput {
        date: w.date,
        now: if w.day_has_ended() || as_if_over {
            MINUTES
        } else {
            minute_of(w.now, w.day_start, tz)
        },
        spots: subjects(sides.spot_today, sides.spot_days),
        attendants: subjects(sides.attendant_today, sides.attendant_days),
        shortfalls,
    }
}

/// One assignment, day by day of the window: on a history day its minutes on duty per local
/// hour (at most 60), on the evaluated day its period to the minute, up to `until`.
fn add_duty(sides: &mut Sides, w: &Window, tz: Tz, d: &Duty) {
    let mut day = w.first;
    while day <= w.date {
        let (start, end) = day_bounds(day, tz);
        let end = if day == w.date { w.until } else { end };
        let (a, b) = (d.starts_at.max(start), d.ends_at.unwrap_or(end).min(end));
        if a < b {
            let (from, to) = (minute_of(a, start, tz), minute_of(b, start, tz).max(1));
            if day == w.date {
                for today in [
                    sides
                        .spot_today
                        .entry(d.spot_id)
                        .or_insert_with(|| empty(day)),
                    sides
                        .attendant_today
                        .entry(d.attendant_id)
                        .or_insert_with(|| empty(day)),
                ] {
                    today.duty.push((from, to));
                }
            } else {
                for (history, id) in [
                    (&mut sides.spot_days, d.spot_id),
                    (&mut sides.attendant_days, d.attendant_id),
                ] {
                    let c = counts(history, id, day);
                    for m in from..to {
                        let h = usize::from(m / 60).min(23);
                        c.duty_minutes[h] = (c.duty_minutes[h] + 1).min(60);
                    }
                }
            }
        }
        day += Duration::days(1);
    }
}

/// The subjects with a day (on duty or paid), by id, each with its history newest first.
fn subjects(today: HashMap<i64, DayDetail>, mut history: History) -> Vec<SubjectDay> {
    let mut out: Vec<SubjectDay> = today
        .into_iter()
        .map(|(id, mut day)| {
            day.duty.sort_unstable();
            day.noncash_at.sort_unstable();
            day.cash_at.sort_unstable();
            let mut h: Vec<HourCounts> = history
                .remove(&id)
                .unwrap_or_default()
                .into_values()
                .collect();
            h.sort_unstable_by_key(|c| std::cmp::Reverse(c.date));
            SubjectDay {
                id,
                history: h,
                day,
            }
        })
        .collect();
    out.sort_unstable_by_key(|s| s.id);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIB: Tz = chrono_tz::Asia::Jakarta;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn duty(from: &str, to: Option<&str>) -> Duty {
        Duty {
            attendant_id: 7,
            spot_id: 3,
            starts_at: at(from),
            ends_at: to.map(at),
        }
    }

    #[test]
    fn a_history_day_counts_duty_minutes_per_local_hour() {
        let day = date("2026-11-20");
        let w = Window::of(day, at("2026-11-21T08:00:00+07:00"), WIB);
        let d = duty(
            "2026-11-19T07:30:00+07:00",
            Some("2026-11-19T09:00:00+07:00"),
        );
        let input = day_input(
            &w,
            WIB,
            false,
            Reads {
                duties: vec![d],
                ..Reads::default()
            },
        );
        // On duty only on a history day: no subject has a day to evaluate.
        assert!(input.spots.is_empty());
        let mut sides = Sides::default();
        add_duty(
            &mut sides,
            &w,
            WIB,
            &duty(
                "2026-11-19T07:30:00+07:00",
                Some("2026-11-19T09:00:00+07:00"),
            ),
        );
        let c = &sides.spot_days[&3][&date("2026-11-19")];
        assert_eq!(
            (
                c.duty_minutes[6],
                c.duty_minutes[7],
                c.duty_minutes[8],
                c.duty_minutes[9]
            ),
            (0, 30, 60, 0)
        );
        assert_eq!(
            sides.attendant_days[&7][&date("2026-11-19")].duty_minutes,
            c.duty_minutes
        );
    }

    #[test]
    fn a_duty_across_midnight_is_split_between_its_days() {
        let w = Window::of(date("2026-11-20"), at("2026-11-21T12:00:00+07:00"), WIB);
        let mut sides = Sides::default();
        add_duty(
            &mut sides,
            &w,
            WIB,
            &duty(
                "2026-11-18T22:00:00+07:00",
                Some("2026-11-19T02:00:00+07:00"),
            ),
        );
        assert_eq!(
            sides.spot_days[&3][&date("2026-11-18")].duty_minutes[22..24],
            [60, 60]
        );
        assert_eq!(
            sides.spot_days[&3][&date("2026-11-19")].duty_minutes[0..3],
            [60, 60, 0]
        );
    }

    #[test]
    fn the_evaluated_day_is_read_to_the_minute_up_to_now() {
        let day = date("2026-11-20");
        let now = at("2026-11-20T10:15:00+07:00");
        let w = Window::of(day, now, WIB);
        let open_duty = duty("2026-11-20T07:00:00+07:00", None);
        let paid = vec![
            Paid {
                spot_id: Some(3),
                attendant_id: Some(7),
                cash: false,
                paid_at: at("2026-11-20T08:01:30+07:00"),
            },
            Paid {
                spot_id: Some(3),
                attendant_id: None,
                cash: true,
                paid_at: at("2026-11-20T07:05:00+07:00"),
            },
        ];
        let input = day_input(
            &w,
            WIB,
            false,
            Reads {
                duties: vec![open_duty],
                paid,
                ..Reads::default()
            },
        );
        assert_eq!(input.now, 10 * 60 + 15, "today is evaluated up to now");
        let spot = &input.spots[0];
        assert_eq!(
            (spot.id, spot.day.duty.clone()),
            (3, vec![(7 * 60, 10 * 60 + 15)])
        );
        assert_eq!(
            (spot.day.noncash_at.clone(), spot.day.cash_at.clone()),
            (vec![8 * 60 + 1], vec![7 * 60 + 5])
        );
        let attendant = &input.attendants[0];
        assert_eq!(
            (attendant.id, attendant.day.cash_at.len()),
            (7, 0),
            "cash without an attendant is the spot's"
        );
        let over = day_input(&w, WIB, true, Reads::default());
        assert_eq!(over.now, MINUTES, "as if over");
    }

    #[test]
    fn history_tallies_land_in_their_hour() {
        let w = Window::of(date("2026-11-20"), at("2026-11-21T00:00:00+07:00"), WIB);
        let today = duty(
            "2026-11-20T07:00:00+07:00",
            Some("2026-11-20T17:00:00+07:00"),
        );
        let tallies = vec![
            HourTally {
                by_spot: true,
                subject: 3,
                date: date("2026-11-13"),
                hour: 9,
                noncash: 4,
                cash: 2,
            },
            HourTally {
                by_spot: false,
                subject: 7,
                date: date("2026-11-13"),
                hour: 9,
                noncash: 1,
                cash: 0,
            },
        ];
        let input = day_input(
            &w,
            WIB,
            false,
            Reads {
                hours: tallies,
                duties: vec![today],
                ..Reads::default()
            },
        );
        assert_eq!(input.now, MINUTES, "an ended day is over");
        let h = &input.spots[0].history[0];
        assert_eq!(
            (h.date, h.noncash[9], h.cash[9]),
            (date("2026-11-13"), 4, 2)
        );
        assert_eq!(input.attendants[0].history[0].noncash[9], 1);
    }

    #[test]
    fn a_minute_is_local_and_bounded_by_the_day() {
        let start = at("2026-11-20T00:00:00+07:00");
        assert_eq!(minute_of(at("2026-11-19T23:00:00+07:00"), start, WIB), 0);
        assert_eq!(
            minute_of(at("2026-11-20T13:37:59+07:00"), start, WIB),
            13 * 60 + 37
        );
        assert_eq!(
            minute_of(at("2026-11-21T00:00:00+07:00"), start, WIB),
            MINUTES
        );
    }
}

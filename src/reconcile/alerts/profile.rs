//! A subject's (spot's or attendant's) own history, per duty hour: what its past duty days
//! predict for the hours it is on duty now (docs/alerts.md, "the model").
//!
//! Time inside a business day is the local minute of the day (0..1440, in the city's zone):
//! the database layer converts instants, so these rules need no clock and no zone.

use chrono::NaiveDate;

/// Minutes in a business day; a minute index is `0..MINUTES`.
pub const MINUTES: u16 = 1440;

/// One duty day of a subject, counted per local hour: minutes on duty, non-cash and cash
/// payments in that hour.
#[derive(Clone, Debug, PartialEq)]
pub struct HourCounts {
    pub date: NaiveDate,
    pub duty_minutes: [u16; 24],
    pub noncash: [u32; 24],
    pub cash: [u32; 24],
}

impl HourCounts {
    pub fn empty(date: NaiveDate) -> Self {
        Self {
            date,
            duty_minutes: [0; 24],
            noncash: [0; 24],
            cash: [0; 24],
        }
    }

    pub fn duty_total(&self) -> u32 {
        self.duty_minutes.iter().map(|&m| u32::from(m)).sum()
    }

    pub fn noncash_total(&self) -> u32 {
        self.noncash.iter().sum()
    }

    pub fn cash_total(&self) -> u32 {
        self.cash.iter().sum()
    }
}

/// The evaluated day of a subject at minute `now` (the end of the day once it is over): its
/// duty periods and the minute of each payment, so that gaps can be measured to the minute.
#[derive(Clone, Debug, PartialEq)]
pub struct DayDetail {
    pub date: NaiveDate,
    /// Duty periods `[from, to)` in local minutes, sorted, not overlapping.
    pub duty: Vec<(u16, u16)>,
    /// Minute of each non-cash payment, sorted.
    pub noncash_at: Vec<u16>,
    /// Minute of each cash payment.
    pub cash_at: Vec<u16>,
}

impl DayDetail {
    /// The day so far (up to minute `now`), counted per hour like the history.
    pub fn counts(&self, now: u16) -> HourCounts {
        let mut c = HourCounts::empty(self.date);
        for &(from, to) in &self.duty {
            for m in from..to.min(now) {
                c.duty_minutes[usize::from(m / 60)] += 1;
            }
        }
        for &m in self.noncash_at.iter().filter(|&&m| m < now) {
            c.noncash[usize::from(m / 60)] += 1;
        }
        for &m in self.cash_at.iter().filter(|&&m| m < now) {
            c.cash[usize::from(m / 60)] += 1;
        }
        c
    }
}

/// A day counts as a duty day (evidence for a baseline) from this many minutes on duty.
pub const MIN_DUTY_MINUTES: u32 = 60;

/// Hour-of-day rates of non-cash and cash payments per duty minute, learnt from the subject's
/// previous duty days. Each hour's rate is shrunk towards the subject's overall rate by one
/// hour of pseudo-observation, so an hour it rarely works does not predict from two samples.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    /// Non-cash payments per duty minute, per local hour.
    pub noncash_rate: [f64; 24],
    /// Non-cash payments on an average baseline day.
    pub noncash_per_day: f64,
    /// The subject's usual share of cash among its payments.
    pub cash_share: f64,
    /// The baseline days used, newest first.
    pub days: Vec<NaiveDate>,
}

impl Profile {
    /// The profile of `history` (previous days, any order), or `None` with fewer than
    /// `min_days` duty days: too little history alerts nothing (SPEC §12).
    pub fn learn(history: &[HourCounts], min_days: usize) -> Option<Self> {
        let duty_days: Vec<&HourCounts> = history
            .iter()
            .filter(|d| d.duty_total() >= MIN_DUTY_MINUTES)
            .collect();
        if duty_days.len() < min_days.max(1) {
            return None;
        }
        let mut duty = [0f64; 24];
        let mut noncash = [0f64; 24];
        let (mut cash, mut all) = (0f64, 0f64);
        for d in &duty_days {
            for h in 0..24 {
                duty[h] += f64::from(d.duty_minutes[h]);
                noncash[h] += f64::from(d.noncash[h]);
            }
            cash += f64::from(d.cash_total());
            all += f64::from(d.cash_total() + d.noncash_total());
        }
        let total_duty: f64 = duty.iter().sum();
        let overall = noncash.iter().sum::<f64>() / total_duty;
        let mut noncash_rate = [0f64; 24];
        for h in 0..24 {
            noncash_rate[h] = (noncash[h] + 60.0 * overall) / (duty[h] + 60.0);
        }
        let mut days: Vec<NaiveDate> = duty_days.iter().map(|d| d.date).collect();
        days.sort_unstable_by(|a, b| b.cmp(a));
        Some(Self {
            noncash_rate,
            noncash_per_day: noncash.iter().sum::<f64>() / duty_days.len() as f64,
            cash_share: if all > 0.0 { cash / all } else { 0.0 },
            days,
        })
    }

    /// Non-cash payments expected over the duty minutes of `counts`.
    pub fn expected_noncash(&self, counts: &HourCounts) -> f64 {
        (0..24)
            .map(|h| self.noncash_rate[h] * f64::from(counts.duty_minutes[h]))
            .sum()
    }

    /// Non-cash payments expected in the duty minutes of `detail` within `[from, to)`.
    pub fn expected_between(&self, detail: &DayDetail, from: u16, to: u16) -> f64 {
        let mut e = 0.0;
        for &(a, b) in &detail.duty {
            let (a, b) = (a.max(from), b.min(to));
            let mut m = a;
            while m < b {
                let hour_end = (m / 60 + 1) * 60;
                let end = hour_end.min(b);
                e += self.noncash_rate[usize::from(m / 60)] * f64::from(end - m);
                m = end;
            }
        }
        e
    }

    /// The first minute at or after `from` by which `target` non-cash payments were expected
    /// in `detail`'s duty time, if any before `until`.
    pub fn minute_expecting(
        &self,
        detail: &DayDetail,
        from: u16,
        until: u16,
        target: f64,
    ) -> Option<u16> {
        let mut e = 0.0;
        for &(a, b) in &detail.duty {
            for m in a.max(from)..b.min(until) {
                e += self.noncash_rate[usize::from(m / 60)];
                if e >= target - 1e-9 {
                    return Some(m + 1);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32, noncash_per_hour: u32) -> HourCounts {
        let mut c = HourCounts::empty(NaiveDate::from_ymd_opt(2026, 10, d).unwrap());
        for h in 7..17 {
            c.duty_minutes[h] = 60;
            c.noncash[h] = noncash_per_hour;
            c.cash[h] = 1;
        }
        c
    }

    #[test]
    fn too_little_history_learns_nothing() {
        let six: Vec<_> = (1..=6).map(|d| day(d, 3)).collect();
        assert!(Profile::learn(&six, 7).is_none());
        let seven: Vec<_> = (1..=7).map(|d| day(d, 3)).collect();
        assert!(Profile::learn(&seven, 7).is_some());
    }

    #[test]
    fn days_off_are_not_evidence() {
        let mut h: Vec<_> = (1..=6).map(|d| day(d, 3)).collect();
        h.push(HourCounts::empty(
            NaiveDate::from_ymd_opt(2026, 10, 7).unwrap(),
        ));
        assert!(Profile::learn(&h, 7).is_none());
    }

    #[test]
    fn expected_counts_follow_the_duty_minutes() {
        let h: Vec<_> = (1..=7).map(|d| day(d, 6)).collect();
        let p = Profile::learn(&h, 7).unwrap();
        assert!((p.noncash_rate[9] - 0.1).abs() < 1e-9);
        assert!((p.cash_share - 1.0 / 7.0).abs() < 1e-9);
        let detail = DayDetail {
            date: NaiveDate::from_ymd_opt(2026, 10, 8).unwrap(),
            duty: vec![(9 * 60, 11 * 60)],
            noncash_at: vec![],
            cash_at: vec![],
        };
        assert!((p.expected_between(&detail, 0, MINUTES) - 12.0).abs() < 1e-9);
        assert!((p.expected_noncash(&detail.counts(MINUTES)) - 12.0).abs() < 1e-9);
        assert_eq!(p.minute_expecting(&detail, 0, MINUTES, 6.0), Some(600));
        assert_eq!(p.minute_expecting(&detail, 0, MINUTES, 13.0), None);
    }
}

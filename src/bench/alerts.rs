//! `parkir bench alerts`: a simulated city with injected leaks, evaluated by the same rules the
//! server runs (`reconcile::alerts::evaluate`), every 15 minutes during the day and once after
//! it. The traffic model is written out in docs/alerts.md. Pure: no database.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::reconcile::alerts::{
    AlertKind, DayDetail, DayInput, HourCounts, MINUTES, ShortfallDay, SubjectDay, Thresholds,
    evaluate,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IncidentKind {
    /// The official sticker covered from some hour on: non-cash stops for three days.
    Swap,
    /// Half of the non-cash payers pay someone else's QR, for three days.
    HalfLeak,
    /// Motorists told "tunai saja": 70% of non-cash payers pay cash instead, for two days.
    Steering,
}

#[derive(Clone, Debug)]
struct Incident {
    kind: IncidentKind,
    spot: usize,
    first_day: usize,
    days: usize,
    from_minute: u16,
    start: NaiveDate,
}

impl Incident {
    fn active(&self, day: usize) -> bool {
        day >= self.first_day && day < self.first_day + self.days
    }
}

pub struct AlertsBench {
    pub spot_days: usize,
    pub incidents: usize,
    pub detected: usize,
    pub recall: f64,
    pub recall_swap_4h: f64,
    pub recall_half_2d: f64,
    pub recall_steering_2d: f64,
    pub false_alarms_per_100_spot_days: f64,
    pub median_delay_hours: f64,
    /// Duty hours from a swap to its first alert.
    pub median_swap_delay_hours: f64,
    /// Days with a city-wide gateway outage from noon (every QRIS payment fails).
    pub outage_days: usize,
    /// `gateway_silence` alerts on outage days, and on other days (false).
    pub gateway_alerts: usize,
    pub gateway_false_alarms: usize,
    /// Spot and attendant alerts on an outage day and the day after, on spots with no
    /// incident: what the outage would have blamed on attendants.
    pub outage_spot_alerts: usize,
    /// New attendants who never once reach the target, and how many got a `shortfall_streak`
    /// by their third duty day.
    pub chronic: usize,
    pub chronic_alerted_by_day_3: usize,
    /// `shortfall_streak` alerts per 100 attendant-days for everyone else (a real streak of
    /// short days after rain or a holiday, not a false alarm: a shortfall is a fact).
    pub other_streaks_per_100_days: f64,
    pub seconds: f64,
}

struct Spot {
    /// Vehicles per hour at the busiest hour.
    peak: f64,
    cash_share: f64,
    day_off: Weekday,
    /// Duty hours, local: 07–17 for most, some 08–16 or 06–14.
    shift: (u16, u16),
}

/// Vehicles per hour relative to the peak, by local hour: a morning and an afternoon market peak.
const SHAPE: [f64; 24] = [
    0.0, 0.0, 0.0, 0.0, 0.0, 0.1, 0.3, 0.6, 0.9, 1.0, 0.9, 0.8, 0.7, 0.75, 0.85, 0.95, 0.9, 0.6,
    0.4, 0.3, 0.2, 0.1, 0.0, 0.0,
];

fn weekday_factor(d: Weekday) -> f64 {
    match d {
        Weekday::Fri => 0.85,
        Weekday::Sat => 1.15,
        Weekday::Sun => 0.8,
        _ => 1.0,
    }
}

fn lognormal(rng: &mut StdRng, sigma: f64) -> f64 {
    let (u1, u2): (f64, f64) = (rng.random::<f64>().max(1e-12), rng.random());
    let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
    (sigma * z - sigma * sigma / 2.0).exp()
}

/// One simulated day of one spot: its duty and its payments, minute by minute. From
/// `outage_from` on (a gateway outage), no QRIS payment goes through: half the payers pay cash.
fn simulate_day(
    rng: &mut StdRng,
    spot: &Spot,
    date: NaiveDate,
    city: f64,
    incident: Option<&Incident>,
    outage_from: Option<u16>,
) -> DayDetail {
    let mut day = DayDetail {
        date,
        duty: vec![],
        noncash_at: vec![],
        cash_at: vec![],
    };
    if date.weekday() == spot.day_off || rng.random::<f64>() < 0.03 {
        return day;
    }
    // Late starts and early ends of up to 40 minutes; one shift in ten is a short one.
    let from = spot.shift.0 * 60 + rng.random_range(0..40);
    let mut to = spot.shift.1 * 60 - rng.random_range(0..40);
    if rng.random::<f64>() < 0.1 {
        to = from + 180 + rng.random_range(0..120);
    }
    day.duty.push((from, to));
    let level = spot.peak * city * weekday_factor(date.weekday()) * lognormal(rng, 0.12);
    let cash_share = (spot.cash_share + rng.random_range(-0.05..0.05)).clamp(0.05, 0.95);
    for m in from..to {
        let rate = level * SHAPE[usize::from(m / 60)] / 60.0;
        if rng.random::<f64>() >= rate {
            continue;
        }
        if rng.random::<f64>() < cash_share {
            day.cash_at.push(m);
            continue;
        }
        if outage_from.is_some_and(|o| m >= o) {
            if rng.random::<f64>() < 0.5 {
                day.cash_at.push(m);
            }
            continue;
        }
        match incident {
            Some(i) if i.kind == IncidentKind::Swap && (date > i.start || m >= i.from_minute) => {}
            Some(i) if i.kind == IncidentKind::HalfLeak && rng.random::<f64>() < 0.5 => {}
            Some(i) if i.kind == IncidentKind::Steering && rng.random::<f64>() < 0.7 => {
                day.cash_at.push(m)
            }
            _ => day.noncash_at.push(m),
        }
    }
    day
}

/// Runs the simulated city: `spots` spots for `days` days, the first 28 without incidents.
pub fn run(spots: usize, days: usize, seed: u64, th: &Thresholds) -> AlertsBench {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(seed);
    let weekdays = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    let city: Vec<Spot> = (0..spots)
        .map(|_| Spot {
            peak: rng.random_range(10.0..30.0),
            cash_share: rng.random_range(0.3..0.6),
            day_off: weekdays[rng.random_range(0..7)],
            shift: match rng.random_range(0..10) {
                0 => (8, 16),
                1 => (6, 14),
                _ => (7, 17),
            },
        })
        .collect();
    let start = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default();
    // City-wide days: rain on one in four (55–85% of the traffic), two holidays at half.
    let city_factor: Vec<f64> = (0..days)
        .map(|d| {
            if d == 40 || d == 51 {
                0.5
            } else if rng.random::<f64>() < 0.25 {
                rng.random_range(0.55..0.85)
            } else {
                1.0
            }
        })
        .collect();
    let warmup = 28.min(days);
    let mut incidents = Vec::new();
    let per_kind = (spots / 10).max(1);
    for kind in [
        IncidentKind::Swap,
        IncidentKind::HalfLeak,
        IncidentKind::Steering,
    ] {
        for _ in 0..per_kind {
            if days <= warmup + 3 {
                break;
            }
            // One incident per spot, so that every alert is credited to the right one.
            let mut spot = rng.random_range(0..spots);
            while incidents.iter().any(|i: &Incident| i.spot == spot) && incidents.len() < spots {
                spot = rng.random_range(0..spots);
            }
            incidents.push(Incident {
                kind,
                spot,
                first_day: rng.random_range(warmup..days - 3),
                days: match kind {
                    IncidentKind::Swap => 3,
                    IncidentKind::HalfLeak => 3,
                    IncidentKind::Steering => 2,
                },
                start: NaiveDate::default(),
                from_minute: match kind {
                    IncidentKind::Swap => rng.random_range(8 * 60..14 * 60),
                    _ => 0,
                },
            });
        }
    }
    for i in &mut incidents {
        i.start = start + Duration::days(i.first_day as i64);
    }
    let active =
        |spot: usize, day: usize| incidents.iter().find(|i| i.spot == spot && i.active(day));
    // A gateway outage from 12:00 on one day (the case), away from the incidents' start.
    let outage_day = (days > warmup + 12).then_some(warmup + 10);
    // One attendant in fifty is a new hire who never reaches the target: their ledger of
    // reconciliation rows starts on the first evaluated day; everybody else's on day one.
    let chronic: Vec<bool> = (0..spots).map(|s| s % 50 == 7).collect();
    let mut ledger: Vec<Vec<ShortfallDay>> = vec![Vec::new(); spots];
    let mut streak_alerted: Vec<Option<NaiveDate>> = vec![None; spots];
    let (mut gateway_alerts, mut gateway_false_alarms, mut outage_spot_alerts) = (0, 0, 0);
    let mut chronic_alerted_by_day_3 = 0;
    let (mut other_streaks, mut other_days) = (0usize, 0usize);
    let mut history: Vec<Vec<HourCounts>> = vec![Vec::new(); spots];
    // (incident index) -> (day, minute) of the first alert that names its spot or attendant.
    let mut first_alert: HashMap<usize, (usize, u16)> = HashMap::new();
    let (mut false_alarms, mut spot_days) = (0usize, 0usize);
    for (d, &factor) in city_factor.iter().enumerate() {
        let date = start + Duration::days(d as i64);
        let outage_from = (outage_day == Some(d)).then_some(12 * 60);
        let today: Vec<DayDetail> = (0..spots)
            .map(|s| simulate_day(&mut rng, &city[s], date, factor, active(s, d), outage_from))
            .collect();
        // The day's reconciliation rows: gross at Rp2.000 a payment against a target of 70% of
        // the spot's usual day (150% for the chronic, who never reach it).
        for (s, day) in today.iter().enumerate() {
            if day.duty.is_empty() || (chronic[s] && d < warmup) {
                continue;
            }
            let usual: f64 = SHAPE.iter().sum::<f64>() * city[s].peak * 2000.0;
            let target = (usual * if chronic[s] { 1.5 } else { 0.7 }) as i64;
            let gross = (day.noncash_at.len() + day.cash_at.len()) as i64 * 2000;
            ledger[s].push(ShortfallDay {
                date,
                gross,
                target: Some(target),
                shortfall: (target - gross).max(0),
            });
        }
        if d >= warmup {
            let subjects: Vec<SubjectDay> = today
                .iter()
                .enumerate()
                .map(|(s, day)| SubjectDay {
                    id: s as i64,
                    history: history[s]
                        .iter()
                        .rev()
                        .take(th.baseline_days + 8)
                        .cloned()
                        .collect(),
                    day: day.clone(),
                })
                .collect();
            let mut input = DayInput {
                date,
                now: 0,
                spots: subjects.clone(),
                attendants: subjects,
                shortfalls: vec![],
            };
            let mut alerted: HashMap<usize, u16> = HashMap::new();
            let mut gateway_today = false;
            // The server's ticks: every 15 minutes, then once after the day.
            for now in (6 * 60..=18 * 60).step_by(15).chain([MINUTES]) {
                input.now = now;
                if now == MINUTES {
                    input.shortfalls = (0..spots)
                        .filter(|&s| ledger[s].last().is_some_and(|l| l.date == date))
                        .map(|s| (s as i64, ledger[s].clone()))
                        .collect();
                }
                for f in evaluate(&input, th) {
                    if f.kind == AlertKind::GatewaySilence {
                        gateway_today = true;
                        continue;
                    }
                    if f.kind == AlertKind::ShortfallStreak {
                        // Once per streak, as the store keeps it.
                        let s = f.attendant_id.unwrap_or_default() as usize;
                        let from = f.evidence["from"]
                            .as_str()
                            .and_then(|d| d.parse::<NaiveDate>().ok());
                        if streak_alerted[s].is_some() && streak_alerted[s] >= from {
                            continue;
                        }
                        streak_alerted[s] = from;
                        if chronic[s] {
                            let duty_days = ledger[s].len();
                            if duty_days <= 3 {
                                chronic_alerted_by_day_3 += 1;
                            }
                        } else {
                            other_streaks += 1;
                        }
                        continue;
                    }
                    let s = f.spot_id.or(f.attendant_id).unwrap_or_default() as usize;
                    let at = if now == MINUTES {
                        f.detected_minute
                    } else {
                        now
                    };
                    alerted.entry(s).or_insert(at);
                }
            }
            if gateway_today {
                if outage_day == Some(d) {
                    gateway_alerts += 1;
                } else {
                    gateway_false_alarms += 1;
                }
            }
            let near_outage = outage_day.is_some_and(|o| d == o || d == o + 1);
            for (s, day) in today.iter().enumerate() {
                if !day.duty.is_empty() {
                    spot_days += 1;
                    if !chronic[s] {
                        other_days += 1;
                    }
                }
                let Some(&minute) = alerted.get(&s) else {
                    continue;
                };
                match incidents.iter().position(|i| i.spot == s && i.active(d)) {
                    Some(i) => {
                        first_alert.entry(i).or_insert((d, minute));
                    }
                    None => {
                        false_alarms += 1;
                        if near_outage {
                            outage_spot_alerts += 1;
                        }
                    }
                }
            }
        }
        for (s, day) in today.iter().enumerate() {
            history[s].push(day.counts(MINUTES));
        }
    }
    // Delay in duty hours from the incident's start to its first alert.
    let delay = |i: &Incident, (day, minute): (usize, u16)| -> f64 {
        let mut minutes = 0u32;
        for (d, h) in history[i.spot]
            .iter()
            .enumerate()
            .take(day + 1)
            .skip(i.first_day)
        {
            for hour in 0..24u16 {
                let lo = if d == i.first_day { i.from_minute } else { 0 };
                let hi = if d == day { minute } else { MINUTES };
                let (a, b) = ((hour * 60).max(lo), ((hour + 1) * 60).min(hi));
                if a < b {
                    minutes += u32::from(h.duty_minutes[usize::from(hour)]) * u32::from(b - a) / 60;
                }
            }
        }
        f64::from(minutes) / 60.0
    };
    let mut delays: Vec<f64> = Vec::new();
    let mut swap_delays: Vec<f64> = Vec::new();
    let mut hits: HashMap<IncidentKind, (usize, usize)> = HashMap::new();
    for (k, i) in incidents.iter().enumerate() {
        // What could be seen at all: a swap needs 4 duty hours after it began, a leak or
        // steering 2 duty days; an incident that fell on days off is not counted.
        let last_day = (i.first_day + i.days).min(days);
        let exposure = delay(i, (last_day - 1, MINUTES));
        let duty_days: Vec<usize> = (i.first_day..last_day)
            .filter(|&d| history[i.spot][d].duty_total() >= 60)
            .collect();
        let countable = match i.kind {
            IncidentKind::Swap => exposure >= 4.0,
            _ => duty_days.len() >= 2,
        };
        let entry = hits.entry(i.kind).or_default();
        if countable {
            entry.1 += 1;
        }
        let Some(&at) = first_alert.get(&k) else {
            continue;
        };
        let hours = delay(i, at);
        delays.push(hours);
        if i.kind == IncidentKind::Swap {
            swap_delays.push(hours);
        }
        let in_time = match i.kind {
            IncidentKind::Swap => hours <= 4.0,
            _ => duty_days.get(1).is_some_and(|&second| at.0 <= second),
        };
        if countable && in_time {
            entry.0 += 1;
        }
    }
    delays.sort_by(f64::total_cmp);
    swap_delays.sort_by(f64::total_cmp);
    let recall_of = |k| {
        hits.get(&k)
            .map_or(0.0, |&(hit, n)| hit as f64 / n.max(1) as f64)
    };
    let detected = first_alert.len();
    AlertsBench {
        spot_days,
        incidents: incidents.len(),
        detected,
        recall: detected as f64 / incidents.len().max(1) as f64,
        recall_swap_4h: recall_of(IncidentKind::Swap),
        recall_half_2d: recall_of(IncidentKind::HalfLeak),
        recall_steering_2d: recall_of(IncidentKind::Steering),
        false_alarms_per_100_spot_days: false_alarms as f64 * 100.0 / spot_days.max(1) as f64,
        median_delay_hours: delays.get(delays.len() / 2).copied().unwrap_or(0.0),
        median_swap_delay_hours: swap_delays
            .get(swap_delays.len() / 2)
            .copied()
            .unwrap_or(0.0),
        outage_days: usize::from(outage_day.is_some()),
        gateway_alerts,
        gateway_false_alarms,
        outage_spot_alerts,
        chronic: chronic.iter().filter(|&&c| c).count(),
        chronic_alerted_by_day_3,
        other_streaks_per_100_days: other_streaks as f64 * 100.0 / other_days.max(1) as f64,
        seconds: started.elapsed().as_secs_f64(),
    }
}

//! A city-wide silence (SPEC §12, `gateway_silence`): where every spot on duty went quiet at
//! once — a gateway or acquirer outage — and the subjects with those minutes taken out, so the
//! spot signals never blame an attendant for it.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::{DayInput, Finding, SubjectDay, baseline, clock, dec, round1};
use crate::reconcile::alerts::profile::{DayDetail, MINUTES, Profile};
use crate::reconcile::alerts::{AlertKind, Severity, Thresholds};

/// Where the whole city was silent: stretches of the evaluated day (local minutes) and hours of
/// earlier days (by date).
#[derive(Debug, Default)]
pub(super) struct Outage {
    /// The evaluated day's stretches, in order, not overlapping.
    today: Vec<Stretch>,
    /// Hours of earlier days in which the city's non-cash was (almost) nil while many were
    /// expected.
    earlier: HashMap<NaiveDate, [bool; 24]>,
}

/// A stretch `[from, to)` of the evaluated day and what the city's spots on duty expected and
/// had in it.
#[derive(Clone, Copy, Debug)]
struct Stretch {
    from: u16,
    to: u16,
    expected: f64,
    observed: usize,
    spots: usize,
}

impl Outage {
    pub(super) fn is_empty(&self) -> bool {
        self.today.is_empty() && self.earlier.is_empty()
    }

    /// The subject with the outage taken out: its duty and payments in today's silent stretches
    /// removed, and earlier days' silent hours counted as off duty.
    pub(super) fn mask(&self, s: &SubjectDay) -> SubjectDay {
        let history = s
            .history
            .iter()
            .map(|d| match self.earlier.get(&d.date) {
                None => d.clone(),
                Some(hours) => {
                    let mut d = d.clone();
                    for h in (0..24).filter(|&h| hours[h]) {
                        d.duty_minutes[h] = 0;
                        d.noncash[h] = 0;
                        d.cash[h] = 0;
                    }
                    d
                }
            })
            .collect();
        let inside = |m: &u16| self.today.iter().any(|o| (o.from..o.to).contains(m));
        let mut duty = Vec::new();
        for &(a, b) in &s.day.duty {
            let mut from = a;
            for o in &self.today {
                if o.to <= from || o.from >= b {
                    continue;
                }
                if o.from > from {
                    duty.push((from, o.from));
                }
                from = from.max(o.to);
            }
            if from < b {
                duty.push((from, b));
            }
        }
        SubjectDay {
            id: s.id,
            history,
            day: DayDetail {
                date: s.day.date,
                duty,
                noncash_at: s
                    .day
                    .noncash_at
                    .iter()
                    .copied()
                    .filter(|m| !inside(m))
                    .collect(),
                cash_at: s
                    .day
                    .cash_at
                    .iter()
                    .copied()
                    .filter(|m| !inside(m))
                    .collect(),
            },
        }
    }
}

/// The city's silent stretches (SPEC §12: every on-duty spot's non-cash far below its history in
/// the same hours). Today: every gap between two non-cash payments anywhere in the city (and
/// from midnight to the first, from the last to now), and every whole hour whose non-cash was at
/// most `outage_ratio` of what was expected (an acquirer letting a trickle through), in which the
/// spots on duty expected at least `outage_expected` payments, at least `outage_spots` of them
/// one or more each; overlapping ones are joined. Earlier days: every hour in which the same
/// holds. A swapped sticker silences one spot, never the city's payments between two of its own.
pub(super) fn city_outage(input: &DayInput, th: &Thresholds) -> Outage {
    let profiles: Vec<(&SubjectDay, Profile)> = input
        .spots
        .iter()
        .filter_map(|s| Some((s, baseline(&s.history, th, 0)?)))
        .collect();
    let mut outage = Outage::default();
    if profiles.len() < th.outage_spots {
        return outage;
    }
    let mut paid: Vec<u16> = input
        .spots
        .iter()
        .flat_map(|s| s.day.noncash_at.iter().copied())
        .filter(|&m| m < input.now)
        .collect();
    paid.sort_unstable();
    let stretch = |from: u16, to: u16| {
        let each: Vec<f64> = profiles
            .iter()
            .map(|(s, p)| p.expected_between(&s.day, from, to))
            .collect();
        Stretch {
            from,
            to,
            expected: each.iter().sum(),
            observed: paid.iter().filter(|&&m| (from..to).contains(&m)).count(),
            spots: each.iter().filter(|&&e| e >= 1.0).count(),
        }
    };
    let silent = |o: &Stretch| {
        o.expected >= th.outage_expected
            && o.spots >= th.outage_spots
            && o.observed as f64 <= th.outage_ratio * o.expected
    };
    let mut found: Vec<(u16, u16)> = Vec::new();
    let mut starts = vec![0u16];
    starts.extend(paid.iter().map(|&m| m + 1));
    let mut ends = paid.clone();
    ends.push(input.now);
    for (from, to) in starts.into_iter().zip(ends) {
        if from < to && silent(&stretch(from, to)) {
            found.push((from, to));
        }
    }
    for h in 0..24u16 {
        let (from, to) = (h * 60, (h + 1) * 60);
        if to <= input.now && silent(&stretch(from, to)) {
            found.push((from, to));
        }
    }
    found.sort_unstable();
    let duty_end = input
        .spots
        .iter()
        .flat_map(|s| s.day.duty.iter().map(|&(_, b)| b))
        .max()
        .unwrap_or(MINUTES);
    let mut joined: Vec<(u16, u16)> = Vec::new();
    for (from, to) in found {
        match joined.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => joined.push((from, to)),
        }
    }
    // A stretch still open ends, for the reader, where the city's duty ends.
    outage.today = joined
        .into_iter()
        .map(|(from, to)| stretch(from, to.min(duty_end).max(from + 1)))
        .collect();
    // Earlier days, per hour, each spot's day against its (current) profile.
    let mut per_date: HashMap<NaiveDate, [CityHour; 24]> = HashMap::new();
    for (s, p) in &profiles {
        for d in &s.history {
            let city = per_date.entry(d.date).or_default();
            for (h, hour) in city.iter_mut().enumerate() {
                let e = p.noncash_rate[h] * f64::from(d.duty_minutes[h]);
                hour.paid += d.noncash[h];
                hour.expected += e;
                hour.spots += usize::from(e >= 1.0);
            }
        }
    }
    for (date, city) in per_date {
        let mut hours = [false; 24];
        for (silent, hour) in hours.iter_mut().zip(city) {
            *silent = f64::from(hour.paid) <= th.outage_ratio * hour.expected
                && hour.expected >= th.outage_expected
                && hour.spots >= th.outage_spots;
        }
        if hours.iter().any(|&h| h) {
            outage.earlier.insert(date, hours);
        }
    }
    outage
}

/// One hour of the city on an earlier day: non-cash paid, expected, spots expecting one or more.
#[derive(Clone, Copy, Default)]
struct CityHour {
    paid: u32,
    expected: f64,
    spots: usize,
}

/// The one finding of a city-wide silence on the evaluated day.
pub(super) fn gateway_silence(outage: &Outage, th: &Thresholds) -> Option<Finding> {
    let first = outage.today.first()?;
    let last = outage.today.last()?;
    let expected: f64 = outage.today.iter().map(|o| o.expected).sum();
    let observed: usize = outage.today.iter().map(|o| o.observed).sum();
    let spots = outage.today.iter().map(|o| o.spots).max().unwrap_or(0);
    let stretches: Vec<Value> = outage
        .today
        .iter()
        .map(|o| {
            json!({"from": clock(o.from), "until": clock(o.to), "expected": round1(o.expected),
                   "observed": o.observed, "spots_on_duty": o.spots})
        })
        .collect();
    let minutes: u32 = outage.today.iter().map(|o| u32::from(o.to - o.from)).sum();
    let ranges: Vec<String> = outage
        .today
        .iter()
        .map(|o| format!("{} – {}", clock(o.from), clock(o.to)))
        .collect();
    let what = if observed == 0 {
        "Tidak ada pembayaran non-tunai".to_owned()
    } else {
        format!("Hanya {observed} pembayaran non-tunai")
    };
    Some(Finding {
        kind: AlertKind::GatewaySilence,
        severity: Severity::High,
        spot_id: None,
        attendant_id: None,
        detected_minute: first.to,
        evidence: json!({
            "stretches": stretches,
            "silent_from": clock(first.from),
            "silent_until": clock(last.to),
            "hours": round1(f64::from(minutes) / 60.0),
            "expected": round1(expected),
            "observed": observed,
            "spots_on_duty": spots,
            "threshold_expected": th.outage_expected,
            "summary": format!(
                "{what} di seluruh kota {} ({spots} titik bertugas); biasanya sekitar {} pada jam-jam itu. Kemungkinan gangguan gateway atau bank, bukan kebocoran di titik: periksa status gateway dan laporan settlement.",
                ranges.join(", "),
                dec(expected)
            ),
        }),
    })
}

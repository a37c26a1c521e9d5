//! The day's findings for every subject: which signals fire and the numbers that explain them.
//!
//! Each test compares what came with what the subject's own history predicts for the minutes it
//! was on duty, scaled by the city's factor of the day (rain, holidays and weekdays move every
//! spot at once; a swapped sticker moves one), and forgiving `slack` of it:
//! - a count is "too low" when P(X ≤ observed) < `alpha` for X ~ Poisson((1 − slack) × expected);
//! - a silence is alerted when (1 − slack) × expected in the silent duty minutes reaches
//!   `silence_expected`, so that P(no payment by luck) = e^−silence_expected;
//! - a cash share is "too high" when P(X ≥ cash) < `alpha` for X ~ Binomial(payments, usual +
//!   slack).

use std::collections::HashMap;

use outage::{city_outage, gateway_silence};

use chrono::NaiveDate;
use serde_json::{Value, json};
use statrs::distribution::{Binomial, DiscreteCDF, Poisson};

use super::profile::{DayDetail, HourCounts, MINUTES, Profile};
use super::{AlertKind, Severity, Thresholds};
use crate::domain::Rupiah;

/// A spot or an attendant: its previous days (newest first, days off included or not) and the
/// evaluated day.
#[derive(Clone, Debug)]
pub struct SubjectDay {
    pub id: i64,
    pub history: Vec<HourCounts>,
    pub day: DayDetail,
}

/// One duty day of an attendant in the daily reconciliation.
#[derive(Clone, Debug, PartialEq)]
pub struct ShortfallDay {
    pub date: NaiveDate,
    pub gross: i64,
    pub target: Option<i64>,
    pub shortfall: i64,
}

/// Everything one evaluation of one business date looks at.
#[derive(Clone, Debug)]
pub struct DayInput {
    pub date: NaiveDate,
    /// The local minute evaluated up to; [`MINUTES`] once the day is over.
    pub now: u16,
    pub spots: Vec<SubjectDay>,
    pub attendants: Vec<SubjectDay>,
    /// Per attendant, its duty days in the reconciliation, oldest first, ending with the date.
    pub shortfalls: Vec<(i64, Vec<ShortfallDay>)>,
}

/// A signal that fired. `detected_minute` is when the evidence became sufficient (the local
/// minute), for silences; day signals are detected when the day is over.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub kind: AlertKind,
    pub severity: Severity,
    pub spot_id: Option<i64>,
    pub attendant_id: Option<i64>,
    pub detected_minute: u16,
    pub evidence: Value,
}

/// The findings of one business date; day signals only once the day is over.
///
/// A city-wide silence (a gateway or acquirer outage: no non-cash payment anywhere while the
/// spots on duty expected many) is one `gateway_silence` finding, and its minutes are taken out
/// of every subject's duty — today's and those of earlier days' outage hours — before the
/// subject signals look, so no spot or attendant is singled out for it (SPEC §12).
pub fn evaluate(input: &DayInput, th: &Thresholds) -> Vec<Finding> {
    let outage = city_outage(input, th);
    if outage.is_empty() {
        return subject_signals(input, th);
    }
    let masked = DayInput {
        date: input.date,
        now: input.now,
        spots: input.spots.iter().map(|s| outage.mask(s)).collect(),
        attendants: input.attendants.iter().map(|a| outage.mask(a)).collect(),
        shortfalls: input.shortfalls.clone(),
    };
    let mut out = subject_signals(&masked, th);
    if let Some(f) = gateway_silence(&outage, th) {
        out.push(f);
    }
    out
}

/// The subject signals of one business date; day signals only once the day is over.
fn subject_signals(input: &DayInput, th: &Thresholds) -> Vec<Finding> {
    let day_over = input.now >= MINUTES;
    let spots: Vec<(&SubjectDay, Option<Profile>)> = input
        .spots
        .iter()
        .map(|s| (s, baseline(&s.history, th, 0)))
        .collect();
    let median_now = city_median(
        spots
            .iter()
            .filter_map(|(s, p)| Some((s.day.counts(input.now), p.as_ref()?))),
    );
    let factor_now = bounded(median_now);
    let mut out = Vec::new();
    // A whole city silent is a gateway outage (or nobody working), not a swapped sticker: no
    // spot is singled out for it.
    let city_silent = median_now.is_some_and(|m| m < 0.3);
    for (s, profile) in &spots {
        let Some(profile) = profile else { continue };
        if city_silent {
            break;
        }
        if let Some(f) = qr_silence(s, profile, input.now, factor_now, th) {
            out.push(f);
        }
    }
    if !day_over {
        return out;
    }
    // The previous duty day of each spot, against the baseline before it, for the two-day test.
    let previous: Vec<Option<(HourCounts, Profile)>> = input
        .spots
        .iter()
        .map(|s| {
            let prev = s.history.iter().find(|d| d.duty_total() > 0)?;
            Some((prev.clone(), baseline(&s.history, th, 1)?))
        })
        .collect();
    let mut by_date: HashMap<NaiveDate, Vec<(HourCounts, &Profile)>> = HashMap::new();
    for (c, p) in previous.iter().flatten() {
        by_date.entry(c.date).or_default().push((c.clone(), p));
    }
    let factors: HashMap<NaiveDate, f64> = by_date
        .into_iter()
        .map(|(d, v)| {
            (
                d,
                bounded(city_median(v.iter().map(|(c, p)| (c.clone(), *p)))),
            )
        })
        .collect();
    for ((s, profile), prev) in spots.iter().zip(&previous) {
        let Some(profile) = profile else { continue };
        let prev = prev.as_ref().map(|(c, p)| {
            let f = factors.get(&c.date).copied().unwrap_or(1.0);
            (c, p, f)
        });
        if let Some(f) = noncash_drop(s, profile, prev, factor_now, th) {
            out.push(f);
        }
    }
    for a in &input.attendants {
        let Some(profile) = baseline(&a.history, th, 0) else {
            continue;
        };
        if let Some(f) = cash_shift(a, &profile, factor_now, th) {
            out.push(f);
        }
    }
    for (attendant, days) in &input.shortfalls {
        if let Some(f) = shortfall_streak(*attendant, days, input.date) {
            out.push(f);
        }
    }
    out
}

/// The profile of the newest `baseline_days` duty days after skipping `skip` of them.
fn baseline(history: &[HourCounts], th: &Thresholds, skip: usize) -> Option<Profile> {
    let duty: Vec<HourCounts> = history
        .iter()
        .filter(|d| d.duty_total() >= super::profile::MIN_DUTY_MINUTES)
        .skip(skip)
        .take(th.baseline_days)
        .cloned()
        .collect();
    Profile::learn(&duty, th.min_history_days)
}

/// The city's factor of a day, [`city_median`] bounded to [0.3, 1.5]; 1 when it cannot say.
pub fn bounded(median: Option<f64>) -> f64 {
    median.map_or(1.0, |m| m.clamp(0.3, 1.5))
}

/// The median, over subjects with enough expected, of observed over expected non-cash: one
/// swapped sticker does not move a median; rain moves every spot. `None` when fewer than five
/// subjects can say.
pub fn city_median<'a>(days: impl Iterator<Item = (HourCounts, &'a Profile)>) -> Option<f64> {
    let mut ratios: Vec<f64> = days
        .filter_map(|(c, p)| {
            let e = p.expected_noncash(&c);
            (e >= 3.0).then(|| f64::from(c.noncash_total()) / e)
        })
        .collect();
    if ratios.len() < 5 {
        return None;
    }
    ratios.sort_by(f64::total_cmp);
    let mid = ratios.len() / 2;
    let median = if ratios.len() % 2 == 1 {
        ratios[mid]
    } else {
        (ratios[mid - 1] + ratios[mid]) / 2.0
    };
    Some(median)
}

/// P(X ≤ k) for X ~ Poisson(mean).
fn poisson_at_most(k: u32, mean: f64) -> f64 {
    Poisson::new(mean.max(1e-9)).map_or(1.0, |p| p.cdf(u64::from(k)))
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A decimal as Indonesian text writes it: `63,5`.
fn dec(x: f64) -> String {
    format!("{}", round1(x)).replace('.', ",")
}

fn clock(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

fn baseline_evidence(p: &Profile) -> Value {
    json!({
        "baseline_days": p.days.len(),
        "baseline_from": p.days.last(),
        "baseline_to": p.days.first(),
    })
}

fn merge(mut a: Value, b: Value) -> Value {
    if let (Some(a), Value::Object(b)) = (a.as_object_mut(), b) {
        a.extend(b);
    }
    a
}

/// Expected non-cash in the silent end of the previous duty day `prev`: the duty minutes after
/// the last hour that had a non-cash payment (hour-level, so it never overstates the silence).
fn carried_silence(prev: Option<&HourCounts>, profile: &Profile) -> f64 {
    let Some(prev) = prev else { return 0.0 };
    let last = prev
        .noncash
        .iter()
        .rposition(|&n| n > 0)
        .map_or(0, |h| h + 1);
    (last..24)
        .map(|h| profile.noncash_rate[h] * f64::from(prev.duty_minutes[h]))
        .sum()
}

/// A silence is alerted when the expected count in it reaches `threshold`: the larger of
/// `silence_expected` and ln(E_day / silence_rate), since a day with E_day expected payments
/// has about E_day silent stretches, each by luck as long as `threshold` with chance
/// e^−threshold (docs/alerts.md).
pub fn silence_threshold(profile: &Profile, th: &Thresholds) -> f64 {
    let per_day = profile.noncash_per_day.max(1.0);
    th.silence_expected.max((per_day / th.silence_rate).ln())
}

fn qr_silence(
    s: &SubjectDay,
    profile: &Profile,
    now: u16,
    factor: f64,
    th: &Thresholds,
) -> Option<Finding> {
    let scale = factor * (1.0 - th.slack);
    let threshold = silence_threshold(profile, th);
    let first_duty = s.day.duty.first()?.0;
    if first_duty >= now {
        return None;
    }
    let previous = s.history.iter().find(|d| d.duty_total() > 0);
    // A tail long enough to be alerted on its own day was alerted then.
    // A tail worth less than one payment is no silence to continue.
    let carried = Some(carried_silence(previous, profile))
        .filter(|&c| c >= 1.0 && c * scale < threshold)
        .unwrap_or(0.0);
    // Each silent stretch starts at the day's first duty minute (continuing the previous duty
    // day's silence, if it ended silent) or just after a payment.
    let mut starts = vec![(first_duty, carried)];
    starts.extend(
        s.day
            .noncash_at
            .iter()
            .filter(|&&m| m < now)
            .map(|&m| (m + 1, 0.0)),
    );
    let mut best: Option<(u16, u16, f64, f64)> = None;
    for &(from, before) in &starts {
        let until = s
            .day
            .noncash_at
            .iter()
            .copied()
            .find(|&m| m >= from)
            .unwrap_or(now)
            .min(now);
        let e = (profile.expected_between(&s.day, from, until) + before) * scale;
        if e >= threshold && best.is_none_or(|(.., b)| e > b) {
            best = Some((from, until, before, e));
        }
    }
    let (from, until, before, e) = best?;
    // A stretch still open ends, for the reader, where the duty seen so far ends.
    let last_duty = s.day.duty.iter().map(|&(_, b)| b).max().unwrap_or(until);
    let until = until.min(last_duty);
    let detected =
        profile.minute_expecting(&s.day, from, until, (threshold / scale - before).max(0.0))?;
    let duty_minutes: u32 = s
        .day
        .duty
        .iter()
        .map(|&(a, b)| u32::from(b.min(until).saturating_sub(a.max(from))))
        .sum();
    let hours = round1(f64::from(duty_minutes) / 60.0);
    let expected = round1(e / (1.0 - th.slack));
    let continued = if before > 0.0 {
        "; sudah sepi sejak akhir hari tugas sebelumnya"
    } else {
        ""
    };
    Some(Finding {
        kind: AlertKind::QrSilence,
        severity: Severity::High,
        spot_id: Some(s.id),
        attendant_id: None,
        detected_minute: detected,
        evidence: merge(
            json!({
                "silent_from": clock(from),
                "silent_until": clock(until),
                "alert_from": clock(detected),
                "continues_previous_duty_day": before > 0.0,
                "duty_hours": hours,
                "expected": expected,
                "observed": 0,
                "city_factor": round1(factor * 100.0) / 100.0,
                "chance_by_luck": (-e).exp(),
                "summary": format!(
                    "Tidak ada pembayaran non-tunai {} – {} ({} jam tugas{continued}); biasanya sekitar {} pada jam-jam itu.",
                    clock(from),
                    clock(until),
                    dec(hours),
                    dec(expected)
                ),
            }),
            baseline_evidence(profile),
        ),
    })
}

/// Observed and expected non-cash of a whole day against `profile`, scaled by the day's factor.
fn day_test(c: &HourCounts, p: &Profile, factor: f64) -> (u32, f64) {
    (c.noncash_total(), p.expected_noncash(c) * factor)
}

fn too_low(observed: u32, expected: f64, th: &Thresholds) -> Option<f64> {
    if expected < th.min_expected || f64::from(observed) > th.max_ratio * expected {
        return None;
    }
    let p = poisson_at_most(observed, expected * (1.0 - th.slack));
    (p < th.alpha).then_some(p)
}

fn noncash_drop(
    s: &SubjectDay,
    profile: &Profile,
    previous: Option<(&HourCounts, &Profile, f64)>,
    factor: f64,
    th: &Thresholds,
) -> Option<Finding> {
    let today = s.day.counts(MINUTES);
    let (o1, e1) = day_test(&today, profile, factor);
    let mut found = too_low(o1, e1, th).map(|p| (1, o1, e1, today.duty_total(), p));
    if found.is_none()
        && o1 > 0
        && let Some((prev, prev_profile, prev_factor)) = previous
    {
        // Two days of a partial leak say what one cannot; each day against the baseline
        // before it, each with its own city factor.
        let (o0, e0) = day_test(prev, prev_profile, prev_factor);
        if f64::from(o1) <= th.max_ratio * e1 {
            found = too_low(o0 + o1, e0 + e1, th).map(|p| {
                (
                    2,
                    o0 + o1,
                    e0 + e1,
                    prev.duty_total() + today.duty_total(),
                    p,
                )
            });
        }
    }
    let (window, observed, expected, duty_minutes, p) = found?;
    let ratio = f64::from(observed) / expected;
    let hours = round1(f64::from(duty_minutes) / 60.0);
    let expected = round1(expected);
    Some(Finding {
        kind: AlertKind::NoncashDrop,
        severity: if ratio <= 0.25 {
            Severity::High
        } else {
            Severity::Medium
        },
        spot_id: Some(s.id),
        attendant_id: None,
        detected_minute: MINUTES,
        evidence: merge(
            json!({
                "window_days": window,
                "duty_hours": hours,
                "expected": expected,
                "observed": observed,
                "ratio": round1(ratio * 100.0) / 100.0,
                "city_factor": round1(factor * 100.0) / 100.0,
                "chance_by_luck": p,
                "summary": format!(
                    "{observed} pembayaran non-tunai dalam {} jam tugas ({window} hari); riwayat titik ini memperkirakan sekitar {}.",
                    dec(hours),
                    dec(expected)
                ),
            }),
            baseline_evidence(profile),
        ),
    })
}

fn cash_shift(a: &SubjectDay, profile: &Profile, factor: f64, th: &Thresholds) -> Option<Finding> {
    let today = a.day.counts(MINUTES);
    let (cash, noncash) = (today.cash_total(), today.noncash_total());
    let all = cash + noncash;
    let expected_noncash = profile.expected_noncash(&today) * factor;
    if all < 10 || expected_noncash < th.min_expected {
        return None;
    }
    let share = f64::from(cash) / f64::from(all);
    // Cash that merely stayed while non-cash vanished is a swap's trace (noncash_drop), not
    // motorists steered to cash: the cash itself must have grown.
    let usual = profile.cash_share.min(0.95);
    let expected_cash = expected_noncash * usual / (1.0 - usual);
    if share < profile.cash_share + 0.25
        || f64::from(noncash) > th.max_ratio * expected_noncash
        || f64::from(cash) < 1.3 * expected_cash
    {
        return None;
    }
    let alt = (profile.cash_share + th.slack).min(0.95);
    let p = Binomial::new(alt, u64::from(all))
        .map_or(1.0, |b| 1.0 - b.cdf(u64::from(cash.saturating_sub(1))));
    if p >= th.alpha {
        return None;
    }
    let pct = |x: f64| (x * 100.0).round();
    Some(Finding {
        kind: AlertKind::CashShift,
        severity: Severity::Medium,
        spot_id: None,
        attendant_id: Some(a.id),
        detected_minute: MINUTES,
        evidence: merge(
            json!({
                "cash": cash,
                "noncash": noncash,
                "cash_share_pct": pct(share),
                "usual_cash_share_pct": pct(profile.cash_share),
                "expected_noncash": round1(expected_noncash),
                "expected_cash": round1(expected_cash),
                "duty_hours": round1(f64::from(today.duty_total()) / 60.0),
                "chance_by_luck": p,
                "summary": format!(
                    "Tunai {}% dari {all} pembayaran (biasanya {}%); non-tunai {noncash}, diperkirakan sekitar {}.",
                    pct(share), pct(profile.cash_share), dec(expected_noncash)
                ),
            }),
            baseline_evidence(profile),
        ),
    })
}

/// A shortfall on the date ending 3 or more consecutive duty days with one. No history is
/// needed before the streak: an attendant who has never once reached the target is the first
/// one to warn (SPEC §12). Raised once per streak (the store skips a streak already alerted).
fn shortfall_streak(attendant: i64, days: &[ShortfallDay], date: NaiveDate) -> Option<Finding> {
    if days.last()?.date != date {
        return None;
    }
    let streak = days
        .iter()
        .rev()
        .take_while(|d| d.target.is_some() && d.shortfall > 0)
        .count();
    if streak < 3 {
        return None;
    }
    let run = &days[days.len() - streak..];
    let total: i64 = run.iter().map(|d| d.shortfall).sum();
    // Every row read is short: the streak may have begun before them (and been alerted then).
    let began_earlier = streak == days.len();
    Some(Finding {
        kind: AlertKind::ShortfallStreak,
        severity: Severity::Medium,
        spot_id: None,
        attendant_id: Some(attendant),
        detected_minute: MINUTES,
        evidence: json!({
            "from": run[0].date,
            "to": date,
            "duty_days": streak,
            "began_before_history": began_earlier,
            "total_shortfall": total,
            "days": run.iter().map(|d| json!({
                "date": d.date, "gross": d.gross, "target": d.target, "shortfall": d.shortfall,
            })).collect::<Vec<_>>(),
            "summary": format!("Kurang dari target {streak} hari tugas berturut-turut, total {}.", Rupiah(total).display_id()),
        }),
    })
}

mod outage;

#[cfg(test)]
mod tests;

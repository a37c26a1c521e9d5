use super::*;

const D: fn(u32) -> NaiveDate = |d| NaiveDate::from_ymd_opt(2026, 10, d).unwrap();

/// A day on duty 07:00–17:00 (or `hours`), `per_hour` non-cash and `cash_per_hour` cash
/// payments spread evenly through each duty hour, non-cash stopping at `stop` (a swap).
fn detail(
    date: NaiveDate,
    hours: (u16, u16),
    per_hour: u16,
    cash_per_hour: u16,
    stop: u16,
) -> DayDetail {
    let (from, to) = (hours.0 * 60, hours.1 * 60);
    let spread = |n: u16| -> Vec<u16> {
        (hours.0..hours.1)
            .flat_map(|h| (0..n).map(move |k| h * 60 + k * 60 / n.max(1) + 60 / (2 * n.max(1))))
            .collect()
    };
    DayDetail {
        date,
        duty: if from < to { vec![(from, to)] } else { vec![] },
        noncash_at: spread(per_hour).into_iter().filter(|&m| m < stop).collect(),
        cash_at: spread(cash_per_hour),
    }
}

fn history(per_hour: u16, days: u32) -> Vec<HourCounts> {
    (1..=days)
        .rev()
        .map(|d| detail(D(d), (7, 17), per_hour, 2, MINUTES).counts(MINUTES))
        .collect()
}

/// Eight spots and their attendants with four weeks of history, each at 3–6 non-cash an hour.
fn city(today: impl Fn(usize, NaiveDate) -> DayDetail, days: u32, now: u16) -> DayInput {
    let date = D(days + 1);
    let subjects: Vec<SubjectDay> = (0..8)
        .map(|i| SubjectDay {
            id: i as i64 + 1,
            history: history(3 + (i % 4) as u16, days),
            day: today(i, date),
        })
        .collect();
    DayInput {
        date,
        now,
        spots: subjects.clone(),
        attendants: subjects,
        shortfalls: vec![],
    }
}

fn normal(i: usize, date: NaiveDate) -> DayDetail {
    detail(date, (7, 17), 3 + (i % 4) as u16, 2, MINUTES)
}

fn kinds(f: &[Finding]) -> Vec<(AlertKind, Option<i64>, Option<i64>)> {
    f.iter()
        .map(|f| (f.kind, f.spot_id, f.attendant_id))
        .collect()
}

#[test]
fn a_normal_day_is_silent() {
    let f = evaluate(&city(normal, 28, MINUTES), &Thresholds::default());
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn a_swap_at_nine_is_a_silence_before_noon_and_a_drop_after_the_day() {
    let swapped = |i: usize, date| {
        if i == 2 {
            detail(date, (7, 17), 5, 2, 9 * 60)
        } else {
            normal(i, date)
        }
    };
    let th = Thresholds::default();
    let noon = evaluate(&city(swapped, 28, 12 * 60), &th);
    assert_eq!(kinds(&noon), vec![(AlertKind::QrSilence, Some(3), None)]);
    assert!(noon[0].detected_minute < 12 * 60, "{:?}", noon[0]);
    assert_eq!(noon[0].evidence["silent_from"], "08:55");
    assert_eq!(noon[0].evidence["observed"], 0);
    assert!(noon[0].evidence["alert_from"].as_str().unwrap() < "12:00");
    // Evaluated at noon, the silence is shown up to noon, not to the end of the day.
    let mut at_noon = city(swapped, 28, 12 * 60);
    for s in &mut at_noon.spots {
        s.day.duty = vec![(7 * 60, 12 * 60)];
    }
    at_noon.now = MINUTES;
    let over = evaluate(&at_noon, &th);
    let silence = over
        .iter()
        .find(|f| f.kind == AlertKind::QrSilence)
        .unwrap();
    assert_eq!(silence.evidence["silent_until"], "12:00");

    let after = evaluate(&city(swapped, 28, MINUTES), &th);
    let k = kinds(&after);
    assert!(k.contains(&(AlertKind::QrSilence, Some(3), None)), "{k:?}");
    assert!(
        k.contains(&(AlertKind::NoncashDrop, Some(3), None)),
        "{k:?}"
    );
    assert!(
        k.iter().all(|(_, s, a)| *s == Some(3) || *a == Some(3)),
        "{k:?}"
    );
    let drop = after
        .iter()
        .find(|f| f.kind == AlertKind::NoncashDrop)
        .unwrap();
    assert_eq!(drop.evidence["observed"], 10);
    assert_eq!(drop.evidence["expected"], 50.0);
    assert_eq!(drop.severity, Severity::High);
}

#[test]
fn a_whole_city_silent_singles_out_no_spot() {
    // No payment anywhere since 07:00: a gateway outage, not eight swapped stickers.
    let silent = |_: usize, date| detail(date, (7, 17), 0, 2, MINUTES);
    let f = evaluate(&city(silent, 28, 14 * 60), &Thresholds::default());
    assert_eq!(kinds(&f), vec![(AlertKind::GatewaySilence, None, None)]);
    assert_eq!(f[0].evidence["silent_until"], "14:00");
}

#[test]
fn a_day_off_and_a_short_shift_are_not_drops() {
    let day = |i: usize, date| match i {
        0 => detail(date, (0, 0), 0, 0, MINUTES),
        1 => detail(date, (7, 10), 4, 2, MINUTES),
        _ => normal(i, date),
    };
    let f = evaluate(&city(day, 28, MINUTES), &Thresholds::default());
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn a_rainy_day_dip_within_the_model_is_silent() {
    // Rain: every spot at 60% of its usual non-cash.
    let rain = |i: usize, date| {
        let mut d = normal(i, date);
        d.noncash_at = d
            .noncash_at
            .iter()
            .enumerate()
            .filter(|(k, _)| k % 5 < 3)
            .map(|(_, &m)| m)
            .collect();
        d
    };
    let f = evaluate(&city(rain, 28, MINUTES), &Thresholds::default());
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn too_little_history_alerts_nothing() {
    let swapped = |i: usize, date| {
        if i == 2 {
            detail(date, (7, 17), 5, 2, 0)
        } else {
            normal(i, date)
        }
    };
    assert!(evaluate(&city(swapped, 6, MINUTES), &Thresholds::default()).is_empty());
    assert!(!evaluate(&city(swapped, 7, MINUTES), &Thresholds::default()).is_empty());
}

#[test]
fn steering_to_cash_is_a_cash_shift_of_the_attendant() {
    let steered = |i: usize, date| {
        if i == 4 {
            detail(date, (7, 17), 1, 6, MINUTES)
        } else {
            normal(i, date)
        }
    };
    let f = evaluate(&city(steered, 28, MINUTES), &Thresholds::default());
    let k = kinds(&f);
    assert!(k.contains(&(AlertKind::CashShift, None, Some(5))), "{k:?}");
    let shift = f.iter().find(|f| f.kind == AlertKind::CashShift).unwrap();
    assert_eq!(shift.evidence["cash"], 60);
    assert_eq!(shift.evidence["noncash"], 10);
}

#[test]
fn a_half_leak_is_caught_within_two_days() {
    // Spot 1 (3 an hour) loses half its non-cash from the day before the evaluated one: one
    // day of it is within luck, two are not.
    let mut input = city(normal, 28, MINUTES);
    let half = |d: DayDetail| DayDetail {
        noncash_at: d.noncash_at.iter().copied().step_by(2).collect(),
        ..d
    };
    let s = &mut input.spots[0];
    s.history[0] = half(detail(s.history[0].date, (7, 17), 3, 2, MINUTES)).counts(MINUTES);
    s.day = half(s.day.clone());
    let f = evaluate(&input, &Thresholds::default());
    let drop = f
        .iter()
        .find(|f| f.kind == AlertKind::NoncashDrop)
        .expect("drop");
    assert_eq!(drop.spot_id, Some(1));
    assert_eq!(drop.evidence["window_days"], 2);
}

fn shortfall_days(pattern: &[bool]) -> Vec<ShortfallDay> {
    pattern
        .iter()
        .enumerate()
        .map(|(i, &short)| ShortfallDay {
            date: D(i as u32 + 1),
            gross: if short { 40_000 } else { 70_000 },
            target: Some(60_000),
            shortfall: if short { 20_000 } else { 0 },
        })
        .collect()
}

#[test]
fn three_short_duty_days_in_a_row_are_a_streak() {
    let th = Thresholds::default();
    let mut pattern = vec![false; 8];
    pattern.extend([true, true, true]);
    let days = shortfall_days(&pattern);
    let date = days.last().unwrap().date;
    let input = |days: Vec<ShortfallDay>, date| DayInput {
        date,
        now: MINUTES,
        spots: vec![],
        attendants: vec![],
        shortfalls: vec![(9, days)],
    };
    let f = evaluate(&input(days.clone(), date), &th);
    assert_eq!(kinds(&f), vec![(AlertKind::ShortfallStreak, None, Some(9))]);
    assert_eq!(f[0].evidence["total_shortfall"], 60_000);
    assert_eq!(f[0].evidence["from"], "2026-10-09");
    assert!(
        f[0].evidence["summary"]
            .as_str()
            .unwrap()
            .ends_with("total Rp60.000.")
    );
    // Two are not a streak.
    let two = days[..10].to_vec();
    assert!(evaluate(&input(two, D(10)), &th).is_empty());
    // An attendant who has never once reached the target: warned on the third duty day, no
    // history needed before the streak.
    let never = shortfall_days(&[true, true, true]);
    let f = evaluate(&input(never.clone(), D(3)), &th);
    assert_eq!(kinds(&f), vec![(AlertKind::ShortfallStreak, None, Some(9))]);
    assert_eq!(f[0].evidence["from"], "2026-10-01");
    assert!(evaluate(&input(never[..2].to_vec(), D(2)), &th).is_empty());
}

/// A gateway outage from 12:00: every spot silent at once. One `gateway_silence` for the city,
/// no spot alert — during the day, once the day is over, and the next morning (the silence
/// that ended the previous day is not carried into the next).
#[test]
fn a_city_wide_silence_is_one_gateway_alert_and_no_spot_is_blamed() {
    let th = Thresholds::default();
    let outage = |i: usize, date| detail(date, (7, 17), 3 + (i % 4) as u16, 2, 12 * 60);
    for now in [15 * 60, MINUTES] {
        let f = evaluate(&city(outage, 28, now), &th);
        assert_eq!(
            kinds(&f),
            vec![(AlertKind::GatewaySilence, None, None)],
            "at {now}: {f:?}"
        );
        let e = &f[0].evidence;
        // From the city's last payment before noon.
        let from = e["silent_from"].as_str().unwrap();
        assert!(("11:30".."12:01").contains(&from), "{e}");
        let until = if now == MINUTES { "17:00" } else { "15:00" };
        assert_eq!(e["silent_until"], until);
        assert_eq!(e["observed"], 0);
        assert_eq!(e["spots_on_duty"], 8);
        assert!(e["expected"].as_f64().unwrap() > 50.0, "{e}");
        assert_eq!(f[0].severity, Severity::High);
    }
    // The next morning. Yesterday's outage ran its last hour (16:00–17:00); this morning the two
    // quietest spots had their first QRIS payment only at 10:00. Three quiet morning hours
    // alone are no alert; with yesterday's silent hour carried over they would be.
    let date = D(30);
    let late_outage = |i: usize, date| detail(date, (7, 17), 3 + (i % 4) as u16, 2, 16 * 60);
    let subjects: Vec<SubjectDay> = (0..8)
        .map(|i| {
            let mut history = history(3 + (i % 4) as u16, 28);
            history.insert(0, late_outage(i, D(29)).counts(MINUTES));
            let mut day = detail(date, (7, 17), 3 + (i % 4) as u16, 2, MINUTES);
            if i % 4 == 0 {
                day.noncash_at.retain(|&m| m >= 10 * 60);
            }
            SubjectDay {
                id: i as i64 + 1,
                history,
                day,
            }
        })
        .collect();
    for now in [10 * 60, MINUTES] {
        let input = DayInput {
            date,
            now,
            spots: subjects.clone(),
            attendants: subjects.clone(),
            shortfalls: vec![],
        };
        let f = evaluate(&input, &th);
        assert!(f.is_empty(), "at {now}: {f:?}");
    }
    // An acquirer that lets a trickle through (one payment in twenty from noon) is the same.
    let trickle = |i: usize, date| {
        let mut d = normal(i, date);
        let mut k = 0;
        d.noncash_at.retain(|&m| {
            k += 1;
            m < 12 * 60 || (k + i).is_multiple_of(20)
        });
        d
    };
    let f = evaluate(&city(trickle, 28, MINUTES), &th);
    assert_eq!(
        kinds(&f),
        vec![(AlertKind::GatewaySilence, None, None)],
        "{f:?}"
    );
    assert!(f[0].evidence["observed"].as_u64().unwrap() > 0);
    // Asked late in the evening about a day with nothing paid at all: one gateway alert.
    let nothing = |_: usize, date| detail(date, (7, 17), 0, 0, MINUTES);
    let f = evaluate(&city(nothing, 28, 21 * 60), &th);
    assert_eq!(kinds(&f), vec![(AlertKind::GatewaySilence, None, None)]);
    // One spot's swap in a paying city is that spot's, never the gateway's.
    let swap = |i: usize, date| {
        if i == 0 {
            detail(date, (7, 17), 3, 2, 10 * 60)
        } else {
            normal(i, date)
        }
    };
    let f = evaluate(&city(swap, 28, MINUTES), &th);
    assert!(
        f.iter().all(|f| f.kind != AlertKind::GatewaySilence),
        "{f:?}"
    );
    assert!(f.iter().any(|f| f.spot_id == Some(1)));
}

//! Leakage alerts (SPEC §12): evaluating a business date, the supervisor's triage, and warning
//! letters. The rules are `reconcile::alerts`; this reads their inputs, stores what fired
//! (one alert per kind, subject and date) and hands the new ones back for the webhook.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::{Connection, PgConnection};
use serde_json::json;

use super::Triage;
use crate::db::{self, alert_inputs, alerts as repo};
use crate::domain::business_date;
use crate::domain::time::day_bounds;
use crate::error::ApiError;
use crate::reconcile::alerts::input::{Window, day_input};
use crate::reconcile::alerts::{AlertKind, AlertStatus, Finding, Severity, Thresholds, evaluate};
use crate::state::AppState;

pub use repo::{Alert, AlertFilter, WarningLetter};

/// How an evaluation runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The background job: skip when another server holds the lock; today's intra-day signals.
    Tick,
    /// `POST /alerts/evaluate`, the CLI: wait for the lock; every kind, as if the day had just
    /// ended (today over what happened so far).
    AsIfOver,
}

/// Evaluates `date` as of `now`, inside one transaction that holds the evaluation lock.
/// `None` says another evaluation holds it (only in [`Mode::Tick`]). The alerts opened now.
pub fn evaluate_date(
    conn: &mut PgConnection,
    date: NaiveDate,
    now: DateTime<Utc>,
    tz: Tz,
    mode: Mode,
) -> Result<Option<Vec<Alert>>, ApiError> {
    let wait = mode == Mode::AsIfOver;
    conn.transaction(|conn| {
        if wait {
            repo::evaluation_lock(conn)?;
        } else if !repo::try_evaluation_lock(conn)? {
            return Ok(None);
        }
        let (_, day_end) = day_bounds(date, tz);
        let as_of = now.min(day_end);
        let window = Window::of(date, as_of, tz);
        let reads = alert_inputs::read(conn, &window, tz)?;
        let input = day_input(&window, tz, wait, reads);
        let findings = evaluate(&input, &Thresholds::default());
        let mut opened = Vec::new();
        for f in &findings {
            if let Some(a) = store(conn, date, now, f)? {
                opened.push(a);
            }
        }
        // Citizens who reported a leaking spot make its leak alerts high (SPEC §12).
        let mut leaking: Vec<i64> = opened
            .iter()
            .filter(|a| matches!(a.kind, AlertKind::NoncashDrop | AlertKind::QrSilence))
            .filter_map(|a| a.spot_id)
            .collect();
        leaking.dedup();
        for spot in leaking {
            let reports =
                db::citizen_reports::reports_of_spot(conn, spot, date - Duration::days(6), date)?;
            if let Some(latest) = reports.first() {
                repo::raise_leak_alerts(conn, spot, date - Duration::days(6), date)?;
                super::citizen::citizen_signal(conn, spot, latest.business_date, now)?;
                for a in opened.iter_mut().filter(|a| a.spot_id == Some(spot)) {
                    if matches!(a.kind, AlertKind::NoncashDrop | AlertKind::QrSilence) {
                        a.severity = Severity::High;
                    }
                }
            }
        }
        if as_of >= day_end || wait {
            opened.extend(unsettled(conn, date, now)?);
        }
        if as_of >= day_end {
            repo::mark_day_evaluated(conn, date)?;
        }
        Ok(Some(opened))
    })
}

fn store(
    conn: &mut PgConnection,
    date: NaiveDate,
    now: DateTime<Utc>,
    f: &Finding,
) -> Result<Option<Alert>, ApiError> {
    if f.kind == AlertKind::ShortfallStreak {
        // Once per streak: an alert on or after its first day. A streak as long as the history
        // read (42 days) may have begun before it, when its alert was raised: any earlier one
        // of the attendant's counts.
        let from = if f.evidence["began_before_history"] == true {
            NaiveDate::default() // 1970-01-01: any earlier streak alert of the attendant
        } else {
            f.evidence["from"]
                .as_str()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .unwrap_or(date)
        };
        if repo::streak_alerted(conn, f.attendant_id.unwrap_or_default(), from)? {
            return Ok(None);
        }
    }
    let subject = f.spot_id.or(f.attendant_id).unwrap_or_default();
    Ok(repo::insert_alert(
        conn,
        &repo::NewAlert {
            kind: f.kind.as_str(),
            severity: f.severity.as_str(),
            spot_id: f.spot_id,
            attendant_id: f.attendant_id,
            payment_id: None,
            subject_id: subject,
            business_date: date,
            detected_at: now,
            evidence: f.evidence.clone(),
        },
    )?)
}

/// `unsettled`: a paid non-cash payment of `date - 2` that no settlement covers while a later
/// date has been settled.
fn unsettled(
    conn: &mut PgConnection,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<Alert>, ApiError> {
    let of = date - Duration::days(2);
    let mut opened = Vec::new();
    for p in repo::unsettled_of(conn, of)? {
        let new = repo::NewAlert {
            kind: AlertKind::Unsettled.as_str(),
            severity: Severity::Low.as_str(),
            spot_id: p.spot_id,
            attendant_id: p.attendant_id,
            payment_id: Some(p.id),
            subject_id: p.id,
            business_date: of,
            detected_at: now,
            evidence: json!({
                "amount": p.amount,
                "paid_at": p.paid_at,
                "gateway_txn_id": p.gateway_txn_id,
                "settled_through": p.settled_through,
                "summary": format!(
                    "Pembayaran non-tunai {} tanggal {of} belum ada di file setelmen, padahal tanggal sampai {} sudah disetelmen.",
                    crate::domain::Rupiah(p.amount).display_id(), p.settled_through
                ),
            }),
        };
        if let Some(a) = repo::insert_alert(conn, &new)? {
            opened.push(a);
        }
    }
    Ok(opened)
}

/// What one tick of the server's job did.
#[derive(Debug, Default)]
pub struct Tick {
    /// Another server held the lock.
    pub skipped: bool,
    pub opened: Vec<Alert>,
}

/// One tick of the background job at `now`: today's intra-day signals, and yesterday's day
/// signals once (after local midnight). Never waits for the lock.
pub fn tick(conn: &mut PgConnection, now: DateTime<Utc>, tz: Tz) -> Result<Tick, ApiError> {
    let today = business_date(now, tz);
    let yesterday = today - Duration::days(1);
    let mut out = Tick::default();
    if !repo::day_evaluated(conn, yesterday)? {
        match evaluate_date(conn, yesterday, now, tz, Mode::Tick)? {
            Some(opened) => out.opened.extend(opened),
            None => {
                out.skipped = true;
                return Ok(out);
            }
        }
    }
    match evaluate_date(conn, today, now, tz, Mode::Tick)? {
        Some(opened) => out.opened.extend(opened),
        None => out.skipped = true,
    }
    Ok(out)
}

/// `POST /alerts/evaluate`, `parkir alerts evaluate`: evaluates `date` now, waiting for the
/// lock; the new high-severity alerts go to the webhook. The number opened.
pub async fn evaluate_now(state: &AppState, date: NaiveDate) -> Result<usize, ApiError> {
    let tz = state.timezone();
    let opened = super::run(&state.pool, move |conn| {
        evaluate_date(conn, date, Utc::now(), tz, Mode::AsIfOver)
    })
    .await?
    .unwrap_or_default();
    if let Some(hook) = &state.alert_webhook {
        hook.send_new(&opened);
    }
    Ok(opened.len())
}

fn letters_in(conn: &mut PgConnection, attendant_id: i64) -> Result<Vec<WarningLetter>, ApiError> {
    db::attendants::find_attendant(conn, attendant_id)?
        .ok_or_else(|| ApiError::NotFound(format!("attendant {attendant_id} does not exist")))?;
    Ok(repo::letters_of(conn, attendant_id)?)
}

/// An alert with the names a reader needs: the spot's code and the attendant's name.
pub struct Named {
    pub alert: Alert,
    pub spot_code: Option<String>,
    pub attendant_name: Option<String>,
}

fn list_in(
    conn: &mut PgConnection,
    filter: &AlertFilter,
    before: i64,
    limit: i64,
) -> Result<Vec<Named>, ApiError> {
    let alerts = repo::list_alerts(conn, filter, before, limit)?;
    named(conn, alerts)
}

/// Alerts with their spots' codes and attendants' names.
fn named(conn: &mut PgConnection, alerts: Vec<Alert>) -> Result<Vec<Named>, ApiError> {
    let spots: Vec<i64> = alerts.iter().filter_map(|a| a.spot_id).collect();
    let people: Vec<i64> = alerts.iter().filter_map(|a| a.attendant_id).collect();
    let codes = db::spots::codes_of(conn, &spots)?;
    let names = db::attendants::names_of(conn, &people)?;
    Ok(alerts
        .into_iter()
        .map(|alert| Named {
            spot_code: alert.spot_id.and_then(|s| codes.get(&s).cloned()),
            attendant_name: alert.attendant_id.and_then(|a| names.get(&a).cloned()),
            alert,
        })
        .collect())
}

/// An alert's status as the API takes it, in a filter or a triage.
pub fn check_status(status: Option<&str>) -> Result<(), ApiError> {
    match status {
        Some(s) if AlertStatus::parse(s).is_none() => Err(ApiError::invalid(
            "status",
            "must be open, acknowledged or resolved",
        )),
        _ => Ok(()),
    }
}

fn triage_in(conn: &mut PgConnection, id: i64, t: &Triage, by: &str) -> Result<Alert, ApiError> {
    check_status(t.status.as_deref())?;
    let by = crate::db::users::actor_name(conn, by)?;
    let note = t.note_by(&by, Utc::now())?;
    repo::update_alert(conn, id, t.status.as_deref(), note)?
        .ok_or_else(|| ApiError::NotFound(format!("alert {id} does not exist")))
}

/// The Roman month of a letter number.
const ROMAN: [&str; 12] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
];

fn issue_letter_in(
    conn: &mut PgConnection,
    attendant_id: i64,
    level: &str,
    alert_id: i64,
    by: &str,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<WarningLetter, ApiError> {
    if level != "SP1" && level != "SP2" {
        return Err(ApiError::invalid("level", "must be SP1 or SP2"));
    }
    conn.transaction(|conn| {
        db::attendants::find_attendant(conn, attendant_id)?.ok_or_else(|| {
            ApiError::NotFound(format!("attendant {attendant_id} does not exist"))
        })?;
        let issued_by = db::users::actor_name(conn, by)?;
        let alert = repo::find_alert(conn, alert_id)?
            .filter(|a| {
                a.kind == AlertKind::ShortfallStreak && a.attendant_id == Some(attendant_id)
            })
            .ok_or_else(|| {
                ApiError::invalid(
                    "alert_id",
                    "must be a shortfall_streak alert of this attendant",
                )
            })?;
        let from = alert.evidence["from"]
            .as_str()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .unwrap_or(alert.business_date);
        let to = alert.business_date;
        let letters = repo::letters_of(conn, attendant_id)?;
        if letters.iter().any(|l| l.alert_id == alert_id) {
            return Err(ApiError::conflict(
                Some("alert_id"),
                format!("alert {alert_id} already has a warning letter"),
            ));
        }
        if level == "SP2" {
            let sp1 = letters.iter().find(|l| {
                l.level == "SP1"
                    && business_date(l.issued_at, tz) <= from
                    && from - business_date(l.issued_at, tz) <= Duration::days(30)
            });
            if sp1.is_none() {
                return Err(ApiError::invalid(
                    "level",
                    "SP2 needs an SP1 issued within 30 days before this streak began",
                ));
            }
        }
        let local = now.with_timezone(&tz);
        let year = local.year();
        let seq = repo::next_letter_seq(conn, year)?;
        let number = format!(
            "{seq:03}/{level}/DISHUB-PRK/{}/{year}",
            ROMAN[local.month0() as usize]
        );
        Ok(repo::insert_letter(
            conn,
            &repo::NewLetter {
                attendant_id,
                alert_id,
                level,
                year,
                seq,
                number: &number,
                issued_at: now,
                issued_by: &issued_by,
                period_from: from,
                period_to: to,
                total_shortfall: alert.evidence["total_shortfall"].as_i64().unwrap_or(0),
                days: alert.evidence["days"].clone(),
            },
        )?)
    })
}

/// An attendant's warning letters; 404 for an unknown attendant.
pub async fn letters(state: &AppState, attendant_id: i64) -> Result<Vec<WarningLetter>, ApiError> {
    super::run(&state.pool, move |conn| letters_in(conn, attendant_id)).await
}

/// `GET /alerts`: newest first, after the cursor `before` (0 for the first page), at most
/// `fetch`, with the names a reader needs.
pub async fn list(
    state: &AppState,
    filter: AlertFilter,
    before: i64,
    fetch: i64,
) -> Result<Vec<Named>, ApiError> {
    super::run(&state.pool, move |conn| {
        list_in(conn, &filter, before, fetch)
    })
    .await
}

/// A supervisor's triage of an alert: a new status and/or a note, signed `by`.
pub async fn triage(state: &AppState, id: i64, t: Triage, by: String) -> Result<Named, ApiError> {
    super::run(&state.pool, move |conn| {
        let alert = triage_in(conn, id, &t, &by)?;
        let mut named = named(conn, vec![alert])?;
        named
            .pop()
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a triaged alert vanished")))
    })
    .await
}

/// The most alerts one bulk triage takes.
pub const BULK_MAX: usize = 500;

/// Triage of many alerts at once, all or nothing: any id that names no alert is a 404 naming
/// them, and nothing changes.
pub async fn triage_many(
    state: &AppState,
    ids: Vec<i64>,
    t: Triage,
    by: String,
) -> Result<Vec<Named>, ApiError> {
    let mut ids = ids;
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > BULK_MAX {
        return Err(ApiError::invalid(
            "ids",
            format!("must name 1 to {BULK_MAX} alerts"),
        ));
    }
    super::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let missing = repo::missing_alerts(conn, &ids)?;
            if !missing.is_empty() {
                let list: Vec<String> = missing.iter().map(i64::to_string).collect();
                return Err(ApiError::NotFound(format!(
                    "alerts {} do not exist",
                    list.join(", ")
                )));
            }
            let alerts = ids
                .iter()
                .map(|&id| triage_in(conn, id, &t, &by))
                .collect::<Result<Vec<_>, _>>()?;
            named(conn, alerts)
        })
    })
    .await
}

/// The register of warning letters: of a year and/or an attendant, in number order, each with
/// the attendant's name and the spots they were on duty at during the letter's period.
pub async fn letter_register(
    state: &AppState,
    year: Option<i32>,
    attendant_id: Option<i64>,
    after: i64,
    fetch: i64,
) -> Result<Vec<repo::RegisteredLetter>, ApiError> {
    let tz = state.timezone();
    super::run(&state.pool, move |conn| {
        Ok(repo::letter_register(
            conn,
            year,
            attendant_id,
            after,
            fetch,
            tz,
        )?)
    })
    .await
}

/// Issues an SP1 or SP2 from a `shortfall_streak` alert of the attendant. An SP2 needs an SP1
/// issued within 30 days before the new streak began, from another streak (SPEC §12).
pub async fn issue_letter(
    state: &AppState,
    attendant_id: i64,
    level: String,
    alert_id: i64,
    by: String,
) -> Result<WarningLetter, ApiError> {
    let tz = state.timezone();
    super::run(&state.pool, move |conn| {
        issue_letter_in(conn, attendant_id, &level, alert_id, &by, Utc::now(), tz)
    })
    .await
}

//! The citizen check (SPEC §13): what is official at a spot right now, anonymous reports with
//! their rate limits, the staff's triage, and the link into alerts (`citizen_reports`).

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use diesel::{Connection, PgConnection};
use hmac::{Hmac, KeyInit, Mac};
use rand::Rng;
use serde::Serialize;
use serde_json::json;
use sha2::Sha256;
use utoipa::ToSchema;

use super::Triage;
use crate::db::{self, alerts as alert_repo, citizen_reports as repo};
use crate::domain::{AttendantStatus, Location, ReportKind, ReportStatus, business_date};
use crate::error::ApiError;
use crate::state::AppState;

pub use repo::{CitizenReport, ReportFilter};

/// Most reports per client address per hour.
pub const PER_HOUR: i64 = 5;
/// Longest note.
pub const NOTE_CHARS: usize = 500;
/// Largest amount a citizen may say was asked.
pub const MAX_AMOUNT: i64 = 10_000_000;

#[derive(Serialize, ToSchema)]
pub struct OnDutyAttendant {
    pub name: String,
    pub kta_number: String,
    /// Their photo, when they agreed to show it (SPEC §16).
    pub photo_url: Option<String>,
    /// The code of their city in public addresses (none: the default city); the pages' own.
    #[serde(skip)]
    pub city_code: Option<String>,
}

/// What anyone may see of a spot: nothing about the attendant but name and KTA.
#[derive(Serialize, ToSchema)]
pub struct PublicSpot {
    pub code: String,
    pub name: String,
    pub zone: String,
    /// Rupiah per vehicle class, in force now.
    #[schema(value_type = std::collections::BTreeMap<String, i64>)]
    pub tariffs: serde_json::Value,
    /// Exactly as the payer's app shows it for the spot's QR.
    pub merchant_name: String,
    pub nmid: Option<String>,
    pub terminal_id: String,
    pub active: bool,
    /// The attendant on duty now, if any.
    pub attendant: Option<OnDutyAttendant>,
}

fn public_spot_in(
    conn: &mut PgConnection,
    code: &str,
    now: DateTime<Utc>,
    base: &str,
    city: Option<i64>,
) -> Result<PublicSpot, ApiError> {
    let city = super::identity::card_city(conn, city)?;
    let spot = db::spots::find_spot_by_code(conn, code)?
        .ok_or_else(|| ApiError::NotFound(format!("no spot {code}")))?;
    let ctx = db::spots::spot_context(conn, spot.id)?
        .ok_or_else(|| ApiError::NotFound(format!("no spot {code}")))?;
    let payload = super::qr::spot_payload(&ctx)?;
    let tariffs = db::zones::version_at(conn, ctx.zone.id, now)?
        .map(|v| v.tariffs)
        .unwrap_or_else(|| json!({}));
    let attendant = match db::attendants::assignment_of_spot_at(conn, spot.id, now)? {
        Some(duty) => db::attendants::find_attendant(conn, duty.attendant_id)?
            .filter(|a| a.status == AttendantStatus::Active)
            .map(|a| OnDutyAttendant {
                photo_url: super::identity::shows_face(&a).then(|| {
                    format!(
                        "{base}{}",
                        super::identity::public_photo_path(city.as_deref(), &a.kta_number)
                    )
                }),
                name: a.name,
                kta_number: a.kta_number,
                city_code: city.clone(),
            }),
        None => None,
    };
    Ok(PublicSpot {
        merchant_name: payload.merchant_name().unwrap_or_default().to_owned(),
        nmid: payload.nmid().map(str::to_owned),
        terminal_id: ctx.spot.terminal_id.clone(),
        active: ctx.spot.active,
        code: ctx.spot.code,
        name: ctx.spot.name,
        zone: ctx.zone.name,
        tariffs,
        attendant,
    })
}

/// A report as a citizen sends it, before any check.
#[derive(Default)]
pub struct ReportInput {
    /// None: the report names no registered spot, and `location` says where it was.
    pub spot_code: Option<String>,
    pub location: Option<String>,
    pub kind: String,
    pub note: Option<String>,
    pub amount_asked: Option<serde_json::Value>,
    /// The honeypot: people never see it, so it is empty.
    pub website: Option<String>,
}

pub struct Received {
    pub id: i64,
    pub reference: String,
}

/// Checks and stores a report; `client` is the address the rate limits count (never stored:
/// only its hash under the day's key). A flood is 429 and stores nothing.
pub fn report(
    conn: &mut PgConnection,
    input: &ReportInput,
    client: Option<std::net::IpAddr>,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<Received, ApiError> {
    // A filled honeypot is a bot: it is answered exactly as a report taken in, so it learns
    // nothing, and nothing is stored or counted (SPEC §10).
    if input
        .website
        .as_deref()
        .is_some_and(|w| !w.trim().is_empty())
    {
        return Ok(Received {
            id: repo::next_report_id(conn)?,
            reference: new_reference(business_date(now, tz)),
        });
    }
    let kind = input.kind.trim();
    let Some(parsed_kind) = ReportKind::parse(kind) else {
        return Err(ApiError::invalid(
            "kind",
            "must be pungli, tarif_berlebih, qr_berbeda, jukir_tidak_resmi or lainnya",
        ));
    };
    let place = place_of(input, parsed_kind)?;
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > NOTE_CHARS) {
        return Err(ApiError::invalid(
            "note",
            format!("must be at most {NOTE_CHARS} characters"),
        ));
    }
    let amount = match &input.amount_asked {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(
            v.as_i64()
                .filter(|a| (0..=MAX_AMOUNT).contains(a))
                .ok_or_else(|| {
                    ApiError::invalid(
                        "amount_asked",
                        format!("must be whole rupiah from 0 to {MAX_AMOUNT}"),
                    )
                })?,
        ),
    };
    let spot = match &place {
        Place::Spot(code) => Some(db::spots::find_spot_by_code(conn, code)?.ok_or_else(|| {
            ApiError::NotFound(format!("spot_code: no official spot has the code {code}"))
        })?),
        Place::Elsewhere(_) => None,
    };
    let spot_id = spot.map(|s| s.id);
    let location = match &place {
        Place::Spot(_) => None,
        Place::Elsewhere(location) => Some(location.as_str()),
    };
    let date = business_date(now, tz);
    conn.transaction(|conn| {
        let fresh: [u8; 32] = rand::rng().random();
        let key = repo::day_key(conn, date, &fresh)?;
        let address = client.map(|ip| ip.to_string()).unwrap_or_default();
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes any key length");
        mac.update(address.as_bytes());
        let client_hash = hex::encode(mac.finalize().into_bytes());
        repo::lock_client(conn, &client_hash)?;
        let (recent, same) = repo::client_counts(
            conn,
            &client_hash,
            now - Duration::hours(1),
            (spot_id, kind, date),
        )?;
        // At most PER_HOUR an hour from one address; one per spot and kind a day, or one per
        // kind a day among the reports that name no spot.
        if recent >= PER_HOUR {
            return Err(ApiError::TooManyRequests { retry_after: 3600 });
        }
        if same > 0 {
            let (_, day_end) = crate::domain::time::day_bounds(date, tz);
            let wait = (day_end - now).num_seconds().max(1) as u64;
            return Err(ApiError::TooManyRequests { retry_after: wait });
        }
        let reference = new_reference(date);
        let stored = repo::insert_report(
            conn,
            &repo::NewReport {
                reference: &reference,
                spot_id,
                location,
                kind,
                note,
                amount_asked: amount,
                client_hash: &client_hash,
                business_date: date,
                created_at: now,
            },
        )?;
        // The alert counts per spot: a report that names none raises nothing.
        if let Some(spot) = spot_id {
            citizen_signal(conn, spot, date, now)?;
        }
        Ok(Received {
            id: stored.id,
            reference,
        })
    })
}

/// Where a report was made: a registered spot's code, or (SPEC §13) a place no spot names.
enum Place {
    Spot(String),
    Elsewhere(Location),
}

/// `spot_code`, or when it is null a `location` and a kind that can happen at any kerb.
fn place_of(input: &ReportInput, kind: ReportKind) -> Result<Place, ApiError> {
    let location = input.location.as_deref().filter(|l| !l.trim().is_empty());
    match input.spot_code.as_deref().map(str::trim) {
        Some("") => Err(ApiError::invalid(
            "spot_code",
            "must be a spot's code, or null with a location",
        )),
        Some(_) if location.is_some() => Err(ApiError::invalid(
            "location",
            "is only for a report whose spot_code is null",
        )),
        Some(code) => Ok(Place::Spot(code.to_owned())),
        None if kind.needs_spot() => Err(ApiError::invalid(
            "spot_code",
            format!(
                "is required for {}: without a spot only pungli, jukir_tidak_resmi or lainnya",
                kind.as_str()
            ),
        )),
        None => {
            let raw = location.ok_or_else(|| {
                ApiError::invalid("location", "is required when spot_code is null")
            })?;
            Location::parse(raw)
                .map(Place::Elsewhere)
                .map_err(|m| ApiError::invalid("location", m))
        }
    }
}

/// A report's reference, as the citizen quotes it: `LW-<yymmdd>-<6 unambiguous characters>`.
fn new_reference(date: chrono::NaiveDate) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let suffix: String = (0..6)
        .map(|_| ALPHABET[rand::rng().random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("LW-{}-{suffix}", date.format("%y%m%d"))
}

/// [`report`] on the blocking pool, now.
pub async fn submit(
    state: &AppState,
    input: ReportInput,
    client: Option<std::net::IpAddr>,
) -> Result<Received, ApiError> {
    let tz = state.timezone();
    // A report about a spot belongs to the spot's city; one about a place, to the city the
    // caller acts for.
    let city = match &input.spot_code {
        Some(code) => Some(city_of_sign(state, code.clone()).await?),
        None => crate::state::current_city(),
    };
    let stored = super::run(&state.pool, move |conn| {
        report(conn, &input, client, Utc::now(), tz)
    });
    crate::state::in_city(state.acting(city).await?, stored).await
}

/// The `citizen_reports` alert of a spot on `date` (SPEC §12): 2 or more reports in 7 days, or
/// one `qr_berbeda`; high when it coincides with a `noncash_drop` or `qr_silence` of the spot
/// in those days, whose severity it raises to high as well.
pub fn citizen_signal(
    conn: &mut PgConnection,
    spot: i64,
    date: chrono::NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let from = date - Duration::days(6);
    let reports = repo::reports_of_spot(conn, spot, from, date)?;
    let qr = reports
        .iter()
        .filter(|r| r.kind == ReportKind::QrBerbeda)
        .count();
    if reports.len() < 2 && qr == 0 {
        return Ok(());
    }
    let raised = alert_repo::raise_leak_alerts(conn, spot, from, date)?;
    let coincides = raised > 0 || alert_repo::has_leak_alerts(conn, spot, from, date)?;
    let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
    for r in &reports {
        *kinds.entry(r.kind.as_str()).or_default() += 1;
    }
    let evidence = json!({
        "reports": reports.len(),
        "qr_berbeda": qr,
        "kinds": kinds,
        "references": reports.iter().map(|r| r.reference.clone()).collect::<Vec<_>>(),
        "from": from,
        "to": date,
        "coincides_with_leak_alert": coincides,
        "summary": format!(
            "{} laporan warga dalam 7 hari{}{}.",
            reports.len(),
            if qr > 0 { format!(", {qr} tentang QR berbeda") } else { String::new() },
            if coincides { "; bersamaan dengan indikasi kebocoran non-tunai di titik ini" } else { "" }
        ),
    });
    alert_repo::upsert_alert(
        conn,
        &alert_repo::NewAlert {
            kind: "citizen_reports",
            severity: if coincides { "high" } else { "medium" },
            spot_id: Some(spot),
            attendant_id: None,
            payment_id: None,
            subject_id: spot,
            business_date: date,
            detected_at: now,
            evidence,
        },
    )?;
    Ok(())
}

fn list_in(
    conn: &mut PgConnection,
    filter: &ReportFilter,
    before: i64,
    limit: i64,
) -> Result<Vec<(CitizenReport, Option<String>)>, ApiError> {
    let reports = repo::list_reports(conn, filter, before, limit)?;
    with_codes(conn, reports)
}

/// Each report with its spot's code (none for a report that names no spot).
fn with_codes(
    conn: &mut PgConnection,
    reports: Vec<CitizenReport>,
) -> Result<Vec<(CitizenReport, Option<String>)>, ApiError> {
    let ids: Vec<i64> = reports.iter().filter_map(|r| r.spot_id).collect();
    let codes = db::spots::codes_of(conn, &ids)?;
    Ok(reports
        .into_iter()
        .map(|r| {
            let code = r.spot_id.and_then(|id| codes.get(&id).cloned());
            (r, code)
        })
        .collect())
}

/// A report's status as the API takes it, in a filter or a triage.
pub fn check_status(status: Option<&str>) -> Result<(), ApiError> {
    match status {
        Some(s) if ReportStatus::parse(s).is_none() => Err(ApiError::invalid(
            "status",
            "must be new, in_review, valid or invalid",
        )),
        _ => Ok(()),
    }
}

fn triage_in(
    conn: &mut PgConnection,
    id: i64,
    t: &Triage,
    by: &str,
) -> Result<(CitizenReport, Option<String>), ApiError> {
    check_status(t.status.as_deref())?;
    let by = crate::db::users::actor_name(conn, by)?;
    let note = t.note_by(&by, Utc::now())?;
    let report = repo::update_report(conn, id, t.status.as_deref(), note)?
        .ok_or_else(|| ApiError::NotFound(format!("citizen report {id} does not exist")))?;
    let code = match report.spot_id {
        Some(spot) => db::spots::codes_of(conn, &[spot])?.remove(&spot),
        None => None,
    };
    Ok((report, code))
}

/// The city a code on a sign belongs to (SPEC §17): what its page and its reports act for.
async fn city_of_sign(state: &AppState, code: String) -> Result<i64, ApiError> {
    super::run(&state.pool, move |conn| {
        Ok(crate::db::cities::of_sign(conn, &code)?)
    })
    .await
}

/// The complaint number of the city a sign belongs to, if it has one (a courtesy on the
/// page: a failure to find it shows none).
pub async fn hotline_of_sign(state: &AppState, code: String) -> Option<crate::domain::Hotline> {
    let city = city_of_sign(state, code).await.ok()?;
    let acting = state.acting(Some(city)).await.ok()?;
    let letterhead = crate::state::in_city(acting, super::cities::letterhead(state)).await;
    letterhead.ok()?.hotline
}

/// What a motorist may know of a spot (its code in any case): 404 for an unknown code.
/// What is official at a spot now; `base` is the service's public origin, for the photo's
/// address (SPEC §16).
pub async fn public_spot(
    state: &AppState,
    code: String,
    base: String,
) -> Result<PublicSpot, ApiError> {
    let city = city_of_sign(state, code.clone()).await?;
    let found = super::run(&state.pool, move |conn| {
        public_spot_in(conn, &code, Utc::now(), &base, Some(city))
    });
    crate::state::in_city(state.acting(Some(city)).await?, found).await
}

/// `GET /citizen-reports`: newest first, after the cursor `before`, at most `fetch`, each with
/// its spot's code.
pub async fn list(
    state: &AppState,
    filter: ReportFilter,
    before: i64,
    fetch: i64,
) -> Result<Vec<(CitizenReport, Option<String>)>, ApiError> {
    super::run(&state.pool, move |conn| {
        list_in(conn, &filter, before, fetch)
    })
    .await
}

/// A supervisor's triage of a report: a new status and/or a note, signed `by`; the report
/// with its spot's code.
pub async fn triage(
    state: &AppState,
    id: i64,
    t: Triage,
    by: String,
) -> Result<(CitizenReport, Option<String>), ApiError> {
    super::run(&state.pool, move |conn| triage_in(conn, id, &t, &by)).await
}

//! Duty: the attendant behind a token, where they are on duty at an instant, and the terms (zone
//! version, tariff) that a charge or a cash ticket made there carries.

use chrono::{DateTime, Utc};
use diesel::{Connection, PgConnection};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{self, attendants, spots, zones};
use crate::domain::roster::Roster;
use crate::domain::{AttendantStatus, Nik, Tariffs, VehicleClass};
use crate::error::ApiError;
use crate::state::AppState;

/// The attendant behind a token, refused once suspended or retired.
pub fn active_attendant(
    conn: &mut PgConnection,
    id: i64,
) -> Result<attendants::Attendant, ApiError> {
    let a = attendants::find_attendant(conn, id)?
        .ok_or_else(|| ApiError::Unauthorized("this attendant no longer exists".into()))?;
    if a.status != AttendantStatus::Active {
        return Err(ApiError::Forbidden(format!(
            "this attendant is {}",
            a.status.as_str()
        )));
    }
    Ok(a)
}

/// Where the (active) attendant is on duty at `at`: 409 when off duty.
pub fn on_duty_at(
    conn: &mut PgConnection,
    attendant_id: i64,
    at: DateTime<Utc>,
) -> Result<spots::SpotContext, ApiError> {
    active_attendant(conn, attendant_id)?;
    let assignment =
        attendants::assignment_of_attendant_at(conn, attendant_id, at)?.ok_or_else(|| {
            ApiError::conflict(
                None,
                "you are not on duty at any spot now; ask your supervisor",
            )
        })?;
    spots::spot_context(conn, assignment.spot_id)?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("assignment without spot")))
}

/// What a new charge or cash ticket is made of: the spot on duty, the zone terms in force and
/// the tariff of its vehicle class.
pub struct Terms {
    pub ctx: spots::SpotContext,
    pub version: zones::ZoneVersion,
    pub amount: i64,
}

/// The terms of a new payment of `class` by the attendant at `at`. A spot taken out of service
/// takes no new payment (SPEC §10, 409); an unknown class is a 400 listing the zone's.
pub fn terms_at(
    conn: &mut PgConnection,
    attendant_id: i64,
    class: &str,
    at: DateTime<Utc>,
) -> Result<Terms, ApiError> {
    let ctx = on_duty_at(conn, attendant_id, at)?;
    if !ctx.spot.active {
        return Err(ApiError::conflict(
            None,
            format!(
                "spot {} is not active; no new charge can be made there",
                ctx.spot.code
            ),
        ));
    }
    let version = zones::version_at(conn, ctx.zone.id, at)?
        .ok_or_else(|| ApiError::conflict(None, "the zone has no tariff in force now"))?;
    let amount = tariff_of(&version, class)?;
    Ok(Terms {
        ctx,
        version,
        amount,
    })
}

/// The tariff of `class` in `version`, or a 400 listing the zone's classes.
fn tariff_of(version: &zones::ZoneVersion, class: &str) -> Result<i64, ApiError> {
    let tariffs = Tariffs::from_json(&version.tariffs);
    VehicleClass::parse(class)
        .ok()
        .and_then(|c| tariffs.get(&c))
        .map(|r| r.0)
        .ok_or_else(|| {
            ApiError::invalid(
                "vehicle_class",
                format!(
                    "must be one of this zone's classes: {}",
                    tariffs.classes().collect::<Vec<_>>().join(", ")
                ),
            )
        })
}

#[derive(Serialize, ToSchema)]
pub struct OnDuty {
    pub assignment_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub spot: spots::Spot,
    pub zone_code: String,
    pub zone_name: String,
    /// The tariffs in force now, rupiah per vehicle class.
    #[schema(value_type = std::collections::BTreeMap<String, i64>)]
    pub tariffs: serde_json::Value,
    pub attendant_share_bps: i32,
    /// What the payer's app will show for the spot's static QR.
    pub qris: QrisIdentity,
}

#[derive(Serialize, ToSchema)]
pub struct QrisIdentity {
    pub merchant_name: String,
    pub nmid: Option<String>,
    pub terminal_label: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub name: String,
    /// Masked, as for every role but admin.
    pub nik: String,
    pub phone: String,
    pub kta_number: String,
    pub status: String,
    /// The spot the attendant is on duty at now; absent when off duty.
    pub on_duty: Option<OnDuty>,
    /// The zone of their city's business day (`Asia/Jakarta`, `Asia/Makassar`,
    /// `Asia/Jayapura`), in which the phone shows every time.
    #[schema(example = "Asia/Jakarta")]
    pub timezone: String,
}

/// The attendant's own profile and where they are on duty at `at`.
pub async fn me(state: &AppState, id: i64, at: DateTime<Utc>) -> Result<Me, ApiError> {
    let timezone = state.timezone().name().to_owned();
    super::run(&state.pool, move |conn| {
        let a = active_attendant(conn, id)?;
        let on_duty = match attendants::assignment_of_attendant_at(conn, id, at)? {
            None => None,
            Some(assignment) => {
                let ctx = spots::spot_context(conn, assignment.spot_id)?.ok_or_else(|| {
                    ApiError::internal(anyhow::anyhow!("assignment without spot"))
                })?;
                let payload = super::qr::spot_payload(&ctx)?;
                let qris = QrisIdentity {
                    merchant_name: payload.merchant_name().unwrap_or_default().to_owned(),
                    nmid: payload.nmid().map(str::to_owned),
                    terminal_label: payload.terminal_label().map(str::to_owned),
                };
                let version = zones::version_at(conn, ctx.zone.id, at)?;
                Some(OnDuty {
                    assignment_id: assignment.id,
                    starts_at: assignment.starts_at,
                    ends_at: assignment.ends_at,
                    spot: ctx.spot,
                    zone_code: ctx.zone.code,
                    zone_name: ctx.zone.name,
                    qris,
                    tariffs: version
                        .as_ref()
                        .map(|v| v.tariffs.clone())
                        .unwrap_or_else(|| serde_json::json!({})),
                    attendant_share_bps: version.map(|v| v.attendant_share_bps).unwrap_or(0),
                })
            }
        };
        Ok(Me {
            timezone,
            id: a.id,
            name: a.name,
            nik: Nik::mask(&a.nik),
            phone: a.phone,
            kta_number: a.kta_number,
            status: a.status.as_str().to_owned(),
            on_duty,
        })
    })
    .await
}

/// The static QR payload of the spot the attendant is on duty at, at `at`.
pub async fn my_spot_payload(
    state: &AppState,
    attendant_id: i64,
    at: DateTime<Utc>,
) -> Result<crate::qris::Payload, ApiError> {
    let ctx = super::run(&state.pool, move |conn| on_duty_at(conn, attendant_id, at)).await?;
    super::qr::spot_payload(&ctx)
}

/// The attendant's own payments of a business date, grouped as the daily report groups them.
pub async fn my_day(
    state: &AppState,
    attendant_id: i64,
    date: chrono::NaiveDate,
) -> Result<Vec<db::reconcile::DayGroup>, ApiError> {
    super::run(&state.pool, move |conn| {
        active_attendant(conn, attendant_id)?;
        Ok(db::reconcile::attendant_day(conn, attendant_id, date)?)
    })
    .await
}

/// The attendant of `id`, whatever their status; 404 when there is none.
pub fn registered_attendant(
    conn: &mut PgConnection,
    id: i64,
) -> Result<attendants::Attendant, ApiError> {
    attendants::find_attendant(conn, id)?
        .ok_or_else(|| ApiError::NotFound(format!("attendant {id} does not exist")))
}

fn check_period(starts_at: DateTime<Utc>, ends_at: Option<DateTime<Utc>>) -> Result<(), ApiError> {
    match ends_at {
        Some(end) if end <= starts_at => {
            Err(ApiError::invalid("ends_at", "must be after starts_at"))
        }
        _ => Ok(()),
    }
}

/// Puts an active attendant on duty at a spot for `[starts_at, ends_at)` (open-ended without an
/// end); 409 when it overlaps another period of the spot or the attendant.
pub fn assign(
    conn: &mut PgConnection,
    attendant_id: i64,
    spot_id: i64,
    starts_at: DateTime<Utc>,
    ends_at: Option<DateTime<Utc>>,
) -> Result<attendants::Assignment, ApiError> {
    check_period(starts_at, ends_at)?;
    may_go_on_duty(conn, attendant_id, spot_id)?;
    Ok(attendants::insert_assignment(
        conn,
        attendant_id,
        spot_id,
        starts_at,
        ends_at,
    )?)
}

/// 404 for an unknown attendant or spot, 409 for an attendant who is not active.
fn may_go_on_duty(
    conn: &mut PgConnection,
    attendant_id: i64,
    spot_id: i64,
) -> Result<(), ApiError> {
    let attendant = registered_attendant(conn, attendant_id)?;
    if attendant.status != AttendantStatus::Active {
        return Err(ApiError::conflict(
            Some("attendant_id"),
            format!(
                "attendant {attendant_id} is {}; only an active attendant goes on duty",
                attendant.status.as_str()
            ),
        ));
    }
    spots::find_spot(conn, spot_id)?
        .ok_or_else(|| ApiError::NotFound(format!("spot_id: spot {spot_id} does not exist")))?;
    Ok(())
}

/// What a roster made: the new duty periods' ids, in date order.
#[derive(Serialize, ToSchema)]
pub struct RosterMade {
    pub created: usize,
    pub assignment_ids: Vec<i64>,
}

/// Plans a roster: one duty per matching day, all or nothing. The first day that overlaps a
/// duty of the spot or the attendant is named in the 409, and nothing is stored.
pub async fn plan_roster(
    state: &AppState,
    attendant_id: i64,
    spot_id: i64,
    roster: Roster,
) -> Result<RosterMade, ApiError> {
    let duties = roster.duties(state.timezone());
    if duties.is_empty() {
        return Err(ApiError::invalid(
            "weekdays",
            "no day from `from` to `to` falls on these weekdays",
        ));
    }
    super::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            may_go_on_duty(conn, attendant_id, spot_id)?;
            attendants::lock_duty(conn, spot_id, attendant_id)?;
            let mut ids = Vec::with_capacity(duties.len());
            for duty in &duties {
                let row = attendants::insert_assignment_row(
                    conn,
                    attendant_id,
                    spot_id,
                    duty.starts_at,
                    Some(duty.ends_at),
                );
                match row {
                    Ok(a) => ids.push(a.id),
                    Err(diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::ExclusionViolation,
                        _,
                    )) => {
                        return Err(ApiError::conflict(
                            Some("from"),
                            format!("the roster overlaps a duty on {}", duty.date),
                        ));
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(RosterMade {
                created: ids.len(),
                assignment_ids: ids,
            })
        })
    })
    .await
}

pub async fn assign_now(
    state: &AppState,
    attendant_id: i64,
    spot_id: i64,
    starts_at: DateTime<Utc>,
    ends_at: Option<DateTime<Utc>>,
) -> Result<attendants::Assignment, ApiError> {
    super::run(&state.pool, move |conn| {
        assign(conn, attendant_id, spot_id, starts_at, ends_at)
    })
    .await
}

/// A page of an attendant's duty periods (404 for an unknown attendant).
pub async fn assignments(
    state: &AppState,
    attendant_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<attendants::Assignment>, ApiError> {
    super::run(&state.pool, move |conn| {
        registered_attendant(conn, attendant_id)?;
        Ok(attendants::list_assignments(
            conn,
            attendant_id,
            after,
            limit,
        )?)
    })
    .await
}

/// Ends a duty period (or re-opens it with `None`).
pub async fn set_end(
    state: &AppState,
    attendant_id: i64,
    assignment_id: i64,
    ends_at: Option<DateTime<Utc>>,
) -> Result<attendants::Assignment, ApiError> {
    super::run(&state.pool, move |conn| {
        let current =
            attendants::find_assignment(conn, attendant_id, assignment_id)?.ok_or_else(|| {
                ApiError::NotFound(format!(
                    "assignment {assignment_id} of attendant {attendant_id} does not exist"
                ))
            })?;
        check_period(current.starts_at, ends_at)?;
        Ok(attendants::set_assignment_end(
            conn,
            assignment_id,
            ends_at,
        )?)
    })
    .await
}

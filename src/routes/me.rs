//! `/me…`: what an attendant on a phone sees of themselves and their spot.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::db::{self, attendants, spots, zones};
use crate::domain::Nik;
use crate::error::ApiError;
use crate::startup::AppState;

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
}

#[utoipa::path(get, path = "/api/v1/me", tag = "attendant",
    responses((status = 200, body = Me), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn me(who: Principal, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let id = who.attendant_id()?;
    let me = db::run(&state.pool, move |conn| {
        let a = attendants::find_attendant(conn, id)?
            .ok_or_else(|| ApiError::Unauthorized("this attendant no longer exists".into()))?;
        if a.status != "active" {
            return Err(ApiError::Forbidden(format!(
                "this attendant is {}",
                a.status
            )));
        }
        let now = Utc::now();
        let on_duty = match attendants::assignment_of_attendant_at(conn, id, now)? {
            None => None,
            Some(assignment) => {
                let spot = spots::find_spot(conn, assignment.spot_id)?.ok_or_else(|| {
                    ApiError::internal(anyhow::anyhow!("assignment without spot"))
                })?;
                let zone = zones::find_zone(conn, spot.zone_id)?
                    .ok_or_else(|| ApiError::internal(anyhow::anyhow!("spot without zone")))?;
                let version = zones::version_at(conn, zone.id, now)?;
                Some(OnDuty {
                    assignment_id: assignment.id,
                    starts_at: assignment.starts_at,
                    ends_at: assignment.ends_at,
                    spot,
                    zone_code: zone.code,
                    zone_name: zone.name,
                    tariffs: version
                        .as_ref()
                        .map(|v| v.tariffs.clone())
                        .unwrap_or_else(|| serde_json::json!({})),
                    attendant_share_bps: version.map(|v| v.attendant_share_bps).unwrap_or(0),
                })
            }
        };
        Ok(Me {
            id: a.id,
            name: a.name,
            nik: Nik::mask(&a.nik),
            phone: a.phone,
            kta_number: a.kta_number,
            status: a.status,
            on_duty,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(me))
}

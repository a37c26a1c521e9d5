//! Zones and their versions: what a zone charges, shares and targets is never edited, a change
//! adds a version in force from an instant (now by default, never in the past), inheriting
//! what it does not change.

use chrono::{DateTime, Duration, TimeZone, Utc};
use diesel::{Connection, PgConnection};

use crate::db::zones as repo;
use crate::domain::{ShareBps, Tariffs};
use crate::error::ApiError;
use crate::state::AppState;

/// "In force from the beginning": the effective instant of a zone's first version by default.
pub fn beginning() -> DateTime<Utc> {
    Utc.timestamp_opt(0, 0).single().unwrap_or_default()
}

/// How far in the past a new version may start: a little clock skew, never a revaluation.
const BACKDATE_TOLERANCE_SECS: i64 = 60;

/// A zone, all its versions (oldest first) and the id of the one in force now.
pub struct ZoneRecord {
    pub zone: repo::Zone,
    pub versions: Vec<repo::ZoneVersion>,
    pub in_force: Option<i64>,
}

impl ZoneRecord {
    /// The version in force now, else the first (a zone whose versions all lie ahead).
    pub fn current(&self) -> Option<&repo::ZoneVersion> {
        self.versions
            .iter()
            .find(|v| Some(v.id) == self.in_force)
            .or(self.versions.first())
    }
}

fn record(conn: &mut PgConnection, zone: repo::Zone) -> Result<ZoneRecord, ApiError> {
    let versions = repo::versions_of(conn, zone.id)?;
    let in_force = repo::version_at(conn, zone.id, Utc::now())?.map(|v| v.id);
    Ok(ZoneRecord {
        zone,
        versions,
        in_force,
    })
}

/// A zone with its versions (404 for an unknown one): a pure read.
pub fn load(conn: &mut PgConnection, id: i64) -> Result<ZoneRecord, ApiError> {
    let zone = repo::find_zone(conn, id)?
        .ok_or_else(|| ApiError::NotFound(format!("zone {id} does not exist")))?;
    record(conn, zone)
}

fn merchant_must_exist(conn: &mut PgConnection, id: i64) -> Result<(), ApiError> {
    match repo::find_merchant_account(conn, id)? {
        Some(_) => Ok(()),
        None => Err(ApiError::NotFound(format!(
            "merchant_account_id: merchant account {id} does not exist"
        ))),
    }
}

/// A new zone and its first version.
pub struct NewZone {
    pub code: String,
    pub name: String,
    pub district: String,
    pub merchant_account_id: i64,
    pub tariffs: Tariffs,
    pub share: ShareBps,
    pub daily_target: Option<i64>,
    /// Default: from the beginning.
    pub effective_from: Option<DateTime<Utc>>,
}

pub async fn create(state: &AppState, new: NewZone) -> Result<ZoneRecord, ApiError> {
    super::run(&state.pool, move |conn| {
        merchant_must_exist(conn, new.merchant_account_id)?;
        let version = repo::NewZoneVersion {
            effective_from: new.effective_from.unwrap_or_else(beginning),
            tariffs: new.tariffs.to_json(),
            attendant_share_bps: new.share.0,
            daily_target: new.daily_target,
        };
        let zone = repo::NewZone {
            code: &new.code,
            name: &new.name,
            district: &new.district,
            merchant_account_id: new.merchant_account_id,
        };
        let (zone, _) = repo::insert_zone(conn, &zone, &version)?;
        record(conn, zone)
    })
    .await
}

pub async fn list(state: &AppState, after: i64, limit: i64) -> Result<Vec<ZoneRecord>, ApiError> {
    super::run(&state.pool, move |conn| {
        repo::list_zones(conn, after, limit)?
            .into_iter()
            .map(|zone| record(conn, zone))
            .collect()
    })
    .await
}

pub async fn get(state: &AppState, id: i64) -> Result<ZoneRecord, ApiError> {
    super::run(&state.pool, move |conn| load(conn, id)).await
}

/// The terms a change sets; what it leaves `None` the new version inherits from the version in
/// force at its instant. `daily_target: Some(None)` removes the target.
#[derive(Default)]
pub struct TermsChange {
    pub tariffs: Option<Tariffs>,
    pub share: Option<ShareBps>,
    pub daily_target: Option<Option<i64>>,
    pub effective_from: Option<DateTime<Utc>>,
}

impl TermsChange {
    fn any(&self) -> bool {
        self.tariffs.is_some() || self.share.is_some() || self.daily_target.is_some()
    }

    /// When the new version comes into force: now by default, never in the past.
    fn instant(&self, now: DateTime<Utc>) -> Result<DateTime<Utc>, ApiError> {
        match self.effective_from {
            Some(_) if !self.any() => Err(ApiError::invalid(
                "effective_from",
                "only applies with tariffs, attendant_share_bps or daily_target",
            )),
            Some(at) if at < now - Duration::seconds(BACKDATE_TOLERANCE_SECS) => {
                Err(ApiError::invalid(
                    "effective_from",
                    "must not be in the past: a change never revalues past payments",
                ))
            }
            Some(at) => Ok(at),
            None => Ok(now),
        }
    }

    fn version(
        &self,
        effective_from: DateTime<Utc>,
        base: Option<&repo::ZoneVersion>,
    ) -> Result<repo::NewZoneVersion, ApiError> {
        let inherit = |f: &str| {
            ApiError::invalid(
                f.to_owned(),
                "is required: no earlier version to inherit from",
            )
        };
        Ok(repo::NewZoneVersion {
            effective_from,
            tariffs: match (&self.tariffs, base) {
                (Some(t), _) => t.to_json(),
                (None, Some(b)) => b.tariffs.clone(),
                (None, None) => return Err(inherit("tariffs")),
            },
            attendant_share_bps: self
                .share
                .map(|s| s.0)
                .or(base.map(|b| b.attendant_share_bps))
                .ok_or_else(|| inherit("attendant_share_bps"))?,
            daily_target: match self.daily_target {
                Some(t) => t,
                None => base.and_then(|b| b.daily_target),
            },
        })
    }
}

/// Renames, moves to another merchant account, and/or adds a version; all or nothing.
pub async fn change(
    state: &AppState,
    id: i64,
    changes: repo::ZoneChanges,
    terms: TermsChange,
) -> Result<ZoneRecord, ApiError> {
    let effective_from = terms.instant(Utc::now())?;
    super::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            repo::find_zone(conn, id)?
                .ok_or_else(|| ApiError::NotFound(format!("zone {id} does not exist")))?;
            if let Some(m) = changes.merchant_account_id {
                merchant_must_exist(conn, m)?;
            }
            repo::update_zone(conn, id, &changes)?;
            if terms.any() {
                let base = repo::version_at(conn, id, effective_from)?;
                let version = terms.version(effective_from, base.as_ref())?;
                repo::insert_version(conn, id, &version)?;
            }
            load(conn, id)
        })
    })
    .await
}

//! Callback intake, the one path every gateway's callback walks, from the handler to the
//! commit: verify (the gateway's own rules) → check an issued token where the protocol signs
//! with one → record exactly once → the verdict. A refused callback is only counted: nothing
//! unauthenticated is stored.
//!
//! Recording is `db::recorder` (it batches callbacks that arrive together into one transaction
//! and answers each only after the commit) over `db::recording` (the statement and the locked
//! path).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;

use crate::db::recorder::RecordError;
use crate::db::recording::{InboxEntry, Recorded, Verdict};
use crate::error::ApiError;
use secrecy::ExposeSecret;

use crate::db::cities;
use crate::gateways::credentials::{CityGateways, token_fingerprint};
use crate::gateways::{
    Gateway, GatewayName, RawCallback, Rejection, constant_time_eq, stored_headers, token_hash,
    without_nul,
};
use crate::metrics::Metrics;
use crate::state::AppState;
use crate::state::{Acting, DEFAULT_CITY};

/// What became of a callback that was not our own failure.
pub enum Intake {
    /// Stored (new, repeat, unmatched or mismatched): the payment it is now part of.
    Recorded { verdict: Verdict, payment_id: i64 },
    /// Refused; the gateway's protocol renders the answer.
    Refused(Rejection),
}

/// Takes in one callback as it arrived (headers as sent, the query, the raw body), for the
/// city its credentials name (SPEC §17), verified by that city's credentials alone.
pub async fn take_in(
    state: &AppState,
    metrics: Option<&Metrics>,
    name: GatewayName,
    headers: Vec<(String, String)>,
    query: &str,
    body: Vec<u8>,
) -> Result<Intake, ApiError> {
    let (acting, own) = route(state, name, &headers, query).await?;
    let none = CityGateways::none();
    let gateways = match own.as_deref() {
        Some(g) => g,
        None if acting.city == Some(DEFAULT_CITY) => &state.gateways,
        None => &none,
    };
    let gateway = gateways.of(name);
    crate::state::in_city(acting, take_in_as(state, metrics, gateway, headers, body)).await
}

/// The header `name` (any case), trimmed.
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// Whom a gateway request's credentials name (SPEC §17), and that city's own gateways when
/// it stored credentials: SNAP by a token we issued, else by `X-PARTNER-ID` / `X-CLIENT-KEY`;
/// Xendit by its callback token; Midtrans by `?city=CODE` on the notification URL. What names
/// no city is the default city's (whose settings' credentials then decide).
pub async fn route(
    state: &AppState,
    name: GatewayName,
    headers: &[(String, String)],
    query: &str,
) -> Result<(Acting, OwnGateways), ApiError> {
    let env = &state.gateways;
    let lookup: Option<(&'static str, String)> = match name {
        GatewayName::Snap => {
            let bearer = header(headers, "Authorization")
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(|t| ("snap_token", token_hash(t.trim())));
            let env_key = env.snap.config.as_ref().map(|c| c.client_key.as_str());
            bearer.or_else(|| {
                header(headers, "X-PARTNER-ID")
                    .or_else(|| header(headers, "X-CLIENT-KEY"))
                    .filter(|k| Some(*k) != env_key)
                    .map(|k| ("snap", k.to_owned()))
            })
        }
        GatewayName::Xendit => header(headers, "x-callback-token")
            .filter(|t| {
                !env.xendit.callback_token.as_ref().is_some_and(|own| {
                    constant_time_eq(own.expose_secret().as_bytes(), t.as_bytes())
                })
            })
            .map(|t| ("xendit", token_fingerprint(t))),
        GatewayName::Midtrans => None,
    };
    let city_code = match name {
        GatewayName::Midtrans => form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "city")
            .map(|(_, v)| v.into_owned()),
        _ => None,
    };
    let key = match (&lookup, &city_code) {
        (Some((kind, key)), _) => Some(format!("{kind}:{key}")),
        (None, Some(code)) => Some(format!("midtrans:{code}")),
        (None, None) => None,
    };
    let remembered = key.as_deref().and_then(|k| state.gateway_routes.city(k));
    let city = match (remembered, key) {
        (Some(city), _) => city,
        (None, None) => DEFAULT_CITY,
        (None, Some(key)) => {
            let found = super::run(&state.pool, move |conn| {
                Ok(match (lookup, city_code) {
                    (Some((kind, key)), _) => cities::of_credential(conn, kind, &key)?,
                    (None, Some(code)) => cities::by_code(conn, &code)?.map(|c| c.id),
                    (None, None) => None,
                })
            })
            .await?
            .unwrap_or(DEFAULT_CITY);
            state.gateway_routes.remember_city(key, found);
            found
        }
    };
    let acting = state.acting(Some(city)).await?;
    if let Some(own) = state.gateway_routes.gateways(city) {
        return Ok((acting, own));
    }
    let sealed = crate::state::in_city(
        acting,
        super::run(&state.pool, |conn| Ok(cities::sealed(conn)?)),
    )
    .await?;
    let own = match (sealed, &state.secret_key) {
        (Some(sealed), Some(key)) => Some(Arc::new(sealed.open(key, city))),
        _ => None,
    };
    state.gateway_routes.remember_gateways(city, own.clone());
    Ok((acting, own))
}

/// How long a credential's city and a city's opened gateways are remembered: a change of
/// credentials (`PUT /cities/{id}/gateways`) is seen at once by the server that took it, by the
/// others within this.
const ROUTE_TTL: Duration = Duration::from_secs(60);
/// How many credentials and cities are remembered (a deployment has dozens of cities; issued
/// SNAP tokens live 15 minutes).
const ROUTES_KEPT: usize = 10_000;

/// The routing of callbacks to their cities, remembered ([`ROUTE_TTL`], [`ROUTES_KEPT`]): a
/// callback is routed and verified without asking the database each time.
#[derive(Default)]
pub struct RouteCache {
    cities: Mutex<HashMap<String, (Instant, i64)>>,
    gateways: Mutex<HashMap<i64, (Instant, OwnGateways)>>,
}

/// A city's own gateways, opened; none when it stored no credentials.
type OwnGateways = Option<Arc<CityGateways>>;

impl RouteCache {
    fn city(&self, key: &str) -> Option<i64> {
        let cities = self.cities.lock().ok()?;
        cities
            .get(key)
            .filter(|(at, _)| at.elapsed() < ROUTE_TTL)
            .map(|(_, city)| *city)
    }

    fn remember_city(&self, key: String, city: i64) {
        if let Ok(mut cities) = self.cities.lock() {
            if cities.len() >= ROUTES_KEPT {
                cities.retain(|_, (at, _)| at.elapsed() < ROUTE_TTL);
            }
            if cities.len() < ROUTES_KEPT {
                cities.insert(key, (Instant::now(), city));
            }
        }
    }

    fn gateways(&self, city: i64) -> Option<OwnGateways> {
        let gateways = self.gateways.lock().ok()?;
        gateways
            .get(&city)
            .filter(|(at, _)| at.elapsed() < ROUTE_TTL)
            .map(|(_, g)| g.clone())
    }

    fn remember_gateways(&self, city: i64, own: OwnGateways) {
        if let Ok(mut gateways) = self.gateways.lock() {
            if gateways.len() >= ROUTES_KEPT {
                gateways.retain(|_, (at, _)| at.elapsed() < ROUTE_TTL);
            }
            if gateways.len() < ROUTES_KEPT {
                gateways.insert(city, (Instant::now(), own));
            }
        }
    }

    /// Forgets everything: the credentials changed.
    pub fn forget(&self) {
        if let Ok(mut cities) = self.cities.lock() {
            cities.clear();
        }
        if let Ok(mut gateways) = self.gateways.lock() {
            gateways.clear();
        }
    }
}

/// [`take_in`] once the city is known: verify with its gateway, record acting for it.
async fn take_in_as(
    state: &AppState,
    metrics: Option<&Metrics>,
    gateway: &dyn Gateway,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
) -> Result<Intake, ApiError> {
    let now = Utc::now();
    let raw = RawCallback {
        headers: &headers,
        body: &body,
    };
    let mut verdict = gateway.verify(&raw, now).and_then(without_nul);
    if verdict.is_ok()
        && let Some(hash) = gateway.issued_token(&raw)
        && !super::snap_tokens::is_live(state, hash, now).await?
    {
        verdict = Err(Rejection::Token);
    }
    let name = gateway.name().as_str();
    match verdict {
        Ok(notification) => {
            let entry = InboxEntry {
                gateway: name.to_owned(),
                headers: stored_headers(&headers),
                body_sha256: hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&body)),
                body: gateway.stored_body(&body),
            };
            let (verdict, payment_id) =
                committed(state.recorder.record(notification, entry).await)?;
            Ok(Intake::Recorded {
                verdict,
                payment_id,
            })
        }
        Err(rejection) => {
            if let Some(metrics) = metrics {
                metrics.callback_rejected(name, rejection.kind());
            }
            tracing::info!(
                gateway = name,
                reason = rejection.kind(),
                "callback refused"
            );
            Ok(Intake::Refused(rejection))
        }
    }
}

/// What the recorder's reply means to the gateway: the verdict once committed; an authentic
/// notification refused by a rule (a Midtrans order bound to another transaction) is a 400
/// naming the field, after its inbox row committed; a database away is a 503 to retry.
fn committed(reply: Result<Recorded, RecordError>) -> Result<(Verdict, i64), ApiError> {
    match reply {
        Ok(Recorded::Done(verdict, payment_id)) => Ok((verdict, payment_id)),
        Ok(Recorded::Refused(reason)) => Err(ApiError::invalid("transaction_id", reason)),
        Err(RecordError::Unavailable(why)) => Err(ApiError::database_unavailable(&why)),
        Err(RecordError::Lost(e) | RecordError::Query(e)) => Err(e.into()),
        Err(RecordError::Stopped) => Err(ApiError::internal(anyhow::anyhow!(
            "the recorder has stopped"
        ))),
    }
}

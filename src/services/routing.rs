//! Which city a gateway's request belongs to (SPEC §17), found by its credentials before
//! anything of the city is read: SNAP by the token we issued or its partner id, Xendit by its
//! callback token, Midtrans by `?city=CODE`; and that city's own gateways, opened.

use std::sync::Arc;

use secrecy::ExposeSecret;

use crate::db::cities;
use crate::error::ApiError;
use crate::gateways::credentials::{OwnGateways, token_fingerprint};
use crate::gateways::{GatewayName, constant_time_eq, token_hash};
use crate::state::{Acting, AppState, DEFAULT_CITY};

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

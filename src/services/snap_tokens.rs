//! SNAP B2B access tokens: issued to a gateway that proved itself, at most 16 live per client,
//! stored hashed, and looked up once per process (a bounded cache) when a notify carries one.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};

use crate::db::snap_tokens;
use crate::error::ApiError;
use crate::gateways::snap::{self, SnapConfig};
use crate::gateways::{RawCallback, Rejection, token_hash};
use crate::state::AppState;

/// How many valid SNAP tokens one process remembers.
const CACHE_ENTRIES: usize = 1024;

/// What became of a token request.
pub enum Issue {
    /// A new token, valid [`snap::TOKEN_TTL_SECS`].
    Issued(String),
    /// The client already holds as many live tokens as it may (429).
    TooMany,
    /// The request did not verify.
    Refused(Rejection),
}

/// Verifies a B2B token request and issues a token.
pub async fn issue(
    state: &AppState,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
) -> Result<Issue, ApiError> {
    let now = Utc::now();
    // The city whose client key the request names, with that city's SNAP credentials.
    let (acting, own) =
        super::routing::route(state, crate::gateways::GatewayName::Snap, &headers, "").await?;
    let config: Option<&SnapConfig> = match own.as_deref() {
        Some(g) => g.snap.config.as_ref(),
        None if acting.city == Some(crate::state::DEFAULT_CITY) => {
            state.gateways.snap.config.as_ref()
        }
        None => None,
    };
    let raw = RawCallback {
        headers: &headers,
        body: &body,
    };
    if let Err(rejection) = snap::verify_token_request(config, &raw, now) {
        return Ok(Issue::Refused(rejection));
    }
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    let client_key = config.map(|c| c.client_key.clone()).unwrap_or_default();
    let expires_at = now + chrono::Duration::seconds(snap::TOKEN_TTL_SECS);
    let stored = super::run(&state.pool, move |conn| {
        Ok(snap_tokens::insert_snap_token(
            conn,
            &hash,
            &client_key,
            now,
            expires_at,
        )?)
    });
    let stored = crate::state::in_city(acting, stored).await?;
    Ok(if stored {
        Issue::Issued(token)
    } else {
        Issue::TooMany
    })
}

/// Whether a bearer token (by hash) is one we issued and still valid at `now`: from memory when
/// this process has seen it, else from the database.
pub async fn is_live(state: &AppState, hash: String, now: DateTime<Utc>) -> Result<bool, ApiError> {
    let cached = state
        .snap_tokens
        .lock()
        .ok()
        .and_then(|m| m.get(&hash).copied());
    if let Some(expires) = cached {
        return Ok(expires > now);
    }
    let key = hash.clone();
    let expiry = super::run(&state.pool, move |conn| {
        Ok(snap_tokens::snap_token_expiry(conn, &key, now)?)
    })
    .await?;
    if let (Some(expires), Ok(mut map)) = (expiry, state.snap_tokens.lock()) {
        // Bounded: expired entries go first, and if live ones still fill it, all of them
        // (each is then asked of the database once more).
        if map.len() >= CACHE_ENTRIES {
            map.retain(|_, e| *e > now);
        }
        if map.len() >= CACHE_ENTRIES {
            map.clear();
        }
        map.insert(hash, expires);
    }
    Ok(expiry.is_some())
}

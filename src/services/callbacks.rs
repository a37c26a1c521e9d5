//! Callback intake, the one path every gateway's callback walks, from the handler to the
//! commit: verify (the gateway's own rules) → check an issued token where the protocol signs
//! with one → record exactly once → the verdict. A refused callback is only counted: nothing
//! unauthenticated is stored.
//!
//! Recording is `db::recorder` (it batches callbacks that arrive together into one transaction
//! and answers each only after the commit) over `db::recording` (the statement and the locked
//! path).

use chrono::Utc;

use crate::db::recorder::RecordError;
use crate::db::recording::{InboxEntry, Recorded, Verdict};
use crate::error::ApiError;
use crate::gateways::credentials::CityGateways;
use crate::gateways::{Gateway, GatewayName, RawCallback, Rejection, stored_headers, without_nul};
use crate::metrics::Metrics;
use crate::state::AppState;
use crate::state::DEFAULT_CITY;

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
    let (acting, own) = super::routing::route(state, name, &headers, query).await?;
    let none = CityGateways::none();
    let gateways = match own.as_deref() {
        Some(g) => g,
        None if acting.city == Some(DEFAULT_CITY) => &state.gateways,
        None => &none,
    };
    let gateway = gateways.of(name);
    crate::state::in_city(acting, take_in_as(state, metrics, gateway, headers, body)).await
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

//! The acquirer-issued QRIS merchants a zone's payments are paid into.

use crate::db::zones;
use crate::domain::MerchantAccountSpec;
use crate::error::{ApiError, FieldError};
use crate::state::AppState;

/// Registers an acquirer-issued QRIS merchant, its fields checked here; an NMID already
/// registered is a 409.
pub async fn create(
    state: &AppState,
    spec: MerchantAccountSpec,
) -> Result<zones::MerchantAccount, ApiError> {
    let broken = spec.check();
    if !broken.is_empty() {
        return Err(ApiError::Validation(
            broken
                .into_iter()
                .map(|(f, m)| FieldError::new(f, m))
                .collect(),
        ));
    }
    super::run(&state.pool, move |conn| {
        Ok(zones::insert_merchant_account(conn, &spec)?)
    })
    .await
}

/// Merchant accounts with ids after `after`, at most `fetch`.
pub async fn list(
    state: &AppState,
    after: i64,
    fetch: i64,
) -> Result<Vec<zones::MerchantAccount>, ApiError> {
    super::run(&state.pool, move |conn| {
        Ok(zones::list_merchant_accounts(conn, after, fetch)?)
    })
    .await
}

pub async fn find(state: &AppState, id: i64) -> Result<zones::MerchantAccount, ApiError> {
    super::run(&state.pool, move |conn| {
        zones::find_merchant_account(conn, id)?
            .ok_or_else(|| ApiError::NotFound(format!("merchant account {id} does not exist")))
    })
    .await
}

//! Reading payments: a filtered page, one payment with its first callbacks, and a payment's
//! callbacks page by page.

use crate::db::payments::{self as repo, Callback, Names, Payment, PaymentFilter};
use crate::error::ApiError;
use crate::state::AppState;

/// Payments matching `filter` with ids after `after`, at most `fetch`.
pub async fn list(
    state: &AppState,
    filter: PaymentFilter,
    after: i64,
    fetch: i64,
) -> Result<(Vec<Payment>, Names), ApiError> {
    super::run(&state.pool, move |conn| {
        let list = repo::list_payments(conn, &filter, after, fetch)?;
        let names = repo::names_for(conn, &list)?;
        Ok((list, names))
    })
    .await
}

/// A payment and its first `fetch` callbacks in arrival order.
pub async fn find(
    state: &AppState,
    id: i64,
    fetch: i64,
) -> Result<(Payment, Names, Vec<Callback>), ApiError> {
    super::run(&state.pool, move |conn| {
        let payment = repo::find_payment(conn, id)?.ok_or_else(|| not_found(id))?;
        let names = repo::names_for(conn, std::slice::from_ref(&payment))?;
        Ok((payment, names, repo::callbacks_of(conn, id, 0, fetch)?))
    })
    .await
}

/// A payment's callbacks with ids after `after`, at most `fetch`.
pub async fn callbacks(
    state: &AppState,
    id: i64,
    after: i64,
    fetch: i64,
) -> Result<Vec<Callback>, ApiError> {
    super::run(&state.pool, move |conn| {
        repo::find_payment(conn, id)?.ok_or_else(|| not_found(id))?;
        Ok(repo::callbacks_of(conn, id, after, fetch)?)
    })
    .await
}

fn not_found(id: i64) -> ApiError {
    ApiError::NotFound(format!("payment {id} does not exist"))
}

//! The server's own alert evaluation (SPEC §12): every `interval`, today's intra-day signals
//! and, once after local midnight, yesterday's day signals. The evaluation lock makes several
//! servers take turns; a database outage is logged and the next tick tries again.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::db::PgPool;
use crate::error::ApiError;
use crate::services::alerts::{self, Tick};
use crate::webhook::AlertWebhook;

/// Starts the loop on the current runtime; an `interval` of zero starts nothing.
pub fn start(pool: PgPool, tz: Tz, interval: Duration, webhook: Option<Arc<AlertWebhook>>) {
    if interval.is_zero() {
        return;
    }
    actix_web::rt::spawn(async move {
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match run_once(&pool, tz, Utc::now(), webhook.as_deref()).await {
                Ok(t) if t.skipped => {
                    tracing::debug!("alert evaluation: another server holds the lock")
                }
                Ok(t) if !t.opened.is_empty() => {
                    tracing::info!(opened = t.opened.len(), "alert evaluation")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "alert evaluation failed; next tick retries"),
            }
        }
    });
}

/// One tick at `now`: the service's tick, then the new high-severity alerts to the webhook.
pub async fn run_once(
    pool: &PgPool,
    tz: Tz,
    now: DateTime<Utc>,
    webhook: Option<&AlertWebhook>,
) -> Result<Tick, ApiError> {
    let tick = crate::services::run(pool, move |conn| alerts::tick(conn, now, tz)).await?;
    if let Some(hook) = webhook {
        hook.send_new(&tick.opened);
    }
    Ok(tick)
}

//! The server's own alert evaluation (SPEC §12): every `interval`, today's intra-day signals
//! and, once after local midnight, yesterday's day signals. The evaluation lock makes several
//! servers take turns; every city is evaluated in its own business day, acting for it alone.
//! A database outage is logged and the next tick tries again.

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
            let now = Utc::now();
            let cities = crate::services::run(&pool, |conn| Ok(crate::db::cities::all(conn)?));
            let cities = match cities.await {
                Ok(cities) => cities,
                Err(e) => {
                    tracing::warn!(error = %e, "alert evaluation cannot list the cities; next tick retries");
                    continue;
                }
            };
            for city in cities {
                // Each city in its own business day (the default city's is the settings').
                let city_tz = if city.id == crate::state::DEFAULT_CITY {
                    tz
                } else {
                    city.timezone.parse().unwrap_or(tz)
                };
                let tick = run_once(&pool, city_tz, now, webhook.as_deref());
                let acting = crate::state::Acting {
                    city: Some(city.id),
                    timezone: city_tz,
                };
                match crate::state::in_city(acting, tick).await {
                    Ok(t) if t.skipped => {
                        tracing::debug!(city = %city.code, "alert evaluation: another server holds the lock")
                    }
                    Ok(t) if !t.opened.is_empty() => {
                        tracing::info!(city = %city.code, opened = t.opened.len(), "alert evaluation")
                    }
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(city = %city.code, error = %e, "alert evaluation failed; next tick retries")
                    }
                }
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

//! Whom work acts for (SPEC §17): a city and its zone, carried with a request from the moment
//! its city is known (its token, a spot's code, a callback's credentials) to every connection
//! it checks out, which is then set to that city (`db::act_for`) and held to it by row-level
//! security. Outside any request (the CLI, `demo`, the benches) work acts for the default city.

use chrono_tz::Tz;

/// The city the deployment was before it had several (migration 000020): what the single-city
/// settings describe, and whom work outside any request (the CLI, `demo`, the benches) acts for.
pub const DEFAULT_CITY: i64 = 1;

/// Whom work acts for: a city (none: an operator, of no city) and that city's zone, in which
/// its business day runs (SPEC §17).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Acting {
    pub city: Option<i64>,
    pub timezone: Tz,
}

tokio::task_local! {
    /// Whom the current request acts for: from its token, or from what it looked up (a
    /// spot's code, a callback's credentials).
    static ACTING: Acting;
}

/// The city work started now acts for: the request's, else (outside any request) the default
/// city.
pub fn current_city() -> Option<i64> {
    ACTING.try_with(|a| a.city).unwrap_or(Some(DEFAULT_CITY))
}

/// Whom the current request acts for, if it is acting for anyone (outside any request: none).
pub fn current_acting() -> Option<Acting> {
    ACTING.try_with(|a| *a).ok()
}

/// Runs `work` (a request's handling, a job's tick) acting for `acting`: every
/// `state::run` inside it sets its connection to that city, which row-level security holds it
/// to, and `AppState::timezone` is that city's.
pub async fn in_city<F: std::future::Future>(acting: Acting, work: F) -> F::Output {
    ACTING.scope(acting, work).await
}

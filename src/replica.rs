//! Reads a standby may serve (SPEC §18): the reports of past periods go to
//! `PARKIR_READ_DATABASE_URL` while its replay lag is within `PARKIR_MAX_READ_LAG_SECS`, in a
//! read-only transaction; a standby that lags, cannot give a connection or fails the read leaves
//! the read to the primary, so no answer is a 5xx because of a standby. The reads themselves are
//! started by `state::read` (and `state::primary_then_standby`); everything that writes goes
//! through `state::run` on the primary.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use diesel::PgConnection;

use crate::db::{self, PgPool};
use crate::error::ApiError;

/// How long one measure of the lag is believed: at most one read in this interval pays for
/// measuring it (and, with the standby away, for the wait on its connection).
pub const RECHECK: Duration = Duration::from_secs(1);

/// What the last check found of the standby.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Standby {
    /// Its replay lag in seconds (infinite when it has replayed nothing yet).
    Lag(f64),
    /// No connection, or its connection failed.
    Away,
}

/// Why a read went to the primary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    Lag,
    Unavailable,
}

/// What a read does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Plan {
    /// Measure the lag on the standby's connection first (the last check is stale or absent).
    Measure,
    /// Read on the standby.
    Read,
    Primary(Fallback),
}

#[derive(Clone, Copy, Debug)]
struct Check {
    at: Instant,
    standby: Standby,
}

/// The decision, pure: a fresh check decides; a stale one is claimed (its time moved to now)
/// by the read that measures again, so that concurrent reads keep to the last finding meanwhile.
fn plan(last: &mut Option<Check>, now: Instant, max_lag: Duration) -> Plan {
    let Some(check) = last else {
        return Plan::Measure;
    };
    if now.saturating_duration_since(check.at) >= RECHECK {
        check.at = now;
        return Plan::Measure;
    }
    verdict(check.standby, max_lag)
}

fn verdict(standby: Standby, max_lag: Duration) -> Plan {
    match standby {
        Standby::Away => Plan::Primary(Fallback::Unavailable),
        Standby::Lag(seconds) if seconds > max_lag.as_secs_f64() => Plan::Primary(Fallback::Lag),
        Standby::Lag(_) => Plan::Read,
    }
}

/// The standby's pool, its last check, and what `/metrics` shows of it.
pub struct ReadReplica {
    pool: PgPool,
    max_lag: Duration,
    last: Mutex<Option<Check>>,
    standby_reads: AtomicU64,
    primary_reads_lag: AtomicU64,
    primary_reads_unavailable: AtomicU64,
}

/// What `/metrics` shows of the read standby.
pub struct ReplicaStats {
    /// The last measured replay lag, seconds; `None` before the first or while it is away.
    pub lag_seconds: Option<f64>,
    pub standby_reads: u64,
    pub primary_reads_lag: u64,
    pub primary_reads_unavailable: u64,
}

impl ReadReplica {
    pub fn new(pool: PgPool, max_lag: Duration) -> Self {
        Self {
            pool,
            max_lag,
            last: Mutex::new(None),
            standby_reads: AtomicU64::new(0),
            primary_reads_lag: AtomicU64::new(0),
            primary_reads_unavailable: AtomicU64::new(0),
        }
    }

    pub fn stats(&self) -> ReplicaStats {
        let lag_seconds = match self.last.lock().ok().and_then(|l| *l) {
            Some(Check {
                standby: Standby::Lag(s),
                ..
            }) => Some(s),
            _ => None,
        };
        ReplicaStats {
            lag_seconds,
            standby_reads: self.standby_reads.load(Ordering::Relaxed),
            primary_reads_lag: self.primary_reads_lag.load(Ordering::Relaxed),
            primary_reads_unavailable: self.primary_reads_unavailable.load(Ordering::Relaxed),
        }
    }

    /// Records a check; a change between usable, lagging and away is logged once.
    fn note(&self, standby: Standby) {
        let Ok(mut last) = self.last.lock() else {
            return;
        };
        let before = last.map(|c| verdict(c.standby, self.max_lag));
        let now = verdict(standby, self.max_lag);
        if before != Some(now) {
            match standby {
                Standby::Away => tracing::warn!("read standby away: reports read from the primary"),
                Standby::Lag(s) if now == Plan::Primary(Fallback::Lag) => tracing::warn!(
                    lag_seconds = s,
                    "read standby lags: reports read from the primary"
                ),
                Standby::Lag(s) => tracing::info!(lag_seconds = s, "read standby serves reports"),
            }
        }
        *last = Some(Check {
            at: Instant::now(),
            standby,
        });
    }

    /// [`Self::try_read`], counted in the metrics (a standby read, or a fallback and why);
    /// `None` when the primary must answer instead. Blocking.
    pub fn read_counted<T, F>(&self, work: F) -> Option<Result<T, ApiError>>
    where
        F: FnOnce(&mut PgConnection) -> Result<T, ApiError>,
    {
        let tried = self.try_read(work);
        let counter = match &tried {
            Ok(_) => &self.standby_reads,
            Err(Fallback::Lag) => &self.primary_reads_lag,
            Err(Fallback::Unavailable) => &self.primary_reads_unavailable,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        tried.ok()
    }

    /// The read on the standby, in a read-only transaction; `Err` says why it must go to the
    /// primary instead. Blocking: runs on actix's blocking pool.
    pub fn try_read<T, F>(&self, work: F) -> Result<Result<T, ApiError>, Fallback>
    where
        F: FnOnce(&mut PgConnection) -> Result<T, ApiError>,
    {
        let step = match self.last.lock() {
            Ok(mut last) => plan(&mut last, Instant::now(), self.max_lag),
            Err(_) => Plan::Measure,
        };
        if let Plan::Primary(why) = step {
            return Err(why);
        }
        let mut conn = self.pool.get().map_err(|e| {
            tracing::debug!(error = %e, "no connection to the read standby");
            self.note(Standby::Away);
            Fallback::Unavailable
        })?;
        if step == Plan::Measure {
            match db::replica::replay_lag(&mut conn) {
                Ok(lag) => {
                    let standby = Standby::Lag(lag.unwrap_or(f64::INFINITY));
                    self.note(standby);
                    if let Plan::Primary(why) = verdict(standby, self.max_lag) {
                        return Err(why);
                    }
                }
                Err(e) => {
                    tracing::debug!(error = %e, "measuring the read standby's lag failed");
                    conn.discard();
                    self.note(Standby::Away);
                    return Err(Fallback::Unavailable);
                }
            }
        }
        match conn.build_transaction().read_only().run(work) {
            // The standby went away mid-read, or failed it (a conflict with recovery cancels a
            // query on a standby): the primary answers instead.
            Err(ApiError::Unavailable(why)) => {
                tracing::debug!(%why, "the read standby failed a read");
                conn.discard();
                self.note(Standby::Away);
                Err(Fallback::Unavailable)
            }
            Err(ApiError::Internal(e)) => {
                tracing::warn!(error = %format!("{e:#}"), "a read on the standby failed; reading from the primary");
                conn.discard();
                Err(Fallback::Unavailable)
            }
            answer => Ok(answer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: Duration = Duration::from_secs(10);

    #[test]
    fn a_fresh_check_decides_and_a_stale_one_is_measured_again_by_one_read() {
        let t0 = Instant::now();
        let mut last = None;
        assert_eq!(plan(&mut last, t0, MAX), Plan::Measure, "nothing known yet");
        for (standby, expected) in [
            (Standby::Lag(0.0), Plan::Read),
            (Standby::Lag(10.0), Plan::Read),
            (Standby::Lag(10.5), Plan::Primary(Fallback::Lag)),
            (Standby::Lag(f64::INFINITY), Plan::Primary(Fallback::Lag)),
            (Standby::Away, Plan::Primary(Fallback::Unavailable)),
        ] {
            last = Some(Check { at: t0, standby });
            assert_eq!(plan(&mut last, t0 + RECHECK / 2, MAX), expected);
            // Stale: the first read measures, and claims the check for the others.
            let later = t0 + RECHECK;
            assert_eq!(plan(&mut last, later, MAX), Plan::Measure);
            assert_eq!(plan(&mut last, later, MAX), expected, "{standby:?}");
        }
    }

    #[test]
    fn a_zero_bound_admits_only_a_caught_up_standby() {
        let t0 = Instant::now();
        let mut last = Some(Check {
            at: t0,
            standby: Standby::Lag(0.0),
        });
        assert_eq!(plan(&mut last, t0, Duration::ZERO), Plan::Read);
        last = Some(Check {
            at: t0,
            standby: Standby::Lag(0.2),
        });
        assert_eq!(
            plan(&mut last, t0, Duration::ZERO),
            Plan::Primary(Fallback::Lag)
        );
    }
}

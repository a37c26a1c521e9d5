//! Prometheus metrics: requests and latency per route and status, and the pool's state.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder,
};

use std::sync::atomic::Ordering;

use crate::db::health::Replication;
use crate::db::{POOL_COUNTERS, PgPool};
use crate::replica::ReplicaStats;

/// One registry per application (tests run many side by side).
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool: IntGaugeVec,
    rejected: IntCounterVec,
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "parkir_http_requests_total",
                "HTTP requests by route and status",
            ),
            &["method", "route", "status"],
        )
        .expect("static metric definition");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "parkir_http_request_duration_seconds",
                "HTTP request latency by route",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ]),
            &["method", "route", "status"],
        )
        .expect("static metric definition");
        let pool = IntGaugeVec::new(
            Opts::new(
                "parkir_db_pool_connections",
                "database pool connections by state",
            ),
            &["state"],
        )
        .expect("static metric definition");
        let rejected = IntCounterVec::new(
            Opts::new(
                "parkir_callbacks_rejected_total",
                "gateway callbacks refused before recording, by gateway and reason",
            ),
            &["gateway", "reason"],
        )
        .expect("static metric definition");
        for collector in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(pool.clone()),
            Box::new(rejected.clone()),
        ] {
            registry
                .register(collector)
                .expect("metric registered once");
        }
        Self {
            registry,
            requests,
            latency,
            pool,
            rejected,
        }
    }

    /// Counts a refused callback. Both labels come from fixed sets (the gateway's name and
    /// the kind of refusal), so nothing a caller sends adds a series; nothing of the request
    /// is stored (SPEC §10).
    pub fn callback_rejected(&self, gateway: &'static str, reason: &'static str) {
        self.rejected.with_label_values(&[gateway, reason]).inc();
    }

    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let status = status.to_string();
        let labels = [method, route, status.as_str()];
        self.requests.with_label_values(&labels).inc();
        self.latency.with_label_values(&labels).observe(seconds);
    }

    /// The text exposition, with the pool gauges read now, the pool's connection counts, the
    /// primary's replication state when this role may read it, and the read standby's lag and
    /// reads when one is configured.
    pub fn render(
        &self,
        pool: &PgPool,
        replication: Option<&Replication>,
        replica: Option<ReplicaStats>,
    ) -> String {
        let state = pool.state();
        let idle = i64::from(state.idle_connections);
        let total = i64::from(state.connections);
        self.pool.with_label_values(&["idle"]).set(idle);
        self.pool.with_label_values(&["in_use"]).set(total - idle);
        self.pool
            .with_label_values(&["max"])
            .set(i64::from(pool.max_size()));
        let mut out = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        let mut text = String::from_utf8(out).unwrap_or_default();
        let counters = [
            (
                "parkir_db_connects_total",
                "Connections the pool opened (first ones and reconnects)",
                &POOL_COUNTERS.connects,
            ),
            (
                "parkir_db_connect_errors_total",
                "Connection attempts that failed (no server, or none accepting writes)",
                &POOL_COUNTERS.connect_errors,
            ),
            (
                "parkir_db_connections_discarded_total",
                "Connections dropped because their server went away or became read-only",
                &POOL_COUNTERS.discarded,
            ),
        ];
        for (name, help, value) in counters {
            let value = value.load(Ordering::Relaxed);
            text.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n"
            ));
        }
        if let Some(r) = replication.filter(|r| r.readable) {
            let mut gauge = |name: &str, help: &str, value: f64| {
                text.push_str(&format!(
                    "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n"
                ));
            };
            gauge(
                "parkir_db_replication_standbys",
                "Standbys streaming from the primary",
                r.standbys as f64,
            );
            gauge(
                "parkir_db_replication_sync_standbys",
                "Standbys a commit waits for (sync or quorum)",
                r.sync_standbys as f64,
            );
            gauge(
                "parkir_db_replication_synchronous",
                "1 when commits wait for a standby (synchronous_standby_names is set)",
                f64::from(r.synchronous),
            );
            gauge(
                "parkir_db_replication_replay_lag_seconds",
                "The largest replay lag of a standby, seconds",
                r.max_replay_lag_seconds.unwrap_or(0.0),
            );
        }
        if let Some(r) = replica {
            if let Some(lag) = r.lag_seconds {
                let lag = if lag.is_finite() {
                    lag.to_string()
                } else {
                    "+Inf".to_owned()
                };
                text.push_str(&format!(
                    "# HELP parkir_read_replica_lag_seconds Replay lag of the read standby at its last check, seconds (0 when caught up)\n\
                     # TYPE parkir_read_replica_lag_seconds gauge\n\
                     parkir_read_replica_lag_seconds {lag}\n"
                ));
            }
            text.push_str(&format!(
                "# HELP parkir_read_replica_reads_total Report reads by the pool that served them\n\
                 # TYPE parkir_read_replica_reads_total counter\n\
                 parkir_read_replica_reads_total{{pool=\"standby\"}} {}\n\
                 parkir_read_replica_reads_total{{pool=\"primary\"}} {}\n\
                 # HELP parkir_read_replica_fallbacks_total Report reads sent to the primary, by why\n\
                 # TYPE parkir_read_replica_fallbacks_total counter\n\
                 parkir_read_replica_fallbacks_total{{reason=\"lag\"}} {}\n\
                 parkir_read_replica_fallbacks_total{{reason=\"unavailable\"}} {}\n",
                r.standby_reads,
                r.primary_reads_lag + r.primary_reads_unavailable,
                r.primary_reads_lag,
                r.primary_reads_unavailable,
            ));
        }
        text
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// The method as a label from a fixed set: a made-up method is `other`, so no request can add
/// series of its own.
fn method_label(method: &actix_web::http::Method) -> &'static str {
    use actix_web::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Middleware: times every request and counts it under its route pattern (never the raw path,
/// so ids do not explode the label set).
pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let method = method_label(req.method());
    let res = next.call(req).await?;
    if let Some(metrics) = metrics {
        let route = res
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_owned());
        metrics.observe(
            method,
            &route,
            res.status().as_u16(),
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(res)
}

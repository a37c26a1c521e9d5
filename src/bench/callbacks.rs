//! `parkir bench callbacks --requests N --concurrency C`: the application in-process on a free
//! port with the demo gateway credentials; a load generator in this binary (keep-alive HTTP,
//! C connections) fires N signed SNAP notifications for real spots, 10% of them repeats; then
//! what was stored is counted. In the same run, the baseline: N single-row INSERT transactions
//! straight into PostgreSQL over C connections.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use hmac::{Hmac, KeyInit, Mac};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use secrecy::SecretString;
use sha2::{Sha256, Sha512};

use super::{BenchDb, rss_peak_mb};
use crate::config::Settings;
use crate::demo;
use crate::gateways::snap::{NOTIFY_PATH, string_to_sign};

/// The demo gateway's private key (public, demo-only), to sign as the gateway does.
const GATEWAY_KEY: &str = include_str!("../../demo/snap-gateway-DEMO-ONLY.key");

pub struct CallbackBench {
    pub callbacks_per_s: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub baseline_inserts_per_s: f64,
    pub stored: i64,
    pub expected: i64,
    pub failures: usize,
    pub rss_peak_mb: f64,
}

struct Request {
    headers: Vec<(String, String)>,
    body: String,
}

fn wib_now() -> String {
    Utc::now()
        .with_timezone(&crate::gateways::wib())
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

pub fn run(mut settings: Settings, n: usize, concurrency: usize) -> anyhow::Result<CallbackBench> {
    use secrecy::ExposeSecret;
    let db = BenchDb::create(settings.database_url.expose_secret())?;
    let tz = settings.timezone;
    {
        let mut conn = PgConnection::establish(&db.url)?;
        demo::seed(
            &mut conn,
            tz,
            "bench-kata-sandi-7421",
            &crate::progress::bar(demo::SEED_STEPS, "seeding the demo city"),
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    settings.database_url = SecretString::from(db.url.clone());
    measure(
        settings,
        &db.url,
        n,
        concurrency,
        &demo_targets(),
        Baseline::Scratch,
    )
}

/// Where a signed notification goes: the city's SNAP client key (its partner id) and one of
/// its terminals.
#[derive(Clone, Debug)]
pub struct Target {
    pub partner: String,
    pub terminal: String,
}

/// The demo city's ten spots, under the settings' SNAP client key.
pub fn demo_targets() -> Vec<Target> {
    (1..=5)
        .map(|i| format!("JMBPSR{i:03}"))
        .chain((1..=5).map(|i| format!("JMBTLN{i:03}")))
        .map(|terminal| Target {
            partner: demo::SNAP_CLIENT_KEY.to_owned(),
            terminal,
        })
        .collect()
}

/// Where the baseline's single-row INSERTs go.
#[derive(Clone, Copy, Debug)]
pub enum Baseline {
    /// A fresh table with the payments' identity (`bench callbacks`, as always measured).
    Scratch,
    /// The payments table itself at its size, with its indexes, constraints and triggers
    /// (`bench scale`): a paid row at spot `who` credited to nobody, so that the phones'
    /// NOTIFY (issue 24) stays out of it — every notifying transaction takes one cluster-wide
    /// lock through its commit, which would make the baseline a measure of that lock.
    Payments { who: i64 },
}

/// Starts the application on `database_url` (already seeded; the gateways' demo credentials
/// are added), fires `n` signed notifications at `terminals` over `concurrency` connections,
/// counts what was stored, then measures the baseline.
pub fn measure(
    mut settings: Settings,
    database_url: &str,
    n: usize,
    concurrency: usize,
    targets: &[Target],
    baseline_table: Baseline,
) -> anyhow::Result<CallbackBench> {
    settings.database_url = SecretString::from(database_url.to_owned());
    settings.bind = "127.0.0.1:0".into();
    demo::default_gateways(&mut settings.gateways);
    let since =
        crate::domain::business_date(Utc::now(), settings.timezone) - chrono::Duration::days(1);

    // The server, on its own actix system thread.
    let (port, handle, server) = super::serve(&settings)?;
    let base = format!("http://127.0.0.1:{port}");

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let progress = crate::progress::bar(n as u64, "signed callbacks");
    let tag = format!("{:x}", Utc::now().timestamp_millis());
    let result = runtime.block_on(load(&base, n, concurrency, targets, &tag, &progress));
    progress.finish_and_clear();
    runtime.block_on(handle.stop(true));
    let _ = server.join();
    let (elapsed, mut latencies, failures, expected) = result?;

    let mut conn = PgConnection::establish(database_url)?;
    // Through the day's index: a big payments table is not scanned for the bench's rows.
    let stored = diesel::sql_query(
        "SELECT count(*) AS n FROM payments WHERE business_date >= $2 AND gateway_txn_id LIKE $1",
    )
    .bind::<Text, _>(format!("BENCH-{tag}-%"))
    .bind::<diesel::sql_types::Date, _>(since)
    .get_result::<Count>(&mut conn)?
    .n;
    latencies.sort_by(|a, b| a.total_cmp(b));
    let baseline = baseline(database_url, n, concurrency, baseline_table)?;
    Ok(CallbackBench {
        callbacks_per_s: n as f64 / elapsed,
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
        baseline_inserts_per_s: baseline,
        stored,
        expected,
        failures,
        rss_peak_mb: rss_peak_mb(),
    })
}

/// Fetches a B2B token, signs N notifications (10% repeats) before the clock starts, then
/// fires them over `concurrency` keep-alive connections.
async fn load(
    base: &str,
    n: usize,
    concurrency: usize,
    targets: &[Target],
    tag: &str,
    progress: &indicatif::ProgressBar,
) -> anyhow::Result<(f64, Vec<f64>, usize, i64)> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_secs(30))
        .build()?;
    // One B2B token per partner (per city), as each city's gateway would hold.
    let mut tokens = std::collections::HashMap::new();
    for t in targets {
        if !tokens.contains_key(&t.partner) {
            tokens.insert(
                t.partner.clone(),
                snap_token(&client, base, &t.partner).await?,
            );
        }
    }

    let mut requests: Vec<Arc<Request>> = Vec::with_capacity(n);
    let mut distinct = 0i64;
    for i in 0..n {
        if i % 10 == 9 {
            // A repeat of an earlier notification, byte for byte.
            let earlier = requests[(i * 7919) % i].clone();
            requests.push(earlier);
            continue;
        }
        distinct += 1;
        let ts = wib_now();
        let target = &targets[i % targets.len()];
        let (amount, terminal) = (
            if i % 3 == 0 { "3000.00" } else { "2000.00" },
            &target.terminal,
        );
        let token = &tokens[&target.partner];
        let body = format!(
            r#"{{"originalReferenceNo":"BENCH-{tag}-{i:08}","latestTransactionStatus":"00","amount":{{"value":"{amount}","currency":"IDR"}},"additionalInfo":{{"terminalId":"{terminal}","paidTime":"{ts}"}}}}"#
        );
        let message = string_to_sign("POST", NOTIFY_PATH, Some(token), body.as_bytes(), &ts);
        let mut mac = Hmac::<Sha512>::new_from_slice(demo::SNAP_CLIENT_SECRET.as_bytes())
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        mac.update(message.as_bytes());
        let sig = STANDARD.encode(mac.finalize().into_bytes());
        requests.push(Arc::new(Request {
            headers: vec![
                ("Authorization".into(), format!("Bearer {token}")),
                ("X-TIMESTAMP".into(), ts),
                ("X-SIGNATURE".into(), sig),
                ("X-PARTNER-ID".into(), target.partner.clone()),
                ("X-EXTERNAL-ID".into(), i.to_string()),
                ("CHANNEL-ID".into(), "95221".into()),
            ],
            body,
        }));
    }
    let requests = Arc::new(requests);
    let next = Arc::new(AtomicUsize::new(0));
    let url = Arc::new(format!("{base}/snap/v1.0/qr/qr-mpm-notify"));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let (client, requests, next, url, progress) = (
            client.clone(),
            requests.clone(),
            next.clone(),
            url.clone(),
            progress.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failures = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(req) = requests.get(i) else { break };
                let mut builder = client
                    .post(url.as_str())
                    .header("Content-Type", "application/json");
                for (k, v) in &req.headers {
                    builder = builder.header(k.as_str(), v.as_str());
                }
                let sent = Instant::now();
                let ok = match builder.body(req.body.clone()).send().await {
                    Ok(res) => res.status() == 200 && res.bytes().await.is_ok(),
                    Err(_) => false,
                };
                latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
                progress.inc(1);
                if !ok {
                    failures += 1;
                }
            }
            (latencies, failures)
        }));
    }
    let mut latencies = Vec::with_capacity(n);
    let mut failures = 0;
    for t in tasks {
        let (l, f) = t.await?;
        latencies.extend(l);
        failures += f;
    }
    Ok((
        started.elapsed().as_secs_f64(),
        latencies,
        failures,
        distinct,
    ))
}

/// A B2B token for `partner`, asked as the gateway asks (signed with the demo key).
async fn snap_token(client: &reqwest::Client, base: &str, partner: &str) -> anyhow::Result<String> {
    let ts = wib_now();
    let key = rsa::PrivateKey::from_pkcs8_pem(GATEWAY_KEY)?;
    let signature = STANDARD.encode(
        SigningKey::<Sha256>::new(key)
            .sign(format!("{partner}|{ts}").as_bytes())
            .to_bytes(),
    );
    let token: serde_json::Value = client
        .post(format!("{base}/snap/v1.0/access-token/b2b"))
        .header("Content-Type", "application/json")
        .header("X-CLIENT-KEY", partner)
        .header("X-TIMESTAMP", &ts)
        .header("X-SIGNATURE", signature)
        .body(r#"{"grantType":"client_credentials"}"#)
        .send()
        .await?
        .json()
        .await?;
    token["accessToken"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no SNAP token for {partner}: {token}"))
}

/// N single-row INSERT transactions (autocommit, synchronous commit as configured) over
/// `concurrency` connections, into `table` (see [`Baseline`]).
pub fn baseline(url: &str, n: usize, concurrency: usize, table: Baseline) -> anyhow::Result<f64> {
    let mut conn = PgConnection::establish(url)?;
    let insert = match table {
        Baseline::Scratch => {
            conn.batch_execute(
                "DROP TABLE IF EXISTS baseline_inserts;
                 CREATE TABLE baseline_inserts (id BIGSERIAL PRIMARY KEY, gateway TEXT NOT NULL, txn TEXT NOT NULL,
                 amount BIGINT NOT NULL, paid_at TIMESTAMPTZ NOT NULL, UNIQUE (gateway, txn))",
            )?;
            "INSERT INTO baseline_inserts (gateway, txn, amount, paid_at) VALUES ('snap', $1, 2000, now())"
                .to_owned()
        }
        Baseline::Payments { who } => format!(
            "INSERT INTO payments (gateway, gateway_txn_id, source, terminal_id, amount, paid_at,
                                   business_date, status, spot_id, attendant_id, zone_version_id,
                                   attendant_share_bps, vehicle_class)
             VALUES ('snap', $1, 'callback', 'B{who}', 2000, now(), current_date, 'paid', {who},
                     NULL, 1, 6000, 'motorcycle')"
        ),
    };
    let progress = crate::progress::bar(n as u64, "baseline INSERTs");
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (url, next, insert, progress) = (
                url.to_owned(),
                next.clone(),
                insert.clone(),
                progress.clone(),
            );
            std::thread::spawn(move || -> anyhow::Result<()> {
                let mut conn = PgConnection::establish(&url)?;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        return Ok(());
                    }
                    diesel::sql_query(insert.as_str())
                        .bind::<Text, _>(format!("BASELINE-{i}"))
                        .execute(&mut conn)?;
                    progress.inc(1);
                }
            })
        })
        .collect();
    for w in workers {
        w.join()
            .map_err(|_| anyhow::anyhow!("a baseline worker panicked"))??;
    }
    let per_s = n as f64 / started.elapsed().as_secs_f64();
    progress.finish_and_clear();
    Ok(per_s)
}

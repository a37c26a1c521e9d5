//! `parkir bench failover --requests N` (SPEC §14, needs `scripts/ha up` and its multi-host
//! `DATABASE_URL`): the application in-process on a scratch database of the formation; a load
//! generator sends N signed Xendit callbacks, each retried like a gateway retries (until a 2xx),
//! in as many segments as failovers. In each segment the primary is killed (`--kill`, default
//! `scripts/ha kill-primary`) once a third of the segment is sent; after the segment the lost
//! node is brought back (`--revive`, default `scripts/ha up`) so the next failover has a
//! standby to promote. Then every acknowledged callback is looked for in the database.
//!
//! The callbacks name no spot, so they are stored unmatched and flagged: the same intake,
//! transaction and unique keys as a matched payment, without seeding a city.

use std::collections::{BTreeMap, HashSet};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use secrecy::{ExposeSecret, SecretString};

use super::BenchDb;
use crate::config::Settings;

const TOKEN: &str = "bench-failover-xendit-token";

/// How long one callback is retried before the gateway gives up (it is then not acknowledged).
const GIVE_UP: Duration = Duration::from_secs(120);

/// One failover's segment of the run.
#[derive(Debug)]
pub struct Failover {
    /// The node the kill command named.
    pub killed: String,
    /// Callbacks of the segment answered 2xx.
    pub acked: usize,
    /// Callbacks of the segment the database holds (distinct).
    pub stored: usize,
    /// Acknowledged but not in the database.
    pub lost: usize,
    /// Rows beyond one per callback.
    pub duplicated: usize,
    /// Callbacks the gateway gave up on (never acknowledged; not lost).
    pub unacked: usize,
    /// From the kill to the first 2xx for a callback first sent after it.
    pub unavailable_s: f64,
    /// The baseline, in the same run: from the kill to the first write PostgreSQL itself
    /// accepts through the same multi-host URL (a new connection every 100 ms).
    pub db_unavailable_s: f64,
    /// Answers other than 2xx (and connection errors) that were retried.
    pub retries: usize,
}

/// One callback, settled: acknowledged (answered) or given up.
#[derive(Clone, Copy)]
struct Settled {
    index: usize,
    first_sent: Instant,
    answered: Option<Instant>,
    retries: usize,
}

struct Shared {
    /// Requests below this index may be sent now.
    allowed: AtomicUsize,
    /// The pace: request i is sent no earlier than `started + i / rate`.
    started: Instant,
    rate: f64,
    next: AtomicUsize,
    settled: Mutex<Vec<Settled>>,
    done: AtomicBool,
}

fn body(run: &str, i: usize) -> String {
    let created = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
    format!(
        r#"{{"event":"qr.payment","api_version":"2022-07-31","data":{{"id":"{}","currency":"IDR","amount":2000,"status":"SUCCEEDED","created":"{created}","reference_id":"FAILOVER-{run}-{i:06}","type":"DYNAMIC"}}}}"#,
        txn(run, i)
    )
}

fn txn(run: &str, i: usize) -> String {
    format!("qrpy_fo_{run}_{i:06}")
}

/// Runs a shell command of the operator's (kill, revive); its last output line is returned.
fn shell(command: &str) -> anyhow::Result<String> {
    let out = Command::new("sh").arg("-c").arg(command).output()?;
    if !out.status.success() {
        anyhow::bail!(
            "`{command}` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(text.lines().last().unwrap_or("").trim().to_owned())
}

#[derive(QueryableByName)]
struct Stored {
    #[diesel(sql_type = Text)]
    txn: String,
    #[diesel(sql_type = BigInt)]
    rows: i64,
}

pub fn run(
    mut settings: Settings,
    n: usize,
    concurrency: usize,
    failovers: usize,
    rate: f64,
    kill: &str,
    revive: &str,
) -> anyhow::Result<Vec<Failover>> {
    let failovers = failovers.max(1);
    let db = BenchDb::create(settings.database_url.expose_secret())?;
    settings.database_url = SecretString::from(db.url.clone());
    settings.bind = "127.0.0.1:0".into();
    settings.alerts.interval = Duration::ZERO;
    settings.gateways.xendit_callback_token = Some(SecretString::from(TOKEN));

    let (port, handle, server) = super::serve(&settings)?;
    let url = format!("http://127.0.0.1:{port}/api/v1/gateways/xendit/qr");
    let run_id = std::process::id().to_string();

    let shared = Arc::new(Shared {
        allowed: AtomicUsize::new(0),
        started: Instant::now(),
        rate: rate.max(1.0),
        next: AtomicUsize::new(0),
        settled: Mutex::new(Vec::with_capacity(n)),
        done: AtomicBool::new(false),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let mut workers = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (shared, url, run_id) = (shared.clone(), url.clone(), run_id.clone());
        workers.push(runtime.spawn(async move { gateway(shared, url, run_id, n).await }));
    }

    // The controller: one segment per failover.
    let segment = n.div_ceil(failovers);
    let mut kills = Vec::new();
    for k in 0..failovers {
        let (start, end) = (k * segment, ((k + 1) * segment).min(n));
        shared.allowed.store(end, Ordering::SeqCst);
        while shared.next.load(Ordering::SeqCst) < start + (end - start) / 3 {
            std::thread::sleep(Duration::from_millis(5));
        }
        let killed = shell(kill)?;
        // From when the kill has happened: a callback first sent after this cannot be on the
        // lost node.
        let at = Instant::now();
        tracing::info!(%killed, "killed the primary");
        let baseline = std::thread::spawn({
            let url = db.url.clone();
            move || database_back(&url, at)
        });
        // Writes come back (a callback first sent after the kill is acknowledged: a new
        // primary took it) and the segment finishes; then the lost node comes back as a
        // standby, so the next failover has one to promote.
        while !written_since(&shared, at) || settled(&shared, start, end) < end - start {
            std::thread::sleep(Duration::from_millis(20));
        }
        let db_back = baseline.join().unwrap_or_default();
        kills.push((start, end, at, killed, db_back));
        shell(revive)?;
    }
    shared.done.store(true, Ordering::SeqCst);
    for w in workers {
        let _ = runtime.block_on(w);
    }
    runtime.block_on(handle.stop(true));
    let _ = server.join();

    // What the database holds, per callback.
    let mut conn = PgConnection::establish(&db.url)?;
    let rows: Vec<Stored> = diesel::sql_query(
        "SELECT gateway_txn_id AS txn, count(*) AS rows FROM payments \
         WHERE gateway_txn_id LIKE $1 GROUP BY gateway_txn_id",
    )
    .bind::<Text, _>(format!("qrpy_fo_{run_id}_%"))
    .load(&mut conn)?;
    let stored: BTreeMap<String, i64> = rows.into_iter().map(|r| (r.txn, r.rows)).collect();
    let settled = shared.settled.lock().map(|a| a.clone()).unwrap_or_default();

    Ok(kills
        .into_iter()
        .map(|(start, end, at, killed, db_back)| {
            let mine: Vec<&Settled> = settled
                .iter()
                .filter(|s| (start..end).contains(&s.index))
                .collect();
            let acked_ids: HashSet<usize> = mine
                .iter()
                .filter(|s| s.answered.is_some())
                .map(|s| s.index)
                .collect();
            let in_segment = |i: usize| stored.get(&txn(&run_id, i)).copied().unwrap_or(0);
            let back = mine
                .iter()
                .filter(|s| s.first_sent > at)
                .filter_map(|s| s.answered.map(|a| a.duration_since(at)))
                .min()
                .unwrap_or_default();
            Failover {
                killed,
                acked: acked_ids.len(),
                stored: (start..end).filter(|i| in_segment(*i) > 0).count(),
                lost: acked_ids.iter().filter(|i| in_segment(**i) == 0).count(),
                duplicated: (start..end)
                    .map(|i| (in_segment(i) - 1).max(0) as usize)
                    .sum(),
                unacked: (end - start) - acked_ids.len(),
                unavailable_s: back.as_secs_f64(),
                db_unavailable_s: db_back.as_secs_f64(),
                retries: mine.iter().map(|s| s.retries).sum(),
            }
        })
        .collect())
}

/// How long after `at` PostgreSQL accepted a write again through `url` (a transaction id can
/// only be assigned on a primary).
fn database_back(url: &str, at: Instant) -> Duration {
    while at.elapsed() < GIVE_UP {
        let wrote = PgConnection::establish(url).is_ok_and(|mut conn| {
            diesel::select(diesel::dsl::sql::<BigInt>("txid_current()"))
                .get_result::<i64>(&mut conn)
                .is_ok()
        });
        if wrote {
            return at.elapsed();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    at.elapsed()
}

/// Whether a callback first sent after `at` has been acknowledged.
fn written_since(shared: &Shared, at: Instant) -> bool {
    shared
        .settled
        .lock()
        .map(|a| a.iter().any(|s| s.first_sent > at && s.answered.is_some()))
        .unwrap_or(false)
}

/// Callbacks of the segment that are acknowledged or given up.
fn settled(shared: &Shared, start: usize, end: usize) -> usize {
    shared
        .settled
        .lock()
        .map(|a| a.iter().filter(|s| (start..end).contains(&s.index)).count())
        .unwrap_or(0)
}

/// One gateway connection: takes the next callback, sends it until a 2xx (or gives up).
async fn gateway(shared: Arc<Shared>, url: String, run_id: String, n: usize) {
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
    {
        Ok(c) => c,
        Err(_) => return,
    };
    loop {
        let i = loop {
            if shared.done.load(Ordering::SeqCst) {
                return;
            }
            let next = shared.next.load(Ordering::SeqCst);
            if next >= n {
                return;
            }
            let due = shared.started + Duration::from_secs_f64(next as f64 / shared.rate);
            if next < shared.allowed.load(Ordering::SeqCst)
                && Instant::now() >= due
                && shared
                    .next
                    .compare_exchange(next, next + 1, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
            {
                break next;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        };
        let payload = body(&run_id, i);
        let first_sent = Instant::now();
        let (mut answered, mut retries) = (None, 0);
        while first_sent.elapsed() < GIVE_UP {
            let sent = client
                .post(&url)
                .header("Content-Type", "application/json")
                .header("x-callback-token", TOKEN)
                .body(payload.clone())
                .send()
                .await;
            match sent {
                Ok(res) if res.status().is_success() => {
                    answered = Some(Instant::now());
                    break;
                }
                _ => {
                    retries += 1;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
            }
        }
        if answered.is_none() {
            tracing::warn!(i, "gave up on a callback");
        }
        if let Ok(mut settled) = shared.settled.lock() {
            settled.push(Settled {
                index: i,
                first_sent,
                answered,
                retries,
            });
        }
    }
}

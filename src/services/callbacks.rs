//! Callback intake, the one path every gateway's callback walks, from the handler to the
//! commit: verify (the gateway's own rules) → check an issued token where the protocol signs
//! with one → record exactly once → the verdict. A refused callback is only counted: nothing
//! unauthenticated is stored.
//!
//! Recording is commit batching ([`Recorder`]): callbacks that arrive together are recorded by
//! one statement in one transaction (`db::recording::record_fresh_batch`, the one copy of the
//! insert), and each is answered only after that transaction commits. Repeats, and anything
//! the batch did not insert, take the locked path one by one (`record_locked`); if a batch
//! fails as a whole, its callbacks are recorded one by one.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

use chrono::Utc;
use chrono_tz::Tz;
use tokio::sync::oneshot;

use crate::db::PgPool;
use crate::db::recording::{self, InboxEntry, Recorded, Verdict};
use crate::error::ApiError;
use crate::gateways::{Gateway, Notification, RawCallback, Rejection, stored_headers, without_nul};
use crate::metrics::Metrics;
use crate::state::AppState;

/// What became of a callback that was not our own failure.
pub enum Intake {
    /// Stored (new, repeat, unmatched or mismatched): the payment it is now part of.
    Recorded { verdict: Verdict, payment_id: i64 },
    /// Refused; the gateway's protocol renders the answer.
    Refused(Rejection),
}

/// Takes in one callback as it arrived (headers as sent, the raw body).
pub async fn take_in(
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
            let (verdict, payment_id) = state.recorder.record(notification, entry).await?;
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

// ---- Commit batching ----

/// The largest batch one statement records.
pub const MAX_BATCH: usize = 64;

type Reply = Result<(Verdict, i64), ApiError>;

struct Job {
    notification: Notification,
    inbox: InboxEntry,
    reply: oneshot::Sender<Reply>,
}

/// The queue handlers put callbacks on; worker threads drain it in batches.
pub struct Recorder {
    queue: Sender<Job>,
}

impl Recorder {
    /// Starts `workers` threads, each taking whatever has queued up (up to [`MAX_BATCH`])
    /// while the previous batch was being written.
    pub fn start(pool: PgPool, tz: Tz, workers: usize) -> Self {
        let (queue, jobs) = channel::<Job>();
        let jobs = Arc::new(Mutex::new(jobs));
        for i in 0..workers.max(1) {
            let (jobs, pool) = (jobs.clone(), pool.clone());
            let _ = std::thread::Builder::new()
                .name(format!("parkir-recorder-{i}"))
                .spawn(move || work(&jobs, &pool, tz));
        }
        Self { queue }
    }

    /// Records a verified notification; resolves once its transaction has committed.
    pub async fn record(&self, notification: Notification, inbox: InboxEntry) -> Reply {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Job {
                notification,
                inbox,
                reply,
            })
            .map_err(|_| ApiError::internal(anyhow::anyhow!("the recorder has stopped")))?;
        answer
            .await
            .map_err(|_| ApiError::internal(anyhow::anyhow!("the recorder dropped a callback")))?
    }
}

fn next_batch(jobs: &Mutex<Receiver<Job>>) -> Option<Vec<Job>> {
    let jobs = jobs.lock().ok()?;
    let first = jobs.recv().ok()?;
    let mut batch = vec![first];
    while batch.len() < MAX_BATCH {
        match jobs.try_recv() {
            Ok(job) => batch.push(job),
            Err(_) => break,
        }
    }
    Some(batch)
}

fn work(jobs: &Mutex<Receiver<Job>>, pool: &PgPool, tz: Tz) {
    while let Some(batch) = next_batch(jobs) {
        let mut conn = match pool.get() {
            Ok(conn) => conn,
            Err(e) => {
                for job in batch {
                    let _ = job.reply.send(Err(ApiError::database_unavailable(&e)));
                }
                continue;
            }
        };
        let items: Vec<_> = batch.iter().map(|j| (&j.notification, &j.inbox)).collect();
        match recording::record_fresh_batch(&mut conn, &items, tz) {
            Ok(results) => {
                // Answer what the batch settled first; the rest take the locked path.
                let mut rest = Vec::new();
                for (job, result) in batch.into_iter().zip(results) {
                    match result {
                        Some(done) => {
                            let _ = job.reply.send(Ok(done));
                        }
                        None => rest.push(job),
                    }
                }
                for job in rest {
                    let reply = record_one(&mut conn, &job, tz);
                    discard_if_lost(&mut conn, &reply);
                    let _ = job.reply.send(reply);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, size = batch.len(), "batch failed; recording one by one");
                for job in batch {
                    let reply = record_one(&mut conn, &job, tz);
                    discard_if_lost(&mut conn, &reply);
                    let _ = job.reply.send(reply);
                }
            }
        }
    }
}

/// A connection whose server went away (or turned read-only) goes back to the pool only to be
/// dropped; the callbacks it failed were answered 503 and the gateway sends them again.
fn discard_if_lost(conn: &mut crate::db::Conn, reply: &Reply) {
    if matches!(reply, Err(ApiError::Unavailable(_))) {
        conn.discard();
    }
}

/// One notification on the locked path; an authentic notification refused by a rule (a
/// Midtrans order bound to another transaction) is a 400 naming the field, after its inbox
/// row committed.
fn record_one(conn: &mut diesel::PgConnection, job: &Job, tz: Tz) -> Reply {
    match recording::record_locked(conn, &job.notification, &job.inbox, tz)? {
        Recorded::Done(verdict, id) => Ok((verdict, id)),
        Recorded::Refused(reason) => Err(ApiError::invalid("transaction_id", reason)),
    }
}

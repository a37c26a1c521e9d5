//! Commit batching of new callbacks: callbacks that arrive together are recorded by one
//! statement in one transaction (`recording::record_fresh_batch`), and each is answered only
//! after that transaction commits. Repeats, and anything the batch did not insert, take the
//! locked path one by one (`recording::record_locked`); if a batch fails as a whole, its
//! callbacks are recorded one by one. Storage results only: `services::callbacks` says what
//! they mean to the gateway.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

use chrono_tz::Tz;
use diesel::PgConnection;
use tokio::sync::oneshot;

use super::PgPool;
use super::recording::{InboxEntry, Recorded, record_fresh_batch, record_locked};
use crate::gateways::Notification;

/// The largest batch one statement records.
pub const MAX_BATCH: usize = 64;

type Reply = Result<Recorded, RecordError>;

/// Why a callback was not recorded; nothing of it was committed and the gateway sends it again.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// No connection in time.
    #[error("{0}")]
    Unavailable(String),
    /// The server went away or turned read-only mid-way: its connection is not given out again.
    #[error(transparent)]
    Lost(diesel::result::Error),
    #[error(transparent)]
    Query(diesel::result::Error),
    /// The recorder's workers are gone (the server is stopping).
    #[error("the recorder has stopped")]
    Stopped,
}

impl From<diesel::result::Error> for RecordError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match &e {
            Error::BrokenTransactionManager
            | Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::ReadOnlyTransaction,
                _,
            ) => Self::Lost(e),
            _ => Self::Query(e),
        }
    }
}

struct Job {
    /// The city the callback's credentials belong to: its rows are written acting for it, and
    /// its business day is that city's (none: the default city, in the recorder's zone).
    acting: Option<crate::acting::Acting>,
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
                acting: crate::acting::current_acting(),
                notification,
                inbox,
                reply,
            })
            .map_err(|_| RecordError::Stopped)?;
        answer.await.map_err(|_| RecordError::Stopped)?
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
                    let _ = job.reply.send(Err(RecordError::Unavailable(e.to_string())));
                }
                continue;
            }
        };
        for (acting, group) in by_city(batch) {
            let (city, tz) = match acting {
                Some(a) => (a.city, a.timezone),
                None => (Some(crate::acting::DEFAULT_CITY), tz),
            };
            if let Err(e) = conn.act_for(city) {
                let e = RecordError::from(e);
                tracing::warn!(error = %e, "cannot act for the callbacks' city");
                for job in group {
                    let _ = job.reply.send(Err(RecordError::Unavailable(e.to_string())));
                }
                conn.discard();
                continue;
            }
            record_group(&mut conn, group, tz);
        }
    }
}

type Acting = Option<crate::acting::Acting>;

/// The batch in groups of one city each (in their order of arrival): a statement writes for
/// one city.
fn by_city(batch: Vec<Job>) -> Vec<(Acting, Vec<Job>)> {
    let mut groups: Vec<(Acting, Vec<Job>)> = Vec::new();
    for job in batch {
        match groups.iter_mut().find(|(acting, _)| *acting == job.acting) {
            Some((_, group)) => group.push(job),
            None => groups.push((job.acting, vec![job])),
        }
    }
    groups
}

/// One city's callbacks: the batch statement, then the locked path for the rest.
fn record_group(conn: &mut super::Conn, batch: Vec<Job>, tz: Tz) {
    let items: Vec<_> = batch.iter().map(|j| (&j.notification, &j.inbox)).collect();
    match record_fresh_batch(conn, &items, tz) {
        Ok(results) => {
            // Answer what the batch settled first; the rest take the locked path.
            let mut rest = Vec::new();
            for (job, result) in batch.into_iter().zip(results) {
                match result {
                    Some((verdict, id)) => {
                        let _ = job.reply.send(Ok(Recorded::Done(verdict, id)));
                    }
                    None => rest.push(job),
                }
            }
            for job in rest {
                let reply = record_one(conn, &job, tz);
                discard_if_lost(conn, &reply);
                let _ = job.reply.send(reply);
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, size = batch.len(), "batch failed; recording one by one");
            for job in batch {
                let reply = record_one(conn, &job, tz);
                discard_if_lost(conn, &reply);
                let _ = job.reply.send(reply);
            }
        }
    }
}

/// A connection whose server went away (or turned read-only) goes back to the pool only to be
/// dropped; the callbacks it failed were answered 503 and the gateway sends them again.
fn discard_if_lost(conn: &mut super::Conn, reply: &Reply) {
    if matches!(reply, Err(RecordError::Lost(_))) {
        conn.discard();
    }
}

/// One notification on the locked path.
fn record_one(conn: &mut PgConnection, job: &Job, tz: Tz) -> Reply {
    Ok(record_locked(conn, &job.notification, &job.inbox, tz)?)
}

//! The attendant's live list (SPEC §11.2): each payment of theirs, once committed — by a
//! callback on any server or a cash tap — reaches their open `/me/events` stream.
//!
//! One thread per server listens to the database's announcements (`db::listen`) while at least
//! one phone is connected, reads the announced payments back, and broadcasts them; each stream
//! keeps those of its own attendant. A phone that was away (a lost signal, a server restart,
//! a lagging stream) reloads `/me/payments`, so nothing depends on the broadcast being
//! complete.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::broadcast;
use utoipa::ToSchema;

use crate::db::PgPool;
use crate::db::listen::{self, AttendantPayment, Listener};
use crate::error::ApiError;
use crate::state::AppState;

/// How many announced payments a slow stream may fall behind before it skips (and its phone
/// reloads the day).
const BACKLOG: usize = 1024;
/// How often the listening connection is read.
const TICK: Duration = Duration::from_millis(200);
/// How long the listener stays up with no phone connected.
const IDLE: Duration = Duration::from_secs(30);

/// A payment as the attendant's phone lists it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MyPayment {
    pub id: i64,
    pub amount: i64,
    /// `cash`, `snap`, `midtrans`, `xendit` or `settlement`.
    pub source: String,
    pub vehicle_class: Option<String>,
    pub paid_at: DateTime<Utc>,
    pub flags: Vec<String>,
    /// The charge (dynamic QR) it paid, if any; with `amount_mismatch` it paid another amount.
    pub charge_id: Option<i64>,
}

impl From<AttendantPayment> for MyPayment {
    fn from(p: AttendantPayment) -> Self {
        Self {
            id: p.id,
            amount: p.amount.0,
            source: p.source.as_str().to_owned(),
            vehicle_class: p.vehicle_class,
            paid_at: p.paid_at,
            flags: p.flags.into_iter().flatten().collect(),
            charge_id: p.charge_id,
        }
    }
}

/// One announced payment and whose it is.
#[derive(Clone, Debug)]
pub struct Announced {
    pub attendant_id: i64,
    pub payment: MyPayment,
}

/// The broadcast of committed payments, and its listener started on demand.
#[derive(Clone)]
pub struct Feed(Arc<Inner>);

struct Inner {
    tx: broadcast::Sender<Announced>,
    listening: AtomicBool,
    url: String,
    pool: PgPool,
}

impl Feed {
    pub fn new(url: String, pool: PgPool) -> Self {
        let (tx, _) = broadcast::channel(BACKLOG);
        Self(Arc::new(Inner {
            tx,
            listening: AtomicBool::new(false),
            url,
            pool,
        }))
    }

    /// A receiver of every announced payment; starts the listener if it is not running.
    pub fn subscribe(&self) -> broadcast::Receiver<Announced> {
        let rx = self.0.tx.subscribe();
        if !self.0.listening.swap(true, Ordering::SeqCst) {
            let inner = self.0.clone();
            std::thread::Builder::new()
                .name("parkir-feed".into())
                .spawn(move || listen_while_wanted(&inner))
                .map_err(|e| tracing::warn!(error = %e, "cannot start the payment feed"))
                .ok();
        }
        rx
    }
}

/// Listens while some stream is open (and [`IDLE`] after the last one closed), reconnecting
/// after a lost connection (a failover).
fn listen_while_wanted(inner: &Inner) {
    let mut idle_since: Option<Instant> = None;
    let mut listener: Option<Listener> = None;
    loop {
        if inner.tx.receiver_count() == 0 {
            let since = *idle_since.get_or_insert_with(Instant::now);
            if since.elapsed() >= IDLE {
                inner.listening.store(false, Ordering::SeqCst);
                // A phone that subscribed just now saw `listening` still set: carry on for it.
                if inner.tx.receiver_count() == 0 || inner.listening.swap(true, Ordering::SeqCst) {
                    return;
                }
            }
        } else {
            idle_since = None;
        }
        let ids = match listener.as_mut() {
            Some(l) => l.ids(),
            None => match Listener::connect(&inner.url) {
                Ok(l) => {
                    listener = Some(l);
                    Ok(Vec::new())
                }
                Err(e) => {
                    tracing::debug!(error = %e, "payment feed cannot connect; retrying");
                    std::thread::sleep(Duration::from_secs(1));
                    continue;
                }
            },
        };
        match ids {
            Ok(ids) if !ids.is_empty() => announce(inner, &ids),
            Ok(_) => {}
            Err(e) => {
                tracing::debug!(error = %e, "payment feed lost its connection");
                listener = None;
            }
        }
        std::thread::sleep(TICK);
    }
}

fn announce(inner: &Inner, ids: &[i64]) {
    let found = inner
        .pool
        .get()
        .map_err(|e| e.to_string())
        .and_then(|mut conn| listen::paid_of_attendants(&mut conn, ids).map_err(|e| e.to_string()));
    match found {
        Ok(list) => {
            for p in list {
                if let Some(attendant_id) = p.attendant_id {
                    // No receiver now is not an error: nobody is watching.
                    let _ = inner.tx.send(Announced {
                        attendant_id,
                        payment: p.into(),
                    });
                }
            }
        }
        Err(e) => tracing::debug!(error = %e, "payment feed cannot read the payments"),
    }
}

/// The most of one day's payments a phone lists.
pub const DAY_LIMIT: i64 = 1000;

/// An attendant's paid payments of a business day, newest first (`GET /me/payments`).
pub async fn my_day(
    state: &AppState,
    attendant_id: i64,
    date: chrono::NaiveDate,
) -> Result<Vec<MyPayment>, ApiError> {
    super::run(&state.pool, move |conn| {
        super::duty::active_attendant(conn, attendant_id)?;
        Ok(
            listen::paid_of_attendant_on(conn, attendant_id, date, DAY_LIMIT)?
                .into_iter()
                .map(MyPayment::from)
                .collect(),
        )
    })
    .await
}

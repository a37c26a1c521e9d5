//! The payments the database announces as committed (`NOTIFY parkir_payments`, raised by the
//! trigger of migration 000014), for the attendants' live lists (SPEC §11.2).
//!
//! One thread per server listens while at least one phone is connected (a [`Feed`]
//! subscriber), reads the announced payments back, and broadcasts them; each stream keeps those
//! of its own attendant. A phone that was away (a lost signal, a server restart, a lagging
//! stream) reloads its day, so nothing depends on the broadcast being complete.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::broadcast;

use chrono::{DateTime, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::schema::payments;
use crate::domain::{PaymentSource, Rupiah};

pub const CHANNEL: &str = "parkir_payments";

/// A connection listening on [`CHANNEL`].
pub struct Listener(PgConnection);

impl Listener {
    pub fn connect(url: &str) -> ConnectionResult<Self> {
        let mut conn = PgConnection::establish(url)?;
        conn.batch_execute(&format!("LISTEN {CHANNEL}"))
            .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
        Ok(Self(conn))
    }

    /// The ids announced since the last call (never blocks); an error means the connection is
    /// gone.
    pub fn ids(&mut self) -> QueryResult<Vec<i64>> {
        let mut ids = Vec::new();
        for note in self.0.notifications_iter() {
            let note = note?;
            ids.extend(
                note.payload
                    .split(',')
                    .filter_map(|id| id.parse::<i64>().ok()),
            );
        }
        Ok(ids)
    }
}

/// A paid payment of an attendant, as their phone lists it.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = payments)]
pub struct AttendantPayment {
    pub id: i64,
    pub attendant_id: Option<i64>,
    pub amount: Rupiah,
    pub source: PaymentSource,
    pub vehicle_class: Option<String>,
    pub paid_at: DateTime<Utc>,
    pub flags: Vec<Option<String>>,
    pub charge_id: Option<i64>,
}

/// The paid payments among `ids` that are credited to an attendant.
pub fn paid_of_attendants(
    conn: &mut PgConnection,
    ids: &[i64],
) -> QueryResult<Vec<AttendantPayment>> {
    payments::table
        .filter(payments::id.eq_any(ids))
        .filter(payments::status.eq("paid"))
        .filter(payments::attendant_id.is_not_null())
        .order(payments::id)
        .select(AttendantPayment::as_select())
        .load(conn)
}

/// An attendant's paid payments of a business day, newest first (at most `limit`).
pub fn paid_of_attendant_on(
    conn: &mut PgConnection,
    attendant_id: i64,
    date: chrono::NaiveDate,
    limit: i64,
) -> QueryResult<Vec<AttendantPayment>> {
    payments::table
        .filter(payments::attendant_id.eq(attendant_id))
        .filter(payments::business_date.eq(date))
        .filter(payments::status.eq("paid"))
        .order((payments::paid_at.desc(), payments::id.desc()))
        .limit(limit)
        .select(AttendantPayment::as_select())
        .load(conn)
}

/// How many announced payments a slow stream may fall behind before it skips (and its phone
/// reloads the day).
const BACKLOG: usize = 1024;
/// How often the listening connection is read.
const TICK: Duration = Duration::from_millis(200);
/// How long the listener stays up with no phone connected.
const IDLE: Duration = Duration::from_secs(30);

/// One announced payment and whose it is.
#[derive(Clone, Debug)]
pub struct Announced {
    pub attendant_id: i64,
    pub payment: AttendantPayment,
}

/// The broadcast of committed payments, and its listener started on demand.
#[derive(Clone)]
pub struct Feed(Arc<Inner>);

struct Inner {
    tx: broadcast::Sender<Announced>,
    listening: AtomicBool,
    /// Whether the listening connection is up: a stream greets its phone only then, so a
    /// payment committed after the phone's reload of its day cannot slip past both.
    connected: tokio::sync::watch::Sender<bool>,
    url: String,
}

impl Feed {
    pub fn new(url: String) -> Self {
        let (tx, _) = broadcast::channel(BACKLOG);
        Self(Arc::new(Inner {
            tx,
            listening: AtomicBool::new(false),
            connected: tokio::sync::watch::channel(false).0,
            url,
        }))
    }

    /// A receiver of every announced payment; starts the listener if it is not running.
    /// Whether (and from when) the database's announcements are heard.
    pub fn connected(&self) -> tokio::sync::watch::Receiver<bool> {
        self.0.connected.subscribe()
    }

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
                inner.connected.send_replace(false);
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
                    inner.connected.send_replace(true);
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
            Ok(ids) if !ids.is_empty() => {
                if let Some(l) = listener.as_mut() {
                    announce(inner, l, &ids)
                }
            }
            Ok(_) => {}
            Err(e) => {
                tracing::debug!(error = %e, "payment feed lost its connection");
                listener = None;
                inner.connected.send_replace(false);
            }
        }
        std::thread::sleep(TICK);
    }
}

/// Reads the announced payments back on the listening connection: it is the owner's (every
/// city's), and each payment goes only to its own attendant's stream, whatever the city.
fn announce(inner: &Inner, listener: &mut Listener, ids: &[i64]) {
    let found = paid_of_attendants(&mut listener.0, ids).map_err(|e| e.to_string());
    match found {
        Ok(list) => {
            for p in list {
                if let Some(attendant_id) = p.attendant_id {
                    // No receiver now is not an error: nobody is watching.
                    let _ = inner.tx.send(Announced {
                        attendant_id,
                        payment: p,
                    });
                }
            }
        }
        Err(e) => tracing::debug!(error = %e, "payment feed cannot read the payments"),
    }
}

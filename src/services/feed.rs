//! The attendant's list of the day (SPEC §11.2): `/me/payments`, and the item each payment of
//! theirs becomes on their open `/me/events` stream once committed (the broadcast is
//! `db::listen::Feed`).

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::listen::{self, AttendantPayment};
use crate::error::ApiError;
use crate::state::AppState;

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

/// A comment line at least this often keeps proxies and phones from closing a quiet stream.
const KEEP_ALIVE: std::time::Duration = std::time::Duration::from_secs(20);
/// A stream ends after this long; the phone reconnects (and its token is checked again).
const STREAM_LIFETIME: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// The `text/event-stream` frames of one attendant's stream: `retry` and a greeting, then an
/// `event: payment` per committed payment of theirs, a keep-alive comment every
/// [`KEEP_ALIVE`], `event: reload` if it fell behind, and the end after [`STREAM_LIFETIME`].
pub fn frames(
    state: &AppState,
    attendant_id: i64,
) -> impl futures_util::Stream<Item = Result<actix_web::web::Bytes, actix_web::Error>> + 'static {
    use actix_web::web::Bytes;
    use tokio::sync::broadcast::error::RecvError;
    let rx = state.feed.subscribe();
    let mut connected = state.feed.connected();
    let start = tokio::time::Instant::now();
    let tick = tokio::time::interval_at(start + KEEP_ALIVE, KEEP_ALIVE);
    let ends = start + STREAM_LIFETIME;
    // The greeting waits (a few seconds at most) until the database's announcements are heard:
    // the phone reloads its day on it, so nothing committed after that reload is missed.
    let opening = futures_util::stream::once(async move {
        let heard = connected.wait_for(|up| *up);
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), heard).await;
        Ok(Bytes::from_static(b"retry: 3000\n: tersambung\n\n"))
    });
    let rest = futures_util::stream::unfold((rx, tick), move |(mut rx, mut tick)| async move {
        loop {
            let frame = tokio::select! {
                _ = tokio::time::sleep_until(ends) => return None,
                _ = tick.tick() => Bytes::from_static(b": keep-alive\n\n"),
                got = rx.recv() => match got {
                    Ok(a) if a.attendant_id == attendant_id => {
                        let id = a.payment.id;
                        let data = serde_json::to_string(&MyPayment::from(a.payment))
                            .unwrap_or_default();
                        Bytes::from(format!("event: payment\nid: {id}\ndata: {data}\n\n"))
                    }
                    Ok(_) => continue,
                    // Fell behind: the phone is told to reload its day.
                    Err(RecvError::Lagged(_)) => Bytes::from_static(b"event: reload\ndata: {}\n\n"),
                    Err(RecvError::Closed) => return None,
                },
            };
            return Some((Ok(frame), (rx, tick)));
        }
    });
    futures_util::StreamExt::chain(opening, rest)
}

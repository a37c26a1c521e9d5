//! `PARKIR_ALERT_WEBHOOK_URL`: each new high-severity alert POSTed as JSON, signed against
//! replay in `X-Parkir-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`
//! (the receiver refuses a `t` far from its clock, so a captured delivery cannot be replayed
//! later), retried with back-off, each attempt signed anew. The URL never reaches the logs: its
//! query may carry the receiver's token.
//! Evaluation only puts alerts on a bounded queue; a full queue drops (and logs) rather than
//! waits, so a dead receiver never slows evaluation.

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;
use tokio::sync::mpsc;

use crate::db::alerts::Alert;

/// Alerts waiting for delivery; more are dropped with a warning.
const QUEUE: usize = 1000;
/// Attempts per alert: 1 s, 2 s, 4 s … between them, at most a minute.
const ATTEMPTS: u32 = 8;

pub struct AlertWebhook {
    queue: mpsc::Sender<Vec<u8>>,
}

/// `t=<unix seconds>,v1=<hex of HMAC-SHA256(secret, "<t>.<body>")>`: the value of
/// `X-Parkir-Signature` for `body` sent at `t`.
pub fn signature(secret: &[u8], t: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// The JSON an alert is sent as: the shape of `GET /alerts` items.
pub fn body_of(a: &Alert) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "id": a.id, "kind": a.kind, "severity": a.severity, "spot_id": a.spot_id,
        "attendant_id": a.attendant_id, "payment_id": a.payment_id,
        "business_date": a.business_date, "detected_at": a.detected_at,
        "evidence": a.evidence, "status": a.status, "notes": a.notes,
    }))
    .unwrap_or_default()
}

impl AlertWebhook {
    /// Starts the sender on the current runtime.
    pub fn start(url: String, secret: SecretString) -> Self {
        let (queue, mut rx) = mpsc::channel::<Vec<u8>>(QUEUE);
        actix_web::rt::spawn(async move {
            // No redirects: a 3xx to http:// would undo the https-only rule.
            let client = reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_default();
            while let Some(body) = rx.recv().await {
                let mut wait = Duration::from_secs(1);
                for attempt in 1..=ATTEMPTS {
                    let sig = signature(
                        secret.expose_secret().as_bytes(),
                        chrono::Utc::now().timestamp(),
                        &body,
                    );
                    let sent = client
                        .post(&url)
                        .header("content-type", "application/json")
                        .header("x-parkir-signature", &sig)
                        .body(body.clone())
                        .send()
                        .await;
                    match sent {
                        Ok(r) if r.status().is_success() => break,
                        Ok(r) => {
                            tracing::warn!(status = %r.status(), attempt, "alert webhook refused")
                        }
                        Err(e) => tracing::warn!(
                            error = %e.without_url(),
                            attempt,
                            "alert webhook unreachable"
                        ),
                    }
                    if attempt < ATTEMPTS {
                        tokio::time::sleep(wait).await;
                        wait = (wait * 2).min(Duration::from_secs(60));
                    }
                }
            }
        });
        Self { queue }
    }

    /// Queues the high-severity ones among `opened`.
    pub fn send_new(&self, opened: &[Alert]) {
        for a in opened
            .iter()
            .filter(|a| a.severity == crate::reconcile::alerts::Severity::High)
        {
            if self.queue.try_send(body_of(a)).is_err() {
                tracing::warn!(alert = a.id, "alert webhook queue full; alert not sent");
            }
        }
    }
}

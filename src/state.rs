//! The shared application state every handler receives, built once by `startup`.

use crate::db::PgPool;
use chrono_tz::Tz;

/// What every handler may read.
pub struct AppState {
    pub pool: PgPool,
    pub timezone: Tz,
    pub charge_ttl: std::time::Duration,
    pub complaint_line: String,
    /// `PARKIR_PUBLIC_URL`, for the posters' "Cek resmi" line.
    pub public_url: Option<String>,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub renders: crate::qris::cache::RenderCache,
    pub gateways: Gateways,
    /// New callbacks, recorded in batches.
    pub recorder: crate::services::callbacks::Recorder,
    /// Where new high-severity alerts are pushed, when configured.
    pub alert_webhook: Option<std::sync::Arc<crate::webhook::AlertWebhook>>,
    /// SNAP tokens already found valid (hash → expiry): the database is asked once per token.
    pub snap_tokens:
        std::sync::Mutex<std::collections::HashMap<String, chrono::DateTime<chrono::Utc>>>,
}

/// The gateways as configured; an absent credential makes its endpoint answer 503.
pub struct Gateways {
    pub snap: crate::gateways::snap::Snap,
    pub midtrans: crate::gateways::midtrans::Midtrans,
    pub xendit: crate::gateways::xendit::Xendit,
}

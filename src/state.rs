//! The shared application state every handler receives, built once by `startup`.

use secrecy::SecretString;

use crate::db::PgPool;
use chrono_tz::Tz;

/// What every handler may read.
pub struct AppState {
    pub pool: PgPool,
    pub timezone: Tz,
    pub charge_ttl: std::time::Duration,
    pub complaint_line: String,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub renders: crate::routes::qr::RenderCache,
    pub gateways: Gateways,
    /// New callbacks, recorded in batches.
    pub recorder: crate::db::recorder::Recorder,
    /// SNAP tokens already found valid (hash → expiry): the database is asked once per token.
    pub snap_tokens:
        std::sync::Mutex<std::collections::HashMap<String, chrono::DateTime<chrono::Utc>>>,
}

/// The gateways' credentials; an absent one makes its endpoint answer 503.
pub struct Gateways {
    pub snap: Option<crate::gateways::snap::SnapConfig>,
    pub midtrans_server_key: Option<SecretString>,
    pub xendit_callback_token: Option<SecretString>,
}

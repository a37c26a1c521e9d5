//! Typed settings from the environment, with an optional `parkir.toml` underneath.
//!
//! Every key is spelled as its environment variable (`DATABASE_URL`, `PARKIR_BIND`, …); the TOML
//! file may use the same names in any case. The environment wins over the file. Secrets are kept
//! as [`SecretString`] so they never reach a log line by accident.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use chrono_tz::Tz;
use secrecy::SecretString;

use crate::domain::Hotline;

/// Every key Parkir reads, with the text `--help` and the README show for it.
pub const KEYS: &[(&str, &str)] = &[
    (
        "PARKIR_PUBLIC_URL",
        "public address of this service, printed on posters as \"Cek resmi: …/cek/{code}\" (optional)",
    ),
    (
        "PARKIR_HOTLINE",
        "the city's complaint number shown on /cek when a code is not registered, e.g. a WhatsApp number 0811-7400-100 (optional)",
    ),
    (
        "PARKIR_OFFICE_NAME",
        "the office on workbooks, printed recaps and letters (default \"Dinas Perhubungan\")",
    ),
    (
        "PARKIR_OFFICE_ADDRESS",
        "the office's address under its name on printed recaps and letters (optional)",
    ),
    (
        "PARKIR_SIGNATORY_NAME",
        "who signs printed recaps and warning letters (optional; a blank line to sign on otherwise)",
    ),
    ("PARKIR_SIGNATORY_NIP", "the signatory's NIP (optional)"),
    (
        "PARKIR_SIGNATORY_TITLE",
        "the signatory's position, e.g. \"Kepala Dinas Perhubungan\" (optional)",
    ),
    (
        "PARKIR_ALERT_INTERVAL_SECS",
        "how often the server evaluates today's alerts (default 900; 0 turns the job off)",
    ),
    (
        "PARKIR_ALERT_WEBHOOK_URL",
        "where new high-severity alerts are POSTed as signed JSON (optional)",
    ),
    (
        "PARKIR_ALERT_WEBHOOK_SECRET",
        "HMAC-SHA256 key of X-Parkir-Signature (required with the webhook URL)",
    ),
    (
        "DATABASE_URL",
        "PostgreSQL URL (default postgres:///parkir, the local socket)",
    ),
    (
        "PARKIR_BIND",
        "address to listen on (default 127.0.0.1:8080)",
    ),
    (
        "PARKIR_CITY_CODE",
        "code of the default city, the one these settings describe (2–8 capitals, default JMB)",
    ),
    (
        "PARKIR_TIMEZONE",
        "IANA zone of the business day (default Asia/Jakarta)",
    ),
    (
        "PARKIR_JWT_SECRET",
        "HS256 secret for access tokens, at least 32 characters (required by serve)",
    ),
    (
        "PARKIR_READ_DATABASE_URL",
        "PostgreSQL URL of standbys that serve the reports (optional, e.g. with target_session_attrs=prefer-standby)",
    ),
    (
        "PARKIR_MAX_READ_LAG_SECS",
        "replay lag of the read standby beyond which reports are read from the primary (default 10)",
    ),
    ("PARKIR_DB_POOL", "database pool size (default 8)"),
    (
        "PARKIR_DB_TIMEOUT_MS",
        "how long a request waits for a database connection (default 3000)",
    ),
    (
        "PARKIR_CHARGE_TTL_SECS",
        "how long a dynamic charge QR stays payable (default 600)",
    ),
    ("PARKIR_LOG_FORMAT", "`json` for JSON logs, else plain text"),
    (
        "PARKIR_TRUSTED_PROXIES",
        "comma-separated CIDRs of proxies whose X-Forwarded-For is believed (default none)",
    ),
    (
        "PARKIR_COMPLAINT_LINE",
        "the complaint line printed on spot posters (at most two lines at 9 pt, about 90 characters)",
    ),
    (
        "PARKIR_SNAP_CLIENT_KEY",
        "SNAP: the gateway's client/partner id",
    ),
    (
        "PARKIR_SNAP_CLIENT_SECRET",
        "SNAP: HMAC-SHA512 client secret",
    ),
    (
        "PARKIR_SNAP_PUBLIC_KEY",
        "SNAP: path to the gateway's RSA public key (PEM)",
    ),
    ("PARKIR_MIDTRANS_SERVER_KEY", "Midtrans: server key"),
    (
        "PARKIR_XENDIT_CALLBACK_TOKEN",
        "Xendit: callback verification token",
    ),
    (
        "PARKIR_SECRET_KEY",
        "seals the cities' gateway credentials stored by PUT /cities/{id}/gateways, at least 32 characters (needed to store or use them)",
    ),
    (
        "PARKIR_CONFIG",
        "path of a TOML file holding any of these keys (default ./parkir.toml if present)",
    ),
];

/// A setting that is missing or malformed; its message names the key.
#[derive(Debug, thiserror::Error)]
#[error("{key}: {message}")]
pub struct ConfigError {
    pub key: String,
    pub message: String,
}

/// `10.0.0.0/8, 192.168.1.1`: CIDRs, or single addresses meaning /32 (/128).
fn parse_proxies(raw: Option<&str>) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    raw.unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    ConfigError::new(
                        "PARKIR_TRUSTED_PROXIES",
                        format!("{s:?} is not a CIDR (e.g. 10.0.0.0/8) or an IP address"),
                    )
                })
        })
        .collect()
}

/// The webhook's shortest secret: an HMAC-SHA256 key of fewer bytes is guessable offline from
/// one signed delivery.
pub const WEBHOOK_SECRET_MIN_BYTES: usize = 32;

/// `PARKIR_ALERT_WEBHOOK_URL` and its secret (SPEC §10): alerts name spots and attendants, so
/// they travel over https only (http only to this machine, for a local relay); the secret is at
/// least [`WEBHOOK_SECRET_MIN_BYTES`]. Errors never repeat the URL: its query may hold a token.
fn alert_webhook(
    url: Option<String>,
    secret: Option<String>,
) -> Result<Option<(String, SecretString)>, ConfigError> {
    let Some(url) = url else {
        return Ok(None);
    };
    let parsed = reqwest::Url::parse(&url)
        .map_err(|_| ConfigError::new("PARKIR_ALERT_WEBHOOK_URL", "must be an https:// URL"))?;
    let host = parsed.host_str().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match parsed.scheme() {
        "https" if !host.is_empty() => {}
        "http" if loopback => {}
        "http" => {
            return Err(ConfigError::new(
                "PARKIR_ALERT_WEBHOOK_URL",
                "must be https:// (http:// only to a loopback host such as 127.0.0.1)",
            ));
        }
        _ => {
            return Err(ConfigError::new(
                "PARKIR_ALERT_WEBHOOK_URL",
                "must be an https:// URL",
            ));
        }
    }
    let secret = secret.ok_or_else(|| {
        ConfigError::new(
            "PARKIR_ALERT_WEBHOOK_SECRET",
            "is required when PARKIR_ALERT_WEBHOOK_URL is set",
        )
    })?;
    if secret.len() < WEBHOOK_SECRET_MIN_BYTES {
        return Err(ConfigError::new(
            "PARKIR_ALERT_WEBHOOK_SECRET",
            format!(
                "must be at least {WEBHOOK_SECRET_MIN_BYTES} bytes (e.g. `openssl rand -hex 32`)"
            ),
        ));
    }
    Ok(Some((url, SecretString::from(secret))))
}

/// `PARKIR_READ_DATABASE_URL`: a `postgres://` or `postgresql://` URL naming a database, one
/// host or several. The error never repeats the URL: it may hold a password.
fn read_database_url(raw: Option<String>) -> Result<Option<SecretString>, ConfigError> {
    let Some(url) = raw else {
        return Ok(None);
    };
    let scheme = url.starts_with("postgres://") || url.starts_with("postgresql://");
    if !scheme || crate::db::split_database_url(&url).is_err() || url.contains(char::is_whitespace)
    {
        return Err(ConfigError::new(
            "PARKIR_READ_DATABASE_URL",
            "must be a PostgreSQL URL naming a database, e.g. \
             postgresql://db2:5432,db3:5432/parkir?target_session_attrs=prefer-standby",
        ));
    }
    Ok(Some(SecretString::from(url)))
}

impl ConfigError {
    fn new(key: &str, message: impl Into<String>) -> Self {
        Self {
            key: key.to_owned(),
            message: message.into(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub database_url: SecretString,
    /// Standbys that serve the reports of past periods (SPEC §18); none: the primary serves all.
    pub read_database_url: Option<SecretString>,
    /// A standby further behind than this leaves the reports to the primary.
    pub max_read_lag: Duration,
    pub bind: String,
    pub timezone: Tz,
    /// The default city's code (SPEC §17): the city these single-city settings describe.
    pub city_code: String,
    /// Seals the cities' stored gateway credentials (SPEC §17).
    pub secret_key: Option<SecretString>,
    pub jwt_secret: Option<SecretString>,
    pub db_pool_size: u32,
    pub db_timeout: Duration,
    pub charge_ttl: Duration,
    pub log_json: bool,
    pub complaint_line: String,
    /// Printed on posters as "Cek resmi: {public_url}/cek/{code}" when set.
    pub public_url: Option<String>,
    /// Shown on the citizen's page of an unregistered code, with `tel:` and WhatsApp links.
    pub hotline: Option<Hotline>,
    /// The letterhead and signature block of workbooks, printed recaps and letters.
    pub office: Office,
    /// Proxies whose `X-Forwarded-For` names the client (login throttling keys on it).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub gateways: GatewaySettings,
    pub alerts: AlertSettings,
}

/// The office that issues the documents (SPEC §11.1): its letterhead and who signs.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Office {
    pub name: String,
    pub address: Option<String>,
    pub signatory_name: Option<String>,
    pub signatory_nip: Option<String>,
    pub signatory_title: Option<String>,
}

impl Default for Office {
    fn default() -> Self {
        Self {
            name: "Dinas Perhubungan".into(),
            address: None,
            signatory_name: None,
            signatory_nip: None,
            signatory_title: None,
        }
    }
}

/// The alert job and its optional webhook (SPEC §12).
#[derive(Clone, Debug)]
pub struct AlertSettings {
    /// Zero turns the background evaluation off.
    pub interval: Duration,
    pub webhook: Option<(String, SecretString)>,
}

/// What a poster says about complaints unless PARKIR_COMPLAINT_LINE says otherwise.
pub use crate::qris::poster::DEFAULT_COMPLAINT_LINE;

/// Gateway credentials; a gateway whose credentials are absent refuses every callback with 503.
#[derive(Clone, Debug, Default)]
pub struct GatewaySettings {
    pub snap_client_key: Option<String>,
    pub snap_client_secret: Option<SecretString>,
    pub snap_public_key: Option<PathBuf>,
    /// The PEM itself, when it does not come from a file (`parkir demo`).
    pub snap_public_key_pem: Option<String>,
    pub midtrans_server_key: Option<SecretString>,
    pub xendit_callback_token: Option<SecretString>,
}

/// Where values come from: the environment first (unless `env` is off, as in tests), then the
/// TOML file.
struct Source {
    file: HashMap<String, String>,
    env: bool,
}

impl Source {
    fn load() -> Result<Self, ConfigError> {
        let explicit = std::env::var("PARKIR_CONFIG").ok();
        let path = match &explicit {
            Some(path) => PathBuf::from(path),
            None => PathBuf::from("parkir.toml"),
        };
        if explicit.is_none() && !path.exists() {
            return Ok(Self {
                file: HashMap::new(),
                env: true,
            });
        }
        let text = std::fs::read_to_string(&path).map_err(|e| {
            ConfigError::new(
                "PARKIR_CONFIG",
                format!("cannot read {}: {e}", path.display()),
            )
        })?;
        Self::parse(&text, &path.display().to_string()).map(|file| Self { env: true, ..file })
    }

    fn parse(text: &str, origin: &str) -> Result<Self, ConfigError> {
        let table: toml::Table = toml::from_str(text)
            .map_err(|e| ConfigError::new("PARKIR_CONFIG", format!("{origin}: {e}")))?;
        let mut file = HashMap::new();
        for (key, value) in table {
            let name = key.to_ascii_uppercase();
            if !KEYS.iter().any(|(known, _)| *known == name) || name == "PARKIR_CONFIG" {
                return Err(ConfigError::new(
                    &name,
                    format!("{origin}: unknown setting (known: see `parkir --help`)"),
                ));
            }
            let value = match value {
                toml::Value::String(s) => s,
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                _ => {
                    return Err(ConfigError::new(
                        &name,
                        format!("{origin}: must be a string or a number"),
                    ));
                }
            };
            file.insert(name, value);
        }
        Ok(Self { file, env: false })
    }

    fn get(&self, key: &str) -> Option<String> {
        self.env
            .then(|| std::env::var(key).ok())
            .flatten()
            .or_else(|| self.file.get(key).cloned())
            .filter(|v| !v.trim().is_empty())
    }

    fn number<T>(&self, key: &str, default: T, min: T) -> Result<T, ConfigError>
    where
        T: std::str::FromStr + PartialOrd + std::fmt::Display,
    {
        match self.get(key) {
            None => Ok(default),
            Some(raw) => match raw.trim().parse::<T>() {
                Ok(v) if v >= min => Ok(v),
                _ => Err(ConfigError::new(
                    key,
                    format!("must be a whole number ≥ {min}, got {raw:?}"),
                )),
            },
        }
    }
}

impl Settings {
    /// Reads every setting; the first missing or malformed one is the error.
    pub fn load() -> Result<Self, ConfigError> {
        Self::from_source(&Source::load()?)
    }

    fn from_source(src: &Source) -> Result<Self, ConfigError> {
        let timezone = match src.get("PARKIR_TIMEZONE") {
            None => chrono_tz::Asia::Jakarta,
            Some(name) => name.parse::<Tz>().map_err(|_| {
                ConfigError::new(
                    "PARKIR_TIMEZONE",
                    format!("unknown IANA time zone {name:?} (e.g. Asia/Jakarta)"),
                )
            })?,
        };
        let city_code = src
            .get("PARKIR_CITY_CODE")
            .unwrap_or_else(|| "JMB".to_owned());
        if !crate::domain::is_city_code(&city_code) {
            return Err(ConfigError::new(
                "PARKIR_CITY_CODE",
                format!("{city_code:?} must be 2 to 8 capital letters (e.g. JMB)"),
            ));
        }
        let secret_key = match src.get("PARKIR_SECRET_KEY") {
            Some(s) if s.len() < 32 => {
                return Err(ConfigError::new(
                    "PARKIR_SECRET_KEY",
                    "must be at least 32 characters",
                ));
            }
            other => other.map(SecretString::from),
        };
        let jwt_secret = match src.get("PARKIR_JWT_SECRET") {
            Some(s) if s.len() < 32 => {
                return Err(ConfigError::new(
                    "PARKIR_JWT_SECRET",
                    "must be at least 32 characters",
                ));
            }
            other => other.map(SecretString::from),
        };
        Ok(Self {
            database_url: SecretString::from(
                src.get("DATABASE_URL")
                    .unwrap_or_else(|| "postgres:///parkir".to_owned()),
            ),
            read_database_url: read_database_url(src.get("PARKIR_READ_DATABASE_URL"))?,
            max_read_lag: Duration::from_secs(src.number("PARKIR_MAX_READ_LAG_SECS", 10u64, 0)?),
            bind: src
                .get("PARKIR_BIND")
                .unwrap_or_else(|| "127.0.0.1:8080".to_owned()),
            timezone,
            city_code,
            secret_key,
            jwt_secret,
            db_pool_size: src.number("PARKIR_DB_POOL", 8u32, 1)?,
            db_timeout: Duration::from_millis(src.number("PARKIR_DB_TIMEOUT_MS", 3000u64, 100)?),
            charge_ttl: Duration::from_secs(src.number("PARKIR_CHARGE_TTL_SECS", 600u64, 30)?),
            log_json: src
                .get("PARKIR_LOG_FORMAT")
                .is_some_and(|f| f.eq_ignore_ascii_case("json")),
            complaint_line: match src.get("PARKIR_COMPLAINT_LINE") {
                None => DEFAULT_COMPLAINT_LINE.to_owned(),
                Some(line) => {
                    crate::qris::poster::check_complaint_line(&line)
                        .map_err(|m| ConfigError::new("PARKIR_COMPLAINT_LINE", m))?;
                    line
                }
            },
            trusted_proxies: parse_proxies(src.get("PARKIR_TRUSTED_PROXIES").as_deref())?,
            public_url: match src.get("PARKIR_PUBLIC_URL") {
                None => None,
                Some(u)
                    if (u.starts_with("https://") || u.starts_with("http://"))
                        && !u.contains(char::is_whitespace) =>
                {
                    Some(u.trim_end_matches('/').to_owned())
                }
                Some(_) => {
                    return Err(ConfigError::new(
                        "PARKIR_PUBLIC_URL",
                        "must be an http:// or https:// address without spaces",
                    ));
                }
            },
            hotline: src
                .get("PARKIR_HOTLINE")
                .map(|raw| Hotline::parse(&raw))
                .transpose()
                .map_err(|m| ConfigError::new("PARKIR_HOTLINE", m))?,
            office: {
                let text = |key: &'static str, max: usize| -> Result<Option<String>, ConfigError> {
                    src.get(key)
                        .map(|v| {
                            crate::domain::label(&v, max).map_err(|m| ConfigError::new(key, m))
                        })
                        .transpose()
                };
                Office {
                    name: text("PARKIR_OFFICE_NAME", 120)?
                        .unwrap_or_else(|| Office::default().name),
                    address: text("PARKIR_OFFICE_ADDRESS", 200)?,
                    signatory_name: text("PARKIR_SIGNATORY_NAME", 100)?,
                    signatory_nip: text("PARKIR_SIGNATORY_NIP", 30)?,
                    signatory_title: text("PARKIR_SIGNATORY_TITLE", 100)?,
                }
            },
            alerts: AlertSettings {
                interval: Duration::from_secs(src.number(
                    "PARKIR_ALERT_INTERVAL_SECS",
                    900u64,
                    0,
                )?),
                webhook: alert_webhook(
                    src.get("PARKIR_ALERT_WEBHOOK_URL"),
                    src.get("PARKIR_ALERT_WEBHOOK_SECRET"),
                )?,
            },
            gateways: GatewaySettings {
                snap_client_key: src.get("PARKIR_SNAP_CLIENT_KEY"),
                snap_client_secret: src.get("PARKIR_SNAP_CLIENT_SECRET").map(SecretString::from),
                snap_public_key: src.get("PARKIR_SNAP_PUBLIC_KEY").map(PathBuf::from),
                snap_public_key_pem: None,
                midtrans_server_key: src
                    .get("PARKIR_MIDTRANS_SERVER_KEY")
                    .map(SecretString::from),
                xendit_callback_token: src
                    .get("PARKIR_XENDIT_CALLBACK_TOKEN")
                    .map(SecretString::from),
            },
        })
    }

    /// The JWT secret, or the error `serve` stops with when it is not set.
    pub fn require_jwt_secret(&self) -> Result<SecretString, ConfigError> {
        self.jwt_secret.clone().ok_or_else(|| {
            ConfigError::new(
                "PARKIR_JWT_SECRET",
                "is required by `parkir serve` (at least 32 characters)",
            )
        })
    }
}

impl GatewaySettings {
    /// The SNAP gateway as configured, or `None` when its client key is not set. A public key
    /// that cannot be read or parsed stops start-up, naming the setting.
    pub fn snap(&self) -> Result<Option<crate::gateways::snap::SnapConfig>, ConfigError> {
        use crate::gateways::snap::SnapConfig;
        let Some(client_key) = self.snap_client_key.clone() else {
            return Ok(None);
        };
        let pem = match (&self.snap_public_key_pem, &self.snap_public_key) {
            (Some(pem), _) => Some(pem.clone()),
            (None, Some(path)) => Some(std::fs::read_to_string(path).map_err(|e| {
                ConfigError::new(
                    "PARKIR_SNAP_PUBLIC_KEY",
                    format!("cannot read {}: {e}", path.display()),
                )
            })?),
            (None, None) => None,
        };
        let public_key = pem
            .map(|pem| SnapConfig::parse_public_key(&pem))
            .transpose()
            .map_err(|m| ConfigError::new("PARKIR_SNAP_PUBLIC_KEY", m))?;
        Ok(Some(SnapConfig {
            client_key,
            client_secret: self.snap_client_secret.clone(),
            public_key,
        }))
    }
}

#[cfg(test)]
mod tests;

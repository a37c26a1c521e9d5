//! Logging: plain text for people, JSON lines with `PARKIR_LOG_FORMAT=json` for collectors.

use tracing_subscriber::{EnvFilter, fmt};

/// Installs the global subscriber once; `RUST_LOG` overrides the default `info` level.
pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

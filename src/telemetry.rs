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

/// The root span of each request: tracing-actix-web's, except that the citizen's endpoints
/// (`/cek…`, `/api/v1/public/…`) are logged without any client address — no `client_ip`, no
/// forwarded header — because their page promises "alamat Anda tidak disimpan" (SPEC §10).
pub struct RequestSpans;

/// Whether a path is one of the citizen's, whose requests log no client address.
pub fn is_public_path(path: &str) -> bool {
    path == "/cek" || path.starts_with("/cek/") || path.starts_with("/api/v1/public/")
}

impl tracing_actix_web::RootSpanBuilder for RequestSpans {
    fn on_request_start(request: &actix_web::dev::ServiceRequest) -> tracing::Span {
        if is_public_path(request.path()) {
            tracing::info_span!(
                "HTTP request",
                http.method = %request.method(),
                http.route = request.match_pattern().unwrap_or_default(),
                http.status_code = tracing::field::Empty,
                otel.status_code = tracing::field::Empty,
                exception.message = tracing::field::Empty,
                exception.details = tracing::field::Empty,
            )
        } else {
            tracing_actix_web::root_span!(request)
        }
    }

    fn on_request_end<B: actix_web::body::MessageBody>(
        span: tracing::Span,
        outcome: &Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>,
    ) {
        tracing_actix_web::DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

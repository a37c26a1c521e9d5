//! Builds the application: pool, shared state, middleware and routes, bound to a listener.
//! Tests and the binary run the very same [`Application`].

use std::net::TcpListener;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers, from_fn};
use actix_web::{App, HttpServer, ResponseError, web};
use secrecy::{ExposeSecret, SecretString};
use tracing_actix_web::TracingLogger;

use crate::auth::TokenKeys;
use crate::config::Settings;
use crate::db;
use crate::error::ApiError;
use crate::gateways::{midtrans::Midtrans, snap::Snap, xendit::Xendit};
use crate::metrics::{self, Metrics};
use crate::routes;
pub use crate::state::{AppState, Gateways};

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Binds `settings.bind` (port 0 picks a free one) and prepares the server; the database is
    /// reached lazily, so a server whose database is down still starts and answers 503.
    pub fn build(settings: &Settings, jwt_secret: &SecretString) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|e| anyhow::anyhow!("PARKIR_BIND: cannot listen on {}: {e}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let pool = db::build_pool(
            settings.database_url.expose_secret(),
            settings.db_pool_size,
            settings.db_timeout,
        );
        let recorder = crate::db::recorder::Recorder::start(
            pool.clone(),
            settings.timezone,
            (settings.db_pool_size as usize / 3).clamp(1, 4),
        );
        let alert_webhook = settings.alerts.webhook.clone().map(|(url, secret)| {
            std::sync::Arc::new(crate::webhook::AlertWebhook::start(url, secret))
        });
        crate::jobs::alerts::start(
            pool.clone(),
            settings.timezone,
            settings.alerts.interval,
            alert_webhook.clone(),
        );
        let feed = crate::db::listen::Feed::new(settings.database_url.expose_secret().to_owned());
        // A small pool of its own, and a short wait for it: a standby that cannot give a
        // connection soon leaves the read to the primary.
        let replica = settings.read_database_url.as_ref().map(|url| {
            std::sync::Arc::new(crate::replica::ReadReplica::new(
                db::build_read_pool(
                    url.expose_secret(),
                    (settings.db_pool_size / 2).clamp(1, 4),
                    settings.db_timeout.min(std::time::Duration::from_secs(1)),
                ),
                settings.max_read_lag,
            ))
        });
        let state = web::Data::new(AppState {
            replica,
            feed,
            alert_webhook,
            recorder,
            pool,
            default_timezone: settings.timezone,
            zones: Default::default(),
            charge_ttl: settings.charge_ttl,
            complaint_line: settings.complaint_line.clone(),
            public_url: settings.public_url.clone(),
            hotline: settings.hotline.clone(),
            office: settings.office.clone(),
            trusted_proxies: settings.trusted_proxies.clone(),
            renders: Default::default(),
            snap_tokens: Default::default(),
            gateway_routes: Default::default(),
            secret_key: settings
                .secret_key
                .as_ref()
                .map(crate::gateways::credentials::SecretKey::new),
            gateways: Gateways {
                snap: Snap {
                    config: settings.gateways.snap()?,
                },
                midtrans: Midtrans {
                    server_key: settings.gateways.midtrans_server_key.clone(),
                },
                xendit: Xendit {
                    callback_token: settings.gateways.xendit_callback_token.clone(),
                },
            },
        });
        let keys = web::Data::new(TokenKeys::new(jwt_secret));
        let metrics = web::Data::new(Metrics::new());
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(crate::web::extract::text_only))
                .wrap(ErrorHandlers::new().default_handler(as_problem))
                .wrap(from_fn(crate::i18n::problems))
                .wrap(from_fn(metrics::track))
                .wrap(TracingLogger::<crate::telemetry::RequestSpans>::new())
                // Outermost, so that every answer, the rewritten ones too, carries them.
                .wrap(from_fn(security_headers))
                .app_data(state.clone())
                .app_data(keys.clone())
                .app_data(metrics.clone())
                .configure(routes::config)
                .default_service(web::to(routes::not_found))
        })
        .workers(2)
        .listen(listener)?
        .run();
        Ok(Self { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle to stop the server (benchmarks run it in-process).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// The API document's page (Swagger UI): its own scripts and styles only, never framed.
const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// Headers every answer carries (SPEC §10): `X-Content-Type-Options: nosniff` on all, so no
/// browser reads a CSV or an error as a script or a page; and on `/docs` a CSP that allows
/// only the page's own files and forbids framing it.
async fn security_headers(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody>,
) -> actix_web::Result<ServiceResponse<impl MessageBody>> {
    let docs = req.path() == "/docs" || req.path().starts_with("/docs/");
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    if docs {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            header::HeaderValue::from_static(DOCS_CSP),
        );
        headers.insert(
            header::X_FRAME_OPTIONS,
            header::HeaderValue::from_static("DENY"),
        );
    }
    Ok(res)
}

/// Turns any error answer that is not JSON yet (a 405 from routing, a 404 from a static route)
/// into a problem document, so every error a client sees has a readable shape.
fn as_problem<B: MessageBody>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // JSON answers are already shaped: problem documents, and SNAP's own error bodies; so are
    // the pages' own error pages (the citizen check's 404 and its form errors).
    let is_json = res.headers().get(header::CONTENT_TYPE).is_some_and(|ct| {
        let ct = ct.as_bytes();
        ct.starts_with(b"application/problem+json")
            || ct.starts_with(b"application/json")
            || ct.starts_with(b"text/html")
    });
    if is_json {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let path = res.request().path().to_owned();
    let err = match status.as_u16() {
        404 => ApiError::NotFound(format!("no route for {path}")),
        405 => ApiError::MethodNotAllowed,
        413 => ApiError::PayloadTooLarge(crate::web::extract::BODY_LIMIT),
        s if s >= 500 => ApiError::internal(anyhow::anyhow!("unhandled {status} for {path}")),
        _ => ApiError::invalid(
            "request",
            status.canonical_reason().unwrap_or("bad request"),
        ),
    };
    let (req, _) = res.into_parts();
    let res = ServiceResponse::new(req, err.error_response()).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}

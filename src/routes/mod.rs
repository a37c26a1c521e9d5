//! Thin handlers, one file per resource; every route is registered in [`config`].

pub mod alerts;
pub mod attendants;
pub mod auth;
pub mod citizen;
pub mod gateways;
pub mod health;
pub mod me;
pub mod merchant_accounts;
pub mod openapi;
pub mod payments;
pub mod qr;
pub mod reconciliation;
pub mod reports;
pub mod settlements;
pub mod spots;
pub mod users;
pub mod zones;

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::http::{Method, header};
use actix_web::{FromRequest, Handler, HttpRequest, HttpResponse, Resource, Responder, web};
use utoipa_swagger_ui::SwaggerUi;

use crate::error::ApiError;

/// A path and the methods it answers. Any other method is a 405 problem whose `Allow` names
/// them, so a client that guessed the method learns the right one.
pub struct At {
    resource: Resource,
    allow: Vec<Method>,
}

/// The resource at `path` (relative to the enclosing scope).
pub fn at(path: &str) -> At {
    At {
        resource: web::resource(path),
        allow: Vec::new(),
    }
}

impl At {
    pub fn on<F, Args>(mut self, method: Method, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.resource = self.resource.route(web::method(method.clone()).to(handler));
        self.allow.push(method);
        self
    }

    pub fn get<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.on(Method::GET, handler)
    }

    pub fn post<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.on(Method::POST, handler)
    }

    pub fn patch<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.on(Method::PATCH, handler)
    }
}

impl HttpServiceFactory for At {
    fn register(self, config: &mut AppService) {
        let allow = self
            .allow
            .iter()
            .map(Method::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        self.resource
            .default_service(web::to(move || {
                let allow = allow.clone();
                async move {
                    let mut res =
                        actix_web::ResponseError::error_response(&ApiError::MethodNotAllowed);
                    if let Ok(value) = header::HeaderValue::from_str(&allow) {
                        res.headers_mut().insert(header::ALLOW, value);
                    }
                    res
                }
            }))
            .register(config)
    }
}

/// Every route of the service.
pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        // A path id that is not a number names nothing: a plain 404, no parser internals.
        web::PathConfig::default().error_handler(|_, req| {
            ApiError::NotFound(format!("no such resource: {}", req.path())).into()
        }),
    )
    .service(at("/healthz").get(health::healthz))
    .service(at("/readyz").get(health::readyz))
    .service(at("/metrics").get(health::metrics))
    .service(at("/openapi.json").get(openapi::openapi_json))
    .service(
        web::scope("/snap")
            .service(at("/v1.0/access-token/b2b").post(gateways::snap_access_token))
            .service(at("/v1.0/qr/qr-mpm-notify").post(gateways::snap_notify)),
    )
    .service(
        SwaggerUi::new("/docs/{_:.*}").url("/api-docs/openapi.json", openapi::document().clone()),
    )
    .service(at("/docs").get(docs_redirect))
    .service(at("/jukir").get(crate::web::jukir::page))
    .service(at("/jukir/").get(crate::web::jukir::page))
    .service(at("/jukir/assets/{name}").get(crate::web::jukir::asset))
    .service(at("/cek").get(crate::web::cek::landing))
    .service(at("/cek/").get(crate::web::cek::landing))
    .service(at("/cek/assets/{name}").get(crate::web::cek::asset))
    .service(
        at("/cek/{code}")
            .get(crate::web::cek::page)
            .post(crate::web::cek::post),
    )
    .service(at("/dishub").get(crate::web::dishub::page))
    .service(at("/dishub/").get(crate::web::dishub::page))
    .service(at("/dishub/assets/{name}").get(crate::web::dishub::asset))
    .service(
        web::scope("/api/v1")
            // A bearer token is verified, and its account looked up, before any handler.
            .wrap(actix_web::middleware::from_fn(crate::auth::identify))
            // API answers are never cached; images set their own (ETag) policy.
            .wrap(
                actix_web::middleware::DefaultHeaders::new()
                    .add((actix_web::http::header::CACHE_CONTROL, "no-store")),
            )
            .service(at("/auth/login").post(auth::staff_login))
            .service(at("/auth/attendant-login").post(auth::attendant_login))
            .service(at("/auth/logout").post(auth::logout))
            .service(
                at("/merchant-accounts")
                    .post(merchant_accounts::create)
                    .get(merchant_accounts::list),
            )
            .service(at("/merchant-accounts/{id}").get(merchant_accounts::get))
            .service(at("/zones").post(zones::create).get(zones::list))
            .service(at("/zones/{id}").get(zones::get).patch(zones::patch))
            .service(at("/zones/{id}/spots").post(spots::create))
            .service(at("/spots").get(spots::list))
            .service(at("/spots/{id}").get(spots::get).patch(spots::patch))
            .service(at("/spots/{id}/qr").get(qr::spot_qr))
            .service(at("/spots/{id}/qr.png").get(qr::spot_qr_png))
            .service(at("/spots/{id}/qr.svg").get(qr::spot_qr_svg))
            .service(at("/spots/{id}/poster.svg").get(qr::spot_poster))
            .service(
                at("/attendants")
                    .post(attendants::create)
                    .get(attendants::list),
            )
            .service(
                at("/attendants/{id}")
                    .get(attendants::get)
                    .patch(attendants::patch),
            )
            .service(at("/attendants/{id}/pin").post(attendants::reset_pin))
            .service(at("/users").post(users::create).get(users::list))
            .service(at("/users/{id}").patch(users::patch))
            .service(at("/reports/series").get(reports::series))
            .service(at("/reports/monthly").get(reports::monthly))
            .service(at("/reports/monthly.csv").get(reports::monthly_csv_file))
            .service(at("/reports/monthly.xlsx").get(reports::monthly_xlsx))
            .service(
                at("/attendants/{id}/assignments")
                    .post(attendants::create_assignment)
                    .get(attendants::list_assignments),
            )
            .service(
                at("/attendants/{id}/assignments/{assignment_id}")
                    .patch(attendants::patch_assignment),
            )
            .service(at("/me").get(me::me))
            .service(at("/me/qr.png").get(me::my_qr_png))
            .service(at("/me/charges").post(me::create_charge))
            .service(at("/me/charges/{id}").get(me::get_charge))
            .service(at("/me/charges/{id}/qr.png").get(me::charge_qr_png))
            .service(at("/me/cash").post(me::record_cash))
            .service(at("/me/summary").get(me::summary))
            .service(at("/reconciliation/daily").get(reconciliation::daily))
            .service(at("/reconciliation/daily.csv").get(reconciliation::daily_csv))
            .service(at("/reconciliation/daily.xlsx").get(reconciliation::daily_xlsx))
            .service(at("/reconciliation/daily/{date}/close").post(reconciliation::close))
            .service(at("/settlements").post(settlements::import))
            .service(at("/settlements/{id}").get(settlements::get))
            .service(at("/payments").get(payments::list))
            .service(at("/public/spots/{code}").get(citizen::public_spot))
            .service(at("/public/reports").post(citizen::create_report))
            .service(at("/citizen-reports").get(citizen::list))
            .service(at("/citizen-reports/{id}").patch(citizen::patch))
            .service(at("/alerts").get(alerts::list))
            .service(at("/alerts/evaluate").post(alerts::evaluate))
            .service(at("/alerts/{id}").patch(alerts::patch))
            .service(
                at("/attendants/{id}/warning-letters")
                    .get(alerts::letters)
                    .post(alerts::issue_letter),
            )
            .service(at("/payments/{id}").get(payments::get))
            .service(at("/payments/{id}/callbacks").get(payments::callbacks))
            .service(at("/gateways/midtrans/notification").post(gateways::midtrans_notification))
            .service(at("/gateways/xendit/qr").post(gateways::xendit_qr)),
    );
}

async fn docs_redirect() -> HttpResponse {
    HttpResponse::Found()
        .insert_header(("Location", "/docs/"))
        .finish()
}

/// Unknown paths: a problem document, not an empty 404.
pub async fn not_found(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound(format!(
        "no route for {} {}",
        req.method(),
        req.path()
    )))
}

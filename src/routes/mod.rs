//! Thin handlers, one file per resource; every route is registered in [`config`].

pub mod alerts;
pub mod attendants;
pub mod auth;
pub mod citizen;
pub mod gateways;
pub mod health;
pub mod me;
pub mod merchant_accounts;
pub mod payments;
pub mod qr;
pub mod reconciliation;
pub mod reports;
pub mod settlements;
pub mod spots;
pub mod users;
pub mod zones;

use actix_web::{HttpRequest, HttpResponse, web};
use utoipa::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa_swagger_ui::SwaggerUi;

use crate::error::ApiError;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Parkir",
        description = "QRIS street-parking payments for Dishub: registry, attendants, gateway callbacks, reconciliation."
    ),
    paths(
        health::healthz, health::readyz, health::metrics,
        auth::staff_login, auth::attendant_login,
        merchant_accounts::create, merchant_accounts::list, merchant_accounts::get,
        zones::create, zones::list, zones::get, zones::patch,
        spots::create, spots::list, spots::get, spots::patch,
        attendants::create, attendants::list, attendants::get, attendants::patch,
        attendants::create_assignment, attendants::list_assignments, attendants::patch_assignment,
        attendants::reset_pin, users::create, users::list, users::patch,
        qr::spot_qr, qr::spot_qr_png, qr::spot_qr_svg, qr::spot_poster,
        me::me, me::my_qr_png, me::create_charge, me::get_charge, me::charge_qr_png, me::record_cash,
        payments::list, payments::get, payments::callbacks, me::summary,
        reconciliation::daily, reconciliation::daily_csv, reconciliation::daily_xlsx, reconciliation::close,
        reports::series, reports::monthly, reports::monthly_csv_file, reports::monthly_xlsx,
        settlements::import, settlements::get,
        citizen::public_spot, citizen::create_report, citizen::list, citizen::patch,
        alerts::list, alerts::patch, alerts::evaluate, alerts::letters, alerts::issue_letter,
        gateways::snap_access_token, gateways::snap_notify,
        gateways::midtrans_notification, gateways::xendit_qr,
        crate::web::jukir::page, crate::web::dishub::page,
    ),
    components(schemas(crate::error::Problem, crate::error::FieldError)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
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
    .route("/healthz", web::get().to(health::healthz))
    .route("/readyz", web::get().to(health::readyz))
    .route("/metrics", web::get().to(health::metrics))
    .route("/openapi.json", web::get().to(openapi_json))
    .service(
        web::scope("/snap")
            .route(
                "/v1.0/access-token/b2b",
                web::post().to(gateways::snap_access_token),
            )
            .route(
                "/v1.0/qr/qr-mpm-notify",
                web::post().to(gateways::snap_notify),
            ),
    )
    .service(SwaggerUi::new("/docs/{_:.*}").url("/api-docs/openapi.json", ApiDoc::openapi()))
    .route("/docs", web::get().to(docs_redirect))
    .route("/jukir", web::get().to(crate::web::jukir::page))
    .route("/jukir/", web::get().to(crate::web::jukir::page))
    .route(
        "/jukir/assets/{name}",
        web::get().to(crate::web::jukir::asset),
    )
    .route("/cek/assets/{name}", web::get().to(crate::web::cek::asset))
    .route("/cek/{code}", web::get().to(crate::web::cek::page))
    .route("/cek/{code}", web::post().to(crate::web::cek::post))
    .route("/dishub", web::get().to(crate::web::dishub::page))
    .route("/dishub/", web::get().to(crate::web::dishub::page))
    .route(
        "/dishub/assets/{name}",
        web::get().to(crate::web::dishub::asset),
    )
    .service(
        web::scope("/api/v1")
            // A bearer token is verified, and its account looked up, before any handler.
            .wrap(actix_web::middleware::from_fn(crate::auth::identify))
            // API answers are never cached; images set their own (ETag) policy.
            .wrap(
                actix_web::middleware::DefaultHeaders::new()
                    .add((actix_web::http::header::CACHE_CONTROL, "no-store")),
            )
            .route("/auth/login", web::post().to(auth::staff_login))
            .route(
                "/auth/attendant-login",
                web::post().to(auth::attendant_login),
            )
            .service(
                web::resource("/merchant-accounts")
                    .post(merchant_accounts::create)
                    .get(merchant_accounts::list),
            )
            .service(web::resource("/merchant-accounts/{id}").get(merchant_accounts::get))
            .service(web::resource("/zones").post(zones::create).get(zones::list))
            .service(
                web::resource("/zones/{id}")
                    .get(zones::get)
                    .patch(zones::patch),
            )
            .service(web::resource("/zones/{id}/spots").post(spots::create))
            .service(web::resource("/spots").get(spots::list))
            .service(
                web::resource("/spots/{id}")
                    .get(spots::get)
                    .patch(spots::patch),
            )
            .route("/spots/{id}/qr", web::get().to(qr::spot_qr))
            .route("/spots/{id}/qr.png", web::get().to(qr::spot_qr_png))
            .route("/spots/{id}/qr.svg", web::get().to(qr::spot_qr_svg))
            .route("/spots/{id}/poster.svg", web::get().to(qr::spot_poster))
            .service(
                web::resource("/attendants")
                    .post(attendants::create)
                    .get(attendants::list),
            )
            .service(
                web::resource("/attendants/{id}")
                    .get(attendants::get)
                    .patch(attendants::patch),
            )
            .route(
                "/attendants/{id}/pin",
                web::post().to(attendants::reset_pin),
            )
            .service(web::resource("/users").post(users::create).get(users::list))
            .route("/users/{id}", web::patch().to(users::patch))
            .route("/reports/series", web::get().to(reports::series))
            .route("/reports/monthly", web::get().to(reports::monthly))
            .route(
                "/reports/monthly.csv",
                web::get().to(reports::monthly_csv_file),
            )
            .route(
                "/reports/monthly.xlsx",
                web::get().to(reports::monthly_xlsx),
            )
            .service(
                web::resource("/attendants/{id}/assignments")
                    .post(attendants::create_assignment)
                    .get(attendants::list_assignments),
            )
            .service(
                web::resource("/attendants/{id}/assignments/{assignment_id}")
                    .patch(attendants::patch_assignment),
            )
            .route("/me", web::get().to(me::me))
            .route("/me/qr.png", web::get().to(me::my_qr_png))
            .route("/me/charges", web::post().to(me::create_charge))
            .route("/me/charges/{id}", web::get().to(me::get_charge))
            .route("/me/charges/{id}/qr.png", web::get().to(me::charge_qr_png))
            .route("/me/cash", web::post().to(me::record_cash))
            .route("/me/summary", web::get().to(me::summary))
            .route(
                "/reconciliation/daily",
                web::get().to(reconciliation::daily),
            )
            .route(
                "/reconciliation/daily.csv",
                web::get().to(reconciliation::daily_csv),
            )
            .route(
                "/reconciliation/daily.xlsx",
                web::get().to(reconciliation::daily_xlsx),
            )
            .route(
                "/reconciliation/daily/{date}/close",
                web::post().to(reconciliation::close),
            )
            .route("/settlements", web::post().to(settlements::import))
            .route("/settlements/{id}", web::get().to(settlements::get))
            .route("/payments", web::get().to(payments::list))
            .route("/public/spots/{code}", web::get().to(citizen::public_spot))
            .route("/public/reports", web::post().to(citizen::create_report))
            .route("/citizen-reports", web::get().to(citizen::list))
            .route("/citizen-reports/{id}", web::patch().to(citizen::patch))
            .route("/alerts", web::get().to(alerts::list))
            .route("/alerts/evaluate", web::post().to(alerts::evaluate))
            .route("/alerts/{id}", web::patch().to(alerts::patch))
            .service(
                web::resource("/attendants/{id}/warning-letters")
                    .get(alerts::letters)
                    .post(alerts::issue_letter),
            )
            .route("/payments/{id}", web::get().to(payments::get))
            .route(
                "/payments/{id}/callbacks",
                web::get().to(payments::callbacks),
            )
            .route(
                "/gateways/midtrans/notification",
                web::post().to(gateways::midtrans_notification),
            )
            .route("/gateways/xendit/qr", web::post().to(gateways::xendit_qr)),
    );
}

async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
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

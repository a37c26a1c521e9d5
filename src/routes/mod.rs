//! Thin handlers, one file per resource; every route is registered in [`config`], the API's
//! operations from the one route table ([`table`]).

pub mod alerts;
pub mod attendants;
pub mod auth;
pub mod cities;
pub mod citizen;
pub mod gateways;
pub mod health;
pub mod identity;
pub mod me;
pub mod merchant_accounts;
pub mod openapi;
pub mod payments;
pub mod payouts;
pub mod qr;
pub mod reconciliation;
pub mod reports;
pub mod settlements;
pub mod spots;
pub mod table;
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

    pub fn put<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.on(Method::PUT, handler)
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

/// Where the API's operations live; the table's paths carry it.
const API: &str = "/api/v1";

macro_rules! register_routes {
    ($( $path:literal => { $( $method:ident $($seg:ident)::+ [$($role:literal),*] ),+ $(,)? } ),* $(,)?) => {
        /// The table's operations: those under [`API`] into `api`, the rest at the root.
        fn table_routes(cfg: &mut web::ServiceConfig, mut api: actix_web::Scope) -> actix_web::Scope {
            $(
                let resource = at($path.strip_prefix(API).unwrap_or($path))$(.$method($($seg)::+))+;
                if $path.starts_with(API) {
                    api = api.service(resource);
                } else {
                    cfg.service(resource);
                }
            )*
            api
        }
    };
}
table::route_table!(register_routes);

/// Every route of the service: the table's operations, and the pages' assets and aliases,
/// `/openapi.json` and the interactive docs.
pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        // A path id that is not a number names nothing: a plain 404, no parser internals.
        web::PathConfig::default().error_handler(|_, req| {
            ApiError::NotFound(format!("no such resource: {}", req.path())).into()
        }),
    );
    let api = table_routes(cfg, web::scope(API));
    cfg.service(at("/openapi.json").get(openapi::openapi_json))
        .service(
            SwaggerUi::new("/docs/{_:.*}")
                .url("/api-docs/openapi.json", openapi::document().clone()),
        )
        .service(at("/docs").get(docs_redirect))
        .service(at("/jukir/").get(crate::web::jukir::page))
        .service(at("/jukir/assets/{name}").get(crate::web::jukir::asset))
        .service(at("/cek").get(crate::web::cek::landing))
        .service(at("/cek/").get(crate::web::cek::landing))
        .service(at("/cek/assets/{name}").get(crate::web::cek::asset))
        .service(
            // The rest of the path: a number typed with its slashes (`/cek/kta/001/KTA/2026`)
            // is the same card as its one-segment form.
            at("/cek/kta/{kta_number:.+}")
                .get(crate::web::cek::card_page)
                .post(crate::web::cek::post_card),
        )
        .service(
            at("/cek/{code}")
                .get(crate::web::cek::page)
                .post(crate::web::cek::post),
        )
        .service(at("/dishub/").get(crate::web::dishub::page))
        .service(at("/dishub/assets/{name}").get(crate::web::dishub::asset))
        .service(
            api
                // A bearer token is verified, and its account looked up, before any handler.
                .wrap(actix_web::middleware::from_fn(crate::auth::identify))
                // API answers are never cached; images set their own (ETag) policy.
                .wrap(
                    actix_web::middleware::DefaultHeaders::new()
                        .add((actix_web::http::header::CACHE_CONTROL, "no-store")),
                ),
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

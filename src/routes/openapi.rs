//! The API document (`/openapi.json`): each handler's own annotation (its parameters, body,
//! answers, operationId and roles), plus the answers every operation shares, added here once so
//! that no handler can forget them: 400 where anything is parsed, 401/403 where a token is
//! needed, 404 where the path names something, 413/415 where a body is read, 503 where the
//! database is used, and every error as `application/problem+json`.

use std::sync::OnceLock;

use utoipa::OpenApi;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{Content, Ref, RefOr, Response};

use super::{
    alerts, attendants, auth, cities, citizen, gateways, health, identity, me, merchant_accounts,
    payments, payouts, qr, reconciliation, reports, settlements, spots, users, zones,
};

/// The document's operations are the route table's ([`super::table`]).
macro_rules! api_doc {
    ($( $path:literal => { $( $method:ident $($seg:ident)::+ [$($role:literal),*] ),+ $(,)? } ),* $(,)?) => {
        #[derive(OpenApi)]
        #[openapi(
            info(
                title = "Parkir",
                description = "QRIS street-parking payments for Dishub: registry, attendants, gateway callbacks, reconciliation.

**Query parameters.** One rule everywhere: a parameter is given with a valid value or left out; given empty (`?date=`) it is refused (400) like any other broken rule, and so are unknown parameters.

**Errors** are `application/problem+json` (RFC 9457) with a stable `code` and, for 400, `errors: [{field, message}]` naming each broken rule. A wrong method on a known path is a 405 with `Allow`.

**Money** is whole rupiah (integers); instants are UTC (RFC 3339); business dates are `YYYY-MM-DD` in the city's zone.

**Roles.** Staff log in at `/api/v1/auth/login`, attendants at `/api/v1/auth/attendant-login`; each operation's description lists the roles it admits, and its `bearer` requirement carries them as role names."
            ),
            paths($( $( $($seg)::+ ),+ ),*),
            components(schemas(crate::error::Problem, crate::error::FieldError)),
            modifiers(&Conventions)
        )]
        pub struct ApiDoc;
    };
}
super::table::route_table!(api_doc);

/// The document, built once.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOC.get_or_init(ApiDoc::openapi)
}

struct Conventions;

impl utoipa::Modify for Conventions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut bearer = Http::new(HttpAuthScheme::Bearer);
        bearer.bearer_format = Some("JWT".into());
        bearer.description = Some(
            "An access token from `/api/v1/auth/login` (staff: admin, supervisor, auditor) or `/api/v1/auth/attendant-login` (attendants). Each operation names the roles it admits."
                .into(),
        );
        components.add_security_scheme("bearer", SecurityScheme::Http(bearer));
        components.add_security_scheme(
            "snapSignature",
            header_key(
                "X-SIGNATURE",
                "SNAP: SHA256withRSA over `clientKey|X-TIMESTAMP` (access token), or the request signature (notify: HMAC-SHA512 with a token we issued, or SHA256withRSA)",
            ),
        );
        let mut snap_token = Http::new(HttpAuthScheme::Bearer);
        snap_token.description = Some(
            "SNAP: the B2B token from `/snap/v1.0/access-token/b2b` (signature type 1)".into(),
        );
        components.add_security_scheme("snapToken", SecurityScheme::Http(snap_token));
        components.add_security_scheme(
            "xenditCallbackToken",
            header_key(
                "x-callback-token",
                "Xendit: the callback verification token, compared in constant time",
            ),
        );

        // Each operation's bearer requirement: the roles the route table admits.
        for route in super::table::ROUTES.iter().filter(|r| !r.roles.is_empty()) {
            if let Some(operation) = openapi
                .paths
                .paths
                .get_mut(route.path)
                .and_then(|item| operation_mut(item, route.method))
            {
                operation.security = Some(vec![SecurityRequirement::new(
                    "bearer",
                    route.roles.to_vec(),
                )]);
            }
        }
        for (path, item) in openapi.paths.paths.iter_mut() {
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                shared_answers(path, operation);
            }
        }
    }
}

/// The operation of `item` for a lower-case method name.
fn operation_mut<'a>(item: &'a mut PathItem, method: &str) -> Option<&'a mut Operation> {
    match method {
        "get" => item.get.as_mut(),
        "post" => item.post.as_mut(),
        "patch" => item.patch.as_mut(),
        "put" => item.put.as_mut(),
        "delete" => item.delete.as_mut(),
        _ => None,
    }
}

/// A secret sent in a request header.
fn header_key(name: &str, description: &str) -> SecurityScheme {
    SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
        name,
        description,
    )))
}

/// The roles a `bearer` requirement names (its "scopes").
fn roles(operation: &Operation) -> Option<Vec<String>> {
    let requirements = serde_json::to_value(operation.security.as_ref()?).ok()?;
    requirements.as_array()?.iter().find_map(|r| {
        let roles = r.get("bearer")?.as_array()?;
        Some(
            roles
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
        )
    })
}

fn shared_answers(path: &str, operation: &mut Operation) {
    // The gateways' SNAP endpoints answer in SNAP's own format; their annotation says it all.
    if path.starts_with("/snap/") {
        return;
    }
    // The pages, liveness and the metrics answer without waiting on the database.
    let needs_database = !matches!(path, "/jukir" | "/dishub" | "/healthz" | "/metrics");
    let roles = roles(operation);
    if let Some(roles) = &roles {
        let line = format!("Roles: {}.", roles.join(", "));
        operation.description = Some(match operation.description.take() {
            Some(d) if !d.is_empty() => format!("{d}\n\n{line}"),
            _ => line,
        });
    }
    let takes_input = operation.parameters.as_ref().is_some_and(|p| !p.is_empty())
        || operation.request_body.is_some()
        || path.contains('{');
    let json_body = operation
        .request_body
        .as_ref()
        .is_some_and(|b| b.content.contains_key("application/json"));
    let mut add = |status: &str, description: &str| {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::T(Response::new(description)));
    };
    if takes_input {
        add(
            "400",
            "a parameter or the body breaks a rule; `errors` names each field and rule",
        );
    }
    if operation.security.is_some() {
        add("401", "no token, or a bad or expired one");
    }
    if roles.is_some() {
        add("403", "the caller's role may not do this");
    }
    if path.contains('{') {
        add("404", "no such resource (or not the caller's to see)");
    }
    if operation.request_body.is_some() {
        add("413", "the body is larger than 64 KiB");
    }
    if json_body {
        add("415", "the body is declared as something other than JSON");
    }
    if needs_database {
        add(
            "503",
            "the database is unavailable or not accepting writes; nothing was stored, retry",
        );
    }
    for (status, response) in operation.responses.responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        if response.description.is_empty() {
            response.description = standard_description(status).into();
        }
        // Every error answer is a problem document.
        if status.as_str() >= "400" {
            response.content.clear();
            response.content.insert(
                "application/problem+json".into(),
                Content::new(Some(Ref::from_schema_name("Problem"))),
            );
        }
    }
}

fn standard_description(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "created",
        "204" => "done; no body",
        "304" => "not modified: the client's copy (If-None-Match) is current",
        "400" => "a parameter or the body breaks a rule; `errors` names each field and rule",
        "404" => "no such resource (or not the caller's to see)",
        "409" => "conflicts with what is stored",
        "429" => "too many requests; `Retry-After` says when to try again",
        _ => "see the problem's `detail`",
    }
}

/// `GET /openapi.json`.
pub async fn openapi_json() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().json(document())
}

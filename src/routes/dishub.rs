//! `GET /dishub`: the Dishub console, embedded in the binary like `/jukir` (same CSP: no inline
//! code, nothing but this origin). The page calls the JSON API with the staff token.

use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

const HTML: &str = include_str!("../dishub/index.html");
const CSS: &str = include_str!("../dishub/app.css");
const JS: &str = include_str!("../dishub/app.js");

struct Assets {
    html: String,
    css_name: String,
    js_name: String,
}

fn short_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))[..12].to_owned()
}

fn assets() -> &'static Assets {
    static ASSETS: OnceLock<Assets> = OnceLock::new();
    ASSETS.get_or_init(|| {
        let (css, js) = (short_hash(CSS), short_hash(JS));
        Assets {
            html: HTML
                .replace("{{CSS_HASH}}", &css)
                .replace("{{JS_HASH}}", &js),
            css_name: format!("app.{css}.css"),
            js_name: format!("app.{js}.js"),
        }
    })
}

fn secure(mut res: actix_web::HttpResponseBuilder) -> actix_web::HttpResponseBuilder {
    res.insert_header((header::CONTENT_SECURITY_POLICY, super::jukir::CSP))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"));
    res
}

#[utoipa::path(get, path = "/dishub", tag = "console",
    responses((status = 200, description = "the Dishub console", content_type = "text/html")))]
pub async fn page() -> HttpResponse {
    secure(HttpResponse::Ok())
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .content_type("text/html; charset=utf-8")
        .body(assets().html.clone())
}

pub async fn asset(name: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let a = assets();
    let (body, content_type) = if *name == a.css_name {
        (CSS, "text/css; charset=utf-8")
    } else if *name == a.js_name {
        (JS, "text/javascript; charset=utf-8")
    } else {
        return Err(ApiError::NotFound(format!("no asset {name}")));
    };
    Ok(secure(HttpResponse::Ok())
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .content_type(content_type)
        .body(body))
}

//! `GET /jukir`: the attendant's phone page, embedded in the binary. The HTML is never cached;
//! its CSS and JavaScript are served under content-hashed names and cached for a year. A
//! Content-Security-Policy allows only this origin (QR images are fetched with the token and
//! shown as `blob:` URLs the page itself creates).

use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

const HTML: &str = include_str!("../jukir/index.html");
const CSS: &str = include_str!("../jukir/app.css");
const JS: &str = include_str!("../jukir/app.js");
const ICON: &str = include_str!("../jukir/icon.svg");

pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; \
     connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

struct Assets {
    html: String,
    css_name: String,
    js_name: String,
    icon_name: String,
}

fn short_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))[..12].to_owned()
}

fn assets() -> &'static Assets {
    static ASSETS: OnceLock<Assets> = OnceLock::new();
    ASSETS.get_or_init(|| {
        let (css, js, icon) = (short_hash(CSS), short_hash(JS), short_hash(ICON));
        Assets {
            html: HTML
                .replace("{{CSS_HASH}}", &css)
                .replace("{{JS_HASH}}", &js)
                .replace("{{ICON_HASH}}", &icon),
            css_name: format!("app.{css}.css"),
            js_name: format!("app.{js}.js"),
            icon_name: format!("icon.{icon}.svg"),
        }
    })
}

fn secure(mut res: actix_web::HttpResponseBuilder) -> actix_web::HttpResponseBuilder {
    res.insert_header((header::CONTENT_SECURITY_POLICY, CSP))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"));
    res
}

#[utoipa::path(get, path = "/jukir", tag = "attendant",
    responses((status = 200, description = "the attendant's phone page", content_type = "text/html")))]
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
    } else if *name == a.icon_name {
        (ICON, "image/svg+xml")
    } else {
        return Err(ApiError::NotFound(format!("no asset {name}")));
    };
    Ok(secure(HttpResponse::Ok())
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .content_type(content_type)
        .body(body))
}

/// The whole page weight, for the 100 KB budget.
pub fn total_bytes() -> usize {
    assets().html.len() + CSS.len() + JS.len() + ICON.len()
}

//! `GET /jukir`: the attendant's phone page, embedded in the binary (`web::pages`).

use std::sync::OnceLock;

use actix_web::{HttpResponse, web};

use super::pages::{Asset, Page};
use crate::error::ApiError;

static ASSETS: [Asset; 3] = [
    Asset {
        placeholder: "{{CSS_HASH}}",
        stem: "app",
        ext: "css",
        body: include_str!("jukir/app.css"),
        content_type: "text/css; charset=utf-8",
    },
    Asset {
        placeholder: "{{JS_HASH}}",
        stem: "app",
        ext: "js",
        body: include_str!("jukir/app.js"),
        content_type: "text/javascript; charset=utf-8",
    },
    Asset {
        placeholder: "{{ICON_HASH}}",
        stem: "icon",
        ext: "svg",
        body: include_str!("jukir/icon.svg"),
        content_type: "image/svg+xml",
    },
];

fn jukir() -> &'static Page {
    static PAGE: OnceLock<Page> = OnceLock::new();
    PAGE.get_or_init(|| Page::new(include_str!("jukir/index.html"), &ASSETS))
}

#[utoipa::path(get, path = "/jukir", operation_id = "getAttendantPage", tag = "attendant",
    responses((status = 200, description = "the attendant's phone page", content_type = "text/html")))]
pub async fn page() -> HttpResponse {
    jukir().html()
}

pub async fn asset(name: web::Path<String>) -> Result<HttpResponse, ApiError> {
    jukir().asset(&name)
}

/// The whole page weight, for the 100 KB budget.
pub fn total_bytes() -> usize {
    jukir().total_bytes()
}

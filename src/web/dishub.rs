//! `GET /dishub`: the Dishub console, embedded in the binary like `/jukir` (`web::pages`).
//! The page calls the JSON API with the staff token.

use std::sync::OnceLock;

use actix_web::{HttpResponse, web};

use super::pages::{Asset, Page};
use crate::error::ApiError;

static ASSETS: [Asset; 11] = [
    Asset {
        placeholder: "{{CSS_HASH}}",
        stem: "app",
        ext: "css",
        body: include_str!("dishub/app.css"),
        content_type: "text/css; charset=utf-8",
    },
    Asset {
        placeholder: "{{LABELS_HASH}}",
        stem: "labels",
        ext: "js",
        body: include_str!("dishub/labels.js"),
        content_type: "text/javascript; charset=utf-8",
    },
    Asset {
        placeholder: "{{FORMS_HASH}}",
        stem: "forms",
        ext: "js",
        body: include_str!("dishub/forms.js"),
        content_type: "text/javascript; charset=utf-8",
    },
    Asset {
        placeholder: "{{CHARTS_HASH}}",
        stem: "charts",
        ext: "js",
        body: include_str!("dishub/charts.js"),
        content_type: "text/javascript; charset=utf-8",
    },
    Asset {
        placeholder: "{{ALERTS_HASH}}",
        stem: "alerts",
        ext: "js",
        body: include_str!("dishub/alerts.js"),
        content_type: "text/javascript; charset=utf-8",
    },
    Asset {
        placeholder: "{{LETTERS_HASH}}",
        stem: "letters",
        ext: "js",
        body: include_str!("dishub/letters.js"),
        content_type: "text/javascript; charset=utf-8",
    },
    Asset {
        placeholder: "{{REGISTRY_HASH}}",
        stem: "registry",
        ext: "js",
        body: include_str!("dishub/registry.js"),
        content_type: "text/javascript; charset=utf-8",
    },
    Asset {
        placeholder: "{{DUTY_HASH}}",
        stem: "duty",
        ext: "js",
        body: include_str!("dishub/duty.js"),
        content_type: "text/javascript; charset=utf-8",
    },
    Asset {
        placeholder: "{{PAYOUTS_HASH}}",
        stem: "payouts",
        ext: "js",
        body: include_str!("dishub/payouts.js"),
        content_type: "text/javascript; charset=utf-8",
    },
    Asset {
        placeholder: "{{CITIES_HASH}}",
        stem: "cities",
        ext: "js",
        body: include_str!("dishub/cities.js"),
        content_type: "text/javascript; charset=utf-8",
    },
    Asset {
        placeholder: "{{JS_HASH}}",
        stem: "app",
        ext: "js",
        body: include_str!("dishub/app.js"),
        content_type: "text/javascript; charset=utf-8",
    },
];

fn dishub() -> &'static Page {
    static PAGE: OnceLock<Page> = OnceLock::new();
    PAGE.get_or_init(|| {
        Page::new(include_str!("dishub/index.html"), &ASSETS).with_csp(super::pages::console_csp())
    })
}

#[utoipa::path(get, path = "/dishub", operation_id = "getConsolePage", tag = "console",
    responses((status = 200, description = "the Dishub console", content_type = "text/html")))]
pub async fn page() -> HttpResponse {
    dishub().html()
}

pub async fn asset(name: web::Path<String>) -> Result<HttpResponse, ApiError> {
    dishub().asset(&name)
}

//! Pages embedded in the binary (`/jukir`, `/dishub`): the HTML is never cached; its assets are
//! served under content-hashed names and cached for a year. One Content-Security-Policy for
//! all: only this origin, no inline code (QR images are fetched with the token and shown as
//! `blob:` URLs the page itself creates).

use actix_web::HttpResponse;
use actix_web::http::header;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// The policy of every page: only this origin's own files, nothing inline.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; \
     connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// The console's policy: [`CSP`], and the KTA card page it opens (SPEC §16). A card page it
/// fetched is shown as a `blob:` document, which inherits this policy; so it also admits that
/// page's one inline stylesheet, by its SHA-256, and its `data:` photo. Nothing else inline.
pub fn console_csp() -> &'static str {
    static CSP: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CSP.get_or_init(|| {
        use base64::Engine;
        let card = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(super::card::STYLE.as_bytes()));
        format!(
            "default-src 'self'; script-src 'self'; style-src 'self' 'sha256-{card}'; \
             img-src 'self' blob: data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
             base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        )
    })
}

/// One asset of a page: `{{PLACEHOLDER}}` in the HTML becomes the hash in `stem.<hash>.ext`.
pub struct Asset {
    pub placeholder: &'static str,
    pub stem: &'static str,
    pub ext: &'static str,
    pub body: &'static str,
    pub content_type: &'static str,
}

/// A page with its HTML (placeholders filled) and its assets by hashed name.
pub struct Page {
    html: String,
    assets: Vec<(String, &'static Asset)>,
    csp: &'static str,
}

impl Page {
    pub fn new(template: &str, assets: &'static [Asset]) -> Self {
        let mut html = template.to_owned();
        let mut named = Vec::with_capacity(assets.len());
        for a in assets {
            let hash = hex::encode(Sha256::digest(a.body.as_bytes()))[..12].to_owned();
            html = html.replace(a.placeholder, &hash);
            named.push((format!("{}.{hash}.{}", a.stem, a.ext), a));
        }
        Self {
            html,
            assets: named,
            csp: CSP,
        }
    }

    /// The page under another policy than [`CSP`] (the console's, [`console_csp`]).
    pub fn with_csp(mut self, csp: &'static str) -> Self {
        self.csp = csp;
        self
    }

    pub fn html(&self) -> HttpResponse {
        secure(HttpResponse::Ok(), self.csp)
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .content_type("text/html; charset=utf-8")
            .body(self.html.clone())
    }

    /// The page with `{{NAME}}` placeholders replaced by ready (escaped) HTML, per request.
    pub fn render(
        &self,
        status: actix_web::http::StatusCode,
        parts: &[(&str, &str)],
    ) -> HttpResponse {
        let mut html = self.html.clone();
        for (placeholder, value) in parts {
            html = html.replace(placeholder, value);
        }
        secure(HttpResponse::build(status), self.csp)
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .content_type("text/html; charset=utf-8")
            .body(html)
    }

    pub fn asset(&self, name: &str) -> Result<HttpResponse, ApiError> {
        let (_, a) = self
            .assets
            .iter()
            .find(|(n, _)| n == name)
            .ok_or_else(|| ApiError::NotFound(format!("no asset {name}")))?;
        Ok(secure(HttpResponse::Ok(), self.csp)
            .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
            .content_type(a.content_type)
            .body(a.body))
    }

    /// The whole page weight (HTML and assets).
    pub fn total_bytes(&self) -> usize {
        self.html.len() + self.assets.iter().map(|(_, a)| a.body.len()).sum::<usize>()
    }
}

fn secure(
    mut res: actix_web::HttpResponseBuilder,
    csp: &'static str,
) -> actix_web::HttpResponseBuilder {
    res.insert_header((header::CONTENT_SECURITY_POLICY, csp))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // `same-origin`, not `no-referrer`: with no referrer a browser posts `Origin: null`,
        // which the public forms must refuse as foreign (SPEC §10).
        .insert_header((header::REFERRER_POLICY, "same-origin"));
    res
}

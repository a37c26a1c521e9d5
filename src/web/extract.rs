//! Extractors whose errors name the field: JSON bodies and query strings go through
//! `serde_path_to_error`, so "wrong type" says which field; oversize bodies are a 413.

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, clean_serde_message, from_serde_path};

/// The largest request body any endpoint reads (SPEC §6).
pub const BODY_LIMIT: usize = 64 * 1024;

/// A JSON body of type `T`: 415 if it is declared as something else or not declared at all,
/// 413 past [`BODY_LIMIT`],
/// 400 naming the field for malformed JSON, wrong types and unknown fields or enum values.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            });
        // A body must say it is JSON: a form or a page elsewhere can send text/plain or no type
        // at all without asking first (SPEC §10). An empty body without a type is a 400.
        let declared_json = content_type
            .as_deref()
            .map(|ct| ct == "application/json" || ct.ends_with("+json"));
        let body = read_body(req, payload.take());
        Box::pin(async move {
            if declared_json == Some(false) {
                return Err(ApiError::UnsupportedMediaType("application/json"));
            }
            let bytes = body.await?;
            if declared_json.is_none() && !bytes.is_empty() {
                return Err(ApiError::UnsupportedMediaType("application/json"));
            }
            parse_json(&bytes).map(JsonBody)
        })
    }
}

/// Parses JSON bytes into `T`, naming the field that broke. A string holding `\u0000` is
/// refused naming its field: PostgreSQL text cannot hold a NUL (SPEC §10).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::invalid("body", "a JSON object is required"));
    }
    if may_hold_nul(bytes)
        && let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes)
        && let Some(field) = nul_field(&value, "")
    {
        return Err(ApiError::invalid(field, "must not contain a NUL byte"));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(from_serde_path)?;
    de.end()
        .map_err(|e| ApiError::invalid("body", clean_serde_message(&e.to_string())))?;
    Ok(value)
}

/// Whether JSON text has a `\u0000` escape (an escaped backslash before `u0000` is not one).
fn may_hold_nul(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i + 5 < bytes.len() {
        if bytes[i] == b'\\' {
            if bytes[i + 1] == b'u' && &bytes[i + 2..i + 6] == b"0000" {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// The path (`a.b[2]`, or the key itself) of the first string or key holding a NUL.
fn nul_field(value: &serde_json::Value, at: &str) -> Option<String> {
    let here = || {
        if at.is_empty() {
            "body".to_owned()
        } else {
            at.to_owned()
        }
    };
    match value {
        serde_json::Value::String(s) if s.contains('\0') => Some(here()),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_field(v, &format!("{at}[{i}]"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            let path = if at.is_empty() {
                k.clone()
            } else {
                format!("{at}.{k}")
            };
            if k.contains('\0') {
                Some(path.replace('\0', "\\u0000"))
            } else {
                nul_field(v, &path)
            }
        }),
        _ => None,
    }
}

/// Refuses a request whose path or query string, percent-decoded, holds a NUL byte or is not
/// UTF-8 (400 naming the query parameter, or `path`), before any handler sees it: PostgreSQL
/// text can hold neither, and no code of ours needs them (SPEC §10).
pub async fn text_only(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    if let Err(field) = check_text(req.uri().path(), req.query_string()) {
        // An answer, not an error: the outer middleware (headers, metrics) see it like any.
        let refusal = ApiError::invalid(field, "must be UTF-8 text without NUL bytes");
        let res = actix_web::ResponseError::error_response(&refusal);
        return Ok(req.into_response(res).map_into_right_body());
    }
    next.call(req).await.map(|res| res.map_into_left_body())
}

/// Whether percent-encoded text decodes to something other than UTF-8 without NUL bytes.
fn not_text(raw: &[u8]) -> bool {
    let decoded: Vec<u8> = percent_encoding::percent_decode(raw).collect();
    decoded.contains(&0) || std::str::from_utf8(&decoded).is_err()
}

/// The field of [`text_only`]'s rule that `path` and `query` break, if any.
fn check_text(path: &str, query: &str) -> Result<(), String> {
    if not_text(path.as_bytes()) {
        return Err("path".into());
    }
    check_form(query.as_bytes())
}

/// The first field of an `application/x-www-form-urlencoded` text (a query string, a form
/// body) whose value is not UTF-8 text without NUL bytes (`form` when it is a name).
pub fn check_form(form: &[u8]) -> Result<(), String> {
    let plus = |raw: &[u8]| -> Vec<u8> {
        raw.iter()
            .map(|&b| if b == b'+' { b' ' } else { b })
            .collect()
    };
    for pair in form.split(|&b| b == b'&') {
        let (name, value) = match pair.iter().position(|&b| b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &b""[..]),
        };
        let name = plus(name);
        if not_text(&name) {
            return Err("form".into());
        }
        if not_text(&plus(value)) {
            return Err(percent_encoding::percent_decode(&name)
                .decode_utf8_lossy()
                .into_owned());
        }
    }
    Ok(())
}

/// Where the public reaches this service (what a KTA card's QR and a photo's URL point at):
/// `PARKIR_PUBLIC_URL`; without it, `http://` and the request's own `Host`. Never a
/// `Forwarded`/`X-Forwarded-Host` header, which any client may send.
pub fn public_base(req: &HttpRequest, state: &crate::state::AppState) -> String {
    match &state.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let host = req
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic()))
                .map_or_else(|| req.app_config().host().to_owned(), str::to_owned);
            format!("http://{host}")
        }
    }
}

/// Reads the whole body up to [`BODY_LIMIT`] bytes; a longer one is a 413.
pub fn read_body(
    req: &HttpRequest,
    payload: Payload,
) -> LocalBoxFuture<'static, Result<Vec<u8>, ApiError>> {
    read_body_up_to(req, payload, BODY_LIMIT)
}

/// Reads the whole body up to `limit` bytes; a longer one is a 413.
pub fn read_body_up_to(
    req: &HttpRequest,
    mut payload: Payload,
    limit: usize,
) -> LocalBoxFuture<'static, Result<Vec<u8>, ApiError>> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    Box::pin(async move {
        if declared.is_some_and(|len| len > limit) {
            return Err(ApiError::PayloadTooLarge(limit));
        }
        let mut body = Vec::with_capacity(declared.unwrap_or(1024).min(limit));
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|e| ApiError::invalid("body", e.to_string()))?;
            if body.len() + chunk.len() > limit {
                return Err(ApiError::PayloadTooLarge(limit));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    })
}

/// A query string of type `T`, with errors that name the parameter.
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned> FromRequest for QueryParams<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(QueryParams))
    }
}

/// Parses a query string into `T`. One rule for every endpoint: a parameter is given with a
/// value or not at all; given empty (`?date=`, or only spaces) it is a 400 naming it, never
/// silently "no filter".
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    if let Some((name, _)) =
        form_urlencoded::parse(query.as_bytes()).find(|(_, v)| v.trim().is_empty())
    {
        return Err(ApiError::invalid(
            name.into_owned(),
            "is empty: give a value, or leave the parameter out",
        ));
    }
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let message = clean_serde_message(&err.into_inner().to_string());
        let field = match message.split('`').nth(1) {
            Some(name)
                if message.starts_with("unknown field") || message.starts_with("missing field") =>
            {
                name.to_owned()
            }
            _ if path != "." => path,
            _ => "query".to_owned(),
        };
        ApiError::invalid(field, message)
    })
}

/// `limit` (1..=500, default 100) and an opaque `cursor` (the last id of the previous page).
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// How many items, 1 to 500 (default 100).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(value_type = Option<String>, pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
}

#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub after: i64,
    pub limit: i64,
}

pub const MAX_PAGE: i64 = 500;

impl PageParams {
    pub fn page(&self) -> Result<Page, ApiError> {
        let limit = match &self.limit {
            None => 100,
            Some(raw) => raw
                .parse::<i64>()
                .ok()
                .filter(|l| (1..=MAX_PAGE).contains(l))
                .ok_or_else(|| {
                    ApiError::invalid(
                        "limit",
                        format!("must be a whole number from 1 to {MAX_PAGE}"),
                    )
                })?,
        };
        let after =
            match &self.cursor {
                None => 0,
                Some(raw) => raw.parse::<i64>().ok().filter(|c| *c >= 0).ok_or_else(|| {
                    ApiError::invalid("cursor", "must be a cursor from next_cursor")
                })?,
            };
        Ok(Page { after, limit })
    }
}

/// A page of items and the cursor of the next page (absent on the last).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Paged<T> {
    /// `rows` was loaded with `limit + 1`; the extra row only says there is a next page.
    pub fn new(mut rows: Vec<T>, page: Page, id: impl Fn(&T) -> i64) -> Self {
        let more = rows.len() as i64 > page.limit;
        rows.truncate(page.limit as usize);
        let next_cursor = if more {
            rows.last().map(|r| id(r).to_string())
        } else {
            None
        };
        Self {
            items: rows,
            next_cursor,
        }
    }
}

/// For PATCH fields where `null` means something: absent → `None`; `null` → `Some(None)`;
/// a value → `Some(Some(v))` (use with `#[serde(default, deserialize_with = …)]`).
pub fn double_option<'de, D, T>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(de).map(Some)
}

/// The client address of a request, believing `X-Forwarded-For` (every line of it) only from
/// `PARKIR_TRUSTED_PROXIES`; IPv6 as its /64 (login throttling and citizen reports count by it,
/// and nothing else uses it).
pub fn client_address(
    req: &actix_web::HttpRequest,
    state: &crate::state::AppState,
) -> Option<std::net::IpAddr> {
    // Read lossily: a client's stray byte spoils its own entry, never the proxy's after it.
    let forwarded: Vec<String> = req
        .headers()
        .get_all("x-forwarded-for")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    let forwarded: Vec<&str> = forwarded.iter().map(String::as_str).collect();
    crate::services::login::client_address(
        req.peer_addr().map(|a| a.ip()),
        &forwarded,
        &state.trusted_proxies,
    )
}

/// The guard of the public writes (`POST /cek/{code}`, `POST /api/v1/public/reports`): only
/// this site's own pages may post them, so no other web page can make its visitors file
/// reports (SPEC §10). Refused with 403, before the body is read: `Sec-Fetch-Site: cross-site`,
/// or — unless `Sec-Fetch-Site` is `same-origin` — an `Origin` that is not this server's own
/// (`Origin: null` included). A request with neither header (curl, an app) passes.
pub struct SameSite;

impl FromRequest for SameSite {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let public_url = req
            .app_data::<actix_web::web::Data<crate::state::AppState>>()
            .and_then(|s| s.public_url.clone());
        let header_of = |name: &str| {
            req.headers()
                .get(name)
                .map(|v| v.to_str().unwrap_or("\u{0}").trim().to_ascii_lowercase())
        };
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase);
        let verdict = same_site(
            header_of("sec-fetch-site").as_deref(),
            header_of("origin").as_deref(),
            public_url.as_deref(),
            host.as_deref(),
        );
        std::future::ready(verdict.map(|()| SameSite))
    }
}

/// The rule of [`SameSite`] over the request's headers (lower-cased).
fn same_site(
    fetch_site: Option<&str>,
    origin: Option<&str>,
    public_url: Option<&str>,
    host: Option<&str>,
) -> Result<(), ApiError> {
    let refuse = || {
        Err(ApiError::Forbidden(
            "reports are accepted only from this site's own pages".into(),
        ))
    };
    match fetch_site {
        Some("cross-site") => return refuse(),
        Some("same-origin") => return Ok(()),
        _ => {}
    }
    let Some(origin) = origin else {
        return Ok(());
    };
    let Some((scheme, authority)) = origin.split_once("://") else {
        return refuse(); // `null`, or not an origin at all
    };
    let own = match public_url {
        // PARKIR_PUBLIC_URL's scheme://host[:port], compared whole.
        Some(url) => {
            let url = url.to_ascii_lowercase();
            let (own_scheme, rest) = url.split_once("://").unwrap_or(("https", url.as_str()));
            let own_authority = rest.split('/').next().unwrap_or_default();
            scheme == own_scheme
                && without_default_port(scheme, authority)
                    == without_default_port(own_scheme, own_authority)
        }
        // Else the request's Host, the scheme ignored (a TLS proxy may sit in front).
        None => host.is_some_and(|h| {
            without_default_port(scheme, authority) == without_default_port(scheme, h)
        }),
    };
    if own { Ok(()) } else { refuse() }
}

/// `host:443` under https and `host:80` under http are `host`.
fn without_default_port<'a>(scheme: &str, authority: &'a str) -> &'a str {
    let default = match scheme {
        "https" => ":443",
        "http" => ":80",
        _ => return authority,
    };
    authority.strip_suffix(default).unwrap_or(authority)
}

#[cfg(test)]
mod tests {
    use super::{check_text, nul_field, parse_json, same_site};

    #[test]
    fn nul_bytes_and_broken_utf8_are_named() {
        assert_eq!(
            check_text("/api/v1/payments", "reference=%00abc"),
            Err("reference".into())
        );
        assert_eq!(
            check_text("/api/v1/payments", "reference=%FF"),
            Err("reference".into())
        );
        assert_eq!(check_text("/cek/A%00B", ""), Err("path".into()));
        assert_eq!(check_text("/cek/A%C3", ""), Err("path".into()));
        assert!(check_text("/cek/JMB-PSR-001", "date=2026-11-30&q=Pak+Budi%20%C3%A9").is_ok());
        let v: serde_json::Value =
            serde_json::from_str(r#"{"name":"ok","tags":["a","b\u0000"]}"#).unwrap();
        assert_eq!(nul_field(&v, ""), Some("tags[1]".into()));
        let err = parse_json::<serde_json::Value>(br#"{"name":"Bu\u0000di"}"#).unwrap_err();
        assert!(err.to_string().contains("name"), "{err}");
        // An escaped backslash before u0000 is text, not a NUL.
        assert!(parse_json::<serde_json::Value>(br#"{"name":"C:\\u0000"}"#).is_ok());
    }

    #[test]
    fn only_the_sites_own_pages_may_post() {
        let host = Some("parkir.local:8080");
        // Same-origin fetches and callers without browser headers pass.
        assert!(
            same_site(
                Some("same-origin"),
                Some("https://evil.example"),
                None,
                host
            )
            .is_ok()
        );
        assert!(same_site(None, None, None, host).is_ok());
        assert!(same_site(Some("none"), None, None, host).is_ok());
        assert!(same_site(None, Some("http://parkir.local:8080"), None, host).is_ok());
        assert!(same_site(None, Some("https://parkir.local:8080"), None, host).is_ok());
        // Foreign pages, null origins, cross-site fetches.
        assert!(same_site(Some("cross-site"), None, None, host).is_err());
        assert!(same_site(Some("same-site"), Some("https://evil.example"), None, host).is_err());
        assert!(same_site(None, Some("null"), None, host).is_err());
        assert!(same_site(None, Some("http://parkir.local:8081"), None, host).is_err());
        // With PARKIR_PUBLIC_URL the origin is compared whole, scheme included.
        let public = Some("https://parkir.jambikota.go.id/");
        assert!(same_site(None, Some("https://parkir.jambikota.go.id"), public, host).is_ok());
        assert!(
            same_site(
                None,
                Some("https://parkir.jambikota.go.id:443"),
                public,
                host
            )
            .is_ok()
        );
        assert!(same_site(None, Some("http://parkir.jambikota.go.id"), public, host).is_err());
        assert!(same_site(None, Some("http://parkir.local:8080"), public, host).is_err());
    }
}

//! Extractors whose errors name the field: JSON bodies and query strings go through
//! `serde_path_to_error`, so "wrong type" says which field; oversize bodies are a 413.

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, clean_serde_message, from_serde_path};

/// The largest request body any endpoint reads (SPEC §6).
pub const BODY_LIMIT: usize = 64 * 1024;

/// A JSON body of type `T`: 415 if it is declared as something else, 413 past [`BODY_LIMIT`],
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
        let declared_ok = content_type
            .as_deref()
            .is_none_or(|ct| ct == "application/json" || ct.ends_with("+json"));
        let body = read_body(req, payload.take());
        Box::pin(async move {
            if !declared_ok {
                return Err(ApiError::UnsupportedMediaType("application/json"));
            }
            let bytes = body.await?;
            parse_json(&bytes).map(JsonBody)
        })
    }
}

/// Parses JSON bytes into `T`, naming the field that broke.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::invalid("body", "a JSON object is required"));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(from_serde_path)?;
    de.end()
        .map_err(|e| ApiError::invalid("body", clean_serde_message(&e.to_string())))?;
    Ok(value)
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

/// The client address of a request, believing `X-Forwarded-For` only from
/// `PARKIR_TRUSTED_PROXIES` (login throttling and citizen reports count by it).
pub fn client_address(
    req: &actix_web::HttpRequest,
    state: &crate::state::AppState,
) -> Option<std::net::IpAddr> {
    let forwarded = req
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    crate::services::login::client_address(
        req.peer_addr().map(|a| a.ip()),
        forwarded,
        &state.trusted_proxies,
    )
}

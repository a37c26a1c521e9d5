//! One error type for the whole API, rendered as RFC 9457 `application/problem+json`.
//!
//! Every variant has a stable `code` (also the last part of `type`). Bad input is a 4xx that
//! names the field and the rule; only our own failures are 5xx, and their cause is logged,
//! never shown.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde::Serialize;
use utoipa::ToSchema;

/// One broken rule of a request, named by its field (a JSON path such as `tariffs.car`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The problem document every error answer carries.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"type": "urn:parkir:problem:validation_failed", "title": "Bad Request", "status": 400, "detail": "nik: must be exactly 16 digits", "code": "validation_failed", "errors": [{"field": "nik", "message": "must be exactly 16 digits"}]}))]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request broke one or more rules.
    #[error("invalid request: {}", summary(.0))]
    Validation(Vec<FieldError>),
    /// 401: no token, a bad token or bad credentials.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// 403: authenticated, but the role may not do this.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// 404: the named thing does not exist (or is not the caller's to see).
    #[error("not found: {0}")]
    NotFound(String),
    /// 405: the path exists, the method does not.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409: the request collides with what is stored (a duplicate, an overlap, a wrong state).
    #[error("conflict: {detail}")]
    Conflict {
        detail: String,
        field: Option<String>,
    },
    /// 413: the body is larger than the limit.
    #[error("payload too large: the limit is {0} bytes")]
    PayloadTooLarge(usize),
    /// 415: the body is not of a type this endpoint reads.
    #[error("unsupported media type: expected {0}")]
    UnsupportedMediaType(&'static str),
    /// 429: too many attempts (failed logins, citizen reports); try again after the given seconds.
    #[error("too many requests; retry after {retry_after} s")]
    TooManyRequests { retry_after: u64 },
    /// 503: a dependency (the database, a gateway's configuration) is not available.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// 500: our own failure; the cause is logged, the answer says nothing of it.
    #[error("internal error: {0:#}")]
    Internal(anyhow::Error),
}

fn summary(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl ApiError {
    /// The database cannot be reached: the cause (host, port, driver text) goes to the log,
    /// the caller learns only that in words (SPEC §10: answers carry no internals).
    pub fn database_unavailable(cause: &dyn std::fmt::Display) -> Self {
        tracing::warn!(cause = %cause, "database unavailable");
        Self::Unavailable("database unavailable".into())
    }

    /// A 400 for one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    pub fn conflict(field: Option<&str>, detail: impl Into<String>) -> Self {
        Self::Conflict {
            detail: detail.into(),
            field: field.map(str::to_owned),
        }
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        Self::Internal(err.into())
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "validation_failed",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict { .. } => "conflict",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::TooManyRequests { .. } => "too_many_requests",
            Self::Unavailable(_) => "service_unavailable",
            Self::Internal(_) => "internal_error",
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let detail = match self {
            Self::Internal(_) => "an unexpected error occurred; it has been logged".to_owned(),
            Self::Validation(errors) => summary(errors),
            Self::Unauthorized(d) | Self::Forbidden(d) | Self::NotFound(d) => d.clone(),
            Self::Unavailable(d) => d.clone(),
            Self::Conflict { detail, .. } => detail.clone(),
            other => other.to_string(),
        };
        let errors = match self {
            Self::Validation(errors) => errors.clone(),
            Self::Conflict {
                field: Some(field),
                detail,
            } => vec![FieldError::new(field.clone(), detail.clone())],
            _ => Vec::new(),
        };
        Problem {
            kind: format!("urn:parkir:problem:{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            code: self.code().to_owned(),
            errors,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Validation(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(err) => tracing::error!(error = %format!("{err:#}"), "request failed"),
            Self::Unavailable(why) => tracing::warn!(%why, "dependency unavailable"),
            _ => {}
        }
        let mut res = HttpResponse::build(self.status_code());
        res.content_type("application/problem+json");
        if let Self::TooManyRequests { retry_after } = self {
            res.insert_header((header::RETRY_AFTER, retry_after.to_string()));
        }
        if let Self::Unauthorized(_) = self {
            res.insert_header((
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"parkir\""),
            ));
        }
        res.json(self.problem())
    }
}

/// Which request field a named constraint guards, so a violation can name it.
fn constraint_field(constraint: &str) -> Option<&'static str> {
    Some(match constraint {
        "staff_users_username_key" => "username",
        "merchant_accounts_nmid_key" => "nmid",
        "zones_code_key" => "code",
        "zone_versions_effective_from_key" => "effective_from",
        "spots_code_key" | "spots_code_ci_key" => "code",
        "spots_terminal_id_key" => "terminal_id",
        "attendants_nik_key" => "nik",
        "attendants_phone_key" => "phone",
        "attendants_kta_number_key" => "kta_number",
        "assignments_spot_overlap" | "assignments_attendant_overlap" => "starts_at",
        "payments_client_ref_key" => "client_ref",
        "cash_deposits_attendant_id_reference_key" => "reference",
        "payout_days_pkey" => "from",
        "payout_runs_one_draft" => "from",
        "assignments_period_check" => "ends_at",
        c if c.ends_with("_spot_id_fkey") => "spot_id",
        c if c.ends_with("_attendant_id_fkey") => "attendant_id",
        c if c.ends_with("_zone_id_fkey") => "zone_id",
        c if c.ends_with("_merchant_account_id_fkey") => "merchant_account_id",
        _ => return None,
    })
}

fn conflict_detail(constraint: &str, field: &str) -> String {
    match constraint {
        "assignments_spot_overlap" => {
            "the spot already has an assignment overlapping this period".to_owned()
        }
        "assignments_attendant_overlap" => {
            "the attendant already has an assignment overlapping this period".to_owned()
        }
        "zone_versions_effective_from_key" => {
            "a version with this effective_from already exists".to_owned()
        }
        "payout_days_pkey" => "a day of this period is already in a payout run".to_owned(),
        "payout_runs_one_draft" => {
            "another payout run is a draft: approve or cancel it first".to_owned()
        }
        _ => format!("{field} is already in use"),
    }
}

impl From<DieselError> for ApiError {
    fn from(err: DieselError) -> Self {
        match &err {
            DieselError::NotFound => Self::NotFound("the requested record does not exist".into()),
            // The connection died inside a transaction (a failover): nothing was committed.
            DieselError::BrokenTransactionManager => {
                Self::Unavailable("the database connection was lost".into())
            }
            DieselError::DatabaseError(kind, info) => {
                let constraint = info.constraint_name().unwrap_or_default();
                let field = constraint_field(constraint);
                match kind {
                    DatabaseErrorKind::UniqueViolation | DatabaseErrorKind::ExclusionViolation => {
                        let field_name = field.unwrap_or("id");
                        Self::conflict(Some(field_name), conflict_detail(constraint, field_name))
                    }
                    DatabaseErrorKind::ForeignKeyViolation => Self::invalid(
                        field.unwrap_or("id"),
                        "refers to a record that does not exist",
                    ),
                    DatabaseErrorKind::CheckViolation => Self::invalid(
                        field.unwrap_or("body"),
                        format!("breaks the rule {constraint}"),
                    ),
                    DatabaseErrorKind::ClosedConnection => {
                        Self::Unavailable("the database connection was lost".into())
                    }
                    // A standby (or a primary being demoted): nothing was written.
                    DatabaseErrorKind::ReadOnlyTransaction => {
                        Self::Unavailable("the database is not accepting writes".into())
                    }
                    _ => Self::Internal(err.into()),
                }
            }
            _ => Self::Internal(err.into()),
        }
    }
}

/// A JSON or query error from serde, with the path of the field that broke it.
/// Attaches a field name to a domain parse result: the 400 that names the field and the rule.
pub fn field<T>(name: &str, parsed: Result<T, String>) -> Result<T, ApiError> {
    parsed.map_err(|message| ApiError::invalid(name, message))
}

pub fn from_serde_path(err: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = err.path().to_string();
    let message = clean_serde_message(&err.into_inner().to_string());
    let parent = if path == "." || path.is_empty() {
        None
    } else {
        Some(path)
    };
    // "missing field `x`" and "unknown field `x`" are about a child of the path serde reports.
    let child = ["missing field `", "unknown field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix))
        .and_then(|rest| rest.split('`').next());
    let field = match (parent, child) {
        (Some(p), Some(c)) if !p.ends_with(c) => format!("{p}.{c}"),
        (Some(p), _) => p,
        (None, Some(c)) => c.to_owned(),
        (None, None) => "body".to_owned(),
    };
    ApiError::invalid(field, message)
}

/// serde's messages end with " at line L column C"; the field name says more than the position.
pub fn clean_serde_message(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Parse results of several fields, checked together so that one answer names every broken
/// rule (SPEC §11.1): `let (nik, pin) = all((field("nik", ..), field("pin", ..)))?;`.
pub trait AllFields {
    type Output;
    fn all(self) -> Result<Self::Output, ApiError>;
}

/// Every field's value, or one error naming all the fields that broke a rule. An error that
/// is not about a field (a 404, a 409) is answered as it is.
pub fn all<F: AllFields>(fields: F) -> Result<F::Output, ApiError> {
    fields.all()
}

fn merge(errors: &mut Option<ApiError>, next: ApiError) {
    *errors = Some(match (errors.take(), next) {
        (None, next) => next,
        (Some(ApiError::Validation(mut a)), ApiError::Validation(b)) => {
            a.extend(b);
            ApiError::Validation(a)
        }
        (Some(ApiError::Validation(_)), other) => other,
        (Some(first), _) => first,
    });
}

macro_rules! all_fields {
    ($($t:ident $v:ident),+) => {
        impl<$($t),+> AllFields for ($(Result<$t, ApiError>,)+) {
            type Output = ($($t,)+);
            fn all(self) -> Result<Self::Output, ApiError> {
                let ($($v,)+) = self;
                let mut errors = None;
                $(let $v = match $v {
                    Ok(v) => Some(v),
                    Err(e) => {
                        merge(&mut errors, e);
                        None
                    }
                };)+
                match ($($v,)+) {
                    ($(Some($v),)+) => Ok(($($v,)+)),
                    _ => Err(errors.unwrap_or_else(|| ApiError::invalid("body", "is invalid"))),
                }
            }
        }
    };
}

all_fields!(A a, B b);
all_fields!(A a, B b, C c);
all_fields!(A a, B b, C c, D d);
all_fields!(A a, B b, C c, D d, E e);
all_fields!(A a, B b, C c, D d, E e, F f);
all_fields!(A a, B b, C c, D d, E e, F f, G g);
all_fields!(A a, B b, C c, D d, E e, F f, G g, H h);
all_fields!(A a, B b, C c, D d, E e, F f, G g, H h, I i);
all_fields!(A a, B b, C c, D d, E e, F f, G g, H h, I i, J j);

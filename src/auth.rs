//! Who is calling: argon2id password/PIN hashes, HS256 access tokens, the [`Principal`] and
//! the role extractors (`Admin`, `Staff`, `Supervisor`, `Attendant`) protected handlers take.

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm as ArgonAlgorithm, Argon2, Params, Version};
use futures_util::future::LocalBoxFuture;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::AppState;

pub const ISSUER: &str = "parkir";
pub const AUDIENCE: &str = "parkir-api";
/// Staff tokens last a working day; attendant tokens a long shift.
pub const STAFF_TOKEN_TTL_SECS: i64 = 8 * 3600;
pub const ATTENDANT_TOKEN_TTL_SECS: i64 = 12 * 3600;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Supervisor,
    Auditor,
    Attendant,
    /// Platform staff (SPEC §17): manages cities and reads their totals, belongs to none and
    /// reads no city's people.
    Operator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Supervisor => "supervisor",
            Self::Auditor => "auditor",
            Self::Attendant => "attendant",
            Self::Operator => "operator",
        }
    }

    /// A staff role as stored; `attendant` is not a staff role.
    pub fn parse_staff(raw: &str) -> Result<Self, String> {
        match raw {
            "admin" => Ok(Self::Admin),
            "supervisor" => Ok(Self::Supervisor),
            "auditor" => Ok(Self::Auditor),
            _ => Err("must be one of admin, supervisor, auditor".into()),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: Role,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    /// The account's token version when the token was issued: resetting a PIN or a password
    /// bumps it, which ends every earlier token (SPEC §10).
    pub ver: i32,
    /// This token's own id, so a logout can end it and nothing else.
    pub jti: String,
    /// The city the account belongs to; none for an operator (SPEC §17). Every request the
    /// token makes acts for this city alone.
    #[serde(default)]
    pub city: Option<i64>,
}

/// Signs and checks access tokens. Only HS256 is accepted; `none` and every other algorithm
/// are refused by the validation, whatever the token's header says.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl TokenKeys {
    pub fn new(secret: &SecretString) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
        }
    }

    /// Issues a token for `subject` (`staff:<id>` or `attendant:<id>`).
    pub fn issue(
        &self,
        subject: String,
        role: Role,
        ttl_secs: i64,
        version: i32,
        city: Option<i64>,
    ) -> Result<String, ApiError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: subject,
            role,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: now,
            exp: now + ttl_secs,
            ver: version,
            city,
            jti: {
                use rand::Rng;
                hex::encode(rand::rng().random::<[u8; 16]>())
            },
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(ApiError::internal)
    }

    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub", "jti"]);
        validation.leeway = 5;
        // The library's reason stays in the log; the caller learns only that it is refused.
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|e| {
                tracing::debug!(reason = %e, "access token refused");
                ApiError::Unauthorized("invalid or expired access token".into())
            })?;
        // A token issued in the future was not issued by this server's clock.
        if claims.iat > chrono::Utc::now().timestamp() + validation.leeway as i64 {
            return Err(ApiError::Unauthorized(
                "invalid or expired access token".into(),
            ));
        }
        Ok(claims)
    }
}

/// The caller, from a valid bearer token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Principal {
    Staff { id: i64, role: Role },
    Attendant { id: i64 },
}

impl Principal {
    pub fn role(&self) -> Role {
        match self {
            Self::Staff { role, .. } => *role,
            Self::Attendant { .. } => Role::Attendant,
        }
    }

    /// `staff:<id>` or `attendant:<id>`: the token subject, and who is recorded as having acted.
    pub fn subject(&self) -> String {
        match self {
            Self::Staff { id, .. } => format!("staff:{id}"),
            Self::Attendant { id } => format!("attendant:{id}"),
        }
    }

    /// Any of the given roles may pass; everybody else gets 403.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role()) {
            Ok(())
        } else {
            let allowed: Vec<_> = roles.iter().map(|r| r.as_str()).collect();
            Err(ApiError::Forbidden(format!(
                "this needs the role {}; you are {}",
                allowed.join(" or "),
                self.role().as_str()
            )))
        }
    }

    /// Staff of any role (reading the registry, payments, reconciliation).
    pub fn require_staff(&self) -> Result<(), ApiError> {
        self.require(&[Role::Admin, Role::Supervisor, Role::Auditor])
    }

    pub fn require_admin(&self) -> Result<(), ApiError> {
        self.require(&[Role::Admin])
    }

    /// The attendant's own id, for `/me…`; staff get 403.
    /// The staff user's id; an attendant is refused.
    pub fn staff_id(&self) -> Result<i64, ApiError> {
        match self {
            Self::Staff { id, .. } => Ok(*id),
            Self::Attendant { .. } => Err(ApiError::Forbidden("staff only".into())),
        }
    }

    pub fn attendant_id(&self) -> Result<i64, ApiError> {
        match self {
            Self::Attendant { id } => Ok(*id),
            Self::Staff { .. } => Err(ApiError::Forbidden(
                "only an attendant has /me; staff use the registry endpoints".into(),
            )),
        }
    }

    fn from_claims(claims: &Claims) -> Result<Self, ApiError> {
        let bad = || ApiError::Unauthorized("invalid or expired access token".into());
        let (kind, id) = claims.sub.split_once(':').ok_or_else(bad)?;
        let id: i64 = id.parse().map_err(|_| bad())?;
        match (kind, claims.role) {
            ("attendant", Role::Attendant) => Ok(Self::Attendant { id }),
            ("staff", role) if role != Role::Attendant => Ok(Self::Staff { id, role }),
            _ => Err(bad()),
        }
    }
}

/// Whom a token's requests act for: its city and the city's zone.
async fn acting_of(req: &HttpRequest, city: Option<i64>) -> Result<crate::state::Acting, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("application state missing")))?;
    state.acting(city).await
}

/// Whether the account behind a valid token may still act (exists, active or not disabled,
/// same token version): one indexed look-up per request.
async fn still_live(
    req: &HttpRequest,
    principal: Principal,
    token: Presented,
) -> Result<Principal, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("application state missing")))?;
    let (account, id) = match principal {
        Principal::Staff {
            id,
            role: Role::Operator,
        } => (crate::db::users::Account::Operator, id),
        Principal::Staff { id, .. } => (crate::db::users::Account::Staff, id),
        Principal::Attendant { id } => (crate::db::users::Account::Attendant, id),
    };
    let jti = token.jti;
    let live = crate::state::primary_then_standby(state, move |conn| {
        Ok(crate::db::users::live_token_version(
            conn, account, id, &jti,
        )?)
    })
    .await?;
    if live != Some(token.version) {
        return Err(ApiError::Unauthorized(
            "this session has ended; log in again".into(),
        ));
    }
    Ok(principal)
}

/// What a verified token says beyond who: its account version and its own id.
#[derive(Clone, Debug)]
struct Presented {
    version: i32,
    jti: String,
    city: Option<i64>,
}

/// The claims of the request's bearer token, verified (not its account's live state).
pub fn presented_claims(req: &HttpRequest) -> Result<Claims, ApiError> {
    let keys = req
        .app_data::<web::Data<TokenKeys>>()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("token keys not configured")))?;
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Unauthorized("missing Authorization: Bearer token".into()))?;
    let token = header
        .to_str()
        .ok()
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::Unauthorized("Authorization must be `Bearer <token>`".into()))?;
    keys.verify(token)
}

fn token_of(req: &HttpRequest) -> Result<(Principal, Presented), ApiError> {
    let claims = presented_claims(req)?;
    Ok((
        Principal::from_claims(&claims)?,
        Presented {
            version: claims.ver,
            jti: claims.jti,
            city: claims.city,
        },
    ))
}

/// Who the bearer token of a request names, worked out by [`identify`] before any extractor
/// runs; the role extractor takes it out.
struct Identified(Result<Principal, ApiError>);

/// Middleware of the `/api/v1` scope: a request that carries a bearer token has it verified and
/// its account's live state looked up *before* routing hands the request to a handler, so a
/// revoked token is a 401 before anything of the body is read (SPEC §10). Nothing is refused
/// here — a login request with a stale token still reaches the login — the role extractor
/// decides.
pub async fn identify(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req
        .headers()
        .contains_key(actix_web::http::header::AUTHORIZATION)
    {
        let http = req.request().clone();
        match token_of(&http) {
            // The whole request, its look-up of the account first, acts for the token's city.
            Ok((who, token)) => match acting_of(&http, token.city).await {
                Ok(acting) => {
                    return crate::state::in_city(acting, async move {
                        let identified = still_live(&http, who, token).await;
                        // Routing needs the request to itself.
                        drop(http);
                        req.extensions_mut().insert(Identified(identified));
                        next.call(req).await
                    })
                    .await;
                }
                Err(e) => {
                    drop(http);
                    req.extensions_mut().insert(Identified(Err(e)));
                }
            },
            Err(e) => {
                req.extensions_mut().insert(Identified(Err(e)));
            }
        }
    }
    next.call(req).await
}

/// The caller as [`identify`] found it, or — outside that middleware, or with no token — from
/// the token alone, with the live look-up still to do.
enum Caller {
    Known(Principal),
    Unchecked(Principal, Presented),
}

fn caller_of(req: &HttpRequest) -> Result<Caller, ApiError> {
    match req.extensions_mut().remove::<Identified>() {
        Some(Identified(who)) => who.map(Caller::Known),
        None => token_of(req).map(|(who, token)| Caller::Unchecked(who, token)),
    }
}

/// Role extractors: the role a route needs is in the handler's signature, checked before the
/// body is read (an auditor posting a malformed zone gets 403, not 400), and cannot be
/// forgotten. Each derefs to the [`Principal`].
macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug)]
        pub struct $name(pub Principal);

        impl std::ops::Deref for $name {
            type Target = Principal;
            fn deref(&self) -> &Principal {
                &self.0
            }
        }

        impl FromRequest for $name {
            type Error = ApiError;
            type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                // The caller (identified by the middleware) and the role are checked now,
                // before any extractor after this one (the body) is polled.
                let check: fn(&Principal) -> Result<(), ApiError> = $check;
                let caller = caller_of(req).and_then(|caller| {
                    match &caller {
                        Caller::Known(who) | Caller::Unchecked(who, _) => check(who)?,
                    }
                    Ok(caller)
                });
                let req = req.clone();
                Box::pin(async move {
                    match caller? {
                        Caller::Known(who) => Ok(Self(who)),
                        Caller::Unchecked(who, token) => {
                            let acting = acting_of(&req, token.city).await?;
                            let live = still_live(&req, who, token);
                            Ok(Self(crate::state::in_city(acting, live).await?))
                        }
                    }
                })
            }
        }
    };
}

role_extractor!(
    /// Anybody with a live token, of any role (logging out).
    Authenticated,
    |_| Ok(())
);
role_extractor!(
    /// An admin.
    Admin,
    |p| p.require_admin()
);
role_extractor!(
    /// Any staff role: admin, supervisor, auditor.
    Staff,
    |p| p.require_staff()
);
role_extractor!(
    /// An admin or a supervisor (duty periods).
    Supervisor,
    |p| p.require(&[Role::Admin, Role::Supervisor])
);
role_extractor!(
    /// An operator (platform staff, of no city), for `/cities` and `/operator/…`.
    Operator,
    |p| p.require(&[Role::Operator])
);
role_extractor!(
    /// An attendant, for `/me…`.
    Attendant,
    |p| p.attendant_id().map(|_| ())
);

/// argon2id with the OWASP-recommended parameters (19 MiB, 2 passes, 1 lane).
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(ArgonAlgorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password or PIN as a PHC string.
pub fn hash_secret(secret: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    argon2()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(anyhow::anyhow!("hashing failed: {e}")))
}

/// Whether `secret` matches the PHC string. With no stored hash (unknown user) a dummy hash is
/// checked instead, so that an unknown name costs the same time as a wrong password.
pub fn verify_secret(secret: &str, stored: Option<&str>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_secret("not-a-real-secret").unwrap_or_default());
    let phc = stored.unwrap_or(dummy);
    let matches = PasswordHash::new(phc)
        .map(|parsed| argon2().verify_password(secret.as_bytes(), &parsed).is_ok())
        .unwrap_or(false);
    matches && stored.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(&SecretString::from("0123456789abcdef0123456789abcdef"))
    }

    #[test]
    fn tokens_round_trip_and_refuse_other_algorithms() {
        let keys = keys();
        let token = keys
            .issue("staff:7".into(), Role::Auditor, 60, 0, Some(1))
            .unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!(
            Principal::from_claims(&claims).unwrap(),
            Principal::Staff {
                id: 7,
                role: Role::Auditor
            }
        );
        // Same claims signed with HS512 and with alg "none" are refused.
        let hs512 = jsonwebtoken::encode(
            &Header::new(Algorithm::HS512),
            &claims,
            &EncodingKey::from_secret(b"0123456789abcdef0123456789abcdef"),
        )
        .unwrap();
        assert!(keys.verify(&hs512).is_err());
        let parts: Vec<&str> = token.split('.').collect();
        let none_header = base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            br#"{"alg":"none","typ":"JWT"}"#,
        );
        assert!(
            keys.verify(&format!("{none_header}.{}.", parts[1]))
                .is_err()
        );
    }

    #[test]
    fn a_token_issued_in_the_future_is_refused_without_the_library_reason() {
        let keys = keys();
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: "staff:1".into(),
            role: Role::Admin,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: now + 3600,
            exp: now + 7200,
            ver: 0,
            jti: "t".into(),
            city: Some(1),
        };
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(b"0123456789abcdef0123456789abcdef"),
        )
        .unwrap();
        let err = keys.verify(&token).unwrap_err().to_string();
        assert!(
            !err.contains("InvalidAlgorithm") && !err.contains("Signature"),
            "{err}"
        );
        let expired = Claims {
            iat: now - 7200,
            exp: now - 3600,
            ..claims
        };
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &expired,
            &EncodingKey::from_secret(b"0123456789abcdef0123456789abcdef"),
        )
        .unwrap();
        let err = keys.verify(&token).unwrap_err().to_string();
        assert!(!err.contains("ExpiredSignature"), "{err}");
    }

    #[test]
    fn an_attendant_subject_cannot_claim_a_staff_role() {
        let claims = Claims {
            sub: "attendant:3".into(),
            role: Role::Admin,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: 0,
            exp: i64::MAX,
            ver: 0,
            jti: "t".into(),
            city: Some(1),
        };
        assert!(Principal::from_claims(&claims).is_err());
    }

    #[test]
    fn secrets_verify_only_against_their_hash() {
        let hash = hash_secret("482913").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_secret("482913", Some(&hash)));
        assert!(!verify_secret("482914", Some(&hash)));
        assert!(!verify_secret("not-a-real-secret", None));
    }
}

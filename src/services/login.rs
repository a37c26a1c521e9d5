//! Logging in: staff with username + password, attendants with phone + PIN (SPEC §6, §10).
//!
//! Throttled per account (5 failures in 15 minutes) and per client address (50), the client as
//! seen through `PARKIR_TRUSTED_PROXIES`. An attempt is reserved under lock before the hash is
//! checked, so concurrent attempts cannot exceed a limit; argon2 runs on the blocking pool
//! without holding a database connection, so a burst of logins cannot starve the pool.

use std::net::IpAddr;

use actix_web::web;

use crate::auth::{ATTENDANT_TOKEN_TTL_SECS, Role, STAFF_TOKEN_TTL_SECS, TokenKeys, verify_secret};
use crate::db::{attendants, users};
use crate::domain::{AttendantStatus, Phone};
use crate::error::ApiError;
use crate::state::AppState;

/// Failures allowed per account within the window.
pub const ACCOUNT_FAILURES: i64 = 5;
/// Failures allowed per client address within the window: a carrier NAT or a proxy puts a
/// district behind one address, so one attendant mistyping must not lock the others out.
pub const CLIENT_FAILURES: i64 = 50;

/// An issued access token.
pub struct Issued {
    pub token: String,
    pub role: Role,
    pub expires_in: i64,
}

/// The client a request is counted under for every per-address limit (SPEC §10): the TCP peer,
/// unless the peer is a trusted proxy; then every `X-Forwarded-For` line, joined in order, is
/// read from the right and the first address that is not a trusted proxy is the client (ports
/// stripped; an entry that is not an address stops the scan and the last good one counts).
/// The result is the key a limit counts, see [`limit_key`].
pub fn client_address(
    peer: Option<IpAddr>,
    forwarded_for: &[&str],
    trusted: &[ipnet::IpNet],
) -> Option<IpAddr> {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let peer = unmapped(peer?);
    if !is_trusted(&peer) {
        return Some(limit_key(peer));
    }
    let joined = forwarded_for.join(",");
    let mut client = peer;
    for hop in joined.rsplit(',') {
        match parse_hop(hop).map(unmapped) {
            Some(ip) if is_trusted(&ip) => client = ip,
            Some(ip) => return Some(limit_key(ip)),
            None => break,
        }
    }
    Some(limit_key(client))
}

/// An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, how a dual-stack socket shows an IPv4 peer)
/// as the IPv4 address it is.
fn unmapped(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// One `X-Forwarded-For` entry: an address, with or without a port (`1.2.3.4:5678`,
/// `[2001:db8::1]:443`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            hop.strip_prefix('[')
                .and_then(|h| h.strip_suffix(']'))
                .and_then(|h| h.parse().ok())
        })
}

/// What one client is for a limit: an IPv4 address as it is (an IPv4-mapped IPv6 address counts
/// as its IPv4 address); an IPv6 address as its /64, since one subscriber is handed a whole
/// /64 and could otherwise take a fresh address for every attempt.
pub fn limit_key(ip: IpAddr) -> IpAddr {
    match unmapped(ip) {
        IpAddr::V6(v6) => IpAddr::V6(std::net::Ipv6Addr::from(
            u128::from(v6) & !((1u128 << 64) - 1),
        )),
        v4 => v4,
    }
}

struct Account {
    id: i64,
    hash: String,
    role: Role,
    version: i32,
    /// The account's city, named in its tokens.
    city: Option<i64>,
    /// Why the account may not log in even with the right secret (403).
    barred: Option<String>,
}

/// The city a login name belongs to: `None` for a name nobody has, `Some(None)` for an
/// operator's (of no city).
async fn city_of_login(
    state: &AppState,
    kind: &'static str,
    login: &str,
) -> Result<Option<Option<i64>>, ApiError> {
    let login = login.to_owned();
    super::run(&state.pool, move |conn| {
        Ok(crate::db::cities::of_login(conn, kind, &login)?)
    })
    .await
}

async fn attempt(
    state: &AppState,
    account_key: String,
    client: Option<IpAddr>,
    secret: String,
    find: impl FnOnce(&mut diesel::PgConnection) -> Result<Option<Account>, ApiError> + Send + 'static,
) -> Result<Account, ApiError> {
    let client_key = format!(
        "client:{}",
        client.map(|c| c.to_string()).unwrap_or_default()
    );
    let keys = [
        (account_key.clone(), ACCOUNT_FAILURES),
        (client_key, CLIENT_FAILURES),
    ];
    let (provisional, account) = super::run(&state.pool, move |conn| {
        let limits: Vec<(&str, i64)> = keys.iter().map(|(k, l)| (k.as_str(), *l)).collect();
        match users::reserve_attempt(conn, &limits)? {
            Err(retry_after) => Err(ApiError::TooManyRequests {
                retry_after: retry_after as u64,
            }),
            Ok(ids) => Ok((ids, find(conn)?)),
        }
    })
    .await?;
    let stored = account.as_ref().map(|a| a.hash.clone());
    let matches = web::block(move || verify_secret(&secret, stored.as_deref()))
        .await
        .map_err(ApiError::internal)?;
    match account {
        Some(account) if matches => {
            super::run(&state.pool, move |conn| {
                Ok(users::succeed_attempt(conn, &provisional, &account_key)?)
            })
            .await?;
            Ok(account)
        }
        _ => Err(ApiError::Unauthorized("wrong credentials".into())),
    }
}

/// Staff login.
pub async fn staff(
    state: &AppState,
    keys: &TokenKeys,
    client: Option<IpAddr>,
    username: String,
    password: String,
) -> Result<Issued, ApiError> {
    let account_key = format!("user:{}", username.to_lowercase());
    let found = city_of_login(state, "staff", &username).await?;
    let operator = found == Some(None);
    let city = found.flatten();
    let acting = state.acting(city).await?;
    let account = crate::state::in_city(
        acting,
        attempt(state, account_key, client, password, move |conn| {
            if operator {
                return operator_account(conn, &username);
            }
            let Some(user) = users::find_staff_by_username(conn, &username)? else {
                return Ok(None);
            };
            let role = Role::parse_staff(&user.role)
                .map_err(|m| ApiError::internal(anyhow::anyhow!(m)))?;
            Ok(Some(Account {
                id: user.id,
                hash: user.password_hash,
                role,
                version: user.token_version,
                city,
                barred: user
                    .disabled
                    .then(|| "this staff account is disabled".to_owned()),
            }))
        }),
    )
    .await
    .map_err(|e| match e {
        ApiError::Unauthorized(_) => ApiError::Unauthorized("wrong username or password".into()),
        other => other,
    })?;
    issue(keys, "staff", account, STAFF_TOKEN_TTL_SECS)
}

/// An operator's account (of no city), found through the owner's function.
fn operator_account(
    conn: &mut diesel::PgConnection,
    username: &str,
) -> Result<Option<Account>, ApiError> {
    Ok(
        crate::db::cities::operator_account(conn, username)?.map(|o| Account {
            id: o.id,
            hash: o.password_hash,
            role: Role::Operator,
            version: o.token_version,
            city: None,
            barred: o
                .disabled
                .then(|| "this operator account is disabled".to_owned()),
        }),
    )
}

/// Attendant login with the phone in any usual form.
pub async fn attendant(
    state: &AppState,
    keys: &TokenKeys,
    client: Option<IpAddr>,
    phone: Phone,
    pin: String,
) -> Result<Issued, ApiError> {
    let account_key = format!("phone:{}", phone.as_str());
    let city = city_of_login(state, "attendant", phone.as_str())
        .await?
        .flatten();
    let acting = state.acting(city).await?;
    let account = crate::state::in_city(
        acting,
        attempt(state, account_key, client, pin, move |conn| {
            let Some(a) = attendants::find_attendant_by_phone(conn, phone.as_str())? else {
                return Ok(None);
            };
            Ok(Some(Account {
                id: a.id,
                hash: a.pin_hash,
                role: Role::Attendant,
                version: a.token_version,
                city,
                barred: (a.status != AttendantStatus::Active).then(|| {
                    format!(
                        "this attendant is {}; ask Dishub to reactivate the account",
                        a.status.as_str()
                    )
                }),
            }))
        }),
    )
    .await
    .map_err(|e| match e {
        ApiError::Unauthorized(_) => ApiError::Unauthorized("wrong phone number or PIN".into()),
        other => other,
    })?;
    issue(keys, "attendant", account, ATTENDANT_TOKEN_TTL_SECS)
}

/// Ends one token on the server (logout): refused from now on, until it would have expired.
pub async fn logout(state: &AppState, token: crate::auth::Claims) -> Result<(), ApiError> {
    let expires_at =
        chrono::DateTime::from_timestamp(token.exp, 0).unwrap_or_else(chrono::Utc::now);
    super::run(&state.pool, move |conn| {
        Ok(users::revoke_token(conn, &token.jti, expires_at)?)
    })
    .await
}

fn issue(keys: &TokenKeys, kind: &str, account: Account, ttl: i64) -> Result<Issued, ApiError> {
    if let Some(why) = account.barred {
        return Err(ApiError::Forbidden(why));
    }
    let token = keys.issue(
        format!("{kind}:{}", account.id),
        account.role,
        ttl,
        account.version,
        account.city,
    )?;
    Ok(Issued {
        token,
        role: account.role,
        expires_in: ttl,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        // No proxy trusted: the peer, whatever the header says.
        assert_eq!(
            client_address(Some(ip("203.0.113.9")), &["1.2.3.4"], &[]),
            Some(ip("203.0.113.9"))
        );
        // A trusted proxy: the right-most address that is not a proxy.
        assert_eq!(
            client_address(
                Some(ip("10.0.0.2")),
                &["1.2.3.4, 198.51.100.7, 10.0.0.5"],
                &trusted
            ),
            Some(ip("198.51.100.7"))
        );
        // An untrusted peer cannot claim another address.
        assert_eq!(
            client_address(Some(ip("198.51.100.7")), &["1.2.3.4"], &trusted),
            Some(ip("198.51.100.7"))
        );
        // Garbage in the header stops the walk at the proxy.
        assert_eq!(
            client_address(Some(ip("10.0.0.2")), &["nonsense"], &trusted),
            Some(ip("10.0.0.2"))
        );
    }

    #[test]
    fn every_forwarded_for_line_is_read_and_ports_are_stripped() {
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        // A client's own line comes first; the proxy appends the real address as a second
        // line. Reading only the first line would believe the client's invention.
        assert_eq!(
            client_address(
                Some(ip("10.0.0.2")),
                &["6.6.6.6", "198.51.100.7:51234"],
                &trusted
            ),
            Some(ip("198.51.100.7"))
        );
        assert_eq!(
            client_address(Some(ip("10.0.0.2")), &["[2001:db8::1]:443"], &trusted),
            Some(ip("2001:db8::"))
        );
        // Behind garbage the last good address counts.
        assert_eq!(
            client_address(
                Some(ip("10.0.0.2")),
                &["198.51.100.7, junk, 10.0.0.9"],
                &trusted
            ),
            Some(ip("10.0.0.9"))
        );
    }

    #[test]
    fn ipv6_counts_per_64_and_mapped_ipv4_as_ipv4() {
        assert_eq!(limit_key(ip("2001:db8:1:2:aaaa::1")), ip("2001:db8:1:2::"));
        assert_eq!(
            limit_key(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")),
            ip("2001:db8:1:2::")
        );
        assert_ne!(limit_key(ip("2001:db8:1:3::1")), ip("2001:db8:1:2::"));
        assert_eq!(limit_key(ip("::ffff:198.51.100.7")), ip("198.51.100.7"));
        assert_eq!(limit_key(ip("198.51.100.7")), ip("198.51.100.7"));
        // A mapped address of a trusted proxy is still the proxy.
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        assert_eq!(
            client_address(Some(ip("::ffff:10.0.0.2")), &["198.51.100.7"], &trusted),
            Some(ip("198.51.100.7"))
        );
    }
}

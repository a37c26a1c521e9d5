//! Each city's gateway credentials (SPEC §17): sealed with `PARKIR_SECRET_KEY` before they are
//! stored, opened only to verify a callback, never returned or logged.
//!
//! Sealing is ChaCha20-Poly1305 (RFC 8439) under SHA-256 of the key, a random 96-bit nonce
//! stored in front of the ciphertext, and the city and the field as associated data, so a
//! sealed secret copied to another city's row or another field does not open.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand::Rng;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use super::midtrans::Midtrans;
use super::snap::{Snap, SnapConfig};
use super::xendit::Xendit;

const NONCE_LEN: usize = 12;

/// The key of sealed credentials, from `PARKIR_SECRET_KEY`.
#[derive(Clone)]
pub struct SecretKey(Key);

impl SecretKey {
    pub fn new(secret: &SecretString) -> Self {
        let digest: [u8; 32] = Sha256::digest(secret.expose_secret().as_bytes()).into();
        Self(Key::from(digest))
    }

    fn cipher(&self) -> ChaCha20Poly1305 {
        ChaCha20Poly1305::new(&self.0)
    }

    /// `plain` sealed for `field` of `city`: nonce ‖ ciphertext ‖ tag.
    pub fn seal(&self, city: i64, field: &str, plain: &str) -> Vec<u8> {
        let nonce: [u8; NONCE_LEN] = rand::rng().random();
        let aad = format!("{city}:{field}");
        let sealed = self
            .cipher()
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .unwrap_or_default();
        [nonce.as_slice(), &sealed].concat()
    }

    /// What [`Self::seal`] sealed for `field` of `city`; `None` for anything else (another
    /// key, city or field, or bytes changed).
    pub fn open(&self, city: i64, field: &str, sealed: &[u8]) -> Option<SecretString> {
        if sealed.len() < NONCE_LEN {
            return None;
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
        let aad = format!("{city}:{field}");
        let plain = self
            .cipher()
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: body,
                    aad: aad.as_bytes(),
                },
            )
            .ok()?;
        String::from_utf8(plain).ok().map(SecretString::from)
    }
}

/// A Xendit callback token as it is found: its SHA-256, hex.
pub fn token_fingerprint(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// One city's gateways, as its stored credentials configure them (an absent credential: that
/// gateway answers 503 for the city).
pub struct CityGateways {
    pub snap: Snap,
    pub midtrans: Midtrans,
    pub xendit: Xendit,
}

impl CityGateways {
    /// Nothing configured: every callback for the city is a 503.
    pub fn none() -> Self {
        Self {
            snap: Snap { config: None },
            midtrans: Midtrans { server_key: None },
            xendit: Xendit {
                callback_token: None,
            },
        }
    }

    pub fn of(&self, name: super::GatewayName) -> &dyn super::Gateway {
        match name {
            super::GatewayName::Snap => &self.snap,
            super::GatewayName::Midtrans => &self.midtrans,
            super::GatewayName::Xendit => &self.xendit,
        }
    }
}

/// A city's stored credentials, still sealed.
#[derive(Clone, Debug, Default)]
pub struct Sealed {
    pub snap_client_key: Option<String>,
    pub snap_client_secret: Option<Vec<u8>>,
    pub snap_public_key_pem: Option<String>,
    pub midtrans_server_key: Option<Vec<u8>>,
    pub xendit_callback_token: Option<Vec<u8>>,
}

impl Sealed {
    /// The city's gateways, its secrets opened with `key`.
    pub fn open(&self, key: &SecretKey, city: i64) -> CityGateways {
        let open = |field: &str, sealed: &Option<Vec<u8>>| {
            sealed.as_deref().and_then(|s| key.open(city, field, s))
        };
        let snap = self.snap_client_key.clone().map(|client_key| SnapConfig {
            client_key,
            client_secret: open("snap_client_secret", &self.snap_client_secret),
            public_key: self
                .snap_public_key_pem
                .as_deref()
                .and_then(|pem| SnapConfig::parse_public_key(pem).ok()),
        });
        CityGateways {
            snap: Snap { config: snap },
            midtrans: Midtrans {
                server_key: open("midtrans_server_key", &self.midtrans_server_key),
            },
            xendit: Xendit {
                callback_token: open("xendit_callback_token", &self.xendit_callback_token),
            },
        }
    }
}

/// How long a credential's city and a city's opened gateways are remembered: a change of
/// credentials (`PUT /cities/{id}/gateways`) is seen at once by the server that took it, by the
/// others within this.
const ROUTE_TTL: Duration = Duration::from_secs(60);
/// How many credentials and cities are remembered (a deployment has dozens of cities; issued
/// SNAP tokens live 15 minutes).
const ROUTES_KEPT: usize = 10_000;

/// The routing of callbacks to their cities, remembered ([`ROUTE_TTL`], [`ROUTES_KEPT`]): a
/// callback is routed and verified without asking the database each time.
#[derive(Default)]
pub struct RouteCache {
    cities: Mutex<HashMap<String, (Instant, i64)>>,
    gateways: Mutex<HashMap<i64, (Instant, OwnGateways)>>,
}

/// A city's own gateways, opened; none when it stored no credentials.
pub type OwnGateways = Option<Arc<CityGateways>>;

impl RouteCache {
    pub fn city(&self, key: &str) -> Option<i64> {
        let cities = self.cities.lock().ok()?;
        cities
            .get(key)
            .filter(|(at, _)| at.elapsed() < ROUTE_TTL)
            .map(|(_, city)| *city)
    }

    pub fn remember_city(&self, key: String, city: i64) {
        if let Ok(mut cities) = self.cities.lock() {
            if cities.len() >= ROUTES_KEPT {
                cities.retain(|_, (at, _)| at.elapsed() < ROUTE_TTL);
            }
            if cities.len() < ROUTES_KEPT {
                cities.insert(key, (Instant::now(), city));
            }
        }
    }

    pub fn gateways(&self, city: i64) -> Option<OwnGateways> {
        let gateways = self.gateways.lock().ok()?;
        gateways
            .get(&city)
            .filter(|(at, _)| at.elapsed() < ROUTE_TTL)
            .map(|(_, g)| g.clone())
    }

    pub fn remember_gateways(&self, city: i64, own: OwnGateways) {
        if let Ok(mut gateways) = self.gateways.lock() {
            if gateways.len() >= ROUTES_KEPT {
                gateways.retain(|_, (at, _)| at.elapsed() < ROUTE_TTL);
            }
            if gateways.len() < ROUTES_KEPT {
                gateways.insert(city, (Instant::now(), own));
            }
        }
    }

    /// Forgets everything: the credentials changed.
    pub fn forget(&self) {
        if let Ok(mut cities) = self.cities.lock() {
            cities.clear();
        }
        if let Ok(mut gateways) = self.gateways.lock() {
            gateways.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_for_its_city_and_field_and_key() {
        let key = SecretKey::new(&SecretString::from("kunci-rahasia-kota-untuk-uji-0001"));
        let sealed = key.seal(2, "xendit_callback_token", "tok-bpn");
        assert!(
            !sealed.windows(7).any(|w| w == b"tok-bpn"),
            "sealed, not stored"
        );
        let opened = key.open(2, "xendit_callback_token", &sealed).unwrap();
        assert_eq!(opened.expose_secret(), "tok-bpn");
        assert!(key.open(1, "xendit_callback_token", &sealed).is_none());
        assert!(key.open(2, "midtrans_server_key", &sealed).is_none());
        let other = SecretKey::new(&SecretString::from("kunci-lain-yang-juga-panjang-0002"));
        assert!(other.open(2, "xendit_callback_token", &sealed).is_none());
        let mut changed = sealed.clone();
        *changed.last_mut().unwrap() ^= 1;
        assert!(key.open(2, "xendit_callback_token", &changed).is_none());
        // Two seals of one secret differ (a fresh nonce each).
        assert_ne!(sealed, key.seal(2, "xendit_callback_token", "tok-bpn"));
    }
}

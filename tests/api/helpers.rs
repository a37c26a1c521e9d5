//! The test harness: a template database migrated once per run, a fresh database per test made
//! from it, the real application on port 0, and an HTTP client.

use std::sync::OnceLock;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use secrecy::SecretString;
use serde_json::{Value, json};

use parkir::config::{GatewaySettings, Settings};
use parkir::startup::Application;

pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret!";
pub const STAFF_PASSWORD: &str = "correct horse battery staple";
pub const PIN: &str = "482913";
const TEMPLATE: &str = "parkir_test_template";

/// The server's URL without a database (`TEST_DATABASE_SERVER`, default the local socket).
fn server() -> String {
    std::env::var("TEST_DATABASE_SERVER").unwrap_or_else(|_| "postgres://".to_owned())
}

fn url_of(db: &str) -> String {
    format!("{}/{db}", server())
}

fn unreachable(err: impl std::fmt::Display) -> ! {
    panic!(
        "cannot reach PostgreSQL at {} ({err}).\n\
         The tests need a real server: start it with\n  \
         pg_ctlcluster --skip-systemctl-redirect 15 main start\n\
         or point TEST_DATABASE_SERVER at one (e.g. postgres://user@127.0.0.1:5432).",
        url_of("postgres")
    )
}

/// Migrates the template once per test process; other processes wait on an advisory lock.
fn template() -> &'static str {
    static READY: OnceLock<()> = OnceLock::new();
    READY.get_or_init(|| {
        let mut admin =
            PgConnection::establish(&url_of("postgres")).unwrap_or_else(|e| unreachable(e));
        admin
            .batch_execute("SELECT pg_advisory_lock(727274)")
            .expect("advisory lock");
        let exists: bool = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
            "EXISTS (SELECT 1 FROM pg_database WHERE datname = '{TEMPLATE}')"
        )))
        .get_result(&mut admin)
        .expect("query pg_database");
        if !exists {
            admin
                .batch_execute(&format!("CREATE DATABASE {TEMPLATE}"))
                .expect("create template database");
        }
        {
            let mut tpl = PgConnection::establish(&url_of(TEMPLATE)).expect("connect template");
            parkir::db::migrate(&mut tpl).expect("migrate template");
        }
        admin
            .batch_execute("SELECT pg_advisory_unlock(727274)")
            .expect("advisory unlock");
    });
    TEMPLATE
}

/// A fresh database cloned from the migrated template, dropped when the guard drops.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    pub fn new() -> Self {
        let template = template();
        let name = format!("t_{}", random_suffix());
        let mut admin =
            PgConnection::establish(&url_of("postgres")).unwrap_or_else(|e| unreachable(e));
        admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .expect("create test database");
        Self {
            url: url_of(&name),
            name,
        }
    }

    pub fn conn(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("connect test database")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let name = self.name.clone();
        let _ = std::thread::spawn(move || {
            if let Ok(mut admin) = PgConnection::establish(&url_of("postgres")) {
                let _ =
                    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        })
        .join();
    }
}

fn random_suffix() -> String {
    use rand::Rng;
    rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(12)
        .map(|c| char::from(c).to_ascii_lowercase())
        .collect()
}

pub fn settings(database_url: &str) -> Settings {
    Settings {
        database_url: SecretString::from(database_url.to_owned()),
        read_database_url: None,
        max_read_lag: Duration::from_secs(10),
        bind: "127.0.0.1:0".into(),
        timezone: chrono_tz::Asia::Jakarta,
        city_code: "JMB".into(),
        secret_key: Some(SecretString::from("kunci-penyegel-kredensial-uji-0001")),
        jwt_secret: Some(SecretString::from(JWT_SECRET)),
        db_pool_size: 4,
        db_timeout: Duration::from_millis(1500),
        charge_ttl: Duration::from_secs(600),
        log_json: false,
        complaint_line: parkir::config::DEFAULT_COMPLAINT_LINE.to_owned(),
        trusted_proxies: Vec::new(),
        public_url: None,
        hotline: None,
        office: parkir::config::Office::default(),
        gateways: GatewaySettings::default(),
        // The job reads the wall clock; tests drive `services::alerts::tick` with their own.
        alerts: parkir::config::AlertSettings {
            interval: Duration::ZERO,
            webhook: None,
        },
    }
}

/// The application under test, on its own database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: TestDb,
}

/// The argon2id hash of [`STAFF_PASSWORD`] and [`PIN`], computed once: hashing is slow on purpose.
fn hashes() -> &'static (String, String) {
    static HASHES: OnceLock<(String, String)> = OnceLock::new();
    HASHES.get_or_init(|| {
        (
            parkir::auth::hash_secret(STAFF_PASSWORD).unwrap(),
            parkir::auth::hash_secret(PIN).unwrap(),
        )
    })
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The application behind a trusted proxy on 127.0.0.1: `X-Forwarded-For` is believed.
pub async fn spawn_behind_proxy() -> TestApp {
    spawn_app_with(|s| s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()]).await
}

/// The demo gateway credentials; tests sign as the gateway with the demo private key.
pub fn with_gateways(s: &mut Settings) {
    parkir::demo::default_gateways(&mut s.gateways);
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let db = TestDb::new();
    let mut s = settings(&db.url);
    configure(&mut s);
    let app = Application::build(&s, &SecretString::from(JWT_SECRET)).expect("build application");
    let address = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::new(),
        db,
    }
}

/// What a request returned: the status, the headers and the JSON body (Null if none).
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The `field` of the first entry of a problem's `errors`.
    pub fn error_field(&self) -> &str {
        self.body["errors"][0]["field"].as_str().unwrap_or("")
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Reply {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await.expect("request sent");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        // A stream (`/me/events`) does not end: its status and headers are the answer.
        let streaming = headers
            .get("content-type")
            .is_some_and(|ct| ct.as_bytes().starts_with(b"text/event-stream"));
        let text = if streaming {
            String::new()
        } else {
            res.text().await.unwrap_or_default()
        };
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.send(reqwest::Method::GET, path, Some(token), None)
            .await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.send(reqwest::Method::POST, path, Some(token), Some(&body))
            .await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Reply {
        self.send(reqwest::Method::PATCH, path, Some(token), Some(&body))
            .await
    }

    /// A GET answered with text (`/metrics`, CSV exports).
    pub async fn text(&self, path: &str, token: Option<&str>) -> String {
        let mut req = self.client.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.expect("request sent");
        res.text().await.expect("a text body")
    }

    /// POSTs a settlement file (`text/csv`) as `token`.
    pub async fn post_csv(&self, token: &str, file: &str) -> Reply {
        let res = self
            .client
            .post(self.url("/api/v1/settlements"))
            .bearer_auth(token)
            .header("content-type", "text/csv")
            .body(file.to_owned())
            .send()
            .await
            .expect("request sent");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = res.json().await.unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
        }
    }

    /// An attendant login attempt with `phone` and `pin`.
    pub async fn attendant_login(&self, phone: &str, pin: &str) -> Reply {
        self.send(
            reqwest::Method::POST,
            "/api/v1/auth/attendant-login",
            None,
            Some(&json!({"phone": phone, "pin": pin})),
        )
        .await
    }

    /// A zone with spot JMB-PSR-001 (terminal JMBPSR001) and attendant 081274000001 on duty
    /// there from `starts_at`, open-ended; returns (admin token, spot id, attendant id).
    pub async fn city_on_duty_since(&self, starts_at: &str) -> (String, i64, i64) {
        let city = self.city().on_duty_since(starts_at).build().await;
        (city.admin, city.spots[0], city.attendants[0])
    }

    /// Creates a staff user of `role` directly in the database and logs in over HTTP.
    pub async fn staff_token(&self, role: &str) -> String {
        let username = format!("{role}-{}", random_suffix());
        let mut conn = self.db.conn();
        parkir::db::users::insert_staff_user(&mut conn, &username, &hashes().0, role)
            .expect("insert staff user");
        self.login(&username).await
    }

    /// A staff user of `role` in the city `city` (SPEC §17), logged in over HTTP.
    pub async fn staff_token_in(&self, city: i64, role: &str) -> String {
        let username = format!("{role}-{}", random_suffix());
        let mut conn = self.db.conn();
        parkir::db::users::insert_staff_user_of(
            &mut conn,
            &username,
            &hashes().0,
            role,
            Some(city),
        )
        .expect("insert staff user");
        self.login(&username).await
    }

    /// An operator (platform staff, of no city), logged in over HTTP.
    pub async fn operator_token(&self) -> String {
        let username = format!("operator-{}", random_suffix());
        let mut conn = self.db.conn();
        parkir::db::users::insert_staff_user_of(
            &mut conn,
            &username,
            &hashes().0,
            "operator",
            None,
        )
        .expect("insert operator");
        self.login(&username).await
    }

    async fn login(&self, username: &str) -> String {
        let reply = self
            .send(
                reqwest::Method::POST,
                "/api/v1/auth/login",
                None,
                Some(&json!({"username": username, "password": STAFF_PASSWORD})),
            )
            .await;
        assert_eq!(reply.status, 200, "login failed: {}", reply.body);
        reply.body["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn admin_token(&self) -> String {
        self.staff_token("admin").await
    }

    /// An attendant with the given phone, inserted directly with the hash of [`PIN`].
    pub fn insert_attendant(&self, nik: &str, phone: &str, kta: &str) -> i64 {
        let mut conn = self.db.conn();
        let phone = parkir::domain::Phone::parse(phone).unwrap();
        parkir::db::attendants::insert_attendant(
            &mut conn,
            &parkir::db::attendants::NewAttendant {
                nik,
                name: "Jukir Uji",
                phone: phone.as_str(),
                kta_number: kta,
                pin_hash: &hashes().1,
            },
        )
        .expect("insert attendant")
        .id
    }

    pub async fn attendant_token(&self, phone: &str) -> String {
        let reply = self.attendant_login(phone, PIN).await;
        assert_eq!(reply.status, 200, "attendant login failed: {}", reply.body);
        reply.body["access_token"].as_str().unwrap().to_owned()
    }

    /// A merchant account, a Kota Jambi zone and one spot; returns (merchant, zone, spot) ids.
    pub async fn seed_zone_and_spot(&self, admin: &str) -> (i64, i64, i64) {
        let city = self.city().by(admin).build().await;
        (city.merchant_id, city.zone_id, city.spots[0])
    }

    /// Rows of a table, to show a refused request changed nothing.
    pub fn count(&self, table: &str) -> i64 {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.db.conn();
        diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
            .get_result::<Count>(&mut conn)
            .expect("count rows")
            .n
    }
}

pub fn merchant_body() -> Value {
    json!({
        "gui": "ID.CO.BANKJAMBI.WWW", "pan": "9360011300000001234",
        "merchant_id": "DSHJMB000000001", "criteria": "UKE", "nmid": "ID1026100000123",
        "name": "DISHUB KOTA JAMBI", "city": "JAMBI", "postal_code": "36124", "mcc": "7523"
    })
}

pub fn zone_body(code: &str, merchant_account_id: i64) -> Value {
    json!({
        "code": code, "name": "Zona Pasar", "district": "Pasar Jambi",
        "merchant_account_id": merchant_account_id,
        "tariffs": {"motorcycle": 2000, "car": 3000},
        "attendant_share_bps": 6000, "daily_target": 60000
    })
}

pub fn spot_body(code: &str) -> Value {
    json!({"code": code, "name": "Jl. Dr. Sutomo", "latitude": -1.5869, "longitude": 103.6228})
}

/// Signing as the SNAP gateway does, with the demo key pair and demo client secret.
pub mod snap_gateway {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use chrono::Utc;
    use hmac::{Hmac, KeyInit, Mac};
    use rsa::pkcs1v15::SigningKey;
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::signature::{SignatureEncoding, Signer};
    use sha2::{Sha256, Sha512};

    use parkir::demo::{SNAP_CLIENT_KEY, SNAP_CLIENT_SECRET};
    use parkir::gateways::snap::{NOTIFY_PATH, string_to_sign};

    const PRIVATE_KEY: &str = include_str!("../../demo/snap-gateway-DEMO-ONLY.key");

    pub fn rsa_sign(message: &str) -> String {
        let key = rsa::PrivateKey::from_pkcs8_pem(PRIVATE_KEY).expect("demo key");
        let signer = SigningKey::<Sha256>::new(key);
        STANDARD.encode(signer.sign(message.as_bytes()).to_bytes())
    }

    pub fn now_timestamp() -> String {
        Utc::now()
            .with_timezone(&parkir::gateways::wib())
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }

    /// Headers of a B2B token request.
    pub fn token_headers(timestamp: &str) -> Vec<(String, String)> {
        vec![
            ("X-CLIENT-KEY".into(), SNAP_CLIENT_KEY.into()),
            ("X-TIMESTAMP".into(), timestamp.into()),
            (
                "X-SIGNATURE".into(),
                rsa_sign(&format!("{SNAP_CLIENT_KEY}|{timestamp}")),
            ),
        ]
    }

    /// Headers of a notify: type 1 (HMAC with `token`) or type 2 (RSA) without one.
    pub fn notify_headers(
        body: &str,
        token: Option<&str>,
        timestamp: &str,
    ) -> Vec<(String, String)> {
        let message = string_to_sign("POST", NOTIFY_PATH, token, body.as_bytes(), timestamp);
        let signature = match token {
            Some(_) => {
                let mut mac =
                    Hmac::<Sha512>::new_from_slice(SNAP_CLIENT_SECRET.as_bytes()).unwrap();
                mac.update(message.as_bytes());
                STANDARD.encode(mac.finalize().into_bytes())
            }
            None => rsa_sign(&message),
        };
        let mut h = vec![
            ("X-TIMESTAMP".into(), timestamp.to_owned()),
            ("X-SIGNATURE".into(), signature),
            ("X-PARTNER-ID".into(), SNAP_CLIENT_KEY.into()),
            (
                "X-EXTERNAL-ID".into(),
                format!("{}", Utc::now().timestamp_nanos_opt().unwrap_or(0)),
            ),
            ("CHANNEL-ID".into(), "95221".into()),
        ];
        if let Some(t) = token {
            h.push(("Authorization".into(), format!("Bearer {t}")));
        }
        h
    }

    /// A notify body as acquirers send it.
    pub fn notify_body(
        txn: &str,
        reference: Option<&str>,
        terminal: Option<&str>,
        amount: &str,
        status: &str,
        paid_time: &str,
    ) -> String {
        let reference = reference
            .map(|r| format!(r#""originalPartnerReferenceNo":"{r}","#))
            .unwrap_or_default();
        let terminal = terminal
            .map(|t| format!(r#""terminalId":"{t}","#))
            .unwrap_or_default();
        format!(
            r#"{{"originalReferenceNo":"{txn}",{reference}"latestTransactionStatus":"{status}","transactionStatusDesc":"Success","amount":{{"value":"{amount}","currency":"IDR"}},"additionalInfo":{{{terminal}"issuer":"DANA","paidTime":"{paid_time}"}}}}"#
        )
    }
}

impl TestApp {
    /// POSTs raw bytes with the given headers; returns status, headers and JSON body.
    pub async fn post_raw(&self, path: &str, headers: &[(String, String)], body: &str) -> Reply {
        let mut req = self
            .client
            .post(self.url(path))
            .header("Content-Type", "application/json");
        for (k, v) in headers {
            req = req.header(k.as_str(), v.as_str());
        }
        let res = req
            .body(body.to_owned())
            .send()
            .await
            .expect("request sent");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        Reply {
            status,
            headers,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }

    /// A paid SNAP notification (signature type 2) at `terminal`, paid at `paid` (RFC 3339);
    /// asserts it was acknowledged.
    pub async fn pay(&self, txn: &str, terminal: &str, amount: &str, paid: &str) {
        let body = snap_gateway::notify_body(txn, None, Some(terminal), amount, "00", paid);
        let r = self
            .post_raw(
                "/snap/v1.0/qr/qr-mpm-notify",
                &snap_gateway::notify_headers(&body, None, &snap_gateway::now_timestamp()),
                &body,
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }

    /// A SNAP B2B token, fetched as the gateway does.
    pub async fn snap_token(&self) -> String {
        let ts = snap_gateway::now_timestamp();
        let r = self
            .post_raw(
                "/snap/v1.0/access-token/b2b",
                &snap_gateway::token_headers(&ts),
                r#"{"grantType":"client_credentials"}"#,
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.body["accessToken"].as_str().unwrap().to_owned()
    }
}

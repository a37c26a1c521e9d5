//! Cities (SPEC §17), and the look-ups that must find a city before any of its rows can be
//! read: they go through the owner's `SECURITY DEFINER` functions of migration 000020, which
//! return the city and nothing else.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

#[derive(Clone, Debug, QueryableByName, serde::Serialize, utoipa::ToSchema)]
pub struct City {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub code: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub timezone: String,
}

#[derive(QueryableByName)]
struct CityOf {
    #[diesel(sql_type = Nullable<BigInt>)]
    city_id: Option<i64>,
}

/// Every city, the default (id 1) first.
pub fn all(conn: &mut PgConnection) -> QueryResult<Vec<City>> {
    diesel::sql_query("SELECT id, code, name, timezone FROM cities ORDER BY id").load(conn)
}

/// Brings the default city in line with the single-city settings (`PARKIR_CITY_CODE`,
/// `PARKIR_TIMEZONE`): what they describe, it is.
pub fn align_default(conn: &mut PgConnection, code: &str, timezone: &str) -> QueryResult<()> {
    diesel::sql_query(
        "UPDATE cities SET code = $1, timezone = $2, updated_at = now() \
         WHERE id = 1 AND (code, timezone) IS DISTINCT FROM ($1, $2)",
    )
    .bind::<Text, _>(code)
    .bind::<Text, _>(timezone)
    .execute(conn)
    .map(|_| ())
}

/// The city of a login name (`kind` `staff`: a username; `attendant`: a phone): `None` when
/// nobody has it, `Some(None)` for an operator (who belongs to no city).
pub fn of_login(
    conn: &mut PgConnection,
    kind: &str,
    login: &str,
) -> QueryResult<Option<Option<i64>>> {
    diesel::sql_query("SELECT city_id FROM parkir_login_city($1, $2)")
        .bind::<Text, _>(kind)
        .bind::<Text, _>(login)
        .get_result::<CityOf>(conn)
        .optional()
        .map(|found| found.map(|c| c.city_id))
}

/// The city a code on a sign belongs to: its spot's (any case); for a code no spot has, the
/// city whose code it starts with (`BPN-…`, the custom of §17), else the default city.
pub fn of_sign(conn: &mut PgConnection, code: &str) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = BigInt)]
        city_id: i64,
    }
    diesel::sql_query(
        "SELECT COALESCE(parkir_spot_city($1), \
                (SELECT id FROM cities WHERE code = upper(split_part($1, '-', 1))), 1) AS city_id",
    )
    .bind::<Text, _>(code)
    .get_result::<Found>(conn)
    .map(|f| f.city_id)
}

/// An operator's account by username (migration 000020's owner function).
#[derive(Clone, Debug, QueryableByName)]
pub struct OperatorAccount {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub password_hash: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub token_version: i32,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub disabled: bool,
}

pub fn operator_account(
    conn: &mut PgConnection,
    username: &str,
) -> QueryResult<Option<OperatorAccount>> {
    diesel::sql_query("SELECT * FROM parkir_operator_account($1)")
        .bind::<Text, _>(username)
        .get_result(conn)
        .optional()
}

/// One city's totals of a business day.
#[derive(Clone, Debug, QueryableByName)]
pub struct CityTotals {
    #[diesel(sql_type = BigInt)]
    pub city_id: i64,
    #[diesel(sql_type = BigInt)]
    pub tx_count: i64,
    #[diesel(sql_type = BigInt)]
    pub noncash_gross: i64,
    #[diesel(sql_type = BigInt)]
    pub cash_gross: i64,
    #[diesel(sql_type = BigInt)]
    pub gross: i64,
    #[diesel(sql_type = BigInt)]
    pub city_share: i64,
}

/// Every city's totals of `date` (each city's own business day), by the owner's function.
pub fn totals(conn: &mut PgConnection, date: chrono::NaiveDate) -> QueryResult<Vec<CityTotals>> {
    diesel::sql_query("SELECT * FROM parkir_city_totals($1)")
        .bind::<diesel::sql_types::Date, _>(date)
        .load(conn)
}

pub fn find(conn: &mut PgConnection, id: i64) -> QueryResult<Option<City>> {
    diesel::sql_query("SELECT id, code, name, timezone FROM cities WHERE id = $1")
        .bind::<BigInt, _>(id)
        .get_result(conn)
        .optional()
}

pub fn insert(
    conn: &mut PgConnection,
    code: &str,
    name: &str,
    timezone: &str,
) -> QueryResult<City> {
    diesel::sql_query(
        "INSERT INTO cities (code, name, timezone) VALUES ($1, $2, $3) \
         RETURNING id, code, name, timezone",
    )
    .bind::<Text, _>(code)
    .bind::<Text, _>(name)
    .bind::<Text, _>(timezone)
    .get_result(conn)
}

/// The city a gateway credential names (`kind`: `snap` a client key, `xendit` a token's
/// SHA-256, `snap_token` the SHA-256 of a token we issued), by the owner's function.
pub fn of_credential(conn: &mut PgConnection, kind: &str, key: &str) -> QueryResult<Option<i64>> {
    diesel::sql_query("SELECT parkir_gateway_city($1, $2) AS city_id")
        .bind::<Text, _>(kind)
        .bind::<Text, _>(key)
        .get_result::<CityOf>(conn)
        .map(|c| c.city_id)
}

pub fn by_code(conn: &mut PgConnection, code: &str) -> QueryResult<Option<City>> {
    diesel::sql_query("SELECT id, code, name, timezone FROM cities WHERE code = upper($1)")
        .bind::<Text, _>(code)
        .get_result(conn)
        .optional()
}

#[derive(QueryableByName)]
struct SealedRow {
    #[diesel(sql_type = Nullable<Text>)]
    snap_client_key: Option<String>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Binary>)]
    snap_client_secret: Option<Vec<u8>>,
    #[diesel(sql_type = Nullable<Text>)]
    snap_public_key_pem: Option<String>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Binary>)]
    midtrans_server_key: Option<Vec<u8>>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Binary>)]
    xendit_callback_token: Option<Vec<u8>>,
}

/// The stored (sealed) gateway credentials of the city the session acts for, if any.
pub fn sealed(
    conn: &mut PgConnection,
) -> QueryResult<Option<crate::gateways::credentials::Sealed>> {
    diesel::sql_query(
        "SELECT snap_client_key, snap_client_secret, snap_public_key_pem, midtrans_server_key, \
                xendit_callback_token FROM city_gateways WHERE city_id = parkir_session_city()",
    )
    .get_result::<SealedRow>(conn)
    .optional()
    .map(|row| {
        row.map(|r| crate::gateways::credentials::Sealed {
            snap_client_key: r.snap_client_key,
            snap_client_secret: r.snap_client_secret,
            snap_public_key_pem: r.snap_public_key_pem,
            midtrans_server_key: r.midtrans_server_key,
            xendit_callback_token: r.xendit_callback_token,
        })
    })
}

/// What one `PUT /cities/{id}/gateways` stores: each gateway given replaces that gateway's
/// credentials; one not given keeps what it had.
pub struct PutGateways {
    pub snap: Option<(String, Option<Vec<u8>>, Option<String>)>,
    pub midtrans: Option<Vec<u8>>,
    pub xendit: Option<(Vec<u8>, String)>,
}

/// Stores the credentials of the city the session acts for (named in every statement as well
/// as held to by row-level security: an owner's session, which bypasses it, writes one city).
pub fn put_gateways(conn: &mut PgConnection, put: &PutGateways) -> QueryResult<()> {
    use diesel::sql_types::Binary;
    diesel::sql_query("INSERT INTO city_gateways DEFAULT VALUES ON CONFLICT (city_id) DO NOTHING")
        .execute(conn)?;
    if let Some((key, secret, pem)) = &put.snap {
        diesel::sql_query(
            "UPDATE city_gateways SET snap_client_key = $1, snap_client_secret = $2, \
             snap_public_key_pem = $3, updated_at = now() WHERE city_id = parkir_session_city()",
        )
        .bind::<Text, _>(key)
        .bind::<Nullable<Binary>, _>(secret.as_deref())
        .bind::<Nullable<Text>, _>(pem.as_deref())
        .execute(conn)?;
    }
    if let Some(sealed) = &put.midtrans {
        diesel::sql_query(
            "UPDATE city_gateways SET midtrans_server_key = $1, updated_at = now() \
             WHERE city_id = parkir_session_city()",
        )
        .bind::<Binary, _>(sealed.as_slice())
        .execute(conn)?;
    }
    if let Some((sealed, fingerprint)) = &put.xendit {
        diesel::sql_query(
            "UPDATE city_gateways SET xendit_callback_token = $1, xendit_token_sha256 = $2, \
             updated_at = now() WHERE city_id = parkir_session_city()",
        )
        .bind::<Binary, _>(sealed.as_slice())
        .bind::<Text, _>(fingerprint)
        .execute(conn)?;
    }
    Ok(())
}

/// What a city's documents and citizens' pages say of it, as stored (null: not set).
#[derive(Clone, Debug, QueryableByName)]
pub struct Letterhead {
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Nullable<diesel::sql_types::Jsonb>)]
    pub office: Option<serde_json::Value>,
    #[diesel(sql_type = Nullable<Text>)]
    pub hotline: Option<String>,
}

pub fn letterhead(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Letterhead>> {
    diesel::sql_query("SELECT name, office, hotline FROM cities WHERE id = $1")
        .bind::<BigInt, _>(id)
        .get_result(conn)
        .optional()
}

/// Changes what is given of a city's name, office and hotline (`Some(None)`: cleared).
pub fn set_letterhead(
    conn: &mut PgConnection,
    id: i64,
    name: Option<&str>,
    office: Option<Option<serde_json::Value>>,
    hotline: Option<Option<String>>,
) -> QueryResult<Option<City>> {
    diesel::sql_query(
        "UPDATE cities SET name = COALESCE($2, name), \
                office = CASE WHEN $3 THEN $4 ELSE office END, \
                hotline = CASE WHEN $5 THEN $6 ELSE hotline END, updated_at = now() \
         WHERE id = $1 RETURNING id, code, name, timezone",
    )
    .bind::<BigInt, _>(id)
    .bind::<Nullable<Text>, _>(name)
    .bind::<diesel::sql_types::Bool, _>(office.is_some())
    .bind::<Nullable<diesel::sql_types::Jsonb>, _>(office.flatten())
    .bind::<diesel::sql_types::Bool, _>(hotline.is_some())
    .bind::<Nullable<Text>, _>(hotline.flatten())
    .get_result(conn)
    .optional()
}

/// The codes of the cities that issued a KTA number (any case), by the owner's function.
pub fn of_kta(conn: &mut PgConnection, kta: &str) -> QueryResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct Code {
        #[diesel(sql_type = Text)]
        code: String,
    }
    diesel::sql_query("SELECT code FROM parkir_kta_cities($1)")
        .bind::<Text, _>(kta)
        .load::<Code>(conn)
        .map(|codes| codes.into_iter().map(|c| c.code).collect())
}

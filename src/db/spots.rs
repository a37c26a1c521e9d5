//! Parking spots.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::schema::spots;

#[derive(Clone, Debug, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = spots)]
pub struct Spot {
    pub id: i64,
    pub zone_id: i64,
    pub code: String,
    pub name: String,
    pub latitude: f64,
    pub longitude: f64,
    pub terminal_id: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// An acquirer-issued static QRIS imported verbatim, if any.
    pub qris_payload: Option<String>,
    /// The NMID of the imported payload (51/02); absent for composed QRs.
    pub nmid: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = spots)]
pub struct NewSpot<'a> {
    pub zone_id: i64,
    pub code: &'a str,
    pub name: &'a str,
    pub latitude: f64,
    pub longitude: f64,
    pub terminal_id: &'a str,
    pub qris_payload: Option<&'a str>,
    pub nmid: Option<&'a str>,
}

pub fn insert_spot(conn: &mut PgConnection, spot: &NewSpot) -> QueryResult<Spot> {
    diesel::insert_into(spots::table)
        .values(spot)
        .returning(Spot::as_returning())
        .get_result(conn)
}

pub fn find_spot(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Spot>> {
    spots::table
        .find(id)
        .select(Spot::as_select())
        .first(conn)
        .optional()
}

pub fn list_spots(
    conn: &mut PgConnection,
    zone_id: Option<i64>,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<Spot>> {
    let mut query = spots::table
        .filter(spots::id.gt(after))
        .order(spots::id)
        .limit(limit)
        .select(Spot::as_select())
        .into_boxed();
    if let Some(zone_id) = zone_id {
        query = query.filter(spots::zone_id.eq(zone_id));
    }
    query.load(conn)
}

#[derive(AsChangeset, Default)]
#[diesel(table_name = spots)]
pub struct SpotChanges {
    pub name: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub terminal_id: Option<String>,
    pub active: Option<bool>,
    pub qris_payload: Option<Option<String>>,
    pub nmid: Option<Option<String>>,
}

pub fn update_spot(conn: &mut PgConnection, id: i64, changes: &SpotChanges) -> QueryResult<Spot> {
    diesel::update(spots::table.find(id))
        .set((changes, spots::updated_at.eq(diesel::dsl::now)))
        .returning(Spot::as_returning())
        .get_result(conn)
}

/// Spot codes by id.
pub fn codes_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, String>> {
    Ok(spots::table
        .filter(spots::id.eq_any(ids))
        .select((spots::id, spots::code))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

diesel::define_sql_function!(fn upper(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// The spot of a code as people type it: codes are not case-sensitive (SPEC §13), and no two
/// spots differ only in case (index `spots_code_ci_key`), so at most one matches.
pub fn find_spot_by_code(conn: &mut PgConnection, code: &str) -> QueryResult<Option<Spot>> {
    spots::table
        .filter(upper(spots::code).eq(code.to_uppercase()))
        .select(Spot::as_select())
        .first(conn)
        .optional()
}

/// A spot with what its QR is made of: its zone and the zone's merchant account.
pub struct SpotContext {
    pub spot: Spot,
    pub zone: super::zones::Zone,
    pub merchant: super::zones::MerchantAccount,
}

pub fn spot_context(conn: &mut PgConnection, spot_id: i64) -> QueryResult<Option<SpotContext>> {
    use super::schema::{merchant_accounts, zones};
    spots::table
        .inner_join(zones::table.inner_join(merchant_accounts::table))
        .filter(spots::id.eq(spot_id))
        .select((
            Spot::as_select(),
            super::zones::Zone::as_select(),
            super::zones::MerchantAccount::as_select(),
        ))
        .first::<(Spot, super::zones::Zone, super::zones::MerchantAccount)>(conn)
        .optional()
        .map(|row| {
            row.map(|(spot, zone, merchant)| SpotContext {
                spot,
                zone,
                merchant,
            })
        })
}

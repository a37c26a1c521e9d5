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
}

pub fn update_spot(conn: &mut PgConnection, id: i64, changes: &SpotChanges) -> QueryResult<Spot> {
    diesel::update(spots::table.find(id))
        .set((changes, spots::updated_at.eq(diesel::dsl::now)))
        .returning(Spot::as_returning())
        .get_result(conn)
}

pub fn find_spot_by_code(conn: &mut PgConnection, code: &str) -> QueryResult<Option<Spot>> {
    spots::table
        .filter(spots::code.eq(code))
        .select(Spot::as_select())
        .first(conn)
        .optional()
}

//! Dynamic charges an attendant shows for one vehicle.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::charges;
use crate::domain::Rupiah;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = charges)]
pub struct Charge {
    pub id: i64,
    pub reference: String,
    pub attendant_id: i64,
    pub spot_id: i64,
    pub zone_version_id: i64,
    pub vehicle_class: String,
    pub amount: Rupiah,
    pub payload: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
}

#[derive(Insertable)]
#[diesel(table_name = charges)]
pub struct NewCharge<'a> {
    pub reference: &'a str,
    pub attendant_id: i64,
    pub spot_id: i64,
    pub zone_version_id: i64,
    pub vehicle_class: &'a str,
    pub amount: i64,
    pub payload: &'a str,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub fn insert_charge(conn: &mut PgConnection, new: &NewCharge) -> QueryResult<Charge> {
    diesel::insert_into(charges::table)
        .values(new)
        .returning(Charge::as_returning())
        .get_result(conn)
}

/// Many charges in one statement (the demo's history).
pub fn insert_charges(conn: &mut PgConnection, new: &[NewCharge]) -> QueryResult<usize> {
    diesel::insert_into(charges::table)
        .values(new)
        .execute(conn)
}

/// The attendant's own charge; another attendant's is as good as absent.
pub fn find_charge_of(
    conn: &mut PgConnection,
    attendant_id: i64,
    id: i64,
) -> QueryResult<Option<Charge>> {
    charges::table
        .filter(charges::id.eq(id))
        .filter(charges::attendant_id.eq(attendant_id))
        .select(Charge::as_select())
        .first(conn)
        .optional()
}

//! Merchant accounts, zones and the versions of their tariffs, share and target.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::schema::{merchant_accounts, zone_versions, zones};
use crate::domain::MerchantAccountSpec;

#[derive(Clone, Debug, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = merchant_accounts)]
pub struct MerchantAccount {
    pub id: i64,
    pub gui: String,
    pub pan: String,
    pub merchant_id: String,
    pub criteria: String,
    pub nmid: String,
    pub name: String,
    pub city: String,
    pub postal_code: String,
    pub mcc: String,
    pub created_at: DateTime<Utc>,
}

impl MerchantAccount {
    /// What the acquirer issued, without our bookkeeping.
    pub fn spec(&self) -> MerchantAccountSpec {
        MerchantAccountSpec {
            gui: self.gui.clone(),
            pan: self.pan.clone(),
            merchant_id: self.merchant_id.clone(),
            criteria: self.criteria.clone(),
            nmid: self.nmid.clone(),
            name: self.name.clone(),
            city: self.city.clone(),
            postal_code: self.postal_code.clone(),
            mcc: self.mcc.clone(),
        }
    }
}

pub fn insert_merchant_account(
    conn: &mut PgConnection,
    spec: &MerchantAccountSpec,
) -> QueryResult<MerchantAccount> {
    diesel::insert_into(merchant_accounts::table)
        .values((
            merchant_accounts::gui.eq(&spec.gui),
            merchant_accounts::pan.eq(&spec.pan),
            merchant_accounts::merchant_id.eq(&spec.merchant_id),
            merchant_accounts::criteria.eq(&spec.criteria),
            merchant_accounts::nmid.eq(&spec.nmid),
            merchant_accounts::name.eq(&spec.name),
            merchant_accounts::city.eq(&spec.city),
            merchant_accounts::postal_code.eq(&spec.postal_code),
            merchant_accounts::mcc.eq(&spec.mcc),
        ))
        .returning(MerchantAccount::as_returning())
        .get_result(conn)
}

pub fn find_merchant_account(
    conn: &mut PgConnection,
    id: i64,
) -> QueryResult<Option<MerchantAccount>> {
    merchant_accounts::table
        .find(id)
        .select(MerchantAccount::as_select())
        .first(conn)
        .optional()
}

pub fn list_merchant_accounts(
    conn: &mut PgConnection,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<MerchantAccount>> {
    merchant_accounts::table
        .filter(merchant_accounts::id.gt(after))
        .order(merchant_accounts::id)
        .limit(limit)
        .select(MerchantAccount::as_select())
        .load(conn)
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = zones)]
pub struct Zone {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub district: String,
    pub merchant_account_id: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One version of what a zone charges and shares, in force from `effective_from`.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = zone_versions)]
pub struct ZoneVersion {
    pub id: i64,
    pub zone_id: i64,
    pub effective_from: DateTime<Utc>,
    pub tariffs: serde_json::Value,
    pub attendant_share_bps: i32,
    pub daily_target: Option<i64>,
    pub created_at: DateTime<Utc>,
}

pub struct NewZone<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub district: &'a str,
    pub merchant_account_id: i64,
}

pub struct NewZoneVersion {
    pub effective_from: DateTime<Utc>,
    pub tariffs: serde_json::Value,
    pub attendant_share_bps: i32,
    pub daily_target: Option<i64>,
}

/// Inserts a zone with its first version, in one transaction.
pub fn insert_zone(
    conn: &mut PgConnection,
    zone: &NewZone,
    version: &NewZoneVersion,
) -> QueryResult<(Zone, Vec<ZoneVersion>)> {
    conn.transaction(|conn| {
        let created: Zone = diesel::insert_into(zones::table)
            .values((
                zones::code.eq(zone.code),
                zones::name.eq(zone.name),
                zones::district.eq(zone.district),
                zones::merchant_account_id.eq(zone.merchant_account_id),
            ))
            .returning(Zone::as_returning())
            .get_result(conn)?;
        insert_version(conn, created.id, version)?;
        let versions = versions_of(conn, created.id)?;
        Ok((created, versions))
    })
}

pub fn insert_version(
    conn: &mut PgConnection,
    zone_id: i64,
    version: &NewZoneVersion,
) -> QueryResult<ZoneVersion> {
    diesel::insert_into(zone_versions::table)
        .values((
            zone_versions::zone_id.eq(zone_id),
            zone_versions::effective_from.eq(version.effective_from),
            zone_versions::tariffs.eq(&version.tariffs),
            zone_versions::attendant_share_bps.eq(version.attendant_share_bps),
            zone_versions::daily_target.eq(version.daily_target),
        ))
        .returning(ZoneVersion::as_returning())
        .get_result(conn)
}

pub fn find_zone(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Zone>> {
    zones::table
        .find(id)
        .select(Zone::as_select())
        .first(conn)
        .optional()
}

pub fn list_zones(conn: &mut PgConnection, after: i64, limit: i64) -> QueryResult<Vec<Zone>> {
    zones::table
        .filter(zones::id.gt(after))
        .order(zones::id)
        .limit(limit)
        .select(Zone::as_select())
        .load(conn)
}

/// All versions of a zone, oldest first.
pub fn versions_of(conn: &mut PgConnection, zone_id: i64) -> QueryResult<Vec<ZoneVersion>> {
    zone_versions::table
        .filter(zone_versions::zone_id.eq(zone_id))
        .order(zone_versions::effective_from)
        .select(ZoneVersion::as_select())
        .load(conn)
}

/// The version in force at `at` (the rule is `parkir_version_in_force` in `db/attribute.sql`).
pub fn version_at(
    conn: &mut PgConnection,
    zone_id: i64,
    at: DateTime<Utc>,
) -> QueryResult<Option<ZoneVersion>> {
    zone_versions::table
        .filter(
            zone_versions::id
                .nullable()
                .eq(super::parkir_version_id_at(zone_id, at)),
        )
        .select(ZoneVersion::as_select())
        .first(conn)
        .optional()
}

#[derive(AsChangeset, Default)]
#[diesel(table_name = zones)]
pub struct ZoneChanges {
    pub name: Option<String>,
    pub district: Option<String>,
    pub merchant_account_id: Option<i64>,
}

pub fn update_zone(conn: &mut PgConnection, id: i64, changes: &ZoneChanges) -> QueryResult<Zone> {
    diesel::update(zones::table.find(id))
        .set((changes, zones::updated_at.eq(diesel::dsl::now)))
        .returning(Zone::as_returning())
        .get_result(conn)
}

pub fn find_merchant_account_by_nmid(
    conn: &mut PgConnection,
    nmid: &str,
) -> QueryResult<Option<MerchantAccount>> {
    merchant_accounts::table
        .filter(merchant_accounts::nmid.eq(nmid))
        .select(MerchantAccount::as_select())
        .first(conn)
        .optional()
}

pub fn find_zone_by_code(conn: &mut PgConnection, code: &str) -> QueryResult<Option<Zone>> {
    zones::table
        .filter(zones::code.eq(code))
        .select(Zone::as_select())
        .first(conn)
        .optional()
}

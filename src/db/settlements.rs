//! Settlement files and their rows as stored; the import itself is `services::settlements`.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::recording::attribute;
use super::schema::{merchant_accounts, payments, settlement_rows, settlements, spots};
use crate::domain::business_date;
use crate::domain::{PaymentStatus, Rupiah};
use crate::reconcile::settlement::{Held, RowStatus, SettlementLine};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = settlements)]
pub struct Settlement {
    pub id: i64,
    pub file_hash: String,
    pub imported_at: DateTime<Utc>,
    pub imported_by: String,
    pub row_count: i32,
    pub counts: serde_json::Value,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = settlement_rows)]
pub struct SettlementRow {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub settlement_id: i64,
    /// The file's line; absent for UNSETTLED rows (payments the file lacks).
    pub line: Option<i32>,
    pub reference: String,
    pub paid_at: Option<DateTime<Utc>>,
    #[schema(value_type = Option<i64>)]
    pub amount: Option<Rupiah>,
    #[schema(value_type = Option<i64>)]
    pub fee: Option<Rupiah>,
    #[schema(value_type = Option<i64>)]
    pub net: Option<Rupiah>,
    pub terminal_id: Option<String>,
    pub nmid: Option<String>,
    #[schema(value_type = String)]
    pub status: RowStatus,
    pub payment_id: Option<i64>,
    pub detail: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = settlement_rows)]
pub struct NewRow<'a> {
    pub settlement_id: i64,
    pub line: Option<i32>,
    pub reference: &'a str,
    pub paid_at: Option<DateTime<Utc>>,
    pub amount: Option<i64>,
    pub fee: Option<i64>,
    pub net: Option<i64>,
    pub terminal_id: Option<&'a str>,
    pub nmid: Option<&'a str>,
    pub status: RowStatus,
    pub payment_id: Option<i64>,
    pub detail: Option<String>,
}

pub fn find_settlement(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Settlement>> {
    settlements::table
        .find(id)
        .select(Settlement::as_select())
        .first(conn)
        .optional()
}

pub fn rows_of(conn: &mut PgConnection, id: i64) -> QueryResult<Vec<SettlementRow>> {
    settlement_rows::table
        .filter(settlement_rows::settlement_id.eq(id))
        .order(settlement_rows::id)
        .select(SettlementRow::as_select())
        .load(conn)
}

/// Payment ids some earlier file already settled (MATCHED or created as MISSING_CALLBACK).
fn already_settled(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<HashSet<i64>> {
    Ok(settlement_rows::table
        .filter(settlement_rows::payment_id.eq_any(ids))
        .filter(settlement_rows::status.eq_any(["MATCHED", "MISSING_CALLBACK"]))
        .select(settlement_rows::payment_id)
        .load::<Option<i64>>(conn)?
        .into_iter()
        .flatten()
        .collect())
}

/// Whether a terminal id or NMID names one of our spots or merchant accounts.
pub fn merchant_known(
    conn: &mut PgConnection,
    terminal: Option<&str>,
    nmid: Option<&str>,
) -> QueryResult<bool> {
    if let Some(t) = terminal {
        let found: bool = diesel::select(diesel::dsl::exists(
            spots::table.filter(spots::terminal_id.eq(t)),
        ))
        .get_result(conn)?;
        if found {
            return Ok(true);
        }
    }
    if let Some(n) = nmid {
        let account: bool = diesel::select(diesel::dsl::exists(
            merchant_accounts::table.filter(merchant_accounts::nmid.eq(n)),
        ))
        .get_result(conn)?;
        let spot: bool =
            diesel::select(diesel::dsl::exists(spots::table.filter(spots::nmid.eq(n))))
                .get_result(conn)?;
        return Ok(account || spot);
    }
    Ok(false)
}

/// A non-cash payment of a covered day that the file did not list.
#[derive(Queryable)]
pub struct Unlisted {
    pub payment_id: i64,
    pub gateway_txn_id: String,
    pub amount: i64,
    pub paid_at: DateTime<Utc>,
    pub terminal_id: Option<String>,
}

/// Starts the import of a file: its id, or `None` when these bytes were imported before.
pub fn create(
    conn: &mut PgConnection,
    file_hash: &str,
    imported_by: &str,
) -> QueryResult<Option<i64>> {
    diesel::insert_into(settlements::table)
        .values((
            settlements::file_hash.eq(file_hash),
            settlements::imported_by.eq(imported_by),
            settlements::row_count.eq(0),
            settlements::counts.eq(serde_json::json!({})),
        ))
        .on_conflict((settlements::city_id, settlements::file_hash))
        .do_nothing()
        .returning(settlements::id)
        .get_result(conn)
        .optional()
}

pub fn find_by_hash(conn: &mut PgConnection, file_hash: &str) -> QueryResult<Settlement> {
    settlements::table
        .filter(settlements::file_hash.eq(file_hash))
        .select(Settlement::as_select())
        .first(conn)
}

/// The non-cash payment Parkir holds under a reference (its transaction id or RRN), first
/// recorded first.
pub fn held(conn: &mut PgConnection, reference: &str) -> QueryResult<Option<Held>> {
    let found: Option<(i64, i64, PaymentStatus)> = payments::table
        .filter(payments::source.ne("cash"))
        .filter(
            payments::gateway_txn_id
                .eq(reference)
                .or(payments::rrn.eq(reference)),
        )
        .order(payments::id)
        .select((payments::id, payments::amount, payments::status))
        .first(conn)
        .optional()?;
    let Some((payment_id, amount, status)) = found else {
        return Ok(None);
    };
    Ok(Some(Held {
        payment_id,
        amount,
        status,
        settled_before: !already_settled(conn, &[payment_id])?.is_empty(),
    }))
}

/// The bank's fee on a settled payment.
pub fn record_fee(conn: &mut PgConnection, payment_id: i64, fee: i64) -> QueryResult<()> {
    diesel::update(payments::table.find(payment_id))
        .set((
            payments::fee.eq(fee),
            payments::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .map(drop)
}

/// A payment no callback told us of, made from the file's line and attributed like a
/// callback's (`source` settlement).
pub fn insert_payment_of_line(
    conn: &mut PgConnection,
    l: &SettlementLine,
    tz: Tz,
) -> QueryResult<i64> {
    let a = attribute(
        conn,
        None,
        l.terminal_id.as_deref(),
        l.amount,
        l.paid_at,
        tz,
    )?;
    diesel::insert_into(payments::table)
        .values((
            payments::gateway.eq("settlement"),
            payments::gateway_txn_id.eq(&l.reference),
            payments::source.eq("settlement"),
            payments::terminal_id.eq(&l.terminal_id),
            payments::amount.eq(l.amount),
            payments::fee.eq(l.fee),
            payments::paid_at.eq(l.paid_at),
            payments::business_date.eq(business_date(l.paid_at, tz)),
            payments::status.eq("paid"),
            payments::spot_id.eq(a.spot_id),
            payments::attendant_id.eq(a.attendant_id),
            payments::zone_version_id.eq(a.zone_version_id),
            payments::attendant_share_bps.eq(a.attendant_share_bps),
            payments::vehicle_class.eq(&a.vehicle_class),
            payments::flags.eq(a.flags.iter().cloned().map(Some).collect::<Vec<_>>()),
        ))
        .returning(payments::id)
        .get_result(conn)
}

/// One row of an import: a line of the file, or an UNSETTLED payment (no line).
pub fn insert_row(conn: &mut PgConnection, row: &NewRow) -> QueryResult<()> {
    diesel::insert_into(settlement_rows::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Paid non-cash payments of `dates` that neither this file (`listed`) nor an earlier one
/// settled, oldest first.
pub fn unlisted(
    conn: &mut PgConnection,
    dates: &[NaiveDate],
    listed: &HashSet<i64>,
) -> QueryResult<Vec<Unlisted>> {
    let candidates: Vec<Unlisted> = payments::table
        .filter(payments::business_date.eq_any(dates))
        .filter(payments::status.eq("paid"))
        .filter(payments::source.ne("cash"))
        .order(payments::id)
        .select((
            payments::id,
            payments::gateway_txn_id,
            payments::amount,
            payments::paid_at,
            payments::terminal_id,
        ))
        .load(conn)?;
    let ids: Vec<i64> = candidates.iter().map(|c| c.payment_id).collect();
    let settled_before = already_settled(conn, &ids)?;
    Ok(candidates
        .into_iter()
        .filter(|c| !listed.contains(&c.payment_id) && !settled_before.contains(&c.payment_id))
        .collect())
}

/// Ends an import: its row count and the count of each status.
pub fn finish(
    conn: &mut PgConnection,
    id: i64,
    rows: i32,
    counts: serde_json::Value,
) -> QueryResult<Settlement> {
    diesel::update(settlements::table.find(id))
        .set((
            settlements::row_count.eq(rows),
            settlements::counts.eq(counts),
        ))
        .returning(Settlement::as_returning())
        .get_result(conn)
}

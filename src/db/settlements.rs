//! Importing a settlement file: one transaction, idempotent on the file's bytes.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::recording::attribute;
use super::schema::{merchant_accounts, payments, settlement_rows, settlements, spots};
use crate::domain::business_date;
use crate::error::ApiError;
use crate::reconcile::settlement::{RowStatus, SettlementLine};

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
    pub amount: Option<i64>,
    pub fee: Option<i64>,
    pub net: Option<i64>,
    pub terminal_id: Option<String>,
    pub nmid: Option<String>,
    pub status: String,
    pub payment_id: Option<i64>,
    pub detail: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = settlement_rows)]
struct NewRow<'a> {
    settlement_id: i64,
    line: Option<i32>,
    reference: &'a str,
    paid_at: Option<DateTime<Utc>>,
    amount: Option<i64>,
    fee: Option<i64>,
    net: Option<i64>,
    terminal_id: Option<&'a str>,
    nmid: Option<&'a str>,
    status: &'a str,
    payment_id: Option<i64>,
    detail: Option<String>,
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
fn merchant_known(
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

/// A payment the file might have listed: id, txn id, amount, instant, terminal.
type Candidate = (i64, String, i64, DateTime<Utc>, Option<String>);

/// The outcome of an import: new, or the earlier import of the same bytes.
pub struct Imported {
    pub settlement: Settlement,
    pub first_time: bool,
}

/// Imports parsed lines in one transaction. The same bytes (`file_hash`) return the first
/// import and change nothing.
pub fn import(
    conn: &mut PgConnection,
    file_hash: &str,
    imported_by: &str,
    lines: &[SettlementLine],
    tz: Tz,
) -> Result<Imported, ApiError> {
    conn.transaction(|conn| {
        let created: Option<i64> = diesel::insert_into(settlements::table)
            .values((
                settlements::file_hash.eq(file_hash),
                settlements::imported_by.eq(imported_by),
                settlements::row_count.eq(0),
                settlements::counts.eq(serde_json::json!({})),
            ))
            .on_conflict(settlements::file_hash)
            .do_nothing()
            .returning(settlements::id)
            .get_result(conn)
            .optional()?;
        let Some(id) = created else {
            let settlement = settlements::table
                .filter(settlements::file_hash.eq(file_hash))
                .select(Settlement::as_select())
                .first(conn)?;
            return Ok(Imported {
                settlement,
                first_time: false,
            });
        };

        let mut counts: BTreeMap<RowStatus, i64> = RowStatus::ALL.iter().map(|s| (*s, 0)).collect();
        // Payments this file creates are written under their dates' shared lock (see close).
        let dates: Vec<NaiveDate> = lines.iter().map(|l| business_date(l.paid_at, tz)).collect();
        super::day_locks::lock_dates_shared(conn, &dates)?;
        let mut seen: HashSet<&str> = HashSet::new();
        let mut in_file: HashSet<i64> = HashSet::new();
        let covered: BTreeSet<NaiveDate> =
            lines.iter().map(|l| business_date(l.paid_at, tz)).collect();
        let mut rows = 0;
        for l in lines {
            let (status, payment_id, detail) = match_line(conn, l, &mut seen, tz)?;
            if let Some(p) = payment_id {
                in_file.insert(p);
            }
            *counts.entry(status).or_default() += 1;
            rows += 1;
            diesel::insert_into(settlement_rows::table)
                .values(NewRow {
                    settlement_id: id,
                    line: Some(l.line),
                    reference: &l.reference,
                    paid_at: Some(l.paid_at),
                    amount: Some(l.amount),
                    fee: l.fee,
                    net: l.net,
                    terminal_id: l.terminal_id.as_deref(),
                    nmid: l.nmid.as_deref(),
                    status: status.as_str(),
                    payment_id,
                    detail,
                })
                .execute(conn)?;
        }
        // Non-cash payments of the covered days that the file does not list.
        let candidates: Vec<Candidate> = payments::table
            .filter(payments::business_date.eq_any(covered.iter().copied().collect::<Vec<_>>()))
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
        let ids: Vec<i64> = candidates.iter().map(|c| c.0).collect();
        let settled_before = already_settled(conn, &ids)?;
        for (pid, txn, amount, paid_at, terminal) in candidates {
            if in_file.contains(&pid) || settled_before.contains(&pid) {
                continue;
            }
            *counts.entry(RowStatus::UNSETTLED).or_default() += 1;
            rows += 1;
            diesel::insert_into(settlement_rows::table)
                .values(NewRow {
                    settlement_id: id,
                    line: None,
                    reference: &txn,
                    paid_at: Some(paid_at),
                    amount: Some(amount),
                    fee: None,
                    net: None,
                    terminal_id: terminal.as_deref(),
                    nmid: None,
                    status: RowStatus::UNSETTLED.as_str(),
                    payment_id: Some(pid),
                    detail: Some("in Parkir, not in the file".into()),
                })
                .execute(conn)?;
        }
        let counts_json: serde_json::Map<String, serde_json::Value> = counts
            .into_iter()
            .map(|(s, n)| (s.as_str().to_owned(), n.into()))
            .collect();
        let settlement = diesel::update(settlements::table.find(id))
            .set((
                settlements::row_count.eq(rows),
                settlements::counts.eq(serde_json::Value::Object(counts_json)),
            ))
            .returning(Settlement::as_returning())
            .get_result(conn)?;
        Ok(Imported {
            settlement,
            first_time: true,
        })
    })
}

fn match_line<'a>(
    conn: &mut PgConnection,
    l: &'a SettlementLine,
    seen: &mut HashSet<&'a str>,
    tz: Tz,
) -> Result<(RowStatus, Option<i64>, Option<String>), ApiError> {
    if !seen.insert(&l.reference) {
        return Ok((
            RowStatus::DUPLICATE,
            None,
            Some("the reference appears earlier in this file".into()),
        ));
    }
    let found: Option<(i64, i64, String)> = payments::table
        .filter(payments::source.ne("cash"))
        .filter(
            payments::gateway_txn_id
                .eq(&l.reference)
                .or(payments::rrn.eq(&l.reference)),
        )
        .order(payments::id)
        .select((payments::id, payments::amount, payments::status))
        .first(conn)
        .optional()?;
    if let Some((pid, amount, status)) = found {
        if !already_settled(conn, &[pid])?.is_empty() {
            return Ok((
                RowStatus::DUPLICATE,
                Some(pid),
                Some("settled by an earlier file".into()),
            ));
        }
        if amount != l.amount {
            return Ok((
                RowStatus::AMOUNT_MISMATCH,
                Some(pid),
                Some(format!(
                    "the file says {}, Parkir recorded {amount}",
                    l.amount
                )),
            ));
        }
        if status != "paid" {
            return Ok((
                RowStatus::STATUS_MISMATCH,
                Some(pid),
                Some(format!("the bank settled it; Parkir holds it as {status}")),
            ));
        }
        if let Some(fee) = l.fee {
            diesel::update(payments::table.find(pid))
                .set((
                    payments::fee.eq(fee),
                    payments::updated_at.eq(diesel::dsl::now),
                ))
                .execute(conn)?;
        }
        return Ok((RowStatus::MATCHED, Some(pid), None));
    }
    if !merchant_known(conn, l.terminal_id.as_deref(), l.nmid.as_deref())? {
        return Ok((
            RowStatus::UNKNOWN_MERCHANT,
            None,
            Some("neither terminal_id nor nmid is ours".into()),
        ));
    }
    // The bank saw a payment to us that no callback told us of: it becomes a payment now.
    let a = attribute(
        conn,
        None,
        l.terminal_id.as_deref(),
        l.amount,
        l.paid_at,
        tz,
    )?;
    let date = business_date(l.paid_at, tz);
    let pid: i64 = diesel::insert_into(payments::table)
        .values((
            payments::gateway.eq("settlement"),
            payments::gateway_txn_id.eq(&l.reference),
            payments::source.eq("settlement"),
            payments::terminal_id.eq(&l.terminal_id),
            payments::amount.eq(l.amount),
            payments::fee.eq(l.fee),
            payments::paid_at.eq(l.paid_at),
            payments::business_date.eq(date),
            payments::status.eq("paid"),
            payments::spot_id.eq(a.spot_id),
            payments::attendant_id.eq(a.attendant_id),
            payments::zone_version_id.eq(a.zone_version_id),
            payments::attendant_share_bps.eq(a.attendant_share_bps),
            payments::vehicle_class.eq(&a.vehicle_class),
            payments::flags.eq(a.flags.iter().cloned().map(Some).collect::<Vec<_>>()),
        ))
        .returning(payments::id)
        .get_result(conn)?;
    Ok((
        RowStatus::MISSING_CALLBACK,
        Some(pid),
        Some("no callback was received; recorded from the file".into()),
    ))
}

//! Importing the bank's settlement file (SPEC §8): parsed whole before anything is written,
//! then every line judged against what Parkir holds (`reconcile::settlement::judge`) and the
//! covered days' unlisted payments added as UNSETTLED, all in one transaction. The same bytes
//! again return the first import and change nothing.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::NaiveDate;
use chrono_tz::Tz;
use diesel::{Connection, PgConnection};
use sha2::{Digest, Sha256};

use crate::db::day_locks;
use crate::db::settlements::{self as repo, NewRow, Settlement, SettlementRow};
use crate::domain::business_date;
use crate::error::ApiError;
use crate::reconcile::settlement::{RowStatus, SettlementLine, judge, parse};
use crate::state::AppState;

/// The outcome of an import: new, or the earlier import of the same bytes.
pub struct Imported {
    pub settlement: Settlement,
    pub first_time: bool,
}

/// Imports a CSV settlement file for `imported_by`. A file that cannot be read is a 400 naming
/// its line and column, with nothing written.
pub async fn import(
    state: &AppState,
    bytes: &[u8],
    imported_by: String,
) -> Result<Imported, ApiError> {
    let tz = state.timezone();
    let lines = parse(bytes, tz)
        .map_err(|e| ApiError::invalid(format!("line {}: {}", e.line, e.column), e.message))?;
    let hash = hex::encode(Sha256::digest(bytes));
    super::run(&state.pool, move |conn| {
        Ok(import_lines(conn, &hash, &imported_by, &lines, tz)?)
    })
    .await
}

/// A stored import and its rows.
pub async fn find(state: &AppState, id: i64) -> Result<(Settlement, Vec<SettlementRow>), ApiError> {
    super::run(&state.pool, move |conn| {
        let s = repo::find_settlement(conn, id)?
            .ok_or_else(|| ApiError::NotFound(format!("settlement {id} does not exist")))?;
        Ok((s, repo::rows_of(conn, id)?))
    })
    .await
}

fn import_lines(
    conn: &mut PgConnection,
    file_hash: &str,
    imported_by: &str,
    lines: &[SettlementLine],
    tz: Tz,
) -> diesel::QueryResult<Imported> {
    conn.transaction(|conn| {
        let imported_by = crate::db::users::actor_name(conn, imported_by)?;
        let Some(id) = repo::create(conn, file_hash, &imported_by)? else {
            return Ok(Imported {
                settlement: repo::find_by_hash(conn, file_hash)?,
                first_time: false,
            });
        };
        let mut counts: BTreeMap<RowStatus, i64> = RowStatus::ALL.iter().map(|s| (*s, 0)).collect();
        // Payments this file creates are written under their dates' shared lock (see close).
        let dates: Vec<NaiveDate> = lines.iter().map(|l| business_date(l.paid_at, tz)).collect();
        day_locks::lock_dates_shared(conn, &dates)?;
        let covered: Vec<NaiveDate> = dates
            .iter()
            .copied()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut listed: HashSet<i64> = HashSet::new();
        let mut rows = 0;
        for l in lines {
            let repeated = !seen.insert(&l.reference);
            let held = if repeated {
                None
            } else {
                repo::held(conn, &l.reference)?
            };
            let ours = !repeated
                && held.is_none()
                && repo::merchant_known(conn, l.terminal_id.as_deref(), l.nmid.as_deref())?;
            let mut verdict = judge(l, repeated, held.as_ref(), ours);
            match verdict.status {
                RowStatus::MATCHED => {
                    if let (Some(pid), Some(fee)) = (verdict.payment_id, l.fee) {
                        repo::record_fee(conn, pid, fee)?;
                    }
                }
                // The bank saw a payment to us that no callback told us of: it becomes one now.
                RowStatus::MISSING_CALLBACK => {
                    verdict.payment_id = Some(repo::insert_payment_of_line(conn, l, tz)?);
                }
                _ => {}
            }
            listed.extend(verdict.payment_id);
            *counts.entry(verdict.status).or_default() += 1;
            rows += 1;
            repo::insert_row(
                conn,
                &NewRow {
                    settlement_id: id,
                    line: Some(l.line),
                    reference: &l.reference,
                    paid_at: Some(l.paid_at),
                    amount: Some(l.amount),
                    fee: l.fee,
                    net: l.net,
                    terminal_id: l.terminal_id.as_deref(),
                    nmid: l.nmid.as_deref(),
                    status: verdict.status,
                    payment_id: verdict.payment_id,
                    detail: verdict.detail,
                },
            )?;
        }
        // Non-cash payments of the covered days that the file does not list.
        for p in repo::unlisted(conn, &covered, &listed)? {
            *counts.entry(RowStatus::UNSETTLED).or_default() += 1;
            rows += 1;
            repo::insert_row(
                conn,
                &NewRow {
                    settlement_id: id,
                    line: None,
                    reference: &p.gateway_txn_id,
                    paid_at: Some(p.paid_at),
                    amount: Some(p.amount),
                    fee: None,
                    net: None,
                    terminal_id: p.terminal_id.as_deref(),
                    nmid: None,
                    status: RowStatus::UNSETTLED,
                    payment_id: Some(p.payment_id),
                    detail: Some("in Parkir, not in the file".into()),
                },
            )?;
        }
        let counts = counts
            .into_iter()
            .map(|(s, n)| (s.as_str().to_owned(), n.into()))
            .collect();
        Ok(Imported {
            settlement: repo::finish(conn, id, rows, serde_json::Value::Object(counts))?,
            first_time: true,
        })
    })
}

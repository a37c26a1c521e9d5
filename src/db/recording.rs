//! Recording a verified notification exactly once, in one transaction: attribution, the
//! payment (insert or forward move), the charge it pays and the inbox row — so an acknowledged
//! callback is always committed, and a repeat is a no-op. New callbacks go through one batch
//! statement ([`record_fresh_batch`], the one copy of the insert); what it leaves takes the
//! locked path ([`record_locked`]). `db::recorder` decides which, batch by batch.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use serde::Serialize;

use super::payments::Payment;
use super::schema::{callbacks, charges, payments};
use crate::domain::PaymentFlag;
use crate::domain::business_date;
use crate::domain::payment::{Transition, transition};
use crate::gateways::{GatewayName, Notification, PaymentStatus};

/// Who and what a payment is credited to, worked out from what the gateway sent.
#[derive(Clone, Debug, Default)]
pub struct Attribution {
    pub spot_id: Option<i64>,
    pub attendant_id: Option<i64>,
    pub charge_id: Option<i64>,
    /// The charge's amount equals the payment's: the charge is paid by it.
    pub pays_charge: bool,
    pub zone_version_id: Option<i64>,
    pub attendant_share_bps: Option<i32>,
    pub vehicle_class: Option<String>,
    pub flags: Vec<String>,
}

#[derive(QueryableByName)]
struct AttributionRow {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Int8>)]
    spot_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Int8>)]
    attendant_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Int8>)]
    charge_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pays_charge: bool,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Int8>)]
    zone_version_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Int4>)]
    attendant_share_bps: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    vehicle_class: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Nullable<diesel::sql_types::Text>>)]
    flags: Vec<Option<String>>,
}

/// Matching, in order: our charge reference (62/01) first, then the spot's terminal id; the
/// attendant is whoever's assignment covers the spot at `paid_at`; the zone version in force
/// at `paid_at` is frozen on the payment. A payment for a business day already closed is
/// flagged `late`: it is listed among that day's adjustments and never changes the frozen
/// rows. The rules live in one place, the `parkir_attribute` function of `db/attribute.sql`
/// (reapplied at every start; migration `record_functions` holds a superseded first copy),
/// which the batch statement of new callbacks uses too; one round trip.
pub fn attribute(
    conn: &mut PgConnection,
    reference: Option<&str>,
    terminal_id: Option<&str>,
    amount: i64,
    paid_at: DateTime<Utc>,
    tz: Tz,
) -> QueryResult<Attribution> {
    use diesel::sql_types::{Date, Int8, Nullable, Text, Timestamptz};
    let row: AttributionRow =
        diesel::sql_query("SELECT * FROM parkir_attribute($1, $2, $3, $4, $5)")
            .bind::<Nullable<Text>, _>(reference)
            .bind::<Nullable<Text>, _>(terminal_id)
            .bind::<Int8, _>(amount)
            .bind::<Timestamptz, _>(paid_at)
            .bind::<Date, _>(business_date(paid_at, tz))
            .get_result(conn)?;
    Ok(Attribution {
        spot_id: row.spot_id,
        attendant_id: row.attendant_id,
        charge_id: row.charge_id,
        pays_charge: row.pays_charge,
        zone_version_id: row.zone_version_id,
        attendant_share_bps: row.attendant_share_bps,
        vehicle_class: row.vehicle_class,
        flags: row.flags.into_iter().flatten().collect(),
    })
}

/// The request as it arrived, for the inbox: the allowed headers and the body as stored (its
/// signature redacted), with the SHA-256 of the body's original bytes.
pub struct InboxEntry {
    pub gateway: String,
    pub headers: serde_json::Value,
    pub body: Vec<u8>,
    /// Lower-case hex SHA-256 of the bytes as they arrived (what a duplicate keeps).
    pub body_sha256: String,
}

fn insert_inbox(
    conn: &mut PgConnection,
    inbox: &InboxEntry,
    verdict: &str,
    reason: Option<&str>,
    http_status: i32,
    txn: Option<(&str, &str)>,
    payment_id: Option<i64>,
) -> QueryResult<i64> {
    // A duplicate keeps only the hash of its body (SPEC §10): replays cannot fill the disk.
    let (body, body_sha256) = if verdict == Verdict::Duplicate.as_str() {
        (&[][..], Some(inbox.body_sha256.as_str()))
    } else {
        (&inbox.body[..], None)
    };
    diesel::insert_into(callbacks::table)
        .values((
            callbacks::gateway.eq(&inbox.gateway),
            callbacks::headers.eq(&inbox.headers),
            callbacks::body.eq(body),
            callbacks::body_sha256.eq(body_sha256),
            callbacks::verdict.eq(verdict),
            callbacks::reason.eq(reason),
            callbacks::http_status.eq(http_status),
            callbacks::gateway_txn_id.eq(txn.map(|t| t.0)),
            callbacks::reported_status.eq(txn.map(|t| t.1)),
            callbacks::payment_id.eq(payment_id),
        ))
        .returning(callbacks::id)
        .get_result(conn)
}

/// What a notification did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// A new payment.
    Accepted,
    /// The same status again: nothing changed.
    Duplicate,
    /// A forward status move was applied.
    Updated,
    /// A backward move: stored, flagged, not applied.
    Regression,
}

impl Verdict {
    fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Duplicate => "duplicate",
            Self::Updated => "updated",
            Self::Regression => "regression",
        }
    }
}

/// The charge a paid payment settles becomes paid (once, at the payment instant).
fn settle_charge(
    conn: &mut PgConnection,
    a: &Attribution,
    paid_at: DateTime<Utc>,
) -> QueryResult<()> {
    if let (Some(charge_id), true) = (a.charge_id, a.pays_charge) {
        diesel::update(
            charges::table
                .find(charge_id)
                .filter(charges::paid_at.is_null()),
        )
        .set(charges::paid_at.eq(paid_at))
        .execute(conn)?;
    }
    Ok(())
}

fn flags_column(flags: &[String]) -> Vec<Option<String>> {
    flags.iter().cloned().map(Some).collect()
}

/// What recording one notification came to.
pub enum Recorded {
    /// Stored, with its verdict and the payment's id.
    Done(Verdict, i64),
    /// Authentic but refused (a Midtrans order already bound to another transaction): stored
    /// in the inbox as rejected, no payment touched.
    Refused(String),
}

/// Records one verified notification exactly once, under lock: a transaction a settlement
/// file brought first (by its id or its RRN) is a duplicate of it; a known one moves forward
/// or is flagged; a new one is inserted by the batch statement as a batch of one. A Midtrans
/// `order_id` is bound to the first transaction recorded for it: checked here under the
/// order's lock, and held by a partial unique index.
pub fn record_locked(
    conn: &mut PgConnection,
    n: &Notification,
    inbox: &InboxEntry,
    tz: Tz,
) -> QueryResult<Recorded> {
    conn.transaction(|conn| {
        let mut dates = vec![business_date(n.paid_at, tz)];
        dates.extend(stored_date(conn, n)?);
        super::day_locks::lock_dates_shared(conn, &dates)?;
        if let (GatewayName::Midtrans, Some(order)) = (n.gateway, &n.reference) {
            diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind::<diesel::sql_types::Text, _>(format!("midtrans-order:{order}"))
                .execute(conn)?;
            if let Some(bound) = midtrans_order_bound_to(conn, order, &n.txn_id)? {
                let reason = format!(
                    "order_id {order} is bound to transaction {bound}; a notification pairing it \
                     with another transaction_id is refused"
                );
                insert_inbox(
                    conn,
                    inbox,
                    "rejected",
                    Some(&reason),
                    400,
                    Some((&n.txn_id, &n.reported_status)),
                    None,
                )?;
                return Ok(Recorded::Refused(reason));
            }
        }
        // A payment first learnt of from the bank's settlement file is the same money.
        let (verdict, payment_id, reason) =
            match settled_from_file(conn, &n.txn_id, n.rrn.as_deref())? {
                Some(known) => (
                    Verdict::Duplicate,
                    known.id,
                    Some("already recorded from a settlement file"),
                ),
                None => {
                    // New, or an exact repeat: the batch statement settles it as a batch of one.
                    if let Some(Some((verdict, id))) =
                        record_fresh_batch(conn, &[(n, inbox)], tz)?.pop()
                    {
                        return Ok(Recorded::Done(verdict, id));
                    }
                    let (verdict, payment) = apply_repeat(conn, n, tz)?;
                    (verdict, payment.id, None)
                }
            };
        insert_inbox(
            conn,
            inbox,
            verdict.as_str(),
            reason,
            200,
            Some((&n.txn_id, &n.reported_status)),
            Some(payment_id),
        )?;
        Ok(Recorded::Done(verdict, payment_id))
    })
}

/// The business date of the stored payment of this transaction, if there is one.
fn stored_date(conn: &mut PgConnection, n: &Notification) -> QueryResult<Option<NaiveDate>> {
    payments::table
        .filter(payments::gateway.eq(n.gateway.as_str()))
        .filter(payments::gateway_txn_id.eq(&n.txn_id))
        .select(payments::business_date)
        .first(conn)
        .optional()
}

/// The transaction a Midtrans `order_id` is already bound to, when it is not `txn_id`.
fn midtrans_order_bound_to(
    conn: &mut PgConnection,
    order: &str,
    txn_id: &str,
) -> QueryResult<Option<String>> {
    payments::table
        .filter(payments::gateway.eq(GatewayName::Midtrans.as_str()))
        .filter(payments::reference.eq(order))
        .filter(payments::gateway_txn_id.ne(txn_id))
        .select(payments::gateway_txn_id)
        .first(conn)
        .optional()
}

/// A batch of callbacks recorded by one statement: new transactions attributed by
/// `parkir_attribute`, their payments inserted (insert or nothing on (gateway, txn id); within
/// the batch the first of a repeated transaction wins), their inbox rows and the charges they
/// pay; exact repeats of a stored status get their `duplicate` inbox row. The result says, per
/// item, the verdict and payment id, or `None` for those the locked path must take (status
/// moves, regressions, in-batch repeats, transactions a settlement file brought, Midtrans
/// orders bound to another transaction).
///
/// This statement stays in SQL for speed (one round trip per batch) and is the only copy of
/// the insert: its Rust twin is [`record_locked`], which sends a new or repeated callback
/// through this same statement as a batch of one and handles in Rust only what the statement
/// leaves (`apply_repeat`: a status that moves or regresses; a settlement file's payment; a
/// Midtrans order bound to another transaction).
const RECORD_BATCH_SQL: &str = "
    WITH i AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[],
                             $6::timestamptz[], $7::date[], $8::text[], $9::text[], $10::text[],
                             $11::jsonb[], $12::bytea[], $13::text[])
            WITH ORDINALITY AS i(gateway, txn, reference, terminal, amount, paid_at, bdate,
                                 status, rrn, reported, headers, body, body_sha256, ord)
    ), fresh AS (
        SELECT DISTINCT ON (i.gateway, i.txn) i.* FROM i
        WHERE NOT EXISTS (SELECT 1 FROM payments s
                          WHERE s.gateway = 'settlement'
                            AND (s.gateway_txn_id = i.txn OR s.gateway_txn_id = i.rrn))
          -- A Midtrans order already bound to another transaction is the locked path's to
          -- refuse (a race between batches meets the partial unique index instead).
          AND NOT EXISTS (SELECT 1 FROM payments m
                          WHERE i.gateway = 'midtrans' AND m.gateway = 'midtrans'
                            AND m.reference = i.reference AND m.gateway_txn_id <> i.txn)
        ORDER BY i.gateway, i.txn, i.ord
    ), a AS (
        SELECT f.*, at.spot_id, at.attendant_id, at.charge_id, at.pays_charge,
               at.zone_version_id, at.attendant_share_bps, at.vehicle_class, at.flags
        FROM fresh f
        CROSS JOIN LATERAL parkir_attribute(f.reference, f.terminal, f.amount, f.paid_at, f.bdate) at
    ), p AS (
        INSERT INTO payments (gateway, gateway_txn_id, source, reference, terminal_id, amount,
                              paid_at, business_date, status, rrn, spot_id, attendant_id,
                              charge_id, zone_version_id, attendant_share_bps, vehicle_class, flags)
        SELECT gateway, txn, 'callback', reference, terminal, amount, paid_at, bdate, status, rrn,
               spot_id, attendant_id, charge_id, zone_version_id, attendant_share_bps,
               vehicle_class, flags
        FROM a ORDER BY ord
        ON CONFLICT (city_id, gateway, gateway_txn_id) DO NOTHING
        RETURNING id, gateway, gateway_txn_id
    ), done AS (
        SELECT a.*, p.id AS payment_id FROM p
        JOIN a ON a.gateway = p.gateway AND a.txn = p.gateway_txn_id
    ), inbox AS (
        INSERT INTO callbacks (gateway, headers, body, verdict, http_status, gateway_txn_id,
                               reported_status, payment_id)
        SELECT gateway, headers, body, 'accepted', 200, txn, reported, payment_id
        FROM done ORDER BY ord
    ), charge AS (
        UPDATE charges c SET paid_at = d.paid_at FROM done d
        WHERE c.id = d.charge_id AND c.paid_at IS NULL AND d.pays_charge AND d.status = 'paid'
    ), dup AS (
        -- Exact repeats of what is stored (same status): a no-op answered with success.
        SELECT i.ord, pay.id AS payment_id, i.gateway, i.txn, i.reported, i.headers, i.body_sha256
        FROM i JOIN payments pay
          ON pay.gateway = i.gateway AND pay.gateway_txn_id = i.txn AND pay.status = i.status
    ), dup_inbox AS (
        INSERT INTO callbacks (gateway, headers, body, body_sha256, verdict, http_status,
                               gateway_txn_id, reported_status, payment_id)
        SELECT gateway, headers, ''::bytea, body_sha256, 'duplicate', 200, txn,
               reported, payment_id
        FROM dup ORDER BY ord
    )
    SELECT ord::bigint AS ord, payment_id, 'accepted' AS verdict FROM done
    UNION ALL
    SELECT ord::bigint, payment_id, 'duplicate' FROM dup";

#[derive(QueryableByName)]
struct BatchResult {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    ord: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    payment_id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    verdict: String,
}

pub fn record_fresh_batch(
    conn: &mut PgConnection,
    batch: &[(&Notification, &InboxEntry)],
    tz: Tz,
) -> QueryResult<Vec<Option<(Verdict, i64)>>> {
    let dates: Vec<NaiveDate> = batch
        .iter()
        .map(|(n, _)| business_date(n.paid_at, tz))
        .collect();
    conn.transaction(|conn| {
        super::day_locks::lock_dates_shared(conn, &dates)?;
        record_batch_statement(conn, batch, tz)
    })
}

fn record_batch_statement(
    conn: &mut PgConnection,
    batch: &[(&Notification, &InboxEntry)],
    tz: Tz,
) -> QueryResult<Vec<Option<(Verdict, i64)>>> {
    use diesel::sql_types::{Array, Bytea, Date, Int8, Jsonb, Nullable, Text, Timestamptz};
    let col = |f: &dyn Fn(&Notification) -> Option<String>| -> Vec<Option<String>> {
        batch.iter().map(|(n, _)| f(n)).collect()
    };
    let rows: Vec<BatchResult> = diesel::sql_query(RECORD_BATCH_SQL)
        .bind::<Array<Text>, _>(
            batch
                .iter()
                .map(|(n, _)| n.gateway.as_str().to_owned())
                .collect::<Vec<_>>(),
        )
        .bind::<Array<Text>, _>(
            batch
                .iter()
                .map(|(n, _)| n.txn_id.clone())
                .collect::<Vec<_>>(),
        )
        .bind::<Array<Nullable<Text>>, _>(col(&|n| n.reference.clone()))
        .bind::<Array<Nullable<Text>>, _>(col(&|n| n.terminal_id.clone()))
        .bind::<Array<Int8>, _>(batch.iter().map(|(n, _)| n.amount.0).collect::<Vec<_>>())
        .bind::<Array<Timestamptz>, _>(batch.iter().map(|(n, _)| n.paid_at).collect::<Vec<_>>())
        .bind::<Array<Date>, _>(
            batch
                .iter()
                .map(|(n, _)| business_date(n.paid_at, tz))
                .collect::<Vec<_>>(),
        )
        .bind::<Array<Text>, _>(
            batch
                .iter()
                .map(|(n, _)| n.status.as_str().to_owned())
                .collect::<Vec<_>>(),
        )
        .bind::<Array<Nullable<Text>>, _>(col(&|n| n.rrn.clone()))
        .bind::<Array<Text>, _>(
            batch
                .iter()
                .map(|(n, _)| n.reported_status.clone())
                .collect::<Vec<_>>(),
        )
        .bind::<Array<Jsonb>, _>(
            batch
                .iter()
                .map(|(_, i)| i.headers.clone())
                .collect::<Vec<_>>(),
        )
        .bind::<Array<Bytea>, _>(
            batch
                .iter()
                .map(|(_, i)| i.body.clone())
                .collect::<Vec<_>>(),
        )
        .bind::<Array<Text>, _>(
            batch
                .iter()
                .map(|(_, i)| i.body_sha256.clone())
                .collect::<Vec<_>>(),
        )
        .load(conn)?;
    let mut out = vec![None; batch.len()];
    for r in rows {
        let verdict = if r.verdict == "accepted" {
            Verdict::Accepted
        } else {
            Verdict::Duplicate
        };
        if let Some(slot) = usize::try_from(r.ord - 1).ok().and_then(|i| out.get_mut(i)) {
            *slot = Some((verdict, r.payment_id));
        }
    }
    Ok(out)
}

/// A notification for a payment we already have: lock it, then move it forward or flag the
/// regression.
fn apply_repeat(
    conn: &mut PgConnection,
    n: &Notification,
    tz: Tz,
) -> QueryResult<(Verdict, Payment)> {
    let stored: Payment = payments::table
        .filter(payments::gateway.eq(n.gateway.as_str()))
        .filter(payments::gateway_txn_id.eq(&n.txn_id))
        .for_update()
        .select(Payment::as_select())
        .first(conn)?;
    let from = stored.status;
    match transition(from, n.status) {
        Transition::Same => Ok((Verdict::Duplicate, stored)),
        Transition::Regression => {
            let mut flags = stored.flag_list();
            if !PaymentFlag::StatusRegression.is_in(&flags) {
                flags.push(PaymentFlag::StatusRegression.as_str().into());
            }
            let updated = diesel::update(payments::table.find(stored.id))
                .set((
                    payments::flags.eq(flags_column(&flags)),
                    payments::updated_at.eq(diesel::dsl::now),
                ))
                .returning(Payment::as_returning())
                .get_result(conn)?;
            Ok((Verdict::Regression, updated))
        }
        Transition::Forward
            if from == PaymentStatus::Pending && n.status == PaymentStatus::Paid =>
        {
            // Paid now: the payment instant is the settlement's, so attribute again under it.
            let a = attribute(
                conn,
                n.reference.as_deref(),
                n.terminal_id.as_deref(),
                n.amount.0,
                n.paid_at,
                tz,
            )?;
            let updated = diesel::update(payments::table.find(stored.id))
                .set((
                    payments::status.eq(n.status.as_str()),
                    payments::paid_at.eq(n.paid_at),
                    payments::business_date.eq(business_date(n.paid_at, tz)),
                    payments::amount.eq(n.amount.0),
                    payments::spot_id.eq(a.spot_id),
                    payments::attendant_id.eq(a.attendant_id),
                    payments::charge_id.eq(a.charge_id),
                    payments::zone_version_id.eq(a.zone_version_id),
                    payments::attendant_share_bps.eq(a.attendant_share_bps),
                    payments::vehicle_class.eq(&a.vehicle_class),
                    payments::flags.eq(flags_column(&a.flags)),
                    payments::updated_at.eq(diesel::dsl::now),
                ))
                .returning(Payment::as_returning())
                .get_result(conn)?;
            settle_charge(conn, &a, n.paid_at)?;
            Ok((Verdict::Updated, updated))
        }
        Transition::Forward => {
            // A refund or reversal of a closed day is listed among that day's adjustments.
            let mut flags = stored.flag_list();
            if super::reconcile::is_closed(conn, stored.business_date)?
                && !PaymentFlag::Late.is_in(&flags)
            {
                flags.push(PaymentFlag::Late.as_str().into());
            }
            let updated = diesel::update(payments::table.find(stored.id))
                .set((
                    payments::status.eq(n.status.as_str()),
                    payments::flags.eq(flags_column(&flags)),
                    payments::updated_at.eq(diesel::dsl::now),
                ))
                .returning(Payment::as_returning())
                .get_result(conn)?;
            Ok((Verdict::Updated, updated))
        }
    }
}

/// The payment a settlement file created for this transaction: the file's reference is the
/// gateway transaction id or the RRN (SPEC §10: one payment per money movement).
fn settled_from_file(
    conn: &mut PgConnection,
    txn_id: &str,
    rrn: Option<&str>,
) -> QueryResult<Option<Payment>> {
    let references: Vec<&str> = std::iter::once(txn_id).chain(rrn).collect();
    payments::table
        .filter(payments::gateway.eq("settlement"))
        .filter(payments::gateway_txn_id.eq_any(references))
        .order(payments::id)
        .select(Payment::as_select())
        .first(conn)
        .optional()
}

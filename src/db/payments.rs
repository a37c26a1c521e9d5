//! Payments and their callbacks as read back: the payment row, lists and look-ups, the
//! callbacks of a payment, and cash tickets. Recording a notification is `db::recording`.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

use super::schema::{callbacks, payments};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = payments)]
pub struct Payment {
    pub id: i64,
    pub gateway: String,
    pub gateway_txn_id: String,
    pub source: String,
    pub reference: Option<String>,
    pub terminal_id: Option<String>,
    pub amount: i64,
    pub fee: Option<i64>,
    pub paid_at: DateTime<Utc>,
    pub business_date: NaiveDate,
    pub status: String,
    pub spot_id: Option<i64>,
    pub attendant_id: Option<i64>,
    pub charge_id: Option<i64>,
    pub zone_version_id: Option<i64>,
    pub attendant_share_bps: Option<i32>,
    pub vehicle_class: Option<String>,
    pub flags: Vec<Option<String>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub rrn: Option<String>,
}

impl Payment {
    pub fn flag_list(&self) -> Vec<String> {
        self.flags.iter().flatten().cloned().collect()
    }
}

/// A cash (karcis) payment recorded by the attendant on duty.
pub struct NewCash<'a> {
    pub txn_id: &'a str,
    pub amount: i64,
    pub paid_at: DateTime<Utc>,
    pub business_date: NaiveDate,
    pub spot_id: i64,
    pub attendant_id: i64,
    pub zone_version_id: i64,
    pub attendant_share_bps: i32,
    pub vehicle_class: &'a str,
}

/// Records a cash ticket under its business date's shared lock (the lock a close takes
/// exclusively), so it lands either in the day's frozen rows or, when the day is already
/// closed, flagged `late` among that day's adjustments — never silently in neither (SPEC §8).
pub fn insert_cash(conn: &mut PgConnection, c: &NewCash) -> QueryResult<Payment> {
    conn.transaction(|conn| {
        super::day_locks::lock_dates_shared(conn, &[c.business_date])?;
        let flags: Vec<Option<String>> = if super::reconcile::is_closed(conn, c.business_date)? {
            vec![Some(
                crate::domain::payment::PaymentFlag::Late
                    .as_str()
                    .to_owned(),
            )]
        } else {
            Vec::new()
        };
        diesel::insert_into(payments::table)
            .values((
                payments::gateway.eq("cash"),
                payments::gateway_txn_id.eq(c.txn_id),
                payments::source.eq("cash"),
                payments::amount.eq(c.amount),
                payments::paid_at.eq(c.paid_at),
                payments::business_date.eq(c.business_date),
                payments::status.eq("paid"),
                payments::spot_id.eq(c.spot_id),
                payments::attendant_id.eq(c.attendant_id),
                payments::zone_version_id.eq(c.zone_version_id),
                payments::attendant_share_bps.eq(c.attendant_share_bps),
                payments::vehicle_class.eq(c.vehicle_class),
                payments::flags.eq(flags),
            ))
            .returning(Payment::as_returning())
            .get_result(conn)
    })
}

/// Filters of `GET /payments`.
#[derive(Default)]
pub struct PaymentFilter {
    pub date: Option<NaiveDate>,
    pub spot_id: Option<i64>,
    pub attendant_id: Option<i64>,
    pub status: Option<String>,
    pub flag: Option<String>,
    /// The gateway's transaction id, our charge reference, or the bank's RRN, exactly.
    pub reference: Option<String>,
}

pub fn list_payments(
    conn: &mut PgConnection,
    f: &PaymentFilter,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<Payment>> {
    let mut q = payments::table
        .filter(payments::id.gt(after))
        .order(payments::id)
        .limit(limit)
        .select(Payment::as_select())
        .into_boxed();
    if let Some(d) = f.date {
        q = q.filter(payments::business_date.eq(d));
    }
    if let Some(s) = f.spot_id {
        q = q.filter(payments::spot_id.eq(s));
    }
    if let Some(a) = f.attendant_id {
        q = q.filter(payments::attendant_id.eq(a));
    }
    if let Some(s) = &f.status {
        q = q.filter(payments::status.eq(s.clone()));
    }
    if let Some(r) = &f.reference {
        q = q.filter(
            payments::gateway_txn_id
                .eq(r.clone())
                .or(payments::reference.eq(r.clone()))
                .or(payments::rrn.eq(r.clone())),
        );
    }
    if let Some(flag) = &f.flag {
        q = q.filter(payments::flags.contains(vec![Some(flag.clone())]));
    }
    q.load(conn)
}

pub fn find_payment(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Payment>> {
    payments::table
        .find(id)
        .select(Payment::as_select())
        .first(conn)
        .optional()
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = callbacks)]
pub struct Callback {
    pub id: i64,
    pub gateway: String,
    pub received_at: DateTime<Utc>,
    pub headers: serde_json::Value,
    pub body: Vec<u8>,
    pub body_truncated: bool,
    pub verdict: String,
    pub reason: Option<String>,
    pub http_status: i32,
    pub gateway_txn_id: Option<String>,
    pub reported_status: Option<String>,
    pub payment_id: Option<i64>,
    pub body_sha256: Option<String>,
}

/// A page of a payment's callbacks in arrival order: ids after `after`, at most `limit`.
pub fn callbacks_of(
    conn: &mut PgConnection,
    payment_id: i64,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<Callback>> {
    callbacks::table
        .filter(callbacks::payment_id.eq(payment_id))
        .filter(callbacks::id.gt(after))
        .order(callbacks::id)
        .limit(limit)
        .select(Callback::as_select())
        .load(conn)
}

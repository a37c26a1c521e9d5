//! Payments and their callbacks as read back: the payment row, lists and look-ups, the
//! callbacks of a payment, and cash tickets. Recording a notification is `db::recording`.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

use super::schema::{callbacks, payments};
use crate::domain::{PaymentSource, PaymentStatus, Rupiah};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = payments)]
pub struct Payment {
    pub id: i64,
    pub gateway: String,
    pub gateway_txn_id: String,
    pub source: PaymentSource,
    pub reference: Option<String>,
    pub terminal_id: Option<String>,
    pub amount: Rupiah,
    pub fee: Option<Rupiah>,
    pub paid_at: DateTime<Utc>,
    pub business_date: NaiveDate,
    pub status: PaymentStatus,
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
    pub client_ref: Option<String>,
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
    /// The phone's own reference of an offline tap (unique per attendant).
    pub client_ref: Option<&'a str>,
}

/// The cash payment an attendant's phone already sent under `client_ref`, if any.
pub fn cash_by_client_ref(
    conn: &mut PgConnection,
    attendant_id: i64,
    client_ref: &str,
) -> QueryResult<Option<Payment>> {
    payments::table
        .filter(payments::attendant_id.eq(attendant_id))
        .filter(payments::client_ref.eq(client_ref))
        .select(Payment::as_select())
        .first(conn)
        .optional()
}

/// Records a cash ticket under its business date's shared lock (the lock a close takes
/// exclusively), so it lands either in the day's frozen rows or, when the day is already
/// closed, flagged `late` among that day's adjustments — never silently in neither (SPEC §8).
pub fn insert_cash(conn: &mut PgConnection, c: &NewCash) -> QueryResult<Payment> {
    conn.transaction(|conn| {
        let late = late_dates(conn, &[c.business_date])?;
        diesel::insert_into(payments::table)
            .values(CashRow::of(c, &late))
            .returning(Payment::as_returning())
            .get_result(conn)
    })
}

/// Many cash tickets in one statement, under the same locks and `late` rule as
/// [`insert_cash`] (the demo's four weeks of history).
pub fn insert_cash_batch(conn: &mut PgConnection, tickets: &[NewCash]) -> QueryResult<usize> {
    conn.transaction(|conn| {
        let mut dates: Vec<NaiveDate> = tickets.iter().map(|c| c.business_date).collect();
        dates.sort_unstable();
        dates.dedup();
        let late = late_dates(conn, &dates)?;
        let rows: Vec<CashRow> = tickets.iter().map(|c| CashRow::of(c, &late)).collect();
        diesel::insert_into(payments::table)
            .values(&rows)
            .execute(conn)
    })
}

/// Takes the dates' shared locks and answers which of them are already closed.
fn late_dates(conn: &mut PgConnection, dates: &[NaiveDate]) -> QueryResult<Vec<NaiveDate>> {
    super::day_locks::lock_dates_shared(conn, dates)?;
    let mut closed = Vec::new();
    for &date in dates {
        if super::reconcile::is_closed(conn, date)? {
            closed.push(date);
        }
    }
    Ok(closed)
}

/// A cash ticket as its payments row.
#[derive(Insertable)]
#[diesel(table_name = payments)]
struct CashRow<'a> {
    gateway: &'static str,
    gateway_txn_id: &'a str,
    source: &'static str,
    amount: i64,
    paid_at: DateTime<Utc>,
    business_date: NaiveDate,
    status: &'static str,
    spot_id: i64,
    attendant_id: i64,
    zone_version_id: i64,
    attendant_share_bps: i32,
    vehicle_class: &'a str,
    flags: Vec<Option<String>>,
    client_ref: Option<&'a str>,
}

impl<'a> CashRow<'a> {
    fn of(c: &NewCash<'a>, closed: &[NaiveDate]) -> Self {
        let flags = if closed.contains(&c.business_date) {
            vec![Some(
                crate::domain::payment::PaymentFlag::Late
                    .as_str()
                    .to_owned(),
            )]
        } else {
            Vec::new()
        };
        CashRow {
            gateway: "cash",
            gateway_txn_id: c.txn_id,
            source: "cash",
            amount: c.amount,
            paid_at: c.paid_at,
            business_date: c.business_date,
            status: "paid",
            spot_id: c.spot_id,
            attendant_id: c.attendant_id,
            zone_version_id: c.zone_version_id,
            attendant_share_bps: c.attendant_share_bps,
            vehicle_class: c.vehicle_class,
            client_ref: c.client_ref,
            flags,
        }
    }
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

/// The codes of the payments' spots and the names of their attendants, so a list shows names,
/// not numbers (SPEC §11.1).
#[derive(Default)]
pub struct Names {
    pub spots: std::collections::HashMap<i64, String>,
    pub attendants: std::collections::HashMap<i64, String>,
}

impl Names {
    pub fn spot(&self, id: Option<i64>) -> Option<String> {
        id.and_then(|id| self.spots.get(&id).cloned())
    }

    pub fn attendant(&self, id: Option<i64>) -> Option<String> {
        id.and_then(|id| self.attendants.get(&id).cloned())
    }
}

pub fn names_for(conn: &mut PgConnection, list: &[Payment]) -> QueryResult<Names> {
    use super::schema::{attendants, spots};
    let mut spot_ids: Vec<i64> = list.iter().filter_map(|p| p.spot_id).collect();
    spot_ids.sort_unstable();
    spot_ids.dedup();
    let mut attendant_ids: Vec<i64> = list.iter().filter_map(|p| p.attendant_id).collect();
    attendant_ids.sort_unstable();
    attendant_ids.dedup();
    Ok(Names {
        spots: spots::table
            .filter(spots::id.eq_any(&spot_ids))
            .select((spots::id, spots::code))
            .load(conn)?
            .into_iter()
            .collect(),
        attendants: attendants::table
            .filter(attendants::id.eq_any(&attendant_ids))
            .select((attendants::id, attendants::name))
            .load(conn)?
            .into_iter()
            .collect(),
    })
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

//! The payments the database announces as committed (`NOTIFY parkir_payments`, raised by the
//! trigger of migration 000014): a dedicated connection `LISTEN`s, and the ids it hears are
//! read back as the items an attendant's phone shows (SPEC §11.2).

use chrono::{DateTime, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::schema::payments;
use crate::domain::{PaymentSource, Rupiah};

pub const CHANNEL: &str = "parkir_payments";

/// A connection listening on [`CHANNEL`].
pub struct Listener(PgConnection);

impl Listener {
    pub fn connect(url: &str) -> ConnectionResult<Self> {
        let mut conn = PgConnection::establish(url)?;
        conn.batch_execute(&format!("LISTEN {CHANNEL}"))
            .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
        Ok(Self(conn))
    }

    /// The ids announced since the last call (never blocks); an error means the connection is
    /// gone.
    pub fn ids(&mut self) -> QueryResult<Vec<i64>> {
        let mut ids = Vec::new();
        for note in self.0.notifications_iter() {
            let note = note?;
            ids.extend(
                note.payload
                    .split(',')
                    .filter_map(|id| id.parse::<i64>().ok()),
            );
        }
        Ok(ids)
    }
}

/// A paid payment of an attendant, as their phone lists it.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = payments)]
pub struct AttendantPayment {
    pub id: i64,
    pub attendant_id: Option<i64>,
    pub amount: Rupiah,
    pub source: PaymentSource,
    pub vehicle_class: Option<String>,
    pub paid_at: DateTime<Utc>,
    pub flags: Vec<Option<String>>,
    pub charge_id: Option<i64>,
}

/// The paid payments among `ids` that are credited to an attendant.
pub fn paid_of_attendants(
    conn: &mut PgConnection,
    ids: &[i64],
) -> QueryResult<Vec<AttendantPayment>> {
    payments::table
        .filter(payments::id.eq_any(ids))
        .filter(payments::status.eq("paid"))
        .filter(payments::attendant_id.is_not_null())
        .order(payments::id)
        .select(AttendantPayment::as_select())
        .load(conn)
}

/// An attendant's paid payments of a business day, newest first (at most `limit`).
pub fn paid_of_attendant_on(
    conn: &mut PgConnection,
    attendant_id: i64,
    date: chrono::NaiveDate,
    limit: i64,
) -> QueryResult<Vec<AttendantPayment>> {
    payments::table
        .filter(payments::attendant_id.eq(attendant_id))
        .filter(payments::business_date.eq(date))
        .filter(payments::status.eq("paid"))
        .order((payments::paid_at.desc(), payments::id.desc()))
        .limit(limit)
        .select(AttendantPayment::as_select())
        .load(conn)
}

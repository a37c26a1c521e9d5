//! Alerts, the evaluated dates and warning letters.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Timestamptz};
use serde_json::Value;

use super::schema::{alert_runs, alerts, warning_letters};
use crate::reconcile::alerts::{AlertKind, AlertStatus, Severity};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = alerts)]
pub struct Alert {
    pub id: i64,
    pub kind: AlertKind,
    pub severity: Severity,
    pub spot_id: Option<i64>,
    pub attendant_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub business_date: NaiveDate,
    pub detected_at: DateTime<Utc>,
    pub evidence: Value,
    pub status: AlertStatus,
    pub notes: Value,
}

#[derive(Insertable)]
#[diesel(table_name = alerts)]
pub struct NewAlert<'a> {
    pub kind: &'a str,
    pub severity: &'a str,
    pub spot_id: Option<i64>,
    pub attendant_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub subject_id: i64,
    pub business_date: NaiveDate,
    pub detected_at: DateTime<Utc>,
    pub evidence: Value,
}

/// Inserts the alert unless one of its (kind, subject, date) exists; the new one, if any.
pub fn insert_alert(conn: &mut PgConnection, new: &NewAlert) -> QueryResult<Option<Alert>> {
    diesel::insert_into(alerts::table)
        .values(new)
        .on_conflict_do_nothing()
        .returning(Alert::as_returning())
        .get_result(conn)
        .optional()
}

/// Inserts the alert, or refreshes the evidence (and raises, never lowers, the severity) of the
/// one of its (kind, subject, date).
pub fn upsert_alert(conn: &mut PgConnection, new: &NewAlert) -> QueryResult<Alert> {
    diesel::insert_into(alerts::table)
        .values(new)
        .on_conflict((
            alerts::city_id,
            alerts::kind,
            alerts::subject_id,
            alerts::business_date,
        ))
        .do_update()
        .set((
            alerts::evidence.eq(diesel::upsert::excluded(alerts::evidence)),
            alerts::severity.eq(diesel::dsl::sql::<diesel::sql_types::Text>(
                "CASE WHEN alerts.severity = 'high' OR excluded.severity = 'high' THEN 'high' \
                 WHEN alerts.severity = 'medium' OR excluded.severity = 'medium' THEN 'medium' \
                 ELSE 'low' END",
            )),
            alerts::updated_at.eq(diesel::dsl::now),
        ))
        .returning(Alert::as_returning())
        .get_result(conn)
}

const LEAK_KINDS: [&str; 2] = ["noncash_drop", "qr_silence"];

/// Raises the spot's unresolved leak alerts (`noncash_drop`, `qr_silence`) of `from..=to` to
/// high; how many were raised.
pub fn raise_leak_alerts(
    conn: &mut PgConnection,
    spot: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<usize> {
    diesel::update(
        alerts::table
            .filter(alerts::spot_id.eq(spot))
            .filter(alerts::kind.eq_any(LEAK_KINDS))
            .filter(alerts::business_date.between(from, to))
            .filter(alerts::status.ne("resolved"))
            .filter(alerts::severity.ne("high")),
    )
    .set((
        alerts::severity.eq("high"),
        alerts::updated_at.eq(diesel::dsl::now),
    ))
    .execute(conn)
}

/// Whether the spot has a leak alert dated `from..=to`.
pub fn has_leak_alerts(
    conn: &mut PgConnection,
    spot: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        alerts::table
            .filter(alerts::spot_id.eq(spot))
            .filter(alerts::kind.eq_any(LEAK_KINDS))
            .filter(alerts::business_date.between(from, to)),
    ))
    .get_result(conn)
}

/// Whether a `shortfall_streak` alert of `attendant` already covers the streak from `from`.
pub fn streak_alerted(
    conn: &mut PgConnection,
    attendant: i64,
    from: NaiveDate,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        alerts::table
            .filter(alerts::kind.eq("shortfall_streak"))
            .filter(alerts::subject_id.eq(attendant))
            .filter(alerts::business_date.ge(from)),
    ))
    .get_result(conn)
}

#[derive(QueryableByName)]
pub struct UnsettledRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub amount: i64,
    #[diesel(sql_type = Timestamptz)]
    pub paid_at: DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub gateway_txn_id: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    pub spot_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    pub attendant_id: Option<i64>,
    #[diesel(sql_type = Date)]
    pub settled_through: NaiveDate,
}

/// Paid non-cash payments of `date` that no settlement file covered (a row of the file that
/// is theirs; the `UNSETTLED` rows an import lists are Parkir's own, not the bank's), when a
/// later business date has been settled (one of its payments is in a file).
pub fn unsettled_of(conn: &mut PgConnection, date: NaiveDate) -> QueryResult<Vec<UnsettledRow>> {
    diesel::sql_query(
        "WITH settled AS (
             SELECT max(p.business_date) AS through FROM settlement_rows r
             JOIN payments p ON p.id = r.payment_id
             WHERE p.business_date > $1 AND r.status <> 'UNSETTLED')
         SELECT p.id, p.amount, p.paid_at, p.gateway_txn_id, p.spot_id, p.attendant_id,
                settled.through AS settled_through
         FROM payments p, settled
         WHERE settled.through IS NOT NULL AND p.business_date = $1 AND p.status = 'paid'
           AND p.source <> 'cash'
           AND NOT EXISTS (SELECT 1 FROM settlement_rows r
                           WHERE r.payment_id = p.id AND r.status <> 'UNSETTLED')
         ORDER BY p.id",
    )
    .bind::<Date, _>(date)
    .load(conn)
}

#[derive(Default)]
pub struct AlertFilter {
    pub status: Option<String>,
    pub kind: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub spot_id: Option<i64>,
    pub attendant_id: Option<i64>,
}

/// Newest first; `before` is the cursor (the last id of the previous page), 0 for the first.
pub fn list_alerts(
    conn: &mut PgConnection,
    f: &AlertFilter,
    before: i64,
    limit: i64,
) -> QueryResult<Vec<Alert>> {
    let mut q = alerts::table.select(Alert::as_select()).into_boxed();
    if before > 0 {
        q = q.filter(alerts::id.lt(before));
    }
    if let Some(s) = &f.status {
        q = q.filter(alerts::status.eq(s.clone()));
    }
    if let Some(k) = &f.kind {
        q = q.filter(alerts::kind.eq(k.clone()));
    }
    if let Some(d) = f.from {
        q = q.filter(alerts::business_date.ge(d));
    }
    if let Some(d) = f.to {
        q = q.filter(alerts::business_date.le(d));
    }
    if let Some(s) = f.spot_id {
        q = q.filter(alerts::spot_id.eq(s));
    }
    if let Some(a) = f.attendant_id {
        q = q.filter(alerts::attendant_id.eq(a));
    }
    q.order(alerts::id.desc()).limit(limit).load(conn)
}

pub fn find_alert(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Alert>> {
    alerts::table
        .find(id)
        .select(Alert::as_select())
        .first(conn)
        .optional()
}

/// Sets the status and appends a note `{at, by, text}` (when given) in one statement.
pub fn update_alert(
    conn: &mut PgConnection,
    id: i64,
    status: Option<&str>,
    note: Option<Value>,
) -> QueryResult<Option<Alert>> {
    let target = alerts::table.find(id);
    let notes = diesel::dsl::sql::<diesel::sql_types::Jsonb>("notes || ")
        .bind::<diesel::sql_types::Jsonb, _>(Value::Array(note.into_iter().collect()));
    match status {
        Some(s) => diesel::update(target)
            .set((
                alerts::status.eq(s),
                alerts::notes.eq(notes),
                alerts::updated_at.eq(diesel::dsl::now),
            ))
            .returning(Alert::as_returning())
            .get_result(conn)
            .optional(),
        None => diesel::update(target)
            .set((
                alerts::notes.eq(notes),
                alerts::updated_at.eq(diesel::dsl::now),
            ))
            .returning(Alert::as_returning())
            .get_result(conn)
            .optional(),
    }
}

/// Whether the day signals of `date` were evaluated after the day.
pub fn day_evaluated(conn: &mut PgConnection, date: NaiveDate) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(alert_runs::table.find(date))).get_result(conn)
}

pub fn mark_day_evaluated(conn: &mut PgConnection, date: NaiveDate) -> QueryResult<()> {
    diesel::insert_into(alert_runs::table)
        .values((
            alert_runs::business_date.eq(date),
            alert_runs::evaluated_at.eq(diesel::dsl::now),
        ))
        .on_conflict((alert_runs::city_id, alert_runs::business_date))
        .do_update()
        .set(alert_runs::evaluated_at.eq(diesel::dsl::now))
        .execute(conn)
        .map(|_| ())
}

/// Takes the evaluation lock for this transaction, if no other session holds it.
pub fn try_evaluation_lock(conn: &mut PgConnection) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Locked {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        locked: bool,
    }
    let r: Locked = diesel::sql_query(format!(
        "SELECT pg_try_advisory_xact_lock({EVALUATION_LOCK_OF_CITY}) AS locked"
    ))
    .get_result(conn)?;
    Ok(r.locked)
}

/// Waits for the evaluation lock, held until this transaction ends.
pub fn evaluation_lock(conn: &mut PgConnection) -> QueryResult<()> {
    diesel::sql_query(format!(
        "SELECT pg_advisory_xact_lock({EVALUATION_LOCK_OF_CITY})"
    ))
    .execute(conn)
    .map(|_| ())
}

/// The advisory lock key of alert evaluation, one per city (the one the session acts for; an
/// owner's session without one, the default city's): cities are evaluated side by side.
pub const EVALUATION_LOCK_OF_CITY: &str =
    "hashtextextended('alerts:' || COALESCE(parkir_session_city(), 1), 0)";

#[derive(Clone, Debug, Queryable, Selectable, serde::Serialize, utoipa::ToSchema)]
#[diesel(table_name = warning_letters)]
pub struct WarningLetter {
    pub id: i64,
    pub attendant_id: i64,
    pub alert_id: i64,
    pub level: String,
    pub number: String,
    pub issued_at: DateTime<Utc>,
    pub issued_by: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub total_shortfall: i64,
    pub days: Value,
}

#[derive(Insertable)]
#[diesel(table_name = warning_letters)]
pub struct NewLetter<'a> {
    pub attendant_id: i64,
    pub alert_id: i64,
    pub level: &'a str,
    pub year: i32,
    pub seq: i32,
    pub number: &'a str,
    pub issued_at: DateTime<Utc>,
    pub issued_by: &'a str,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub total_shortfall: i64,
    pub days: Value,
}

pub fn letters_of(conn: &mut PgConnection, attendant: i64) -> QueryResult<Vec<WarningLetter>> {
    warning_letters::table
        .filter(warning_letters::attendant_id.eq(attendant))
        .order(warning_letters::id.desc())
        .select(WarningLetter::as_select())
        .load(conn)
}

/// The next sequence number of `year`, with the year's letters locked against a concurrent one.
pub fn next_letter_seq(conn: &mut PgConnection, year: i32) -> QueryResult<i32> {
    diesel::sql_query(
        "SELECT pg_advisory_xact_lock(hashtextextended(\
         'letters:' || COALESCE(parkir_session_city(), 1) || ':' || $1, 0))",
    )
    .bind::<diesel::sql_types::Integer, _>(year)
    .execute(conn)?;
    let max: Option<i32> = warning_letters::table
        .filter(warning_letters::year.eq(year))
        .select(diesel::dsl::max(warning_letters::seq))
        .first(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

pub fn insert_letter(conn: &mut PgConnection, new: &NewLetter) -> QueryResult<WarningLetter> {
    diesel::insert_into(warning_letters::table)
        .values(new)
        .returning(WarningLetter::as_returning())
        .get_result(conn)
}

/// Which of `ids` name no alert.
pub fn missing_alerts(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<Vec<i64>> {
    let found: Vec<i64> = alerts::table
        .filter(alerts::id.eq_any(ids))
        .select(alerts::id)
        .load(conn)?;
    Ok(ids
        .iter()
        .copied()
        .filter(|id| !found.contains(id))
        .collect())
}

/// A letter of the register, with whom it names and where they worked.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RegisteredLetter {
    pub id: i64,
    pub number: String,
    pub level: String,
    pub issued_at: DateTime<Utc>,
    /// The date of issue in the city's time zone.
    pub issued_on: NaiveDate,
    pub issued_by: String,
    pub attendant_id: i64,
    pub attendant_name: String,
    pub kta_number: String,
    /// The codes of the spots the attendant was on duty at during the period.
    pub spots: Vec<String>,
    pub alert_id: i64,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub total_shortfall: i64,
    /// The streak's days: `[{date, gross, target, shortfall}]`.
    #[schema(value_type = Vec<Object>)]
    pub days: Value,
}

pub fn letter_register(
    conn: &mut PgConnection,
    year: Option<i32>,
    attendant: Option<i64>,
    after: i64,
    limit: i64,
    tz: chrono_tz::Tz,
) -> QueryResult<Vec<RegisteredLetter>> {
    use super::schema::{assignments, attendants, spots};
    let mut q = warning_letters::table
        .inner_join(attendants::table)
        .filter(warning_letters::id.gt(after))
        .order(warning_letters::id)
        .limit(limit)
        .select((
            WarningLetter::as_select(),
            attendants::name,
            attendants::kta_number,
        ))
        .into_boxed();
    if let Some(y) = year {
        q = q.filter(warning_letters::year.eq(y));
    }
    if let Some(a) = attendant {
        q = q.filter(warning_letters::attendant_id.eq(a));
    }
    let rows: Vec<(WarningLetter, String, String)> = q.load(conn)?;
    rows.into_iter()
        .map(|(l, name, kta)| {
            let (from, _) = crate::domain::time::day_bounds(l.period_from, tz);
            let (_, to) = crate::domain::time::day_bounds(l.period_to, tz);
            let mut codes: Vec<String> = assignments::table
                .inner_join(spots::table)
                .filter(assignments::attendant_id.eq(l.attendant_id))
                .filter(assignments::starts_at.lt(to))
                .filter(
                    assignments::ends_at
                        .is_null()
                        .or(assignments::ends_at.gt(from)),
                )
                .select(spots::code)
                .distinct()
                .load(conn)?;
            codes.sort();
            Ok(RegisteredLetter {
                issued_on: crate::domain::business_date(l.issued_at, tz),
                id: l.id,
                number: l.number,
                level: l.level,
                issued_at: l.issued_at,
                issued_by: l.issued_by,
                attendant_id: l.attendant_id,
                attendant_name: name,
                kta_number: kta,
                spots: codes,
                alert_id: l.alert_id,
                period_from: l.period_from,
                period_to: l.period_to,
                total_shortfall: l.total_shortfall,
                days: l.days,
            })
        })
        .collect()
}

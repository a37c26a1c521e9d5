//! Citizen reports, the day's hashing key, and the counts the rate limits and the
//! `citizen_reports` alert read.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde_json::Value;

use super::schema::{citizen_reports, report_keys};
use crate::domain::{ReportKind, ReportStatus};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = citizen_reports)]
pub struct CitizenReport {
    pub id: i64,
    pub reference: String,
    /// None: a report that names no registered spot; then `location` says where.
    pub spot_id: Option<i64>,
    pub location: Option<String>,
    pub kind: ReportKind,
    pub note: Option<String>,
    pub amount_asked: Option<i64>,
    pub business_date: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub status: ReportStatus,
    pub notes: Value,
}

#[derive(Insertable)]
#[diesel(table_name = citizen_reports)]
pub struct NewReport<'a> {
    pub reference: &'a str,
    pub spot_id: Option<i64>,
    pub location: Option<&'a str>,
    pub kind: &'a str,
    pub note: Option<&'a str>,
    pub amount_asked: Option<i64>,
    pub client_hash: &'a str,
    pub business_date: NaiveDate,
    pub created_at: DateTime<Utc>,
}

/// The key of `date`'s client hashes, made on first use; older keys are deleted.
pub fn day_key(conn: &mut PgConnection, date: NaiveDate, fresh: &[u8]) -> QueryResult<Vec<u8>> {
    diesel::delete(report_keys::table.filter(report_keys::business_date.lt(date))).execute(conn)?;
    diesel::insert_into(report_keys::table)
        .values((
            report_keys::business_date.eq(date),
            report_keys::key.eq(fresh),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    report_keys::table
        .find(date)
        .select(report_keys::key)
        .first(conn)
}

/// Serialises the reports of one client: the rate limits are counted and the report inserted
/// with this lock held (until the transaction ends).
pub fn lock_client(conn: &mut PgConnection, client_hash: &str) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))")
        .bind::<diesel::sql_types::Text, _>(client_hash)
        .execute(conn)
        .map(|_| ())
}

/// Reports of a client since `since`, and those of one spot (or of no spot) and kind on a day.
pub fn client_counts(
    conn: &mut PgConnection,
    client_hash: &str,
    since: DateTime<Utc>,
    spot_kind_day: (Option<i64>, &str, NaiveDate),
) -> QueryResult<(i64, i64)> {
    let recent = citizen_reports::table
        .filter(citizen_reports::client_hash.eq(client_hash))
        .filter(citizen_reports::created_at.ge(since))
        .count()
        .get_result(conn)?;
    let (spot, kind, day) = spot_kind_day;
    let mut same = citizen_reports::table
        .filter(citizen_reports::client_hash.eq(client_hash))
        .filter(citizen_reports::kind.eq(kind))
        .filter(citizen_reports::business_date.eq(day))
        .into_boxed();
    same = match spot {
        Some(spot) => same.filter(citizen_reports::spot_id.eq(spot)),
        None => same.filter(citizen_reports::spot_id.is_null()),
    };
    let same = same.count().get_result(conn)?;
    Ok((recent, same))
}

/// Draws the id the next report would get (the honeypot's answer looks like a real one; the
/// sequence only gets a gap, as a rolled-back insert would leave).
pub fn next_report_id(conn: &mut PgConnection) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Next {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    diesel::sql_query("SELECT nextval(pg_get_serial_sequence('citizen_reports', 'id')) AS id")
        .get_result::<Next>(conn)
        .map(|n| n.id)
}

pub fn insert_report(conn: &mut PgConnection, new: &NewReport) -> QueryResult<CitizenReport> {
    diesel::insert_into(citizen_reports::table)
        .values(new)
        .returning(CitizenReport::as_returning())
        .get_result(conn)
}

/// The spot's reports from `from` to `to` (business dates, inclusive), newest first.
pub fn reports_of_spot(
    conn: &mut PgConnection,
    spot: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<CitizenReport>> {
    citizen_reports::table
        .filter(citizen_reports::spot_id.eq(spot))
        .filter(citizen_reports::business_date.between(from, to))
        .filter(citizen_reports::status.ne("invalid"))
        .order(citizen_reports::id.desc())
        .select(CitizenReport::as_select())
        .load(conn)
}

#[derive(Default)]
pub struct ReportFilter {
    pub status: Option<String>,
    pub spot_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

pub fn list_reports(
    conn: &mut PgConnection,
    f: &ReportFilter,
    before: i64,
    limit: i64,
) -> QueryResult<Vec<CitizenReport>> {
    let mut q = citizen_reports::table
        .select(CitizenReport::as_select())
        .into_boxed();
    if before > 0 {
        q = q.filter(citizen_reports::id.lt(before));
    }
    if let Some(s) = &f.status {
        q = q.filter(citizen_reports::status.eq(s.clone()));
    }
    if let Some(s) = f.spot_id {
        q = q.filter(citizen_reports::spot_id.eq(s));
    }
    if let Some(d) = f.from {
        q = q.filter(citizen_reports::business_date.ge(d));
    }
    if let Some(d) = f.to {
        q = q.filter(citizen_reports::business_date.le(d));
    }
    q.order(citizen_reports::id.desc()).limit(limit).load(conn)
}

pub fn update_report(
    conn: &mut PgConnection,
    id: i64,
    status: Option<&str>,
    note: Option<Value>,
) -> QueryResult<Option<CitizenReport>> {
    let notes = diesel::dsl::sql::<diesel::sql_types::Jsonb>("notes || ")
        .bind::<diesel::sql_types::Jsonb, _>(Value::Array(note.into_iter().collect()));
    let target = citizen_reports::table.find(id);
    match status {
        Some(s) => diesel::update(target)
            .set((
                citizen_reports::status.eq(s),
                citizen_reports::notes.eq(notes),
                citizen_reports::updated_at.eq(diesel::dsl::now),
            ))
            .returning(CitizenReport::as_returning())
            .get_result(conn)
            .optional(),
        None => diesel::update(target)
            .set((
                citizen_reports::notes.eq(notes),
                citizen_reports::updated_at.eq(diesel::dsl::now),
            ))
            .returning(CitizenReport::as_returning())
            .get_result(conn)
            .optional(),
    }
}

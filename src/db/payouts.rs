//! Payout accounts, cash deposits and payout runs (SPEC §15). A run claims the payments and
//! deposits it counts (`payout_run_id`), and its days (`payout_days`, one live run per day), so
//! each is in exactly one run that is not cancelled; cancelling gives them back.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable};

use super::schema::{
    cash_deposits, payments, payout_accounts, payout_days, payout_lines, payout_runs,
};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = payout_accounts)]
pub struct PayoutAccount {
    pub attendant_id: i64,
    pub bank_code: String,
    pub account_number: String,
    pub account_name: String,
    pub updated_at: DateTime<Utc>,
}

pub fn upsert_account(
    conn: &mut PgConnection,
    attendant_id: i64,
    bank_code: &str,
    account_number: &str,
    account_name: &str,
) -> QueryResult<PayoutAccount> {
    diesel::insert_into(payout_accounts::table)
        .values((
            payout_accounts::attendant_id.eq(attendant_id),
            payout_accounts::bank_code.eq(bank_code),
            payout_accounts::account_number.eq(account_number),
            payout_accounts::account_name.eq(account_name),
        ))
        .on_conflict(payout_accounts::attendant_id)
        .do_update()
        .set((
            payout_accounts::bank_code.eq(bank_code),
            payout_accounts::account_number.eq(account_number),
            payout_accounts::account_name.eq(account_name),
            payout_accounts::updated_at.eq(diesel::dsl::now),
        ))
        .returning(PayoutAccount::as_returning())
        .get_result(conn)
}

pub fn account_of(
    conn: &mut PgConnection,
    attendant_id: i64,
) -> QueryResult<Option<PayoutAccount>> {
    payout_accounts::table
        .find(attendant_id)
        .select(PayoutAccount::as_select())
        .first(conn)
        .optional()
}

#[derive(Clone, Debug, Queryable, Selectable, serde::Serialize, utoipa::ToSchema)]
#[diesel(table_name = cash_deposits)]
pub struct CashDeposit {
    pub id: i64,
    pub attendant_id: i64,
    pub amount: i64,
    pub deposited_at: DateTime<Utc>,
    pub business_date: NaiveDate,
    pub reference: String,
    pub recorded_by: String,
    pub created_at: DateTime<Utc>,
    /// The run that counted it, once one has.
    pub payout_run_id: Option<i64>,
}

pub struct NewDeposit<'a> {
    pub attendant_id: i64,
    pub amount: i64,
    pub deposited_at: DateTime<Utc>,
    pub business_date: NaiveDate,
    pub reference: &'a str,
    pub recorded_by: &'a str,
}

pub fn insert_deposit(conn: &mut PgConnection, d: &NewDeposit) -> QueryResult<CashDeposit> {
    diesel::insert_into(cash_deposits::table)
        .values((
            cash_deposits::attendant_id.eq(d.attendant_id),
            cash_deposits::amount.eq(d.amount),
            cash_deposits::deposited_at.eq(d.deposited_at),
            cash_deposits::business_date.eq(d.business_date),
            cash_deposits::reference.eq(d.reference),
            cash_deposits::recorded_by.eq(d.recorded_by),
        ))
        .returning(CashDeposit::as_returning())
        .get_result(conn)
}

pub fn list_deposits(
    conn: &mut PgConnection,
    attendant_id: Option<i64>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<CashDeposit>> {
    let mut q = cash_deposits::table
        .filter(cash_deposits::id.gt(after))
        .order(cash_deposits::id)
        .limit(limit)
        .select(CashDeposit::as_select())
        .into_boxed();
    if let Some(a) = attendant_id {
        q = q.filter(cash_deposits::attendant_id.eq(a));
    }
    if let Some(f) = from {
        q = q.filter(cash_deposits::business_date.ge(f));
    }
    if let Some(t) = to {
        q = q.filter(cash_deposits::business_date.le(t));
    }
    q.load(conn)
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = payout_runs)]
pub struct Run {
    pub id: i64,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub status: String,
    pub created_by: String,
    pub created_by_id: i64,
    pub created_at: DateTime<Utc>,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub paid_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = payout_lines)]
pub struct Line {
    pub run_id: i64,
    pub attendant_id: i64,
    pub name: String,
    pub noncash_share: i64,
    pub cash_city_share: i64,
    pub deposits: i64,
    pub carried_in: i64,
    pub net: i64,
    pub payable: i64,
    pub carried_out: i64,
    pub status: String,
    pub bank_code: Option<String>,
    pub account_number: Option<String>,
    pub account_name: Option<String>,
    pub bank_reference: Option<String>,
    pub paid_at: Option<DateTime<Utc>>,
}

/// The first day of `from..=to` that is not closed.
pub fn first_open_day(
    conn: &mut PgConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Option<NaiveDate>> {
    #[derive(QueryableByName)]
    struct Day {
        #[diesel(sql_type = Nullable<Date>)]
        d: Option<NaiveDate>,
    }
    diesel::sql_query(
        "SELECT min(d)::date AS d FROM generate_series($1::date, $2::date, interval '1 day') AS g(d)
          WHERE NOT EXISTS (SELECT 1 FROM reconciliation_closes c WHERE c.business_date = g.d::date)",
    )
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .get_result::<Day>(conn)
    .map(|r| r.d)
}

/// The first day of `from..=to` already in a run that is not cancelled.
pub fn first_taken_day(
    conn: &mut PgConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Option<NaiveDate>> {
    payout_days::table
        .filter(payout_days::business_date.between(from, to))
        .select(diesel::dsl::min(payout_days::business_date))
        .first(conn)
}

pub fn draft_run(conn: &mut PgConnection) -> QueryResult<Option<i64>> {
    payout_runs::table
        .filter(payout_runs::status.eq("draft"))
        .select(payout_runs::id)
        .first(conn)
        .optional()
}

/// A new draft run over `from..=to`, its days taken. Uniqueness decides races: a second draft
/// or a day already taken is a unique violation.
pub fn insert_run(
    conn: &mut PgConnection,
    from: NaiveDate,
    to: NaiveDate,
    created_by: &str,
    created_by_id: i64,
) -> QueryResult<Run> {
    let run: Run = diesel::insert_into(payout_runs::table)
        .values((
            payout_runs::from_date.eq(from),
            payout_runs::to_date.eq(to),
            payout_runs::created_by.eq(created_by),
            payout_runs::created_by_id.eq(created_by_id),
        ))
        .returning(Run::as_returning())
        .get_result(conn)?;
    diesel::sql_query(
        "INSERT INTO payout_days (business_date, run_id)
         SELECT d::date, $3 FROM generate_series($1::date, $2::date, interval '1 day') AS g(d)",
    )
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .bind::<BigInt, _>(run.id)
    .execute(conn)?;
    Ok(run)
}

/// Claims for `run` what it counts: the paid, credited payments of its days and of days other
/// live runs took, not yet in a run; the payments an approved run counted that were refunded
/// or reversed since; and the deposits of those days not yet in a run.
pub fn claim(conn: &mut PgConnection, run: i64) -> QueryResult<()> {
    let days = "(SELECT business_date FROM payout_days)";
    diesel::sql_query(format!(
        "UPDATE payments SET payout_run_id = $1
          WHERE payout_run_id IS NULL AND status = 'paid' AND attendant_id IS NOT NULL
            AND business_date IN {days}"
    ))
    .bind::<BigInt, _>(run)
    .execute(conn)?;
    diesel::sql_query(
        "UPDATE payments p SET payout_reversal_run_id = $1
           FROM payout_runs r
          WHERE r.id = p.payout_run_id AND r.status IN ('approved', 'paid')
            AND p.status IN ('refunded', 'reversed') AND p.payout_reversal_run_id IS NULL",
    )
    .bind::<BigInt, _>(run)
    .execute(conn)?;
    diesel::sql_query(format!(
        "UPDATE cash_deposits SET payout_run_id = $1
          WHERE payout_run_id IS NULL AND business_date IN {days}"
    ))
    .bind::<BigInt, _>(run)
    .execute(conn)?;
    Ok(())
}

/// The gross a run counted, per attendant, cash or not, and share version; a refunded
/// payment given back counts negative.
#[derive(QueryableByName, Debug)]
pub struct Gross {
    #[diesel(sql_type = BigInt)]
    pub attendant_id: i64,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub cash: bool,
    #[diesel(sql_type = Nullable<diesel::sql_types::Integer>)]
    pub share_bps: Option<i32>,
    #[diesel(sql_type = BigInt)]
    pub gross: i64,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub reversal: bool,
}

pub fn gross_of_run(conn: &mut PgConnection, run: i64) -> QueryResult<Vec<Gross>> {
    diesel::sql_query(
        "SELECT attendant_id, source = 'cash' AS cash, attendant_share_bps AS share_bps,
                sum(amount)::bigint AS gross, payout_reversal_run_id IS NOT DISTINCT FROM $1 AS reversal
           FROM payments
          WHERE payout_run_id = $1 OR payout_reversal_run_id = $1
          GROUP BY 1, 2, 3, 5",
    )
    .bind::<BigInt, _>(run)
    .load(conn)
}

#[derive(QueryableByName, Debug)]
pub struct Sum {
    #[diesel(sql_type = BigInt)]
    pub attendant_id: i64,
    #[diesel(sql_type = BigInt)]
    pub amount: i64,
}

pub fn deposits_of_run(conn: &mut PgConnection, run: i64) -> QueryResult<Vec<Sum>> {
    diesel::sql_query(
        "SELECT attendant_id, sum(amount)::bigint AS amount FROM cash_deposits
          WHERE payout_run_id = $1 GROUP BY 1",
    )
    .bind::<BigInt, _>(run)
    .load(conn)
}

/// Every attendant's `carried_out` in the latest approved or paid run before `run`.
pub fn carried_into(conn: &mut PgConnection, run: i64) -> QueryResult<Vec<Sum>> {
    diesel::sql_query(
        "SELECT l.attendant_id, l.carried_out AS amount FROM payout_lines l
          WHERE l.carried_out <> 0 AND l.run_id = (
                SELECT max(id) FROM payout_runs WHERE status IN ('approved', 'paid') AND id < $1)",
    )
    .bind::<BigInt, _>(run)
    .load(conn)
}

/// The names and payout accounts of these attendants.
pub fn payees(
    conn: &mut PgConnection,
    ids: &[i64],
) -> QueryResult<Vec<(i64, String, Option<PayoutAccount>)>> {
    use super::schema::attendants;
    let named: Vec<(i64, String)> = attendants::table
        .filter(attendants::id.eq_any(ids))
        .select((attendants::id, attendants::name))
        .load(conn)?;
    let accounts: Vec<PayoutAccount> = payout_accounts::table
        .filter(payout_accounts::attendant_id.eq_any(ids))
        .select(PayoutAccount::as_select())
        .load(conn)?;
    Ok(named
        .into_iter()
        .map(|(id, name)| {
            let account = accounts.iter().find(|a| a.attendant_id == id).cloned();
            (id, name, account)
        })
        .collect())
}

pub fn insert_lines(conn: &mut PgConnection, lines: &[Line]) -> QueryResult<usize> {
    diesel::insert_into(payout_lines::table)
        .values(lines)
        .execute(conn)
}

pub fn find_run(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Run>> {
    payout_runs::table
        .find(id)
        .select(Run::as_select())
        .first(conn)
        .optional()
}

/// The run, locked for a change of status.
pub fn lock_run(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Run>> {
    payout_runs::table
        .find(id)
        .select(Run::as_select())
        .for_update()
        .first(conn)
        .optional()
}

pub fn list_runs(conn: &mut PgConnection, before: i64, limit: i64) -> QueryResult<Vec<Run>> {
    payout_runs::table
        .filter(payout_runs::id.lt(before))
        .order(payout_runs::id.desc())
        .limit(limit)
        .select(Run::as_select())
        .load(conn)
}

pub fn lines_of(conn: &mut PgConnection, run: i64) -> QueryResult<Vec<Line>> {
    payout_lines::table
        .filter(payout_lines::run_id.eq(run))
        .order(payout_lines::name)
        .select(Line::as_select())
        .load(conn)
}

pub fn approve(conn: &mut PgConnection, run: i64, by: &str) -> QueryResult<Run> {
    diesel::update(payout_runs::table.find(run))
        .set((
            payout_runs::status.eq("approved"),
            payout_runs::approved_by.eq(by),
            payout_runs::approved_at.eq(diesel::dsl::now),
        ))
        .returning(Run::as_returning())
        .get_result(conn)
}

/// Cancels a draft and gives back what it claimed: its days, payments and deposits.
pub fn cancel(conn: &mut PgConnection, run: i64) -> QueryResult<Run> {
    diesel::delete(payout_days::table.filter(payout_days::run_id.eq(run))).execute(conn)?;
    diesel::update(payments::table.filter(payments::payout_run_id.eq(run)))
        .set(payments::payout_run_id.eq(None::<i64>))
        .execute(conn)?;
    diesel::update(payments::table.filter(payments::payout_reversal_run_id.eq(run)))
        .set(payments::payout_reversal_run_id.eq(None::<i64>))
        .execute(conn)?;
    diesel::update(cash_deposits::table.filter(cash_deposits::payout_run_id.eq(run)))
        .set(cash_deposits::payout_run_id.eq(None::<i64>))
        .execute(conn)?;
    diesel::update(payout_runs::table.find(run))
        .set((
            payout_runs::status.eq("cancelled"),
            payout_runs::cancelled_at.eq(diesel::dsl::now),
        ))
        .returning(Run::as_returning())
        .get_result(conn)
}

/// Records the bank's reference of a paid line; answers whether every payable line of the run
/// now has one.
pub fn mark_line_paid(
    conn: &mut PgConnection,
    run: i64,
    attendant_id: i64,
    bank_reference: &str,
) -> QueryResult<usize> {
    diesel::update(
        payout_lines::table
            .filter(payout_lines::run_id.eq(run))
            .filter(payout_lines::attendant_id.eq(attendant_id))
            .filter(payout_lines::status.eq("payable")),
    )
    .set((
        payout_lines::bank_reference.eq(bank_reference),
        payout_lines::paid_at.eq(diesel::dsl::now),
    ))
    .execute(conn)
}

pub fn unpaid_lines(conn: &mut PgConnection, run: i64) -> QueryResult<i64> {
    payout_lines::table
        .filter(payout_lines::run_id.eq(run))
        .filter(payout_lines::status.eq("payable"))
        .filter(payout_lines::bank_reference.is_null())
        .count()
        .get_result(conn)
}

pub fn set_paid(conn: &mut PgConnection, run: i64) -> QueryResult<Run> {
    diesel::update(payout_runs::table.find(run))
        .set((
            payout_runs::status.eq("paid"),
            payout_runs::paid_at.eq(diesel::dsl::now),
        ))
        .returning(Run::as_returning())
        .get_result(conn)
}

/// An attendant's lines of approved and paid runs, newest first, with their runs.
pub fn statements_of(
    conn: &mut PgConnection,
    attendant_id: i64,
    limit: i64,
) -> QueryResult<Vec<(Line, Run)>> {
    payout_lines::table
        .inner_join(payout_runs::table)
        .filter(payout_lines::attendant_id.eq(attendant_id))
        .filter(payout_runs::status.eq_any(["approved", "paid"]))
        .order(payout_runs::id.desc())
        .limit(limit)
        .select((Line::as_select(), Run::as_select()))
        .load(conn)
}

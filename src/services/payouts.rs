//! Bagi hasil (SPEC §15): payout accounts, cash deposits, and payout runs over closed days —
//! created by one staff member, approved by another admin, paid by bank transfer.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::{Connection, PgConnection};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::payouts::{self as repo, CashDeposit, Line, PayoutAccount, Run};
use crate::domain::payout::{BankAccount, Owed};
use crate::domain::{ShareBps, split};
use crate::error::{ApiError, FieldError};
use crate::state::AppState;

fn attendant_must_exist(conn: &mut PgConnection, id: i64) -> Result<String, ApiError> {
    crate::db::attendants::find_attendant(conn, id)?
        .map(|a| a.name)
        .ok_or_else(|| ApiError::NotFound(format!("attendant {id} does not exist")))
}

/// `PUT /attendants/{id}/payout-account`.
pub async fn set_account(
    state: &AppState,
    attendant_id: i64,
    account: BankAccount,
) -> Result<PayoutAccount, ApiError> {
    super::run(&state.pool, move |conn| {
        attendant_must_exist(conn, attendant_id)?;
        Ok(repo::upsert_account(
            conn,
            attendant_id,
            &account.bank_code,
            &account.account_number,
            &account.account_name,
        )?)
    })
    .await
}

pub async fn account(
    state: &AppState,
    attendant_id: i64,
) -> Result<Option<PayoutAccount>, ApiError> {
    super::run(&state.pool, move |conn| {
        Ok(repo::account_of(conn, attendant_id)?)
    })
    .await
}

/// A deposit to record: cash paid in, on the business day of `deposited_at`.
pub struct NewDeposit {
    pub attendant_id: i64,
    pub amount: i64,
    pub deposited_at: DateTime<Utc>,
    pub reference: String,
}

pub async fn record_deposit(
    state: &AppState,
    d: NewDeposit,
    by: String,
) -> Result<CashDeposit, ApiError> {
    let date = crate::domain::business_date(d.deposited_at, state.timezone());
    super::run(&state.pool, move |conn| {
        attendant_must_exist(conn, d.attendant_id)?;
        let by = crate::db::users::actor_name(conn, &by)?;
        Ok(repo::insert_deposit(
            conn,
            &repo::NewDeposit {
                attendant_id: d.attendant_id,
                amount: d.amount,
                deposited_at: d.deposited_at,
                business_date: date,
                reference: &d.reference,
                recorded_by: &by,
            },
        )?)
    })
    .await
}

pub async fn deposits(
    state: &AppState,
    attendant_id: Option<i64>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    after: i64,
    fetch: i64,
) -> Result<Vec<CashDeposit>, ApiError> {
    super::run(&state.pool, move |conn| {
        Ok(repo::list_deposits(
            conn,
            attendant_id,
            from,
            to,
            after,
            fetch,
        )?)
    })
    .await
}

/// A run with its lines and their sums.
#[derive(Serialize, ToSchema)]
pub struct RunView {
    pub id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `draft`, `approved`, `paid` or `cancelled`.
    pub status: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub paid_at: Option<DateTime<Utc>>,
    pub lines: Vec<LineView>,
    pub totals: Totals,
}

#[derive(Serialize, ToSchema)]
pub struct LineView {
    pub attendant_id: i64,
    pub name: String,
    pub noncash_share: i64,
    pub cash_city_share: i64,
    pub deposits: i64,
    pub carried_in: i64,
    pub net: i64,
    pub payable: i64,
    pub carried_out: i64,
    /// `payable`, `held`, `owes` or `settled`.
    pub status: String,
    /// The account the line is paid into (as it stood when the run was made); the number is
    /// masked to every role but admin.
    pub bank_code: Option<String>,
    pub account_number: Option<String>,
    pub account_name: Option<String>,
    pub bank_reference: Option<String>,
    pub paid_at: Option<DateTime<Utc>>,
}

impl LineView {
    fn new(l: Line, unmasked: bool) -> Self {
        Self {
            account_number: l.account_number.map(
                |n| {
                    if unmasked { n } else { BankAccount::mask(&n) }
                },
            ),
            attendant_id: l.attendant_id,
            name: l.name,
            noncash_share: l.noncash_share,
            cash_city_share: l.cash_city_share,
            deposits: l.deposits,
            carried_in: l.carried_in,
            net: l.net,
            payable: l.payable,
            carried_out: l.carried_out,
            status: l.status,
            bank_code: l.bank_code,
            account_name: l.account_name,
            bank_reference: l.bank_reference,
            paid_at: l.paid_at,
        }
    }
}

#[derive(Serialize, ToSchema, Default)]
pub struct Totals {
    pub lines: usize,
    pub noncash_share: i64,
    pub cash_city_share: i64,
    pub deposits: i64,
    pub carried_in: i64,
    pub net: i64,
    pub payable: i64,
    pub carried_out: i64,
}

fn view(run: Run, lines: Vec<Line>, unmasked: bool) -> RunView {
    let mut t = Totals {
        lines: lines.len(),
        ..Totals::default()
    };
    for l in &lines {
        t.noncash_share += l.noncash_share;
        t.cash_city_share += l.cash_city_share;
        t.deposits += l.deposits;
        t.carried_in += l.carried_in;
        t.net += l.net;
        t.payable += l.payable;
        t.carried_out += l.carried_out;
    }
    RunView {
        id: run.id,
        from: run.from_date,
        to: run.to_date,
        status: run.status,
        created_by: run.created_by,
        created_at: run.created_at,
        approved_by: run.approved_by,
        approved_at: run.approved_at,
        paid_at: run.paid_at,
        lines: lines
            .into_iter()
            .map(|l| LineView::new(l, unmasked))
            .collect(),
        totals: t,
    }
}

/// What each attendant is owed in a run, from what it claimed: the §4 split on the gross per
/// share version, refunds given back as negatives, deposits and the carried balance.
fn owed_in(conn: &mut PgConnection, run: i64) -> Result<BTreeMap<i64, Owed>, ApiError> {
    let mut owed: BTreeMap<i64, Owed> = BTreeMap::new();
    let overflow = || ApiError::internal(anyhow::anyhow!("payout sums overflow"));
    for g in repo::gross_of_run(conn, run)? {
        let (attendant, city) = match g.share_bps {
            Some(bps) => split(g.gross, ShareBps(bps)),
            None => (0, g.gross),
        };
        let sign = if g.reversal { -1 } else { 1 };
        let o = owed.entry(g.attendant_id).or_default();
        if g.cash {
            o.cash_city_share = o
                .cash_city_share
                .checked_add(sign * city)
                .ok_or_else(overflow)?;
        } else {
            o.noncash_share = o
                .noncash_share
                .checked_add(sign * attendant)
                .ok_or_else(overflow)?;
        }
    }
    for d in repo::deposits_of_run(conn, run)? {
        owed.entry(d.attendant_id).or_default().deposits = d.amount;
    }
    for c in repo::carried_into(conn, run)? {
        owed.entry(c.attendant_id).or_default().carried_in = c.amount;
    }
    Ok(owed)
}

/// `POST /payouts`: a draft run over closed days `from..=to` (SPEC §15), all or nothing.
pub async fn create_run(
    state: &AppState,
    from: NaiveDate,
    to: NaiveDate,
    by_id: i64,
    by: String,
) -> Result<RunView, ApiError> {
    super::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            if let Some(draft) = repo::draft_run(conn)? {
                return Err(ApiError::conflict(
                    None,
                    format!("payout run {draft} is a draft: approve or cancel it first"),
                ));
            }
            if let Some(open) = repo::first_open_day(conn, from, to)? {
                return Err(ApiError::conflict(
                    Some("to"),
                    format!("{open} is not closed: close every day of the run first"),
                ));
            }
            if let Some(taken) = repo::first_taken_day(conn, from, to)? {
                return Err(ApiError::conflict(
                    Some("from"),
                    format!("{taken} is already in a payout run"),
                ));
            }
            let by = crate::db::users::actor_name(conn, &by)?;
            let run = repo::insert_run(conn, from, to, &by, by_id)?;
            repo::claim(conn, run.id)?;
            let owed = owed_in(conn, run.id)?;
            let ids: Vec<i64> = owed.keys().copied().collect();
            let mut lines = Vec::with_capacity(ids.len());
            for (id, name, account) in repo::payees(conn, &ids)? {
                let o = owed.get(&id).copied().unwrap_or_default();
                let s = o
                    .settle(account.is_some())
                    .ok_or_else(|| ApiError::internal(anyhow::anyhow!("payout sums overflow")))?;
                lines.push(Line {
                    run_id: run.id,
                    attendant_id: id,
                    name,
                    noncash_share: o.noncash_share,
                    cash_city_share: o.cash_city_share,
                    deposits: o.deposits,
                    carried_in: o.carried_in,
                    net: s.net,
                    payable: s.payable,
                    carried_out: s.carried_out,
                    status: s.status.as_str().to_owned(),
                    bank_code: account.as_ref().map(|a| a.bank_code.clone()),
                    account_number: account.as_ref().map(|a| a.account_number.clone()),
                    account_name: account.map(|a| a.account_name),
                    bank_reference: None,
                    paid_at: None,
                });
            }
            repo::insert_lines(conn, &lines)?;
            let lines = repo::lines_of(conn, run.id)?;
            Ok(view(run, lines, true))
        })
    })
    .await
}

fn run_not_found(id: i64) -> ApiError {
    ApiError::NotFound(format!("payout run {id} does not exist"))
}

pub async fn get_run(state: &AppState, id: i64, unmasked: bool) -> Result<RunView, ApiError> {
    super::run(&state.pool, move |conn| {
        let run = repo::find_run(conn, id)?.ok_or_else(|| run_not_found(id))?;
        let lines = repo::lines_of(conn, id)?;
        Ok(view(run, lines, unmasked))
    })
    .await
}

pub async fn list_runs(
    state: &AppState,
    before: i64,
    fetch: i64,
) -> Result<Vec<RunView>, ApiError> {
    super::run(&state.pool, move |conn| {
        let runs = repo::list_runs(conn, before, fetch)?;
        runs.into_iter()
            .map(|r| {
                let lines = repo::lines_of(conn, r.id)?;
                let mut v = view(r, lines, false);
                v.lines.clear();
                Ok(v)
            })
            .collect()
    })
    .await
}

/// Approves a draft; the admin who created it may not (four eyes).
pub async fn approve(
    state: &AppState,
    id: i64,
    by_id: i64,
    by: String,
) -> Result<RunView, ApiError> {
    super::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let run = repo::lock_run(conn, id)?.ok_or_else(|| run_not_found(id))?;
            if run.status != "draft" {
                return Err(ApiError::conflict(
                    None,
                    format!(
                        "payout run {id} is {}: only a draft can be approved",
                        run.status
                    ),
                ));
            }
            if run.created_by_id == by_id {
                return Err(ApiError::Forbidden(
                    "you created this payout run; another admin must approve it".into(),
                ));
            }
            let by = crate::db::users::actor_name(conn, &by)?;
            let run = repo::approve(conn, id, &by)?;
            let lines = repo::lines_of(conn, id)?;
            Ok(view(run, lines, true))
        })
    })
    .await
}

pub async fn cancel(state: &AppState, id: i64) -> Result<RunView, ApiError> {
    super::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let run = repo::lock_run(conn, id)?.ok_or_else(|| run_not_found(id))?;
            if run.status != "draft" {
                return Err(ApiError::conflict(
                    None,
                    format!(
                        "payout run {id} is {}: only a draft can be cancelled",
                        run.status
                    ),
                ));
            }
            let run = repo::cancel(conn, id)?;
            let lines = repo::lines_of(conn, id)?;
            Ok(view(run, lines, true))
        })
    })
    .await
}

/// The bank's transfer file of an approved run: one row per payable line.
pub async fn transfer_csv(state: &AppState, id: i64) -> Result<Vec<u8>, ApiError> {
    let run = get_run(state, id, true).await?;
    if run.status != "approved" && run.status != "paid" {
        return Err(ApiError::conflict(
            None,
            format!(
                "payout run {id} is {}: only an approved run has a transfer file",
                run.status
            ),
        ));
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| ApiError::internal(e);
    w.write_record([
        "bank_code",
        "account_number",
        "account_name",
        "amount",
        "reference",
    ])
    .map_err(fail)?;
    for l in run.lines.iter().filter(|l| l.status == "payable") {
        w.write_record([
            l.bank_code.clone().unwrap_or_default(),
            l.account_number.clone().unwrap_or_default(),
            crate::reconcile::daily::safe_cell(l.account_name.as_deref().unwrap_or_default()),
            l.payable.to_string(),
            format!("PRK-{}-{}", run.id, l.attendant_id),
        ])
        .map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))
}

/// Records the bank's reference of paid lines; the run is paid once every payable line is.
pub async fn mark_paid(
    state: &AppState,
    id: i64,
    lines: Vec<(i64, String)>,
) -> Result<RunView, ApiError> {
    super::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let run = repo::lock_run(conn, id)?.ok_or_else(|| run_not_found(id))?;
            if run.status != "approved" {
                return Err(ApiError::conflict(
                    None,
                    format!(
                        "payout run {id} is {}: only an approved run is paid",
                        run.status
                    ),
                ));
            }
            let mut broken = Vec::new();
            for (i, (attendant_id, reference)) in lines.iter().enumerate() {
                if repo::mark_line_paid(conn, id, *attendant_id, reference)? == 0 {
                    broken.push(FieldError::new(
                        format!("lines[{i}].attendant_id"),
                        format!("attendant {attendant_id} has no payable line in this run"),
                    ));
                }
            }
            if !broken.is_empty() {
                return Err(ApiError::Validation(broken));
            }
            let run = if repo::unpaid_lines(conn, id)? == 0 {
                repo::set_paid(conn, id)?
            } else {
                run
            };
            let lines = repo::lines_of(conn, id)?;
            Ok(view(run, lines, true))
        })
    })
    .await
}

/// An attendant's statement: a line of an approved or paid run.
#[derive(Serialize, ToSchema)]
pub struct Statement {
    pub run_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `approved` or `paid`.
    pub run_status: String,
    #[serde(flatten)]
    pub line: LineView,
}

pub async fn statements(state: &AppState, attendant_id: i64) -> Result<Vec<Statement>, ApiError> {
    super::run(&state.pool, move |conn| {
        Ok(repo::statements_of(conn, attendant_id, 100)?
            .into_iter()
            .map(|(line, run)| Statement {
                run_id: run.id,
                from: run.from_date,
                to: run.to_date,
                run_status: run.status,
                line: LineView::new(line, false),
            })
            .collect())
    })
    .await
}

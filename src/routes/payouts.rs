//! Bagi hasil (SPEC §15): payout accounts, cash deposits, payout runs and the attendant's
//! statements. Each handler parses, asks `services::payouts`, and answers.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Admin, Attendant, Role, Staff, Supervisor};
use crate::db::payouts::{CashDeposit, PayoutAccount};
use crate::domain::payout::BankAccount;
use crate::domain::{Rupiah, label};
use crate::error::{ApiError, all, field};
use crate::routes::payments::parse_date;
use crate::services::payouts::{self as service, RunView, Statement};
use crate::services::reports::Period;
use crate::state::AppState;
use crate::web::extract::{JsonBody, PageParams, Paged, QueryParams};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"bank_code": "002", "account_number": "0123456789", "account_name": "AHMAD FAUZI"}))]
pub struct AccountBody {
    /// The bank's 3-digit code (e.g. 002 BRI, 008 Mandiri, 009 BNI).
    #[schema(pattern = "^[0-9]{3}$")]
    pub bank_code: String,
    #[schema(pattern = "^[0-9]{6,20}$")]
    pub account_number: String,
    #[schema(min_length = 1, max_length = 100)]
    pub account_name: String,
}

/// A payout account as a role may see it: the number masked (`******7890`) to all but admin.
#[derive(Serialize, ToSchema)]
pub struct AccountView {
    pub bank_code: String,
    pub account_number: String,
    pub account_name: String,
    pub updated_at: DateTime<Utc>,
}

impl AccountView {
    pub fn new(a: PayoutAccount, role: Role) -> Self {
        Self {
            account_number: if role == Role::Admin {
                a.account_number
            } else {
                BankAccount::mask(&a.account_number)
            },
            bank_code: a.bank_code,
            account_name: a.account_name,
            updated_at: a.updated_at,
        }
    }
}

#[utoipa::path(put, path = "/api/v1/attendants/{id}/payout-account", operation_id = "putPayoutAccount", tag = "payouts",
    request_body = AccountBody,
    responses((status = 200, body = AccountView), (status = 400, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem)))]
pub async fn put_account(
    who: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<AccountBody>,
) -> Result<HttpResponse, ApiError> {
    let (bank_code, account_number, account_name) = all((
        field("bank_code", BankAccount::parse_bank_code(&body.bank_code)),
        field(
            "account_number",
            BankAccount::parse_account_number(&body.account_number),
        ),
        field("account_name", label(&body.account_name, 100)),
    ))?;
    let account = service::set_account(
        &state,
        id.into_inner(),
        BankAccount {
            bank_code,
            account_number,
            account_name,
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(AccountView::new(account, who.role())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"attendant_id": 1, "amount": 48000, "deposited_at": "2026-12-01T16:30:00+07:00", "reference": "STR-2026-12-01-001"}))]
pub struct DepositBody {
    #[schema(minimum = 1)]
    pub attendant_id: i64,
    /// Whole rupiah, 1 to 100.000.000.
    #[schema(minimum = 1, maximum = 100000000)]
    pub amount: i64,
    /// When the cash was paid in; its business day is the deposit's.
    pub deposited_at: DateTime<Utc>,
    /// The slip's number, unique per attendant.
    #[schema(min_length = 1, max_length = 64)]
    pub reference: String,
}

#[utoipa::path(post, path = "/api/v1/cash-deposits", operation_id = "createCashDeposit", tag = "payouts",
    request_body = DepositBody,
    responses((status = 201, body = CashDeposit), (status = 400, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "this reference was recorded for the attendant before", body = crate::error::Problem)))]
pub async fn create_deposit(
    who: Supervisor,
    state: web::Data<AppState>,
    JsonBody(body): JsonBody<DepositBody>,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let (amount, reference, deposited_at) = all((
        field("amount", Rupiah::parse_payment(body.amount)),
        field("reference", label(&body.reference, 64)),
        field(
            "deposited_at",
            if body.deposited_at > now + chrono::Duration::minutes(2) {
                Err("must not be in the future".to_owned())
            } else {
                Ok(body.deposited_at)
            },
        ),
    ))?;
    let deposit = service::record_deposit(
        &state,
        service::NewDeposit {
            attendant_id: body.attendant_id,
            amount: amount.0,
            deposited_at,
            reference,
        },
        who.subject(),
    )
    .await?;
    Ok(HttpResponse::Created().json(deposit))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DepositQuery {
    pub attendant_id: Option<i64>,
    /// First business date, `YYYY-MM-DD`.
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub from: Option<String>,
    /// Last business date, `YYYY-MM-DD`.
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub to: Option<String>,
    /// How many items, 1 to 500 (default 100).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/cash-deposits", operation_id = "listCashDeposits", tag = "payouts", params(DepositQuery),
    responses((status = 200, description = "a page of deposits", body = Paged<CashDeposit>),
              (status = 400, body = crate::error::Problem)))]
pub async fn list_deposits(
    _: Staff,
    state: web::Data<AppState>,
    QueryParams(q): QueryParams<DepositQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = PageParams {
        limit: q.limit,
        cursor: q.cursor,
    }
    .page()?;
    let (from, to) = all((
        q.from.as_deref().map(|d| parse_date("from", d)).transpose(),
        q.to.as_deref().map(|d| parse_date("to", d)).transpose(),
    ))?;
    let rows =
        service::deposits(&state, q.attendant_id, from, to, page.after, page.limit + 1).await?;
    Ok(HttpResponse::Ok().json(Paged::new(rows, page, |d: &CashDeposit| d.id)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"from": "2026-11-16", "to": "2026-11-30"}))]
pub struct RunBody {
    /// The first business day, `YYYY-MM-DD`; every day of the run must be closed.
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub to: String,
}

#[utoipa::path(post, path = "/api/v1/payouts", operation_id = "createPayoutRun", tag = "payouts", request_body = RunBody,
    responses((status = 201, body = RunView), (status = 400, body = crate::error::Problem),
              (status = 409, description = "a day is open or already in a run, or another run is a draft", body = crate::error::Problem)))]
pub async fn create_run(
    who: Supervisor,
    state: web::Data<AppState>,
    JsonBody(body): JsonBody<RunBody>,
) -> Result<HttpResponse, ApiError> {
    // The same period rules as every report's: forwards, at most 366 days, the parameter named.
    let period = Period::parse(Some(&body.from), Some(&body.to), state.timezone())?;
    let run = service::create_run(
        &state,
        period.from,
        period.to,
        who.staff_id()?,
        who.subject(),
    )
    .await?;
    Ok(HttpResponse::Created().json(run))
}

#[utoipa::path(get, path = "/api/v1/payouts", operation_id = "listPayoutRuns", tag = "payouts", params(PageParams),
    responses((status = 200, description = "runs, newest first, with their totals (lines at /payouts/{id})", body = Paged<RunView>)))]
pub async fn list_runs(
    _: Staff,
    state: web::Data<AppState>,
    QueryParams(params): QueryParams<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.page()?;
    let before = if page.after == 0 {
        i64::MAX
    } else {
        page.after
    };
    let runs = service::list_runs(&state, before, page.limit + 1).await?;
    Ok(HttpResponse::Ok().json(Paged::new(runs, page, |r: &RunView| r.id)))
}

#[utoipa::path(get, path = "/api/v1/payouts/{id}", operation_id = "getPayoutRun", tag = "payouts",
    responses((status = 200, body = RunView), (status = 404, body = crate::error::Problem)))]
pub async fn get_run(
    who: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let run = service::get_run(&state, id.into_inner(), who.role() == Role::Admin).await?;
    Ok(HttpResponse::Ok().json(run))
}

#[utoipa::path(post, path = "/api/v1/payouts/{id}/approve", operation_id = "approvePayoutRun", tag = "payouts",
    responses((status = 200, body = RunView), (status = 403, description = "the admin who created the run may not approve it", body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, description = "not a draft", body = crate::error::Problem)))]
pub async fn approve(
    who: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let run = service::approve(&state, id.into_inner(), who.staff_id()?, who.subject()).await?;
    Ok(HttpResponse::Ok().json(run))
}

#[utoipa::path(post, path = "/api/v1/payouts/{id}/cancel", operation_id = "cancelPayoutRun", tag = "payouts",
    responses((status = 200, body = RunView), (status = 404, body = crate::error::Problem),
              (status = 409, description = "not a draft", body = crate::error::Problem)))]
pub async fn cancel(
    _: Supervisor,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::cancel(&state, id.into_inner()).await?))
}

#[utoipa::path(get, path = "/api/v1/payouts/{id}/transfer.csv", operation_id = "getPayoutTransferFile", tag = "payouts",
    responses((status = 200, description = "bank_code,account_number,account_name,amount,reference: one row per payable line", content_type = "text/csv"),
              (status = 404, body = crate::error::Problem), (status = 409, description = "the run is not approved", body = crate::error::Problem)))]
pub async fn transfer(
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let bytes = service::transfer_csv(&state, id).await?;
    Ok(super::reconciliation::attachment(
        "text/csv; charset=utf-8",
        &format!("transfer-bagi-hasil-{id}.csv"),
        bytes,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaidLine {
    #[schema(minimum = 1)]
    pub attendant_id: i64,
    /// The bank's reference of the transfer.
    #[schema(min_length = 1, max_length = 64)]
    pub bank_reference: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"lines": [{"attendant_id": 1, "bank_reference": "TRF-20261201-0001"}]}))]
pub struct PaidBody {
    #[schema(min_items = 1, max_items = 500)]
    pub lines: Vec<PaidLine>,
}

#[utoipa::path(post, path = "/api/v1/payouts/{id}/paid", operation_id = "markPayoutPaid", tag = "payouts", request_body = PaidBody,
    responses((status = 200, body = RunView), (status = 400, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, description = "the run is not approved", body = crate::error::Problem)))]
pub async fn paid(
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<PaidBody>,
) -> Result<HttpResponse, ApiError> {
    if body.lines.is_empty() || body.lines.len() > 500 {
        return Err(ApiError::invalid("lines", "must hold 1 to 500 lines"));
    }
    let mut lines = Vec::with_capacity(body.lines.len());
    let mut broken = Vec::new();
    for (i, l) in body.lines.into_iter().enumerate() {
        match label(&l.bank_reference, 64) {
            Ok(r) => lines.push((l.attendant_id, r)),
            Err(m) => broken.push(crate::error::FieldError::new(
                format!("lines[{i}].bank_reference"),
                m,
            )),
        }
    }
    if !broken.is_empty() {
        return Err(ApiError::Validation(broken));
    }
    Ok(HttpResponse::Ok().json(service::mark_paid(&state, id.into_inner(), lines).await?))
}

#[derive(Serialize, ToSchema)]
pub struct MyPayouts {
    /// Newest first.
    pub items: Vec<Statement>,
}

#[utoipa::path(get, path = "/api/v1/me/payouts", operation_id = "getMyPayouts", tag = "attendant",
    responses((status = 200, description = "the attendant's lines of approved and paid runs, newest first", body = MyPayouts)))]
pub async fn mine(who: Attendant, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let items = service::statements(&state, who.attendant_id()?).await?;
    Ok(HttpResponse::Ok().json(MyPayouts { items }))
}

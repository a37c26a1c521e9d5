//! Every operation of the API document, declared once: its path, its method, its handler and
//! the roles it admits. From this one table come the router ([`super::config`]), the document's
//! operations and their `bearer` requirements ([`super::openapi`]), and the test that every
//! role outside an operation's list is refused (`tests/api/roles.rs`). A handler's own
//! `#[utoipa::path]` describes the operation (parameters, body, answers); its path there must
//! equal the table's, which a test holds.
//!
//! Order matters where paths overlap: a fixed segment comes before a `{param}` in the same
//! place (`/alerts/evaluate` before `/alerts/{id}`).

/// Hands the table to `$callback`, a macro that takes entries of the form
/// `"path" => { method handler [roles], … }` (roles empty: no `bearer` token, the operation's
/// own annotation says what authenticates it, if anything).
macro_rules! route_table {
    ($callback:ident) => {
        $callback! {
            "/healthz" => { get health::healthz [] },
            "/readyz" => { get health::readyz [] },
            "/metrics" => { get health::metrics [] },
            "/snap/v1.0/access-token/b2b" => { post gateways::snap_access_token [] },
            "/snap/v1.0/qr/qr-mpm-notify" => { post gateways::snap_notify [] },
            "/jukir" => { get crate::web::jukir::page [] },
            "/dishub" => { get crate::web::dishub::page [] },
            "/api/v1/auth/login" => { post auth::staff_login [] },
            "/api/v1/auth/attendant-login" => { post auth::attendant_login [] },
            "/api/v1/auth/logout" => { post auth::logout ["admin", "supervisor", "auditor", "attendant", "operator"] },
            "/api/v1/merchant-accounts" => {
                post merchant_accounts::create ["admin"],
                get merchant_accounts::list ["admin", "supervisor", "auditor"],
            },
            "/api/v1/merchant-accounts/{id}" => { get merchant_accounts::get ["admin", "supervisor", "auditor"] },
            "/api/v1/zones" => {
                post zones::create ["admin"],
                get zones::list ["admin", "supervisor", "auditor"],
            },
            "/api/v1/zones/{id}" => {
                get zones::get ["admin", "supervisor", "auditor"],
                patch zones::patch ["admin"],
            },
            "/api/v1/zones/{id}/spots" => { post spots::create ["admin"] },
            "/api/v1/spots" => { get spots::list ["admin"] },
            "/api/v1/spots/{id}" => {
                get spots::get ["admin"],
                patch spots::patch ["admin"],
            },
            "/api/v1/spots/{id}/qr" => { get qr::spot_qr ["admin", "supervisor", "auditor"] },
            "/api/v1/spots/{id}/qr.png" => { get qr::spot_qr_png ["admin", "supervisor", "auditor"] },
            "/api/v1/spots/{id}/qr.svg" => { get qr::spot_qr_svg ["admin", "supervisor", "auditor"] },
            "/api/v1/spots/{id}/poster.svg" => { get qr::spot_poster ["admin", "supervisor", "auditor"] },
            "/api/v1/attendants" => {
                post attendants::create ["admin"],
                get attendants::list ["admin", "supervisor", "auditor"],
            },
            "/api/v1/attendants/{id}" => {
                get attendants::get ["admin", "supervisor", "auditor"],
                patch attendants::patch ["admin"],
            },
            "/api/v1/attendants/{id}/pin" => { post attendants::reset_pin ["admin"] },
            "/api/v1/attendants/{id}/photo" => {
                put identity::put_photo ["admin"],
                get identity::get_photo ["admin", "supervisor", "auditor"],
            },
            "/api/v1/attendants/{id}/card" => { get identity::card ["admin", "supervisor", "auditor"] },
            "/api/v1/zones/{id}/cards" => { get identity::zone_cards ["admin", "supervisor", "auditor"] },
            "/api/v1/users" => {
                post users::create ["admin"],
                get users::list ["admin"],
            },
            "/api/v1/users/{id}" => { patch users::patch ["admin"] },
            "/api/v1/office" => { get reports::office ["admin", "supervisor", "auditor"] },
            "/api/v1/reports/series" => { get reports::series ["admin", "supervisor", "auditor"] },
            "/api/v1/reports/monthly" => { get reports::monthly ["admin", "supervisor", "auditor"] },
            "/api/v1/reports/monthly.csv" => { get reports::monthly_csv_file ["admin", "supervisor", "auditor"] },
            "/api/v1/reports/monthly.xlsx" => { get reports::monthly_xlsx ["admin", "supervisor", "auditor"] },
            "/api/v1/attendants/{id}/assignments" => {
                post attendants::create_assignment ["admin", "supervisor"],
                get attendants::list_assignments ["admin", "supervisor"],
            },
            "/api/v1/attendants/{id}/assignments/roster" => { post attendants::create_roster ["admin", "supervisor"] },
            "/api/v1/attendants/{id}/assignments/{assignment_id}" => { patch attendants::patch_assignment ["admin", "supervisor"] },
            "/api/v1/me" => { get me::me ["attendant"] },
            "/api/v1/me/qr.png" => { get me::my_qr_png ["attendant"] },
            "/api/v1/me/charges" => { post me::create_charge ["attendant"] },
            "/api/v1/me/charges/{id}" => { get me::get_charge ["attendant"] },
            "/api/v1/me/charges/{id}/qr.png" => { get me::charge_qr_png ["attendant"] },
            "/api/v1/me/cash" => { post me::record_cash ["attendant"] },
            "/api/v1/me/summary" => { get me::summary ["attendant"] },
            "/api/v1/me/payments" => { get me::payments ["attendant"] },
            "/api/v1/me/events" => { get me::events ["attendant"] },
            "/api/v1/attendants/{id}/payout-account" => { put payouts::put_account ["admin"] },
            "/api/v1/cash-deposits" => {
                post payouts::create_deposit ["admin", "supervisor"],
                get payouts::list_deposits ["admin", "supervisor", "auditor"],
            },
            "/api/v1/payouts" => {
                post payouts::create_run ["admin", "supervisor"],
                get payouts::list_runs ["admin", "supervisor", "auditor"],
            },
            "/api/v1/payouts/{id}" => { get payouts::get_run ["admin", "supervisor", "auditor"] },
            "/api/v1/payouts/{id}/approve" => { post payouts::approve ["admin"] },
            "/api/v1/payouts/{id}/cancel" => { post payouts::cancel ["admin", "supervisor"] },
            "/api/v1/payouts/{id}/transfer.csv" => { get payouts::transfer ["admin"] },
            "/api/v1/payouts/{id}/paid" => { post payouts::paid ["admin"] },
            "/api/v1/me/payouts" => { get payouts::mine ["attendant"] },
            "/api/v1/reconciliation/daily" => { get reconciliation::daily ["admin", "supervisor", "auditor"] },
            "/api/v1/reconciliation/daily.csv" => { get reconciliation::daily_csv ["admin", "supervisor", "auditor"] },
            "/api/v1/reconciliation/daily.xlsx" => { get reconciliation::daily_xlsx ["admin", "supervisor", "auditor"] },
            "/api/v1/reconciliation/daily/{date}/close" => { post reconciliation::close ["admin"] },
            "/api/v1/settlements" => { post settlements::import ["admin"] },
            "/api/v1/settlements/{id}" => { get settlements::get ["admin"] },
            "/api/v1/payments" => { get payments::list ["admin", "supervisor", "auditor"] },
            "/api/v1/public/spots/{code}" => { get citizen::public_spot [] },
            "/api/v1/public/reports" => { post citizen::create_report [] },
            "/api/v1/public/attendants/{kta_number}" => { get identity::public_attendant [] },
            "/api/v1/public/attendants/{kta_number}/photo" => { get identity::public_photo [] },
            "/api/v1/citizen-reports" => { get citizen::list ["admin", "supervisor"] },
            "/api/v1/citizen-reports/{id}" => { patch citizen::patch ["admin", "supervisor"] },
            "/api/v1/alerts" => {
                get alerts::list ["admin", "supervisor", "auditor"],
                patch alerts::patch_many ["admin", "supervisor"],
            },
            "/api/v1/warning-letters" => { get alerts::register ["admin", "supervisor", "auditor"] },
            "/api/v1/alerts/evaluate" => { post alerts::evaluate ["admin"] },
            "/api/v1/alerts/{id}" => { patch alerts::patch ["admin", "supervisor"] },
            "/api/v1/attendants/{id}/warning-letters" => {
                get alerts::letters ["admin"],
                post alerts::issue_letter ["admin"],
            },
            "/api/v1/payments/{id}" => { get payments::get ["admin", "supervisor", "auditor"] },
            "/api/v1/payments/{id}/callbacks" => { get payments::callbacks ["admin"] },
            "/api/v1/cities" => {
                post cities::create ["operator"],
                get cities::list ["operator"],
            },
            "/api/v1/cities/{id}" => { patch cities::patch ["operator"] },
            "/api/v1/cities/{id}/users" => { post cities::create_admin ["operator"] },
            "/api/v1/cities/{id}/gateways" => { put cities::put_gateways ["operator"] },
            "/api/v1/operator/summary" => { get cities::summary ["operator"] },
            "/api/v1/gateways/midtrans/notification" => { post gateways::midtrans_notification [] },
            "/api/v1/gateways/xendit/qr" => { post gateways::xendit_qr [] },
        }
    };
}
pub(crate) use route_table;

/// One operation of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// Lower case, as in the document: `get`, `post`, `patch`.
    pub method: &'static str,
    /// As in the document, `/api/v1` included.
    pub path: &'static str,
    /// The roles a `bearer` token must carry; empty when the operation takes no such token.
    pub roles: &'static [&'static str],
}

macro_rules! route_list {
    ($( $path:literal => { $( $method:ident $($seg:ident)::+ [$($role:literal),*] ),+ $(,)? } ),* $(,)?) => {
        /// Every operation, in the table's order.
        pub const ROUTES: &[Route] = &[
            $( $( Route {
                method: stringify!($method),
                path: $path,
                roles: &[$($role),*],
            }, )+ )*
        ];
    };
}
route_table!(route_list);

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::ROUTES;

    /// A handler's annotation names its path a second time; the document must list exactly the
    /// table's operations, at the table's paths.
    #[test]
    fn the_document_lists_exactly_the_tables_operations() {
        let document: BTreeSet<(String, String)> = crate::routes::openapi::document()
            .paths
            .paths
            .iter()
            .flat_map(|(path, item)| {
                [
                    ("get", item.get.is_some()),
                    ("post", item.post.is_some()),
                    ("patch", item.patch.is_some()),
                    ("put", item.put.is_some()),
                    ("delete", item.delete.is_some()),
                ]
                .into_iter()
                .filter(|(_, present)| *present)
                .map(move |(method, _)| (path.clone(), method.to_owned()))
            })
            .collect();
        let table: BTreeSet<(String, String)> = ROUTES
            .iter()
            .map(|r| (r.path.to_owned(), r.method.to_owned()))
            .collect();
        assert_eq!(table.len(), ROUTES.len(), "an operation is listed twice");
        assert_eq!(document, table);
    }
}

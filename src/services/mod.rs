//! Use cases: one function per thing a user does, called by routes, the CLI, `demo`, the
//! benches and background jobs alike. A service takes domain types and the state it needs,
//! reaches the database only through `db`, and returns domain results or an `ApiError`.

pub mod alerts;
pub mod attendants;
pub mod callbacks;
pub mod cash;
pub mod charges;
pub mod citizen;
pub mod duty;
pub mod login;
pub mod qr;
pub mod reconciliation;
pub mod reports;
pub mod snap_tokens;
pub mod staff;
pub mod zones;

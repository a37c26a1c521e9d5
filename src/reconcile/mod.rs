//! Dishub's daily reconciliation: the business day, the shares, targets and shortfalls, the
//! flags that explain a row, and settlement-file matching.

pub mod alerts;
pub mod daily;
pub mod period;
pub mod settlement;
pub mod workbook;

//! `parkir bench …`: measurements printed as one `key=value` line each. Benchmarks report;
//! tests never assert timings.

pub mod qr;

//! Integration tests: the real application over HTTP on a real PostgreSQL, one fresh database
//! per test. `cargo test` runs them; PostgreSQL must be running (see helpers.rs).

mod alerts;
mod assignments;
mod attendants;
mod auth;
mod builders;
mod callbacks;
mod cities;
mod citizen;
mod city_gateways;
mod city_migration;
mod columns;
mod console;
mod contract;
mod errors;
mod helpers;
mod identity;
mod integrity;
mod jukir;
mod openapi;
mod ops;
mod payouts;
mod phone;
mod qr;
mod reconciliation;
mod registry;
mod replica;
mod reports;
mod roles;

//! Integration tests: the real server on a random loopback port, against a
//! temporary SQLite file and, when `CORDON_TEST_DATABASE_URL` is set, a fresh
//! PostgreSQL database. Every test body runs on both backends.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or a benchmark) fails loudly on what it did not expect

mod helpers;

mod abroad;
mod access;
mod aggregates;
mod alerts;
mod audit_chain;
mod authorization_matrix;
mod border;
mod checks;
mod config_cache;
mod decided_inside;
mod directives;
mod errors;
mod escalation;
mod exports;
mod fhir;
mod group_commit;
mod hostile_input;
mod live;
mod operations;
mod paging;
mod quarantine;
mod read_models;
mod reporter;
mod sign_in;
mod spine;
mod summaries;
mod watch;
mod web;
mod web_abroad;
mod web_community;
mod web_community_board;
mod web_directives;
mod web_paging;
mod web_quarantine;
mod web_summaries;

//! The domain of cordon: jurisdictions, people, reports, cases, tasks and
//! rosters, and the rules that decide what happens to them.
//!
//! This crate does no I/O, has no clock and no database: every function takes
//! the state it needs and the current time as arguments and answers with a
//! decision or a typed error. `cordon-store` persists the decisions;
//! `cordon-server` and the `cordon` binary translate requests into calls here.

pub mod abroad;
pub mod alert;
pub mod alert_level;
pub mod area;
pub mod arrival;
pub mod audit;
pub mod audit_chain;
pub mod border;
pub mod boundary;
pub mod case;
pub mod chain;
pub mod contact;
pub mod daily;
pub mod definition;
pub mod delivery;
pub mod detection;
pub mod directive;
pub mod escalation;
pub mod event;
pub mod export;
pub mod fhir;
pub mod figure;
pub mod figure_label;
#[cfg(test)]
mod fixtures;
pub mod gathering;
pub mod intake;
pub mod investigation;
pub mod jurisdiction;
pub mod lecture;
pub mod order;
pub mod person;
pub mod policy;
pub mod publication;
pub mod refusal;
pub mod report;
pub mod resend;
pub mod response;
pub mod roster;
pub mod rumour;
pub mod settings;
pub mod sign_in;
pub mod task;
pub mod user;
pub mod validation;
pub mod visit;
pub mod watch;
pub mod watch_alert;

pub use refusal::Reason;
pub use validation::{FieldError, Invalid};

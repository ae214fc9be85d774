//! Surveillance statistics for cordon: aberration detection over count series
//! and the effective reproduction number, reproducing R's `surveillance` 1.20.3
//! and `EpiEstim` 2.2-4 to within 1e-9 relative.
//!
//! The crate is pure: no I/O, no clock, no async. Callers hand in a
//! [`Series`] (one unit's counts; see [`table`] to read the reference CSV
//! layout) and a typed configuration whose fields carry the `snake_case` names and
//! defaults of R's control lists, and get one [`Detection`] per time point.
//! [`Detector`] selects a method at run time and [`detect_units`] runs it over
//! many units in parallel; [`report`] writes results in the reference output
//! layouts. The numerical behaviour, including R's quirks, follows
//! `shared/ref/ALGORITHMS.md`, cited by section in each module.

// The workspace allows `missing_errors_doc` (see the root Cargo.toml); this
// crate is a reusable library whose every fallible function documents its
// errors, and keeps doing so.
#![warn(clippy::missing_errors_doc)]

pub mod bayes;
pub mod csv_text;
pub mod cusum;
pub mod date;
pub mod detection;
pub mod detector;
pub mod dist;
pub mod ears;
pub mod epiweek;
pub mod error;
pub mod farrington;
pub mod farrington_flexible;
pub mod farrington_model;
pub mod glm;
pub mod glm_grouped;
pub mod glr;
pub mod report;
pub mod rt;
pub mod series;
pub mod table;

pub use date::CivilDate;
pub use detection::{Columns, Detection, Extra};
pub use detector::{Detector, detect_units};
pub use error::StatsError;
pub use series::{PeriodRange, Series};

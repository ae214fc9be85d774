//! cordon-sim: a generated country and a seeded, stochastic epidemic in it,
//! for the demo, for tests and for load.
//!
//! [`Country::generate`] builds the jurisdiction tree (provinces, counties,
//! districts, units with names, codes, populations and map boundaries,
//! facilities and points of entry). [`Simulation`] runs an individual-based
//! metapopulation SEIR model over it, with household, unit, district and
//! travel mixing, imports at the points of entry, symptoms, care seeking and
//! reporting delays, and emits what people do about it, day by day, as
//! [`Scheduled`] actions: reports, acknowledgements, visits, laboratory
//! results, outcomes and daily unit reports. The `cordon` binary feeds them
//! through the same core rules and store calls as the API.
//!
//! The crate is pure: no I/O, no clock; times are [`SimTime`]s counted from
//! day 0 and mapped to dates by the caller. The same seed gives the same
//! country and the same outbreak. Parameters and their sources are in
//! [`params`] and `docs/SIMULATION.md`.

pub mod action;
pub mod care;
pub mod country;
pub mod geometry;
pub mod model;
pub mod names;
pub mod params;
pub mod population;
mod quarantine;
pub mod resident;
mod transmission;

pub use action::{Action, ArrivalAction, Cause, ContactSpec, FollowUpVisit, ReportKey, Scheduled, SimTime, SymptomReport, UnitDailyReport};
pub use country::{Area, AreaId, Country, CountrySpec, Level, Scale};
pub use model::{Compartments, Simulation, Totals};
pub use params::Parameters;

/// Why a country or a simulation could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimError {
    /// The country's shape is impossible (too few residents for its units,
    /// an empty range of children, bounds that are not a rectangle).
    #[error("country specification: {0}")]
    Spec(String),
    /// A parameter is out of its range.
    #[error("parameter {name} {reason}")]
    Parameter {
        /// The parameter, as `group.field`.
        name: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
}

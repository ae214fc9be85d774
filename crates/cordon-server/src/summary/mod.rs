//! The summaries cordon publishes for a node, each made of [`Figure`]s that
//! say what they are: the board's counts, the epidemic curve, Rt, response
//! times and the situation report. The API and the pages read the same
//! functions, so a number means the same thing wherever it is shown.

pub mod board;
pub mod curve;
pub mod response;
pub mod rt;

use cordon_core::figure::{Counted, Figure, Measure, Period};
use cordon_core::jurisdiction::Node;
use cordon_core::settings::Settings;
use jiff::civil::Date;
use jiff::{Span, Timestamp};

use crate::error::ApiError;
use crate::state::AppState;

/// Who counted cordon's own figures.
pub const SOURCE: &str = "cordon";

/// The node, day and instant a summary is about.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The node.
    pub node: Node,
    /// The local day the summary holds on.
    pub day: Date,
    /// The instant it was made.
    pub now: Timestamp,
    /// The settings in force.
    pub settings: Settings,
}

impl Scope {
    /// The scope of `node` on the local day of `now`, or on `day` when
    /// given (the end of that day, or now if earlier).
    ///
    /// # Errors
    /// The settings cannot be read.
    pub async fn of(state: &AppState, node: Node, day: Option<Date>) -> Result<Scope, ApiError> {
        let settings = state.store.settings().await?;
        let now = state.now();
        let today = settings.local_date(now);
        let day = day.filter(|d| *d < today).unwrap_or(today);
        let now = if day < today { day.tomorrow().map_or(now, |d| settings.local_instant(d, 0)) } else { now };
        Ok(Scope { node, day, now, settings })
    }

    /// The day `days` before the summary's day.
    #[must_use]
    pub fn days_back(&self, days: i64) -> Date {
        self.day.checked_sub(Span::new().days(days)).unwrap_or(self.day)
    }

    /// A figure of cordon's about the scope's node, as of its day.
    #[must_use]
    pub fn figure(&self, value: f64, measure: Measure, counted: Counted, (from, to): (Date, Date)) -> Figure {
        Figure {
            value,
            measure,
            counted,
            period: Period { from, to },
            place: self.node.name.clone(),
            source: SOURCE.into(),
            as_of: self.day,
            interval: None,
        }
    }
}

/// A count as a figure's value.
#[must_use]
pub fn count(n: i64) -> f64 {
    n as f64
}

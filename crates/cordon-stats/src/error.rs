//! The one error type of this crate.
//!
//! Every fallible function in `cordon-stats` answers with [`StatsError`]: parse
//! errors from [`crate::table`] carry a 1-based line and column, configuration
//! errors name the offending parameter, and data errors say which time point
//! or unit could not be evaluated. The CLI wraps these with `anyhow` context.

/// What went wrong in a statistics computation or while reading its input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    /// A CSV input could not be read: the text at `line`/`column` (1-based) is not what the layout expects.
    #[error("line {line}, column {column}: {message}")]
    Parse {
        /// 1-based line of the offending field.
        line: usize,
        /// 1-based character column where the offending field starts.
        column: usize,
        /// What was wrong with it.
        message: String,
    },
    /// A configuration parameter is outside the values the method accepts.
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The parameter's name (`snake_case` of R's control-list name).
        name: &'static str,
        /// Why the value is rejected.
        reason: String,
    },
    /// The series is too short, or lacks history, for the requested range or method.
    #[error("insufficient data: {0}")]
    InsufficientData(String),
    /// A date needed as a reference point (date-indexed series) is not in the series.
    #[error("reference date {date} is not in the series")]
    MissingReferenceDate {
        /// The date that was looked for, as `YYYY-MM-DD`.
        date: String,
    },
    /// The input series are inconsistent (e.g. lengths differ, or a date column is partial).
    #[error("inconsistent series: {0}")]
    InconsistentSeries(String),
    /// Reading the input stream failed before parsing could start.
    #[error("cannot read input: {0}")]
    Io(String),
}

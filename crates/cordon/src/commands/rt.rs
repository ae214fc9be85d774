//! `cordon rt`: estimate the effective reproduction number from daily incidence.
//!
//! Reads the `t,[date,]I` incidence layout, takes the serial interval either as
//! a mean and standard deviation (`EpiEstim`'s `parametric_si`) or as a `k,w`
//! distribution file (`non_parametric_si`), runs `cordon_stats::rt::estimate_r`
//! over sliding windows, and writes the `estimateR_*` column layout.

use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use cordon_stats::report::format_rt;
use cordon_stats::rt::{RtConfig, SerialInterval, estimate_r};
use cordon_stats::table::{parse_incidence, parse_si_distr};

use super::{emit, located};

/// Options of `cordon rt`.
#[derive(Debug, Clone, Args)]
pub struct RtArgs {
    /// Mean of the serial interval in days (parametric, with --si-sd).
    #[arg(long, requires = "si_sd", conflicts_with = "si_distr", required_unless_present = "si_distr")]
    pub si_mean: Option<f64>,
    /// Standard deviation of the serial interval in days.
    #[arg(long, requires = "si_mean")]
    pub si_sd: Option<f64>,
    /// Discrete serial-interval distribution, a `k,w` CSV starting at k = 0 with w = 0.
    #[arg(long, value_name = "FILE")]
    pub si_distr: Option<PathBuf>,
    /// Length of the sliding windows in days (starting on day 2).
    #[arg(long, default_value_t = 7)]
    pub window: usize,
    /// Mean of the Gamma prior on R.
    #[arg(long, default_value_t = 5.0)]
    pub mean_prior: f64,
    /// Standard deviation of the Gamma prior on R.
    #[arg(long, default_value_t = 5.0)]
    pub std_prior: f64,
    /// Write the result here instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Incidence CSV (`t,[date,]I`).
    pub input: PathBuf,
}
/// Runs `cordon rt`.
///
/// # Errors
/// Unreadable or malformed files (reported as `FILE:LINE:COLUMN: …`), or an
/// invalid serial interval, prior or window.
pub fn run(args: &RtArgs) -> Result<()> {
    let si = match (&args.si_distr, args.si_mean, args.si_sd) {
        (Some(path), _, _) => {
            let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            SerialInterval::NonParametric(parse_si_distr(&text).map_err(|e| located(path, e))?)
        }
        (None, Some(mean_si), Some(std_si)) => SerialInterval::Parametric { mean_si, std_si },
        _ => anyhow::bail!("give either --si-mean and --si-sd, or --si-distr"),
    };
    let text = fs::read_to_string(&args.input).with_context(|| format!("reading {}", args.input.display()))?;
    let incidence = parse_incidence(&text).map_err(|e| located(&args.input, e))?;
    let config = RtConfig { window: args.window, mean_prior: args.mean_prior, std_prior: args.std_prior, ..RtConfig::new(si) };
    let result = estimate_r(&incidence.counts, &config).with_context(|| format!("estimating R from {}", args.input.display()))?;
    emit(args.output.as_deref(), &format_rt(&result.estimates))
}

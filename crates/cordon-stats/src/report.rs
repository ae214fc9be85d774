//! Writing results in the reference CSV layouts of `shared/ref/out`.
//!
//! Detector output is `unit,period_index,observed,upperbound,alarm` plus the
//! method's extra columns ([`crate::detection::Columns`]); `R_t` output is the
//! `estimateR_*` layout, with its `.lambda.csv` and `.si_distr.csv` companions.
//! Numbers and missing values follow [`crate::csv_text`], so a result written
//! here compares byte-for-byte with R's file when the values agree.

use crate::csv_text::{Cell, write_table};
use crate::detection::{Columns, Detection, Extra};
use crate::rt::RtEstimate;

/// The cells of one detection row (without the unit column).
fn detection_cells(unit: &str, d: &Detection, columns: Columns) -> Vec<Cell> {
    let mut row = vec![
        Cell::Text(unit.to_string()),
        Cell::index(d.period_index),
        Cell::count(d.observed),
        Cell::opt(d.upperbound),
        Cell::flag(d.alarm),
    ];
    match (&d.extra, columns) {
        (Extra::Flexible { expected, score, pvalue, phi, trend, trend_coef, mu0 }, Columns::Flexible) => {
            row.extend([
                Cell::opt(*expected),
                Cell::opt(*score),
                Cell::opt(*pvalue),
                Cell::opt(*phi),
                Cell::flag(*trend),
                Cell::opt(*trend_coef),
                Cell::opt(*mu0),
            ]);
        }
        (Extra::Classic { trend, pd_q, pd_median }, Columns::Classic) => {
            row.extend([Cell::flag(Some(*trend)), Cell::Num(*pd_q), Cell::Num(*pd_median)]);
        }
        (Extra::Cusum { expected, score }, Columns::Cusum) => row.extend([Cell::opt(*expected), Cell::opt(*score)]),
        (Extra::Glr { expected }, Columns::Glr) => row.push(Cell::Num(*expected)),
        (_, columns) => row.resize(columns.header().len(), Cell::Na),
    }
    row
}

/// Formats detections of several units as one CSV table in the given layout.
#[must_use]
pub fn format_detections<'a>(columns: Columns, units: impl IntoIterator<Item = (&'a str, &'a [Detection])>) -> String {
    let rows = units.into_iter().flat_map(|(unit, detections)| detections.iter().map(move |d| detection_cells(unit, d, columns)));
    write_table(columns.header(), rows)
}

/// Formats `R_t` estimates in the `estimateR_*` layout.
#[must_use]
pub fn format_rt(estimates: &[RtEstimate]) -> String {
    let header = [
        "t_start",
        "t_end",
        "mean_r",
        "std_r",
        "quantile_0_025",
        "median_r",
        "quantile_0_975",
        "quantile_0_05",
        "quantile_0_25",
        "quantile_0_75",
        "quantile_0_95",
    ];
    let rows = estimates.iter().map(|e| {
        let p = e.posterior.as_ref();
        let get = |f: fn(&crate::rt::Posterior) -> f64| Cell::opt(p.map(f));
        vec![
            Cell::index(e.t_start),
            Cell::index(e.t_end),
            get(|p| p.mean),
            get(|p| p.std),
            get(|p| p.quantile_0_025),
            get(|p| p.median),
            get(|p| p.quantile_0_975),
            get(|p| p.quantile_0_05),
            get(|p| p.quantile_0_25),
            get(|p| p.quantile_0_75),
            get(|p| p.quantile_0_95),
        ]
    });
    write_table(&header, rows)
}

/// Formats the `.lambda.csv` companion: `t,local,imported,lambda`.
#[must_use]
pub fn format_lambda(local: &[f64], imported: &[f64], lambda: &[Option<f64>]) -> String {
    let rows = (0..lambda.len()).map(|i| {
        vec![
            Cell::index(i + 1),
            Cell::Num(local.get(i).copied().unwrap_or(0.0)),
            Cell::Num(imported.get(i).copied().unwrap_or(0.0)),
            Cell::opt(lambda[i]),
        ]
    });
    write_table(&["t", "local", "imported", "lambda"], rows)
}

/// Formats a serial-interval distribution as `k,w`.
#[must_use]
pub fn format_si_distr(w: &[f64]) -> String {
    write_table(&["k", "w"], w.iter().enumerate().map(|(k, &x)| vec![Cell::index(k), Cell::Num(x)]))
}

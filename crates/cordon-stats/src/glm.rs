//! Log-linear Poisson / quasi-Poisson GLMs fitted exactly as R's `stats::glm.fit`.
//!
//! [`fit_log_linear`] is the IRLS loop of ALGORITHMS.md §1.1: start at
//! `μ = y + 0.1`, at most 25 iterations, stop when the relative deviance change
//! is below 1e-8, floor `μ` at `ε = 2⁻⁵²`, halve steps on a non-finite deviance.
//! Non-convergence is reported, not raised, because the Farrington methods
//! react to it. The weighted least-squares step is abstracted by
//! [`LeastSquares`]: [`DenseDesign`] is a Householder QR for any design (used by
//! the GLR baseline), and [`crate::glm_grouped::GroupedDesign`] solves the
//! "seasonal factor + optional trend" design of the Farrington methods in
//! closed form, in O(n) per iteration.

use crate::error::StatsError;

/// `ε`, R's `.Machine$double.eps`, the floor of `μ` under the log link.
pub const EPS: f64 = f64::EPSILON;

/// The weighted least-squares solver used inside IRLS.
pub trait LeastSquares {
    /// Number of rows of the design.
    fn rows(&self) -> usize;
    /// Solves `min Σ W_i (z_i − x_i'β)²` over rows with `W_i > 0` and keeps the result.
    ///
    /// # Errors
    /// [`StatsError::InsufficientData`] when the weighted design is singular.
    fn solve(&mut self, weights: &[f64], z: &[f64]) -> Result<(), StatsError>;
    /// The current coefficients.
    fn coefficients(&self) -> &[f64];
    /// The current coefficients, to change.
    fn coefficients_mut(&mut self) -> &mut [f64];
    /// Replaces the coefficients (used by step halving).
    fn set_coefficients(&mut self, beta: &[f64]) {
        self.coefficients_mut().copy_from_slice(beta);
    }
    /// Writes `x_i'β` for every row into `eta`.
    fn linear_predictor(&self, eta: &mut [f64]);
    /// Rank of the design in the last solve.
    fn rank(&self) -> usize;
    /// Writes `η_i = x_i'β` and `μ_i = max(exp(η_i), ε)` for every row (no offset).
    fn fitted(&self, eta: &mut [f64], mu: &mut [f64]) {
        self.linear_predictor(eta);
        update_mu(eta, mu);
    }
}

/// The result of [`fit_log_linear`]; coefficients stay in the design.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLinearFit {
    /// Final fitted means `μ_i` (floored at ε).
    pub mu: Vec<f64>,
    /// Final linear predictors `η_i` (offset included).
    pub eta: Vec<f64>,
    /// Working weights `W_i` of the last iteration (R's `fit$weights`).
    pub working_weights: Vec<f64>,
    /// Working residuals `(y_i − μ_i)/μ_i` with the final `μ` (R's `fit$residuals`).
    pub working_residuals: Vec<f64>,
    /// Whether the relative deviance change fell below 1e-8 within 25 iterations.
    pub converged: bool,
    /// Final deviance.
    pub deviance: f64,
    /// Residual degrees of freedom: rows with non-zero prior weight minus rank.
    pub df_residual: f64,
    /// Iterations used.
    pub iterations: usize,
}

impl LogLinearFit {
    /// R's Pearson dispersion `Σ W_i r_i² / df_res` (over `W_i > 0`).
    #[must_use]
    pub fn pearson_dispersion(&self) -> f64 {
        self.dispersion_with(&self.working_weights)
    }

    /// `Σ a_i r_i² / df_res` with other weights `a` (the Farrington `φ_s` quirk).
    #[must_use]
    pub fn dispersion_with(&self, weights: &[f64]) -> f64 {
        let ss: f64 = weights.iter().zip(&self.working_residuals).filter(|(w, _)| **w > 0.0).map(|(w, r)| w * r * r).sum();
        ss / self.df_residual
    }
}

/// R's `make.link("log")$linkinv`: `max(exp(η), ε)` (NaN stays NaN).
#[must_use]
pub fn linkinv(eta: f64) -> f64 {
    if eta.is_nan() { eta } else { exp(eta).max(EPS) }
}

/// `e^x` to within 2 ulp, inlined so the IRLS loops over rows pipeline well.
///
/// Outside ±700 (and for NaN) it defers to `f64::exp`; inside it is [`exp_core`].
#[inline]
#[must_use]
pub fn exp(x: f64) -> f64 {
    if x.is_nan() || x.abs() >= 700.0 { x.exp() } else { exp_core(x) }
}

/// `e^x` for `|x| < 700`, branch-free so that loops over rows vectorise.
///
/// Cody–Waite reduction `x = k·ln 2 + r` with `|r| ≤ ln 2 / 2` (k rounded with
/// the 1.5·2⁵² trick, whose low bits also give `2^k`), and a degree-13 Taylor
/// polynomial for `e^r` (truncation error below 2e-16).
#[inline]
#[must_use]
pub fn exp_core(x: f64) -> f64 {
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    const SHIFTER: f64 = 6_755_399_441_055_744.0;
    let v = x * std::f64::consts::LOG2_E + SHIFTER;
    let k = v - SHIFTER;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // Horner on 1 + r + r²/2! + … + r¹³/13!.
    let mut p: f64 = 1.0 / 6_227_020_800.0;
    for c in [
        1.0 / 479_001_600.0,
        1.0 / 39_916_800.0,
        1.0 / 3_628_800.0,
        1.0 / 362_880.0,
        1.0 / 40_320.0,
        1.0 / 5_040.0,
        1.0 / 720.0,
        1.0 / 120.0,
        1.0 / 24.0,
        1.0 / 6.0,
        0.5,
        1.0,
        1.0,
    ] {
        p = p * r + c;
    }
    // The low bits of `v` hold k (|k| ≤ 1010); shifting k + 1023 into the exponent field gives 2^k.
    let scale = f64::from_bits(v.to_bits().wrapping_add(1023) << 52);
    p * scale
}

/// `μ_i = max(exp(η_i), ε)` for all rows, vectorised when every `|η_i| < 700`.
pub(crate) fn update_mu(eta: &[f64], mu: &mut [f64]) {
    if eta.iter().all(|e| e.abs() < 700.0) {
        for (m, &e) in mu.iter_mut().zip(eta) {
            *m = exp_core(e).max(EPS);
        }
    } else {
        for (m, &e) in mu.iter_mut().zip(eta) {
            *m = linkinv(e);
        }
    }
}

/// Poisson deviance `Σ 2 a_i d_i`, with `ln y` precomputed and `ln μ = max(η, ln ε)`.
/// Two partial sums shorten the dependency chain; the deviance only feeds the
/// relative convergence test, which is insensitive to summation order.
fn deviance(y: &[f64], log_y: &[f64], mu: &[f64], eta: &[f64], prior: &[f64]) -> f64 {
    let log_eps = EPS.ln();
    let term = |i: usize| {
        let (yi, m, a) = (y[i], mu[i], prior[i]);
        if yi > 0.0 { a * (yi * (log_y[i] - eta[i].max(log_eps)) - (yi - m)) } else { m * a }
    };
    let (mut even, mut odd) = (0.0, 0.0);
    let mut i = 0;
    while i + 1 < y.len() {
        even += term(i);
        odd += term(i + 1);
        i += 2;
    }
    if i < y.len() {
        even += term(i);
    }
    2.0 * (even + odd)
}

const MAX_ITERATIONS: usize = 25;
const TOLERANCE: f64 = 1e-8;

/// Fits `log E[y] = Xβ + offset` by R's IRLS with prior weights `prior`.
///
/// # Errors
/// [`StatsError::InsufficientData`] when a weighted least-squares step is
/// singular, or the deviance is not finite at the first iteration (R stops there too).
pub fn fit_log_linear<D: LeastSquares>(
    design: &mut D,
    y: &[f64],
    prior: &[f64],
    offset: Option<&[f64]>,
) -> Result<LogLinearFit, StatsError> {
    let n = design.rows();
    let off = |i: usize| offset.map_or(0.0, |o| o[i]);
    let log_y: Vec<f64> = y.iter().map(|v| if *v > 0.0 { v.ln() } else { 0.0 }).collect();
    let mut eta: Vec<f64> = y.iter().map(|v| (v + 0.1).ln()).collect();
    let mut mu: Vec<f64> = eta.iter().map(|&e| linkinv(e)).collect();
    let mut dev_old = deviance(y, &log_y, &mu, &eta, prior);
    let mut w = vec![0.0; n];
    let mut z = vec![0.0; n];
    let mut beta_old: Option<Vec<f64>> = None;
    let mut converged = false;
    let mut dev = dev_old;
    let mut iterations = 0;
    for iter in 1..=MAX_ITERATIONS {
        iterations = iter;
        // mu.eta(η) = max(exp(η), ε) = μ and variance μ, so W = a·μ²/μ = a·μ
        // and z = η − offset + (y − μ)/μ.
        for ((((w, z), &a), &m), (&e, &yi)) in w.iter_mut().zip(z.iter_mut()).zip(prior).zip(&mu).zip(eta.iter().zip(y)) {
            *w = if a > 0.0 { a * m } else { 0.0 };
            *z = e + (yi - m) / m;
        }
        if let Some(o) = offset {
            z.iter_mut().zip(o).for_each(|(z, o)| *z -= o);
        }
        design.solve(&w, &z)?;
        if let Some(o) = offset {
            design.linear_predictor(&mut eta);
            eta.iter_mut().zip(o).for_each(|(e, o)| *e += o);
            update_mu(&eta, &mut mu);
        } else {
            design.fitted(&mut eta, &mut mu);
        }
        dev = deviance(y, &log_y, &mu, &eta, prior);
        // A non-finite μ always makes the deviance non-finite, so one test covers R's two.
        if !dev.is_finite() {
            let Some(old) = beta_old.as_ref() else {
                return Err(StatsError::InsufficientData(
                    "no valid set of coefficients has been found: please supply starting values".into(),
                ));
            };
            for _ in 0..100 {
                let half: Vec<f64> = design.coefficients().iter().zip(old).map(|(b, o)| 0.5 * (b + o)).collect();
                design.set_coefficients(&half);
                design.linear_predictor(&mut eta);
                for i in 0..n {
                    eta[i] += off(i);
                    mu[i] = linkinv(eta[i]);
                }
                dev = deviance(y, &log_y, &mu, &eta, prior);
                if dev.is_finite() {
                    break;
                }
            }
        }
        if (dev - dev_old).abs() / (dev.abs() + 0.1) < TOLERANCE {
            converged = true;
            break;
        }
        dev_old = dev;
        beta_old = Some(design.coefficients().to_vec());
    }
    let working_residuals = y.iter().zip(&mu).map(|(y, m)| (y - m) / m).collect();
    let df_residual = (prior.iter().filter(|a| **a != 0.0).count() as f64) - design.rank() as f64;
    Ok(LogLinearFit { mu, eta, working_weights: w, working_residuals, converged, deviance: dev, df_residual, iterations })
}

/// A dense design matrix solved by Householder QR (no pivoting needed for the
/// full-rank designs used here; a rank deficiency is an error).
#[derive(Debug, Clone)]
pub struct DenseDesign {
    /// Row-major `n × p` design.
    x: Vec<f64>,
    n: usize,
    p: usize,
    beta: Vec<f64>,
    /// Householder vectors (column-major `n × p`) and `R` (upper `p × p`) of the last solve.
    qr: Vec<f64>,
    r: Vec<f64>,
    tau: Vec<f64>,
}

impl DenseDesign {
    /// Builds a design from rows of equal length.
    ///
    /// # Errors
    /// [`StatsError::InconsistentSeries`] if rows differ in length or there are none.
    pub fn new(rows: &[Vec<f64>]) -> Result<Self, StatsError> {
        let p = rows.first().map_or(0, Vec::len);
        if p == 0 || rows.iter().any(|r| r.len() != p) {
            return Err(StatsError::InconsistentSeries("design rows must be non-empty and equally long".into()));
        }
        let n = rows.len();
        Ok(Self { x: rows.concat(), n, p, beta: vec![0.0; p], qr: vec![0.0; n * p], r: vec![0.0; p * p], tau: vec![0.0; p] })
    }

    /// `x0' (X'WX)⁻¹ x0` from the last solve, by a triangular solve with `R'`.
    #[must_use]
    #[expect(clippy::needless_range_loop, reason = "the indices are the triangular solve's")]
    pub fn unscaled_variance(&self, x0: &[f64]) -> f64 {
        let p = self.p;
        let mut v = vec![0.0; p];
        for j in 0..p {
            let mut s = x0[j];
            for k in 0..j {
                s -= self.r[k * p + j] * v[k];
            }
            v[j] = s / self.r[j * p + j];
        }
        v.iter().map(|a| a * a).sum()
    }

    /// Hat values `h_i = Σ_j Q_ij²` of the last solve (0 for rows with zero weight).
    #[must_use]
    pub fn hat_values(&self, weights: &[f64]) -> Vec<f64> {
        let (n, p) = (self.n, self.p);
        let mut h = vec![0.0; n];
        for j in 0..p {
            // Q e_j = H_0 … H_{p−1} e_j.
            let mut q = vec![0.0; n];
            q[j] = 1.0;
            for k in (0..p).rev() {
                let v = &self.qr[k * n..(k + 1) * n];
                let dot: f64 = (k..n).map(|i| v[i] * q[i]).sum();
                let f = self.tau[k] * dot;
                for i in k..n {
                    q[i] -= f * v[i];
                }
            }
            for (hi, qi) in h.iter_mut().zip(&q) {
                *hi += qi * qi;
            }
        }
        for (hi, w) in h.iter_mut().zip(weights) {
            if *w <= 0.0 {
                *hi = 0.0;
            } else if *hi > 1.0 - 10.0 * EPS {
                *hi = 1.0;
            }
        }
        h
    }
}

impl LeastSquares for DenseDesign {
    fn rows(&self) -> usize {
        self.n
    }

    #[expect(clippy::needless_range_loop, reason = "Householder QR reads best with explicit indices")]
    fn solve(&mut self, weights: &[f64], z: &[f64]) -> Result<(), StatsError> {
        let (n, p) = (self.n, self.p);
        // Column-major weighted design; zero-weight rows become zero rows.
        for i in 0..n {
            let s = weights[i].max(0.0).sqrt();
            for j in 0..p {
                self.qr[j * n + i] = s * self.x[i * p + j];
            }
        }
        let mut b: Vec<f64> = (0..n).map(|i| weights[i].max(0.0).sqrt() * z[i]).collect();
        for k in 0..p {
            let col = &mut self.qr[k * n..(k + 1) * n];
            let norm = col[k..].iter().map(|v| v * v).sum::<f64>().sqrt();
            if norm == 0.0 || !norm.is_finite() {
                return Err(StatsError::InsufficientData("the GLM design is rank deficient".into()));
            }
            let alpha = if col[k] > 0.0 { -norm } else { norm };
            col[k] -= alpha;
            let vnorm2 = col[k..].iter().map(|v| v * v).sum::<f64>();
            let tau = 2.0 / vnorm2;
            self.tau[k] = tau;
            for j in k + 1..p {
                let (left, right) = self.qr.split_at_mut(j * n);
                let v = &left[k * n..(k + 1) * n];
                let c = &mut right[..n];
                let f = tau * (k..n).map(|i| v[i] * c[i]).sum::<f64>();
                for i in k..n {
                    c[i] -= f * v[i];
                }
            }
            let v = &self.qr[k * n..(k + 1) * n];
            let f = tau * (k..n).map(|i| v[i] * b[i]).sum::<f64>();
            for i in k..n {
                b[i] -= f * v[i];
            }
            self.r[k * p + k] = alpha;
            for j in k + 1..p {
                self.r[k * p + j] = self.qr[j * n + k];
            }
        }
        for k in (0..p).rev() {
            let mut s = b[k];
            for j in k + 1..p {
                s -= self.r[k * p + j] * self.beta[j];
            }
            self.beta[k] = s / self.r[k * p + k];
        }
        Ok(())
    }

    fn coefficients(&self) -> &[f64] {
        &self.beta
    }

    fn coefficients_mut(&mut self) -> &mut [f64] {
        &mut self.beta
    }

    fn linear_predictor(&self, eta: &mut [f64]) {
        for (i, e) in eta.iter_mut().enumerate() {
            *e = (0..self.p).map(|j| self.x[i * self.p + j] * self.beta[j]).sum();
        }
    }

    fn rank(&self) -> usize {
        self.p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inlined_exp_is_within_two_ulp_of_libm() {
        let mut x = -745.0_f64;
        let mut worst = 0.0_f64;
        while x < 710.0 {
            let (a, b) = (exp(x), x.exp());
            if b.is_normal() {
                worst = worst.max(((a - b) / b).abs() / f64::EPSILON);
            }
            x += 0.000_731_3;
        }
        assert!(worst <= 2.0, "worst error {worst} ulp");
        assert!(exp(f64::NAN).is_nan());
        assert_eq!(exp(-1000.0), 0.0);
    }
}

//! The Farrington GLM design solved in closed form.
//!
//! Both Farrington methods regress on an intercept, an optional linear time
//! trend `wtime`, and treatment dummies of a seasonal factor. That column space
//! is spanned by one indicator per factor level plus `wtime`, so each weighted
//! least-squares step is an analysis of covariance: per-level weighted means,
//! and a common slope from within-level centred sums. This is the same solution
//! as R's QR (ALGORITHMS.md §1.1) but in O(n) per IRLS iteration instead of
//! O(n·p²), and better conditioned because `wtime` is centred inside each level.
//! The unscaled variance of a prediction and the hat values follow from the same
//! sums: `x0'Vx0 = 1/S_g + (t0 − t̄_g)²/S_tt` and `h_i = W_i·(1/S_g + (t_i − t̄_g)²/S_tt)`.

use crate::error::StatsError;
use crate::glm::{EPS, LeastSquares};

/// Rows of a "factor level + optional common slope" design.
#[derive(Debug, Clone)]
pub struct GroupedDesign {
    /// Level (0-based) of each row.
    level: Vec<usize>,
    /// `wtime` of each row.
    time: Vec<f64>,
    levels: usize,
    trend: bool,
    /// Per-level intercepts, then the slope (0 without trend).
    beta: Vec<f64>,
    /// Per-level weight sums and weighted mean times of the last solve.
    level_weight: Vec<f64>,
    level_time: Vec<f64>,
    /// Per-level weighted mean working response (scratch of the last solve).
    level_z: Vec<f64>,
    /// Maximal runs `(level, first row, end row)` of consecutive rows with one level.
    runs: Vec<(usize, usize, usize)>,
    /// Whether the times of every run step by exactly one (so that the means
    /// along a run form a geometric progression, see [`LeastSquares::fitted`]).
    unit_steps: bool,
    /// Within-level weighted sum of squares of `wtime` of the last solve.
    stt: f64,
}

impl GroupedDesign {
    /// Builds the design: `level[i]` in `0..levels`, `time[i]` the trend covariate.
    ///
    /// # Errors
    /// [`StatsError::InconsistentSeries`] when lengths differ or a level is out of range.
    pub fn new(level: Vec<usize>, time: Vec<f64>, levels: usize, trend: bool) -> Result<Self, StatsError> {
        if level.len() != time.len() || level.iter().any(|&l| l >= levels) {
            return Err(StatsError::InconsistentSeries("grouped design: bad level or length".into()));
        }
        let mut runs: Vec<(usize, usize, usize)> = Vec::new();
        for (i, &l) in level.iter().enumerate() {
            match runs.last_mut() {
                Some((last, _, end)) if *last == l => *end = i + 1,
                _ => runs.push((l, i, i + 1)),
            }
        }
        let unit_steps = runs.iter().all(|&(_, from, to)| time[from..to].windows(2).all(|p| p[1] - p[0] == 1.0));
        Ok(Self {
            unit_steps,
            level,
            time,
            levels,
            trend,
            beta: vec![0.0; levels + 1],
            level_weight: vec![0.0; levels],
            level_time: vec![0.0; levels],
            level_z: vec![0.0; levels],
            runs,
            stt: 0.0,
        })
    }

    /// Whether the design has the `wtime` column.
    #[must_use]
    pub fn has_trend(&self) -> bool {
        self.trend
    }

    /// The slope of `wtime` (0 without trend).
    #[must_use]
    pub fn slope(&self) -> f64 {
        self.beta[self.levels]
    }

    /// Unscaled variance of the slope, `V_tt = 1/S_tt`.
    #[must_use]
    pub fn slope_variance(&self) -> f64 {
        1.0 / self.stt
    }

    /// `x0'β` for a new row of level `level` at time `time` (offset not included);
    /// NaN when the level had no rows.
    #[must_use]
    pub fn predict(&self, level: usize, time: f64) -> f64 {
        if level >= self.levels || self.level_weight[level] <= 0.0 {
            return f64::NAN;
        }
        self.beta[level] + if self.trend { self.slope() * time } else { 0.0 }
    }

    /// `x0'(X'WX)⁻¹x0` for a new row of level `level` at time `time`.
    #[must_use]
    pub fn unscaled_variance(&self, level: usize, time: f64) -> f64 {
        if level >= self.levels || self.level_weight[level] <= 0.0 {
            return f64::NAN;
        }
        let mut v = 1.0 / self.level_weight[level];
        if self.trend {
            let d = time - self.level_time[level];
            v += d * d / self.stt;
        }
        v
    }

    /// Hat values of the last solve for the working weights `weights`.
    #[must_use]
    pub fn hat_values(&self, weights: &[f64]) -> Vec<f64> {
        self.level
            .iter()
            .zip(&self.time)
            .zip(weights)
            .map(|((&l, &t), &w)| {
                if w <= 0.0 {
                    return 0.0;
                }
                let h = w * self.unscaled_variance(l, t);
                if h > 1.0 - 10.0 * EPS { 1.0 } else { h }
            })
            .collect()
    }
}

impl LeastSquares for GroupedDesign {
    fn rows(&self) -> usize {
        self.level.len()
    }

    fn coefficients(&self) -> &[f64] {
        &self.beta
    }

    fn coefficients_mut(&mut self) -> &mut [f64] {
        &mut self.beta
    }

    fn solve(&mut self, weights: &[f64], z: &[f64]) -> Result<(), StatsError> {
        let g = self.levels;
        let mut sw = std::mem::take(&mut self.level_weight);
        let mut st = std::mem::take(&mut self.level_time);
        let sz = &mut self.level_z;
        sw.iter_mut().chain(st.iter_mut()).chain(sz.iter_mut()).for_each(|v| *v = 0.0);
        // Rows come in runs of one level (the seasonal blocks), so sum each run in registers.
        for &(l, from, to) in &self.runs {
            let (mut a, mut b, mut c) = (0.0, 0.0, 0.0);
            for ((&w, &t), &zi) in weights[from..to].iter().zip(&self.time[from..to]).zip(&z[from..to]) {
                let w = w.max(0.0);
                a += w;
                b += w * t;
                c += w * zi;
            }
            sw[l] += a;
            st[l] += b;
            sz[l] += c;
        }
        if sw.iter().all(|s| *s <= 0.0) {
            return Err(StatsError::InsufficientData("the GLM has no rows with positive weight".into()));
        }
        for l in 0..g {
            if sw[l] > 0.0 {
                st[l] /= sw[l];
                sz[l] /= sw[l];
            }
        }
        let mut slope = 0.0;
        self.stt = 0.0;
        if self.trend {
            let (mut stt, mut stz, mut tt) = (0.0, 0.0, 0.0);
            for &(l, from, to) in &self.runs {
                let (mt, mz) = (st[l], sz[l]);
                for ((&w, &t), &zi) in weights[from..to].iter().zip(&self.time[from..to]).zip(&z[from..to]) {
                    let w = w.max(0.0);
                    let dt = t - mt;
                    stt += w * dt * dt;
                    stz += w * dt * (zi - mz);
                    tt += w * t * t;
                }
            }
            // dqrdc2's tolerance 1e-11 on the column norm after projection.
            if stt.is_nan() || stt <= 1e-22 * tt {
                self.level_weight = sw;
                self.level_time = st;
                return Err(StatsError::InsufficientData("the time trend is aliased with the seasonal factor".into()));
            }
            self.stt = stt;
            slope = stz / stt;
        }
        for l in 0..g {
            self.beta[l] = sz[l] - slope * st[l];
        }
        self.beta[g] = slope;
        self.level_weight = sw;
        self.level_time = st;
        Ok(())
    }

    fn linear_predictor(&self, eta: &mut [f64]) {
        let slope = self.slope();
        for &(l, from, to) in &self.runs {
            let b = self.beta[l];
            for (e, &t) in eta[from..to].iter_mut().zip(&self.time[from..to]) {
                *e = b + slope * t;
            }
        }
    }

    fn rank(&self) -> usize {
        self.level_weight.iter().filter(|w| **w > 0.0).count() + usize::from(self.trend)
    }

    /// Along a run of consecutive weeks `η` grows by the slope each week, so
    /// `μ` is a geometric progression: one `exp` per run, then a product per
    /// row (at most a few ulp from `exp(η)` over a seasonal block). Runs that
    /// reach the ε floor or the range where `exp` overflows take `exp` row by row.
    fn fitted(&self, eta: &mut [f64], mu: &mut [f64]) {
        self.linear_predictor(eta);
        if !self.unit_steps {
            crate::glm::update_mu(eta, mu);
            return;
        }
        let ratio = crate::glm::exp(self.slope());
        for &(_, from, to) in &self.runs {
            let (first, last) = (eta[from], eta[to - 1]);
            let safe = |e: f64| e.abs() < 700.0 && e > EPS.ln();
            if !(safe(first) && safe(last)) {
                crate::glm::update_mu(&eta[from..to], &mut mu[from..to]);
                continue;
            }
            let mut m = crate::glm::exp_core(first);
            mu[from] = m;
            for value in &mut mu[from + 1..to] {
                m *= ratio;
                *value = m;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glm::{DenseDesign, fit_log_linear};

    /// The closed form must agree with a QR on the explicit design.
    #[test]
    fn grouped_solution_equals_dense_qr() {
        let levels = [0, 0, 1, 1, 1, 2, 2, 2, 0, 1, 2, 2];
        let counts = [3.0, 5.0, 0.0, 1.0, 2.0, 9.0, 12.0, 7.0, 4.0, 0.0, 11.0, 8.0];
        let times: Vec<f64> = (0..12).map(|t| f64::from(t) * 3.0 + 100.0).collect();
        let prior = [1.0, 1.0, 0.5, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 0.7, 1.0];
        let mut grouped = GroupedDesign::new(levels.to_vec(), times.clone(), 3, true).unwrap();
        let rows: Vec<Vec<f64>> =
            levels.iter().zip(&times).map(|(&l, &t)| vec![1.0, t, f64::from(u8::from(l == 1)), f64::from(u8::from(l == 2))]).collect();
        let mut dense = DenseDesign::new(&rows).unwrap();
        let a = fit_log_linear(&mut grouped, &counts, &prior, None).unwrap();
        let b = fit_log_linear(&mut dense, &counts, &prior, None).unwrap();
        assert_eq!(a.iterations, b.iterations);
        for (x, y) in a.mu.iter().zip(&b.mu) {
            assert!((x - y).abs() < 1e-10 * y.max(1.0), "{x} {y}");
        }
        assert!((grouped.slope() - dense.coefficients()[1]).abs() < 1e-12);
        let hg = grouped.hat_values(&a.working_weights);
        let hd = dense.hat_values(&b.working_weights);
        for (x, y) in hg.iter().zip(&hd) {
            assert!((x - y).abs() < 1e-10, "{x} {y}");
        }
        let vg = grouped.unscaled_variance(2, 140.0);
        let vd = dense.unscaled_variance(&[1.0, 140.0, 0.0, 1.0]);
        assert!((vg - vd).abs() < 1e-10 * vd, "{vg} {vd}");
        assert!((a.pearson_dispersion() - b.pearson_dispersion()).abs() < 1e-10);
    }

    /// The geometric progression along runs stays within a few ulp of `exp(η)`.
    #[test]
    fn fitted_means_along_runs_match_exp_row_by_row() {
        let levels: Vec<usize> = (0..40).map(|i| (i / 7) % 3).collect();
        let times: Vec<f64> = (0..40).map(f64::from).collect();
        let mut design = GroupedDesign::new(levels, times, 3, true).unwrap();
        design.set_coefficients(&[1.5, -30.5, 3.0, 0.037]);
        let (mut eta, mut mu, mut reference) = (vec![0.0; 40], vec![0.0; 40], vec![0.0; 40]);
        design.fitted(&mut eta, &mut mu);
        crate::glm::update_mu(&eta, &mut reference);
        for (m, r) in mu.iter().zip(&reference) {
            assert!((m - r).abs() <= 1e-14 * r, "{m} vs {r}");
        }
    }
}

//! The distribution functions the detectors need, with R's semantics.
//!
//! * [`qnorm`] is Wichura's AS 241 (what R's `qnorm` uses), [`pnorm`] and
//!   [`pnorm_upper`] come from statrs' `erfc`.
//! * [`pt_two_sided`] is the Wald t-test p-value of `summary.glm`.
//! * [`qgamma`] inverts statrs' regularized incomplete gamma by safeguarded
//!   Newton (in its own file, `dist/gamma.rs`).
//! * [`Discrete`] (Poisson, negative binomial) gives R's `qpois`/`qnbinom`
//!   (smallest `y` with `F(y) ≥ p·(1 − 8ε)`, ALGORITHMS.md §1.2) and upper tails.
//!   Probabilities are summed from the mode outwards and normalised, which is
//!   exact to ~1e-13 for any shape; distributions too wide to sum (mean above
//!   1e7, only reached by ill-conditioned "muan" fits) use a Cornish–Fisher normal
//!   approximation, within the 1e-6 the reference allows there.
//!
//! Nothing here panics: out-of-domain arguments give NaN, as in R.

mod gamma;

pub use gamma::{GammaQuantile, gamma_p, gamma_p_with_prefix, qgamma};
use statrs::function::{beta::checked_beta_reg, erf::erfc};

/// Φ(x), the standard normal CDF.
#[must_use]
pub fn pnorm(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// 1 − Φ(x), computed without cancellation.
#[must_use]
pub fn pnorm_upper(x: f64) -> f64 {
    0.5 * erfc(x / std::f64::consts::SQRT_2)
}

/// Φ⁻¹(p) by Wichura's algorithm AS 241 (PPND16), as R's `qnorm`.
#[must_use]
#[expect(
    clippy::unreadable_literal,
    clippy::excessive_precision,
    reason = "AS 241's coefficients, digit for digit as published and as in R's qnorm.c"
)]
pub fn qnorm(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q
            * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r + 45921.953931549871457) * r
                + 13731.693765509461125)
                * r
                + 1971.5909503065514427)
                * r
                + 133.14166789178437745)
                * r
                + 3.387132872796366608)
            / (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) * r
                + 5394.1960214247511077)
                * r
                + 687.1870074920579083)
                * r
                + 42.313330701600911252)
                * r
                + 1.0);
    }
    let r = if q < 0.0 { p } else { 1.0 - p };
    let r = (-r.ln()).sqrt();
    let val = if r <= 5.0 {
        let r = r - 1.6;
        (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r + 1.27045825245236838258) * r
            + 3.64784832476320460504)
            * r
            + 5.7694972214606914055)
            * r
            + 4.6303378461565452959)
            * r
            + 1.42343711074968357734)
            / (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r
                + 0.14810397642748007459)
                * r
                + 0.68976733498510000455)
                * r
                + 1.6763848301838038494)
                * r
                + 2.05319162663775882187)
                * r
                + 1.0)
    } else {
        let r = r - 5.0;
        (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r + 0.026532189526576123093)
            * r
            + 0.29656057182850489123)
            * r
            + 1.7848265399172913358)
            * r
            + 5.4637849111641143699)
            * r
            + 6.6579046435011037772)
            / (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r
                + 7.868691311456132591e-4)
                * r
                + 0.0148753612908506148525)
                * r
                + 0.13692988092273580531)
                * r
                + 0.59983220655588793769)
                * r
                + 1.0)
    };
    if q < 0.0 { -val } else { val }
}

/// Two-sided p-value `2·P(T_df > |t|)` of Student's t, computed as R's `pt`
/// does (an upper-tail incomplete beta for small `t`, so a t of noise size
/// still gives a p-value just below 1); NaN if `df ≤ 0` or `t` is NaN.
#[must_use]
pub fn pt_two_sided(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if t.is_infinite() {
        return 0.0;
    }
    let t2 = t * t;
    if df > t2 {
        let x = t2 / (df + t2);
        if x == 0.0 {
            return 1.0;
        }
        1.0 - checked_beta_reg(0.5, df / 2.0, x).unwrap_or(f64::NAN)
    } else {
        let nx = 1.0 + (t / df) * t;
        checked_beta_reg(df / 2.0, 0.5, 1.0 / nx).unwrap_or(f64::NAN)
    }
}

/// A discrete count distribution with R's quantile semantics.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Discrete {
    /// Poisson with this mean.
    Poisson(f64),
    /// Negative binomial `NB(size, prob)`, mean `size(1−prob)/prob`.
    NegBinomial {
        /// R's `size`.
        size: f64,
        /// R's `prob`.
        prob: f64,
    },
}

/// Largest distribution (by mode + 40 sd) whose probabilities are summed exactly.
const SUMMATION_LIMIT: f64 = 2e7;

impl Discrete {
    fn mean_var(self) -> (f64, f64) {
        match self {
            Self::Poisson(mu) => (mu, mu),
            Self::NegBinomial { size, prob } => {
                let m = size * (1.0 - prob) / prob;
                (m, m / prob)
            }
        }
    }

    fn valid(self) -> bool {
        match self {
            Self::Poisson(mu) => mu >= 0.0 && mu.is_finite(),
            Self::NegBinomial { size, prob } => size > 0.0 && size.is_finite() && prob > 0.0 && prob <= 1.0,
        }
    }

    /// Mode, and ratio `P(k+1)/P(k)`.
    fn mode(self) -> f64 {
        match self {
            Self::Poisson(mu) => mu.floor(),
            Self::NegBinomial { size, prob } => ((size - 1.0) * (1.0 - prob) / prob).floor().max(0.0),
        }
    }

    fn ratio(self, k: f64) -> f64 {
        match self {
            Self::Poisson(mu) => mu / (k + 1.0),
            Self::NegBinomial { size, prob } => (k + size) * (1.0 - prob) / (k + 1.0),
        }
    }

    /// Unnormalised probabilities relative to the mode: returns `(first k, weights, total)`.
    fn table(self) -> (f64, Vec<f64>, f64) {
        let mode = self.mode();
        let mut down = Vec::new();
        let (mut k, mut term, mut total) = (mode, 1.0_f64, 1.0_f64);
        while k > 0.0 {
            term /= self.ratio(k - 1.0);
            k -= 1.0;
            if term < 1e-300 || term <= total * 1e-18 {
                break;
            }
            down.push(term);
            total += term;
        }
        let first = mode - down.len() as f64;
        down.reverse();
        down.push(1.0);
        let (mut k, mut term) = (mode, 1.0_f64);
        loop {
            term *= self.ratio(k);
            k += 1.0;
            if term < 1e-300 || term <= total * 1e-18 || !term.is_finite() {
                break;
            }
            down.push(term);
            total += term;
        }
        (first, down, total)
    }

    fn summable(self) -> bool {
        let (m, v) = self.mean_var();
        m + 40.0 * v.sqrt() + 50.0 < SUMMATION_LIMIT
    }

    /// R's `q…(p)`: the smallest `y ≥ 0` with `F(y) ≥ p·(1 − 8ε)`; NaN for invalid arguments.
    #[must_use]
    pub fn quantile(self, p: f64) -> f64 {
        if !self.valid() || p.is_nan() || !(0.0..=1.0).contains(&p) {
            return f64::NAN;
        }
        let (m, v) = self.mean_var();
        if m == 0.0 {
            return 0.0;
        }
        if p == 1.0 {
            return f64::INFINITY;
        }
        let target = p * (1.0 - 8.0 * f64::EPSILON);
        if self.summable() {
            let (first, weights, total) = self.table();
            // Add the smallest terms first by summing upwards from the lower end.
            let mut acc = 0.0;
            for (i, w) in weights.iter().enumerate() {
                acc += w;
                if acc / total >= target {
                    return first + i as f64;
                }
            }
            return first + (weights.len() - 1) as f64;
        }
        // Cornish–Fisher with skewness for very wide distributions.
        let sd = v.sqrt();
        let skew = match self {
            Self::Poisson(_) => 1.0 / sd,
            Self::NegBinomial { prob, .. } => (2.0 - prob) / (m * (1.0 - prob)).sqrt() * prob.sqrt(),
        };
        let z = qnorm(p);
        (m + sd * (z + skew * (z * z - 1.0) / 6.0) - 0.5).ceil().max(0.0)
    }

    /// `P(Y ≥ y)` (R's `p…(y − 1, lower.tail = FALSE)`); 1 for `y ≤ 0`.
    #[must_use]
    pub fn upper_tail(self, y: f64) -> f64 {
        if !self.valid() || y.is_nan() {
            return f64::NAN;
        }
        if y <= 0.0 {
            return 1.0;
        }
        let (m, v) = self.mean_var();
        if m == 0.0 {
            return 0.0;
        }
        if self.summable() {
            let (first, weights, total) = self.table();
            let start = (y - first).max(0.0);
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "start ≥ 0; `as` saturates, so a start past the table skips it all"
            )]
            let upper: f64 = weights.iter().skip(start as usize).rev().sum();
            if y < first {
                return 1.0;
            }
            return upper / total;
        }
        pnorm_upper((y - 0.5 - m) / v.sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn qnorm_matches_r() {
        assert!(close(qnorm(0.95), 1.644_853_626_951_471_5, 1e-15));
        assert!(close(qnorm(0.999), 3.090_232_306_167_813, 1e-15));
        assert!(close(qnorm(0.975), 1.959_963_984_540_053_6, 1e-15));
        assert!(close(qnorm(1e-10), -6.361_340_902_404_056, 1e-14));
    }

    #[test]
    fn discrete_quantiles_match_r() {
        // qpois(0.95, 3.2) = 6; qnbinom(0.95, size = 2.5, prob = 0.4) = 10;
        assert_eq!(Discrete::Poisson(3.2).quantile(0.95), 6.0);
        assert_eq!(Discrete::NegBinomial { size: 2.5, prob: 0.4 }.quantile(0.95), 10.0);
        assert!(close(Discrete::Poisson(3.2).upper_tail(6.0), 0.105_408_105_469_177_42, 1e-12));
        assert_eq!(Discrete::Poisson(0.0).quantile(0.95), 0.0);
        assert!(Discrete::Poisson(-1.0).quantile(0.95).is_nan());
    }
}

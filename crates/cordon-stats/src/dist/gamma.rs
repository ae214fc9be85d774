//! The gamma distribution's functions: the regularized incomplete gamma
//! `P(a, x)` ([`gamma_p`]) and its quantile ([`qgamma`], [`GammaQuantile`]
//! for many quantiles of one distribution), as R computes them; kept apart
//! from [`super`]'s normal, t and discrete distributions because of the
//! speed work the quantile carries (explained beside the code).

use statrs::function::gamma;

use super::qnorm;

/// The regularized lower incomplete gamma `P(a, x)` given `ln Γ(a)`: a power
/// series below `x = a + 1`, Lentz's continued fraction for `1 − P` above.
#[must_use]
pub fn gamma_p(a: f64, x: f64, ln_gamma_a: f64) -> f64 {
    gamma_p_with_prefix(a, x, ln_gamma_a).0
}

/// The power series of `P(a, x)` continued term by term: from the term
/// `term` of denominator `n` (the next is `term · x / (n + 1)`) and the sum
/// so far, until a term no longer changes the sum.
fn continue_series(x: f64, mut n: f64, mut term: f64, mut sum: f64) -> f64 {
    for _ in 0..100_000 {
        n += 1.0;
        term *= x / n;
        sum += term;
        if term <= sum * 1e-16 {
            break;
        }
    }
    sum
}

/// [`gamma_p`] and its prefix `x^a e^{−x} / Γ(a)`, from which
/// `P(a + 1, x) = P(a, x) − prefix / a` follows without a second series.
#[must_use]
pub fn gamma_p_with_prefix(a: f64, x: f64, ln_gamma_a: f64) -> (f64, f64) {
    if x.is_nan() || a.is_nan() {
        return (f64::NAN, f64::NAN);
    }
    if x <= 0.0 {
        return (0.0, 0.0);
    }
    if x.is_infinite() {
        return (1.0, 0.0);
    }
    let prefix = (a * x.ln() - x - ln_gamma_a).exp();
    if x < a + 1.0 {
        let sum = continue_series(x, a, 1.0 / a, 1.0 / a);
        ((prefix * sum).min(1.0), prefix)
    } else {
        (1.0 - prefix * upper_fraction(a, x), prefix)
    }
}

/// Lentz's continued fraction `h` with `1 − P(a, x) = prefix · h`, for `x ≥ a + 1`.
fn upper_fraction(a: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..100_000 {
        let i = f64::from(i);
        let an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < TINY {
            d = TINY;
        }
        c = b + an / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() <= f64::EPSILON {
            break;
        }
    }
    h
}

/// Quantiles of one Gamma(shape, scale) distribution, sharing `ln Γ(shape)`
/// and the reciprocals `1/(shape + k)` of the power series of `P(shape, x)`
/// (every iteration of every quantile runs that series with the same
/// denominators, so they are divided once instead of at every term).
#[derive(Debug, Clone)]
pub struct GammaQuantile {
    shape: f64,
    scale: f64,
    ln_gamma: f64,
    reciprocals: Vec<f64>,
}

impl GammaQuantile {
    /// Prepares quantiles of Gamma(shape, scale).
    #[must_use]
    pub fn new(shape: f64, scale: f64) -> Self {
        // The series serves every x below `series_limit` (a + 1 + 3·√a, past
        // the 0.998 quantile): its terms rise until k ≈ x − a, then fall under
        // 1e-16 of the sum within about 9·√x + 40 more. Beyond the table the
        // series divides as before.
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a whole number of terms between 60 and 4096")]
        let len = if shape > 0.0 && shape.is_finite() { (13.0 * shape.sqrt() + 60.0).min(4096.0) as usize } else { 0 };
        let reciprocals = (1..=len).map(|k| 1.0 / (shape + k as f64)).collect();
        Self { shape, scale, ln_gamma: gamma::ln_gamma(shape), reciprocals }
    }

    /// Below this x, `P(a, x)` is summed by its power series (all terms
    /// positive, so accurate to a few ulp of P); above it the continued
    /// fraction of `1 − P` is cheaper.
    fn series_limit(&self) -> f64 {
        self.shape + 1.0 + 3.0 * self.shape.sqrt()
    }

    /// `P(a, x)` and its prefix `x^a e^{−x} / Γ(a)` (so that the density is
    /// `prefix / x`): [`gamma_p`] with the series' divisions replaced by the
    /// stored reciprocals, and its products in two interleaved chains (even
    /// and odd terms) so that each multiplication waits for the one two terms
    /// back rather than the one before.
    fn p_with_prefix(&self, x: f64) -> (f64, f64) {
        let a = self.shape;
        if x.is_nan() || x <= 0.0 || x.is_infinite() {
            return (gamma_p(a, x, self.ln_gamma), 0.0);
        }
        let prefix = (a * x.ln() - x - self.ln_gamma).exp();
        if x >= self.series_limit() {
            return (1.0 - prefix * upper_fraction(a, x), prefix);
        }
        // term_0 = 1/a, term_k = term_{k−1}·m_k with m_k = x/(a+k): the even
        // terms t_{k+1} = t_{k−1}·m_k·m_{k+1} and the odd t_{k+2} = t_k·m_{k+1}·m_{k+2}.
        let m = |k: usize| x * self.reciprocals[k - 1];
        let len = self.reciprocals.len();
        let mut even = 1.0 / a;
        let mut sum = even;
        let mut k = 0;
        let mut converged = false;
        if len >= 1 {
            let mut odd = even * m(1);
            let (mut even_sum, mut odd_sum) = (even, odd);
            k = 1;
            let mut m_k = m(1);
            while k + 2 <= len {
                let (m_next, m_after) = (m(k + 1), m(k + 2));
                even *= m_k * m_next;
                odd *= m_next * m_after;
                even_sum += even;
                odd_sum += odd;
                m_k = m_after;
                k += 2;
                if odd <= (even_sum + odd_sum) * 1e-16 {
                    converged = true;
                    break;
                }
            }
            sum = even_sum + odd_sum;
            even = odd;
        }
        if !converged {
            // Past the table: continue term by term from term_k.
            let n = a + k as f64;
            sum = continue_series(x, n, even, sum);
        }
        ((prefix * sum).min(1.0), prefix)
    }

    /// The `p` quantile (R's `qgamma(p, shape, scale = scale)`), by
    /// iterating on [`gamma_p`] from a Wilson–Hilferty start; NaN for invalid arguments.
    #[must_use]
    pub fn quantile(&self, p: f64) -> f64 {
        self.solve(p, qnorm(p), 1e-13)
    }

    /// [`Self::quantile`] of a fixed probability whose normal quantile
    /// `z = Φ⁻¹(p)` is known (it only seeds the Wilson–Hilferty start, so a
    /// rounded constant gives the same result).
    #[must_use]
    pub fn quantile_seeded(&self, p: f64, z: f64) -> f64 {
        self.solve(p, z, 1e-13)
    }

    /// The iteration. Far from the root (a Newton step over 5 % of x) it takes
    /// Halley steps, stopping once the predicted error after the step, `|K|·h³`
    /// with Halley's constant `K = c²/12 + (a−1)/(6x²)`, `c = (a−1)/x − 1`, is
    /// below `accept·x`. Close to it, one evaluation of `P` gives the inverse
    /// function's Taylor series to 4th order (its derivatives follow from
    /// `c = f'/f`), which usually lands within `accept·x` at once: the error is
    /// estimated as the last term times the ratio of the last terms. Stopping
    /// there also keeps the ~1e-15 noise of [`gamma_p`] from making further
    /// steps wander.
    fn solve(&self, p: f64, z: f64, accept: f64) -> f64 {
        let (a, scale) = (self.shape, self.scale);
        if p.is_nan() || a.is_nan() || scale.is_nan() || !(0.0..=1.0).contains(&p) || a <= 0.0 || scale <= 0.0 {
            return f64::NAN;
        }
        if p == 0.0 {
            return 0.0;
        }
        if p == 1.0 {
            return f64::INFINITY;
        }
        let mut x = if a >= 1.0 {
            let c = 1.0 / (9.0 * a);
            (a * (1.0 - c + z * c.sqrt()).powi(3)).max(1e-3 * a)
        } else {
            (p * gamma::gamma(a + 1.0)).powf(1.0 / a).max(f64::MIN_POSITIVE)
        };
        let (mut lo, mut hi) = (0.0_f64, f64::INFINITY);
        for _ in 0..200 {
            let (cdf, prefix) = self.p_with_prefix(x);
            let f = cdf - p;
            if f.is_nan() {
                return f64::NAN;
            }
            if f == 0.0 {
                break;
            }
            if f < 0.0 {
                lo = x;
            } else {
                hi = x;
            }
            let density = prefix / x;
            let newton = f / density;
            let c = (a - 1.0) / x - 1.0;
            let step = if newton.abs() <= 0.05 * x {
                // Close: the inverse function's Taylor series to 4th order in
                // u = Δp / density, from c = f'/f = (a−1)/x − 1 and its derivatives.
                let u = -newton;
                let (c1, c2) = (-(a - 1.0) / (x * x), 2.0 * (a - 1.0) / (x * x * x));
                let t2 = -0.5 * c * u * u;
                let t3 = (2.0 * c * c - c1) * u * u * u / 6.0;
                let t4 = (7.0 * c * c1 - 6.0 * c * c * c - c2) * u * u * u * u / 24.0;
                let ratio = [if t3 == 0.0 { 0.0 } else { (t4 / t3).abs() }, if t2 == 0.0 { 0.0 } else { (t3 / t2).abs() }, (u / x).abs()]
                    .into_iter()
                    .fold(0.0, f64::max);
                let step = u + t2 + t3 + t4;
                if t4.abs() * ratio <= accept * x || step.abs() <= 1e-14 * x {
                    x += step;
                    break;
                }
                -step
            } else {
                let halley = newton / (1.0 - 0.5 * newton * c).max(0.5);
                let k = c * c / 12.0 + (a - 1.0) / (6.0 * x * x);
                if (k * halley.powi(3)).abs() <= accept * x || halley.abs() <= 1e-14 * x {
                    x -= halley;
                    break;
                }
                halley
            };
            let mut next = x - step;
            if !next.is_finite() || next <= lo || next >= hi {
                next = if hi.is_finite() { 0.5 * (lo + hi) } else { 2.0 * x.max(lo) + 1.0 };
            }
            x = next;
        }
        x * scale
    }
}

/// The `p` quantile of Gamma(shape, scale), as R's `qgamma(p, shape, scale = scale)`.
#[must_use]
pub fn qgamma(p: f64, shape: f64, scale: f64) -> f64 {
    GammaQuantile::new(shape, scale).quantile(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::tests::close;

    #[test]
    fn qgamma_matches_r() {
        // qgamma(c(0.025, 0.5, 0.975), shape = 10, scale = 0.3) in R
        assert!(close(qgamma(0.025, 10.0, 0.3), 1.438_616_608_839_73, 1e-11));
        let m = qgamma(0.5, 10.0, 0.3);
        assert!(close(m, 2.900_614_384_414_240_5, 1e-11), "{m}");
        assert!(close(qgamma(0.975, 10.0, 0.3), 5.125_441_035_425_751, 1e-11));
        assert!(close(qgamma(0.5, 0.2, 1.0), 0.020_746_339_192_824_86, 1e-9));
        // A shape where the last Halley step rounds to zero (R: 2124.6866282601964).
        assert!(close(qgamma(0.025, 2216.0, 1.0), 2_124.686_628_260_196, 1e-11));
    }

    #[test]
    fn early_stopping_keeps_gamma_quantiles_exact_to_1e_11() {
        for shape in [0.3, 1.0, 1.2, 1.5, 2.5, 3.0, 7.0, 13.0, 20.0, 33.3, 55.5, 76.0, 150.0, 1e3, 1e4, 1e5] {
            let g = GammaQuantile::new(shape, 1.0);
            for p in [0.001, 0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975, 0.999] {
                let (fast, strict) = (g.quantile(p), g.solve(p, qnorm(p), 1e-30));
                assert!(close(fast, strict, 1e-11), "shape {shape} p {p}: {fast} vs {strict}");
            }
        }
    }

    #[test]
    fn the_tabled_series_agrees_with_gamma_p_on_both_sides_of_its_limit() {
        for shape in [0.3, 1.0, 1.14, 4.0, 37.0, 500.0, 5e4] {
            let g = GammaQuantile::new(shape, 1.0);
            let limit = g.series_limit();
            for x in [shape * 0.01, shape * 0.5, shape, shape + 1.0, 0.5 * (shape + 1.0 + limit), limit * 0.999, limit, limit * 1.5] {
                let (p, prefix) = g.p_with_prefix(x);
                let (q, q_prefix) = gamma_p_with_prefix(shape, x, g.ln_gamma);
                // Both share the prefix exp(a·ln x − x − ln Γ(a)), whose rounding
                // error (relative, ~ε times the exponent's terms) moves P and
                // 1 − P by the same amount in opposite directions.
                let tolerance = 4e-16 * (shape * x.ln().abs() + x + g.ln_gamma.abs() + 10.0);
                assert!((p - q).abs() <= tolerance, "shape {shape} x {x}: {p} vs {q}");
                assert!(close(prefix, q_prefix, 1e-15), "shape {shape} x {x}: prefix");
            }
        }
    }

    #[test]
    fn seeded_quantiles_are_the_quantiles() {
        let g = GammaQuantile::new(12.0, 0.25);
        for p in [0.025, 0.5, 0.975] {
            assert_eq!(g.quantile_seeded(p, qnorm(p)), g.quantile(p));
        }
    }
}

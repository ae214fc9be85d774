//! Outbreak detection as data: which syndromes are counted, at which levels
//! of the jurisdiction tree, and which statistical methods run on the counts.
//!
//! An administrator edits a [`DetectionConfig`] like the settings; the core
//! only validates it and classifies reports into [`Syndrome`]s. The statistics
//! themselves live in `cordon-stats`; the server maps each [`MethodSettings`]
//! to that crate's typed configuration, and `cordon-store` counts reports per
//! day, node and syndrome in SQL with the same syndrome rules.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::refusal::{Reason, Unit};
use crate::report::Symptom;
use crate::validation::{Invalid, Problems};

/// A syndrome whose daily counts are watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Syndrome {
    /// Reports with fever: a measured temperature at or above the configured
    /// threshold, or the `fever` symptom ticked when no temperature was measured.
    Fever,
    /// Reports with at least one respiratory symptom ([`Symptom::RESPIRATORY`]).
    Respiratory,
    /// Reports with at least one gastro-intestinal symptom ([`Symptom::GASTROINTESTINAL`]).
    Gastrointestinal,
    /// Suspected cases opened (every case starts as suspected), by the local day it was opened.
    SuspectedCase,
}

impl Syndrome {
    /// Every syndrome, in display order.
    pub const ALL: [Syndrome; 4] = [Syndrome::Fever, Syndrome::Respiratory, Syndrome::Gastrointestinal, Syndrome::SuspectedCase];

    /// Stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Syndrome::Fever => "fever",
            Syndrome::Respiratory => "respiratory",
            Syndrome::Gastrointestinal => "gastrointestinal",
            Syndrome::SuspectedCase => "suspected_case",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Syndrome> {
        Syndrome::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The symptoms of which any one puts a report in this syndrome (empty for
    /// fever, which has its own rule, and for suspected cases, which count cases).
    #[must_use]
    pub fn symptoms(self) -> &'static [Symptom] {
        match self {
            Syndrome::Respiratory => &Symptom::RESPIRATORY,
            Syndrome::Gastrointestinal => &Symptom::GASTROINTESTINAL,
            Syndrome::Fever | Syndrome::SuspectedCase => &[],
        }
    }

    /// Whether a report with these symptoms and temperature belongs to the
    /// syndrome (always false for suspected cases, which are counted from cases).
    #[must_use]
    pub fn is_met_by(self, symptoms: &[Symptom], temperature_c: Option<f64>, fever_min_temperature_c: f64) -> bool {
        match self {
            Syndrome::Fever => match temperature_c {
                Some(t) => t >= fever_min_temperature_c,
                None => symptoms.contains(&Symptom::Fever),
            },
            Syndrome::Respiratory | Syndrome::Gastrointestinal => self.symptoms().iter().any(|s| symptoms.contains(s)),
            Syndrome::SuspectedCase => false,
        }
    }
}

/// A detection method, as named in alerts and series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DetectionMethod {
    /// EARS C1 on daily counts.
    EarsC1,
    /// EARS C2 on daily counts.
    EarsC2,
    /// EARS C3 on daily counts.
    EarsC3,
    /// Farrington flexible on ISO-week totals.
    FarringtonFlexible,
}

impl DetectionMethod {
    /// Every method.
    pub const ALL: [DetectionMethod; 4] =
        [DetectionMethod::EarsC1, DetectionMethod::EarsC2, DetectionMethod::EarsC3, DetectionMethod::FarringtonFlexible];

    /// Stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            DetectionMethod::EarsC1 => "ears_c1",
            DetectionMethod::EarsC2 => "ears_c2",
            DetectionMethod::EarsC3 => "ears_c3",
            DetectionMethod::FarringtonFlexible => "farrington_flexible",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn parse(s: &str) -> Option<DetectionMethod> {
        DetectionMethod::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the method runs on weekly totals (else on daily counts).
    #[must_use]
    pub fn is_weekly(self) -> bool {
        self == DetectionMethod::FarringtonFlexible
    }
}

/// A method with its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum MethodSettings {
    /// EARS C1: the day against the mean and standard deviation of the
    /// `baseline` days just before it.
    EarsC1 {
        /// Baseline length in days (3-28).
        baseline: u32,
        /// One-sided level (0 < alpha < 0.5).
        alpha: f64,
        /// Floor of the baseline standard deviation, so that a run of
        /// identical days does not make a single extra case an alarm.
        min_sigma: f64,
    },
    /// EARS C2: like C1 with a two-day guard band before the day.
    EarsC2 {
        /// Baseline length in days (3-28).
        baseline: u32,
        /// One-sided level.
        alpha: f64,
        /// Floor of the baseline standard deviation.
        min_sigma: f64,
    },
    /// EARS C3: C2 plus the excess of the two previous days.
    EarsC3 {
        /// Baseline length in days (3-28).
        baseline: u32,
        /// One-sided level.
        alpha: f64,
        /// Floor of the baseline standard deviation.
        min_sigma: f64,
    },
    /// Farrington flexible with the Noufaily (2013) settings (10 seasonal
    /// periods, 26 weeks left out, negative-binomial threshold) on ISO-week
    /// totals, run on the last complete week once `years_back` years and
    /// `window_weeks` + 1 weeks of history exist.
    FarringtonFlexible {
        /// Years of history (R's `b`, 1-10).
        years_back: u32,
        /// Half-window around the same week in past years (R's `w`, 1-10).
        window_weeks: u32,
        /// One-sided level.
        alpha: f64,
    },
}

impl MethodSettings {
    /// The method these settings configure.
    #[must_use]
    pub fn method(&self) -> DetectionMethod {
        match self {
            MethodSettings::EarsC1 { .. } => DetectionMethod::EarsC1,
            MethodSettings::EarsC2 { .. } => DetectionMethod::EarsC2,
            MethodSettings::EarsC3 { .. } => DetectionMethod::EarsC3,
            MethodSettings::FarringtonFlexible { .. } => DetectionMethod::FarringtonFlexible,
        }
    }

    /// Days of daily history (or, for weekly methods, weeks) a time point needs.
    #[must_use]
    pub fn history(&self) -> u32 {
        match self {
            MethodSettings::EarsC1 { baseline, .. } => baseline + 1,
            MethodSettings::EarsC2 { baseline, .. } => baseline + 3,
            MethodSettings::EarsC3 { baseline, .. } => baseline + 5,
            MethodSettings::FarringtonFlexible { years_back, window_weeks, .. } => 53 * years_back + window_weeks + 1,
        }
    }

    fn check(&self, field: &str, p: &mut Problems) {
        let alpha = match self {
            MethodSettings::EarsC1 { baseline, alpha, min_sigma }
            | MethodSettings::EarsC2 { baseline, alpha, min_sigma }
            | MethodSettings::EarsC3 { baseline, alpha, min_sigma } => {
                if !(3..=28).contains(baseline) {
                    p.add(format!("{field}.baseline"), Reason::Between { min: 3.0, max: 28.0, unit: Unit::Days });
                }
                if !(min_sigma.is_finite() && *min_sigma >= 0.0 && *min_sigma <= 1000.0) {
                    p.add(format!("{field}.min_sigma"), Reason::Between { min: 0.0, max: 1000.0, unit: Unit::Number });
                }
                *alpha
            }
            MethodSettings::FarringtonFlexible { years_back, window_weeks, alpha } => {
                if !(1..=10).contains(years_back) {
                    p.add(format!("{field}.years_back"), Reason::Between { min: 1.0, max: 10.0, unit: Unit::Years });
                }
                if !(1..=10).contains(window_weeks) {
                    p.add(format!("{field}.window_weeks"), Reason::Between { min: 1.0, max: 10.0, unit: Unit::Weeks });
                }
                *alpha
            }
        };
        if !(alpha > 0.0 && alpha < 0.5) {
            p.add(format!("{field}.alpha"), Reason::StrictlyBetween { above: 0.0, below: 0.5 });
        }
    }
}

/// What the detection job does, edited by an administrator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DetectionConfig {
    /// Whether the daily job runs (on-demand runs work either way).
    pub enabled: bool,
    /// The syndromes counted and watched.
    pub syndromes: Vec<Syndrome>,
    /// Depths of the jurisdiction tree watched (0 = nation).
    pub levels: Vec<i64>,
    /// Temperature (°C) at or above which a measured report counts as fever.
    pub fever_min_temperature_c: f64,
    /// The methods run on every watched node and syndrome; one entry per method.
    pub methods: Vec<MethodSettings>,
}

impl Default for DetectionConfig {
    /// Every syndrome at the nation, province, county and district levels
    /// (units are too small for stable daily baselines); EARS C2 on daily counts
    /// (7-day baseline, alpha 0.001, standard deviation floored at 1 case) and
    /// Farrington flexible with Noufaily's settings on ISO weeks (3 years back,
    /// ±3 weeks, alpha 0.005), which starts once three years of history exist.
    fn default() -> Self {
        DetectionConfig {
            enabled: true,
            syndromes: Syndrome::ALL.to_vec(),
            levels: vec![0, 1, 2, 3],
            fever_min_temperature_c: 37.5,
            methods: vec![
                MethodSettings::EarsC2 { baseline: 7, alpha: 0.001, min_sigma: 1.0 },
                MethodSettings::FarringtonFlexible { years_back: 3, window_weeks: 3, alpha: 0.005 },
            ],
        }
    }
}

impl DetectionConfig {
    /// Checks every field, naming each one that is wrong.
    pub fn check(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        if self.syndromes.is_empty() {
            p.add("syndromes", Reason::NoSyndrome);
        }
        if self.levels.is_empty() || self.levels.iter().any(|l| !(0..16).contains(l)) {
            p.add("levels", Reason::TreeDepths);
        }
        if !(35.0..=42.0).contains(&self.fever_min_temperature_c) {
            p.add("fever_min_temperature_c", Reason::Between { min: 35.0, max: 42.0, unit: Unit::Celsius });
        }
        if self.methods.is_empty() {
            p.add("methods", Reason::NoMethod);
        }
        for (i, m) in self.methods.iter().enumerate() {
            m.check(&format!("methods[{i}]"), &mut p);
            if self.methods[..i].iter().any(|o| o.method() == m.method()) {
                p.add(format!("methods[{i}].method"), Reason::ListedTwice);
            }
        }
        p.finish(())
    }

    /// The settings of `method`, if it is configured.
    #[must_use]
    pub fn method(&self, method: DetectionMethod) -> Option<&MethodSettings> {
        self.methods.iter().find(|m| m.method() == method)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_configuration_is_valid_and_round_trips() {
        let d = DetectionConfig::default();
        assert!(d.check().is_ok());
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<DetectionConfig>(&json).unwrap(), d);
        assert!(json.contains(r#""method":"ears_c2""#), "{json}");
    }

    #[test]
    fn bad_settings_are_named() {
        let bad = DetectionConfig {
            syndromes: vec![],
            levels: vec![-1],
            methods: vec![
                MethodSettings::EarsC1 { baseline: 2, alpha: 0.6, min_sigma: 0.0 },
                MethodSettings::EarsC1 { baseline: 7, alpha: 0.01, min_sigma: f64::NAN },
            ],
            ..DetectionConfig::default()
        };
        let fields: Vec<_> = bad.check().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["syndromes", "levels", "methods[0].baseline", "methods[0].alpha", "methods[1].min_sigma", "methods[1].method"]);
    }

    #[test]
    fn syndromes_follow_the_symptoms_and_the_fever_rule() {
        use Symptom::*;
        assert!(Syndrome::Fever.is_met_by(&[], Some(38.0), 37.5));
        assert!(!Syndrome::Fever.is_met_by(&[Fever], Some(36.8), 37.5), "a measured temperature wins over the tick");
        assert!(Syndrome::Fever.is_met_by(&[Fever], None, 37.5));
        assert!(Syndrome::Respiratory.is_met_by(&[Headache, SoreThroat], None, 37.5));
        assert!(!Syndrome::Respiratory.is_met_by(&[Diarrhoea], None, 37.5));
        assert!(Syndrome::Gastrointestinal.is_met_by(&[Vomiting], None, 37.5));
        assert_eq!(Syndrome::parse("suspected_case"), Some(Syndrome::SuspectedCase));
        assert_eq!(DetectionMethod::parse("ears_c3"), Some(DetectionMethod::EarsC3));
    }
}

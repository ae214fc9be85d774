//! The model's parameters, each with where its value comes from.
//!
//! The pathogen is parameterised like the ancestral strain of SARS-CoV-2,
//! the best-measured novel respiratory virus; the behaviour of residents,
//! unit heads, health workers and the laboratory are modelling choices that
//! set the demo's volume, and say so. `docs/SIMULATION.md` discusses each
//! value and how it shapes the outbreak. A table of definitions is the
//! allowed exception to short functions.

/// Natural history and transmission of the pathogen.
#[derive(Debug, Clone, PartialEq)]
pub struct Disease {
    /// Basic reproduction number: infections caused by one infection in a
    /// fully susceptible population without measures. 2.5 lies between the
    /// early estimates of Li et al. 2020 (NEJM 382:1199, 2.2) and Riou &
    /// Althaus 2020 (Euro Surveill 25(4), 2.2, 90% HDI 1.4-3.8) and the
    /// median of 2.79 in the review of Liu et al. 2020 (J Travel Med 27(2)).
    pub r0: f64,
    /// Dispersion `k` of the individual reproduction number (gamma with mean
    /// 1 multiplies each infection's contacts outside the household): few
    /// infections cause most transmission. Adam et al. 2020 (Nat Med 26:1714)
    /// estimated k = 0.45 in Hong Kong; Endo et al. 2020 (Wellcome Open Res
    /// 5:67) 0.1 from the early exported cases.
    pub dispersion_k: f64,
    /// Log-mean (days) of the lognormal incubation period; with
    /// [`Disease::incubation_sdlog`] this is Lauer et al. 2020 (Ann Intern
    /// Med 172:577): median 5.1 days, 97.5% within 11.5 days.
    pub incubation_meanlog: f64,
    /// Log-standard deviation of the incubation period (Lauer et al. 2020).
    pub incubation_sdlog: f64,
    /// Days of infectiousness before symptom onset. He et al. 2020 (Nat Med
    /// 26:672) found infectiousness starting 2.3 days (95% CI 0.8-3.0)
    /// before onset and peaking 0.7 days before it.
    pub presymptomatic_days: f64,
    /// Relative infectiousness on each day of the infectious period (sums
    /// to 1). Front-loaded around onset after He et al. 2020; with the
    /// latent period this gives a mean generation time of about 5 days, the
    /// 5.0 days of Ferretti et al. 2020 (Science 368:eabb6936). Culturable
    /// virus was not found after day 8 of symptoms (Wölfel et al. 2020,
    /// Nature 581:465), hence eight days.
    pub infectiousness: [f64; 8],
    /// Fraction of infections that ever have symptoms. Buitrago-Garcia et
    /// al. 2020 (PLoS Med 17:e1003346) estimated 20% (95% CI 17-25%) stay
    /// asymptomatic.
    pub symptomatic_fraction: f64,
    /// Infectiousness of an asymptomatic infection relative to a
    /// symptomatic one: 0.35 (95% CI 0.10-0.60), Buitrago-Garcia et al. 2020.
    pub asymptomatic_relative: f64,
    /// Household secondary attack rate from a symptomatic index case over
    /// the whole infectious period: 16.6% in the meta-analysis of Madewell
    /// et al. 2020 (JAMA Netw Open 3:e2031756).
    pub household_attack_rate: f64,
    /// Shares of transmission outside the household that happen in the
    /// neighbourhood unit, in the district and by travel to other counties
    /// (gravity model). A modelling choice: Ferguson et al. 2020 (Imperial
    /// College Report 9) put a third of transmission in households, a third
    /// in schools and workplaces and a third in the community.
    pub setting_shares: [f64; 3],
    /// Fraction of confirmed cases that die: 1.38% in China (Verity et al.
    /// 2020, Lancet Infect Dis 20:669).
    pub case_fatality: f64,
    /// Days from onset to death: 17.8 (Verity et al. 2020).
    pub onset_to_death_days: f64,
    /// Days from onset to recovery of a mild case: about two weeks
    /// (Report of the WHO-China Joint Mission on COVID-19, February 2020).
    pub onset_to_recovery_days: f64,
}

/// How ill residents come to the system's attention.
#[derive(Debug, Clone, PartialEq)]
pub struct Reporting {
    /// Probability that a symptomatic infection is reported by the unit head.
    /// A choice that sets the demo's volume: Li et al. 2020 (Science 368:489)
    /// estimated that only 14% of infections were documented in China before
    /// 23 January 2020; a unit-based system that asks for every fever aims
    /// higher, and 0.35 keeps the stored reports in the tens of thousands.
    pub report_probability: f64,
    /// Mean days from onset to the unit head's report (gamma). Li et al.
    /// 2020 (NEJM 382:1199) measured 5.8 days from onset to a first medical
    /// visit early on, 4.6 later; active reporting by unit heads is faster.
    pub onset_to_report_mean_days: f64,
    /// Standard deviation of the onset-to-report delay (days).
    pub onset_to_report_sd_days: f64,
    /// Reports per 100,000 residents per day of illness that is not the
    /// outbreak (colds, gastro-enteritis): the background every
    /// surveillance system sees. A choice for volume; some meet the case
    /// definition and are discarded after a negative test.
    pub background_per_100k_day: f64,
    /// Fraction of reports with a measured temperature.
    pub temperature_measured: f64,
    /// Residents per 100,000 that a unit head counts as ill in a daily
    /// report without a symptom report (mild, self-limiting illness).
    pub mild_ill_per_100k: f64,
}

/// How health workers, laboratories and the command respond.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// Median minutes from a task's assignment to its acknowledgement
    /// (lognormal). A choice: well inside the 120-minute deadline that
    /// cordon's settings start with.
    pub ack_median_minutes: f64,
    /// Log-standard deviation of the acknowledgement delay.
    pub ack_sdlog: f64,
    /// Probability that the first worker never acknowledges (phone off,
    /// asleep): the task escalates at its deadline and the next worker up
    /// acknowledges it.
    pub ack_missed: f64,
    /// The investigation deadline the workers work to, in minutes (cordon's
    /// default setting).
    pub deadline_minutes: f64,
    /// Median minutes from acknowledgement to the visit (travel and history).
    pub visit_median_minutes: f64,
    /// Mean hours from the visit to the laboratory result (gamma, sd a third
    /// of the mean).
    pub lab_turnaround_hours: f64,
    /// Probability that a sample from an infected person tests positive.
    /// Kucirka et al. 2020 (Ann Intern Med 173:262) found RT-PCR missed at
    /// least 20% of infections around onset; 0.85 for samples taken a few
    /// days after onset.
    pub test_sensitivity: f64,
    /// Probability that a sample from an uninfected person tests negative.
    pub test_specificity: f64,
    /// Probability that the visiting worker classifies a case with fever and
    /// a typical symptom as probable before the laboratory result.
    pub probable_at_visit: f64,
    /// Isolation of a reported case that meets the definition removes this
    /// fraction of its later transmission outside the household.
    pub isolation_outside: f64,
    /// ... and this fraction of its later transmission in the household.
    pub isolation_household: f64,
    /// Laboratory-confirmed cases per 100,000 residents at which the command
    /// orders measures (distancing, gathering limits, border quarantine).
    pub measures_trigger_per_100k: f64,
    /// Days from the trigger to measures in force.
    pub measures_delay_days: u32,
    /// Fractions of transmission removed by the measures in the unit, the
    /// district and by travel. Flaxman et al. 2020 (Nature 584:257) found
    /// the measures of 11 European countries cut the reproduction number by
    /// 81% on average; ours cut less, so the curve falls slowly.
    pub measures_reduction: [f64; 3],
}

/// Infections brought in from abroad through the points of entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Imports {
    /// Residents who come home infected on day 0, whatever the country's
    /// size: the outbreak's seed.
    pub seed_infections: u32,
    /// Imported infections per day per 10 million residents on day 0.
    pub per_10m_day: f64,
    /// Days for the epidemic abroad (and with it the import rate) to double.
    pub doubling_days: f64,
    /// The import rate stops growing at this multiple of the first day's.
    pub max_growth: f64,
    /// Fraction of imports stopped once measures (border quarantine) are in force.
    pub border_reduction: f64,
}

/// How units file their daily reports.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyReporting {
    /// Local hour by which a daily report is due (cordon's default setting, 18).
    pub due_hour: u32,
    /// Probability that a dependable unit files late (after the due hour).
    pub late: f64,
    /// Probability that a dependable unit stays silent for a day.
    pub silent: f64,
    /// Fraction of units that are undependable.
    pub undependable_units: f64,
    /// Probability that an undependable unit stays silent for a day.
    pub undependable_silent: f64,
}

/// Contact tracing, quarantine and arrivals at the border.
#[derive(Debug, Clone, PartialEq)]
pub struct Tracing {
    /// The first simulated day on which investigations list contacts and
    /// border officers register arrivals (the demo starts a week before
    /// "now": every order brings a follow-up visit a day).
    pub from_day: u32,
    /// Mean number of neighbours (unit contacts: work, gatherings) listed
    /// besides the household (Poisson).
    pub unit_contacts: f64,
    /// Probability that a contact from another county (travel) is listed too,
    /// so that the contact is handed over to that county's command.
    pub travel_contact: f64,
    /// Days of quarantine after the last exposure (cordon's default setting).
    pub quarantine_days: u32,
    /// Days of a case's isolation (cordon's default setting).
    pub isolation_days: u32,
    /// Fraction of an infected contact's transmission that quarantine
    /// prevents, from the day they are listed.
    pub quarantine_effect: f64,
    /// Probability that the person is not found at a follow-up visit.
    pub visit_not_seen: f64,
    /// Healthy residents returning through the points of entry per day per
    /// 10 million residents (the border is all but closed; every arrival is
    /// quarantined in a facility).
    pub arrivals_per_10m_day: f64,
}

/// Every parameter of the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameters {
    /// The pathogen.
    pub disease: Disease,
    /// Residents and unit heads.
    pub reporting: Reporting,
    /// Workers, laboratory and command.
    pub response: Response,
    /// Infections from abroad.
    pub imports: Imports,
    /// Daily unit reports.
    pub daily: DailyReporting,
    /// Contact tracing, quarantine and arrivals.
    pub tracing: Tracing,
    /// The first simulated day on which units file daily reports (the demo
    /// starts them a fortnight before "now" to keep the history small).
    pub daily_reports_from_day: u32,
}

impl Default for Parameters {
    fn default() -> Self {
        Parameters {
            disease: Disease {
                r0: 2.5,
                dispersion_k: 0.45,
                incubation_meanlog: 1.621,
                incubation_sdlog: 0.418,
                presymptomatic_days: 2.3,
                infectiousness: [0.20, 0.25, 0.19, 0.13, 0.09, 0.06, 0.05, 0.03],
                symptomatic_fraction: 0.8,
                asymptomatic_relative: 0.35,
                household_attack_rate: 0.166,
                setting_shares: [0.35, 0.45, 0.20],
                case_fatality: 0.0138,
                onset_to_death_days: 17.8,
                onset_to_recovery_days: 14.0,
            },
            reporting: Reporting {
                report_probability: 0.35,
                onset_to_report_mean_days: 1.5,
                onset_to_report_sd_days: 1.2,
                background_per_100k_day: 0.3,
                temperature_measured: 0.85,
                mild_ill_per_100k: 40.0,
            },
            response: Response {
                ack_median_minutes: 20.0,
                ack_sdlog: 0.8,
                ack_missed: 0.04,
                deadline_minutes: 120.0,
                visit_median_minutes: 50.0,
                lab_turnaround_hours: 20.0,
                test_sensitivity: 0.85,
                test_specificity: 0.998,
                probable_at_visit: 0.6,
                isolation_outside: 0.9,
                isolation_household: 0.5,
                measures_trigger_per_100k: 2.0,
                measures_delay_days: 3,
                measures_reduction: [0.6, 0.7, 0.8],
            },
            imports: Imports { seed_infections: 5, per_10m_day: 0.4, doubling_days: 10.0, max_growth: 8.0, border_reduction: 0.9 },
            daily: DailyReporting { due_hour: 18, late: 0.06, silent: 0.004, undependable_units: 0.02, undependable_silent: 0.3 },
            tracing: Tracing {
                from_day: 0,
                unit_contacts: 0.7,
                travel_contact: 0.15,
                quarantine_days: 14,
                isolation_days: 14,
                quarantine_effect: 0.8,
                visit_not_seen: 0.03,
                arrivals_per_10m_day: 8.0,
            },
            daily_reports_from_day: 0,
        }
    }
}

/// Days before "now" on which the demo's units file daily reports, and
/// from which cases are isolated, contacts quarantined and arrivals
/// registered (every order brings a follow-up visit a day).
pub const DEMO_RECENT_DAYS: u32 = 7;

impl Parameters {
    /// The parameters of the demo and of `cordon simulate` for a history of
    /// `days` days: the defaults, with daily unit reports, contact tracing,
    /// quarantine and arrivals in the last [`DEMO_RECENT_DAYS`] days only,
    /// to keep the demo database small.
    #[must_use]
    pub fn demo(days: u32) -> Parameters {
        let from = days.saturating_sub(DEMO_RECENT_DAYS - 1);
        let mut p = Parameters { daily_reports_from_day: from, ..Parameters::default() };
        p.tracing.from_day = from;
        p
    }

    /// Checks that every probability is in [0, 1] and every rate, mean and
    /// duration is finite and positive; names the first that is not.
    pub fn check(&self) -> Result<(), crate::SimError> {
        let d = &self.disease;
        let first_wrong = |values: &[(&'static str, f64)], ok: fn(f64) -> bool, reason: &'static str| {
            values.iter().find(|(_, v)| !ok(*v)).map_or(Ok(()), |&(name, _)| Err(crate::SimError::Parameter { name, reason }))
        };
        first_wrong(&self.probabilities(), |p| (0.0..=1.0).contains(&p), "must be a probability between 0 and 1")?;
        first_wrong(&self.positives(), |v| v.is_finite() && v > 0.0, "must be a finite number above 0")?;
        first_wrong(&self.non_negatives(), |v| v.is_finite() && v >= 0.0, "must be a finite number, 0 or more")?;
        if !(1..=60).contains(&self.tracing.quarantine_days) || !(1..=60).contains(&self.tracing.isolation_days) {
            return Err(crate::SimError::Parameter { name: "tracing.quarantine_days", reason: "and isolation_days must be 1 to 60 days" });
        }
        if !(8..=21).contains(&self.daily.due_hour) {
            return Err(crate::SimError::Parameter { name: "daily.due_hour", reason: "must be an hour from 8 to 21" });
        }
        let weights = d.infectiousness.iter().chain(&d.setting_shares);
        if weights.clone().any(|w| !(w.is_finite() && *w >= 0.0)) || d.infectiousness.iter().sum::<f64>() <= 0.0 {
            return Err(crate::SimError::Parameter {
                name: "disease.infectiousness",
                reason: "weights must be finite, 0 or more, not all 0",
            });
        }
        if d.setting_shares.iter().sum::<f64>() <= 0.0 {
            return Err(crate::SimError::Parameter { name: "disease.setting_shares", reason: "shares must not all be 0" });
        }
        Ok(())
    }

    /// The parameters that are probabilities.
    fn probabilities(&self) -> [(&'static str, f64); 23] {
        let d = &self.disease;
        let r = &self.reporting;
        let s = &self.response;
        [
            ("disease.symptomatic_fraction", d.symptomatic_fraction),
            ("disease.asymptomatic_relative", d.asymptomatic_relative),
            ("disease.household_attack_rate", d.household_attack_rate),
            ("disease.case_fatality", d.case_fatality),
            ("reporting.report_probability", r.report_probability),
            ("reporting.temperature_measured", r.temperature_measured),
            ("response.ack_missed", s.ack_missed),
            ("response.test_sensitivity", s.test_sensitivity),
            ("response.test_specificity", s.test_specificity),
            ("response.probable_at_visit", s.probable_at_visit),
            ("response.isolation_outside", s.isolation_outside),
            ("response.isolation_household", s.isolation_household),
            ("response.measures_reduction[0]", s.measures_reduction[0]),
            ("response.measures_reduction[1]", s.measures_reduction[1]),
            ("response.measures_reduction[2]", s.measures_reduction[2]),
            ("imports.border_reduction", self.imports.border_reduction),
            ("daily.late", self.daily.late),
            ("daily.silent", self.daily.silent),
            ("daily.undependable_units", self.daily.undependable_units),
            ("daily.undependable_silent", self.daily.undependable_silent),
            ("tracing.travel_contact", self.tracing.travel_contact),
            ("tracing.quarantine_effect", self.tracing.quarantine_effect),
            ("tracing.visit_not_seen", self.tracing.visit_not_seen),
        ]
    }

    /// The rates, means and durations that must be above 0.
    fn positives(&self) -> [(&'static str, f64); 14] {
        let d = &self.disease;
        let r = &self.reporting;
        let s = &self.response;
        [
            ("disease.r0", d.r0),
            ("disease.dispersion_k", d.dispersion_k),
            ("disease.incubation_sdlog", d.incubation_sdlog),
            ("disease.onset_to_death_days", d.onset_to_death_days),
            ("disease.onset_to_recovery_days", d.onset_to_recovery_days),
            ("reporting.onset_to_report_mean_days", r.onset_to_report_mean_days),
            ("reporting.onset_to_report_sd_days", r.onset_to_report_sd_days),
            ("response.ack_median_minutes", s.ack_median_minutes),
            ("response.ack_sdlog", s.ack_sdlog),
            ("response.deadline_minutes", s.deadline_minutes),
            ("response.visit_median_minutes", s.visit_median_minutes),
            ("response.lab_turnaround_hours", s.lab_turnaround_hours),
            ("imports.doubling_days", self.imports.doubling_days),
            ("imports.max_growth", self.imports.max_growth),
        ]
    }

    /// The values that may be 0 but not below.
    fn non_negatives(&self) -> [(&'static str, f64); 8] {
        let d = &self.disease;
        let r = &self.reporting;
        let s = &self.response;
        [
            ("disease.incubation_meanlog", d.incubation_meanlog.abs()),
            ("disease.presymptomatic_days", d.presymptomatic_days),
            ("reporting.background_per_100k_day", r.background_per_100k_day),
            ("reporting.mild_ill_per_100k", r.mild_ill_per_100k),
            ("response.measures_trigger_per_100k", s.measures_trigger_per_100k),
            ("imports.per_10m_day", self.imports.per_10m_day),
            ("tracing.unit_contacts", self.tracing.unit_contacts),
            ("tracing.arrivals_per_10m_day", self.tracing.arrivals_per_10m_day),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_pass_their_own_check() {
        assert_eq!(Parameters::default().check(), Ok(()));
    }

    #[test]
    fn a_bad_probability_is_named() {
        let mut p = Parameters::default();
        p.response.test_sensitivity = 1.5;
        assert_eq!(
            p.check(),
            Err(crate::SimError::Parameter { name: "response.test_sensitivity", reason: "must be a probability between 0 and 1" })
        );
    }
}

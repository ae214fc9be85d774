//! Outbreak detection inside the running system: from the stored counts to
//! signals and alerts.
//!
//! [`run_daily`] is the background job's pass (one per local day, for the day
//! just ended); [`run_now`] is the on-demand run of the API. Both bring the
//! per-day counts up to date in SQL (`Store::refresh_counts`), read the
//! series of every watched node and syndrome, run the configured methods of
//! `cordon-stats` on a blocking thread, and hand the resulting [`Signal`]s to
//! the store, which raises one alert per alarm (the rule is the core's).
//! [`node_series`] gives the board the same computation over a window:
//! observed, expected, bound and alarm per period.

use std::collections::HashMap;

use cordon_core::alert::{Alert, Signal};
use cordon_core::detection::{DetectionConfig, DetectionMethod, MethodSettings, Syndrome};
use cordon_core::jurisdiction::{Node, NodePath};
use cordon_stats::detection::Extra;
use cordon_stats::ears::{EarsConfig, EarsMethod, ears};
use cordon_stats::epiweek::WeekSystem;
use cordon_stats::farrington_flexible::{FlexibleConfig, default_range, farrington_flexible};
use cordon_stats::{CivilDate, PeriodRange, Series};
use cordon_store::StoreError;
use cordon_store::counts::{day_from_number, day_number, week_number, week_start};
use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// How many past days the daily job catches up on after a pause.
pub const CATCH_UP_DAYS: i64 = 7;

/// One period of a node's series under one method, as the board draws it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SeriesPoint {
    /// First day of the period.
    pub period_start: Date,
    /// Last day of the period.
    pub period_end: Date,
    /// The count observed.
    pub observed: f64,
    /// The count expected from the baseline (`null` where the method could not run).
    pub expected: Option<f64>,
    /// The threshold (`null` where the method could not run, e.g. too little history).
    pub upper_bound: Option<f64>,
    /// Whether the period alarms (`null` where the method could not run).
    pub alarm: Option<bool>,
}

/// What a detection run did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RunSummary {
    /// The day evaluated (weekly methods: the ISO week ending on or before it).
    pub day: Date,
    /// Node, syndrome and method combinations evaluated.
    pub evaluated: usize,
    /// Of those, how many alarmed.
    pub alarms: usize,
    /// Combinations skipped for lack of history (e.g. weekly methods in the first years).
    pub skipped: usize,
    /// The alerts raised (alarms already raised before are not raised again).
    pub alerts: Vec<Alert>,
}

/// The periods of one method: days, or ISO weeks for weekly methods.
fn period_bounds(method: DetectionMethod, period: i64) -> (Date, Date) {
    if method.is_weekly() {
        let start = week_start(period);
        (start, day_from_number(day_number(start) + 6))
    } else {
        (day_from_number(period), day_from_number(period))
    }
}

/// The last period of `method` that is complete on `day`: the day itself, or
/// the last ISO week ending on or before it.
fn last_period(method: DetectionMethod, day: Date) -> i64 {
    let d = day_number(day);
    if method.is_weekly() { week_number(d + 1) - 1 } else { d }
}

/// The first complete period at or after the first counted day.
fn first_period(method: DetectionMethod, first_day: i64) -> i64 {
    if method.is_weekly() { week_number(first_day + 6) } else { first_day }
}

fn civil(day: Date) -> CivilDate {
    CivilDate::from_days_since_epoch(day_number(day))
}

/// Runs `settings` over `counts` (period `first` onwards, oldest first) and
/// returns one point per period; periods before `evaluate_from` (0-based) or
/// without enough history get no bound.
#[must_use]
pub fn detect(settings: &MethodSettings, first: i64, counts: &[f64], evaluate_from: usize) -> Vec<SeriesPoint> {
    let method = settings.method();
    let n = counts.len();
    let mut points: Vec<SeriesPoint> = (first..)
        .zip(counts)
        .map(|(period, &observed)| {
            let (period_start, period_end) = period_bounds(method, period);
            SeriesPoint { period_start, period_end, observed, expected: None, upper_bound: None, alarm: None }
        })
        .collect();
    let detections = match *settings {
        MethodSettings::EarsC1 { baseline, alpha, min_sigma }
        | MethodSettings::EarsC2 { baseline, alpha, min_sigma }
        | MethodSettings::EarsC3 { baseline, alpha, min_sigma } => {
            let ears_method = match method {
                DetectionMethod::EarsC1 => EarsMethod::C1,
                DetectionMethod::EarsC2 => EarsMethod::C2,
                _ => EarsMethod::C3,
            };
            let from = (evaluate_from + 1).max(settings.history() as usize);
            let Ok(range) = PeriodRange::new(from, n) else { return points };
            let config = EarsConfig { range: Some(range), method: ears_method, baseline: baseline as usize, min_sigma, alpha };
            let Ok(series) = Series::from_counts("node", counts.to_vec(), 7) else { return points };
            ears(&series, &config)
        }
        MethodSettings::FarringtonFlexible { years_back, window_weeks, alpha } => {
            let dates: Vec<CivilDate> = points.iter().map(|p| civil(p.period_start)).collect();
            let (year, period) = dates
                .iter()
                .map(|d| {
                    let w = WeekSystem::Iso.week_of(*d);
                    (w.year, u32::from(w.week))
                })
                .unzip();
            let series = Series {
                unit: "node".into(),
                counts: counts.to_vec(),
                population: vec![1.0; n],
                year,
                period,
                dates: Some(dates),
                freq: 52,
            };
            let mut config = FlexibleConfig { b: years_back as usize, w: window_weeks as usize, alpha, ..FlexibleConfig::noufaily() };
            let Ok(full) = default_range(&series, &config) else { return points };
            let Ok(range) = PeriodRange::new(full.from.max(evaluate_from + 1), n) else { return points };
            config.range = Some(range);
            farrington_flexible(&series, &config)
        }
    };
    for d in detections.unwrap_or_default() {
        let expected = match (settings, &d.extra) {
            (_, Extra::Flexible { expected, .. }) => *expected,
            (MethodSettings::EarsC1 { baseline, .. }, _) => baseline_mean(counts, d.period_index - 1, 1, *baseline as usize),
            (MethodSettings::EarsC2 { baseline, .. } | MethodSettings::EarsC3 { baseline, .. }, _) => {
                baseline_mean(counts, d.period_index - 1, 3, *baseline as usize)
            }
            _ => None,
        };
        if let Some(p) = points.get_mut(d.period_index - 1) {
            p.expected = expected;
            p.upper_bound = d.upperbound.filter(|u| u.is_finite());
            p.alarm = p.upper_bound.and(d.alarm);
        }
    }
    points
}

/// EARS has no expected column in R's layout: the mean of the baseline
/// (`baseline` periods ending `lag` before `t`) stands for it.
fn baseline_mean(counts: &[f64], t: usize, lag: usize, baseline: usize) -> Option<f64> {
    let window = counts.get(t.checked_sub(lag + baseline - 1)?..=t.checked_sub(lag)?)?;
    Some(window.iter().sum::<f64>() / baseline as f64)
}

/// The inputs of one node and syndrome: its counts per method family.
struct Job {
    node: Node,
    syndrome: Syndrome,
    settings: MethodSettings,
    first: i64,
    counts: Vec<f64>,
}

/// Loads the counts every configured method needs for `day` at the watched
/// levels under `scope`; methods whose history does not reach back far
/// enough are counted as skipped.
async fn jobs_for(
    state: &AppState,
    config: &DetectionConfig,
    scope: &NodePath,
    day: Date,
    first_day: i64,
) -> Result<(Vec<Job>, usize), StoreError> {
    let mut jobs = Vec::new();
    let mut skipped = 0;
    let mut levels = config.levels.clone();
    levels.sort_unstable();
    levels.dedup();
    for level in levels {
        let nodes = state.store.subtree(scope, Some(level)).await?;
        if nodes.is_empty() {
            continue;
        }
        for settings in &config.methods {
            let method = settings.method();
            let last = last_period(method, day);
            let first = (last - i64::from(settings.history()) + 1).max(first_period(method, first_day));
            if first > last - i64::from(settings.history()) + 1 {
                skipped += nodes.len() * config.syndromes.len();
                continue;
            }
            let rows = if method.is_weekly() {
                state.store.weekly_counts(scope, level, first, last).await?
            } else {
                state.store.daily_counts(scope, level, day_from_number(first), day_from_number(last)).await?
            };
            let len = usize::try_from(last - first + 1).unwrap_or(0);
            let mut series: HashMap<(NodePath, Syndrome), Vec<f64>> = HashMap::new();
            for row in rows {
                let slot = series.entry((row.node_path, row.syndrome)).or_insert_with(|| vec![0.0; len]);
                if let Some(v) = usize::try_from(row.period - first).ok().and_then(|i| slot.get_mut(i)) {
                    *v = row.count as f64;
                }
            }
            for node in &nodes {
                for &syndrome in &config.syndromes {
                    let counts = series.remove(&(node.path.clone(), syndrome)).unwrap_or_else(|| vec![0.0; len]);
                    jobs.push(Job { node: node.clone(), syndrome, settings: settings.clone(), first, counts });
                }
            }
        }
    }
    Ok((jobs, skipped))
}

/// Evaluates the last period of every job on a blocking thread.
async fn signals_of(jobs: Vec<Job>) -> Result<Vec<Signal>, String> {
    tokio::task::spawn_blocking(move || {
        jobs.into_iter()
            .filter_map(|job| {
                let last = job.counts.len().checked_sub(1)?;
                let point = detect(&job.settings, job.first, &job.counts, last).pop()?;
                point.upper_bound?;
                Some(Signal {
                    node_id: job.node.id,
                    node_path: job.node.path,
                    syndrome: job.syndrome,
                    method: job.settings.method(),
                    period_start: point.period_start,
                    period_end: point.period_end,
                    observed: point.observed,
                    expected: point.expected,
                    upper_bound: point.upper_bound,
                    alarm: point.alarm == Some(true),
                })
            })
            .collect()
    })
    .await
    .map_err(|e| format!("the detection worker failed: {e}"))
}

/// Counts up to now and the signals of `day` under `scope`.
async fn evaluate(state: &AppState, config: &DetectionConfig, scope: &NodePath, day: Date) -> Result<(Vec<Signal>, usize), StoreError> {
    let Some(first_day) = state.store.first_count_day().await? else { return Ok((Vec::new(), 0)) };
    let (jobs, skipped) = jobs_for(state, config, scope, day, day_number(first_day)).await?;
    match signals_of(jobs).await {
        Ok(signals) => Ok((signals, skipped)),
        Err(error) => {
            tracing::error!(%error, "outbreak detection failed");
            Ok((Vec::new(), skipped))
        }
    }
}

/// Brings the counts up to date through the local today.
async fn refresh(state: &AppState, config: &DetectionConfig) -> Result<Date, StoreError> {
    let settings = state.store.settings().await?;
    let today = settings.local_date(state.now());
    state.store.refresh_counts(&settings, config.fever_min_temperature_c, today).await?;
    Ok(today)
}

/// Runs detection now for `day` over the watched nodes under `scope` and
/// raises alerts for new alarms.
pub async fn run_now(state: &AppState, scope: &NodePath, day: Date) -> Result<RunSummary, StoreError> {
    let config = state.store.detection_config().await?;
    refresh(state, &config).await?;
    let (signals, skipped) = evaluate(state, &config, scope, day).await?;
    let alerts = state.store.raise_alerts(&signals, state.now()).await?;
    let alarms = signals.iter().filter(|s| s.alarm).count();
    Ok(RunSummary { day, evaluated: signals.len(), alarms, skipped, alerts })
}

/// The daily job: once the local day is over, evaluates it (and up to
/// [`CATCH_UP_DAYS`] earlier days missed while no server ran) over the whole
/// tree. Does nothing when the day was already evaluated or detection is
/// disabled; returns the alerts raised.
pub async fn run_daily(state: &AppState) -> Result<Vec<Alert>, StoreError> {
    let config = state.store.detection_config().await?;
    if !config.enabled {
        return Ok(Vec::new());
    }
    let settings = state.store.settings().await?;
    let yesterday = day_number(settings.local_date(state.now())) - 1;
    let last = state.store.last_detection_run().await?.map(day_number);
    if last.is_some_and(|l| l >= yesterday) {
        return Ok(Vec::new());
    }
    let Some(root) = state.store.root_node().await? else { return Ok(Vec::new()) };
    refresh(state, &config).await?;
    let mut raised = Vec::new();
    for d in last.map_or(yesterday - CATCH_UP_DAYS + 1, |l| (l + 1).max(yesterday - CATCH_UP_DAYS + 1))..=yesterday {
        let (signals, _) = evaluate(state, &config, &root.path, day_from_number(d)).await?;
        raised.extend(state.store.record_detection_run(day_from_number(d), &signals, state.now()).await?);
    }
    Ok(raised)
}

/// The series of one node, syndrome and method: the last `periods` periods
/// (days, or ISO weeks for weekly methods) up to `to`, each with observed,
/// expected, bound and alarm (counts brought up to date first).
pub async fn node_series(
    state: &AppState,
    node: &Node,
    syndrome: Syndrome,
    settings: &MethodSettings,
    to: Date,
    periods: usize,
) -> Result<Vec<SeriesPoint>, StoreError> {
    let config = state.store.detection_config().await?;
    refresh(state, &config).await?;
    let Some(first_day) = state.store.first_count_day().await? else { return Ok(Vec::new()) };
    let method = settings.method();
    let last = last_period(method, to);
    let shown = i64::try_from(periods).unwrap_or(1);
    let first = (last - shown - i64::from(settings.history()) + 2).max(first_period(method, day_number(first_day)));
    if first > last {
        return Ok(Vec::new());
    }
    let rows = if method.is_weekly() {
        state.store.node_weekly_counts(&node.path, first, last).await?
    } else {
        state.store.node_daily_counts(&node.path, day_from_number(first), day_from_number(last)).await?
    };
    let len = usize::try_from(last - first + 1).unwrap_or(0);
    let mut counts = vec![0.0; len];
    for row in rows.into_iter().filter(|r| r.syndrome == syndrome) {
        if let Some(v) = usize::try_from(row.period - first).ok().and_then(|i| counts.get_mut(i)) {
            *v = row.count as f64;
        }
    }
    let from = len.saturating_sub(periods);
    let settings = settings.clone();
    let mut points = tokio::task::spawn_blocking(move || detect(&settings, first, &counts, from)).await.unwrap_or_else(|error| {
        tracing::error!(%error, "the series worker failed");
        Vec::new()
    });
    Ok(points.split_off(from.min(points.len())))
}

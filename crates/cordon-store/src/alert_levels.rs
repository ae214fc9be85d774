//! Alert levels: set by a command officer in one transaction (the node loaded,
//! [`alert_level::set`] deciding) with the recommendation behind them; the
//! level in force per node and each node's history.

use cordon_core::alert::AlertStatus;
use cordon_core::alert_level::{self, LevelInput, LevelSet, Signals};
use cordon_core::case::CaseStatus;
use cordon_core::event::{Event, EventKind};
use cordon_core::jurisdiction::{Node, NodePath};
use cordon_core::user::User;
use jiff::{Span, Timestamp};
use uuid::Uuid;

use crate::db::{from_json, micros, subtree};
use crate::error::Result;
use crate::jurisdictions::node_by_code;
use crate::paging::Window;
use crate::{Store, exec};

impl Store {
    /// The signals the alert-level rules read for `node` at `now`: open
    /// alerts, 7-day incidence per 100,000 and its week-on-week growth (cases
    /// not discarded), the share of units silent yesterday, overdue tasks,
    /// the level in force, and the highest current 7-day incidence per
    /// 100,000 among the watched neighbouring countries. The API and the
    /// demo (on its simulated clock) read them alike.
    pub async fn alert_signals(&self, node: &Node, now: Timestamp) -> Result<Signals> {
        let today = self.settings().await?.local_date(now);
        let days = |n: i64| today.checked_sub(Span::new().days(n)).unwrap_or(today);
        let cases = self.cases_by_day(&node.path, days(13), today).await?;
        let counted = |from, to| -> i64 {
            cases.iter().filter(|c| c.status != Some(CaseStatus::Discarded) && from <= c.date && c.date <= to).map(|c| c.count).sum()
        };
        let (this_week, last_week) = (counted(days(6), today), counted(days(13), days(7)));
        let open = self.count_alerts_under(&node.path, AlertStatus::New).await?
            + self.count_alerts_under(&node.path, AlertStatus::UnderReview).await?;
        let completeness = self.completeness_totals(&node.path, days(1), now).await?;
        let board = self.board_counts(&node.path, today, now, now).await?;
        let current = self.alert_level_history(&node.path, 1).await?.first().map_or(0, |l| l.level);
        let signals = Signals {
            current,
            incidence_7d_per_100k: (node.population > 0).then(|| this_week as f64 * 100_000.0 / node.population as f64),
            growth_week_on_week: (last_week > 0).then(|| this_week as f64 / last_week as f64),
            open_alerts: u32::try_from(open).unwrap_or(u32::MAX),
            silent_share: if completeness.units > 0 { completeness.silent as f64 / completeness.units as f64 } else { 0.0 },
            overdue_tasks: u32::try_from(board.overdue_tasks).unwrap_or(u32::MAX),
            neighbours_7d_per_100k: self.neighbours_incidence(today).await?,
        };
        Ok(signals)
    }

    /// A command officer sets a node's alert level; the recommendation from
    /// `signals` is kept beside it.
    pub async fn set_alert_level(&self, officer: &User, input: &LevelInput, signals: Signals, now: Timestamp) -> Result<LevelSet> {
        self.write(async |tx| {
            let node = node_by_code(&mut tx.conn, input.node_code.trim()).await?;
            let set = alert_level::set(officer, node.as_ref(), input, signals, Uuid::now_v7(), now)?;
            exec!(
                &mut tx.conn,
                sqlx::query("INSERT INTO alert_levels (id, node_id, node_path, level, set_at, level_set) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(set.id)
                    .bind(set.node_id)
                    .bind(set.node_path.as_str())
                    .bind(i64::from(set.level))
                    .bind(micros(now))
                    .bind(serde_json::to_string(&set).unwrap_or_default()),
                execute
            )?;
            tx.audit(now, Some(officer.id), "alert_level.set", set.id, None::<&()>, Some(&set)).await?;
            tx.emit(Event::new(EventKind::AlertLevelSet, &set.node_path, set.id, now, &set)).await?;
            Ok(set)
        })
        .await
    }

    /// The level in force at each node at or below `path` that ever had one
    /// set (its latest), by path.
    pub async fn alert_levels_under(&self, path: &NodePath) -> Result<Vec<LevelSet>> {
        let pattern = subtree(path);
        let rows: Vec<String> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_scalar(
                        "SELECT a.level_set FROM alert_levels a WHERE a.node_path LIKE $1 ESCAPE '\\' \
                         AND a.set_at = (SELECT MAX(b.set_at) FROM alert_levels b WHERE b.node_id = a.node_id) ORDER BY a.node_path, a.id"
                    )
                    .bind(&pattern),
                    fetch_all
                )?)
            })
            .await?;
        let mut levels: Vec<LevelSet> = rows.iter().map(|r| from_json("alert_levels.level_set", r)).collect::<Result<_>>()?;
        levels.dedup_by(|a, b| a.node_id == b.node_id);
        Ok(levels)
    }

    /// The levels set for the node at `path`, latest first (at most `limit`).
    pub async fn alert_level_history(&self, path: &NodePath, limit: i64) -> Result<Vec<LevelSet>> {
        self.alert_levels_in_window(path, Window::first(limit)).await
    }

    /// One window of [`Store::alert_level_history`].
    pub async fn alert_levels_in_window(&self, path: &NodePath, window: Window) -> Result<Vec<LevelSet>> {
        let rows: Vec<String> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_scalar(
                        "SELECT level_set FROM alert_levels WHERE node_path = $1 ORDER BY set_at DESC, id DESC LIMIT $2 OFFSET $3"
                    )
                    .bind(path.as_str())
                    .bind(window.bounded_limit())
                    .bind(window.bounded_offset()),
                    fetch_all
                )?)
            })
            .await?;
        rows.iter().map(|r| from_json("alert_levels.level_set", r)).collect()
    }
}

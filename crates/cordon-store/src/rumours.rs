//! What residents say: logged in one transaction ([`rumour::decide`]),
//! answered by the command ([`rumour::answer`]), and counted by area,
//! category and week.

use cordon_core::directive::Texts;
use cordon_core::event::{Event, EventKind};
use cordon_core::jurisdiction::NodePath;
use cordon_core::refusal::Record;
use cordon_core::rumour::{self, Category, Rumour, RumourInput};
use cordon_core::user::User;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use uuid::Uuid;

use crate::config::settings_in;
use crate::db::{from_json, micros, parse_date, parse_enum, subtree};
use crate::error::{Result, StoreError};
use crate::jurisdictions::node_by_code;
use crate::paging::Window;
use crate::{Store, exec};

/// How many people said things of one category in one week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WeekCount {
    /// The Monday of the week.
    pub week: Date,
    /// The category.
    pub category: Category,
    /// Rumours logged.
    pub rumours: i64,
    /// People who said them.
    pub people: i64,
}

/// How many people said things of one category in one area (a child of the
/// node counted under) since a week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AreaCount {
    /// The area's code.
    pub code: String,
    /// The category.
    pub category: Category,
    /// Rumours logged.
    pub rumours: i64,
    /// People who said them.
    pub people: i64,
}

/// The name a category is stored under.
fn category_str(c: Category) -> &'static str {
    match c {
        Category::Harmless => "harmless",
        Category::FalseRemedy => "false_remedy",
        Category::Distrust => "distrust",
        Category::Fear => "fear",
        Category::Other => "other",
    }
}

impl Store {
    /// Logs what residents said; the same rumour sent again stores nothing.
    pub async fn log_rumour(&self, user: &User, input: &RumourInput, now: Timestamp) -> Result<Rumour> {
        self.write(async |tx| {
            let stored: Option<String> =
                exec!(&mut tx.conn, sqlx::query_scalar("SELECT rumour FROM rumours WHERE id = $1").bind(input.id), fetch_optional)?;
            if let Some(stored) = stored {
                let first: Rumour = from_json("rumours.rumour", &stored)?;
                return if first.text == input.text.trim() && first.heard_on == input.heard_on {
                    Ok(first)
                } else {
                    Err(cordon_core::resend::IdReused { record: Record::Rumour, id: input.id }.into())
                };
            }
            let unit = node_by_code(&mut tx.conn, input.unit_code.trim()).await?;
            let today = settings_in(&mut tx.conn).await?.local_date(now);
            let rumour = rumour::decide(user, unit.as_ref(), input, today, now)?;
            exec!(
                &mut tx.conn,
                sqlx::query("INSERT INTO rumours (id, unit_id, unit_path, category, week, people, rumour, logged_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                    .bind(rumour.id)
                    .bind(rumour.unit_id)
                    .bind(rumour.unit_path.as_str())
                    .bind(category_str(rumour.category))
                    .bind(rumour.week.to_string())
                    .bind(i64::from(rumour.people))
                    .bind(serde_json::to_string(&rumour).unwrap_or_default())
                    .bind(micros(now)),
                execute
            )?;
            tx.audit(now, Some(user.id), "rumour.log", rumour.id, None::<&()>, Some(&rumour)).await?;
            tx.emit(Event::new(EventKind::RumourLogged, &rumour.unit_path, rumour.id, now, &rumour)).await?;
            Ok(rumour)
        })
        .await
    }

    /// A command officer attaches a counter-message to a rumour.
    pub async fn answer_rumour(&self, officer: &User, id: Uuid, texts: &Texts, now: Timestamp) -> Result<Rumour> {
        self.write(async |tx| {
            let stored: Option<String> =
                exec!(&mut tx.conn, sqlx::query_scalar("SELECT rumour FROM rumours WHERE id = $1").bind(id), fetch_optional)?;
            let before = from_json("rumours.rumour", &stored.ok_or_else(|| StoreError::not_found(Record::Rumour, id))?)?;
            let after = rumour::answer(officer, &before, texts).map_err(|r| match r {
                rumour::AnswerRefused::Invalid(i) => StoreError::Invalid(i),
                rumour::AnswerRefused::Denied(d) => StoreError::Denied(d),
            })?;
            exec!(
                &mut tx.conn,
                sqlx::query("UPDATE rumours SET rumour = $1 WHERE id = $2")
                    .bind(serde_json::to_string(&after).unwrap_or_default())
                    .bind(id),
                execute
            )?;
            tx.audit(now, Some(officer.id), "rumour.answer", id, Some(&before), Some(&after)).await?;
            Ok(after)
        })
        .await
    }

    /// The rumours heard at or below `path` in the week of `week` (its
    /// Monday), most people first (at most `limit`).
    pub async fn rumours_of_week(&self, path: &NodePath, week: Date, limit: i64) -> Result<Vec<Rumour>> {
        self.rumours_in_window(path, week, Window::first(limit)).await
    }

    /// One window of [`Store::rumours_of_week`].
    pub async fn rumours_in_window(&self, path: &NodePath, week: Date, window: Window) -> Result<Vec<Rumour>> {
        let pattern = subtree(path);
        let rows: Vec<String> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_scalar(
                        "SELECT rumour FROM rumours WHERE unit_path LIKE $1 ESCAPE '\\' AND week = $2 ORDER BY people DESC, id LIMIT $3 OFFSET $4"
                    )
                    .bind(&pattern)
                    .bind(week.to_string())
                    .bind(window.bounded_limit())
                    .bind(window.bounded_offset()),
                    fetch_all
                )?)
            })
            .await?;
        rows.iter().map(|r| from_json("rumours.rumour", r)).collect()
    }

    /// Rumours and people per week and category at or below `path`, for the
    /// weeks from `from` (a Monday) on.
    pub async fn rumour_counts(&self, path: &NodePath, from: Date) -> Result<Vec<WeekCount>> {
        let pattern = subtree(path);
        let rows: Vec<(String, String, i64, i64)> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(
                        "SELECT week, category, COUNT(*), CAST(SUM(people) AS BIGINT) FROM rumours WHERE unit_path LIKE $1 ESCAPE '\\' AND week >= $2 \
                         GROUP BY week, category ORDER BY week, category"
                    )
                    .bind(&pattern)
                    .bind(from.to_string()),
                    fetch_all
                )?)
            })
            .await?;
        rows.into_iter()
            .map(|(week, category, rumours, people)| {
                let category = parse_enum("rumours.category", &category, |s| Category::ALL.into_iter().find(|c| category_str(*c) == s))?;
                Ok(WeekCount { week: parse_date("rumours.week", &week)?, category, rumours, people })
            })
            .collect()
    }

    /// A rumour by id.
    pub async fn rumour(&self, id: Uuid) -> Result<Option<Rumour>> {
        let row: Option<String> = self
            .read(async |c| Ok(exec!(c, sqlx::query_scalar("SELECT rumour FROM rumours WHERE id = $1").bind(id), fetch_optional)?))
            .await?;
        row.map(|r| from_json("rumours.rumour", &r)).transpose()
    }

    /// Rumours and people per child of the node `parent` and category, for
    /// the weeks from `from` (a Monday) on; areas where nothing was heard
    /// are left out.
    pub async fn rumour_counts_by_area(&self, parent: Uuid, from: Date) -> Result<Vec<AreaCount>> {
        let rows: Vec<(String, String, i64, i64)> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(
                        "SELECT n.code, r.category, COUNT(r.id), CAST(SUM(r.people) AS BIGINT) FROM nodes n JOIN rumours r \
                           ON r.unit_path LIKE (REPLACE(n.path, '_', '\\_') || '%') ESCAPE '\\' AND r.week >= $2 \
                         WHERE n.parent_id = $1 GROUP BY n.code, r.category ORDER BY n.code, r.category"
                    )
                    .bind(parent)
                    .bind(from.to_string()),
                    fetch_all
                )?)
            })
            .await?;
        rows.into_iter()
            .map(|(code, category, rumours, people)| {
                let category = parse_enum("rumours.category", &category, |s| Category::ALL.into_iter().find(|c| category_str(*c) == s))?;
                Ok(AreaCount { code, category, rumours, people })
            })
            .collect()
    }
}

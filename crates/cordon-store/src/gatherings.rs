//! Planned gatherings: registered with cordon's answer in one transaction
//! (the unit and the directives over it loaded, [`gathering::decide`]
//! deciding), and listed by area.

use cordon_core::event::{Event, EventKind};
use cordon_core::gathering::{self, Gathering, GatheringInput, Verdict};
use cordon_core::jurisdiction::NodePath;
use cordon_core::refusal::Record;
use cordon_core::user::User;
use jiff::Timestamp;
use uuid::Uuid;

use crate::db::{Conn, from_json, micros, subtree};
use crate::directives::directives_over_in;
use crate::error::Result;
use crate::jurisdictions::node_by_code;
use crate::paging::Window;
use crate::{Store, exec};

/// What registering a gathering did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[schema(as = GatheringRegistered)]
pub struct Registered {
    /// False when the same registration was sent again.
    pub created: bool,
    /// The registration, with the answer.
    pub gathering: Gathering,
}

impl Store {
    /// Registers a planned gathering and answers allowed or refused, citing
    /// the directive version whose limit decides it. The registration is kept
    /// either way; the same one sent again is answered as first stored.
    pub async fn register_gathering(&self, user: &User, input: &GatheringInput, now: Timestamp) -> Result<Registered> {
        self.write(async |tx| {
            let stored: Option<String> =
                exec!(&mut tx.conn, sqlx::query_scalar("SELECT gathering FROM gatherings WHERE id = $1").bind(input.id), fetch_optional)?;
            if let Some(stored) = stored {
                let first: Gathering = from_json("gatherings.gathering", &stored)?;
                let same =
                    first.place == input.place.trim() && first.starts_at == input.starts_at && first.expected_size == input.expected_size;
                return if same {
                    Ok(Registered { created: false, gathering: first })
                } else {
                    Err(cordon_core::resend::IdReused { record: Record::Gathering, id: input.id }.into())
                };
            }
            let unit = node_by_code(&mut tx.conn, input.unit_code.trim()).await?;
            let directives = match &unit {
                Some(u) => directives_over_in(&mut tx.conn, &u.path).await?,
                None => Vec::new(),
            };
            let gathering = gathering::decide(user, unit.as_ref(), input, &directives, now)?;
            let (refused, directive_id) = match gathering.verdict {
                Verdict::Refused { limit } => (1_i64, Some(limit.directive_id)),
                Verdict::Allowed { limit } => (0, limit.map(|l| l.directive_id)),
            };
            exec!(
                &mut tx.conn,
                sqlx::query(
                    "INSERT INTO gatherings (id, unit_id, unit_path, starts_at, refused, directive_id, gathering, registered_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                )
                .bind(gathering.id)
                .bind(gathering.unit_id)
                .bind(gathering.unit_path.as_str())
                .bind(gathering.starts_at.to_string())
                .bind(refused)
                .bind(directive_id)
                .bind(serde_json::to_string(&gathering).unwrap_or_default())
                .bind(micros(now)),
                execute
            )?;
            tx.audit(now, Some(user.id), "gathering.register", gathering.id, None::<&()>, Some(&gathering)).await?;
            tx.emit(Event::new(EventKind::GatheringRegistered, &gathering.unit_path, gathering.id, now, &gathering)).await?;
            Ok(Registered { created: true, gathering })
        })
        .await
    }

    /// The gatherings registered at or below `path`, latest start first (at most `limit`).
    pub async fn gatherings_under(&self, path: &NodePath, limit: i64) -> Result<Vec<Gathering>> {
        self.gatherings_in_window(path, Window::first(limit)).await
    }

    /// One window of [`Store::gatherings_under`].
    pub async fn gatherings_in_window(&self, path: &NodePath, window: Window) -> Result<Vec<Gathering>> {
        let sql = "SELECT gathering FROM gatherings WHERE unit_path LIKE $1 ESCAPE '\\' ORDER BY starts_at DESC, id LIMIT $2 OFFSET $3";
        self.documents_under((sql, "gatherings.gathering"), path, window).await
    }

    /// A gathering by id.
    pub async fn gathering(&self, id: Uuid) -> Result<Option<Gathering>> {
        self.read(async |c| gathering_in(c, id).await).await
    }

    /// The gatherings registered at or below `path` that cases were linked
    /// to (their investigation named the gathering as exposure), with the
    /// count of those cases not discarded: most cases first, then the latest
    /// start (at most `limit`).
    pub async fn gathering_clusters(&self, path: &NodePath, limit: i64) -> Result<Vec<Cluster>> {
        let pattern = subtree(path);
        // CROSS JOIN: SQLite walks the links (few) and looks each case up,
        // never every case (PostgreSQL plans it as the join it is).
        let rows: Vec<(String, i64)> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(
                        "SELECT g.gathering, x.cases FROM (SELECT l.gathering_id, COUNT(*) AS cases FROM gathering_cases l \
                         CROSS JOIN cases c WHERE c.id = l.case_id AND l.gathering_path LIKE $1 ESCAPE '\\' AND c.status <> 'discarded' \
                         GROUP BY l.gathering_id) x JOIN gatherings g ON g.id = x.gathering_id \
                         ORDER BY x.cases DESC, g.starts_at DESC, g.id LIMIT $2"
                    )
                    .bind(&pattern)
                    .bind(limit),
                    fetch_all
                )?)
            })
            .await?;
        rows.into_iter().map(|(g, cases)| Ok(Cluster { gathering: from_json("gatherings.gathering", &g)?, cases })).collect()
    }
}

/// A registered gathering with the cases linked to it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Cluster {
    /// The gathering.
    pub gathering: Gathering,
    /// Cases (not discarded) whose investigation named it as exposure.
    pub cases: i64,
}

/// The gathering `id`, read inside a transaction or a read.
pub(crate) async fn gathering_in(c: &mut Conn<'_>, id: Uuid) -> Result<Option<Gathering>> {
    let row: Option<String> = exec!(c, sqlx::query_scalar("SELECT gathering FROM gatherings WHERE id = $1").bind(id), fetch_optional)?;
    row.map(|r| from_json("gatherings.gathering", &r)).transpose()
}

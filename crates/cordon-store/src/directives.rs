//! Directives: issued, amended, revoked and acknowledged, each in one
//! transaction with its audit record and event; read by scope and by the
//! place they apply to; coverage of acknowledgement over the scope.

use cordon_core::delivery::{self, Coverage};
use cordon_core::directive::{self, Amendment, Directive, DirectiveInput, Revocation, Version};
use cordon_core::escalation::{Escalation, EscalationKind};
use cordon_core::event::{Event, EventKind};
use cordon_core::jurisdiction::NodePath;
use cordon_core::policy::{self, Action};
use cordon_core::refusal::Record;
use cordon_core::user::User;
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::config::settings_in;
use crate::db::{Conn, from_json, micros, subtree};
use crate::error::{Result, StoreError};
use crate::escalations::UnitEscalation;
use crate::jurisdictions::{level_names, node_by_code};
use crate::paging::Window;
use crate::{Store, Tx, exec};

/// A directive with one of its versions, as the joined query reads it.
pub(crate) type VersionRow = (Uuid, Uuid, String, Option<String>, String);

/// Selects directives joined with their versions; the caller adds the
/// condition on `d` and the order (by directive, then `v.number`).
pub(crate) const JOINED: &str = "SELECT d.id, d.scope_id, d.scope_path, d.revoked, v.version \
                      FROM directives d JOIN directive_versions v ON v.directive_id = d.id";

/// Stores a value as JSON.
fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The directives in joined rows that come directive by directive, each
/// directive's versions in order.
pub(crate) fn assemble(rows: Vec<VersionRow>) -> Result<Vec<Directive>> {
    let mut directives: Vec<Directive> = Vec::new();
    for (id, scope_id, scope_path, revoked, version) in rows {
        let version = from_json::<Version>("directive_versions.version", &version)?;
        match directives.last_mut() {
            Some(last) if last.id == id => last.versions.push(version),
            _ => {
                let revoked = revoked.map(|r| from_json::<Revocation>("directives.revoked", &r)).transpose()?;
                directives.push(Directive {
                    id,
                    scope_id,
                    scope_path: NodePath::from_stored(scope_path),
                    versions: vec![version],
                    revoked,
                });
            }
        }
    }
    Ok(directives)
}

/// The directive `id`, with its versions.
async fn directive_by_id(c: &mut Conn<'_>, id: Uuid) -> Result<Option<Directive>> {
    let sql = format!("{JOINED} WHERE d.id = $1 ORDER BY v.number");
    let rows: Vec<VersionRow> = exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(id), fetch_all)?;
    Ok(assemble(rows)?.pop())
}

/// The directives whose scope contains `path`, oldest first.
pub(crate) async fn directives_over_in(c: &mut Conn<'_>, path: &NodePath) -> Result<Vec<Directive>> {
    let sql = format!("{JOINED} WHERE $1 LIKE d.scope_path || '%' ORDER BY d.issued_at, d.id, v.number");
    let rows: Vec<VersionRow> = exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(path.as_str()), fetch_all)?;
    // LIKE reads `_` in a code as any character: keep only true ancestors.
    Ok(assemble(rows)?.into_iter().filter(|d| d.scope_path.contains(path)).collect())
}

/// Who a message about a directive goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Recipients {
    /// Every active user in the scope.
    All,
    /// The active users in the scope whose unit (node) has not acknowledged.
    Pending,
}

/// Queues `message` about `directive` to the active users in its scope (all,
/// or those whose node has not acknowledged), for the server's notifier (a
/// webhook an SMS gateway relays). Returns how many were queued.
async fn queue_for_scope(tx: &mut Tx<'_>, directive: &Directive, to: Recipients, message: &str, now: Timestamp) -> Result<usize> {
    const ALL: &str = "SELECT id FROM users WHERE active = $1 AND node_path LIKE $2 ESCAPE '\\' ORDER BY id";
    const PENDING: &str = "SELECT id FROM users WHERE active = $1 AND node_path LIKE $2 ESCAPE '\\' \
        AND NOT EXISTS (SELECT 1 FROM directive_acks a WHERE a.directive_id = $3 AND a.node_id = users.node_id) ORDER BY id";
    let pattern = subtree(&directive.scope_path);
    let users: Vec<Uuid> = exec!(
        &mut tx.conn,
        match to {
            Recipients::All => sqlx::query_scalar(ALL).bind(true).bind(&pattern),
            Recipients::Pending => sqlx::query_scalar(PENDING).bind(true).bind(&pattern).bind(directive.id),
        },
        fetch_all
    )?;
    let queued = users.len();
    for user in users {
        exec!(
            &mut tx.conn,
            sqlx::query("INSERT INTO notifications (id, user_id, directive_id, message, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(Uuid::now_v7())
                .bind(user)
                .bind(directive.id)
                .bind(message)
                .bind(micros(now)),
            execute
        )?;
    }
    Ok(queued)
}

/// Writes a version.
/// Stores a new directive and its first version (the one returned).
pub(crate) async fn insert_directive<'d>(tx: &mut Tx<'_>, directive: &'d Directive) -> Result<&'d Version> {
    let first = directive.versions.first().ok_or_else(|| StoreError::not_found(Record::Directive, directive.id))?;
    exec!(
        &mut tx.conn,
        sqlx::query(
            "INSERT INTO directives (id, scope_id, scope_path, kind, issued_by, issued_at, revoked) VALUES ($1, $2, $3, $4, $5, $6, NULL)"
        )
        .bind(directive.id)
        .bind(directive.scope_id)
        .bind(directive.scope_path.as_str())
        .bind(first.terms.measure.kind())
        .bind(first.issued_by)
        .bind(micros(first.issued_at)),
        execute
    )?;
    insert_version(tx, directive.id, first).await?;
    Ok(first)
}

async fn insert_version(tx: &mut Tx<'_>, id: Uuid, version: &Version) -> Result<()> {
    exec!(
        &mut tx.conn,
        sqlx::query(
            "INSERT INTO directive_versions (directive_id, number, starts_on, ends_on, review_on, version) VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(id)
        .bind(i64::from(version.number))
        .bind(version.terms.starts_on.to_string())
        .bind(version.terms.ends_on.map(|d| d.to_string()))
        .bind(version.terms.review_on.to_string())
        .bind(to_json(version)),
        execute
    )?;
    Ok(())
}

/// The directive `id` for a change by `officer`: not found, else loaded.
async fn for_change(tx: &mut Tx<'_>, id: Uuid) -> Result<Directive> {
    directive_by_id(&mut tx.conn, id).await?.ok_or_else(|| StoreError::not_found(Record::Directive, id))
}

/// What issuing a directive did.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Issued {
    /// False when the same directive was sent again; `directive` is the one stored.
    pub created: bool,
    /// The directive.
    pub directive: Directive,
}

impl Store {
    /// A command officer issues a directive, in one transaction: the scope
    /// node its `scope_code` names is loaded and the officer's right to direct
    /// it decided ([`policy::named_node`]), then [`directive::issue`] decides.
    /// The same directive sent again under its id is answered with the one
    /// stored.
    pub async fn issue_directive(&self, officer: &User, input: &DirectiveInput, now: Timestamp) -> Result<Issued> {
        self.write(async |tx| {
            let found = node_by_code(&mut tx.conn, input.scope_code.trim()).await?;
            let scope = policy::named_node(officer, Action::IssueDirectives, ("scope_code", &input.scope_code), found.as_ref())?;
            if let Some(existing) = directive_by_id(&mut tx.conn, input.id).await? {
                let same = existing.scope_id == scope.id && existing.versions.first().is_some_and(|v| v.terms == input.terms);
                if same {
                    return Ok(Issued { created: false, directive: existing });
                }
                return Err(cordon_core::resend::IdReused { record: Record::Directive, id: input.id }.into());
            }
            let today = settings_in(&mut tx.conn).await?.local_date(now);
            let directive = directive::issue(officer, scope, input, today, now)?;
            let first = insert_directive(tx, &directive).await?;
            queue_for_scope(tx, &directive, Recipients::All, &format!("{} / {}", first.terms.text.en, first.terms.text.ko), now).await?;
            tx.audit(now, Some(officer.id), "directive.issue", directive.id, None::<&()>, Some(&directive)).await?;
            tx.emit(Event::new(EventKind::DirectiveIssued, &directive.scope_path, directive.id, now, &directive)).await?;
            Ok(Issued { created: true, directive })
        })
        .await
    }

    /// A command officer amends a directive: loaded, [`directive::amend`]
    /// decides, the new version is stored, in one transaction.
    pub async fn amend_directive(&self, officer: &User, id: Uuid, amendment: &Amendment, now: Timestamp) -> Result<Directive> {
        self.write(async |tx| {
            let before = for_change(tx, id).await?;
            let today = settings_in(&mut tx.conn).await?.local_date(now);
            let version = directive::amend(officer, &before, amendment, today, now)?;
            insert_version(tx, id, &version).await?;
            let mut after = before.clone();
            after.versions.push(version);
            tx.audit(now, Some(officer.id), "directive.amend", id, Some(&before), Some(&after)).await?;
            tx.emit(Event::new(EventKind::DirectiveChanged, &after.scope_path, id, now, &after)).await?;
            Ok(after)
        })
        .await
    }

    /// A command officer revokes a directive from `from`: loaded,
    /// [`directive::revoke`] decides, in one transaction.
    pub async fn revoke_directive(&self, officer: &User, id: Uuid, from: Date, reason: &str, now: Timestamp) -> Result<Directive> {
        self.write(async |tx| {
            let before = for_change(tx, id).await?;
            let today = settings_in(&mut tx.conn).await?.local_date(now);
            let revocation = directive::revoke(officer, &before, from, reason, today, now)?;
            exec!(
                &mut tx.conn,
                sqlx::query("UPDATE directives SET revoked = $1 WHERE id = $2").bind(to_json(&revocation)).bind(id),
                execute
            )?;
            let after = Directive { revoked: Some(revocation), ..before.clone() };
            tx.audit(now, Some(officer.id), "directive.revoke", id, Some(&before), Some(&after)).await?;
            tx.emit(Event::new(EventKind::DirectiveChanged, &after.scope_path, id, now, &after)).await?;
            Ok(after)
        })
        .await
    }

    /// A command officer reminds the units of a directive that have not
    /// acknowledged it: its current text goes again, through the notifier, to
    /// every active user of those units ([`delivery::remind`] decides).
    /// Returns how many users were reminded.
    pub async fn remind_directive(&self, officer: &User, id: Uuid, now: Timestamp) -> Result<usize> {
        self.write(async |tx| {
            let directive = for_change(tx, id).await?;
            delivery::remind(officer, &directive)?;
            let text =
                directive.current().map(|v| format!("Reminder: {} / 알림: {}", v.terms.text.en, v.terms.text.ko)).unwrap_or_default();
            let reminded = queue_for_scope(tx, &directive, Recipients::Pending, &text, now).await?;
            let audited = serde_json::json!({ "directive_id": id, "reminded": reminded });
            tx.audit(now, Some(officer.id), "directive.remind", id, None::<&()>, Some(&audited)).await?;
            Ok(reminded)
        })
        .await
    }

    /// `user` acknowledges a directive addressed to their area
    /// ([`delivery::acknowledge`] decides); acknowledging again changes
    /// nothing. Returns whether this was the first acknowledgement.
    pub async fn acknowledge_directive(&self, user: &User, id: Uuid, now: Timestamp) -> Result<bool> {
        self.write(async |tx| {
            let directive = for_change(tx, id).await?;
            delivery::acknowledge(user, &directive)?;
            let done: Option<i64> = exec!(
                &mut tx.conn,
                sqlx::query_scalar("SELECT acknowledged_at FROM directive_acks WHERE directive_id = $1 AND user_id = $2")
                    .bind(id)
                    .bind(user.id),
                fetch_optional
            )?;
            if done.is_some() {
                return Ok(false);
            }
            exec!(
                &mut tx.conn,
                sqlx::query(
                    "INSERT INTO directive_acks (directive_id, user_id, node_id, node_path, acknowledged_at) VALUES ($1, $2, $3, $4, $5)"
                )
                .bind(id)
                .bind(user.id)
                .bind(user.node_id)
                .bind(user.node_path.as_str())
                .bind(micros(now)),
                execute
            )?;
            let ack = serde_json::json!({ "directive_id": id, "user_id": user.id, "node_path": user.node_path });
            tx.audit(now, Some(user.id), "directive.acknowledge", id, None::<&()>, Some(&ack)).await?;
            tx.emit(Event::new(EventKind::DirectiveAcknowledged, &user.node_path, id, now, &ack)).await?;
            Ok(true)
        })
        .await
    }

    /// A directive by id, with its versions.
    pub async fn directive(&self, id: Uuid) -> Result<Option<Directive>> {
        self.read(async |c| directive_by_id(c, id).await).await
    }

    /// The directives issued to `path` or anywhere below it, newest first
    /// (at most `limit`): what a command at `path` oversees.
    pub async fn directives_under(&self, path: &NodePath, limit: i64) -> Result<Vec<Directive>> {
        self.directives_in_window(path, Window::first(limit)).await
    }

    /// One window of [`Store::directives_under`].
    pub async fn directives_in_window(&self, path: &NodePath, window: Window) -> Result<Vec<Directive>> {
        let pattern = subtree(path);
        let sql = format!(
            "{JOINED} WHERE d.id IN (SELECT id FROM directives WHERE scope_path LIKE $1 ESCAPE '\\' ORDER BY issued_at DESC, id LIMIT $2 OFFSET $3) \
             ORDER BY d.issued_at DESC, d.id, v.number"
        );
        let rows: Vec<VersionRow> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(&pattern).bind(window.bounded_limit()).bind(window.bounded_offset()),
                    fetch_all
                )?)
            })
            .await?;
        assemble(rows)
    }

    /// The directives whose scope contains `path` (issued to it or to a node
    /// above it), oldest first: what applies there, and what a user anchored
    /// there is to acknowledge.
    pub async fn directives_over(&self, path: &NodePath) -> Result<Vec<Directive>> {
        self.read(async |c| directives_over_in(c, path).await).await
    }

    /// Every border directive that is not revoked, oldest first: the few
    /// directives that say which points of entry are closed, anywhere.
    pub async fn border_directives(&self) -> Result<Vec<Directive>> {
        let sql = format!("{JOINED} WHERE d.kind = 'border' AND d.revoked IS NULL ORDER BY d.issued_at, d.id, v.number");
        let rows: Vec<VersionRow> = self.read(async |c| Ok(exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())), fetch_all)?)).await?;
        assemble(rows)
    }

    /// The ids of the directives `user` has acknowledged.
    pub async fn acknowledged_by(&self, user: &User) -> Result<Vec<Uuid>> {
        self.read(async |c| {
            Ok(exec!(c, sqlx::query_scalar("SELECT directive_id FROM directive_acks WHERE user_id = $1").bind(user.id), fetch_all)?)
        })
        .await
    }

    /// Coverage of a directive: its units, whether each acknowledged, counted
    /// for the scope and per child of the scope ([`delivery::coverage`]).
    pub async fn directive_coverage(&self, directive: &Directive) -> Result<Vec<Coverage>> {
        let pattern = subtree(&directive.scope_path);
        let units: Vec<(String, bool)> = self
            .read(async |c| {
                let deepest = i64::try_from(level_names(c).await?.len()).unwrap_or(1) - 1;
                let rows: Vec<(String, i64)> = exec!(
                    c,
                    sqlx::query_as(
                        "SELECT n.path, (SELECT COUNT(*) FROM directive_acks a WHERE a.directive_id = $1 AND a.node_id = n.id) \
                         FROM nodes n WHERE n.path LIKE $2 ESCAPE '\\' AND n.level = $3"
                    )
                    .bind(directive.id)
                    .bind(&pattern)
                    .bind(deepest),
                    fetch_all
                )?;
                Ok(rows.into_iter().map(|(path, acks)| (path, acks > 0)).collect())
            })
            .await?;
        let units: Vec<(NodePath, bool)> = units.into_iter().map(|(p, a)| (NodePath::from_stored(p), a)).collect();
        Ok(delivery::coverage(&directive.scope_path, &units))
    }

    /// Escalates every unit that has not acknowledged a directive issued
    /// longer ago than the deadline (setting `directive_deadline_minutes`),
    /// once per unit and directive, like a silent unit: to the level above,
    /// passed to whoever is on call there. Revoked directives are left alone.
    pub async fn escalate_unacknowledged_directives(&self, now: Timestamp) -> Result<Vec<Escalation>> {
        let settings = self.settings().await?;
        let cutoff = now.checked_sub(settings.directive_deadline()).unwrap_or(now);
        let late: Vec<(Uuid, String)> = self
            .read(async |c| {
                let deepest = i64::try_from(level_names(c).await?.len()).unwrap_or(1) - 1;
                Ok(exec!(
                    c,
                    sqlx::query_as(
                        "SELECT d.id, n.path FROM directives d JOIN nodes n ON n.path LIKE d.scope_path || '%' AND n.level = $1 \
                         WHERE d.revoked IS NULL AND d.issued_at <= $2 \
                         AND NOT EXISTS (SELECT 1 FROM directive_acks a WHERE a.directive_id = d.id AND a.node_id = n.id) \
                         AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.kind = 'directive_unacknowledged' AND e.directive_id = d.id AND e.subject_path = n.path) \
                         ORDER BY d.issued_at, n.path LIMIT 5000"
                    )
                    .bind(deepest)
                    .bind(micros(cutoff)),
                    fetch_all
                )?)
            })
            .await?;
        let mut raised = Vec::new();
        for (directive_id, unit) in late {
            let about = UnitEscalation { kind: EscalationKind::DirectiveUnacknowledged, date: None, directive_id: Some(directive_id) };
            raised.extend(self.escalate_unit(&NodePath::from_stored(unit), about, now).await?);
        }
        Ok(raised)
    }
}

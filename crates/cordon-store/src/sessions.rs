//! Sign-in sessions and device tokens, failed sign-ins, and passwords.
//!
//! Session tokens arrive as their SHA-256, so a stolen database yields no
//! usable token; each session also has an id, by which its owner (or an
//! administrator) lists and revokes it. Failed sign-ins are kept for
//! [`sign_in::throttle`] to count, so every server on one database applies
//! the same limits. Every change here is audited, except the last-seen time,
//! written at most once a minute per session.

use cordon_core::refusal::Record;
use cordon_core::sign_in::{self, Failure, Failures, SessionInfo, SessionKind, Standing};
use cordon_core::user::{self, User};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::db::{Conn, from_micros, micros, parse_enum};
use crate::error::{Result, StoreError};
use crate::users::{USER_COLUMNS, UserRow, user_by_id};
use crate::{Store, Tx, exec};

/// How long failed sign-ins are kept (the throttle looks back one hour).
const FAILURES_KEPT: SignedDuration = SignedDuration::from_hours(24);

/// The session a request's token names, with its user.
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// The signed-in user.
    pub user: User,
    /// The session (marked current).
    pub session: SessionInfo,
    /// Whether the user must change their password before anything else.
    pub must_change_password: bool,
}

const SESSION_COLUMNS: &str = "s.id AS session_id, s.kind, s.label, s.created_at, s.last_seen_at, s.expires_at";

#[derive(sqlx::FromRow)]
struct SessionRow {
    session_id: Uuid,
    kind: String,
    label: Option<String>,
    created_at: i64,
    last_seen_at: i64,
    expires_at: i64,
}

impl SessionRow {
    fn info(self, current: Option<Uuid>) -> Result<SessionInfo> {
        Ok(SessionInfo {
            id: self.session_id,
            kind: parse_enum("sessions.kind", &self.kind, SessionKind::parse)?,
            device: self.label,
            created_at: from_micros(self.created_at)?,
            last_seen_at: from_micros(self.last_seen_at)?,
            expires_at: from_micros(self.expires_at)?,
            current: current == Some(self.session_id),
        })
    }
}

#[derive(sqlx::FromRow)]
struct AuthRow {
    #[sqlx(flatten)]
    session: SessionRow,
    #[sqlx(flatten)]
    user: UserRow,
    must_change_password: bool,
}

/// What the audit log keeps of a session: never its token.
#[derive(Serialize)]
struct Audited<'a> {
    user_id: Uuid,
    kind: SessionKind,
    device: Option<&'a str>,
}

/// What the audit log keeps of a refused sign-in: never the password.
#[derive(Serialize)]
struct Refusal<'a> {
    username: &'a str,
    address: &'a str,
    why: Failure,
}

impl Store {
    /// Starts a session of `kind` for `user` (who just proved their
    /// password) under the token's hash, and resets the failed sign-ins
    /// counted against their name; returns the session's id.
    pub async fn create_session(
        &self,
        user: &User,
        token_hash: &[u8],
        kind: SessionKind,
        label: Option<&str>,
        now: Timestamp,
    ) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let expires = now.saturating_add(kind.lifetime()).unwrap_or(now);
        self.write(async |tx| {
            exec!(
                &mut tx.conn,
                sqlx::query(
                    "INSERT INTO sessions (id, token_hash, user_id, kind, label, created_at, expires_at, last_seen_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $6)"
                )
                .bind(id)
                .bind(token_hash)
                .bind(user.id)
                .bind(kind.as_str())
                .bind(label)
                .bind(micros(now))
                .bind(micros(expires)),
                execute
            )?;
            exec!(&mut tx.conn, sqlx::query("DELETE FROM sign_in_failures WHERE username = $1").bind(&user.username), execute)?;
            let audited = Audited { user_id: user.id, kind, device: label };
            tx.audit(now, Some(user.id), "session.create", id, None::<&()>, Some(&audited)).await?;
            Ok(id)
        })
        .await
    }

    /// The active user of the live session the token's hash names, keeping
    /// its last-seen time to the minute; `None` when there is no such
    /// session, or it expired or (a browser's) stayed idle too long.
    pub async fn authenticate(&self, token_hash: &[u8], now: Timestamp) -> Result<Option<Authenticated>> {
        let users = USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT {SESSION_COLUMNS}, {users}, u.must_change_password FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND u.active"
        );
        let row: Option<AuthRow> =
            self.read(async |c| Ok(exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(token_hash), fetch_optional)?)).await?;
        let Some(row) = row else { return Ok(None) };
        let session = row.session.info(None)?;
        let session = SessionInfo { current: true, ..session };
        match session.standing(now) {
            Standing::Expired | Standing::Idle => return Ok(None),
            Standing::Alive { touch: true } => {
                self.write(async |tx| {
                    let sql = "UPDATE sessions SET last_seen_at = $1 WHERE id = $2";
                    Ok(exec!(&mut tx.conn, sqlx::query(sql).bind(micros(now)).bind(session.id), execute)?)
                })
                .await?;
            }
            Standing::Alive { touch: false } => {}
        }
        Ok(Some(Authenticated { user: User::try_from(row.user)?, session, must_change_password: row.must_change_password }))
    }

    /// The live sessions and tokens of the user `owner_id`, newest first, as
    /// `actor` may see them ([`sign_in::may_manage_sessions`]; anyone else's
    /// answer "not found"); `current` marks the one asking. An
    /// administrator's look at another user's is audited.
    pub async fn sessions_of(&self, actor: &User, owner_id: Uuid, current: Option<Uuid>, now: Timestamp) -> Result<Vec<SessionInfo>> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions s WHERE s.user_id = $1 ORDER BY s.created_at DESC, s.id");
        let list = async |c: &mut Conn<'_>| -> Result<Vec<SessionInfo>> {
            let owner = user_by_id(c, owner_id).await?.ok_or_else(|| StoreError::not_found(Record::User, owner_id))?;
            sign_in::may_manage_sessions(actor, &owner).map_err(|_| StoreError::not_found(Record::User, owner_id))?;
            let rows: Vec<SessionRow> = exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(owner_id), fetch_all)?;
            let infos = rows.into_iter().map(|r| r.info(current)).collect::<Result<Vec<_>>>()?;
            Ok(infos.into_iter().filter(|s| matches!(s.standing(now), Standing::Alive { .. })).collect())
        };
        if actor.id == owner_id {
            return self.read(async |c| list(c).await).await;
        }
        self.write(async |tx| {
            let found = list(&mut tx.conn).await?;
            tx.audit(now, Some(actor.id), "session.list", owner_id, None::<&()>, Some(&found.len())).await?;
            Ok(found)
        })
        .await
    }

    /// `actor` ends the session `id` (their own, or one of a user they
    /// manage; anyone else's answers "not found"), audited.
    pub async fn revoke_session(&self, actor: &User, id: Uuid, now: Timestamp) -> Result<()> {
        self.write(async |tx| {
            let found: Option<(Uuid, String, Option<String>)> =
                exec!(&mut tx.conn, sqlx::query_as("SELECT user_id, kind, label FROM sessions WHERE id = $1").bind(id), fetch_optional)?;
            let not_found = || StoreError::not_found(Record::Session, id);
            let (owner_id, kind, label) = found.ok_or_else(not_found)?;
            let owner = user_by_id(&mut tx.conn, owner_id).await?.ok_or_else(not_found)?;
            sign_in::may_manage_sessions(actor, &owner).map_err(|_| not_found())?;
            exec!(&mut tx.conn, sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id), execute)?;
            let kind = parse_enum("sessions.kind", &kind, SessionKind::parse)?;
            let before = Audited { user_id: owner_id, kind, device: label.as_deref() };
            tx.audit(now, Some(actor.id), "session.revoke", id, Some(&before), None::<&()>).await
        })
        .await
    }

    /// Ends the session the token's hash names (signing out).
    pub async fn end_session(&self, token_hash: &[u8], now: Timestamp) -> Result<()> {
        self.write(async |tx| {
            let ended: Option<(Uuid, Uuid)> = exec!(
                &mut tx.conn,
                sqlx::query_as("DELETE FROM sessions WHERE token_hash = $1 RETURNING id, user_id").bind(token_hash),
                fetch_optional
            )?;
            if let Some((id, user)) = ended {
                tx.audit(now, Some(user), "session.end", id, None::<&()>, None::<&()>).await?;
            }
            Ok(())
        })
        .await
    }

    /// The failed sign-ins of the last [`sign_in::FAILURE_WINDOW`] counted
    /// against the name tried and against the client's address.
    pub async fn sign_in_failures(&self, username: &str, address: &str, now: Timestamp) -> Result<(Failures, Failures)> {
        let since = micros(now.saturating_sub(sign_in::FAILURE_WINDOW).unwrap_or(now));
        self.read(async |c| {
            let by_name: (i64, Option<i64>) = exec!(
                c,
                sqlx::query_as("SELECT COUNT(*), MAX(at) FROM sign_in_failures WHERE username = $1 AND at > $2").bind(username).bind(since),
                fetch_one
            )?;
            let by_address: (i64, Option<i64>) = exec!(
                c,
                sqlx::query_as("SELECT COUNT(*), MAX(at) FROM sign_in_failures WHERE address = $1 AND at > $2").bind(address).bind(since),
                fetch_one
            )?;
            let failures = |(count, last): (i64, Option<i64>)| -> Result<Failures> {
                Ok(Failures { count: u32::try_from(count).unwrap_or(u32::MAX), last: last.map(from_micros).transpose()? })
            };
            Ok((failures(by_name)?, failures(by_address)?))
        })
        .await
    }

    /// Records a refused sign-in of `username` (as [`sign_in::name_tried`]
    /// gives it) from `address`: audited with why, and counted for the
    /// throttle when [`Failure::counts`]. Failures older than a day are
    /// dropped.
    pub async fn refuse_sign_in(&self, username: &str, address: &str, why: Failure, now: Timestamp) -> Result<()> {
        self.write(async |tx| {
            if why.counts() {
                let sql = "INSERT INTO sign_in_failures (at, username, address) VALUES ($1, $2, $3)";
                exec!(&mut tx.conn, sqlx::query(sql).bind(micros(now)).bind(username).bind(address), execute)?;
            }
            let old = micros(now.saturating_sub(FAILURES_KEPT).unwrap_or(now));
            exec!(&mut tx.conn, sqlx::query("DELETE FROM sign_in_failures WHERE at < $1").bind(old), execute)?;
            let refusal = Refusal { username, address, why };
            tx.audit(now, None, "session.refused", username, None::<&()>, Some(&refusal)).await
        })
        .await
    }

    /// The password hash of the user `id`.
    pub async fn password_hash(&self, id: Uuid) -> Result<Option<String>> {
        self.read(async |c| Ok(exec!(c, sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1").bind(id), fetch_optional)?))
            .await
    }

    /// The user `user` changes their own password (already checked and
    /// hashed): it no longer needs changing, and every other session of
    /// theirs ends (`keep` stays). Returns how many ended.
    pub async fn change_password(&self, user: &User, keep: Uuid, password_hash: &str, now: Timestamp) -> Result<usize> {
        self.write(async |tx| {
            set_password(tx, user.id, password_hash, false).await?;
            let ended = end_sessions(tx, user.id, Some(keep)).await?;
            let after = serde_json::json!({ "sessions_ended": ended });
            tx.audit(now, Some(user.id), "user.password_change", user.id, None::<&()>, Some(&after)).await?;
            Ok(ended)
        })
        .await
    }

    /// `admin` resets the password of the user `id` to one already hashed,
    /// in one transaction: the user is loaded and [`user::reset_password`]
    /// decides; the user must change it at their next sign-in, and every
    /// session of theirs ends.
    pub async fn reset_password(&self, admin: &User, id: Uuid, password_hash: &str, now: Timestamp) -> Result<User> {
        self.write(async |tx| {
            let target = user_by_id(&mut tx.conn, id).await?.ok_or_else(|| StoreError::not_found(Record::User, id))?;
            user::reset_password(admin, &target)?;
            set_password(tx, id, password_hash, true).await?;
            let ended = end_sessions(tx, id, None).await?;
            let after = serde_json::json!({ "must_change_password": true, "sessions_ended": ended });
            tx.audit(now, Some(admin.id), "user.password_reset", id, None::<&()>, Some(&after)).await?;
            Ok(target)
        })
        .await
    }
}

async fn set_password(tx: &mut Tx<'_>, id: Uuid, password_hash: &str, must_change: bool) -> Result<()> {
    let sql = "UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3";
    Ok(exec!(&mut tx.conn, sqlx::query(sql).bind(password_hash).bind(must_change).bind(id), execute)?)
}

/// Ends every session of `user` but `keep`; returns how many.
async fn end_sessions(tx: &mut Tx<'_>, user: Uuid, keep: Option<Uuid>) -> Result<usize> {
    let ended: Vec<Uuid> = exec!(
        &mut tx.conn,
        sqlx::query_scalar("DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR id <> $2) RETURNING id").bind(user).bind(keep),
        fetch_all
    )?;
    Ok(ended.len())
}

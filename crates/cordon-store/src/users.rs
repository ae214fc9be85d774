//! Users: creating them and changing their standing (their sessions and
//! passwords are in [`crate::sessions`]).
//!
//! Passwords arrive already hashed (the server hashes off the async runtime).

use cordon_core::jurisdiction::NodePath;
use cordon_core::refusal::Record;
use cordon_core::user::{self, Role, User, UserInput};
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::db::{Conn, micros, parse_enum, subtree};
use crate::error::{Result, StoreError};
use crate::jurisdictions::node_by_code;
use crate::{Store, exec};

pub(crate) const USER_COLUMNS: &str = "id, username, display_name, role, node_id, node_path, phone, active";

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: Uuid,
    username: String,
    display_name: String,
    role: String,
    node_id: Uuid,
    node_path: String,
    phone: Option<String>,
    active: bool,
}

#[derive(sqlx::FromRow)]
struct UserWithHash {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: String,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<User> {
        Ok(User {
            id: r.id,
            username: r.username,
            display_name: r.display_name,
            role: parse_enum("users.role", &r.role, Role::parse)?,
            node_id: r.node_id,
            node_path: NodePath::from_stored(r.node_path),
            phone: r.phone,
            active: r.active,
        })
    }
}

/// A user by id, inside any connection.
pub async fn user_by_id(c: &mut Conn<'_>, id: Uuid) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    let row: Option<UserRow> = exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(id), fetch_optional)?;
    row.map(User::try_from).transpose()
}

impl Store {
    /// Creates a user with an already hashed password (the command line's
    /// and the seeders' way; administrators go through [`Store::enrol_user`]).
    pub async fn create_user(&self, actor: Option<Uuid>, user: &User, password_hash: &str, now: Timestamp) -> Result<User> {
        self.write(async |tx| {
            insert_user(tx, actor, user, password_hash, now).await?;
            Ok(user.clone())
        })
        .await
    }

    /// An administrator creates the user `input` describes as `id`, with an
    /// already hashed password, in one transaction: the node its `node_code`
    /// names is loaded and [`user::enrol_by`] decides whether the user may be
    /// anchored there.
    pub async fn enrol_user(&self, admin: &User, input: &UserInput, id: Uuid, password_hash: &str, now: Timestamp) -> Result<User> {
        self.write(async |tx| {
            let node = node_by_code(&mut tx.conn, input.node_code.trim()).await?;
            let enrolled = user::enrol_by(admin, input, id, node.as_ref())?;
            insert_user(tx, Some(admin.id), &enrolled, password_hash, now).await?;
            Ok(enrolled)
        })
        .await
    }

    /// `admin` activates or deactivates the user `id`, in one transaction:
    /// the user is loaded and [`user::set_active`] decides; deactivation
    /// ends their sessions.
    pub async fn set_user_active(&self, admin: &User, id: Uuid, active: bool, now: Timestamp) -> Result<User> {
        self.write(async |tx| {
            let before = user_by_id(&mut tx.conn, id).await?.ok_or_else(|| StoreError::not_found(Record::User, id))?;
            let after = user::set_active(admin, &before, active)?;
            exec!(&mut tx.conn, sqlx::query("UPDATE users SET active = $1 WHERE id = $2").bind(active).bind(id), execute)?;
            if !active {
                exec!(&mut tx.conn, sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id), execute)?;
            }
            tx.audit(now, Some(admin.id), "user.update", id, Some(&before), Some(&after)).await?;
            Ok(after)
        })
        .await
    }

    /// A user by id.
    pub async fn user(&self, id: Uuid) -> Result<Option<User>> {
        self.read(async |c| user_by_id(c, id).await).await
    }

    /// A user and their password hash, by sign-in name.
    pub async fn user_with_password(&self, username: &str) -> Result<Option<(User, String)>> {
        let sql = format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = $1");
        self.read(async |c| {
            let row: Option<UserWithHash> = exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(username), fetch_optional)?;
            row.map(|r| Ok((User::try_from(r.user)?, r.password_hash))).transpose()
        })
        .await
    }

    /// Users anchored at or below `path`, optionally of one role.
    pub async fn users_under(&self, path: &NodePath, role: Option<Role>) -> Result<Vec<User>> {
        let sql =
            format!("SELECT {USER_COLUMNS} FROM users WHERE node_path LIKE $1 ESCAPE '\\' AND ($2 IS NULL OR role = $2) ORDER BY username");
        let pattern = subtree(path);
        let rows: Vec<UserRow> = self
            .read(async |c| {
                Ok(exec!(c, sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(&pattern).bind(role.map(Role::as_str)), fetch_all)?)
            })
            .await?;
        rows.into_iter().map(User::try_from).collect()
    }
}

/// Inserts `user` with its audit record, inside an open transaction; a
/// taken user name is [`StoreError::Taken`].
async fn insert_user(tx: &mut crate::Tx<'_>, actor: Option<Uuid>, user: &User, password_hash: &str, now: Timestamp) -> Result<()> {
    let sql = format!("INSERT INTO users ({USER_COLUMNS}, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
    exec!(
        &mut tx.conn,
        sqlx::query(AssertSqlSafe(sql.as_str()))
            .bind(user.id)
            .bind(&user.username)
            .bind(&user.display_name)
            .bind(user.role.as_str())
            .bind(user.node_id)
            .bind(user.node_path.as_str())
            .bind(&user.phone)
            .bind(user.active)
            .bind(password_hash)
            .bind(micros(now)),
        execute
    )
    .map_err(|e| StoreError::taken_or(e, "username", &user.username))?;
    tx.audit(now, actor, "user.create", user.id, None::<&()>, Some(user)).await
}

//! Work that one server at a time should do (the background jobs), when
//! several servers share one PostgreSQL database.

use crate::Store;
use crate::db::Db;
use crate::error::Result;

impl Store {
    /// Runs `f` unless another server holds the PostgreSQL advisory lock
    /// `key` (then `Ok(None)` at once). The lock is held on one connection
    /// for the duration of `f` and dies with it, so a server that crashes
    /// mid-pass does not block the others. On SQLite there is one server:
    /// `f` always runs.
    ///
    /// # Errors
    /// A database error while taking or releasing the lock, or `f`'s error.
    pub async fn exclusively<T>(&self, key: i64, f: impl AsyncFnOnce() -> Result<T>) -> Result<Option<T>> {
        let Db::Postgres(pool) = &self.db else { return f().await.map(Some) };
        let mut holder = pool.acquire().await?;
        let taken: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)").bind(key).fetch_one(&mut *holder).await?;
        if !taken {
            return Ok(None);
        }
        let result = f().await;
        let released = sqlx::query_scalar::<_, bool>("SELECT pg_advisory_unlock($1)").bind(key).fetch_one(&mut *holder).await;
        match (result, released) {
            (Ok(value), Ok(_)) => Ok(Some(value)),
            (Err(e), _) => Err(e),
            // Could not release: drop the connection so the session, and the lock with it, ends.
            (Ok(_), Err(e)) => {
                holder.detach();
                Err(e.into())
            }
        }
    }
}

//! Signing in against the throttle, and a user's own account: their
//! sessions and tokens, changing their password; and an administrator
//! resetting one.
//!
//! A sign-in attempt first asks the core's [`sign_in::throttle`] about the
//! failures the store counted against the name tried and the client's
//! address; only then is the password hashed. Every refusal is audited
//! (never the password) and logged at warn.

use std::net::IpAddr;

use cordon_core::Invalid;
use cordon_core::policy::Action;
use cordon_core::refusal::Reason;
use cordon_core::sign_in::{self, Failure, SessionInfo, Throttle};
use cordon_core::user::User;
use cordon_core::validation::Problems;
use rand::Rng;
use uuid::Uuid;

use super::authorise;
use crate::auth::{Caller, check_credentials, hash_password, verify_password};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The key failures from an unknown address are counted under.
const UNKNOWN_ADDRESS: &str = "unknown";

/// Checks a sign-in attempt of `username` with `password` from `address`:
/// throttled first (429 with the seconds to wait), a password longer than
/// any refused without hashing it (422 naming `password`), then the
/// credentials (401, the same for an unknown user and a wrong password).
pub async fn sign_in(state: &AppState, username: &str, password: &str, address: Option<IpAddr>) -> ApiResult<User> {
    let name = sign_in::name_tried(username);
    let address = address.map_or_else(|| UNKNOWN_ADDRESS.to_owned(), sign_in::address_key);
    throttled(state, &name, &address).await?;
    if sign_in::too_long_to_check(password) {
        refuse(state, &name, &address, Failure::PasswordTooLong).await?;
        return Err(Invalid::field("password", Reason::TooLong { max: sign_in::PASSWORD_MAX }).into());
    }
    match check_credentials(state, &name, password).await? {
        Ok(user) => Ok(user),
        Err(why) => {
            refuse(state, &name, &address, why).await?;
            Err(ApiError::BadCredentials)
        }
    }
}

/// Refuses (429, audited) when the failures counted against `name` or
/// `address` ask for a wait.
async fn throttled(state: &AppState, name: &str, address: &str) -> ApiResult<()> {
    let now = state.now();
    let (by_name, by_address) = state.store.sign_in_failures(name, address, now).await?;
    match sign_in::throttle(by_name, by_address, now) {
        Throttle::Go => Ok(()),
        Throttle::Wait { retry_after, locked } => {
            tracing::warn!(username = name, address, retry_after, locked, "sign-in refused: too many failed attempts");
            state.store.refuse_sign_in(name, address, Failure::Throttled, now).await?;
            Err(ApiError::TooManyAttempts { retry_after })
        }
    }
}

/// Records (audit, throttle count) and logs a refused sign-in.
async fn refuse(state: &AppState, name: &str, address: &str, why: Failure) -> ApiResult<()> {
    tracing::warn!(username = name, address, ?why, "sign-in refused");
    Ok(state.store.refuse_sign_in(name, address, why, state.now()).await?)
}

/// The live sessions and tokens of the caller, the current one marked.
pub async fn own_sessions(state: &AppState, caller: &Caller) -> ApiResult<Vec<SessionInfo>> {
    Ok(state.store.sessions_of(&caller.user, caller.user.id, Some(caller.session.id), state.now()).await?)
}

/// The live sessions and tokens of the user `id`, as `actor` (themselves or
/// an administrator over them) may see them.
pub async fn sessions_of(state: &AppState, actor: &User, id: Uuid) -> ApiResult<Vec<SessionInfo>> {
    Ok(state.store.sessions_of(actor, id, None, state.now()).await?)
}

/// `actor` revokes the session or token `id` (their own or a managed
/// user's; anything else is "not found").
pub async fn revoke(state: &AppState, actor: &User, id: Uuid) -> ApiResult<()> {
    Ok(state.store.revoke_session(actor, id, state.now()).await?)
}

/// The caller changes their password: the current one is checked under the
/// same throttle as a sign-in (a wrong one is 422 naming `current_password`),
/// the new one must be of the allowed length and differ; their other
/// sessions and tokens end. Returns how many ended.
pub async fn change_password(state: &AppState, caller: &Caller, current: &str, new: &str, address: Option<IpAddr>) -> ApiResult<usize> {
    let user = &caller.user;
    let address = address.map_or_else(|| UNKNOWN_ADDRESS.to_owned(), sign_in::address_key);
    throttled(state, &user.username, &address).await?;
    let wrong = || ApiError::from(Invalid::field("current_password", Reason::BadCredentials));
    if sign_in::too_long_to_check(current) {
        refuse(state, &user.username, &address, Failure::PasswordTooLong).await?;
        return Err(wrong());
    }
    let hash = state.store.password_hash(user.id).await?.unwrap_or_default();
    if !verify_password(current.to_owned(), hash).await {
        refuse(state, &user.username, &address, Failure::WrongPassword).await?;
        return Err(wrong());
    }
    sign_in::check_new_password(current, new)?;
    let hash = hash_password(new.to_owned()).await?;
    Ok(state.store.change_password(user, caller.session.id, &hash, state.now()).await?)
}

/// `admin` resets the password of the user `id` to `given` (checked) or, when
/// none is given, to a generated one, returned to be shown once. The user
/// must change it at their next sign-in; their sessions end.
pub async fn reset_password(state: &AppState, admin: &User, id: Uuid, given: Option<&str>) -> ApiResult<(User, Option<String>)> {
    authorise(admin, Action::ManageUsers, &admin.node_path)?;
    let (password, generated) = if let Some(given) = given.filter(|p| !p.is_empty()) {
        let mut p = Problems::default();
        sign_in::check_password(&mut p, "password", given);
        p.finish(())?;
        (given.to_owned(), None)
    } else {
        let generated = temporary_password();
        (generated.clone(), Some(generated))
    };
    let hash = hash_password(password).await?;
    let user = state.store.reset_password(admin, id, &hash, state.now()).await?;
    Ok((user, generated))
}

/// A temporary password: 16 characters that cannot be mistaken for one
/// another when read out or copied by hand (about 78 bits).
fn temporary_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..16).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect()
}

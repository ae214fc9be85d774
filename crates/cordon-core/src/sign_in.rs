//! Signing in so that guessing does not pay: how many wrong passwords an
//! account and a client address get before they must wait (and then how the
//! wait grows into a lockout), how long sessions live, what a password must
//! be, and who may see and end whose sessions.
//!
//! Everything here is decided from what the store counted and the time given;
//! the store keeps the failures in the database, so every server sharing it
//! applies the same limits.

use std::net::IpAddr;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::policy::{self, Action, Denied};
use crate::refusal::Reason;
use crate::user::User;
use crate::validation::{Invalid, Problems};

/// The fewest characters a password has.
pub const PASSWORD_MIN: usize = 8;

/// The most characters a password has: longer ones are refused when set and
/// at sign-in, where they are refused before any hashing.
pub const PASSWORD_MAX: usize = 1024;

/// How far back failed sign-ins count.
pub const FAILURE_WINDOW: SignedDuration = SignedDuration::from_hours(1);

/// How long a browser session may stay unused before it ends.
pub const SESSION_IDLE: SignedDuration = SignedDuration::from_mins(30);

/// How long a browser session lasts at most, however busy.
pub const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(12);

/// How long a device's bearer token lasts (no idle limit: devices go
/// offline for days).
pub const TOKEN_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 90);

/// How stale a session's last-seen time may get before a request writes it
/// again: at most one write a minute per session keeps reads cheap.
pub const TOUCH_EVERY: SignedDuration = SignedDuration::from_mins(1);

/// How many failures one key (an account, an address) may have before it
/// waits, how long the first wait is (it doubles with each further failure),
/// and after how many failures it is locked out, for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Failures allowed without any wait.
    pub free: u32,
    /// The wait after the first failure past the free ones.
    pub first_wait: SignedDuration,
    /// From this many failures on, the wait is the lockout.
    pub lockout_after: u32,
    /// How long a lockout lasts after the last failure.
    pub lockout: SignedDuration,
}

/// The limits of one account: five guesses, then 2, 4, 8, 16 and 32 seconds,
/// then 15 minutes after each further failure.
pub const ACCOUNT: Limits =
    Limits { free: 5, first_wait: SignedDuration::from_secs(2), lockout_after: 10, lockout: SignedDuration::from_mins(15) };

/// The limits of one client address, whatever account it tries: an office
/// behind one address may mistype 20 times an hour before anyone waits.
pub const ADDRESS: Limits =
    Limits { free: 20, first_wait: SignedDuration::from_secs(2), lockout_after: 50, lockout: SignedDuration::from_mins(15) };

impl Limits {
    /// How long to wait after the last of `failures` failures.
    #[must_use]
    pub fn wait_after(&self, failures: u32) -> SignedDuration {
        if failures < self.free {
            return SignedDuration::ZERO;
        }
        if failures >= self.lockout_after {
            return self.lockout;
        }
        let doublings = (failures - self.free).min(20);
        let wait = self.first_wait.checked_mul(1 << doublings).unwrap_or(self.lockout);
        wait.min(self.lockout)
    }
}

/// The failed sign-ins counted against one key within [`FAILURE_WINDOW`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Failures {
    /// How many.
    pub count: u32,
    /// When the last one was.
    pub last: Option<Timestamp>,
}

/// Whether a sign-in attempt may have its password checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttle {
    /// Check the password.
    Go,
    /// Refuse without checking: too many recent failures.
    Wait {
        /// Whole seconds until an attempt is allowed again.
        retry_after: u64,
        /// Whether the wait is a lockout (rather than a growing delay).
        locked: bool,
    },
}

/// Decides whether an attempt at `now` may go ahead, from the failures
/// counted against the account tried and against the client's address: the
/// longer of their two waits applies. A success resets the account's count
/// (not the address's), so other users signing in from the same address are
/// held back only by the address's own, higher limit.
#[must_use]
pub fn throttle(account: Failures, address: Failures, now: Timestamp) -> Throttle {
    let waits = [(account, ACCOUNT), (address, ADDRESS)].map(|(failures, limits)| {
        let until = failures.last.and_then(|last| last.checked_add(limits.wait_after(failures.count)).ok());
        let left = until.map_or(SignedDuration::ZERO, |until| now.duration_until(until));
        (left, failures.count >= limits.lockout_after)
    });
    let (left, locked) = if waits[0].0 >= waits[1].0 { waits[0] } else { waits[1] };
    if left <= SignedDuration::ZERO {
        return Throttle::Go;
    }
    // Round up: a client that waits as told is never refused again for the same failures.
    let secs = u64::try_from(left.as_secs()).unwrap_or(0) + u64::from(left.subsec_nanos() > 0);
    Throttle::Wait { retry_after: secs.max(1), locked }
}

/// The key failures from `address` are counted under: an IPv4 address, or
/// the /64 network of an IPv6 one (a single client usually holds a whole /64).
#[must_use]
pub fn address_key(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return v4.to_string();
            }
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// The user name tried, as recorded in the audit log and counted against:
/// trimmed, control characters replaced, at most 64 characters (no real user
/// name is longer).
#[must_use]
pub fn name_tried(username: &str) -> String {
    username.trim().chars().take(64).map(|c| if c.is_control() { '\u{FFFD}' } else { c }).collect()
}

/// Why a sign-in attempt failed, as the audit log records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// Refused before checking: too many recent failures.
    Throttled,
    /// No user has that name.
    UnknownUser,
    /// The password was wrong.
    WrongPassword,
    /// The account is deactivated.
    Deactivated,
    /// The password was longer than any password can be; not checked.
    PasswordTooLong,
}

impl Failure {
    /// Whether this failure counts towards the throttle (a refusal for
    /// waiting does not, so the real user is not locked out for longer by
    /// someone who keeps trying).
    #[must_use]
    pub fn counts(self) -> bool {
        self != Failure::Throttled
    }
}

/// Whether a password offered at sign-in is too long to be anyone's: it is
/// refused without hashing it.
#[must_use]
pub fn too_long_to_check(password: &str) -> bool {
    password.len() > PASSWORD_MAX * 4 || password.chars().count() > PASSWORD_MAX
}

/// Checks a password being set in `field`: [`PASSWORD_MIN`] to
/// [`PASSWORD_MAX`] characters.
pub fn check_password(p: &mut Problems, field: &str, password: &str) {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        p.add(field, Reason::TooShort { min: PASSWORD_MIN });
    } else if n > PASSWORD_MAX {
        p.add(field, Reason::TooLong { max: PASSWORD_MAX });
    }
}

/// Checks a user's new password (the current one already verified): of the
/// allowed length and not the current one.
pub fn check_new_password(current: &str, new: &str) -> Result<(), Invalid> {
    let mut p = Problems::default();
    check_password(&mut p, "new_password", new);
    if current == new {
        p.add("new_password", Reason::SamePassword);
    }
    p.finish(())
}

/// Whether a session is a browser cookie or a device's bearer token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    /// A browser session cookie.
    Cookie,
    /// A bearer token for a device or script.
    Bearer,
}

impl SessionKind {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Cookie => "cookie",
            SessionKind::Bearer => "bearer",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn parse(s: &str) -> Option<SessionKind> {
        [SessionKind::Cookie, SessionKind::Bearer].into_iter().find(|k| k.as_str() == s)
    }

    /// How long a new session of this kind lasts at most.
    #[must_use]
    pub fn lifetime(self) -> SignedDuration {
        match self {
            SessionKind::Cookie => SESSION_LIFETIME,
            SessionKind::Bearer => TOKEN_LIFETIME,
        }
    }
}

/// A session or device token as its owner (or an administrator) sees it;
/// never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SessionInfo {
    /// Stable identifier, to revoke it by.
    pub id: Uuid,
    /// Browser cookie or bearer token.
    pub kind: SessionKind,
    /// The device label given when the token was issued.
    pub device: Option<String>,
    /// When it was started.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// When it was last used (to the minute).
    #[schema(value_type = String, format = DateTime)]
    pub last_seen_at: Timestamp,
    /// When it ends at the latest.
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: Timestamp,
    /// Whether it is the one making this request.
    pub current: bool,
}

/// Where a stored session stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// In use; `touch` says whether its last-seen time is to be written.
    Alive {
        /// Whether [`TOUCH_EVERY`] has passed since it was last written.
        touch: bool,
    },
    /// Past its end.
    Expired,
    /// A browser session unused for longer than [`SESSION_IDLE`].
    Idle,
}

impl SessionInfo {
    /// Where this session stands at `now`.
    #[must_use]
    pub fn standing(&self, now: Timestamp) -> Standing {
        if now >= self.expires_at {
            return Standing::Expired;
        }
        let unused = self.last_seen_at.duration_until(now);
        if self.kind == SessionKind::Cookie && unused >= SESSION_IDLE {
            return Standing::Idle;
        }
        Standing::Alive { touch: unused >= TOUCH_EVERY }
    }
}

/// Decides whether `actor` may see and end the sessions of `owner` (as
/// loaded): their own always; another's only as someone who manages that
/// user. The store answers a refusal as "not found", revealing nothing.
pub fn may_manage_sessions(actor: &User, owner: &User) -> Result<(), Denied> {
    if actor.id == owner.id {
        return Ok(());
    }
    policy::authorise(actor, Action::ManageUsers, &owner.node_path)
}

#[cfg(test)]
#[path = "sign_in_tests.rs"]
mod tests;

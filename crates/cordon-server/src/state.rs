//! What every handler shares.

use std::sync::Arc;

use cordon_store::Store;
use jiff::Timestamp;

use crate::clock::Clock;

/// The application's shared state.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// Whether cookies carry the `Secure` flag (served over HTTPS).
    pub secure_cookies: bool,
    /// How people are notified.
    pub notifier: Arc<dyn crate::notify::Notifier>,
    /// Cancelled when the server is asked to stop: live streams end and the
    /// background jobs finish their pass and stop.
    pub stopping: tokio_util::sync::CancellationToken,
    /// The origin browsers see this server at (`--public-url`), when a
    /// proxy stands in front of it; forms from there are this site's.
    pub public_origin: Option<Arc<str>>,
    /// The reverse proxies believed when they say whom they forward for
    /// (`X-Forwarded-For`), for the per-address sign-in limits.
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
    /// The bearer token `/metrics` asks for (`--metrics-token`), if any.
    pub metrics_token: Option<crate::operations::scrape::MetricsToken>,
}

impl AppState {
    /// Now, by the application's clock.
    #[must_use]
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}

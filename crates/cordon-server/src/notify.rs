//! Notifying people (release from quarantine, ...): a channel is a trait so
//! SMS gateways can plug in later; the log and webhook channels ship.

use std::future::Future;
use std::pin::Pin;

use cordon_store::orders::Notification;

/// A way to reach a person.
pub trait Notifier: Send + Sync + std::fmt::Debug {
    /// The channel's name, recorded with each sent message.
    fn channel(&self) -> &'static str;
    /// Sends one message; an error leaves it queued for the next pass.
    fn send<'a>(&'a self, message: &'a Notification) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;
}

/// Writes each message to the log (the default channel).
#[derive(Debug, Default)]
pub struct LogNotifier;

impl Notifier for LogNotifier {
    fn channel(&self) -> &'static str {
        "log"
    }

    fn send<'a>(&'a self, m: &'a Notification) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async move {
            let to = m.person_id.or(m.user_id).map(|id| id.to_string()).unwrap_or_default();
            tracing::info!(%to, phone = m.phone.as_deref().unwrap_or("-"), message = %m.message, "notification");
            Ok(())
        })
    }
}

/// Posts each message as JSON to a URL (an SMS gateway, a messaging bridge).
#[derive(Debug)]
pub struct WebhookNotifier {
    url: String,
    http: reqwest::Client,
}

impl WebhookNotifier {
    /// A webhook channel posting to `url`.
    #[must_use]
    pub fn new(url: String) -> Self {
        let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).build().unwrap_or_default();
        WebhookNotifier { url, http }
    }
}

impl Notifier for WebhookNotifier {
    fn channel(&self) -> &'static str {
        "webhook"
    }

    fn send<'a>(&'a self, m: &'a Notification) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async move {
            let response = self.http.post(&self.url).json(m).send().await.map_err(|e| e.to_string())?;
            if response.status().is_success() { Ok(()) } else { Err(format!("webhook answered {}", response.status())) }
        })
    }
}

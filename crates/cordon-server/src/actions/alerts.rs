//! An officer's decision on an alert (review, verify, discard): the alert's
//! scope, the officer's right, the note and the transition are checked and
//! decided (`alert::decide`) inside the store's transaction.

use cordon_core::alert::{Alert, AlertDecision, AlertReview, ReviewInput};
use cordon_core::policy::Action;
use cordon_core::refusal::Reason;
use cordon_core::refusal::Record;
use cordon_core::user::User;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::authorise;
use crate::detection::{SeriesPoint, node_series};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The alert id in a request path; anything but a UUID is a 400 naming `id`.
pub fn parse_id(raw: &str) -> ApiResult<Uuid> {
    raw.parse().map_err(|_| ApiError::bad_field("id", Reason::NotUuid { value: raw.to_owned() }))
}

/// Applies `user`'s decision on the alert `raw_id` with the note of `input`.
pub async fn decide(state: &AppState, user: &User, raw_id: &str, decision: AlertDecision, input: &ReviewInput) -> ApiResult<Alert> {
    let id = parse_id(raw_id)?;
    Ok(state.store.decide_alert(user, id, decision, input, state.now()).await?)
}

/// An alert with its review steps and the series around it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertDetail {
    /// The alert.
    #[serde(flatten)]
    pub alert: Alert,
    /// Its review steps, oldest first.
    pub reviews: Vec<AlertReview>,
    /// The node's series under the alert's method, ending with the alert's period.
    pub series: Vec<SeriesPoint>,
}

/// The alert `raw_id` names, if it lies in `user`'s subtree (else 404, as if
/// it did not exist) and the policy lets them perform `action` on it.
pub async fn alert_in_scope(state: &AppState, user: &User, raw_id: &str, action: Action) -> ApiResult<Alert> {
    let id = crate::actions::alerts::parse_id(raw_id)?;
    let alert = state.store.alert(id).await?.ok_or_else(|| ApiError::not_found(Record::Alert, &id))?;
    if !user.node_path.contains(&alert.node_path) {
        return Err(ApiError::not_found(Record::Alert, &id));
    }
    authorise(user, action, &alert.node_path)?;
    Ok(alert)
}

/// An alert in `user`'s subtree with its review steps and its series (the
/// 28 days, or 52 weeks, up to its period); shared by the API and the pages.
pub async fn alert_detail(state: &AppState, user: &User, id: &str) -> ApiResult<AlertDetail> {
    let alert = alert_in_scope(state, user, id, Action::Read).await?;
    let reviews = state.store.alert_reviews(alert.id).await?;
    let config = state.store.detection_config().await?;
    let series = match (config.method(alert.method), state.store.node(alert.node_id).await?) {
        (Some(settings), Some(node)) => {
            let periods = if alert.method.is_weekly() { 52 } else { 28 };
            node_series(state, &node, alert.syndrome, settings, alert.period_end, periods).await?
        }
        _ => Vec::new(),
    };
    Ok(AlertDetail { alert, reviews, series })
}

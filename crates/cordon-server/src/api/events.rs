//! Live events: a server-sent-event stream of what happens in the user's
//! subtree, and the same events as a JSON log to catch up after a gap.
//!
//! The stream first replays the outbox after `Last-Event-ID` (or `after`),
//! then follows new commits. A client that falls too far behind is
//! disconnected; the browser's `EventSource` reconnects with its last id and
//! catches up from the outbox, so nothing is lost. When the server stops,
//! every stream ends at once.

use std::convert::Infallible;

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use cordon_core::event::Event;
use futures::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use tokio_stream::wrappers::BroadcastStream;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::paging::{ListPage, sequence};
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::AppQuery;
use crate::state::AppState;

/// Where the live stream resumes.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StreamQuery {
    /// Only events after this sequence number (`Last-Event-ID` wins if sent).
    pub after: Option<i64>,
}

/// Where the JSON log resumes, and how much of it to read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EventQuery {
    /// Only events after this sequence number.
    pub after: Option<i64>,
    /// At most this many, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// The page to read: the `next_cursor` of the previous page, which wins
    /// over `after`.
    pub cursor: Option<String>,
}

fn to_sse(e: &Event) -> SseEvent {
    SseEvent::default()
        .id(e.seq.to_string())
        .event(e.kind.as_str())
        .json_data(e)
        .unwrap_or_else(|_| SseEvent::default().comment("unserialisable event"))
}

/// The live stream (`text/event-stream`): new reports, cases, tasks,
/// acknowledgements and escalations in your subtree.
#[utoipa::path(get, path = "/events/stream", tag = "command", params(StreamQuery), responses((status = 200, description = "A text/event-stream of Event objects; the SSE id is the event's seq", content_type = "text/event-stream", body = Event)))]
async fn stream_events(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    headers: HeaderMap,
    AppQuery(q): AppQuery<StreamQuery>,
) -> ApiResult<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>> {
    let resume = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<i64>().ok()).or(q.after);
    // Subscribe before reading the backlog so nothing falls between the two.
    let live = BroadcastStream::new(state.store.subscribe());
    let backlog = match resume {
        Some(after) => state.store.events_since(&user.node_path, after, 1000).await?,
        None => Vec::new(),
    };
    let mut seen = backlog.last().map(|e| e.seq).or(resume).unwrap_or(0);
    let path = user.node_path.clone();
    let live = live.take_while(|r| std::future::ready(r.is_ok())).filter_map(move |r| {
        let keep = match r {
            Ok(e) if e.seq > seen && e.reaches(&path) => {
                seen = e.seq;
                Some(e)
            }
            _ => None,
        };
        std::future::ready(keep)
    });
    // A stopping server ends the stream, so that it can close the connection;
    // the browser's EventSource reconnects with its last id when it is back.
    let events = stream::iter(backlog).chain(live).map(|e| Ok(to_sse(&e))).take_until(state.stopping.clone().cancelled_owned());
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}

/// The same events as JSON, oldest first, for catching up.
#[utoipa::path(get, path = "/events", tag = "command", params(EventQuery), responses((status = 200, body = ListPage<Event>)))]
async fn event_log(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    AppQuery(q): AppQuery<EventQuery>,
) -> ApiResult<Json<ListPage<Event>>> {
    let (limit, cursor) = sequence(q.limit, q.cursor.as_deref())?;
    let after = cursor.or(q.after).unwrap_or(0);
    let rows = state.store.events_since(&user.node_path, after, limit + 1).await?;
    Ok(Json(ListPage::by_sequence(rows, limit, |e| e.seq)))
}

/// Routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(stream_events)).routes(routes!(event_log))
}

//! Part of Chatwoot's API as an axum service, served through specgate's
//! tower layer: list conversations (a 44 KB page of recorded
//! conversations, or an empty account's page), toggle a conversation's
//! status, and a health check the document does not describe. Its tests
//! (`tests/`) check the layer on loopback; `src/main.rs` serves it for
//! `scripts/bench-layer.sh`.
//!
//! The handlers are plain axum; `fault=…` query values make them break the
//! document on purpose, so tests can see the layer catch it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use bytes::Bytes;
use specgate_tower::SpecgateLayer;

/// What the handlers share: the pages, and how many requests reached them
/// (what tests read to see that a refused request never did).
#[derive(Clone)]
pub struct App {
    pages: Arc<Pages>,
    /// Requests the handlers answered.
    pub served: Arc<AtomicU64>,
}

struct Pages {
    list: Bytes,
    small: Bytes,
    broken: Bytes,
}

impl App {
    pub fn new() -> App {
        App {
            pages: Arc::new(Pages::new()),
            served: Arc::default(),
        }
    }

    /// The router, behind `layer` when one is given.
    pub fn router(&self, layer: Option<SpecgateLayer>) -> Router {
        let router = Router::new()
            .route("/api/v1/accounts/{account_id}/conversations", get(list))
            .route(
                "/api/v1/accounts/{account_id}/conversations/{conversation_id}/toggle_status",
                post(toggle_status),
            )
            .route("/health", get(|| async { "ok" }))
            .with_state(self.clone());
        match layer {
            Some(layer) => router.layer(layer),
            None => router,
        }
    }
}

impl Default for App {
    fn default() -> Self {
        App::new()
    }
}

impl Pages {
    /// The recorded first page, its conversations repeated to about 44 KB
    /// (the size of a real page of 25); an empty account's page; and the
    /// first page with a count that is a string, as no Chatwoot sends.
    fn new() -> Pages {
        let recorded = |index: usize| -> serde_json::Value {
            specgate_validator::CHATWOOT_RECORDINGS
                .lines()
                .nth(index)
                .and_then(|line| serde_json::from_str::<serde_json::Value>(line).ok())
                .and_then(|record| {
                    record["response"]["body"]
                        .as_str()
                        .and_then(|text| serde_json::from_str(text).ok())
                })
                .unwrap_or_default()
        };
        // Chatwoot sends `null` where its document says an object (the
        // recordings' known gaps); the example serves what conforms.
        let first = without_nulls(recorded(0));
        let mut page = first.clone();
        let conversations = first["data"]["payload"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut payload = Vec::new();
        while serde_json::to_vec(&payload).map_or(0, |v| v.len()) < 44 * 1024
            && !conversations.is_empty()
        {
            payload.extend(conversations.iter().cloned());
        }
        page["data"]["payload"] = payload.into();
        let mut broken = first;
        broken["data"]["meta"]["mine_count"] = "one".into();
        let bytes =
            |value: &serde_json::Value| Bytes::from(serde_json::to_vec(value).unwrap_or_default());
        Pages {
            list: bytes(&page),
            small: bytes(&recorded(4)),
            broken: bytes(&broken),
        }
    }
}

/// The value with every member whose value is `null` left out.
fn without_nulls(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(members) => members
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k, without_nulls(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        serde_json::Value::Array(items) => items.into_iter().map(without_nulls).collect(),
        other => other,
    }
}

fn json(bytes: Bytes) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        bytes,
    )
        .into_response()
}

async fn list(
    State(app): State<App>,
    Path(_account_id): Path<u64>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    app.served.fetch_add(1, Ordering::Relaxed);
    let fault = query
        .iter()
        .find(|(k, _)| k == "fault")
        .map(|(_, v)| v.as_str());
    match fault {
        // A body that breaks the document.
        Some("body") => json(app.pages.broken.clone()),
        // A status the operation does not document.
        Some("status") => (StatusCode::IM_A_TEAPOT, "no").into_response(),
        // Server-sent events: streamed, never read whole.
        Some("stream") => {
            let events = futures_util::stream::iter(
                (0..3).map(|i| Ok::<_, std::io::Error>(Bytes::from(format!("data: {i}\n\n")))),
            );
            (
                [(header::CONTENT_TYPE, "text/event-stream")],
                Body::from_stream(events),
            )
                .into_response()
        }
        _ if query.iter().any(|(k, v)| k == "page" && v != "1") => json(app.pages.small.clone()),
        _ => json(app.pages.list.clone()),
    }
}

async fn toggle_status(
    State(app): State<App>,
    Path((_account_id, conversation_id)): Path<(u64, u64)>,
    body: Bytes,
) -> Response {
    app.served.fetch_add(1, Ordering::Relaxed);
    let status = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["status"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "open".into());
    let answer = serde_json::json!({
        "meta": {},
        "payload": {"success": true, "conversation_id": conversation_id, "current_status": status}
    });
    json(Bytes::from(serde_json::to_vec(&answer).unwrap_or_default()))
}

/// Chatwoot's document as a validator for the life of the process.
pub fn chatwoot_validator() -> Result<Arc<specgate_validator::Validator<'static>>, String> {
    let document = specgate_spec::chatwoot().map_err(|e| e.to_string())?;
    specgate_tower::validator(document).map_err(|e| e.to_string())
}

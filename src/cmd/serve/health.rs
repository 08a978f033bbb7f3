//! Probes for load balancers and Kubernetes: `GET /healthz` (the process answers) and
//! `GET /readyz` (it can serve: the output folder is readable and the tokens file, when one
//! is given, still reads and parses). Both sit outside the request guard, so that a probe
//! every few seconds is never rate limited and adds no line to the request log.

use std::sync::Arc;

use axum::extract::State as Shared;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::state::State;

/// The probe routes, to merge into the service's router.
pub fn routes() -> axum::Router<Arc<State>> {
    axum::Router::new()
        .route("/healthz", get(live))
        .route("/readyz", get(ready))
}

/// Alive: the server's loop answers.
async fn live() -> Response {
    plain(StatusCode::OK, "ok")
}

/// Ready: 200 when `dist/` can be listed and the tokens are loaded, 503 (with the reason)
/// otherwise.
async fn ready(Shared(state): Shared<Arc<State>>) -> Response {
    if std::fs::read_dir(&state.dist).is_err() {
        return plain(
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: dist/ is not readable",
        );
    }
    if !state.auth.loaded() {
        return plain(
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: the tokens file is not readable",
        );
    }
    plain(StatusCode::OK, "ready")
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response();
    *response.status_mut() = status;
    response
}

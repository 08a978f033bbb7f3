//! Answers every part of the server gives: small error pages (or JSON when asked for), HTML
//! pages, PDFs. The bottom of `serve/`: it imports only the page templates, the log and
//! what a failed compile is.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::log::Log;
use super::make::MakeFailure;
use super::pages::Pages;

/// The route a response answered, for the log (never the query or the body).
#[derive(Clone, Copy)]
pub struct Route(pub &'static str);

/// `response`, marked with the route it answered.
pub fn routed(mut response: Response, route: &'static str) -> Response {
    response.extensions_mut().insert(Route(route));
    response
}

/// Whether the client asked for JSON rather than HTML.
pub fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json") && !a.contains("text/html"))
}

/// A small error answer: JSON when the client asked for it, HTML otherwise.
pub fn error(
    pages: &Pages,
    status: StatusCode,
    title: &str,
    message: &str,
    json: bool,
) -> Response {
    let mut response = if json {
        let body =
            serde_json::json!({ "status": status.as_u16(), "error": title, "message": message });
        (
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response()
    } else {
        html(pages.error(title, message))
    };
    *response.status_mut() = status;
    response
}

/// A 404 answer (JSON when asked for).
pub fn not_found(pages: &Pages, json: bool) -> Response {
    error(
        pages,
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is nothing at this address.",
        json,
    )
}

/// A 413 answer: the body is larger than the server reads.
pub fn too_large(pages: &Pages, json: bool) -> Response {
    error(
        pages,
        StatusCode::PAYLOAD_TOO_LARGE,
        "Too large",
        "The form sent is larger than this server accepts.",
        json,
    )
}

/// A page of the server's own, never stored by a cache.
pub fn html(page: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

/// A PDF, shown in the browser, saved under `name`.
pub fn pdf(bytes: Vec<u8>, name: &str, cache: &'static str) -> Response {
    let disposition = format!("inline; filename=\"{name}\"");
    let mut response = (
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (header::CACHE_CONTROL, cache),
        ],
        bytes,
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// A redirect after a form (303 See Other) to a path on this server.
pub fn see_other(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// Sends a browser to sign in, then back to `next` (a path and query on this server).
pub fn sign_in_first(next: &str) -> Response {
    let to: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("next", next)
        .finish();
    see_other(&format!("/login?{to}"))
}

/// Plain text (the health probes).
pub fn text(status: StatusCode, body: String) -> Response {
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response();
    *response.status_mut() = status;
    response
}

/// The answer to an edition that could not be made.
pub fn failure(pages: &Pages, log: Log, f: MakeFailure, json: bool) -> Response {
    match f {
        MakeFailure::Busy | MakeFailure::TimedOut => {
            let mut r = error(
                pages,
                StatusCode::SERVICE_UNAVAILABLE,
                "Busy",
                "The server is making many leaflets at the moment. Please try again in a few seconds.",
                json,
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            r
        }
        MakeFailure::DoesNotFit(_) => error(
            pages,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Does not fit",
            "These details do not fit on this leaflet. Shorten them, or choose a larger edition.",
            json,
        ),
        MakeFailure::Broken(message) => {
            log.error(&format!("internal error: {message}"));
            error(
                pages,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "The leaflet could not be made.",
                json,
            )
        }
    }
}

//! Signing in and out in a browser: the token login form (`GET`/`POST /login`) opens a
//! session, `POST /logout` ends it. Tokens typed here are never logged.

use std::sync::Arc;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Query, State as Shared};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::access;
use super::respond::{self, html, see_other};
use super::state::State;

/// Where to go after signing in.
#[derive(Debug, Deserialize)]
pub struct Next {
    pub next: Option<String>,
}

/// The login form's fields.
#[derive(Debug, Deserialize)]
pub struct Login {
    #[serde(default)]
    pub token: String,
    #[serde(default)]
    pub next: String,
}

/// Only a path on this server: never `//host`, `/\\host` or an absolute address.
fn local(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_string()
    } else {
        "/".into()
    }
}

/// `GET /login`: the form.
pub async fn show(Shared(state): Shared<Arc<State>>, Query(q): Query<Next>) -> Response {
    let next = q.next.unwrap_or_else(|| "/".into());
    html(state.pages.login(&next, false))
}

/// `POST /login`: a session for the token's brand, then back to `next`; 401 and the form
/// again for a token that is not valid.
pub async fn sign_in(
    Shared(state): Shared<Arc<State>>,
    form: Result<Form<Login>, FormRejection>,
) -> Response {
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return respond::too_large(&state.pages, false)
        }
        Err(_) => Login {
            token: String::new(),
            next: "/".into(),
        },
    };
    let next = local(&form.next);
    let Some((id, _)) = state.auth.open_session(&form.token) else {
        let mut r = html(state.pages.login(&next, true));
        *r.status_mut() = StatusCode::UNAUTHORIZED;
        return r;
    };
    let mut r = see_other(&next);
    if let Ok(value) = HeaderValue::from_str(&access::session_cookie(&id, state.secure_cookies)) {
        r.headers_mut().insert(header::SET_COOKIE, value);
    }
    r
}

/// `POST /logout`: the session ends on the server and its cookie is removed.
pub async fn sign_out(Shared(state): Shared<Arc<State>>, headers: HeaderMap) -> Response {
    if let Some(id) = access::session(&headers) {
        state.auth.end_session(&id);
    }
    let mut r = see_other("/");
    if let Ok(value) = HeaderValue::from_str(&access::removal_cookie(state.secure_cookies)) {
        r.headers_mut().insert(header::SET_COOKIE, value);
    }
    r
}

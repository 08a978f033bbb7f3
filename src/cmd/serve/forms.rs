//! The two forms: the personalisation form (GET shows it, POST returns the leaflet with one
//! patient's contact, or 422 with what is wrong) and the token login form for browsers.
//! Nothing typed into either is stored, cached or logged.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::form::Checked;
use super::make::Failure;
use super::pages::Pages;
use super::routes::{authorise, bearer, error, failure, html, pdf, BODY_LIMIT, COOKIE};
use super::state::State;

/// Reads a form-encoded body of at most [`BODY_LIMIT`] bytes; Err is the 413 answer.
async fn form_body(
    pages: &Pages,
    headers: &HeaderMap,
    body: Body,
    json: bool,
) -> Result<Vec<(String, String)>, Response> {
    let too_large = || {
        error(
            pages,
            StatusCode::PAYLOAD_TOO_LARGE,
            "Too large",
            "The form sent is larger than this server accepts.",
            json,
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT) {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|_| too_large())?;
    Ok(form_urlencoded::parse(&bytes).into_owned().collect())
}

#[allow(clippy::too_many_arguments)]
pub async fn personalise(
    state: &Arc<State>,
    parts: &axum::http::request::Parts,
    body: Body,
    publication: &str,
    edition: &str,
    brand: &str,
    post: bool,
    json: bool,
) -> Response {
    if let Err(response) = authorise(state, &parts.headers, publication, edition, brand, json) {
        // A browser without a session is sent to sign in, then back here.
        let denied = response.status() == StatusCode::UNAUTHORIZED;
        if denied && !post && !json && bearer(&parts.headers).is_none() {
            let next = format!(
                "{}?{}",
                parts.uri.path(),
                parts.uri.query().unwrap_or_default()
            );
            let to: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("next", &next)
                .finish();
            return Response::builder()
                .status(StatusCode::SEE_OTHER)
                .header(header::LOCATION, format!("/login?{to}"))
                .body(Body::empty())
                .expect("response");
        }
        return response;
    }
    let action = format!(
        "{}?{}",
        parts.uri.path(),
        parts.uri.query().unwrap_or_default()
    );
    let title = state.publications[publication]
        .publication
        .meta
        .title
        .clone();
    let name = state.brands[brand].data.json["name"]
        .as_str()
        .unwrap_or(brand)
        .to_string();
    let form = |checked: &Checked, refused: Option<&str>| {
        state.pages.personalise(
            &action,
            &name,
            &title,
            edition,
            &checked.values,
            &checked.problems,
            refused,
        )
    };
    if !post {
        return html(form(&Checked::new(&[]), None));
    }
    let pairs = match form_body(&state.pages, &parts.headers, body, json).await {
        Ok(pairs) => pairs,
        Err(response) => return response,
    };
    let checked = Checked::new(&pairs);
    let unprocessable = |page: String, message: &str| {
        if json {
            let fields: serde_json::Map<String, serde_json::Value> = checked
                .errors()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.into()))
                .collect();
            let body = serde_json::json!({ "status": 422, "error": "Check the details", "message": message, "fields": fields });
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                [
                    (header::CONTENT_TYPE, "application/json"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                body.to_string(),
            )
                .into_response()
        } else {
            let mut r = html(page);
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            r
        }
    };
    if !checked.ok() {
        let message = if checked.errors().is_empty() {
            "Fill in at least one detail."
        } else {
            "Some details cannot be printed as they are."
        };
        let refused = checked.errors().is_empty().then_some(message);
        return unprocessable(form(&checked, refused), message);
    }
    let mut data = (*state.brands[brand].data).clone();
    data.json["personal"] = serde_json::to_value(checked.personal()).unwrap_or_default();
    match state
        .maker
        .make(state, publication, edition, Arc::new(data), true)
        .await
    {
        Ok((bytes, _)) => pdf(
            bytes.to_vec(),
            &format!("{publication}-{edition}.pdf"),
            "no-store",
        ),
        Err(Failure::DoesNotFit(_)) => {
            let message = "These details do not fit on this leaflet. Shorten the note or the other details, or choose the DL leaflet or the booklet.";
            unprocessable(form(&checked, Some(message)), message)
        }
        Err(f) => {
            // A compiler message could quote the patient's details: the log gets none of it.
            let f = match f {
                Failure::Broken(_) => Failure::Broken("a personalised compile failed".into()),
                other => other,
            };
            let mut r = failure(&state.pages, f, json);
            r.headers_mut()
                .insert(header::CACHE_CONTROL, "no-store".parse().expect("header"));
            r
        }
    }
}

pub async fn login(state: &State, headers: &HeaderMap, body: Body) -> Response {
    let pairs = match form_body(&state.pages, headers, body, false).await {
        Ok(pairs) => pairs,
        Err(response) => return response,
    };
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let next = field("next");
    // Only a path on this server: never `//host` or an absolute address.
    let next = if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/".into()
    };
    let Some(brand) = state.auth.brand_of_token(&field("token")) else {
        let mut r = html(state.pages.login(&next, true));
        *r.status_mut() = StatusCode::UNAUTHORIZED;
        return r;
    };
    let id = state.auth.new_session(&brand);
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, next)
        .header(
            header::SET_COOKIE,
            format!("{COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=28800{secure}"),
        )
        .body(Body::empty())
        .expect("response")
}

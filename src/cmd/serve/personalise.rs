//! The personalisation form: `GET` shows it, `POST` returns the leaflet with one patient's
//! contact, or 422 with what is wrong beside each field. Nothing typed into it is stored,
//! cached or logged.

use std::sync::Arc;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, Query, State as Shared};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::access::{self, authorise};
use super::form::CheckedForm;
use super::library::Library;
use super::make::MakeFailure;
use super::respond::{self, html, wants_json};
use super::state::State;

/// The query of a form or a branded download: whose details.
#[derive(Debug, Deserialize)]
pub struct BrandQuery {
    pub brand: Option<String>,
}

/// What a request for the form needs before anything else: the snapshot it uses, whether
/// it wants JSON, and the form's own address.
struct Asked {
    library: Arc<Library>,
    json: bool,
    action: String,
    brand: String,
}

fn asked(
    state: &State,
    headers: &HeaderMap,
    uri: &axum::http::Uri,
    publication: &str,
    edition: &str,
    query: &BrandQuery,
    post: bool,
) -> Result<Asked, Response> {
    let library = state.library();
    let json = wants_json(headers);
    let action = format!("{}?{}", uri.path(), uri.query().unwrap_or_default());
    let brand = query.brand.clone().unwrap_or_default();
    // A browser without a session is sent to sign in, then back here (not for a POST:
    // what was typed would be lost on the way).
    let back = (!post).then_some(action.as_str());
    authorise(
        state,
        &library,
        headers,
        publication,
        edition,
        &brand,
        json,
        back,
    )?;
    Ok(Asked {
        library,
        json,
        action,
        brand,
    })
}

fn form_page(
    state: &State,
    asked: &Asked,
    headers: &HeaderMap,
    publication: &str,
    edition: &str,
    checked: &CheckedForm,
    refused: Option<&str>,
) -> String {
    let title = &asked.library.publications[publication]
        .publication
        .meta
        .title;
    let name = &asked.library.brands[&asked.brand].brand.name;
    let signed_in = access::bearer(headers).is_none() && access::session(headers).is_some();
    state.pages.personalise(
        &asked.action,
        name,
        title,
        edition,
        &checked.values,
        &checked.problems,
        refused,
        signed_in,
    )
}

/// `GET /<publication>/<edition>/personalise?brand=ID`: the empty form.
pub async fn show(
    Shared(state): Shared<Arc<State>>,
    Path((publication, edition)): Path<(String, String)>,
    Query(query): Query<BrandQuery>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let asked = match asked(
        &state,
        &headers,
        &uri,
        &publication,
        &edition,
        &query,
        false,
    ) {
        Ok(a) => a,
        Err(response) => return response,
    };
    let empty = CheckedForm::new(&[]);
    html(form_page(
        &state,
        &asked,
        &headers,
        &publication,
        &edition,
        &empty,
        None,
    ))
}

/// `POST /<publication>/<edition>/personalise?brand=ID`: the leaflet with the details typed
/// in, or the form again with what is wrong.
pub async fn make(
    Shared(state): Shared<Arc<State>>,
    Path((publication, edition)): Path<(String, String)>,
    Query(query): Query<BrandQuery>,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let asked = match asked(&state, &headers, &uri, &publication, &edition, &query, true) {
        Ok(a) => a,
        Err(response) => return response,
    };
    let json = asked.json;
    let pairs = match form {
        Ok(Form(pairs)) => pairs,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return respond::too_large(&state.pages, json)
        }
        Err(_) => {
            return respond::error(
                &state.pages,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Not a form",
                "Send the form's fields form-encoded (application/x-www-form-urlencoded).",
                json,
            )
        }
    };
    let mut checked = CheckedForm::new(&pairs);
    // Characters no font can draw are refused here, beside their field, not by the compiler.
    let mut coverage = crate::check::glyphs::Coverage::new(state.session.fonts.book());
    checked.refuse_undrawable(|c| coverage.draws(c));
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
    let page = |checked: &CheckedForm, refused: Option<&str>| {
        form_page(
            &state,
            &asked,
            &headers,
            &publication,
            &edition,
            checked,
            refused,
        )
    };
    if !checked.ok() {
        let message = if checked.errors().is_empty() {
            "Fill in at least one detail."
        } else {
            "Some details cannot be printed as they are."
        };
        let refused = checked.errors().is_empty().then_some(message);
        return unprocessable(page(&checked, refused), message);
    }
    let partner = asked.library.brands[&asked.brand].clone();
    let data = Arc::new(partner.personalised(&checked.personal()));
    let made = state
        .maker
        .make(
            &state.session,
            &asked.library,
            &publication,
            &edition,
            &asked.brand,
            data,
            true,
        )
        .await;
    match made {
        // Saved under a name of its own, so that it is not mixed up with the public leaflet
        // (and with nothing of the patient's in it).
        Ok((bytes, _)) => super::statics::made_file(
            bytes.to_vec(),
            &format!(
                "{publication}-{edition}-{}-personalised.{}",
                asked.brand,
                crate::pipeline::kinds::of(&state.session.project.editions[&edition]).extension()
            ),
            "no-store",
        ),
        Err(MakeFailure::DoesNotFit(_)) => {
            let message = "These details do not fit on this leaflet. Shorten the note or the other details, or choose the DL leaflet or the booklet.";
            unprocessable(page(&checked, Some(message)), message)
        }
        Err(f) => {
            // A compiler message could quote the patient's details: the log gets none of it.
            let f = match f {
                MakeFailure::Broken(_) => {
                    MakeFailure::Broken("a personalised compile failed".into())
                }
                other => other,
            };
            let mut r = respond::failure(&state.pages, state.log, f, json);
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
    }
}

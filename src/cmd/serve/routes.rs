//! Requests to answers. One handler reads the confined path and dispatches:
//!
//! - `GET /<publication>/<edition>.pdf`: the built edition (public);
//! - `GET /<publication>/<edition>.pdf?brand=ID`: co-branded (that brand's token or session);
//! - `GET|POST /<publication>/<edition>/personalise?brand=ID`: the form, and the leaflet with
//!   one patient's contact (never cached, stored or logged: `Cache-Control: no-store`);
//! - `GET|POST /login`: the token login form for browsers (a session cookie);
//! - anything else under `dist/`: the static output.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State as Shared};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};

use super::auth::Access;
use super::forms;
use super::make::Failure;
use super::pages::{self, Pages};
use super::state::State;
use super::statics;

/// Largest request body read (a filled-in form is well under 2 KB).
pub const BODY_LIMIT: usize = 16 * 1024;
/// Name of the session cookie.
pub(super) const COOKIE: &str = "folio_session";

/// The route a response answered, for the log (never the query or the body).
#[derive(Clone, Copy)]
pub struct Route(pub &'static str);

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

pub(super) fn html(page: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

/// Whether the client asked for JSON rather than HTML.
pub fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json") && !a.contains("text/html"))
}

pub(super) fn query(uri: &axum::http::Uri, key: &str) -> Option<String> {
    form_urlencoded::parse(uri.query()?.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

pub(super) fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(|t| t.trim().to_string())
}

pub(super) fn session(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

fn with_route(mut response: Response, route: &'static str) -> Response {
    response.extensions_mut().insert(Route(route));
    response
}

/// The one handler behind every path.
pub async fn handle(Shared(state): Shared<Arc<State>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let json = wants_json(&parts.headers);
    let Some(segments) = statics::segments(parts.uri.path()) else {
        return with_route(not_found(&state.pages, json), "refused-path");
    };
    let head = parts.method == Method::HEAD;
    let get = parts.method == Method::GET || head;
    let post = parts.method == Method::POST;
    let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
    match seg.as_slice() {
        ["_folio", "style.css"] if get => with_route(
            (
                [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
                pages::STYLE,
            )
                .into_response(),
            "style",
        ),
        ["login"] if get => {
            let next = query(&parts.uri, "next").unwrap_or_else(|| "/".into());
            with_route(html(state.pages.login(&next, false)), "login")
        }
        ["login"] if post => with_route(forms::login(&state, &parts.headers, body).await, "login"),
        [publication, file] if edition_pdf(&state, publication, file).is_some() && get => {
            let edition = edition_pdf(&state, publication, file).unwrap_or_default();
            match query(&parts.uri, "brand") {
                None => {
                    let path = [
                        publication.to_string(),
                        format!("{publication}-{edition}.pdf"),
                    ];
                    with_route(
                        state
                            .files
                            .serve(&state.pages, &state.dist, &path, &parts.headers, head),
                        "edition",
                    )
                }
                Some(brand) => with_route(
                    branded(&state, &parts.headers, publication, &edition, &brand, json).await,
                    "edition-branded",
                ),
            }
        }
        [publication, edition, "personalise"] if get || post => {
            let brand = query(&parts.uri, "brand").unwrap_or_default();
            let response = forms::personalise(
                &state,
                &parts,
                body,
                publication,
                edition,
                &brand,
                post,
                json,
            )
            .await;
            with_route(response, "personalise")
        }
        [] if get && !state.dist.join("index.html").is_file() => {
            with_route(html(index(&state)), "index")
        }
        _ if get => with_route(
            state
                .files
                .serve(&state.pages, &state.dist, &segments, &parts.headers, head),
            "static",
        ),
        _ => with_route(
            error(
                &state.pages,
                StatusCode::METHOD_NOT_ALLOWED,
                "Method not allowed",
                "This address only answers GET.",
                json,
            ),
            "method",
        ),
    }
}

/// The edition a `<edition>.pdf` file name asks for, when it names an edition of the project.
fn edition_pdf(state: &State, publication: &str, file: &str) -> Option<String> {
    let edition = file.strip_suffix(".pdf")?;
    let known = state.session.project.editions.contains_key(edition)
        && (state.publications.contains_key(publication) || state.dist.join(publication).is_dir());
    known.then(|| edition.to_string())
}

/// Checks a brand request: the brand, edition and publication exist, and the caller may act
/// for the brand. Err is the answer to give.
pub(super) fn authorise(
    state: &State,
    headers: &HeaderMap,
    publication: &str,
    edition: &str,
    brand: &str,
    json: bool,
) -> Result<(), Response> {
    if !state.brands.contains_key(brand)
        || !state.brandable(edition)
        || !state.publications.contains_key(publication)
    {
        return Err(error(
            &state.pages,
            StatusCode::NOT_FOUND,
            "Not found",
            "There is no such leaflet for this organisation.",
            json,
        ));
    }
    match state.auth.check(
        bearer(headers).as_deref(),
        session(headers).as_deref(),
        brand,
    ) {
        Access::Granted => Ok(()),
        Access::OtherBrand => Err(error(
            &state.pages,
            StatusCode::FORBIDDEN,
            "Not your organisation",
            "Your access token is for another organisation's leaflets.",
            json,
        )),
        Access::Denied => {
            let mut response = error(
                &state.pages,
                StatusCode::UNAUTHORIZED,
                "Sign in needed",
                "These leaflets need your organisation's access token: send it as a bearer token, or sign in at /login.",
                json,
            );
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                "Bearer realm=\"folio\"".parse().expect("header"),
            );
            Err(response)
        }
    }
}

pub(super) fn pdf(bytes: Vec<u8>, name: &str, cache: &'static str) -> Response {
    let disposition = format!("inline; filename=\"{name}\"");
    Response::builder()
        .header(header::CONTENT_TYPE, "application/pdf")
        .header(header::CONTENT_DISPOSITION, disposition)
        .header(header::CACHE_CONTROL, cache)
        .body(Body::from(bytes))
        .expect("response")
}

pub(super) fn failure(pages: &Pages, f: Failure, json: bool) -> Response {
    match f {
        Failure::Busy | Failure::TimedOut => {
            let mut r = error(
                pages,
                StatusCode::SERVICE_UNAVAILABLE,
                "Busy",
                "The server is making many leaflets at the moment. Please try again in a few seconds.",
                json,
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, "5".parse().expect("header"));
            r
        }
        Failure::DoesNotFit(_) => error(
            pages,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Does not fit",
            "These details do not fit on this leaflet. Shorten them, or choose a larger edition.",
            json,
        ),
        Failure::Broken(message) => {
            eprintln!("[serve] internal error: {message}");
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

async fn branded(
    state: &Arc<State>,
    headers: &HeaderMap,
    publication: &str,
    edition: &str,
    brand: &str,
    json: bool,
) -> Response {
    if let Err(response) = authorise(state, headers, publication, edition, brand, json) {
        return response;
    }
    let data = state.brands[brand].data.clone();
    match state
        .maker
        .make(state, publication, edition, data, false)
        .await
    {
        Ok((bytes, hit)) => {
            let name = format!("{publication}-{edition}-{brand}.pdf");
            let mut r = pdf(bytes.to_vec(), &name, "private, no-cache");
            let cache = if hit { "hit" } else { "miss" };
            r.headers_mut()
                .insert("x-folio-cache", cache.parse().expect("header"));
            r
        }
        Err(f) => failure(&state.pages, f, json),
    }
}

fn index(state: &State) -> String {
    let items: Vec<pages::Listed> = state
        .publications
        .iter()
        .map(|(id, p)| {
            let editions = state
                .session
                .editions_for(&p.publication, &[])
                .into_iter()
                .filter(|(name, _)| {
                    state
                        .dist
                        .join(id)
                        .join(format!("{id}-{name}.pdf"))
                        .is_file()
                })
                .map(|(name, e)| (name.to_string(), e.brandable))
                .collect();
            (id.clone(), p.publication.meta.title.clone(), editions)
        })
        .collect();
    let brands: Vec<(String, String)> = state
        .brands
        .iter()
        .map(|(id, b)| {
            (
                id.clone(),
                b.data.json["name"].as_str().unwrap_or(id).to_string(),
            )
        })
        .collect();
    state.pages.index(&items, &brands)
}

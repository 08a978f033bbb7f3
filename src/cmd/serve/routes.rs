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
use super::form::Checked;
use super::make::Failure;
use super::pages;
use super::state::State;
use super::statics;

/// Largest request body read (a filled-in form is well under 2 KB).
pub const BODY_LIMIT: usize = 16 * 1024;
/// Name of the session cookie.
const COOKIE: &str = "folio_session";

/// The route a response answered, for the log (never the query or the body).
#[derive(Clone, Copy)]
pub struct Route(pub &'static str);

/// A 404 page.
pub fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is nothing at this address.",
        false,
    )
}

/// A small error answer: JSON when the client asked for it, HTML otherwise.
pub fn error(status: StatusCode, title: &str, message: &str, json: bool) -> Response {
    let mut response = if json {
        let body =
            serde_json::json!({ "status": status.as_u16(), "error": title, "message": message });
        (
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response()
    } else {
        html(pages::error(title, message))
    };
    *response.status_mut() = status;
    response
}

fn html(page: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json") && !a.contains("text/html"))
}

fn query(uri: &axum::http::Uri, key: &str) -> Option<String> {
    form_urlencoded::parse(uri.query()?.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(|t| t.trim().to_string())
}

fn session(headers: &HeaderMap) -> Option<String> {
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
        return with_route(not_found(), "refused-path");
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
            with_route(html(pages::login(&next, false)), "login")
        }
        ["login"] if post => with_route(login(&state, &parts.headers, body).await, "login"),
        [publication, file] if edition_pdf(&state, publication, file).is_some() && get => {
            let edition = edition_pdf(&state, publication, file).unwrap_or_default();
            match query(&parts.uri, "brand") {
                None => {
                    let path = [
                        publication.to_string(),
                        format!("{publication}-{edition}.pdf"),
                    ];
                    with_route(
                        state.files.serve(&state.dist, &path, &parts.headers, head),
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
            let response = personalise(
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
                .serve(&state.dist, &segments, &parts.headers, head),
            "static",
        ),
        _ => with_route(
            error(
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
fn authorise(
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
            StatusCode::FORBIDDEN,
            "Not your organisation",
            "Your access token is for another organisation's leaflets.",
            json,
        )),
        Access::Denied => {
            let mut response = error(
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

fn pdf(bytes: Vec<u8>, name: &str, cache: &'static str) -> Response {
    let disposition = format!("inline; filename=\"{name}\"");
    Response::builder()
        .header(header::CONTENT_TYPE, "application/pdf")
        .header(header::CONTENT_DISPOSITION, disposition)
        .header(header::CACHE_CONTROL, cache)
        .body(Body::from(bytes))
        .expect("response")
}

fn failure(f: Failure, json: bool) -> Response {
    match f {
        Failure::Busy | Failure::TimedOut => {
            let mut r = error(
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
            StatusCode::UNPROCESSABLE_ENTITY,
            "Does not fit",
            "These details do not fit on this leaflet. Shorten them, or choose a larger edition.",
            json,
        ),
        Failure::Broken(message) => {
            eprintln!("[serve] internal error: {message}");
            error(
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
        Ok(bytes) => pdf(
            bytes.to_vec(),
            &format!("{publication}-{edition}-{brand}.pdf"),
            "private, no-cache",
        ),
        Err(f) => failure(f, json),
    }
}

/// Reads a form-encoded body of at most [`BODY_LIMIT`] bytes; Err is the 413 answer.
async fn form_body(
    headers: &HeaderMap,
    body: Body,
    json: bool,
) -> Result<Vec<(String, String)>, Response> {
    let too_large = || {
        error(
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
async fn personalise(
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
        pages::personalise(
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
    let pairs = match form_body(&parts.headers, body, json).await {
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
        Ok(bytes) => pdf(
            bytes.to_vec(),
            &format!("{publication}-{edition}.pdf"),
            "no-store",
        ),
        Err(Failure::DoesNotFit(_)) => {
            let message = "These details do not fit on this leaflet. Shorten the note or the other details, or choose the DL leaflet or the booklet.";
            unprocessable(form(&checked, Some(message)), message)
        }
        Err(f) => {
            let mut r = failure(f, json);
            r.headers_mut()
                .insert(header::CACHE_CONTROL, "no-store".parse().expect("header"));
            r
        }
    }
}

async fn login(state: &State, headers: &HeaderMap, body: Body) -> Response {
    let pairs = match form_body(headers, body, false).await {
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
        let mut r = html(pages::login(&next, true));
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

fn index(state: &State) -> String {
    let items: Vec<(String, String, Vec<(String, bool)>)> = state
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
    pages::index(&items, &brands)
}

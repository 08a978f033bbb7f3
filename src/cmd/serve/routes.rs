//! Requests to answers: the table of routes, and the handlers of the downloads.
//!
//! | route | what |
//! |---|---|
//! | `GET /healthz` | alive: 200 (never rate-limited, never logged) |
//! | `GET /readyz` | ready: 200 when `dist/` is readable and the tokens loaded, else 503 |
//! | `GET /_folio/style.css` | the server's own stylesheet |
//! | `GET, POST /login` | the token login form; a session cookie for browsers |
//! | `POST /logout` | ends the session |
//! | `GET /<publication>/<edition>.pdf` | the built edition (public; `.brf` for braille, `.epub` for an e-book: each kind's extension) |
//! | `GET /<publication>/<edition>.pdf?brand=ID` | co-branded, made on demand (that brand's token or session); `.brf`, `.epub` likewise |
//! | `GET, POST /<publication>/<edition>/personalise?brand=ID` | the form, and the leaflet with one patient's contact |
//! | `GET` anything else | the static output under `dist/`; the co-branded PDFs of `build --brand` (`…/brands/<id>/…`) only for that brand |
//!
//! Around every route but the probes: a request id, the header limit, the client's rate
//! limit and one log line ([`guard`]); the plain-path rule ([`plain_path`]); the body limit
//! (tower-http) and the body deadline ([`read_body`]). Around everything: the security
//! headers.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Query, Request, State as Shared};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use super::access::{self, authorise, check_brand};
use super::library::Library;
use super::personalise::BrandQuery;
use super::respond::{self, error, html, not_found, routed, wants_json, Route};
use super::state::State;
use super::{login, pages, partner, personalise, statics};

/// Largest request body read (a filled-in form is well under 2 KB).
pub const BODY_LIMIT: usize = 16 * 1024;
/// Most bytes of request headers accepted (names and values together).
pub const HEADER_LIMIT: usize = 16 * 1024;
/// The Content-Security-Policy of every answer: nothing but this server's own stylesheets,
/// scripts (the catalogue's `site.js`), forms and images; no inline code, no framing.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

static REQUESTS: AtomicU64 = AtomicU64::new(0);

/// The whole service.
pub fn router(state: Arc<State>) -> Router {
    let routes = Router::new()
        .route("/", get(home))
        .route("/_folio/style.css", get(style))
        .route(
            "/login",
            get(login::show)
                .post(login::sign_in)
                .layer(middleware::map_response(|r: Response| async move {
                    routed(r, "login")
                })),
        )
        .route(
            "/logout",
            post(login::sign_out).layer(middleware::map_response(|r: Response| async move {
                routed(r, "logout")
            })),
        )
        .route("/{publication}/{file}", get(edition))
        .route(
            "/{publication}/{edition}/personalise",
            get(personalise::show)
                .post(personalise::make)
                .layer(middleware::map_response(|r: Response| async move {
                    routed(r, "personalise")
                })),
        )
        .fallback(static_file)
        .method_not_allowed_fallback(not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), read_body))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(state.clone(), plain_path))
        .layer(middleware::from_fn_with_state(state.clone(), guard));
    let probes = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz));
    let mut app = probes.merge(routes).with_state(state);
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        app = app.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ));
    }
    app
}

/// Every request but the probes: an id, the header limit, the client's rate limit, the
/// same-origin rule for forms, one log line.
async fn guard(Shared(state): Shared<Arc<State>>, request: Request, next: Next) -> Response {
    let id = REQUESTS.fetch_add(1, Ordering::Relaxed) + 1;
    let started = Instant::now();
    let method = request.method().clone();
    let json = wants_json(request.headers());
    let client = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    let mut response = if header_bytes > HEADER_LIMIT {
        routed(
            error(
                &state.pages,
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                "Headers too large",
                "The request's headers are larger than this server accepts.",
                json,
            ),
            "refused-headers",
        )
    } else if client.is_some_and(|c| !state.limiter.allow(c)) {
        let mut r = error(
            &state.pages,
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests",
            "Please wait a moment before trying again.",
            json,
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        routed(r, "rate-limited")
    } else if method == Method::POST && !access::same_origin(request.headers()) {
        routed(
            error(
                &state.pages,
                StatusCode::FORBIDDEN,
                "Refused",
                "This form was sent from another site. Open the form on this site and send it from there.",
                json,
            ),
            "refused-origin",
        )
    } else {
        next.run(request).await
    };
    // The body limit's own answer to a declared length too large gets the server's page.
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE
        && response.extensions().get::<Route>().is_none()
    {
        response = routed(respond::too_large(&state.pages, json), "refused-body");
    }
    let route = response.extensions().get::<Route>().map_or("-", |r| r.0);
    state.log.request(
        id,
        method.as_str(),
        route,
        response.status().as_u16(),
        started.elapsed(),
    );
    if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// A path is answered only when every segment is a plain name (no `..`, `.`, empty, hidden
/// or encoded-separator segment); anything else is 404, whatever route it would match.
async fn plain_path(Shared(state): Shared<Arc<State>>, request: Request, next: Next) -> Response {
    if statics::segments(request.uri().path()).is_none() {
        return routed(
            not_found(&state.pages, wants_json(request.headers())),
            "refused-path",
        );
    }
    next.run(request).await
}

/// A request's body is read whole, within the limit and within `--read-timeout`, before
/// any handler sees it: a client that trickles its body is answered 408.
async fn read_body(Shared(state): Shared<Arc<State>>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let json = wants_json(request.headers());
    let (parts, body) = request.into_parts();
    let read =
        tokio::time::timeout(state.read_timeout, axum::body::to_bytes(body, BODY_LIMIT)).await;
    match read {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(Err(_)) => routed(respond::too_large(&state.pages, json), "refused-body"),
        Err(_) => {
            let mut r = error(
                &state.pages,
                StatusCode::REQUEST_TIMEOUT,
                "Too slow",
                "The request's body took too long to arrive.",
                json,
            );
            r.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            routed(r, "refused-slow-body")
        }
    }
}

/// `GET /healthz`: the process answers.
async fn healthz() -> Response {
    respond::text(StatusCode::OK, "alive\n".into())
}

/// `GET /readyz`: `dist/` is readable and the tokens are loaded; 503 with the reason if not.
async fn readyz(Shared(state): Shared<Arc<State>>) -> Response {
    if let Err(e) = std::fs::read_dir(&state.dist) {
        return respond::text(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: {} cannot be read: {e}\n", state.dist.display()),
        );
    }
    match state.auth.ready() {
        Ok(()) => respond::text(StatusCode::OK, "ready\n".into()),
        Err(e) => respond::text(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: the tokens file cannot be used: {e}\n"),
        ),
    }
}

async fn style() -> Response {
    routed(
        (
            [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
            pages::STYLE,
        )
            .into_response(),
        "style",
    )
}

async fn not_allowed(Shared(state): Shared<Arc<State>>, headers: HeaderMap) -> Response {
    let mut r = error(
        &state.pages,
        StatusCode::METHOD_NOT_ALLOWED,
        "Method not allowed",
        "This address does not answer that method.",
        wants_json(&headers),
    );
    r.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    routed(r, "method")
}

/// `GET /`: the catalogue's `index.html` when the build made one, else the server's index.
async fn home(Shared(state): Shared<Arc<State>>, uri: Uri, headers: HeaderMap) -> Response {
    if state.dist.join("index.html").is_file() {
        return static_response(&state, &uri, &headers, &[]);
    }
    routed(html(index(&state, &state.library())), "index")
}

/// `GET /<publication>/<file>`: an edition (public, or co-branded with `?brand=`), or else
/// the static file at that path.
async fn edition(
    Shared(state): Shared<Arc<State>>,
    Path((publication, file)): Path<(String, String)>,
    Query(query): Query<BrandQuery>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let library = state.library();
    let Some((edition, extension)) = asked_edition(&state, &file).filter(|_| {
        library.publications.contains_key(&publication) || state.dist.join(&publication).is_dir()
    }) else {
        return static_response(&state, &uri, &headers, &[publication.clone(), file.clone()]);
    };
    let Some(brand) = query.brand else {
        let path = [
            publication.clone(),
            format!("{publication}-{edition}.{extension}"),
        ];
        let r = state
            .files
            .serve(&state.pages, &state.dist, &path, &headers, false);
        return routed(r, "edition");
    };
    let json = wants_json(&headers);
    let answer = match authorise(
        &state,
        &library,
        &headers,
        &publication,
        edition,
        &brand,
        json,
        None,
    ) {
        Err(response) => response,
        Ok(()) => {
            let partner = library.brands[&brand].clone();
            let made = state
                .maker
                .make(
                    &state.session,
                    &library,
                    &publication,
                    edition,
                    &brand,
                    partner.data.clone(),
                    false,
                )
                .await;
            match made {
                Ok((bytes, hit)) => {
                    let name = format!("{publication}-{edition}-{brand}.{extension}");
                    let mut r = statics::made_file(bytes.to_vec(), &name, "private, no-cache");
                    let cache = if hit { "hit" } else { "miss" };
                    r.headers_mut()
                        .insert("x-folio-cache", HeaderValue::from_static(cache));
                    r
                }
                Err(f) => respond::failure(&state.pages, state.log, f, json),
            }
        }
    };
    routed(answer, "edition-branded")
}

/// The edition a download's name asks for, and its extension: `<edition>.<extension>`,
/// where the extension is the one the edition's kind makes (`booklet.pdf`, `braille.brf`).
fn asked_edition<'f>(state: &State, file: &'f str) -> Option<(&'f str, &'static str)> {
    let (edition, extension) = file.rsplit_once('.')?;
    let kind = crate::pipeline::kinds::of(state.session.project.editions.get(edition)?);
    (kind.extension() == extension).then_some((edition, kind.extension()))
}

/// Any other `GET`: the static output; other methods, 405.
async fn static_file(
    Shared(state): Shared<Arc<State>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return not_allowed(Shared(state), headers).await;
    }
    let segments = statics::segments(uri.path()).unwrap_or_default();
    static_response(&state, &uri, &headers, &segments)
}

/// The brand whose co-branded files (`build --brand`) a path is under: the segment after
/// `brands` below a publication (`<id>/brands/<brand>/…`, `<id>/<lang>/brands/<brand>/…`).
fn brand_of_path(segments: &[String]) -> Option<&str> {
    let at = segments
        .iter()
        .enumerate()
        .skip(1)
        .take(2)
        .find(|(_, s)| *s == crate::project::brand::BRANDS_DIR)?
        .0;
    segments.get(at + 1).map(String::as_str)
}

/// A file of the static output: a catalogue page with the partner block added, a partner's
/// co-branded file for that partner only, anything else as it is.
fn static_response(state: &State, uri: &Uri, headers: &HeaderMap, segments: &[String]) -> Response {
    let json = wants_json(headers);
    if let Some(brand) = brand_of_path(segments) {
        if let Err(response) = check_brand(state, headers, brand, json, Some(uri.path())) {
            return routed(response, "brand-file");
        }
        let mut r = state
            .files
            .serve(&state.pages, &state.dist, segments, headers, false);
        r.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        );
        return routed(r, "brand-file");
    }
    if let Some(kind) = partner::kind(segments) {
        if let Some(page) = state.files.page(&state.dist, segments) {
            let brand = access::signed_in(state, headers);
            let library = state.library();
            let shown = partner::add_block(
                &page,
                &kind,
                uri.path(),
                brand.as_deref(),
                &library,
                &state.session,
                &state.dist,
                &state.pages,
            );
            let mut r = html(shown);
            r.headers_mut()
                .insert(header::VARY, HeaderValue::from_static("Cookie"));
            return routed(r, "page");
        }
    }
    let r = state
        .files
        .serve(&state.pages, &state.dist, segments, headers, false);
    routed(r, "static")
}

/// The server's own index, when the build made no catalogue page.
fn index(state: &State, library: &Library) -> String {
    let items: Vec<pages::Listed> = library
        .publications
        .iter()
        .map(|(id, p)| {
            let editions = state
                .session
                .editions_for(&p.publication, &[])
                .into_iter()
                .filter(|(name, _)| {
                    crate::project::dist::edition_file(
                        &state.dist,
                        &crate::project::PublicationKey::source(id.as_str()),
                        name,
                        "pdf",
                    )
                    .is_file()
                })
                .map(|(name, e)| (name.to_string(), e.brandable))
                .collect();
            (id.clone(), p.publication.meta.title.clone(), editions)
        })
        .collect();
    let brands: Vec<(String, String)> = library
        .brands
        .iter()
        .map(|(id, p)| (id.clone(), p.brand.name.clone()))
        .collect();
    state.pages.index(&items, &brands)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(path: &[&str]) -> Vec<String> {
        path.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_co_branded_file_is_known_by_the_brand_folder_it_is_in() {
        let file = "all-treatment-leaflet-dl.pdf";
        assert_eq!(
            brand_of_path(&segs(&["all-treatment", "brands", "north", file])),
            Some("north")
        );
        assert_eq!(
            brand_of_path(&segs(&["all-treatment", "cy", "brands", "north", file])),
            Some("north")
        );
        assert_eq!(brand_of_path(&segs(&["all-treatment", file])), None);
        assert_eq!(brand_of_path(&segs(&["brands", "x"])), None);
    }
}

//! `folio serve`: the static output and, on demand, co-branded and personalised editions,
//! over HTTP (axum on tokio, response headers from tower-http).
//!
//! Under load it degrades and never falls over: compiles run on a bounded pool (one worker
//! per core) behind a bounded queue (full: 503 with Retry-After), each with a timeout; bodies
//! and headers are limited (413, 431); each client is rate limited (429); SIGTERM or Ctrl-C
//! stops accepting and lets in-flight requests finish. Every error is a small HTML or JSON
//! body. The log has one line per request: its id, method, route and status, nothing else.
//!
//! - [`state`]: what is loaded at start; [`routes`]: requests to answers;
//! - [`make`]: the compile pool and the cache; [`statics`]: confined static files;
//! - [`auth`]: tokens and sessions; [`form`]: the personalisation form's rules;
//!   [`forms`]: the personalisation and login forms' handlers;
//! - [`bench`]: `folio bench --serve`, the load benchmark (not a test);
//! - [`pages`]: the HTML; [`limit`]: per-client rate limits;
//! - [`health`]: `/healthz` and `/readyz` for load balancers and Kubernetes.

pub mod auth;
pub mod bench;
pub mod client;
pub mod form;
pub mod forms;
pub mod health;
pub mod limit;
pub mod make;
pub mod pages;
pub mod routes;
pub mod state;
pub mod statics;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State as Shared};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::cli::ServeArgs;
use crate::diag::Problem;
use crate::pipeline::Session;
use state::State;

/// Most bytes of request headers accepted (names and values together).
pub const HEADER_LIMIT: usize = 16 * 1024;
/// The Content-Security-Policy of every answer: nothing but this server's own stylesheet,
/// forms and images; no script, no framing.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

static REQUESTS: AtomicU64 = AtomicU64::new(0);

/// Runs the server until SIGTERM or Ctrl-C; in-flight requests finish first.
pub fn execute(session: Session, args: &ServeArgs) -> Result<(), Problem> {
    let state = Arc::new(State::load(session, args)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("folio-serve")
        .build()
        .map_err(|e| Problem::error(format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.bind)
            .await
            .map_err(|e| {
                Problem::error(format!("cannot listen on {}: {e}", args.bind))
                    .hint("choose another address or port with --bind (port 0: any free port)")
            })?;
        let addr = listener
            .local_addr()
            .map_err(|e| Problem::error(e.to_string()))?;
        eprintln!(
            "[serve] {} publication(s), {} brand(s), {} worker(s); listening on http://{addr}/",
            state.publications.len(),
            state.brands.len(),
            state.session.jobs()
        );
        let app = router(state);
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| Problem::error(format!("the server stopped: {e}")))?;
        eprintln!("[serve] stopped");
        Ok(())
    })
}

/// The whole service: the one handler, the guard and the security headers.
pub fn router(state: Arc<State>) -> axum::Router {
    let headers = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    let mut app = axum::Router::new()
        .fallback(routes::handle)
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard))
        // Merged after the guard's layer, so that probes bypass the rate limit and the log.
        .merge(health::routes())
        .with_state(state);
    for (name, value) in headers {
        app = app.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ));
    }
    app
}

/// Every request: an id, the header limit, the client's rate limit, one log line.
async fn guard(Shared(state): Shared<Arc<State>>, request: Request, next: Next) -> Response {
    let id = REQUESTS.fetch_add(1, Ordering::Relaxed) + 1;
    let started = Instant::now();
    let method = request.method().clone();
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    let mut response = if header_bytes > HEADER_LIMIT {
        routes::error(
            &state.pages,
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "Headers too large",
            "The request's headers are larger than this server accepts.",
            false,
        )
    } else if client.is_some_and(|c| !state.limiter.allow(c)) {
        let mut r = routes::error(
            &state.pages,
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests",
            "Please wait a moment before trying again.",
            false,
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        r
    } else {
        next.run(request).await
    };
    let route = response
        .extensions()
        .get::<routes::Route>()
        .map_or("-", |r| r.0);
    eprintln!(
        "[serve] req={id} {method} {route} {} {}ms",
        response.status().as_u16(),
        started.elapsed().as_millis()
    );
    if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// Resolves on SIGTERM or Ctrl-C.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    eprintln!("[serve] shutting down: finishing the requests in flight");
}

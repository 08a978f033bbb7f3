//! `folio serve`: the static output and, on demand, co-branded and personalised editions,
//! over HTTP (axum on hyper and tokio, limits and headers from tower-http).
//!
//! Under load it degrades and never falls over: compiles run on a bounded pool (one worker
//! per core) behind a bounded queue (full: 503 with Retry-After), each with a timeout; bodies
//! and headers are limited (413, 431) and must arrive within `--read-timeout` (a connection
//! that trickles its headers is closed, a trickled body is 408); each client is rate limited
//! (429); SIGTERM or Ctrl-C stops accepting and lets in-flight requests finish. Every error
//! is a small HTML or JSON body. The log has one line per request: its time, id, method,
//! route, status and duration, nothing else ([`log`]).
//!
//! The modules, each importing only those below it:
//! - [`routes`]: the table of routes, the guard around them, the downloads;
//! - [`personalise`]: the personalisation form; [`login`]: signing in and out;
//! - [`partner`]: the sign-in and form links added to the catalogue's pages;
//! - [`access`]: who is asking and may they (tokens, cookies, same origin);
//! - [`state`]: what the server knows; [`library`]: the snapshot of what it serves, made
//!   again after a build;
//! - [`make`]: the compile pool and the cache; [`statics`]: confined static files;
//! - [`respond`]: the answers (error pages, HTML, PDFs); [`pages`]: the HTML templates;
//! - [`auth`]: tokens and sessions; [`form`]: the personalisation form's rules;
//!   [`limit`]: per-client rate limits (hashes are [`crate::digest`]'s); [`regular`]: reading a
//!   regular file, never through a link; [`log`]: the log;
//! - [`bench`] and [`client`]: `folio bench --serve`, the load benchmark (not a test).

pub mod access;
pub mod auth;
pub mod bench;
pub mod client;
pub mod form;
pub mod library;
pub mod limit;
pub mod log;
pub mod login;
pub mod make;
pub mod pages;
pub mod partner;
pub mod personalise;
pub mod regular;
pub mod respond;
pub mod routes;
pub mod state;
pub mod statics;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};

use crate::cli::ServeArgs;
use crate::diag::Problem;
use crate::pipeline::Session;
pub use routes::router;
use state::State;

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
        let log = state.log;
        let library = state.library();
        log.info(&format!(
            "{} publication(s), {} brand(s), {} worker(s); listening on http://{addr}/",
            library.publications.len(),
            library.brands.len(),
            state.session.jobs()
        ));
        drop(library);
        tokio::spawn(State::follow_builds(state.clone()));
        serve(listener, state).await;
        log.info("stopped");
        Ok(())
    })
}

/// Accepts connections until SIGTERM or Ctrl-C, then lets each finish what it is answering.
/// Each connection must send a request's headers within the read timeout (hyper closes it
/// otherwise).
async fn serve(listener: tokio::net::TcpListener, state: Arc<State>) {
    let app = router(state.clone());
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(state.read_timeout)
        .keep_alive(true);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    let shutdown = shutdown(state.log);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else {
                    // Out of file descriptors, or a connection reset before it was accepted.
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    continue;
                };
                let app = app.clone();
                let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                    tower::ServiceExt::oneshot(app.clone(), request)
                });
                let connection = http.serve_connection(TokioIo::new(stream), service);
                let mut stopped = stopped.clone();
                connections.spawn(async move {
                    tokio::pin!(connection);
                    tokio::select! {
                        _ = connection.as_mut() => {}
                        _ = stopped.changed() => {
                            connection.as_mut().graceful_shutdown();
                            let _ = connection.as_mut().await;
                        }
                    }
                });
            }
        }
    }
    drop(listener);
    let _ = stop.send(true);
    while connections.join_next().await.is_some() {}
}

/// Resolves on SIGTERM or Ctrl-C.
async fn shutdown(log: log::Log) {
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
    log.info("shutting down: finishing the requests in flight");
}

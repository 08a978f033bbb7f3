//! What the server knows: the project, the snapshot of what it serves ([`Library`], made
//! again after a build), the tokens, the compile workers, the limits and the log.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use super::auth::Auth;
use super::library::{Library, Stamps};
use super::limit::Limiter;
use super::log::Log;
use super::make::Maker;
use super::pages::Pages;
use super::statics::Files;
use crate::cli::{LogFormat, ServeArgs};
use crate::diag::{Location, Problem};
use crate::pipeline::Session;

/// How often the server looks for what a build wrote.
pub const LOOK_EVERY: Duration = Duration::from_secs(1);

/// Everything a request handler reads.
pub struct State {
    pub session: Arc<Session>,
    /// The served output folder, canonical.
    pub dist: PathBuf,
    /// What is served now; a request takes it once, at its start.
    library: RwLock<Arc<Library>>,
    pub auth: Auth,
    pub maker: Maker,
    pub limiter: Limiter,
    /// Mark the session cookie `Secure`.
    pub secure_cookies: bool,
    /// How long a client may take to send a request's headers, and its body.
    pub read_timeout: Duration,
    /// Static files recently served.
    pub files: Files,
    /// The server's own pages (templates compiled once, at start).
    pub pages: Pages,
    pub log: Log,
}

impl State {
    /// Loads the project for serving. Publications with check errors are left out (and
    /// named in the log); a broken brand or tokens file stops the start.
    pub fn load(session: Session, args: &ServeArgs) -> Result<State, Problem> {
        let log = Log {
            json: args.log_format == LogFormat::Json,
        };
        let dist = args.dist.canonicalize().map_err(|e| {
            Problem::error(format!("cannot serve {}: {e}", args.dist.display()))
                .at(Location::file(&args.dist))
                .hint("build first (`folio build`), or pass the output folder with --dist")
        })?;
        let workers = match (args.workers, args.jobs) {
            (0, Some(jobs)) if jobs > 0 => jobs,
            (0, _) => std::thread::available_parallelism().map_or(1, |n| n.get()),
            (n, _) => n,
        };
        let session = session.with_jobs(workers)?;
        let (library, said) = Library::load(&session, &dist)?;
        for line in said {
            log.warn(&line);
        }
        let auth = Auth::new(args.tokens.as_deref(), log).map_err(|e| {
            Problem::error(format!("cannot read the tokens file: {e}"))
                .hint("make tokens with `folio token new BRAND --tokens FILE`")
        })?;
        let cache = cache_dir(&dist, log);
        Ok(State {
            session: Arc::new(session),
            maker: Maker::new(
                workers,
                args.queue,
                Duration::from_secs(args.compile_timeout.max(1)),
                cache.map(|c| (dist.clone(), c)),
                log,
            ),
            dist,
            library: RwLock::new(Arc::new(library)),
            auth,
            limiter: Limiter::new(args.rate_limit),
            secure_cookies: args.secure_cookies,
            read_timeout: Duration::from_secs(args.read_timeout.max(1)),
            files: Files::default(),
            pages: Pages::default(),
            log,
        })
    }

    /// What is served now.
    pub fn library(&self) -> Arc<Library> {
        self.library.read().expect("library").clone()
    }

    /// Whether `edition` exists and carries "Your hospital team".
    pub fn brandable(&self, edition: &str) -> bool {
        self.session
            .project
            .editions
            .get(edition)
            .is_some_and(|e| e.brandable)
    }

    /// Looks for what builds wrote, for ever: a changed publication folder or brands/,
    /// once it has held still for one look, gives a new snapshot.
    pub async fn follow_builds(state: Arc<State>) {
        let mut last = state.library().stamps.clone();
        loop {
            tokio::time::sleep(LOOK_EVERY).await;
            let s = state.clone();
            let Ok(now) =
                tokio::task::spawn_blocking(move || Stamps::take(&s.session, &s.dist)).await
            else {
                continue;
            };
            let held_still = now == last;
            last = now.clone();
            if !held_still || now == state.library().stamps {
                continue;
            }
            let s = state.clone();
            let reloaded = tokio::task::spawn_blocking(move || {
                let (library, said) = s.library().reload(&s.session, now);
                *s.library.write().expect("library") = Arc::new(library);
                said
            })
            .await;
            for line in reloaded.unwrap_or_default() {
                state.log.info(&line);
            }
        }
    }
}

/// Files in the cache folder past which it is emptied at start (old inputs' editions).
const CACHE_FILES: usize = 10_000;

/// The folder of cached branded editions, made if missing (None when it cannot be, or when
/// it or `.folio` is a link: the cache is never reached through one).
fn cache_dir(dist: &Path, log: Log) -> Option<PathBuf> {
    let dir = dist.join(crate::project::dist::SERVE_CACHE_DIR);
    let refuse = |why: String| {
        log.warn(&format!("branded editions are not cached ({why})"));
        None
    };
    // Each folder on the way is made or checked in turn, so none is made through a link.
    let mut at = dist.to_path_buf();
    for part in Path::new(crate::project::dist::SERVE_CACHE_DIR).components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() || !m.is_dir() => {
                return refuse(format!("{} is a link or not a folder", at.display()));
            }
            Ok(_) => {}
            Err(_) => {
                if let Err(e) = std::fs::create_dir(&at) {
                    return refuse(format!("{}: {e}", at.display()));
                }
            }
        }
    }
    if std::fs::read_dir(&dir).is_ok_and(|d| d.count() > CACHE_FILES) {
        let _ = std::fs::remove_dir_all(&dir);
        if let Err(e) = std::fs::create_dir_all(&dir) {
            return refuse(format!("{}: {e}", dir.display()));
        }
    }
    Some(dir)
}

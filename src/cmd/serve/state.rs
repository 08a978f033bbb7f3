//! What the server knows, loaded once at start: the project, the publications that pass
//! their checks, the brands (checked, logos re-encoded), the hash of every input an edition
//! depends on, the tokens and the compile workers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::auth::Auth;
use super::limit::Limiter;
use super::make::Maker;
use crate::cli::ServeArgs;
use crate::pipeline::brands::{self, Branded};
use crate::content::Publication;
use crate::diag::{Location, Problem};
use crate::pipeline::Session;
use crate::project::brand::BRANDS_DIR;
use crate::project::{FONTS_DIR, LAYOUTS_DIR, PROJECT_FILE};

/// A publication the server can make editions of.
pub struct Served {
    pub publication: Publication,
    /// SHA-256 of its folder, the layouts, the fonts, folio.yaml and folio's version.
    pub inputs: [u8; 32],
}

/// Everything a request handler reads.
pub struct State {
    pub session: Session,
    /// The served output folder, canonical.
    pub dist: PathBuf,
    pub publications: BTreeMap<String, Served>,
    pub brands: BTreeMap<String, Branded>,
    pub auth: Auth,
    pub maker: Maker,
    pub limiter: Limiter,
    /// Mark the session cookie `Secure`.
    pub secure_cookies: bool,
    /// Static files recently served.
    pub files: super::statics::Files,
    /// The server's own pages (templates compiled once, at start).
    pub pages: super::pages::Pages,
}

impl State {
    /// Loads the project for serving. Publications with check errors are left out (and
    /// named on standard error); a broken brand or tokens file stops the start.
    pub fn load(session: Session, args: &ServeArgs) -> Result<State, Problem> {
        let dist = args.dist.canonicalize().map_err(|e| {
            Problem::error(format!("cannot serve {}: {e}", args.dist.display()))
                .at(Location::file(&args.dist))
                .hint("build first (`folio build`), or pass the output folder with --dist")
        })?;
        let workers = if args.workers == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            args.workers
        };
        let session = session.with_jobs(workers)?;
        let common = hash_tree(&session.root, &[LAYOUTS_DIR, FONTS_DIR, PROJECT_FILE]);
        let mut publications = BTreeMap::new();
        for id in session.publication_ids()? {
            let publication = match session.load(&crate::project::PublicationKey::source(&id)) {
                Ok(p) => p,
                Err(problem) => {
                    eprintln!("[serve] {id} is not served: {}", problem.message);
                    continue;
                }
            };
            let request = crate::pipeline::publication::Request::default();
            let planned = crate::pipeline::publication::plan(&session, &publication, &request);
            if planned.stopped.is_some() {
                eprintln!("[serve] {id} is not served: it has check errors (folio check {id})");
                continue;
            }
            let mut h = Sha256::new();
            h.update(common);
            h.update(hash_tree(
                &session.root.join(crate::project::CONTENT_DIR),
                &[&id],
            ));
            publications.insert(
                id,
                Served {
                    publication,
                    inputs: h.finalize().into(),
                },
            );
        }
        let mut brands = BTreeMap::new();
        if session.root.join(BRANDS_DIR).is_dir() {
            for b in brands::resolve(&session, &[], true)? {
                brands.insert(b.id.clone(), b);
            }
        }
        let auth = Auth::new(args.tokens.as_deref()).map_err(|e| {
            Problem::error(format!("cannot read the tokens file: {e}"))
                .hint("make tokens with `folio token new BRAND --tokens FILE`")
        })?;
        let cache = cache_dir(&dist);
        Ok(State {
            session,
            dist,
            publications,
            brands,
            auth,
            maker: Maker::new(
                workers,
                args.queue,
                std::time::Duration::from_secs(args.compile_timeout.max(1)),
                cache,
            ),
            limiter: Limiter::new(args.rate_limit),
            secure_cookies: args.secure_cookies,
            files: Default::default(),
            pages: Default::default(),
        })
    }

    /// Whether `edition` exists and carries "Your hospital team".
    pub fn brandable(&self, edition: &str) -> bool {
        self.session
            .project
            .editions
            .get(edition)
            .is_some_and(|e| e.brandable)
    }
}

/// Files in the cache folder past which it is emptied at start (old inputs' editions).
const CACHE_FILES: usize = 10_000;

/// The folder of cached branded editions, made if missing (None when it cannot be).
fn cache_dir(dist: &Path) -> Option<PathBuf> {
    let dir = dist.join(super::make::CACHE_DIR);
    if std::fs::read_dir(&dir).is_ok_and(|d| d.count() > CACHE_FILES) {
        let _ = std::fs::remove_dir_all(&dir);
    }
    match std::fs::create_dir_all(&dir) {
        Ok(()) => Some(dir),
        Err(e) => {
            eprintln!(
                "[serve] branded editions are not cached ({}: {e})",
                dir.display()
            );
            None
        }
    }
}

/// SHA-256 over the files below `root`/`names` (paths and bytes, in sorted order), plus
/// folio's version: what a compiled edition depends on besides its data.
fn hash_tree(root: &Path, names: &[&str]) -> [u8; 32] {
    fn walk(path: &Path, out: &mut Vec<PathBuf>) {
        if path.is_dir() {
            if let Ok(entries) = std::fs::read_dir(path) {
                for e in entries.flatten() {
                    walk(&e.path(), out);
                }
            }
        } else if path.is_file() {
            out.push(path.to_path_buf());
        }
    }
    let mut files = Vec::new();
    for name in names {
        walk(&root.join(name), &mut files);
    }
    files.sort();
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION"));
    for f in files {
        h.update(
            f.strip_prefix(root)
                .unwrap_or(&f)
                .to_string_lossy()
                .as_bytes(),
        );
        h.update(std::fs::read(&f).unwrap_or_default());
    }
    h.finalize().into()
}

//! Making editions on demand: a bounded pool of compile workers (the session's, one per
//! core) behind a bounded queue, a timeout per compile, and a cache of branded files (PDF,
//! braille, e-book: named with their kind's extension) keyed by the hash of everything they
//! depend on, as files under `dist/.folio/cache/` (never served by path: hidden folders are
//! refused), so that the server's memory stays flat however many partners it serves.
//! Personalised editions are never cached. A cached file is read only when it is a regular
//! file reached without a link (`dist/.folio/cache/<hash>.pdf -> /etc/passwd` is a miss,
//! compiled and replaced).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use super::library::Library;
use super::regular;
use crate::contract::{self, BrandData, Stamp};
use crate::diag::Severity;
use crate::digest;
use crate::pipeline::publication::{self as flow, Planned};
use crate::pipeline::{Session, Worlds};

/// Why an edition could not be made.
#[derive(Debug)]
pub enum MakeFailure {
    /// Every worker is busy and the queue is full: try again later (503).
    Busy,
    /// The compile took longer than allowed (503).
    TimedOut,
    /// The text does not fit the edition (422), with folio's message.
    DoesNotFit(String),
    /// Anything else (500), with a message for the log, never for the client.
    Broken(String),
}

/// The compile workers' admission and the cache.
pub struct Maker {
    /// Permits for running and waiting compiles: workers + queue.
    slots: Arc<Semaphore>,
    /// Permits for running compiles: one per worker. Waiting compiles wait here, as tasks,
    /// not as threads, so a long queue costs no threads and no memory arenas.
    running: Arc<Semaphore>,
    timeout: Duration,
    /// The served folder and its cache folder below it (None: nothing is cached, e.g.
    /// `dist/` is read-only).
    cache: Option<(PathBuf, PathBuf)>,
    log: super::log::Log,
    /// Worlds kept between compiles, by edition, for incremental reuse.
    worlds: Arc<Mutex<HashMap<String, Vec<crate::world::FolioWorld>>>>,
}

impl Maker {
    pub fn new(
        workers: usize,
        queue: usize,
        timeout: Duration,
        cache: Option<(PathBuf, PathBuf)>,
        log: super::log::Log,
    ) -> Maker {
        Maker {
            slots: Arc::new(Semaphore::new(workers + queue)),
            running: Arc::new(Semaphore::new(workers.max(1))),
            timeout,
            cache,
            log,
            worlds: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// The file of `edition` of `publication` for `brand`, and whether it came from the cache
    /// (where it is when the same inputs were made before and it is not `personal`), else
    /// compiled on a worker.
    #[allow(clippy::too_many_arguments)]
    pub async fn make(
        &self,
        session: &Arc<Session>,
        library: &Arc<Library>,
        publication: &str,
        edition: &str,
        brand_id: &str,
        brand: Arc<BrandData>,
        personal: bool,
    ) -> Result<(Arc<Vec<u8>>, bool), MakeFailure> {
        let key = (!personal).then(|| {
            let at = (
                publication.to_string(),
                edition.to_string(),
                brand_id.to_string(),
            );
            if let Some(key) = library.keys.read().expect("keys").get(&at) {
                return *key;
            }
            let key = key(session, library, publication, edition, &brand);
            library.keys.write().expect("keys").insert(at, key);
            key
        });
        let file = key.and_then(|k| {
            let (dist, dir) = self.cache.as_ref()?;
            let extension =
                crate::pipeline::kinds::of(&session.project.editions[edition]).extension();
            Some((dist, dir.join(format!("{}.{extension}", digest::hex(&k)))))
        });
        if let Some((dist, file)) = &file {
            // Never through a link: neither a linked folder on the way nor a linked file.
            let parent = file.parent().unwrap_or(dist);
            if regular::no_link_below(dist, parent) {
                if let Ok(pdf) = regular::read(file) {
                    return Ok((Arc::new(pdf), true));
                }
            }
        }
        let permit = self
            .slots
            .clone()
            .try_acquire_owned()
            .map_err(|_| MakeFailure::Busy)?;
        let (session, library) = (session.clone(), library.clone());
        let (publication, edition) = (publication.to_string(), edition.to_string());
        let worlds = self.worlds.clone();
        let running = self.running.clone();
        // The timeout counts the wait for a worker too: it is what the client waits.
        let job = async move {
            let turn = running
                .acquire_owned()
                .await
                .map_err(|e| MakeFailure::Broken(e.to_string()))?;
            let task = tokio::task::spawn_blocking(move || {
                // The permits are held until the compile ends, even after a timeout.
                let _permits = (permit, turn);
                compile(
                    &session,
                    &library,
                    &publication,
                    &edition,
                    brand,
                    personal,
                    &worlds,
                )
            });
            task.await
                .map_err(|e| MakeFailure::Broken(format!("the compile task failed: {e}")))?
        };
        let pdf = match tokio::time::timeout(self.timeout, job).await {
            Err(_) => return Err(MakeFailure::TimedOut),
            Ok(result) => Arc::new(result?),
        };
        if let Some((dist, file)) = file {
            // Written whole or not at all (a link in its place is replaced, not followed); a
            // failure only costs a compile next time.
            let parent = file.parent().unwrap_or(dist);
            if regular::no_link_below(dist, parent) {
                if std::fs::symlink_metadata(&file).is_ok_and(|m| m.file_type().is_symlink()) {
                    let _ = std::fs::remove_file(&file);
                }
                if let Err(e) = crate::export::atomic::write(&file, &pdf) {
                    self.log
                        .warn(&format!("cannot cache a branded edition: {e}"));
                }
            }
        }
        Ok((pdf, false))
    }
}

/// The cache key: data.json's bytes, the logo, and the hash of the layouts, fonts,
/// publication folder, folio.yaml and folio's version.
fn key(
    session: &Session,
    library: &Library,
    publication: &str,
    edition: &str,
    brand: &Arc<BrandData>,
) -> [u8; 32] {
    let mut h = Sha256::new();
    if let Some(p) = library.publications.get(publication) {
        let stamp = Stamp {
            brand: Some(brand.clone()),
            ..Stamp::default()
        };
        let data = contract::data(
            &p.publication,
            &session.project,
            edition,
            &session.project.editions[edition],
            &stamp,
        );
        h.update(contract::to_bytes(&data));
        h.update(p.inputs);
    }
    h.update(brand.logo.as_deref().unwrap_or_default());
    h.update(edition.as_bytes());
    // What the kind depends on besides (e.g. liblouis's version for braille).
    if let Some(e) = session.project.editions.get(edition) {
        h.update(crate::pipeline::kinds::of(e).fingerprint());
    }
    h.finalize().into()
}

/// Compiles one edition through the pipeline (on the session's worker pool).
fn compile(
    session: &Session,
    library: &Library,
    publication: &str,
    edition: &str,
    brand: Arc<BrandData>,
    personal: bool,
    kept: &Mutex<HashMap<String, Vec<crate::world::FolioWorld>>>,
) -> Result<Vec<u8>, MakeFailure> {
    let p = library
        .publications
        .get(publication)
        .ok_or_else(|| MakeFailure::Broken(format!("no publication {publication}")))?;
    let planned = Planned {
        stamp: Stamp {
            brand: Some(brand),
            ..Stamp::default()
        },
        findings: Vec::new(),
        editions: vec![edition.to_string()],
        stopped: None,
    };
    let mut worlds = Worlds::new();
    if let Some(world) = kept
        .lock()
        .expect("worlds")
        .get_mut(edition)
        .and_then(Vec::pop)
    {
        worlds.insert(edition.to_string(), world);
    }
    let result = {
        let mut production = flow::make(session, &p.publication, &planned, &[], &mut worlds);
        match production.failures.pop() {
            Some(e) => Err(MakeFailure::Broken(e.to_string())),
            None => {
                let errors: Vec<&str> = production
                    .findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                    .map(|f| f.message.as_str())
                    .collect();
                // An edition made from another (an e-book's page list from the booklet)
                // comes after its source: the one asked for is found by name.
                let asked = production.made.iter().find(|m| m.edition == edition);
                match (errors.is_empty(), asked) {
                    (true, Some(made)) => Ok(made.file.bytes.clone()),
                    (true, None) => Err(MakeFailure::Broken("nothing was made".into())),
                    (false, _) => Err(MakeFailure::DoesNotFit(errors.join("; "))),
                }
            }
        }
    };
    // A personalised world holds a patient's details: it is dropped, never kept. One world
    // per worker is enough to reuse; more would only hold memory.
    if let (false, Some(world)) = (personal, worlds.remove(edition)) {
        let mut kept = kept.lock().expect("worlds");
        let pool = kept.entry(edition.to_string()).or_default();
        if pool.len() < session.jobs() {
            pool.push(world);
        }
    }
    // Typst's memoised results of compiles not repeated lately are dropped: memory stays
    // flat, and a personalised compile's results do not outlive a few more compiles.
    comemo::evict(8);
    result
}

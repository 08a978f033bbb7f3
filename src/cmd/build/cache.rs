//! The content-hash cache: a publication is rebuilt only when something it depends on
//! changed, or when one of its files in the output folder is not as folio wrote it.
//!
//! The key of a publication hashes folio's version, the build date, the publisher, every
//! edition's settings and generated `data.json` (which holds the content as each edition
//! shows it), every file of the publication's folder (images), every file of the brands
//! built with it (`--brand`), and every file under `layouts/` and `fonts/`. Beside the key, the cache records each written file's size and
//! modification time, so a file deleted or changed in the output folder is noticed.
//!
//! The cache lives in the project, not in the output folder, so that output folders hold
//! only what readers get (and merged shards equal a single build): `.folio/cache/<out>/`,
//! one small JSON file per publication. A damaged or unreadable cache file is ignored with a
//! warning: the publication is rebuilt, never skipped wrongly.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Outcome;
use crate::content::Publication;
use crate::contract::{self, Stamp};
use crate::diag::{Location, Problem, Severity};
use crate::pipeline::{schedule, Session};
use crate::project::{CONTENT_DIR, FONTS_DIR, LAYOUTS_DIR};

/// Where the caches of a project live, below its root.
pub const CACHE_DIR: &str = ".folio/cache";

/// The cache of one build (off for `--force`, previews and emitted projects).
pub struct Cache {
    dir: Option<PathBuf>,
    /// Hash of every file under layouts/ and fonts/, computed once per build.
    shared: String,
}

/// One publication's record.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Record {
    key: String,
    files: Vec<FileStamp>,
}

/// A file as folio wrote it.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FileStamp {
    path: PathBuf,
    bytes: u64,
    modified_ns: u128,
}

impl Cache {
    /// No cache: every publication is built.
    pub fn off() -> Cache {
        Cache {
            dir: None,
            shared: String::new(),
        }
    }

    /// The cache for building into `out`, with any warning about it in an outcome.
    pub fn open(session: &Session, out: &Path) -> (Cache, Outcome) {
        let mut outcome = Outcome::default();
        let out_id = std::fs::create_dir_all(out)
            .and_then(|_| out.canonicalize())
            .map(|p| hex(&Sha256::digest(p.to_string_lossy().as_bytes()))[..16].to_string());
        let Ok(out_id) = out_id else {
            return (Cache::off(), outcome);
        };
        let mut hasher = Sha256::new();
        for dir in [LAYOUTS_DIR, FONTS_DIR] {
            if let Err(e) = hash_tree(&session.root, &session.root.join(dir), &mut hasher) {
                outcome.notes.push(warning(
                    format!("the cache is not used: cannot read {dir}/: {e}"),
                    &session.root.join(dir),
                ));
                return (Cache::off(), outcome);
            }
        }
        let cache = Cache {
            dir: Some(session.root.join(CACHE_DIR).join(out_id)),
            shared: hex(&hasher.finalize()),
        };
        (cache, outcome)
    }

    /// The key of a publication's build: everything its files depend on.
    pub fn key(
        &self,
        session: &Session,
        publication: &Publication,
        names: &[&str],
        stamp: &Stamp,
        brands: &[&str],
    ) -> String {
        if self.dir.is_none() {
            return String::new();
        }
        let mut h = Sha256::new();
        let mut part = |label: &str, bytes: &[u8]| {
            h.update((label.len() as u64).to_le_bytes());
            h.update(label.as_bytes());
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        part("folio", env!("CARGO_PKG_VERSION").as_bytes());
        part("shared", self.shared.as_bytes());
        part("date", &session.timestamp(publication).to_le_bytes());
        part(
            "publisher",
            &serde_json::to_vec(&session.project.publisher).unwrap_or_default(),
        );
        // The web edition and the catalogue entry: the `web` settings and what it shows.
        part("web", format!("{:?}", session.project.web).as_bytes());
        let web = publication.blocks_for(crate::project::web::WEB, &session.project.web.classes);
        part("web-blocks", &serde_json::to_vec(&web).unwrap_or_default());
        for name in schedule::order(session, names) {
            let edition = &session.project.editions[name];
            part("edition", format!("{name} {edition:?}").as_bytes());
            let data = contract::data(publication, &session.project, name, edition, stamp);
            part("data", &contract::to_bytes(&data));
        }
        let folder = session.root.join(CONTENT_DIR).join(&publication.id);
        let mut files = Sha256::new();
        if hash_tree(&session.root, &folder, &mut files).is_err() {
            // Unreadable now: never call it unchanged.
            return String::new();
        }
        part("folder", &files.finalize());
        // Co-branded editions: each brand's files (brand.yaml, logo).
        for brand in brands {
            let mut files = Sha256::new();
            let dir = session.root.join("brands").join(brand);
            if hash_tree(&session.root, &dir, &mut files).is_err() {
                return String::new();
            }
            part(brand, &files.finalize());
        }
        hex(&h.finalize())
    }

    /// Whether the publication `id` was built with `key` and its files are untouched. A
    /// damaged record is a warning (and the publication is rebuilt, which replaces it).
    pub fn fresh(&self, id: &str, key: &str) -> Result<bool, Problem> {
        let Some(dir) = &self.dir else {
            return Ok(false);
        };
        if key.is_empty() {
            return Ok(false);
        }
        let path = dir.join(format!("{id}.json"));
        let text = match std::fs::read(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(warning(format!("cannot read the build cache: {e}"), &path)),
        };
        let record = serde_json::from_slice::<Record>(&text).map_err(|e| {
            warning(
                format!("the build cache of {id} is damaged ({e}); {id} is rebuilt"),
                &path,
            )
        })?;
        Ok(record.key == key
            && !record.files.is_empty()
            && record
                .files
                .iter()
                .all(|f| stamp(&f.path).is_some_and(|now| now == *f)))
    }

    /// Records a successful build of `id`, whose files are `written`.
    pub fn record(&self, id: &str, key: &str, written: &[PathBuf]) -> Result<(), Problem> {
        let Some(dir) = &self.dir else { return Ok(()) };
        if key.is_empty() {
            return Ok(());
        }
        let files: Option<Vec<FileStamp>> = written.iter().map(|p| stamp(p)).collect();
        let path = dir.join(format!("{id}.json"));
        let record = Record {
            key: key.to_string(),
            files: files.unwrap_or_default(),
        };
        let json = serde_json::to_vec_pretty(&record).expect("a record serialises");
        crate::export::atomic::write(&path, &json)
            .map_err(|e| warning(format!("cannot write the build cache: {e}"), &path))
    }
}

fn stamp(path: &Path) -> Option<FileStamp> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(FileStamp {
        path: path.canonicalize().ok()?,
        bytes: meta.len(),
        modified_ns: modified.as_nanos(),
    })
}

/// Hashes the relative path and contents of every file below `dir`, in a fixed order.
fn hash_tree(root: &Path, dir: &Path, hasher: &mut Sha256) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        let meta = std::fs::symlink_metadata(&path)?;
        if meta.is_dir() {
            hash_tree(root, &path, hasher)?;
        } else if meta.is_file() {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            hasher.update(rel.to_string_lossy().as_bytes());
            hasher.update([0]);
            hasher.update(Sha256::digest(std::fs::read(&path)?));
        }
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn warning(message: String, path: &Path) -> Problem {
    let mut p = Problem::error(message)
        .at(Location::file(path))
        .hint("the build goes on without it; delete .folio/cache/ if this repeats");
    p.severity = Severity::Warning;
    p
}

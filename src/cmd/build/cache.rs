//! The content-hash cache: a publication is rebuilt only when something it depends on
//! changed, or when one of its files in the output folder is not as folio wrote it.
//!
//! The key of a publication hashes folio's version, the build date, the publisher, every
//! edition's settings and generated `data.json` (which holds the content as each edition
//! shows it), every file of the publication's folder (images), every file of the brands
//! built with it (`--brand`), and every file under `layouts/` and `fonts/`, all hashed by
//! [`crate::digest::tree`] (a link counts as its target's text and is never followed, so a
//! link loop in a publication folder ends). Beside the key, the cache records each written
//! file's size and modification time, so a file deleted or changed in the output folder is
//! noticed.
//!
//! Before any of that, a quick key is tried that needs nothing parsed: the raw bytes of the
//! publication's folder, `folio.yaml`, layouts, fonts and brands, the build date, today's
//! date (review dates are checked against it) and the build's options. When it matches, the
//! publication is not even read: a no-op rebuild of a whole catalogue costs a hash of its
//! files. When only the quick key differs (a new day, a comment in `folio.yaml`), the full
//! key decides, and the record is brought up to date. The findings of the last real build
//! are kept in the record and shown again, so a skipped publication still shows its warnings.
//!
//! The cache lives in the project, not in the output folder, so that output folders hold
//! only what readers get (and merged shards equal a single build): `.folio/cache/<out>/`,
//! one small JSON file per publication. A damaged or unreadable cache file is ignored with a
//! warning: the publication is rebuilt, never skipped wrongly.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{BuildOutcome, BuildPlan};
use crate::content::Publication;
use crate::contract::{self, Stamp};
use crate::diag::{Location, Problem, Severity};
use crate::digest::{self, hex, sha256};
use crate::finding::Finding;
use crate::pipeline::{schedule, Session};
use crate::project::brand::BRANDS_DIR;
use crate::project::PublicationKey;
use crate::project::{CONTENT_DIR, FONTS_DIR, LAYOUTS_DIR};

/// Where the caches of a project live, below its root.
pub const BUILD_CACHE_DIR: &str = ".folio/cache";

/// The cache of one build (off for `--force`, previews and emitted projects).
pub struct Cache {
    dir: Option<PathBuf>,
    /// Hash of every file under layouts/ and fonts/, computed once per build.
    shared: String,
    /// Hash of `folio.yaml`'s bytes, for the quick key.
    project: String,
}

/// One publication's record.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CacheRecord {
    key: String,
    /// The quick key (none in records of older folio versions).
    #[serde(default)]
    quick: String,
    files: Vec<FileStamp>,
    /// The findings of the build, shown again when the publication is skipped.
    #[serde(default)]
    pub findings: Vec<Finding>,
}

impl CacheRecord {
    /// Whether every file is still as folio wrote it.
    fn untouched(&self) -> bool {
        !self.files.is_empty()
            && self
                .files
                .iter()
                .all(|f| stamp(&f.path).is_some_and(|now| now == *f))
    }

    /// Whether the publication needs nothing done: built with `quick` (or `key`, when
    /// given), and its files untouched.
    pub fn fresh(&self, quick: &str, key: Option<&str>) -> bool {
        let matched = match key {
            Some(key) => !key.is_empty() && self.key == key,
            None => !quick.is_empty() && self.quick == quick,
        };
        matched && self.untouched()
    }
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
            project: String::new(),
        }
    }

    /// The cache for building into `out`, with any warning about it in an outcome.
    pub fn open(session: &Session, out: &Path) -> (Cache, BuildOutcome) {
        let mut outcome = BuildOutcome::default();
        let out_id = std::fs::create_dir_all(out)
            .and_then(|_| out.canonicalize())
            .map(|p| hex(&sha256(p.to_string_lossy().as_bytes()))[..16].to_string());
        let Ok(out_id) = out_id else {
            return (Cache::off(), outcome);
        };
        let shared = match digest::tree(&session.root, &[LAYOUTS_DIR, FONTS_DIR]) {
            Ok(hash) => hex(&hash),
            Err(e) => {
                outcome.notes.push(warning(
                    format!(
                        "the cache is not used: cannot read {LAYOUTS_DIR}/ or {FONTS_DIR}/: {e}"
                    ),
                    &session.root,
                ));
                return (Cache::off(), outcome);
            }
        };
        let yaml = session.root.join(crate::project::PROJECT_FILE);
        let read = crate::confine::read_project_file(
            &session.root,
            Path::new(crate::project::PROJECT_FILE),
        );
        let project = match read {
            Ok(bytes) => hex(&sha256(bytes)),
            Err(e) => {
                outcome.notes.push(warning(
                    format!("the cache is not used: cannot read folio.yaml: {e}"),
                    &yaml,
                ));
                return (Cache::off(), outcome);
            }
        };
        let cache = Cache {
            dir: Some(session.root.join(BUILD_CACHE_DIR).join(out_id)),
            shared,
            project,
        };
        (cache, outcome)
    }

    /// The quick key of publication `id` (a source or a translation) in this build, from raw
    /// bytes and settings only. Empty (never matching) without a cache or when a file
    /// cannot be read.
    pub fn quick_key(&self, session: &Session, plan: &BuildPlan, id: &PublicationKey) -> String {
        if self.dir.is_none() {
            return String::new();
        }
        let mut key = Key::default();
        key.part("folio", env!("CARGO_PKG_VERSION").as_bytes());
        key.part("id", id.to_string().as_bytes());
        key.part("shared", self.shared.as_bytes());
        key.part("project", self.project.as_bytes());
        key.part(
            "epoch",
            format!("{:?}", session.source_date_epoch).as_bytes(),
        );
        key.part("today", session.today.to_string().as_bytes());
        // A kind that could not be made before (liblouis missing) is made once it can be.
        let unavailable: Vec<&str> = session.unavailable.keys().map(String::as_str).collect();
        key.part("unavailable", unavailable.join("\n").as_bytes());
        key.part("editions", plan.targets.editions.join("\n").as_bytes());
        key.part(
            "allow",
            &[
                plan.allow_overdue as u8,
                plan.allow_unapproved as u8,
                plan.allow_outdated_translations as u8,
            ],
        );
        let brands: Vec<&str> = plan.brands.iter().map(|b| b.id.as_str()).collect();
        key.files(session, id, &brands)
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
        let mut key = Key::default();
        key.part("folio", env!("CARGO_PKG_VERSION").as_bytes());
        key.part("shared", self.shared.as_bytes());
        key.part("date", &session.timestamp(publication).to_le_bytes());
        key.part(
            "publisher",
            &serde_json::to_vec(&session.project.publisher).unwrap_or_default(),
        );
        // The web edition and the catalogue entry: the `web` settings and what it shows.
        key.part("web", format!("{:?}", session.project.web).as_bytes());
        let web = publication.blocks_for(crate::project::web::WEB, &session.project.web.classes);
        key.part("web-blocks", &serde_json::to_vec(&web).unwrap_or_default());
        for name in schedule::order(session, names) {
            let edition = &session.project.editions[name];
            key.part("edition", format!("{name} {edition:?}").as_bytes());
            let data = contract::data(publication, &session.project, name, edition, stamp);
            key.part("data", &contract::to_bytes(&data));
            key.part("kind", &crate::pipeline::kinds::of(edition).fingerprint());
        }
        key.files(session, &publication.key(), brands)
    }

    /// The record of the publication `id`, if there is one. A damaged record is a warning
    /// (and the publication is rebuilt, which replaces it).
    pub fn lookup(&self, id: &PublicationKey) -> Result<Option<CacheRecord>, Problem> {
        let Some(dir) = &self.dir else {
            return Ok(None);
        };
        let path = dir.join(format!("{id}.json"));
        // A FIFO, device or link in the cache is never opened (a FIFO would block the
        // build for ever): the publication is rebuilt and its record written anew.
        match std::fs::symlink_metadata(&path) {
            Ok(m) if !m.is_file() => {
                return Err(warning(
                    format!("the build cache of {id} is not a file; {id} is rebuilt"),
                    &path,
                ))
            }
            _ => {}
        }
        let text = match std::fs::read(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(warning(format!("cannot read the build cache: {e}"), &path)),
        };
        serde_json::from_slice::<CacheRecord>(&text)
            .map(Some)
            .map_err(|e| {
                warning(
                    format!("the build cache of {id} is damaged ({e}); {id} is rebuilt"),
                    &path,
                )
            })
    }

    /// Brings the record of `id` up to date with a new quick key (its full key matched).
    pub fn refresh(
        &self,
        id: &PublicationKey,
        mut record: CacheRecord,
        quick: &str,
    ) -> Result<(), Problem> {
        record.quick = quick.to_string();
        self.write(id, &record)
    }

    /// Records a successful build of `id`, whose files are `written`.
    pub fn record(
        &self,
        id: &PublicationKey,
        (key, quick): (&str, &str),
        written: &[PathBuf],
        findings: &[Finding],
    ) -> Result<(), Problem> {
        if key.is_empty() {
            return Ok(());
        }
        let files: Option<Vec<FileStamp>> = written.iter().map(|p| stamp(p)).collect();
        let record = CacheRecord {
            key: key.to_string(),
            quick: quick.to_string(),
            files: files.unwrap_or_default(),
            findings: findings.to_vec(),
        };
        self.write(id, &record)
    }

    fn write(&self, id: &PublicationKey, record: &CacheRecord) -> Result<(), Problem> {
        let Some(dir) = &self.dir else { return Ok(()) };
        let path = dir.join(format!("{id}.json"));
        let json = serde_json::to_vec_pretty(&record).expect("a record serialises");
        // A FIFO or link left where the record goes is the cache's own file name: replaced.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            let _ = std::fs::remove_file(&path);
        }
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

/// A key being made: labelled parts, each length-prefixed so that no two sequences of parts
/// hash alike.
#[derive(Default)]
struct Key(Sha256);

impl Key {
    fn part(&mut self, label: &str, bytes: &[u8]) {
        self.0.update((label.len() as u64).to_le_bytes());
        self.0.update(label.as_bytes());
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    /// Adds the files of publication `id`'s folder (a translation `<id>.<lang>` lives in its
    /// source's) and of each brand built with it, and returns the key; empty (never
    /// matching) when any of them cannot be read now.
    fn files(mut self, session: &Session, id: &PublicationKey, brands: &[&str]) -> String {
        let folders = std::iter::once(("folder", format!("{CONTENT_DIR}/{}", id.id)))
            .chain(brands.iter().map(|b| (*b, format!("{BRANDS_DIR}/{b}"))));
        for (label, dir) in folders {
            // Links are hashed as links, never followed (`digest::tree`): a loop ends.
            match digest::tree(&session.root, &[&dir]) {
                Ok(files) => self.part(label, &files),
                Err(_) => return String::new(),
            }
        }
        hex(&self.0.finalize())
    }
}

fn warning(message: String, path: &Path) -> Problem {
    let mut p = Problem::error(message)
        .at(Location::file(path))
        .hint("the build goes on without it; delete .folio/cache/ if this repeats");
    p.severity = Severity::Warning;
    p
}

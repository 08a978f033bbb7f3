//! The pipeline: project → publication → per-edition world → document → PDF → findings.
//!
//! `build`, `check`, `watch`, `serve` and `bench` all go through a [`Session`], so they
//! load, check, make and schedule the same way. The pipeline owns the flow of one
//! publication; commands own only what is theirs (a build's cache, staging and commit, a
//! server's routes):
//!
//! - this module: the session (project, fonts, publications, the kinds it can make);
//! - [`publication`]: one publication, from its model checks to every edition made, with
//!   the one rule for when a finding stops it;
//! - [`kinds`]: how each kind of edition is made (a Typst PDF, …), one module per kind;
//! - [`schedule`]: every edition of a publication on one worker pool, editions made from
//!   another after their source, results in a fixed order;
//! - [`brands`]: the brandable editions again for each partner.

pub mod brands;
pub mod interrupt;
pub mod kinds;
pub mod publication;
pub mod schedule;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst_kit::fonts::FontStore;

pub use interrupt::Interrupt;
pub use kinds::{Made, Typeset};

use crate::content::{self, Publication};
use crate::diag::{Location, Problem};
use crate::project::{Edition, Project, PublicationKey, CONTENT_DIR, FONTS_DIR};
use crate::world::FolioWorld;

/// Typst worlds kept between makes, by edition name (one publication's).
pub type Worlds = std::collections::BTreeMap<String, FolioWorld>;

/// A loaded project: what every command starts from.
pub struct Session {
    pub root: PathBuf,
    pub project: Project,
    pub fonts: Arc<FontStore>,
    /// `SOURCE_DATE_EPOCH`, when set: the date of every build instead of `date-reviewed`.
    pub source_date_epoch: Option<i64>,
    /// The date review dates are checked against (the real date unless a test fixes it).
    pub today: chrono::NaiveDate,
    /// The workers that make editions side by side (one per core unless told otherwise).
    pool: Arc<rayon::ThreadPool>,
    /// Typst's standard library and the parsed layouts, shared by every world of the session.
    pub shared: crate::world::Shared,
    /// The kinds of the project's editions that cannot be made on this machine (a tool
    /// missing), by kind, with why: their editions are skipped, said once per command.
    pub unavailable: std::collections::BTreeMap<String, Problem>,
    /// Stops the rest of a save in `folio watch` when a newer save comes (see [`Interrupt`]).
    pub interrupt: Interrupt,
}

/// Stack size of a worker: deep layouts recurse, and a worker must not overflow first.
const WORKER_STACK: usize = 64 << 20;

impl Session {
    /// Loads `folio.yaml` and the fonts of the project at `root`.
    pub fn open(root: &Path, source_date_epoch: Option<i64>) -> Result<Session, Problem> {
        let root = root.canonicalize().map_err(|e| {
            Problem::error(format!("cannot open the project folder: {e}"))
                .at(Location::file(root))
                .hint("pass the folder that holds folio.yaml with --root")
        })?;
        let project = Project::load(&root)?;
        kinds::validate(&root, &project)?;
        let unavailable = project
            .editions
            .values()
            .map(|e| kinds::of(e))
            .filter_map(|k| Some((k.name().to_string(), k.unavailable()?)))
            .collect();
        let fonts = crate::world::fonts::load(&root.join(FONTS_DIR))?;
        let today = chrono::Local::now().date_naive();
        Ok(Session {
            unavailable,
            root,
            project,
            fonts,
            source_date_epoch,
            today,
            pool: Arc::new(pool(0)?),
            shared: crate::world::Shared::default(),
            interrupt: Interrupt::default(),
        })
    }

    /// Uses `jobs` workers (0: one per core).
    pub fn with_jobs(mut self, jobs: usize) -> Result<Session, Problem> {
        self.pool = Arc::new(pool(jobs)?);
        Ok(self)
    }

    /// Reopens the project (folio.yaml or fonts changed), keeping the settings of this one.
    pub fn reopen(&self) -> Result<Session, Problem> {
        let mut session = Session::open(&self.root, self.source_date_epoch)?;
        session.today = self.today;
        session.pool = self.pool.clone();
        session.interrupt = self.interrupt.clone();
        Ok(session)
    }

    /// How many editions are made at once.
    pub fn jobs(&self) -> usize {
        self.pool.current_num_threads()
    }

    /// Every publication id under `content/`, sorted.
    pub fn publication_ids(&self) -> Result<Vec<String>, Problem> {
        let dir = self.root.join(CONTENT_DIR);
        let entries = std::fs::read_dir(&dir).map_err(|e| {
            Problem::error(format!("cannot read the content folder: {e}"))
                .at(Location::file(&dir))
                .hint("put each publication in a folder under content/")
        })?;
        let mut ids: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| !n.starts_with('.'))
            .collect();
        ids.sort();
        Ok(ids)
    }

    /// Loads and parses one publication: a source (`all-treatment`) or a translation
    /// (`all-treatment.cy`, from `content/all-treatment/all-treatment.cy.md`).
    pub fn load(&self, key: &PublicationKey) -> Result<Publication, Problem> {
        let content = self.root.join(CONTENT_DIR);
        let folder = content.join(&key.id);
        if let Some(lang) = &key.lang {
            return content::load_translation(&self.root, &folder, lang, &self.project.names());
        }
        if !folder.is_dir() {
            return Err(Problem::error(format!("no publication called `{key}`"))
                .at(Location::file(&folder))
                .hint(format!(
                    "publications are folders under content/: {}; a translation is \
                     `<publication>.<language>`",
                    self.publication_ids()?.join(", ")
                )));
        }
        content::load(&self.root, &folder, &self.project.names())
    }

    /// The publication `id` and its translations, each `content/<id>/<id>.<lang>.md`, by
    /// language: the one place an id is expanded into what is built of it.
    pub fn sources(&self, id: &str) -> Vec<PublicationKey> {
        let folder = self.root.join(CONTENT_DIR).join(id);
        std::iter::once(PublicationKey::source(id))
            .chain(
                content::translation::translation_files(&folder, id)
                    .into_iter()
                    .map(|(lang, _)| PublicationKey::translation(id, lang)),
            )
            .collect()
    }

    /// Every check that needs no typesetting (the one entry point for them): the model checks, the characters that no
    /// font in `fonts/` can draw (`glyph-missing`, so that `build` refuses them with their
    /// place instead of Typst's unlocated error), and for a translation, whether it is
    /// behind its source (`translation-outdated`, `translation-missing-section`).
    pub fn check_model(&self, publication: &Publication) -> Vec<crate::finding::Finding> {
        let mut findings = crate::check::model(publication, &self.project, self.today);
        findings.extend(crate::check::glyphs::check(publication, self.fonts.book()));
        if let Some(t) = &publication.translation {
            let folder = self.root.join(CONTENT_DIR).join(&t.source_id);
            let path = content::translation::record_path(&folder, &t.source_id, &t.lang);
            match content::translation::Confirmation::read(&self.root, &path) {
                Ok(record) => findings.extend(crate::check::translation::check(
                    publication,
                    record.as_ref(),
                )),
                Err(problem) => findings.push(crate::finding::Finding::from_problem(
                    crate::finding::Code::SourceError,
                    &publication.id,
                    None,
                    &problem,
                )),
            }
        }
        // Approvals (`folio approve`): unapproved changes, and a record that disagrees.
        match content::approval::status(&self.root, publication, &self.project.names()) {
            Ok(status) => findings.extend(crate::check::approval::check(
                publication,
                &status,
                self.project.approval,
            )),
            Err(problem) => findings.push(crate::finding::Finding::from_problem(
                crate::finding::Code::SourceError,
                &publication.id,
                None,
                &problem,
            )),
        }
        findings.sort_by_key(|f| f.location.as_ref().and_then(|l| l.line).unwrap_or(0));
        findings
    }

    /// The fixed build date: SOURCE_DATE_EPOCH, else the publication's `date-reviewed`.
    pub fn timestamp(&self, publication: &Publication) -> i64 {
        self.source_date_epoch.unwrap_or_else(|| {
            publication
                .meta
                .date_reviewed
                .and_hms_opt(0, 0, 0)
                .map_or(0, |d| d.and_utc().timestamp())
        })
    }

    /// The editions `publication` is made in, restricted to `only` when it is not empty.
    pub fn editions_for<'a>(
        &'a self,
        publication: &Publication,
        only: &[String],
    ) -> Vec<(&'a str, &'a Edition)> {
        self.project
            .editions
            .iter()
            .filter(|(name, e)| e.wanted(name, publication.meta.editions.as_deref()))
            .filter(|(_, e)| {
                e.for_language(&publication.meta.lang, publication.translation.is_some())
            })
            .filter(|(name, _)| only.is_empty() || only.iter().any(|o| o == *name))
            .filter(|(_, e)| !self.unavailable.contains_key(&e.kind))
            .filter(|(_, e)| kinds::of(e).makes(e, publication))
            .map(|(n, e)| (n.as_str(), e))
            .collect()
    }
}

fn pool(jobs: usize) -> Result<rayon::ThreadPool, Problem> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(WORKER_STACK)
        .thread_name(|i| format!("folio-worker-{i}"))
        .build()
        .map_err(|e| Problem::error(format!("cannot start the worker threads: {e}")))
}

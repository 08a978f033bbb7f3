//! The shared pipeline: project → publication → per-edition world → document → PDF.
//!
//! `build`, `check` and `watch` all go through a [`Session`], so they load and compile the
//! same way.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::diag::SourceDiagnostic;
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;

use crate::compile::{self, BuildError};
use crate::content::{self, Publication};
use crate::diag::{Location, Problem};
use crate::edition::{self, Stamp};
use crate::export;
use crate::project::{Edition, Project};
use crate::world::{FolioWorld, DATA, MAIN};

/// Folder of publications, below the project root.
pub const CONTENT_DIR: &str = "content";
/// Folder of fonts, below the project root.
pub const FONTS_DIR: &str = "fonts";

/// A loaded project: what every command starts from.
pub struct Session {
    pub root: PathBuf,
    pub project: Project,
    pub fonts: Arc<FontStore>,
    /// `SOURCE_DATE_EPOCH`, when set: the date of every build instead of `date-reviewed`.
    pub source_date_epoch: Option<i64>,
    /// Whether rendered diagnostics get terminal colours.
    pub color: bool,
    /// The date review dates are checked against (the real date unless a test fixes it).
    pub today: chrono::NaiveDate,
}

/// Worlds kept between builds, by edition name (one publication's).
pub type Worlds = std::collections::BTreeMap<String, FolioWorld>;

/// One edition of one publication, made.
pub struct Made {
    pub edition: String,
    /// Findings on the laid-out pages (page rules, large print, stranded headings).
    pub findings: Vec<crate::check::Finding>,
    pub doc: PagedDocument,
    pub pdf: Vec<u8>,
    pub warnings: Vec<SourceDiagnostic>,
    pub world: FolioWorld,
}

impl Session {
    /// Loads `folio.yaml` and the fonts of the project at `root`.
    pub fn open(
        root: &Path,
        source_date_epoch: Option<i64>,
        color: bool,
    ) -> Result<Session, Problem> {
        let root = root.canonicalize().map_err(|e| {
            Problem::error(format!("cannot open the project folder: {e}"))
                .at(Location::file(root))
                .hint("pass the folder that holds folio.yaml with --root")
        })?;
        let project = Project::load(&root)?;
        let fonts = crate::world::fonts::load(&root.join(FONTS_DIR))?;
        let today = chrono::Local::now().date_naive();
        Ok(Session {
            root,
            project,
            fonts,
            source_date_epoch,
            color,
            today,
        })
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

    /// Loads and parses one publication.
    pub fn load(&self, id: &str) -> Result<Publication, Problem> {
        let folder = self.root.join(CONTENT_DIR).join(id);
        if !folder.is_dir() {
            return Err(Problem::error(format!("no publication called `{id}`"))
                .at(Location::file(&folder))
                .hint(format!(
                    "publications are folders under content/: {}",
                    self.publication_ids()?.join(", ")
                )));
        }
        content::load(&self.root, &folder, &self.project.names())
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
            .filter(|(name, e)| edition::wanted(publication, name, e))
            .filter(|(name, _)| only.is_empty() || only.iter().any(|o| o == *name))
            .map(|(n, e)| (n.as_str(), e))
            .collect()
    }

    /// A world for one edition of `publication`, with its generated files in place.
    pub fn world(
        &self,
        publication: &Publication,
        name: &str,
        stamp: &Stamp,
    ) -> Result<FolioWorld, Problem> {
        let edition = &self.project.editions[name];
        let mut world =
            FolioWorld::new(&self.root, self.fonts.clone(), self.timestamp(publication))
                .map_err(|e| Problem::error(format!("cannot set up the compiler: {e}")))?;
        self.refresh(&mut world, publication, name, edition, stamp);
        Ok(world)
    }

    /// Puts the current data of `publication` into `world` and marks files stale.
    pub fn refresh(
        &self,
        world: &mut FolioWorld,
        publication: &Publication,
        name: &str,
        edition: &Edition,
        stamp: &Stamp,
    ) {
        world.reset();
        world.set_generated(MAIN, edition::main_typ(edition).into_bytes());
        world.set_generated(
            DATA,
            edition::data_json(publication, &self.project, name, edition, stamp),
        );
    }

    /// Compiles an edition in a prepared world, checks its page rules and exports the PDF.
    pub fn make(
        &self,
        world: FolioWorld,
        publication: &Publication,
        name: &str,
    ) -> Result<Made, (BuildError, FolioWorld)> {
        let edition = &self.project.editions[name];
        let result = (|| {
            let (doc, warnings) = compile::compile(&world, &publication.id, name, self.color)?;
            let ident = format!("folio/{}/{}", publication.id, name);
            let options = export::pdf::options(edition.pdf, &ident, self.timestamp(publication));
            let pdf =
                export::pdf::export(&world, &doc, &options, &publication.id, name, self.color)?;
            let pdf = crate::print::finish_pdf(edition, pdf)?;
            Ok((doc, warnings, pdf))
        })();
        match result {
            Ok((doc, warnings, pdf)) => {
                let mut findings =
                    crate::check::layout::check(&doc, &publication.id, name, edition);
                findings.extend(crate::print::preflight::check(
                    &doc,
                    &pdf,
                    &publication.id,
                    name,
                    edition,
                ));
                Ok(Made {
                    edition: name.to_string(),
                    findings,
                    doc,
                    pdf,
                    warnings,
                    world,
                })
            }
            Err(e) => Err((e, world)),
        }
    }

    /// Makes every edition in `names` of `publication`, in parallel (one thread per edition).
    pub fn make_all(
        &self,
        publication: &Publication,
        names: &[&str],
        stamp: &Stamp,
    ) -> Vec<Result<Made, BuildError>> {
        self.make_all_reusing(publication, names, stamp, &mut Worlds::new())
    }

    /// Makes one edition in this thread, reusing its world from `worlds` when there is one.
    fn make_one(
        &self,
        publication: &Publication,
        name: &str,
        stamp: &Stamp,
        worlds: &mut Worlds,
    ) -> Vec<Result<Made, BuildError>> {
        let world = match worlds.remove(name) {
            Some(mut world) => {
                self.refresh(
                    &mut world,
                    publication,
                    name,
                    &self.project.editions[name],
                    stamp,
                );
                world
            }
            None => match self.world(publication, name, stamp) {
                Ok(world) => world,
                Err(e) => return vec![Err(e.into())],
            },
        };
        match self.make(world, publication, name) {
            Ok(made) => vec![Ok(made)],
            Err((e, world)) => {
                worlds.insert(name.to_string(), world);
                vec![Err(e)]
            }
        }
    }

    /// Like [`Session::make_all`], but reuses the worlds in `worlds` (kept from an earlier
    /// build of the same publication) so that Typst recompiles only what changed. The
    /// worlds are put back afterwards, also after a failed compile.
    pub fn make_all_reusing(
        &self,
        publication: &Publication,
        names: &[&str],
        stamp: &Stamp,
        worlds: &mut Worlds,
    ) -> Vec<Result<Made, BuildError>> {
        // Imposed editions place another edition's PDF pages: each source and its imposed
        // editions form one chain, made one after the other. Chains and the other editions
        // go to one worker per core, chains first (they are the longest), so that no core
        // idles while the imposition waits for its pages.
        let (first, imposed) = crate::print::impose::split(&self.project, names)
            .unwrap_or_else(|| (names.to_vec(), Vec::new()));
        let from = |n: &str| {
            self.project.editions[n]
                .impose
                .as_ref()
                .map(|i| i.from.clone())
        };
        let mut sources: Vec<String> = imposed.iter().filter_map(|n| from(n)).collect();
        sources.sort();
        sources.dedup();
        let chains: Vec<Vec<&str>> = sources
            .iter()
            .map(|source| {
                let mut chain = vec![source.as_str()];
                chain.extend(
                    imposed
                        .iter()
                        .copied()
                        .filter(|n| from(n).as_deref() == Some(source.as_str())),
                );
                chain
            })
            .collect();
        let mut tasks: std::collections::VecDeque<Vec<&str>> = chains.iter().cloned().collect();
        tasks.extend(
            first
                .iter()
                .filter(|n| !sources.iter().any(|s| s == *n))
                .map(|n| vec![*n]),
        );
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let workers = cores.min(tasks.len()).max(1);
        let queue = std::sync::Mutex::new(tasks);
        let shared = std::sync::Mutex::new((std::mem::take(worlds), Vec::new()));
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| loop {
                    let Some(chain) = queue.lock().expect("queue").pop_front() else {
                        break;
                    };
                    let mut mine: Worlds = {
                        let mut guard = shared.lock().expect("worlds");
                        chain
                            .iter()
                            .filter_map(|n| guard.0.remove_entry(*n))
                            .collect()
                    };
                    let (head, rest) = chain.split_first().expect("a chain has a head");
                    let mut made = self.make_one(publication, head, stamp, &mut mine);
                    if !rest.is_empty() {
                        let more = crate::print::impose::make_imposed(
                            self,
                            publication,
                            rest,
                            stamp,
                            &made,
                            &mut mine,
                        );
                        made.extend(more);
                    }
                    let mut guard = shared.lock().expect("worlds");
                    guard.0.extend(mine);
                    guard.1.extend(made);
                });
            }
        });
        let (kept, mut made) = shared.into_inner().expect("workers are done");
        *worlds = kept;
        // Workers finish in any order; report the other editions first, then each source
        // followed by its imposed editions.
        let rank: Vec<&str> = first
            .iter()
            .copied()
            .filter(|n| !sources.iter().any(|s| s == n))
            .chain(chains.iter().flatten().copied())
            .collect();
        let order = |r: &Result<Made, BuildError>| match r {
            Ok(m) => rank
                .iter()
                .position(|n| *n == m.edition)
                .unwrap_or(usize::MAX),
            Err(_) => usize::MAX,
        };
        made.sort_by_key(order);
        made
    }

    /// Where an edition's PDF goes: `OUT/<publication>/<publication>-<edition>.pdf`.
    pub fn pdf_path(out: &Path, publication: &str, edition: &str) -> PathBuf {
        out.join(publication)
            .join(format!("{publication}-{edition}.pdf"))
    }
}

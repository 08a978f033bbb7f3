//! `folio build`: every requested edition of every requested publication, as PDFs.
//!
//! Publications are built side by side, as many at once as there are workers (`--jobs`),
//! each on its own coordinating thread whose editions go to the session's worker pool; at
//! most that many publications are in memory at a time, and Typst's caches are trimmed
//! after each one, so memory does not grow with the number of publications. Results are
//! gathered in the order of the plan, whatever the timing.
//!
//! - [`publication`]: one publication, replaced as one unit (all its files or none);
//! - [`cache`]: skip a publication whose inputs and outputs have not changed;
//! - [`previews`]: page previews, written with the publication's files;
//! - [`stale`]: co-branded files of an older version, removed;
//! - [`shard`]: this machine's part of a build split over several (`--shard I/N`).

pub mod cache;
pub mod previews;
pub mod publication;
pub mod shard;
pub mod stale;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::Duration;

pub use publication::build_publication;

use crate::cli::{BuildArgs, Shard};
use crate::cmd::select::Targets;
use crate::compile::BuildError;
use crate::diag::{display_path, render, Problem, Severity};
use crate::export;
use crate::finding::Finding;
use crate::pipeline::{Session, Worlds};
use crate::project::PublicationKey;

/// Publications built between two evictions of Typst's memoised work (see [`run`]).
const EVICT_EVERY: usize = 4;

/// A checked `folio build`.
#[derive(Debug, Clone)]
pub struct BuildPlan {
    pub targets: Targets,
    pub out: PathBuf,
    pub emit_typst: Option<PathBuf>,
    pub allow_overdue: bool,
    /// Build unapproved text as a draft, marked on every page.
    pub allow_unapproved: bool,
    /// Build translations that are behind their source (with a note on their first page).
    pub allow_outdated_translations: bool,
    /// Also write page previews (PNG) and contact sheets.
    pub previews: bool,
    /// Print nothing but problems.
    pub quiet: bool,
    /// Partners to build the brandable editions for (`--brand`, `--all-brands`).
    pub brands: Vec<crate::pipeline::brands::Branded>,
    /// Skip publications whose inputs and outputs are unchanged (`--force` turns it off;
    /// previews and emitted projects always build).
    pub cache: bool,
}

impl BuildPlan {
    pub fn new(session: &Session, args: &BuildArgs) -> Result<BuildPlan, Problem> {
        crate::project::refuse_output_in_sources(&session.root, &args.out)?;
        let mut targets = Targets::resolve(session, &args.selection)?;
        if let Some(Shard { index, count }) = args.shard {
            targets
                .publications
                .retain(|id| shard::shard_of(&id.id, count) == index);
        }
        Ok(BuildPlan {
            targets,
            out: args.out.clone(),
            emit_typst: args.emit_typst.clone(),
            allow_overdue: args.allow_overdue,
            allow_unapproved: args.allow_unapproved,
            allow_outdated_translations: args.allow_outdated_translations,
            previews: args.previews,
            quiet: args.quiet,
            brands: crate::pipeline::brands::resolve(session, &args.brands, args.all_brands)?,
            cache: !args.force && !args.previews && args.emit_typst.is_none(),
        })
    }
}

impl BuildPlan {
    /// What the build asks of each publication.
    pub fn request(&self) -> crate::pipeline::publication::Request {
        crate::pipeline::publication::Request {
            editions: self.targets.editions.clone(),
            allow_overdue: self.allow_overdue,
            allow_outdated_translations: self.allow_outdated_translations,
            allow_unapproved: self.allow_unapproved,
            ..Default::default()
        }
    }
}

/// One edition's file written.
#[derive(Debug, Clone)]
pub struct WrittenFile {
    pub path: PathBuf,
    pub publication: String,
    pub edition: String,
    pub pages: usize,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildOutcome {
    pub written: Vec<WrittenFile>,
    pub failures: Vec<BuildError>,
    /// Typst warnings.
    pub warnings: Vec<Problem>,
    /// Check findings (model and layout) of every publication built.
    pub findings: Vec<Finding>,
    /// Previews written: (publication, edition, what was rendered).
    pub previews: Vec<(String, String, export::preview::Previews)>,
    /// How long each publication took.
    pub timings: Vec<Timing>,
    /// Print job sheets written (`<publication>-print-spec.json` and `.txt`).
    pub job_sheets: Vec<PathBuf>,
    /// Publications skipped because nothing they depend on changed.
    pub unchanged: Vec<String>,
    /// Warnings about the build itself (e.g. a damaged cache that was ignored).
    pub notes: Vec<Problem>,
    /// The catalogue written (`OUT/index.html` and the rest of the site).
    pub catalogue: Option<crate::site::CatalogueWritten>,
    /// The catalogue could not be written (its last version was kept).
    pub catalogue_failed: bool,
}

impl BuildOutcome {
    /// Adds what another part of the build did, after what is here.
    fn extend(&mut self, other: BuildOutcome) {
        self.written.extend(other.written);
        self.failures.extend(other.failures);
        self.warnings.extend(other.warnings);
        self.findings.extend(other.findings);
        self.previews.extend(other.previews);
        self.timings.extend(other.timings);
        self.job_sheets.extend(other.job_sheets);
        self.unchanged.extend(other.unchanged);
        self.notes.extend(other.notes);
    }
}

/// How a publication refused for its check errors ends its failure's message (the errors
/// themselves are findings, counted once).
pub use crate::pipeline::publication::CHECK_ERRORS_SUMMARY;

/// Time to a publication's PDFs being written, and to its previews too.
#[derive(Debug, Clone)]
pub struct Timing {
    pub publication: String,
    pub pdfs: Duration,
    pub total: Duration,
}

/// What is kept of a publication between builds in one process (`folio watch`): its
/// worlds, for incremental compiles, and its preview page hashes, to render only changes.
#[derive(Default)]
pub struct WarmState {
    pub worlds: Worlds,
    pub previews: BTreeMap<String, export::preview::PreviewHashes>,
}

pub use crate::cmd::progress::Step;

/// Runs a checked build plan, telling `progress` as each publication finishes (and how). A
/// failed publication does not stop the others.
pub fn run(
    session: &Session,
    plan: &BuildPlan,
    progress: &mut dyn FnMut(&str, Step),
) -> BuildOutcome {
    let ids: &[PublicationKey] = &plan.targets.publications;
    let (cache, mut outcome) = match plan.cache {
        true => cache::Cache::open(session, &plan.out),
        false => (cache::Cache::off(), BuildOutcome::default()),
    };
    // Editions of a kind this machine cannot make (a tool missing) are skipped: said once.
    outcome.notes.extend(session.unavailable.values().map(|p| {
        let mut p = p.clone();
        p.severity = Severity::Warning;
        p
    }));
    let next = Mutex::new(0usize);
    let built = AtomicUsize::new(0);
    let built = &built;
    let parts: Vec<Mutex<Option<BuildOutcome>>> = ids.iter().map(|_| Mutex::new(None)).collect();
    let (done, finished) = mpsc::channel::<usize>();
    std::thread::scope(|scope| {
        for _ in 0..session.jobs().min(ids.len()).max(1) {
            let done = done.clone();
            let (next, parts, cache) = (&next, &parts, &cache);
            scope.spawn(move || loop {
                let i = {
                    let mut next = next.lock().expect("queue");
                    *next += 1;
                    *next - 1
                };
                let Some(id) = ids.get(i) else { break };
                let mut part = BuildOutcome::default();
                let mut kept = WarmState::default();
                if let Err(e) = build_publication(session, plan, id, &mut part, &mut kept, cache) {
                    part.failures.push(e);
                }
                drop(kept);
                // Memoised layout work of finished publications is not needed again; what the
                // shared layouts and fonts need is used again soon and stays. An eviction walks
                // every cache, so it runs once per few publications, dropping what none of
                // them used.
                if built.fetch_add(1, Ordering::Relaxed) % EVICT_EVERY == EVICT_EVERY - 1 {
                    comemo::evict(1);
                }
                *parts[i].lock().expect("part") = Some(part);
                let _ = done.send(i);
            });
        }
        drop(done);
        for i in finished {
            let id = ids[i].to_string();
            let step = match parts[i].lock().expect("part").as_ref() {
                Some(part) if !part.failures.is_empty() => Step::Failed,
                Some(part) if part.unchanged.contains(&id) => Step::Unchanged,
                _ => Step::Built,
            };
            progress(&id, step);
        }
    });
    for part in parts {
        if let Some(part) = part.into_inner().expect("part") {
            outcome.extend(part);
        }
    }
    // The catalogue is made from every publication's entry, failed ones' last good ones too.
    match crate::site::write_catalogue(
        &session.root,
        &session.project,
        &plan.out,
        session.today,
        session.source_date_epoch,
    ) {
        Ok(mut written) => {
            // An entry that cannot be used is that publication's problem: the catalogue of
            // the others is written, and the entry is named.
            outcome.notes.extend(written.refused.drain(..).map(|mut p| {
                p.severity = Severity::Warning;
                p
            }));
            outcome.catalogue = Some(written);
        }
        Err(problem) => {
            outcome.catalogue_failed = true;
            outcome.failures.push(problem.into());
        }
    }
    outcome
}

impl BuildOutcome {
    /// Prints what the build did to standard error: findings that matter, Typst warnings,
    /// the files written (unless `quiet`), then the failures with a true count.
    pub fn print(&self, color: bool, quiet: bool) {
        let shown: Vec<Problem> = self
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Note)
            .map(Finding::to_problem)
            .collect();
        eprint!("{}", render(&self.notes, color));
        eprint!("{}", render(&self.warnings, color));
        eprint!("{}", render(&shown, color));
        if !quiet {
            for w in &self.written {
                match w.pages {
                    0 => eprintln!("wrote {}", display_path(&w.path)),
                    n => eprintln!("wrote {} ({n} pages)", display_path(&w.path)),
                }
            }
            for path in &self.job_sheets {
                eprintln!("wrote {} (print job sheet)", display_path(path));
            }
            if let Some(c) = &self.catalogue {
                if let Some(index) = c.files.first() {
                    eprintln!(
                        "wrote {} (catalogue: {} current, {} not current)",
                        display_path(index),
                        c.listed,
                        c.not_current.len()
                    );
                }
            }
            for w in self.catalogue.iter().flat_map(|c| &c.withdrawn) {
                eprintln!(
                    "withdrew {}: no longer under content/, so its {} file(s) in {} were removed{}",
                    crate::diag::render::printable(&w.id),
                    w.removed,
                    display_path(&w.folder),
                    match w.left {
                        0 => String::new(),
                        n =>
                            format!(" ({n} file(s) folio has no record of making were left there)"),
                    }
                );
            }
            if !self.unchanged.is_empty() {
                eprintln!(
                    "{} publication(s) unchanged since the last build, not rebuilt (--force rebuilds them)",
                    self.unchanged.len()
                );
            }
            for (publication, edition, p) in &self.previews {
                eprintln!(
                    "previews {publication} ({edition}): {} page(s), contact sheet {}",
                    p.pages.len(),
                    display_path(&p.contact_sheet)
                );
            }
        }
        if !self.failures.is_empty() {
            eprint!("{}", render_failures(&self.failures, color));
            let errors = self
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            // "<id> has check errors" only sums up findings counted already.
            let failures: usize = self
                .failures
                .iter()
                .filter(|f| !matches!(f, BuildError::Problem(p) if p.message.ends_with(CHECK_ERRORS_SUMMARY)))
                .map(BuildError::count)
                .sum();
            let publications_failed = self.failures.len() - usize::from(self.catalogue_failed);
            let verdict = match (publications_failed, self.catalogue_failed) {
                (0, true) => "the catalogue was not updated (its last version was kept);                               the publications' files listed above were written"
                    .to_string(),
                (_, true) => "no file of a failed publication was replaced, and the catalogue                               was not updated (its last version was kept)"
                    .to_string(),
                _ => "no file of a failed publication was replaced".to_string(),
            };
            eprintln!("error: {} problem(s); {verdict}", errors + failures);
        }
    }
}

/// Build failures as text, in the one diagnostic style.
pub fn render_failures(failures: &[BuildError], color: bool) -> String {
    failures.iter().map(|f| f.report().render(color)).collect()
}

/// A file of the build that could not be written, as a failure naming it.
fn io_problem(path: &std::path::Path, e: std::io::Error) -> BuildError {
    Problem::error(format!("cannot write: {e}"))
        .at(crate::diag::Location::file(path))
        .hint("check that the output folder is writable and the disk has room")
        .into()
}

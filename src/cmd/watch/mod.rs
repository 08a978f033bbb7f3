//! `folio watch`: build once, then rebuild what each saved change affects.
//!
//! The loop is split in two so that tests can drive it without sleeping: [`Watch`] holds
//! the state (the session, and per publication its Typst worlds and preview hashes) and
//! rebuilds on a list of changed paths; [`run`] only turns file-system events into such lists.
//! A failed rebuild prints its diagnostics and keeps the last good PDFs; the next good save
//! recovers. Content and layout errors never end the loop.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub mod files;
pub mod focus;
pub mod marks;
pub mod page;
mod rebuilt;
pub mod serve;

pub use files::{classify, SavedChange};
pub use focus::{First, OnScreen, Screen};
pub use rebuilt::{Notices, Rebuilt};

use super::build::{build_publication, BuildOutcome, BuildPlan, WarmState};
use super::select::Targets;
use crate::cli::WatchArgs;
use crate::compile::BuildError;
use crate::diag::{self, Colors, FailureReport, Problem, Severity};
use crate::finding::Finding;
use crate::pipeline::Session;
use crate::project::PublicationKey;

/// The watch state: a session and, per publication, what is kept between builds.
pub struct Watch {
    pub session: Session,
    pub plan: BuildPlan,
    /// Whether the plan is every publication (so folders added or removed while watching
    /// count), rather than the ones named on the command line.
    all: bool,
    /// The publication folders watched (each built with its translations).
    pub folders: Vec<String>,
    kept: BTreeMap<String, WarmState>,
    /// The problems of the last rebuild of each publication, for the preview page.
    pub errors: BTreeMap<String, Vec<FailureReport>>,
    /// The warnings and notes of the last rebuild of each publication, for the preview page.
    pub notices: BTreeMap<String, Notices>,
    /// What the preview page shows (told by the page) and whether change marks are on.
    pub screen: Arc<Screen>,
    /// Each publication's review previews while the change marks are on.
    pub marked: BTreeMap<String, marks::Marked>,
    marked_kept: BTreeMap<String, crate::export::preview::PreviewHashes>,
}

impl BuildPlan {
    /// The build a `folio watch` repeats: always with previews, never emitting Typst.
    pub fn for_watch(session: &Session, args: &WatchArgs) -> Result<BuildPlan, Problem> {
        crate::project::refuse_output_in_sources(&session.root, &args.out)?;
        Ok(BuildPlan {
            targets: Targets::resolve(session, &args.selection)?,
            out: args.out.clone(),
            emit_typst: None,
            allow_overdue: args.allow_overdue,
            allow_unapproved: args.allow_unapproved,
            allow_outdated_translations: args.allow_outdated_translations,
            previews: true,
            quiet: args.quiet,
            cache: false,
            brands: Vec::new(),
        })
    }
}

impl Watch {
    pub fn new(session: Session, plan: BuildPlan) -> Self {
        let mut folders: Vec<String> = Vec::new();
        for key in &plan.targets.publications {
            if !folders.contains(&key.id) {
                folders.push(key.id.clone());
            }
        }
        let all = session.publication_ids().is_ok_and(|ids| ids == folders);
        Watch {
            session,
            plan,
            all,
            folders,
            kept: BTreeMap::new(),
            errors: BTreeMap::new(),
            notices: BTreeMap::new(),
            screen: Arc::default(),
            marked: BTreeMap::new(),
            marked_kept: BTreeMap::new(),
        }
    }

    /// Picks up publication folders added or removed while watching every publication.
    fn refresh_publications(&mut self) {
        if !self.all {
            return;
        }
        if let Ok(ids) = self.session.publication_ids() {
            let watched = |key: &String| ids.contains(&PublicationKey::parse(key).id);
            self.kept.retain(|key, _| watched(key));
            self.errors.retain(|key, _| watched(key));
            self.notices.retain(|key, _| watched(key));
            self.marked.retain(|key, _| watched(key));
            self.folders = ids;
        }
    }

    /// Builds every publication of the plan.
    pub fn build_all(&mut self) -> Rebuilt {
        let ids = self.folders.clone();
        self.rebuild(&ids)
    }

    /// Rebuilds what the changed paths affect.
    pub fn on_change(&mut self, paths: &[PathBuf]) -> Rebuilt {
        self.on_change_until(paths, &mut || false)
    }

    /// Rebuilds what the changed paths affect, asking `superseded` before each publication
    /// whether a newer save came: then the publications not yet rebuilt are left
    /// ([`Rebuilt::unfinished`]) for the rebuild after that save.
    pub fn on_change_until(
        &mut self,
        paths: &[PathBuf],
        superseded: &mut dyn FnMut() -> bool,
    ) -> Rebuilt {
        let changes: Vec<SavedChange> = paths
            .iter()
            .map(|p| classify(&self.session.root, p))
            .collect();
        if changes.contains(&SavedChange::Project) {
            return self.reload();
        }
        let known = self.folders.clone();
        self.refresh_publications();
        let removed: Vec<String> = known
            .into_iter()
            .filter(|id| !self.folders.contains(id))
            .collect();
        let ids: Vec<String> = if changes.contains(&SavedChange::Layouts) {
            self.folders.clone()
        } else {
            let mut ids: Vec<String> = changes
                .into_iter()
                .filter_map(|c| match c {
                    SavedChange::Publication(id) if self.folders.contains(&id) => Some(id),
                    _ => None,
                })
                .collect();
            ids.dedup();
            ids
        };
        let mut rebuilt = self.rebuild_until(&ids, superseded);
        rebuilt.removed = removed;
        rebuilt
    }

    /// Reloads folio.yaml and the fonts, then rebuilds everything from fresh worlds.
    fn reload(&mut self) -> Rebuilt {
        let started = Instant::now();
        match self.session.reopen() {
            Ok(session) => {
                self.session = session;
                self.kept.clear();
                self.refresh_publications();
                self.build_all()
            }
            Err(problem) => {
                let report = FailureReport::from(problem);
                for errors in self.errors.values_mut() {
                    *errors = vec![report.clone()];
                }
                Rebuilt {
                    errors: vec![report],
                    elapsed: started.elapsed(),
                    ..Rebuilt::default()
                }
            }
        }
    }

    fn rebuild(&mut self, ids: &[String]) -> Rebuilt {
        self.rebuild_until(ids, &mut || false)
    }

    fn rebuild_until(&mut self, ids: &[String], superseded: &mut dyn FnMut() -> bool) -> Rebuilt {
        let started = Instant::now();
        let mut rebuilt = Rebuilt::default();
        // Each publication with its translations.
        let keys: Vec<PublicationKey> =
            ids.iter().flat_map(|id| self.session.sources(id)).collect();
        for (i, key) in keys.iter().enumerate() {
            if i > 0 && superseded() {
                for later in &keys[i..] {
                    if !rebuilt.unfinished.contains(&later.id) {
                        rebuilt.unfinished.push(later.id.clone());
                    }
                }
                break;
            }
            let id = key.to_string();
            let mut outcome = BuildOutcome::default();
            let kept = self.kept.entry(id.clone()).or_default();
            let cache = super::build::cache::Cache::off();
            match build_publication(&self.session, &self.plan, key, &mut outcome, kept, &cache) {
                Ok(()) => {}
                Err(BuildError::Interrupted { .. }) => {
                    // A newer save came: this publication and the rest are made after it.
                    for later in &keys[i..] {
                        if !rebuilt.unfinished.contains(&later.id) {
                            rebuilt.unfinished.push(later.id.clone());
                        }
                    }
                    break;
                }
                Err(e) => outcome.failures.push(e),
            }
            let mut errors: Vec<FailureReport> = outcome
                .findings
                .iter()
                .filter(|f| f.severity == diag::Severity::Error)
                .map(|f| f.to_problem().into())
                .collect();
            errors.extend(outcome.failures.iter().map(|f| f.report()));
            for t in &outcome.timings {
                rebuilt
                    .publications
                    .push((t.publication.clone(), t.pdfs, t.total));
            }
            for (p, e, previews) in outcome.previews {
                rebuilt.rendered.push((p, e, previews.rendered));
            }
            rebuilt.errors.extend(errors.iter().cloned());
            self.errors.insert(id.clone(), errors);
            let notices = Notices {
                findings: outcome
                    .findings
                    .iter()
                    .filter(|f| f.severity != Severity::Error)
                    .cloned()
                    .collect(),
                typst: outcome.warnings.clone(),
            };
            rebuilt.warnings.extend(
                notices
                    .findings
                    .iter()
                    .filter(|f| f.severity == Severity::Warning)
                    .map(Finding::to_problem),
            );
            rebuilt.warnings.extend(notices.typst.iter().cloned());
            rebuilt.notes += notices
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Note)
                .count();
            self.notices.insert(id.clone(), notices);
        }
        // Bound the memory of Typst's caches over a long session (as typst-cli does).
        comemo::evict(10);
        rebuilt.elapsed = started.elapsed();
        rebuilt
    }
}

impl Watch {
    /// The change marks after a rebuild: laid out again for the publications rebuilt while
    /// they are on, for all of them when they were just turned on (`toggled`), or taken
    /// away when they were just turned off.
    fn follow_marks(&mut self, toggled: bool, rebuilt: &mut Rebuilt) {
        if toggled && !self.screen.review() {
            self.unmark();
            rebuilt.unmarked = true;
        }
        if self.screen.review() && (toggled || !rebuilt.publications.is_empty()) {
            let ids: Vec<String> = rebuilt
                .publications
                .iter()
                .map(|(key, _, _)| PublicationKey::parse(key).id)
                .collect();
            let only = (!toggled).then_some(ids.as_slice());
            rebuilt.marked = self.mark_changes(only, &mut rebuilt.errors);
        }
    }
}

/// What wakes the watch loop.
pub enum Wake {
    /// The file system changed.
    Files(notify::Result<notify::Event>),
    /// The preview page turned the change marks on or off.
    Marks,
    /// End the loop (the benchmark's watch ends this way).
    Stop,
}

/// How long to gather the events of one save: editors write, rename and chmod within a few
/// milliseconds, and every millisecond here is one more before the page on screen updates.
const BURST: Duration = Duration::from_millis(6);

/// A channel to wake the loop with: the file watcher's events, and the preview page's.
pub fn channel() -> (Sender<Wake>, Receiver<Wake>) {
    mpsc::channel()
}

/// The event loop: watch the project's folders, batch events, rebuild, report.
/// `on_rebuilt` is told after every rebuild (the preview server refreshes there): first
/// with the on-screen pages alone ([`Rebuilt::first`]), then with the full rebuild. The
/// full rebuild is put off while newer saves keep coming (each gets its on-screen pages
/// first), and a newer save stops it at its next checkpoint (see
/// [`crate::pipeline::Interrupt`]); what it left is rebuilt after.
pub fn run(
    mut watch: Watch,
    (tx, rx): (Sender<Wake>, Receiver<Wake>),
    on_rebuilt: &mut dyn FnMut(&Watch, &Rebuilt),
) -> Result<(), Problem> {
    // Kept until the loop ends: dropping it stops the events.
    let _watcher = files::watch(&watch.session, tx.clone())?;
    let root = watch.session.root.clone();
    let mut first = watch.build_all();
    if watch.screen.review() {
        first.marked = watch.mark_changes(None, &mut first.errors);
    }
    on_rebuilt(&watch, &first);
    // Saves whose full rebuild is still to do, and what came while working.
    let mut owed: Vec<PathBuf> = Vec::new();
    let mut backlog: Vec<Wake> = Vec::new();
    loop {
        let mut woke = std::mem::take(&mut backlog);
        if woke.is_empty() && owed.is_empty() {
            match rx.recv() {
                Ok(wake) => woke.push(wake),
                Err(_) => break,
            }
        }
        while let Ok(wake) = rx.recv_timeout(BURST) {
            woke.push(wake);
        }
        let mut paths = Vec::new();
        let mut marks = false;
        for wake in woke {
            match wake {
                Wake::Files(event) => paths.extend(files::event_paths(event)),
                Wake::Marks => marks = true,
                Wake::Stop => return Ok(()),
            }
        }
        let out_dir = watch
            .plan
            .out
            .canonicalize()
            .unwrap_or_else(|_| watch.plan.out.clone());
        paths.retain(|p| !p.starts_with(&out_dir));
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            if let Some(first) = watch.on_screen_first(&paths) {
                let shown = Rebuilt {
                    elapsed: first.elapsed,
                    first: Some(first),
                    ..Rebuilt::default()
                };
                on_rebuilt(&watch, &shown);
            }
            owed.extend(paths);
            owed.sort();
            owed.dedup();
        }
        // A newer save goes first: its on-screen pages, then the rest of both.
        while let Ok(wake) = rx.try_recv() {
            backlog.push(wake);
        }
        if backlog.iter().any(|w| matches!(w, Wake::Files(_))) {
            continue;
        }
        let mut rebuilt = Rebuilt::default();
        if !owed.is_empty() {
            let paths = std::mem::take(&mut owed);
            let mut superseded = || match rx.try_recv() {
                Ok(wake) => {
                    let newer = matches!(wake, Wake::Files(_));
                    backlog.push(wake);
                    newer
                }
                Err(_) => false,
            };
            watch.session.interrupt.arm();
            rebuilt = watch.on_change_until(&paths, &mut superseded);
            watch.session.interrupt.disarm();
            owed = paths
                .into_iter()
                .filter(|p| {
                    matches!(classify(&root, p), SavedChange::Publication(id) if rebuilt.unfinished.contains(&id))
                })
                .collect();
        }
        watch.follow_marks(marks, &mut rebuilt);
        if !rebuilt.publications.is_empty()
            || !rebuilt.errors.is_empty()
            || !rebuilt.removed.is_empty()
            || marks
        {
            on_rebuilt(&watch, &rebuilt);
        }
    }
    Ok(())
}

/// `folio watch`: opens the preview server if asked, builds, then rebuilds on every save,
/// printing each rebuild's problems and status line to standard error.
pub fn execute(session: Session, args: &WatchArgs, colors: Colors) -> Result<(), Problem> {
    let plan = BuildPlan::for_watch(&session, args)?;
    let server = args
        .serve
        .then(|| serve::PreviewServer::start(args.port))
        .transpose()?;
    if let Some(server) = &server {
        eprintln!("preview page: {}", server.url());
    }
    let quiet = plan.quiet;
    let watch = Watch::new(session, plan);
    let wake = channel();
    if let Some(server) = &server {
        server.listen(watch.screen.clone(), wake.0.clone());
    }
    run(watch, wake, &mut |watch, rebuilt| {
        // The page first: the browser is waiting for it, the terminal is not.
        if let Some(server) = &server {
            server.update(watch, rebuilt);
        }
        eprint!("{}", diag::render::render(&rebuilt.warnings, colors.stderr));
        for error in &rebuilt.errors {
            eprint!("{}", error.render(colors.stderr));
        }
        if !quiet || !rebuilt.errors.is_empty() {
            eprintln!("[watch] {}", rebuilt.status());
        }
    })
}

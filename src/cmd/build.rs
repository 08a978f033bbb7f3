//! `folio build`: every requested edition of every requested publication, as PDFs.
//!
//! A publication is replaced as one unit: its PDFs and job sheet are written only when all
//! its editions succeeded, staged beside their targets and renamed into place together (a
//! failed rename puts back what was replaced); a failed build leaves every earlier good
//! file exactly as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::check;
use crate::cli::BuildArgs;
use crate::cmd::select::Targets;
use crate::compile::BuildError;
use crate::contract::Stamp;
use crate::diag::{display_path, render, Location, Problem, Severity};
use crate::export;
use crate::finding::{blocking, Code, Finding};
use crate::pipeline::{schedule, Made, Session, Worlds};

/// A checked `folio build`.
#[derive(Debug, Clone)]
pub struct BuildPlan {
    pub targets: Targets,
    pub out: PathBuf,
    pub emit_typst: Option<PathBuf>,
    pub allow_overdue: bool,
    /// Also write page previews (PNG) and contact sheets.
    pub previews: bool,
    /// Print nothing but problems.
    pub quiet: bool,
}

impl BuildPlan {
    pub fn new(session: &Session, args: &BuildArgs) -> Result<BuildPlan, Problem> {
        Ok(BuildPlan {
            targets: Targets::resolve(session, &args.selection)?,
            out: args.out.clone(),
            emit_typst: args.emit_typst.clone(),
            allow_overdue: args.allow_overdue,
            previews: args.previews,
            quiet: args.quiet,
        })
    }
}

/// One PDF written.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub publication: String,
    pub edition: String,
    pub pages: usize,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub written: Vec<Written>,
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
    /// The catalogue written (`OUT/index.html` and the rest of the site).
    pub catalogue: Option<crate::site::Written>,
}

/// Time to a publication's PDFs being written, and to its previews too.
#[derive(Debug, Clone)]
pub struct Timing {
    pub publication: String,
    pub pdfs: Duration,
    pub total: Duration,
}

/// Where an edition's page previews go: `OUT/<publication>/preview/<edition>/`.
pub fn preview_dir(out: &Path, publication: &str, edition: &str) -> PathBuf {
    out.join(publication).join("preview").join(edition)
}

/// What is kept of a publication between builds in one process (`folio watch`): its
/// worlds, for incremental compiles, and its preview page hashes, to render only changes.
#[derive(Default)]
pub struct Kept {
    pub worlds: Worlds,
    pub previews: BTreeMap<String, export::preview::Kept>,
}

/// Runs a checked build plan, reporting progress to `progress`.
pub fn run(session: &Session, plan: &BuildPlan, progress: &mut dyn FnMut(&str)) -> Outcome {
    let mut outcome = Outcome::default();
    for id in &plan.targets.publications {
        progress(id);
        let mut kept = Kept::default();
        if let Err(e) = build_publication(session, plan, id, &mut outcome, &mut kept) {
            outcome.failures.push(e);
        }
    }
    // The catalogue is made from every publication's entry, failed ones' last good ones too.
    match crate::site::write_catalogue(&session.root, &session.project, &plan.out, session.today) {
        Ok(written) => outcome.catalogue = Some(written),
        Err(problem) => outcome.failures.push(problem.into()),
    }
    outcome
}

/// Builds one publication: checks, every edition, then (only if all is well) its PDFs and
/// previews. Worlds and preview hashes in `kept` are reused and updated.
pub fn build_publication(
    session: &Session,
    plan: &BuildPlan,
    id: &str,
    outcome: &mut Outcome,
    kept: &mut Kept,
) -> Result<(), BuildError> {
    let started = Instant::now();
    let publication = session.load(id)?;

    // The checks come first: a publication with errors is not typeset at all.
    let mut findings = check::model(&publication, &session.project, session.today);
    let mut stamp = Stamp::default();
    if plan.allow_overdue {
        for f in findings
            .iter_mut()
            .filter(|f| f.code == Code::ReviewOverdue)
        {
            f.severity = Severity::Warning;
            stamp.overdue_since = Some(publication.meta.next_review);
        }
    }
    let refused = blocking(&findings, false);
    outcome.findings.append(&mut findings);
    if refused {
        return Err(
            Problem::error(format!("{id} has check errors; no edition was built"))
                .hint("fix the errors listed above (`folio check` lists them too)")
                .into(),
        );
    }

    let names: Vec<&str> = session
        .editions_for(&publication, &plan.targets.editions)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let mut made: Vec<Made> = Vec::new();
    let mut failed = false;
    for result in schedule::make_all(session, &publication, &names, &stamp, &mut kept.worlds) {
        match result {
            Ok(m) => made.push(m),
            Err(e) => {
                outcome.failures.push(e);
                failed = true;
            }
        }
    }
    for m in made.iter_mut() {
        outcome.warnings.append(&mut m.warnings);
        failed |= blocking(&m.findings, false);
        outcome.findings.append(&mut m.findings);
    }
    if failed {
        keep_worlds(kept, made);
        return Err(Problem::error(format!(
            "{id}: an edition failed; none of its files was replaced"
        ))
        .hint("fix the errors above and build again")
        .into());
    }

    // Every output of the publication, staged, then renamed into place together.
    let dir = plan.out.join(id);
    export::atomic::clean(&dir);
    // The publication's part of the site (web edition, cover, catalogue entry) goes in the
    // same batch, so a failed publication keeps its last good entry too.
    let site_files = {
        let outputs: Vec<crate::site::Output> = made
            .iter()
            .map(|m| crate::site::Output {
                edition: &m.edition,
                doc: &m.doc,
                pdf: &m.pdf,
            })
            .collect();
        crate::site::Site::load(&session.root, &session.project).and_then(|site| {
            site.publication_files(
                &session.project,
                &publication,
                &outputs,
                stamp.overdue_since,
            )
        })
    };
    let site_files = match site_files {
        Ok(files) => files,
        Err(problem) => {
            keep_worlds(kept, made);
            return Err(problem.into());
        }
    };
    let mut batch = export::atomic::Batch::default();
    let mut job_sheets = Vec::new();
    let staged = (|| {
        for m in &made {
            batch.stage(&Session::pdf_path(&plan.out, id, &m.edition), &m.pdf)?;
        }
        let outputs: Vec<crate::print::Output> = made
            .iter()
            .map(|m| crate::print::Output {
                edition: &m.edition,
                doc: &m.doc,
                pdf: &m.pdf,
            })
            .collect();
        if let Some(sheet) =
            crate::print::jobsheet::job_sheet(&session.project, &publication, &outputs)
        {
            for (name, bytes) in sheet.files() {
                batch.stage(&dir.join(&name), &bytes)?;
                job_sheets.push(dir.join(name));
            }
        }
        for (name, bytes) in &site_files {
            batch.stage(&dir.join(name), bytes)?;
        }
        Ok(())
    })();
    if let Err(e) = staged {
        keep_worlds(kept, made);
        return Err(write_failure(id, &dir, e));
    }
    if let Err((path, e)) = batch.commit() {
        keep_worlds(kept, made);
        return Err(write_failure(id, &path, e));
    }
    for m in &made {
        outcome.written.push(Written {
            path: Session::pdf_path(&plan.out, id, &m.edition),
            publication: id.to_string(),
            edition: m.edition.clone(),
            pages: m.doc.pages().len(),
        });
        if let Some(emit) = &plan.emit_typst {
            let to = emit.join(id).join(&m.edition);
            export::emit::write(
                &session.root,
                &m.world,
                session.project.editions[&m.edition].pdf,
                &to,
            )
            .map_err(|e| io_problem(&to, e))?;
        }
    }
    outcome.job_sheets.extend(job_sheets);
    let pdfs_done = started.elapsed();
    if plan.previews {
        write_previews(session, plan, id, &made, kept, outcome)?;
    }
    keep_worlds(kept, made);
    outcome.timings.push(Timing {
        publication: id.to_string(),
        pdfs: pdfs_done,
        total: started.elapsed(),
    });
    Ok(())
}

/// Every edition's changed pages at once: after an edit that is one page per edition.
fn write_previews(
    session: &Session,
    plan: &BuildPlan,
    id: &str,
    made: &[Made],
    kept: &mut Kept,
    outcome: &mut Outcome,
) -> Result<(), BuildError> {
    let mut states: Vec<export::preview::Kept> = made
        .iter()
        .map(|m| kept.previews.remove(&m.edition).unwrap_or_default())
        .collect();
    let results: Vec<std::io::Result<export::preview::Previews>> = std::thread::scope(|scope| {
        let handles: Vec<_> = made
            .iter()
            .zip(states.iter_mut())
            .map(|(m, state)| {
                // An imposed edition's sheets are known by the source pages they show.
                let sources: Vec<u128> = session.project.editions[&m.edition]
                    .impose
                    .as_ref()
                    .and_then(|i| made.iter().find(|s| s.edition == i.from))
                    .map(|s| {
                        s.doc
                            .pages()
                            .iter()
                            .map(|p| export::preview::page_hash(p, &[]))
                            .collect()
                    })
                    .unwrap_or_default();
                let dir = preview_dir(&plan.out, id, &m.edition);
                scope.spawn(move || export::preview::write(&m.doc, &dir, state, &sources))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("a preview thread panicked")))
            })
            .collect()
    });
    for ((m, state), result) in made.iter().zip(states).zip(results) {
        kept.previews.insert(m.edition.clone(), state);
        let dir = preview_dir(&plan.out, id, &m.edition);
        let previews = result.map_err(|e| io_problem(&dir, e))?;
        outcome
            .previews
            .push((id.to_string(), m.edition.clone(), previews));
    }
    Ok(())
}

fn keep_worlds(kept: &mut Kept, made: Vec<Made>) {
    for m in made {
        kept.worlds.insert(m.edition, m.world);
    }
}

fn write_failure(id: &str, path: &Path, e: std::io::Error) -> BuildError {
    Problem::error(format!(
        "{id}: cannot write {}: {e}; none of its files was replaced",
        display_path(path)
    ))
    .at(Location::file(path))
    .hint("check that the output folder is writable, has room, and that nothing is in the way")
    .into()
}

fn io_problem(path: &Path, e: std::io::Error) -> BuildError {
    Problem::error(format!("cannot write: {e}"))
        .at(Location::file(path))
        .hint("check that the output folder is writable and the disk has room")
        .into()
}

impl Outcome {
    /// Prints what the build did to standard error: findings that matter, Typst warnings,
    /// the files written (unless `quiet`), then the failures with a true count.
    pub fn print(&self, color: bool, quiet: bool) {
        let shown: Vec<Problem> = self
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Note)
            .map(Finding::to_problem)
            .collect();
        eprint!("{}", render(&self.warnings, color));
        eprint!("{}", render(&shown, color));
        if !quiet {
            for w in &self.written {
                eprintln!("wrote {} ({} pages)", display_path(&w.path), w.pages);
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
            eprintln!(
                "error: {} problem(s); no file of a failed publication was replaced",
                errors + self.failures.iter().map(BuildError::count).sum::<usize>()
            );
        }
    }
}

/// Build failures as text, in the one diagnostic style.
pub fn render_failures(failures: &[BuildError], color: bool) -> String {
    failures.iter().map(|f| f.report().render(color)).collect()
}

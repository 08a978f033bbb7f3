//! `folio build`: every requested edition of every requested publication, as PDFs.
//!
//! A publication's PDFs are written only when all its editions succeeded, each atomically:
//! a failed build leaves every earlier good PDF exactly as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::check;
use crate::compile::BuildError;
use crate::diag::{Problem, Severity};
use crate::edition::Stamp;
use crate::export;
use crate::pipeline::{Made, Session, Worlds};
use crate::plan::BuildPlan;

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
    /// Typst warnings, rendered.
    pub warnings: Vec<String>,
    /// Check findings (model and layout) of every publication built.
    pub findings: Vec<crate::check::Finding>,
    /// Previews written: (publication, edition, what was rendered).
    pub previews: Vec<(String, String, export::preview::Previews)>,
    /// How long each publication took.
    pub timings: Vec<Timing>,
    /// Print job sheets written (`<publication>-print-spec.json` and `.txt`).
    pub job_sheets: Vec<PathBuf>,
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
        for f in findings.iter_mut().filter(|f| f.code == "review-overdue") {
            f.severity = Severity::Warning;
            stamp.overdue_since = Some(publication.meta.next_review);
        }
    }
    let refused = check::blocking(&findings, false);
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
    for result in session.make_all_reusing(&publication, &names, &stamp, &mut kept.worlds) {
        match result {
            Ok(m) => made.push(m),
            Err(e) => {
                outcome.failures.push(e);
                failed = true;
            }
        }
    }
    for m in made.iter_mut() {
        if !m.warnings.is_empty() {
            outcome.warnings.push(crate::compile::render_diagnostics(
                &m.world,
                &m.warnings,
                session.color,
            ));
        }
        failed |= check::blocking(&m.findings, false);
        outcome.findings.append(&mut m.findings);
    }
    if failed {
        return Err(Problem::error(format!(
            "{id}: an edition failed; none of its PDFs was replaced"
        ))
        .hint("fix the errors above and build again")
        .into());
    }
    // Each write waits for its data to reach the disk: do them side by side.
    let writes: Vec<std::io::Result<()>> = std::thread::scope(|scope| {
        let handles: Vec<_> = made
            .iter()
            .map(|m| {
                scope.spawn(|| {
                    export::atomic::write(&Session::pdf_path(&plan.out, id, &m.edition), &m.pdf)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a write panicked"))
            .collect()
    });
    for (m, written) in made.iter().zip(writes) {
        let path = Session::pdf_path(&plan.out, id, &m.edition);
        written.map_err(|e| io_problem(&path, e))?;
        outcome.written.push(Written {
            path,
            publication: id.to_string(),
            edition: m.edition.clone(),
            pages: m.doc.pages().len(),
        });
        if let Some(dir) = &plan.emit_typst {
            export::emit::write(
                session,
                &m.world,
                session.project.editions[&m.edition].pdf,
                &dir.join(id).join(&m.edition),
            )
            .map_err(|e| io_problem(dir, e))?;
        }
    }
    // The print team's job sheet, when the publication has press editions.
    if let Some(sheet) = crate::print::jobsheet::job_sheet(session, &publication, &made) {
        let dir = plan.out.join(id);
        outcome
            .job_sheets
            .extend(sheet.write(&dir).map_err(|e| io_problem(&dir, e))?);
    }
    let pdfs_done = started.elapsed();
    if plan.previews {
        // Every edition's changed pages at once: after an edit that is one page per edition.
        let mut states: Vec<export::preview::Kept> = made
            .iter()
            .map(|m| kept.previews.remove(&m.edition).unwrap_or_default())
            .collect();
        let results: Vec<std::io::Result<export::preview::Previews>> =
            std::thread::scope(|scope| {
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
                    .map(|h| h.join().expect("a preview thread panicked"))
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
    }
    for m in made {
        kept.worlds.insert(m.edition, m.world);
    }
    outcome.timings.push(Timing {
        publication: id.to_string(),
        pdfs: pdfs_done,
        total: started.elapsed(),
    });
    Ok(())
}

fn io_problem(path: &Path, e: std::io::Error) -> BuildError {
    crate::diag::Problem::error(format!("cannot write: {e}"))
        .at(crate::diag::Location::file(path))
        .hint("check that the output folder is writable and the disk has room")
        .into()
}

//! `folio build`: every requested edition of every requested publication, as PDFs.
//!
//! A publication's PDFs are written only when all its editions succeeded, each atomically:
//! a failed build leaves every earlier good PDF exactly as it was.

use std::path::{Path, PathBuf};

use crate::check;
use crate::compile::BuildError;
use crate::diag::{Problem, Severity};
use crate::edition::Stamp;
use crate::export;
use crate::pipeline::{Made, Session};
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
}

/// Runs a checked build plan.
pub fn run(session: &Session, plan: &BuildPlan) -> Outcome {
    let mut outcome = Outcome::default();
    for id in &plan.targets.publications {
        if let Err(e) = build_publication(session, plan, id, &mut outcome) {
            outcome.failures.push(e);
        }
    }
    outcome
}

fn build_publication(
    session: &Session,
    plan: &BuildPlan,
    id: &str,
    outcome: &mut Outcome,
) -> Result<(), BuildError> {
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
    for result in session.make_all(&publication, &names, &stamp) {
        match result {
            Ok(m) => made.push(m),
            Err(e) => {
                outcome.failures.push(e);
                failed = true;
            }
        }
    }
    for m in &mut made {
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
    for m in &made {
        let path = Session::pdf_path(&plan.out, id, &m.edition);
        export::atomic::write(&path, &m.pdf).map_err(|e| io_problem(&path, e))?;
        outcome.written.push(Written {
            path,
            publication: id.to_string(),
            edition: m.edition.clone(),
            pages: m.doc.pages().len(),
        });
        if let Some(dir) = &plan.emit_typst {
            export::emit::write(session, &m.world, &dir.join(id).join(&m.edition))
                .map_err(|e| io_problem(dir, e))?;
        }
    }
    Ok(())
}

fn io_problem(path: &Path, e: std::io::Error) -> BuildError {
    crate::diag::Problem::error(format!("cannot write: {e}"))
        .at(crate::diag::Location::file(path))
        .hint("check that the output folder is writable and the disk has room")
        .into()
}

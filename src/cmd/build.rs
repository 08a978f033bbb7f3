//! `folio build`: every requested edition of every requested publication, as PDFs.
//!
//! A publication's PDFs are written only when all its editions succeeded, each atomically:
//! a failed build leaves every earlier good PDF exactly as it was.

use std::path::{Path, PathBuf};

use crate::compile::BuildError;
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
    let stamp = Stamp::default();
    let _ = plan.allow_overdue;
    let names: Vec<&str> = session
        .editions_for(&publication, &plan.targets.editions)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let results = session.make_all(&publication, &names, &stamp);
    let mut made: Vec<Made> = Vec::new();
    let mut failed = false;
    for result in results {
        match result {
            Ok(m) => made.push(m),
            Err(e) => {
                outcome.failures.push(e);
                failed = true;
            }
        }
    }
    for m in &made {
        if !m.warnings.is_empty() {
            outcome.warnings.push(crate::compile::render_diagnostics(
                &m.world,
                &m.warnings,
                session.color,
            ));
        }
    }
    if failed {
        return Ok(());
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

//! Cold builds of one publication: a new `folio build` process each run, beside the typst
//! CLI compiling the same editions' emitted projects, as many at a time as folio has
//! workers. The two take turns, so a slow spell of the machine falls on both.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use super::{catalogue, io, median, ms, BenchPlan};
use crate::diag::Problem;
use crate::pipeline::Session;

/// The report's lines: folio's median, and the CLI's beside it when `plan.typst` is given.
pub fn run(session: &Session, root: &Path, plan: &BenchPlan) -> Result<Vec<String>, Problem> {
    let exe = std::env::current_exe().map_err(io)?;
    let scripts = match &plan.typst {
        Some(_) => {
            let emitted = root.join("emitted");
            Command::new(&exe)
                .args(["build", "--quiet", "--out"])
                .arg(root.join("emit-out"))
                .arg("--emit-typst")
                .arg(&emitted)
                .arg(&plan.publication)
                .current_dir(root)
                .status()
                .map_err(io)?;
            catalogue::compile_scripts(&emitted).map_err(io)?
        }
        None => Vec::new(),
    };
    let jobs = session.jobs().max(1);
    let (mut cold, mut theirs) = (Vec::new(), Vec::new());
    for i in 0..plan.runs {
        let started = Instant::now();
        let status = Command::new(&exe)
            .args(["build", "--quiet", "--out"])
            .arg(root.join(format!("cold-{i}")))
            .arg(&plan.publication)
            .current_dir(root)
            .status()
            .map_err(io)?;
        cold.push(started.elapsed());
        if !status.success() {
            return Err(Problem::error("benchmark: the cold build failed")
                .hint("run `folio build` to see why"));
        }
        if let Some(typst) = &plan.typst {
            let (took, failed) = catalogue::typst_runs(typst, &scripts, jobs).map_err(io)?;
            if failed > 0 {
                return Err(Problem::error(format!(
                    "benchmark: typst failed on {failed} of the emitted projects"
                )));
            }
            theirs.push(took);
        }
    }
    let editions = session.project.editions.len();
    let mut lines = vec![format!(
        "cold `folio build {}` ({editions} editions, new process): median {} of {} runs",
        plan.publication,
        ms(median(cold.clone())),
        plan.runs
    )];
    if !theirs.is_empty() {
        let (ours, typst) = (median(cold), median(theirs));
        lines.push(format!(
            "typst CLI, the same publication's {} emitted projects, {jobs} processes at a time, \
             runs taken in turn with folio's: median {} (folio takes {:.2}× the CLI's time)",
            scripts.len(),
            ms(typst),
            ours.as_secs_f64() / typst.as_secs_f64().max(1e-9)
        ));
    }
    Ok(lines)
}

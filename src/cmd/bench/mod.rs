//! `folio bench`: the speed and memory figures the README reports, measured on this machine.
//!
//! Works on a temporary copy of the project, so the user's files are never touched. Build
//! folio with `--release` before trusting the figures. `--corpus N` measures a whole
//! synthetic catalogue instead ([`catalogue`], [`corpus`]).

pub mod catalogue;
mod cold;
pub mod corpus;
mod edits;
pub mod on_screen;
pub mod review;
mod warm;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cli::BenchArgs;
use crate::diag::Problem;
use crate::pipeline::Session;

/// A checked `folio bench`.
#[derive(Debug, Clone)]
pub struct BenchPlan {
    pub publication: String,
    /// Runs of each cold measurement (the median is reported).
    pub runs: usize,
    /// Edits in the warm-rebuild and memory measurement.
    pub edits: usize,
    /// A `typst` CLI to compare with, if any.
    pub typst: Option<PathBuf>,
    /// Measure a synthetic catalogue of this many publications instead.
    pub corpus: Option<usize>,
    /// Where to keep the generated corpus, if it is kept.
    pub keep: Option<PathBuf>,
}

impl BenchPlan {
    pub fn new(args: &BenchArgs) -> BenchPlan {
        BenchPlan {
            publication: args.publication.clone(),
            runs: args.runs.max(1),
            edits: args.edits.max(1),
            typst: args.typst.clone(),
            corpus: args.corpus,
            keep: args.keep.clone(),
        }
    }
}

/// The median of some durations.
fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Resident memory of this process, in MiB (Linux).
fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Runs every measurement and returns the report as text (also printed as it goes).
pub fn run(session: &Session, plan: &BenchPlan) -> Result<String, Problem> {
    let copy = tempfile::tempdir().map_err(io)?;
    copy_project(&session.root, copy.path())?;
    let root = copy.path();
    let mut report = String::new();
    let mut say = |line: String| {
        eprintln!("{line}");
        report.push_str(&line);
        report.push('\n');
    };
    say(format!(
        "machine: {} cores; folio {} ({} build)",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        env!("CARGO_PKG_VERSION"),
        if cfg!(debug_assertions) {
            "DEBUG - use --release"
        } else {
            "release"
        }
    ));

    if let Some(n) = plan.corpus {
        catalogue::run(session, n.max(1), plan, &mut say)?;
        return Ok(report);
    }
    // 1. Cold builds, beside the typst CLI when given.
    for line in cold::run(session, root, plan)? {
        say(line);
    }
    // 2. The reviewer's PDF after a one-word edit, against the edition it is laid out in
    //    (in a copy of its own: the warm rebuilds below edit the text too).
    let review_copy = tempfile::tempdir().map_err(io)?;
    copy_project(root, review_copy.path())?;
    say(review::run(
        session,
        review_copy.path(),
        &plan.publication,
        plan.runs,
    )?);
    // 3. Warm rebuilds in one process, as `folio watch` does, and the memory they keep.
    for line in warm::run(session, root, plan)? {
        say(line);
    }
    // 4. Save → on-screen page updated, through `folio watch --serve`'s own loop (in a copy
    //    of its own, since it watches the files it edits).
    let screen_copy = tempfile::tempdir().map_err(io)?;
    copy_project(&session.root, screen_copy.path())?;
    for line in on_screen::run(session, screen_copy.path(), &plan.publication)? {
        say(line);
    }
    Ok(report)
}

/// A benchmark's I/O failure as a problem.
fn io(e: std::io::Error) -> Problem {
    Problem::error(format!("benchmark: {e}"))
}

/// Copies what a build reads of the project at `from` (project file, layouts, fonts,
/// content) to `to`, where the benchmark may change it.
fn copy_project(from: &Path, to: &Path) -> Result<(), Problem> {
    for item in ["folio.yaml", "layouts", "fonts", "content"] {
        crate::export::copy_tree(&from.join(item), &to.join(item), &|_| true).map_err(io)?;
    }
    Ok(())
}

//! `folio bench`: the speed and memory figures the README reports, measured on this machine.
//!
//! Works on a temporary copy of the project, so the user's files are never touched. Build
//! folio with `--release` before trusting the figures. `--corpus N` measures a whole
//! synthetic catalogue instead ([`catalogue`], [`corpus`]).

pub mod catalogue;
pub mod corpus;
pub mod on_screen;
pub mod review;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::cli::BenchArgs;
use crate::cmd::build::BuildPlan;
use crate::cmd::select::Targets;
use crate::cmd::watch::Watch;
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
    let io = |e: std::io::Error| Problem::error(format!("benchmark: {e}"));
    let copy = tempfile::tempdir().map_err(io)?;
    for item in ["folio.yaml", "layouts", "fonts", "content"] {
        crate::export::copy_tree(&session.root.join(item), &copy.path().join(item), &|_| true)
            .map_err(io)?;
    }
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

    // 1. Cold builds: a fresh process each time, all editions of one publication; and the
    //    same editions' emitted projects compiled by the typst CLI, as many at a time as
    //    folio has workers. The two take turns, so a slow spell of the machine falls on both.
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
    say(format!(
        "cold `folio build {}` ({editions} editions, new process): median {} of {} runs",
        plan.publication,
        ms(median(cold.clone())),
        plan.runs
    ));
    if !theirs.is_empty() {
        let (ours, typst) = (median(cold), median(theirs));
        say(format!(
            "typst CLI, the same publication's {} emitted projects, {jobs} processes at a time, \
             runs taken in turn with folio's: median {} (folio takes {:.2}× the CLI's time)",
            scripts.len(),
            ms(typst),
            ours.as_secs_f64() / typst.as_secs_f64().max(1e-9)
        ));
    }

    // 3. The reviewer's PDF after a one-word edit, against the edition it is laid out in
    //    (in a copy of its own: the warm rebuilds below edit the text too).
    let review_copy = tempfile::tempdir().map_err(io)?;
    for item in ["folio.yaml", "layouts", "fonts", "content"] {
        crate::export::copy_tree(&root.join(item), &review_copy.path().join(item), &|_| true)
            .map_err(io)?;
    }
    say(review::run(
        session,
        review_copy.path(),
        &plan.publication,
        plan.runs,
    )?);

    // 4. Warm rebuilds in one process, as `folio watch` does: a one-word edit mid-document.
    let mut fresh = Session::open(root, session.source_date_epoch)?;
    fresh.today = session.today;
    let watch_plan = BuildPlan {
        targets: Targets {
            publications: vec![crate::project::PublicationKey::source(&plan.publication)],
            editions: Vec::new(),
        },
        out: root.join("watch"),
        emit_typst: None,
        allow_overdue: true,
        allow_unapproved: true,
        allow_outdated_translations: false,
        previews: true,
        quiet: true,
        cache: false,
        brands: Vec::new(),
    };
    let file = crate::content::markdown_file(&root.join("content").join(&plan.publication))?;
    let original = std::fs::read_to_string(&file).map_err(io)?;
    let (before, after) = original.split_at(original.len() / 2);
    let space = after.find(' ').unwrap_or(0);
    let mut watch = Watch::new(fresh, watch_plan);
    let first = watch.build_all();
    if !first.errors.is_empty() {
        return Err(Problem::error(format!(
            "benchmark: the first build failed:\n{}",
            first
                .errors
                .iter()
                .map(|r| r.render(false))
                .collect::<String>()
        )));
    }
    // Two kinds of one-word edit, half the runs each: a word changed in place (its case
    // toggled: the text does not move) and a word inserted (the rest of the section reflows).
    let word_start = space + 1;
    let toggled: String = {
        let rest = &after[word_start..];
        let mut chars = rest.chars();
        let first = chars.next().unwrap_or(' ');
        let flipped = if first.is_uppercase() {
            first.to_lowercase().collect::<String>()
        } else {
            first.to_uppercase().collect()
        };
        format!("{flipped}{}", chars.as_str())
    };
    let mut runs: [(Vec<Duration>, Vec<Duration>, Vec<usize>); 2] = Default::default();
    let mut rss = Vec::new();
    for i in 0..plan.edits {
        let kind = usize::from(i >= plan.edits / 2);
        let edited = match (kind, i % 2) {
            (0, 0) => format!("{before}{}{toggled}", &after[..word_start]),
            (1, 0) => format!(
                "{before}{}really {}",
                &after[..word_start],
                &after[word_start..]
            ),
            _ => original.clone(),
        };
        std::fs::write(&file, edited).map_err(io)?;
        let rebuilt = watch.on_change(std::slice::from_ref(&file));
        if let Some((_, p, total)) = rebuilt.publications.first() {
            let (pdfs, previews, pages) = &mut runs[kind];
            pdfs.push(*p);
            previews.push(total.saturating_sub(*p));
            pages.push(
                rebuilt
                    .rendered
                    .iter()
                    .map(|(_, _, r)| r.len())
                    .sum::<usize>(),
            );
        }
        let edit = i + 1;
        if edit == 1 || edit == plan.edits || edit % 50 == 0 {
            rss.push((edit, rss_mib()));
        }
    }
    for (kind, (pdfs, previews, mut pages)) in ["changed in place", "inserted (text reflows)"]
        .into_iter()
        .zip(runs)
    {
        pages.sort_unstable();
        let median_pages = pages.get(pages.len() / 2).copied().unwrap_or(0);
        let per_page = median(previews.clone()).as_secs_f64() * 1000.0 / median_pages.max(1) as f64;
        say(format!(
            "warm rebuild, a word {kind}: all {editions} editions' PDFs written in {} (median of {} edits); \
             previews {} more ({median_pages} pages re-rendered across the editions, {per_page:.1} ms a page)",
            ms(median(pdfs.clone())),
            pdfs.len(),
            ms(median(previews)),
        ));
    }
    let samples: Vec<String> = rss
        .iter()
        .map(|(edit, mib)| format!("{mib:.0} MiB after edit {edit}"))
        .collect();
    say(format!("memory (RSS): {}", samples.join(", ")));

    // 5. Save → on-screen page updated, through `folio watch --serve`'s own loop (in a copy
    //    of its own, since it watches the files it edits).
    let screen_copy = tempfile::tempdir().map_err(io)?;
    for item in ["folio.yaml", "layouts", "fonts", "content"] {
        crate::export::copy_tree(
            &session.root.join(item),
            &screen_copy.path().join(item),
            &|_| true,
        )
        .map_err(io)?;
    }
    for line in on_screen::run(session, screen_copy.path(), &plan.publication)? {
        say(line);
    }
    Ok(report)
}

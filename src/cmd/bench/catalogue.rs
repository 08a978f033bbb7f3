//! `folio bench --corpus N`: a whole catalogue built in new processes, as a publisher
//! would: cold, again with nothing changed, and again with one publication changed, with
//! time, throughput and the peak memory of each run (the kernel's count for the child,
//! `wait4`), and the `typst` CLI on the same emitted projects when `--typst` is given.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::corpus;
use crate::diag::Problem;
use crate::pipeline::Session;

/// One measured run of a command.
struct Run {
    elapsed: Duration,
    peak_rss_mib: f64,
    stderr: String,
}

/// Runs `cmd` to its end, measuring its wall time and peak resident memory.
fn measure(cmd: &mut Command) -> Result<Run, Problem> {
    let started = Instant::now();
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(io)?;
    let mut pipe = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    });
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is valid; `wait4` fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for the child we spawned; the Child handle is not waited on again.
    let waited = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let elapsed = started.elapsed();
    let stderr = reader.join().unwrap_or_default();
    if waited < 0 || !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(Problem::error(format!(
            "benchmark: a run failed:\n{stderr}"
        )));
    }
    Ok(Run {
        elapsed,
        // Linux reports ru_maxrss in KiB.
        peak_rss_mib: usage.ru_maxrss as f64 / 1024.0,
        stderr,
    })
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// Generates a corpus of `n` publications next to a copy of the project and measures it.
pub fn run(
    session: &Session,
    n: usize,
    plan: &super::BenchPlan,
    say: &mut dyn FnMut(String),
) -> Result<(), Problem> {
    let temporary;
    let root = match &plan.keep {
        Some(dir) => kept_folder(dir)?,
        None => {
            temporary = tempfile::tempdir().map_err(io)?;
            temporary.path().to_path_buf()
        }
    };
    let root = root.as_path();
    for item in ["folio.yaml", "layouts", "fonts"] {
        crate::export::copy_tree(&session.root.join(item), &root.join(item), &|_| true)
            .map_err(io)?;
    }
    corpus::generate(root, n).map_err(io)?;
    let exe = std::env::current_exe().map_err(io)?;
    let build = |extra: &[&str]| {
        let mut cmd = Command::new(&exe);
        cmd.arg("build").args(extra).current_dir(root);
        cmd.env_remove("FOLIO_ROOT");
        cmd
    };
    say(format!("corpus: {n} publications in {}", root.display()));
    for line in builds(root, n, &build)? {
        say(line);
    }
    if let Some(typst) = &plan.typst {
        for line in beside_typst(session, root, plan, typst, &build)? {
            say(line);
        }
    }
    if plan.keep.is_some() {
        say(format!("the corpus is kept in {}", root.display()));
    }
    Ok(())
}

/// A benchmark's I/O failure as a problem.
fn io(e: std::io::Error) -> Problem {
    Problem::error(format!("benchmark: {e}"))
}

/// The folder given to `--keep`, made if missing; it must be empty.
fn kept_folder(dir: &Path) -> Result<PathBuf, Problem> {
    std::fs::create_dir_all(dir).map_err(io)?;
    if std::fs::read_dir(dir).map_err(io)?.next().is_some() {
        return Err(
            Problem::error(format!("benchmark: {} is not empty", dir.display()))
                .hint("--keep needs a new or empty folder: the corpus is generated there"),
        );
    }
    Ok(dir.to_path_buf())
}

/// The edition files a build's report says it wrote (not job sheets, not the catalogue).
fn files_written(report: &str) -> usize {
    report
        .lines()
        .filter(|l| {
            l.starts_with("wrote ") && !l.contains("(print job sheet)") && !l.contains("(catalogue")
        })
        .count()
}

/// The pages of the files a build's report lists (`… (N pages)`).
fn pages_written(report: &str) -> usize {
    report
        .lines()
        .filter_map(|l| {
            l.rsplit_once(" (")?
                .1
                .strip_suffix(" pages)")?
                .parse::<usize>()
                .ok()
        })
        .sum()
}

/// The cold build, a no-op rebuild, and a rebuild after one publication changed.
fn builds(
    root: &Path,
    n: usize,
    build: &dyn Fn(&[&str]) -> Command,
) -> Result<Vec<String>, Problem> {
    let mut lines = Vec::new();
    let cold = measure(&mut build(&[]))?;
    let pages = pages_written(&cold.stderr);
    let files = files_written(&cold.stderr);
    let rate = |count: usize, d: Duration| count as f64 / d.as_secs_f64().max(1e-9);
    lines.push(format!(
        "cold build: {} for {n} publications, {files} edition files, {pages} pages: {:.1} \
         publications/s, {:.0} pages/s; peak RSS {:.0} MiB ({:.0} MiB per 100 publications if \
         it grew linearly)",
        secs(cold.elapsed),
        rate(n, cold.elapsed),
        rate(pages, cold.elapsed),
        cold.peak_rss_mib,
        cold.peak_rss_mib * 100.0 / n.max(1) as f64
    ));
    let noop = measure(&mut build(&["--quiet"]))?;
    lines.push(format!(
        "no-op rebuild (nothing changed): {}; peak RSS {:.0} MiB",
        secs(noop.elapsed),
        noop.peak_rss_mib
    ));
    let changed = root.join("content/corpus-0000/corpus-0000.md");
    let text = std::fs::read_to_string(&changed).map_err(io)?;
    std::fs::write(&changed, text.replacen("Your ", "Our ", 1)).map_err(io)?;
    let one = measure(&mut build(&[]))?;
    lines.push(format!(
        "one publication changed: {} ({} edition files rewritten); peak RSS {:.0} MiB",
        secs(one.elapsed),
        files_written(&one.stderr),
        one.peak_rss_mib
    ));
    Ok(lines)
}

/// The typst CLI on the emitted projects, `jobs` at a time, taking turns with folio's whole
/// build and with folio making only the CLI's editions; every run listed.
fn beside_typst(
    session: &Session,
    root: &Path,
    plan: &super::BenchPlan,
    typst: &Path,
    build: &dyn Fn(&[&str]) -> Command,
) -> Result<Vec<String>, Problem> {
    let mut lines = Vec::new();
    let emitted = root.join("emitted");
    measure(&mut build(&[
        "--quiet",
        "--out",
        "emit-out",
        "--emit-typst",
        &emitted.to_string_lossy(),
    ]))?;
    let scripts = compile_scripts(&emitted).map_err(io)?;
    let jobs = session.jobs().max(1);
    // folio and typst take turns, so a slow spell of the machine falls on both alike;
    // the medians are compared.
    let (mut ours, mut theirs, mut alike) = (Vec::new(), Vec::new(), Vec::new());
    // folio again, making only the editions the CLI makes (no braille, e-book, or
    // bilingual editions; the checks, web edition and catalogue still run): the same work.
    let mut same = vec!["--quiet", "--force", "--out", "alike"];
    let editions = emitted_editions(&scripts);
    for edition in &editions {
        same.extend(["--edition", edition.as_str()]);
    }
    for _ in 0..plan.runs {
        ours.push(measure(&mut build(&["--quiet", "--force", "--out", "again"]))?.elapsed);
        alike.push(measure(&mut build(&same))?.elapsed);
        let (took, failed) = typst_runs(typst, &scripts, jobs).map_err(io)?;
        if failed > 0 {
            lines.push(format!(
                "warning: {failed} of {} typst runs failed (so the comparison flatters typst)",
                scripts.len()
            ));
        }
        theirs.push(took);
    }
    let list = |times: &[Duration]| {
        times
            .iter()
            .map(|t| secs(*t))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (folio, typst) = (super::median(ours.clone()), super::median(theirs.clone()));
    lines.push(format!(
        "typst CLI, {} emitted projects, {jobs} processes at a time, median of {} runs \
         taken in turn with folio --force: typst {} ({}) vs folio {} ({}): folio {:.2}× \
         the throughput",
        scripts.len(),
        plan.runs,
        secs(typst),
        list(&theirs),
        secs(folio),
        list(&ours),
        typst.as_secs_f64() / folio.as_secs_f64().max(1e-9)
    ));
    let only = super::median(alike.clone());
    lines.push(format!(
        "folio making only the CLI's editions ({}), in the same turns: {} ({}): folio \
         {:.2}× the CLI's throughput on the same work",
        editions.join(", "),
        secs(only),
        list(&alike),
        typst.as_secs_f64() / only.as_secs_f64().max(1e-9)
    ));
    Ok(lines)
}

pub(super) fn compile_scripts(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for publication in std::fs::read_dir(dir)? {
        for edition in std::fs::read_dir(publication?.path())? {
            let script = edition?.path().join("compile.sh");
            if script.is_file() {
                out.push(script);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The editions of the emitted projects (`<dir>/<publication>/<edition>/compile.sh`), each
/// once, in order.
fn emitted_editions(scripts: &[PathBuf]) -> Vec<String> {
    let mut editions: Vec<String> = scripts
        .iter()
        .filter_map(|s| s.parent()?.file_name()?.to_str().map(str::to_string))
        .collect();
    editions.sort();
    editions.dedup();
    editions
}

/// Runs every `compile.sh` with `typst` first on PATH, `jobs` at a time (like `make -j`):
/// the time of all, and how many failed.
pub(super) fn typst_runs(
    typst: &Path,
    scripts: &[PathBuf],
    jobs: usize,
) -> std::io::Result<(Duration, usize)> {
    let bin = typst.parent().map(Path::to_path_buf).unwrap_or_default();
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .map_err(std::io::Error::other)?;
    let started = Instant::now();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failed = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(script) = scripts.get(i) else { break };
                let ok = Command::new("sh")
                    .arg(script)
                    .arg("out.pdf")
                    .env("PATH", &path)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success());
                if !ok {
                    failed.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            });
        }
    });
    Ok((started.elapsed(), failed.into_inner()))
}

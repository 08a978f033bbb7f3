//! Warm rebuilds in one process, as `folio watch` makes them: one-word edits mid-document,
//! half changing a word in place, half inserting one (the text reflows), with the time to
//! every edition's PDF, the previews after, and the memory the process keeps.

use std::path::Path;
use std::time::Duration;

use super::edits::{watch_plan, Edits};
use super::{io, median, ms, rss_mib, BenchPlan};
use crate::cmd::watch::Watch;
use crate::diag::Problem;
use crate::pipeline::Session;

/// The report's lines: one per kind of edit, and the memory.
pub fn run(session: &Session, root: &Path, plan: &BenchPlan) -> Result<Vec<String>, Problem> {
    let mut fresh = Session::open(root, session.source_date_epoch)?;
    fresh.today = session.today;
    let file = crate::content::markdown_file(&root.join("content").join(&plan.publication))?;
    let original = std::fs::read_to_string(&file).map_err(io)?;
    let edits = Edits::of(&original);
    let mut watch = Watch::new(fresh, watch_plan(&plan.publication, &root.join("watch")));
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
    let mut runs: [(Vec<Duration>, Vec<Duration>, Vec<usize>); 2] = Default::default();
    let mut rss = Vec::new();
    for i in 0..plan.edits {
        let kind = usize::from(i >= plan.edits / 2);
        std::fs::write(&file, edits.text(i, plan.edits)).map_err(io)?;
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
    let editions = session.project.editions.len();
    let mut lines = Vec::new();
    for (kind, (pdfs, previews, mut pages)) in ["changed in place", "inserted (text reflows)"]
        .into_iter()
        .zip(runs)
    {
        pages.sort_unstable();
        let median_pages = pages.get(pages.len() / 2).copied().unwrap_or(0);
        let per_page = median(previews.clone()).as_secs_f64() * 1000.0 / median_pages.max(1) as f64;
        lines.push(format!(
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
    lines.push(format!("memory (RSS): {}", samples.join(", ")));
    Ok(lines)
}

//! `folio bench`: the reviewer's PDF (`folio review`) of a publication after a one-word edit,
//! against the edition it is laid out in (the booklet), in one process, each from cold
//! memoisation (Typst's memo is emptied before every run), taken in turn.

use std::path::Path;
use std::time::{Duration, Instant};

use super::{median, ms};
use crate::cli::ApproveArgs;
use crate::cmd::review::{self, ReviewPlan};
use crate::contract::Stamp;
use crate::diag::Problem;
use crate::pipeline::Session;

/// Approves the publication in the copy at `root`, edits one word, then measures `runs`
/// reviews and as many makes of the edition the review uses. Returns the report line.
pub fn run(
    session: &Session,
    root: &Path,
    publication: &str,
    runs: usize,
) -> Result<String, Problem> {
    let io = |e: std::io::Error| Problem::error(format!("benchmark: {e}"));
    let mut fresh = Session::open(root, session.source_date_epoch)?;
    fresh.today = session.today;
    let approve = ApproveArgs {
        publication: publication.to_string(),
        language: None,
        by: vec!["Benchmark, editor".to_string()],
    };
    crate::cmd::approve::approve(&fresh, &approve)?;
    // One word changed in the middle of the text.
    let file = crate::content::markdown_file(&root.join("content").join(publication))?;
    let text = std::fs::read_to_string(&file).map_err(io)?;
    let middle = text.len() / 2;
    let at = middle + text[middle..].find(" the ").unwrap_or(0);
    let edited = format!("{} a {}", &text[..at], &text[at + " the ".len()..]);
    std::fs::write(&file, edited).map_err(io)?;

    let plan = ReviewPlan {
        key: publication.to_string(),
        since: None,
        edition: None,
        out: root.join("review-out"),
    };
    let (mut reviews, mut editions) = (Vec::new(), Vec::new());
    let mut edition = String::new();
    for _ in 0..runs {
        comemo::evict(0);
        let started = Instant::now();
        let made = review::make(&fresh, &plan)?;
        reviews.push(started.elapsed());
        edition = made.edition;

        comemo::evict(0);
        let started = Instant::now();
        let loaded = fresh.load(&crate::project::PublicationKey::parse(publication))?;
        let job = crate::pipeline::kinds::Job {
            session: &fresh,
            publication: &loaded,
            name: &edition,
            edition: &fresh.project.editions[&edition],
            stamp: &Stamp::default(),
        };
        crate::pipeline::kinds::of(job.edition)
            .make(&job, None, None)
            .map_err(|(e, _)| Problem::error(format!("benchmark: {e}")))?;
        editions.push(started.elapsed());
    }
    let (r, e): (Duration, Duration) = (median(reviews), median(editions));
    Ok(format!(
        "review after a one-word edit (`folio review {publication}`): median {} against {} for the {edition} itself \
         ({:.2}×; target under 3×), {runs} runs of each in turn, Typst's memo emptied before each",
        ms(r),
        ms(e),
        r.as_secs_f64() / e.as_secs_f64().max(1e-9)
    ))
}

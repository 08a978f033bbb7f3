//! The preview page's review toggle: while it is on, each watched publication is also laid
//! out as `folio review` lays it out (the booklet with change bars and marks since the last
//! approved version), after every rebuild; the page shows those pages in place of the plain
//! edition's. The reviewer's PDF is written too, where `folio review` writes it.

use std::path::PathBuf;

use super::Watch;
use crate::cmd::review::{self, ReviewPlan, REVIEW_DIR};
use crate::diag::{FailureReport, Location, Problem};
use crate::export;
use crate::project::{dist, PublicationKey};

/// The previews of a publication's review, for the preview page.
#[derive(Debug, Clone)]
pub struct Marked {
    /// The edition the review is laid out in (its pages are shown in place of this one's).
    pub edition: String,
    /// The approved version compared with; `None` when nothing was approved.
    pub since: Option<String>,
    /// The PNG of each page, in order.
    pub pages: Vec<PathBuf>,
}

/// Where a publication's review previews go: `<out>/<id>/review/preview/`.
pub fn preview_dir(out: &std::path::Path, key: &PublicationKey) -> PathBuf {
    dist::publication_dir(out, key)
        .join(REVIEW_DIR)
        .join(dist::PREVIEW_DIR)
}

impl Watch {
    /// Lays out the review of every watched publication whose review is missing or whose
    /// folder is in `ids` (all of them when `ids` is `None`), and writes its changed pages.
    /// Returns the pages rendered per publication; problems go to `errors`.
    pub fn mark_changes(
        &mut self,
        ids: Option<&[String]>,
        errors: &mut Vec<FailureReport>,
    ) -> Vec<(String, Vec<usize>)> {
        let mut rendered = Vec::new();
        let keys: Vec<PublicationKey> = self
            .folders
            .iter()
            .filter(|id| ids.is_none_or(|ids| ids.contains(id)))
            .flat_map(|id| self.session.sources(id))
            .collect();
        for key in keys {
            match self.mark_one(&key) {
                Ok(pages) => rendered.push((key.to_string(), pages)),
                Err(problem) => {
                    // Shown on the page with the publication's other problems until its next
                    // rebuild; the plain pages stay.
                    self.marked.remove(&key.to_string());
                    let report: FailureReport = problem.into();
                    self.errors
                        .entry(key.to_string())
                        .or_default()
                        .push(report.clone());
                    errors.push(report);
                }
            }
        }
        rendered
    }

    fn mark_one(&mut self, key: &PublicationKey) -> Result<Vec<usize>, Problem> {
        let plan = ReviewPlan {
            key: key.to_string(),
            since: None,
            edition: None,
            out: self.plan.out.clone(),
        };
        let made = review::make(&self.session, &plan)?;
        let written = |path: &std::path::Path, e: std::io::Error| {
            Problem::error(format!("cannot write the review's pages: {e}"))
                .at(Location::file(path))
                .hint("check that the output folder is writable")
        };
        export::atomic::write(&made.path, &made.pdf).map_err(|e| written(&made.path, e))?;
        let doc = made
            .doc
            .as_ref()
            .ok_or_else(|| Problem::error("the review has no pages to preview"))?;
        let dir = preview_dir(&self.plan.out, key);
        let kept = self.marked_kept.entry(key.to_string()).or_default();
        let previews = export::preview::render(doc, &dir, kept, &[], &|| false)
            .map_err(|e| written(&dir, e))?;
        for (path, bytes) in &previews.files {
            if let Err(e) = export::atomic::write(path, bytes) {
                kept.hashes.clear();
                return Err(written(path, e));
            }
        }
        for stale in &previews.stale {
            let _ = std::fs::remove_file(stale);
        }
        self.marked.insert(
            key.to_string(),
            Marked {
                edition: made.edition,
                since: made.since,
                pages: previews.pages,
            },
        );
        Ok(previews.rendered)
    }

    /// Forgets the reviews' previews (the toggle went off): the page shows the plain pages.
    pub fn unmark(&mut self) {
        self.marked.clear();
    }
}

//! What one rebuild of the watch did ([`Rebuilt`]), as data for the preview page and as the
//! terminal's status line, and what a publication's last build found that did not stop it
//! ([`Notices`]).

use std::time::Duration;

use super::First;
use crate::diag::{FailureReport, Problem};
use crate::finding::Finding;

/// What one rebuild did, for the status line and the preview page.
#[derive(Debug, Default)]
pub struct Rebuilt {
    /// Publications built, with the time to their PDFs and to their previews.
    pub publications: Vec<(String, Duration, Duration)>,
    /// Page previews rendered again, per (publication, edition).
    pub rendered: Vec<(String, String, Vec<usize>)>,
    /// Problems, as data (empty when all is well).
    pub errors: Vec<FailureReport>,
    /// Publication folders that disappeared while watching.
    pub removed: Vec<String>,
    /// Warnings of the publications rebuilt (findings, then Typst's), as `build` prints them.
    pub warnings: Vec<Problem>,
    /// How many notes the publications rebuilt have (shown on the preview page).
    pub notes: usize,
    /// The on-screen pages made before the rest (then nothing else is in this rebuild yet).
    pub first: Option<First>,
    /// Review pages rendered again while the change marks are on: (publication, pages).
    pub marked: Vec<(String, Vec<usize>)>,
    /// Whether the change marks were just turned off.
    pub unmarked: bool,
    /// Publication folders left for later because a newer save came first.
    pub unfinished: Vec<String>,
    pub elapsed: Duration,
}

/// What a publication's last build found that did not stop it: warnings and notes, for the
/// preview page.
#[derive(Debug, Clone, Default)]
pub struct Notices {
    /// Findings that are warnings or notes, on the source or on an edition's pages.
    pub findings: Vec<Finding>,
    /// Typst's warnings, as data.
    pub typst: Vec<Problem>,
}

impl Rebuilt {
    /// One line for the terminal.
    pub fn status(&self) -> String {
        let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
        let built: Vec<String> = self
            .publications
            .iter()
            .map(|(id, pdfs, total)| format!("{id} (PDFs {}, previews {})", ms(*pdfs), ms(*total)))
            .collect();
        let pages: usize = self.rendered.iter().map(|(_, _, p)| p.len()).sum();
        if let Some(first) = self.first.as_ref().filter(|_| built.is_empty()) {
            let pages: Vec<String> = first.rendered.iter().map(|n| n.to_string()).collect();
            return format!(
                "on screen: {} {} page(s) {} updated in {}; the rest follows",
                first.key,
                first.edition,
                if pages.is_empty() {
                    "-".into()
                } else {
                    pages.join(", ")
                },
                ms(first.elapsed)
            );
        }
        let marked_pages: usize = self.marked.iter().map(|(_, p)| p.len()).sum();
        let marked = format!("change marks: {marked_pages} review page(s) rendered");
        match (built.is_empty(), self.errors.is_empty()) {
            (_, false) => format!(
                "build failed after {}: {} problem(s); the last good PDFs are kept",
                ms(self.elapsed),
                self.errors
                    .iter()
                    .map(|r| r.problems.len().max(1))
                    .sum::<usize>()
            ),
            (true, true) if !self.removed.is_empty() => {
                format!("removed {}", self.removed.join(", "))
            }
            (true, true) if !self.marked.is_empty() => marked,
            (true, true) if self.unmarked => "change marks off".into(),
            (true, true) => "nothing to rebuild".into(),
            (false, true) => {
                let mut line = format!(
                    "rebuilt {} in {}; {pages} page preview(s) rendered",
                    built.join(", "),
                    ms(self.elapsed)
                );
                if !self.marked.is_empty() {
                    line.push_str(&format!("; {marked}"));
                }
                if !self.warnings.is_empty() || self.notes > 0 {
                    line.push_str(&format!(
                        "; {} warning(s) above, {} note(s) (the preview page and `folio check` list them)",
                        self.warnings.len(),
                        self.notes
                    ));
                }
                line
            }
        }
    }
}

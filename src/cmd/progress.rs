//! Progress for builds of many publications: a bar with an ETA on a terminal, plain lines
//! otherwise.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// How one publication's build ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Its files were written.
    Built,
    /// Nothing it depends on changed: it was not built again.
    Unchanged,
    /// It failed (its errors are printed at the end); its last good files stay.
    Failed,
}

impl Step {
    /// The word a progress line uses.
    pub fn word(self) -> &'static str {
        match self {
            Step::Built => "built",
            Step::Unchanged => "unchanged",
            Step::Failed => "failed",
        }
    }
}

/// Reports each publication as it finishes: built, unchanged or failed.
pub struct Progress {
    bar: Option<ProgressBar>,
    plain: bool,
    done: usize,
    total: usize,
}

impl Progress {
    /// A bar when standard error is a terminal and there is more than one publication; plain
    /// lines when piped; nothing when `quiet`.
    pub fn new(total: usize, quiet: bool) -> Self {
        if quiet {
            return Progress {
                bar: None,
                plain: false,
                done: 0,
                total,
            };
        }
        if std::io::stderr().is_terminal() && total > 1 {
            let bar = ProgressBar::new(total as u64);
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} done, {msg} (about {eta} left)")
                    .expect("the template is valid"),
            );
            return Progress {
                bar: Some(bar),
                plain: false,
                done: 0,
                total,
            };
        }
        Progress {
            bar: None,
            plain: true,
            done: 0,
            total,
        }
    }

    /// One publication is done.
    pub fn step(&mut self, publication: &str, step: Step) {
        self.done += 1;
        let publication = crate::diag::render::printable(publication);
        if let Some(bar) = &self.bar {
            bar.set_message(format!("last: {publication} ({})", step.word()));
            bar.inc(1);
        } else if self.plain {
            eprintln!(
                "{} {publication} ({}/{})",
                step.word(),
                self.done,
                self.total
            );
        }
    }

    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

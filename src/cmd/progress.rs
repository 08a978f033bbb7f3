//! Progress for builds of many publications: a bar on a terminal, plain lines otherwise.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// Reports "building <publication>" steps.
pub struct Progress {
    bar: Option<ProgressBar>,
    plain: bool,
}

impl Progress {
    /// A bar when standard error is a terminal and there is more than one publication; plain
    /// lines when piped; nothing when `quiet`.
    pub fn new(total: usize, quiet: bool) -> Self {
        if quiet {
            return Progress {
                bar: None,
                plain: false,
            };
        }
        if std::io::stderr().is_terminal() && total > 1 {
            let bar = ProgressBar::new(total as u64);
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                    .expect("the template is valid"),
            );
            return Progress {
                bar: Some(bar),
                plain: false,
            };
        }
        Progress {
            bar: None,
            plain: true,
        }
    }

    /// One publication starts.
    pub fn step(&mut self, publication: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("building {publication}"));
            bar.inc(1);
        } else if self.plain {
            eprintln!("building {publication}");
        }
    }

    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

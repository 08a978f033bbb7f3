//! `folio check`: runs every check on the chosen publications and prints the findings.

use std::io::IsTerminal;

use crate::check::{self, text, Finding};
use crate::compile::BuildError;
use crate::diag::Severity;
use crate::edition::Stamp;
use crate::pipeline::Session;
use crate::plan::Targets;

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Compiler-style diagnostics, coloured on a terminal.
    Human,
    /// One JSON array of findings, for CI.
    Json,
}

/// A checked `folio check`.
#[derive(Debug, Clone)]
pub struct CheckPlan {
    pub targets: Targets,
    pub strict: bool,
    pub readability: bool,
    pub format: Format,
    /// Only the print editions (`--print`): the print preflight.
    pub print: bool,
}

/// What a check run found.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// Editions that could not be typeset at all (Typst errors), rendered.
    pub failures: Vec<BuildError>,
    /// `--readability` tables, one per publication.
    pub tables: Vec<String>,
}

/// Runs model checks and, when they allow it, typesets every edition for the layout checks.
pub fn run(session: &Session, plan: &CheckPlan) -> Report {
    let mut report = Report::default();
    for id in &plan.targets.publications {
        let publication = match session.load(id) {
            Ok(p) => p,
            Err(problem) => {
                report.failures.push(problem.into());
                continue;
            }
        };
        report
            .findings
            .extend(check::model(&publication, &session.project, session.today));
        if plan.readability {
            report.tables.push(readability_table(&publication));
        }
        let names: Vec<&str> = session
            .editions_for(&publication, &plan.targets.editions)
            .into_iter()
            .filter(|(_, e)| !plan.print || e.pdf == crate::project::PdfProfile::Press)
            .map(|(n, _)| n)
            .collect();
        for made in session.make_all(&publication, &names, &Stamp::default()) {
            match made {
                Ok(m) => report.findings.extend(m.findings),
                Err(e) => report.failures.push(e),
            }
        }
    }
    report
}

impl Report {
    /// Whether the run should fail: errors (or warnings when strict), or an edition that failed.
    pub fn failed(&self, strict: bool) -> bool {
        !self.failures.is_empty() || check::blocking(&self.findings, strict)
    }

    /// The findings as JSON.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(&self.findings).expect("findings serialize")
    }

    /// The findings as diagnostics, with a closing count.
    pub fn human(&self, color: bool) -> String {
        let problems: Vec<_> = self.findings.iter().map(Finding::to_problem).collect();
        let mut out = crate::diag::render(&problems, color);
        let count = |s| self.findings.iter().filter(|f| f.severity == s).count();
        out.push_str(&format!(
            "{} error(s), {} warning(s), {} note(s)\n",
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Note)
        ));
        out
    }
}

/// Whether standard output should get colours.
pub fn stdout_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// A plain-text table of readability figures per section and for the whole publication.
pub fn readability_table(publication: &crate::content::Publication) -> String {
    let mut out = format!(
        "Readability of {} (reading age = Flesch-Kincaid grade + 5)\n",
        publication.id
    );
    out.push_str(&format!(
        "{:<44} {:>6} {:>9} {:>10} {:>7} {:>11}\n",
        "section", "words", "sentences", "words/sent", "Flesch", "reading age"
    ));
    let mut row = |title: &str, s: &check::readability::Stats| {
        let title: String = title.chars().take(44).collect();
        out.push_str(&format!(
            "{:<44} {:>6} {:>9} {:>10.1} {:>7.0} {:>11.0}\n",
            title, s.words, s.sentences, s.words_per_sentence, s.flesch, s.reading_age
        ));
    };
    for section in text::sections(publication) {
        row(&section.title, &section.stats);
    }
    row("Whole publication", &text::whole(publication));
    out
}

//! `folio check`: runs every check on the chosen publications and prints the findings.

use crate::check::{self, text};
use crate::cli::{CheckArgs, Format};
use crate::cmd::build::render_failures;
use crate::cmd::select::Targets;
use crate::compile::BuildError;
use crate::diag::{Colors, Problem, Severity};
use crate::finding::{Code, Finding};
use crate::pipeline::publication::{self as flow, Request};
use crate::pipeline::{Session, Worlds};
use crate::project::PublicationKey;

/// A checked `folio check`.
#[derive(Debug, Clone)]
pub struct CheckPlan {
    pub targets: Targets,
    pub strict: bool,
    pub readability: bool,
    pub format: Format,
    /// Only the print editions (`--print`): the print preflight.
    pub print: bool,
    /// Translation errors (outdated, missing sections) as warnings.
    pub allow_outdated_translations: bool,
}

impl CheckPlan {
    pub fn new(session: &Session, args: &CheckArgs) -> Result<Self, Problem> {
        Ok(Self {
            targets: Targets::resolve(session, &args.selection)?,
            strict: args.strict,
            readability: args.readability,
            format: args.format,
            print: args.print,
            allow_outdated_translations: args.allow_outdated_translations,
        })
    }
}

/// What checking one publication found.
#[derive(Debug, Default)]
pub struct PublicationCheck {
    pub publication: String,
    pub findings: Vec<Finding>,
    /// The publication could not be loaded, or editions could not be typeset.
    pub failures: Vec<BuildError>,
    /// The same failures as findings (`source-error`, `typeset-error`), for JSON and counts.
    pub failed: Vec<Finding>,
    /// The `--readability` table.
    pub table: Option<String>,
    /// `--print`: one preflight verdict per print file made.
    pub verdicts: Vec<String>,
}

/// Counts over the whole run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub publications: usize,
    /// Whether anything could not be loaded or typeset.
    pub failures: bool,
}

impl Summary {
    /// Whether the run should fail: errors (or warnings when strict), or a failure.
    pub fn failed(&self, strict: bool) -> bool {
        self.failures || self.errors > 0 || (strict && self.warnings > 0)
    }
}

/// Runs model checks and, when they allow it, typesets every edition for the layout checks,
/// one publication after another; `each` gets each publication's report as soon as it is
/// done (so a check of a thousand publications prints as it goes and keeps little).
pub fn run(
    session: &Session,
    plan: &CheckPlan,
    each: &mut dyn FnMut(&PublicationCheck),
) -> Summary {
    let mut summary = Summary::default();
    // Editions of a kind this machine cannot make (a tool missing) are not checked: said once.
    for problem in session.unavailable.values() {
        eprint!(
            "{}",
            crate::diag::render(std::slice::from_ref(problem), false)
        );
    }
    for key in &plan.targets.publications {
        let report = check_publication(session, plan, key);
        for f in report.findings.iter().chain(&report.failed) {
            match f.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Note => summary.notes += 1,
            }
        }
        summary.failures |= !report.failures.is_empty();
        summary.publications += 1;
        each(&report);
        // As for builds: what this publication's layouts memoised is not needed again.
        comemo::evict(4);
    }
    summary
}

fn check_publication(
    session: &Session,
    plan: &CheckPlan,
    key: &PublicationKey,
) -> PublicationCheck {
    let id = key.to_string();
    let mut report = PublicationCheck {
        publication: id.clone(),
        ..PublicationCheck::default()
    };
    let publication = match session.load(key) {
        Ok(p) => p,
        Err(problem) => {
            report.failed.push(Finding::from_problem(
                Code::SourceError,
                &id,
                None,
                &problem,
            ));
            report.failures.push(problem.into());
            return report;
        }
    };
    let request = Request {
        editions: plan.targets.editions.clone(),
        press_only: plan.print,
        allow_outdated_translations: plan.allow_outdated_translations,
        typeset_despite_errors: true,
        ..Request::default()
    };
    let planned = flow::plan(session, &publication, &request);
    // `--print`: only the preflight's findings; the editorial ones belong to `folio check`.
    if !plan.print {
        report.findings.extend(planned.findings.iter().cloned());
    }
    if plan.readability {
        report.table = Some(readability_table(&publication));
    }
    if planned.stopped.is_some() {
        return report;
    }
    let mut worlds = Worlds::new();
    let mut production = flow::make(session, &publication, &planned, &[], &mut worlds);
    let findings = std::mem::take(&mut production.findings);
    if plan.print {
        let print: Vec<Finding> = findings
            .into_iter()
            .filter(|f| crate::print::preflight::CODES.contains(&f.code))
            .collect();
        for m in &production.made {
            let own: Vec<Finding> = print
                .iter()
                .filter(|f| f.edition.as_deref() == Some(m.edition.as_str()))
                .cloned()
                .collect();
            report
                .verdicts
                .push(crate::print::preflight::verdict(&m.edition, &own));
        }
        report.findings.extend(print);
    } else {
        report.findings.extend(findings);
    }
    for e in std::mem::take(&mut production.failures) {
        let edition = match &e {
            BuildError::Typst { edition, .. } | BuildError::Interrupted { edition, .. } => {
                Some(edition.as_str())
            }
            BuildError::Problem(_) => None,
        };
        for p in e.report().problems {
            let finding = Finding::from_problem(Code::TypesetError, &id, edition, &p);
            report.failed.push(finding);
        }
        report.failures.push(e);
    }
    report
}

/// Prints reports as they come: grouped per publication, then a closing count; as JSON, one
/// array written element by element.
pub struct Printer {
    format: Format,
    colors: Colors,
    /// Whether to head each publication's findings with its name (more than one checked).
    headed: bool,
    written: usize,
}

impl Printer {
    pub fn new(plan: &CheckPlan, colors: Colors) -> Printer {
        if plan.format == Format::Json {
            println!("[");
        }
        Printer {
            format: plan.format,
            colors,
            headed: plan.targets.publications.len() > 1,
            written: 0,
        }
    }

    /// One publication's report: tables and findings on standard output, failures that
    /// stopped typesetting on standard error.
    pub fn publication(&mut self, report: &PublicationCheck) {
        if let Some(table) = &report.table {
            println!("{table}");
        }
        let all: Vec<&Finding> = report.findings.iter().chain(&report.failed).collect();
        match self.format {
            Format::Json => {
                for finding in all {
                    let json = serde_json::to_string_pretty(finding).expect("findings serialize");
                    let sep = if self.written == 0 { "" } else { ",\n" };
                    print!("{sep}{json}");
                    self.written += 1;
                }
            }
            Format::Human => {
                if self.headed && !report.findings.is_empty() {
                    let count = |s| all.iter().filter(|f| f.severity == s).count();
                    println!(
                        "── {}: {} error(s), {} warning(s), {} note(s)",
                        report.publication,
                        count(Severity::Error),
                        count(Severity::Warning),
                        count(Severity::Note)
                    );
                }
                let problems: Vec<_> = report.findings.iter().map(Finding::to_problem).collect();
                print!("{}", crate::diag::render(&problems, self.colors.stdout));
                for verdict in &report.verdicts {
                    println!("{}: {verdict}", report.publication);
                }
            }
        }
        if !report.failures.is_empty() {
            eprint!("{}", render_failures(&report.failures, self.colors.stderr));
        }
    }

    /// The closing count (human) or the end of the array (JSON).
    pub fn finish(self, summary: &Summary) {
        match self.format {
            Format::Json => println!("\n]"),
            Format::Human => println!(
                "{} error(s), {} warning(s), {} note(s) in {} publication(s)",
                summary.errors, summary.warnings, summary.notes, summary.publications
            ),
        }
    }
}

/// A plain-text table of readability figures per section and for the whole publication
/// (outside English: words and sentence lengths, and a note instead of a reading age).
pub fn readability_table(publication: &crate::content::Publication) -> String {
    let english = publication.meta.lang == "en";
    let mut out = if english {
        format!(
            "Readability of {} (reading age = Flesch-Kincaid grade + 5)\n",
            publication.id
        )
    } else {
        format!(
            "Readability of {} (language `{}`): words and sentence lengths only. The Flesch \
             reading ease and the reading age are formulas for English and would be wrong \
             here, so they are not given (—).\n",
            publication.id, publication.meta.lang
        )
    };
    out.push_str(&format!(
        "{:<44} {:>6} {:>9} {:>10} {:>7} {:>11}\n",
        "section", "words", "sentences", "words/sent", "Flesch", "reading age"
    ));
    let mut row = |title: &str, s: &check::readability::Stats| {
        let title: String = title.chars().take(44).collect();
        // Pad by characters: `{:<44}` counts bytes' worth of width wrongly for no script.
        let pad = " ".repeat(44usize.saturating_sub(title.chars().count()));
        let figure = |x: f64| {
            if x.is_nan() {
                "—".to_string()
            } else {
                format!("{x:.0}")
            }
        };
        out.push_str(&format!(
            "{title}{pad} {:>6} {:>9} {:>10.1} {:>7} {:>11}\n",
            s.words,
            s.sentences,
            s.words_per_sentence,
            figure(s.flesch),
            figure(s.reading_age)
        ));
    };
    for section in text::sections(publication) {
        row(&section.title, &section.stats);
    }
    row("Whole publication", &text::whole(publication));
    out
}

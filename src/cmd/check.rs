//! `folio check`: runs every check on the chosen publications and prints the findings.

use crate::check::{self, text};
use crate::cli::{CheckArgs, Format};
use crate::cmd::build::render_failures;
use crate::cmd::select::Targets;
use crate::compile::BuildError;
use crate::contract::Stamp;
use crate::diag::{Colors, Problem, Severity};
use crate::finding::{blocking, Code, Finding};
use crate::pipeline::{schedule, Session, Worlds};
use crate::project::PdfProfile;

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

/// What a check run found.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// Publications that could not be loaded and editions that could not be typeset.
    pub failures: Vec<BuildError>,
    /// The same failures as findings (`source-error`, `typeset-error`), for JSON and counts.
    pub failed: Vec<Finding>,
    /// `--readability` tables, one per publication.
    pub tables: Vec<String>,
}

/// Runs model checks and, when they allow it, typesets every edition for the layout checks.
pub fn run(session: &Session, plan: &CheckPlan) -> Report {
    let mut report = Report::default();
    let keys = plan
        .targets
        .publications
        .iter()
        .flat_map(|id| session.sources(id));
    for key in keys {
        let id = &key;
        let publication = match session.load(id) {
            Ok(p) => p,
            Err(problem) => {
                report
                    .failed
                    .push(Finding::from_problem(Code::SourceError, id, None, &problem));
                report.failures.push(problem.into());
                continue;
            }
        };
        let mut model = session.check_model(&publication);
        if plan.allow_outdated_translations {
            check::translation::allow_outdated(&mut model);
        }
        // Typst would only repeat a missing glyph, unlocated, once per character.
        let unprintable = model.iter().any(|f| f.code == Code::GlyphMissing);
        report.findings.extend(model);
        if plan.readability {
            report.tables.push(readability_table(&publication));
        }
        let names: Vec<&str> = session
            .editions_for(&publication, &plan.targets.editions)
            .into_iter()
            .filter(|_| !unprintable)
            .filter(|(_, e)| !plan.print || e.pdf == PdfProfile::Press)
            .map(|(n, _)| n)
            .collect();
        let stamp = Stamp::default();
        let mut worlds = Worlds::new();
        for made in schedule::make_all(session, &publication, &names, &stamp, &mut worlds) {
            match made {
                Ok(m) => report.findings.extend(m.findings),
                Err(e) => {
                    let (code, edition) = match &e {
                        BuildError::Typst { edition, .. } => {
                            (Code::TypesetError, Some(edition.as_str()))
                        }
                        BuildError::Problem(_) => (Code::TypesetError, None),
                    };
                    for p in e.report().problems {
                        report
                            .failed
                            .push(Finding::from_problem(code, id, edition, &p));
                    }
                    report.failures.push(e);
                }
            }
        }
    }
    report
}

impl Report {
    /// Whether the run should fail: errors (or warnings when strict), or an edition that failed.
    pub fn failed(&self, strict: bool) -> bool {
        !self.failures.is_empty() || blocking(&self.findings, strict)
    }

    /// The findings as JSON, failures included.
    pub fn json(&self) -> String {
        let all: Vec<&Finding> = self.findings.iter().chain(&self.failed).collect();
        serde_json::to_string_pretty(&all).expect("findings serialize")
    }

    /// The findings as diagnostics, with a closing count.
    pub fn human(&self, color: bool) -> String {
        let problems: Vec<_> = self.findings.iter().map(Finding::to_problem).collect();
        let mut out = crate::diag::render(&problems, color);
        let count = |s| {
            let all = self.findings.iter().chain(&self.failed);
            all.filter(|f| f.severity == s).count()
        };
        out.push_str(&format!(
            "{} error(s), {} warning(s), {} note(s)\n",
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Note)
        ));
        out
    }

    /// Prints the report: readability tables and findings on standard output, failures
    /// that stopped typesetting on standard error.
    pub fn print(&self, plan: &CheckPlan, colors: Colors) {
        for table in &self.tables {
            println!("{table}");
        }
        match plan.format {
            Format::Json => println!("{}", self.json()),
            Format::Human => print!("{}", self.human(colors.stdout)),
        }
        if !self.failures.is_empty() {
            eprint!("{}", render_failures(&self.failures, colors.stderr));
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

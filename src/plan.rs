//! Validated plans: command-line arguments and the project, checked once; later stages only
//! read them.

use std::path::PathBuf;

use crate::cli::{BuildArgs, Selection};
use crate::diag::Problem;
use crate::pipeline::Session;

/// What a command works on, with every name checked against the project.
#[derive(Debug, Clone)]
pub struct Targets {
    /// Publication ids, in build order.
    pub publications: Vec<String>,
    /// Edition names to restrict to (empty: all).
    pub editions: Vec<String>,
}

/// A checked `folio build`.
#[derive(Debug, Clone)]
pub struct BuildPlan {
    pub targets: Targets,
    pub out: PathBuf,
    pub emit_typst: Option<PathBuf>,
    pub allow_overdue: bool,
    /// Also write page previews (PNG) and contact sheets.
    pub previews: bool,
    /// Print nothing but problems.
    pub quiet: bool,
}

impl Targets {
    /// Checks a selection against the project: unknown publications and editions are errors.
    pub fn resolve(session: &Session, selection: &Selection) -> Result<Targets, Problem> {
        let all = session.publication_ids()?;
        let publications = if selection.publications.is_empty() {
            if all.is_empty() {
                return Err(Problem::error("there are no publications under content/")
                    .hint("add a folder content/<name>/ with one Markdown file"));
            }
            all
        } else {
            for p in &selection.publications {
                if !all.contains(p) {
                    return Err(Problem::error(format!("no publication called `{p}`")).hint(
                        format!(
                            "publications are folders under content/: {}",
                            all.join(", ")
                        ),
                    ));
                }
            }
            selection.publications.clone()
        };
        for e in &selection.editions {
            if !session.project.editions.contains_key(e) {
                let known: Vec<&str> = session
                    .project
                    .editions
                    .keys()
                    .map(String::as_str)
                    .collect();
                return Err(Problem::error(format!("no edition called `{e}`"))
                    .hint(format!("editions in folio.yaml: {}", known.join(", "))));
            }
        }
        Ok(Targets {
            publications,
            editions: selection.editions.clone(),
        })
    }
}

impl BuildPlan {
    pub fn new(session: &Session, args: &BuildArgs) -> Result<BuildPlan, Problem> {
        Ok(BuildPlan {
            targets: Targets::resolve(session, &args.selection)?,
            out: args.out.clone(),
            emit_typst: args.emit_typst.clone(),
            allow_overdue: args.allow_overdue,
            previews: args.previews,
            quiet: args.quiet,
        })
    }
}

impl crate::cmd::check::CheckPlan {
    pub fn new(session: &Session, args: &crate::cli::CheckArgs) -> Result<Self, Problem> {
        Ok(Self {
            targets: Targets::resolve(session, &args.selection)?,
            strict: args.strict,
            readability: args.readability,
            format: args.format,
            print: args.print,
        })
    }
}

impl BuildPlan {
    /// The build a `folio watch` repeats: always with previews, never emitting Typst.
    pub fn for_watch(
        session: &Session,
        args: &crate::cli::WatchArgs,
    ) -> Result<BuildPlan, Problem> {
        Ok(BuildPlan {
            targets: Targets::resolve(session, &args.selection)?,
            out: args.out.clone(),
            emit_typst: None,
            allow_overdue: args.allow_overdue,
            previews: true,
            quiet: args.quiet,
        })
    }
}

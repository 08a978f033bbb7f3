//! The publications and editions a command works on, checked against the project once.

use crate::cli::Selection;
use crate::diag::Problem;
use crate::pipeline::Session;

/// What a command works on, with every name checked against the project.
#[derive(Debug, Clone, Default)]
pub struct Targets {
    /// Publication ids, in build order (a translation alone: `<id>.<lang>`; an id also
    /// stands for its translations).
    pub publications: Vec<String>,
    /// Edition names to restrict to (empty: all).
    pub editions: Vec<String>,
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
                let (id, _) = crate::pipeline::split_key(p);
                if let Err(why) = crate::content::id::check(id) {
                    return Err(
                        Problem::error(format!("`{p}` is not a publication id: {why}"))
                            .hint(crate::content::id::HINT),
                    );
                }
                // A translation by itself: `<publication>.<language>`.
                let translation = match crate::pipeline::split_key(p) {
                    (id, Some(_)) => session.sources(id).contains(p),
                    _ => false,
                };
                if !all.contains(p) && !translation {
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

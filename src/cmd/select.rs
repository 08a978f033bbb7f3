//! The publications and editions a command works on, checked against the project once.

use crate::cli::Selection;
use crate::diag::Problem;
use crate::pipeline::Session;
use crate::project::PublicationKey;

/// What a command works on, with every name checked against the project.
#[derive(Debug, Clone, Default)]
pub struct Targets {
    /// The publications to work on, in build order: each publication asked for, then its
    /// translations; a translation asked for alone (`<id>.<lang>`) by itself.
    pub publications: Vec<PublicationKey>,
    /// Edition names to restrict to (empty: all).
    pub editions: Vec<String>,
}

impl Targets {
    /// Checks a selection against the project: unknown publications and editions are errors.
    pub fn resolve(session: &Session, selection: &Selection) -> Result<Targets, Problem> {
        let all = session.publication_ids()?;
        let mut publications = Vec::new();
        if selection.publications.is_empty() {
            if all.is_empty() {
                return Err(Problem::error("there are no publications under content/")
                    .hint("add a folder content/<name>/ with one Markdown file"));
            }
            publications.extend(all.iter().flat_map(|id| session.sources(id)));
        }
        for p in &selection.publications {
            let key = PublicationKey::parse(p);
            if let Err(why) = crate::content::id::check(&key.id) {
                return Err(
                    Problem::error(format!("`{p}` is not a publication id: {why}"))
                        .hint(crate::content::id::HINT),
                );
            }
            if all.contains(p) {
                publications.extend(session.sources(p));
                continue;
            }
            // A translation by itself: `<publication>.<language>`.
            if key.lang.is_none() || !session.sources(&key.id).contains(&key) {
                return Err(
                    Problem::error(format!("no publication called `{p}`")).hint(format!(
                        "publications are folders under content/: {}",
                        all.join(", ")
                    )),
                );
            }
            publications.push(key);
        }
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

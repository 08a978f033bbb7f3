//! Edition kinds: how an edition is made. Every edition in `folio.yaml` has a `kind`
//! (`typst` when none is given); each kind is one module behind the [`Kind`] interface,
//! registered in [`KINDS`]. The scheduler, the cache key, staging, the catalogue entry and
//! the job sheet work on what a kind returns ([`Made`]: a file with its facts, findings,
//! and the laid-out pages when there are any), never on the kind's name.
//!
//! Adding a kind is one new module here and one line in [`KINDS`] (README "How it is built").

pub mod braille;
pub mod epub;
#[cfg(test)]
mod example;
pub mod typst;

use std::any::Any;

use typst_layout::PagedDocument;

use super::Session;
use crate::compile::BuildError;
use crate::content::Publication;
use crate::contract::Stamp;
use crate::diag::Problem;
use crate::export::EditionFile;
use crate::finding::Finding;
use crate::project::Edition;
use crate::world::FolioWorld;

/// Every kind folio knows, by the name `kind:` gives in `folio.yaml`.
pub static KINDS: &[&dyn Kind] = &[
    &typst::Typst,
    &braille::BrailleKind,
    &epub::EpubKind,
    // The smallest kind, the README's example: a test shows it end to end.
    #[cfg(test)]
    &example::Outline,
];

/// The kind called `name`.
pub fn kind(name: &str) -> Option<&'static dyn Kind> {
    KINDS.iter().copied().find(|k| k.name() == name)
}

/// What a kind takes from the edition it is made from (an imposed edition: the source's
/// PDF and page sizes), made by [`Kind::take`] and given back to [`Kind::make`].
pub type Taken = Box<dyn Any + Send + Sync>;

/// One edition of one publication to make.
pub struct Job<'a> {
    pub session: &'a Session,
    pub publication: &'a Publication,
    /// The edition's name in `folio.yaml`.
    pub name: &'a str,
    pub edition: &'a Edition,
    pub stamp: &'a Stamp,
}

/// One way of making an edition.
pub trait Kind: Sync + Send {
    /// The name `kind:` gives in `folio.yaml`.
    fn name(&self) -> &'static str;

    /// Checks the settings of edition `name` when the project is opened; the message
    /// says what to write instead (the caller adds the location).
    fn validate(&self, name: &str, edition: &Edition) -> Result<(), Problem>;

    /// The edition this one is made from, when it takes something of another (made first).
    fn source<'e>(&self, _edition: &'e Edition) -> Option<&'e str> {
        None
    }

    /// The edition whose laid-out pages this one is cut from when both are made in one run
    /// (`trimmed-from`): that edition is made first and given to [`Kind::take`]. It is
    /// never added to a run for this edition's sake, and its failure does not stop this
    /// edition: made without it, the edition lays out the text itself.
    fn laid_out_with<'e>(&self, _edition: &'e Edition) -> Option<&'e str> {
        None
    }

    /// What an edition of this kind takes from its source (or the edition it is laid out
    /// with), once that is made.
    fn take(&self, _job: &Job, _source: &Made) -> Result<Taken, Problem> {
        Ok(Box::new(()))
    }

    /// Whether `publication` is made in this edition at all (braille: only in a language
    /// liblouis has a table for). Default: every publication.
    fn makes(&self, _edition: &Edition, _publication: &Publication) -> bool {
        true
    }

    /// Why editions of this kind cannot be made on this machine (a tool is missing), with
    /// how to fix it; `None` when they can. Editions of an unavailable kind are skipped
    /// with one note per build, never failed.
    fn unavailable(&self) -> Option<Problem> {
        None
    }

    /// The extension (no dot) of the file this kind makes, known before it is made: `folio
    /// serve` knows a co-branded download (`<edition>.<extension>?brand=`) by it.
    fn extension(&self) -> &'static str {
        "pdf"
    }

    /// The pages of `made` to draw for previews, when the kind has pages but does not
    /// typeset them (braille: its Unicode copy drawn as dots). Typeset editions are
    /// previewed from their laid-out pages instead.
    fn pictures(&self, _edition: &Edition, _made: &Made) -> Option<crate::export::preview::Drawn> {
        None
    }

    /// What the edition depends on besides the publication's content and settings (which
    /// the cache key holds already): e.g. the version of an outside tool.
    fn fingerprint(&self) -> Vec<u8> {
        Vec::new()
    }

    /// Makes the edition. `kept` is a Typst world kept from an earlier make of the same
    /// edition, for kinds that typeset (others drop it); a failure hands it back.
    fn make(
        &self,
        job: &Job,
        kept: Option<FolioWorld>,
        taken: Option<Taken>,
    ) -> Result<Made, (BuildError, Option<FolioWorld>)>;
}

/// One edition of one publication, made.
pub struct Made {
    pub edition: String,
    /// Its file, with what the catalogue says of it.
    pub file: EditionFile,
    /// Files that go with it, by extension (a braille file's Unicode copy: `txt`).
    pub companions: Vec<(&'static str, Vec<u8>)>,
    /// Findings on what was made (page rules, text rules, preflight, untranslatable text).
    pub findings: Vec<Finding>,
    /// Warnings of the tools, as data.
    pub warnings: Vec<Problem>,
    /// For typeset editions: the laid-out pages, what a press PDF says of itself, and the
    /// world, kept for the next make.
    pub typeset: Option<Typeset>,
}

/// What a typeset edition has besides its file.
pub struct Typeset {
    pub doc: PagedDocument,
    /// What a press edition's PDF says about itself (boxes, fonts, colours); `None` for a
    /// screen edition.
    pub press: Option<crate::print::press::Facts>,
    pub world: FolioWorld,
    /// The press edition whose laid-out pages these are, cut to the trim (`trimmed-from`),
    /// when they are; `None` when the edition was laid out on its own.
    pub trimmed_from: Option<String>,
}

impl Made {
    /// The laid-out pages, for typeset editions.
    pub fn doc(&self) -> Option<&PagedDocument> {
        self.typeset.as_ref().map(|t| &t.doc)
    }
}
/// An edition's `options` read as a kind's typed settings (`what` names them in the error,
/// `hint` says which keys they take), without the keys in `skip` that the kind reads itself.
pub(super) fn settings<T: serde::de::DeserializeOwned>(
    edition: &Edition,
    skip: &[&str],
    what: &str,
    hint: &str,
) -> Result<T, Problem> {
    let mut options = edition.options.clone();
    options.retain(|key, _| !skip.contains(&key.as_str()));
    let value = serde_yaml::to_value(&options).unwrap_or_default();
    serde_yaml::from_value(value)
        .map_err(|e| Problem::error(format!("{what}: {e}")).hint(hint.to_string()))
}

/// The kind of `edition`: every edition's kind was checked when the project was opened.
pub fn of(edition: &Edition) -> &'static dyn Kind {
    kind(&edition.kind).unwrap_or(&typst::Typst)
}

/// Checks every edition's kind and settings: an unknown kind or a wrong setting is an
/// error at the edition's line in `folio.yaml`.
pub fn validate(root: &std::path::Path, project: &crate::project::Project) -> Result<(), Problem> {
    for (name, edition) in &project.editions {
        let at = || crate::project::Project::edition_location(root, name);
        let Some(kind) = kind(&edition.kind) else {
            let known: Vec<&str> = KINDS.iter().map(|k| k.name()).collect();
            return Err(Problem::error(format!(
                "edition `{name}`: there is no kind `{}`",
                edition.kind
            ))
            .at(at())
            .hint(format!("kinds folio makes: {}", known.join(", "))));
        };
        kind.validate(name, edition).map_err(|p| p.at(at()))?;
        if let Some(from) = kind.source(edition).or(kind.laid_out_with(edition)) {
            if !project.editions.contains_key(from) {
                return Err(Problem::error(format!(
                    "edition `{name}` is made from `{from}`, which is not an edition"
                ))
                .at(at())
                .hint("name an edition defined in folio.yaml"));
            }
        }
    }
    Ok(())
}

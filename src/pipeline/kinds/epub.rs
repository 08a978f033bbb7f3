//! The `epub` kind: an accessible, reflowable EPUB 3 of the publication, from the same
//! document model as the web edition. With `page-numbers-from: <edition>` in its options,
//! its page list gives the print pages of that (typeset) edition, so that a reader can find
//! the page a nurse mentions; the other options are [`EpubSettings`].

use super::{Job, Kind, Made, Taken};
use crate::compile::BuildError;
use crate::diag::Problem;
use crate::export::EditionFile;
use crate::formats::epub::{self, EpubSettings, PrintPages};
use crate::project::Edition;
use crate::world::FolioWorld;

/// The `epub` kind: an accessible EPUB 3.
pub struct EpubKind;

/// The option naming the edition whose page numbers the page list gives.
const PAGES_FROM: &str = "page-numbers-from";

fn settings(edition: &Edition) -> Result<EpubSettings, Problem> {
    super::settings(
        edition,
        &[PAGES_FROM],
        "e-book settings",
        &format!(
            "an e-book edition takes `{PAGES_FROM}` (a typeset edition) and `templates` in `options`"
        ),
    )
}

impl Kind for EpubKind {
    fn name(&self) -> &'static str {
        "epub"
    }

    fn extension(&self) -> &'static str {
        "epub"
    }

    fn validate(&self, _name: &str, edition: &Edition) -> Result<(), Problem> {
        if let Some(from) = edition.options.get(PAGES_FROM) {
            if from.as_str().is_none() {
                return Err(Problem::error(format!(
                    "`{PAGES_FROM}` must name an edition"
                )));
            }
        }
        settings(edition).map(|_| ())
    }

    fn source<'e>(&self, edition: &'e Edition) -> Option<&'e str> {
        edition.options.get(PAGES_FROM)?.as_str()
    }

    fn take(&self, job: &Job, source: &Made) -> Result<Taken, Problem> {
        let doc = source.doc().ok_or_else(|| {
            Problem::error(format!(
                "{}: `{PAGES_FROM}` names {}, which has no pages",
                job.name, source.edition
            ))
            .hint("name a typeset edition, e.g. the booklet")
        })?;
        Ok(Box::new(epub::print_pages(doc)))
    }

    fn make(
        &self,
        job: &Job,
        _kept: Option<FolioWorld>,
        taken: Option<Taken>,
    ) -> Result<Made, (BuildError, Option<FolioWorld>)> {
        let fail = |p: Problem| (BuildError::from(p), None);
        let settings = settings(job.edition).map_err(fail)?;
        let pages = taken.and_then(|t| t.downcast::<PrintPages>().ok());
        let made = epub::epub(
            &job.session.root,
            &job.session.project,
            job.publication,
            job.name,
            &job.edition.classes,
            &settings,
            pages.as_deref(),
            job.session.timestamp(job.publication),
            job.stamp.brand.as_deref(),
        )
        .map_err(fail)?;
        Ok(Made {
            edition: job.name.to_string(),
            file: EditionFile {
                pages: 0,
                paper: "EPUB 3".into(),
                profile: "ebook".into(),
                extension: self.extension(),
                media_type: epub::MEDIA_TYPE,
                bytes: made.bytes,
            },
            companions: Vec::new(),
            findings: made.findings,
            warnings: Vec::new(),
            typeset: None,
        })
    }
}

//! `folio review PUBLICATION [LANG] [--since VERSION]`: a reviewer's PDF. The publication
//! is laid out in one of its editions (the booklet) as it is now, with the blocks removed
//! since the approved version put back where they stood; the layouts mark what changed
//! (`layouts/common/changes.typ`): a bar in the outer margin beside each block that changed,
//! was added or holds a deletion, inserted words underlined, deleted words struck through,
//! each run labelled for screen readers; and a first page lists the changes by section with
//! their pages, and the approval history.
//!
//! The changes reach Typst as data (`publication.blocks` with `change` marks, and
//! `review`), through the same contract as every edition: no text is ever Typst code.

use std::path::PathBuf;

use serde_json::json;

use crate::cli::ReviewArgs;
use crate::content::approval::{self, Approvals};
use crate::content::diff::{self, Diff};
use crate::content::Publication;
use crate::contract::{self, Stamp};
use crate::diag::{Location, Problem};
use crate::pipeline::kinds::typst::Derived;
use crate::pipeline::kinds::{self, Job};
use crate::pipeline::Session;
use crate::project::PdfProfile;

/// Where the reviews of a publication go, below the output folder.
pub const REVIEW_DIR: &str = "review";

/// A checked `folio review`.
#[derive(Debug, Clone)]
pub struct ReviewPlan {
    /// `<id>` or `<id>.<lang>`.
    pub key: String,
    pub since: Option<String>,
    pub edition: Option<String>,
    pub out: PathBuf,
}

impl ReviewPlan {
    pub fn new(args: &ReviewArgs) -> ReviewPlan {
        ReviewPlan {
            key: match &args.language {
                Some(lang) => format!("{}.{lang}", args.publication),
                None => args.publication.clone(),
            },
            since: args.since.clone(),
            edition: args.edition.clone(),
            out: args.out.clone(),
        }
    }
}

/// The review made: its PDF and what it shows.
pub struct Review {
    pub path: PathBuf,
    pub pdf: Vec<u8>,
    /// The approved version compared with; none when nothing was approved.
    pub since: Option<String>,
    pub version: String,
    /// The edition it is laid out in.
    pub edition: String,
    pub diff: Diff,
    /// The laid-out pages (for the preview page of `folio watch --serve`).
    pub doc: Option<typst_layout::PagedDocument>,
}

/// Makes the review and writes it.
pub fn run(session: &Session, plan: &ReviewPlan) -> Result<Review, Problem> {
    let review = make(session, plan)?;
    crate::export::atomic::write(&review.path, &review.pdf).map_err(|e| {
        Problem::error(format!("cannot write the review: {e}"))
            .at(Location::file(&review.path))
            .hint("check that the output folder is writable")
    })?;
    Ok(review)
}

/// Makes the review's PDF (without writing it).
pub fn make(session: &Session, plan: &ReviewPlan) -> Result<Review, Problem> {
    let publication = session.load(&crate::project::PublicationKey::parse(&plan.key))?;
    let names = session.project.names();
    let status = approval::status(&session.root, &publication, &names)?;
    let record = &status.record;
    let since = plan
        .since
        .clone()
        .or_else(|| record.last().map(|a| a.version.clone()));
    let name = edition(session, &publication, plan.edition.as_deref())?;
    let edition = &session.project.editions[name.as_str()];
    let old = match &since {
        None => Vec::new(),
        Some(version) => {
            let approved = record
                .of_version(version)
                .ok_or_else(|| no_such_version(version, record))?;
            let folder = record.folder.clone();
            let (_, body) =
                approval::parse_copy(&session.root, &folder, &record.copy(approved), &names)?;
            body.iter()
                .filter(|n| n.shown_in(&name, &edition.classes))
                .map(|n| n.block.clone())
                .collect()
        }
    };
    let diff = diff::diff(old, publication.blocks_for(&name, &edition.classes));

    let stamp = Stamp::default();
    let mut data = contract::data(&publication, &session.project, &name, edition, &stamp);
    data["publication"]["blocks"] = serde_json::Value::Array(diff.blocks.clone());
    let history: Vec<_> = record
        .entries
        .iter()
        .map(|a| json!({ "version": a.version, "date": a.date.to_string(), "by": a.by }))
        .collect();
    let review = json!({
        "since": since,
        "sections": diff.sections,
        "history": history,
    });
    let derived = Derived {
        files: Vec::new(),
        data: vec![
            ("publication", data["publication"].take()),
            ("review", review),
        ],
    };
    let job = Job {
        session,
        publication: &publication,
        name: &name,
        edition,
        stamp: &stamp,
    };
    let made = kinds::of(edition)
        .make(&job, None, Some(Box::new(derived)))
        .map_err(|(e, _)| {
            // The first of Typst's problems, with its place in the layout.
            let mut first = e
                .report()
                .problems
                .into_iter()
                .next()
                .unwrap_or_else(|| Problem::error(e.to_string()));
            first.message = format!("the review cannot be typeset: {}", first.message);
            first
        })?;
    let version = publication.meta.version.clone();
    let key = crate::project::PublicationKey::parse(&plan.key);
    let id = &key.id;
    let path = crate::project::dist::publication_dir(&plan.out, &key)
        .join(REVIEW_DIR)
        .join(format!(
            "{id}-review-{}-to-{version}.pdf",
            since.as_deref().unwrap_or("new")
        ));
    Ok(Review {
        path,
        pdf: made.file.bytes,
        since,
        version,
        edition: name,
        diff,
        doc: made.typeset.map(|t| t.doc),
    })
}

/// The edition to lay the review out in: the one asked for, else `web.cover`, else the
/// first one-language screen edition the publication is made in.
fn edition(
    session: &Session,
    publication: &Publication,
    asked: Option<&str>,
) -> Result<String, Problem> {
    let editions = session.editions_for(publication, &[]);
    let fits = |e: &crate::project::Edition| {
        e.pdf == PdfProfile::Screen && e.bilingual.is_none() && e.impose.is_none()
    };
    let wanted = asked.or(session.project.web.cover.as_deref());
    if let Some(name) = wanted {
        return match editions.iter().find(|(n, _)| *n == name) {
            Some((n, e)) if fits(e) => Ok(n.to_string()),
            _ => Err(
                Problem::error(format!("the review cannot be laid out in `{name}`")).hint(format!(
                    "give --edition one of the one-language screen editions {} is made in: {}",
                    publication.id,
                    editions
                        .iter()
                        .filter(|(_, e)| fits(e))
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            ),
        };
    }
    editions
        .iter()
        .find(|(_, e)| fits(e))
        .map(|(n, _)| n.to_string())
        .ok_or_else(|| {
            Problem::error(format!(
                "{} is made in no one-language screen edition to lay the review out in",
                publication.id
            ))
            .hint("add a screen edition (pdf: screen) for it in folio.yaml")
        })
}

fn no_such_version(version: &str, record: &Approvals) -> Problem {
    let known: Vec<&str> = record.entries.iter().map(|a| a.version.as_str()).collect();
    Problem::error(format!("version {version} was never approved"))
        .at(Location::file(&record.file))
        .hint(if known.is_empty() {
            "nothing was approved yet: leave out --since to see the whole text as new".to_string()
        } else {
            format!("approved versions: {}", known.join(", "))
        })
}

//! Review governance and required metadata: dates, references, reviewers, contact.

use chrono::NaiveDate;

use super::{Code, Finding};
use crate::content::Publication;
use crate::diag::long_date;
use crate::diag::Location;
use crate::project::{Project, PROJECT_FILE};

/// Review dates against `today`, and the metadata every edition prints.
pub fn check(publication: &Publication, project: &Project, today: NaiveDate) -> Vec<Finding> {
    let mut out = review_dates(publication, project, today);
    out.extend(required_metadata(publication, project));
    out
}

/// The review dates: overdue or due soon, in order, and not in the future.
fn review_dates(publication: &Publication, project: &Project, today: NaiveDate) -> Vec<Finding> {
    let meta = &publication.meta;
    let id = publication.id.as_str();
    let at = |key: &str| meta.key_location(&publication.file, key);
    let mut out = Vec::new();
    if meta.next_review < today {
        out.push(
            Finding::new(
                Code::ReviewOverdue,
                id,
                format!("the next review was due on {}", long_date(meta.next_review)),
                "review the publication and update `date-reviewed` and `next-review`; \
                 `folio build --allow-overdue` builds it anyway, marked as overdue on every page",
            )
            .at(at("next-review")),
        );
    } else if (meta.next_review - today).num_days() <= project.checks.review_warning_days {
        out.push(
            Finding::new(
                Code::ReviewDueSoon,
                id,
                format!(
                    "the next review is due on {} ({} days from now)",
                    long_date(meta.next_review),
                    (meta.next_review - today).num_days()
                ),
                "plan the review now so that the publication does not go out of date",
            )
            .at(at("next-review")),
        );
    }
    if meta.date_reviewed > meta.next_review {
        out.push(
            Finding::new(
                Code::ReviewDatesOrder,
                id,
                format!(
                    "`date-reviewed` ({}) is after `next-review` ({})",
                    long_date(meta.date_reviewed),
                    long_date(meta.next_review)
                ),
                "the next review must come after the last one; check both dates",
            )
            .at(at("date-reviewed")),
        );
    }
    if meta.date_reviewed > today {
        out.push(
            Finding::new(
                Code::ReviewedInFuture,
                id,
                format!(
                    "`date-reviewed` ({}) is in the future",
                    long_date(meta.date_reviewed)
                ),
                "give the date the review actually took place",
            )
            .at(at("date-reviewed")),
        );
    }
    out
}

/// What every edition prints: version, references, reviewers, a summary for the catalogue,
/// and the publisher's name and contact.
fn required_metadata(publication: &Publication, project: &Project) -> Vec<Finding> {
    let meta = &publication.meta;
    let id = publication.id.as_str();
    let at = |key: &str| meta.key_location(&publication.file, key);
    let mut out = Vec::new();
    let mut missing = |key: &str, what: &str, empty: bool| {
        if empty {
            out.push(
                Finding::new(
                    Code::MissingMetadata,
                    id,
                    format!("{what} is missing"),
                    format!("add `{key}` to the front matter: every edition prints it"),
                )
                .at(at(key)),
            );
        }
    };
    missing("version", "the version", meta.version.trim().is_empty());
    missing(
        "references",
        "at least one reference",
        meta.references.iter().all(|r| r.trim().is_empty()),
    );
    missing(
        "reviewers",
        "at least one reviewer",
        meta.reviewers.iter().all(|r| r.trim().is_empty()),
    );
    if publication.summary().is_none() {
        out.push(
            Finding::new(
                Code::SummaryMissing,
                id,
                "the catalogue has nothing to describe this publication with: \
                 it has no subtitle and no paragraph before its first heading",
                "add a `subtitle:` to the front matter, or open the text with a short paragraph \
                 saying who the publication is for and what it covers",
            )
            .at(at("title")),
        );
    }
    let publisher = &project.publisher;
    if publisher.name.trim().is_empty() || publisher.contact.iter().all(|c| c.trim().is_empty()) {
        out.push(
            Finding::new(Code::MissingMetadata, id, "the publisher's name or contact lines are missing",
                "add `publisher: name:` and `contact:` lines to folio.yaml: readers need to know who to ask")
            .at(Location::file(PROJECT_FILE)),
        );
    }
    out
}

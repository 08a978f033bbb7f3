//! The parts after the body: "About this information" (dates, reviewers, references, the
//! publisher and product code) and "Your hospital team" (the partner's details, or lines to
//! write them on).

use super::{heading, Origin, Part, Place, BLOCKED, BULLET, PARAGRAPH};
use crate::content::Publication;
use crate::contract::BrandData;
use crate::formats::words::Words;
use crate::project::Project;

/// A line to write on: dots 36.
const WRITE_IN: char = '\u{2824}';

/// "About this information": the dates, reviewers, references and who publishes.
pub(super) fn about(
    publication: &Publication,
    project: &Project,
    words: &Words,
    out: &mut Vec<Part>,
) {
    let meta = &publication.meta;
    out.push(heading(2, words.get("about"), Origin::Other));
    for (key, value) in [
        ("date-reviewed", words.date(meta.date_reviewed)),
        ("next-review", words.date(meta.next_review)),
    ] {
        out.push(Part::new(
            format!("{}: {value}", words.get(key)),
            BLOCKED,
            Origin::Key(key),
        ));
    }
    if !meta.reviewers.is_empty() {
        out.push(
            Part::new(
                format!("{}:", words.get("reviewers")),
                BLOCKED,
                Origin::Other,
            )
            .blanks(true, false),
        );
        for r in &meta.reviewers {
            out.push(Part::new(
                format!("{BULLET} {r}"),
                Place::Cells {
                    first: 0,
                    runover: 2,
                },
                Origin::Key("reviewers"),
            ));
        }
    }
    if !meta.references.is_empty() {
        out.push(heading(3, words.get("references"), Origin::Other));
        for r in &meta.references {
            out.push(Part::new(
                r,
                Place::Cells {
                    first: 0,
                    runover: 2,
                },
                Origin::Key("references"),
            ));
        }
    }
    let publisher = &project.publisher;
    out.push(Part::new(&publisher.name, BLOCKED, Origin::Other).blanks(true, false));
    for line in publisher
        .contact
        .iter()
        .chain(Some(&publisher.website).filter(|w| !w.is_empty()))
    {
        out.push(Part::new(line, BLOCKED, Origin::Other));
    }
    out.push(
        Part::new(
            format!(
                "{}: {}. {}: {}",
                words.get("product-code"),
                meta.product_code,
                words.get("version"),
                meta.version
            ),
            BLOCKED,
            Origin::Key("product-code"),
        )
        .blanks(true, false),
    );
}

/// "Your hospital team": the partner's details, or labelled lines to write on.
pub(super) fn team(words: &Words, brand: Option<&BrandData>, out: &mut Vec<Part>) {
    out.push(heading(2, words.get("team"), Origin::Other));
    let Some(brand) = brand else {
        out.push(Part::new(
            words.get("team-write-in"),
            PARAGRAPH,
            Origin::Other,
        ));
        for label in ["team-nurse", "team-phone", "team-ward"] {
            out.push(
                Part::new(format!("{}:", words.get(label)), BLOCKED, Origin::Other)
                    .blanks(true, false),
            );
            out.push(Part::new("", Place::Line(WRITE_IN), Origin::Other));
        }
        return;
    };
    let json = &brand.json;
    let field = |v: &serde_json::Value, key: &str| {
        v.get(key)
            .and_then(|s| s.as_str())
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
    };
    for key in ["name", "department"] {
        if let Some(t) = field(json, key) {
            out.push(Part::new(t, BLOCKED, Origin::Other));
        }
    }
    let contact = json
        .get("contact")
        .and_then(|c| c.as_array())
        .cloned()
        .unwrap_or_default();
    for line in contact.iter().filter_map(|c| c.as_str()) {
        out.push(Part::new(line, BLOCKED, Origin::Other));
    }
    if let Some(t) = field(json, "website") {
        out.push(Part::new(t, BLOCKED, Origin::Other));
    }
    if let Some(personal) = json.get("personal").filter(|p| p.is_object()) {
        for (key, label) in [
            ("contact-name", "team-contact"),
            ("role", "team-role"),
            ("phone", "team-phone"),
            ("hours", "team-hours"),
        ] {
            if let Some(t) = field(personal, key) {
                out.push(Part::new(
                    format!("{}: {t}", words.get(label)),
                    BLOCKED,
                    Origin::Other,
                ));
            }
        }
        if let Some(t) = field(personal, "note") {
            out.push(Part::new(t, BLOCKED, Origin::Other));
        }
    }
}

//! `catalogue.json`: the machine-readable manifest of the catalogue, described by
//! `docs/catalogue.schema.json` (keep the two in step; a test validates one by the other).

use chrono::NaiveDate;
use serde::Serialize;

use super::changes::VersionChanges;
use super::read::{Read, CATALOGUE_SCHEMA};
use super::view::ReviewState;
use crate::project::Project;

/// `catalogue.json`.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Manifest<'a> {
    schema_version: u32,
    /// The day currency was judged on.
    as_of: String,
    publisher: &'a str,
    publications: Vec<Item<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Item<'a> {
    id: &'a str,
    title: &'a str,
    subtitle: &'a Option<String>,
    summary: &'a Option<String>,
    language: &'a str,
    product_code: &'a str,
    version: &'a str,
    date_reviewed: &'a str,
    next_review: &'a str,
    status: ReviewState,
    web: String,
    cover: Option<String>,
    files: Vec<ItemFile<'a>>,
    /// Absent for a publication never approved, so that its listing stays as it was.
    #[serde(skip_serializing_if = "never_approved")]
    changes: &'a [VersionChanges],
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ItemFile<'a> {
    edition: &'a str,
    label: &'a str,
    path: String,
    bytes: u64,
    pages: usize,
    paper: &'a str,
    profile: &'a str,
    sha256: &'a str,
}

fn never_approved(changes: &&[VersionChanges]) -> bool {
    changes.is_empty()
}

/// `catalogue.json`'s bytes: pretty JSON with a final newline.
pub(super) fn bytes(project: &Project, today: NaiveDate, read: &[Read]) -> Vec<u8> {
    let publications = read
        .iter()
        .map(|r| {
            let e = &r.entry;
            Item {
                id: &e.id,
                title: &e.title,
                subtitle: &e.subtitle,
                summary: &e.summary,
                language: &e.language,
                product_code: &e.product_code,
                version: &e.version,
                date_reviewed: &e.date_reviewed,
                next_review: &e.next_review,
                status: r.status,
                web: format!("{}/{}", e.folder, e.web),
                cover: e.cover.as_ref().map(|c| format!("{}/{}", e.folder, c.path)),
                files: e
                    .files
                    .iter()
                    .map(|f| ItemFile {
                        edition: &f.edition,
                        label: &f.label,
                        path: format!("{}/{}", e.folder, f.path),
                        bytes: f.bytes,
                        pages: f.pages,
                        paper: &f.paper,
                        profile: &f.profile,
                        sha256: &f.sha256,
                    })
                    .collect(),
                changes: &e.changes,
            }
        })
        .collect();
    let manifest = Manifest {
        schema_version: CATALOGUE_SCHEMA,
        as_of: today.format("%Y-%m-%d").to_string(),
        publisher: &project.publisher.name,
        publications,
    };
    let mut bytes = serde_json::to_vec_pretty(&manifest).expect("the manifest always serializes");
    bytes.push(b'\n');
    bytes
}

//! The static site `folio build` writes beside the PDFs, for hospitals: a catalogue of
//! every current publication (`OUT/index.html`), a machine-readable manifest
//! (`OUT/catalogue.json`), an Atom feed of new versions (`OUT/feed.xml`), and per
//! publication its web edition (`OUT/<id>/index.html`), a cover thumbnail and its
//! catalogue entry (`OUT/<id>/entry.json`), and a page per partner hospital listing its
//! co-branded PDFs (`OUT/brand-<id>.html`). It works from any static host and from
//! `file://`: relative links only, no script or style from elsewhere.
//!
//! Two steps, so that publications can be built apart (in parallel, or in shards merged
//! later) and a failed one keeps its last good files:
//!
//! - [`Site::publication_files`]: a publication's files, as bytes, for the caller to
//!   stage in the same atomic batch as its PDFs;
//! - [`Site::write_catalogue`]: the project-wide files, made from the entries alone.
//!
//! Pages come from minijinja templates in the project (`layouts/site/`, see
//! [`templates`]), with auto-escaping: no text from content becomes markup.

pub mod brands;
mod catalogue;
mod catalogue_page;
pub mod changes;
mod cover;
pub mod entry;
mod feed;
mod manifest;
mod read;
mod takedown;
pub mod templates;
pub mod view;
pub mod web;
pub mod withdrawn;
mod written;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::json;
use typst_layout::PagedDocument;

pub use catalogue::{CatalogueWritten, CATALOGUE_SCHEMA};
pub use entry::{CatalogueEntry, ENTRY_FILE};

use crate::content::Publication;
use crate::diag::{long_date, Problem};
use crate::project::Project;
use templates::Templates;
use view::{ReviewState, View};

/// A made edition, as the site reads it: its name, its file, and its laid-out pages when
/// it was typeset (the cover is the first page of one of those).
#[derive(Clone, Copy)]
pub struct SiteEdition<'a> {
    pub edition: &'a str,
    pub doc: Option<&'a PagedDocument>,
    pub file: &'a crate::export::EditionFile,
}

/// The site's templates, ready to render (loaded for each publication's files and once more
/// for the catalogue; each template is read when first used; shareable across threads).
pub struct Site {
    templates: Templates,
    root: PathBuf,
}

impl Site {
    /// Prepares the site of the project at `root`; fails when its templates folder is
    /// missing or outside the project.
    pub fn load(root: &Path, project: &Project) -> Result<Site, Problem> {
        Ok(Site {
            templates: Templates::load(root, project)?,
            root: root.to_path_buf(),
        })
    }

    /// Every file of `publication`'s part of the site, as (path from `OUT/<id>/`, bytes):
    /// the web edition `index.html`, `cover.png`, the images the web edition shows, and
    /// `entry.json`. `outputs` are the editions made; `overdue_since` is set when the
    /// publication was built past its review on purpose (`--allow-overdue`).
    ///
    /// Writes nothing: the caller stages these with the publication's PDFs.
    pub fn publication_files(
        &self,
        project: &Project,
        publication: &Publication,
        outputs: &[SiteEdition],
        overdue_since: Option<NaiveDate>,
    ) -> Result<Vec<(PathBuf, Vec<u8>)>, Problem> {
        let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        let cover = cover::edition(project, outputs).and_then(cover::render);
        let mut entry = CatalogueEntry::new(
            project,
            publication,
            outputs,
            overdue_since.is_some(),
            cover.as_ref().map(|(c, _)| c.clone()),
        );
        let body = web::body(&self.root, project, publication)?;
        entry.images = body.files.iter().map(|(path, _)| path.clone()).collect();
        entry.changes = changes::history(&self.root, project, publication)?;
        let meta = &publication.meta;
        let status = match overdue_since {
            Some(_) => ReviewState::Overdue,
            None => ReviewState::Current,
        };
        let view = View::new(&entry, (meta.date_reviewed, meta.next_review), status, "");
        let images: serde_json::Map<String, serde_json::Value> = body
            .sizes
            .iter()
            .map(|(src, (w, h))| (src.clone(), json!([w, h])))
            .collect();
        let context = json!({
            "site": site_context(project),
            // A translation's page is one folder deeper: `OUT/<id>/<lang>/`.
            "root": "../".repeat(entry.folder.split('/').count()),
            "p": view,
            "body": body.blocks,
            "images": images,
            "references": meta.references,
            "reviewers": meta.reviewers,
            "overdue_since": overdue_since.map(long_date),
            "changes": changes_view(&entry.changes),
        });
        let page = self.templates.render(templates::PUBLICATION, &context)?;
        files.push((PathBuf::from(&entry.web), page.into_bytes()));
        if let Some((c, png)) = cover {
            files.push((PathBuf::from(c.path), png));
        }
        for (path, bytes) in body.files {
            files.push((PathBuf::from(path), bytes));
        }
        files.push((PathBuf::from(ENTRY_FILE), entry.to_bytes()));
        Ok(files)
    }
}

/// The images the last build of a publication copied into its output folder `dir` (as its
/// `entry.json` lists them) that `files`, its files now, no longer have: to remove once the
/// new files are in place, so that an image taken out of a publication is not published.
pub fn stale_images(dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> Vec<PathBuf> {
    let Ok(bytes) = std::fs::read(dir.join(entry::ENTRY_FILE)) else {
        return Vec::new();
    };
    let Ok(old) = serde_json::from_slice::<CatalogueEntry>(&bytes) else {
        return Vec::new();
    };
    old.images
        .iter()
        // Only plain relative paths inside the folder, whatever the old file says.
        .filter(|p| !p.starts_with('/') && !p.split(['/', '\\']).any(|s| s == ".." || s.is_empty()))
        .filter(|p| !files.iter().any(|(f, _)| f == Path::new(p.as_str())))
        .map(|p| dir.join(p))
        .collect()
}

/// Removes the files [`stale_images`] found (one already gone is no matter).
pub fn remove_stale_images(stale: &[PathBuf]) {
    for path in stale {
        let _ = std::fs::remove_file(path);
    }
}

/// [`Site::publication_files`] with templates loaded for this one call.
pub fn publication_files(
    root: &Path,
    project: &Project,
    publication: &Publication,
    outputs: &[SiteEdition],
    overdue_since: Option<NaiveDate>,
) -> Result<Vec<(PathBuf, Vec<u8>)>, Problem> {
    Site::load(root, project)?.publication_files(project, publication, outputs, overdue_since)
}

/// [`Site::write_catalogue`] with templates loaded for this one call: the catalogue of
/// every entry under `out`, judged current or not on `today`; publications withdrawn now
/// are stamped with `source_date_epoch` (else `today`).
pub fn write_catalogue(
    root: &Path,
    project: &Project,
    out: &Path,
    today: NaiveDate,
    source_date_epoch: Option<i64>,
) -> Result<CatalogueWritten, Problem> {
    Site::load(root, project)?.write_catalogue(project, out, today, source_date_epoch)
}

/// The approved versions as a page shows them: newest first, with the day in words.
fn changes_view(changes: &[changes::VersionChanges]) -> Vec<serde_json::Value> {
    changes
        .iter()
        .rev()
        .map(|c| {
            // The text before the first heading is named in the site's words, the
            // sections by their headings, in the publication's language.
            let titles = |list: &[String]| -> Vec<serde_json::Value> {
                list.iter()
                    .map(|t| json!({"title": t, "opening": t == changes::OPENING}))
                    .collect()
            };
            json!({
                "version": c.version,
                "approved": c
                    .approved
                    .parse::<NaiveDate>()
                    .map_or_else(|_| c.approved.clone(), long_date),
                "since": c.since,
                "changed": titles(&c.changed),
                "added": titles(&c.added),
                "removed": titles(&c.removed),
            })
        })
        .collect()
}

/// What every page says about the site: its language, the publisher, other formats.
fn site_context(project: &Project) -> serde_json::Value {
    json!({
        "language": project.web.language,
        "publisher": project.publisher,
        "other_formats": project.web.other_formats,
    })
}

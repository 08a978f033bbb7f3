//! The project-wide files of the site: `index.html` (the catalogue), `catalogue.json`
//! (the manifest, `docs/catalogue.schema.json`), `feed.xml` (Atom), a page per partner with
//! co-branded files (`brand-<id>.html`, see [`super::brands`]) and the stylesheet and
//! script, made from every `OUT/*/entry.json` and written together, atomically.
//!
//! The entries are all it reads, so the catalogue is the same after one build, after
//! several builds of parts of the project, or after shards are merged; a publication whose
//! last build failed keeps its last good entry. The output depends only on the entries,
//! the templates and `today` (which publications are current): the same folder gives the
//! same bytes.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::catalogue_page::number_formats;
use super::entry::{CatalogueEntry, ENTRY_FILE, ENTRY_SCHEMA};
use super::manifest;
use super::read::subfolders;
pub use super::read::{Read, CATALOGUE_SCHEMA};
use super::takedown::{self, GoneNow};
use super::templates;
use super::view::{ReviewState, View};
pub use super::written::CatalogueWritten;
use super::Site;
use crate::diag::{display_path, Location, Problem};
use crate::export::atomic::Batch;
use crate::project::{Project, CONTENT_DIR};

impl Site {
    /// Writes the catalogue of every entry under `out` for the project at `root`.
    /// `source_date_epoch` stamps the withdrawals this build makes (else `today`).
    pub fn write_catalogue(
        &self,
        project: &Project,
        out: &Path,
        today: NaiveDate,
        source_date_epoch: Option<i64>,
    ) -> Result<CatalogueWritten, Problem> {
        let mut written = CatalogueWritten::default();
        let (mut read, gone_now) = self.read_entries(project, out, today, &mut written)?;
        let notices =
            takedown::withdraw_all(out, &read, gone_now, today, source_date_epoch, &mut written)?;
        read.sort_by(|a, b| {
            (a.entry.title.to_lowercase(), &a.entry.id)
                .cmp(&(b.entry.title.to_lowercase(), &b.entry.id))
        });
        let mut views = views(&read);
        written.not_current = views
            .iter()
            .filter(|v| v.status == ReviewState::NotCurrent)
            .map(|v| v.id.clone())
            .collect();
        let formats = number_formats(&mut views);
        let (brand_pages, brands) = self.brand_pages(project, out, today, &read, &views)?;
        let (listed, stale): (Vec<&View>, Vec<&View>) = views
            .iter()
            .partition(|v| v.status != ReviewState::NotCurrent);
        written.listed = listed.len();
        let index = self.catalogue_page(project, today, (&listed, &stale), &formats, &brands)?;
        let feed = self.feed(project, &read, &notices)?;
        let manifest = manifest::bytes(project, today, &read);
        let pages_gone = super::brands::stale_pages(out, &brand_pages);
        let files = self.catalogue_files(index, manifest, feed, brand_pages)?;
        written.files = write_together(out, &files, &pages_gone)?;
        Ok(written)
    }

    /// Every entry under `out`, sorted: those to list, with their dates and review state,
    /// and those of publications withdrawn from `content/`, with their folders. Entries that
    /// cannot be read or sit in another publication's folder go to `written.refused`.
    fn read_entries(
        &self,
        project: &Project,
        out: &Path,
        today: NaiveDate,
        written: &mut CatalogueWritten,
    ) -> Result<(Vec<Read>, GoneNow), Problem> {
        let mut read = Vec::new();
        let mut gone_now: GoneNow = Vec::new();
        for (folder, entry) in entries(out) {
            let entry = match entry {
                Ok(entry) => entry,
                Err(problem) => {
                    written.refused.push(problem);
                    continue;
                }
            };
            let rel = folder.strip_prefix(out).unwrap_or(&folder);
            let rel = rel.to_string_lossy().replace('\\', "/");
            if self.source_gone(&entry.folder) || self.source_gone(&rel) {
                // Withdrawn: its files come down once the withdrawal is on record.
                gone_now.push((folder, entry));
                continue;
            }
            if rel != entry.folder {
                written.refused.push(misplaced_entry(&entry, &folder));
                continue;
            }
            read.push(dated_entry(project, out, today, entry)?);
        }
        Ok((read, gone_now))
    }

    /// Whether the publication of the output folder `folder` (`<id>` or `<id>/<lang>`) has
    /// no source folder under `content/` any more.
    fn source_gone(&self, folder: &str) -> bool {
        let source = folder.split('/').next().unwrap_or_default();
        !self.root.join(CONTENT_DIR).join(source).is_dir()
    }

    /// The catalogue's files, by name from `out`, in the order they are written: the page,
    /// the manifest, the feed, the partners' pages, then the stylesheet and the script.
    fn catalogue_files(
        &self,
        index: String,
        manifest: Vec<u8>,
        feed: String,
        brand_pages: Vec<(String, String)>,
    ) -> Result<Vec<(String, Vec<u8>)>, Problem> {
        let mut files: Vec<(String, Vec<u8>)> = vec![
            (templates::INDEX.to_string(), index.into_bytes()),
            ("catalogue.json".to_string(), manifest),
            (templates::FEED.to_string(), feed.into_bytes()),
        ];
        files.extend(
            brand_pages
                .into_iter()
                .map(|(n, html)| (n, html.into_bytes())),
        );
        for name in templates::ASSETS {
            files.push((name.to_string(), self.templates.asset(&self.root, name)?));
        }
        Ok(files)
    }
}

/// `entry` with its dates and its review state on `today`; fails when a date in it is not
/// one (pointing at its file under `out`).
fn dated_entry(
    project: &Project,
    out: &Path,
    today: NaiveDate,
    entry: CatalogueEntry,
) -> Result<Read, Problem> {
    let file = out.join(&entry.folder).join(ENTRY_FILE);
    let date = |s: &str| {
        s.parse::<NaiveDate>().map_err(|_| {
            Problem::error(format!(
                "the catalogue entry has a date `{s}` that is not one"
            ))
            .at(Location::file(&file))
            .hint("build the publication again")
        })
    };
    let (reviewed, next) = (date(&entry.date_reviewed)?, date(&entry.next_review)?);
    let status = ReviewState::judge(
        next,
        entry.overdue_allowed,
        today,
        project.checks.review_warning_days,
    );
    Ok(Read {
        entry,
        reviewed,
        next,
        status,
    })
}

/// Why `entry`, found in `folder`, is left out: it is another publication's.
fn misplaced_entry(entry: &CatalogueEntry, folder: &Path) -> Problem {
    Problem::error(format!(
        "the catalogue entry of `{}` is in another publication's folder; it is left out",
        crate::diag::render::printable(&entry.id)
    ))
    .at(Location::file(folder.join(ENTRY_FILE)))
    .hint("delete the entry (folio writes each entry in its publication's own folder) and build again")
}

/// The entries as the catalogue's pages show them, linked from the top of the output folder.
fn views(read: &[Read]) -> Vec<View> {
    read.iter()
        .map(|r| {
            View::new(
                &r.entry,
                (r.reviewed, r.next),
                r.status,
                &format!("{}/", r.entry.folder),
            )
        })
        .collect()
}

/// Writes `files` into `out` in one atomic batch, leaving untouched those already as they
/// should be, then removes `pages_gone`; returns the paths of `files`.
fn write_together(
    out: &Path,
    files: &[(String, Vec<u8>)],
    pages_gone: &[PathBuf],
) -> Result<Vec<PathBuf>, Problem> {
    let mut paths = Vec::new();
    let mut batch = Batch::within(out);
    for (name, bytes) in files {
        let path = out.join(name);
        paths.push(path.clone());
        // A build that changed nothing touches nothing. (Only a file is read: a FIFO
        // put in its place would block.)
        let file = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
        if file && std::fs::read(&path).is_ok_and(|old| old == *bytes) {
            continue;
        }
        batch
            .stage(&path, bytes)
            .map_err(|e| cannot_write(&path, e))?;
    }
    batch.commit().map_err(|(path, e)| cannot_write(&path, e))?;
    // A partner without current co-branded files has no page any more.
    for path in pages_gone {
        std::fs::remove_file(path).map_err(|e| cannot_write(path, e))?;
    }
    Ok(paths)
}

/// The problem of a catalogue file that could not be written (or removed) at `path`.
fn cannot_write(path: &Path, e: std::io::Error) -> Problem {
    Problem::error(format!("cannot write {}: {e}", display_path(path)))
        .at(Location::file(path))
        .hint("check that the output folder is writable and has room; the last catalogue was kept")
}

/// Every `OUT/<id>/entry.json` and translation's `OUT/<id>/<lang>/entry.json`, in folder
/// order, each read or refused with the reason (a refused entry is left out of the
/// catalogue; it does not stop the others).
fn entries(out: &Path) -> Vec<(PathBuf, Result<CatalogueEntry, Problem>)> {
    let folders: Vec<PathBuf> = subfolders(out)
        .into_iter()
        .flat_map(|f| std::iter::once(f.clone()).chain(subfolders(&f)))
        .filter(|p| std::fs::symlink_metadata(p.join(ENTRY_FILE)).is_ok())
        .collect();
    folders
        .into_iter()
        .map(|folder| {
            let file = folder.join(ENTRY_FILE);
            let wrong = |why: String| {
                Problem::error(format!("cannot read the catalogue entry: {why}"))
                    .at(Location::file(&file))
                    .hint("build the publication again (`folio build` rewrites its entry), or delete the folder if it is not a publication's")
            };
            let read = || {
                let meta = std::fs::symlink_metadata(&file).map_err(|e| wrong(e.to_string()))?;
                if !meta.is_file() || meta.len() > MAX_ENTRY_BYTES {
                    return Err(wrong("it is not a file of a sane size (a link, a FIFO?)".into()));
                }
                let bytes = std::fs::read(&file).map_err(|e| wrong(e.to_string()))?;
                let entry: CatalogueEntry =
                    serde_json::from_slice(&bytes).map_err(|e| wrong(e.to_string()))?;
                if entry.schema != ENTRY_SCHEMA {
                    return Err(wrong(format!(
                        "it has format {} and this folio writes {ENTRY_SCHEMA}",
                        entry.schema
                    )));
                }
                entry.check_paths().map_err(&wrong)?;
                Ok(entry)
            };
            let result = read();
            (folder, result)
        })
        .collect()
}

/// The largest entry.json read: a publication with a hundred editions has a few KB.
const MAX_ENTRY_BYTES: u64 = 1024 * 1024;

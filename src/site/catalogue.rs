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
use serde_json::json;

use super::brands::BrandLink;
use super::entry::{CatalogueEntry, ENTRY_FILE, ENTRY_SCHEMA};
use super::manifest;
pub use super::read::{Read, CATALOGUE_SCHEMA};
use super::templates;
use super::view::{ReviewState, View};
use super::withdrawn::{self, Notice};
use super::{site_context, Site};
use crate::diag::{display_path, long_date, Location, Problem};
use crate::export::atomic::Batch;
use crate::project::{Project, CONTENT_DIR};

/// Above this size, the catalogue page lists each publication's formats and links to its
/// page for the files, instead of describing every file: it must stay under 500 KB.
pub const COMPACT_ABOVE: usize = 450_000;

/// What writing the catalogue did.
#[derive(Debug, Clone, Default)]
pub struct CatalogueWritten {
    /// The catalogue's files, `index.html` first (those already as they should be are
    /// left untouched).
    pub files: Vec<PathBuf>,
    /// Publications listed as current (including those listed as overdue on purpose).
    pub listed: usize,
    /// Publications past their review date, listed apart as not current.
    pub not_current: Vec<String>,
    /// Entries left out because their publication is no longer under `content/`.
    pub removed: Vec<String>,
    /// What was removed of each withdrawn publication (see [`withdraw`]).
    pub withdrawn: Vec<Withdrawn>,
    /// Entries that could not be read or are not where they belong, left out (each
    /// publication's problem is its own: the catalogue of the others is still written).
    pub refused: Vec<Problem>,
}

/// A publication no longer under `content/`, whose files were taken down.
#[derive(Debug, Clone, Default)]
pub struct Withdrawn {
    pub id: String,
    /// Its output folder.
    pub folder: PathBuf,
    /// Files removed: those its entry lists, and the entry itself.
    pub removed: usize,
    /// Files left in its folder that folio has no record of making (kept: not folio's).
    pub left: usize,
}

/// Takes down a withdrawn publication: removes the files its entry records (web page,
/// cover, PDFs, braille files, e-books, the images of its web page), the files folio names
/// after them (a braille file's Unicode copy, the print job sheet, the co-branded copies
/// in `brands/<brand>/`, the page previews in `preview/<edition>/`) and then the entry, never following a link, and the folders left
/// empty. Anything else in the folder is not known to be folio's and stays (counted in
/// `left`).
fn withdraw(out: &Path, folder: &Path, entry: &CatalogueEntry) -> Withdrawn {
    let mut removed = 0;
    let plain = |p: &&String| {
        !p.starts_with('/') && !p.split(['/', '\\']).any(|s| s == ".." || s.is_empty())
    };
    let key = crate::project::PublicationKey::parse(&entry.id);
    let named = entry
        .files
        .iter()
        .filter(|f| f.profile == "braille")
        .map(|f| Path::new(&f.path).with_extension("txt"))
        .chain(
            crate::project::dist::job_sheet_names(&key)
                .into_iter()
                .map(PathBuf::from),
        );
    let brands = subfolders(&folder.join(crate::project::dist::BRANDS_DIR));
    // A partner's copies are named as the publication's own files, companions included.
    let companions: Vec<PathBuf> = entry
        .files
        .iter()
        .filter(|f| f.profile == "braille")
        .map(|f| Path::new(&f.path).with_extension("txt"))
        .collect();
    let branded: Vec<PathBuf> = brands
        .iter()
        .flat_map(|b| {
            entry
                .files
                .iter()
                .map(|f| PathBuf::from(&f.path))
                .chain(companions.iter().cloned())
                .map(move |f| b.join(f))
        })
        .collect();
    let previews: Vec<PathBuf> = entry
        .files
        .iter()
        .flat_map(|f| {
            previews(
                &folder
                    .join(crate::project::dist::PREVIEW_DIR)
                    .join(&f.edition),
            )
        })
        .collect();
    let recorded = entry
        .paths()
        .into_iter()
        .map(|p| folder.join(p))
        .chain(entry.images.iter().filter(plain).map(|p| folder.join(p)))
        .chain(named.map(|p| folder.join(p)))
        .chain(branded)
        .chain(previews)
        .chain(std::iter::once(folder.join(ENTRY_FILE)));
    for file in recorded {
        let ours = std::fs::symlink_metadata(&file).is_ok_and(|m| m.is_file());
        if ours && std::fs::remove_file(&file).is_ok() {
            removed += 1;
        }
    }
    let left = count_files(folder);
    if left == 0 {
        let _ = std::fs::remove_dir_all(folder);
        // A translation's folder sits in its source's: that goes too once empty.
        if let Some(parent) = folder.parent().filter(|p| *p != out) {
            let _ = std::fs::remove_dir(parent);
        }
    }
    Withdrawn {
        id: entry.id.clone(),
        folder: folder.to_path_buf(),
        removed,
        left,
    }
}

/// The page previews folio writes in an edition's preview folder `dir` (`page-01.png`…,
/// `contact-sheet.png`).
fn previews(dir: &Path) -> Vec<PathBuf> {
    let ours = |name: &str| {
        name == "contact-sheet.png"
            || name
                .strip_prefix("page-")
                .and_then(|n| n.strip_suffix(".png"))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| ours(&e.file_name().to_string_lossy()))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default()
}

/// Files (of any kind but folders) below `dir`, links not followed.
fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| match e.file_type() {
                    Ok(t) if t.is_dir() => count_files(&e.path()),
                    _ => 1,
                })
                .sum()
        })
        .unwrap_or(0)
}

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
        let mut read = Vec::new();
        let mut gone_now: Vec<(PathBuf, CatalogueEntry)> = Vec::new();
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
            let gone = |f: &str| {
                let source = f.split('/').next().unwrap_or_default();
                !self.root.join(CONTENT_DIR).join(source).is_dir()
            };
            if gone(&entry.folder) || gone(&rel) {
                // Withdrawn: its files come down once the withdrawal is on record.
                gone_now.push((folder, entry));
                continue;
            }
            if rel != entry.folder {
                written.refused.push(
                    Problem::error(format!(
                        "the catalogue entry of `{}` is in another publication's folder; it is left out",
                        crate::diag::render::printable(&entry.id)
                    ))
                    .at(Location::file(folder.join(ENTRY_FILE)))
                    .hint("delete the entry (folio writes each entry in its publication's own folder) and build again"),
                );
                continue;
            }
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
            read.push(Read {
                entry,
                reviewed,
                next,
                status,
            });
        }
        let notices =
            self.withdraw_all(out, &read, gone_now, today, source_date_epoch, &mut written)?;
        read.sort_by(|a, b| {
            (a.entry.title.to_lowercase(), &a.entry.id)
                .cmp(&(b.entry.title.to_lowercase(), &b.entry.id))
        });
        let mut views: Vec<View> = read
            .iter()
            .map(|r| {
                View::new(
                    &r.entry,
                    (r.reviewed, r.next),
                    r.status,
                    &format!("{}/", r.entry.folder),
                )
            })
            .collect();
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
        // Describe every file while the page stays small enough; the estimate saves
        // rendering a page that is far too large only to throw it away.
        let mut index = String::new();
        if full_size(&listed) <= COMPACT_ABOVE {
            index = self.index(project, today, (&listed, &stale), &formats, &brands, false)?;
        }
        if index.is_empty() || index.len() > COMPACT_ABOVE {
            index = self.index(project, today, (&listed, &stale), &formats, &brands, true)?;
        }
        let feed = self.feed(project, &read, &notices)?;
        let manifest = manifest::bytes(project, today, &read);

        let mut files: Vec<(String, Vec<u8>)> = vec![
            (templates::INDEX.to_string(), index.into_bytes()),
            ("catalogue.json".to_string(), manifest),
            (templates::FEED.to_string(), feed.into_bytes()),
        ];
        let pages_gone = super::brands::stale_pages(out, &brand_pages);
        files.extend(
            brand_pages
                .into_iter()
                .map(|(n, html)| (n, html.into_bytes())),
        );
        for name in templates::ASSETS {
            files.push((name.to_string(), self.templates.asset(&self.root, name)?));
        }
        let mut batch = Batch::within(out);
        let fail = |path: &Path, e: std::io::Error| {
            Problem::error(format!("cannot write {}: {e}", display_path(path)))
                .at(Location::file(path))
                .hint("check that the output folder is writable and has room; the last catalogue was kept")
        };
        for (name, bytes) in &files {
            let path = out.join(name);
            written.files.push(path.clone());
            // A build that changed nothing touches nothing. (Only a file is read: a FIFO
            // put in its place would block.)
            let file = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
            if file && std::fs::read(&path).is_ok_and(|old| old == *bytes) {
                continue;
            }
            batch.stage(&path, bytes).map_err(|e| fail(&path, e))?;
        }
        batch.commit().map_err(|(path, e)| fail(&path, e))?;
        // A partner without current co-branded files has no page any more.
        for path in pages_gone {
            std::fs::remove_file(&path).map_err(|e| fail(&path, e))?;
        }
        Ok(written)
    }

    /// Puts the publications withdrawn now on record with the stamp of this build, then
    /// takes their files down; returns every withdrawal on record for the feed. The record
    /// is written first, so that a withdrawal is never done without being remembered (if it
    /// cannot be written, nothing is taken down and the catalogue is not replaced). A
    /// record that cannot be read is left as it is, with a warning; the feed then lists
    /// this build's withdrawals only.
    fn withdraw_all(
        &self,
        out: &Path,
        read: &[Read],
        gone_now: Vec<(PathBuf, CatalogueEntry)>,
        today: NaiveDate,
        source_date_epoch: Option<i64>,
        written: &mut CatalogueWritten,
    ) -> Result<Vec<Notice>, Problem> {
        let (mut notices, readable) = match withdrawn::read(out) {
            Ok(notices) => (notices, true),
            Err(problem) => {
                written.refused.push(problem);
                (Vec::new(), false)
            }
        };
        let before = notices.clone();
        let stamp = withdrawn::stamp(source_date_epoch, today);
        for (_, entry) in &gone_now {
            notices.retain(|n| n.id != entry.id);
            notices.push(Notice::new(entry, stamp));
        }
        // Listed (its source restored, or a stray copy of a current entry taken down): not
        // withdrawn.
        notices.retain(|n| !read.iter().any(|r| r.entry.id == n.id));
        notices.sort_by(|a, b| a.id.cmp(&b.id));
        if readable && notices != before {
            withdrawn::write(out, &notices)?;
        }
        for (folder, entry) in gone_now {
            written.withdrawn.push(withdraw(out, &folder, &entry));
            written.removed.push(entry.id);
        }
        Ok(notices)
    }

    fn index(
        &self,
        project: &Project,
        today: NaiveDate,
        (listed, stale): (&[&View], &[&View]),
        formats: &[(String, String, char)],
        brands: &[BrandLink],
        compact: bool,
    ) -> Result<String, Problem> {
        let mut languages: Vec<(String, String)> = listed
            .iter()
            .map(|v| (v.language_name.clone(), v.lang.clone()))
            .collect();
        languages.sort();
        languages.dedup();
        let context = json!({
            "site": site_context(project),
            "root": "",
            "as_of": long_date(today),
            "publications": listed,
            "not_current": stale,
            "count": listed.len(),
            "compact": compact,
            "brands": brands,
            "formats": formats.iter().map(|(name, label, key)| json!({"name": name, "label": label, "key": key.to_string()})).collect::<Vec<_>>(),
            "languages": languages.iter().map(|(name, code)| json!({"name": name, "code": code})).collect::<Vec<_>>(),
        });
        self.templates.render(templates::INDEX, &context)
    }
}

/// Roughly how many bytes the catalogue page takes when it describes every file: a
/// publication's title, summary, facts and cover take about 400 bytes besides their text,
/// a file's link about 20 besides its address and description.
fn full_size(listed: &[&View]) -> usize {
    listed
        .iter()
        .map(|v| {
            let text = v.title.len() + v.summary.as_ref().map_or(0, String::len);
            let files: usize = v
                .downloads
                .iter()
                .chain(&v.for_printers)
                .map(|d| 20 + d.href.len() + d.description.len())
                .sum();
            400 + text + files
        })
        .sum()
}

/// Letters that stand for formats in the page (`data-f`), one per format.
const KEYS: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// The formats (edition name, label, one-letter key) of every publication, sorted by
/// name; each view gets the keys of its own in `formats` (formats past the 62nd share the
/// last key).
fn number_formats(views: &mut [View]) -> Vec<(String, String, char)> {
    let mut formats: Vec<(String, String)> = views
        .iter()
        .flat_map(|v| v.downloads.iter().chain(&v.for_printers))
        .map(|d| (d.edition.clone(), d.label.clone()))
        .collect();
    formats.sort();
    formats.dedup_by(|a, b| a.0 == b.0);
    let key = |i: usize| KEYS.chars().nth(i.min(KEYS.len() - 1)).unwrap_or('9');
    for v in views.iter_mut() {
        v.formats = v
            .downloads
            .iter()
            .chain(&v.for_printers)
            .filter_map(|d| formats.iter().position(|(name, _)| *name == d.edition))
            .map(key)
            .collect();
    }
    formats
        .into_iter()
        .enumerate()
        .map(|(i, (name, label))| (name, label, key(i)))
        .collect()
}

/// The folders below `dir`, sorted: real folders only (a link is not followed, so an
/// entry cannot be brought into the catalogue from outside the output folder).
fn subfolders(dir: &Path) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.path())
                .filter(|p| {
                    !p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect()
        })
        .unwrap_or_default();
    folders.sort();
    folders
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

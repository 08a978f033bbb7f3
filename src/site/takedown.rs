//! Taking down the files of publications withdrawn from `content/`, when the catalogue is
//! written: the withdrawal goes on record first ([`super::withdrawn`]), then the files folio
//! made for the publication are removed, and nothing else.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::entry::{CatalogueEntry, ENTRY_FILE};
use super::read::{subfolders, Read};
use super::withdrawn::{self, Notice};
use super::written::{CatalogueWritten, Withdrawn};
use crate::diag::Problem;

/// The entries still in the output folder of publications no longer under `content/`, each
/// with its folder: their files come down in this build.
pub(super) type GoneNow = Vec<(PathBuf, CatalogueEntry)>;

/// Puts the publications withdrawn now on record with the stamp of this build, then
/// takes their files down; returns every withdrawal on record for the feed. The record
/// is written first, so that a withdrawal is never done without being remembered (if it
/// cannot be written, nothing is taken down and the catalogue is not replaced). A
/// record that cannot be read is left as it is, with a warning; the feed then lists
/// this build's withdrawals only.
pub(super) fn withdraw_all(
    out: &Path,
    read: &[Read],
    gone_now: GoneNow,
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

/// Takes down a withdrawn publication: removes the files [`recorded_files`] names, never
/// following a link, and the folders left empty. Anything else in the folder is not known
/// to be folio's and stays (counted in `left`).
fn withdraw(out: &Path, folder: &Path, entry: &CatalogueEntry) -> Withdrawn {
    let mut removed = 0;
    for file in recorded_files(folder, entry) {
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

/// The files of a withdrawn publication in its output folder `folder`, entry last: those
/// its entry records (web page, cover, PDFs, braille files, e-books, the images of its web
/// page), then those folio names after them (a braille file's Unicode copy, the print job
/// sheet, the co-branded copies in `brands/<brand>/`, the page previews in
/// `preview/<edition>/`).
fn recorded_files(folder: &Path, entry: &CatalogueEntry) -> Vec<PathBuf> {
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
    entry
        .paths()
        .into_iter()
        .map(|p| folder.join(p))
        .chain(entry.images.iter().filter(plain).map(|p| folder.join(p)))
        .chain(named.map(|p| folder.join(p)))
        .chain(branded)
        .chain(previews)
        .chain(std::iter::once(folder.join(ENTRY_FILE)))
        .collect()
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

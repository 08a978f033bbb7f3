//! Catalogue entries as read back from an output folder, with their dates and status: what
//! the catalogue page, the manifest and the partners' pages are all made from.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::entry::CatalogueEntry;
use super::view::ReviewState;

/// The version of `catalogue.json`'s format (`schema-version`).
pub const CATALOGUE_SCHEMA: u32 = 1;

/// An entry read back, with its dates and status.
pub struct Read {
    pub entry: CatalogueEntry,
    pub reviewed: NaiveDate,
    pub next: NaiveDate,
    pub status: ReviewState,
}

/// The folders below `dir`, sorted: real folders only (a link is not followed, so an
/// entry cannot be brought into the catalogue from outside the output folder).
pub(super) fn subfolders(dir: &Path) -> Vec<PathBuf> {
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

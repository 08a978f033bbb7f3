//! Co-branded files that no longer match their publication: removed when its own files
//! change, so that no older version stays in the output folder with a hospital's details.

use std::path::{Path, PathBuf};

use crate::diag::{Location, Problem};
use crate::pipeline::brands::Branded;
use crate::project::{dist, PublicationKey};

/// Removes the co-branded PDFs of publication `id` for every brand not in `built`: called
/// when its own PDFs changed, so that no older version stays in the output folder with a
/// hospital's details on it. Returns a warning per brand removed (or not removable).
pub fn remove_brands(out: &Path, id: &PublicationKey, built: &[Branded]) -> Vec<Problem> {
    let dir = dist::brands_dir(out, id);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut stale: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .filter(|p| !built.iter().any(|b| p.file_name() == Some(b.id.as_ref())))
        .collect();
    stale.sort();
    stale
        .into_iter()
        .map(|path| {
            let brand = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            let (message, hint) = match std::fs::remove_dir_all(&path) {
                Ok(()) => (
                    format!("{id} changed: its co-branded PDFs for `{brand}` were removed, as they showed the older version"),
                    format!("make them again with `folio build --brand {brand}` (or `--all-brands`)"),
                ),
                Err(e) => (
                    format!("{id} changed, but its older co-branded PDFs for `{brand}` could not be removed: {e}"),
                    "remove the folder, or build again with that brand".to_string(),
                ),
            };
            let mut p = Problem::error(message).at(Location::file(&path)).hint(hint);
            p.severity = crate::diag::Severity::Warning;
            p
        })
        .collect()
}

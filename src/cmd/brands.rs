//! `folio build --brand ID… / --all-brands`: the editions that carry "Your hospital team"
//! (`brandable: true` in folio.yaml), made again for each approved partner and written under
//! `OUT/<publication>/brands/<id>/`, in the same atomic batch as the publication's other files.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::compile::BuildError;
use crate::content::{logo, Publication};
use crate::contract::{self, BrandData, Stamp};
use crate::diag::{Location, Problem};
use crate::pipeline::{schedule, Made, Session, Worlds};
use crate::project::brand;

/// A partner to build for: its id and what the layouts get.
#[derive(Debug, Clone)]
pub struct Branded {
    pub id: String,
    pub data: Arc<BrandData>,
}

/// Loads the brands asked for (`all`: every one under brands/), each checked, logo included.
pub fn resolve(session: &Session, ids: &[String], all: bool) -> Result<Vec<Branded>, Problem> {
    let ids: Vec<String> = if all {
        let found = brand::load_all(&session.root)?;
        if found.is_empty() {
            return Err(
                Problem::error("--all-brands: there are no brands under brands/")
                    .hint("add a folder brands/<id>/ with a brand.yaml (README \"For hospitals\")"),
            );
        }
        found.into_keys().collect()
    } else {
        ids.to_vec()
    };
    ids.iter().map(|id| load(&session.root, id)).collect()
}

/// One brand, checked, as the layouts get it.
pub fn load(root: &Path, id: &str) -> Result<Branded, Problem> {
    let folder = root.join(brand::BRANDS_DIR).join(id);
    if !folder.is_dir() {
        let mut known: Vec<String> = std::fs::read_dir(root.join(brand::BRANDS_DIR))
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .filter(|e| e.path().is_dir())
                    .filter_map(|e| e.file_name().to_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        known.sort();
        return Err(
            Problem::error(format!("no brand called `{id}`")).hint(if known.is_empty() {
                "brands are folders under brands/ with a brand.yaml".to_string()
            } else {
                format!("brands under brands/: {}", known.join(", "))
            }),
        );
    }
    let brand = brand::load(root, id)?;
    let logo = logo::load(&brand)?;
    Ok(Branded {
        id: id.to_string(),
        data: Arc::new(contract::brand(&brand, logo.as_ref(), None)),
    })
}

/// Where a branded edition goes: `OUT/<publication>/brands/<id>/<publication>-<edition>.pdf`
/// (a translation's in its own folder, `OUT/<publication>/<lang>/brands/<id>/`, named like
/// its other files).
pub fn pdf_path(out: &Path, publication: &str, brand: &str, edition: &str) -> PathBuf {
    let (stem, _) = crate::pipeline::split_key(publication);
    Session::out_dir(out, publication)
        .join(brand::BRANDS_DIR)
        .join(brand)
        .join(format!("{stem}-{edition}.pdf"))
}

/// Removes the co-branded PDFs of publication `id` for every brand not in `built`: called
/// when its own PDFs changed, so that no older version stays in the output folder with a
/// hospital's details on it. Returns a warning per brand removed (or not removable).
pub fn remove_stale(out: &Path, id: &str, built: &[Branded]) -> Vec<Problem> {
    let dir = Session::out_dir(out, id).join(brand::BRANDS_DIR);
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

/// The brandable editions among `names`.
pub fn brandable<'a>(session: &Session, names: &[&'a str]) -> Vec<&'a str> {
    names
        .iter()
        .copied()
        .filter(|n| session.project.editions[*n].brandable)
        .collect()
}

/// Makes the brandable editions among `names` for every brand: (brand id, made edition),
/// or every failure. Worlds are reused from one brand to the next.
pub fn make_all(
    session: &Session,
    publication: &Publication,
    names: &[&str],
    stamp: &Stamp,
    brands: &[Branded],
) -> Result<Vec<(String, Made)>, Vec<BuildError>> {
    let names = brandable(session, names);
    let mut worlds = Worlds::new();
    let mut made = Vec::new();
    let mut failures = Vec::new();
    for b in brands {
        let stamp = Stamp {
            brand: Some(b.data.clone()),
            ..stamp.clone()
        };
        for result in schedule::make_all(session, publication, &names, &stamp, &mut worlds) {
            match result {
                Ok(m) => made.push((b.id.clone(), m)),
                Err(e) => failures.push(e),
            }
        }
        for (_, m) in made.iter_mut().filter(|(id, _)| *id == b.id) {
            let findings = std::mem::take(&mut m.findings);
            if crate::finding::blocking(&findings, false) {
                failures.push(
                    Problem::error(format!(
                        "{} ({}) for brand `{}`: {}",
                        publication.id,
                        m.edition,
                        b.id,
                        findings
                            .iter()
                            .filter(|f| f.severity == crate::diag::Severity::Error)
                            .map(|f| f.message.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    ))
                    .hint("shorten the brand's details (brands/<id>/brand.yaml) or the leaflet sections")
                    .into(),
                );
            }
        }
    }
    if failures.is_empty() {
        Ok(made)
    } else {
        Err(failures)
    }
}

//! Partners' editions: the editions that carry "Your hospital team" (`brandable: true` in
//! folio.yaml), made again for each partner with its details (`folio build --brand`, `folio
//! serve`). Where they are written is the command's business.

use std::path::Path;
use std::sync::Arc;

use crate::compile::BuildError;
use crate::content::{logo, Publication};
use crate::contract::{self, BrandData, Stamp};
use crate::diag::Problem;
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

//! A page per partner (brand) with co-branded files in the output folder:
//! `OUT/brand-<id>.html`, the partner's name and department, and each current publication
//! with links to that partner's PDFs (`OUT/<publication>/brands/<id>/…`, as `folio build
//! --brand` writes them), plus the list of those pages for the catalogue.
//!
//! Like the rest of the catalogue it is made from what is on disk (the entries and the
//! co-branded files beside them) and the brands' files under `brands/`, so a merge of
//! shards gives the same pages as one build. The pages are files at the top of the output
//! folder, not a folder: `folio merge` copies folders (publications) from the shards and
//! makes every top-level file again.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::json;

use super::entry::human_size;
use super::read::Read;
use super::view::{url_path, ReviewState, View};
use super::{site_context, templates, Site};
use crate::diag::long_date;
use crate::diag::Problem;
use crate::project::brand::{self, BRANDS_DIR};
use crate::project::dist;
use crate::project::Project;

use crate::project::dist::BRAND_PAGE_PREFIX as PREFIX;

/// A partner's page, as the catalogue links to it.
#[derive(Debug, Clone, Serialize)]
pub struct BrandLink {
    pub id: String,
    pub name: String,
    pub department: Option<String>,
    /// The page, from the output folder.
    pub href: String,
}

/// One co-branded PDF.
#[derive(Debug, Clone, Serialize)]
struct BrandedFile {
    href: String,
    /// "A5 leaflet (A5), PDF, 98 KB".
    description: String,
}

/// Partners' pages (file name, HTML) and the catalogue's links to them.
pub(super) type BrandPages = (Vec<(String, String)>, Vec<BrandLink>);

/// The file name of brand `id`'s page.
pub fn page_name(id: &str) -> String {
    crate::project::dist::brand_page_name(id)
}

impl Site {
    /// Every partner's page (file name, HTML) and the links to them, sorted by id: one per
    /// brand with co-branded files of a current publication under `out`. `read` and
    /// `views` are the catalogue's entries and their views, in the same order.
    pub(super) fn brand_pages(
        &self,
        project: &Project,
        out: &Path,
        today: chrono::NaiveDate,
        read: &[Read],
        views: &[View],
    ) -> Result<BrandPages, Problem> {
        // brand id → (index of the publication, its co-branded files), in title order.
        let mut found: BTreeMap<String, Vec<(usize, Vec<BrandedFile>)>> = BTreeMap::new();
        for (i, (r, v)) in read.iter().zip(views).enumerate() {
            if v.status == ReviewState::NotCurrent {
                continue;
            }
            let folder = out.join(&r.entry.folder).join(dist::BRANDS_DIR);
            for id in brand_folders(&folder) {
                let files: Vec<BrandedFile> = r
                    .entry
                    .files
                    .iter()
                    .filter_map(|f| {
                        let bytes = std::fs::metadata(folder.join(&id).join(&f.path))
                            .ok()
                            .filter(std::fs::Metadata::is_file)?
                            .len();
                        Some(BrandedFile {
                            href: url_path(&format!(
                                "{}/{}/{id}/{}",
                                r.entry.folder,
                                dist::BRANDS_DIR,
                                f.path
                            )),
                            // The page count is the public file's, so none is given; a
                            // braille file or an e-book is not a PDF, its paper says what it is.
                            description: match f.profile.as_str() {
                                "braille" | "ebook" => {
                                    format!("{} ({}), {}", f.label, f.paper, human_size(bytes))
                                }
                                _ => {
                                    format!("{} ({}), PDF, {}", f.label, f.paper, human_size(bytes))
                                }
                            },
                        })
                    })
                    .collect();
                if !files.is_empty() {
                    found.entry(id).or_default().push((i, files));
                }
            }
        }
        let mut pages = Vec::new();
        let mut links = Vec::new();
        for (id, publications) in found {
            // A partner no longer under brands/ is not advertised.
            if !self.root.join(BRANDS_DIR).join(&id).is_dir() {
                continue;
            }
            let b = brand::load(&self.root, &id)?;
            let context = json!({
                "site": site_context(project),
                "root": "",
                "as_of": long_date(today),
                "brand": {
                    "id": id,
                    "name": b.name,
                    "department": b.department,
                    "approved_on": long_date(b.approved_on),
                },
                "count": publications.len(),
                "publications": publications
                    .iter()
                    .map(|(i, files)| json!({"p": views[*i], "files": files}))
                    .collect::<Vec<_>>(),
            });
            let name = page_name(&id);
            pages.push((
                name.clone(),
                self.templates.render(templates::BRAND, &context)?,
            ));
            links.push(BrandLink {
                href: url_path(&name),
                id,
                name: b.name,
                department: b.department,
            });
        }
        Ok((pages, links))
    }
}

/// The brand folders below a publication's `brands/` folder whose names are brand ids,
/// sorted.
fn brand_folders(dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter(|n| crate::project::valid_name(n))
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

/// The partner pages in `out` that are not among `kept` (their brand has no co-branded
/// file of a current publication any more).
pub fn stale_pages(out: &Path, kept: &[(String, String)]) -> Vec<std::path::PathBuf> {
    let mut stale: Vec<std::path::PathBuf> = std::fs::read_dir(out)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.path().is_file())
                .filter(|e| {
                    e.file_name().to_str().is_some_and(|n| {
                        n.starts_with(PREFIX)
                            && n.ends_with(".html")
                            && !kept.iter().any(|(k, _)| k == n)
                    })
                })
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    stale.sort();
    stale
}

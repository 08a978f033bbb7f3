//! What the server can make editions of: the publications that pass their checks and the
//! partners (brands), as one snapshot. A request takes the snapshot current when it starts
//! and uses only it, so one answer never mixes an older and a newer publication.
//!
//! Only built publications are served (those with an output folder). A new snapshot is made
//! when a build has written something: a publication's output folder
//! changed (a rebuilt or new publication, or one removed from `dist/`), or `brands/` changed.
//! [`Stamps`] are what is compared; a change is acted on only once it has held still for one
//! look (a build renames a publication's files into place one after another, so the server
//! waits for the last), and only the publications that changed are loaded again.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use crate::content::logo::{self, Logo};
use crate::content::Publication;
use crate::contract::{self, BrandData, Personal};
use crate::diag::Problem;
use crate::digest;
use crate::pipeline::Session;
use crate::project::brand::{self, Brand, BRANDS_DIR};
use crate::project::{CONTENT_DIR, FONTS_DIR, LAYOUTS_DIR, PROJECT_FILE};

/// A publication the server can make editions of.
pub struct Served {
    pub publication: Publication,
    /// SHA-256 of its folder, the layouts, the fonts, folio.yaml and folio's version.
    pub inputs: [u8; 32],
}

/// A partner: its checked brand file, its re-encoded logo, and what the layouts get.
pub struct Partner {
    pub brand: Brand,
    pub logo: Option<Logo>,
    pub data: Arc<BrandData>,
}

impl Partner {
    fn of(brand: Brand) -> Result<Partner, Problem> {
        let logo = logo::load(&brand)?;
        let data = Arc::new(contract::brand(&brand, logo.as_ref(), None));
        Ok(Partner { brand, logo, data })
    }

    /// What the layouts get for a leaflet with one patient's contact.
    pub fn personalised(&self, personal: &Personal) -> BrandData {
        contract::brand(&self.brand, self.logo.as_ref(), Some(personal))
    }
}

/// How the inputs of a snapshot looked: each publication's output folder and `brands/`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stamps {
    /// Per publication id under content/: its output folder's modification time and inode
    /// (None: not built).
    pub publications: BTreeMap<String, Option<(SystemTime, u64)>>,
    /// SHA-256 over the paths, sizes and times under brands/ (links not followed).
    pub brands: [u8; 32],
}

impl Stamps {
    /// Looks at the project and the output folder now (a few `stat`s per publication).
    pub fn take(session: &Session, dist: &Path) -> Stamps {
        use std::os::unix::fs::MetadataExt;
        let publications = session
            .publication_ids()
            .unwrap_or_default()
            .into_iter()
            .map(|id| {
                let stamp = std::fs::symlink_metadata(crate::project::dist::publication_dir(
                    dist,
                    &crate::project::PublicationKey::source(&id),
                ))
                .ok()
                .filter(|m| m.is_dir())
                .and_then(|m| Some((m.modified().ok()?, m.ino())));
                (id, stamp)
            })
            .collect();
        Stamps {
            publications,
            brands: brands_stamp(&session.root.join(BRANDS_DIR)),
        }
    }
}

fn brands_stamp(dir: &Path) -> [u8; 32] {
    fn walk(path: &Path, out: &mut Vec<String>) {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return;
        };
        let time = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        out.push(format!("{}\0{}\0{time}", path.display(), meta.len()));
        if meta.is_dir() {
            if let Ok(entries) = std::fs::read_dir(path) {
                for e in entries.flatten() {
                    walk(&e.path(), out);
                }
            }
        }
    }
    let mut lines = Vec::new();
    walk(dir, &mut lines);
    lines.sort();
    digest::sha256(lines.join("\n"))
}

/// One snapshot of what is served.
pub struct Library {
    pub publications: BTreeMap<String, Arc<Served>>,
    pub brands: BTreeMap<String, Arc<Partner>>,
    /// What the snapshot was made from.
    pub stamps: Stamps,
    /// Cache keys by (publication, edition, brand): fixed for a snapshot's life, so each is
    /// worked out once.
    pub keys: RwLock<HashMap<(String, String, String), [u8; 32]>>,
}

/// A message for the log: a publication or brand left out, or a reload.
pub type Said = Vec<String>;

impl Library {
    /// Loads everything. Publications with check errors are left out (and named in the
    /// messages); a broken brand is an error (the server does not start with it).
    pub fn load(session: &Session, dist: &Path) -> Result<(Library, Said), Problem> {
        let stamps = Stamps::take(session, dist);
        let mut said = Vec::new();
        let common = common_inputs(session);
        let mut publications = BTreeMap::new();
        for (id, stamp) in &stamps.publications {
            if stamp.is_none() {
                said.push(format!(
                    "{id} is not served: it is not built (folio build {id})"
                ));
                continue;
            }
            match load_publication(session, id, &common) {
                Ok(served) => {
                    publications.insert(id.clone(), Arc::new(served));
                }
                Err(why) => said.push(why),
            }
        }
        let brands = load_brands(session)?;
        let library = Library {
            publications,
            brands,
            stamps,
            keys: RwLock::default(),
        };
        Ok((library, said))
    }

    /// A new snapshot for `stamps`: the publications whose stamp changed loaded again, the
    /// others kept; the brands loaded again if brands/ changed (a broken brand keeps the
    /// ones before, and says so).
    pub fn reload(&self, session: &Session, stamps: Stamps) -> (Library, Said) {
        let mut said = Vec::new();
        let common = common_inputs(session);
        let mut publications = BTreeMap::new();
        for (id, stamp) in &stamps.publications {
            let unchanged = self.stamps.publications.get(id) == Some(stamp);
            if let (true, Some(kept)) = (unchanged, self.publications.get(id)) {
                publications.insert(id.clone(), kept.clone());
                continue;
            }
            if unchanged || stamp.is_none() {
                continue;
            }
            match load_publication(session, id, &common) {
                Ok(served) => {
                    said.push(format!("{id}: loaded after a build"));
                    publications.insert(id.clone(), Arc::new(served));
                }
                Err(why) => said.push(why),
            }
        }
        for id in self.publications.keys() {
            if !stamps.publications.contains_key(id) {
                said.push(format!("{id}: no longer in content/, not served"));
            }
        }
        let brands = if stamps.brands == self.stamps.brands {
            self.brands.clone()
        } else {
            match load_brands(session) {
                Ok(brands) => {
                    said.push(format!("brands/ changed: {} brand(s) loaded", brands.len()));
                    brands
                }
                Err(problem) => {
                    said.push(format!(
                        "brands/ changed but cannot be loaded ({}): the brands before are kept",
                        problem.message
                    ));
                    self.brands.clone()
                }
            }
        };
        let library = Library {
            publications,
            brands,
            stamps,
            keys: RwLock::default(),
        };
        (library, said)
    }
}

/// The hash of what every publication's editions depend on: layouts, fonts, folio.yaml and
/// folio's version; the reason when one of them cannot be read.
fn common_inputs(session: &Session) -> Result<Vec<u8>, String> {
    let mut inputs = digest::tree(&session.root, &[LAYOUTS_DIR, FONTS_DIR, PROJECT_FILE])
        .map_err(|e| format!("cannot read layouts/, fonts/ or folio.yaml: {e}"))?
        .to_vec();
    inputs.extend(env!("CARGO_PKG_VERSION").as_bytes());
    Ok(inputs)
}

/// A publication loaded for serving. One whose inputs cannot all be read is not served: a
/// cache key must never stand for files that were not seen.
fn load_publication(
    session: &Session,
    id: &str,
    common: &Result<Vec<u8>, String>,
) -> Result<Served, String> {
    let common = common
        .as_ref()
        .map_err(|why| format!("{id} is not served: {why}"))?;
    let publication = session
        .load(&crate::project::PublicationKey::source(id))
        .map_err(|problem| format!("{id} is not served: {}", problem.message))?;
    let findings = session.check_model(&publication);
    if crate::pipeline::publication::stops(&findings) {
        return Err(format!(
            "{id} is not served: it has check errors (folio check {id})"
        ));
    }
    let mut inputs = common.clone();
    let folder = format!("{CONTENT_DIR}/{id}");
    let files = digest::tree(&session.root, &[&folder])
        .map_err(|e| format!("{id} is not served: cannot read {folder}/: {e}"))?;
    inputs.extend(files);
    Ok(Served {
        publication,
        inputs: digest::sha256(inputs),
    })
}

fn load_brands(session: &Session) -> Result<BTreeMap<String, Arc<Partner>>, Problem> {
    let mut brands = BTreeMap::new();
    for (id, brand) in brand::load_all(&session.root)? {
        brands.insert(id, Arc::new(Partner::of(brand)?));
    }
    Ok(brands)
}

//! Which image of the Markdown a placed raster image is, so that a preflight finding about an
//! image names the image as the editor wrote it and its line, not a page of an edition.

use std::collections::HashMap;
use std::path::Path;

use crate::content::model::{walk, Block};
use crate::content::Publication;
use crate::diag::Location;
use crate::project::{Edition, PdfProfile};

/// The images a publication shows, by a hash of their bytes (a placed image carries the
/// bytes of its file, not its path).
#[derive(Debug, Default)]
pub struct ImageSources {
    by_hash: HashMap<u128, Shown>,
}

/// An image as the Markdown shows it.
#[derive(Debug, Clone)]
pub struct Shown {
    /// Its path as written, from the publication's folder (`images/food.jpg`).
    pub written: String,
    /// Its place in the Markdown file.
    pub at: Location,
}

impl ImageSources {
    /// The images of `publication` read from the project at `root`, for a press edition
    /// (the only kind the preflight looks at); empty for any other.
    pub fn for_edition(root: &Path, publication: &Publication, edition: &Edition) -> Self {
        if edition.pdf != PdfProfile::Press {
            return Self::default();
        }
        Self::of(root, publication)
    }

    /// Every image `publication` shows, read from the project at `root`. An image that cannot
    /// be read is left out (loading the publication already reported it).
    pub fn of(root: &Path, publication: &Publication) -> Self {
        let folder = publication
            .file
            .parent()
            .and_then(|f| f.strip_prefix(root).ok())
            .map(|f| f.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let blocks = publication.all_blocks();
        let mut shown = Vec::new();
        walk(&blocks, &mut |b| {
            if let Block::Image { src, pos, .. } = b {
                shown.push((src.clone(), *pos));
            }
        });
        let mut by_hash = HashMap::new();
        let Ok(confined) = crate::confine::Root::new(root) else {
            return Self::default();
        };
        for (src, pos) in shown {
            let rel = src.trim_start_matches('/');
            let Ok(bytes) = confined.read(Path::new(rel), crate::confine::MAX_FILE_BYTES) else {
                continue;
            };
            let written = rel
                .strip_prefix(folder.as_str())
                .map_or(rel, |r| r.trim_start_matches('/'))
                .to_string();
            let at = Location::at(&publication.file, pos.line, pos.column);
            by_hash
                .entry(typst::utils::hash128(bytes.as_slice()))
                .or_insert(Shown { written, at });
        }
        ImageSources { by_hash }
    }

    /// The Markdown image whose file has these bytes.
    pub fn find(&self, bytes: &[u8]) -> Option<&Shown> {
        self.by_hash.get(&typst::utils::hash128(bytes))
    }
}

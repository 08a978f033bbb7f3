//! `folio verify [--out DIR]`: checks that every file `catalogue.json` lists is there, with
//! the size and SHA-256 the catalogue gives. What a hospital runs after copying `dist/`,
//! and what tells an edited or damaged PDF from the one that was published. It needs no
//! project: only the output folder.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{display_path, Location, Problem};

/// The largest `catalogue.json` read (a catalogue of 10,000 publications is a few MB).
const MAX_CATALOGUE_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Deserialize)]
struct Catalogue {
    publications: Vec<Publication>,
}

#[derive(Deserialize)]
struct Publication {
    files: Vec<File>,
}

#[derive(Deserialize)]
struct File {
    path: String,
    bytes: u64,
    sha256: String,
}

/// What a verification found.
#[derive(Debug, Default)]
pub struct Verification {
    /// Files that are as listed.
    pub good: usize,
    /// Each file that is not, with what is wrong (as a located problem).
    pub mismatches: Vec<Problem>,
}

/// Verifies every file `OUT/catalogue.json` lists. `Err` when the catalogue itself cannot
/// be read.
pub fn run(out: &Path) -> Result<Verification, Problem> {
    let file = out.join("catalogue.json");
    let wrong = |why: String| {
        Problem::error(format!("cannot read the catalogue: {why}"))
            .at(Location::file(&file))
            .hint("pass the output folder of a build (`--out DIR`, default dist)")
    };
    let meta = std::fs::symlink_metadata(&file).map_err(|e| wrong(e.to_string()))?;
    if !meta.is_file() || meta.len() > MAX_CATALOGUE_BYTES {
        return Err(wrong(
            "it is not a file of a sane size (a link, a FIFO?)".into(),
        ));
    }
    let bytes = std::fs::read(&file).map_err(|e| wrong(e.to_string()))?;
    let catalogue: Catalogue = serde_json::from_slice(&bytes).map_err(|e| wrong(e.to_string()))?;
    let mut outcome = Verification::default();
    for f in catalogue.publications.iter().flat_map(|p| &p.files) {
        let path: PathBuf = out.join(&f.path);
        let plain = f
            .path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
            && !f.path.contains(['\\', ':']);
        let result = match plain {
            true => crate::site::entry::verify_file(&path, f.bytes, &f.sha256),
            false => Err("its path leads out of the output folder".to_string()),
        };
        match result {
            Ok(()) => outcome.good += 1,
            Err(why) => outcome.mismatches.push(
                Problem::error(format!(
                    "`{}` is not the file the catalogue lists: {why}",
                    crate::diag::render::printable(&f.path)
                ))
                .at(Location::file(if plain { path } else { file.clone() }))
                .hint("copy the output folder again from the build, or build again"),
            ),
        }
    }
    Ok(outcome)
}

/// The one-line verdict.
pub fn verdict(out: &Path, outcome: &Verification) -> String {
    match outcome.mismatches.len() {
        0 => format!(
            "verified {}: {} file(s), each as catalogue.json lists it",
            display_path(out),
            outcome.good
        ),
        n => format!(
            "{n} file(s) in {} are not as catalogue.json lists them ({} are)",
            display_path(out),
            outcome.good
        ),
    }
}

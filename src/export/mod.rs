//! Writing results: PDF export, atomic file writes, the emitted Typst project.

pub mod atomic;
pub mod emit;
pub mod file;
pub mod pdf;
pub mod preview;

use std::path::Path;

pub use file::EditionFile;

/// Copies the folder `from` to `to`, recursively, taking only the files `keep` accepts.
pub fn copy_tree(from: &Path, to: &Path, keep: &dyn Fn(&Path) -> bool) -> std::io::Result<()> {
    if from.is_file() {
        std::fs::copy(from, to)?;
        return Ok(());
    }
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let target = to.join(path.file_name().expect("entries have names"));
        if path.is_dir() {
            copy_tree(&path, &target, keep)?;
        } else if keep(&path) {
            std::fs::copy(&path, target)?;
        }
    }
    Ok(())
}

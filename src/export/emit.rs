//! `--emit-typst`: the exact Typst project folio compiled, as files a designer can open.

use std::path::Path;

use crate::pipeline::{Session, FONTS_DIR};
use crate::world::FolioWorld;

/// Writes the edition's project to `dir`: generated files, the layouts, the images the
/// build read, the fonts, and a `compile.sh` with the `typst compile` command that
/// reproduces the pages.
pub fn write(session: &Session, world: &FolioWorld, dir: &Path) -> std::io::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    for (path, bytes) in world.loader().generated() {
        let target = dir.join(path.trim_start_matches('/'));
        std::fs::create_dir_all(target.parent().unwrap_or(dir))?;
        std::fs::write(target, bytes.as_slice())?;
    }
    copy_tree(&session.root.join("layouts"), &dir.join("layouts"))?;
    copy_tree(&session.root.join(FONTS_DIR), &dir.join(FONTS_DIR))?;
    // Images and other files the publications use, without their Markdown (already data).
    let content = session.root.join(crate::pipeline::CONTENT_DIR);
    copy_tree(&content, &dir.join(crate::pipeline::CONTENT_DIR))?;
    let script = "#!/bin/sh\n# Reproduces folio's pages with the Typst CLI (0.15).\ncd \"$(dirname \"$0\")\"\n\
                  exec typst compile --root . --font-path fonts --ignore-system-fonts \\\n  \
                  --pdf-standard ua-1 --pdf-standard a-2a .folio/main.typ \"${1:-out.pdf}\"\n";
    std::fs::write(dir.join("compile.sh"), script)?;
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(entry.file_name()))?;
        } else if path.extension().is_none_or(|x| x != "md") {
            std::fs::copy(&path, to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

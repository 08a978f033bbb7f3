//! `--emit-typst`: the exact Typst project folio compiled, as files a designer can open.

use std::path::Path;

use super::copy_tree;
use crate::project::{PdfProfile, CONTENT_DIR, FONTS_DIR, LAYOUTS_DIR};
use crate::world::FolioWorld;

/// Writes the edition's project to `dir`: generated files, the layouts, the images the
/// build read, the fonts, and a `compile.sh` with the `typst compile` command that
/// reproduces the pages.
pub fn write(
    root: &Path,
    world: &FolioWorld,
    profile: PdfProfile,
    dir: &Path,
) -> std::io::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    for (path, bytes) in world.loader().generated() {
        let target = dir.join(path.trim_start_matches('/'));
        std::fs::create_dir_all(target.parent().unwrap_or(dir))?;
        std::fs::write(target, bytes.as_slice())?;
    }
    let all = |_: &Path| true;
    copy_tree(&root.join(LAYOUTS_DIR), &dir.join(LAYOUTS_DIR), &all)?;
    copy_tree(&root.join(FONTS_DIR), &dir.join(FONTS_DIR), &all)?;
    // Images and other files the publications use, without their Markdown (already data).
    let content = root.join(CONTENT_DIR);
    let not_markdown = |p: &Path| p.extension().is_none_or(|x| x != "md");
    copy_tree(&content, &dir.join(CONTENT_DIR), &not_markdown)?;
    // The same PDF standards folio exported with: screen editions are PDF/UA-1 + PDF/A-2a.
    let standards = match profile {
        PdfProfile::Screen => " --pdf-standard ua-1 --pdf-standard a-2a",
        PdfProfile::Press => "",
    };
    let script = format!(
        "#!/bin/sh\n# Reproduces folio's pages with the Typst CLI (0.15).\ncd \"$(dirname \"$0\")\"\n\
         exec typst compile --root . --font-path fonts --ignore-system-fonts{standards} \\\n  \
         .folio/main.typ \"${{1:-out.pdf}}\"\n"
    );
    std::fs::write(dir.join("compile.sh"), script)?;
    Ok(())
}

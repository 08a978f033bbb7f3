//! `--emit-typst`: the exact Typst project folio compiled, as files a designer can open.
//!
//! Only what the compile read is written: the generated files, the project files the world
//! served (layouts, images, data), with the very bytes it served, and the font files Typst
//! used. Nothing is copied from the project folder afresh, so a link placed there cannot
//! bring a file from elsewhere into the emitted project.

use std::path::{Component, Path};

use crate::project::{PdfProfile, FONTS_DIR};
use crate::world::FolioWorld;

/// Writes the edition's project to `dir`: generated files, the files the build read, the
/// fonts it used, and a `compile.sh` with the `typst compile` command that reproduces the
/// pages. `world` must be the world the edition was just compiled in.
pub fn write(world: &FolioWorld, profile: PdfProfile, dir: &Path) -> std::io::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let generated = world
        .loader()
        .generated()
        .map(|(path, bytes)| (path.to_string(), bytes.clone()));
    for (path, bytes) in generated.chain(world.read_files()) {
        put(
            dir,
            Path::new(path.trim_start_matches('/')),
            bytes.as_slice(),
        )?;
    }
    // `compile.sh` passes the fonts folder even when no font file was used.
    std::fs::create_dir_all(dir.join(FONTS_DIR))?;
    for (path, bytes) in world.used_font_files() {
        put(dir, &path, bytes.as_slice())?;
    }
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

/// Writes `bytes` at `rel` below `dir`. `rel` comes from the world's normalised paths; a
/// path that would still climb out of `dir` is refused rather than trusted.
fn put(dir: &Path, rel: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("refusing to emit `{}`", rel.display()),
        ));
    }
    let target = dir.join(rel);
    std::fs::create_dir_all(target.parent().unwrap_or(dir))?;
    std::fs::write(target, bytes)
}

//! Fonts: only those in the project's `fonts/` folder, so output is the same on every machine.

use std::path::Path;
use std::sync::Arc;

use typst::foundations::Bytes;
use typst::text::{Font, FontWeight};
use typst_kit::fonts::FontStore;

use crate::diag::{Location, Problem};

/// Loads every font file in `dir` (sorted by name, so the font book is deterministic).
pub fn load(dir: &Path) -> Result<Arc<FontStore>, Problem> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| {
            Problem::error(format!("cannot read the fonts folder: {e}"))
                .at(Location::file(dir))
                .hint("the project needs a fonts/ folder with the fonts its layouts use")
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                matches!(
                    x.to_ascii_lowercase().as_str(),
                    "ttf" | "otf" | "ttc" | "otc"
                )
            })
        })
        .collect();
    paths.sort();
    let mut store = FontStore::new();
    for path in paths {
        let data = std::fs::read(&path).map_err(|e| {
            Problem::error(format!("cannot read font: {e}")).at(Location::file(&path))
        })?;
        for font in Font::iter(Bytes::new(data)) {
            let mut info = font.info().clone();
            // A bold face marked bold by its style flags but given the regular weight class
            // (Noto Nastaliq Urdu Bold in Debian's fonts-noto-core 20201225) would be a second
            // "regular" face, and chosen for regular text: the book gets its true weight.
            let bold_flag =
                ttf_parser::Face::parse(font.data(), font.index()).is_ok_and(|face| face.is_bold());
            if bold_flag && info.variant.weight.to_number() < 600 {
                info.variant.weight = FontWeight::BOLD;
            }
            store.push((font, info));
        }
    }
    if store.book().families().next().is_none() {
        return Err(Problem::error("the fonts folder holds no fonts")
            .at(Location::file(dir))
            .hint("add the .ttf or .otf files the layouts use"));
    }
    Ok(Arc::new(store))
}

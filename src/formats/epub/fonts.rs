//! The fonts an e-book embeds: Atkinson Hyperlegible for Latin text, and the script's own
//! for other languages, read from the project's `fonts/` folder; and what the package
//! document says of them.

use std::path::Path;

use serde_json::{json, Value};

use crate::confine::{Root, MAX_FILE_BYTES};
use crate::diag::{Location, Problem};
use crate::project::FONTS_DIR;

/// Fonts embedded for a language, by the first letters of the files in `fonts/`: Atkinson
/// Hyperlegible for Latin text (every book), and the script's own for the others, as the
/// layouts choose them (`layouts/common/tokens.typ`).
const SCRIPT_FONTS: &[(&[&str], &str)] = &[
    (&["ar", "ur", "fa"], "NotoNaskhArabic-"),
    (&["bn"], "NotoSansBengali-"),
    (&["gu"], "NotoSansGujarati-"),
    (&["pa"], "NotoSansGurmukhi-"),
];
const LATIN_FONT: &str = "AtkinsonHyperlegible-";

/// One embedded font file.
pub(super) struct Font {
    pub(super) name: String,
    pub(super) family: String,
    pub(super) weight: u16,
    pub(super) style: &'static str,
    pub(super) bytes: Vec<u8>,
}

/// The font files for `lang`: the script's own and the Latin family, every style there is.
pub(super) fn fonts(root: &Path, lang: &str) -> Result<Vec<Font>, Problem> {
    let confined = Root::new(root).map_err(|e| {
        Problem::error(format!("cannot open the project folder: {e}")).at(Location::file(root))
    })?;
    let dir = root.join(FONTS_DIR);
    let mut names: Vec<String> = confined
        .list(&dir)
        .map_err(|e| e.problem(root))?
        .into_iter()
        .filter_map(|e| e.name.into_string().ok())
        .filter(|n| n.ends_with(".ttf") || n.ends_with(".otf"))
        .collect();
    names.sort();
    let mut prefixes: Vec<&str> = SCRIPT_FONTS
        .iter()
        .filter(|(langs, _)| langs.contains(&lang))
        .map(|(_, p)| *p)
        .collect();
    prefixes.push(LATIN_FONT);
    let mut out = Vec::new();
    for prefix in prefixes {
        for name in names.iter().filter(|n| n.starts_with(prefix)) {
            let style_name = name[prefix.len()..].rsplit_once('.').map_or("", |(s, _)| s);
            let (weight, style) = match style_name {
                "Regular" => (400, "normal"),
                "Italic" => (400, "italic"),
                "Bold" => (700, "normal"),
                "BoldItalic" => (700, "italic"),
                _ => continue,
            };
            let bytes = confined
                .read(&dir.join(name), MAX_FILE_BYTES)
                .map_err(|e| e.problem(root))?;
            out.push(Font {
                name: name.clone(),
                family: prefix.trim_end_matches('-').to_string(),
                weight,
                style,
                bytes,
            });
        }
    }
    Ok(out)
}

/// The package document's manifest entries for the fonts, with what the style sheet's
/// `@font-face` rules need.
pub(super) fn font_items(fonts: &[Font]) -> Vec<Value> {
    fonts
        .iter()
        .enumerate()
        .map(|(i, f)| json!({"id": format!("font-{}", i + 1), "href": format!("fonts/{}", f.name), "family": f.family, "weight": f.weight, "style": f.style}))
        .collect()
}

/// The font families of `fonts`, each once, in their order.
pub(super) fn families(fonts: &[Font]) -> Vec<String> {
    let mut families: Vec<String> = Vec::new();
    for f in fonts {
        if !families.contains(&f.family) {
            families.push(f.family.clone());
        }
    }
    families
}

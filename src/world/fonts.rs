//! Fonts: only those in the project's `fonts/` folder, so output is the same on every machine.
//!
//! Font files are read under the confinement rule of [`crate::confine`]: a font that is a
//! link out of the project (a system font, or any file at all) and a FIFO or device named
//! like a font are refused with an error naming the file, before anything is opened.

use std::any::Any;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::foundations::Bytes;
use typst::text::{Font, FontWeight};
use typst_kit::fonts::{FontSource, FontStore};

use crate::confine::{self, ConfineError, EntryKind, Root};
use crate::diag::{Location, Problem};

/// A font loaded from a project file, remembering which file (for `--emit-typst`).
struct ProjectFont {
    font: Font,
    /// The file, relative to the project root (e.g. `fonts/Atkinson-Regular.ttf`).
    file: PathBuf,
}

impl FontSource for ProjectFont {
    fn load(&self) -> Option<Font> {
        Some(self.font.clone())
    }
}

/// The file (relative to the project root) and its bytes of the font at `index` in a store
/// made by [`load`].
pub fn file_of(store: &FontStore, index: usize) -> Option<(&Path, Bytes)> {
    let source: &dyn Any = store.source(index)?;
    let font = source.downcast_ref::<ProjectFont>()?;
    Some((&font.file, font.font.data().clone()))
}

/// Loads every font file in `dir`, which is the `fonts/` folder directly below the project
/// root (sorted by name, so the font book is deterministic).
pub fn load(dir: &Path) -> Result<Arc<FontStore>, Problem> {
    let root = dir.parent().unwrap_or(Path::new("."));
    let folder_problem = |e: ConfineError| match e {
        ConfineError::NotFound { .. } => e
            .problem(root)
            .hint("the project needs a fonts/ folder with the fonts its layouts use"),
        _ => e.problem(root),
    };
    let confined = Root::new(root).map_err(|e| {
        Problem::error(format!("cannot read the fonts folder: {e}")).at(Location::file(dir))
    })?;
    let rel = dir.strip_prefix(root).unwrap_or(dir);
    let entries = confined.list(rel).map_err(folder_problem)?;
    let mut store = FontStore::new();
    for entry in entries {
        if !is_font_name(&entry.path) {
            continue;
        }
        let refused = |kind: &'static str| ConfineError::WrongKind {
            path: entry.path.clone(),
            kind,
            expected: "font file",
        };
        let err = match entry.kind {
            EntryKind::File => None,
            EntryKind::Outside => Some(ConfineError::Outside {
                path: entry.path.clone(),
            }),
            EntryKind::Dir => Some(refused("a folder")),
            EntryKind::Special(kind) => Some(refused(kind)),
        };
        if let Some(e) = err {
            return Err(e
                .problem(root)
                .hint("fonts must be ordinary files inside fonts/: copy the font in"));
        }
        let data = confined
            .read(&entry.path, confine::MAX_FILE_BYTES)
            .map_err(|e| e.problem(root))?;
        let data = Bytes::new(data);
        for font in Font::iter(data) {
            let mut info = font.info().clone();
            // A bold face marked bold by its style flags but given the regular weight class
            // (Noto Nastaliq Urdu Bold in Debian's fonts-noto-core 20201225) would be a second
            // "regular" face, and chosen for regular text: the book gets its true weight.
            let bold_flag =
                ttf_parser::Face::parse(font.data(), font.index()).is_ok_and(|face| face.is_bold());
            if bold_flag && info.variant.weight.to_number() < 600 {
                info.variant.weight = FontWeight::BOLD;
            }
            let file = entry.path.clone();
            store.push((ProjectFont { font, file }, info));
        }
    }
    if store.book().families().next().is_none() {
        return Err(Problem::error("the fonts folder holds no fonts")
            .at(Location::file(dir))
            .hint("add the .ttf or .otf files the layouts use"));
    }
    Ok(Arc::new(store))
}

/// Whether a file name has a font extension.
fn is_font_name(path: &Path) -> bool {
    path.extension().and_then(|x| x.to_str()).is_some_and(|x| {
        matches!(
            x.to_ascii_lowercase().as_str(),
            "ttf" | "otf" | "ttc" | "otc"
        )
    })
}

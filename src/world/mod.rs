//! The Typst `World` for one (publication, edition): a thin adapter over stores.
//!
//! Files come from [`ProjectFiles`] (confined to the root, plus generated virtual files);
//! fonts from the project's `fonts/` folder only; the date is fixed. The world records what
//! the compile read (files and fonts) so that `--emit-typst` copies exactly that. A world is kept alive
//! between compiles in watch mode: [`FolioWorld::reset`] lets Typst reuse everything that
//! did not change.

pub mod files;
pub mod fonts;
pub mod sources;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use typst::diag::FileResult;
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::datetime::Time;
use typst_kit::diagnostics::DiagnosticWorld;
use typst_kit::files::FileStore;
use typst_kit::fonts::FontStore;

pub use files::{project_id, ProjectFiles, VIRTUAL_DIR};
pub use sources::SharedSources;

/// Where the generated main file is served.
pub const MAIN: &str = "/.folio/main.typ";
/// Where the publication data for the layout is served.
pub const DATA: &str = "/.folio/data.json";
/// Where a brand's logo (checked and re-encoded) is served.
pub const LOGO: &str = "/.folio/logo.png";

/// What every world of a session shares: the standard library (built and hashed, for
/// comemo, once) and the parsed layout sources.
#[derive(Clone)]
pub struct Shared {
    pub library: Arc<LazyHash<Library>>,
    pub sources: Arc<SharedSources>,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            library: standard_library(),
            sources: Arc::default(),
        }
    }
}

/// A compilation environment for one edition of one publication.
pub struct FolioWorld {
    /// Shared by every world of a session.
    library: Arc<LazyHash<Library>>,
    sources: Arc<SharedSources>,
    fonts: Arc<FontStore>,
    files: FileStore<ProjectFiles>,
    main: FileId,
    time: Time,
    /// Indices of the fonts Typst loaded, over the world's life (for `--emit-typst`).
    used_fonts: Mutex<BTreeSet<usize>>,
}

impl FolioWorld {
    /// A world over `root` with the given fonts and a fixed date (seconds since the epoch).
    pub fn new(root: &Path, fonts: Arc<FontStore>, timestamp: i64) -> std::io::Result<Self> {
        Self::with_shared(root, fonts, timestamp, &Shared::default())
    }

    /// A world sharing the library and parsed sources of `shared` with other worlds.
    pub fn with_shared(
        root: &Path,
        fonts: Arc<FontStore>,
        timestamp: i64,
        shared: &Shared,
    ) -> std::io::Result<Self> {
        let time = Time::fixed_timestamp(timestamp)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))?;
        Ok(Self {
            library: shared.library.clone(),
            sources: shared.sources.clone(),
            fonts,
            files: FileStore::new(ProjectFiles::new(root)?),
            main: project_id(MAIN),
            time,
            used_fonts: Mutex::new(BTreeSet::new()),
        })
    }

    /// Serves generated content at a rooted path such as [`DATA`].
    pub fn set_generated(&mut self, path: &str, bytes: Vec<u8>) {
        self.files
            .loader_mut()
            .set_generated(path, Bytes::new(bytes));
    }

    /// Marks every file stale so that the next compile sees changes on disk and in generated
    /// files, while keeping parsed sources for incremental reuse.
    pub fn reset(&mut self) {
        self.files.reset();
        self.files.loader_mut().forget_reads();
    }

    /// The project files the last compile read, by rooted path, with the bytes it read:
    /// exactly what `--emit-typst` copies (generated files come from [`Self::loader`]).
    pub fn read_files(&self) -> Vec<(String, Bytes)> {
        self.files.loader().read_files()
    }

    /// The font files Typst used (relative to the project root), with their bytes, sorted.
    pub fn used_font_files(&self) -> Vec<(PathBuf, Bytes)> {
        let used = self.used_fonts.lock().expect("used fonts");
        let mut files: Vec<(PathBuf, Bytes)> = used
            .iter()
            .filter_map(|&i| fonts::file_of(&self.fonts, i))
            .map(|(path, bytes)| (path.to_path_buf(), bytes))
            .collect();
        // A collection file serves several fonts: copy it once.
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files.dedup_by(|a, b| a.0 == b.0);
        files
    }

    /// The file loader, for reading back generated files (`--emit-typst`).
    pub fn loader(&self) -> &ProjectFiles {
        self.files.loader()
    }
}

/// Typst's standard library, as every folio world uses it (no inputs, no features).
pub fn standard_library() -> Arc<LazyHash<Library>> {
    Arc::new(LazyHash::new(Library::default()))
}

impl World for FolioWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        // Generated files differ per world; project files (the layouts) are the same for all.
        if files::is_generated(id) {
            return self.files.source(id);
        }
        let bytes = self.files.file(id)?;
        self.sources.get(id, &bytes)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.file(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.used_fonts.lock().expect("used fonts").insert(index);
        self.fonts.font(index)
    }

    fn today(&self, offset: Option<Duration>) -> Option<Datetime> {
        self.time.today(offset)
    }
}

impl DiagnosticWorld for FolioWorld {
    fn name(&self, id: FileId) -> String {
        match self.files.loader().real_path(id) {
            Some(path) => crate::diag::display_path(&path),
            None => id.vpath().get_with_slash().to_string(),
        }
    }
}

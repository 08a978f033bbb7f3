//! The Typst `World` for one (publication, edition): a thin adapter over stores.
//!
//! Files come from [`ProjectFiles`] (confined to the root, plus generated virtual files);
//! fonts from the project's `fonts/` folder only; the date is fixed. A world is kept alive
//! between compiles in watch mode: [`FolioWorld::reset`] lets Typst reuse everything that
//! did not change.

pub mod files;
pub mod fonts;

use std::path::Path;
use std::sync::Arc;

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

/// Where the generated main file is served.
pub const MAIN: &str = "/.folio/main.typ";
/// Where the publication data for the layout is served.
pub const DATA: &str = "/.folio/data.json";
/// Where a brand's logo (checked and re-encoded) is served.
pub const LOGO: &str = "/.folio/logo.png";

/// A compilation environment for one edition of one publication.
pub struct FolioWorld {
    library: LazyHash<Library>,
    fonts: Arc<FontStore>,
    files: FileStore<ProjectFiles>,
    main: FileId,
    time: Time,
}

impl FolioWorld {
    /// A world over `root` with the given fonts and a fixed date (seconds since the epoch).
    pub fn new(root: &Path, fonts: Arc<FontStore>, timestamp: i64) -> std::io::Result<Self> {
        let time = Time::fixed_timestamp(timestamp)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))?;
        Ok(Self {
            library: LazyHash::new(Library::default()),
            fonts,
            files: FileStore::new(ProjectFiles::new(root)?),
            main: project_id(MAIN),
            time,
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
    }

    /// The project files the last compile read (not generated ones): what to watch.
    pub fn dependencies(&mut self) -> Vec<std::path::PathBuf> {
        let (loader, ids) = self.files.dependencies();
        let mut paths: Vec<_> = ids.filter_map(|id| loader.real_path(id)).collect();
        paths.sort();
        paths
    }

    /// The file loader, for reading back generated files (`--emit-typst`).
    pub fn loader(&self) -> &ProjectFiles {
        self.files.loader()
    }
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
        self.files.source(id)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.file(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
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

//! One confinement rule for every file folio reads from a project's sources.
//!
//! A project is input from people folio does not control: a publication may arrive as a
//! folder someone else prepared. So every read of a source (folio.yaml, Markdown sources and
//! translations with their records, approvals and approved copies, images, brands and logos,
//! layouts and the site's templates, fonts, the ICC output profile) goes through [`Root`]:
//!
//! - the path is resolved with every symlink followed, and refused when it ends up outside
//!   the project root (a link to `/etc/passwd` is refused, a link to another file of the
//!   project is fine);
//! - the target must be a regular file, checked with metadata *before* opening it, so a FIFO
//!   or a device never blocks or streams forever;
//! - the size is checked before reading and the read stops at the limit, so a huge file
//!   cannot exhaust memory;
//! - errors are typed, name the path as the user wrote it (relative to the root) and never
//!   carry anything read from the refused file.
//!
//! Images get a further check of their content in [`images`].
//!
//! Files that are not sources have rules of their own, in the modules that read them: the
//! build cache's records (regular files only, never through a link; its folder hashes in
//! `crate::digest`, which never follow a link), the shards `folio merge` reads, the lines
//! a diagnostic quotes (`diag::render`), `folio serve`'s cache and static files (`serve::regular`)
//! and its tokens file, read with [`read_outside`] since it lies outside any project.

pub mod images;

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diag::{Location, Problem};

/// Largest text file folio parses itself (Markdown, `folio.yaml`): 8 MiB. A publication is a
/// few thousand words; anything near this size is a mistake or an attack.
pub const MAX_TEXT_BYTES: u64 = 8 * 1024 * 1024;

/// Largest other file (images, fonts, layouts, data the layouts read): 128 MiB, room for a
/// print-resolution photograph or a large font collection.
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;

/// Why a file of the project was not read.
#[derive(Debug, thiserror::Error)]
pub enum ConfineError {
    /// The path, or a symlink on the way, leads outside the project root (or to nothing).
    #[error("`{}` leads outside the project folder", .path.display())]
    Outside { path: PathBuf },
    /// Nothing at that path.
    #[error("`{}` not found", .path.display())]
    NotFound { path: PathBuf },
    /// A folder, FIFO, socket or device where a file was expected (or a file where a folder
    /// was expected).
    #[error("`{}` is {kind}, not a {expected}", .path.display())]
    WrongKind {
        path: PathBuf,
        kind: &'static str,
        expected: &'static str,
    },
    /// Larger than the limit for its kind of file.
    #[error("`{}` is larger than {}", .path.display(), size_text(*.limit))]
    TooLarge { path: PathBuf, limit: u64 },
    /// The file was replaced between the check and the read (a race, or an attack).
    #[error("`{}` changed while it was read", .path.display())]
    Changed { path: PathBuf },
    /// The operating system refused (permissions, I/O error).
    #[error("cannot read `{}`: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl ConfineError {
    /// The refused path, relative to the project root when it is below it.
    pub fn path(&self) -> &Path {
        match self {
            Self::Outside { path }
            | Self::NotFound { path }
            | Self::WrongKind { path, .. }
            | Self::TooLarge { path, .. }
            | Self::Changed { path }
            | Self::Io { path, .. } => path,
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            Self::Outside { .. } => {
                "folio reads only files inside the project folder: copy the file in instead of \
                 linking to it (links that lead nowhere are refused too)"
            }
            Self::NotFound { .. } => "check the name and that the file exists",
            Self::WrongKind { .. } => "replace it with an ordinary file (or folder) of that name",
            Self::TooLarge { .. } => "make the file smaller, or check that it is the right file",
            Self::Changed { .. } => "build again once nothing is changing the project's files",
            Self::Io { .. } => "check the file's permissions",
        }
    }

    /// The error as a [`Problem`] located at the file (no line: the file is not shown).
    pub fn problem(&self, root: &Path) -> Problem {
        Problem::error(self.to_string())
            .at(Location::file(root.join(self.path())))
            .hint(self.hint())
    }
}

/// What a directory entry turned out to be, once links are followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file inside the root.
    File,
    /// A folder inside the root.
    Dir,
    /// A link that leads outside the root, or to nothing.
    Outside,
    /// Something that is neither a file nor a folder: FIFO, socket, device.
    Special(&'static str),
}

/// One entry of a confined directory listing.
#[derive(Debug, Clone)]
pub struct ListedEntry {
    /// The path as listed (the directory as given, joined with the name): not resolved.
    pub path: PathBuf,
    pub name: OsString,
    pub kind: EntryKind,
}

/// A project root that every read is confined to.
#[derive(Debug, Clone)]
pub struct Root {
    /// The root with every symlink resolved: what resolved paths are compared with.
    real: PathBuf,
    /// The root as given, to show paths below it relative to it.
    given: PathBuf,
}

impl Root {
    /// Confines reads to `root`, which must exist.
    pub fn new(root: &Path) -> std::io::Result<Root> {
        Ok(Root {
            real: root.canonicalize()?,
            given: root.to_path_buf(),
        })
    }

    /// The root with symlinks resolved.
    pub fn path(&self) -> &Path {
        &self.real
    }

    /// `path` as the user knows it: relative to the root when it is below it.
    pub fn shown(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.given)
            .or_else(|_| path.strip_prefix(&self.real))
            .unwrap_or(path)
            .to_path_buf()
    }

    /// Resolves `path` (relative to the root, or absolute) to its real path inside the root.
    fn resolve(&self, path: &Path) -> Result<PathBuf, ConfineError> {
        let full = self.given.join(path);
        let shown = self.shown(path);
        match full.canonicalize() {
            Ok(real) if real.starts_with(&self.real) => Ok(real),
            Ok(_) => Err(ConfineError::Outside { path: shown }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // Missing, or a dangling link. Either way, answer "outside" when the nearest
                // existing ancestor is outside, so the error tells nothing about files there.
                let ancestor = full.ancestors().skip(1).find_map(|a| a.canonicalize().ok());
                let dangling = std::fs::symlink_metadata(&full).is_ok();
                if dangling || ancestor.is_none_or(|a| !a.starts_with(&self.real)) {
                    Err(ConfineError::Outside { path: shown })
                } else {
                    Err(ConfineError::NotFound { path: shown })
                }
            }
            Err(source) => Err(ConfineError::Io {
                path: shown,
                source,
            }),
        }
    }

    /// The real path of a folder inside the root.
    pub fn dir(&self, path: &Path) -> Result<PathBuf, ConfineError> {
        let real = self.resolve(path)?;
        let meta = std::fs::metadata(&real).map_err(|source| ConfineError::Io {
            path: self.shown(path),
            source,
        })?;
        match kind_of(&meta.file_type()) {
            EntryKind::Dir => Ok(real),
            other => Err(ConfineError::WrongKind {
                path: self.shown(path),
                kind: describe(other),
                expected: "folder",
            }),
        }
    }

    /// Reads the regular file at `path` (relative to the root, or absolute), at most `limit`
    /// bytes.
    pub fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ConfineError> {
        let shown = self.shown(path);
        let io = |source| ConfineError::Io {
            path: shown.clone(),
            source,
        };
        let real = self.resolve(path)?;
        // The resolved path has no links left: this is the metadata of the file itself.
        let before = std::fs::metadata(&real).map_err(io)?;
        match kind_of(&before.file_type()) {
            EntryKind::File => {}
            other => {
                return Err(ConfineError::WrongKind {
                    path: shown,
                    kind: describe(other),
                    expected: "file",
                })
            }
        }
        if before.len() > limit {
            return Err(ConfineError::TooLarge { path: shown, limit });
        }
        let file = std::fs::File::open(&real).map_err(io)?;
        // Between the check and the open, the path may have been swapped for something else.
        let after = file.metadata().map_err(io)?;
        if !after.is_file() || identity(&before) != identity(&after) {
            return Err(ConfineError::Changed { path: shown });
        }
        let mut bytes = Vec::with_capacity(usize::try_from(before.len()).unwrap_or(0));
        file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
        if bytes.len() as u64 > limit {
            return Err(ConfineError::TooLarge { path: shown, limit });
        }
        Ok(bytes)
    }

    /// The entries of the folder at `path`, sorted by name, each classified with links
    /// followed. Entries leading out are listed as [`EntryKind::Outside`], never resolved
    /// further: the caller decides whether to skip or refuse them.
    pub fn list(&self, path: &Path) -> Result<Vec<ListedEntry>, ConfineError> {
        let real = self.dir(path)?;
        let io = |source| ConfineError::Io {
            path: self.shown(path),
            source,
        };
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(&real).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name();
            let kind = match entry.path().canonicalize() {
                Ok(target) if target.starts_with(&self.real) => std::fs::metadata(&target)
                    .map(|m| kind_of(&m.file_type()))
                    .map_err(io)?,
                _ => EntryKind::Outside,
            };
            entries.push(ListedEntry {
                path: path.join(&name),
                name,
                kind,
            });
        }
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    }
}

/// Reads a text file folio parses itself, such as `folio.yaml`, at `rel` below `root`,
/// under the confinement rule and [`MAX_TEXT_BYTES`].
pub fn read_project_file(root: &Path, rel: &Path) -> Result<Vec<u8>, ConfineError> {
    let root = Root::new(root).map_err(|source| ConfineError::Io {
        path: PathBuf::from("."),
        source,
    })?;
    root.read(rel, MAX_TEXT_BYTES)
}

/// Reads a file folio is pointed to outside any project (`folio serve`'s tokens file, which
/// belongs outside the repository). Links are followed (secrets are often mounted as links),
/// but only a regular file is read: it is opened without blocking, so a FIFO or device is
/// refused rather than waited on or streamed, and at most `limit` bytes are read.
pub fn read_outside(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        let kind = describe(kind_of(&meta.file_type()));
        return Err(std::io::Error::other(format!("it is {kind}, not a file")));
    }
    if meta.len() > limit {
        return Err(std::io::Error::other(format!(
            "it is larger than {}",
            size_text(limit)
        )));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other(format!(
            "it is larger than {}",
            size_text(limit)
        )));
    }
    Ok(bytes)
}

fn kind_of(file_type: &std::fs::FileType) -> EntryKind {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return EntryKind::Special("a named pipe (FIFO)");
        }
        if file_type.is_socket() {
            return EntryKind::Special("a socket");
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return EntryKind::Special("a device");
        }
    }
    if file_type.is_file() {
        EntryKind::File
    } else if file_type.is_dir() {
        EntryKind::Dir
    } else {
        EntryKind::Special("neither a file nor a folder")
    }
}

/// A limit as a message gives it: `8 MiB` for whole mebibytes, else in bytes.
fn size_text(limit: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    match limit % MIB {
        0 => format!("{} MiB", limit / MIB),
        _ => format!("{limit} bytes"),
    }
}

fn describe(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::File => "a file",
        EntryKind::Dir => "a folder",
        EntryKind::Outside => "a link out of the project",
        EntryKind::Special(what) => what,
    }
}

/// What identifies a file on disk, to notice that a path now names another one.
#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(meta: &std::fs::Metadata) -> u64 {
    meta.len()
}

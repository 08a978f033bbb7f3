//! Publications: a folder under `content/` with one Markdown file (front matter + body).
//!
//! Loading reads the file once, splits and validates the front matter, and parses the body
//! into the document model. Everything later (editions, checks, watch) reads a [`Publication`].
//! The folder, the Markdown file and every image it shows are read under the confinement
//! rule of [`crate::confine`]; images are checked before any layout sees them.

pub mod frontmatter;
mod inline;
pub mod markdown;
mod marks;
pub mod model;
pub mod visibility;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub use frontmatter::Meta;
pub use model::{Block, Inline};
pub use visibility::Node;

use crate::confine::{self, images, ConfineError, EntryKind, Root};
use crate::diag::{Location, Problem};

/// One publication, parsed.
#[derive(Debug, Clone)]
pub struct Publication {
    /// The folder name, e.g. `all-treatment`: the publication's id and output file prefix.
    pub id: String,
    /// The Markdown file.
    pub file: PathBuf,
    pub meta: Meta,
    pub body: Vec<Node>,
}

impl Publication {
    /// The blocks an edition carries, in order.
    pub fn blocks_for(&self, edition: &str, classes: &[String]) -> Vec<Block> {
        self.body
            .iter()
            .filter(|n| n.shown_in(edition, classes))
            .map(|n| n.block.clone())
            .collect()
    }

    /// Every block, whichever edition carries it.
    pub fn all_blocks(&self) -> Vec<Block> {
        self.body.iter().map(|n| n.block.clone()).collect()
    }
}

/// Finds the one Markdown file of a publication folder `<root>/content/<id>`.
///
/// Kept for callers that have only the folder; [`find_markdown`] is the same with the root.
pub fn markdown_file(folder: &Path) -> Result<PathBuf, Problem> {
    let root = folder
        .parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new("."));
    let confined = Root::new(root).map_err(|e| {
        Problem::error(format!("cannot open the project folder: {e}")).at(Location::file(root))
    })?;
    find_markdown(&confined, folder)
}

/// Finds the one Markdown file of a publication folder below `root`. A `.md` entry that is
/// a link out of the project, or not a regular file, is refused rather than skipped: an
/// editor who put it there should learn why it is not used.
pub fn find_markdown(root: &Root, folder: &Path) -> Result<PathBuf, Problem> {
    let shown = root.shown(folder);
    let entries = root.list(&shown).map_err(|e| match e {
        ConfineError::NotFound { .. } => e
            .problem(root.path())
            .hint("check that the folder exists under content/"),
        _ => e.problem(root.path()),
    })?;
    let mut files = Vec::new();
    for entry in entries {
        if Path::new(&entry.name).extension().is_none_or(|x| x != "md") {
            continue;
        }
        match entry.kind {
            EntryKind::File => files.push(folder.join(&entry.name)),
            EntryKind::Outside => {
                return Err(ConfineError::Outside { path: entry.path }.problem(root.path()))
            }
            EntryKind::Special(kind) => {
                return Err(ConfineError::WrongKind {
                    path: entry.path,
                    kind,
                    expected: "file",
                }
                .problem(root.path()))
            }
            // A folder named like a file is not a draft: leave it alone, as before.
            EntryKind::Dir => {}
        }
    }
    match files.len() {
        1 => Ok(files.remove(0)),
        0 => Err(
            Problem::error("the publication folder has no Markdown file")
                .at(Location::file(folder))
                .hint("add one `<name>.md` file with front matter and the text"),
        ),
        _ => Err(
            Problem::error("the publication folder has more than one Markdown file")
                .at(Location::file(folder))
                .hint("keep one .md file per publication; move drafts elsewhere"),
        ),
    }
}

/// Loads the publication in `folder` (below `root`), checking marks against `names`.
///
/// The folder and its Markdown file are read under the confinement rule of
/// [`crate::confine`], and every image the Markdown shows is checked ([`images::check`])
/// before any layout gets to it.
pub fn load(root: &Path, folder: &Path, names: &BTreeSet<String>) -> Result<Publication, Problem> {
    let confined = Root::new(root).map_err(|e| {
        Problem::error(format!("cannot open the project folder: {e}")).at(Location::file(root))
    })?;
    let file = find_markdown(&confined, folder)?;
    let bytes = confined
        .read(&file, confine::MAX_TEXT_BYTES)
        .map_err(|e| e.problem(root))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Problem::error("the file is not UTF-8 text")
            .at(Location::file(&file))
            .hint("save the file as UTF-8 (every editor has this option)")
    })?;
    let (yaml, body, first_line) = frontmatter::split(&text, &file)?;
    let meta = frontmatter::parse(yaml, &file)?;
    let id = folder
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let rel = folder.strip_prefix(root).unwrap_or(folder);
    let rel = rel.to_string_lossy().replace('\\', "/");
    let ctx = markdown::Context {
        file: &file,
        first_line,
        folder: &rel,
        folder_on_disk: folder,
        names,
    };
    let body = markdown::parse(body, &ctx)?;
    check_images(&confined, &file, &rel, &body)?;
    if let Some(list) = &meta.editions {
        for name in list {
            if !names.contains(name) {
                return Err(Problem::error(format!("no edition is called `{name}`"))
                    .at(meta.key_location(&file, "editions"))
                    .hint(format!(
                        "use editions from folio.yaml: {}",
                        names.iter().cloned().collect::<Vec<_>>().join(", ")
                    )));
            }
        }
    }
    Ok(Publication {
        id,
        file,
        meta,
        body,
    })
}

/// Checks every image the body shows, in reading order; the first that fails is reported
/// at its place in the Markdown, naming the file as the Markdown does.
fn check_images(root: &Root, file: &Path, folder: &str, body: &[Node]) -> Result<(), Problem> {
    let blocks: Vec<Block> = body.iter().map(|n| n.block.clone()).collect();
    let mut shown = Vec::new();
    model::walk(&blocks, &mut |b| {
        if let Block::Image { src, pos, .. } = b {
            shown.push((src.clone(), *pos));
        }
    });
    for (src, pos) in shown {
        let at = Location::at(file, pos.line, pos.column);
        // `src` is rooted (`/content/<id>/images/x.png`); the editor wrote it from the folder.
        let rel = src.trim_start_matches('/');
        let written = rel
            .strip_prefix(folder)
            .map_or(rel, |r| r.trim_start_matches('/'));
        let bytes = root
            .read(Path::new(rel), confine::MAX_FILE_BYTES)
            .map_err(|e| {
                Problem::error(format!("image `{written}` cannot be read: {e}"))
                    .at(at.clone())
                    .hint(e.hint())
            })?;
        images::check(rel, &bytes).map_err(|e| {
            Problem::error(format!("image `{written}` cannot be used: {e}"))
                .at(at)
                .hint(e.hint())
        })?;
    }
    Ok(())
}

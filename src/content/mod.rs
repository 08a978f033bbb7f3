//! Publications: a folder under `content/` with one Markdown file (front matter + body).
//!
//! Loading reads the file once, splits and validates the front matter, and parses the body
//! into the document model. Everything later (editions, checks, watch) reads a [`Publication`].

pub mod frontmatter;
mod guard;
mod image;
mod inline;
pub mod limits;
pub mod markdown;
mod marks;
pub mod model;
pub mod visibility;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod test_support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub use frontmatter::Meta;
pub use model::{Block, Inline};
pub use visibility::Node;

use crate::diag::{Location, Problem};

/// The most words of a publication's summary in the catalogue.
pub const SUMMARY_WORDS: usize = 40;

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

    /// What the catalogue says the publication is about: the subtitle, else the opening
    /// paragraph (the first top-level paragraph before any heading), cut to
    /// [`SUMMARY_WORDS`] words. `None` when there is neither.
    pub fn summary(&self) -> Option<String> {
        let opening = || {
            self.body
                .iter()
                .map(|n| &n.block)
                .take_while(|b| !matches!(b, Block::Heading { .. }))
                .find_map(|b| match b {
                    Block::Paragraph { content, .. } => Some(model::inline_text(content)),
                    _ => None,
                })
        };
        let text = self
            .meta
            .subtitle
            .clone()
            .filter(|s| !s.trim().is_empty())
            .or_else(opening)?;
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.len() {
            0 => None,
            n if n > SUMMARY_WORDS => Some(format!("{}…", words[..SUMMARY_WORDS].join(" "))),
            _ => Some(words.join(" ")),
        }
    }

    /// Every block, whichever edition carries it.
    pub fn all_blocks(&self) -> Vec<Block> {
        self.body.iter().map(|n| n.block.clone()).collect()
    }
}

/// Finds the one Markdown file of a publication folder.
pub fn markdown_file(folder: &Path) -> Result<PathBuf, Problem> {
    let entries = std::fs::read_dir(folder).map_err(|e| {
        Problem::error(format!("cannot read publication folder: {e}"))
            .at(Location::file(folder))
            .hint("check that the folder exists under content/")
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md") && p.is_file())
        .collect();
    files.sort();
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
pub fn load(root: &Path, folder: &Path, names: &BTreeSet<String>) -> Result<Publication, Problem> {
    let file = markdown_file(folder)?;
    let bytes = limits::read(&file)?;
    let id = folder
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let rel = folder.strip_prefix(root).unwrap_or(folder);
    let rel = rel.to_string_lossy().replace('\\', "/");
    let source = Source {
        file: &file,
        folder: &rel,
        folder_on_disk: folder,
        names,
    };
    let (meta, body) = parse(&bytes, &source)?;
    Ok(Publication {
        id,
        file,
        meta,
        body,
    })
}

/// Where a publication's source comes from, for messages, image paths and mark names.
pub struct Source<'a> {
    /// The Markdown file, for messages.
    pub file: &'a Path,
    /// The publication folder's path from the project root, e.g. `content/all-treatment`.
    pub folder: &'a str,
    /// The publication folder on disk, to check that images exist.
    pub folder_on_disk: &'a Path,
    /// Every edition and class name in the project: the names a mark may use.
    pub names: &'a BTreeSet<String>,
}

/// Parses a publication's file contents: checks the raw text, then front matter and body.
///
/// Never panics: whatever the bytes, the result is the publication or one [`Problem`]
/// that says where (see `proptests.rs`).
pub fn parse(bytes: &[u8], source: &Source) -> Result<(Meta, Vec<Node>), Problem> {
    let file = source.file;
    limits::check_size(bytes.len() as u64, file)?;
    let text = limits::text(bytes, file)?;
    let (yaml, body, first_line) = frontmatter::split(text, file)?;
    let meta = frontmatter::parse(yaml, file)?;
    let ctx = markdown::Context {
        file,
        first_line,
        folder: source.folder,
        folder_on_disk: source.folder_on_disk,
        names: source.names,
    };
    let body = markdown::parse(body, &ctx)?;
    if let Some(list) = &meta.editions {
        for name in list {
            if !source.names.contains(name) {
                return Err(Problem::error(format!("no edition is called `{name}`"))
                    .at(meta.key_location(file, "editions"))
                    .hint(format!(
                        "use editions from folio.yaml: {}",
                        source.names.iter().cloned().collect::<Vec<_>>().join(", ")
                    )));
            }
        }
    }
    Ok((meta, body))
}

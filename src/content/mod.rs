//! Publications: a folder under `content/` with one Markdown file (front matter + body).
//!
//! Loading reads the file once, splits and validates the front matter, and parses the body
//! into the document model. Everything later (editions, checks, watch) reads a [`Publication`].
//! The folder, the Markdown file and every image it shows are read under the confinement
//! rule of [`crate::confine`]; images are checked before any layout sees them.

pub mod approval;
mod builder;
pub mod diff;
pub mod frontmatter;
mod guard;
pub mod id;
mod image;
mod inline;
pub mod limits;
pub mod logo;
pub mod markdown;
mod marks;
pub mod model;
pub mod translation;
pub mod visibility;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod test_support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub use frontmatter::Meta;
pub use model::{Block, Inline};
pub use translation::Translation;
pub use visibility::Node;

use crate::confine::{self, images, ConfineError, EntryKind, Root};
use crate::diag::{Location, Problem};

/// The most words of a publication's summary in the catalogue.
pub const SUMMARY_WORDS: usize = 40;

/// One publication, parsed: a source, or a translation of one.
#[derive(Debug, Clone)]
pub struct Publication {
    /// The folder name, e.g. `all-treatment`: the publication's id and output file prefix.
    /// A translation's id adds its language: `all-treatment.cy`.
    pub id: String,
    /// The Markdown file.
    pub file: PathBuf,
    pub meta: Meta,
    pub body: Vec<Node>,
    /// Set for a translation (`<id>.<lang>.md`): what it knows about its source.
    pub translation: Option<Translation>,
}

impl Publication {
    /// The publication's key: its folder, and its language when it is a translation.
    pub fn key(&self) -> crate::project::PublicationKey {
        match &self.translation {
            Some(t) => crate::project::PublicationKey::translation(&t.source_id, &t.lang),
            None => crate::project::PublicationKey::source(&self.id),
        }
    }

    /// The publication folder's name (a translation's source's id).
    pub fn folder_id(&self) -> &str {
        self.translation
            .as_ref()
            .map_or(self.id.as_str(), |t| t.source_id.as_str())
    }

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
    let id = folder
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let mut files = Vec::new();
    for entry in entries {
        if Path::new(&entry.name).extension().is_none_or(|x| x != "md") {
            continue;
        }
        // Translations beside it (`<id>.<lang>.md`) are not the publication's own file.
        if translation::translation_tag(Path::new(&entry.name), id).is_some() {
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
                .hint(
                    "keep one .md file per publication (translations are named \
                     `<publication>.<language>.md`); move drafts elsewhere",
                ),
        ),
    }
}

/// Loads the publication in `folder` (below `root`), checking marks against `names`.
///
/// The folder and its Markdown file are read under the confinement rule of
/// [`crate::confine`], and every image the Markdown shows is checked ([`images::check`])
/// before any layout gets to it.
pub fn load(root: &Path, folder: &Path, names: &BTreeSet<String>) -> Result<Publication, Problem> {
    let name = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    id::check(&name).map_err(|why| {
        Problem::error(format!(
            "`{}` is not a publication id: {why}",
            crate::diag::render::printable(&name)
        ))
        .at(Location::file(folder))
        .hint(id::HINT)
    })?;
    let confined = Root::new(root).map_err(|e| {
        Problem::error(format!("cannot open the project folder: {e}")).at(Location::file(root))
    })?;
    let file = find_markdown(&confined, folder)?;
    let bytes = confined
        .read(&file, confine::MAX_TEXT_BYTES)
        .map_err(|e| e.problem(root))?;
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
    check_images(&confined, &file, &rel, &body)?;
    if meta.translation_of.is_some() {
        return Err(Problem::error("`translation-of` is only for translations")
            .at(meta.key_location(&file, "translation-of"))
            .hint(format!(
                "delete it here; a translation is a file `{id}.<language>.md` beside this one"
            )));
    }
    Ok(Publication {
        id,
        file,
        meta,
        body,
        translation: None,
    })
}

/// Loads the translation `lang` (as in its file name, `<id>.<lang>.md`) of the publication in
/// `folder`, and what it needs to know of its source (loaded too).
pub fn load_translation(
    root: &Path,
    folder: &Path,
    lang: &str,
    names: &BTreeSet<String>,
) -> Result<Publication, Problem> {
    let source = load(root, folder, names)?;
    let id = source.id.clone();
    let file = folder.join(format!("{id}.{lang}.md"));
    // Under the same confinement rule as the source: a translation that is a link out of
    // the project is refused by name, never read, built or quoted in a message.
    let confined = Root::new(root).map_err(|e| {
        Problem::error(format!("cannot open the project folder: {e}")).at(Location::file(root))
    })?;
    // Read up to the limit of any text file: the parser then refuses one over the Markdown
    // limit with the same message as a source.
    let bytes = confined
        .read(&file, confine::MAX_TEXT_BYTES)
        .map_err(|e| e.problem(root))?;
    let rel = folder.strip_prefix(root).unwrap_or(folder);
    let rel = rel.to_string_lossy().replace('\\', "/");
    let parsed = Source {
        file: &file,
        folder: &rel,
        folder_on_disk: folder,
        names,
    };
    let (meta, body) = parse(&bytes, &parsed)?;
    let Some(of) = meta.translation_of.clone() else {
        return Err(Problem::error(
            "a translation must say which version of the source it was made from",
        )
        .at(Location::at(&file, 1, 1))
        .hint(format!(
            "add `translation-of: \"{}\"` (the source's version it translates) to the front matter",
            source.meta.version
        )));
    };
    let (file_lang, file_region) = frontmatter::split_language(lang).unwrap_or_default();
    if meta.lang != file_lang || (file_region.is_some() && meta.region != file_region) {
        return Err(Problem::error(format!(
            "the file is named as a `{lang}` translation, but its `language` is `{}`",
            meta.language
        ))
        .at(meta.key_location(&file, "language"))
        .hint(format!(
            "give the language of the file name (e.g. `language: {lang}`), or rename the file"
        )));
    }
    Ok(Publication {
        id: format!("{id}.{lang}"),
        file,
        meta,
        body,
        translation: Some(Translation {
            source_id: id,
            lang: lang.to_string(),
            of,
            source_version: source.meta.version.clone(),
            source_sections: translation::sections(&source.body),
            source_file: source.file.clone(),
            source: Box::new(source),
        }),
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

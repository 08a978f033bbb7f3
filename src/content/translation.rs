//! Translations as sibling sources: `content/<id>/<id>.<lang>.md` beside the source
//! `<id>.md`, with the same front-matter keys, its own `language` and `translation-of`
//! (the source version it was made from).
//!
//! A translation is matched to its source section by section: each level-2 heading of the
//! translation carries the id of the source heading it translates (`## Cyn i chi ddod
//! {#before}`), and the text before the first heading is the section [`INTRO`]. Each
//! source section has a content hash (of what the reader sees, its classes included, not of
//! line positions or spacing); `folio translation confirm` records the hashes in
//! `<id>.<lang>.confirmed.yaml` beside the translation, and the checks compare them with the
//! source as it is now (as po4a and Weblate mark changed strings "fuzzy").

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::frontmatter::split_language;
use super::model::{inline_text, Block, Pos};
use super::visibility::{Node, Rule};
use crate::diag::{Location, Problem};

/// The key of the text before a publication's first level-2 heading.
pub const INTRO: &str = "_intro";

/// What a translation knows about its source.
#[derive(Debug, Clone)]
pub struct Translation {
    /// The source's folder name, e.g. `all-treatment`.
    pub source_id: String,
    /// The language tag in the file name, e.g. `cy` in `all-treatment.cy.md`.
    pub lang: String,
    /// `translation-of`: the source version the translation was made from.
    pub of: String,
    /// The source's `version` now.
    pub source_version: String,
    /// The source's Markdown file.
    pub source_file: PathBuf,
    /// The source's sections now, with their hashes.
    pub source_sections: Vec<Section>,
    /// The source itself (bilingual editions set it beside the translation).
    pub source: Box<super::Publication>,
}

impl Translation {
    /// Whether the source has a different version from the one the translation was made from.
    pub fn version_behind(&self) -> bool {
        self.of != self.source_version
    }
}

/// One level-2 section (or the text before the first one) of a publication.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The heading's id (`{#before}` or the slug of its text); [`INTRO`] before the first.
    pub id: String,
    pub title: String,
    /// Where its heading stands (line 1 for the introduction).
    pub pos: Pos,
    /// A hash of its content, 16 hex digits.
    pub hash: String,
}

/// The language tag of `path` when it is a translation of the publication `id`
/// (`<id>.<tag>.md` with a BCP 47 tag such as `cy` or `pt-BR`).
pub fn translation_tag(path: &Path, id: &str) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let tag = name
        .strip_prefix(id)?
        .strip_prefix('.')?
        .strip_suffix(".md")?;
    split_language(tag).map(|_| tag.to_string())
}

/// The largest translation record read: one hash per section is a few kilobytes.
const MAX_RECORD_BYTES: u64 = 1024 * 1024;

/// The translations in a publication folder: (tag, file), sorted by tag.
pub fn translation_files(folder: &Path, id: &str) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut out: Vec<(String, PathBuf)> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        // Links are listed too (not followed here): reading one is refused by name, where
        // skipping it would hide why the translation is not built.
        .filter(|p| !p.is_dir() || p.is_symlink())
        .filter_map(|p| translation_tag(&p, id).map(|tag| (tag, p)))
        .collect();
    out.sort();
    out
}

/// The sections of a publication's body, each with its content hash.
pub fn sections(body: &[Node]) -> Vec<Section> {
    // Each section with its hasher and how many blocks went into it.
    let start = |id: &str, title: String, pos: Pos| {
        let section = Section {
            id: id.to_string(),
            title,
            pos,
            hash: String::new(),
        };
        (section, Sha256::new(), 0usize)
    };
    let intro = "the text before the first heading".to_string();
    let mut out = vec![start(INTRO, intro, Pos { line: 1, column: 1 })];
    for node in body {
        if let Block::Heading {
            level: 2,
            content,
            id,
            pos,
        } = &node.block
        {
            out.push(start(id, inline_text(content), *pos));
        }
        let (_, hasher, count) = out.last_mut().expect("there is always a section");
        hasher.update(serde_json::to_vec(&node.block).expect("the model serializes"));
        hasher.update(rules_text(&node.rules).as_bytes());
        hasher.update(b"\n");
        *count += 1;
    }
    out.into_iter()
        .filter(|(s, _, count)| s.id != INTRO || *count > 0)
        .map(|(mut section, hasher, _)| {
            let digest = hasher.finalize();
            section.hash = crate::digest::hex(&digest[..8]);
            section
        })
        .collect()
}

/// `blocks` cut at their level-2 headings, each piece with its section id ([`INTRO`] for
/// the blocks before the first heading, when there are any).
pub fn split_sections(blocks: Vec<Block>) -> Vec<(String, Vec<Block>)> {
    let mut out: Vec<(String, Vec<Block>)> = vec![(INTRO.to_string(), Vec::new())];
    for block in blocks {
        if let Block::Heading { level: 2, id, .. } = &block {
            out.push((id.clone(), Vec::new()));
        }
        out.last_mut()
            .expect("there is always a section")
            .1
            .push(block);
    }
    if out[0].1.is_empty() {
        out.remove(0);
    }
    out
}

/// A node's edition rules as text, for the hash (only:a,b;not:c).
fn rules_text(rules: &[Rule]) -> String {
    rules
        .iter()
        .map(|r| match r {
            Rule::Only(list) => format!("only:{};", list.join(",")),
            Rule::Not(list) => format!("not:{};", list.join(",")),
        })
        .collect()
}

/// Where the confirmation record of translation `lang` of publication `id` is kept.
pub fn record_path(folder: &Path, id: &str, lang: &str) -> PathBuf {
    folder.join(format!("{id}.{lang}.confirmed.yaml"))
}

/// What `folio translation confirm` records: the source as it was when a translator last
/// confirmed the translation as current.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Confirmation {
    /// The source's `version` then.
    pub source_version: String,
    /// Each source section's hash then, by section id.
    pub sections: BTreeMap<String, String>,
}

impl Confirmation {
    /// The record of `translation` against the source as it is now.
    pub fn of(translation: &Translation) -> Confirmation {
        Confirmation {
            source_version: translation.source_version.clone(),
            sections: translation
                .source_sections
                .iter()
                .map(|s| (s.id.clone(), s.hash.clone()))
                .collect(),
        }
    }

    /// Reads the record at `path`; `None` when there is none.
    /// The record is read under the project's confinement rule (`root`): a record that is
    /// a link out of the project, or not a file, is refused by name and never quoted.
    pub fn read(root: &Path, path: &Path) -> Result<Option<Confirmation>, Problem> {
        if std::fs::symlink_metadata(path).is_err() {
            return Ok(None);
        }
        let confined = crate::confine::Root::new(root).map_err(|e| {
            Problem::error(format!("cannot open the project folder: {e}")).at(Location::file(root))
        })?;
        let bytes = confined
            .read(path, MAX_RECORD_BYTES)
            .map_err(|e| e.problem(root))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Problem::error("the translation record is not UTF-8 text")
                .at(Location::file(path))
                .hint("delete it and run `folio translation confirm` again after checking the translation")
        })?;
        serde_yaml::from_str(&text).map(Some).map_err(|e| {
            let line = e.location().map_or(1, |l| l.line());
            Problem::error(format!("the translation record is not valid: {e}"))
                .at(Location::at(path, line, 1))
                .hint("delete it and run `folio translation confirm` again after checking the translation")
        })
    }

    /// The record as the text of its file, with a comment that says what it is.
    pub fn to_text(&self, id: &str, lang: &str) -> String {
        let yaml = serde_yaml::to_string(self).expect("a record serializes");
        format!(
            "# Written by `folio translation confirm {id} {lang}`: the source text this \
             translation\n# was last confirmed against, one hash per section. Do not edit.\n{yaml}"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translation_files_are_named_after_the_publication_and_a_language() {
        let id = "all-treatment";
        let tag = |name: &str| translation_tag(Path::new(name), id);
        assert_eq!(tag("all-treatment.cy.md").as_deref(), Some("cy"));
        assert_eq!(tag("all-treatment.pt-BR.md").as_deref(), Some("pt-BR"));
        assert_eq!(tag("all-treatment.md"), None);
        assert_eq!(tag("all-treatment.draft2.md"), None);
        assert_eq!(tag("other.cy.md"), None);
        assert_eq!(tag("all-treatment.cy.confirmed.yaml"), None);
    }
}

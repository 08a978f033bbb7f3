//! Helpers for the content unit tests: parse Markdown from a string, as `folio` would read it
//! from a publication folder, without a project on disk or a Typst compile.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::model::{Block, Inline};
use super::{Meta, Node, Source};
use crate::diag::Problem;

/// The name messages give the Markdown file.
pub const FILE: &str = "content/leaflet/leaflet.md";

/// Front matter with every required key (lines 1 to 10 of the file); the body starts on line 11.
pub const FRONT: &str = "---
title: A test leaflet
language: en-GB
product-code: TEST-001
version: \"2.1\"
date-reviewed: 2026-06-01
next-review: 2029-06-01
references:
  - \"A reference.\"
---
";

/// The line of the file on which a body passed to [`body`] starts.
pub const BODY_LINE: usize = 11;

/// Edition and class names as in the shipped folio.yaml.
pub fn names() -> BTreeSet<String> {
    [
        "booklet",
        "booklet-print",
        "large-print",
        "leaflet",
        "leaflet-a5",
        "leaflet-dl",
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

/// A publication folder in a temporary directory, for Markdown that refers to images.
pub struct Folder {
    pub dir: tempfile::TempDir,
}

impl Folder {
    pub fn new() -> Self {
        Folder {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// Adds a file (the content does not matter to the parser) below the folder.
    pub fn with(self, rel: &str) -> Self {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("dirs");
        std::fs::write(path, b"not really an image").expect("write");
        self
    }

    /// Parses a whole file's bytes (front matter and body).
    pub fn parse(&self, bytes: &[u8]) -> Result<(Meta, Vec<Node>), Problem> {
        let names = names();
        let source = Source {
            file: Path::new(FILE),
            folder: "content/leaflet",
            folder_on_disk: self.dir.path(),
            names: &names,
        };
        super::parse(bytes, &source)
    }

    /// Parses `markdown` as the body after [`FRONT`].
    pub fn body(&self, markdown: &str) -> Result<Vec<Node>, Problem> {
        self.parse(format!("{FRONT}{markdown}").as_bytes())
            .map(|(_, nodes)| nodes)
    }
}

/// Parses `markdown` as a body after valid front matter, with no images on disk.
pub fn body(markdown: &str) -> Result<Vec<Node>, Problem> {
    Folder::new().body(markdown)
}

/// The top-level blocks of a body that must parse.
pub fn blocks(markdown: &str) -> Vec<Block> {
    body(markdown)
        .unwrap_or_else(|p| panic!("expected the body to parse, got: {p}"))
        .into_iter()
        .map(|n| n.block)
        .collect()
}

/// The problem a body must give.
pub fn problem(markdown: &str) -> Problem {
    match body(markdown) {
        Ok(nodes) => panic!("expected a problem, got {nodes:#?}"),
        Err(p) => p,
    }
}

/// The problem a whole file must give.
pub fn file_problem(bytes: &[u8]) -> Problem {
    match Folder::new().parse(bytes) {
        Ok((meta, _)) => panic!("expected a problem, got {meta:#?}"),
        Err(p) => p,
    }
}

/// The (line, column) a problem points at, in the Markdown file.
pub fn at(problem: &Problem) -> (usize, usize) {
    let loc = problem
        .location
        .as_ref()
        .unwrap_or_else(|| panic!("no location: {problem}"));
    assert_eq!(loc.file, PathBuf::from(FILE), "wrong file in {problem}");
    (
        loc.line.unwrap_or_else(|| panic!("no line: {problem}")),
        loc.column.unwrap_or_else(|| panic!("no column: {problem}")),
    )
}

/// Asserts a problem's message contains `part`.
pub fn says(problem: &Problem, part: &str) {
    assert!(
        problem.message.contains(part),
        "message {:?} lacks {part:?}",
        problem.message
    );
}

/// Asserts a problem's hint contains `part`.
pub fn hints(problem: &Problem, part: &str) {
    let hint = problem.hint.as_deref().unwrap_or_default();
    assert!(hint.contains(part), "hint {hint:?} lacks {part:?}");
}

/// Plain text, for building expected inlines briefly.
pub fn text(s: &str) -> Inline {
    Inline::Text { text: s.into() }
}

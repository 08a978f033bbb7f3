//! The Markdown parser's state, shared by the modules that build the document model from
//! it (`markdown` for blocks, `inline` for text, `image`, and `guard` for the limits): kept
//! apart so that none of them imports another in a circle.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::Event;

/// What the parser needs to know from outside the file.
pub struct Context<'a> {
    /// The Markdown file, for messages.
    pub file: &'a Path,
    /// The body's first line in the file (after the front matter).
    pub first_line: usize,
    /// The publication folder's path from the project root, e.g. `content/all-treatment`.
    pub folder: &'a str,
    /// The publication folder on disk, to check that images exist.
    pub folder_on_disk: &'a Path,
    /// Every edition and class name in the project: the names a mark may use.
    pub names: &'a BTreeSet<String>,
}

pub(super) struct Builder<'a, 'c> {
    pub(super) events: Vec<(Event<'a>, Range<usize>)>,
    pub(super) i: usize,
    pub(super) ctx: &'c Context<'c>,
    pub(super) body: &'a str,
    pub(super) lines: Vec<usize>,
    /// How many lists, quotes and callouts enclose the block being built (0: top level).
    pub(super) depth: usize,
}

//! The document model: what a publication says, independent of any edition or layout.
//!
//! Markdown is parsed into these types; checks read them; layouts receive them as JSON
//! (`serde` field names are the contract documented in `layouts/README.md`).

use serde::Serialize;

/// A place in a source file, 1-based, for messages and findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// One block of the body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    Heading {
        level: u8,
        content: Vec<Inline>,
        id: String,
        #[serde(skip)]
        pos: Pos,
    },
    Paragraph {
        content: Vec<Inline>,
        #[serde(skip)]
        pos: Pos,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
        #[serde(skip)]
        pos: Pos,
    },
    Callout {
        kind: CalloutKind,
        blocks: Vec<Block>,
        #[serde(skip)]
        pos: Pos,
    },
    Quote {
        blocks: Vec<Block>,
        #[serde(skip)]
        pos: Pos,
    },
    Image {
        /// Path from the project root, with a leading slash (what Typst's `image()` takes).
        src: String,
        alt: String,
        caption: Option<Vec<Inline>>,
        #[serde(skip)]
        pos: Pos,
    },
    Table {
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        /// Sent as `line`: a layout reports a table too wide for its page at this line.
        #[serde(rename = "line", serialize_with = "line_of")]
        pos: Pos,
    },
    Rule {
        #[serde(skip)]
        pos: Pos,
    },
}

fn line_of<S: serde::Serializer>(pos: &Pos, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(pos.line as u64)
}

/// The kinds of callout box (GitHub alert syntax `> [!NOTE]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CalloutKind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

/// Inline content of a paragraph, heading, list item or table cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Inline {
    Text {
        text: String,
    },
    Strong {
        content: Vec<Inline>,
    },
    Emph {
        content: Vec<Inline>,
    },
    Link {
        url: String,
        content: Vec<Inline>,
    },
    Code {
        text: String,
    },
    Break,
    /// An image met in running text while the Markdown is read. It becomes a
    /// [`Block::Image`] when it stands alone in its paragraph and is refused anywhere else,
    /// so no block of a built publication holds one.
    Image {
        src: String,
        title: String,
        alt: Vec<Inline>,
    },
}

impl Block {
    /// Where the block starts in its source file.
    pub fn pos(&self) -> Pos {
        match self {
            Block::Heading { pos, .. }
            | Block::Paragraph { pos, .. }
            | Block::List { pos, .. }
            | Block::Callout { pos, .. }
            | Block::Quote { pos, .. }
            | Block::Image { pos, .. }
            | Block::Table { pos, .. }
            | Block::Rule { pos } => *pos,
        }
    }

    /// Blocks nested inside this one (list items, callout and quote bodies).
    pub fn children(&self) -> Vec<&Block> {
        match self {
            Block::List { items, .. } => items.iter().flatten().collect(),
            Block::Callout { blocks, .. } | Block::Quote { blocks, .. } => blocks.iter().collect(),
            _ => Vec::new(),
        }
    }

    /// The reader-visible text of the block and everything in it, words separated by spaces.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        self.push_text(&mut out);
        out
    }

    fn push_text(&self, out: &mut String) {
        match self {
            Block::Heading { content, .. } | Block::Paragraph { content, .. } => {
                push_inlines(content, out)
            }
            Block::Image { alt, caption, .. } => {
                out.push_str(alt);
                if let Some(c) = caption {
                    out.push(' ');
                    push_inlines(c, out);
                }
            }
            Block::Table { header, rows, .. } => {
                for cell in header.iter().chain(rows.iter().flatten()) {
                    push_inlines(cell, out);
                    out.push(' ');
                }
            }
            Block::Rule { .. } => {}
            _ => {
                for child in self.children() {
                    child.push_text(out);
                    out.push('\n');
                }
            }
        }
    }
}

/// The plain text of a run of inlines.
pub fn inline_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_inlines(inlines, &mut out);
    out
}

fn push_inlines(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Strong { content } | Inline::Emph { content } => push_inlines(content, out),
            Inline::Link { content, .. } | Inline::Image { alt: content, .. } => {
                push_inlines(content, out)
            }
            Inline::Break => out.push(' '),
        }
    }
}

/// Visits every block, depth first, in reading order.
pub fn walk<'a>(blocks: &'a [Block], f: &mut dyn FnMut(&'a Block)) {
    for block in blocks {
        f(block);
        for child in block.children() {
            walk(std::slice::from_ref(child), f);
        }
    }
}

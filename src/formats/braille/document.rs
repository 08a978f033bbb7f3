//! The publication as a braille transcriber sets it out, before translation: a list of
//! [`Part`]s (a piece of print text and how its braille is placed), in reading order.
//!
//! The order is the booklet's: title page, (contents, made later from the headings), the
//! body, "About this information" (dates, reviewers, references, product code), "Your
//! hospital team" and the publisher's contact details. docs/braille.md gives the rules.

mod back_matter;

use crate::content::model::{Block, CalloutKind, Inline, Pos};
use crate::content::Publication;
use crate::contract::BrandData;
use crate::project::Project;

use self::back_matter::{about, team};
use super::super::words::Words;

/// How the braille of a part is placed on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Centred on its lines (the title, level-2 headings, "Contents").
    Centred,
    /// Starting in cell `first + 1`, running over from cell `runover + 1` (0-based indents).
    Cells { first: usize, runover: usize },
    /// A full line of one cell (box lines around a call-out, lines to write on).
    Line(char),
    /// A short centred line of one cell (a thematic break).
    Separator(char),
}

/// What a part is, for the contents page and page breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Text,
    /// A heading of this level: listed in the contents, kept with what follows.
    Heading(u8),
}

/// Where a part's text comes from, for findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A block of the body, starting here in the Markdown file.
    Body(Pos),
    /// A front-matter key.
    Key(&'static str),
    /// A word of the layouts, the project file or the brand: not the publication's text.
    Other,
}

/// One piece of print text and how its braille is placed.
#[derive(Debug, Clone)]
pub struct Part {
    pub text: String,
    pub place: Place,
    pub role: Role,
    /// A blank line before it (dropped at the top of a page).
    pub blank_before: bool,
    /// A blank line after it.
    pub blank_after: bool,
    /// It starts a new braille page.
    pub new_page: bool,
    pub origin: Origin,
}

impl Part {
    fn new(text: impl Into<String>, place: Place, origin: Origin) -> Part {
        Part {
            text: one_line(&text.into()),
            place,
            role: Role::Text,
            blank_before: false,
            blank_after: false,
            new_page: false,
            origin,
        }
    }

    fn role(mut self, role: Role) -> Part {
        self.role = role;
        self
    }

    fn new_page(mut self) -> Part {
        self.new_page = true;
        self
    }

    fn blanks(mut self, before: bool, after: bool) -> Part {
        self.blank_before = before;
        self.blank_after = after;
        self
    }
}

const PARAGRAPH: Place = Place::Cells {
    first: 2,
    runover: 0,
};
const BLOCKED: Place = Place::Cells {
    first: 0,
    runover: 0,
};
/// Stands for a list bullet until the table is known: a bullet (U+2022) where the table
/// has one, else a hyphen (a private-use character, never text of a publication).
pub const BULLET: char = '\u{E000}';
/// Top and bottom box lines of a call-out: dots 2356.
const BOX: char = '\u{2836}';
/// A thematic break: dots 25.
const BREAK: char = '\u{2812}';

/// The parts of `publication`'s `blocks`, with the words of its language.
pub fn parts(
    publication: &Publication,
    project: &Project,
    blocks: &[Block],
    words: &Words,
    brand: Option<&BrandData>,
) -> Parts {
    let meta = &publication.meta;
    let mut out = Vec::new();
    // Title page.
    out.push(
        Part::new(&meta.title, Place::Centred, Origin::Key("title"))
            .new_page()
            .blanks(true, true),
    );
    if let Some(subtitle) = meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        out.push(Part::new(subtitle, Place::Centred, Origin::Key("subtitle")).blanks(false, true));
    }
    out.push(Part::new(&project.publisher.name, Place::Centred, Origin::Other).blanks(true, true));
    for (key, label, value) in [
        ("product-code", "product-code", meta.product_code.clone()),
        ("version", "version", meta.version.clone()),
        (
            "date-reviewed",
            "date-reviewed",
            words.date(meta.date_reviewed),
        ),
        ("next-review", "next-review", words.date(meta.next_review)),
    ] {
        out.push(Part::new(
            format!("{}: {value}", words.get(label)),
            BLOCKED,
            Origin::Key(key),
        ));
    }
    // The body starts on a page of its own, after the contents.
    let start = out.len();
    blocks_parts(blocks, 0, words, &mut out);
    if out.len() == start {
        out.push(Part::new("", BLOCKED, Origin::Other));
    }
    out[start].new_page = true;
    out[start].blank_before = false;
    about(publication, project, words, &mut out);
    team(words, brand, &mut out);
    Parts {
        parts: out,
        body: start,
    }
}

/// The parts of a publication: the title page's, then the body's from `body` on.
pub struct Parts {
    pub parts: Vec<Part>,
    pub body: usize,
}

fn heading(level: u8, text: String, origin: Origin) -> Part {
    let place = match level {
        0..=2 => Place::Centred,
        3 => Place::Cells {
            first: 4,
            runover: 4,
        },
        _ => Place::Cells {
            first: 6,
            runover: 6,
        },
    };
    Part::new(text, place, origin)
        .role(Role::Heading(level))
        .blanks(level <= 3, level <= 2)
}

/// Parts of `blocks` inside `depth` levels of list.
fn blocks_parts(blocks: &[Block], depth: usize, words: &Words, out: &mut Vec<Part>) {
    for block in blocks {
        block_parts(block, depth, None, words, out);
    }
}

/// One block; `marker` is the bullet or number of the list item it opens.
fn block_parts(
    block: &Block,
    depth: usize,
    marker: Option<String>,
    words: &Words,
    out: &mut Vec<Part>,
) {
    let origin = Origin::Body(block.pos());
    match block {
        Block::Heading { level, content, .. } => {
            out.push(heading(*level, text(content), origin));
        }
        Block::Paragraph { content, .. } => {
            out.push(item_part(text(content), depth, marker, origin));
        }
        Block::List {
            ordered,
            start,
            items,
            ..
        } => list_parts(*ordered, *start, items, depth, words, out),
        Block::Callout { kind, blocks, .. } => {
            callout_parts(*kind, blocks, depth, origin, words, out)
        }
        Block::Quote { blocks, .. } => {
            let first = out.len();
            blocks_parts(blocks, depth + 1, words, out);
            set_apart(out, first);
        }
        Block::Image { alt, caption, .. } => {
            let t = picture_text(alt, caption.as_deref(), words);
            out.push(item_part(t, depth, marker, origin));
        }
        Block::Table { header, rows, .. } => table_parts(header, rows, origin, words, out),
        Block::Rule { .. } => {
            out.push(Part::new("", Place::Separator(BREAK), origin).blanks(true, true));
        }
    }
}

/// A paragraph or picture `depth` levels of list or quote in, after `marker` when it opens a list
/// item: inside a list, text starts at its level's cell and runs over two cells further in.
fn item_part(text: String, depth: usize, marker: Option<String>, origin: Origin) -> Part {
    match marker {
        Some(m) => Part::new(
            format!("{m} {text}"),
            Place::Cells {
                first: 2 * depth.saturating_sub(1),
                runover: 2 * depth,
            },
            origin,
        ),
        None if depth > 0 => Part::new(text, blocked_at(2 * depth), origin),
        None => Part::new(text, PARAGRAPH, origin),
    }
}

/// The items of a list inside `depth` levels of list, each opened by its number or bullet.
fn list_parts(
    ordered: bool,
    start: u64,
    items: &[Vec<Block>],
    depth: usize,
    words: &Words,
    out: &mut Vec<Part>,
) {
    let first = out.len();
    for (i, blocks) in items.iter().enumerate() {
        let mark = if ordered {
            format!("{}.", start + i as u64)
        } else {
            BULLET.to_string()
        };
        for (j, b) in blocks.iter().enumerate() {
            let m = (j == 0).then(|| mark.clone());
            block_parts(b, depth + 1, m, words, out);
        }
    }
    // Inside a list or a quote (depth above 0), a list runs on with the text around it.
    if depth == 0 {
        set_apart(out, first);
    }
}

/// A call-out between two box lines, its label before its first part (or alone when it is
/// empty).
fn callout_parts(
    kind: CalloutKind,
    blocks: &[Block],
    depth: usize,
    origin: Origin,
    words: &Words,
    out: &mut Vec<Part>,
) {
    out.push(Part::new("", Place::Line(BOX), origin.clone()).blanks(true, false));
    let label = words.get(callout_word(kind));
    let first = out.len();
    blocks_parts(blocks, depth, words, out);
    match out.get_mut(first) {
        Some(p) => p.text = format!("{label}: {}", p.text),
        None => out.push(Part::new(label, BLOCKED, origin.clone())),
    }
    out.push(Part::new("", Place::Line(BOX), origin).blanks(false, true));
}

/// A picture's print text: the word "Picture", its alternative text and its caption.
fn picture_text(alt: &str, caption: Option<&[Inline]>, words: &Words) -> String {
    let mut t = format!("{}: {}", words.get("picture"), alt.trim());
    if let Some(c) = caption {
        t = format!("{t} {}", text(c));
    }
    t
}

/// A table in linear format: its column headings, then each row on its own, every cell
/// after its column's heading.
fn table_parts(
    header: &[Vec<Inline>],
    rows: &[Vec<Vec<Inline>>],
    origin: Origin,
    words: &Words,
    out: &mut Vec<Part>,
) {
    let heads: Vec<String> = header.iter().map(|h| text(h)).collect();
    out.push(
        Part::new(
            format!("{}: {}", words.get("table"), heads.join("; ")),
            BLOCKED,
            origin.clone(),
        )
        .blanks(true, false),
    );
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| match heads.get(i).filter(|h| !h.is_empty()) {
                Some(h) => format!("{h}: {}", text(cell)),
                None => text(cell),
            })
            .collect();
        out.push(Part::new(
            cells.join("; "),
            Place::Cells {
                first: 0,
                runover: 2,
            },
            origin.clone(),
        ));
    }
    if let Some(p) = out.last_mut() {
        p.blank_after = true;
    }
}

/// A blank line before the part at `first` (if there is one) and after the last part.
fn set_apart(out: &mut [Part], first: usize) {
    if let Some(p) = out.get_mut(first) {
        p.blank_before = true;
    }
    if let Some(p) = out.last_mut() {
        p.blank_after = true;
    }
}

fn blocked_at(cell: usize) -> Place {
    Place::Cells {
        first: cell,
        runover: cell,
    }
}

fn callout_word(kind: CalloutKind) -> &'static str {
    match kind {
        CalloutKind::Note => "note",
        CalloutKind::Tip => "tip",
        CalloutKind::Important => "important",
        CalloutKind::Warning => "warning",
        CalloutKind::Caution => "caution",
    }
}

/// The print text of inlines: a link's address follows its text when the text does not
/// already say it, and an image in a line is its alternative text.
pub fn text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push(inlines, &mut out);
    out
}

fn push(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Strong { content } | Inline::Emph { content } => push(content, out),
            Inline::Link { url, content } => {
                let start = out.len();
                push(content, out);
                let shown = out[start..].to_string();
                let address = url
                    .strip_prefix("mailto:")
                    .or_else(|| url.strip_prefix("tel:"))
                    .unwrap_or(url);
                let web = ["https://", "http://", "mailto:", "tel:"]
                    .iter()
                    .any(|s| url.to_ascii_lowercase().starts_with(s));
                if web && !shown.contains(address) {
                    out.push_str(&format!(" ({address})"));
                }
            }
            Inline::Image { alt, .. } => push(alt, out),
            Inline::Break => out.push(' '),
        }
    }
}

/// Text on one line: line breaks and runs of spaces become one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

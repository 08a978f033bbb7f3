//! Markdown (CommonMark + tables, heading attributes, GitHub alerts) → document model.
//!
//! Also reads the edition marks: heading classes (`## Title {.not-leaflet}`) that apply to a
//! whole section, and comment markers (`<!-- only: leaflet -->` … `<!-- end -->`) that apply
//! to a run of top-level blocks. Anything the layouts could not show faithfully (raw HTML,
//! code blocks, footnotes, images inside text) is an error, not silently dropped.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{BlockQuoteKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::model::{Block, CalloutKind, Inline, Pos};
use super::visibility::Node;
use crate::diag::{Location, Problem};

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

/// Parses a Markdown body into top-level nodes, each with its edition rules.
pub fn parse(body: &str, ctx: &Context) -> Result<Vec<Node>, Problem> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(body, options).into_offset_iter().collect();
    let lines = line_starts(body);
    let mut p = Builder {
        events,
        i: 0,
        ctx,
        body,
        lines,
    };
    p.top_level()
}

pub(super) struct Builder<'a, 'c> {
    pub(super) events: Vec<(Event<'a>, Range<usize>)>,
    pub(super) i: usize,
    pub(super) ctx: &'c Context<'c>,
    pub(super) body: &'a str,
    pub(super) lines: Vec<usize>,
}

impl<'a> Builder<'a, '_> {
    pub(super) fn pos(&self, offset: usize) -> Pos {
        let line = self.lines.partition_point(|&s| s <= offset);
        let start = self.lines[line - 1];
        let column = self.body[start..offset].chars().count() + 1;
        Pos {
            line: line - 1 + self.ctx.first_line,
            column,
        }
    }

    pub(super) fn error(
        &self,
        offset: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Problem {
        let pos = self.pos(offset);
        Problem::error(message)
            .at(Location::at(self.ctx.file, pos.line, pos.column))
            .hint(hint)
    }

    pub(super) fn next(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        let e = self.events.get(self.i).cloned();
        self.i += 1;
        e
    }

    /// Builds the block that `event` starts; `None` for events that make no block.
    pub(super) fn block(
        &mut self,
        event: Event<'a>,
        range: Range<usize>,
    ) -> Result<Option<Block>, Problem> {
        let pos = self.pos(range.start);
        let block = match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let content = self.inlines(TagEnd::Heading(level))?;
                if super::model::inline_text(&content).trim().is_empty() {
                    return Err(self.error(range.start, "a heading has no text",
                        "write the heading's words after the #s, or delete the line"));
                }
                let level = heading_level(level);
                let id = id.map(|s| s.to_string()).unwrap_or_else(|| slug(&super::model::inline_text(&content)));
                Block::Heading { level, content, id, pos }
            }
            Event::Start(Tag::Paragraph) => {
                let content = self.inlines(TagEnd::Paragraph)?;
                return Ok(Some(self.paragraph_or_image(content, range.start)?));
            }
            Event::Start(Tag::List(start)) => {
                let items = self.list_items()?;
                Block::List { ordered: start.is_some(), start: start.unwrap_or(1), items, pos }
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                let blocks = self.blocks_until(TagEnd::BlockQuote(kind))?;
                match kind {
                    None => Block::Quote { blocks, pos },
                    Some(k) => Block::Callout { kind: callout_kind(k), blocks, pos },
                }
            }
            Event::Start(Tag::Table(_)) => self.table(pos)?,
            Event::Rule => Block::Rule { pos },
            Event::Start(Tag::CodeBlock(_)) => {
                return Err(self.error(range.start, "code blocks are not supported in publications",
                    "write the text as a normal paragraph (indenting a line by 4 spaces also makes a code block)"))
            }
            Event::Start(Tag::HtmlBlock) => {
                let html = self.html_block();
                if self.marker(&html, range.start)?.is_some() {
                    return Err(self.error(range.start, "edition marks must stand at the top level",
                        "move the `<!-- only: … -->` / `<!-- end -->` lines outside the list or callout"));
                }
                return Ok(None);
            }
            Event::Start(Tag::FootnoteDefinition(_)) | Event::FootnoteReference(_) => {
                return Err(self.error(range.start, "footnotes are not supported",
                    "put the note in the text, or add the source to `references`"))
            }
            Event::Start(tag) => {
                return Err(self.error(range.start, format!("unsupported Markdown: {tag:?}"),
                    "use headings, paragraphs, lists, tables, images, links, bold and callouts"))
            }
            _ => return Ok(None),
        };
        Ok(Some(block))
    }

    pub(super) fn paragraph_or_image(
        &self,
        content: Vec<Inline>,
        offset: usize,
    ) -> Result<Block, Problem> {
        let pos = self.pos(offset);
        // Images are carried inside the paragraph as a marker link with an `image:` scheme.
        let is_image = |i: &Inline| matches!(i, Inline::Link { url, .. } if url.starts_with(IMAGE));
        let meaningful: Vec<&Inline> = content
            .iter()
            .filter(|i| !matches!(i, Inline::Text { text } if text.trim().is_empty()))
            .collect();
        match meaningful.as_slice() {
            [Inline::Link { url, content: alt }] if url.starts_with(IMAGE) => {
                let rest = &url[IMAGE.len()..];
                let (src, title) = rest.split_once('\u{0}').unwrap_or((rest, ""));
                let alt = super::model::inline_text(alt).trim().to_string();
                if alt.is_empty() {
                    return Err(self.error(offset, "an image has no alt text",
                        "describe what the image shows in the brackets, e.g. ![A nurse taking a blood sample](images/blood-test.png)"));
                }
                let caption = (!title.is_empty()).then(|| {
                    vec![Inline::Text {
                        text: title.to_string(),
                    }]
                });
                Ok(Block::Image {
                    src: self.image_path(src, offset)?,
                    alt,
                    caption,
                    pos,
                })
            }
            _ if content.iter().any(is_image) => Err(self.error(
                offset,
                "an image stands inside a line of text",
                "put the image in a paragraph of its own: a blank line before and after",
            )),
            _ => Ok(Block::Paragraph { content, pos }),
        }
    }

    /// Resolves an image path (relative to the publication folder) to a project-rooted path.
    pub(super) fn image_path(&self, src: &str, offset: usize) -> Result<String, Problem> {
        if src.contains("://") || src.starts_with('/') || src.split(['/', '\\']).any(|s| s == "..")
        {
            return Err(self.error(offset, format!("image `{src}` is outside the publication folder"),
                "put the image in the publication's folder (e.g. images/) and give its path from there"));
        }
        let on_disk = self.ctx.folder_on_disk.join(src);
        if !on_disk.is_file() {
            return Err(self.error(
                offset,
                format!("image `{src}` not found"),
                format!("add the file at {} or correct the path", on_disk.display()),
            ));
        }
        // A symlink may lead anywhere: what it points to must be in the folder too.
        let inside = match (
            on_disk.canonicalize(),
            self.ctx.folder_on_disk.canonicalize(),
        ) {
            (Ok(real), Ok(folder)) => real.starts_with(folder),
            _ => false,
        };
        if !inside {
            return Err(self.error(
                offset,
                format!("image `{src}` is outside the publication folder (through a link)"),
                "copy the image into the publication's folder instead of linking to it",
            ));
        }
        Ok(format!(
            "/{}/{}",
            self.ctx.folder,
            src.trim_start_matches("./")
        ))
    }

    pub(super) fn blocks_until(&mut self, end: TagEnd) -> Result<Vec<Block>, Problem> {
        let mut blocks = Vec::new();
        while let Some((event, range)) = self.next() {
            if event == Event::End(end) {
                break;
            }
            if let Some(b) = self.block(event, range)? {
                blocks.push(b);
            }
        }
        Ok(blocks)
    }

    pub(super) fn list_items(&mut self) -> Result<Vec<Vec<Block>>, Problem> {
        let mut items = Vec::new();
        while let Some((event, range)) = self.next() {
            match event {
                Event::Start(Tag::Item) => items.push(self.item(range.start)?),
                Event::End(TagEnd::List(_)) => break,
                _ => {}
            }
        }
        Ok(items)
    }

    /// A list item: blocks, where a tight item's loose text forms an implicit paragraph.
    pub(super) fn item(&mut self, offset: usize) -> Result<Vec<Block>, Problem> {
        let mut blocks = Vec::new();
        let mut loose = Vec::new();
        while let Some((event, range)) = self.next() {
            match event {
                Event::End(TagEnd::Item) => break,
                Event::Start(
                    Tag::Paragraph
                    | Tag::List(_)
                    | Tag::BlockQuote(_)
                    | Tag::Table(_)
                    | Tag::Heading { .. }
                    | Tag::CodeBlock(_)
                    | Tag::HtmlBlock,
                )
                | Event::Rule => {
                    self.flush(&mut loose, &mut blocks, offset)?;
                    if let Some(b) = self.block(event, range)? {
                        blocks.push(b);
                    }
                }
                _ => {
                    self.i -= 1;
                    loose.extend(self.inline_one()?);
                }
            }
        }
        self.flush(&mut loose, &mut blocks, offset)?;
        Ok(blocks)
    }

    pub(super) fn flush(
        &self,
        loose: &mut Vec<Inline>,
        blocks: &mut Vec<Block>,
        offset: usize,
    ) -> Result<(), Problem> {
        if !loose.is_empty() {
            blocks.push(self.paragraph_or_image(std::mem::take(loose), offset)?);
        }
        Ok(())
    }

    pub(super) fn table(&mut self, pos: Pos) -> Result<Block, Problem> {
        let mut header = Vec::new();
        let mut rows: Vec<Vec<Vec<Inline>>> = Vec::new();
        let mut in_head = false;
        while let Some((event, _)) = self.next() {
            match event {
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => rows.push(Vec::new()),
                Event::Start(Tag::TableCell) => {
                    let cell = self.inlines(TagEnd::TableCell)?;
                    match (in_head, rows.last_mut()) {
                        (true, _) | (false, None) => header.push(cell),
                        (false, Some(row)) => row.push(cell),
                    }
                }
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        Ok(Block::Table { header, rows, pos })
    }
}

/// Prefix of the internal marker used to carry an image through inline parsing.
pub(super) const IMAGE: &str = "\u{0}image:";

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

fn callout_kind(kind: BlockQuoteKind) -> CalloutKind {
    match kind {
        BlockQuoteKind::Note => CalloutKind::Note,
        BlockQuoteKind::Tip => CalloutKind::Tip,
        BlockQuoteKind::Important => CalloutKind::Important,
        BlockQuoteKind::Warning => CalloutKind::Warning,
        BlockQuoteKind::Caution => CalloutKind::Caution,
    }
}

/// A stable, readable id for a heading: lowercase words joined by hyphens.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

//! Markdown (CommonMark + tables, heading attributes, GitHub alerts) → document model.
//!
//! Also reads the edition marks: heading classes (`## Title {.not-leaflet}`) that apply to a
//! whole section, and comment markers (`<!-- only: leaflet -->` … `<!-- end -->`) that apply
//! to a run of top-level blocks. Anything the layouts could not show faithfully (raw HTML,
//! code blocks, footnotes, images inside text) is an error, not silently dropped.

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::builder::Builder;
pub use super::builder::Context;
use super::model::{Block, CalloutKind, Inline, Pos};
use super::visibility::Node;
use crate::diag::{Location, Problem};

/// Parses a Markdown body into top-level nodes, each with its edition rules.
pub fn parse(body: &str, ctx: &Context) -> Result<Vec<Node>, Problem> {
    // Footnotes, strikethrough, task lists and definition lists are recognised only to be
    // refused with their place: unrecognised, they would be printed as their raw syntax.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_DEFINITION_LIST;
    let events = Parser::new_ext(body, options).into_offset_iter().collect();
    let lines = line_starts(body);
    let mut p = Builder {
        events,
        i: 0,
        ctx,
        body,
        lines,
        depth: 0,
    };
    p.check_events()?;
    p.top_level()
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
        // Refused before the model is built (guard.rs); refused here too, never dropped.
        if let Some((message, hint)) = super::guard::unsupported(&event) {
            return Err(self.error(range.start, message, hint));
        }
        let block = match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.heading_attributes(&classes, &attrs, range.start)?;
                let content = self.inlines(TagEnd::Heading(level))?;
                if super::inline::contains_image(&content) {
                    return Err(self.error(
                        range.start,
                        "an image stands inside a heading",
                        "put the image in a paragraph of its own below the heading",
                    ));
                }
                if super::model::inline_text(&content).trim().is_empty() {
                    return Err(self.error(
                        range.start,
                        "a heading has no text",
                        "write the heading's words after the #s, or delete the line",
                    ));
                }
                let level = heading_level(level);
                let id = id
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| slug(&super::model::inline_text(&content)));
                Block::Heading {
                    level,
                    content,
                    id,
                    pos,
                }
            }
            Event::Start(Tag::Paragraph) => {
                let content = self.inlines(TagEnd::Paragraph)?;
                return Ok(Some(self.paragraph_or_image(content, range.start)?));
            }
            Event::Start(Tag::List(start)) => {
                self.depth += 1;
                let items = self.list_items();
                self.depth -= 1;
                Block::List {
                    ordered: start.is_some(),
                    start: start.unwrap_or(1),
                    items: items?,
                    pos,
                }
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                self.depth += 1;
                let blocks = self.blocks_until(TagEnd::BlockQuote(kind));
                self.depth -= 1;
                let blocks = blocks?;
                match kind {
                    None => Block::Quote { blocks, pos },
                    Some(k) => Block::Callout {
                        kind: callout_kind(k),
                        blocks,
                        pos,
                    },
                }
            }
            Event::Start(Tag::Table(_)) => self.table(pos)?,
            Event::Rule => Block::Rule { pos },
            Event::Start(Tag::HtmlBlock) => {
                let html = self.html_block();
                if self.marker(&html, range.start)?.is_some() {
                    return Err(self.error(range.start, "edition marks must stand at the top level",
                        "move the `<!-- only: … -->` / `<!-- end -->` lines outside the list or callout"));
                }
                return Ok(None);
            }
            Event::Start(tag) => {
                return Err(self.error(
                    range.start,
                    format!("unsupported Markdown: {tag:?}"),
                    "use headings, paragraphs, lists, tables, images, links, bold and callouts",
                ))
            }
            _ => return Ok(None),
        };
        Ok(Some(block))
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
        while let Some((event, range)) = self.next() {
            match event {
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => rows.push(Vec::new()),
                Event::Start(Tag::TableCell) => {
                    let cell = self.inlines(TagEnd::TableCell)?;
                    if super::inline::contains_image(&cell) {
                        return Err(self.error(
                            range.start,
                            "an image stands inside a table",
                            "put the image in a paragraph of its own before or after the table",
                        ));
                    }
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

#[cfg(test)]
mod tests;

//! Checks on the whole Markdown event stream, before the document model is built.
//!
//! pulldown-cmark parses without recursion, however deep the input; the model builder
//! recurses once per nested list, quote, callout, bold, emphasis or link. Checking the
//! depth here first keeps that recursion (and every later walk of the model) shallow, so
//! no input can overflow the stack. The same pass refuses every construct folio cannot
//! print, in reading order, so nothing is ever dropped or printed as its raw syntax.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::builder::Builder;
use super::limits::{
    MAX_BLOCK_DEPTH, MAX_HEADINGS, MAX_INLINE_DEPTH, MAX_TABLE_CELLS, MAX_TABLE_COLUMNS,
};
use crate::diag::Problem;

/// What the events read so far add up to, for the limits.
#[derive(Default)]
struct Tally {
    /// Lists and quotes (callouts among them) open around the event.
    blocks: usize,
    /// Bold, emphasis, links and images open around the event.
    inlines: usize,
    headings: usize,
    /// Table cells in all the tables so far.
    cells: usize,
    /// Where the table being read starts: a message about its cells points there.
    table_at: usize,
}

impl Builder<'_, '_> {
    /// Refuses too deep nesting, too wide tables and unsupported Markdown, at its place.
    pub(super) fn check_events(&self) -> Result<(), Problem> {
        let mut tally = Tally::default();
        for (k, (event, range)) in self.events.iter().enumerate() {
            let at = range.start;
            self.check_printable(k, event, at)?;
            if let Event::Start(Tag::Table(_)) = event {
                tally.table_at = at;
            }
            self.check_limits(event, at, &mut tally)?;
        }
        Ok(())
    }

    /// Refuses event `k` (`event`, at `at`) when folio cannot print it: unsupported
    /// Markdown, or a footnote reference without its note.
    fn check_printable(&self, k: usize, event: &Event, at: usize) -> Result<(), Problem> {
        if let Some((message, hint)) = unsupported(event) {
            return Err(self.error(at, message, hint));
        }
        if self.undefined_footnote(k) {
            return Err(self.error(
                at,
                "a footnote reference without its note (footnotes are not supported)",
                "put the note in the text, or add the source to `references`; to show the \
                 brackets as written, put a backslash before `[`",
            ));
        }
        Ok(())
    }

    /// Adds `event` to `tally`, and refuses it when it takes the publication past a limit:
    /// nesting, headings, table cells or table columns.
    fn check_limits(&self, event: &Event, at: usize, tally: &mut Tally) -> Result<(), Problem> {
        match event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                tally.blocks += 1;
                if tally.blocks > MAX_BLOCK_DEPTH {
                    return Err(self.blocks_too_deep(at));
                }
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => {
                tally.blocks = tally.blocks.saturating_sub(1)
            }
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Link { .. } | Tag::Image { .. }) => {
                tally.inlines += 1;
                if tally.inlines > MAX_INLINE_DEPTH {
                    return Err(self.inlines_too_deep(at));
                }
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link | TagEnd::Image) => {
                tally.inlines = tally.inlines.saturating_sub(1)
            }
            Event::Start(Tag::Heading { .. }) => {
                tally.headings += 1;
                if tally.headings > MAX_HEADINGS {
                    return Err(self.too_many_headings(at, tally.headings));
                }
            }
            Event::Start(Tag::TableCell) => {
                tally.cells += 1;
                if tally.cells > MAX_TABLE_CELLS {
                    return Err(self.too_many_cells(tally.table_at));
                }
            }
            Event::Start(Tag::Table(columns)) if columns.len() > MAX_TABLE_COLUMNS => {
                return Err(self.too_many_columns(at, columns.len()));
            }
            _ => {}
        }
        Ok(())
    }

    /// The error for lists, quotes and callouts nested past the limit, at `at`.
    fn blocks_too_deep(&self, at: usize) -> Problem {
        self.error(
            at,
            format!(
                "lists, quotes and callouts are nested more than \
                 {MAX_BLOCK_DEPTH} levels deep here"
            ),
            "flatten the structure: readers lose their way in deep nesting, \
             and the page runs out of width",
        )
    }

    /// The error for bold, emphasis and links nested past the limit, at `at`.
    fn inlines_too_deep(&self, at: usize) -> Problem {
        self.error(
            at,
            format!(
                "bold, emphasis and links are nested more than \
                 {MAX_INLINE_DEPTH} levels deep here"
            ),
            "check the `*`, `_` and brackets around this place: \
             some are probably not closed",
        )
    }

    /// The error for heading number `headings`, one past the limit, at `at`.
    fn too_many_headings(&self, at: usize, headings: usize) -> Problem {
        self.error(
            at,
            format!(
                "this is heading number {headings}: a publication may have at \
                 most {MAX_HEADINGS} (a limit on the memory typesetting takes)"
            ),
            "a publication this long is several: split it into publications of \
             their own (each a folder under content/), or make minor headings \
             bold text",
        )
    }

    /// The error for the table at `table_at`, whose cells take the publication past the
    /// limit.
    fn too_many_cells(&self, table_at: usize) -> Problem {
        self.error(
            table_at,
            format!(
                "with this table, the publication's tables have more than \
                 {MAX_TABLE_CELLS} cells in all (a limit on the memory \
                 typesetting takes)"
            ),
            "keep tables to what a reader looks up (a few dozen rows); put \
             long lists of data in a publication of their own, or in a list",
        )
    }

    /// The error for a table of `columns` columns, more than the limit, at `at`.
    fn too_many_columns(&self, at: usize, columns: usize) -> Problem {
        self.error(
            at,
            format!(
                "this table has {columns} columns: too wide to read on any page (the limit \
                 is {MAX_TABLE_COLUMNS})"
            ),
            "split it into two tables, or turn it round so that the long side \
             runs down the page",
        )
    }
}

impl Builder<'_, '_> {
    /// Whether event `k` starts `[^name]` with no note of that name: pulldown-cmark leaves it
    /// as text, which would print the raw syntax. An escaped `\[` is meant to be text.
    fn undefined_footnote(&self, k: usize) -> bool {
        let is_text = |k: usize, f: &dyn Fn(&str) -> bool| match self.events.get(k) {
            Some((Event::Text(t), _)) => f(t),
            _ => false,
        };
        let bracket = self
            .events
            .get(k)
            .is_some_and(|(_, r)| self.body.get(r.clone()) == Some("["));
        bracket
            && is_text(k, &|t| t == "[")
            && is_text(k + 1, &|t| t.starts_with('^') && t.len() > 1)
            && is_text(k + 2, &|t| t.starts_with(']'))
    }
}

/// The message and hint for Markdown that folio cannot print faithfully; `None` if it can.
pub(super) fn unsupported(event: &Event) -> Option<(String, &'static str)> {
    let refused = |message: &str, hint| Some((message.to_string(), hint));
    match event {
        Event::Start(Tag::CodeBlock(_)) => refused(
            "code blocks are not supported in publications",
            "write the text as a normal paragraph (indenting a line by 4 spaces also makes a \
             code block)",
        ),
        Event::Start(Tag::FootnoteDefinition(_)) | Event::FootnoteReference(_) => refused(
            "footnotes are not supported",
            "put the note in the text, or add the source to `references`",
        ),
        Event::Start(Tag::Strikethrough) => refused(
            "struck-through text is not supported",
            "delete the text instead: readers cannot tell what struck-through text means",
        ),
        Event::TaskListMarker(_) => refused(
            "task-list check boxes (`- [ ]`) are not supported",
            "write the item as plain text; for a box to tick on paper, write e.g. \
             `- Bring your medicines: yes / no`",
        ),
        Event::Start(Tag::DefinitionList) => refused(
            "definition lists are not supported (a line starting with `:` after a line of \
             text makes one)",
            "write the term in bold at the start of a paragraph or list item: \
             `- **Term**: what it means`",
        ),
        Event::Start(
            tag @ (Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_)
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition),
        ) => Some((
            format!("unsupported Markdown: {tag:?}"),
            "use headings, paragraphs, lists, tables, images, links, bold and callouts",
        )),
        Event::InlineMath(_) | Event::DisplayMath(_) => refused(
            "maths is not supported",
            "write the formula in words, e.g. `2 tablets a day`",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests;

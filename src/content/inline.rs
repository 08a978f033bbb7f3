//! Inline Markdown (text, bold, emphasis, links, code, breaks, images) → model inlines.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::markdown::{Builder, IMAGE};
use super::model::Inline;
use crate::diag::Problem;

impl Builder<'_, '_> {
    /// Inline content up to `end`, with adjacent text merged.
    pub(super) fn inlines(&mut self, end: TagEnd) -> Result<Vec<Inline>, Problem> {
        let mut out = Vec::new();
        loop {
            match self.events.get(self.i) {
                None => break,
                Some((Event::End(e), _)) if *e == end => {
                    self.i += 1;
                    break;
                }
                _ => out.extend(self.inline_one()?),
            }
        }
        Ok(merge_text(out))
    }

    pub(super) fn inline_one(&mut self) -> Result<Option<Inline>, Problem> {
        let Some((event, range)) = self.next() else {
            return Ok(None);
        };
        Ok(Some(match event {
            Event::Text(t) => Inline::Text {
                text: t.to_string(),
            },
            Event::Code(t) => Inline::Code {
                text: t.to_string(),
            },
            Event::SoftBreak => Inline::Text { text: " ".into() },
            Event::HardBreak => Inline::Break,
            Event::Start(Tag::Strong) => Inline::Strong {
                content: self.inlines(TagEnd::Strong)?,
            },
            Event::Start(Tag::Emphasis) => Inline::Emph {
                content: self.inlines(TagEnd::Emphasis)?,
            },
            Event::Start(Tag::Strikethrough) => {
                return Err(self.error(
                    range.start,
                    "struck-through text is not supported",
                    "delete the text instead: readers cannot tell what struck-through text means",
                ))
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let content = self.inlines(TagEnd::Link)?;
                Inline::Link {
                    url: dest_url.to_string(),
                    content,
                }
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let alt = self.inlines(TagEnd::Image)?;
                Inline::Link {
                    url: format!("{IMAGE}{dest_url}\u{0}{title}"),
                    content: alt,
                }
            }
            Event::InlineHtml(html) => {
                if html.trim_start().starts_with("<!--") {
                    return Ok(None);
                }
                // Text like `<label>` inside a sentence is shown as written, never interpreted.
                Inline::Text {
                    text: html.to_string(),
                }
            }
            Event::FootnoteReference(_) => {
                return Err(self.error(
                    range.start,
                    "footnotes are not supported",
                    "put the note in the text, or add the source to `references`",
                ))
            }
            Event::Start(_) | Event::End(_) => return Ok(None),
            other => Inline::Text {
                text: event_text(&other),
            },
        }))
    }
}

fn event_text(event: &Event) -> String {
    match event {
        Event::InlineMath(t) | Event::DisplayMath(t) | Event::Html(t) => t.to_string(),
        Event::TaskListMarker(done) => if *done { "[x] " } else { "[ ] " }.into(),
        _ => String::new(),
    }
}

fn merge_text(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        if let (Some(Inline::Text { text: prev }), Inline::Text { text }) =
            (out.last_mut(), &inline)
        {
            prev.push_str(text);
            continue;
        }
        out.push(inline);
    }
    out
}

//! Inline Markdown (text, bold, emphasis, links, code, breaks, images) → model inlines.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::builder::{Builder, IMAGE};
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
        if let Some((message, hint)) = super::guard::unsupported(&event) {
            return Err(self.error(range.start, message, hint));
        }
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
                    // A mark inside a line would be dropped as a comment: the editor meant it.
                    if html.trim_end().ends_with("-->")
                        && self.marker(&html, range.start)?.is_some()
                    {
                        return Err(self.error(range.start,
                            "an edition mark stands inside a line of text",
                            "put `<!-- only: … -->`, `<!-- not: … -->` and `<!-- end -->` on lines of their own, with blank lines around them"));
                    }
                    return Ok(None);
                }
                // Text like `<label>` inside a sentence is shown as written, never interpreted.
                Inline::Text {
                    text: html.to_string(),
                }
            }
            Event::Html(t) => Inline::Text {
                text: t.to_string(),
            },
            // Every tag inline text may hold is handled above: any other is refused, not dropped.
            Event::Start(tag) => {
                return Err(self.error(
                    range.start,
                    format!("unsupported Markdown inside text: {tag:?}"),
                    "use bold, emphasis and links inside text",
                ))
            }
            _ => return Ok(None),
        }))
    }
}

/// Whether an image stands anywhere in `inlines`, also inside bold, emphasis or a link.
pub(super) fn contains_image(inlines: &[Inline]) -> bool {
    inlines.iter().any(|i| match i {
        Inline::Link { url, .. } if url.starts_with(IMAGE) => true,
        Inline::Link { content, .. } | Inline::Strong { content } | Inline::Emph { content } => {
            contains_image(content)
        }
        _ => false,
    })
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
